"""BIO tags (strict IOB2) over ``gongkai.spans.LABELS`` and the conversions spans ⇄ tags.

Both directions work on the *normalised* text: training maps generator spans to it with
``Normalised.to_norm`` and inference maps predicted spans back with ``to_raw``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.claimwords import FUNCTION_CHARS
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


def family(label: str) -> str:
    """Labels whose spans are one kind of thing told apart by context: the claim subjects
    (SUBJ_ACTIVE, …_PART, SUBJ_REQUEST …). The model often flips between them inside one subject."""
    return "SUBJ" if label.startswith("SUBJ_") else label


def tags_to_spans(text: str, tags: Sequence[str], probs: Sequence[float] | None = None) -> list[NormSpan]:
    """Decode tags into spans. ``B-X`` starts a span; ``I-X`` continues a span of X and, after
    anything else, starts one (lenient, so a missed ``B`` does not lose the value). The score is
    the mean probability of the span's tags; spans are trimmed of white space.

    A one-character span directly followed by ``B-X`` of its own label, or by ``I-Y`` of a label of
    its family (``family``: the claim subjects), is the start of that span: gold
    tags never hold a one-character span touching the next one of its label, nor ``I-Y`` after
    another label, and a model that hesitates on a name's second
    character (``B-ORGAN`` ``B-ORGAN`` ``I-ORGAN`` … for 张家湾镇) would otherwise cut its first.
    A function word (与, 在, 对 …) that the model took for a one-character span stays apart: it
    joins clauses, it does not open a name (``与两城镇人民政府``)."""
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
        if cur is not None and i - begin == 1 and text[begin].strip() and text[begin] not in FUNCTION_CHARS and (
                (tag[0] == "B" and label == cur) or (tag[0] == "I" and label != cur and family(label) == family(cur))):
            cur = label  # the one character opens this span (see above)
            continue
        if tag[0] == "B" or label != cur:
            close(i)
            cur, begin = label, i
    close(len(tags))
    return out
