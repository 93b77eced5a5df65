"""Meta as web pages print it around a report: publish-date lines (发布日期/发表日期/生成日期/时间/日期
with dashes, slashes, 年月日, times, 来源/浏览次数 fields), breadcrumbs, and the sentences that state
the report year when no title prints it.

Real excerpts often start below the title, so the year must be read from the page: the first
*year statement* (``2021年，我镇…``, ``现将我镇2021年度…报告如下``, the start of a statistic period
``2021年1月1日起至…``). ``first_year_statement`` finds it the way the rules read it (a year inside
〔〕 or a full date is no statement); the generator labels it ``YEAR`` (docs/labels.md).
All wording here is invented for the generator.
"""

from __future__ import annotations

import random
import re

from gongkai.synth.builder import Builder
from gongkai.synth.organs import Organ

_Y = r"(?:19|20)\d{2}"
# a year printed as a year (not inside 〔2019〕 nor a full date), or the start of a statistic period
YEAR_STATEMENT = re.compile(
    rf"(?<![\d〔\[(（])(?P<y>{_Y})\s*年(?:(?!\s*\d{{1,2}}\s*月)|(?=\s*1\s*月\s*1\s*日\s*起?\s*(?:至|到)))"
)

LABELS = ("发布日期", "发布时间", "发表日期", "生成日期", "时间", "日期", "发布时间", "发布日期")
COLONS = ("：", ":", ": ", "：", "： ")

ANNOUNCE = (
    "现将{self}{Y}年度政府信息公开工作情况报告如下。",
    "现向社会公布{place}{Y}年政府信息公开工作年度报告。",
    "特编制{self}{Y}年度政府信息公开工作年度报告，现予公布。",
    "现就{self}{Y}年度政府信息公开工作有关情况报告如下。",
)
PERIOD = (
    "本报告中所列数据的统计期限自{Y}年1月1日起至{Y}年12月31日止。",
    "本报告所列数据的统计期限为{Y}年1月1日至{Y}年12月31日。",
    "报告中所列数据统计时间自{Y}年1月1日至{Y}年12月31日。",
)
OPENERS = (
    "{Y}年，{self}持续深化政务公开，不断提升政府信息公开工作质量和实效。",
    "{Y}年度，{self}以群众需求为导向，规范有序做好政府信息公开各项工作。",
    "{Y}年，{place}紧扣年度政务公开工作要点，推动政府信息公开工作提质增效。",
    "{Y}年{self}按照上级部署，不断完善政府信息公开工作机制，保障群众知情权。",
)


def first_year_statement(text: str) -> tuple[int, int, int] | None:
    """(start, end, year) of the first year statement's digits, or None."""
    m = YEAR_STATEMENT.search(text)
    return (m.start("y"), m.end("y"), int(m.group("y"))) if m else None


def date_text(rng: random.Random, ymd: tuple[int, int, int]) -> tuple[str, str]:
    """A date as page headers print it, and what may follow it (a trailing ``/`` after slashes)."""
    y, m, d = ymd
    form = rng.choice(("iso", "iso", "iso1", "slash", "slash", "cn", "cn0", "dot"))
    text = {"iso": f"{y}-{m:02d}-{d:02d}", "iso1": f"{y}-{m}-{d}", "slash": f"{y}/{m:02d}/{d:02d}", "cn": f"{y}年{m}月{d}日",
            "cn0": f"{y}年{m:02d}月{d:02d}日", "dot": f"{y}.{m:02d}.{d:02d}"}[form]
    tail = "/" if form == "slash" and rng.random() < 0.3 else ""
    return text, tail


def _time(rng: random.Random) -> str:
    h, mi, s = rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice(("", "", f" {h}:{mi:02d}", f" {h:02d}:{mi:02d}", f" {h:02d}:{mi:02d}:{s:02d}", f"  {h}:{mi:02d}"))


def _source(rng: random.Random, organ: Organ) -> str:
    return rng.choice((organ.place, organ.place, "原创", "本站", "办公室", f"{organ.county}{organ.place}"
                       if organ.kind != "department" else organ.county))


