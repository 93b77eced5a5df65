"""Property tests of the normaliser's offset map on random text (astral chars, CRLF, radicals)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.normalise import normalise

PIECES = st.sampled_from(
    ["\r\n", "\n", "\r", "\n\n", "\f", "\t", " ", "\u3000", "\ufeff", "- 9 -", "第 2 页", "，", "（", "）",
     "。", "、", "１２", "①", "㎡", "\u2ea0", "\u2ed4", "\u2fa8", "開", "發佈", "结", "果", "一、", "(二)",
     "政府信息公开", "本机关全年主动公开", "𠀀", "𪚥", "😀", "12", "0", "无"]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_to_raw_monotone_in_bounds_and_covering(raw: str) -> None:
    n = normalise(raw)
    assert len(n.starts) == len(n.text)
    prev = (0, 0)
    covered = 0
    for i in range(len(n.text)):
        rs, re_ = n.to_raw(i, i + 1)
        assert 0 <= rs < re_ <= len(raw)
        assert (rs, re_) == prev or rs >= prev[1]
        if (rs, re_) != prev:
            gap = raw[prev[1]:rs] if i else raw[:rs]
            # what the map skips was dropped: it normalises to white space or nothing
            assert normalise(gap).text.strip() == "" or _is_dropped_line(gap), (gap, raw)
            covered += re_ - rs
        prev = (rs, re_)
    if n.text:
        rs, re_ = n.to_raw(0, len(n.text))
        assert raw[rs:re_] and re_ - rs >= covered
        assert n.to_norm(rs, re_) == (0, len(n.text))


def _is_dropped_line(gap: str) -> bool:
    """A bare page number (after a form feed) is the only visible text dropped with its context."""
    return re.fullmatch(r"\s*\d{1,4}\s*", gap) is not None


@settings(max_examples=200, deadline=None)
@given(TEXT, st.data())
def test_to_norm_inverts_to_raw(raw: str, data: st.DataObject) -> None:
    n = normalise(raw)
    if not n.text:
        assert n.to_norm(0, len(raw))[0] == n.to_norm(0, len(raw))[1]
        return
    s = data.draw(st.integers(0, len(n.text) - 1))
    e = data.draw(st.integers(s + 1, len(n.text)))
    rs, re_ = n.to_raw(s, e)
    ns, ne = n.to_norm(rs, re_)
    # the raw range may also have produced neighbours (one raw char expanding to several)
    assert ns <= s and ne >= e
    assert n.to_raw(ns, ne) == (rs, re_)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_idempotent(raw: str) -> None:
    once = normalise(raw).text
    assert normalise(once).text == once


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_each_char_comes_from_its_raw_range(raw: str) -> None:
    """Normalising the raw range a char maps to gives back that char (or a sequence holding it,
    when NFKC expanded one raw char), or a break that a wrap join turned into a space."""
    n = normalise(raw)
    for i, ch in enumerate(n.text):
        rs, re_ = n.to_raw(i, i + 1)
        out = normalise(raw[rs:re_]).text
        assert out == ch or (len(out) > 1 and ch in out) or (ch == " " and raw[rs:re_].isspace()), (
            raw, i, ch, raw[rs:re_])
