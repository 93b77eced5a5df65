"""``auto``: per-section fallback from model spans to rules spans, assembled by the real assembler."""

from __future__ import annotations

from gongkai.model.fallback import combine_spans
from gongkai.spans import Span


def build(parts: list[tuple[str, str | None]]) -> tuple[str, list[tuple[str, int, int]]]:
    text, spans = "", []
    for piece, label in parts:
        if label:
            spans.append((label, len(text), len(text) + len(piece)))
        text += piece
    return text, spans


def report_parts(new_row: list[int]) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = [
        ("2021", "YEAR"), ("年青山镇政府信息公开工作年度报告\n", None),
        ("一、总体情况", "SEC_OVERVIEW"), ("\n", None), ("江口县青山镇人民政府", "ORGAN"), ("全面推进公开。", None),
        ("全年主动公开政府信息", "SUBJ_ACTIVE"), ("86", "NUM"), ("条", "UNIT"), ("。\n", None),
        ("二、主动公开政府信息情况", "SEC_ACTIVE"), ("\n", None), ("规章", "ROW"),
        ("\t", None), ("1", "CELL_1"), ("\t", None), ("0", "CELL_2"), ("\t", None), ("4", "CELL_3"), ("\n", None),
        ("三、收到和处理政府信息公开申请情况", "SEC_REQUESTS"), ("\n", None),
        ("一、本年新收政府信息公开申请数量", "ROW"),
    ]
    for k, v in enumerate(new_row, start=1):
        parts += [("\t", None), (str(v), f"CELL_{k}")]
    parts += [("\n四、政府信息公开行政复议、行政诉讼情况", "SEC_REVIEW"), ("\n", None)]
    for k in range(1, 16):
        parts += [("0", f"CELL_{k}"), ("\t", None)]
    parts += [("\n五、存在的主要问题及改进情况", "SEC_PROBLEMS"), ("\n无。\n", None),
              ("2022年1月5日", "DATE")]
    return parts


def spans_of(text: str, raw: list[tuple[str, int, int]], source: str, score: float = 1.0) -> list[Span]:
    return [Span.of(text, lab, a, b, score=score, source=source) for lab, a, b in raw]


def test_confident_consistent_model_is_kept_everywhere() -> None:
    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    model = spans_of(text, raw, "model", 0.99)
    rules = spans_of(text, raw, "rules")
    spans, plan = combine_spans(text, "d", model, rules)
    assert set(plan.choice.values()) == {"model"}
    assert all(s.source == "model" for s in spans)


def test_section_failing_checks_falls_back_to_rules_and_provenance_says_so() -> None:
    from gongkai.assemble import assemble

    good_text, good = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(good_text, good, "rules")
    # the model swaps the columns of two cells (commercial 1 ↔ total 3): requests.row_total fails
    model = spans_of(good_text, good, "model", 0.99)
    swap = {"CELL_2": "CELL_7", "CELL_7": "CELL_2"}
    in_requests = good_text.index("三、"), good_text.index("四、")
    model = [Span.of(good_text, swap[s.label], s.start, s.end, 0.99, "model")
             if s.label in swap and in_requests[0] <= s.start < in_requests[1] else s for s in model]
    spans, plan = combine_spans(good_text, "d", model, rules)
    assert plan.choice["requests"] == "rules" and "fails" in plan.reason["requests"]
    assert plan.choice["active_disclosure"] == "model"
    report = assemble(good_text, spans, "d")
    assert report.requests.new_requests.total == 3
    assert report.provenance["requests.new_requests.total"].source == "rules"
    active = [p for k, p in report.provenance.items() if k.startswith("active_disclosure.regulations.")]
    assert len(active) == 3 and all(p.source == "model" for p in active)


def test_low_confidence_section_and_missing_meta_fall_back() -> None:
    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(text, raw, "rules")
    model = spans_of(text, raw, "model", 0.99)
    over = next(s for s in model if s.label == "SEC_OVERVIEW")
    active = next(s for s in model if s.label == "SEC_ACTIVE")
    model = [Span.of(text, s.label, s.start, s.end, 0.4, "model") if over.start <= s.start < active.start else s
             for s in model if s.label != "DATE"]
    spans, plan = combine_spans(text, "d", model, rules, threshold=0.9)
    assert plan.choice["overview"] == "rules" and "confidence" in plan.reason["overview"]
    assert plan.choice["DATE"] == "rules"
    labels_by_source = {(s.label, s.source) for s in spans}
    assert ("SUBJ_ACTIVE", "rules") in labels_by_source and ("SUBJ_ACTIVE", "model") not in labels_by_source
    assert ("DATE", "rules") in labels_by_source
    # no two spans of one label overlap after the swap
    for a in spans:
        for b in spans:
            if a is not b and a.label == b.label:
                assert a.end <= b.start or b.end <= a.start


