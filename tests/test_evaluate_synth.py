"""End to end on generated documents (held-out organs): a prediction folder is made from the gold by
known corruptions, `gongkai evaluate` runs through the real CLI, and the report's numbers are checked
against counts of those corruptions made here."""

from __future__ import annotations

import copy
import json

import pytest

from gongkai.cli import main
from gongkai.synth import generate, write_docs

N = 6
TABLES = ("active_disclosure", "requests", "review_litigation")


def _cells(gold: dict) -> list[tuple[str, str, str]]:
    """(table, row, col) of every non-null gold cell, amount_unit excluded."""
    return [
        (t, r, c)
        for t in TABLES
        for r, cols in (gold.get(t) or {}).items()
        if isinstance(cols, dict)
        for c, v in cols.items()
        if c != "amount_unit" and not c.startswith("_") and isinstance(v, int | float)
    ]


def _n_fields(gold: dict) -> int:
    meta = sum(v is not None for k, v in (gold.get("meta") or {}).items())
    units = sum(
        1
        for t in TABLES
        for cols in (gold.get(t) or {}).values()
        if isinstance(cols, dict) and cols.get("amount_unit") is not None
    )
    return meta + len(_cells(gold)) + units + len(gold.get("sections") or {})


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth_eval")
    gold_dir, pred_dir = root / "gold", root / "pred"
    docs = generate(N, seed=21, organ_pool="heldout")
    write_docs(docs, gold_dir)
    pred_dir.mkdir()
    expected = {
        "wrong_cells": 0,
        "fields": 0,
        "dropped_claims": 0,
        "gold_claims": 0,
        "dropped_spans": {},
        "layout_wrong": {},
    }
    for i, d in enumerate(docs):
        expected["fields"] += _n_fields(d.gold)
        scored = [c for c in d.gold["claims"] if c["type"] in ("active_disclosure_count", "request_count")]
        expected["gold_claims"] += len(scored)
        if i == N - 1:  # no prediction at all: every field wrong, every claim missed
            expected["wrong_cells"] += _n_fields(d.gold)
            expected["dropped_claims"] += len(scored)
            expected["layout_wrong"][d.layout] = expected["layout_wrong"].get(d.layout, 0) + _n_fields(d.gold)
            continue
        pred = copy.deepcopy(d.gold)
        cells = _cells(pred)
        k = min(len(cells), i + 1)  # corrupt i+1 cells of document i
        for t, r, c in cells[:k]:
            pred[t][r][c] += 1
        expected["wrong_cells"] += k
        expected["layout_wrong"][d.layout] = expected["layout_wrong"].get(d.layout, 0) + k
        if i % 2 == 0 and scored:  # drop the first scored claim of every other document
            pred["claims"].remove(scored[0])
            expected["dropped_claims"] += 1
        (pred_dir / f"{d.doc_id}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
        # predicted spans: the gold spans without every NUM of this document
        kept = [s for s in d.spans if s.label != "NUM"]
        n_num = len(d.spans) - len(kept)
        expected["dropped_spans"]["NUM"] = expected["dropped_spans"].get("NUM", 0) + n_num
        (pred_dir / f"{d.doc_id}.spans.json").write_text(
            json.dumps([s.to_dict() for s in kept], ensure_ascii=False), encoding="utf-8"
        )
    return root, docs, expected


def test_report_numbers_equal_counts_of_the_corruptions(generated, capsys) -> None:
    root, docs, exp = generated
    out = root / "report"
    rc = main(["evaluate", "--gold", str(root / "gold"), "--pred", str(root / "pred"), "-o", str(out)])
    assert rc == 0
    assert "6 documents" in capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    sysm = metrics["systems"]["pred:pred"]
    assert sysm["counts"]["fields"] == exp["fields"]
    assert sysm["counts"]["fields"] - sysm["counts"]["fields_ok"] == exp["wrong_cells"]
    assert sysm["metrics"]["field_accuracy"] == pytest.approx(1 - exp["wrong_cells"] / exp["fields"])
    assert sysm["counts"]["claims_gold"] == exp["gold_claims"]
    assert sysm["metrics"]["claims_precision"] == 1.0
    assert sysm["metrics"]["claims_recall"] == pytest.approx(1 - exp["dropped_claims"] / exp["gold_claims"])
    for layout, wrong in exp["layout_wrong"].items():
        assert sysm["layouts"][layout]["errors"] == wrong
    # spans: 5 documents have predicted spans; NUM all dropped there, every other label exact
    seq = sysm["seqeval"]
    assert seq["docs"] == N - 1 and seq["labels"]["NUM"]["recall"] == 0.0
    assert seq["labels"]["NUM"]["support"] == exp["dropped_spans"]["NUM"]
    assert all(v["f1"] == 1.0 for k, v in seq["labels"].items() if k != "NUM")
    # report files exist and name the layouts and the worst document (the one with no prediction)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"### {docs[-1].doc_id} — {_n_fields(docs[-1].gold)}/{_n_fields(docs[-1].gold)} fields wrong" in md
    assert all(layout in md for layout in exp["layout_wrong"])
    assert "data:image/png;base64," in (out / "report.html").read_text(encoding="utf-8")


def test_split_and_fold_restrict_to_held_out_towns(generated, tmp_path, capsys) -> None:
    root, docs, _ = generated
    split = tmp_path / "split.json"
    assert main(["evaluate", "--gold", str(root / "gold"), "--make-split", str(split), "--folds", "2"]) == 0
    data = json.loads(split.read_text(encoding="utf-8"))
    test0 = data["folds"][0]["test"]
    assert 0 < len(test0) < N
    out = tmp_path / "fold0"
    assert (
        main(
            [
                "evaluate",
                "--gold",
                str(root / "gold"),
                "--pred",
                str(root / "pred"),
                "-o",
                str(out),
                "--split",
                str(split),
                "--fold",
                "0",
            ]
        )
        == 0
    )
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert sorted(d["doc_id"] for d in metrics["systems"]["pred:pred"]["docs"]) == sorted(test0)
    assert metrics["info"]["split"]["fold"] == 0
    capsys.readouterr()
    assert (
        main(
            [
                "evaluate",
                "--gold",
                str(root / "gold"),
                "--pred",
                str(root / "pred"),
                "-o",
                str(out),
                "--split",
                str(split),
                "--fold",
                "5",
            ]
        )
        == 2
    )
    assert "out of range" in capsys.readouterr().err


def test_rules_on_generated_docs_beats_the_all_zero_baseline(tmp_path) -> None:
    from gongkai.evaluate.run import run_evaluation

    result = run_evaluation(tmp_path / "r", methods=["rules"], synth=(4, 5))
    rules, base = result["systems"]["rules"], result["systems"]["all-zero"]
    assert result["info"]["docs_with_gold_spans"] == 4 and rules["seqeval"] is not None
    assert rules["metrics"]["field_accuracy"] > base["metrics"]["field_accuracy"]
    assert rules["counts"]["nonzero_gold"] > 0 and base["metrics"]["nonzero_cell_recall"] == 0.0
    assert rules["metrics"]["nonzero_cell_recall"] > 0.5


def test_split_without_fold_cross_validates_every_fold(generated, tmp_path) -> None:
    root, docs, _ = generated
    split = tmp_path / "split.json"
    assert main(["evaluate", "--gold", str(root / "gold"), "--make-split", str(split), "--folds", "2"]) == 0
    out = tmp_path / "cv"
    rc = main(
        [
            "evaluate",
            "--gold",
            str(root / "gold"),
            "--pred",
            str(root / "pred"),
            "-o",
            str(out),
            "--split",
            str(split),
        ]
    )
    assert rc == 0
    summary = json.loads((out / "folds.json").read_text(encoding="utf-8"))
    assert summary["k"] == 2 and sum(summary["docs"]) == N
    per_fold = [
        json.loads((out / f"fold-{k}" / "metrics.json").read_text(encoding="utf-8"))["systems"]["pred:pred"]
        for k in range(2)
    ]
    fa = summary["systems"]["pred:pred"]["field_accuracy"]
    assert fa["per_fold"] == [p["metrics"]["field_accuracy"] for p in per_fold]
    assert fa["mean"] == pytest.approx(sum(fa["per_fold"]) / 2)
    tested = sorted(d["doc_id"] for p in per_fold for d in p["docs"])
    assert tested == sorted(d.doc_id for d in docs)  # every document held out exactly once
    assert "| pred:pred | field_accuracy |" in (out / "folds.md").read_text(encoding="utf-8")
