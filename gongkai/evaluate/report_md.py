"""report.md: the evaluation's numbers as Markdown tables, systems side by side, worst documents
with their misses. Values only, never document text."""

from __future__ import annotations

import json

from gongkai.evaluate.report_parts import (
    json_parts,
    paired_misses,
    system_intervals,
    systems_in_order,
)

SUMMARY = (
    ("field accuracy", "field_accuracy"),
    ("cell accuracy", "cell_accuracy"),
    ("non-zero cell recall", "nonzero_cell_recall"),
    ("non-zero cell precision", "nonzero_cell_precision"),
    ("meta accuracy", "meta_accuracy"),
    ("section accuracy", "section_accuracy"),
    ("title accuracy", "title_accuracy"),
    ("claims precision", "claims_precision"),
    ("claims recall", "claims_recall"),
    ("claims F1", "claims_f1"),
)


def label_order(labels) -> list[str]:
    """Span labels in the label set's order (CELL_2 before CELL_10), unknown ones last."""
    from gongkai.spans import LABELS

    rank = {lab: i for i, lab in enumerate(LABELS)}
    return sorted(labels, key=lambda lab: (rank.get(lab, len(rank)), lab))


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def primary_system(result: dict) -> str:
    """The system listed first: the default method if it ran, else the first one not the baseline."""
    return systems_in_order(result)[0]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _acc_cell(d: dict | None) -> str:
    return "–" if not d else f"{d['accuracy']:.3f} ({d['correct']}/{d['total']})"


def _grouped(result: dict, key: str) -> list[str]:
    names = list(result["systems"])
    groups = sorted({g for s in result["systems"].values() for g in s[key]})
    rows = [[f"`{g}`"] + [_acc_cell(result["systems"][n][key].get(g)) for n in names] for g in groups]
    return _table([key.replace("_", " "), *names], rows)


def short(v) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 60 else s[:57] + "…"


def full_md(value, differs: list[str]) -> str:
    """The whole value as JSON for a Markdown table cell, differing keys in bold."""
    out = "".join(f"**{t}**" if hit else t for t, hit in json_parts(value, differs))
    return "`null`" if value is None else out.replace("|", "\\|")


def with_interval(value: float | None, ci) -> str:
    return fmt(value) if not ci or value is None else f"{fmt(value)} [{ci[0]:.3f}, {ci[1]:.3f}]"


def provenance_lines(info: dict) -> list[str]:
    run = info.get("run")
    if not run:
        return []
    rows = [[k.replace("_", " "), f"`{v}`" if v is not None else "–"] for k, v in run.items()]
    return ["", "## Run", ""] + _table(["", ""], rows)


def worst_lines(result: dict, name: str, worst: int) -> list[str]:
    """The worst documents of one system with every miss as full JSON (differing keys in bold)."""
    lines = ["", f"## Worst documents ({name})", ""]
    docs = sorted(result["systems"][name]["docs"],
                  key=lambda d: (-(d["field_errors"] + d["claim_errors"]), d["doc_id"]))
    shown = 0
    for d in docs[:worst]:
        if d["field_errors"] + d["claim_errors"] == 0:
            break
        shown += 1
        lines.append(
            f"### {d['doc_id']} — {d['field_errors']}/{d['fields']} fields wrong, "
            f"{d['claim_errors']} claim errors, layout {d['layout']}"
        )
        if d["error"]:
            lines.append(f"Extraction error: {d['error']}")
        lines.append("")
        rows = [
            [
                f"`{m['path']}`" + (" (paired with a spurious claim)" if m.get("paired") else ""),
                full_md(m["gold"], m["differs"]),
                full_md(m["pred"], m["differs"]),
                "" if m["start"] is None else f"{m['start']}–{m['end']}",
            ]
            for m in paired_misses(d["misses"])
        ]
        lines += _table(["path", "gold", "pred", "offsets"], rows)
        if d["misses_total"] > len(d["misses"]):
            lines.append(f"… and {d['misses_total'] - len(d['misses'])} more.")
        lines.append("")
    if not shown:
        lines.append("No document has a miss.")
    return lines