def _fields(rng: random.Random, organ: Organ) -> str:
    """What a page prints after the date: source, views, font size, print."""
    return rng.choice((
        "", "  浏览次数：", f"  来源：{_source(rng, organ)}", f"  来源：{_source(rng, organ)}  浏览次数：",
        f"   访问量：{rng.randint(1, 900)}", "  字体：大 中 小", "  【打印】【关闭】", "   [ ]   浏览次数：",
        f"  文章来源：{_source(rng, organ)}  字体：", "  分享到：",
    ))


def date_line(b: Builder, rng: random.Random, ymd: tuple[int, int, int], organ: Organ, top: bool) -> None:
    """One page header (``top``) or footer printing the publish date; the DATE span covers the
    date only (not the label, a trailing ``/``, the time or the fields around it)."""
    date, tail = date_text(rng, ymd)
    form = rng.choice(("labelled", "labelled", "labelled", "bracket", "bullets", "bare", "catalogue") if top
                      else ("labelled", "labelled", "generated"))
    if form == "bare":  # 2024年01月26日来源:… or a date and time alone below the title
        b.add(date, "DATE")
        b.add(tail + _time(rng) + rng.choice(("", f"来源：{_source(rng, organ)}", f" 来源:{_source(rng, organ)}")))
    elif form == "bracket":
        b.add(rng.choice(("【发布时间】", "【发布日期】", "[发布时间] ")))
        b.add(date, "DATE")
        b.add(tail + _time(rng) + rng.choice(("", f" 【来源】{_source(rng, organ)}", " 【字体：大 中 小】")))
    elif form == "bullets":
        mark = rng.choice(("  • ", "- ", "· "))
        b.add(f"{mark}信息来源：{_source(rng, organ)}\n{mark}{rng.choice(LABELS[:4])}{rng.choice(COLONS)}")
        b.add(date, "DATE")
        b.add(tail + _time(rng) + f"\n{mark}浏览次数：")
    elif form == "catalogue":  # a disclosure catalogue's metadata block; 成文日期 (drafting) left empty
        mark = rng.choice(("", "- "))
        code = f"{rng.randint(10**7, 10**8 - 1)}{rng.choice('GKMX')}/{ymd[0]}-{rng.randint(10000, 99999)}"
        b.add(f"{mark}索引号：{code}\n{mark}主题分类：综合政务\n{mark}发布机构：{_source(rng, organ)}\n"
              + rng.choice(("", f"{mark}成文日期：\n")) + f"{mark}{rng.choice(('发布日期', '生成日期'))}{rng.choice(COLONS)}")
        b.add(date, "DATE")
        b.add(tail + _time(rng) + rng.choice(("", f"\n{mark}公开方式：主动公开")))
    elif form == "generated":  # a print view's footer
        b.add(rng.choice(("生成日期", "发布日期", "发布时间")) + rng.choice(COLONS))
        b.add(date, "DATE")
        b.add(tail + _time(rng) + rng.choice(("", "  【打印本页】  【关闭窗口】", "   打印  关闭")))
    elif form == "labelled" and rng.random() < 0.2:  # fields run together: 来源:…发布时间:…访问量:
        b.add(f"来源{rng.choice(COLONS[:2])}{_source(rng, organ)}{rng.choice(('发布时间', '发布日期'))}{rng.choice(COLONS[:2])}")
        b.add(date, "DATE")
        b.add(tail + _time(rng) + rng.choice(("访问量：字体", "浏览次数：", "", "访问量：")))
    else:
        before = rng.choice(("", "", f"来源：{_source(rng, organ)}  ", f"信息来源：{_source(rng, organ)}   ",
                             "作者：办公室  "))
        b.add(before + rng.choice(LABELS) + rng.choice(COLONS))
        b.add(date, "DATE")
        b.add(tail + _time(rng) + _fields(rng, organ))
    b.add("\n")


def breadcrumb(rng: random.Random, year: int) -> str:
    """A page's 当前位置 line; the year there (no 年) is a folder name, not a year statement."""
    folder = rng.choice((f"{year}", f"{year}", "乡镇街道", "部门"))
    return rng.choice((
        f"当前位置：首页 > 政府信息公开 > 政府信息公开年报 > {folder}\n",
        f"首页 / 政府信息公开 / 政府信息公开年报 / {folder} / 正文\n",
        f"您当前的位置：首页 > 信息公开 > 年度报告 > {folder}\n",
    ))
