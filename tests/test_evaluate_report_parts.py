"""Evaluation report (issue 15): every method's misses with the default method first, a miss as
full JSON with the differing keys marked, skipped checks counted, bootstrap intervals, run
provenance, error charts."""

from __future__ import annotations

import re

from gongkai.evaluate.report_html import render_html
from gongkai.evaluate.report_md import render_markdown
from gongkai.evaluate.report_parts import bootstrap_intervals, paired_misses, run_provenance
from gongkai.evaluate.run import EvalDoc, SystemRun, baseline_run, evaluate_runs

LONG = "全年通过政府门户网站主动公开政府信息工作动态、通知公告、政策解读等各类信息"
GOLD = {"doc_id": "甲", "meta": {"organ": "某镇人民政府", "report_year": 2023},
        "requests": {"new_requests": {"total": 3}},
        "claims": [{"type": "active_disclosure_count", "value": 86, "scope": "year", "breakdown": None,
                    "text": LONG + "86条", "start": 0, "end": len(LONG) + 3}]}


def _pred(scope: str, total: int, checks: list[dict]) -> dict:
    return {"doc_id": "甲", "meta": {"organ": "某镇人民政府", "report_year": 2023},
            "requests": {"new_requests": {"total": total}},
            "claims": [{"type": "active_disclosure_count", "value": 86, "unit": "条", "scope": scope,
                        "breakdown": None, "text": LONG + "86条", "start": 0, "end": len(LONG) + 3}],
            "checks": checks}


def _result() -> dict:
    docs = [EvalDoc("甲", GOLD, text=LONG + "86条\n"), EvalDoc("乙", {**GOLD, "doc_id": "乙"}, text=LONG + "86条\n")]
    checks = [{"rule": "requests.balance.total", "status": "skipped", "detail": "missing inputs"},
              {"rule": "requests.row_total.new_requests", "status": "fail", "detail": "x"}]
    rules = SystemRun("rules", {"甲": _pred("cumulative", 3, checks), "乙": _pred("year", 3, checks)})
    auto = SystemRun("auto", {"甲": _pred("year", 4, checks), "乙": _pred("year", 3, checks)})
    return evaluate_runs(docs, [rules, auto, baseline_run(docs)], info={"run": run_provenance(None, ["rules", "auto"])})


def test_misses_of_every_method_default_first_with_full_json_and_differing_keys() -> None:
    md = render_markdown(_result())
    auto_at, rules_at = md.index("## Worst documents (auto)"), md.index("## Worst documents (rules)")
    assert auto_at < rules_at and "## Worst documents (all-zero)" not in md
    rules_part = md[rules_at:]
    # the claim wrong only in scope: paired with the spurious one, whole JSON, scope in bold
    assert '**"scope": "year"**' in rules_part and '**"scope": "cumulative"**' in rules_part
    assert LONG in rules_part and "…" not in rules_part.split("\n## ")[0]
    assert "(paired with a spurious claim)" in rules_part
    assert "`requests.new_requests.total` | 3 | 4 |" in md[auto_at:rules_at]


def test_paired_misses_name_the_differing_key() -> None:
    misses = [{"path": "claims[0]", "kind": "claim_missed", "gold": {"type": "t", "value": 1, "scope": "year"},
               "pred": None, "start": 0, "end": 1},
              {"path": "pred_claims[0]", "kind": "claim_spurious", "gold": None,
               "pred": {"type": "t", "value": 1, "scope": "cumulative"}, "start": 0, "end": 1}]
    got = paired_misses(misses)
    assert got[0]["differs"] == ["scope"] and got[0]["pred"]["scope"] == "cumulative" and len(got) == 2


def test_intervals_skipped_checks_provenance_and_charts() -> None:
    result = _result()
    md = render_markdown(result)
    assert re.search(r"\| field accuracy \| [01]\.\d{3} \[[01]\.\d{3}, [01]\.\d{3}\]", md)
    assert "| documents | 2 | 2 | 2 |" in md
    assert "commit" in md and "model version" not in md.split("## Run")[0]
    page = render_html(result, {"甲": LONG + "86条\n"})
    assert "1 skipped" in page or "2 skipped" in page  # skipped checks are counted, not dropped
    charts = page.split("<h2>Wrong fields</h2>", 1)[1].split("<h2>", 1)[0]
    assert charts.count("data:image/png;base64,") == 3  # errors by table, column, row: there are some
    assert page.index("Worst documents (auto)") < page.index("Worst documents (rules)")
    assert "<b class='diff'>&quot;scope&quot;: &quot;cumulative&quot;</b>" in page
    assert "<th>commit</th>" in page and "<th>command</th>" in page


def test_bootstrap_is_deterministic_and_brackets_the_estimate() -> None:
    docs = [{"fields": 10, "fields_ok": k} for k in (10, 9, 5, 8, 10, 7)]
    a = bootstrap_intervals(docs, samples=300)
    assert a == bootstrap_intervals(docs, samples=300)
    lo, hi = a["field_accuracy"]
    assert lo <= 49 / 60 <= hi and lo < hi
    assert a["claims_f1"] is None  # no claims: no interval
