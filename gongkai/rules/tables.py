"""Tables 二/三/四 → ROW, COL and CELL_k spans, whatever the layout.

The table zone (from section 二 to section 五, or from the first ``第二十条`` header) is cut into
tokens at white space, tabs and ``|``. Tokens that read as cell values (``0``, ``12``, ``-3``,
``2406.2243``, ``249 万``, ``无``, ``—``) are values; the others are label text, which is joined
without white space so that wrapped or vertical labels (``结\\n果\\n维\\n持``, ``本年新\\n制作数量``)
match the vocabulary (``vocab.py``).

A run of values belongs to the nearest row label before it (docs/labels.md); which template
column each value is in is decided by one alignment for every layout (``grid.place``): fields are
counted between the separators the page printed (``|``, tabs, line breaks), blanks included, and
set against the row's template columns. Values that do not fit are not attributable: no CELL
spans, so nothing is invented. Bracketed explanations after a label (``规范性文件(行政机关…)``) are
masked: their words are no labels and their numbers no cells.

Values with no row in section 四 are the one-line review layout (CELL_1..CELL_15).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from gongkai import template as T
from gongkai.normalise import line_ranges
from gongkai.rules import grid
from gongkai.rules import vocab as V
from gongkai.rules.sections import Heading
from gongkai.rules.textview import GLOSS, View
from gongkai.spans import Span

_VALUE = re.compile(r"^[-+−–]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|万|元|件|个|项|条)?$")
_BLANKISH = {"无", "—", "－", "-", "/", "／", "——", "--", "―", "─", "–", "/ /"}
_UNIT_ONLY = {"万元", "万", "元"}
# a label with its cells printed run together: 规章000, 规章—5—, 二、上年结转…———————
_GLUED = re.compile(r"^(?P<label>.*[\u3400-\u65df\u65e1-\u9fff)”\"」』])(?P<digits>\d+|[\d—/-]*\d[\d—/-]*|[—/-]{2,})$"
    r"|^(?P<label2>.*[\u3400-\u65df\u65e1-\u9fff)”\"」』])(?P<digits2>无{3,}|[\d—/无-]*无[\d—/无-]*\d[\d—/无-]*"
    r"|[\d—/无-]*\d[\d—/无-]*无[\d—/无-]*)$")
_RUN = frozenset("0123456789—/-无")
# cells printed run together, one character each: ———, 无无无, ----2 (no two digits in a row: not a date)
_DASHES = re.compile(r"^(?=.*[—/无-])(?:[—/无-]|\d(?!\d)){3,}$")
_SEP = re.compile(r"[\t|]")
_RULE = re.compile(r"^:?-{3,}:?$")
_NOISE = re.compile(r"[\s,，、.:：;；()（）“”\"'|/]")
_TABLE_START = re.compile(r"第二十条第|信息内容")
_TABLE_SECTIONS = {"SEC_ACTIVE": V.ACTIVE, "SEC_REQUESTS": V.REQUESTS, "SEC_REVIEW": V.REVIEW}
_END_SECTIONS = ("SEC_PROBLEMS", "SEC_OTHER")


@dataclass(slots=True)
class Tok:
    start: int  # normalised offsets
    end: int
    text: str
    line: int
    field: int
    value: bool
    glued: bool = False


@dataclass(slots=True)
class Line:
    sep: bool  # split by tabs or pipes into at least two non-empty fields
    fields: list[list[int]] = field(default_factory=list)  # token indices per field


@dataclass(slots=True)
class Match:
    entry: V.Entry
    cstart: int
    cend: int
    first_tok: int
    last_tok: int
    kind: str  # resolved kind: ROW, COL, GROUP …
    table: str | None


def _tokenise(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> tuple[list[Tok], list[Line]]:
    """Tokens at white space, tabs and ``|``; separators themselves are not tokens (the row
    alignment, ``grid.place``, reads them from the text). ``skip`` ranges (headings, remarks in
    brackets) give no tokens."""
    toks: list[Tok] = []
    lines: list[Line] = []
    skip = sorted(skip)
    j = 0
    for ls, le in line_ranges(text[start:end]):
        ls, le = ls + start, le + start
        while j < len(skip) and skip[j][1] <= ls:
            j += 1
        line_text = text[ls:le]
        if not line_text.strip(" \t|\r"):
            continue  # blank, or a lone separator line (``|``, ``||||``) between cells or rows
        parts = _SEP.split(line_text) if _SEP.search(line_text) else [line_text]
        markdown = "|" in line_text
        here = []  # headings and remarks on this line (skip is sorted; ranges before ``j`` ended)
        k = j
        while k < len(skip) and skip[k][0] < le:
            if skip[k][1] > ls:
                here.append(skip[k])
            k += 1
        nonempty = sum(1 for p in parts if p.strip())
        ln = Line(sep=len(parts) > 1 and nonempty >= 2)
        lines.append(ln)
        li = len(lines) - 1
        pos = ls
        for fi, part in enumerate(parts):
            idxs: list[int] = []
            for m in _NONSPACE.finditer(part):
                s, e = pos + m.start(), pos + m.end()
                for a, b in _pieces(s, e, here) if here else ((s, e),):
                    if not (markdown and _RULE.match(text[a:b])):  # a markdown rule |---| is no token
                        _add_token(toks, idxs, text, a, b, li, fi)
            ln.fields.append(idxs)
            pos += len(part) + 1
    return toks, lines


def _pieces(s: int, e: int, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[s, e)`` without the skipped ranges."""
    out = [(s, e)]
    for a, b in skip:
        if a >= e or b <= s:
            continue
        nxt = []
        for x, y in out:
            if b <= x or a >= y:
                nxt.append((x, y))
                continue
            if x < a:
                nxt.append((x, a))
            if b < y:
                nxt.append((b, y))
        out = nxt
    return [(x, y) for x, y in out if y > x]


