"""The span layer: the one currency between labellers (rules, model, humans) and the post-processor.

Every labeller produces ``Span`` objects over the text *as read* (the decoded ``str`` before
normalisation). The label set below is also the model's tag set (BIO over these labels) and
the Label Studio label set. Conventions for each label are documented in ``docs/labels.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SECTION_LABELS: dict[str, str] = {
    "SEC_OVERVIEW": "overview",
    "SEC_ACTIVE": "active_disclosure",
    "SEC_REQUESTS": "requests",
    "SEC_REVIEW": "review_litigation",
    "SEC_PROBLEMS": "problems_improvements",
    "SEC_OTHER": "other_matters",
}
META_LABELS = ("ORGAN", "YEAR", "DATE")
TABLE_LABELS = ("ROW", "COL")
MAX_CELL_COLUMNS = 15
CELL_LABELS = tuple(f"CELL_{i}" for i in range(1, MAX_CELL_COLUMNS + 1))
CLAIM_SUBJECT_LABELS: dict[str, tuple[str, bool]] = {
    # label -> (claim type, is a breakdown part)
    "SUBJ_ACTIVE": ("active_disclosure_count", False),
    "SUBJ_ACTIVE_PART": ("active_disclosure_count", True),
    "SUBJ_REQUEST": ("request_count", False),
    "SUBJ_REQUEST_PART": ("request_count", True),
    "SUBJ_OTHER": ("other_count", False),
}
CLAIM_PART_LABELS = ("NUM", "UNIT", "SHARE")

LABELS: tuple[str, ...] = (
    *SECTION_LABELS,
    *META_LABELS,
    *TABLE_LABELS,
    *CELL_LABELS,
    *CLAIM_SUBJECT_LABELS,
    *CLAIM_PART_LABELS,
)
SOURCES = ("rules", "model", "human", "synth")
_LABEL_SET = frozenset(LABELS)  # membership test on every span made


def cell_column(label: str) -> int | None:
    """1-based column ordinal of a ``CELL_k`` label, else None."""
    if label.startswith("CELL_"):
        return int(label[5:])
    return None


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character range ``[start, end)`` of the text as read."""

    label: str
    start: int
    end: int
    text: str
    score: float = 1.0
    source: str = "rules"

    def __post_init__(self) -> None:
        if self.label not in _LABEL_SET:
            raise ValueError(f"unknown span label {self.label!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span text {self.text!r} does not fit offsets {self.start}..{self.end}")

    @classmethod
    def of(cls, text: str, label: str, start: int, end: int, score: float = 1.0, source: str = "rules") -> Span:
        """Build a span whose ``text`` is the slice of ``text`` it covers."""
        return cls(label, start, end, text[start:end], score, source)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Span:
        return cls(d["label"], d["start"], d["end"], d["text"], d.get("score", 1.0), d.get("source", "rules"))


def check_spans(text: str, spans: list[Span]) -> None:
    """Raise ValueError if any span does not match ``text`` at its offsets."""
    for s in spans:
        if s.end > len(text) or text[s.start : s.end] != s.text:
            raise ValueError(f"span {s.label} {s.start}..{s.end} {s.text!r} does not match the text")


def trim_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so that it neither starts nor ends with white space (spans never do;
    annotators and window merges often take in a trailing blank or line break)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sort_spans(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))
