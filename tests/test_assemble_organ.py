"""meta.organ from a model's ORGAN span that lost its first character (Chinese text, offsets checked)."""

from __future__ import annotations

from gongkai.assemble import assemble
from gongkai.assemble.meta import whole_name
from gongkai.spans import Span


def _organ(text: str, name: str, source: str = "model", at: int = 0) -> Span:
    i = text.index(name, at)
    return Span.of(text, "ORGAN", i, i + len(name), 0.9, source)


def test_a_name_one_character_after_a_break_starts_at_the_break() -> None:
    text = "庐阳区国资局2023年政府信息公开工作年度报告\n本报告由两城镇人民政府编制。"
    top = whole_name(text, _organ(text, "阳区国资局"))  # the text's start
    assert (top.start, top.end, top.source) == (0, 6, "model")
    assert text[top.start : top.end] == top.text == "庐阳区国资局"
    after_fn = whole_name(text, _organ(text, "城镇人民政府"))  # after the function word 由
    assert after_fn.text == "两城镇人民政府" and text[after_fn.start : after_fn.end] == "两城镇人民政府"
    line = "概述\n桥镇人民政府"
    assert whole_name(line, _organ(line, "桥镇人民政府")).text == "桥镇人民政府"  # already at a line start


def test_no_break_within_one_character_or_rules_span_or_function_word_start_is_kept() -> None:
    text = "根据规定，编制万源市交通运输局年度报告，请与两城镇人民政府联系。"
    far = _organ(text, "源市交通运输局")  # 编制万: the break is three characters back
    assert whole_name(text, far) == far
    rules = _organ(text, "源市交通运输局", source="rules")
    assert whole_name(text, rules) == rules
    fn = _organ(text, "与两城镇人民政府")  # the model took 与 in: not extended to 请与…
    assert whole_name(text, fn) == fn


def test_assembled_meta_uses_the_whole_name_and_its_offsets() -> None:
    text = "重庆市九龙坡区住房和城乡建设委员会2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息12条。"
    spans = [_organ(text, "庆市九龙坡区住房和城乡建设委员会"),
             Span.of(text, "SEC_OVERVIEW", text.index("一、"), text.index("一、") + 6, 0.9, "model")]
    report = assemble(text, spans, "d")
    assert report.meta.organ == "重庆市九龙坡区住房和城乡建设委员会"
    prov = report.provenance["meta.organ"]
    assert text[prov.start : prov.end] == report.meta.organ


def test_a_whole_name_after_a_one_character_verb_or_quantifier_is_not_extended() -> None:
    text = "如有疑问，请两城镇人民政府联系。各乡镇人民政府按时报送。"
    whole = _organ(text, "两城镇人民政府")
    assert whole_name(text, whole) == whole  # 请 is a break: not 请两城镇人民政府
    each = _organ(text, "乡镇人民政府")
    assert whole_name(text, each) == each  # 各 is a break: not 各乡镇人民政府
