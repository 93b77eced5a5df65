"""Score predicted reports against partial gold annotations (SCHEMA.md "Gold annotations").

Gold rules, in one place so that every number we report means the same thing:

- A gold key that is missing or ``null`` is not scored; keys starting with ``_`` are comments.
  (Option ``nulls_checked=True`` instead scores a ``null`` in ``meta`` and ``amount_unit`` as a checked
  value, as the seeds' gold README describes; the default follows SCHEMA.md.)
- A present key is scored exactly: numbers equal (``0 == 0.0``), strings equal after trimming white space.
- ``sections`` score on being found (non-null) or not — a gold ``null`` section is checked absent — and,
  separately, on title equality.
- ``claims``: predictions are filtered to ``active_disclosure_count`` and ``request_count`` and matched
  one-to-one (maximum bipartite matching) on type, value, scope and breakdown. A gold claim that leaves
  out ``scope`` (or gives it as null) or leaves out ``breakdown`` does not compare that attribute; a gold
  ``breakdown: null`` means "the overall figure" and requires a null prediction.
- A missing prediction (``pred=None``) makes every scored field of the document wrong.

Metrics (micro-averaged: every scored field of every document counts once):
field accuracy (meta + table cells + amount_unit + section found), cell accuracy (table cells),
non-zero cell recall (gold cells != 0 predicted exactly), non-zero cell precision (predicted cells != 0 at
scored gold paths that equal the gold), meta / section / title accuracy, claims P/R/F1 (0/0 = 1.0 when
gold and prediction are both empty, else 0).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gongkai.errors import InputError

TABLES = ("active_disclosure", "requests", "review_litigation")
META_FIELDS = ("organ", "report_year", "publish_date", "template")
SCORED_CLAIM_TYPES = ("active_disclosure_count", "request_count")
UNIT_KEY = "amount_unit"

# kinds of scored scalar fields
META, CELL, UNIT, SECTION = "meta", "cell", "amount_unit", "section"


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def values_equal(gold: Any, pred: Any) -> bool:
    """Exact comparison per the gold rules: numbers by value, strings after trimming."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if _is_number(gold) and _is_number(pred):
        return math.isclose(gold, pred, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(gold, str) and isinstance(pred, str):
        return gold.strip() == pred.strip()
    if isinstance(gold, bool) or isinstance(pred, bool):
        return type(gold) is type(pred) and gold == pred
    return False


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _items(d: Any) -> Iterator[tuple[str, Any]]:
    """Items of a gold mapping without comment keys."""
    if isinstance(d, dict):
        for k, v in d.items():
            if not str(k).startswith("_"):
                yield k, v


@dataclass(frozen=True, slots=True)
class FieldResult:
    """One scored scalar: ``path`` is dotted (``requests.granted.total``, ``meta.organ``,
    ``sections.overview`` for found-or-not)."""

    path: str
    kind: str
    gold: Any
    pred: Any
    correct: bool


@dataclass(frozen=True, slots=True)
class Miss:
    """A scoring error, with where to find it in the text as read (gold offsets first, else the
    prediction's provenance/section/claim offsets), so a report can link to it."""

    path: str
    gold: Any
    pred: Any
    kind: str
    start: int | None = None
    end: int | None = None


@dataclass
class ClaimScore:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)  # gold indices
    spurious: list[int] = field(default_factory=list)  # indices into the filtered predictions


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """Additive counts behind every metric, so documents can be micro-averaged."""

    fields: int = 0
    fields_ok: int = 0
    cells: int = 0
    cells_ok: int = 0
    nonzero_gold: int = 0
    nonzero_gold_ok: int = 0
    nonzero_pred: int = 0  # predicted non-zero cells at scored paths
    nonzero_pred_ok: int = 0
    meta: int = 0
    meta_ok: int = 0
    sections: int = 0
    sections_ok: int = 0
    titles: int = 0
    titles_ok: int = 0
    claims_gold: int = 0
    claims_pred: int = 0
    claims_matched: int = 0
    claim_docs: int = 0  # documents whose gold lists claims

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{k: getattr(self, k) + getattr(other, k) for k in asdict(self)})

    def metrics(self) -> dict[str, float | None]:
        p = r = None
        if self.claim_docs:  # 0/0 is 1.0 when both are empty (checked "none", predicted none), else 0.0
            empty = self.claims_pred == 0 and self.claims_gold == 0
            p = _ratio(self.claims_matched, self.claims_pred) or (1.0 if empty else 0.0)
            r = _ratio(self.claims_matched, self.claims_gold) or (1.0 if empty else 0.0)
        return {
            "field_accuracy": _ratio(self.fields_ok, self.fields),
            "cell_accuracy": _ratio(self.cells_ok, self.cells),
            "nonzero_cell_recall": _ratio(self.nonzero_gold_ok, self.nonzero_gold),
            "nonzero_cell_precision": _ratio(self.nonzero_pred_ok, self.nonzero_pred),
            "meta_accuracy": _ratio(self.meta_ok, self.meta),
            "section_accuracy": _ratio(self.sections_ok, self.sections),
            "title_accuracy": _ratio(self.titles_ok, self.titles),
            "claims_precision": p,
            "claims_recall": r,
            "claims_f1": _f1(p, r),
        }


