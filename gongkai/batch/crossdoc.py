"""Checks across the documents of a batch, written to OUT_DIR/batch_checks.json.

- ``crossdoc.carry_chain``: an organ's 结转下年度继续办理 total in year N equals its
  上年结转 total in year N+1 (``requests.carried_forward.total`` → ``requests.carried_over.total``).
- ``crossdoc.duplicate_text``: two documents with the same normalised text (hash).
- ``crossdoc.duplicate_organ_year``: two documents for the same organ and report year.
- ``crossdoc.publish_date_year``: a report for year N is published in N+1, or late in N itself
  (November/December); anything else suggests a wrong year or date.

Each check works on small per-document digests, so a batch of thousands needs no reports in memory.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

from gongkai.batch.output import atomic_write_json

BATCH_CHECKS_FILE = "batch_checks.json"
LATE_MONTH = 11  # a report published from November of its own year on counts as on time
_WS = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """Hash of the normalised text without white space: the same report read from a .txt or a
    re-wrapped PDF, or in traditional characters, hashes the same when the normaliser allows."""
    try:
        from gongkai.normalise import normalise

        norm = normalise(text).text
    except ImportError:
        norm = unicodedata.normalize("NFKC", text)
    except Exception:  # a normaliser bug must not hide duplicates: fall back to NFKC
        norm = unicodedata.normalize("NFKC", text)
    return hashlib.sha256(_WS.sub("", norm).encode("utf-8")).hexdigest()


def _total(report: dict, row: str):
    cells = (report.get("requests") or {}).get(row) or {}
    return cells.get("total")


def digest(report: dict, text: str) -> dict:
    """What the cross-document checks need from one report."""
    meta = report.get("meta") or {}
    organ = meta.get("organ")
    return {
        "doc_id": report["doc_id"],
        "organ": _WS.sub("", organ) if organ else None,
        "report_year": meta.get("report_year"),
        "publish_date": meta.get("publish_date"),
        "carried_over": _total(report, "carried_over"),
        "carried_forward": _total(report, "carried_forward"),
        "text_hash": text_hash(text),
    }


def _check(rule: str, status: str, detail: str, doc_ids: list[str]) -> dict:
    return {"rule": rule, "status": status, "detail": detail, "doc_ids": doc_ids}


def _duplicates(digests: list[dict]) -> list[dict]:
    out = []
    by_hash: dict[str, list[str]] = defaultdict(list)
    by_organ_year: dict[tuple, list[str]] = defaultdict(list)
    for d in digests:
        by_hash[d["text_hash"]].append(d["doc_id"])
        if d["organ"] and d["report_year"] is not None:
            by_organ_year[(d["organ"], d["report_year"])].append(d["doc_id"])
    for h, ids in sorted(by_hash.items(), key=lambda kv: sorted(kv[1])):
        if len(ids) > 1:
            out.append(_check("crossdoc.duplicate_text", "fail", f"same normalised text (sha256 {h[:12]})",
                              sorted(ids)))
    for (organ, year), ids in sorted(by_organ_year.items()):
        if len(ids) > 1:
            out.append(_check("crossdoc.duplicate_organ_year", "fail", f"{len(ids)} reports for {organ} {year}",
                              sorted(ids)))
    return out


def _carry_chain(digests: list[dict]) -> list[dict]:
    out = []
    first: dict[tuple, dict] = {}
    for d in sorted(digests, key=lambda d: d["doc_id"]):
        if d["organ"] and d["report_year"] is not None:
            first.setdefault((d["organ"], d["report_year"]), d)
    for (organ, year), prev in sorted(first.items()):
        nxt = first.get((organ, year + 1))
        if nxt is None:
            continue
        a, b = prev["carried_forward"], nxt["carried_over"]
        detail = f"{organ}: {year} carried_forward.total={a} vs {year + 1} carried_over.total={b}"
        if a is None or b is None:
            status = "skipped"
        else:
            status = "pass" if a == b else "fail"
        out.append(_check("crossdoc.carry_chain", status, detail, [prev["doc_id"], nxt["doc_id"]]))
    return out


def _publish_dates(digests: list[dict]) -> list[dict]:
    out = []
    for d in sorted(digests, key=lambda d: d["doc_id"]):
        year, pub = d["report_year"], d["publish_date"]
        if year is None or not pub:
            continue
        try:
            when = date.fromisoformat(pub)
        except (TypeError, ValueError):
            out.append(_check("crossdoc.publish_date_year", "fail", f"publish_date {pub!r} is not an ISO date",
                              [d["doc_id"]]))
            continue
        ok = when.year == year + 1 or (when.year == year and when.month >= LATE_MONTH)
        detail = f"report_year {year}, published {pub}" + ("" if ok else f" (expected in {year + 1})")
        out.append(_check("crossdoc.publish_date_year", "pass" if ok else "fail", detail, [d["doc_id"]]))
    return out


def run_crossdoc(digests: list[dict]) -> dict:
    """All batch-level checks over the digests, with a count per rule and status."""
    checks = _duplicates(digests) + _carry_chain(digests) + _publish_dates(digests)
    summary: dict[str, dict[str, int]] = {}
    for c in checks:
        summary.setdefault(c["rule"], {"pass": 0, "fail": 0, "skipped": 0})[c["status"]] += 1
    return {"n_documents": len(digests), "summary": dict(sorted(summary.items())), "checks": checks}


def write_batch_checks(out_dir: Path, result: dict) -> Path:
    path = Path(out_dir) / BATCH_CHECKS_FILE
    atomic_write_json(path, result)
    return path


def summary_line(result: dict) -> str:
    """One line for the end-of-batch summary: failures per rule, or that all passed."""
    fails = {rule: s["fail"] for rule, s in result["summary"].items() if s["fail"]}
    if not result["checks"]:
        return "batch checks: nothing to compare"
    if not fails:
        return f"batch checks: {len(result['checks'])} run, none failed"
    return "batch checks failed: " + ", ".join(f"{rule.split('.', 1)[1]} ×{n}" for rule, n in fails.items())
