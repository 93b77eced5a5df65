"""OCR of scanned PDF pages on files the tests make: a generated report's page drawn as an image
with a CJK font, a scanned table with blank cells and wrapped labels, and a PDF whose first page
has a text layer and whose second is a scan (only that one is OCR'd). Kept to three small pages
at 150 dpi so it stays fast on two cores."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.readers import read_document, read_document_info
from gongkai.readers.ocr import Band, Box, layout_lines
from gongkai.readers.scan import find_cjk_font, scan_pdf

DPI = 150


def _need_ocr() -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra not installed (make setup installs it)")
    if find_cjk_font() is None:
        pytest.skip("no CJK font to draw the scanned test pages (the dev extra installs cvttf-NotoSansCJK-Regular)")


# ------------------------------------------------------------------ layout from boxes (no OCR)


def test_layout_rows_cells_and_blank_cells_from_box_positions() -> None:
    bands = [Band(100, 140, [10, 200, 300, 400, 500]), Band(140, 220, [10, 200, 300, 400, 500])]
    boxes = [
        Box(20, 110, 120, 130, "信息内容", 0.99),
        Box(210, 110, 490, 130, "本年制发件数|本年废止件数|现行有效件数", 0.9),  # read across two rules
        Box(20, 150, 190, 170, "行政规范性", 0.98),  # a label wrapped inside its cell
        Box(20, 180, 100, 200, "文件", 0.97),
        Box(220, 160, 240, 190, "5", 0.95),  # the third cell is blank
        Box(420, 160, 440, 190, "12", 0.5),
        Box(20, 20, 300, 40, "二、主动公开政府信息情况", 1.0),  # above the table
        Box(20, 300, 90, 320, "规章", 1.0),  # an unruled row: cells far apart
        Box(250, 300, 270, 320, "0", 1.0),
    ]
    lines = layout_lines(boxes, bands)
    texts = [t for t, _ in lines]
    assert texts == ["二、主动公开政府信息情况", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
                     "行政规范性文件\t5\t\t12", "规章\t0"]
    row_conf = dict(lines)["行政规范性文件\t5\t\t12"]
    assert 0.5 < row_conf < 0.98  # weighted by characters over the row's boxes


@pytest.mark.parametrize(("read", "cell"), [("。", "0"), ("o", "0"), ("0。", "0"), ("1o", "10"), ("lo", "0"),
                                              ("一", "-"), ("12", "12"), ("2,406.5", "2,406.5"), ("行政许可", "行政许可"),
                                              ("（二）部分公开（区分处理的)", "（二）部分公开（区分处理的）")])
def test_number_cell_look_alikes(read: str, cell: str) -> None:
    from gongkai.readers.ocr import fix_cell

    assert fix_cell(read) == cell


# ------------------------------------------------------------------ real OCR


def _excerpt(text: str, stop: str) -> str:
    return text[: text.index(stop)]


def test_scanned_generated_report_page_extracts_like_its_text(tmp_path: Path) -> None:
    """A generated report's first sections as an image-only page: OCR text gives the same table
    values, organ and year as the report's own text."""
    _need_ocr()
    from gongkai.pipeline import extract_text
    from gongkai.synth import generate

    doc = generate(1, seed=11, layout="tab", wrap=0, page_numbers=0, blank_lines=0, markdown=0,
                   traditional=0, radicals=0, fullwidth=0, pinyin_gloss=0, subsections=0)[0]
    stop = next(h for h in ("三、收到和处理", "三、") if h in doc.text)
    text = _excerpt(doc.text, stop)
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scan_pdf(text, dpi=DPI))
    import pdfplumber

    with pdfplumber.open(pdf) as p:
        assert not "".join(pg.extract_text() or "" for pg in p.pages).strip()  # truly image-only
    ocr_text, info = read_document_info(pdf)
    assert info.ocr_pages == list(range(1, info.pages + 1)) and info.ocr_confidence > 0.9
    want = extract_text(text, "t", method="rules").to_json_dict()
    got = extract_text(ocr_text, "t", method="rules").to_json_dict()
    assert got["active_disclosure"] == want["active_disclosure"] == doc.gold["active_disclosure"]
    assert got["meta"]["organ"] == want["meta"]["organ"]
    assert got["meta"]["report_year"] == want["meta"]["report_year"]
    # provenance can say which values came through OCR, with the confidence of their line
    via_ocr = info.ocr_provenance(got)
    cells = [p for p in got["provenance"] if p.startswith("active_disclosure.")]
    assert cells and all(0.5 < via_ocr[p] <= 1.0 for p in cells)
    # the batch output says which pages were OCR'd and caps each value's confidence at its OCR's
    import json

    from gongkai.batch.discover import DocTask
    from gongkai.batch.runner import BatchConfig, process_document

    (tmp_path / "out").mkdir()
    out = process_document(DocTask(str(pdf), "scan", "scan.pdf"),
                           BatchConfig(out_dir=str(tmp_path / "out"), method="rules"))
    assert out["status"] == "done", out.get("error")
    data = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    check = next(c for c in data["checks"] if c["rule"] == "read.ocr")
    assert check["status"] == "pass" and f"pages {info.ocr_pages}" in check["detail"]
    for path in cells:
        assert data["provenance"][path]["confidence"] <= round(via_ocr[path], 4)