@dataclass
class DocScore:
    """The score of one document: every scored field, claim matching, and the misses."""

    doc_id: str
    fields: list[FieldResult]
    titles: list[FieldResult]
    claims: ClaimScore | None
    misses: list[Miss]
    counts: Counts
    missing_prediction: bool = False

    @property
    def field_accuracy(self) -> float | None:
        return self.counts.metrics()["field_accuracy"]

    @property
    def cell_accuracy(self) -> float | None:
        return self.counts.metrics()["cell_accuracy"]

    @property
    def nonzero_cell_recall(self) -> float | None:
        return self.counts.metrics()["nonzero_cell_recall"]

    @property
    def meta_accuracy(self) -> float | None:
        return self.counts.metrics()["meta_accuracy"]

    @property
    def section_accuracy(self) -> float | None:
        return self.counts.metrics()["section_accuracy"]

    @property
    def title_accuracy(self) -> float | None:
        return self.counts.metrics()["title_accuracy"]

    @property
    def claims_precision(self) -> float | None:
        return self.counts.metrics()["claims_precision"]

    @property
    def claims_recall(self) -> float | None:
        return self.counts.metrics()["claims_recall"]

    @property
    def claims_f1(self) -> float | None:
        return self.counts.metrics()["claims_f1"]

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "missing_prediction": self.missing_prediction,
            "metrics": self.counts.metrics(),
            "counts": asdict(self.counts),
            "misses": [asdict(m) for m in self.misses],
        }


@dataclass
class CorpusScore:
    """Micro-averaged scores over documents (every scored field counts once)."""

    docs: list[DocScore]

    @property
    def counts(self) -> Counts:
        total = Counts()
        for d in self.docs:
            total = total + d.counts
        return total

    def metrics(self) -> dict[str, float | None]:
        return self.counts.metrics()

    @property
    def missing_predictions(self) -> list[str]:
        return [d.doc_id for d in self.docs if d.missing_prediction]

    def to_dict(self) -> dict:
        return {
            "metrics": self.metrics(),
            "counts": asdict(self.counts),
            "missing_predictions": self.missing_predictions,
            "docs": [d.to_dict() for d in self.docs],
        }


# ------------------------------------------------------------------------------------ fields
def _pred_offsets(pred: dict | None, path: str) -> tuple[int | None, int | None]:
    prov = _get(pred, "provenance", path) if pred else None
    if isinstance(prov, dict):
        return prov.get("start"), prov.get("end")
    return None, None


