"""PDF → text with pdfplumber: per page, text lines outside tables and the tables' rows
(tab-separated, a cell's own line wraps joined) in top-to-bottom order; pages joined with a
line break. Encrypted, corrupt or truncated files raise ``InputError``; a PDF with no text
layer (a scan) is reported as such, since OCR is out of scope."""

from __future__ import annotations

import io
import logging
import os
import re

from gongkai.errors import InputError
from gongkai.readers.html import join_wrapped
from gongkai.readers.limits import check_pdf


def pdf_to_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Text of a .pdf report (see module doc)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:  # the header may follow up to 1 KB of junk
        raise InputError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-8192:]:
        raise InputError(path, "truncated PDF (no %%EOF end marker)")
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pdf(pdf, path)  # hard page limit before any page is parsed
            if not pdf.pages:
                raise InputError(path, "PDF has no pages")
            for page in pdf.pages:
                pages.append(_page_text(page))
                page.close()  # free the page's parsed objects: long reports stay small in memory
    except InputError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise InputError(path, f"encrypted PDF (password protected): {type(e).__name__}") from e
    except Exception as e:  # pdfminer raises many types for damaged files (PSEOF, PDFSyntaxError, ...)
        inner = [a for a in e.args if isinstance(a, BaseException)]  # pdfplumber wraps pdfminer's error
        if any(isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in inner):
            raise InputError(path, f"encrypted PDF (password protected): {type(inner[0]).__name__}") from e
        cause = inner[0] if inner else e
        raise InputError(path, f"corrupt PDF ({type(cause).__name__}: {cause})") from e
    text = "\n".join(p for p in pages if p)
    if not text.strip():
        raise InputError(path, "PDF has no text layer (a scanned image?); OCR it first")
    if unmapped_share(text) > 0.3:
        raise InputError(path, "PDF text has no Unicode mapping (mostly (cid:N) glyph codes); OCR it first")
    return text + "\n"


_CID = re.compile(r"\(cid:\d+\)")


def unmapped_share(text: str) -> float:
    """Share of the visible text that pdfminer could only print as ``(cid:N)`` glyph codes."""
    visible = len(re.sub(r"\s", "", text))
    if not visible:
        return 0.0
    return sum(len(m.group()) for m in _CID.finditer(text)) / visible


def _page_text(page) -> str:
    tables = page.find_tables() if page.edges else []  # ruled tables need ruling lines
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, str]] = []
    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines(layout=False, strip=True, return_chars=False):
        if line["text"].strip():
            items.append((line["top"], line["text"]))
    for table in tables:
        rows = []
        for row in table.extract():
            cells = [join_wrapped([s.strip() for s in (c or "").split("\n") if s.strip()]) for c in row]
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                rows.append("\t".join(cells))
        if rows:
            items.append((table.bbox[1], "\n".join(rows)))
    items.sort(key=lambda it: it[0])
    return "\n".join(text for _, text in items)
