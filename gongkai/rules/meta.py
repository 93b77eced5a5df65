"""Meta spans: the reporting body (ORGAN), the year the report covers (YEAR) and the
publication date (DATE).

- ORGAN: a line that is only a body's name (title block or signature) wins, then a title that
  starts with one, then the first name in the body text. Names end in 人民政府 / 街道办事处 /
  办事处, else 镇政府-like forms; a name is read leftwards over place-name components
  (县, 市, 镇 …) and stops at function words (由, 在, 了 …), so ``由两城镇人民政府`` gives 两城镇人民政府.
- YEAR: the year in the title line (a line with 报告 near the top), else the first year statement:
  a ``YYYY年`` that is not inside a 文号 (〔2019〕) and not a full date, or the start of a statistic
  period (``2021年1月1日起至…``); else the first year at all. In a 报告 line a statement also wins
  over a date (a page's ``发布时间:2022年1月30日`` run into the next line).
- DATE: a date printed alone on a line (the signature), else one after 发布日期/发布时间.
"""

from __future__ import annotations

import re

from gongkai.normalise import line_ranges
from gongkai.rules.textview import View
from gongkai.spans import Span

_SUFFIX_STRONG = re.compile(r"人民政府|街道办事处|办事处")
_SUFFIX_WEAK = re.compile(r"(?<=[镇乡区县市])政府(?!信息|网|工作|门户|公众|办公)")
_ADMIN = set("省市县区镇乡州盟旗")
_STOP = set(
    "由在的和与是对向为及了于将从把被给按据经以等至其该本我各全同这年月日号、,，。:：;；()（）《》“”\"' \t\n"
    "并且或而即后已均都也还再又所自"
)
_NAME_LINE = re.compile(
    r"^[\u3400-\u9fff]{2,24}(?:人民政府|街道办事处|办事处|政府|局|委员会|人民政府办公室)$"
)
_DEPARTMENT = re.compile(
    r"(?:^|(?<=[,，。\s年]))(?P<name>[\u3400-\u9fff]{2,4}[县市区][\u3400-\u9fff]{2,10}?(?:局|委员会))"
)
_TITLE_NAME = re.compile(
    r"^[#\s]*(?:(?:19|20)\d{2}\s*年度?)?"
    r"(?P<name>[\u3400-\u9fff]{2,24}?(?:人民政府办公室|人民政府|街道办事处|办事处|局|委员会))"
    r"\s*(?:(?:19|20)\d{2}|二[〇○零]|政府信息|信息公开|年度)"
)
_DATE = re.compile(
    r"(?P<d>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}"
    r"|二[〇○零][〇○零一二三四五六七八九]{2}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)"
)
_DATE_AT_END = re.compile(_DATE.pattern + r"\s*$")
_DATE_LINE = re.compile(
    r"^\s*(?:[\u3400-\u9fff]{2,30}\s+)?" + _DATE.pattern + r"\s*$"
)  # 某镇人民政府 2022年1月3日
_Y = r"(?:19|20)\d{2}|二[〇○零]{1}[〇○零一二三四五六七八九]{2}"
_YEAR = re.compile(
    rf"(?<![\d〔\[(])({_Y})\s*年(?:(?!\s*\d{{1,2}}\s*月)|(?=\s*1\s*月\s*1\s*日\s*起?\s*(?:至|到)))"
)  # a year statement: not a full date, unless it starts the statistic period
_ANY_YEAR = re.compile(rf"(?<![\d〔\[(])({_Y})\s*年")


def _extend_left(text: str, end_of_place: int, floor: int) -> int:
    """Start of the place name ending at ``end_of_place`` (exclusive), read leftwards."""
    i = end_of_place
    comp = 0
    while i > floor:
        ch = text[i - 1]
        if ch in _STOP or not ("\u3400" <= ch <= "\u9fff"):
            break
        if ch in _ADMIN and comp >= 2:
            comp = 0  # a previous component (乐昌市 before 九峰镇)
        elif comp >= 4:
            break
        else:
            comp += 1
        i -= 1
    if comp == 1 and i < end_of_place and text[i] in _ADMIN:
        i += 1
    return i


def _name_at(text: str, m: re.Match, floor: int) -> tuple[int, int] | None:
    start = _extend_left(text, m.start(), floor)
    if m.start() - start < 2:
        return None
    if not any(c in _ADMIN or c in "街道" for c in text[start : m.start()] + m.group()[:1]):
        return None
    return start, m.end()


