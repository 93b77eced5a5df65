"""Leave-town-out splits: deterministic, a town never on both sides, saved and loaded as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.evaluate.splits import load_split, make_split, organs_from_gold, save_split, town_key

ORGANS = {
    "a1": "青石镇人民政府",
    "a2": "青石镇人民政府",
    "a3": "青石镇政府",  # same town, other printed form
    "b1": "白沙镇人民政府",
    "c1": "柳河镇人民政府",
    "c2": "柳河镇人民政府",
    "d1": "松岗镇政府",
    "e1": "东湖街道办事处",
    "f1": None,  # no organ: its own group
}


def test_town_key_merges_printed_forms_of_one_body() -> None:
    assert town_key("松岗镇政府", "x") == town_key("松岗镇人民政府", "y") == "松岗镇"
    assert town_key(" 东湖街道办事处 ", "x") == "东湖街道"
    assert town_key(None, "doc7") == "?doc7" != town_key("", "doc8")


def test_split_keeps_each_town_on_one_side_and_covers_every_doc() -> None:
    s = make_split(ORGANS, k=3, seed=1)
    assert s.docs["a1"] == s.docs["a3"]
    seen = []
    for fold in range(3):
        test, train = set(s.test_ids(fold)), set(s.train_ids(fold))
        assert test and not test & train and test | train == set(ORGANS)
        test_towns = {s.docs[d] for d in test}
        assert not test_towns & {s.docs[d] for d in train}
        seen += sorted(test)
    assert sorted(seen) == sorted(ORGANS)  # every document is tested exactly once
    # balanced: 7 towns of sizes 3,2,1,1,1,1 → loads 3/3/3
    assert sorted(len(s.test_ids(f)) for f in range(3)) == [3, 3, 3]


def test_split_is_deterministic_and_seed_dependent() -> None:
    a = make_split(ORGANS, k=3, seed=5).to_dict()
    assert a == make_split(dict(reversed(list(ORGANS.items()))), k=3, seed=5).to_dict()
    others = [make_split(ORGANS, k=3, seed=s).to_dict()["folds"] for s in range(6)]
    assert any(o != others[0] for o in others)


def test_split_round_trips_through_json_and_assigns_unseen_docs_by_town(tmp_path: Path) -> None:
    s = make_split(ORGANS, k=3, seed=0)
    path = tmp_path / "split.json"
    save_split(s, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (
        data["kind"] == "leave-town-out"
        and len(data["folds"]) == 3
        and data["docs"]["d1"]["organ"] == "松岗镇政府"
    )
    t = load_split(path)
    assert all(t.test_ids(f) == s.test_ids(f) for f in range(3))
    fold = t.fold_of("a1")
    assert t.is_test(fold, "new-doc", "青石镇人民政府")  # a new document from a known town
    assert not t.is_test(fold, "new-doc", "不存在镇人民政府")
    with pytest.raises(ValueError, match="out of range"):
        t.test_ids(3)


def test_bad_splits_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="towns for 9 folds"):
        make_split(ORGANS, k=9)
    s = make_split(ORGANS, k=2).to_dict()
    s["folds"][1]["towns"].append(s["folds"][0]["towns"][0])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(s, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="bad.json: not a split file: town"):
        load_split(bad)
    with pytest.raises(InputError, match="split file not found"):
        load_split(tmp_path / "none.json")


def test_organs_from_real_gold(corpus: Path) -> None:
    dirs = [corpus / "seeds-gold", corpus / "dev" / "gold"]
    organs = organs_from_gold(dirs)
    assert len(organs) == sum(len(list(d.glob("*.json"))) for d in dirs) >= 13
    s = make_split(organs, k=3, seed=0)
    for f in range(3):
        assert not {s.docs[d] for d in s.test_ids(f)} & {s.docs[d] for d in s.train_ids(f)}
