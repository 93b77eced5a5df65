"""Training data: spans over the text as read → IOB2 tags over the normalised text; Label Studio exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.model.data import LabelledDoc, label_studio_docs, to_norm_doc
from gongkai.model.tags import tags_to_spans
from gongkai.spans import Span


def test_spans_move_onto_the_normalised_text() -> None:
    raw = "２０２１年報告\r\n規章\t０\t１２\r\n"  # full-width digits, traditional characters, CRLF
    spans = [Span.of(raw, "YEAR", 0, 4), Span.of(raw, "ROW", 9, 11), Span.of(raw, "CELL_1", 12, 13),
             Span.of(raw, "CELL_2", 14, 16)]
    nd = to_norm_doc(LabelledDoc("d", raw, spans))
    got = [(s.label, nd.text[s.start:s.end]) for s in tags_to_spans(nd.text, nd.tags)]
    assert got == [("YEAR", "2021"), ("ROW", "规章"), ("CELL_1", "0"), ("CELL_2", "12")]
    assert nd.skipped == 0 and len(nd.tags) == len(nd.text)


def test_generated_documents_keep_every_span() -> None:
    from gongkai.model.data import synth_docs

    for d in synth_docs(5, 3, organ_pool="train"):
        nd = to_norm_doc(d)
        assert nd.skipped == 0
        assert len(tags_to_spans(nd.text, nd.tags)) == len(d.spans)


def test_label_studio_exports_both_shapes(tmp_path: Path) -> None:
    text = "全年主动公开政府信息𠀀86条"
    simple = tmp_path / "simple.jsonl"
    simple.write_text(json.dumps({"id": "a", "text": text, "spans": [
        {"label": "SUBJ_ACTIVE", "start": 0, "end": 10}, {"label": "NUM", "start": 11, "end": 13}]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    native = tmp_path / "native.json"
    native.write_text(json.dumps([{"id": 7, "data": {"text": text}, "annotations": [{"result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 13, "end": 14, "text": "条", "labels": ["UNIT"]}}]}]}], ensure_ascii=False),
        encoding="utf-8")
    a = label_studio_docs(simple)[0]
    b = label_studio_docs(native)[0]
    assert [(s.label, s.text, s.source) for s in a.spans] == [("SUBJ_ACTIVE", "全年主动公开政府信息", "human"),
                                                              ("NUM", "86", "human")]
    assert [(s.label, s.text) for s in b.spans] == [("UNIT", "条")] and b.doc_id == "7"


def test_bad_label_studio_export_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"data\": {}}]", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        label_studio_docs(bad)
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        label_studio_docs(bad)


def test_unk_dropout_hides_only_chinese_characters_and_keeps_labels() -> None:
    import numpy as np

    from gongkai.model.data import NormDoc, unk_dropout, windowed_examples
    from gongkai.model.tokenizer import build_vocab, make_tokenizer

    text = "张家湾镇主动公开信息129条，\n其中 工作动态 12 条。" * 40
    tok = make_tokenizer(build_vocab([text]))
    ids = tok(text, add_special_tokens=False)["input_ids"]
    out = unk_dropout(text, ids, 0.2, tok.unk_token_id, np.random.default_rng(0))
    assert len(out) == len(ids)
    dropped = [i for i, (a, b) in enumerate(zip(ids, out, strict=True)) if a != b]
    assert all(out[i] == tok.unk_token_id and "\u4e00" <= text[i] <= "\u9fff" for i in dropped)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text)
    assert 0.15 < len(dropped) / cjk < 0.25  # about the rate, digits / punctuation / layout never
    assert unk_dropout(text, ids, 0.0, tok.unk_token_id, np.random.default_rng(0)) == ids

    doc = NormDoc("d", text, ["O"] * len(text), 0)
    plain = windowed_examples([doc], tok, 128, 0)
    noisy = windowed_examples([doc], tok, 128, 0, unk_rate=0.2, seed=1)
    assert noisy["labels"] == plain["labels"] and noisy["input_ids"] != plain["input_ids"]
    assert noisy == windowed_examples([doc], tok, 128, 0, unk_rate=0.2, seed=1)  # same seed, same examples