def _name_part(line: str) -> str:
    """The line without a date printed after it (``某镇人民政府  2022年1月3日`` → the name)."""
    t = line.strip()
    if not t or not (t[-1] == "日" or t[-1].isdigit()):  # every date ends so
        return t
    m = _DATE_AT_END.search(t)
    return t[: m.start()].rstrip() if m else t


_HEAD = (
    r"(?:人民政府办公室|人民政府|街道办事处|办事处|政府办公室|政府|管理委员会|管委会|委员会|分局|局|厅|办公室|"
    r"中心|垦殖场|林场|农场|经济技术开发区|开发区|高新区|示范区|园区|[卫健发改住建教科农水商]委|支队|大队|总队|管理处|档案馆)"
)
_BODY = rf"[\u4e00-\u9fff]{{2,30}}?{_HEAD}(?:\([\u4e00-\u9fff]{{2,20}}\))?"
_Y4 = r"(?:19|20)\d{2}\s*年度?"
# where reports print the reporting body's name, most telling first
_CONTEXTS: tuple[tuple[re.Pattern, float], ...] = (
    (re.compile(rf"(?:现|特|予以)?(?:向社会)?(?:公布|发布|编制|编写|印发)(?:了)?(?:{_Y4})?(?P<name>{_BODY})\s*(?:{_Y4}|政府信息公开|信息公开)"), 0.9),
    (re.compile(rf"^[#\s]*(?:{_Y4})?(?P<name>{_BODY})\s*(?:{_Y4}|关于|政府信息公开|信息公开)[^\n]{{0,30}}(?:报告|\n[^\n]{{0,30}}报告)", re.M), 0.9),
    (re.compile(rf"(?:请与|请联系|联系)(?P<name>{_BODY}?)(?:办公室|政务公开办公室|综合科|办公科|政务公开科|联系|\(|。|,)"), 0.85),
    (re.compile(rf"(?:^|[。,])(?:{_Y4}|本年度|今年|全年)[,]?(?P<name>{_BODY})(?=认真|坚持|深入|严格|按照|根据|紧紧|继续|全面|进一步|紧扣|高度|以|在|围绕|持续|扎实|始终|立足|聚焦)", re.M), 0.8),
    (re.compile(rf"(?:本报告由|由)(?P<name>{_BODY}?)(?:办公室)?(?:编制|负责|编写)"), 0.8),
)
_SOURCE = re.compile(rf"(?:文章)?来源\s*:\s*(?P<name>{_BODY})(?=\s|$|访问|浏览|字体|作者|【)", re.M)
_BAD_START = re.compile(r"^(?:请|与|联系|公布|编制|度|由|现|特编制|特将|特此|向|对|在|的|和|及|是|为|经|据|按照|根据)")
_SELF = re.compile(r"^(?:我|本)(?:镇|乡|局|委|街道|区|县|市|办|处|厅|中心|单位)")  # 我局…: a self-reference


def _valid(name: str) -> bool:
    return (
        3 <= len(name) <= 40
        and not _BAD_START.match(name)
        and not re.search(r"信息公开|报告|年度|网站|门户|条例|中华人民共和国|国务院|《|》|,|。", name)
        and not re.match(r"[省市县区镇乡](?:政府|人民政府|委)", name)  # 区政府国资局: a reference
        and not re.fullmatch(r"(?:[市县区镇乡]|本|我)[\u4e00-\u9fff]?局", name)
        and not _SELF.match(name)
    )


def organ_candidates(view: View) -> list[tuple[int, int, float]]:
    """Printed names of the reporting body in the places reports print them (title, 现公布…,
    请与…联系, 2021年，…认真…, 由…编制): (start, end, score), normalised offsets."""
    text = view.text
    out = []
    for i, (rx, score) in enumerate(_CONTEXTS):
        for m in rx.finditer(text):
            a, b = m.span("name")
            office = _OFFICE.search(text, a, b)
            if office and i in (2, 4):  # contact and 由…编制: an office speaks for its body
                if not re.search(_HEAD + "$", text[a : office.start()]):
                    continue  # 请与青山镇党政综合办公室联系: an office of a body not named here
                b = office.start()  # 请与…镇人民政府党政办公室联系: the body, not its office
            if _valid(text[a:b]):
                out.append((a, b, score))
    return out


