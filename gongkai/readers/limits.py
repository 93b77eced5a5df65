"""Hard limits checked before memory is spent on a hostile file.

A report is a few pages and a few tens of thousands of characters. The byte-size limit on the
file (``GONGKAI_MAX_BYTES``) does not stop a 1 MB DOCX that unpacks to 400 MB, a 500-page PDF or
HTML nested thousands deep, so each reader calls one of these checks at the point where the
expensive work would start. Each limit has an environment variable; a broken one is a
``ConfigError``, a file over a limit an ``InputError`` naming the limit and how to raise it.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from gongkai.errors import InputError

__all__ = ["Limits", "limits", "check_zip", "check_text", "check_pages", "check_html_depth"]


@dataclass(frozen=True, slots=True)
class Limits:
    unzipped_bytes: int = 100 * 1024 * 1024  # all members of a DOCX (or any zip) together
    zip_ratio: int = 100  # uncompressed / compressed of any member over 1 MB unpacked
    chars: int = 2_000_000  # characters of extracted text (a long report has ~100 000)
    pages: int = 300  # PDF pages
    html_depth: int = 900  # nesting of HTML elements (read with huge_tree; the text walk recurses, below Python's 1000)


_ENV = {
    "unzipped_bytes": "GONGKAI_MAX_UNZIPPED_BYTES",
    "zip_ratio": "GONGKAI_MAX_ZIP_RATIO",
    "chars": "GONGKAI_MAX_CHARS",
    "pages": "GONGKAI_MAX_PAGES",
    "html_depth": "GONGKAI_MAX_HTML_DEPTH",
}
_RATIO_FLOOR = 1024 * 1024  # small members may compress well (empty styles, repeated runs)


def limits() -> Limits:
    """The defaults, each overridden by its environment variable (a positive whole number)."""
    from gongkai.settings import env_positive_int

    defaults = Limits()
    return Limits(**{name: env_positive_int(var, getattr(defaults, name)) for name, var in _ENV.items()})


def check_zip(data_or_zip: bytes | zipfile.ZipFile, path: str | os.PathLike[str]) -> None:
    """Refuse a zip package (DOCX, XLSX …) that would unpack past the limits: first by the sizes
    its directory declares, then by inflating each member in chunks (a directory can lie), never
    holding more than one chunk."""
    import io

    lim = limits()
    zf = data_or_zip if isinstance(data_or_zip, zipfile.ZipFile) else None
    try:
        if zf is None:
            zf = zipfile.ZipFile(io.BytesIO(data_or_zip))
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > lim.unzipped_bytes:
            raise InputError(path, _too_big(declared, lim))
        for info in infos:
            _check_ratio(info.filename, info.file_size, info.compress_size, lim, path)
        total = 0
        for info in infos:
            inflated = 0
            with zf.open(info) as member:
                while chunk := member.read(1 << 20):
                    inflated += len(chunk)
                    total += len(chunk)
                    if total > lim.unzipped_bytes:
                        raise InputError(path, _too_big(total, lim, "at least "))
                    _check_ratio(info.filename, inflated, info.compress_size, lim, path)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            ValueError) as e:
        raise InputError(path, f"damaged zip package ({type(e).__name__}: {e})") from e
    except Exception as e:  # zlib.error and friends from a corrupt member
        raise InputError(path, f"damaged zip package ({type(e).__name__}: {e})") from e


def _too_big(size: int, lim: Limits, prefix: str = "") -> str:
    return (f"zip package unpacks to {prefix}{size:,} bytes (limit {lim.unzipped_bytes:,}; a zip bomb? "
            f"set {_ENV['unzipped_bytes']} to allow more)")


def _check_ratio(name: str, size: int, packed: int, lim: Limits, path) -> None:
    if size > _RATIO_FLOOR and size > lim.zip_ratio * max(packed, 1):
        raise InputError(path, f"zip member {name} unpacks {size // max(packed, 1)}× its packed size "
                               f"(limit {lim.zip_ratio}×; a zip bomb? set {_ENV['zip_ratio']} to allow more)")


def check_text(text: str, path: str | os.PathLike[str]) -> str:
    """Refuse extracted text longer than a report could be (extraction time grows with it)."""
    lim = limits().chars
    if len(text) > lim:
        raise InputError(path, f"text too long ({len(text):,} characters; limit {lim:,}, "
                               f"set {_ENV['chars']} to allow more)")
    return text


def check_pages(n_pages: int, path: str | os.PathLike[str]) -> None:
    """Refuse a PDF with more pages than a report has, before any page is parsed."""
    lim = limits().pages
    if n_pages > lim:
        raise InputError(path, f"PDF has {n_pages} pages (limit {lim}; set {_ENV['pages']} to allow more)")


def pdf_page_count(pdf) -> int:
    """Pages a pdfplumber PDF declares in its page tree (/Count), without building the pages;
    falls back to counting them when the tree gives no count."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        if isinstance(count, int):
            return count
    except Exception:  # noqa: BLE001 - a damaged tree: count the pages the slow way
        pass
    return len(pdf.pages)


def check_pdf(pdf, path: str | os.PathLike[str]) -> None:
    """``check_pages`` for an open pdfplumber PDF (the one-line hook in the PDF reader)."""
    check_pages(pdf_page_count(pdf), path)


def check_html_depth(root, path: str | os.PathLike[str]) -> None:
    """Refuse an element tree nested deeper than ``html_depth`` (walked without recursion)."""
    lim = limits().html_depth
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > lim:
            raise InputError(path, f"HTML nested more than {lim} elements deep "
                                   f"(set {_ENV['html_depth']} to allow more)")
        stack.extend((child, depth + 1) for child in el)
