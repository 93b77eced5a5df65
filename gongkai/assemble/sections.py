"""Section headings (SEC_* spans) → ``sections``: title as printed, start at the heading, end at
the next section heading (or the end of the text)."""

from __future__ import annotations

import re

from gongkai.schema import Section
from gongkai.spans import SECTION_LABELS, Span


def heading_title(span_text: str) -> str:
    """The heading as printed: markdown ``#`` and surrounding white space dropped; a heading
    printed across line breaks becomes one line (the breaks and their indentation removed)."""
    lines = [ln.strip().lstrip("#").strip() for ln in span_text.splitlines()]
    return "".join(ln for ln in lines if ln)


def section_spans(spans: list[Span]) -> list[tuple[str, Span]]:
    """(section key, heading span) for the first heading of each section, in text order."""
    first: dict[str, Span] = {}
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        key = SECTION_LABELS.get(s.label)
        if key and key not in first:
            first[key] = s
    return sorted(first.items(), key=lambda kv: kv[1].start)


def build_sections(text: str, spans: list[Span]) -> dict[str, Section | None]:
    """All six keys; a section runs to the next heading of *any* section label (first or not)."""
    heads = sorted(s.start for s in spans if s.label in SECTION_LABELS)
    out: dict[str, Section | None] = dict.fromkeys(SECTION_LABELS.values())
    for key, span in section_spans(spans):
        end = next((h for h in heads if h > span.start), len(text))
        title = heading_title(span.text) or re.sub(r"\s+", "", span.text)
        out[key] = Section(title=title, start=span.start, end=end)
    return out


def section_at(sections: dict[str, Section | None], pos: int) -> str | None:
    """Key of the section whose range holds ``pos``, else None."""
    for key, sec in sections.items():
        if sec is not None and sec.start <= pos < sec.end:
            return key
    return None
