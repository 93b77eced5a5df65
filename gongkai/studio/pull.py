"""Pull human annotations back: keep Label Studio's raw export, turn it into training records for
``gongkai train --data`` and into gold schema JSON (the post-processor over the human spans), so
that every annotated document becomes training and evaluation data."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.studio.client import Studio
from gongkai.studio.convert import Record, gold_report, records_from_export, write_records

EXPORT_FILE = "export.json"
RECORDS_FILE = "records.jsonl"
GOLD_DIR = "gold"
PROBLEMS_FILE = "problems.txt"


@dataclass
class PullResult:
    """Where things were written and what was met on the way."""

    out_dir: Path
    tasks: int
    records: list[Record]
    gold_files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # "doc_id (task N) → file name" for colliding doc_ids

    @property
    def records_path(self) -> Path:
        return self.out_dir / RECORDS_FILE


def safe_name(doc_id: str) -> str:
    """A file name for a doc_id: path separators and control characters replaced, never empty."""
    name = re.sub(r'[\\/\x00-\x1f<>:"|?*]', "_", doc_id).strip(". ")
    return name or "_"


def gold_names(records: list[Record]) -> list[str]:
    """One distinct file stem per record: the doc_id, or ``<doc_id>__task<N>`` for every record whose
    doc_id another annotated task shares (the same report pushed as .txt and .pdf), so no gold
    file overwrites another."""
    stems = [safe_name(r.doc_id) for r in records]
    counts = Counter(stems)
    names = []
    for rec, stem in zip(records, stems, strict=True):
        names.append(stem if counts[stem] == 1 else f"{stem}__task{rec.task_id if rec.task_id is not None else 'x'}")
    seen: Counter[str] = Counter()  # tasks without ids, or stems that collide after renaming
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}__{seen[name]}")
    return out


def write_outputs(export: list[dict], out_dir: Path, gold: bool = True) -> PullResult:
    """Write export.json, records.jsonl, gold/<doc_id>.json and problems.txt under ``out_dir``.

    Every annotated task is kept: doc_ids shared by several tasks get distinct gold names
    (``gold_names``), listed in ``renamed``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / EXPORT_FILE).write_text(
        json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    records = records_from_export(export)
    write_records(out_dir / RECORDS_FILE, records)
    result = PullResult(out_dir, len(export), records)
    for rec in records:
        result.problems += rec.problems
    if gold:
        gold_dir = out_dir / GOLD_DIR
        gold_dir.mkdir(exist_ok=True)
        for rec, name in zip(records, gold_names(records), strict=True):
            try:
                report = gold_report(rec)
            except (GongkaiError, ValueError) as exc:
                result.problems.append(f"{rec.doc_id}: no gold report: {exc}")
                continue
            if name != safe_name(rec.doc_id):
                report["doc_id"] = name
                result.renamed.append(f"{rec.doc_id} (task {rec.task_id}) → {name}.json")
            path = gold_dir / f"{name}.json"
            path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            result.gold_files.append(path)
    problems_path = out_dir / PROBLEMS_FILE
    if result.problems:
        problems_path.write_text("\n".join(result.problems) + "\n", encoding="utf-8")
    elif problems_path.exists():
        problems_path.unlink()
    return result


def pull_project(studio: Studio, project: str, out_dir: Path, gold: bool = True) -> PullResult:
    """Export the project with full annotations and predictions and convert it (see ``write_outputs``)."""
    project_id = studio.find_project(project)
    return write_outputs(studio.export(project_id), Path(out_dir), gold=gold)
