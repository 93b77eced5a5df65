"""The ONNX Runtime path (``model.onnx``, no torch import) predicts what the torch reference predicts.

The shipped model's export must be current (made from the shipped safetensors) and give the same
spans as torch on the real corpus and on generated reports; an export of a freshly built model
reproduces it; a stale export is not used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.errors import ConfigError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("onnxruntime")


def _shipped():
    from gongkai.settings import default_model_dir, model_available

    path = default_model_dir()
    if not model_available(path):
        pytest.skip("no shipped model")
    return path


def _corpus_texts() -> list[tuple[str, str]]:
    from gongkai.readers import read_document
    from gongkai.settings import corpus_dir

    root = corpus_dir()
    files = sorted((root / "seeds").glob("*.txt")) + sorted((root / "dev" / "docs").glob("*.txt"))
    if not files:
        pytest.skip(f"no corpus at {root}")
    return [(f.stem, read_document(f)) for f in files]


def _spans(text: str, path: Path, backend: str) -> list[tuple[str, int, int, float]]:
    from gongkai.model.infer import load_model, predict_spans

    assert load_model(path, backend=backend).backend == backend
    os.environ["GONGKAI_BACKEND"] = backend
    try:
        return [(s.label, s.start, s.end, s.score) for s in predict_spans(text, path)]
    finally:
        del os.environ["GONGKAI_BACKEND"]


def _assert_same(a: list, b: list, what: str) -> None:
    assert [x[:3] for x in a] == [x[:3] for x in b], what
    assert all(abs(x[3] - y[3]) < 1e-4 for x, y in zip(a, b, strict=True)), what


def test_shipped_export_is_current() -> None:
    from gongkai.model.infer import OnnxModel
    from gongkai.model.onnx_export import ONNX_FILE, weights_sha256

    path = _shipped()
    assert (path / ONNX_FILE).is_file(), f"run `gongkai export-onnx {path}`"
    assert OnnxModel(path / ONNX_FILE, 1).weights_sha256 == weights_sha256(path), \
        f"{path / ONNX_FILE} is stale: run `gongkai export-onnx {path}`"


def test_onnx_spans_equal_torch_spans_on_the_corpus_and_generated_reports() -> None:
    from gongkai.synth import generate

    path = _shipped()
    docs = _corpus_texts() + [(d.doc_id, d.text) for d in generate(6, 2024, organ_pool="heldout")]
    # one long document (many windows, batches of different widths)
    docs.append(("long", "\n".join(t for _, t in docs[:12])))
    labelled = 0
    for doc_id, text in docs:
        fast, ref = _spans(text, path, "onnx"), _spans(text, path, "torch")
        _assert_same(fast, ref, doc_id)
        labelled += bool(fast)
    assert labelled >= len(docs) - 2  # the model labels real reports, so the comparison means something


def _tiny_model(out: Path, seed: int) -> None:
    """A small random RoFormer saved like `gongkai train` saves one (config, weights, tokenizer)."""
    import torch
    from transformers import RoFormerConfig, RoFormerForTokenClassification

    from gongkai.model.slots import TYPE_VOCAB
    from gongkai.model.tags import ID2TAG
    from gongkai.model.tokenizer import build_vocab, make_tokenizer

    tok = make_tokenizer(build_vocab(["一、总体情况\n本年度共收到申请12件，办结10件。\t|"]))
    torch.manual_seed(seed)
    cfg = RoFormerConfig(vocab_size=len(tok), hidden_size=32, embedding_size=32, num_hidden_layers=2,
                         num_attention_heads=2, intermediate_size=64, max_position_embeddings=64,
                         type_vocab_size=TYPE_VOCAB, id2label=dict(ID2TAG),
                         label2id={v: k for k, v in ID2TAG.items()}, pad_token_id=0)
    cfg.gongkai_slots = True
    cfg.gongkai_window, cfg.gongkai_overlap = 64, 16
    model = RoFormerForTokenClassification(cfg).eval()
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))


def test_export_reproduces_a_new_model_and_a_stale_export_is_not_used(tmp_path: Path, capsys) -> None:
    from gongkai.model.infer import load_model, predict_tags
    from gongkai.model.onnx_export import export_onnx

    d = tmp_path / "m"
    _tiny_model(d, seed=1)
    assert load_model(d, backend="auto").backend == "torch"  # no export yet: the reference path
    export_onnx(d)
    text = "一、总体情况\n本年度共收到申请12件，办结10件。\n" * 9 + "新字符ＸＹ\t5|6"  # 3+ windows, unknown characters
    fast, ref = load_model(d, backend="onnx"), load_model(d, backend="torch")
    tf, pf = predict_tags(fast, text)
    tr, pr = predict_tags(ref, text)
    assert tf == tr and len(tf) == len(text)
    assert max(abs(a - b) for a, b in zip(pf, pr, strict=True)) < 1e-4

    retrained = tmp_path / "m2"  # new weights beside the old export
    _tiny_model(retrained, seed=2)
    (retrained / "model.onnx").write_bytes((d / "model.onnx").read_bytes())
    assert load_model(retrained, backend="auto").backend == "torch"
    assert "gongkai export-onnx" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="export-onnx"):
        load_model(retrained, backend="onnx")

    older = tmp_path / "m4"  # an export of the older form (arg-max tag + prob): refused, torch used
    import onnx

    _tiny_model(older, seed=1)
    proto = onnx.load(str(d / "model.onnx"))
    for node in proto.graph.node:
        node.output[:] = ["prob" if o == "logp" else o for o in node.output]
    for out in proto.graph.output:
        if out.name == "logp":
            out.name = "prob"
    onnx.save(proto, str(older / "model.onnx"))
    assert load_model(older, backend="auto").backend == "torch"
    err = capsys.readouterr().err
    assert "older export" in err and "gongkai export-onnx" in err

    broken = tmp_path / "m3"  # a truncated export: named on stderr, torch used
    _tiny_model(broken, seed=3)
    (broken / "model.onnx").write_bytes((d / "model.onnx").read_bytes()[:5000])
    assert load_model(broken, backend="auto").backend == "torch"
    err = capsys.readouterr().err
    assert str(broken / "model.onnx") in err and "cannot be loaded" in err


def test_extract_with_the_export_never_imports_torch(tmp_path: Path) -> None:
    path = _shipped()
    doc = tmp_path / "报告.txt"
    doc.write_text("某某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度共收到申请12件。\n", encoding="utf-8")
    code = ("import sys, json; from gongkai.cli import main; rc = main(sys.argv[1:]);"
            "print(json.dumps([rc, 'torch' in sys.modules, 'transformers' in sys.modules]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGKAI_MODEL": str(path)}
    env.pop("GONGKAI_BACKEND", None)
    r = subprocess.run([sys.executable, "-c", code, "extract", str(doc), "-o", str(tmp_path / "out"),
                        "--method", "auto", "--no-progress"], capture_output=True, text=True, env=env, check=False)
    rc, torch_loaded, transformers_loaded = json.loads(r.stdout.strip().splitlines()[-1])
    assert rc == 0, r.stderr
    assert not torch_loaded and not transformers_loaded
    report = json.loads((tmp_path / "out" / "报告.json").read_text(encoding="utf-8"))
    assert report["method"] == "model+rules"


def test_backend_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.model.infer import backend_setting

    monkeypatch.setenv("GONGKAI_BACKEND", "gpu")
    with pytest.raises(ConfigError, match="GONGKAI_BACKEND"):
        backend_setting()
    monkeypatch.setenv("GONGKAI_BACKEND", "ONNX")
    assert backend_setting() == "onnx"


def test_char_table_encodes_like_the_tokenizer_pipeline() -> None:
    from tokenizers import Tokenizer

    from gongkai.model.tokenizer import CharTable, encode
    from gongkai.normalise import normalise

    path = _shipped()
    table = CharTable.from_file(path / "tokenizer.json")
    assert table is not None  # the shipped tokenizer is ours, so the ONNX path uses the table
    full = Tokenizer.from_file(str(path / "tokenizer.json"))
    odd = "表\t1\r\n2\u3000\xa0\f\v 𠀀\u2028\x85\u200b␉␤ＡＢ①"  # layout, astral, separators, look-alikes
    texts = [t for _, t in _corpus_texts()] + [odd]
    for text in texts + [normalise(t).text for t in texts]:
        assert encode(table, text) == full.encode(text, add_special_tokens=False).ids
    assert CharTable.from_file(path / "config.json") is None  # not a tokenizer file: the full pipeline


def test_a_resumed_batch_with_nothing_to_do_never_loads_the_model(tmp_path: Path) -> None:
    from gongkai.synth import generate

    path = _shipped()
    src = tmp_path / "报告"
    src.mkdir()
    for d in generate(2, 31):
        (src / f"{d.doc_id}.txt").write_text(d.text, encoding="utf-8")
    code = ("import sys, json; from gongkai.cli import main; rc = main(sys.argv[1:]);"
            "print(json.dumps([rc, 'onnxruntime' in sys.modules, 'torch' in sys.modules]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGKAI_MODEL": str(path)}
    env.pop("GONGKAI_BACKEND", None)
    runs = []
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", code, "extract", str(src), "-o", str(tmp_path / "out"),
                            "--method", "auto", "--no-progress"], capture_output=True, text=True, env=env, check=False)
        runs.append((json.loads(r.stdout.strip().splitlines()[-1]), r.stdout))
    (rc1, _, _), first = runs[0]
    (rc2, ort2, torch2), second = runs[1]
    assert rc1 == 0 and "done 2, skipped 0" in first  # the model ran in the isolated workers
    assert rc2 == 0 and "done 0, skipped 2" in second
    assert not ort2 and not torch2  # nothing to do: no model loaded
