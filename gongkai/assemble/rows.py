"""Map a printed row label (a ``ROW`` span) to its template key by fuzzy matching against
``gongkai.template``. Printed labels vary: ordinals, remarks in brackets, typos
(``无正当理由由大量反复申请``), traditional characters; group rows (（三）不予公开) carry no cells
but decide ambiguous numbered rows below them (``3.其他`` under （六）其他处理)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from gongkai import template as T
from gongkai.assemble.canon import canon

TABLES = ("active_disclosure", "requests", "review_litigation")
MIN_RATIO = 0.75


@dataclass(frozen=True)
class RowMatch:
    """``key`` is a row key (or review group); ``group`` a request group key when the label is one."""

    table: str
    key: str | None
    group: str | None
    score: float


@cache
def _vocabulary(table: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(canonical label, row key, group key) for every printed label of ``table``."""
    out: list[tuple[str, str | None, str | None]] = []
    if table == "active_disclosure":
        for key, labels in T.ACTIVE_ROWS.items():
            out += [(canon(lab), key, None) for lab in labels]
    elif table == "requests":
        for key, (_group, labels) in T.REQUEST_ROWS.items():
            out += [(canon(lab), key, None) for lab in labels]
        for gkey, labels in T.REQUEST_GROUPS.items():
            # 其他处理 is both a group and (2019) a row with cells; the row entry above keeps it a row
            out += [(canon(lab), None, gkey) for lab in labels if gkey != "other"]
    elif table == "review_litigation":
        for key, labels in T.REVIEW_GROUPS.items():
            out += [(canon(lab), key, None) for lab in labels]
    return tuple(out)


def _score(text: str, label: str) -> float:
    if text == label:
        return 1.0
    if len(label) >= 2 and text.endswith(label):
        if len(label) <= 2 and len(text) > len(label) + 4:
            return 0.7  # a long label that merely ends in 其他 is not the 其他 row
        return 0.95 - 0.001 * (len(text) - len(label))  # 三、本年度办理结果(一)予以公开 → 予以公开
    if len(label) >= 4 and label in text:
        return 0.9 - 0.001 * (len(text) - len(label))
    if len(text) >= 5 and (label.startswith(text) or label.endswith(text)):
        return 0.8 + 0.1 * len(text) / len(label)  # a label clipped by the layout: 由大量反复申请
    if len(text) >= 4 and text in label:
        return 0.85 * len(text) / len(label) + 0.1
    m = SequenceMatcher(None, text, label, autojunk=False)
    if m.real_quick_ratio() < MIN_RATIO or m.quick_ratio() < MIN_RATIO:
        return 0.0  # cannot reach the threshold: skip the full comparison
    return m.ratio()


@lru_cache(maxsize=8192)
def match_row(printed: str, table: str, group: str | None = None, template: str | None = None) -> RowMatch:
    """Best row of ``table`` for ``printed``; ``key`` and ``group`` are None below MIN_RATIO.

    ``group`` is the request group the row sits under (from the last group label seen); it
    breaks ties such as 其他 (other_misc under （六）其他处理 vs nothing elsewhere).
    """
    head = canon(printed)
    # words in brackets count only when the label's own words are few (行政诉讼（未经复议直接起诉）):
    # a full label's remark may name other rows (其他主动公开文件（…规范性文件以外…）)
    texts = ({head} if len(head) >= 5 else {head, canon(printed, keep_remarks=True)}) - {""}
    if not texts:
        return RowMatch(table, None, None, 0.0)
    best: tuple[float, int, str | None, str | None] = (0.0, 0, None, None)
    for i, (label, key, gkey) in enumerate(_vocabulary(table)):
        s = max(_score(text, label) for text in texts)
        if table == "requests" and key is not None:
            row_group = T.REQUEST_ROWS[key][0]
            if group is not None and row_group == group:
                s += 0.01  # context breaks ties
            if template and key not in T.request_rows(template):
                s -= 0.02
        if s > best[0]:
            best = (s, i, key, gkey)
    score, _i, key, gkey = best
    if score < MIN_RATIO:
        key, gkey, score = _unique_fragment(texts, table, key, gkey, score)
    if score < MIN_RATIO and table == "requests" and group is not None:
        by_ordinal = _numbered_row(printed, group, template)
        if by_ordinal is not None:  # 2. 其他法律行政法… mangled by the layout, but the 2nd row of 不予公开
            return RowMatch(table, by_ordinal, None, MIN_RATIO)
    if score < MIN_RATIO:
        return RowMatch(table, None, None, round(score, 3))
    if table == "requests" and key == "other_misc" and template == "2019":
        return RowMatch(table, "other_handling", None, round(min(score, 1.0), 3))  # 2019 has one 其他 row
    if table == "requests" and key == "other_misc" and group not in (None, "other"):
        return RowMatch(table, None, None, round(score, 3))  # 其他 under another group is no known row
    return RowMatch(table, key, gkey, round(min(score, 1.0), 3))


def _unique_fragment(texts: set[str], table: str, key, gkey, score: float):
    """A label clipped to 3+ characters (予以公 / 于国家秘) that starts or ends exactly one label."""
    hits = {
        (k, g)
        for text in texts
        if len(text) >= 3
        for label, k, g in _vocabulary(table)
        if label != text and (label.startswith(text) or label.endswith(text))
    }
    if len(hits) == 1:
        ((k, g),) = hits
        return k, g, MIN_RATIO + 0.01
    return key, gkey, score


_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.、．]")


def _numbered_row(printed: str, group: str, template: str | None) -> str | None:
    """The N-th row of a request group for a label printed as ``N.…`` (None if there is none)."""
    m = _NUMBERED.match(unicodedata.normalize("NFKC", printed))
    if not m:
        return None
    rows = [
        k for k, (g, _) in T.REQUEST_ROWS.items() if g == group and k in T.request_rows(template or "2019")
    ]
    if group == "other":
        rows = [k for k in rows if k != "other_handling"]
    n = int(m.group(1))
    return rows[n - 1] if 1 <= n <= len(rows) else None


def best_table(printed: str, group: str | None = None, template: str | None = None) -> RowMatch:
    """Match against every table (used when a row lies outside the three table sections)."""
    matches = [match_row(printed, t, group, template) for t in TABLES]
    return max(matches, key=lambda m: (m.key is not None or m.group is not None, m.score))
