"""`gongkai train --split FILE --fold K` leaves the fold's test towns out of the training data."""

from __future__ import annotations

from dataclasses import replace

from gongkai.cli import main
from gongkai.evaluate.splits import make_split, save_split, town_key
from gongkai.model.data import apply_split, synth_docs


def test_apply_split_drops_exactly_the_test_towns(tmp_path) -> None:
    docs = synth_docs(40, seed=5, organ_pool="all")
    split = make_split({d.doc_id: d.organ for d in docs}, k=4, seed=1)
    path = tmp_path / "split.json"
    save_split(split, path)
    test_towns = set(split.test_towns(0))
    kept, dropped = apply_split(docs, path, 0)
    assert dropped == len(split.test_ids(0)) > 0
    assert len(kept) + dropped == len(docs)
    assert not {town_key(d.organ, d.doc_id) for d in kept} & test_towns
    # a document the split never listed is placed by its organ's town
    listed = next(d for d in docs if d.doc_id in split.test_ids(0))
    unlisted = replace(listed, doc_id="not-in-the-split")
    other = next(d for d in kept)
    assert apply_split([unlisted, replace(other, doc_id="also-new")], path, 0) == ([replace(other, doc_id="also-new")], 1)


def test_train_cli_wants_split_and_fold_together(tmp_path, capsys) -> None:
    rc = main(["train", "--config", "training/tiny.json", "--split", str(tmp_path / "s.json"), "-o", str(tmp_path / "m")])
    assert rc == 2
    assert "--split and --fold go together" in capsys.readouterr().err
