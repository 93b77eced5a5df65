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
    whole = _whole_heading_line(text, start, end)
    if whole is not None:
        return whole
    if start > line_start and _ORDINAL_ONLY.fullmatch(text[line_start:start]):
        start = line_start + len(text[line_start:start]) - len(text[line_start:start].lstrip("# \t\u3000"))
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end].rstrip()
    clipped = not simplified(span.text.rstrip()).endswith(_HEADING_ENDS)
    if clipped and tail and _TAIL.fullmatch(tail) and simplified(tail).endswith(_HEADING_ENDS):
        end += len(tail)
    return start, end


def _whole_heading_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whole line when the span is a piece of a line that is only a heading (short, no
    sentence mark, ending like a heading): a labeller that read ``到和处理政府信息公开申请情况``
    out of ``三、收到和处理政府信息公开申请情况`` must not cut the printed title."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    line = text[ls:le]
    body = line.strip().lstrip("#*").strip().rstrip("*").strip()
    if not body or len(body) > 40 or re.search(r"[。,，;；]|\d{3,}", body):
        return None
    if not simplified(body).rstrip("。.:：").endswith(_HEADING_ENDS):
        return None
    if (end - start) * 2 < len(body):
        return None  # a short piece: not clearly this heading
    a = ls + line.index(body)
    return a, a + len(body)


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


# ------------------------------------------------------------------ sections whose heading was lost
_ORDINAL_TWO = re.compile(r"[#*\s]*(?:二\s*[、.．]|[（(]\s*二\s*[)）]|第二部分)")
_PROBLEMS_SUB = re.compile(
    r"^[#*\s]*(?:[（(][一二][)）]|[一二12][、.．])?\s*(?:存在的?(?:主要)?问题|主要问题|问题和不足|存在不足|改进(?:情况|措施|方向)|下一步(?:工作)?(?:计划|打算|措施))"
    r"[^\n。]{0,12}$",
    re.M,
)
_OTHER_SUB = re.compile(
    r"^[#*\s]*(?:[（(][一二三四五六][)）]|[一二三四五六1-6][、.．])?\s*"
    r"(?:[^\n。]{0,12}(?:收取信息处理费|信息处理费|处理费)[^\n。]{0,8}|其他需要报告的事项|人大代表建议和政协委员提案[^\n。]{0,10})$",
    re.M,
)


def infer_sections(text: str, sections: dict[str, Section | None]) -> tuple[dict[str, Section | None], list[str]]:
    """Sections whose heading line the page lost (PDF extraction drops heading lines), recovered
    from structure; their title is empty (nothing was printed) and the keys inferred are returned
    so provenance can say so. Never replaces a section whose heading was found.

    - overview: the first heading found is numbered 二 → the prose between the title block and it;
    - problems_improvements: after 三/四, a sub-heading such as ``（一）存在的主要问题`` or
      ``（二）改进情况`` with no 五 heading above it;
    - other_matters: after that, a sub-heading such as ``（一）收取信息处理费情况`` with no 六 heading.
    """
    out = dict(sections)
    inferred: list[str] = []
    found = sorted((s.start, k) for k, s in out.items() if s is not None)
    if not found:
        return out, inferred
    first_start, first_key = found[0]
    first = out[first_key]
    if out["overview"] is None and first is not None and _ORDINAL_TWO.match(first.title or text[first.start :]):
        start = _after_title_block(text, first_start)
        if start is not None:
            out["overview"] = Section(title="", start=start, end=first_start)
            inferred.append("overview")
    late = [s for k, s in out.items() if k in ("requests", "review_litigation") and s is not None]
    if late:
        floor = max(s.start for s in late)
        for key, rx in (("problems_improvements", _PROBLEMS_SUB), ("other_matters", _OTHER_SUB)):
            if out[key] is not None:
                floor = max(floor, out[key].start)
                continue
            m = rx.search(text, floor)
            if m is None:
                continue
            start = m.start() + len(m.group()) - len(m.group().lstrip("#* \t"))
            out[key] = Section(title="", start=start, end=len(text))
            inferred.append(key)
            floor = start
    # every section runs to the next one's start
    heads = sorted(s.start for s in out.values() if s is not None)
    for key, sec in out.items():
        if sec is not None:
            nxt = next((h for h in heads if h > sec.start), len(text))
            out[key] = Section(title=sec.title, start=sec.start, end=nxt)
    return out, inferred


_META_LINE = re.compile(r"日期|时间|来源|字号|字体|浏览|访问|索引号|发布机构|分类|文号|打印|分享|首页|当前位置|>|\d{4}[-/.年]")


def _after_title_block(text: str, limit: int) -> int | None:
    """Start of the first line after the title block (the title line with 报告 among the first
    lines, and the page's date/source lines after it), before ``limit``; without a title line, the
    first prose line (a sentence with 。 or a long line)."""
    lines = []
    pos = 0
    for line in text[:limit].splitlines(keepends=True):
        lines.append((pos, line))
        pos += len(line)
    body = [(p, ln) for p, ln in lines if ln.strip()]
    title = next((i for i, (_, ln) in enumerate(body[:6]) if "报告" in ln and len(ln.strip()) <= 60), None)
    if title is not None:
        i = title + 1
        while i < len(body) and len(body[i][1].strip()) <= 40 and _META_LINE.search(body[i][1]) and "。" not in body[i][1]:
            i += 1
        if i < len(body):
            p, ln = body[i]
            return p + len(ln) - len(ln.lstrip())
        return None
    for p, ln in body:
        stripped = ln.strip()
        if "。" in stripped or len(stripped) >= 60:
            return p + len(ln) - len(ln.lstrip())
    return None
