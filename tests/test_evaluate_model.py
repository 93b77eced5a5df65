"""Model, rules, auto and the all-zero baseline side by side: a tiny model is trained here for a few
steps (real HF model saved as safetensors and reloaded), then `gongkai evaluate --method all` runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.model.config import load_config

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_method_all_puts_model_rules_auto_and_baseline_side_by_side(tmp_path: Path) -> None:
    from gongkai.cli import main
    from gongkai.model.infer import extract_with_model
    from gongkai.model.train import train
    from gongkai.scoring import score_pair
    from gongkai.synth import generate

    cfg = load_config(REPO / "training" / "tiny.json")
    cfg.synth = {**cfg.synth, "n": 4}
    cfg.heldout = {**cfg.heldout, "n": 1}
    cfg.train = {**cfg.train, "max_steps": 8, "logging_steps": 100}
    model_dir = tmp_path / "model"
    train(cfg, model_dir)

    out = tmp_path / "report"
    rc = main(
        [
            "evaluate",
            "--synth",
            "2",
            "--seed",
            "31",
            "--method",
            "all",
            "--model",
            str(model_dir),
            "-o",
            str(out),
        ]
    )
    assert rc == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert list(metrics["systems"]) == ["rules", "model", "auto", "all-zero"]
    systems = metrics["systems"]
    assert systems["model"]["seqeval"] is not None and systems["rules"]["seqeval"] is not None
    assert systems["auto"]["seqeval"] is None and systems["all-zero"]["seqeval"] is None
    # the model's numbers are those of scoring its own extraction of the same documents
    docs = generate(2, 31, organ_pool="heldout")
    ok = n = 0
    for d in docs:
        s = score_pair(d.gold, extract_with_model(d.text, d.doc_id, "model", model_dir).to_json_dict())
        ok, n = ok + s.counts.fields_ok, n + s.counts.fields
    assert systems["model"]["counts"]["fields"] == n and systems["model"]["counts"]["fields_ok"] == ok
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | rules | model | auto | all-zero |" in md