def _gold_fields(gold: dict, nulls_checked: bool) -> Iterator[tuple[str, str, Any]]:
    """(path, kind, gold value) of every scored scalar in ``gold``."""
    for k, v in _items(gold.get("meta")):
        if v is not None or nulls_checked:
            yield f"meta.{k}", META, v
    for table in TABLES:
        for row, cols in _items(gold.get(table)):
            for col, v in _items(cols):
                if col == UNIT_KEY:
                    if v is not None or nulls_checked:
                        yield f"{table}.{row}.{col}", UNIT, v
                elif v is not None:
                    yield f"{table}.{row}.{col}", CELL, v
    sections = gold.get("sections")
    if isinstance(sections, dict):
        for name, sec in _items(sections):
            yield f"sections.{name}", SECTION, sec is not None


def _pred_value(pred: dict | None, path: str, kind: str) -> Any:
    if pred is None:
        return None
    parts = path.split(".")
    if kind == SECTION:
        return _get(pred, *parts) is not None
    return _get(pred, *parts)


def _score_fields(gold: dict, pred: dict | None, nulls_checked: bool) -> list[FieldResult]:
    out = []
    for path, kind, g in _gold_fields(gold, nulls_checked):
        p = _pred_value(pred, path, kind)
        ok = pred is not None and (g == p if kind == SECTION else values_equal(g, p))
        out.append(FieldResult(path, kind, g, p, ok))
    return out


def _score_titles(gold: dict, pred: dict | None) -> list[FieldResult]:
    out = []
    for name, sec in _items(gold.get("sections")):
        if isinstance(sec, dict) and isinstance(sec.get("title"), str):
            p = _get(pred, "sections", name, "title")
            ok = pred is not None and isinstance(p, str) and p.strip() == sec["title"].strip()
            out.append(FieldResult(f"sections.{name}.title", "title", sec["title"], p, ok))
    return out


# ------------------------------------------------------------------------------------ claims
def _norm_breakdown(b: Any) -> str | None:
    if b is None:
        return None
    s = str(b).strip()
    return s or None


def claim_compatible(gold: dict, pred: dict) -> bool:
    """Whether ``pred`` may be matched to ``gold``: type and value always; scope unless gold leaves
    it out or null; breakdown unless gold leaves the key out."""
    if gold.get("type") != pred.get("type"):
        return False
    gv, pv = gold.get("value"), pred.get("value")
    if not (_is_number(gv) and _is_number(pv) and values_equal(gv, pv)):
        return False
    if gold.get("scope") is not None and gold.get("scope") != pred.get("scope"):
        return False
    if "breakdown" in gold and _norm_breakdown(gold["breakdown"]) != _norm_breakdown(pred.get("breakdown")):
        return False
    return True