def render_markdown(result: dict, worst: int = 5) -> str:
    systems = result["systems"]
    names = list(systems)
    info = result["info"]
    lines = ["# Evaluation report", ""]
    lines.append(
        f"{info['docs']} documents ({info['docs_with_text']} with text, {info['docs_with_gold_spans']} with gold spans)."
    )
    if info.get("split"):
        lines.append(f"Held-out fold {info['split']['fold']} of split `{info['split']['file']}`.")
    if info.get("synth"):
        lines.append(f"Generated documents: n={info['synth'][0]}, seed={info['synth'][1]} (held-out organs).")
    lines += ["", "## Summary", ""]
    lines.append("Each value with its 95% bootstrap interval over documents (resampled documents, "
                 "micro-averaged again).")
    lines.append("")
    cis = {n: system_intervals(systems[n]) for n in names}
    rows = [[label] + [with_interval(systems[n]["metrics"][k], cis[n].get(k)) for n in names] for label, k in SUMMARY]
    rows.append(["documents"] + [str(len(systems[n]["docs"])) for n in names])
    rows.append(["scored fields"] + [str(systems[n]["counts"]["fields"]) for n in names])
    rows.append(["extraction errors"] + [str(len(systems[n]["errors"])) for n in names])
    rows.append(["seconds"] + [f"{systems[n]['seconds']:.1f}" for n in names])
    lines += _table(["metric", *names], rows)
    lines += ["", "## Accuracy by table", ""] + _grouped(result, "by_table")
    lines += ["", "## Accuracy by column", ""] + _grouped(result, "by_column")
    lines += ["", "## Accuracy by row", ""] + _grouped(result, "by_row")

    seq_names = [n for n in names if systems[n]["seqeval"]]
    lines += ["", "## Span labelling (seqeval, strict IOB2)", ""]
    if seq_names:
        labels = label_order({lab for n in seq_names for lab in systems[n]["seqeval"]["labels"]})
        rows = []
        for lab in labels:
            row = [f"`{lab}`"]
            for n in seq_names:
                s = systems[n]["seqeval"]["labels"].get(lab)
                row.append(
                    "–"
                    if s is None
                    else f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f} ({s['support']})"
                )
            rows.append(row)
        micro = ["**micro**"] + [fmt((systems[n]["seqeval"]["micro"] or {}).get("f1")) for n in seq_names]
        lines += _table(["label (P / R / F1 (gold n))", *seq_names], rows + [micro])
    else:
        lines.append("No gold spans among these documents (real reports have none); see a generated set.")

    lines += ["", "## Consistency checks (pass rate of decided checks)", ""]
    fams = sorted({f for n in names for f in systems[n]["checks"]})
    if fams:
        rows = []
        for f in fams:
            row = [f"`{f}`"]
            for n in names:
                c = systems[n]["checks"].get(f)
                row.append(
                    "–"
                    if not c
                    else f"{fmt(c['pass_rate'])} ({c['pass']}✓ {c['fail']}✗ {c['skipped']} skipped)"
                )
            rows.append(row)
        lines += _table(["check", *names], rows)
    else:
        lines.append("No checks in the predictions.")

    lines += ["", "## Errors per layout", ""]
    lays = sorted({lay for n in names for lay in systems[n]["layouts"]})
    rows = []
    for lay in lays:
        row = [lay]
        for n in names:
            e = systems[n]["layouts"].get(lay)
            row.append(
                "–"
                if not e
                else f"{e['errors']}/{e['fields']} fields wrong, {e['claim_errors']} claim errors ({e['docs']} docs)"
            )
        rows.append(row)
    lines += _table(["layout", *names], rows)

    for name in systems_in_order(result):  # the default method's misses first, then every other
        lines += worst_lines(result, name, worst)
    errs = {n: systems[n]["errors"] for n in names if systems[n]["errors"]}
    if errs:
        lines += ["", "## Extraction errors", ""]
        for n, e in errs.items():
            for doc, msg in sorted(e.items()):
                lines.append(f"- {n} / {doc}: {msg}")
    lines += provenance_lines(info)
    return "\n".join(lines) + "\n"
