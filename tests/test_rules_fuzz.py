"""Rule labeller on arbitrary mixes of report fragments: never a crash, spans always fit the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.pipeline import extract_text
from gongkai.rules import label_spans
from gongkai.spans import check_spans

FRAGMENTS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况",
    "四、政府信息公开行政复议、行政诉讼情况", "规章", "行政许可", "（一）予以公开", "3.其他", "总计", "其他",
    "结\n果\n维\n持", "0", "12", "-3", "无", "—", "|", "||", "\t", "\n", "\n\n", " ", "249 万", "000", "(七)总计",
    "主动公开政府信息", "12条", "其中", "，", "。", "未收到政府信息公开申请", "鎮(zhèn)", "⼀", "\r\n",
    "2021年1月3日", "青石镇人民政府", "本年新收", "1.属于国家秘密", "%", "4.55%", "占总体的比例为", "#",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_any_mix_of_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    spans = label_spans(text)
    check_spans(text, spans)
    assert all(s.text == s.text.strip() and s.text for s in spans)
    if text.strip():
        extract_text(text, "fuzz", "rules")  # the post-processor accepts whatever the rules emit
