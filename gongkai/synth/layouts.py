"""Table layouts: how one table line (caption, header or row) is printed.

Each layout is one small function registered with ``@layout(name)``; adding a layout means
adding one function. A line is a list of ``Cell``s: printed text (``None`` = blank cell) and the
span label it carries. Layouts decide separators and how blanks show; they never change values.
"""

from __future__ import annotations

import random
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


@layout("tab")
def tab(b: Builder, line: Line, st: Style) -> None:
    """Tab-separated fields, blanks are empty fields (copied from a word-processor table). Ragged
    (seed 002): rows end in a varying number of empty fields, and a label-less row of values whose
    last cell is printed may start with one surplus empty field."""
    ragged = bool(st.extra.get("ragged"))
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


LAYOUT_NAMES = tuple(LAYOUTS)