_OFFICE = re.compile(r"(?:党政综合办公室|党政办公室|综合办公室|政务公开办公室|党政办|办公室)$")


def organ(view: View) -> Span | None:
    """The fullest printed name of the reporting body: the longest name printed where reports
    name it (``organ_candidates``, the legacy reading below included when it is a clean name),
    else the legacy reading, else a 来源 line (often the parent body's site)."""
    found = organ_candidates(view)
    legacy = _organ_legacy(view)
    if found:
        if legacy is not None:
            ls, le = view.norm.to_norm(legacy.start, legacy.end)
            if _valid(view.text[ls:le]):
                found.append((ls, le, legacy.score))
        a, b, score = max(sorted(found), key=lambda f: (f[1] - f[0], f[2]))
        return view.span("ORGAN", a, b, score)
    if legacy is not None:
        return legacy
    m = _SOURCE.search(view.text)
    if m and _valid(m.group("name")):
        return view.span("ORGAN", m.start("name"), m.end("name"), 0.5)
    return None


def _organ_legacy(view: View) -> Span | None:
    text = view.text
    lines = [(s, e) for s, e in line_ranges(text) if text[s:e].strip()]
    # prominent names: lines that are only a name (title block, signature) and titles that
    # start with one; the fullest wins, the first on ties
    found: list[tuple[int, int, float]] = []
    for s, e in lines:
        t = _name_part(text[s:e])  # a signature may print the date beside the name
        if _NAME_LINE.match(t) and _SUFFIX_STRONG.search(t):
            off = s + text[s:e].index(t)
            found.append((off, off + len(t), 0.95))
    for s, e in lines[:4]:  # 康县水利局2021年度…报告 / 2021年武隆区三坡乡人民政府政府信息公开…
        m = _TITLE_NAME.match(text, s, e)
        if m and "报告" in text[m.end() : e] and _valid(m.group("name")):  # not 特编制我局…
            found.append((m.start("name"), m.end("name"), 0.9))
    if not found:
        for s, e in lines:
            t = _name_part(text[s:e])
            weak = _SUFFIX_WEAK.search(t) or re.search(r"[县市区].{1,10}(?:局|委员会)$", t)
            if _NAME_LINE.match(t) and weak:
                off = s + text[s:e].index(t)
                found.append((off, off + len(t), 0.85))
    if found:
        a, b, score = max(sorted(found), key=lambda f: f[1] - f[0])
        return view.span("ORGAN", a, b, score)
    for strong in (True, False):
        pattern = _SUFFIX_STRONG if strong else _SUFFIX_WEAK
        for s, e in lines[:4] if strong else []:  # a title that starts with the name
            m = pattern.search(text, s, e)
            if m and re.search(r"报告", text[m.end() : e]):
                lead = len(text[s:e]) - len(text[s:e].lstrip(" #\t"))
                got = _name_at(text, m, s + lead)
                if got and got[0] == s + lead:
                    return view.span("ORGAN", got[0], got[1], 0.9)
        for m in pattern.finditer(text):
            floor = text.rfind("\n", 0, m.start()) + 1
            if not strong and text.startswith("信息", m.end()):
                continue  # 九峰镇政府信息公开: the 政府 of 政府信息
            if text.rfind("《", floor, m.start()) > text.rfind("》", floor, m.start()):
                continue  # inside a document title: 《河南省人民政府办公厅关于…》
            opened = max(text.rfind("(", floor, m.start()), text.rfind("（", floor, m.start()))
            if opened > max(text.rfind(")", floor, m.start()), text.rfind("）", floor, m.start())):
                continue  # inside a remark in brackets: 规章(设区的市、自治州人民政府应提供…)
            if re.match(r"\s*(?:门户网站|网站|官网|公众信息网|网)", text[m.end() : m.end() + 6]):
                continue  # a website of (usually) the county: 霍山县人民政府门户网站
            got = _name_at(text, m, floor)
            if got:
                return view.span("ORGAN", got[0], got[1], 0.8 if strong else 0.7)
    m = _DEPARTMENT.search(text)  # 2023年，琼中县市场监督管理局认真…
    if m:
        return view.span("ORGAN", m.start("name"), m.end("name"), 0.6)
    for s, e in lines[:4]:  # only the title names the body: 东坪镇政府信息公开工作年度报告
        m = re.match(
            r"[#\s]*(?:(?:19|20)\d{2}年度?)?(?P<name>[\u3400-\u9fff]{2,6}[镇乡]政府)信息公开", text[s:e]
        )
        if m and "报告" in text[s:e]:
            return view.span("ORGAN", s + m.start("name"), s + m.end("name"), 0.5)
    return None


