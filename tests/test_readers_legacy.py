"""Legacy Word files (.doc, .wps): real Word 97 files made by LibreOffice when it is installed,
files that only carry a .doc name (a DOCX, an HTML page), and the error that names the fix when
LibreOffice is missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers import read_document, read_document_info
from gongkai.readers.legacy import OLE2, soffice

HAVE_SOFFICE = soffice() is not None
needs_soffice = pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed; "
                                   "apt-get install libreoffice-writer-nogui to run this test")


def make_docx(path: Path) -> Path:
    import docx
    from docx.shared import Cm

    d = docx.Document()
    d.add_paragraph("2022年度青石镇政府信息公开工作年度报告")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    for r, row in enumerate([["信息内容", "本年制发件数", "本年废止件数"], ["规章", "3", "0"],
                             ["行政规范性文件", "", "2"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
            t.cell(r, c).width = Cm(4)
    d.add_paragraph("本年度主动公开政府信息共77条。")
    d.save(str(path))
    return path


def soffice_convert(src: Path, fmt: str, out: Path) -> Path:
    profile = (out / "profile").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


@pytest.fixture(scope="module")
def word97(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real Word 97-2003 .doc (made DOCX → ODT → DOC: LibreOffice's direct DOCX → DOC export
    drops python-docx tables)."""
    if not HAVE_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("word97")
    odt = soffice_convert(make_docx(tmp / "report.docx"), "odt", tmp / "odt")
    doc = soffice_convert(odt, "doc", tmp / "doc")
    data = doc.read_bytes()
    assert data.startswith(OLE2)
    return data


EXPECTED = ["2022年度青石镇政府信息公开工作年度报告", "二、主动公开政府信息情况", "信息内容\t本年制发件数\t本年废止件数",
            "规章\t3\t0", "行政规范性文件\t\t2", "本年度主动公开政府信息共77条。"]


@needs_soffice
@pytest.mark.parametrize("name", ["报告.doc", "report.WPS"])
def test_word97_file_read_through_libreoffice(tmp_path: Path, word97: bytes, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(word97)
    text, info = read_document_info(p)
    assert [ln for ln in text.splitlines() if ln] == EXPECTED
    assert info.converted_with == "LibreOffice" and info.format == name.rsplit(".", 1)[1].lower()


@needs_soffice
def test_damaged_doc_is_a_clear_error(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    p = tmp_path / "broken.doc"
    p.write_bytes(OLE2 + bytes(rng.randrange(256) for _ in range(4000)))
    with pytest.raises(InputError) as e:
        read_document(p)
    assert e.value.path.endswith("broken.doc") and "LibreOffice" in e.value.problem


def test_docx_or_html_named_doc_needs_no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_SOFFICE", str(tmp_path / "no-such-soffice"))  # as on a machine without it
    docx_named_doc = make_docx(tmp_path / "a.docx").rename(tmp_path / "a.doc")
    assert [ln for ln in read_document(docx_named_doc).splitlines() if ln] == EXPECTED
    page = tmp_path / "b.doc"
    page.write_text("<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>",
                    encoding="utf-8")
    assert read_document(page).splitlines() == ["一、总体情况", "规章\t3"]


def test_without_libreoffice_the_error_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_SOFFICE", str(tmp_path / "no-such-soffice"))
    for name in ("old.doc", "old.wps"):
        p = tmp_path / name
        p.write_bytes(OLE2 + b"\0" * 2000)
        with pytest.raises(InputError) as e:
            read_document(p)
        assert e.value.path.endswith(name)
        assert "needs LibreOffice" in e.value.problem and "libreoffice-writer-nogui" in e.value.problem
        assert "save the file as .docx" in e.value.problem

