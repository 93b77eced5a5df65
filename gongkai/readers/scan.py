"""Make an image-only PDF (a simulated scan) from a report's text: for the OCR tests and benchmark.

Prose lines are wrapped to the page width (never inside a number); runs of tab-separated lines
are drawn as ruled tables, one row per line, one cell per field (the last field of a short row
spans to the table's right edge). Each page is one raster image, so the PDF has no text layer.
Drawing Chinese needs a CJK font: ``find_cjk_font`` looks for the ``cvttf-NotoSansCJK-Regular``
wheel (the dev extra) and the usual system font paths.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

A4_INCHES = (8.27, 11.69)
_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def find_cjk_font() -> Path | None:
    """A font file that draws Chinese, or None: $GONGKAI_CJK_FONT, the font wheel, system fonts."""
    env = os.environ.get("GONGKAI_CJK_FONT")
    if env and Path(env).is_file():
        return Path(env)
    try:
        import cvttf_NotoSansCJK_Regular as wheel  # the dev extra's font wheel

        p = Path(wheel.__file__).parent / "NotoSansCJKtc-Regular.otf"
        if p.is_file():
            return p
    except ImportError:
        pass
    return next((Path(p) for p in _FONT_PATHS if Path(p).is_file()), None)


def _blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """('prose', [line]) and ('table', [rows]) in order; blank lines dropped."""
    table: list[str] = []
    for line in text.splitlines():
        if "\t" in line:
            table.append(line)
            continue
        if table:
            yield "table", table
            table = []
        if line.strip():
            yield "prose", [line.strip()]
    if table:
        yield "table", table


def _wrap(text: str, width: float, measure) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; a run of digits/latin is never split."""
    out: list[str] = []
    cur = ""
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isascii() and text[i].isalnum():
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in ".%"):
                j += 1
        piece = text[i:j]
        if cur and measure(cur + piece) > width:
            out.append(cur)
            cur = piece
        else:
            cur += piece
        i = j
    if cur:
        out.append(cur)
    return out or [""]


def render_pages(text: str, dpi: int = 150, font_path: Path | None = None, font_pt: float = 11.0) -> list:
    """PIL images (grey, white paper) of ``text`` laid out on A4 pages (see module doc)."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = font_path or find_cjk_font()
    if font_path is None:
        raise RuntimeError("no CJK font found: install the dev extra (cvttf-NotoSansCJK-Regular) or "
                           "fonts-noto-cjk, or set GONGKAI_CJK_FONT")
    size_px = round(font_pt / 72 * dpi)
    font = ImageFont.truetype(str(font_path), size_px)
    W, H = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    margin = round(0.9 * dpi)
    line_h = round(size_px * 1.6)
    pad = round(size_px * 0.45)
    usable = W - 2 * margin

    def measure(s: str) -> float:
        return font.getlength(s)

    pages: list = []
    page = draw = None
    y = H  # forces a new page at the first line

    def new_page() -> None:
        nonlocal page, draw, y
        page = Image.new("L", (W, H), 255)
        draw = ImageDraw.Draw(page)
        pages.append(page)
        y = margin

    for kind, lines in _blocks(text):
        if kind == "prose":
            for part in _wrap(lines[0], usable, measure):
                if y + line_h > H - margin:
                    new_page()
                draw.text((margin, y), part, font=font, fill=0)
                y += line_h
            continue
        rows = [ln.split("\t") for ln in lines]
        ncol = max(len(r) for r in rows)
        widths = [0.0] * ncol
        for r in rows:
            for k, cell in enumerate(r[:-1] if len(r) < ncol else r):
                widths[k] = max(widths[k], measure(cell) + 2 * pad)
        widths = [max(w, size_px * 2.6) for w in widths]
        cap = usable * 0.38
        widths = [min(w, cap) for w in widths]
        scale = min(1.0, usable / sum(widths))
        xs = [margin]
        for w in widths:
            xs.append(xs[-1] + w * scale)
        y += pad
        for r in rows:
            cells = []
            for k, cell in enumerate(r):
                x0, x1 = xs[k], (xs[k + 1] if k < len(r) - 1 else xs[-1])
                cells.append((x0, x1, _wrap(cell.strip(), x1 - x0 - 2 * pad, measure) if cell.strip() else []))
            h = max(1, max(len(c[2]) for c in cells)) * line_h + pad
            if y + h > H - margin:
                new_page()
            draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
            for x0, _x1, parts in cells:
                draw.line([(x0, y), (x0, y + h)], fill=0, width=2)
                for n, part in enumerate(parts):
                    draw.text((x0 + pad, y + pad / 2 + n * line_h + (line_h - size_px) / 2), part, font=font, fill=0)
            draw.line([(xs[-1], y), (xs[-1], y + h)], fill=0, width=2)
            y += h
            draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
        y += line_h
    return pages


def scan_pdf(text: str, dpi: int = 150, font_path: Path | None = None, jpeg_quality: int | None = None) -> bytes:
    """An image-only PDF of ``text`` (``render_pages``), optionally JPEG-compressed like a scanner's."""
    pages = render_pages(text, dpi=dpi, font_path=font_path)
    if jpeg_quality is not None:
        from PIL import Image

        recoded = []
        for p in pages:
            buf = io.BytesIO()
            p.save(buf, "JPEG", quality=jpeg_quality)
            recoded.append(Image.open(io.BytesIO(buf.getvalue())))
        pages = recoded
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return out.getvalue()
