"""PDF → text with pdfplumber: per page, text lines outside tables and the tables' rows
(tab-separated, a cell's own line wraps joined) in top-to-bottom order; pages joined with a
line break. Encrypted, corrupt or truncated files raise ``InputError``.

A page without a usable text layer (a scanned image, or glyphs with no Unicode mapping) is read
by OCR (``gongkai.readers.ocr``, the ``ocr`` extra) in the same row/tab form; ``pdf_read`` says
which pages and how confident the OCR was. Without the OCR packages a scan is an error naming
the fix; a text PDF with a few scanned pages is read without them and lists them as unread."""

from __future__ import annotations

import io
import logging
import os
import re

from gongkai.errors import InputError
from gongkai.readers.html import join_wrapped
from gongkai.readers.info import ReadInfo
from gongkai.readers.limits import check_pdf


def pdf_to_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Text of a .pdf report (see module doc)."""
    return pdf_read(data, path)[0]


def pdf_read(data: bytes, path: str | os.PathLike[str]) -> tuple[str, ReadInfo]:
    """Text of a .pdf report and how it was read (see module doc)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:  # the header may follow up to 1 KB of junk
        raise InputError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-8192:]:
        raise InputError(path, "truncated PDF (no %%EOF end marker)")
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pages: list[str] = []
    scanned: list[int] = []  # 1-based numbers of pages to OCR
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pdf(pdf, path)  # hard page limit before any page is parsed
            if not pdf.pages:
                raise InputError(path, "PDF has no pages")
            for number, page in enumerate(pdf.pages, start=1):
                text = _page_text(page)
                if _needs_ocr(page, text):
                    scanned.append(number)
                    text = ""
                pages.append(text)
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
    info = ReadInfo("pdf", pages=len(pages))
    if not scanned and not "".join(pages).strip():
        scanned = list(range(1, len(pages) + 1))  # no text and no images: vector glyphs? OCR them all
    return _with_ocr(data, path, pages, scanned, info), info


def _with_ocr(data: bytes, path, pages: list[str], scanned: list[int], info: ReadInfo) -> str:
    """Join the pages, OCR'ing the ``scanned`` ones; record OCR'd lines' offsets in ``info``."""
    from gongkai.readers import ocr

    lines_of: dict[int, list[tuple[str, float]]] = {}
    has_text = any(p.strip() for p in pages)
    if scanned and (ocr.ocr_available() or not has_text):
        limit = ocr.max_pages()
        if len(scanned) > limit:
            raise InputError(path, f"{len(scanned)} scanned pages to OCR (limit {limit}, about "
                                   f"{ocr.SECONDS_PER_PAGE} s a page on 2 cores; set GONGKAI_MAX_OCR_PAGES)")
        for res in ocr.ocr_pdf_pages(data, scanned, path):
            lines_of[res.number] = res.lines
        info.ocr_pages = [n for n in scanned if lines_of.get(n)]
    elif scanned:
        info.unread_pages = scanned
    parts: list[str] = []
    pos = 0
    for number, page in enumerate(pages, start=1):
        if number in lines_of:
            for line, conf in lines_of[number]:
                if parts:
                    pos += 1  # the joining line break
                info.ocr_lines.append((pos, pos + len(line), conf))
                parts.append(line)
                pos += len(line)
        elif page:
            if parts:
                pos += 1
            parts.append(page)
            pos += len(page)
    text = "\n".join(parts)
    if not text.strip():
        if scanned and info.pages:
            raise InputError(path, f"PDF has no text layer and OCR found no text on its {info.pages} page(s)")
        raise InputError(path, "PDF has no text layer")
    if unmapped_share(text) > 0.3:
        raise InputError(path, "PDF text has no Unicode mapping (mostly (cid:N) glyph codes); "
                               f"OCR could not replace it ({ocr.INSTALL_HINT})")
    return text + "\n"


def _needs_ocr(page, text: str) -> bool:
    """No usable text layer: (almost) no text but an image on the page, or mostly (cid:N) codes."""
    visible = len(re.sub(r"\s", "", text))
    if visible and unmapped_share(text) > 0.3:
        return True
    if visible >= 30:
        return False
    area = float(page.width * page.height) or 1.0
    covered = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
    return covered / area > (0.05 if not visible else 0.4)


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
