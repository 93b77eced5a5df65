"""OCR for PDF pages without a text layer (scans), offline, with RapidOCR (PP-OCRv4 zh models that
ship inside the ``rapidocr-onnxruntime`` wheel; nothing is downloaded at run time).

A page is rendered with pypdfium2 and read into text lines in reading order, so the rest of the
pipeline sees what it would see from a PDF's text layer:

- ruled tables are found from the page's own lines (long horizontal rules; vertical rules that
  cross a whole row band): each row band is one line, its cells in x order joined by a tab,
  an empty cell kept as an empty field, a cell's wrapped lines joined;
- every other box goes to a line of boxes at the same height, left to right; a wide gap between
  two boxes of one line (an unruled table) becomes a tab.

Each line keeps the confidence the recogniser gave its boxes (mean weighted by characters), so
provenance can say how sure the OCR was of the text a value came from.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.errors import InputError

DEFAULT_DPI = 200
DEFAULT_MAX_PAGES = 60  # a scanned annual report has 5-30 pages
SECONDS_PER_PAGE = 15  # measured at 150-200 dpi on 2 shared CPU cores (benchmarks/bench_ocr.py)
INSTALL_HINT = ("OCR needs the 'ocr' extra: pip install 'gongkai[ocr]' && "
                "pip install --no-deps 'rapidocr-onnxruntime==1.4.4' (make setup installs both)")


@dataclass(slots=True)
class Box:
    """One recognised text box: axis-aligned bounds in pixels, its text and score."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Band:
    """One row of a ruled table: between two horizontal rules, cells split at vertical rules."""

    y0: float
    y1: float
    seps: list[float]  # x of the vertical rules, left border first


@dataclass(slots=True)
class OcrPage:
    """A page read by OCR: its lines (text, confidence) in reading order and timing."""

    number: int  # 1-based
    lines: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(t for t, _ in self.lines)

    @property
    def confidence(self) -> float | None:
        """Mean line confidence weighted by characters (None for an empty page)."""
        n = sum(len(t) for t, _ in self.lines)
        return sum(len(t) * c for t, c in self.lines) / n if n else None


# ----------------------------------------------------------------------- engine

_ENGINE = None


def ocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine():
    """The RapidOCR engine, loaded once per process (≈0.5 s)."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR()  # each call passes use_cls=False: pages are upright
    return _ENGINE


# Glyphs the recogniser confuses with a common punctuation mark of Chinese reports.
_CONFUSIONS = str.maketrans({"丶": "、"})
_CLOSE_FOR = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕"}
_CLOSERS = {")", "）", "]", "】", "〕"}


def fix_text(text: str) -> str:
    """Undo what OCR cannot see: a closing bracket gets the width of its opening one (a scan does
    not show whether ``）`` or ``)`` was printed), and look-alike glyphs become the usual mark."""
    text = text.translate(_CONFUSIONS)
    out = list(text)
    stack: list[str] = []
    for i, ch in enumerate(out):
        if ch in _CLOSE_FOR:
            stack.append(ch)
        elif ch in _CLOSERS and stack:
            out[i] = _CLOSE_FOR[stack.pop()]
    return "".join(out)


def recognise(image) -> list[Box]:
    """Text boxes of a page image (a PIL image or numpy array)."""
    import numpy as np

    arr = np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image
    result, _ = engine()(arr, use_cls=False)
    boxes = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        text = fix_text(text.strip())
        if text:
            boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def cell_reader(gray, dpi: int = DEFAULT_DPI) -> Callable[[Band, int], list[Box]]:
    """Read one table cell on its own: for a cell the detector missed (a lone digit beside a rule)
    or a box that ran across a rule. Blank cells give nothing; a cell with ink is detected and
    recognised as a small image, or (nothing detected) recognised as one line."""
    import cv2
    import numpy as np

    em = dpi * 10.5 / 72  # a body-text character, in pixels

    def read(band: Band, k: int) -> list[Box]:
        a, b = band.seps[k], band.seps[k + 1]
        y0, y1, x0, x1 = int(band.y0) + 4, int(band.y1) - 3, int(a) + 4, int(b) - 3
        if y1 - y0 < 6 or x1 - x0 < 6:
            return []
        crop = gray[y0:y1, x0:x1]
        dark = crop < 170
        if dark.sum() < 5:  # blank (a printed "-" has ~10 dark pixels at 150 dpi, fewer once JPEG-blurred)
            return []
        ys, xs = np.nonzero(dark)
        h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
        if h <= max(3, em * 0.2) and 2 * h <= w <= em * 2.5:  # one short flat stroke: a dash for "none"
            return [Box(float(x0 + xs.min()), float(y0 + ys.min()), float(x0 + xs.max()), float(y0 + ys.max()),
                        "-", 0.9)]
        pad = 16
        framed = cv2.cvtColor(np.pad(crop, pad, constant_values=255), cv2.COLOR_GRAY2RGB)
        found, _ = engine()(framed, use_cls=False)
        boxes = []
        for quad, text, score in found or []:
            xs = [p[0] - pad + x0 for p in quad]
            ys = [p[1] - pad + y0 for p in quad]
            text = fix_text(text.strip().strip("|丨｜").strip())
            if text:
                boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
        if boxes:
            return boxes
        lines, _ = engine()(cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB), use_det=False, use_cls=False)
        for text, score in lines or []:
            text = fix_text(text.strip().strip("|丨｜").strip())
            if text:
                boxes.append(Box(float(x0), float(y0), float(x1), float(y1), text, float(score)))
        return boxes

    return read


def read_page(image, dpi: int) -> list[tuple[str, float]]:
    """Lines (text, confidence) of one page image in reading order."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    return layout_lines(recognise(image), find_bands(gray, dpi), cell_reader(gray, dpi))