_OPEN = re.compile(r"(?<=[\u3400-\u9fff])\s*\(")
_NONSPACE = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"^\d{1,2}[.、]")
_CELL_LINE = re.compile(r"\n\s*[-+]?[\d|]")
_WS = re.compile(r"\s")
_TWO_CJK = re.compile(r"[\u3400-\u9fff]{2}")
_UNIT_REMARK = re.compile(r"^(?:单位)?[:：]?(?:万元|元)|单位[:：]|保留\d")


_OPEN_CELLS = re.compile(r"[\t|]|\s+(?:[-+−]?\d[\d.,]*|[无—/-])(?:\s+(?:[-+−]?\d[\d.,]*|[无—/-]))*\s*$")


def remarks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Explanations in brackets after a label (``规范性文件(行政机关制定发布的决定、公告…)``,
    ``本年增/减 (指2020年增加或减少的事项数,如 -8)``): 8+ characters, no unit. Their words are
    not labels and their numbers are not cells. A bracket left open runs to its line's end."""
    out: list[tuple[int, int]] = []
    pos = start
    while True:
        m = _OPEN.search(text, pos, end)
        if not m:
            return out
        a = m.end() - 1
        line_end = text.find("\n", a, end)
        line_end = end if line_end < 0 else line_end
        close = text.find(")", a, min(end, a + 300))
        if close >= 0:
            inner = text[a + 1 : close]
            if "\n" in inner and _CELL_LINE.search(inner):
                close = -1  # the next line is a cell: the bracket was left open on its line
        if close >= 0:
            stop = close + 1
        else:  # left open: up to the line's end, but not over the row's own cells printed after it
            cells = _OPEN_CELLS.search(text, a, line_end)
            stop = cells.start() if cells else line_end
        inner = _WS.sub("", text[a + 1 : stop - (close >= 0)])
        if len(inner) >= 8 and not _UNIT_REMARK.search(inner) and "(" not in inner:
            out.append((a, stop))
            pos = stop
        else:
            pos = a + 1


def _add_token(toks: list[Tok], idxs: list[int], text: str, s: int, e: int, li: int, fi: int) -> None:
    t = text[s:e]
    if t in _UNIT_ONLY and toks and toks[-1].value and toks[-1].line == li and toks[-1].text[-1].isdigit():
        prev = toks[-1]  # 249 万: the unit belongs to the value before it
        toks[-1] = Tok(prev.start, e, text[prev.start : e], li, prev.field, True)
        return
    if t in _BLANKISH or _VALUE.match(t) or _DASHES.match(t):
        toks.append(Tok(s, e, t, li, fi, True))
        idxs.append(len(toks) - 1)
        return
    g = _GLUED.match(t) if t[-1] in _RUN or t[-1].isdecimal() else None  # glued cells end so
    part = ("label", "digits") if g and g.group("label") is not None else ("label2", "digits2")
    if g and not _DIGIT.search(_NUMBERED.sub("", g.group(part[0]))):
        cut = s + g.start(part[1])
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


