"""Section headings (SEC_* spans) → ``sections``: title as printed, start at the heading, end at
the next section heading (or the end of the text)."""

from __future__ import annotations

import re

from gongkai.assemble.canon import simplified
from gongkai.schema import Section
from gongkai.spans import SECTION_LABELS, Span


def heading_title(span_text: str) -> str:
    """The heading as printed: markdown ``#`` and surrounding white space dropped; a heading
    printed across line breaks becomes one line (the breaks and their indentation removed)."""
    lines = [ln.strip().lstrip("#").strip() for ln in span_text.splitlines()]
    return "".join(ln for ln in lines if ln)


_ORDINAL_ONLY = re.compile(
    r"[#\s]*(?:第?[一二三四五六七八九十]+[、.．部分]*|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])\s*"
)
_TAIL = re.compile(r"[\u4e00-\u9fff、“”]{1,20}")
_HEADING_ENDS = ("情况", "事项", "措施", "问题", "概述", "概况", "工作", "方向", "计划")


def heading_extent(text: str, span: Span) -> tuple[int, int]:
    """The heading's full extent on its line. A labeller may clip a heading (``总体情况`` without
    its ``一、``, or ``一、总体`` without ``情况``): an ordinal alone before it on the line belongs to
    it, and so do up to 20 CJK characters ending the line when the span does not end like a
    heading (…情况) but the line does — a heading followed by body text on its line stays as is."""
    start, end = span.start, span.end
    line_start = text.rfind("\n", 0, start) + 1
    if start > line_start and _ORDINAL_ONLY.fullmatch(text[line_start:start]):
        start = line_start + len(text[line_start:start]) - len(text[line_start:start].lstrip("# \t\u3000"))
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end].rstrip()
    clipped = not simplified(span.text.rstrip()).endswith(_HEADING_ENDS)
    if clipped and tail and _TAIL.fullmatch(tail) and simplified(tail).endswith(_HEADING_ENDS):
        end += len(tail)
    return start, end


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
        h_start, h_end = heading_extent(text, span)
        printed = text[h_start:h_end]
        title = heading_title(printed) or re.sub(r"\s+", "", printed)
        out[key] = Section(title=title, start=h_start, end=end)
    return out


def section_at(sections: dict[str, Section | None], pos: int) -> str | None:
    """Key of the section whose range holds ``pos``, else None."""
    for key, sec in sections.items():
        if sec is not None and sec.start <= pos < sec.end:
            return key
    return None
