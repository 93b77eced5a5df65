"""Provenance entries: where a filled value came from (raw text, offsets, producer, confidence)."""

from __future__ import annotations

from gongkai.schema import Provenance
from gongkai.spans import Span


def from_span(span: Span, raw: str | None = None, start: int | None = None, end: int | None = None) -> Provenance:
    """Provenance of a value read from ``span`` (or of ``raw`` at ``start``..``end``, a wider
    printing of it such as a row's whole label); its source is kept as is (model/rules/human/synth)."""
    confidence = min(1.0, max(0.0, float(span.score)))
    return Provenance(
        raw=span.text if raw is None else raw,
        start=span.start if start is None else start,
        end=span.end if end is None else end,
        source=span.source,
        confidence=confidence,
    )


def derived(
    raw: str, confidence: float = 1.0, start: int | None = None, end: int | None = None
) -> Provenance:
    """Provenance of a value worked out rather than read (e.g. template guessed from rows)."""
    return Provenance(raw=raw, start=start, end=end, source="derived", confidence=confidence)
