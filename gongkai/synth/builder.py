"""Text and spans built together, so every span is exact by construction.

``Builder`` appends pieces and records spans over them; ``Edits`` applies character-level noise
afterwards (length-preserving substitutions and insertions) and moves every span with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from gongkai.spans import Span

SOURCE = "synth"


@dataclass
class Builder:
    """Append-only text with spans recorded at append time."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, text: str, label: str | None = None) -> tuple[int, int]:
        """Append ``text``; with ``label`` it becomes one span. Returns its offsets."""
        start = self.pos
        if text:
            self.parts.append(text)
            self.pos += len(text)
        if label:
            self.mark(label, start, self.pos)
        return start, self.pos

    def mark(self, label: str, start: int, end: int) -> None:
        if end <= start:
            raise ValueError(f"empty span {label} at {start}")
        self.spans.append((label, start, end))

    @contextmanager
    def span(self, label: str) -> Iterator[None]:
        """Everything appended inside the block is one span of ``label``."""
        start = self.pos
        yield
        self.mark(label, start, self.pos)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def newline(self) -> None:
        """End the current line unless the text already ends one."""
        if self.parts and self.last_char() != "\n":
            self.add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def result(self) -> tuple[str, list[tuple[str, int, int]]]:
        return self.text, sorted(self.spans, key=lambda s: (s[1], s[2], s[0]))


RawSpan = tuple[str, int, int]


def substitute(text: str, fn: Callable[[str], str]) -> str:
    """Replace characters one for one (offsets unchanged). ``fn`` must return one character."""
    out = []
    for ch in text:
        new = fn(ch)
        out.append(new if len(new) == 1 else ch)
    return "".join(out)


def insert(text: str, spans: list[RawSpan], inserts: list[tuple[int, str]]) -> tuple[str, list[RawSpan]]:
    """Insert strings at positions of ``text`` and move spans with them.

    An insertion at a span's start goes before the span, at its end after it, strictly inside
    it becomes part of it (a line break inside a claim stays inside the claim text).
    """
    if not inserts:
        return text, spans
    inserts = sorted(inserts, key=lambda x: x[0])
    pieces = []
    prev = 0
    positions = []
    cum = []
    total = 0
    for p, s in inserts:
        pieces.append(text[prev:p])
        pieces.append(s)
        prev = p
        total += len(s)
        positions.append(p)
        cum.append(total)
    pieces.append(text[prev:])

    import bisect

    def shift_le(p: int) -> int:  # inserted length at positions <= p
        i = bisect.bisect_right(positions, p)
        return cum[i - 1] if i else 0

    def shift_lt(p: int) -> int:  # inserted length at positions < p
        i = bisect.bisect_left(positions, p)
        return cum[i - 1] if i else 0

    moved = [(lab, s + shift_le(s), e + shift_lt(e)) for lab, s, e in spans]
    return "".join(pieces), moved


def inside_any(spans: list[RawSpan], labels: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Sorted (start, end) of spans whose label passes ``labels``: where insertions are forbidden."""
    return sorted((s, e) for lab, s, e in spans if labels(lab))


def to_spans(text: str, spans: list[RawSpan]) -> list[Span]:
    """Final ``Span`` objects; checks each one against the text and the white-space rule."""
    out = []
    for lab, s, e in sorted(spans, key=lambda x: (x[1], x[2], x[0])):
        piece = text[s:e]
        if piece != piece.strip():
            raise ValueError(f"span {lab} {s}..{e} {piece!r} has surrounding white space")
        out.append(Span(lab, s, e, piece, 1.0, SOURCE))
    return out
