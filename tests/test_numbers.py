"""Number and cell parsing as reports print them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.numbers import parse_cell, parse_number


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("0", 0),
        ("129", 129),
        ("1,234", 1234),
        ("12,345,678", 12345678),
        ("２０", 20),  # full-width digits
        ("2406.2243", 2406.2243),
        ("-3", -3),
        ("−3", -3),  # U+2212
        ("﹣3", -3),
        ("－3", -3),
        ("0.00", 0),
        ("十", 10),
        ("十二", 12),
        ("二十三", 23),
        ("一百零五", 105),
        ("两千", 2000),
        ("两", 2),
        ("三万五千", 35000),
        ("一千零一十", 1010),
        ("一千二", 1200),  # colloquial: the trailing digit is the next place down
        ("三万五", 35000),
        ("一百二", 120),
        ("两万零五", 20005),
        ("十万", 100000),
        ("二〇二〇", 2020),
        ("4.55%", 4.55),
        ("1.5万", 15000),
        ("3千", 3000),
        ("1.1千", 1100),
        ("2.35万", 23500),
    ],
)
def test_exact_numbers(printed: str, value: float) -> None:
    got, approx = parse_number(printed)
    assert got == value and type(got) is type(value)
    assert approx is False


@pytest.mark.parametrize(
    ("printed", "value"),
    [("100余", 100), ("2000餘", 2000), ("2千余", 2000), ("3000多", 3000), ("近50", 50), ("20左右", 20), ("约30", 30), ("十余", 10), ("五十多", 50)],
)
def test_approximate_numbers(printed: str, value: int) -> None:
    assert parse_number(printed) == (value, True)


@pytest.mark.parametrize("bad", ["", "条", "abc", "余", "第一"])
def test_not_a_number(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("无", (0, None)),
        ("—", (0, None)),
        ("-", (0, None)),
        ("–", (0, None)),
        ("／", (0, None)),
        ("/", (0, None)),
        (" 0 ", (0, None)),
        ("249万", (249, "万元")),
        ("5.4万元", (5.4, "万元")),
        ("3200元", (3200, "元")),
        ("135630", (135630, None)),
        ("12件", (12, "件")),
        ("-3", (-3, None)),
        ("(无)", (0, None)),
        ("暂无", (0, None)),
        ("¥2000", (2000, None)),
    ],
)
def test_cells(printed: str, expected: tuple) -> None:
    value, unit = parse_cell(printed)
    assert (value, unit) == expected
    assert type(value) is type(expected[0])


def test_blank_cell_is_an_error_not_zero() -> None:
    with pytest.raises(ValueError):
        parse_cell("   ")


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_round_trip_with_commas(n: int) -> None:
    assert parse_number(f"{n:,}") == (n, False)
    assert parse_number(str(n)) == (n, False)


_CN = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """Reference writer for 1..99999 in the usual reading (十二, 一百零五, 两 not used)."""
    if n < 10:
        return _CN[n]
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero and out:
                out += "零"
            out += ("" if (name == "十" and d == 1 and not out) else _CN[d]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN[n]
    return out


@given(st.integers(min_value=1, max_value=99999))
def test_chinese_numerals_match_reference(n: int) -> None:
    assert parse_number(_to_chinese(n)) == (n, False)


def test_traditional_liang_is_two() -> None:
    assert parse_number("兩")[0] == 2
