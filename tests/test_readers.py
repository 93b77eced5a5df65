"""Readers on real files written by the tests: text encodings, HTML, DOCX, PDF and bad input."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from gongkai.errors import InputError
from gongkai.normalise import normalise
from gongkai.readers import decode_bytes, read_document

REPORT = "2020年政府信息公开工作年度报告\n一、总体情况\n本机关全年主动公开政府信息129条。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------ plain text


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b""),
     ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_text_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    p = write(tmp_path, "r.txt", prefix + REPORT.encode(encoding))
    assert read_document(p) == REPORT


def test_utf16_without_bom(tmp_path: Path) -> None:
    text = "Report 2020\n" + REPORT
    for enc in ("utf-16-le", "utf-16-be"):
        assert read_document(write(tmp_path, f"{enc}.txt", text.encode(enc))) == text


def test_office_and_pdf_files_renamed_txt_are_binary(tmp_path: Path, pdf_bytes: bytes) -> None:
    docx_path = tmp_path / "r.docx"
    make_docx(docx_path)
    for name, data in (("pdf.txt", pdf_bytes), ("docx.txt", docx_path.read_bytes())):
        with pytest.raises(InputError) as e:
            read_document(write(tmp_path, name, data))
        assert name in str(e.value) and ("binary" in e.value.problem or "decode" in e.value.problem)


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = REPORT + "𪚥䶮镇人民政府\n"  # outside GBK: astral and Ext-A characters
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert read_document(write(tmp_path, "r.md", data)) == text


def test_bom_is_not_part_of_the_text_and_offsets_index_after_it(tmp_path: Path) -> None:
    text = read_document(write(tmp_path, "r.text", codecs.BOM_UTF8 + REPORT.encode()))
    assert text[0] == "2"
    i = text.index("主动公开")
    assert text[i:i + 4] == "主动公开"


def test_crlf_kept_as_read_and_normaliser_maps_back(tmp_path: Path) -> None:
    p = write(tmp_path, "r.txt", REPORT.replace("\n", "\r\n").encode("gbk"))
    text = read_document(p)
    assert text.count("\r\n") == 3
    n = normalise(text)
    s = n.text.index("一、总体情况")
    rs, re_ = n.to_raw(s, s + len("一、总体情况\n本机关"))
    assert text[rs:re_] == "一、总体情况\r\n本机关"


def test_empty_and_whitespace_only(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b" \r\n\t\n")):
        with pytest.raises(InputError) as e:
            read_document(write(tmp_path, name, data))
        assert name in str(e.value) and "empty" in e.value.problem


def test_binary_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"bin\.txt: binary file: this is a PNG image"):
        read_document(write(tmp_path, "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    with pytest.raises(InputError, match=r"nul\.txt: binary file \(contains NUL"):
        read_document(write(tmp_path, "nul.txt", b"\x00\x01\x00\x00" + "政府".encode() * 10 + b"\x00\x00\x07"))
    with pytest.raises(InputError, match=r"ctl\.txt: binary file"):
        read_document(write(tmp_path, "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 20 + b"abc"))


def test_undecodable_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_document(write(tmp_path, "bad.txt", "政府".encode() + b"\xff\xff\x80 \x80\xfe"))
    assert "bad.txt" in str(e.value) and "cannot decode" in e.value.problem


def test_decode_bytes_direct() -> None:
    assert decode_bytes("公开".encode("gb2312"), "x.txt") == "公开"
    assert "息通".encode("gbk").decode("utf-8") == "\u03e2\u0368"  # GBK 息通 is valid UTF-8 too ...
    assert decode_bytes("息通".encode("gbk"), "x.txt") == "息通"  # ... but read as Chinese
    with pytest.raises(InputError, match="x.txt"):
        decode_bytes(b"", "x.txt")


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "big.txt", REPORT.encode())
    monkeypatch.setenv("GONGKAI_MAX_BYTES", "50")
    with pytest.raises(InputError, match=r"big\.txt: file too large"):
        read_document(p)
    monkeypatch.setenv("GONGKAI_MAX_BYTES", "100000")
    assert read_document(p) == REPORT


def test_bad_size_limit_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.errors import ConfigError

    monkeypatch.setenv("GONGKAI_MAX_BYTES", "20MB")
    with pytest.raises(ConfigError, match="GONGKAI_MAX_BYTES"):
        read_document(write(tmp_path, "r.txt", REPORT.encode()))


@pytest.mark.parametrize("name", ["report.xls", "report.xlsx", "report", "report.jpg"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    p = write(tmp_path, name, REPORT.encode())
    with pytest.raises(InputError) as e:
        read_document(p)
    assert name in str(e.value) and "unsupported file type" in e.value.problem


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt: file not found"):
        read_document(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path / "dir.txt")


def test_corpus_text_files_read_as_utf8(corpus: Path) -> None:
    files = sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev" / "docs").glob("*.txt"))
    assert files
    for f in files:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            assert read_document(f) == fh.read(), f


# ------------------------------------------------------------------ HTML

HTML = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>年报</title><style>p {{ color: red }}</style></head>
<body><header>网站首页 | 无障碍</header><nav>导航 栏目</nav>
<script>var t = "脚本里的字";</script>
<h2>2020年九峰镇政府信息公开<br>工作年度报告</h2>
<div><p>一、总体情况</p><p>本机关全年
主动公开政府信息<b>129</b>条。</p></div>
<table border="1"><caption>第二十条第（一）项</caption>
<thead><tr><th rowspan="2">信息内容</th><th colspan="3">本年新收</th></tr>
<tr><th>自然人</th><th>法人或其他组织</th><th>总计</th></tr></thead>
<tbody><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td><td>0</td><td>3</td></tr>
<tr><td>（一）予以公开</td><td>2</td><td></td><td>2</td></tr></tbody>
</table>
<p>二、主动公开{extra}</p>
<footer>版权所有 联系我们</footer>
</body></html>"""


