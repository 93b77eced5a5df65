"""Portal pages: a report inside the chrome government sites wrap it in (navigation, 当前位置
breadcrumb, 索引号/发布机构 table, print/close and share bars, 上一篇/下一篇 links naming another
organ's report, related articles, footer). The real dev documents are wrapped in invented chrome at
test time (nothing real is committed) and must score as their plain text does, meta included."""

from __future__ import annotations

import html
import json
from pathlib import Path

from gongkai.readers import read_document

NEIGHBOUR = "青溪县市场监督管理局"  # an invented organ whose reports the chrome links to


def _body(text: str) -> str:
    out = []
    for line in text.splitlines():
        if line.strip():
            esc = html.escape(line.strip())
            out.append(f"<p style=\"text-indent:2em\">{esc.replace('  ', ' &nbsp;')}</p>")
    return "\n".join(out)


def portal_page(text: str, meta: dict, named: bool, title_first: bool = False) -> str:
    """``text`` inside portal chrome. ``named``: the chrome carries the usual class/id names;
    otherwise neutral ones (``box3``), so only its wording and link density give it away.
    ``title_first``: the report's first line is the page's <h1> above the metadata table (else the
    table comes first, as on many 信息公开 pages)."""
    def cls(name: str, neutral: str) -> str:
        return name if named else neutral

    title = ""
    if title_first:
        first, _, text = text.lstrip().partition("\n")
        title = f"<h1>{html.escape(first.strip())}</h1>"

    rows = [("索引号：", "11330100MB0000000X/2024-00123", "主题分类：", "政务公开")]
    rows.append(("发布机构：", meta.get("organ") or "", "发布日期：", meta.get("publish_date") or ""))
    rows.append(("文号：", "", "成文日期：", ""))
    info = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    menu = "".join(f'<li><a href="/{i}">{w}</a></li>' for i, w in enumerate(
        ["首页", "政务公开", "政务服务", "互动交流", "走进本地"]))
    related = "".join(f'<li><a href="/r{i}">{NEIGHBOUR}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-20</span></li>'
                      for i, y in enumerate((2019, 2020, 2021)))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>年度报告</title></head>
<body>
<div class="{cls('top-header', 'w1')}"><div class="{cls('logo', 'a1')}">某某人民政府门户网站</div>
<div class="{cls('wza', 'a2')}"><a href="#">无障碍</a> <a href="#">长者模式</a> <a href="#">English</a></div></div>
<div class="{cls('mainnav', 'w2')}"><ul>{menu}</ul></div>
<div class="{cls('location', 'w3')}">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/ndbg">政府信息公开年报</a></div>
{title}<div class="{cls('xxgk-info', 'w4')}"><table>{info}</table></div>
<div class="{cls('article', 'w5')}">
<div class="{cls('info', 'b1')}">来源：本站 &nbsp; 浏览次数：1024 &nbsp; 【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="{cls('TRS_Editor', 'b2')}">
{_body(text)}
</div>
<div class="{cls('print-close', 'b3')}">【<a href="javascript:window.print()">打印本页</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="{cls('share', 'b4')}">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="{cls('qrcode', 'b5')}">扫一扫在手机打开当前页</div>
<div class="{cls('pre-next', 'b6')}"><p>上一篇：<a href="/p1">{NEIGHBOUR}2022年政府信息公开工作年度报告</a></p>
<p>下一篇：<a href="/p2">{NEIGHBOUR}2023年政府信息公开工作年度报告</a></p></div>
</div>
<div class="{cls('related', 'w6')}"><h3>相关文章</h3><ul>{related}</ul></div>
<div class="{cls('bottom', 'w7')}"><p>主办单位：{NEIGHBOUR}办公室 &nbsp; 地址：青溪县人民路1号</p>
<p>网站标识码：3301000001 &nbsp; 浙ICP备00000000号</p></div>
</body></html>
"""


def _dev_docs(corpus: Path) -> list[tuple[Path, dict]]:
    docs = sorted((corpus / "dev" / "docs").glob("*.txt"))
    return [(d, json.loads((corpus / "dev" / "gold" / f"{d.stem}.json").read_text(encoding="utf-8"))) for d in docs
            if (corpus / "dev" / "gold" / f"{d.stem}.json").is_file()]


def test_chrome_dropped_meta_table_kept(tmp_path: Path) -> None:
    text = "2023年度某镇政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息25条。\n"
    for named in (True, False):
        p = tmp_path / f"page{named}.html"
        p.write_text(portal_page(text, {"organ": "某镇人民政府", "publish_date": "2024-01-15"}, named), encoding="utf-8")
        got = read_document(p)
        for chrome in ("当前位置", "上一篇", "下一篇", NEIGHBOUR, "打印本页", "关闭窗口", "扫一扫", "分享到",
                       "相关文章", "网站标识码", "无障碍", "互动交流", "字号"):
            assert chrome not in got, (named, chrome, got)
        lines = got.splitlines()
        assert "索引号：\t11330100MB0000000X/2024-00123\t主题分类：\t政务公开" in lines
        assert "发布机构：\t某镇人民政府\t发布日期：\t2024-01-15" in lines
        assert lines[-3:] == text.splitlines()


def test_deep_nesting_is_read(tmp_path: Path) -> None:
    depth = 600
    page = "<html><body>" + "<div>" * depth + "一、总体情况<p>本年度主动公开政府信息25条。</p>" + "</div>" * depth
    p = tmp_path / "deep.html"
    p.write_text(page + "</body></html>", encoding="utf-8")
    assert read_document(p).splitlines() == ["一、总体情况", "本年度主动公开政府信息25条。"]


def _compare(tmp_path: Path, corpus: Path, title_first: bool) -> None:
    from gongkai.pipeline import extract_text
    from gongkai.scoring import Counts, score_pair

    pairs = _dev_docs(corpus)
    assert pairs, "no dev documents with gold"
    plain_total, portal_total = Counts(), Counts()
    worse: list[str] = []
    for i, (doc, gold) in enumerate(pairs):
        text = doc.read_text(encoding="utf-8")
        page = tmp_path / f"{doc.stem}.html"
        page.write_text(portal_page(text, gold.get("meta", {}), named=i % 2 == 0, title_first=title_first),
                        encoding="utf-8")
        plain = score_pair(gold, extract_text(text, doc.stem, method="rules").to_json_dict())
        portal = score_pair(gold, extract_text(read_document(page), doc.stem, method="rules").to_json_dict())
        plain_total = plain_total + plain.counts
        portal_total = portal_total + portal.counts
        lost = {f.path for f in plain.fields + plain.titles if f.correct} - \
            {f.path for f in portal.fields + portal.titles if f.correct}
        if lost:
            worse.append(f"{doc.stem}: {sorted(lost)}")
    assert not worse, "fields right as plain text but wrong as a portal page:\n" + "\n".join(worse)
    assert portal_total.fields_ok >= plain_total.fields_ok and portal_total.meta_ok >= plain_total.meta_ok


def test_portal_versions_of_dev_docs_score_as_plain_text(tmp_path: Path, corpus: Path) -> None:
    """Rules method (the reader is what differs; the model would only make this slower)."""
    _compare(tmp_path, corpus, title_first=True)


def test_portal_pages_with_metadata_above_the_title(tmp_path: Path, corpus: Path) -> None:
    _compare(tmp_path, corpus, title_first=False)
