"""``gongkai extract`` on a folder that mixes every supported extension with unsupported ones:
every file is extracted or listed in errors.jsonl with its reason, and the counts in summary.json
add up to the files in the folder. Run as a separate process, like a user would."""

from __future__ import annotations

import html
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from gongkai.readers import SUFFIXES
from gongkai.readers.legacy import OLE2, soffice

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def _report_text() -> str:
    from gongkai.synth import generate

    return generate(1, seed=21, layout="pipe", crlf=0)[0].text


def _html(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def _docx(text: str, path: Path) -> None:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    d.save(str(path))


def _pdf(text: str) -> bytes:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph(html.escape(ln), style) for ln in text.splitlines() if ln.strip()])
    return buf.getvalue()


def _word97(docx_path: Path, out: Path) -> bytes | None:
    """A real .doc made by LibreOffice, or None without it."""
    if soffice() is None:
        return None
    subprocess.run([soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    return (out / f"{docx_path.stem}.doc").read_bytes()


def test_mixed_folder_every_file_extracted_or_listed(tmp_path: Path) -> None:
    text = _report_text()
    src = tmp_path / "in"
    src.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    _docx(text, work / "made.docx")
    word97 = _word97(work / "made.docx", work)
    for suffix in SUFFIXES:
        p = src / f"r{suffix.replace('.', '_')}{suffix}"
        if suffix in (".txt", ".md", ".text"):
            p.write_text(text, encoding="utf-8")
        elif suffix in (".html", ".htm", ".shtml", ".xhtml"):
            p.write_text(_html(text), encoding="utf-8")
        elif suffix == ".docx":
            p.write_bytes((work / "made.docx").read_bytes())
        elif suffix == ".pdf":
            p.write_bytes(_pdf(text))
        else:  # .doc, .wps: a real Word 97 file, or (no LibreOffice) an OLE2 header that needs it
            p.write_bytes(word97 or OLE2 + b"\0" * 4000)
    unsupported = {"table.xls": OLE2 + b"\0" * 100, "scan.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 100,
                   "bundle.zip": b"PK\x05\x06" + b"\0" * 18, "list.csv": "机关,条数\n".encode(), "README": b"notes",
                   "data.json": b"{}"}
    for name, data in unsupported.items():
        (src / name).write_bytes(data)
    (src / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # hidden: skipped and counted, not an error
    out = tmp_path / "out"

    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "extract", str(src), "-o", str(out),
                           "--method", "rules"], capture_output=True, text=True, env=ENV, timeout=600)
    assert proc.returncode == 1, proc.stderr  # some files failed: the unsupported ones
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    errors = {Path(e["file"]).name: e for e in map(json.loads, (out / "errors.jsonl").read_text(
        encoding="utf-8").splitlines())}
    visible = [p for p in src.iterdir() if not p.name.startswith(".")]
    assert summary["done"] + summary["failed"] + summary["skipped"] == len(visible)
    assert summary["failed"] == len(errors)
    for name in unsupported:
        assert errors[name]["message"].startswith("unsupported file type"), errors[name]
    got: dict[str, dict] = {}
    for p in visible:
        if p.name in unsupported:
            continue
        if p.suffix in (".doc", ".wps") and word97 is None:
            assert "needs LibreOffice" in errors[p.name]["message"]
            continue
        assert p.name not in errors, errors.get(p.name)
        report = json.loads((out / f"{p.stem}.json").read_text(encoding="utf-8"))
        assert report["meta"]["report_year"] is not None and any(report["sections"].values()), p.name
        got[p.suffix] = {k: report[k] for k in ("meta", "active_disclosure", "requests")}
    assert "1 skipped: hidden" in proc.stderr and ".DS_Store" in proc.stderr
    differ = {suffix for suffix, values in got.items() if values != got[".txt"]}
    assert not differ, f"read differently from the .txt: {sorted(differ)}"
