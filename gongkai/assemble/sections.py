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
    """(section key, heading span) per section, in text order: the surest heading of each label
    (a model may also tag a phrase that only repeats the heading's words), the first on ties."""
    best: dict[str, Span] = {}
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        key = SECTION_LABELS.get(s.label)
        if key and (key not in best or s.score > best[key].score):
            best[key] = s
    return sorted(best.items(), key=lambda kv: kv[1].start)


def build_sections(text: str, spans: list[Span]) -> dict[str, Section | None]:
    """All six keys; a section runs to the next chosen heading (or the end of the text)."""
    chosen = section_spans(spans)
    heads = sorted(span.start for _, span in chosen)
    out: dict[str, Section | None] = dict.fromkeys(SECTION_LABELS.values())
    for key, span in chosen:
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
