"""Which template column each printed value of one table row sits in: one alignment for every layout.

A row is its label followed by a *segment* of text up to the next label: values, separators and
white space. The segment's separators say how the page printed the row, and the template says
how many columns the row has (``n``). The values are aligned with the row's ``n`` columns by
counting fields, whatever the layout:

- ``|`` anywhere in the segment: fields are the stretches between pipes, across lines too (a
  markdown row ``| 0 | | 3 |``, cells one per line each closed by ``|``, or a lone ``|`` line between
  every cell); a field with nothing in it is a blank cell.
- a tab on the row's line: fields are the stretches between tabs on that line.
- values on the lines below the label, one per line: fields are lines (or paragraphs, when a blank
  line follows every line), so an empty line is a blank cell.
- values on the label's own line separated by spaces: a blank cell leaves no trace there, so the
  values are placed only when there are exactly ``n`` of them (or one run-together ``000``).

Surplus blank fields are dropped (trailing first, then leading); a single-line tab or pipe row with
fewer fields than columns is right-aligned (``(一)予以公开⇥⇥⇥⇥⇥⇥0`` → column 7). Anything else — two
values in one field, more values than columns, a count that does not fit — is *not attributable*:
no column is guessed, and ``Placement.reason`` says why.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

PIPE, TAB, LINES, SPACE, GLUED = "pipe", "tab", "lines", "space", "glued"
_PIPE = re.compile(r"\|")
_ROW_END = re.compile(r"(?m)^[ \t]*\|{2,}[ \t]*$")
_TAB = re.compile(r"\t")


@dataclass
class Placement:
    """``cells``: (column 1..n, index into the row's values). Empty with a ``reason`` when the
    values cannot be placed; ``exact`` is False when columns were inferred (right-aligned)."""

    mode: str
    cells: list[tuple[int, int]] = field(default_factory=list)
    exact: bool = True
    reason: str | None = None
    split: list[tuple[int, int, int]] = field(default_factory=list)  # run-together: (column, start, end)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e < 0 else e


def _fit(
    fields: list[int | None], nvals: int, n: int, one_line: bool, lead: bool = True
) -> tuple[list[tuple[int, int]], bool] | str:
    """Fields (value index or None for blank) → placements in 1..n, or the reason they do not fit.
    ``lead``: surplus blank fields before the first value may go too (a table's empty first column)."""
    while len(fields) > n and fields and fields[-1] is None:
        fields.pop()
    while lead and len(fields) > n and fields and fields[0] is None:
        fields.pop(0)
    if len(fields) > n:
        return f"{len(fields)} fields for {n} columns"
    offset, exact = 0, True
    if len(fields) < n:
        if not one_line:
            return f"{len(fields)} fields for {n} columns"
        offset, exact = n - len(fields), False  # a short tab/pipe row: its last field is the last column
    return [(offset + i + 1, v) for i, v in enumerate(fields) if v is not None], exact


def _by_separators(
    text: str,
    start: int,
    end: int,
    values: list[tuple[int, int]],
    seps: list[int],
    n: int,
    one_line: bool,
    first_is_cell: bool = False,
) -> tuple[list[tuple[int, int]], bool] | str:
    """Field of each value = separators before it; field 0 (the rest of the label's cell, or a
    markdown row's left margin) is dropped when it holds no value, unless ``first_is_cell``."""
    slots: dict[int, int] = {}
    for vi, (vs, _ve) in enumerate(values):
        f = bisect_left(seps, vs)
        if f in slots:
            return "two values in one field"
        slots[f] = vi
    base = 0 if 0 in slots or first_is_cell else 1
    nfields = len(seps) + 1
    fields = [slots.get(f) for f in range(base, nfields)]
    return _fit(fields, len(values), n, one_line)


def _row_ends(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines holding only two or more pipes (``||``, ``||||``): a row's end, not empty cells."""
    if "||" not in text[start:end]:
        return []
    return [(m.start(), m.end()) for m in _ROW_END.finditer(text, start, end)]


def line_spacing(text: str, start: int = 0, end: int | None = None) -> int:
    """2 when a blank line follows nearly every non-blank line of ``text[start:end]`` (PDF and
    web copies), else 1: one cell per line then means one per paragraph."""
    lines = text[start:end].split("\n")
    filled = [i for i, ln in enumerate(lines[:-1]) if ln.strip()]
    if len(filled) < 4:
        return 1
    followed = sum(1 for i in filled if not lines[i + 1].strip())
    return 2 if followed >= 0.8 * len(filled) else 1


def place(
    text: str,
    start: int,
    end: int,
    values: list[tuple[int, int]],
    n: int,
    masked: list[tuple[int, int]] = (),
    spacing: int | None = None,
) -> Placement:
    """Align ``values`` ((start, end) offsets into ``text``, in order) of the row segment
    ``text[start:end]`` with ``n`` columns. ``masked`` ranges (remarks in brackets) are ignored;
    ``spacing`` is the table's ``line_spacing``, tried first."""
    if not values or n <= 0:
        return Placement(SPACE, reason="no values")

    masked = [(a, b) for a, b in masked if a < end and b > start]

    def free(i: int) -> bool:
        return not masked or not any(a <= i < b for a, b in masked)

    pipes = [m.start() for m in _PIPE.finditer(text, start, end) if free(m.start())] if text.find("|", start, end) >= 0 else []
    first_line = _line_bounds(text, values[0][0])
    same_line = values[-1][0] < first_line[1]
    label_line = _line_bounds(text, max(start - 1, 0)) if start > 0 else (0, 0)
    if pipes:
        row_seps = [p for p in pipes if first_line[0] <= p < first_line[1]]
        if not same_line and len(row_seps) >= 2:  # a pipe row, then bare numbers below it: strays
            below = [v for v in values if v[0] >= first_line[1]]
            if not any("|" in text[slice(*_line_bounds(text, v[0]))] for v in below):
                values = [v for v in values if v[0] < first_line[1]]
                same_line = True
        if same_line and first_line != label_line and len(row_seps) >= 2:  # a markdown row on its own line
            margin = text[first_line[0]] == "|"  # ``| 0 | 0 |``; `` | 0 |`` starts with a blank cell
            out = _by_separators(text, first_line[0], first_line[1], values, row_seps, n, True, not margin)
        else:
            one = same_line and first_line == label_line
            first_is_cell = False
            for a, b in _row_ends(text, start, end):  # ``||`` lines end one row and start the next
                if b <= values[0][0]:
                    start, first_is_cell = b, True  # the cell before the first pipe is column 1
                elif a >= values[0][1]:
                    end = a  # values after the row's end are strays (a page number): unplaced
                    values = [v for v in values if v[1] <= a]
                    break
            pipes = [p for p in pipes if start <= p < end]
            out = _by_separators(text, start, end, values, row_seps if one else pipes, n, one, first_is_cell)
        return _result(PIPE, out)
    lo = max(start, first_line[0])
    tabs = [m.start() for m in _TAB.finditer(text, lo, first_line[1]) if free(m.start())] if text.find("\t", lo, first_line[1]) >= 0 else []
    if tabs:  # fields between tabs on the values' line (from the label, or from the line start)
        on_line = [v for v in values if first_line[0] <= v[0] < first_line[1]]  # strays below: unplaced
        if first_line != label_line:  # a line of values below its label or header: its first field is a cell
            return _result(TAB, _by_separators(text, first_line[0], end, on_line, tabs, n, True, True))
        return _result(TAB, _by_separators(text, start, end, on_line, tabs, n, True))
    if same_line and (first_line == label_line or len(values) > 1):
        return _space(text, values, n)
    if not same_line and n > 1 and first_line != label_line and sum(v[0] < first_line[1] for v in values) == n:
        return Placement(SPACE, [(k + 1, k) for k in range(n)])  # a row of values, strays below it
    on_label = [vi for vi, (vs, _) in enumerate(values) if label_line[0] <= vs < label_line[1]]
    if on_label:  # values on the label's line and below it: a stray number, or one row
        if len(on_label) == n or len(values) == n:
            return Placement(
                SPACE, [(k + 1, vi) for k, vi in enumerate(on_label if len(on_label) == n else range(n))]
            )
        return Placement(SPACE, reason="values on the label's line and below it")
    return _lines(text, start, end, values, n, masked, spacing)


def _space(text: str, values: list[tuple[int, int]], n: int) -> Placement:
    if len(values) == n:
        return Placement(SPACE, [(k + 1, k) for k in range(n)])
    vs, ve = values[0]
    t = text[vs:ve]
    if len(values) == 1 and n > 1 and len(t) == n and t.isdigit():
        return Placement(GLUED, split=[(k + 1, vs + k, vs + k + 1) for k in range(n)], exact=False)
    return Placement(SPACE, reason=f"{len(values)} values for {n} columns, blanks leave no trace")


def _lines(
    text: str,
    start: int,
    end: int,
    values: list[tuple[int, int]],
    n: int,
    masked: list[tuple[int, int]],
    spacing: int | None,
) -> Placement:
    """One cell per line below the label: a value's column is the number of line breaks before it
    (halved when a blank line follows every line), so an empty line is a blank cell. Lines that
    hold only a remark do not count."""
    breaks: list[int] = []
    p = text.find("\n", start, end)
    while p >= 0:
        nxt = text.find("\n", p + 1, end)
        line_end = end if nxt < 0 else nxt
        if not masked or not _all_masked(text, p + 1, line_end, masked):
            breaks.append(p)
        p = nxt
    if not breaks:
        return Placement(LINES, reason="no line below the label")
    reason = "lines do not fit the columns"
    for step in (1, 2) if spacing != 2 else (2, 1):  # the table's own spacing first
        slots: dict[int, int] = {}
        for vi, (vs, _ve) in enumerate(values):
            # spacing 2: a stray third line break (a page number taken out) rounds down
            k = bisect_left(breaks, vs) // step
            if k < 1 or k in slots:
                reason = "two values on one line"
                break
            slots[k] = vi
        else:
            # the lines strictly between the label's line and the next label's (spacing 2: paragraphs)
            nfields = max(-(-(len(breaks) - step) // step), max(slots))
            out = _fit([slots.get(k) for k in range(1, nfields + 1)], len(values), n, False, lead=False)
            if not isinstance(out, str):
                return Placement(LINES, out[0], out[1])
            reason = out
    return Placement(LINES, reason=reason)


def _all_masked(text: str, s: int, e: int, masked: list[tuple[int, int]]) -> bool:
    """Whether the line ``text[s:e]`` holds something and all of it lies in a remark."""
    body = [i for i in range(s, e) if not text[i].isspace()]
    return bool(body) and all(any(a <= i < b for a, b in masked) for i in body)


def _result(mode: str, out: tuple[list[tuple[int, int]], bool] | str) -> Placement:
    if isinstance(out, str):
        return Placement(mode, reason=out)
    cells, exact = out
    return Placement(mode, cells, exact)
