"""The rule labeller: any report text in, spans out (docs/labels.md).

``label_spans(text)`` normalises the text (``gongkai.normalise``), finds section headings, meta,
table rows/columns/cells and narrative claims on the normalised text, and maps every span back
to the text as read. It never raises on odd input: an empty string or a text that is not a
report gives few or no spans (the post-processor then reports every section as null).
"""

from __future__ import annotations

from gongkai.normalise import line_ranges
from gongkai.rules.claims import claim_spans
from gongkai.rules.meta import meta_spans
from gongkai.rules.sections import find_headings
from gongkai.rules.tables import table_spans
from gongkai.rules.textview import View
from gongkai.spans import Span, sort_spans

__all__ = ["label_spans"]


def _dedupe(spans: list[Span]) -> list[Span]:
    """Drop exact repeats and any span overlapping an earlier one of the same label.

    Linear after the sort: spans come in start order, so every kept span of a label starts at or
    before the current one, and a non-empty span overlaps one of them exactly when the furthest
    end among them lies past its start."""
    out: list[Span] = []
    reach: dict[str, int] = {}  # label -> furthest end of a kept span
    kept: dict[str, list[tuple[int, int]]] = {}  # only for empty spans (overlap needs b < start)
    for s in sort_spans(spans):
        if s.end > s.start:
            if s.start < reach.get(s.label, s.start):
                continue
        elif any(b < s.start < e for b, e in kept.get(s.label, ())):
            continue
        reach[s.label] = max(reach.get(s.label, s.end), s.end)
        kept.setdefault(s.label, []).append((s.start, s.end))
        out.append(s)
    return out


def label_spans(text: str) -> list[Span]:
    """Spans over ``text`` (as read) for sections, meta, tables and claims."""
    if not isinstance(text, str):
        raise TypeError(f"label_spans() needs str, got {type(text).__name__}")
    if not text.strip():
        return []
    view = View.of(text)
    headings = find_headings(view)
    spans: list[Span] = []
    for h in headings:
        sp = view.span(h.label, h.start, h.end, h.score)
        if sp is not None:
            spans.append(sp)
    spans += meta_spans(view)
    cells, zone = table_spans(view, headings)
    spans += cells
    heads = [(h.start, h.end) for h in headings]  # a claim never runs into a heading
    spans += claim_spans(view, sorted(_table_lines(view, zone) + heads))
    return _dedupe(spans)


def _table_lines(view: View, zone: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Normalised ranges of the table zone's lines that are not prose (no 。)."""
    if zone is None:
        return []
    out = []
    for s, e in line_ranges(view.text):
        if s >= zone[0] and e <= zone[1] and "。" not in view.text[s:e]:
            out.append((s, e))
    return out
