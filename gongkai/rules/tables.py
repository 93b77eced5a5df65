"""Tables 二/三/四 → ROW, COL and CELL_k spans, whatever the layout.

The table zone (from section 二 to section 五, or from the first ``第二十条`` header) is cut into
tokens at white space, tabs and ``|``. Tokens that read as cell values (``0``, ``12``, ``-3``,
``2406.2243``, ``249 万``, ``无``, ``—``) are values; the others are label text, which is joined
without white space so that wrapped or vertical labels (``结\\n果\\n维\\n持``, ``本年新\\n制作数量``)
match the vocabulary (``vocab.py``).

A run of values belongs to the nearest row label before it (docs/labels.md). Column ``k``:

- values as many as the row's template columns → 1..n, in order;
- a tab or ``|`` row (label and values on one line): by field position, blank fields counted,
  surplus blank fields dropped (trailing first), a short row right-aligned
  (``(一) 予以公开⇥⇥⇥⇥⇥⇥0`` → CELL_7);
- a row with one value per column printed run together (``规章000``) → split per digit;
- otherwise the values are not attributable (``一、本年新收… 无``, ``0 0`` under 15 columns):
  no CELL spans, so nothing is invented.

Values with no row in section 四 are the one-line review layout (CELL_1..CELL_15).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import template as T
from gongkai.normalise import line_ranges
from gongkai.rules import vocab as V
from gongkai.rules.sections import Heading
from gongkai.rules.textview import GLOSS, View
from gongkai.spans import Span

_VALUE = re.compile(r"^[-−–]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|万|元)?$")
_BLANKISH = {"无", "—", "－", "-", "/", "／", "——", "--", "―", "─", "–", "/ /"}
_UNIT_ONLY = {"万元", "万", "元"}
_GLUED = re.compile(r"^(?P<label>.*[\u3400-\u9fff)”\"」』])(?P<digits>\d+)$")
_SEP = re.compile(r"[\t|]")
_RULE = re.compile(r"^:?-{3,}:?$")
_NOISE = re.compile(r"[\s,，、.:：;；()（）“”\"'|/]")
_TABLE_START = re.compile(r"第二十条第|信息内容")
_TABLE_SECTIONS = {"SEC_ACTIVE": V.ACTIVE, "SEC_REQUESTS": V.REQUESTS, "SEC_REVIEW": V.REVIEW}
_END_SECTIONS = ("SEC_PROBLEMS", "SEC_OTHER")


@dataclass
class Tok:
    start: int  # normalised offsets
    end: int
    text: str
    line: int
    field: int
    value: bool
    glued: bool = False
    blank: bool = False  # a cell printed as a line holding only "|" (pipe-per-line layout)


@dataclass
class Line:
    sep: bool  # split by tabs or pipes into at least two non-empty fields
    phantom_first: bool = False  # a markdown row "| a | b |": the fields outside the pipes
    phantom_last: bool = False
    fields: list[list[int]] = field(default_factory=list)  # token indices per field


@dataclass
class Match:
    entry: V.Entry
    cstart: int
    cend: int
    first_tok: int
    last_tok: int
    kind: str  # resolved kind: ROW, COL, GROUP …
    table: str | None


def _tokenise(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> tuple[list[Tok], list[Line]]:
    toks: list[Tok] = []
    lines: list[Line] = []
    for ls, le in line_ranges(text[start:end]):
        ls, le = ls + start, le + start
        line_text = text[ls:le]
        if not line_text.strip():
            continue
        bare = line_text.strip()
        if set(bare) == {"|"}:  # "|": a blank cell of a pipe-per-line table; "||": a row's end
            lines.append(Line(sep=False, fields=[[len(toks)]]))
            toks.append(Tok(ls, ls, bare, len(lines) - 1, 0, value=len(bare) == 1, blank=len(bare) == 1))
            continue
        parts = _SEP.split(line_text) if _SEP.search(line_text) else [line_text]
        nonempty = sum(1 for p in parts if p.strip())
        ln = Line(sep=len(parts) > 1 and nonempty >= 2)
        ln.phantom_first = line_text.startswith("|")  # " | 0 |": a blank first cell, not a margin
        ln.phantom_last = line_text.rstrip().endswith("|")
        lines.append(ln)
        li = len(lines) - 1
        pos = ls
        for fi, part in enumerate(parts):
            idxs: list[int] = []
            for m in re.finditer(r"\S+", part):
                s, e = pos + m.start(), pos + m.end()
                if any(a <= s < b for a, b in skip) or _RULE.match(m.group()):
                    continue  # a heading, or a markdown rule |---|
                _add_token(toks, idxs, text, s, e, li, fi)
            ln.fields.append(idxs)
            pos += len(part) + 1
    return toks, lines


def _add_token(toks: list[Tok], idxs: list[int], text: str, s: int, e: int, li: int, fi: int) -> None:
    t = text[s:e]
    if t in _UNIT_ONLY and toks and toks[-1].value and toks[-1].line == li and toks[-1].text[-1].isdigit():
        prev = toks[-1]  # 249 万: the unit belongs to the value before it
        toks[-1] = Tok(prev.start, e, text[prev.start : e], li, prev.field, True)
        return
    if _VALUE.match(t) or t in _BLANKISH:
        toks.append(Tok(s, e, t, li, fi, True))
        idxs.append(len(toks) - 1)
        return
    g = _GLUED.match(t)
    if g and not re.search(r"\d", re.sub(r"^\d{1,2}[.、]", "", g.group("label"))):
        cut = s + g.start("digits")
        toks.append(Tok(s, cut, text[s:cut], li, fi, False))
        idxs.append(len(toks) - 1)
        toks.append(Tok(cut, e, text[cut:e], li, fi, True, glued=True))
        idxs.append(len(toks) - 1)
        return
    toks.append(Tok(s, e, t, li, fi, False))
    idxs.append(len(toks) - 1)


def detect_template(compact_labels: str) -> str | None:
    votes19 = sum(1 for m in V.TEMPLATE_2019 if m in compact_labels)
    votes21 = sum(1 for m in V.TEMPLATE_2021 if m in compact_labels)
    if votes19 == votes21:
        return None
    return "2019" if votes19 > votes21 else "2021"


class _Labeller:
    def __init__(self, view: View, headings: list[Heading]) -> None:
        self.view = view
        self.text = view.text
        self.headings = headings
        self.spans: list[Span] = []

    # ------------------------------------------------------------------ zone and tokens
    def zone(self) -> tuple[int, int] | None:
        """Normalised range holding the tables: from the first table heading (二/三/四) or an
        earlier ``第二十条第…项`` header line (section 二's heading missing), to section 五/六."""
        starts = [h.start for h in self.headings if h.label in _TABLE_SECTIONS]
        start = min(starts) if starts else None
        for m in _TABLE_START.finditer(self.text):
            if start is not None and m.start() >= start:
                break
            line_end = self.text.find("\n", m.start())
            line = self.text[m.start() : line_end if line_end >= 0 else len(self.text)]
            ok = (m.group() == "第二十条第" or start is None) and len(line.strip(" |\t")) <= 20
            if ok and not any(h.label in _END_SECTIONS and h.start < m.start() for h in self.headings):
                start = m.start()
                break
        if start is None:
            return None
        ends = [h.start for h in self.headings if h.label in _END_SECTIONS and h.start > start]
        return start, min(ends) if ends else len(self.text)

    def table_at(self, pos: int) -> str | None:
        table = None
        for h in self.headings:
            if h.start <= pos:
                if h.label in _TABLE_SECTIONS:
                    table = _TABLE_SECTIONS[h.label]
                elif h.label in _END_SECTIONS:
                    table = None
        return table

    def run(self) -> list[Span]:
        zone = self.zone()
        if zone is None:
            return []
        skip = [(h.start, h.end) for h in self.headings]
        self.toks, self.lines = _tokenise(self.text, zone[0], zone[1], skip)
        self.zone_end = zone[1]
        # compact label stream: label tokens only; a value token between two chars blocks joins
        chars: list[str] = []
        self.ctok: list[int] = []
        self.cpos: list[int] = []
        self.vals_before: list[int] = []
        nvals = 0
        gloss = bytearray(len(self.text))
        for m in GLOSS.finditer(self.text, zone[0], zone[1]):
            gloss[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for i, t in enumerate(self.toks):
            self.vals_before.append(nvals)
            if t.value:
                nvals += 1
                continue
            for k, ch in enumerate(t.text):
                if gloss[t.start + k]:
                    continue  # 數(shù)量: the pinyin gloss is not part of the label's wording
                chars.append(ch)
                self.ctok.append(i)
                self.cpos.append(t.start + k)
        self.c = "".join(chars)
        self.template = detect_template(self.c)
        matches = self._matches()
        self._walk(matches)
        return self.spans

    # ------------------------------------------------------------------ matching labels
    def _joinable(self, a: int, b: int) -> bool:
        """Compact chars a < b come from label tokens with no value token between them."""
        return self.vals_before[self.ctok[a]] == self.vals_before[self.ctok[b]]

    def _matches(self) -> list[Match]:
        out: list[Match] = []
        pos = 0
        c = self.c
        while True:
            m = V.PATTERN.search(c, pos)
            if not m:
                break
            s, e = m.start(), m.end()
            if e - s == 0 or not self._joinable(s, e - 1):
                pos = s + 1
                continue
            entry = V.entry_of(m)
            s, e = self._extend(entry, s, e)
            om = V.ORDINAL_BEFORE.search(c, max(0, s - 6), s)
            if entry.kind in (V.ROW, V.GROUP) and om and self._joinable(om.start(), s):
                s = om.start()
            out.append(Match(entry, s, e, self.ctok[s], self.ctok[e - 1], entry.kind, entry.table))
            pos = e
        self._whole_tokens(out)
        return out

    def _whole_tokens(self, matches: list[Match]) -> None:
        """A row label covers the whole printed token it sits in (``4.无正当理由由大量反复申请``),
        unless another label shares that token (``总计商业`` holds two headers)."""
        owners: dict[int, int] = {}
        for mt in matches:
            for ti in {mt.first_tok, mt.last_tok}:
                owners[ti] = owners.get(ti, 0) + 1
        tok_chars: dict[int, tuple[int, int]] = {}
        for ci, ti in enumerate(self.ctok):
            a, _ = tok_chars.get(ti, (ci, ci))
            tok_chars[ti] = (a, ci + 1)
        for mt in matches:
            if mt.kind not in (V.ROW, V.GROUP):
                continue
            if owners[mt.first_tok] == 1:
                mt.cstart = min(mt.cstart, tok_chars[mt.first_tok][0])
            if owners[mt.last_tok] == 1:
                mt.cend = max(mt.cend, tok_chars[mt.last_tok][1])

    def _extend(self, entry: V.Entry, s: int, e: int) -> tuple[int, int]:
        c, full = self.c, entry.full
        p = full.find(c[s:e])
        if p < 0:
            return s, e
        j, k = e, p + (e - s)
        while j < len(c) and k < len(full) and c[j] == full[k] and self._joinable(j - 1, j):
            j, k = j + 1, k + 1
        i, k = s, p - 1
        while i > 0 and k >= 0 and c[i - 1] == full[k] and self._joinable(i - 1, i):
            i, k = i - 1, k - 1
        return i, j

    # ------------------------------------------------------------------ walking rows and values
    def _walk(self, matches: list[Match]) -> None:
        covered = [False] * len(self.toks)
        for mt in matches:
            for ti in range(mt.first_tok, mt.last_tok + 1):
                covered[ti] = True
        events: list[tuple[int, int, object]] = []
        for mt in matches:
            events.append((mt.first_tok, mt.cstart, mt))
        for i, t in enumerate(self.toks):
            if t.value or not covered[i]:
                events.append((i, -1 if t.value else 10**9, i))
        events.sort(key=lambda ev: (ev[0], ev[1]))

        self.cur: Match | None = None
        self.data_started = False
        self.group: str | None = None
        self.last_table: str | None = None
        run: list[int] = []
        for _, _, ev in events:
            if isinstance(ev, int) and self.toks[ev].value:
                if (
                    run
                    and self.lines[self.toks[ev].line].sep
                    and self.toks[ev].line != self.toks[run[-1]].line
                ):
                    self._flush(run)
                    run = []
                run.append(ev)
                continue
            if run:
                self._flush(run)
                run = []
            if isinstance(ev, int):
                self._unknown(ev)
            else:
                self._label(ev)
        if run:
            self._flush(run)
        if self.cur is not None and self.cur.kind == V.REVIEW_GROUP:
            self._emit_label(self.cur, "COL")

    def _label(self, mt: Match) -> None:
        if self.cur is not None and self.cur.kind == V.REVIEW_GROUP:
            self._emit_label(self.cur, "COL")  # a group above a header row
            self.cur = None
        table = self.table_at(self.cpos_of(mt)) or mt.table or self.last_table
        e = mt.entry
        if e.kind == V.AMBIGUOUS:
            if table == V.REQUESTS and self.data_started:
                if e.key == "总计":
                    mt = Match(V.Entry(V.ROW, V.REQUESTS, "total_processed", "", "总计"), mt.cstart, mt.cend,
                               mt.first_tok, mt.last_tok, V.ROW, V.REQUESTS)  # fmt: skip
                elif self.group == "other":
                    mt = Match(V.Entry(V.ROW, V.REQUESTS, "other_misc", "", "其他"), mt.cstart, mt.cend,
                               mt.first_tok, mt.last_tok, V.ROW, V.REQUESTS)  # fmt: skip
                else:
                    mt.kind = V.COL
            else:
                mt.kind = V.COL
        if mt.kind == V.COL:
            self._emit_label(mt, "COL")
            self.cur = None
            if mt.table:
                self.last_table = mt.table
            return
        mt.table = mt.entry.table
        self.last_table = mt.table
        if mt.kind == V.REVIEW_GROUP:
            self.cur = mt  # ROW if its own five values follow, else a column-group header
            return
        self._emit_label(mt, "ROW")
        if mt.kind == V.GROUP:
            self.group = mt.entry.key
            self.cur = None
            return
        if mt.table == V.REQUESTS:
            self.data_started = True
            if mt.entry.key == "other_handling":
                self.group = "other"
        self.cur = mt

    def cpos_of(self, mt: Match) -> int:
        return self.cpos[mt.cstart]

    def _unknown(self, ti: int) -> None:
        """Label text that matches no vocabulary: a continuation of the row label, noise, or an
        unknown row (行政检查 under 其他对外管理服务事项) whose values must not go to the row above."""
        if self.cur is None:
            return
        t = _NOISE.sub("", self.toks[ti].text)
        if len(t) <= 1 or V.ORDINAL_ONLY.match(t) or t in self.cur.entry.full:
            return
        if self.cur.kind == V.REVIEW_GROUP:
            self._emit_label(self.cur, "COL")
        self.cur = None

    def _emit_label(self, mt: Match, label: str) -> None:
        ns = self.cpos[mt.cstart]
        ne = self.cpos[mt.cend - 1] + 1
        sp = self.view.span(label, ns, ne, 0.9 if label == "COL" else 0.85)
        if sp is not None:
            self.spans.append(sp)

    def _flush(self, run: list[int]) -> None:
        cur = self.cur
        table = self.table_at(self.toks[run[0]].start) or self.last_table
        if cur is None:
            if table == V.REVIEW:
                self._assign(run, 15, None, 0.85)
            return
        if cur.kind == V.REVIEW_GROUP:
            placed = self._assign(run, 5, cur, 0.85)
            self._emit_label(cur, "ROW" if placed else "COL")
        else:
            cols = T.row_columns(cur.table, cur.entry.key, self.template or "2019")
            if not cols and self.template is None:
                cols = T.row_columns(cur.table, cur.entry.key, "2021")
            n = len(cols)
            if n:
                self._assign(run, n, cur, 0.9)
        self.cur = None

    def _assign(self, run: list[int], n: int, row: Match | None, score: float) -> bool:
        """Place the values of ``run`` into columns 1..n; False when they are not attributable."""
        toks = self.toks
        last = toks[run[-1]]
        if len(run) == n + 1 and run[-1] == len(toks) - 1 and not self.text[last.end :].strip():
            run = run[:-1]  # the text stops inside the next row label ("2" of "2.其他…")
        row_line = toks[row.last_tok].line if row is not None else toks[run[0]].line
        if row is not None and self.lines[row_line].sep:
            run = [i for i in run if toks[i].line == row_line] or run  # a stray number below the row
        line = toks[run[0]].line
        same_line = all(toks[i].line == line for i in run)
        if same_line and self.lines[line].sep and row_line == line:
            placed = self._by_fields(run, n, row)
            if placed is not None:
                for k, ti in placed:
                    self._cell(ti, k, score if len(placed) == n else score - 0.15)
                return bool(placed)
        if len(run) > n:  # pipe-per-line cells ("0 |") with a stray page number ("7") among them
            piped = [i for i in run if self.lines[toks[i].line].phantom_last]
            if len(piped) == n or (len(piped) > n and all(toks[i].blank for i in piped[n:])):
                run = piped
        if any(toks[i].blank for i in run):
            slots = list(run)
            while len(slots) > n and toks[slots[-1]].blank:
                slots.pop()
            while len(slots) > n and toks[slots[0]].blank:
                slots.pop(0)
            if len(slots) != n:
                slots = [i for i in run if not toks[i].blank]
            if len(slots) != n:
                return False
            for k, ti in enumerate(slots, 1):
                if not toks[ti].blank:
                    self._cell(ti, k, score - 0.05)
            return True
        if len(run) != n and row is not None:
            on_row_line = [i for i in run if toks[i].line == row_line]
            if on_row_line and len(on_row_line) in (n, 1):
                run = on_row_line  # a stray number on a line of its own after the row's values
        if len(run) == n:
            for k, ti in enumerate(run, 1):
                self._cell(ti, k, score)
            return True
        if len(run) < n:
            placed = self._by_lines(run, n, row)
            if placed:
                for k, ti in placed:
                    self._cell(ti, k, score - 0.2)
                return True
        t0 = toks[run[0]]
        digits = t0.text.isdigit() and (t0.glued or t0.text.startswith("0"))
        if len(run) == 1 and digits and len(t0.text) == n and n > 1:
            t = toks[run[0]]
            for k in range(n):
                sp = self.view.span(f"CELL_{k + 1}", t.start + k, t.start + k + 1, score - 0.25)
                if sp is not None:
                    self.spans.append(sp)
            return True
        return False

    def _by_lines(self, run: list[int], n: int, row: Match | None) -> list[tuple[int, int]] | None:
        """One cell per line below the row label (or the review header), a blank cell printed
        as an empty line: used only when the lines up to the next label are exactly n."""
        toks = self.toks
        anchor = row.last_tok if row is not None else run[0] - 1
        if anchor < 0 or toks[anchor].value:
            return None
        nxt = run[-1] + 1
        end = toks[nxt].start if nxt < len(toks) else self.zone_end
        end = min([end] + [h.start for h in self.headings if h.start > toks[run[-1]].end])
        segment = self.text[toks[anchor].end : end]
        for sep in ("\n", "\n\n"):  # one cell per line, or per paragraph (a blank line between)
            parts = segment.split(sep)
            if sep == "\n\n" and any("\n" in p.strip(" \t") or "\n" in p[1:] for p in parts[1:-1]):
                continue
            placed = self._slots(parts, run, n)
            if placed:
                return placed
        return None

    def _slots(self, parts: list[str], run: list[int], n: int) -> list[tuple[int, int]] | None:
        toks = self.toks
        if len(parts) < 3 or parts[0].strip() or parts[-1].strip():
            return None
        slots = parts[1:-1]
        while len(slots) > n and not slots[-1].strip():
            slots.pop()
        if len(slots) != n:
            return None
        values = iter(run)
        placed = []
        for k, slot in enumerate(slots, 1):
            if not slot.strip():
                continue
            ti = next(values, None)
            if ti is None or slot.strip() != toks[ti].text:
                return None
            placed.append((k, ti))
        return placed if next(values, None) is None else None

    def _by_fields(self, run: list[int], n: int, row: Match | None) -> list[tuple[int, int]] | None:
        ln = self.lines[self.toks[run[0]].line]
        after = self.toks[row.last_tok].field + 1 if row is not None else int(ln.phantom_first)
        fields = ln.fields[after : len(ln.fields) - int(ln.phantom_last)]
        slots: list[int | None] = []
        for f in fields:
            if not f:
                slots.append(None)
            elif len(f) == 1 and self.toks[f[0]].value:
                slots.append(f[0])
            else:
                return None  # label text among the values: not a plain row
        if set(run) != {s for s in slots if s is not None}:
            return None
        while len(slots) > n and slots and slots[-1] is None:
            slots.pop()
        while len(slots) > n and slots and slots[0] is None:
            slots.pop(0)
        if len(slots) > n:
            return None
        offset = n - len(slots)
        return [(offset + i + 1, ti) for i, ti in enumerate(slots) if ti is not None]

    def _cell(self, ti: int, k: int, score: float) -> None:
        t = self.toks[ti]
        sp = self.view.span(f"CELL_{k}", t.start, t.end, score)
        if sp is not None:
            self.spans.append(sp)


def table_spans(view: View, headings: list[Heading]) -> tuple[list[Span], tuple[int, int] | None]:
    """ROW, COL and CELL_k spans of the document's tables, and the normalised table zone."""
    labeller = _Labeller(view, headings)
    return labeller.run(), labeller.zone()
