"""ROW/COL/CELL_k spans → the three tables.

A cell belongs to the nearest ROW before it (docs/labels.md). The row's table is the table
section it lies in (二/三/四), or the best vocabulary match when it lies outside them. ``CELL_k``
is the k-th column of ``template.row_columns(table, row, template)``. Review cells with no ROW
since the start of section 四 (or since the review header) use the one-line layout CELL_1..15.
Cells of rows that match nothing go to provenance only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import template as T
from gongkai.assemble.canon import canon, canon_keep_brackets
from gongkai.assemble.provenance import from_span
from gongkai.assemble.rows import RowMatch, best_table, match_row
from gongkai.assemble.sections import section_at
from gongkai.numbers import parse_cell
from gongkai.schema import Provenance, Section
from gongkai.spans import SECTION_LABELS, Span, cell_column

TABLE_SECTIONS = ("active_disclosure", "requests", "review_litigation")
_VALUE_AHEAD = re.compile(r"\s+[-+−]?\d")
_RUN_CELLS = frozenset("0123456789—/-+−.无")
# headers only the review table prints: a COL like these ends the rows of the table before it
_REVIEW_HEADERS = tuple(
    canon(h) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "行政复议", "行政诉讼")
)
_2021_ONLY_ROWS = {"other_overdue_correction", "other_unpaid_fee", "other_misc"}
_2019_ONLY_ROWS = {
    "other_administrative_services",
    "centralized_procurement",
    "other_handling",
    "three_columns",
}
_ONE_COLUMN_IN_2021 = {"administrative_licensing", "administrative_penalty", "administrative_coercion"}


@dataclass
class Cell:
    value: int | float
    unit: str | None
    span: Span


@dataclass
class TableResult:
    """Filled cells keyed (table, row, col); provenance for every span used (known or not)."""

    cells: dict[tuple[str, str, str], Cell] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    rows: dict[tuple[str, str], Span] = field(default_factory=dict)  # (table,row) → its ROW span

    def put(self, table: str, row: str, col: str, cell: Cell) -> bool:
        """Place a cell; False when a surer one already holds its place."""
        key = (table, row, col)
        old = self.cells.get(key)
        if old is None or cell.span.score > old.span.score:  # a repeated cell: the surer one wins
            self.cells[key] = cell
            self.provenance[f"{table}.{row}.{col}"] = from_span(cell.span)
            return True
        return False


def _row_table(row: Span, sections: dict[str, Section | None]) -> str | None:
    sec = section_at(sections, row.start)
    return sec if sec in TABLE_SECTIONS else None


def _match(row: Span, sections, group, template) -> RowMatch:
    table = _row_table(row, sections)
    if table is None:
        return best_table(row.text, group, template)
    m = match_row(row.text, table, group, template)
    if m.key is None and m.group is None:  # a table printed in the wrong section
        other = best_table(row.text, group, template)
        if other.score >= 0.9:
            return other
    return m


def _next_group(m: RowMatch, group: str | None) -> str | None:
    """The request group in force after row ``m``: a group label sets it, a row sets its own."""
    if m.group:
        return m.group
    if m.table == "requests" and m.key:
        return "other" if m.key == "other_handling" else T.REQUEST_ROWS[m.key][0]
    return group


def guess_template(spans: list[Span], sections: dict[str, Section | None]) -> str | None:
    """Template from the printed rows when no header decides: a 2021-only row (（六）1.申请人无正当
    理由逾期不补正…, 3.其他) → 2021; a 2019-only row (其他对外管理服务事项, 政府集中采购, or 其他处理
    with cells of its own — in 2021 it is a group label — or 行政许可/处罚/强制 with a 2nd or 3rd
    cell) → 2019; else None."""
    seen: set[str] = set()
    current: str | None = None
    group: str | None = None
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.label == "ROW":
            m = _match(s, sections, group, None)
            group, current = _next_group(m, group), m.key
            if current and current != "other_handling":
                seen.add(current)
        elif (k := cell_column(s.label)) and current in _ONE_COLUMN_IN_2021 and k >= 2:
            seen.add("three_columns")  # 行政许可 … print one column in 2021, three in 2019
        elif k and current == "other_handling":
            seen.add(current)
    if seen & _2021_ONLY_ROWS:
        return "2021"
    if seen & _2019_ONLY_ROWS:
        return "2019"
    return None


def printed_label(text: str, row: Span) -> tuple[int, int]:
    """The whole printed label cell around a ROW span: to the line's start or a separator on the
    left, to a separator, the line's end or a value after white space on the right. A labeller
    may tag a row word inside another row's label (``规范性文件`` inside the remark of
    ``其他主动公开文件(…除规范性文件以外…)``); the cell shows which row the values really follow."""
    s = row.start
    while s > 0 and text[s - 1] not in "\n|\t":
        s -= 1
    e = row.end
    while e < len(text) and text[e] not in "\n|\t":
        if text[e].isspace() and _VALUE_AHEAD.match(text, e):
            break
        e += 1
    while s < e and text[s].isspace():
        s += 1
    while e > max(s, row.end) and (text[e - 1].isspace() or text[e - 1] in _RUN_CELLS):
        e -= 1  # cells printed run together after the label (规章000, 总计———)
    return (s, e) if e > s else (row.start, row.end)


def _row_label(res: TableResult, table: str, key: str, span: Span, text: str | None) -> None:
    """Provenance ``row_label.<table>.<row>``: the printed label the row's cells were read under
    (of the latest cell that won its place, when a row is read twice)."""
    path = f"row_label.{table}.{key}"
    s, e = printed_label(text, span) if text is not None else (span.start, span.end)
    raw = text[s:e] if text is not None else span.text
    res.provenance[path] = from_span(span, raw, s, e)


def build_tables(spans: list[Span], sections: dict[str, Section | None], template: str | None,
                 text: str | None = None) -> TableResult:
    """Walk ROW/COL/CELL/SEC spans in text order and place every cell. With ``text``, the printed
    label of every row that got a cell is kept in provenance (``row_label.…``) for the checks."""
    res = TableResult()
    current: RowMatch | None = None
    current_span: Span | None = None
    group: str | None = None
    review_header = False
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    unread: list[tuple[str, str, Span, int]] = []  # known rows that got no cell: (table, row, ROW, index)
    labelled: dict[tuple[str, str], Span] = {}  # the ROW span each row's label provenance comes from
    for i, s in enumerate(ordered):
        if s.label in SECTION_LABELS:
            current, current_span, group, review_header = None, None, None, False
        elif s.label == "COL":
            c = canon(s.text)
            if (
                c
                and any(h in c for h in _REVIEW_HEADERS)
                and not (current and current.table == "review_litigation")
            ):
                current, current_span, review_header = None, None, True
        elif s.label == "ROW":
            current, current_span = _match(s, sections, group, template), s
            group = _next_group(current, group)
            if current.key:
                res.rows.setdefault((current.table, current.key), s)
                unread.append((current.table, current.key, s, i))
        elif (k := cell_column(s.label)) is not None:
            won = _place(res, s, k, current, current_span, sections, template, review_header)
            if won and current is not None and current.key and current_span is not None:
                if labelled.get((current.table, current.key)) is not current_span:
                    labelled[(current.table, current.key)] = current_span
                    _row_label(res, current.table, current.key, current_span, text)
    if text is not None:
        _unread(res, text, ordered, unread)
    return res


_PRINTED_VALUE = re.compile(r"[\d无—]")
_NEXT_LABEL = re.compile(r"(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）.、．]\s*)?[\u3400-\u65df\u65e1-\u9fff]")


def _unread(res: TableResult, text: str, ordered: list[Span], rows: list[tuple[str, str, Span, int]]) -> None:
    """Values printed after a row label that the labeller could not place (a count that does not
    fit the row's columns, a lone 无 for a multi-column row): ``unread.<table>.<row>`` in provenance
    with the printed stretch and confidence 0, so a reader sees the row was not read, not missing."""
    read = {(t, r) for t, r, _ in res.cells}
    for table, key, row, i in rows:
        if (table, key) in read:
            continue
        end = ordered[i + 1].start if i + 1 < len(ordered) else min(len(text), row.end + 200)
        s, e = row.end, min(end, row.end + 200)
        label = _NEXT_LABEL.search(text, s, e)  # the next row's label (one no labeller tagged) ends it
        if label:
            e = label.start()
        while s < e and text[s] in " \t|\r\n":
            s += 1
        while e > s and text[e - 1] in " \t|\r\n":
            e -= 1
        if e > s and _PRINTED_VALUE.search(text, s, e) and f"unread.{table}.{key}" not in res.provenance:
            res.provenance[f"unread.{table}.{key}"] = Provenance(
                raw=text[s:e], start=s, end=e, source=row.source, confidence=0.0)


def _place(res, s: Span, k: int, current, current_span, sections, template, review_header) -> bool:
    """Put one cell; True when it took its place in a row of the template under its ROW label."""
    try:
        value, unit = parse_cell(s.text)
    except ValueError:
        return False
    cell = Cell(value, unit, s)
    if current is not None and current.table == "review_litigation" and k > len(T.REVIEW_COLUMNS):
        current = None  # 15 cells after a group label: the one-line layout
    if current is None:
        if review_header or section_at(sections, s.start) == "review_litigation":
            cols = T.row_columns("review_litigation", "*", template or "2019")
            if k <= len(cols):
                group, col = cols[k - 1].split(".")
                res.put("review_litigation", group, col, cell)
                return False
        res.provenance[f"unattributed.{s.label}@{s.start}"] = from_span(s)
        return False
    if current.key is None:
        where = canon(current_span.text) if current_span else "?"
        res.provenance[f"{current.table}.?{where}.col{k}"] = from_span(s)  # a row the template lacks
        return False
    cols = T.row_columns(current.table, current.key, template or "2019")
    if k > len(cols):
        res.provenance[f"{current.table}.{current.key}.?col{k}"] = from_span(s)
        return False
    return res.put(current.table, current.key, cols[k - 1], cell)


def amount_unit(res: TableResult, spans: list[Span]) -> tuple[str | None, Span | None]:
    """Unit of the procurement amount: printed in the cell (249万 → 万元) or in the nearest
    amount column header before the row (单位：万元 / （万元） / 元); None when none is printed."""
    cell = res.cells.get(("active_disclosure", "centralized_procurement", "amount"))
    if cell is None:
        return None, None
    if cell.unit in ("万元", "元"):
        return cell.unit, cell.span
    row = res.rows.get(("active_disclosure", "centralized_procurement"))
    anchor = row.start if row else cell.span.start
    headers = [s for s in spans if s.label == "COL" and s.end <= anchor]
    for h in sorted(headers, key=lambda s: -s.start)[:6]:
        c = canon_keep_brackets(h.text)
        if "金额" not in c and "万元" not in c and not c.endswith("元)"):
            continue
        if "万元" in c or "单位万" in c:
            return "万元", h
        if "元" in c.replace("金额", ""):
            return "元", h
        return None, None  # the amount header prints no unit
    return None, None