def test_html_table_rows_tabs_script_dropped(tmp_path: Path) -> None:
    text = read_document(write(tmp_path, "r.html", HTML.format(extra="").encode("gbk")))
    lines = text.split("\n")
    assert "信息内容\t本年新收" in lines
    assert lines[lines.index("信息内容\t本年新收") - 1] == "第二十条第（一）项"  # the caption above the rows
    assert "\t自然人\t法人或其他组织\t总计" in lines  # rowspan leaves a blank field
    assert "一、本年新收政府信息公开申请数量\t3\t0\t3" in lines
    assert "（一）予以公开\t2\t\t2" in lines
    assert "本机关全年主动公开政府信息129条。" in lines  # source line break between CJK removed
    for dropped in ("脚本里的字", "color", "导航", "版权所有", "网站首页", "年报"):
        assert dropped not in text
    assert text.index("一、总体情况") < text.index("信息内容") < text.index("二、主动公开")
    assert "2020年九峰镇政府信息公开\n工作年度报告" in text


def test_html_charset_detected_without_meta(tmp_path: Path) -> None:
    html = HTML.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    for enc, name in (("utf-8", "a.htm"), ("gb18030", "b.htm")):
        text = read_document(write(tmp_path, name, html.format(extra="𪚥").encode(enc)))
        assert "二、主动公开𪚥" in text


def test_html_wrong_meta_charset_falls_back(tmp_path: Path) -> None:
    html = HTML.replace("gb2312", "utf-8").format(extra="")
    assert "（一）予以公开\t2\t\t2" in read_document(write(tmp_path, "w.html", html.encode("gb18030")))


def test_html_declared_latin1_but_gbk(tmp_path: Path) -> None:
    html = HTML.replace("gb2312", "ISO-8859-1").format(extra="")
    assert "（一）予以公开\t2\t\t2" in read_document(write(tmp_path, "l.html", html.encode("gbk")))


def test_html_without_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"e\.html: no text"):
        read_document(write(tmp_path, "e.html", b"<html><body><script>x=1</script></body></html>"))


