"""DOCX → text: body paragraphs and tables in document order (walking the body XML), each
table row one tab-separated line. A horizontally merged cell (gridSpan) is printed once; a
position continued from a vertical merge above (vMerge) is an empty field, like HTML rowspan."""

from __future__ import annotations

import io
import os
import zipfile

from gongkai.errors import InputError
from gongkai.readers.html import join_wrapped
from gongkai.readers.limits import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP_TAGS = {f"{W}del", f"{W}delText", f"{W}instrText", f"{W}rPr", f"{W}pPr", f"{MC}Fallback",
              f"{W}footnoteReference", f"{W}commentReference"}


def docx_to_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Text of a .docx report (see module doc)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(path, "not a DOCX file (not a zip package; an old .doc saved as .docx?)")
    check_zip(data, path)  # hard limits before anything is unpacked
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise InputError(path, f"cannot open DOCX ({type(e).__name__}: {e})") from e
    except Exception as e:  # lxml.etree.XMLSyntaxError and friends from a damaged part
        raise InputError(path, f"corrupt DOCX ({type(e).__name__}: {e})") from e
    lines: list[str] = []
    _block_items(document.element.body, lines)
    return "\n".join(lines) + "\n" if lines else ""


def _block_items(parent, lines: list[str]) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            lines.append(_para_text(child))
        elif tag == f"{W}tbl" and _is_layout_table(child):
            for tc in child.iter(f"{W}tc"):  # a page laid out in a table: cells are blocks
                if tc.getparent().getparent() is child:
                    _block_items(tc, lines)
        elif tag == f"{W}tbl":
            lines.extend(_table_rows(child))
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            inner = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
            if inner is not None:
                _block_items(inner, lines)


def _is_layout_table(tbl) -> bool:
    """A table used for layout, not data: a cell holds a table, or it is one column."""
    rows = list(tbl.iterchildren(f"{W}tr"))
    cells = [list(tr.iterchildren(f"{W}tc")) for tr in rows]
    if any(tc.find(f".//{W}tbl") is not None for row in cells for tc in row):
        return True
    return bool(rows) and all(len(row) <= 1 for row in cells)


def _para_text(p) -> str:
    """Text of a paragraph: runs (also inside hyperlinks, insertions, text boxes), tabs and breaks.
    Deleted text (tracked changes) and the duplicate ``mc:Fallback`` copy of a drawing are skipped."""
    parts: list[str] = []
    _runs(p, parts)
    return "".join(parts)


def _runs(el, parts: list[str]) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}p" and parts:
            parts.append("\n")  # a paragraph inside a text box
            _runs(child, parts)
        else:
            _runs(child, parts)


def _cell_text(tc) -> str:
    parts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == f"{W}p":
            parts.extend(_para_text(child).split("\n"))
        elif child.tag == f"{W}tbl":
            parts.extend(r.replace("\t", " ") for r in _table_rows(child))
    return join_wrapped([s.strip() for s in parts if s.strip()])


def _table_rows(tbl) -> list[str]:
    lines = []
    for tr in tbl.iterchildren(f"{W}tr"):
        fields: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            if vmerge is not None and vmerge.get(f"{W}val", "continue") != "restart":
                fields.append("")  # continued from the cell above: printed once, there
            else:
                fields.append(_cell_text(tc))
        while fields and fields[-1] == "":
            fields.pop()
        if fields:
            lines.append("\t".join(fields))
    return lines
