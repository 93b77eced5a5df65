"""Property tests of text decoding: Chinese report text survives every supported encoding."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.readers import decode_bytes

ALPHABET = st.sampled_from(
    list("一二三四五六七八九十中国政府信息公开年度报告主动申请件条万余两累计通过發佈餘兩")
    + list("0123456789abcXYZ ,.%()-:\t\n\r") + list("，。、：；（）《》“”％－〇")
)
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=80).filter(lambda t: t.strip())


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]))
def test_decode_round_trips(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert decode_bytes(data, "p.txt") == text


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_bom_is_dropped_and_nothing_else(text: str) -> None:
    assert decode_bytes(codecs.BOM_UTF8 + text.encode(), "p.txt") == text
