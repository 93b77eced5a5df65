"""Tiny-config training end to end through ``gongkai train``: generated data → train a few steps → save → reload with
from_pretrained (safetensors) → predict on Chinese text, every span checked against the text →
``extract --method model`` on a generated document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.model.config import load_config
from gongkai.model.slots import TYPE_VOCAB
from gongkai.model.train import TrainResult
from gongkai.spans import check_spans

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> TrainResult:
    """Train the tiny config through the real CLI on generated data (organs: train pool)."""
    from gongkai.cli import main

    out = tmp_path_factory.mktemp("model")
    assert main(["train", "--config", str(REPO / "training" / "tiny.json"), "-o", str(out)]) == 0
    info = json.loads((out / "training_metrics.json").read_text(encoding="utf-8"))
    return TrainResult(out, info)


def heldout_doc(seed: int):
    from gongkai.synth import generate

    return generate(1, seed, organ_pool="heldout", layout="tab")[0]


def test_saved_directory_has_safetensors_tokenizer_label_map_and_card(trained) -> None:
    out = trained.out_dir
    for name in ("config.json", "model.safetensors", "tokenizer.json", "labels.json", "README.md",
                 "training_metrics.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*.bin")), "weights must be safetensors only"
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert [cfg["id2label"][str(i)] for i in range(len(labels))] == labels
    # from scratch, the value-slot feature is on and survives the reload (inference reads it)
    assert cfg["gongkai_slots"] is True and cfg["type_vocab_size"] == TYPE_VOCAB
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "gongkai train --config" in card and "tiny.json" in card and "F1" in card
    assert trained.metrics["training"]["steps"] > 0
    # the ONNX export inference loads first was written from these weights
    pytest.importorskip("onnxruntime")
    from gongkai.model.infer import load_model

    assert trained.metrics["onnx"] == "model.onnx" and (out / "model.onnx").is_file()
    assert load_model(out, backend="onnx").backend == "onnx"


def test_tiny_model_learns_the_tiny_format(trained) -> None:
    # 120 steps of a 1-layer model on one layout: strict F1 on held-out towns clearly above an
    # untrained model (≈ 0); the shipped config is what reaches ≥ 0.99
    assert trained.metrics["heldout"]["f1"] > 0.1, trained.metrics["heldout"]
    assert trained.metrics["data"]["sources"] == {"synthetic": 12}


def test_reloaded_model_predicts_spans_that_match_the_text(trained) -> None:
    from transformers import AutoModelForTokenClassification

    from gongkai.model.infer import predict_spans

    model = AutoModelForTokenClassification.from_pretrained(str(trained.out_dir), use_safetensors=True)
    assert model.config.num_labels == len(json.loads((trained.out_dir / "labels.json").read_text()))
    doc = heldout_doc(77)
    text = "𠀀 " + doc.text.replace("\n", "\r\n")  # astral char first and CRLF: raw offsets ≠ normalised
    spans = predict_spans(text, trained.out_dir)
    assert len(spans) >= 10
    check_spans(text, spans)
    for s in spans:
        assert s.source == "model" and 0.0 <= s.score <= 1.0
        assert s.text == s.text.strip() and text[s.start:s.end] == s.text
    # the gold spans, moved to the modified text: predicted offsets must land exactly on them
    def moved(o: int) -> int:
        return 2 + o + doc.text.count("\n", 0, o)

    gold = {(g.label, moved(g.start), moved(g.end)) for g in doc.spans}
    hits = [s for s in spans if (s.label, s.start, s.end) in gold]
    # (the tiny model's precision is ~0.15; a shifted offset mapping would give ~0 exact hits)
    assert len(hits) >= max(10, len(spans) // 10), f"{len(hits)} of {len(spans)} predicted spans match gold"


def test_model_path_is_cached_in_process(trained) -> None:
    from gongkai.model.infer import load_model

    assert load_model(trained.out_dir) is load_model(str(trained.out_dir))


def test_extract_method_model_on_a_generated_document(trained, tmp_path: Path) -> None:
    from gongkai.pipeline import extract_text

    doc = heldout_doc(5)
    report = extract_text(doc.text, "gen", method="model", model_path=trained.out_dir)
    assert report.method == "model"
    sources = {p.source for p in report.provenance.values()}
    assert "model" in sources and "rules" not in sources
    read = [p for p in report.provenance.values() if p.source == "model"]
    assert len(read) >= 5
    for p in read:  # every value the model read points at its raw text in the document
        assert doc.text[p.start:p.end] == p.raw


def test_bad_config_names_the_file(tmp_path: Path) -> None:
    from gongkai.errors import ConfigError

    bad = tmp_path / "bad.json"
    bad.write_text('{"modle": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json.*unknown keys"):
        load_config(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json.*not valid JSON"):
        load_config(bad)


def test_extract_cli_method_model_writes_a_model_report(trained, tmp_path: Path) -> None:
    from gongkai.cli import main

    doc = heldout_doc(9)
    src = tmp_path / "gen9.txt"
    src.write_text(doc.text, encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["extract", str(src), "-o", str(out), "--method", "model", "--model", str(trained.out_dir),
               "--no-progress"])
    assert rc == 0
    report = json.loads((out / "gen9.json").read_text(encoding="utf-8"))
    assert report["method"] == "model" and report["doc_id"] == "gen9"
    assert {p["source"] for p in report["provenance"].values()} <= {"model", "derived"}


def test_fine_tune_from_a_local_checkpoint_reuses_its_tokenizer_and_adds_label_studio_data(
    trained, tmp_path: Path
) -> None:
    from gongkai.cli import main

    cfg = json.loads((REPO / "training" / "tiny.json").read_text(encoding="utf-8"))
    cfg["data"] = {"synth": {"n": 2, "seed": 3, "layout": "tab"}, "heldout": {"n": 1, "seed": 4, "layout": "tab"}}
    cfg["train"]["max_steps"] = 5
    (tmp_path / "ft.json").write_text(json.dumps(cfg), encoding="utf-8")
    text = "本年度共收到政府信息公开申请12件。"
    export = tmp_path / "ls.jsonl"
    export.write_text(json.dumps({"text": text, "spans": [{"label": "SUBJ_REQUEST", "start": 3, "end": 14},
                                                          {"label": "NUM", "start": 14, "end": 16}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "ft"
    rc = main(["train", "--config", str(tmp_path / "ft.json"), "--base-model", str(trained.out_dir),
               "--data", str(export), "-o", str(out)])
    assert rc == 0
    info = json.loads((out / "training_metrics.json").read_text(encoding="utf-8"))
    assert info["tokenizer"] == "base" and info["base_model"] == str(trained.out_dir)
    assert info["data"]["sources"] == {"synthetic": 2, "label_studio:ls.jsonl": 1}
    base_vocab = json.loads((trained.out_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    new_vocab = json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    assert base_vocab == new_vocab
    assert "--base-model" in (out / "README.md").read_text(encoding="utf-8")


def test_train_cli_rejects_a_base_model_that_is_not_a_model(tmp_path: Path, capsys) -> None:
    from gongkai.cli import main

    rc = main(["train", "--config", str(REPO / "training" / "tiny.json"), "--base-model", str(tmp_path),
               "-o", str(tmp_path / "o")])
    assert rc == 2 and "not a model directory" in capsys.readouterr().err


def test_precision_setting_resolves_from_the_cpu_flags(tmp_path: Path) -> None:
    from gongkai.errors import ConfigError
    from gongkai.model.config import use_bf16

    amx = tmp_path / "amx"
    amx.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 amx_bf16 amx_tile\n", encoding="ascii")
    plain = tmp_path / "plain"
    plain.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f\n", encoding="ascii")
    assert use_bf16("auto", amx) and not use_bf16("auto", plain)
    assert not use_bf16("auto", tmp_path / "missing")
    assert use_bf16("bf16", plain) and not use_bf16("fp32", amx) and not use_bf16(None, amx)
    with pytest.raises(ConfigError, match="precision"):
        use_bf16("fp8", amx)


def test_bf16_fine_tune_saves_fp32_weights_that_reload_and_predict(trained, tmp_path: Path) -> None:
    """bf16 autocast is a training speed setting only: the saved model is fp32 and reads as before."""
    from safetensors import safe_open

    from gongkai.cli import main
    from gongkai.model.config import bf16_native
    from gongkai.model.infer import predict_spans

    if not bf16_native():
        pytest.skip("this CPU has no native bf16 (AMX / AVX-512 BF16): autocast would be emulated")
    cfg = json.loads((REPO / "training" / "tiny.json").read_text(encoding="utf-8"))
    cfg["data"] = {"synth": {"n": 4, "seed": 5, "layout": "tab"}, "heldout": {"n": 1, "seed": 6, "layout": "tab"}}
    cfg["train"].update(max_steps=10, precision="auto")
    (tmp_path / "bf16.json").write_text(json.dumps(cfg), encoding="utf-8")
    out = tmp_path / "bf16"
    assert main(["train", "--config", str(tmp_path / "bf16.json"), "--base-model", str(trained.out_dir),
                 "-o", str(out)]) == 0
    info = json.loads((out / "training_metrics.json").read_text(encoding="utf-8"))
    assert info["precision"] == "bf16 autocast"
    with safe_open(str(out / "model.safetensors"), framework="pt") as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys()} == {"torch.float32"}
    doc = heldout_doc(8)
    spans = predict_spans(doc.text, out)
    check_spans(doc.text, spans)
    assert len(spans) >= 10
