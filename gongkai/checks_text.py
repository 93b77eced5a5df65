"""Checks that compare the output with the page: numbers printed on a table's row that no cell
was read from.

A table row is a line that starts with a template row label (after an ordinal such as （一）or
1.) and holds nothing else but an optional explanation in brackets and values; its values are
on that line or on the value-only lines below it (one cell per line, ``|`` per line). A printed
number of such a row that no cell of the table points at (provenance offsets) was left behind:
the row was skipped, cut short, or read from somewhere else. Rows that are not in the template
(其他主动公开文件 …) are not looked at, and neither are very short labels that are also column
headers (其他, 总计).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from gongkai import template as T
from gongkai.schema import Check, Report

_ORDINAL = re.compile(r"^[\s|]*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*)*")
_BRACKET = re.compile(r"\s*[（(][^）)]*(?:[）)]|$)")  # used with match(line, pos): no ^
_VALUES_ONLY = re.compile(r"^[\s|\t\d\-+.,，、/—–%无零〇]*$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
MIN_LABEL = 3  # shorter request labels (其他, 总计) are also column headers


@lru_cache(maxsize=4)
def _labels(table: str) -> list[tuple[str, str]]:
    """(printed label, row key) of ``table``, longest label first."""
    if table == "active_disclosure":
        pairs = [(lab, row) for row, labs in T.ACTIVE_ROWS.items() for lab in labs]
    else:
        pairs = [(lab, row) for row, (_g, labs) in T.REQUEST_ROWS.items() for lab in labs]
        pairs = [(lab, row) for lab, row in pairs if len(lab) >= MIN_LABEL]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _row_of(line: str, labels: list[tuple[str, str]], firsts: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """(row key, where the values part starts) if ``line`` is a row of this table (``firsts``: the
    labels' first characters, to pass over prose lines without trying every label)."""
    head = _ORDINAL.match(line)
    pos = head.end() if head else 0
    if firsts and (pos >= len(line) or line[pos] not in firsts):
        return None
    for lab, row in labels:
        if line.startswith(lab, pos):
            rest_at = pos + len(lab)
            bracket = _BRACKET.match(line, rest_at)
            if bracket:
                rest_at = bracket.end()
            if _VALUES_ONLY.match(line[rest_at:]):
                return row, rest_at
            return None
    return None


@lru_cache(maxsize=8)
def _finder(table: str) -> re.Pattern[str]:
    """Any row label of ``table`` anywhere: only lines holding one can be rows."""
    return re.compile("|".join(re.escape(lab) for lab, _ in _labels(table)))


@lru_cache(maxsize=8)  # each check asks twice per table for the same text
def printed_rows(text: str, table: str) -> dict[str, list[tuple[str, int]]]:
    """Row key -> (number as printed, offset) of the numbers printed on that row (do not mutate:
    the result is shared)."""
    labels = _labels(table)
    firsts = frozenset(lab[0] for lab, _ in labels)
    lines = text.splitlines(keepends=True)
    starts = list(accumulate(map(len, lines), initial=0))
    candidates = {bisect_right(starts, m.start()) - 1 for m in _finder(table).finditer(text)}
    rows: dict[str, list[tuple[str, int]]] = {}

    def take(row: str, i: int, at: int) -> None:
        body = lines[i].rstrip("\r\n")
        room = _width(table, row) - len(rows[row])  # more is the next row's ordinal (2.…)
        found = [(m.group(), starts[i] + m.start()) for m in _NUMBER.finditer(body, at)]
        rows[row].extend(found[:max(room, 0)])

    for i in sorted(candidates):
        found = _row_of(lines[i].rstrip("\r\n"), labels, firsts)
        if not found:
            continue
        row, at = found
        rows.setdefault(row, [])
        take(row, i, at)
        j = i + 1  # value-only lines below continue the row; any other text ends it
        while j < len(lines) and j not in candidates and _VALUES_ONLY.match(lines[j].rstrip("\r\n")):
            take(row, j, 0)
            j += 1
    return rows


@lru_cache(maxsize=256)
def _width(table: str, row: str) -> int:
    """The most values a row of ``table`` prints in either template."""
    return max(len(T.row_columns(table, row, t)) for t in T.TEMPLATES)


def _spans(report: Report, prefix: str) -> list[tuple[int, int]]:
    return [(p.start, p.end) for path, p in report.provenance.items()
            if path.startswith(prefix) and p.start is not None and p.end is not None]


def unread_numbers(report: Report, text: str, table: str) -> dict[str, list[tuple[str, int]]]:
    """Row key -> its printed numbers that no cell of ``table`` was read from, for rows that were
    not read in place (no cell of the row points at its printed numbers) or were read short
    (fewer cells than the template's columns); all its numbers for a printed row that the output
    lacks. A row read in place in full may print extra numbers (a column the template lacks):
    those are not reported."""
    covered = {i for s, e in _spans(report, f"{table}.") for i in range(s, e)}  # value spans are short
    template = report.meta.template or "2019"
    out: dict[str, list[tuple[str, int]]] = {}
    for row, numbers in printed_rows(text, table).items():
        cells = getattr(getattr(report, table), row, None)
        n_read = sum(1 for k, v in (cells.model_dump().items() if cells else ()) if v is not None and k != "amount_unit")
        if numbers and not n_read:  # a printed row missing from the output, its numbers read or not
            out[row] = numbers
            continue
        left = [(n, at) for n, at in numbers if at not in covered]
        if not left:
            continue
        own = _spans(report, f"{table}.{row}.")
        in_place = any(s <= at < e for _, at in numbers for s, e in own)
        if not in_place or n_read < len(T.row_columns(table, row, template)):
            out[row] = left
    return out


def unread_values(report: Report, text: str) -> Iterable[Check]:
    """``<table>.unread_values``: fails when a printed row of the table has numbers that no cell
    was read from (see module doc), naming the row, the numbers and where they are."""
    for table in ("active_disclosure", "requests"):
        rule = f"{table}.unread_values"
        printed = printed_rows(text, table)
        if not any(printed.values()):
            yield Check(rule=rule, status="skipped", detail="missing inputs: no printed row with values")
            continue
        left = unread_numbers(report, text, table)
        if not left:  # (numbers a row prints beyond the template's columns are not counted here)
            n = sum(len(v) for v in printed.values())
            yield Check(rule=rule, status="pass", detail=f"all {n} numbers on {len(printed)} printed rows read")
            continue
        parts = [f"{row}: {', '.join(n for n, _ in nums[:8])} at {nums[0][1]}" for row, nums in left.items()]
        yield Check(rule=rule, status="fail", detail="printed but not read into the row: " + "; ".join(parts))
