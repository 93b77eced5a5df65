"""One extracted document as a self-contained HTML page for the person checking it: the text as
read, every span the output came from highlighted and labelled where it is (table cells, meta,
claims, section headings), and beside it the values with their confidence and the checks.

The text is shown exactly as read (``<pre>``: line breaks and tabs kept, nothing inserted into it),
so what the page shows at an offset is what the JSON's offsets say. A value whose confidence is
below 0.9, or whose table a failing check doubts, is marked ``weak``. spaCy's displaCy was tried
for this and not used: its span style puts a space between tokens (between every character of
Chinese text) and drops line breaks, which breaks exactly this promise.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError

LOW = 0.9


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted span: where, what kind, its label and the value it produced."""

    start: int
    end: int
    kind: str  # cell, meta, claim, title
    label: str
    value: str
    confidence: float | None
    weak: bool


def _lookup(report: dict, path: str):
    cur = report
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def marks(report: dict, doubted: set[str] | None = None) -> list[Mark]:
    """Every span of the output, in text order."""
    doubted = doubted or set()
    out: list[Mark] = []
    for path, p in report.get("provenance", {}).items():
        if p.get("start") is None or p.get("end") is None:
            continue
        kind = "meta" if path.startswith("meta.") else "cell"
        value = _lookup(report, path)
        conf = p.get("confidence")
        weak = (conf is not None and conf < LOW) or path in doubted
        out.append(Mark(p["start"], p["end"], kind, path, "" if value is None else str(value), conf, weak))
    for i, c in enumerate(report.get("claims", [])):
        what = c["type"].replace("_count", "") + (f" · {c['breakdown']}" if c.get("breakdown") else "")
        value = f"{c['value']:g}{c.get('unit') or ''}" + (" (约)" if c.get("approximate") else "")
        out.append(Mark(c["start"], c["end"], "claim", f"claims[{i}] {what}", value, None, False))
    for key, sec in (report.get("sections") or {}).items():
        if sec:
            out.append(Mark(sec["start"], sec["start"] + len(sec["title"]), "title", f"sections.{key}",
                            sec["title"], None, False))
    return sorted(out, key=lambda m: (m.start, -m.end))


