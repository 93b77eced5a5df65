"""Open-vocabulary names for the generator: places, categories and request topics made of common
characters, so the model learns where a name starts and ends from its context, not from a list.

Why: a model trained on a few dozen fixed town and category names reads a name it never saw
(``中仓街道``, ``法规公文类信息``) one character short, and a character the training texts never
contained is ``[UNK]`` to it. The character pool is GB2312 (level 1: the 3,755 most common
simplified characters; level 2 now and then), read from Python's own codec, so no list is stored.
"""

from __future__ import annotations

import random
from functools import lru_cache

# Characters that carry grammar in a report (numerals, units, negations, list words, organ kinds,
# claim verbs): a random name never contains them, so it never reads as a count or a new clause.
_RESERVED = frozenset(
    "零〇一二两三四五六七八九十百千万亿年月日号条件篇项次期份封个宗余多近约共计占无未没有不其中"
    "等及和与或在于为是的了类信息镇乡县区市省州局街道村社居委办室府政人民公开申请收到受理答复结转"
    "累截止至今全本新增总达含括包通过发布"
    "据经按由对将把被向从自因如若以并且而但请现特逾超"  # words that open a clause before a name
)

CATEGORY_MORPHEMES = (
    "政策", "文件", "法规", "公文", "项目", "资金", "招标", "采购", "中标", "规划", "补贴", "征地", "征收",
    "救助", "就业", "教育", "医疗", "卫生", "环境", "安全", "建设", "工程", "人事", "财政", "预算", "决算",
    "公告", "通知", "动态", "解读", "回应", "行政", "执法", "许可", "处罚", "审批", "服务", "重点",
    "重大", "推进", "结果", "经费", "三公", "公共服务", "民生", "社会", "保障", "扶贫", "农业", "水利", "交通", "住房",
    "养老", "社保", "价格", "统计", "应急", "防汛", "防控", "质量", "监管", "审计", "土地", "矿产", "林业",
    "文化", "旅游", "体育", "科技", "营商", "税费", "惠农", "会议", "领导", "机构", "职能", "年报", "督查",
    "专项", "生态", "污染", "防治", "消防", "食品", "药品", "市场", "企业", "改革", "发展", "城乡", "乡村",
    "振兴", "产业", "人才", "招聘", "考录", "安置", "拆迁", "出让", "登记", "证照", "办事", "指南", "目录",
)
CATEGORY_SUFFIXES = ("", "", "", "类", "类", "信息", "信息", "类信息", "情况", "领域信息", "工作信息", "事项", "专栏信息")
PLACE_KINDS = ("市", "县", "区", "州")


@lru_cache(maxsize=1)
def pools() -> tuple[str, str]:
    """(level 1, level 2) GB2312 characters, without the reserved ones."""
    def rows(lo: int, hi: int) -> str:
        chars = []
        for h in range(lo, hi):
            for cell in range(0xA1, 0xFF):
                try:
                    c = bytes([h, cell]).decode("gb2312")
                except UnicodeDecodeError:  # the unused tail of the last level-1 row
                    continue
                if c not in _RESERVED:
                    chars.append(c)
        return "".join(chars)

    return rows(0xB0, 0xD8), rows(0xD8, 0xF8)


def char(rng: random.Random) -> str:
    """One common character; a rarer level-2 one about one time in ten."""
    level1, level2 = pools()
    return rng.choice(level2 if rng.random() < 0.1 else level1)


def word(rng: random.Random, n: int) -> str:
    """``n`` random characters, no character twice in a row."""
    out = ""
    while len(out) < n:
        c = char(rng)
        if not out or c != out[-1]:
            out += c
    return out


def place(rng: random.Random) -> str:
    """A town or street name: two characters, sometimes three."""
    return word(rng, 3 if rng.random() < 0.15 else 2)


def category(rng: random.Random) -> str:
    """A category as reports name it: one to three subject words (now and then an unseen word,
    two joined by 与/和/及, a bracketed qualifier, a year or 全省-like prefix) and a suffix."""
    parts = [word(rng, 2) if rng.random() < 0.2 else rng.choice(CATEGORY_MORPHEMES)
             for _ in range(rng.choice((1, 2, 2, 3)))]
    name = "".join(parts)
    r = rng.random()
    if r < 0.1:
        name += rng.choice("与和及") + rng.choice(CATEGORY_MORPHEMES)
    elif r < 0.15:
        name += f"（{rng.choice(CATEGORY_MORPHEMES)}{rng.choice(CATEGORY_MORPHEMES)}）"
    r = rng.random()
    if r < 0.05:
        name = f"{rng.randint(2018, 2025)}年{name}"
    elif r < 0.1:
        name = rng.choice(("全省", "全市", "全县", "全区")) + name
    return name + rng.choice(CATEGORY_SUFFIXES)
