"""Table layouts: how one table line (caption, header or row) is printed.

Each layout is one small function registered with ``@layout(name)``; adding a layout means
adding one function. A line is a list of ``Cell``s: printed text (``None`` = blank cell) and the
span label it carries. Layouts decide separators and how blanks show; they never change values.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.synth.builder import Builder


@dataclass
class Cell:
    text: str | None
    label: str | None = None


@dataclass
class Line:
    kind: str  # caption | header | row
    cells: list[Cell]
    indent: int = 0  # leading empty fields (nested group rows in tab/pipe tables)


@dataclass
class Style:
    """Per-document rendering choices shared by every table of the document."""

    rng: random.Random
    run_together: bool = False
    lead_space: bool = False
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    name: str
    render: Callable[[Builder, Line, Style], None]
    multiline_headers: bool  # may a header cell contain line breaks (split / vertical headers)?
    blanks_leave_trace: bool = True  # False: a blank cell vanishes, so a row with one is not attributable


LAYOUTS: dict[str, Layout] = {}


def layout(name: str, multiline_headers: bool = False, blanks_leave_trace: bool = True) -> Callable:
    """Register a line renderer under ``name``."""

    def deco(fn: Callable[[Builder, Line, Style], None]) -> Callable[[Builder, Line, Style], None]:
        LAYOUTS[name] = Layout(name, fn, multiline_headers, blanks_leave_trace)
        return fn

    return deco


def _put(b: Builder, cell: Cell) -> None:
    if cell.text:
        b.add(cell.text, cell.label)


@layout("space", multiline_headers=True, blanks_leave_trace=False)
def space(b: Builder, line: Line, st: Style) -> None:
    """Cells separated by spaces, blanks vanish (PDF text extraction): ``规章 0 0 0``. No reader can
    tell which column a value of a row with a blank cell is in, so such rows carry no CELL spans
    (``tables.PrintStyle.blanks_vanish``)."""
    cells = [c for c in line.cells if c.text is not None]
    glue = (st.run_together and line.kind == "row" and len(cells) > 2
            and all(len(c.text or "") == 1 and (c.label or "").startswith("CELL_") for c in cells[1:]))
    for i, c in enumerate(cells):
        if i and not glue:
            b.add(" ")
        _put(b, c)
    b.add("\n")


_ORDINAL = re.compile(r"[（(][一二三四五六七八九十][）)]\s?|\d+\s?[.．]\s?|[一二三四五六七八九十]、")


_CLOSING = "，、。；：:;,)）”’」》"
_VALUE_LIKE = re.compile(r"[无\d.,．—\-/、]+")


def _misalign(line: Line, st: Style) -> tuple[Line, list[str]]:
    """Misaligned tab rows (seed 002): a long label wraps, its tail either kept after a space in the
    same field (``大量 反复申请``) or pushed, unlabelled, onto a line of its own below the next row
    (``本年 度办 理结 果⇥开⇥规禁止公开``) together with other pushed tails. The head stays the ``ROW``
    span (docs/labels.md: a ROW span is one stretch; the stray tail labels nothing)."""
    rng = st.rng
    rows = [i for i, c in enumerate(line.cells) if c.label == "ROW"]
    if line.kind != "row" or not rows:
        return line, []
    cells = list(line.cells)
    tails: list[str] = []
    for j, i in enumerate(rows):
        text = cells[i].text or ""
        group = j < len(rows) - 1 or len(cells) == 1  # a group label (alone, or before its first row)
        if len(text) < 6 or rng.random() > (0.5 if group else 0.3):
            continue
        lead = _ORDINAL.match(text)
        # never inside the ordinal; a head keeps enough words to name its row (三、 alone names the top group)
        top = bool(lead) and lead.group().endswith("、")
        first = (lead.end() if lead else 0) + (0 if group and top else 3 if group else 5)
        if first >= len(text) - 1:
            continue
        cut = rng.randint(max(2, first), len(text) - 1)
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        if not head or not tail:
            continue
        if not group and (line.indent == 0 or rng.random() < 0.5):  # rows outside a group keep their tail
            cells[i] = Cell(head + " " + tail, "ROW")
            continue
        if group and rng.random() < 0.5:  # 本年度办理结果 → 本年 度办 理结 果
            tail = " ".join(tail[k:k + 2] for k in range(0, len(tail), 2))
        cells[i] = Cell(head, "ROW")
        tails.append(tail)
    return Line(line.kind, cells, line.indent), tails


@layout("tab")
def tab(b: Builder, line: Line, st: Style) -> None:
    """Tab-separated fields, blanks are empty fields (copied from a word-processor table). Ragged
    (seed 002): rows end in a varying number of empty fields, and a label-less row of values whose
    last cell is printed may start with one surplus empty field. Misaligned (seed 002 too, see
    ``_misalign``): wrapped label tails on lines of their own, one surplus leading empty field on
    nested rows now and then, blank lines inside the table."""
    ragged = bool(st.extra.get("ragged"))
    misaligned = bool(st.extra.get("misaligned"))
    pending: list[str] = st.extra.get("pending_tails", []) if misaligned else []  # type: ignore[assignment]
    if misaligned:
        line, tails = _misalign(line, st)
        if line.kind == "row" and line.indent and st.rng.random() < 0.3:
            line = Line(line.kind, line.cells, line.indent + 1)
    # a surplus leading field is readable only when the row's last cell is printed (else trailing blanks
    # and the surplus could not be told apart)
    lead = (ragged and line.kind == "row" and not any((c.label or "") == "ROW" for c in line.cells)
            and bool(line.cells) and line.cells[-1].text is not None)
    b.add("\t" * (line.indent + (lead and st.rng.random() < 0.5)))
    for i, c in enumerate(line.cells):
        if i:
            b.add("\t")
        _put(b, c)
    if ragged:
        b.add("\t" * st.rng.randint(0, 3))
    b.add("\n")
    if misaligned:
        if pending:  # tails pushed by the row above land below this one
            b.add("\n" if st.rng.random() < 0.5 else "")
            b.add("\t".join(pending) + "\t" * st.rng.randint(0, 7) + "\n")
        elif line.kind == "row" and st.rng.random() < 0.08:
            b.add("\n")  # the table goes on after a blank line
        st.extra["pending_tails"] = tails


def _blank_pipe_line(b: Builder, st: Style) -> None:
    """A lone separator line between rows (an empty HTML row flattened): ``|`` or ``| |``."""
    if st.extra.get("blank_pipe_lines") and st.rng.random() < 0.25:
        b.add(st.rng.choice(("|", "| |", "|  |")) + "\n")


@layout("pipe")
def pipe(b: Builder, line: Line, st: Style) -> None:
    """Markdown-like ``| a | b |`` rows."""
    b.add("|" + " |" * line.indent)
    for c in line.cells:
        b.add(" ")
        _put(b, c)
        b.add(" |")
    b.add("\n")
    _blank_pipe_line(b, st)


@layout("pipe_loose")
def pipe_loose(b: Builder, line: Line, st: Style) -> None:
    """``a | b | c | |`` rows with trailing empty fields (HTML table flattened)."""
    for i, c in enumerate(line.cells):
        if i:
            b.add(" | ")
        _put(b, c)
    b.add(" | " + "|" * st.rng.randint(1, 3) + "\n")
    _blank_pipe_line(b, st)


@layout("cell_per_line", multiline_headers=True)
def cell_per_line(b: Builder, line: Line, st: Style) -> None:
    """Every cell on its own line, blank cells as empty lines, values sometimes indented."""
    for c in line.cells:
        padded = c.text is not None and st.lead_space and (c.label or "").startswith("CELL_")
        if padded:
            b.add(st.rng.choice((" ", "  ", "")))
        _put(b, c)
        b.add(" \n" if padded and st.rng.random() < 0.2 else "\n")


@layout("pipe_per_line")
def pipe_per_line(b: Builder, line: Line, st: Style) -> None:
    """Every cell on its own line closed by ``|``; a row ends with an empty ``||`` line."""
    for c in line.cells:
        if c.text is None:
            b.add("|\n")
        else:
            _put(b, c)
            b.add(" |\n")
    b.add("||\n")


@layout("pipe_cells", multiline_headers=True)
def pipe_cells(b: Builder, line: Line, st: Style) -> None:
    """Every cell on its own line with a lone ``|`` line after it, a blank cell an empty line, a
    row closed by one more ``|`` line or a ``||`` … ``||||`` filler line, a header always by a filler
    line (a web table flattened
    cell by cell): ``规章⏎|⏎0⏎|⏎⏎|⏎3⏎|⏎|``."""
    for c in line.cells:
        _put(b, c)
        b.add("\n|\n")
    ends = ("|", "||", "|||", "||||") if line.kind == "row" else ("||", "|||", "||||")
    b.add(st.rng.choice(ends) + "\n")  # after a header always a filler line: the values below start a row


def _chunks(text: str, rng: random.Random, most: int) -> list[str]:
    """``text`` cut into pieces of 1..most characters (a narrow PDF column wraps a label)."""
    out, i = [], 0
    while i < len(text):
        k = rng.randint(1, most)
        piece = text[i:i + k].strip()
        while out and piece and piece[0] in _CLOSING:  # no line starts with closing punctuation
            out[-1], piece = out[-1] + piece[0], piece[1:].strip()
        if out and _VALUE_LIKE.fullmatch(out[-1]):  # a lone 无 / 3 / — piece would read as a cell
            out[-1] += piece
        elif piece:
            out.append(piece)
        i += k
    if len(out) > 1 and _VALUE_LIKE.fullmatch(out[-1]):
        out[-2:] = [out[-2] + out[-1]]
    return out


@layout("vertical", multiline_headers=True, blanks_leave_trace=False)
def vertical(b: Builder, line: Line, st: Style) -> None:
    """A narrow PDF table as text extraction prints it (seed 000): every line followed by an empty
    one, header cells wrapped into pieces of one to three characters each on its own line (review
    titles one character per line: ``结⏎⏎果⏎⏎维⏎⏎持``), long row labels broken over short lines
    (``（三）⏎⏎不予公⏎⏎开⏎⏎1.属于国家秘密``), and the values after the last piece of their row,
    separated by spaces, so a blank cell vanishes as in ``space`` (rows with one carry no CELL spans,
    ``tables.PrintStyle.blanks_vanish``). A header line is all labels, so values of a table without
    row labels (the wide review table) follow all header text in one run: ``0 0 0 …`` or ``无 无 无``."""
    rng = st.rng
    if line.kind == "header":
        for c in line.cells:
            if c.text is None:
                continue
            text = c.text.replace("\n", "")
            pieces = list(text) if " " not in text and len(text) <= 4 and rng.random() < 0.8 else _chunks(text, rng, 3)
            if len(text) > 4 and rng.random() < 0.5:  # a wide column keeps its header on one line
                pieces = [text]
            b.add("\n\n".join(pieces), c.label)
            b.add("\n\n")
        return
    cells = [c for c in line.cells if c.text is not None]
    tail = st.extra.pop("vertical_tail", None)
    if tail:  # the last piece of the group label above, printed before this row's label: `` 供 2.没有…``
        b.add(" " + str(tail) + " ")
    for i, c in enumerate(cells):
        text = c.text or ""
        lead = _ORDINAL.match(text)
        if c.label == "ROW" and len(text) > 7 and rng.random() < 0.7:
            # the ordinal is never cut: its own piece (（三）⏎⏎不予公) or the first piece's start
            at = lead.end() if lead else 0
            pieces = _chunks(text[at:], rng, rng.choice((3, 7, 8)))
            if lead and lead.group()[0] in "（(" and rng.random() < 0.5:  # not ``4.``: it would read as a value
                pieces = [text[:at].strip(), *pieces]
            else:
                pieces[0] = text[:at] + pieces[0]
            text = "\n\n".join(pieces)
        if i:
            b.add("\n\n" if cells[i - 1].label == "ROW" and c.label == "ROW" else " ")
        group = len(line.cells) == 1 and c.label == "ROW"
        if group and lead and not lead.group().endswith("、") and len(text) - lead.end() >= 4 and rng.random() < 0.35:
            # a group label's last character wraps onto the next row's line; it labels nothing there
            text, st.extra["vertical_tail"] = text[:-1].rstrip(), text[-1]
        b.add(text, c.label)
    b.add("\n\n")


LAYOUT_NAMES = tuple(LAYOUTS)
