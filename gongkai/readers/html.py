"""HTML → text: visible text with block elements on their own lines and each table row on one
line, cells joined by a tab. Script, style, nav, the <head>, hidden elements and site chrome
(<header>/<footer> outside <article>/<main>, nav/menu/footer/breadcrumb classes) are dropped.

Government portals wrap a report in chrome that would otherwise be read as part of it (the
organ of the *next* article's link, a footer's 主办单位). It is recognised by structure — class/id
names such as ``location``/``crumb``/``bottom``/``pre-next``/``share``/``related``, a block that
is nearly all links — and by wording: 当前位置 breadcrumbs, 上一篇/下一篇 links, 打印本页/关闭窗口/
扫一扫 tool bars, 相关链接 lists, 版权所有/主办单位/ICP备 footers. The 索引号/发布机构/发布日期
table (a table is never chrome) stays as text for the meta step. Deep nesting is parsed with
``huge_tree`` (libxml2 otherwise drops text below ~255 levels).

Table cells are placed on a grid: a ``colspan`` cell is printed once (nothing repeated), a
position covered by a ``rowspan`` from a row above is an empty field, so values keep their
column order."""

from __future__ import annotations

import os
import re

from gongkai.errors import InputError
from gongkai.readers.limits import check_html_depth
from gongkai.readers.text import decode_bytes

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "iframe", "object", "svg", "button",
         "select"}
_PAGE_CHROME = {"header", "footer"}  # dropped unless inside <article>/<main>, where they hold the title
# class/id tokens of site chrome on government portals; an element holding a table is kept anyway
_CHROME_TOKENS = {"nav", "navbar", "menu", "topbar", "footer", "header", "breadcrumb", "crumb", "crumbs",
                  "sidebar", "share", "copyright", "skip-link", "bottom", "foot", "location", "position",
                  "weizhi", "dqwz", "bread", "prenext", "pre-next", "prev-next", "prevnext", "sxp", "sxpian",
                  "print", "dayin", "close", "guanbi", "qrcode", "ewm", "erweima", "fenxiang", "bdsharebuttonbox",
                  "bdshare", "related", "relate", "xgxx", "xglj", "xgwz", "xgwj", "fontsize", "zihao", "toolbar",
                  "tools", "wza", "search", "login", "banquan", "sitemap"}
# the same names as one part of a compound token (``footer-wrap``, ``bread_nav``, ``xl-share``)
_CHROME_PARTS = {"nav", "navbar", "footer", "breadcrumb", "crumb", "crumbs", "copyright", "share", "bdshare",
                 "location", "prenext", "prevnext", "sxp", "qrcode", "ewm", "erweima", "fenxiang", "related",
                 "relate", "xgxx", "xglj", "xgwz", "banquan", "dqwz", "menu", "sidebar"}
_CHROME_TEXT = [re.compile(p) for p in (
    r"^(?:您?(?:当前|现在)(?:的|所在|所处)?的?位置|当前位置|所在位置|您的位置)\s*[:：]",  # breadcrumb
    r"^(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]?",  # previous / next article
    r"^(?:相关链接|相关文章|相关阅读|相关信息|相关文件|相关新闻|相关稿件|推荐阅读|热点推荐)\s*[:：]?",
    r"^.{0,30}(?:门户网站|政府网|政务网|政务服务网)$",  # the site's name in the banner
    r"^(?:分享到|分享至|一键分享|扫一扫|手机扫一扫|扫码)",  # share bars, QR codes
)]
# what is left of a tool bar inside a kept line once its links are gone: 【字号：大 中 小】, 【打印】
_TOOL_REMNANT = re.compile(r"[【\[]\s*(?:字号|字体|打印本页|打印|关闭窗口|关闭)\s*[:：]?\s*(?:[大中小]\s*)*[】\]]")
_TOOL_WORDS = (r"打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|扫一扫在手机上?打开当前页|扫一扫在手机上?打开本页|"
               r"手机扫一扫|扫一扫|分享到|分享|收藏本页|收藏|字号|字体|默认|返回顶部|保存本页|纠错|浏览次数|"
               r"[大中小]")
