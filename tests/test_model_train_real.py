"""Training reads the real-document annotation store: text from the corpus (hash checked), mixed with
generated reports, through ``gongkai train`` with the tiny config; ``--data`` keeps working beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.annotations.importer import import_records
from gongkai.cli import main
from gongkai.errors import ConfigError, InputError
from gongkai.model.config import load_config
from gongkai.model.data import real_docs
from gongkai.readers import read_document
from gongkai.rules import label_spans
from gongkai.studio.convert import Record, text_hash, write_records

REPO = Path(__file__).resolve().parent.parent


def make_store(corpus: Path, tmp: Path, ids=("002", "006")) -> Path:
    recs = []
    for d in ids:
        text = read_document(corpus / "dev/docs" / f"{d}.txt")
        recs.append(Record(d, text, label_spans(text), None, sha256=text_hash(text)))
    write_records(tmp / "records.jsonl", recs)
    import_records(tmp / "records.jsonl", "dev", "tester", out_dir=tmp / "store", root=corpus)
    return tmp / "store"


def tiny_config(tmp: Path, real: dict) -> Path:
    cfg = json.loads((REPO / "training" / "tiny.json").read_text(encoding="utf-8"))
    cfg["data"]["real"] = real
    cfg["train"]["max_steps"] = 25
    p = tmp / "tiny-real.json"
    p.write_text(json.dumps(cfg), encoding="utf-8")
    return p


def test_real_docs_select_and_check(corpus: Path, tmp_path: Path) -> None:
    store = make_store(corpus, tmp_path)
    docs = real_docs(store, root=corpus)
    assert [d.doc_id for d in docs] == ["002", "006"]
    for d in docs:
        assert d.text == read_document(corpus / "dev/docs" / f"{d.doc_id}.txt")
        assert all(d.text[s.start:s.end] == s.text for s in d.spans) and d.spans
    assert [d.doc_id for d in real_docs(store, exclude=["dev/002"], root=corpus)] == ["006"]
    assert [d.doc_id for d in real_docs(store, include=["002"], root=corpus)] == ["002"]
    # a store file whose document changed refuses training data, naming the file
    other = tmp_path / "corpus"
    (other / "dev/docs").mkdir(parents=True)
    for d in ("002", "006"):
        (other / "dev/docs" / f"{d}.txt").write_bytes((corpus / "dev/docs" / f"{d}.txt").read_bytes())
    (other / "dev/docs/006.txt").write_text("二、" + read_document(corpus / "dev/docs/006.txt"), encoding="utf-8")
    with pytest.raises(InputError, match="006.json.*has changed"):
        real_docs(store, root=other)


def test_config_real_block_checked(tmp_path: Path) -> None:
    p = tiny_config(tmp_path, {"dir": "x", "repeat": 0})
    with pytest.raises(ConfigError, match="repeat"):
        load_config(p)
    p = tiny_config(tmp_path, {"dir": "x", "exlude_docs": []})
    with pytest.raises(ConfigError, match="exlude_docs"):
        load_config(p)


def test_train_mixes_store_with_generated(corpus: Path, tmp_path: Path) -> None:
    store = make_store(corpus, tmp_path)
    cfg = tiny_config(tmp_path, {"dir": str(store), "repeat": 2, "exclude_docs": ["006"], "corpus": str(corpus)})
    invented = "某镇人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息 35 条。\n"
    write_records(tmp_path / "extra.jsonl", [Record("inv", invented, label_spans(invented))])
    out = tmp_path / "model"
    assert main(["train", "--config", str(cfg), "--data", str(tmp_path / "extra.jsonl"), "-o", str(out)]) == 0
    info = json.loads((out / "training_metrics.json").read_text(encoding="utf-8"))
    src = info["data"]["sources"]
    assert src["synthetic"] == 12 and src["label_studio:extra.jsonl"] == 1
    assert src["real_annotated"] == 1 and src["real_annotated_ids"] == ["002"] and src["real_repeat"] == 2
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "1 real reports" in card and "in-sample" in card
    assert info["training"]["steps"] > 0
