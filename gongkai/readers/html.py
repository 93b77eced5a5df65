"""HTML → text: visible text with block elements on their own lines and each table row on one
line, cells joined by a tab. Script, style, nav, the <head>, hidden elements and site chrome
(<header>/<footer> outside <article>/<main>, nav/menu/footer/breadcrumb classes) are dropped.

Table cells are placed on a grid: a ``colspan`` cell is printed once (nothing repeated), a
position covered by a ``rowspan`` from a row above is an empty field, so values keep their
column order."""

from __future__ import annotations

import os
import re

from gongkai.errors import InputError
from gongkai.readers.limits import check_html_depth
from gongkai.readers.text import decode_bytes

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "iframe", "object", "svg", "button",
         "select"}
_PAGE_CHROME = {"header", "footer"}  # dropped unless inside <article>/<main>, where they hold the title
# class/id tokens of site chrome on government portals; an element holding a table is kept anyway
_CHROME_TOKENS = {"nav", "navbar", "menu", "topbar", "footer", "header", "breadcrumb", "crumb", "crumbs",
                  "sidebar", "share", "copyright", "skip-link"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "main", "aside", "pre", "blockquote", "dd", "dt", "dl", "table", "tr", "hr", "caption",
          "address", "figure", "figcaption", "center", "body", "html", "form", "fieldset"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f\v]+")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs"}
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii", "us-ascii"}


def decode_html(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode with the charset a <meta> declares (GBK/GB2312 read as GB18030), else by detection."""
    m = _META_CHARSET.search(data[:8192])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        enc = _ALIASES.get(declared, declared)
        if enc.replace("_", "-") in _WESTERN and not data.isascii():
            return decode_bytes(data, path)  # Chinese pages often declare Latin-1 by mistake; it never fails
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown declaration: fall back to detection
    return decode_bytes(data, path)


def html_to_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Visible text of an HTML report (see module doc)."""
    import lxml.etree
    import lxml.html

    text = decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        raise InputError(path, "empty HTML document")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(path, f"cannot parse HTML ({e})") from e
    check_html_depth(root, path)  # the walk below recurses
    out: list[str] = []
    _walk(root, out, pre=False)
    return _tidy(_unsoft("".join(out)))


def _walk(el, out: list[str], pre: bool, content: bool = False) -> None:
    """Append the visible text of ``el``; ``content`` is True inside <article>/<main>."""
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if not tag or tag in _SKIP or _is_chrome(el, tag, content):  # comments, PIs, skipped elements
        if el.tail:
            out.append(el.tail if pre else _ws(el.tail))
        return
    if tag == "table" and _is_layout_table(el):
        for tr in _rows_of(el):  # a page laid out in a table: its cells are blocks of text
            for cell in tr:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    out.append("\n")
                    _walk_children(cell, out, pre, content)
                    out.append("\n")
    elif tag == "table":
        out.append("\n")
        for child in el:  # a caption (第二十条第(一)项 ...) goes on its own line above the rows
            if isinstance(child.tag, str) and child.tag.lower() == "caption":
                out.append(_cell_text(child) + "\n")
        out.extend(line + "\n" for line in _table_rows(el))
    else:
        block = tag in _BLOCK
        if block:
            out.append("\n")
        inner_pre = pre or tag == "pre"
        inner_content = content or tag in ("article", "main")
        if el.text:
            out.append(el.text if inner_pre else _ws(el.text))
        for child in el:
            _walk(child, out, inner_pre, inner_content)
        if block:
            out.append("\n")
    if el.tail:
        out.append(el.tail if pre else _ws(el.tail))


def _walk_children(el, out: list[str], pre: bool, content: bool) -> None:
    if el.text:
        out.append(el.text if pre else _ws(el.text))
    for child in el:
        _walk(child, out, pre, content)


def _is_layout_table(table) -> bool:
    """A table used to lay out the page, not data: a cell holds a table, or it is one column."""
    rows = _rows_of(table)
    cells = [[c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")] for tr in rows]
    if any(next(c.iter("table"), None) is not None for row in cells for c in row):
        return True
    return bool(rows) and all(len(row) <= 1 for row in cells)


def _is_chrome(el, tag: str, content: bool) -> bool:
    """Site navigation, banners, footers and hidden elements: not part of the report."""
    if el.get("hidden") is not None or re.search(r"display\s*:\s*none", el.get("style", ""), re.I):
        return True
    if tag in _PAGE_CHROME and not content:
        return True
    tokens = set(re.split(r"[\s]+", f"{el.get('class', '')} {el.get('id', '')}".lower())) - {""}
    return bool(tokens & _CHROME_TOKENS) and tag not in ("body", "html", "main", "article") \
        and next(el.iter("table"), None) is None


_SOFT = "\u2063"  # marks source white space that held a line break
_SOFT_BETWEEN_WIDE = re.compile(r"(?<=[\u2e80-\uffff])[ \u2063]*\u2063[ \u2063]*(?=[\u2e80-\uffff])")


def _ws(s: str) -> str:
    """Collapse source white space; a break inside it is marked so it can vanish between CJK chars."""
    return _WS.sub(lambda m: _SOFT if "\n" in m.group() else " ", s)


def _unsoft(s: str) -> str:
    return re.sub(r"[ \u2063]*\u2063[ \u2063]*", " ", _SOFT_BETWEEN_WIDE.sub("", s))


def _cell_text(cell) -> str:
    parts: list[str] = []
    _walk(cell, parts, pre=False)
    lines = [ln.strip() for ln in _unsoft("".join(parts)).split("\n")]
    return join_wrapped([ln for ln in lines if ln])


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one table cell: nothing between two CJK characters, else one space."""
    out = ""
    for ln in lines:
        if out and not (_wide(out[-1]) or _wide(ln[0])):
            out += " "
        out += ln
    return out.replace("\t", " ")


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _rows_of(table) -> list:
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 1000))
    except ValueError:
        return 1


def _table_rows(table) -> list[str]:
    """One tab-separated line per row; rowspan-covered positions are blank fields."""
    lines: list[str] = []
    pending: dict[int, list[int]] = {}  # grid column → [rows still covered, width]
    for tr in _rows_of(table):
        fields: list[str] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        col = ci = 0
        while True:
            cover = pending.get(col)
            if cover and cover[0] > 0:
                fields.append("")
                cover[0] -= 1
                col += cover[1]
                continue
            if ci >= len(cells):
                for c, cov in pending.items():
                    if c > col and cov[0] > 0:
                        cov[0] -= 1
                break
            cell = cells[ci]
            ci += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            fields.append(_cell_text(cell))
            if rowspan > 1:
                pending[col] = [rowspan - 1, colspan]
            col += colspan
        pending = {c: cov for c, cov in pending.items() if cov[0] > 0}
        while fields and fields[-1] == "":
            fields.pop()
        if fields:
            lines.append("\t".join(fields))
    return lines


def _tidy(text: str) -> str:
    """Strip each line (a row's leading empty field stays), drop blank lines."""
    lines = [ln.strip(" \r") if "\t" in ln else ln.strip() for ln in text.split("\n")]
    out = [ln for ln in lines if ln.strip()]
    return "\n".join(out) + "\n" if out else ""