def year(view: View) -> Span | None:
    text = view.text
    lines = [(s, e) for s, e in line_ranges(text) if text[s:e].strip()]
    for s, e in lines[:6]:
        if "报告" in text[s:e]:
            m = _YEAR.search(text, s, e) or _ANY_YEAR.search(text, s, e)
            if m:
                return view.span("YEAR", m.start(1), m.end(1), 0.95)
    m = _YEAR.search(text) or _ANY_YEAR.search(text)
    if m:
        return view.span("YEAR", m.start(1), m.end(1), 0.8)
    return None


_G = r"(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\))?"  # a pinyin gloss after a character


def _glossed(word: str) -> str:
    return "".join(re.escape(ch) + _G for ch in word)


# 发布时间: anywhere, also run into the field before it (来源:某镇发布时间:…) and with glosses (發(fā)布時(shí)間)
_PUBLISHED = re.compile(
    "(?:" + "|".join(_glossed(w) for w in ("发布", "成文", "印发")) + ")(?:" + _glossed("日期") + "|" + _glossed("时间")
    + r")\s*[:：]?\s*" + _DATE.pattern
)


_LABELLED = re.compile(
    r"(?:(?<=[\s>|【\[])|^)(?:" + "|".join(_glossed(w) for w in ("发布", "发表", "生成", "成文", "印发", "公开", "更新", "发文"))
    + r")?(?:" + _glossed("日期") + "|" + _glossed("时间") + r")\s*[】\]]?\s*[:：]?\s*" + _DATE.pattern,
    re.M,
)
_TOP_DATE = re.compile(
    r"^\s*" + _DATE.pattern + r"/?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源|$)", re.M
)  # 2024/01/31/ 17:33 来源:…


def date(view: View) -> Span | None:
    """The signature date (a date line in the second half), else a labelled date (发布日期: /
    发表日期: / 生成日期: / 时间: / 日期:, times and slashes allowed), else a date printed alone
    (or before 来源) near the top of the page."""
    text = view.text
    lines = [(s, e) for s, e in line_ranges(text) if text[s:e].strip()]
    tail = lines[len(lines) // 2 :]
    for s, e in reversed(tail):
        m = _DATE_LINE.match(text[s:e])
        if m:
            return view.span("DATE", s + m.start("d"), s + m.end("d"), 0.9)
    m = _PUBLISHED.search(text)
    if m:
        return view.span("DATE", m.start("d"), m.end("d"), 0.85)
    for m in _LABELLED.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        period = re.match(r"\s*(?:至|到|—|~|－)", text[m.end() :])  # 时间：2023年1月1日至…: a period
        if not re.search(r"统计|截止|截至|受理|办理", before) and not period:
            return view.span("DATE", m.start("d"), m.end("d"), 0.8)
    head_end = lines[min(len(lines), 8) - 1][1] if lines else 0
    m = _TOP_DATE.search(text, 0, head_end)
    if m:
        return view.span("DATE", m.start("d"), m.end("d"), 0.7)
    return None


def every_occurrence(view: View, span: Span | None) -> list[Span]:
    """The same name wherever it is printed (docs/labels.md: ORGAN at every occurrence of the
    fullest name; a reader of one window of the text can then label what it sees)."""
    if span is None:
        return []
    ns, ne = view.norm.to_norm(span.start, span.end)
    name = view.text[ns:ne]
    out: list[Span] = []
    at = view.text.find(name)
    while name and at >= 0:
        got = span if at == ns else view.span("ORGAN", at, at + len(name), span.score)
        if got is not None:
            out.append(got)
        at = view.text.find(name, at + len(name))
    return out or [span]


def meta_spans(view: View) -> list[Span]:
    spans = (*every_occurrence(view, organ(view)), year(view), date(view))
    return [s for s in spans if s is not None]
