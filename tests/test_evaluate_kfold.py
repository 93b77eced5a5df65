"""Leave-documents-out k-fold on a small real subset, end to end through ``gongkai evaluate --folds``:
per-fold fine-tune from the shipped model on the committed annotation store (the fold's test documents
left out), auto's tie-breaks chosen on the training fold, leave-out beside in-sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.evaluate.kfold import doc_folds, param_grid, rules_fitted
from gongkai.model.fallback import DEFAULT_PARAMS
from gongkai.scoring import load_json, score_pair
from gongkai.settings import REPO_ROOT, model_available

DOCS = ("002", "004", "006", "012")


def test_doc_folds_deterministic_and_balanced() -> None:
    ids = [f"{i:03d}" for i in range(11)]
    a = doc_folds(ids, 3, seed=1)
    assert a == doc_folds(list(reversed(ids)), 3, seed=1)
    sizes = sorted(list(a.values()).count(f) for f in range(3))
    assert sizes == [3, 4, 4]
    assert doc_folds(ids, 3, seed=2) != a
    with pytest.raises(ValueError):
        doc_folds(ids[:2], 3)


def test_grid_starts_with_the_defaults() -> None:
    grid = param_grid()
    assert grid[0] == DEFAULT_PARAMS and len(set(grid)) == len(grid) > 20
    assert rules_fitted("042") and rules_fitted("000_0d3eb2c614f7bcae") and rules_fitted("104")
    assert not rules_fitted("301") and not rules_fitted("某镇2024年报")  # documents added later are unseen


@pytest.mark.skipif(not model_available(REPO_ROOT / "models" / "synth"), reason="no synthetic-only base model")
def test_leave_out_kfold_on_a_real_subset(corpus: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for d in DOCS:
        shutil.copy(corpus / "dev/gold" / f"{d}.json", gold)
    ft = json.loads((REPO_ROOT / "training/finetune_real.json").read_text(encoding="utf-8"))
    ft["data"]["synth"]["n"] = 4
    ft["data"]["heldout"]["n"] = 2
    ft["train"].update({"max_steps": 6, "batch_size": 8, "max_minutes": 1})
    (tmp_path / "ft.json").write_text(json.dumps(ft), encoding="utf-8")
    out = tmp_path / "out"
    # the base is the synthetic-only stage: the shipped model saw every annotated real document
    rc = main(["evaluate", "--gold", str(gold), "--docs", str(corpus / "dev/docs"), "--folds", "2",
               "--method", "all", "--finetune-config", str(tmp_path / "ft.json"), "-o", str(out),
               "--model", str(REPO_ROOT / "models" / "synth")])
    assert rc == 0
    s = json.loads((out / "kfold.json").read_text(encoding="utf-8"))
    tests = [set(f["test"]) for f in s["folds"]]
    assert len(tests) == 2 and tests[0] | tests[1] == set(DOCS) and not tests[0] & tests[1]
    for f in s["folds"]:
        # the honest part: no document of the fold's test set was in its fine-tune
        seen = set(f["train"]["sources"]["real_annotated_ids"])
        assert seen and not seen & set(f["test"]), f
        assert f["auto_params_chosen"] is not None
        assert (Path(f["model"]) / "model.safetensors").is_file()
    rows = s["all_docs"]
    for name in ("model-finetuned", "auto-finetuned", "auto-finetuned-tuned"):
        assert rows[name]["leave_out"]["field_accuracy"] is not None and rows[name]["in_sample"] is not None
    assert "in_sample" not in rows["rules"]
    # the rules were written on these documents: labelled in-sample, and they read them whole
    assert s["rules_fitted_docs"] == sorted(DOCS) and s["docs_rules_not_written_on"] is None
    assert rows["rules"]["leave_out"]["field_accuracy"] == 1.0
    # leave-out predictions on disk score as the summary says
    for d in DOCS:
        pred = load_json(out / "leave-out" / "auto-finetuned-tuned" / f"{d}.json")
        assert score_pair(load_json(gold / f"{d}.json"), pred).doc_id == d
    md = (out / "kfold.md").read_text(encoding="utf-8")
    assert "leave-out" in md and "in-sample" in md and "auto params chosen" in md
    # a model trained on some of these documents, evaluated as given: those documents are in-sample
    fold0 = s["folds"][0]
    out2 = tmp_path / "out2"
    rc = main(["evaluate", "--gold", str(gold), "--docs", str(corpus / "dev/docs"), "--folds", "2",
               "--method", "model", "--model", fold0["model"], "--no-finetune", "-o", str(out2)])
    assert rc == 0
    s2 = json.loads((out2 / "kfold.json").read_text(encoding="utf-8"))
    seen = sorted(set(fold0["train"]["sources"]["real_annotated_ids"]) & set(DOCS))
    assert s2["shipped_model_trained_on"] == seen and s2["folds"] == []
    row = s2["all_docs"]["model-shipped"]
    assert row["docs"] == len(DOCS) - len(seen) and row["in_sample"] is not None
