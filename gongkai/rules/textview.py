"""Views of one document for the rule labeller.

Rules match on the normalised text (``gongkai.normalise``) and often on a *compact* view of it
with white space removed, so that labels wrapped across lines (``本年新\\n制作数量``) or spaced out
(``结 果 维 持``) read as one word. Every view keeps a map back to the text as read, so each span
the rules emit is over the original characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.normalise import Normalised, normalise
from gongkai.spans import Span

# pinyin glosses that some pages insert after a character: 鎮(zhèn)
GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
BARRIER = "\x00"
_RUN = re.compile(r"\S+")


@dataclass
class Compact:
    """``text`` without white space (and glosses); ``pos[i]`` is the normalised index of text[i].
    A ``BARRIER`` character stands for a stretch left out on purpose (it maps to -1)."""

    text: str
    pos: list[int]
    runs: list[int] = field(default_factory=list)  # compact index where each run of kept text starts

    def norm_range(self, start: int, end: int) -> tuple[int, int]:
        """Normalised half-open range covering compact ``[start, end)`` (end > start)."""
        return self.pos[start], self.pos[end - 1] + 1


@dataclass
class View:
    """One document: the text as read, its normalised form and helpers to emit spans."""

    raw: str
    norm: Normalised
    _compact: Compact | None = field(default=None, repr=False)

    @classmethod
    def of(cls, raw: str) -> View:
        return cls(raw, normalise(raw))

    @property
    def text(self) -> str:
        return self.norm.text

    def compact(self, skip: list[tuple[int, int]] | None = None) -> Compact:
        """Compact view of the whole normalised text; ``skip`` ranges become one BARRIER each.
        Built run by run (a run = characters kept between two gaps), not character by character:
        it is on every document's rules path."""
        if skip is None and self._compact is not None:
            return self._compact
        t = self.text
        drops = [(m.start(), m.end()) for m in GLOSS.finditer(t)]
        drops += [(s, e) for s, e in skip or () if e > s]
        if drops:  # dropped stretches read as white space
            drops.sort()
            pieces, at = [], 0
            for s, e in drops:
                if e > at:
                    pieces += [t[at:max(s, at)], " " * (e - max(s, at))]
                    at = e
            t = "".join(pieces) + t[at:]
        barriers = sorted({s for s, e in skip or () if e > s})
        chars: list[str] = []
        pos: list[int] = []
        runs: list[int] = []
        lo = 0
        for hi in [*barriers, len(t)]:
            for m in _RUN.finditer(t, lo, hi):
                runs.append(len(pos))
                chars.append(m.group())
                pos.extend(range(m.start(), m.end()))
            if hi < len(t):
                chars.append(BARRIER)
                pos.append(-1)
            lo = hi
        out = Compact("".join(chars), pos, runs)
        if skip is None:
            self._compact = out
        return out

    def span(self, label: str, nstart: int, nend: int, score: float) -> Span | None:
        """A span over the raw text for normalised ``[nstart, nend)``, white space trimmed."""
        if nend <= nstart:
            return None
        rs, re_ = self.norm.to_raw(nstart, nend)
        while rs < re_ and self.raw[rs].isspace():
            rs += 1
        while re_ > rs and self.raw[re_ - 1].isspace():
            re_ -= 1
        while rs < re_ and self.raw[rs] == "#":  # markdown heading marks are never part of a span
            rs += 1
            while rs < re_ and self.raw[rs].isspace():
                rs += 1
        if re_ <= rs:
            return None
        return Span.of(self.raw, label, rs, re_, round(score, 3), "rules")

    def cspan(self, c: Compact, label: str, cstart: int, cend: int, score: float) -> Span | None:
        """A span for compact ``[cstart, cend)``."""
        if cend <= cstart:
            return None
        ns, ne = c.norm_range(cstart, cend)
        g = GLOSS.match(self.text, ne)
        if g:  # 工作動態(tài): a gloss printed after the last character belongs to it
            ne = g.end()
        return self.span(label, ns, ne, score)