def test_section_where_rules_read_more_values_falls_back() -> None:
    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(text, raw, "rules")
    first_active_cell = next(a for lab, a, _ in raw if lab == "CELL_1")
    model = [s for s in spans_of(text, raw, "model", 0.99) if s.start != first_active_cell]
    spans, plan = combine_spans(text, "d", model, rules)
    # the value the model skipped is printed on its row: active_disclosure.unread_values fails for the model
    assert plan.choice["active_disclosure"] == "rules"
    assert plan.reason["active_disclosure"] in ("read 2 values, rules 3", "model fails 1 checks, rules 0")
    assert plan.choice["requests"] == "model"
    assert any(s.start == first_active_cell and s.source == "rules" for s in spans)


def test_unsure_model_section_that_rules_do_not_see_is_dropped() -> None:
    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = [s for s in spans_of(text, raw, "rules") if s.label != "SEC_PROBLEMS"]
    model = [Span.of(text, s.label, s.start, s.end, 0.3 if s.label == "SEC_PROBLEMS" else 0.99, "model")
             for s in spans_of(text, raw, "model")]
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["problems_improvements"] == "rules" and "rules see no such section" in plan.reason[
        "problems_improvements"]
    assert not any(s.label == "SEC_PROBLEMS" for s in spans)
    assert any(s.label == "DATE" for s in spans)  # meta labels are decided per label, not dropped with it
    # rules spans swapped in earlier are never removed by a later region's swap
    assert all(s.source == "model" for s in spans if s.label.startswith("CELL_"))


def test_value_span_that_cuts_a_number_sends_its_section_to_rules() -> None:
    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 13]))
    rules = spans_of(text, raw, "rules")
    model = spans_of(text, raw, "model", 0.99)
    total = next(s for s in model if s.label == "CELL_7" and s.text == "13")
    model = [s for s in model if s != total] + [Span.of(text, "CELL_7", total.start + 1, total.end, 0.99, "model")]
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["requests"] == "rules" and "cuts a number" in plan.reason["requests"]
    assert any(s.label == "CELL_7" and s.text == "13" and s.source == "rules" for s in spans)


def test_overview_claims_that_differ_with_equal_coverage_go_to_rules() -> None:
    from gongkai.assemble import assemble

    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(text, raw, "rules")
    # the model confidently misses the unit 条 of the overview's claim: one claim each, not the same
    model = spans_of(text, [r for r in raw if r[0] != "UNIT"], "model", 0.99)
    m_claims = assemble(text, model, "d").claims
    assert len(m_claims) == 1 and m_claims[0].unit != "条"
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["overview"] == "rules"
    assert "different claims" in plan.reason["overview"]
    assert assemble(text, spans, "d").claims[0].unit == "条"


def test_a_heading_the_model_read_in_pieces_comes_whole_from_rules() -> None:
    from gongkai.assemble import assemble

    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(text, raw, "rules")
    head = next(r for r in raw if r[0] == "SEC_PROBLEMS")  # 五、存在的主要问题及改进情况
    a, b = head[1], head[2]
    # 的 left out, and the tail piece is the surer one (what the assembler then takes as the title)
    pieces = [Span.of(text, "SEC_PROBLEMS", a, a + 6, 0.95, "model"), Span.of(text, "SEC_PROBLEMS", a + 7, b, 0.99, "model")]
    model = spans_of(text, [r for r in raw if r is not head], "model", 0.99) + pieces
    # the assembler itself no longer cuts a printed heading line (the surer piece is most of it)
    assert assemble(text, model, "d").sections.problems_improvements.title == "五、存在的主要问题及改进情况"
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["problems_improvements"] == "model" and plan.choice["SEC_PROBLEMS"] == "rules"
    assert assemble(text, spans, "d").sections.problems_improvements.title == "五、存在的主要问题及改进情况"


def test_a_section_only_the_model_found_goes_when_its_heading_is_unsure() -> None:
    from gongkai.assemble import assemble

    # an excerpt with one section; the model also tags the 三 of 三方面 as a requests heading, unsure
    text, raw = build([("一、总体情况", "SEC_OVERVIEW"), ("\n青山镇从", None), ("三", None), ("方面推进公开，", None),
                       ("全年主动公开政府信息", "SUBJ_ACTIVE"), ("86", "NUM"), ("条", "UNIT"), ("。\n", None)])
    rules = spans_of(text, raw, "rules")
    stray = Span.of(text, "SEC_REQUESTS", text.index("三"), text.index("三") + 1, 0.48, "model")
    model = [*spans_of(text, raw, "model", 0.99), stray]
    assert assemble(text, model, "d").sections.requests is not None
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["requests"] == "rules" and "confidence 0.480" in plan.reason["requests"]
    report = assemble(text, spans, "d")
    assert report.sections.requests is None
    assert report.sections.overview.end == len(text) and [c.value for c in report.claims] == [86]


