"""report.html: one self-contained page (plots embedded as base64 PNG, no external files) with the
summary, per-field accuracy, per-label F1, label confusion, errors per layout, and the worst
documents: every miss links to its span, highlighted in the document's text."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping

from gongkai.evaluate.report_md import SUMMARY, fmt, label_order, with_interval
from gongkai.evaluate.report_parts import json_parts, paired_misses, system_intervals, systems_in_order

CSS = """
body{font-family:sans-serif;max-width:1200px;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}
th{background:#f0f0f0}pre.doc{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:.5em;
max-height:480px;overflow:auto;font-size:13px}mark{background:#ffd54f}mark:target,a:target+mark{outline:2px solid red}
img{max-width:100%}.miss-none{color:#888}td.json{font-family:monospace;font-size:12px;max-width:420px;
word-break:break-all}b.diff{background:#ffcdd2}
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    return (
        '<img alt="plot" src="data:image/png;base64,'
        + base64.b64encode(buf.getvalue()).decode("ascii")
        + '">'
    )


def _figure(width: float, height: float):
    """A bare matplotlib Figure: no pyplot, no global backend switch (safe inside notebooks)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _barh_groups(keys: list[str], values: Mapping[str, list[float]], title: str, xlabel: str,
                 labels: Mapping[str, list[str]] | None = None):
    """Horizontal grouped bars: one group per key (top to bottom), one bar per system, optional
    text at the end of each bar."""
    names = list(values)
    height = 0.8 / max(1, len(names))
    fig = _figure(8, max(2.0, 0.25 * len(keys) * max(1, len(names)) + 1))
    ax = fig.subplots()
    for i, n in enumerate(names):
        bars = ax.barh([j + i * height for j in range(len(keys))], values[n], height=height, label=n)
        if labels is not None:
            ax.bar_label(bars, labels=labels[n], fontsize=6)
    ax.set_yticks([j + 0.4 - height / 2 for j in range(len(keys))])
    ax.set_yticklabels(keys, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    return fig, ax


def plot_grouped(
    series: Mapping[str, Mapping[str, float | None]], title: str, xlabel: str = "accuracy", order=None
):
    """Horizontal grouped bars of a score in [0, 1]: one group per key, one bar per system."""
    found = {k for s in series.values() for k in s}
    keys = sorted(found) if order is None else order(found)
    fig, ax = _barh_groups(keys, {n: [s.get(k) or 0.0 for k in keys] for n, s in series.items()}, title, xlabel)
    ax.set_xlim(0, 1)
    return fig


def plot_confusion(labels: list[str], matrix: list[list[int]], title: str):
    """Row-normalised character-level confusion (gold rows, predicted columns)."""
    rows = [[v / max(1, sum(r)) for v in r] for r in matrix]
    size = max(4.0, 0.28 * len(labels) + 2)
    fig = _figure(size, size)
    ax = fig.subplots()
    im = ax.imshow(rows, cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.04)
    return fig


def plot_errors(series: Mapping[str, Mapping[str, dict]], title: str, top: int = 25):
    """Horizontal grouped bars of wrong fields (total − correct) per group, only groups where some
    system is wrong, most errors first: what is broken, not a wall of bars at 1.0."""
    wrong = {n: {k: v["total"] - v["correct"] for k, v in s.items()} for n, s in series.items()}
    keys = sorted({k for w in wrong.values() for k, e in w.items() if e},
                  key=lambda k: (-max(w.get(k, 0) for w in wrong.values()), k))[:top]
    if not keys:
        return None
    values = {n: [wrong[n].get(k, 0) for k in keys] for n in series}
    labels = {n: [f"{v}/{series[n].get(k, {}).get('total', 0)}" if series[n].get(k, {}).get("total", 0) else ""
                  for k, v in zip(keys, values[n], strict=True)] for n in series}
    fig, _ = _barh_groups(keys, values, title, "wrong fields (of scored)", labels)
    return fig


def layout_error_rate(e: dict) -> float:
    return e["errors"] / e["fields"] if e["fields"] else 0.0


def highlight(text: str, misses: list[dict], prefix: str) -> str:
    """The document text, escaped, with each miss's span marked and anchored ``{prefix}-m{j}``."""
    spans = [
        (j, max(0, min(len(text), m["start"])), max(0, min(len(text), m["end"])))
        for j, m in enumerate(misses)
        if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)
    ]
    cuts = sorted({0, len(text)} | {s for _, s, _ in spans} | {e for _, _, e in spans})
    out = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
        for j, s, _ in spans:
            if s == a:
                out.append(f'<a id="{prefix}-m{j}"></a>')
        if b is None:
            break
        seg = html.escape(text[a:b])
        cover = [misses[j]["path"] for j, s, e in spans if s <= a and e >= b and s < e]
        out.append(f'<mark title="{html.escape(", ".join(cover))}">{seg}</mark>' if cover else seg)
    return "".join(out)


def _summary_table(result: dict) -> str:
    names = list(result["systems"])
    cis = {n: system_intervals(result["systems"][n]) for n in names}
    head = "<tr><th>metric</th>" + "".join(f"<th>{html.escape(n)}</th>" for n in names) + "</tr>"
    rows = [
        f"<tr><td>{label}</td>"
        + "".join(f"<td>{with_interval(result['systems'][n]['metrics'][k], cis[n].get(k))}</td>" for n in names)
        + "</tr>"
        for label, k in SUMMARY
    ]
    rows.append("<tr><td>documents</td>" + "".join(f"<td>{len(result['systems'][n]['docs'])}</td>" for n in names)
                + "</tr>")
    rows.append("<tr><td>scored fields</td>"
                + "".join(f"<td>{result['systems'][n]['counts']['fields']}</td>" for n in names) + "</tr>")
    note = "<p>Values with their 95% bootstrap interval over documents.</p>"
    return note + "<table>" + head + "".join(rows) + "</table>"


def _json_cell(value, differs: list[str]) -> str:
    """The whole value as JSON, differing keys highlighted."""
    return "".join(f"<b class='diff'>{html.escape(t)}</b>" if hit else html.escape(t)
                   for t, hit in json_parts(value, differs))


def _provenance(info: dict) -> str:
    run = info.get("run")
    if not run:
        return ""
    rows = "".join(f"<tr><th>{html.escape(k.replace('_', ' '))}</th><td><code>{html.escape(str(v))}</code></td></tr>"
                   for k, v in run.items())
    return f"<h2>Run</h2><table>{rows}</table>"


def _checks_table(result: dict) -> str:
    names = list(result["systems"])
    fams = sorted({f for n in names for f in result["systems"][n]["checks"]})
    if not fams:
        return "<p>No checks in the predictions.</p>"
    head = "<tr><th>check</th>" + "".join(f"<th>{html.escape(n)}</th>" for n in names) + "</tr>"
    rows = []
    for f in fams:
        cells = []
        for n in names:
            c = result["systems"][n]["checks"].get(f)
            cells.append("–" if not c else
                         f"{fmt(c['pass_rate'])} ({c['pass']}✓ {c['fail']}✗ {c['skipped']} skipped)")
        rows.append(f"<tr><td>{html.escape(f)}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _docs_table(docs: list[dict], worst: int, sid: str = "") -> str:
    """Every document, worst first; the ones detailed below link to their section."""
    rows = []
    for i, d in enumerate(docs):
        name = html.escape(d["doc_id"])
        if i < worst and d["field_errors"] + d["claim_errors"]:
            name = f"<a href='#{sid}d{i}'>{name}</a>"
        rows.append(
            f"<tr><td>{name}</td><td>{html.escape(d['layout'])}</td><td>{d['field_errors']}/{d['fields']}</td>"
            f"<td>{d['claim_errors']}</td><td>{html.escape(d['error'] or '')}</td></tr>"
        )
    head = "<tr><th>document</th><th>layout</th><th>fields wrong</th><th>claim errors</th><th>error</th></tr>"
    return "<table>" + head + "".join(rows) + "</table>"


def _worst(system: dict, name: str, texts: Mapping[str, str], worst: int, sid: str) -> list[str]:
    """One system's worst documents: the table of all documents, then each of the worst with every
    miss as full JSON (differing keys highlighted) linked to its span in the text."""
    parts = [f"<h2>Worst documents ({html.escape(name)})</h2>"]
    docs = sorted(system["docs"], key=lambda d: (-(d["field_errors"] + d["claim_errors"]), d["doc_id"]))
    parts.append(_docs_table(docs, worst, sid))
    for i, d in enumerate(docs[:worst]):
        if d["field_errors"] + d["claim_errors"] == 0:
            break
        pid = f"{sid}d{i}"
        parts.append(
            f"<h3 id='{pid}'>{html.escape(d['doc_id'])}: {d['field_errors']}/{d['fields']} fields wrong, "
            f"{d['claim_errors']} claim errors ({html.escape(d['layout'])})</h3>"
        )
        if d["error"]:
            parts.append(f"<p>Extraction error: {html.escape(d['error'])}</p>")
        rows = []
        misses = paired_misses(d["misses"])
        for j, m in enumerate(misses):
            has = isinstance(m.get("start"), int) and d["doc_id"] in texts
            link = (f"<a href='#{pid}-m{j}'>{m['start']}–{m['end']}</a>" if has
                    else "<span class='miss-none'>no span</span>")
            paired = " (paired with a spurious claim)" if m.get("paired") else ""
            rows.append(
                f"<tr><td><code>{html.escape(m['path'])}</code>{paired}</td>"
                f"<td class='json'>{_json_cell(m['gold'], m['differs'])}</td>"
                f"<td class='json'>{_json_cell(m['pred'], m['differs'])}</td><td>{link}</td></tr>"
            )
        parts.append("<table><tr><th>path</th><th>gold</th><th>pred</th><th>text</th></tr>" + "".join(rows)
                     + "</table>")
        if d["misses_total"] > len(d["misses"]):
            parts.append(f"<p>… and {d['misses_total'] - len(d['misses'])} more.</p>")
        if d["doc_id"] in texts:
            parts.append(f"<pre class='doc'>{highlight(texts[d['doc_id']], misses, pid)}</pre>")
    return parts


def render_html(result: dict, texts: Mapping[str, str], worst: int = 5) -> str:
    systems = result["systems"]
    info = result["info"]
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>gongkai evaluation</title>",
        f"<style>{CSS}</style></head><body><h1>Evaluation report</h1>",
        f"<p>{info['docs']} documents, {info['docs_with_text']} with text, "
        f"{info['docs_with_gold_spans']} with gold spans.</p>",
        "<h2>Summary</h2>",
        _summary_table(result),
        _provenance(info),
        "<h2>Wrong fields</h2>",
    ]
    for key, what in (("by_table", "table"), ("by_column", "column"), ("by_row", "row")):
        fig = plot_errors({n: sy[key] for n, sy in systems.items() if n != "all-zero"}, f"wrong fields by {what}")
        parts.append(_png(fig) if fig is not None else f"<p>No wrong field in any {what}.</p>")
    seq = {n: s["seqeval"] for n, s in systems.items() if s["seqeval"]}
    parts.append("<h2>Span labelling (seqeval strict IOB2)</h2>")
    if seq:
        parts.append(
            _png(
                plot_grouped(
                    {n: {k: v["f1"] for k, v in q["labels"].items()} for n, q in seq.items()},
                    "per-label F1",
                    "F1",
                    order=label_order,
                )
            )
        )
        for n, s in systems.items():
            if s["confusion"]:
                parts.append(
                    _png(
                        plot_confusion(
                            s["confusion"]["labels"],
                            s["confusion"]["matrix"],
                            f"label confusion (characters), {n}",
                        )
                    )
                )
    else:
        parts.append("<p>No gold spans among these documents.</p>")
    parts += ["<h2>Consistency checks</h2>", _checks_table(result), "<h2>Errors per layout</h2>"]
    parts.append(
        _png(
            plot_grouped(
                {n: {k: layout_error_rate(v) for k, v in s["layouts"].items()} for n, s in systems.items()},
                "errors per layout: share of scored fields wrong",
                "error rate",
            )
        )
    )
    for k, name in enumerate(systems_in_order(result)):  # default method first, then every other
        parts += _worst(systems[name], name, texts, worst, f"s{k}")
    parts.append(
        "<h2>Run info</h2><pre>" + html.escape(json.dumps(info, ensure_ascii=False, indent=1)) + "</pre>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)