SCANNED_TABLE = "\n".join([
    "三、收到和处理政府信息公开申请情况",
    "\t自然人\t法人或其他组织\t总计",
    "一、本年新收政府信息公开申请数量\t12\t3\t15",
    "二、上年结转政府信息公开申请数量\t\t1\t1",  # a blank cell
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t2\t0\t2",  # a wrapped label
    "四、结转下年度继续办理\t0\t0\t0",
]) + "\n"


def _text_page_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "2022年度青石镇政府信息公开工作年度报告")
    c.drawString(72, 740, "一、总体情况")
    c.save()
    return buf.getvalue()


def test_text_page_kept_and_only_the_scanned_page_ocrd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture) -> None:
    _need_ocr()
    monkeypatch.setenv("GONGKAI_PROGRESS", "1")  # per-page progress on stderr (else only on a terminal)
    import pypdfium2

    merged = pypdfium2.PdfDocument.new()
    for part in (_text_page_pdf(), scan_pdf(SCANNED_TABLE, dpi=DPI)):
        merged.import_pages(pypdfium2.PdfDocument(part))
    buf = io.BytesIO()
    merged.save(buf)
    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(buf.getvalue())

    text, info = read_document_info(pdf)
    assert info.pages == 2 and info.ocr_pages == [2]
    lines = text.splitlines()
    assert lines[:2] == ["2022年度青石镇政府信息公开工作年度报告", "一、总体情况"]  # the text layer, untouched
    assert lines[2:] == SCANNED_TABLE.splitlines()  # rows rebuilt: blank cell kept, wrapped label joined
    first_ocr = info.ocr_lines[0]
    assert text[first_ocr[0]:first_ocr[1]] == lines[2]
    assert info.confidence_at(0, 5) is None  # text-layer characters did not come through OCR
    assert info.to_dict()["ocr_pages"] == [2]
    err = capsys.readouterr().err
    assert "mixed.pdf: page 2 (1/1)" in err and "confidence" in err


def test_scan_without_ocr_packages_names_the_fix(tmp_path: Path) -> None:
    if find_cjk_font() is None:
        pytest.skip("no CJK font to draw the scanned test page")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scan_pdf("二、主动公开政府信息情况\n", dpi=100))
    code = ("import sys; sys.modules['rapidocr_onnxruntime'] = None\n"  # as if the extra were not installed
            "from gongkai.readers import read_document\n"
            f"read_document({str(pdf)!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "scan.pdf: PDF has no text layer on page(s) 1" in proc.stderr
    assert "pip install 'gongkai[ocr]'" in proc.stderr


def test_blank_pdf_is_still_an_error(tmp_path: Path) -> None:
    _need_ocr()
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(72, 600, 300, 100, fill=1)  # graphics only, no words
    c.save()
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match=r"blank\.pdf: PDF has no text layer and OCR found no text"):
        read_document(pdf)


def test_too_many_scanned_pages_is_refused_before_any_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if find_cjk_font() is None:
        pytest.skip("no CJK font to draw the scanned test pages")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(scan_pdf("\n".join(f"第{i}行政府信息公开" for i in range(90)), dpi=72))
    monkeypatch.setenv("GONGKAI_MAX_OCR_PAGES", "1")
    with pytest.raises(InputError, match=r"long\.pdf: \d+ scanned pages to OCR \(limit 1"):
        read_document(pdf)
