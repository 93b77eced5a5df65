"""End to end on small hand-made documents: gold, gold spans and a prediction folder written here,
`run_evaluation` writes metrics.json/report.md/report.html, and its numbers are checked against
counts made independently in the test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gongkai.evaluate.metrics import all_zero_baseline, check_pass_rates, field_breakdown, layout_errors
from gongkai.evaluate.run import run_evaluation
from gongkai.scoring import score_pair

TEXT_A = (
    "2020年甲镇政府信息公开工作年度报告\n"
    "一、总体情况\n全年主动公开政府信息86条，其中工作动态12条。\n"
    "二、主动公开政府信息情况\n规章\t0\t5\t0\n"
    "三、收到和处理政府信息公开申请情况\n本镇未收到政府信息公开申请。\n"
)
TEXT_B = "乙镇2021年政府信息公开工作年度报告\n一、总体情况\n累计主动公开信息300条。\n"


def _at(text: str, piece: str, label: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return {"label": label, "start": start, "end": start + len(piece), "text": piece, "source": "human"}


def _claim(text: str, piece: str, type_: str, value: int, scope: str = "year", breakdown=None) -> dict:
    s = text.index(piece)
    return {
        "type": type_,
        "value": value,
        "unit": "条",
        "scope": scope,
        "breakdown": breakdown,
        "text": piece,
        "start": s,
        "end": s + len(piece),
    }


def _cells(row: str, labels: tuple[str, ...]) -> list[dict]:
    """CELL_k spans of a tab-separated row printed once in TEXT_A."""
    base, out, pos = TEXT_A.index(row), [], 0
    for label, value in zip(labels, row.split("\t")[1:], strict=True):
        pos = row.index("\t", pos) + 1
        out.append(
            {
                "label": label,
                "start": base + pos,
                "end": base + pos + len(value),
                "text": value,
                "source": "human",
            }
        )
    return out


GOLD_A = {
    "doc_id": "a",
    "meta": {"report_year": 2020, "template": "2019"},
    "sections": {
        "overview": {"title": "一、总体情况"},
        "active_disclosure": {"title": "二、主动公开政府信息情况"},
        "requests": {"title": "三、收到和处理政府信息公开申请情况"},
        "review_litigation": None,
    },
    "active_disclosure": {"regulations": {"newly_made": 0, "newly_published": 5, "total_published": 0}},
    "claims": [
        _claim(TEXT_A, "全年主动公开政府信息86条", "active_disclosure_count", 86),
        _claim(TEXT_A, "工作动态12条", "active_disclosure_count", 12, breakdown="工作动态"),
        {
            "type": "request_count",
            "value": 0,
            "unit": None,
            "scope": "year",
            "breakdown": None,
            "text": "未收到政府信息公开申请",
        },
    ],
}
GOLD_B = {
    "doc_id": "b",
    "meta": {"report_year": 2021},
    "sections": {"overview": {"title": "一、总体情况"}},
    "requests": {"new_requests": {"total": 0}},
    "claims": [_claim(TEXT_B, "累计主动公开信息300条", "active_disclosure_count", 300, scope="cumulative")],
}
SPANS_A = [
    _at(TEXT_A, "2020", "YEAR"),
    _at(TEXT_A, "一、总体情况", "SEC_OVERVIEW"),
    _at(TEXT_A, "全年主动公开政府信息", "SUBJ_ACTIVE"),
    _at(TEXT_A, "86", "NUM"),
    _at(TEXT_A, "条", "UNIT", 0),
    _at(TEXT_A, "工作动态", "SUBJ_ACTIVE_PART"),
    _at(TEXT_A, "12", "NUM"),
    _at(TEXT_A, "条", "UNIT", 1),
    _at(TEXT_A, "二、主动公开政府信息情况", "SEC_ACTIVE"),
    _at(TEXT_A, "规章", "ROW"),
    *_cells("规章\t0\t5\t0", ("CELL_1", "CELL_2", "CELL_3")),
    _at(TEXT_A, "三、收到和处理政府信息公开申请情况", "SEC_REQUESTS"),
    _at(TEXT_A, "未收到政府信息公开申请", "SUBJ_REQUEST"),
]
# the "system": wrong newly_published (7, with provenance), requests section and request claim missed,
# one label error (NUM 86 cut short), CELL_2 span missing
PRED_A = {
    "doc_id": "a",
    "meta": {"organ": None, "report_year": 2020, "publish_date": None, "template": "2019"},
    "sections": {
        "overview": {"title": "一、总体情况", "start": TEXT_A.index("一、"), "end": TEXT_A.index("二、")},
        "active_disclosure": {
            "title": "二、主动公开政府信息",
            "start": TEXT_A.index("二、"),
            "end": TEXT_A.index("三、"),
        },
        "requests": None,
        "review_litigation": None,
    },
    "active_disclosure": {"regulations": {"newly_made": 0, "newly_published": 7, "total_published": 0}},
    "claims": [
        _claim(TEXT_A, "全年主动公开政府信息86条", "active_disclosure_count", 86),
        _claim(TEXT_A, "工作动态12条", "active_disclosure_count", 12, breakdown="工作动态"),
        {"type": "other_count", "value": 1, "text": "x", "start": 0, "end": 1},
    ],
    "checks": [
        {"rule": "requests.balance.total", "status": "pass", "detail": ""},
        {"rule": "requests.balance.natural_person", "status": "fail", "detail": ""},
        {"rule": "review_litigation.total.administrative_review", "status": "skipped", "detail": ""},
    ],
    "provenance": {
        "active_disclosure.regulations.newly_published": {
            "raw": "5",
            "start": TEXT_A.index("5"),
            "end": TEXT_A.index("5") + 1,
            "source": "rules",
            "confidence": 1.0,
        }
    },
}
PRED_SPANS_A = [s for s in SPANS_A if s["label"] not in ("CELL_2", "SUBJ_REQUEST", "NUM")] + [
    _at(TEXT_A, "8", "NUM"),
    _at(TEXT_A, "12", "NUM"),
]


def _write(d: Path, name: str, obj) -> None:
    d.mkdir(parents=True, exist_ok=True)
    data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    (d / name).write_text(data, encoding="utf-8")


def _flat(d, prefix=""):
    """Independent flattening: dotted path -> scalar, skipping '_' keys."""
    out = {}
    for k, v in (d or {}).items():
        if k.startswith("_"):
            continue
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _independent_fields(gold: dict, pred: dict | None) -> tuple[int, int]:
    ok = n = 0
    for part in ("meta", "active_disclosure", "requests", "review_litigation"):
        g, p = _flat(gold.get(part)), _flat((pred or {}).get(part))
        for k, v in g.items():
            if v is None:
                continue
            n += 1
            ok += pred is not None and k in p and p[k] is not None and p[k] == v
    for name, sec in (gold.get("sections") or {}).items():
        n += 1
        ok += pred is not None and ((pred.get("sections") or {}).get(name) is not None) == (sec is not None)
    return ok, n


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("eval")
    g, p, out = root / "gold", root / "pred", root / "report"
    _write(g, "a.json", GOLD_A)
    _write(g, "b.json", GOLD_B)
    _write(g, "a.spans.json", SPANS_A)
    _write(g, "a.txt", TEXT_A)
    _write(g, "b.txt", TEXT_B)
    _write(p, "a.json", PRED_A)
    _write(p, "a.spans.json", {"spans": PRED_SPANS_A})
    result = run_evaluation(out, gold_dirs=[g], pred_dir=p)
    return out, result


def test_metrics_json_matches_independent_counts(evaluated) -> None:
    out, result = evaluated
    on_disk = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(result, ensure_ascii=False))
    system = on_disk["systems"]["pred:pred"]
    ok_a, n_a = _independent_fields(GOLD_A, PRED_A)
    ok_b, n_b = _independent_fields(GOLD_B, None)
    assert (ok_a, n_a, ok_b, n_b) == (7, 9, 0, 3)
    assert system["counts"]["fields"] == n_a + n_b
    assert system["metrics"]["field_accuracy"] == pytest.approx((ok_a + ok_b) / (n_a + n_b))
    # claims: gold 3 + 1, predicted 2 (other_count filtered), matched 2
    assert system["metrics"]["claims_precision"] == 1.0
    assert system["metrics"]["claims_recall"] == pytest.approx(2 / 4)
    assert system["errors"] == {"b": "prediction file missing"}
    assert system["by_table"]["active_disclosure"] == {
        "correct": 2,
        "total": 3,
        "accuracy": pytest.approx(2 / 3),
    }
    assert system["by_column"]["active_disclosure.newly_published"]["correct"] == 0
    assert system["checks"]["requests.balance"] == {"pass": 1, "fail": 1, "skipped": 0, "pass_rate": 0.5}
    # baseline: all-zero cells, no meta/sections/claims
    base = on_disk["systems"]["all-zero"]
    zero_cells = sum(
        v == 0
        for g in (GOLD_A, GOLD_B)
        for t in ("active_disclosure", "requests")
        for v in _flat(g.get(t)).values()
    )
    assert (
        base["counts"]["fields_ok"] == zero_cells + 1
    )  # + review_litigation null in gold A, null in baseline
    assert base["metrics"]["claims_f1"] == 0.0


def test_seqeval_matches_exact_span_set_count(evaluated) -> None:
    _, result = evaluated
    seq = result["systems"]["pred:pred"]["seqeval"]
    key = lambda s: (s["label"], s["start"], s["end"])  # noqa: E731
    gold, pred = {key(s) for s in SPANS_A}, {key(s) for s in PRED_SPANS_A}
    tp = len(gold & pred)
    assert seq["docs"] == 1
    assert seq["micro"]["precision"] == pytest.approx(tp / len(pred))
    assert seq["micro"]["recall"] == pytest.approx(tp / len(gold))
    assert seq["labels"]["NUM"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert seq["labels"]["CELL_2"]["recall"] == 0.0 and seq["labels"]["YEAR"]["f1"] == 1.0
    labels, matrix = (
        result["systems"]["pred:pred"]["confusion"]["labels"],
        result["systems"]["pred:pred"]["confusion"]["matrix"],
    )
    assert sum(map(sum, matrix)) == len(TEXT_A)
    # the "6" of 86 is gold NUM, predicted O
    assert matrix[labels.index("NUM")][labels.index("O")] == 1
    assert result["systems"]["all-zero"]["seqeval"] is None


def test_html_is_self_contained_and_links_misses_to_highlighted_text(evaluated) -> None:
    out, result = evaluated
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 5
    assert not re.search(r"""(src|href)=["'](https?:|//|[^#"'d])""", page)  # nothing external
    doc_a = next(d for d in result["systems"]["pred:pred"]["docs"] if d["doc_id"] == "a")
    j = next(
        i
        for i, m in enumerate(doc_a["misses"])
        if m["path"] == "active_disclosure.regulations.newly_published"
    )
    # doc a is the worst-but-one document (b has every field wrong): find its anchor prefix
    prefix = re.search(r"<h3 id='(s\d+d\d)'>a:", page).group(1)
    assert f"href='#{prefix}-m{j}'" in page and f'id="{prefix}-m{j}"' in page
    after = page.split(f'id="{prefix}-m{j}"></a>', 1)[1]
    assert after.startswith('<mark title="active_disclosure.regulations.newly_published">5</mark>')
    # a wrong title links to the predicted heading as printed
    k = next(i for i, m in enumerate(doc_a["misses"]) if m["path"] == "sections.active_disclosure.title")
    assert page.split(f'id="{prefix}-m{k}"></a>', 1)[1].startswith(
        '<mark title="sections.active_disclosure.title">二、主动公开政府信息</mark>'
    )
    # the missed requests section has no offsets anywhere: listed without a link
    assert "no span" in page


def test_markdown_lists_systems_and_worst_documents(evaluated) -> None:
    out, _ = evaluated
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | pred:pred | all-zero |" in md
    assert "### b — 3/3 fields wrong" in md and "### a — 2/9 fields wrong" in md
    assert "`active_disclosure.regulations.newly_published` | 5 | 7 |" in md


def test_breakdowns_by_hand() -> None:
    s = score_pair(GOLD_A, PRED_A, doc_id="a")
    b = field_breakdown([s])
    assert b["by_table"]["sections"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert b["by_row"]["active_disclosure.regulations"]["total"] == 3
    assert b["by_table"]["meta"]["accuracy"] == 1.0
    lay = layout_errors([s], {"a": "tab-table"})
    assert lay == {
        "tab-table": {
            "docs": 1,
            "fields": 9,
            "errors": 2,
            "claim_errors": 1,
            "accuracy": pytest.approx(7 / 9),
        }
    }
    assert check_pass_rates([PRED_A, None])["review_litigation.total"]["pass_rate"] is None


def test_all_zero_baseline_is_a_valid_report_with_every_cell_zero() -> None:
    from gongkai.schema import Report

    base = all_zero_baseline("z")
    Report.model_validate({**base, "method": "rules"})
    cells = [
        v
        for t in ("active_disclosure", "requests", "review_litigation")
        for k, v in _flat(base[t]).items()
        if not k.endswith("amount_unit")
    ]
    assert cells and set(cells) == {0}
    assert base["claims"] == [] and all(v is None for v in base["sections"].values())


def test_annotation_records_from_studio_pull_give_gold_spans(tmp_path: Path) -> None:
    """`gongkai studio pull` writes OUT/gold/<id>.json beside OUT/records.jsonl: picked up by default."""
    from gongkai.errors import InputError
    from gongkai.evaluate.run import load_eval_docs

    pulled, p = tmp_path / "pulled", tmp_path / "pred"
    _write(pulled / "gold", "a.json", GOLD_A)
    record = {
        "doc_id": "a",
        "text": TEXT_A,
        "spans": [{k: s[k] for k in ("label", "start", "end", "text")} for s in SPANS_A],
    }
    _write(pulled, "records.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    _write(p, "a.json", PRED_A)
    _write(p, "a.spans.json", PRED_SPANS_A)
    docs = load_eval_docs(pulled / "gold")
    assert docs[0].text == TEXT_A and len(docs[0].gold_spans) == len(SPANS_A)
    assert {s.source for s in docs[0].gold_spans} == {"human"}
    result = run_evaluation(tmp_path / "out", gold_dirs=[pulled / "gold"], pred_dir=p)
    seq = result["systems"]["pred:pred"]["seqeval"]
    assert result["info"]["docs_with_gold_spans"] == 1 and seq["labels"]["NUM"]["f1"] == 0.5
    record["spans"][0]["text"] = "错"  # no longer the text at its offsets
    _write(pulled, "records.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    with pytest.raises(InputError, match=r"records.jsonl: line 1: bad annotation record"):
        load_eval_docs(pulled / "gold")


def test_unreadable_or_missing_documents_count_wrong_with_the_reason(tmp_path: Path) -> None:
    g, docs = tmp_path / "gold", tmp_path / "docs"
    _write(g, "c.json", {"meta": {"report_year": 2020}})
    _write(g, "d.json", {"meta": {"report_year": 2021}})
    _write(docs, "c.pdf", "这不是PDF文件")
    result = run_evaluation(tmp_path / "out", gold_dirs=[g], docs_dirs=[docs], methods=["rules"])
    rules = result["systems"]["rules"]
    assert rules["counts"]["fields"] == 2 and rules["counts"]["fields_ok"] == 0
    assert "c.pdf" in rules["errors"]["c"]
    assert rules["errors"]["d"] == f"no document d.* in {docs}"
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "- rules / c:" in md and "c.pdf" in md