# ----------------------------------------------------------------------- page layout

def find_bands(gray, dpi: int) -> list[Band]:
    """Row bands of ruled tables on a grey page image (numpy uint8, 0 = ink)."""
    import cv2
    import numpy as np

    ink = (gray < 160).astype(np.uint8)
    em = dpi * 10.5 / 72  # a body-text character, in pixels
    klen = max(20, int(em * 3.5))  # longer than any stroke or dash of text
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, klen), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    rules: list[list[float]] = []  # [x0, x1, y]
    for x, y, w, h, _area in sorted((tuple(s) for s in stats[1:]), key=lambda s: s[1]):
        if h > em * 0.5:  # a filled block, not a rule
            continue
        yc = y + h / 2
        for r in rules:
            if abs(r[2] - yc) <= 4 and x <= r[1] and x + w >= r[0]:
                r[0], r[1] = min(r[0], x), max(r[1], x + w)
                break
        else:
            rules.append([float(x), float(x + w), yc])
    rules.sort(key=lambda r: r[2])
    bands: list[Band] = []
    for i, top in enumerate(rules):
        below = next((r for r in rules[i + 1:] if r[2] - top[2] > em * 0.6
                      and min(top[1], r[1]) - max(top[0], r[0]) > 0.5 * min(top[1] - top[0], r[1] - r[0])), None)
        if below is None or below[2] - top[2] > em * 14:
            continue
        x0, x1 = int(max(top[0], below[0])), int(min(top[1], below[1]))
        y0, y1 = int(top[2] + 3), int(below[2] - 3)
        if y1 - y0 < 4:
            continue
        frac = ink[y0:y1, max(0, x0 - 4):x1 + 4].mean(axis=0)
        cols = np.flatnonzero(frac >= 0.9) + max(0, x0 - 4)
        seps: list[float] = []
        run: list[int] = []
        for c in cols:
            if run and c - run[-1] > 2:
                seps.append(sum(run) / len(run))
                run = []
            run.append(int(c))
        if run:
            seps.append(sum(run) / len(run))
        if len(seps) >= 2:
            bands.append(Band(top[2], below[2], seps))
    return bands


def _join(parts: list[str]) -> str:
    """Join pieces of one line/cell: nothing between CJK, a space between two latin/digit ends."""
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def _bar_split(text: str, n: int) -> bool:
    """The recogniser read the ``n - 1`` rules inside a box as bars."""
    return any(len(text.split(bar)) == n for bar in ("|", "丨", "｜"))


