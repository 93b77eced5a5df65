"""Pre-labels are what the tool would write: ``studio push`` (and the ML backend) send ``auto``'s
final spans, so assembling them gives exactly ``gongkai extract --method auto``'s report. And pull
keeps every annotated task when doc_ids collide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.assemble import assemble
from gongkai.pipeline import extract_text
from gongkai.readers import read_document
from gongkai.settings import corpus_dir, default_model_dir, model_available
from gongkai.studio.convert import span_result
from gongkai.studio.pull import write_outputs
from gongkai.studio.push import Labeller
from gongkai.synth import generate

CORPUS = corpus_dir()
DOCS = sorted([*CORPUS.glob("seeds/*.txt"), *CORPUS.glob("dev/docs/*.txt")])


@pytest.mark.skipif(not model_available(default_model_dir()), reason="no shipped model")
@pytest.mark.skipif(not DOCS, reason=f"no corpus at {CORPUS}")
def test_auto_prelabels_reassemble_to_the_auto_report() -> None:
    labeller = Labeller("auto")
    assert labeller.version.endswith(":auto")
    for path in DOCS:
        text = read_document(path)
        spans = labeller.spans(text, path.stem)
        want = extract_text(text, path.stem, method="auto").to_json_dict()
        got = assemble(text, spans, path.stem).to_json_dict()
        for key in ("meta", "sections", "active_disclosure", "requests", "review_litigation", "claims", "checks"):
            assert got[key] == want[key], f"{path.name}: {key} differs from auto's output"


def test_rules_prelabels_are_the_rules_spans() -> None:
    (doc,) = generate(1, seed=3)
    from gongkai.rules import label_spans

    assert Labeller("rules").spans(doc.text, doc.doc_id) == label_spans(doc.text)


def _task(tid: int, doc_id: str, text: str, spans) -> dict:
    return {"id": tid, "data": {"text": text, "doc_id": doc_id},
            "annotations": [{"id": tid * 10, "result": [span_result(s, i) for i, s in enumerate(spans)]}]}


def test_pull_keeps_every_task_when_doc_ids_collide(tmp_path: Path) -> None:
    a, b, c = generate(3, seed=9)
    export = [_task(1, "镇报告", a.text, a.spans), _task(2, "镇报告", b.text, b.spans),
              _task(3, c.doc_id, c.text, c.spans)]
    res = write_outputs(export, tmp_path)
    names = sorted(p.name for p in res.gold_files)
    assert names == sorted(["镇报告__task1.json", "镇报告__task2.json", f"{c.doc_id}.json"])
    assert len(res.renamed) == 2 and all("镇报告" in r for r in res.renamed)
    organs = {json.loads((tmp_path / "gold" / n).read_text(encoding="utf-8"))["meta"]["organ"] for n in names}
    assert len(organs) == 3  # three different reports, none overwritten