_NUMBERED = re.compile(r"(\d{1,2})\s*[.．、]\s*\S{2}")
_ORDINAL_NUM = re.compile(r"(\d{1,2})[.．、]")
_GROUP_ROWS = {"denied": "denied_", "unable": "unable_", "not_processed": "not_processed_", "other": "other_"}


class _Labeller:
    def __init__(self, view: View, headings: list[Heading]) -> None:
        self.view = view
        self.text = view.text
        self.headings = headings
        self.spans: list[Span] = []
        self.last_n = 0  # columns of the last template row read: an extra row below it has as many

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
        self.masked = remarks(self.text, zone[0], zone[1])
        self.mask_starts = [a for a, _ in self.masked]
        self.spacing = grid.line_spacing(self.text, zone[0], zone[1])
        skip = sorted([(h.start, h.end) for h in self.headings] + self.masked)
        self.toks, self.lines = _tokenise(self.text, zone[0], zone[1], skip)
        self.zone_start, self.zone_end = zone
        # compact label stream: label tokens only; a value token between two chars blocks joins
        chars: list[str] = []
        self.ctok: list[int] = []
        self.cpos: list[int] = []
        self.vals_before: list[int] = []
        nvals = 0
        gloss = bytearray(len(self.text))
        for m in GLOSS.finditer(self.text, zone[0], zone[1]):
            gloss[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        glossed = any(gloss)
        for i, t in enumerate(self.toks):
            self.vals_before.append(nvals)
            if t.value:
                nvals += 1
                continue
            if not glossed:  # the usual page: every character of a label token is its wording
                chars.append(t.text)
                self.ctok += [i] * len(t.text)
                self.cpos += range(t.start, t.end)
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
        """Compact chars a < b come from label tokens with no value token or remark between them."""
        if self.vals_before[self.ctok[a]] != self.vals_before[self.ctok[b]]:
            return False
        i = bisect_right(self.mask_starts, self.cpos[a])
        return i >= len(self.mask_starts) or self.mask_starts[i] >= self.cpos[b]

    def _matches(self) -> list[Match]:
        out: list[Match] = []
        pos = 0
        c = self.c
        while True:
            m = V.search(c, pos)
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
        self.covered = covered

        self.cur: Match | None = None
        self.data_started = False
        self.group: str | None = None
        self.last_key: str | None = None  # key of the last request row or group label read
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
        if mt.table == V.REQUESTS:
            self.last_key = mt.entry.key
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
        unknown row (行政检查 under 其他对外管理服务事项) whose values must not go to the row above.
        A numbered label cut short by a wrap (``1.本机关不掌``) is the template's next row of its group."""
        if self.covered[ti]:
            return  # the words of a numbered label read with its ordinal (``_next_in_group``)
        nxt = self._next_in_group(ti)
        if nxt is not None:
            self._label(nxt)
            return
        if self.cur is None:
            return
        t = _NOISE.sub("", self.toks[ti].text)
        if len(t) <= 1 or V.ORDINAL_ONLY.match(t) or t in self.cur.entry.full:
            return
        if self.cur.kind == V.REVIEW_GROUP:
            self._emit_label(self.cur, "COL")
        self.cur = None

    def _next_in_group(self, ti: int) -> Match | None:
        """The token read as a request row by its ordinal: ``N.`` plus words, right after the
        group's row N-1 (or the group label for N = 1), in the template's row order."""
        toks, last_tok = self.toks, ti
        m = _NUMBERED.match(toks[ti].text)
        if m is None and _ORDINAL_NUM.fullmatch(toks[ti].text) and ti + 1 < len(toks):
            after = toks[ti + 1]  # ``1. 申请人无正``: the words are the next token of the field
            if after.line == toks[ti].line and after.field == toks[ti].field and not after.value \
                    and not self.covered[ti + 1]:
                m, last_tok = _ORDINAL_NUM.fullmatch(toks[ti].text), ti + 1
        if m is None or self.group not in _GROUP_ROWS or self.table_at(self.toks[ti].start) != V.REQUESTS:
            return None
        rows = [r for r in T.request_rows(self.template or "2019") if r.startswith(_GROUP_ROWS[self.group])]
        n = int(m.group(1))
        before = ({self.group, "other_handling"} if n == 1 else {rows[n - 2]}) if 1 <= n <= len(rows) else set()
        if self.last_key not in before:
            return None
        entry = next((e for e in V.ENTRIES if e.key == rows[n - 1] and e.kind == V.ROW), None)
        first = bisect_left(self.ctok, ti)
        last = bisect_right(self.ctok, last_tok)
        if entry is None or first >= last:
            return None
        self.covered[last_tok] = True
        return Match(entry, first, last, ti, last_tok, V.ROW, V.REQUESTS)

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
            elif table in (V.ACTIVE, V.REQUESTS) and self.last_n:
                self._extra_row(run)
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
                self.last_n = n
        self.cur = None

    def _extra_row(self, run: list[int]) -> None:
        """A row the template lacks (其他主动公开文件, 行政检查 under 其他对外管理服务事项): its label, the
        whole label text at the start of the values' line, is a ROW span that names no template row,
        so its values go to provenance (``<table>.?<label>.colK``) and never into the row above."""
        toks = self.toks
        j = run[0] - 1
        if j < 0 or toks[j].value:
            return
        first = j
        while first > 0 and not toks[first - 1].value and toks[first - 1].line == toks[j].line:
            first -= 1
        if first > 0 and toks[first - 1].line == toks[j].line:
            return  # values before it on its line: not a row label
        label = "".join(toks[k].text for k in range(first, j + 1))
        if not _TWO_CJK.search(label) or V.ORDINAL_ONLY.match(label):
            return
        sp = self.view.span("ROW", toks[first].start, toks[j].end, 0.5)
        if sp is None:
            return
        self.spans = [x for x in self.spans if not (x.label == "COL" and sp.start <= x.start and x.end <= sp.end)]
        self.spans.append(sp)
        self._assign(run, self.last_n, None, 0.6, after=j)

    def _assign(self, run: list[int], n: int, row: Match | None, score: float, after: int | None = None) -> bool:
        """Place the values of ``run`` into columns 1..n (``grid.place``); False when they are not
        attributable (nothing is emitted then: a null cell rather than a guess)."""
        toks = self.toks
        last = toks[run[-1]]
        if len(run) == n + 1 and run[-1] == len(toks) - 1 and not self.text[last.end :].strip():
            run = run[:-1]  # the text stops inside the next row label ("2" of "2.其他…")
        if row is not None or after is not None:
            start = toks[row.last_tok if row is not None else after].end
        else:  # the one-line review row: from the token before it (a header) or the zone start
            start = toks[run[0] - 1].end if run[0] > 0 else self.zone_start
        nxt = run[-1] + 1
        end = toks[nxt].start if nxt < len(toks) else self.zone_end
        end = min([end] + [h.start for h in self.headings if h.start >= toks[run[0]].end])
        run = [i for i in run if toks[i].end <= end]  # a heading ends the row
        values = [(toks[i].start, toks[i].end) for i in run]
        t0 = toks[run[0]]
        run_together = set(t0.text) <= _RUN and (t0.glued or t0.text[0] in "0—/-无" or n >= 5)  # 7 or 15 digits
        alone = all(toks[i].line != t0.line for i in run[1:])  # numbers on later lines: strays
        if alone and n > 1 and len(t0.text) == n and run_together:
            got = grid.Placement(grid.GLUED, split=[(k + 1, t0.start + k, t0.start + k + 1) for k in range(n)])
        else:
            got = grid.place(self.text, start, end, values, n, self.masked, self.spacing)
        if got.split:
            for k, s, e in got.split:  # run-together cells: one digit per column
                sp = self.view.span(f"CELL_{k}", s, e, score - 0.25)
                if sp is not None:
                    self.spans.append(sp)
            return True
        for k, vi in got.cells:
            self._cell(run[vi], k, score if got.exact else score - 0.15)
        return bool(got.cells)

    def _cell(self, ti: int, k: int, score: float) -> None:
        t = self.toks[ti]
        sp = self.view.span(f"CELL_{k}", t.start, t.end, score)
        if sp is not None:
            self.spans.append(sp)


def table_spans(view: View, headings: list[Heading]) -> tuple[list[Span], tuple[int, int] | None]:
    """ROW, COL and CELL_k spans of the document's tables, and the normalised table zone."""
    labeller = _Labeller(view, headings)
    return labeller.run(), labeller.zone()
