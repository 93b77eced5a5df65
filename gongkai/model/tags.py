"""BIO tags (strict IOB2) over ``gongkai.spans.LABELS`` and the conversions spans ⇄ tags.

Both directions work on the *normalised* text: training maps generator spans to it with
``Normalised.to_norm`` and inference maps predicted spans back with ``to_raw``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.spans import LABELS
from gongkai.spans import trim_range as trim

TAGS: tuple[str, ...] = ("O", *(f"{p}-{lab}" for lab in LABELS for p in ("B", "I")))
TAG2ID: dict[str, int] = {t: i for i, t in enumerate(TAGS)}
ID2TAG: dict[int, str] = dict(enumerate(TAGS))


@dataclass(frozen=True, slots=True)
class NormSpan:
    """A labelled half-open range of the normalised text, with the model's score."""

    label: str
    start: int
    end: int
    score: float = 1.0


def spans_to_tags(text: str, spans: Sequence[NormSpan]) -> tuple[list[str], int]:
    """IOB2 tags, one per character. Spans that would overlap an earlier one (in start order)
    are skipped; returns (tags, number skipped) so callers can report conflicts."""
    tags = ["O"] * len(text)
    skipped = 0
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        a, b = trim(text, max(0, s.start), min(len(text), s.end))
        if a >= b or any(t != "O" for t in tags[a:b]):
            skipped += 1
            continue
        tags[a] = f"B-{s.label}"
        for i in range(a + 1, b):
            tags[i] = f"I-{s.label}"
    return tags, skipped


def tags_to_spans(text: str, tags: Sequence[str], probs: Sequence[float] | None = None) -> list[NormSpan]:
    """Decode tags into spans. ``B-X`` starts a span; ``I-X`` continues a span of X and, after
    anything else, starts one (lenient, so a missed ``B`` does not lose the value). The score is
    the mean probability of the span's tags; spans are trimmed of white space."""
    out: list[NormSpan] = []
    cur: str | None = None
    begin = 0

    def close(end: int) -> None:
        if cur is None:
            return
        a, b = trim(text, begin, end)
        if a < b:
            score = 1.0 if probs is None else float(sum(probs[begin:end]) / (end - begin))
            out.append(NormSpan(cur, a, b, score))

    for i, tag in enumerate(tags):
        if tag == "O":
            if cur is not None:  # most characters are O: no call unless a span ends here
                close(i)
                cur = None
            continue
        label = tag[2:]  # "B-X" / "I-X"
        if tag[0] == "B" or label != cur:
            close(i)
            cur, begin = label, i
    close(len(tags))
    return out
