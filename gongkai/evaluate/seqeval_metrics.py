"""Span labelling quality: spans → character-level IOB2 tags → seqeval strict per-label P/R/F1, and
a character-level label confusion matrix.

Strict mode (``seqeval`` ``mode="strict"``, ``scheme=IOB2``) counts an entity only when its tags are a
well-formed ``B-X I-X …`` run: an ``I-X`` after ``O`` opens no entity, and ``B-X B-X`` is two entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from gongkai.spans import Span


def spans_to_iob2(length: int, spans: Iterable[Span]) -> tuple[list[str], int]:
    """One IOB2 tag per character of a text of ``length`` characters. A span that would overlap an
    earlier one (start order, longer first) is skipped; returns (tags, number skipped)."""
    tags = ["O"] * length
    skipped = 0
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        a, b = max(0, s.start), min(length, s.end)
        if a >= b or any(t != "O" for t in tags[a:b]):
            skipped += 1
            continue
        tags[a] = f"B-{s.label}"
        for i in range(a + 1, b):
            tags[i] = f"I-{s.label}"
    return tags, skipped


@dataclass
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int  # gold entities


def strict_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, LabelScore]:
    """Per-label strict IOB2 scores over documents (lists of tag sequences), plus ``micro avg``.

    Entities are decoded by ``seqeval.scheme.Entities`` (what ``classification_report(mode="strict",
    scheme=IOB2)`` uses) and counted here, which avoids importing scikit-learn through
    ``seqeval.metrics`` (seconds on a busy CPU); a test checks the numbers agree. 0/0 gives 0."""
    from seqeval.scheme import IOB2, Entities

    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred, strict=True)):
        raise ValueError("gold and predicted tag sequences differ in length")
    g_ents = {e.to_tuple() for e in chain.from_iterable(Entities([list(x) for x in gold], IOB2).entities)}
    p_ents = {e.to_tuple() for e in chain.from_iterable(Entities([list(x) for x in pred], IOB2).entities)}
    if not g_ents and not p_ents:
        return {}
    labels = sorted({e[1] for e in g_ents | p_ents})
    out = {}
    for lab in [*labels, None]:
        g = {e for e in g_ents if lab is None or e[1] == lab}
        p = {e for e in p_ents if lab is None or e[1] == lab}
        tp = len(g & p)
        prec = tp / len(p) if p else 0.0
        rec = tp / len(g) if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out["micro avg" if lab is None else lab] = LabelScore(prec, rec, f1, len(g))
    return out


def _label(tag: str) -> str:
    return "O" if tag == "O" else tag.split("-", 1)[1]


def confusion(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> tuple[list[str], list[list[int]]]:
    """Character-level confusion of labels (B/I merged): ``matrix[i][j]`` = characters whose gold label
    is ``labels[i]`` and predicted label is ``labels[j]``. Only labels that occur are listed, ``O`` last."""
    counts: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, pred, strict=True):
        for a, b in zip(g, p, strict=True):
            key = (_label(a), _label(b))
            counts[key] = counts.get(key, 0) + 1
    present = {x for k in counts for x in k}
    from gongkai.spans import LABELS

    labels = [lab for lab in LABELS if lab in present] + sorted(present - set(LABELS) - {"O"})
    if "O" in present:
        labels.append("O")
    idx = {lab: i for i, lab in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for (a, b), n in counts.items():
        matrix[idx[a]][idx[b]] = n
    return labels, matrix