_TOOL_BAR = re.compile(rf"^(?:[【\[（(〖<]?\s*(?:{_TOOL_WORDS})\s*[】\]）)〗>]?\s*[:：|/·]?\s*)+$")
_FOOTER_WORDS = re.compile(r"版权所有|主办单位|承办单位|网站标识码|ICP备|公网安备|技术支持[:：]|网站地图")
_SHORT = 200  # chrome wording is checked only on blocks this short (characters)
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "main", "aside", "pre", "blockquote", "dd", "dt", "dl", "table", "tr", "hr", "caption",
          "address", "figure", "figcaption", "center", "body", "html", "form", "fieldset"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f\v]+")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs"}
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii", "us-ascii"}


def decode_html(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode with the charset a <meta> declares (GBK/GB2312 read as GB18030), else by detection."""
    m = _META_CHARSET.search(data[:8192])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        enc = _ALIASES.get(declared, declared)
        if enc.replace("_", "-") in _WESTERN and not data.isascii():
            return decode_bytes(data, path)  # Chinese pages often declare Latin-1 by mistake; it never fails
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown declaration: fall back to detection
    return decode_bytes(data, path)


def html_to_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Visible text of an HTML report (see module doc)."""
    import lxml.etree
    import lxml.html

    text = decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        raise InputError(path, "empty HTML document")
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(path, f"cannot parse HTML ({e})") from e
    check_html_depth(root, path)  # the walk below recurses
    _drop_chrome_by_text(root)
    out: list[str] = []
    _walk(root, out, pre=False)
    return _tidy(_TOOL_REMNANT.sub("", _unsoft("".join(out))))


def _measure(root) -> dict:
    """Per element: (characters of text under it, links under it, characters inside those links),
    in one bottom-up pass, so deeply nested pages stay linear."""
    stats: dict = {}
    for el in reversed(list(root.iter())):
        n = _visible(el.text) if isinstance(el.tag, str) else 0
        links = linked = 0
        for child in el:
            cn, cl, ck = stats.get(child, (0, 0, 0))
            n += cn + _visible(child.tail)
            links += cl
            linked += ck
        if isinstance(el.tag, str) and el.tag.lower() == "a":
            links, linked = links + 1, n
        stats[el] = (n, links, linked)
    return stats


def _visible(s: str | None) -> int:
    return len(_WS.sub("", s)) if s else 0


_NEVER_CHROME = {"html", "body", "head", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption"}


def _drop_chrome_by_text(root) -> None:
    """Remove blocks that are portal chrome by their wording or link density (see module doc).
    Tables and anything holding one are kept: the metadata table and the report's own tables."""
    stats = _measure(root)
    body_chars = stats[root][0] or 1
    has_table = {el for t in root.iter("table") for el in (t, *t.iterancestors())}
    doomed = []
    stack = [root]
    while stack:
        el = stack.pop()
        n = stats.get(el, (0, 0, 0))[0]
        if n == 0:
            continue  # nothing below it either
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag and tag not in _NEVER_CHROME and el not in has_table and n <= 3000 \
                and not (n > 0.5 * body_chars and body_chars > 600) and _chrome_block(el, stats[el]):
            doomed.append(el)
            continue  # its subtree goes with it
        stack.extend(reversed(el))
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # keep the text that follows the dropped block
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _chrome_block(el, stat: tuple[int, int, int]) -> bool:
    n, links, linked = stat
    if n <= _SHORT:
        flat = _WS.sub("", el.text_content())
        if any(p.match(flat) for p in _CHROME_TEXT) or _TOOL_BAR.match(flat):
            return True
        if _FOOTER_WORDS.search(flat) and el.tag.lower() not in ("p", "span", "a", "font", "b", "strong"):
            return True
    # a block of three or more links and little else: a menu or a related-articles list
    return links >= 3 and linked >= 0.8 * n and el.tag.lower() in (
        "div", "ul", "ol", "nav", "section", "aside", "dl", "p", "span", "li")


def _walk(el, out: list[str], pre: bool, content: bool = False) -> None:
    """Append the visible text of ``el``; ``content`` is True inside <article>/<main>."""
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if not tag or tag in _SKIP or _is_chrome(el, tag, content):  # comments, PIs, skipped elements
        if el.tail:
            out.append(el.tail if pre else _ws(el.tail))
        return
    if tag == "table" and _is_layout_table(el):
        for tr in _rows_of(el):  # a page laid out in a table: its cells are blocks of text
            for cell in tr:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    out.append("\n")
                    _walk_children(cell, out, pre, content)
                    out.append("\n")
    elif tag == "table":
        out.append("\n")
        for child in el:  # a caption (第二十条第(一)项 ...) goes on its own line above the rows
            if isinstance(child.tag, str) and child.tag.lower() == "caption":
                out.append(_cell_text(child) + "\n")
        out.extend(line + "\n" for line in _table_rows(el))
    else:
        block = tag in _BLOCK
        if block:
            out.append("\n")
        inner_pre = pre or tag == "pre"
        inner_content = content or tag in ("article", "main")
        if el.text:
            out.append(el.text if inner_pre else _ws(el.text))
        for child in el:
            _walk(child, out, inner_pre, inner_content)
        if block:
            out.append("\n")
    if el.tail:
        out.append(el.tail if pre else _ws(el.tail))


def _walk_children(el, out: list[str], pre: bool, content: bool) -> None:
    if el.text:
        out.append(el.text if pre else _ws(el.text))
    for child in el:
        _walk(child, out, pre, content)


def _is_layout_table(table) -> bool:
    """A table used to lay out the page, not data: a cell holds a table, or it is one column."""
    rows = _rows_of(table)
    cells = [[c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")] for tr in rows]
    if any(next(c.iter("table"), None) is not None for row in cells for c in row):
        return True
    return bool(rows) and all(len(row) <= 1 for row in cells)


def _is_chrome(el, tag: str, content: bool) -> bool:
    """Site navigation, banners, footers and hidden elements: not part of the report."""
    if el.get("hidden") is not None or re.search(r"display\s*:\s*none", el.get("style", ""), re.I):
        return True
    if tag in _PAGE_CHROME and not content:
        return True
    tokens = set(re.split(r"[\s]+", f"{el.get('class', '')} {el.get('id', '')}".lower())) - {""}
    parts = {p for t in tokens for p in re.split(r"[-_]+", t) if p}
    return bool(tokens & _CHROME_TOKENS or parts & _CHROME_PARTS) and tag not in ("body", "html", "main", "article") \
        and next(el.iter("table"), None) is None


_SOFT = "\u2063"  # marks source white space that held a line break
_SOFT_BETWEEN_WIDE = re.compile(r"(?<=[\u2e80-\uffff])[ \u2063]*\u2063[ \u2063]*(?=[\u2e80-\uffff])")


def _ws(s: str) -> str:
    """Collapse source white space; a break inside it is marked so it can vanish between CJK chars."""
    return _WS.sub(lambda m: _SOFT if "\n" in m.group() else " ", s)


def _unsoft(s: str) -> str:
    return re.sub(r"[ \u2063]*\u2063[ \u2063]*", " ", _SOFT_BETWEEN_WIDE.sub("", s))


def _cell_text(cell) -> str:
    parts: list[str] = []
    _walk(cell, parts, pre=False)
    lines = [ln.strip() for ln in _unsoft("".join(parts)).split("\n")]
    return join_wrapped([ln for ln in lines if ln])


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one table cell: nothing between two CJK characters, else one space."""
    out = ""
    for ln in lines:
        if out and not (_wide(out[-1]) or _wide(ln[0])):
            out += " "
        out += ln
    return out.replace("\t", " ")


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _rows_of(table) -> list:
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 1000))
    except ValueError:
        return 1


def _table_rows(table) -> list[str]:
    """One tab-separated line per row; rowspan-covered positions are blank fields."""
    lines: list[str] = []
    pending: dict[int, list[int]] = {}  # grid column → [rows still covered, width]
    for tr in _rows_of(table):
        fields: list[str] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        col = ci = 0
        while True:
            cover = pending.get(col)
            if cover and cover[0] > 0:
                fields.append("")
                cover[0] -= 1
                col += cover[1]
                continue
            if ci >= len(cells):
                for c, cov in pending.items():
                    if c > col and cov[0] > 0:
                        cov[0] -= 1
                break
            cell = cells[ci]
            ci += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            fields.append(_cell_text(cell))
            if rowspan > 1:
                pending[col] = [rowspan - 1, colspan]
            col += colspan
        pending = {c: cov for c, cov in pending.items() if cov[0] > 0}
        while fields and fields[-1] == "":
            fields.pop()
        if fields:
            lines.append("\t".join(fields))
    return lines


def _tidy(text: str) -> str:
    """Strip each line (a row's leading empty field stays), drop blank lines."""
    lines = [ln.strip(" \r") if "\t" in ln else ln.strip() for ln in text.split("\n")]
    out = [ln for ln in lines if ln.strip()]
    return "\n".join(out) + "\n" if out else ""