def _split_box(box: Box, cells: list[tuple[float, float]]) -> list[tuple[int, Box]]:
    """A box that crosses vertical rules, cut into one piece per cell: at the rule characters the
    recogniser read (``|``) when their count fits, else by the share of the box each cell covers."""
    text = box.text
    for bar in ("|", "丨", "｜"):
        pieces = [p.strip() for p in text.split(bar)]
        if len(pieces) == len(cells):
            break
    else:
        pieces = []
        width = box.x1 - box.x0 or 1.0
        start = 0
        for k, (a, b) in enumerate(cells):
            share = (min(b, box.x1) - max(a, box.x0)) / width
            end = len(text) if k == len(cells) - 1 else min(len(text), start + round(share * len(text)))
            pieces.append(text[start:end].strip("|丨｜ "))
            start = end
    return [(k, Box(max(a, box.x0), box.y0, min(b, box.x1), box.y1, p, box.score))
            for k, ((a, b), p) in enumerate(zip(cells, pieces, strict=True)) if p]


def layout_lines(boxes: list[Box], bands: list[Band],
                 reread: Callable[[Band, int], list[Box]] | None = None) -> list[tuple[str, float]]:
    """Reading order: (line text, confidence) from top to bottom (see module doc). ``reread``
    reads one cell on its own (``cell_reader``): used for cells no box landed in and for cells a
    box ran across without the recogniser reading the rule as ``|``."""
    items: list[tuple[float, str, float]] = []  # (y, text, confidence)
    in_cells: dict[tuple[int, int], list[Box]] = {}
    again: set[tuple[int, int]] = set()  # cells a box ran across
    unsure: set[tuple[int, int]] = set()  # cells with a low-confidence box
    loose: list[Box] = []
    for box in boxes:
        band_i = next((i for i, b in enumerate(bands) if b.y0 < box.cy < b.y1
                       and box.x1 > b.seps[0] and box.x0 < b.seps[-1]), None)
        if band_i is None:
            loose.append(box)
            continue
        seps = bands[band_i].seps
        cells = [(seps[k], seps[k + 1]) for k in range(len(seps) - 1)]
        hit = [k for k, (a, b) in enumerate(cells) if a <= (box.x0 + box.x1) / 2 <= b
               or min(b, box.x1) - max(a, box.x0) > min(0.4 * (b - a), 0.25 * (box.x1 - box.x0))]
        hit = sorted(set(hit)) or [0]
        if len(hit) == 1:
            in_cells.setdefault((band_i, hit[0]), []).append(box)
            if reread is not None and box.score < 0.8:  # unsure (a rule read as l or |?): read the cell alone
                unsure.add((band_i, hit[0]))
        elif reread is not None and not _bar_split(box.text, len(hit)):
            again.update((band_i, k) for k in hit)
        else:
            for k, piece in _split_box(box, [cells[k] for k in hit]):
                in_cells.setdefault((band_i, hit[k]), []).append(piece)
    for band_i, band in enumerate(bands):
        fields: list[str] = []
        scored: list[Box] = []
        for k in range(len(band.seps) - 1):
            cell = in_cells.get((band_i, k), [])
            if reread is not None and ((band_i, k) in again or (band_i, k) in unsure or not cell):
                alone = reread(band, k)
                if not cell or (band_i, k) in again or _confidence(alone) >= _confidence(cell):
                    cell = alone
            scored.extend(cell)
            fields.append(fix_cell(_join([b.text for b in _reading_order(cell)]).replace("\t", " ")))
        while fields and fields[-1] == "":
            fields.pop()
        if fields:
            items.append((band.y0, "\t".join(fields), _confidence(scored)))
    for line in _group_lines(loose):
        items.append((min(b.y0 for b in line), fix_text(_line_text(line)), _confidence(line)))
    items.sort(key=lambda it: it[0])
    return [(t, c) for _, t, c in items if t.strip()]


_ZERO_LIKE = str.maketrans({"o": "0", "O": "0", "〇": "0"})
_DASH_LIKE = {"一", "—", "–", "－", "ー", "_", "~", "～", "一一", "——"}