def match_claims(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths) of gold to predicted claims.
    Greedy matching can lose pairs when one gold claim leaves scope or breakdown out."""
    edges = [[j for j, p in enumerate(pred) if claim_compatible(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def scored_claims(claims: Iterable[Any]) -> list[dict]:
    return [c for c in claims or () if isinstance(c, dict) and c.get("type") in SCORED_CLAIM_TYPES]


def _score_claims(gold: dict, pred: dict | None) -> ClaimScore | None:
    if not isinstance(gold.get("claims"), list):
        return None
    g = scored_claims(gold["claims"])
    p = scored_claims((pred or {}).get("claims") or [])
    pairs = match_claims(g, p)
    gi = {i for i, _ in pairs}
    pj = {j for _, j in pairs}
    return ClaimScore(
        gold=len(g),
        pred=len(p),
        matched=len(pairs),
        pairs=pairs,
        missed=[i for i in range(len(g)) if i not in gi],
        spurious=[j for j in range(len(p)) if j not in pj],
    )


# ------------------------------------------------------------------------------------ documents
def score_pair(
    gold: dict, pred: dict | None, nulls_checked: bool = False, doc_id: str | None = None
) -> DocScore:
    """Score one prediction against one gold annotation. ``pred=None`` means no prediction."""
    doc_id = doc_id or str(gold.get("doc_id") or (pred or {}).get("doc_id") or "")
    fields = _score_fields(gold, pred, nulls_checked)
    titles = _score_titles(gold, pred)
    claims = _score_claims(gold, pred)
    c = Counts()
    misses: list[Miss] = []
    for f in fields:
        c.fields += 1
        c.fields_ok += f.correct
        if f.kind == CELL:
            c.cells += 1
            c.cells_ok += f.correct
            if _is_number(f.gold) and f.gold != 0:
                c.nonzero_gold += 1
                c.nonzero_gold_ok += f.correct
            if _is_number(f.pred) and f.pred != 0:
                c.nonzero_pred += 1
                c.nonzero_pred_ok += f.correct
        elif f.kind == META:
            c.meta += 1
            c.meta_ok += f.correct
        elif f.kind == SECTION:
            c.sections += 1
            c.sections_ok += f.correct
        if not f.correct:
            start, end = _field_offsets(gold, pred, f)
            misses.append(Miss(f.path, f.gold, f.pred, f.kind, start, end))
    for t in titles:
        c.titles += 1
        c.titles_ok += t.correct
        if not t.correct:
            start, end = _field_offsets(gold, pred, t)
            misses.append(Miss(t.path, t.gold, t.pred, "title", start, end))
    if claims is not None:
        c.claim_docs = 1
        c.claims_gold, c.claims_pred, c.claims_matched = claims.gold, claims.pred, claims.matched
        g = scored_claims(gold["claims"])
        p = scored_claims((pred or {}).get("claims") or [])
        for i in claims.missed:
            misses.append(
                Miss(f"claims[{i}]", g[i], None, "claim_missed", g[i].get("start"), g[i].get("end"))
            )
        for j in claims.spurious:
            misses.append(
                Miss(f"pred_claims[{j}]", None, p[j], "claim_spurious", p[j].get("start"), p[j].get("end"))
            )
    return DocScore(doc_id, fields, titles, claims, misses, c, missing_prediction=pred is None)


def _field_offsets(gold: dict, pred: dict | None, f: FieldResult) -> tuple[int | None, int | None]:
    """Where a miss sits in the text: a section's gold start, else the prediction's provenance."""
    if f.path.startswith("sections."):
        name = f.path.split(".")[1]
        gs = _get(gold, "sections", name)
        ps = _get(pred, "sections", name)
        if isinstance(gs, dict) and isinstance(gs.get("start"), int):
            return gs["start"], gs["start"] + len(str(gs.get("title", "")))
        if isinstance(ps, dict) and isinstance(ps.get("start"), int):  # the printed heading, not the section
            return ps["start"], ps["start"] + len(str(ps.get("title", "")))
        return None, None
    return _pred_offsets(pred, f.path)


def load_json(path: Path) -> dict:
    """Read a gold or prediction file; a clear InputError names the file and the problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(str(path), "file not found", stage="score") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not UTF-8 ({e.reason})", stage="score") from None
    except json.JSONDecodeError as e:
        raise InputError(
            str(path), f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}", stage="score"
        ) from None
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a JSON object at the top level", stage="score")
    return data


def gold_files(gold_dir: Path) -> list[Path]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(str(gold_dir), "gold directory not found", stage="score")
    files = sorted(p for p in gold_dir.glob("*.json") if not p.name.endswith(".spans.json"))
    if not files:
        raise InputError(str(gold_dir), "no gold *.json files", stage="score")
    return files


def score_dirs(
    gold_dir: Path, pred_dir: Path, nulls_checked: bool = False, only: Iterable[str] | None = None
) -> CorpusScore:
    """Score ``pred_dir/<stem>.json`` against every ``gold_dir/<stem>.json`` (``only``: restrict to these
    stems). A missing prediction counts every field of that document wrong."""
    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise InputError(str(pred_dir), "prediction directory not found", stage="score")
    keep = set(only) if only is not None else None
    docs = []
    for gf in gold_files(gold_dir):
        if keep is not None and gf.stem not in keep:
            continue
        gold = load_json(gf)
        pf = pred_dir / gf.name
        pred = load_json(pf) if pf.is_file() else None
        docs.append(score_pair(gold, pred, nulls_checked=nulls_checked, doc_id=gf.stem))
    return CorpusScore(docs)
