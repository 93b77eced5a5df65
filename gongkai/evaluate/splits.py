"""Leave-town-out k-fold splits: a town (the reporting organ) is never in both train and test.

A split is saved as JSON so that ``gongkai train --split FILE --fold K`` and ``gongkai evaluate
--split FILE --fold K`` use the same partition. Towns are assigned to folds deterministically
(seeded shuffle, then largest town first into the fold with fewest documents).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import InputError

SPLIT_VERSION = 1
_SUFFIXES = re.compile(r"(人民政府办公室|人民政府办|政府办公室|人民政府|政府办|办事处|政府)$")


def town_key(organ: str | None, doc_id: str) -> str:
    """The grouping key of a document: its organ without the body suffix (松岗镇政府 and 松岗镇人民政府
    are one town); a document with no organ is its own group."""
    if not organ or not organ.strip():
        return f"?{doc_id}"
    name = re.sub(r"\s+", "", organ)
    stripped = _SUFFIXES.sub("", name)
    return stripped or name


@dataclass
class Split:
    """Documents and towns assigned to ``k`` folds; fold ``i``'s test set is its towns' documents."""

    k: int
    seed: int
    docs: dict[str, str]  # doc_id -> town
    town_fold: dict[str, int]  # town -> fold
    organs: dict[str, str | None] = field(default_factory=dict)  # doc_id -> organ as printed

    def check_fold(self, fold: int) -> None:
        if not 0 <= fold < self.k:
            raise ValueError(f"fold {fold} out of range: this split has folds 0..{self.k - 1}")

    def fold_of(self, doc_id: str, organ: str | None = None) -> int | None:
        """The fold whose test set holds ``doc_id`` (or, for a document not in the split, its town)."""
        town = self.docs.get(doc_id) or town_key(organ, doc_id)
        return self.town_fold.get(town)

    def test_ids(self, fold: int) -> list[str]:
        self.check_fold(fold)
        return sorted(d for d, t in self.docs.items() if self.town_fold[t] == fold)

    def train_ids(self, fold: int) -> list[str]:
        self.check_fold(fold)
        return sorted(d for d, t in self.docs.items() if self.town_fold[t] != fold)

    def test_towns(self, fold: int) -> list[str]:
        self.check_fold(fold)
        return sorted(t for t, f in self.town_fold.items() if f == fold)

    def is_test(self, fold: int, doc_id: str, organ: str | None = None) -> bool:
        """Whether a document belongs to fold ``fold``'s test set (by id, else by its organ's town)."""
        self.check_fold(fold)
        return self.fold_of(doc_id, organ) == fold

    def to_dict(self) -> dict:
        return {
            "version": SPLIT_VERSION,
            "kind": "leave-town-out",
            "k": self.k,
            "seed": self.seed,
            "folds": [{"towns": self.test_towns(i), "test": self.test_ids(i)} for i in range(self.k)],
            "docs": {
                d: {"town": t, "organ": self.organs.get(d), "fold": self.town_fold[t]}
                for d, t in sorted(self.docs.items())
            },
        }


def make_split(doc_organs: Mapping[str, str | None], k: int = 5, seed: int = 0) -> Split:
    """Partition documents by town into ``k`` folds (needs at least ``k`` towns)."""
    if k < 2:
        raise ValueError("a split needs k >= 2 folds")
    docs = {d: town_key(o, d) for d, o in sorted(doc_organs.items())}
    sizes: dict[str, int] = {}
    for t in docs.values():
        sizes[t] = sizes.get(t, 0) + 1
    if len(sizes) < k:
        raise ValueError(f"only {len(sizes)} towns for {k} folds")
    towns = sorted(sizes)
    random.Random(seed).shuffle(towns)
    towns.sort(key=lambda t: -sizes[t])  # stable: the shuffle breaks ties between equal sizes
    load = [0] * k
    town_fold: dict[str, int] = {}
    for t in towns:
        f = min(range(k), key=lambda i: (load[i], i))
        town_fold[t] = f
        load[f] += sizes[t]
    return Split(k, seed, docs, town_fold, dict(doc_organs))


def organs_from_gold(dirs: Iterable[Path]) -> dict[str, str | None]:
    """doc_id -> ``meta.organ`` of every gold file in ``dirs`` (the stem is the doc id)."""
    from gongkai.scoring import gold_files, load_json

    out: dict[str, str | None] = {}
    for d in dirs:
        for f in gold_files(Path(d)):
            meta = load_json(f).get("meta") or {}
            out[f.stem] = meta.get("organ") if isinstance(meta, dict) else None
    return out


def save_split(split: Split, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(split.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_split(path: Path) -> Split:
    """Read a split file; a clear InputError names the file and the problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "split file not found", stage="split") from None
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"invalid JSON: {e.msg} (line {e.lineno})", stage="split") from None
    try:
        if data.get("version") != SPLIT_VERSION:
            raise ValueError(f"unsupported split version {data.get('version')!r}")
        k = int(data["k"])
        docs = {d: v["town"] for d, v in data["docs"].items()}
        organs = {d: v.get("organ") for d, v in data["docs"].items()}
        town_fold: dict[str, int] = {}
        for i, f in enumerate(data["folds"]):
            for t in f["towns"]:
                if t in town_fold:
                    raise ValueError(f"town {t!r} is in folds {town_fold[t]} and {i}")
                town_fold[t] = i
        if len(data["folds"]) != k:
            raise ValueError(f"k={k} but {len(data['folds'])} folds listed")
        missing = sorted({t for t in docs.values() if t not in town_fold})
        if missing:
            raise ValueError(f"towns without a fold: {missing[:3]}")
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise InputError(str(path), f"not a split file: {e}", stage="split") from None
    return Split(k, int(data.get("seed", 0)), docs, town_fold, organs)