def fix_cell(text: str) -> str:
    """``fix_text`` for a table cell, and a number cell's look-alikes: a lone ``。``/``o``/``O``
    read for ``0``, ``o`` inside digits, a full stop or comma trailing the number, a rule beside
    it read as ``l``; a lone dash read as ``一`` is ``-``."""
    text = fix_text(text)
    if text in _DASH_LIKE:  # a lone dash (printed for "none") read as 一
        return "-"
    m = re.fullmatch(r"[lI|丨!]*([0-9oO〇。]+)[lI|丨!]*", text)  # a rule beside the number read as l/I/|
    if m:
        text = m.group(1)
    if text in ("。", "o", "O", "〇"):
        return "0"
    m = re.fullmatch(r"(-?[0-9oO〇][0-9oO〇,.]*?)[。.,，、]", text)
    if m:
        text = m.group(1)
    if re.fullmatch(r"-?[0-9oO〇]+(?:\.[0-9oO〇]+)?", text) and re.search(r"[0-9]", text):
        text = text.translate(_ZERO_LIKE)
    return text


def _reading_order(boxes: list[Box]) -> list[Box]:
    return [b for line in _group_lines(boxes) for b in line]


def _group_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes at the same height as lines (top to bottom), each sorted left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines:
            last = lines[-1]
            cy = sum(b.cy for b in last) / len(last)
            h = sum(b.height for b in last) / len(last)
            if abs(box.cy - cy) < 0.5 * max(h, box.height):
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _line_text(line: list[Box]) -> str:
    out = line[0].text
    for prev, box in zip(line, line[1:], strict=False):
        gap = box.x0 - prev.x1
        if gap > 1.2 * max(prev.height, box.height):
            out += "\t" + box.text  # far apart on one line: cells of an unruled table
        else:
            out = _join([out, box.text])
    return out


def _confidence(boxes: list[Box]) -> float:
    n = sum(len(b.text) for b in boxes)
    return round(sum(len(b.text) * b.score for b in boxes) / n, 4) if n else 0.0


# ----------------------------------------------------------------------- PDF pages

def max_pages() -> int:
    """Most pages one document may send to OCR: $GONGKAI_MAX_OCR_PAGES or 60."""
    from gongkai.settings import env_positive_int

    return env_positive_int("GONGKAI_MAX_OCR_PAGES", DEFAULT_MAX_PAGES)


def progress_wanted() -> bool:
    """Per-page progress on stderr: on a terminal, or with $GONGKAI_PROGRESS=1."""
    env = os.environ.get("GONGKAI_PROGRESS")
    if env is not None:
        return env not in ("", "0", "no", "false")
    return sys.stderr.isatty()


def ocr_pdf_pages(data: bytes, numbers: list[int], path: str | os.PathLike[str], dpi: int | None = None,
                  on_page: Callable[[OcrPage, int, int], None] | None = None) -> list[OcrPage]:
    """OCR the given 1-based pages of a PDF. Raises ``InputError`` naming the fix when the OCR
    packages are missing. ``on_page(page, done, total)`` is called after each page."""
    if not ocr_available():
        raise InputError(path, f"PDF has no text layer on page(s) {_ranges(numbers)} (a scan?); {INSTALL_HINT}")
    import pypdfium2

    from gongkai.settings import env_positive_int

    dpi = dpi or env_positive_int("GONGKAI_OCR_DPI", DEFAULT_DPI)
    if on_page is None and progress_wanted():
        on_page = _print_progress(str(path))
    out: list[OcrPage] = []
    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception as e:  # noqa: BLE001 - pdfium's own error types
        raise InputError(path, f"cannot render PDF for OCR ({e})") from e
    try:
        for i, number in enumerate(numbers):
            t0 = time.perf_counter()
            page = pdf[number - 1]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            res = OcrPage(number, read_page(image, dpi), time.perf_counter() - t0)
            out.append(res)
            if on_page:
                on_page(res, i + 1, len(numbers))
    finally:
        pdf.close()
    return out


def _print_progress(name: str) -> Callable[[OcrPage, int, int], None]:
    def show(page: OcrPage, done: int, total: int) -> None:
        conf = page.confidence
        print(f"OCR {name}: page {page.number} ({done}/{total}) {page.seconds:.1f}s"
              f" confidence {conf:.3f}" if conf is not None else f"OCR {name}: page {page.number} "
              f"({done}/{total}) {page.seconds:.1f}s no text", file=sys.stderr, flush=True)
    return show


def _ranges(numbers: list[int]) -> str:
    """1,2,3,5 → '1-3, 5'."""
    parts: list[list[int]] = []
    for n in sorted(numbers):
        if parts and parts[-1][1] == n - 1:
            parts[-1][1] = n
        else:
            parts.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in parts)
