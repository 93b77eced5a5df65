"""Rules-only extraction over every real corpus pair (seeds + dev), scored against gold.

Two groups: the 13 documents the rules were first written against (seeds, dev 002–042) stay at
1.000; the later dev documents (101–212) guard the levels the rules reached on them. Both are
training numbers (the rules were fitted while reading them); the hidden split outside the
repository and `gongkai evaluate --folds` give the honest ones. The texts are read from the shared
corpus at run time, never copied here.
"""

from __future__ import annotations

import json

import pytest
from conftest import corpus_pairs

from gongkai.pipeline import extract_text
from gongkai.scoring import Counts, score_pair
from gongkai.spans import check_spans

TARGET = 0.97


@pytest.fixture(scope="module")
def scored(corpus):
    out = []
    for doc, gold_path in corpus_pairs(corpus):
        text = doc.read_text(encoding="utf-8")
        report = extract_text(text, doc.stem, "rules")
        pred = json.loads(report.model_dump_json())
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append((doc, text, pred, score_pair(gold, pred, doc_id=doc.stem)))
    return out


def _later(doc) -> bool:
    """dev 101–212: annotated after the rules were first written."""
    return doc.parent.name == "docs" and doc.stem.isdigit() and int(doc.stem) >= 100


def _total(scored, later: bool) -> Counts:
    return sum((s.counts for d, _, _, s in scored if _later(d) == later), Counts())


def test_first_documents_stay_perfect(scored) -> None:
    m = _total(scored, later=False).metrics()
    assert m["field_accuracy"] == 1.0 and m["claims_f1"] == 1.0 and m["title_accuracy"] == 1.0, m


def test_later_documents_keep_their_level(scored) -> None:
    if not any(_later(d) for d, *_ in scored):
        pytest.skip("corpus has no dev documents 101–212")
    m = _total(scored, later=True).metrics()
    assert m["field_accuracy"] >= 0.98 and m["cell_accuracy"] >= 0.99 and m["nonzero_cell_recall"] == 1.0, m
    assert m["meta_accuracy"] >= 0.97 and m["claims_f1"] >= 0.97, m


def test_corpus_has_both_splits(scored) -> None:
    parents = {doc.parent.name for doc, *_ in scored}
    assert parents == {"seeds", "docs"} and len(scored) >= 13


def test_field_accuracy_overall(scored) -> None:
    total = sum((s.counts for *_, s in scored), Counts())
    table = "\n".join(f"{d.stem}: {s.counts.fields_ok}/{s.counts.fields}" for d, _, _, s in scored)
    acc = total.metrics()["field_accuracy"]
    assert acc is not None and acc >= TARGET, f"field accuracy {acc:.4f} < {TARGET}\n{table}"


def test_every_nonzero_gold_cell_right(scored) -> None:
    wrong = [
        (d.stem, f.path, f.gold, f.pred)
        for d, _, _, s in scored
        for f in s.fields
        if f.kind == "cell" and f.gold != 0 and not f.correct
    ]
    assert sum(s.counts.nonzero_gold for *_, s in scored) > 0
    assert wrong == []


@pytest.mark.parametrize("split", ["seeds", "docs"])
def test_each_split_meets_the_target(scored, split) -> None:
    total = sum((s.counts for d, _, _, s in scored if d.parent.name == split), Counts())
    assert total.metrics()["field_accuracy"] >= TARGET


def test_sections_and_claims_found(scored) -> None:
    total = sum((s.counts for *_, s in scored), Counts())
    m = total.metrics()
    assert m["section_accuracy"] >= 0.97
    assert m["claims_recall"] >= 0.95 and m["claims_precision"] >= 0.95


def test_provenance_offsets_point_into_the_text_as_read(scored) -> None:
    from gongkai.rules import label_spans

    for doc, text, pred, _ in scored:
        check_spans(text, label_spans(text))  # raises on any span that does not fit
        for path, p in pred["provenance"].items():
            if p.get("start") is not None and p.get("source") == "rules":
                assert text[p["start"] : p["end"]].strip() == p["raw"].strip(), (doc.stem, path)


def test_nulls_checked_reading_of_the_seed_gold(scored) -> None:
    """The seeds' README treats a null publish_date / amount_unit as checked: still on target."""
    total = Counts()
    for doc, _, pred, _ in scored:
        gold = json.loads(_gold_path(doc).read_text(encoding="utf-8"))
        total = total + score_pair(gold, pred, nulls_checked=True, doc_id=doc.stem).counts
    assert total.metrics()["field_accuracy"] >= TARGET


def _gold_path(doc):
    if doc.parent.name == "seeds":
        return doc.parent.parent / "seeds-gold" / f"{doc.stem}.json"
    return doc.parent.parent / "gold" / f"{doc.stem}.json"