def _segments(text: str, ms: list[Mark]) -> list[tuple[int, int, list[int]]]:
    """The text cut at every span boundary: (start, end, indexes of the marks covering it)."""
    cuts = sorted({0, len(text), *(m.start for m in ms), *(m.end for m in ms)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    segs = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            segs.append((a, b, [i for i, m in enumerate(ms) if m.start <= a and b <= m.end]))
    return segs


def _badge(i: int, m: Mark) -> str:
    conf = "" if m.confidence is None else f" · {m.confidence:.2f}"
    title = html.escape(f"{m.label} = {m.value}{conf} [{m.start}:{m.end}]", quote=True)
    short = m.label.split(".", 1)[-1] if m.kind == "cell" else m.label
    return (f'<sup class="lab {m.kind}{" weak" if m.weak else ""}" id="m{i}" title="{title}">'
            f"{html.escape(short)}={html.escape(m.value)}</sup>")


def render_text(text: str, ms: list[Mark]) -> str:
    """The text with every mark highlighted, its label before it; nothing else changes."""
    parts: list[str] = []
    started: set[int] = set()
    for a, b, idx in _segments(text, ms):
        for i in idx:
            if i not in started:
                started.add(i)
                parts.append(_badge(i, ms[i]))
        chunk = html.escape(text[a:b])
        if idx:
            kinds = {ms[i].kind for i in idx}
            kind = next(k for k in ("cell", "claim", "meta", "title") if k in kinds)
            weak = " weak" if any(ms[i].weak for i in idx) else ""
            refs = " ".join(f"m{i}" for i in idx)
            chunk = f'<mark class="{kind}{weak}" data-m="{refs}">{chunk}</mark>'
        parts.append(chunk)
    return "".join(parts)


def _side(report: dict, ms: list[Mark]) -> str:
    meta = report.get("meta", {})
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in meta.items())
    checks = sorted(report.get("checks", []), key=lambda c: {"fail": 0, "skipped": 2}.get(c["status"], 1))
    check_rows = "".join(
        f'<tr class="{c["status"]}"><td>{c["status"]}</td><td>{html.escape(c["rule"])}</td>'
        f"<td>{html.escape(c['detail'])}</td></tr>" for c in checks if c["status"] != "skipped")
    skipped = sum(1 for c in checks if c["status"] == "skipped")
    value_rows = "".join(
        f'<tr class="{m.kind}{" weak" if m.weak else ""}"><td><a href="#m{i}">{html.escape(m.label)}</a></td>'
        f"<td>{html.escape(m.value)}</td><td>{'' if m.confidence is None else f'{m.confidence:.2f}'}</td>"
        f"<td>{m.start}–{m.end}</td></tr>" for i, m in enumerate(ms))
    unplaced = [p for p, v in report.get("provenance", {}).items() if v.get("start") is None]
    extra = f"<p>{len(unplaced)} values without a place in the text: {html.escape(', '.join(unplaced))}</p>" \
        if unplaced else ""
    return (f"<h2>meta</h2><table>{rows}</table>"
            f"<h2>checks</h2><table class='checks'>{check_rows}</table><p>{skipped} checks skipped "
            f"(inputs missing)</p>"
            f"<h2>values ({len(ms)})</h2><table class='values'><tr><th>label</th><th>value</th>"
            f"<th>conf.</th><th>offsets</th></tr>{value_rows}</table>{extra}")


CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;display:flex}
main{flex:3;padding:1rem 1.5rem;min-width:0}aside{flex:2;padding:1rem;background:#f6f6f4;
height:100vh;overflow:auto;position:sticky;top:0;font-size:13px}
pre{white-space:pre-wrap;word-break:break-all;font:15px/2.1 inherit;tab-size:6}
mark{border-radius:2px;padding:0 1px}mark.cell{background:#cfe8ff}mark.claim{background:#d8f5c8}
mark.meta{background:#fde7b0}mark.title{background:#ead9ff}mark.weak{background:#ffc9c9;outline:1px solid #d33}
sup.lab{font-size:10px;color:#333;background:#fff;border:1px solid #bbb;border-radius:3px;padding:0 2px;
margin-right:1px;line-height:1}sup.weak{border-color:#d33;color:#b00}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:2px 4px;text-align:left;
vertical-align:top}tr.fail td{color:#b00}tr.weak td{background:#ffe3e3}.legend mark{margin-right:.6em}
:target{outline:2px solid #06c}
"""


def page(report: dict, text: str, doubted: set[str] | None = None) -> str:
    """The whole page (HTML, no outside resources)."""
    ms = marks(report, doubted)
    title = html.escape(f"{report.get('doc_id', '')} · {report.get('meta', {}).get('organ') or ''} · "
                        f"{report.get('method', '')}")
    legend = ('<p class="legend"><mark class="cell">table cell</mark><mark class="claim">claim</mark>'
              '<mark class="meta">meta</mark><mark class="title">section heading</mark>'
              f'<mark class="weak">weak: confidence &lt; {LOW} or doubted by a failing check</mark></p>')
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body><main><h1>{title}</h1>{legend}"
            f"<pre>{render_text(text, ms)}</pre></main><aside>{_side(report, ms)}</aside></body></html>\n")


def show(json_path: Path, out: Path | None = None) -> Path:
    """Write the page for OUT/<doc>.json (its text is OUT/<doc>.txt) to ``out`` (default
    OUT/<doc>.html) and return where."""
    from gongkai.checks import cells_of_check
    from gongkai.schema import Report

    json_path = Path(json_path)
    txt = json_path.with_suffix(".txt")
    try:
        report = json.loads(json_path.read_text(encoding="utf-8"))
        rep = Report.model_validate(report)
    except OSError as e:
        raise InputError(json_path, f"cannot read ({e.strerror or e})") from e
    except ValueError as e:
        raise InputError(json_path, f"not a gongkai report JSON ({str(e).splitlines()[0]})") from e
    try:
        text = txt.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(txt, f"the text as read is needed beside the JSON ({e.strerror or e})") from e
    doubted = set().union(*(cells_of_check(c, rep) for c in rep.checks if c.status == "fail"))
    target = Path(out) if out else json_path.with_suffix(".html")
    from gongkai.batch.output import atomic_write_text

    atomic_write_text(target, page(report, text, doubted))
    return target
