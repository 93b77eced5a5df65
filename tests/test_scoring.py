"""Scoring against hand-computed small gold/prediction pairs (gold rules of SCHEMA.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gongkai.commands import score as score_cmd
from gongkai.errors import InputError
from gongkai.scoring import match_claims, score_dirs, score_pair, values_equal

GOLD = {
    "doc_id": "t1",
    "_notes": ["comment, never scored"],
    "meta": {"organ": "青石镇人民政府", "report_year": 2020, "publish_date": None, "template": "2019"},
    "sections": {
        "overview": {"title": "一、总体情况", "start": 10},
        "active_disclosure": {"title": "二、主动公开政府信息情况", "start": 50},
        "other_matters": None,
    },
    "active_disclosure": {
        "regulations": {"newly_made": 0, "newly_published": 2, "_why": "x"},
        "centralized_procurement": {"projects": 3, "amount": 2406.2243, "amount_unit": "万元"},
    },
    "requests": {"new_requests": {"total": 5, "natural_person": None}, "granted": None},
    "claims": [],
}


def pred_ok() -> dict:
    return {
        "doc_id": "t1",
        "meta": {
            "organ": " 青石镇人民政府\n",
            "report_year": 2020,
            "publish_date": "2021-01-05",
            "template": "2019",
        },
        "sections": {
            "overview": {"title": "一、总体情况", "start": 10, "end": 49},
            "active_disclosure": {"title": "二、主动公开政府信息情况 ", "start": 50, "end": 90},
            "other_matters": None,
        },
        "active_disclosure": {
            "regulations": {"newly_made": 0.0, "newly_published": 2, "total_published": 7},
            "centralized_procurement": {"projects": 3, "amount": 2406.2243, "amount_unit": "万元"},
        },
        "requests": {"new_requests": {"total": 5, "natural_person": 4}},
        "claims": [{"type": "other_count", "value": 3, "text": "培训3次", "start": 1, "end": 5}],
    }


def test_values_equal_rules() -> None:
    assert values_equal(0, 0.0)
    assert values_equal(" 万元 ", "万元")
    assert not values_equal(0, "0")
    assert not values_equal(1, True)
    assert not values_equal(2, 3)
    assert not values_equal(0, None)


def test_perfect_prediction_scores_every_present_key_and_skips_null_and_comments() -> None:
    s = score_pair(GOLD, pred_ok())
    paths = sorted(f.path for f in s.fields)
    # meta: 3 non-null; cells: newly_made, newly_published, projects, amount, new_requests.total;
    # unit: amount_unit; sections: 3 (other_matters null = checked absent)
    assert paths == sorted(
        [
            "meta.organ",
            "meta.report_year",
            "meta.template",
            "active_disclosure.regulations.newly_made",
            "active_disclosure.regulations.newly_published",
            "active_disclosure.centralized_procurement.projects",
            "active_disclosure.centralized_procurement.amount",
            "active_disclosure.centralized_procurement.amount_unit",
            "requests.new_requests.total",
            "sections.overview",
            "sections.active_disclosure",
            "sections.other_matters",
        ]
    )
    assert s.field_accuracy == 1.0 and s.cell_accuracy == 1.0 and s.meta_accuracy == 1.0
    assert s.counts.cells == 5 and s.counts.nonzero_gold == 4 and s.nonzero_cell_recall == 1.0
    assert s.title_accuracy == 1.0 and s.counts.titles == 2
    # gold lists no claims and only an other_count is predicted: filtered out, 0/0 counts as perfect
    assert (s.claims_precision, s.claims_recall, s.claims_f1) == (1.0, 1.0, 1.0)
    assert s.misses == []


def test_errors_are_counted_by_hand() -> None:
    pred = pred_ok()
    pred["meta"]["report_year"] = 2021  # meta miss
    pred["active_disclosure"]["regulations"]["newly_published"] = 0  # nonzero cell miss
    pred["active_disclosure"]["centralized_procurement"]["amount_unit"] = "元"  # unit miss (not a cell)
    pred["sections"]["other_matters"] = {"title": "六、其他", "start": 95, "end": 99}  # found but gold null
    pred["sections"]["overview"]["title"] = "一、概述"  # title miss, section still found
    pred["requests"]["new_requests"] = None  # cell missing -> wrong
    pred["provenance"] = {
        "meta.report_year": {"raw": "2021", "start": 3, "end": 7, "source": "rules", "confidence": 1}
    }
    s = score_pair(GOLD, pred)
    assert (s.counts.fields_ok, s.counts.fields) == (12 - 5, 12)
    assert (s.counts.cells_ok, s.counts.cells) == (3, 5)
    assert (s.counts.nonzero_gold_ok, s.counts.nonzero_gold) == (2, 4)
    # predicted non-zero cells at scored paths: projects 3, amount 2406.2243 (both right)
    assert (s.counts.nonzero_pred_ok, s.counts.nonzero_pred) == (2, 2)
    assert s.meta_accuracy == pytest.approx(2 / 3)
    assert s.section_accuracy == pytest.approx(2 / 3)
    assert s.title_accuracy == 0.5
    by_path = {m.path: m for m in s.misses}
    assert set(by_path) == {
        "meta.report_year",
        "active_disclosure.regulations.newly_published",
        "active_disclosure.centralized_procurement.amount_unit",
        "sections.other_matters",
        "sections.overview.title",
        "requests.new_requests.total",
    }
    assert (by_path["meta.report_year"].gold, by_path["meta.report_year"].pred) == (2020, 2021)
    assert (by_path["meta.report_year"].start, by_path["meta.report_year"].end) == (3, 7)
    assert by_path["sections.overview.title"].start == 10  # gold heading offset
    assert by_path["requests.new_requests.total"].pred is None


def test_null_versus_missing_and_nulls_checked_option() -> None:
    gold = {
        "meta": {"publish_date": None, "organ": "镇政府"},
        "active_disclosure": {"centralized_procurement": {"amount_unit": None}},
    }
    pred = {
        "meta": {"publish_date": "2021-01-05", "organ": "镇政府"},
        "active_disclosure": {"centralized_procurement": {"amount_unit": "万元"}},
    }
    default = score_pair(gold, pred)
    assert [f.path for f in default.fields] == ["meta.organ"] and default.field_accuracy == 1.0
    checked = score_pair(gold, pred, nulls_checked=True)
    assert checked.counts.fields == 3 and checked.counts.fields_ok == 1
    pred["meta"]["publish_date"] = None
    del pred["active_disclosure"]
    assert score_pair(gold, pred, nulls_checked=True).field_accuracy == 1.0


def test_missing_prediction_makes_every_field_wrong_and_misses_all_claims() -> None:
    gold = dict(
        GOLD,
        claims=[
            {
                "type": "request_count",
                "value": 0,
                "unit": None,
                "scope": "year",
                "breakdown": None,
                "text": "未收到政府信息公开申请",
                "start": 5,
                "end": 16,
            }
        ],
    )
    s = score_pair(gold, None, doc_id="t1")
    assert s.missing_prediction and s.counts.fields == 12 and s.counts.fields_ok == 0
    assert s.counts.titles_ok == 0
    assert (s.claims_precision, s.claims_recall, s.claims_f1) == (0.0, 0.0, 0.0)
    assert [m.kind for m in s.misses].count("claim_missed") == 1


def _c(value, scope="year", breakdown=None, type_="active_disclosure_count", **extra) -> dict:
    return {"type": type_, "value": value, "scope": scope, "breakdown": breakdown, "text": "x", **extra}


def test_claims_match_on_type_value_scope_breakdown() -> None:
    gold = {
        "claims": [_c(44), _c(2, breakdown="规章"), _c(713, scope="cumulative"), _c(0, type_="request_count")]
    }
    pred = {
        "claims": [
            _c(44.0),  # match (0 == 0.0 rule for values)
            _c(2, breakdown=" 规章 "),  # match after trimming
            _c(713, scope="year"),  # wrong scope
            _c(0, type_="active_disclosure_count"),  # wrong type
            _c(5, type_="other_count"),  # filtered out
        ]
    }
    s = score_pair(gold, pred)
    assert (s.counts.claims_gold, s.counts.claims_pred, s.counts.claims_matched) == (4, 4, 2)
    assert s.claims_precision == 0.5 and s.claims_recall == 0.5 and s.claims_f1 == 0.5
    kinds = sorted(m.kind for m in s.misses)
    assert kinds == ["claim_missed", "claim_missed", "claim_spurious", "claim_spurious"]


def test_claims_gold_without_scope_or_breakdown_does_not_compare_it() -> None:
    g_no_scope = {"type": "active_disclosure_count", "value": 129, "text": "x"}  # no scope, no breakdown
    g_null_breakdown = _c(129)  # breakdown null: the overall figure
    assert match_claims([g_no_scope], [_c(129, scope="cumulative", breakdown="工作动态")]) == [(0, 0)]
    assert match_claims([g_null_breakdown], [_c(129, breakdown="工作动态")]) == []
    assert match_claims([_c(1, scope=None)], [_c(1, scope="cumulative")]) == [(0, 0)]


def test_claims_one_to_one_uses_maximum_matching_not_greedy() -> None:
    # gold 0 accepts either prediction; gold 1 only the first. Greedy 0->0 would strand gold 1.
    gold = [{"type": "active_disclosure_count", "value": 7, "text": "x"}, _c(7, scope="year")]
    pred = [_c(7, scope="year"), _c(7, scope="cumulative")]
    assert match_claims(gold, pred) == [(0, 1), (1, 0)]
    # duplicates are not double-counted: two equal predictions, one gold claim
    s = score_pair({"claims": [_c(3)]}, {"claims": [_c(3), _c(3)]})
    assert (s.counts.claims_matched, s.claims_precision, s.claims_recall) == (1, 0.5, 1.0)
    assert s.claims_f1 == pytest.approx(2 / 3)


def test_claims_not_scored_when_gold_has_no_claims_key() -> None:
    s = score_pair({"meta": {"organ": "a"}}, {"meta": {"organ": "a"}, "claims": [_c(1)]})
    assert s.claims is None and s.claims_f1 is None and s.counts.claim_docs == 0


def _write(d: Path, name: str, obj) -> None:
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def test_score_dirs_micro_averages_and_counts_missing_file_wrong(tmp_path: Path) -> None:
    g, p = tmp_path / "gold", tmp_path / "pred"
    _write(g, "a.json", {"meta": {"organ": "甲镇人民政府", "report_year": 2020}})
    _write(g, "b.json", {"requests": {"granted": {"total": 1, "natural_person": 1, "other_org": 0}}})
    _write(p, "a.json", {"meta": {"organ": "甲镇人民政府", "report_year": 2019}})
    cs = score_dirs(g, p)
    assert [d.doc_id for d in cs.docs] == ["a", "b"]
    assert cs.missing_predictions == ["b"]
    c = cs.counts
    assert (c.fields_ok, c.fields) == (1, 5)
    assert cs.metrics()["field_accuracy"] == pytest.approx(0.2)
    assert cs.metrics()["meta_accuracy"] == 0.5 and cs.metrics()["cell_accuracy"] == 0.0
    assert cs.metrics()["claims_f1"] is None
    assert [d.doc_id for d in score_dirs(g, p, only=["a"]).docs] == ["a"]


def test_bad_prediction_file_names_file_and_problem(tmp_path: Path) -> None:
    g, p = tmp_path / "gold", tmp_path / "pred"
    _write(g, "a.json", {"meta": {"organ": "x"}})
    p.mkdir()
    (p / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as e:
        score_dirs(g, p)
    assert "a.json" in str(e.value) and "invalid JSON" in str(e.value)
    with pytest.raises(InputError, match="gold directory not found"):
        score_dirs(tmp_path / "nope", p)


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    score_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_score_command_prints_table_misses_and_json(tmp_path: Path, capsys) -> None:
    g, p = tmp_path / "gold", tmp_path / "pred"
    _write(g, "a.json", {"meta": {"organ": "甲镇人民政府", "report_year": 2020}, "claims": []})
    _write(p, "a.json", {"meta": {"organ": "甲镇人民政府", "report_year": 2019}, "claims": []})
    assert _cli(["score", str(g), str(p), "--misses"]) == 0
    out = capsys.readouterr().out
    assert "TOTAL" in out and "1/2" in out and "meta.report_year: gold=2020 pred=2019" in out
    assert _cli(["score", str(g), str(p), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["metrics"]["field_accuracy"] == 0.5
        and data["docs"][0]["misses"][0]["path"] == "meta.report_year"
    )
    assert _cli(["score", str(tmp_path / "missing"), str(p)]) == 2
    assert "gold directory not found" in capsys.readouterr().err


def test_scores_real_gold_against_itself_perfectly(corpus: Path) -> None:
    """Each real gold file scored against itself is perfect: the walker handles the real files."""
    for gold_dir in (corpus / "seeds-gold", corpus / "dev" / "gold"):
        cs = score_dirs(gold_dir, gold_dir)
        assert cs.docs and cs.counts.fields > 0
        m = cs.metrics()
        assert m["field_accuracy"] == 1.0 and m["claims_f1"] == 1.0, gold_dir


def test_gongkai_score_through_the_real_cli(tmp_path: Path, capsys) -> None:
    from gongkai.cli import main

    g, p = tmp_path / "gold", tmp_path / "pred"
    _write(g, "doc1.json", {"requests": {"new_requests": {"total": 3}}, "claims": []})
    _write(p, "doc1.json", {"requests": {"new_requests": {"total": 3.0}}, "claims": []})
    assert main(["score", str(g), str(p)]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = next(ln for ln in lines if ln.startswith("TOTAL"))
    assert total.split()[1] == "1.000" and total.endswith("1/1")