# ------------------------------------------------------------------ DOCX


def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("2020年政府信息公开工作年度报告")
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).text = "行政复议"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "行政诉讼"
    t.cell(0, 0).merge(t.cell(1, 0))
    for j, v in enumerate(["结果维持", "结果纠正", "总计"], start=1):
        t.cell(1, j).text = v
    for j, v in enumerate(["1", "0", "2", "3"]):
        t.cell(2, j).text = v
    cell = t.cell(2, 0)
    cell.add_paragraph("件")
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    p = tmp_path / "r.docx"
    make_docx(p)
    text = read_document(p)
    lines = text.split("\n")
    assert lines[:2] == ["2020年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况"]
    assert lines[2] == "行政复议\t行政诉讼"  # the horizontally merged cell once
    assert lines[3] == "\t结果维持\t结果纠正\t总计"  # vertical merge continued: blank field
    assert lines[4] == "1件\t0\t2\t3"  # a cell's paragraphs joined
    assert lines[5] == "五、存在的主要问题及改进情况"


def test_docx_corrupt(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"x\.docx: not a DOCX"):
        read_document(write(tmp_path, "x.docx", REPORT.encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    with pytest.raises(InputError, match=r"z\.docx: cannot open DOCX"):
        read_document(write(tmp_path, "z.docx", buf.getvalue()))
    good = tmp_path / "good.docx"
    make_docx(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(InputError, match=r"half\.docx: corrupt DOCX"):
        read_document(write(tmp_path, "half.docx", broken.getvalue()))


# ------------------------------------------------------------------ PDF


def make_pdf(encrypt: str | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16)
    table = Table([["信息内容", "本年新制作数量", "本年新公开数量"], ["规章", "0", "0"],
                   ["规范性文件", "12", "12"]])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, encrypt=encrypt)
    doc.build([Paragraph("一、总体情况", style), Paragraph("本机关全年主动公开政府信息129条。", style),
               table, Paragraph("二、主动公开政府信息情况", style), PageBreak(),
               Paragraph("三、收到和处理政府信息公开申请情况", style)])
    return buf.getvalue()


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf()


def test_pdf_text_and_table_rows(tmp_path: Path, pdf_bytes: bytes) -> None:
    text = read_document(write(tmp_path, "r.pdf", pdf_bytes))
    lines = text.split("\n")
    assert "信息内容\t本年新制作数量\t本年新公开数量" in lines
    assert "规章\t0\t0" in lines
    assert "规范性文件\t12\t12" in lines
    assert "本机关全年主动公开政府信息129条。" in lines
    order = [text.index(s) for s in ("一、总体情况", "信息内容", "二、主动公开", "三、收到和处理")]
    assert order == sorted(order)
    assert text.count("规章") == 1  # table words are not repeated as loose text


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(72, 600, 300, 100, fill=1)  # a "scan": graphics only
    c.save()
    with pytest.raises(InputError, match=r"scan\.pdf: PDF has no text layer"):
        read_document(write(tmp_path, "scan.pdf", buf.getvalue()))


def test_pdf_truncated_corrupt_encrypted_or_fake(tmp_path: Path, pdf_bytes: bytes) -> None:
    cases = {
        "trunc.pdf": (pdf_bytes[: len(pdf_bytes) // 2], "truncated PDF"),
        "junk.pdf": (pdf_bytes[:100] + b"\x00garbage" * 40 + pdf_bytes[-200:], "corrupt PDF"),
        "enc.pdf": (make_pdf(encrypt="secret"), "encrypted PDF"),
        "fake.pdf": (REPORT.encode(), "not a PDF"),
    }
    for name, (data, problem) in cases.items():
        with pytest.raises(InputError) as e:
            read_document(write(tmp_path, name, data))
        assert e.value.path.endswith(name) and problem in e.value.problem, (name, e.value)


def make_long_pdf() -> bytes:
    """Wrapped paragraphs, a table over two pages with its header repeated, page-number footers."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK",
                          firstLineIndent=24)
    head = ParagraphStyle("h", fontName="STSong-Light", fontSize=14, leading=20)
    rows = [["信息内容", "本年新制作数量", "本年新公开数量"]] + [[f"第{i}类文件", "0", str(i)] for i in range(1, 40)]
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))

    def footer(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(297, 30, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf).build(
        [Paragraph("一、总体情况", head), Paragraph(LONG_PARA, body), Paragraph(LONG_PARA * 2, body),
         Paragraph("二、主动公开政府信息情况", head), table, Paragraph("三、收到和处理申请情况", head),
         Paragraph(LONG_PARA, body)],
        onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


LONG_PARA = ("本机关认真贯彻落实政府信息公开条例，持续推进政务公开标准化规范化建设，全年主动公开政府信息"
             "129条，其中规范性文件12件，工作动态86条，其他信息若干条，各项工作均按照年度工作要点有序推进，"
             "公开质量和时效得到进一步提升。")


def test_pdf_then_normalise_joins_wraps_drops_page_numbers(tmp_path: Path) -> None:
    text = read_document(write(tmp_path, "long.pdf", make_long_pdf()))
    assert text.count("\n") > 50 and "- 1 -" in text  # wrapped lines and footers as printed
    n = normalise(text)
    para = normalise(LONG_PARA).text
    assert n.text.count(para) == 4
    assert "- 1 -" not in n.text and "- 2 -" not in n.text
    lines = n.text.split("\n")
    assert "第23类文件\t0\t23" in lines and "第24类文件\t0\t24" in lines  # rows never joined
    assert lines.count("信息内容\t本年新制作数量\t本年新公开数量") == 2
    i = n.text.index(para)
    rs, re_ = n.to_raw(i, i + len(para))
    assert text[rs:re_].replace("\n", "") == LONG_PARA  # the raw range is exactly the wrapped paragraph


def test_html_site_chrome_dropped_but_article_header_kept(tmp_path: Path) -> None:
    html = """<html><body>
    <div class="top nav">首页 政务公开 办事服务</div>
    <header><img alt="logo">某某市人民政府门户网站</header>
    <div id="breadcrumb">当前位置：首页 &gt; 年报</div>
    <main><article>
      <header><h1>2021年某镇政府信息公开工作年度报告</h1></header>
      <p style="display: none">隐藏的文字</p><p hidden>也隐藏</p>
      <p>一、总体情况</p>
      <div class="header"><table><tr><td>规章</td><td>0</td></tr></table></div>
      <footer>发布日期：2022-01-05</footer>
    </article></main>
    <div class="footer">版权所有 网站标识码</div><div class="share">分享到</div>
    </body></html>"""
    text = read_document(write(tmp_path, "page.html", html.encode()))
    assert text.split("\n")[:2] == ["2021年某镇政府信息公开工作年度报告", "一、总体情况"]
    assert "规章\t0" in text and "发布日期:2022-01-05" not in text and "发布日期：2022-01-05" in text
    for dropped in ("首页", "门户网站", "当前位置", "隐藏", "版权所有", "分享到"):
        assert dropped not in text, dropped


def test_docx_tracked_changes_hyperlinks_and_fallback_copies(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    d = docx.Document()
    p = d.add_paragraph("全年主动公开")
    for xml in (
        f'<w:del {ns} w:id="1" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r></w:del>',
        f'<w:ins {ns} w:id="2" w:author="a"><w:r><w:t>政府信息</w:t></w:r></w:ins>',
        f'<w:hyperlink {ns}><w:r><w:t>129条</w:t></w:r></w:hyperlink>',
        f'<mc:AlternateContent {ns}><mc:Choice Requires="wps"><w:r><w:t>。</w:t></w:r></mc:Choice>'
        f'<mc:Fallback><w:r><w:t>。</w:t></w:r></mc:Fallback></mc:AlternateContent>',
    ):
        p._p.append(parse_xml(xml))
    d.save(str(tmp_path / "t.docx"))
    assert read_document(tmp_path / "t.docx") == "全年主动公开政府信息129条。\n"


def test_html_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    html = """<html><body><table width="100%"><tr><td>
      <p>一、总体情况</p><p>本机关全年主动公开政府信息129条。</p>
      <table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>12</td></tr></table>
      <p>二、主动公开政府信息情况</p>
    </td></tr><tr><td>发布机关：某镇人民政府</td></tr></table></body></html>"""
    lines = read_document(write(tmp_path, "layout.html", html.encode())).split("\n")
    assert lines[:5] == ["一、总体情况", "本机关全年主动公开政府信息129条。", "规章\t0", "规范性文件\t12",
                         "二、主动公开政府信息情况"]
    assert lines[5] == "发布机关：某镇人民政府"


def test_docx_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "一、总体情况"
    cell.add_paragraph("本机关全年主动公开政府信息129条。")
    inner = cell.add_table(rows=2, cols=2)
    for i, row in enumerate([("规章", "0"), ("规范性文件", "12")]):
        for j, v in enumerate(row):
            inner.cell(i, j).text = v
    cell.add_paragraph("二、主动公开政府信息情况")
    d.save(str(tmp_path / "layout.docx"))
    lines = read_document(tmp_path / "layout.docx").split("\n")
    assert [ln for ln in lines if ln] == ["一、总体情况", "本机关全年主动公开政府信息129条。", "规章\t0",
                                          "规范性文件\t12", "二、主动公开政府信息情况"]


def test_pdf_unmapped_glyph_share() -> None:
    from gongkai.readers.pdf import unmapped_share

    assert unmapped_share("一、总体情况\n本机关") == 0.0
    assert unmapped_share("(cid:12)(cid:345)(cid:9)\n(cid:1)年") > 0.9
    assert 0.0 < unmapped_share("本机关全年主动公开政府信息 (cid:7) 条，各项工作有序推进。") < 0.3


def test_corpus_reports_printed_to_pdf_read_back_unchanged(corpus: Path, tmp_path: Path) -> None:
    """Real reports typeset into a wrapped, footed PDF read back with every visible character in
    order (compared after normalising and dropping white space)."""
    import re
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")

    def footer(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(297, 30, f"- {doc.page} -")

    files = sorted((corpus / "seeds").glob("*.txt"))[1:2] + sorted((corpus / "dev" / "docs").glob("*.txt"))[:2]
    assert files
    for f in files:
        raw = read_document(f)
        buf = io.BytesIO()
        flow = [Paragraph(escape(ln) if ln.strip() else "&nbsp;", style) for ln in raw.split("\n")]
        SimpleDocTemplate(buf).build(flow, onFirstPage=footer, onLaterPages=footer)
        back = read_document(write(tmp_path, f.stem + ".pdf", buf.getvalue()))
        assert re.sub(r"\s", "", normalise(back).text) == re.sub(r"\s", "", normalise(raw).text), f.name


def test_corpus_reports_written_to_docx_and_html_read_back(corpus: Path, tmp_path: Path) -> None:
    """Real reports as DOCX paragraphs come back line for line (tabs too); as HTML paragraphs,
    with white space collapsed as a browser would."""
    import html as html_lib
    import re

    import docx

    for f in sorted((corpus / "dev" / "docs").glob("*.txt"))[:3]:
        raw = read_document(f)
        lines = raw.rstrip("\n").split("\n")
        d = docx.Document()
        for ln in lines:
            d.add_paragraph(ln)
        d.save(str(tmp_path / f"{f.stem}.docx"))
        assert read_document(tmp_path / f"{f.stem}.docx") == "\n".join(lines) + "\n", f.name

        page = "<html><body>" + "".join(f"<p>{html_lib.escape(ln)}</p>" for ln in lines) + "</body></html>"
        back = read_document(write(tmp_path, f"{f.stem}.html", page.encode()))
        want = [re.sub(r"[ \t\r\n\f\v]+", " ", ln).strip() for ln in lines]
        assert back.split("\n")[:-1] == [ln for ln in want if ln.strip()], f.name
