"""``gongkai annotations check``: every store file well-formed, its document unchanged, its spans
inside the text, and the report assembled from its spans scored against the corpus gold."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongkai.annotations.store import Entry, gold_path, load_real
from gongkai.errors import GongkaiError


@dataclass
class EntryCheck:
    """One store file's verdict: problems (hash, spans) and the assembled report's score."""

    entry: Entry
    problems: list[str] = field(default_factory=list)
    metrics: dict | None = None
    misses: list[str] = field(default_factory=list)
    gold: Path | None = None

    @property
    def perfect(self) -> bool:
        return not self.problems and self.metrics is not None and not self.misses


def assembled_report(text: str, spans, doc_id: str, template: str | None) -> dict:
    """The report the spans give, with the annotator's template choice (as ``studio pull``'s gold)."""
    from gongkai.assemble import assemble

    report = assemble(text, spans, doc_id)
    if template is not None:
        report.meta.template = template
    return report.to_json_dict()


def check_entry(entry: Entry, root: Path | None = None, nulls_checked: bool = False) -> EntryCheck:
    from gongkai.scoring import load_json, score_pair

    res = EntryCheck(entry)
    try:
        real = load_real(entry, root)
    except GongkaiError as e:
        res.problems.append(str(e))
        return res
    res.gold = gold_path(entry, root)
    if res.gold is None:
        return res
    try:
        pred = assembled_report(real.text, real.spans, entry.doc_id, entry.template)
    except (GongkaiError, ValueError) as e:
        res.problems.append(f"{entry.path}: assemble failed: {e}")
        return res
    s = score_pair(load_json(res.gold), pred, nulls_checked, doc_id=entry.doc_id)
    res.metrics = s.counts.metrics()
    res.misses = [f"{m.path}: gold {m.gold!r}, assembled {m.pred!r}" for m in s.misses]
    return res
