"""Legacy Word files (.doc, and .wps, which is mostly the same binary format): converted to DOCX
by LibreOffice headless, then read like any DOCX.

Portals often publish a file named ``.doc`` that is something else: a DOCX (a zip), an HTML page
or an RTF file. The content decides: a zip is read as DOCX and HTML as HTML without LibreOffice;
the rest (Word 97-2003 binary, RTF, WPS) needs it. Without LibreOffice the error names the fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.errors import InputError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, WPS: an OLE2 compound file
DEFAULT_TIMEOUT_S = 120
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
                "or set GONGKAI_SOFFICE to its soffice program), or save the file as .docx")


def soffice() -> str | None:
    """The LibreOffice program: $GONGKAI_SOFFICE, else ``soffice``/``libreoffice`` on PATH."""
    env = os.environ.get("GONGKAI_SOFFICE")
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    return shutil.which("soffice") or shutil.which("libreoffice")


def sniff(data: bytes) -> str:
    """What a legacy-named file really holds: ``docx``, ``html``, ``rtf``, ``ole2`` or ``unknown``."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(OLE2):
        return "ole2"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512] \
            or head.startswith(b"mime-version"):
        return "html"
    return "unknown"


def legacy_to_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str | None]:
    """(text, converter) of a .doc/.wps file; converter is None when no conversion was needed."""
    kind = sniff(data)
    if kind == "docx":
        from gongkai.readers.docx import docx_to_text

        return docx_to_text(data, path), None
    if kind == "html":
        from gongkai.readers.html import html_to_text

        return html_to_text(data, path), None
    suffix = Path(path).suffix.lower() or ".doc"
    program = soffice()
    if program is None:
        raise InputError(path, f"a legacy Word file ({suffix}) needs LibreOffice to be read: {INSTALL_HINT}")
    docx_bytes = convert_to_docx(data, path, program)
    from gongkai.readers.docx import docx_to_text

    text = docx_to_text(docx_bytes, path)
    if garbage_share(text) > 0.05:
        raise InputError(path, f"LibreOffice read this {suffix} file as garbage (damaged, encrypted or not a "
                               "Word document)")
    return text, "LibreOffice"


def garbage_share(text: str) -> float:
    """Share of characters no report holds: private-use, unassigned, replacement and Hangul (what
    LibreOffice yields when it falls back to reading a damaged binary as text)."""
    import unicodedata

    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    bad = sum(1 for c in visible if c == "\ufffd" or "\uac00" <= c <= "\ud7a3"
              or unicodedata.category(c) in ("Co", "Cn", "Cs"))
    return bad / len(visible)


def convert_to_docx(data: bytes, path: str | os.PathLike[str], program: str) -> bytes:
    """DOCX bytes of a legacy document, converted by ``soffice --headless`` in a private profile
    (so conversions may run side by side) under a time limit ($GONGKAI_SOFFICE_TIMEOUT seconds)."""
    timeout = float(os.environ.get("GONGKAI_SOFFICE_TIMEOUT", DEFAULT_TIMEOUT_S))
    suffix = Path(path).suffix.lower() or ".doc"
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        cmd = [program, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
               str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise InputError(path, f"LibreOffice did not convert it within {timeout:.0f}s "
                                   "(set GONGKAI_SOFFICE_TIMEOUT)") from e
        except OSError as e:
            raise InputError(path, f"cannot run LibreOffice ({program}: {e.strerror or e}); {INSTALL_HINT}") from e
        result = out / "input.docx"
        if proc.returncode != 0 or not result.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            why = detail[-1][:200] if detail else f"exit status {proc.returncode}"
            raise InputError(path, f"LibreOffice could not convert this {suffix} file (damaged or not a "
                                   f"Word document?): {why}")
        return result.read_bytes()
