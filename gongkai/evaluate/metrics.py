"""Aggregations behind the evaluation report: field accuracy by table, row and column; check pass
rates; errors per layout; and the trivial all-zero baseline every system is compared with."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from gongkai.scoring import CELL, META, SECTION, UNIT, DocScore


def _bump(d: dict[str, list[int]], key: str, ok: bool) -> None:
    c = d.setdefault(key, [0, 0])
    c[0] += int(ok)
    c[1] += 1


def _finish(d: dict[str, list[int]]) -> dict[str, dict]:
    return {k: {"correct": c[0], "total": c[1], "accuracy": c[0] / c[1]} for k, c in sorted(d.items())}


def field_breakdown(docs: Iterable[DocScore]) -> dict[str, dict[str, dict]]:
    """Accuracy of scored fields grouped ``by_table`` (meta, sections and the three tables),
    ``by_row`` (``table.row``) and ``by_column`` (``table.column``, the column key across rows)."""
    by_table: dict[str, list[int]] = {}
    by_row: dict[str, list[int]] = {}
    by_col: dict[str, list[int]] = {}
    for d in docs:
        for f in d.fields:
            parts = f.path.split(".")
            if f.kind in (CELL, UNIT):
                table, row, col = parts[0], parts[1], parts[2]
                _bump(by_table, table, f.correct)
                _bump(by_row, f"{table}.{row}", f.correct)
                _bump(by_col, f"{table}.{col}", f.correct)
            elif f.kind == META:
                _bump(by_table, "meta", f.correct)
                _bump(by_row, f.path, f.correct)
            elif f.kind == SECTION:
                _bump(by_table, "sections", f.correct)
                _bump(by_row, f.path, f.correct)
    return {"by_table": _finish(by_table), "by_row": _finish(by_row), "by_column": _finish(by_col)}


def rule_family(rule: str) -> str:
    """``requests.balance.total`` → ``requests.balance``: checks are reported per family."""
    parts = rule.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else rule


def check_pass_rates(reports: Iterable[Mapping | None]) -> dict[str, dict]:
    """Per check family: pass/fail/skipped counts and pass rate among decided (pass+fail) checks."""
    out: dict[str, dict] = {}
    for r in reports:
        for c in (r or {}).get("checks") or []:
            fam = out.setdefault(rule_family(str(c.get("rule"))), {"pass": 0, "fail": 0, "skipped": 0})
            status = c.get("status")
            if status in fam:
                fam[status] += 1
    for fam in out.values():
        decided = fam["pass"] + fam["fail"]
        fam["pass_rate"] = fam["pass"] / decided if decided else None
    return dict(sorted(out.items()))


def layout_errors(docs: Sequence[DocScore], layouts: Mapping[str, str]) -> dict[str, dict]:
    """Per layout: documents, scored fields, wrong fields, accuracy and missed/spurious claims."""
    out: dict[str, dict] = {}
    for d in docs:
        lay = layouts.get(d.doc_id, "unknown")
        e = out.setdefault(lay, {"docs": 0, "fields": 0, "errors": 0, "claim_errors": 0})
        e["docs"] += 1
        e["fields"] += d.counts.fields
        e["errors"] += d.counts.fields - d.counts.fields_ok
        e["claim_errors"] += sum(m.kind.startswith("claim_") for m in d.misses)
    for e in out.values():
        e["accuracy"] = (e["fields"] - e["errors"]) / e["fields"] if e["fields"] else None
    return dict(sorted(out.items()))


def guess_layout(text: str) -> str:
    """A coarse layout name for a real document whose gold does not say: how its tables are printed."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "empty"
    pipes = sum(ln.count("|") >= 2 for ln in lines)
    tabs = sum("\t" in ln for ln in lines)
    short = sum(len(ln.strip()) <= 6 for ln in lines)
    if pipes >= 5:
        return "pipe-table"
    if tabs >= 5:
        return "tab-table"
    if re.search(r"[們當為與這]", text):
        return "traditional"
    if short / len(lines) > 0.4:
        return "cell-per-line"
    return "prose"


def all_zero_baseline(doc_id: str) -> dict:
    """The trivial prediction: every table cell of both templates 0, meta and sections null, no
    claims. Any system worth shipping must beat it."""
    from gongkai.schema import ActiveDisclosure, Report, Requests, ReviewLitigation

    report = Report(doc_id=doc_id).to_json_dict()
    for key, model in (
        ("active_disclosure", ActiveDisclosure),
        ("requests", Requests),
        ("review_litigation", ReviewLitigation),
    ):
        table = {}
        for row, info in model.model_fields.items():
            row_model = info.annotation.__args__[0]  # `RowModel | None`
            table[row] = {col: (None if col == "amount_unit" else 0) for col in row_model.model_fields}
        report[key] = table
    report["method"] = "baseline"
    return report
