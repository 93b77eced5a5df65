"""The model path through a batch: a real tiny model trained here, saved and reloaded from
safetensors by every worker (once each), gives the same outputs with 1 and 2 workers, and
``auto`` uses it when one is configured. Quality is not the point (a few steps only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_batch_e2e import outputs, read_jsonl, run_extract, write_good

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    from gongkai.model.config import load_config
    from gongkai.model.train import train

    cfg = load_config(REPO / "training" / "tiny.json")
    cfg.synth["n"], cfg.heldout["n"] = 4, 1
    cfg.train.update(max_steps=15, epochs=5, logging_steps=1000)
    out = tmp_path_factory.mktemp("tiny-model")
    train(cfg, out)
    assert (out / "model.safetensors").is_file() and (out / "config.json").is_file()
    return out


@pytest.mark.slow
def test_model_batch_same_with_one_and_two_workers(tiny_model: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    good = write_good(src, n=3, seed=41)
    (src / "空白.txt").write_bytes(b"")
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_extract(str(src), "-o", str(one), "--method", "model", "--model", str(tiny_model),
                       "--format", "jsonl", "--no-progress") == 1
    assert run_extract(str(src), "-o", str(two), "--method", "model", "--model", str(tiny_model),
                       "--workers", "2", "--format", "jsonl", "--no-progress") == 1
    assert outputs(two) == outputs(one)
    assert read_jsonl(two / "errors.jsonl") == read_jsonl(one / "errors.jsonl")
    done = [d for d in good if (two / f"{d}.json").is_file()]
    for doc_id in done:
        data = json.loads((two / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert data["method"] in ("model", "model+rules")
    # a few training steps may find nothing in a report: that is recorded, not written
    errors = {Path(e["file"]).stem: e for e in read_jsonl(two / "errors.jsonl")}
    assert set(errors) == {"空白"} | (set(good) - set(done))
    for doc_id in set(good) - set(done):
        assert errors[doc_id]["message"].startswith("nothing extracted"), errors[doc_id]


@pytest.mark.slow
def test_auto_uses_a_configured_model(tiny_model: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_MODEL", str(tiny_model))
    src = tmp_path / "in"
    good = write_good(src, n=1, seed=43)
    assert run_extract(str(src), "-o", str(tmp_path / "out"), "--no-progress") == 0
    (doc_id,) = good
    data = json.loads((tmp_path / "out" / f"{doc_id}.json").read_text(encoding="utf-8"))
    assert data["method"] in ("model", "model+rules")