def test_tie_breaks_are_parameters() -> None:
    from gongkai.assemble import assemble
    from gongkai.model.fallback import AutoParams

    text, raw = build(report_parts([2, 1, 0, 0, 0, 0, 3]))
    rules = spans_of(text, raw, "rules")
    model = spans_of(text, [r for r in raw if r[0] != "UNIT"], "model", 0.99)
    assert AutoParams().claims == AutoParams().meta == "rules"  # chosen on training folds (fallback docstring)
    # claims tie given to the model: the model's claim (no unit) stays
    spans, plan = combine_spans(text, "d", model, rules, params=AutoParams(claims="model"))
    assert plan.choice["overview"] == "model"
    assert assemble(text, spans, "d").claims[0].unit != "条"
    # meta tie: the model reads another confident organ; meta="model" keeps it, the default takes the rules'
    organ = next(r for r in raw if r[0] == "ORGAN")
    at = text.index("青山镇政府")  # in the title line; not a part of the rules' name
    other = [r for r in raw if r is not organ] + [("ORGAN", at, at + 5)]
    model = spans_of(text, other, "model", 0.99)
    _, plan = combine_spans(text, "d", model, rules, params=AutoParams(meta="model"))
    assert plan.choice["ORGAN"] == "model"
    spans, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["ORGAN"] == "rules"
    assert assemble(text, spans, "d").meta.organ == "江口县青山镇人民政府"
    # the threshold: a model at 0.8 confidence is kept at threshold 0.7, replaced at the default 0.9
    model = spans_of(text, raw, "model", 0.8)
    _, plan = combine_spans(text, "d", model, rules, params=AutoParams(threshold=0.7))
    assert set(plan.choice.values()) == {"model"}
    _, plan = combine_spans(text, "d", model, rules)
    assert plan.choice["overview"] == "rules"
    try:
        AutoParams(tables="both")
    except ValueError as e:
        assert "tables" in str(e)
    else:
        raise AssertionError("a bad side must be refused")


def test_claims_union_adds_the_claims_only_the_other_side_read() -> None:
    from gongkai.assemble import assemble
    from gongkai.model.fallback import AutoParams

    text, raw = build([("一、总体情况", "SEC_OVERVIEW"), ("\n全年", None), ("主动公开政府信息", "SUBJ_ACTIVE"),
                       ("86", "NUM"), ("条", "UNIT"), ("，其中", None), ("工作动态", "SUBJ_ACTIVE_PART"), ("40", "NUM"),
                       ("条", "UNIT"), ("、", None), ("通知公告", "SUBJ_ACTIVE_PART"), ("46", "NUM"), ("条", "UNIT"),
                       ("；", None), ("收到政府信息公开申请", "SUBJ_REQUEST"), ("两", "NUM"), ("件", "UNIT"), ("。\n", None)])
    # the rules read the total and the request; the model reads the two parts (and the total), confidently
    rules = spans_of(text, [r for r in raw if text[r[1]:r[2]] not in ("工作动态", "40", "通知公告", "46")
                            and not (r[0] == "UNIT" and r[1] in (text.index("40") + 2, text.index("46") + 2))], "rules")
    model = spans_of(text, [r for r in raw if r[0] != "SUBJ_REQUEST" and text[r[1]:r[2]] != "两"
                            and not (r[0] == "UNIT" and text[r[1]:r[2]] == "件")], "model", 0.99)
    spans, _ = combine_spans(text, "d", model, rules, params=AutoParams(claims="rules"))
    assert len(assemble(text, spans, "d").claims) == 2  # the rules' region, their two claims
    spans, plan = combine_spans(text, "d", model, rules, params=AutoParams(claims="union"))
    claims = assemble(text, spans, "d").claims
    assert sorted(c.value for c in claims) == [2, 40, 46, 86]
    assert {c.breakdown for c in claims if c.value in (40, 46)} == {"工作动态", "通知公告"}
    assert "claims added" in plan.reason
    # an unsure model claim is not added
    unsure = [Span.of(text, s.label, s.start, s.end, 0.6, "model") for s in model]
    spans, _ = combine_spans(text, "d", unsure, rules, params=AutoParams(claims="union"))
    assert sorted(c.value for c in assemble(text, spans, "d").claims) == [2, 86]
