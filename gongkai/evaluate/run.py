"""Run an evaluation: load gold (+ document text, + gold spans where they exist), run or load each
system's predictions, score them side by side with the all-zero baseline, and write
REPORT_DIR/metrics.json, report.md and report.html."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import ConfigError, GongkaiError, InputError
from gongkai.evaluate.report_parts import run_provenance
from gongkai.scoring import CorpusScore, DocScore, gold_files, load_json, score_pair
from gongkai.settings import model_available
from gongkai.spans import Span, check_spans

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
BASELINE = "all-zero"
MAX_MISSES_PER_DOC = 60


@dataclass
class EvalDoc:
    """One evaluated document: gold annotation, text as read (None if not found), gold spans."""

    doc_id: str
    gold: dict
    text: str | None = None
    gold_spans: list[Span] | None = None
    layout: str = "unknown"
    source: str = ""  # where it came from: a gold folder, or "synth"
    read_error: str | None = None  # why the text is missing (an unreadable document counts all wrong)

    @property
    def organ(self) -> str | None:
        meta = self.gold.get("meta")
        return meta.get("organ") if isinstance(meta, dict) else None


@dataclass
class SystemRun:
    """One system's predictions (report JSON per doc; None = no prediction) and predicted spans."""

    name: str
    preds: dict[str, dict | None]
    spans: dict[str, list[Span]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


# ------------------------------------------------------------------------------------ loading
def default_docs_dir(gold_dir: Path) -> Path:
    """Where a gold folder's documents are: seeds-gold → ../seeds, dev/gold → ../docs, else the gold
    folder itself (``gongkai synth`` output keeps <id>.txt beside <id>.json)."""
    gold_dir = Path(gold_dir)
    if gold_dir.name.endswith("-gold") and (gold_dir.parent / gold_dir.name[: -len("-gold")]).is_dir():
        return gold_dir.parent / gold_dir.name[: -len("-gold")]
    if gold_dir.name == "gold" and (gold_dir.parent / "docs").is_dir():
        return gold_dir.parent / "docs"
    return gold_dir


def find_doc(docs_dir: Path, stem: str) -> Path | None:
    for suf in DOC_SUFFIXES:
        p = Path(docs_dir) / f"{stem}{suf}"
        if p.is_file():
            return p
    return None


def read_text(path: Path) -> str:
    """The text as read, through the project's readers (txt/md/html/docx/pdf)."""
    from gongkai.readers import read_document

    return read_document(path)


def load_spans_file(path: Path, text: str) -> list[Span]:
    """Gold spans (``<id>.spans.json``: a list of span dicts, or ``{"spans": [...]}``), checked
    against the text so that a stale file fails loudly."""
    data = load_json_any(path)
    items = data.get("spans") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(str(path), "expected a list of spans or {'spans': [...]}", stage="evaluate")
    try:
        spans = [Span.from_dict(d) for d in items]
        check_spans(text, spans)
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(str(path), f"bad span: {e}", stage="evaluate") from None
    return spans


def load_json_any(path: Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"invalid JSON at line {e.lineno}: {e.msg}", stage="evaluate") from None


def layout_of(gold: dict, text: str | None) -> str:
    """A generated document says its layout (``_layout`` or ``_synth.layout``); else guess from text."""
    from gongkai.evaluate.metrics import guess_layout

    for v in (
        gold.get("_layout"),
        (gold.get("_synth") or {}).get("layout") if isinstance(gold.get("_synth"), dict) else None,
    ):
        if isinstance(v, str) and v:
            return v
    return guess_layout(text) if text else "unknown"


def load_records(path: Path) -> dict[str, tuple[str, list[Span]]]:
    """Annotated documents as JSON lines ``{doc_id, text, spans}`` (``gongkai studio pull`` writes
    them as records.jsonl from a Label Studio export): doc_id → (text, human spans)."""
    from gongkai.studio.convert import read_records

    return {str(r.doc_id): (r.text, r.spans) for r in read_records(Path(path), stage="evaluate")}


def default_records(gold_dir: Path) -> Path | None:
    """``studio pull`` output: OUT/gold/<id>.json beside OUT/records.jsonl."""
    p = Path(gold_dir).parent / "records.jsonl"
    return p if Path(gold_dir).name == "gold" and p.is_file() else None


def load_eval_docs(
    gold_dir: Path, docs_dir: Path | None = None, records: Path | None = None
) -> list[EvalDoc]:
    """Every gold file of ``gold_dir`` with its document's text and, if present, gold spans (from
    ``<id>.spans.json`` beside the gold, or from annotation ``records``)."""
    gold_dir = Path(gold_dir)
    docs_dir = Path(docs_dir) if docs_dir else default_docs_dir(gold_dir)
    records = records or default_records(gold_dir)
    annotated = load_records(records) if records else {}
    out = []
    for gf in gold_files(gold_dir):
        gold = load_json(gf)
        if gf.stem in annotated:
            text, human = annotated[gf.stem]
            out.append(EvalDoc(gf.stem, gold, text, human, layout_of(gold, text), str(gold_dir)))
            continue
        dp = find_doc(docs_dir, gf.stem)
        text, problem = None, f"no document {gf.stem}.* in {docs_dir}"
        if dp is not None:
            try:
                text, problem = read_text(dp), None
            except InputError as e:
                problem = str(e)
        spans = None
        sp = gold_dir / f"{gf.stem}.spans.json"
        if text is not None and sp.is_file():
            spans = load_spans_file(sp, text)
        out.append(EvalDoc(gf.stem, gold, text, spans, layout_of(gold, text), str(gold_dir), problem))
    return out


def synth_eval_docs(n: int, seed: int, organ_pool: str = "heldout") -> list[EvalDoc]:
    """Generated documents (held-out organs by default) with their gold and gold spans."""
    from gongkai.synth import generate

    docs = []
    for sd in generate(n, seed, organ_pool=organ_pool):
        gold = dict(sd.gold)
        docs.append(EvalDoc(sd.doc_id, gold, sd.text, list(sd.spans), sd.layout or "unknown", "synth"))
    return docs


def restrict_to_fold(docs: Sequence[EvalDoc], split_file: Path, fold: int) -> list[EvalDoc]:
    """Keep the documents in fold ``fold``'s test set (by id, else by their organ's town)."""
    from gongkai.evaluate.splits import load_split

    split = load_split(split_file)
    split.check_fold(fold)
    return [d for d in docs if split.is_test(fold, d.doc_id, d.organ)]


def check_unique(docs: Sequence[EvalDoc]) -> None:
    seen: dict[str, str] = {}
    for d in docs:
        if d.doc_id in seen:
            raise InputError(d.source, f"doc id {d.doc_id!r} also in {seen[d.doc_id]}", stage="evaluate")
        seen[d.doc_id] = d.source


# ------------------------------------------------------------------------------------ systems
def run_method(method: str, docs: Sequence[EvalDoc], model_path: Path | None = None) -> SystemRun:
    """Extract every document with ``gongkai.pipeline.extract_text``; where gold spans exist also
    keep the labeller's spans (rules: the rule labeller; model: the model's; auto: none)."""
    from gongkai.pipeline import extract_text

    run = SystemRun(method, {})
    if (method == "model" or (method == "auto" and model_available(model_path))) and any(
        d.text is not None for d in docs
    ):
        from gongkai.model.infer import load_model

        load_model(model_path)  # loaded once, before the clock: docs/s measures extraction, not loading
    for d in docs:
        if d.text is None:
            run.preds[d.doc_id] = None
            run.errors[d.doc_id] = d.read_error or "document text not found"
            continue
        t0 = time.perf_counter()
        try:
            run.preds[d.doc_id] = extract_text(
                d.text, d.doc_id, method=method, model_path=model_path
            ).to_json_dict()
        except ConfigError:
            raise
        except (GongkaiError, ValueError) as e:
            run.preds[d.doc_id] = None
            run.errors[d.doc_id] = str(e)
            continue
        finally:
            run.seconds += time.perf_counter() - t0  # extraction only, not the span labelling below
        if d.gold_spans is not None and method != "auto":  # auto mixes per section: no single span set
            run.spans[d.doc_id] = predicted_spans(method, d.text, model_path)
    return run


def predicted_spans(method: str, text: str, model_path: Path | None) -> list[Span]:
    if method == "rules":
        from gongkai.rules import label_spans

        return label_spans(text)
    from gongkai.model.infer import predict_spans

    return predict_spans(text, model_path)


def baseline_run(docs: Sequence[EvalDoc]) -> SystemRun:
    from gongkai.evaluate.metrics import all_zero_baseline

    return SystemRun(BASELINE, {d.doc_id: all_zero_baseline(d.doc_id) for d in docs})


def pred_dir_run(pred_dir: Path, docs: Sequence[EvalDoc], name: str | None = None) -> SystemRun:
    """Predictions already on disk: ``pred_dir/<id>.json`` (missing file = no prediction)."""
    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise InputError(str(pred_dir), "prediction directory not found", stage="evaluate")
    run = SystemRun(name or f"pred:{pred_dir.name}", {})
    for d in docs:
        p = pred_dir / f"{d.doc_id}.json"
        run.preds[d.doc_id] = load_json(p) if p.is_file() else None
        if not p.is_file():
            run.errors[d.doc_id] = "prediction file missing"
        sp = pred_dir / f"{d.doc_id}.spans.json"
        if d.gold_spans is not None and d.text is not None and sp.is_file():
            run.spans[d.doc_id] = load_spans_file(sp, d.text)
    return run


# ------------------------------------------------------------------------------------ scoring
def _miss_dict(m, gold_prov: dict) -> dict:
    """A miss for metrics.json; with no offsets of its own it borrows the gold value's position."""
    out = {"path": m.path, "kind": m.kind, "gold": m.gold, "pred": m.pred, "start": m.start, "end": m.end}
    if m.start is None and m.path in gold_prov:
        out["start"], out["end"] = gold_prov[m.path]
    return out


def gold_provenance(doc: EvalDoc) -> dict[str, tuple[int, int]]:
    """Where gold values sit in the text, from the gold spans (assembled like any labeller's)."""
    if doc.gold_spans is None or doc.text is None:
        return {}
    try:
        from gongkai.assemble import assemble

        rep = assemble(doc.text, doc.gold_spans, doc.doc_id)
    except Exception:  # noqa: BLE001 - links are a convenience; never fail the evaluation on them
        return {}
    return {
        k: (p.start, p.end) for k, p in rep.provenance.items() if p.start is not None and p.end is not None
    }


def evaluate_system(
    run: SystemRun, docs: Sequence[EvalDoc], nulls_checked: bool = False
) -> tuple[dict, list[DocScore]]:
    """All metrics of one system over ``docs`` (a dict ready for metrics.json) and its doc scores."""
    from gongkai.evaluate.metrics import check_pass_rates, field_breakdown, layout_errors
    from gongkai.evaluate.seqeval_metrics import confusion, spans_to_iob2, strict_scores

    scores = [score_pair(d.gold, run.preds.get(d.doc_id), nulls_checked, doc_id=d.doc_id) for d in docs]
    cs = CorpusScore(scores)
    gold_tags, pred_tags, skipped = [], [], 0
    for d in docs:
        if d.gold_spans is None or d.text is None or d.doc_id not in run.spans:
            continue
        g, s1 = spans_to_iob2(len(d.text), d.gold_spans)
        p, s2 = spans_to_iob2(len(d.text), run.spans[d.doc_id])
        gold_tags.append(g)
        pred_tags.append(p)
        skipped += s1 + s2
    seq = None
    conf = None
    if gold_tags:
        per = strict_scores(gold_tags, pred_tags)
        seq = {
            "docs": len(gold_tags),
            "overlaps_skipped": skipped,
            "labels": {k: vars(v) for k, v in per.items() if k != "micro avg"},
            "micro": vars(per["micro avg"]) if "micro avg" in per else None,
        }
        labels, matrix = confusion(gold_tags, pred_tags)
        conf = {"labels": labels, "matrix": matrix}
    layouts = {d.doc_id: d.layout for d in docs}
    provs = {d.doc_id: gold_provenance(d) for d in docs if d.gold_spans is not None}
    per_doc = []
    for d, s in zip(docs, scores, strict=True):
        per_doc.append(
            {
                "doc_id": d.doc_id,
                "layout": d.layout,
                "missing_prediction": s.missing_prediction,
                "error": run.errors.get(d.doc_id),
                "metrics": s.counts.metrics(),
                "fields": s.counts.fields,
                "field_errors": s.counts.fields - s.counts.fields_ok,
                "claim_errors": sum(m.kind.startswith("claim_") for m in s.misses),
                "misses": [_miss_dict(m, provs.get(d.doc_id, {})) for m in s.misses[:MAX_MISSES_PER_DOC]],
                "misses_total": len(s.misses),
                "counts": vars(s.counts),  # additive: bootstrap intervals resample documents
            }
        )
    result = {
        "metrics": cs.metrics(),
        "counts": vars(cs.counts),
        **field_breakdown(scores),
        "checks": check_pass_rates(run.preds.values()),
        "layouts": layout_errors(scores, layouts),
        "seqeval": seq,
        "confusion": conf,
        "errors": dict(run.errors),
        "seconds": round(run.seconds, 3),
        "docs": per_doc,
    }
    return result, scores


def evaluate_runs(
    docs: Sequence[EvalDoc], runs: Iterable[SystemRun], nulls_checked: bool = False, info: dict | None = None
) -> dict:
    """metrics.json: every system side by side over the same documents."""
    systems = {}
    for run in runs:
        systems[run.name], _ = evaluate_system(run, docs, nulls_checked)
    return {
        "info": {
            "docs": len(docs),
            "docs_with_text": sum(d.text is not None for d in docs),
            "docs_with_gold_spans": sum(d.gold_spans is not None for d in docs),
            "nulls_checked": nulls_checked,
            **(info or {}),
        },
        "systems": systems,
    }


def write_report(result: dict, docs: Sequence[EvalDoc], out_dir: Path, worst: int = 5) -> dict[str, Path]:
    """REPORT_DIR/metrics.json, report.md and report.html."""
    from gongkai.evaluate.report_html import render_html
    from gongkai.evaluate.report_md import render_markdown

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "metrics": out_dir / "metrics.json",
        "md": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    paths["metrics"].write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths["md"].write_text(render_markdown(result, worst=worst), encoding="utf-8")
    texts = {d.doc_id: d.text for d in docs if d.text is not None}
    paths["html"].write_text(render_html(result, texts, worst=worst), encoding="utf-8")
    return paths


def run_evaluation(
    out_dir: Path,
    gold_dirs: Sequence[Path] = (),
    docs_dirs: Sequence[Path | None] = (),
    pred_dir: Path | None = None,
    methods: Sequence[str] = (),
    synth: tuple[int, int] | None = None,
    split: tuple[Path, int] | None = None,
    model_path: Path | None = None,
    nulls_checked: bool = False,
    records: Path | None = None,
    worst: int = 5,
) -> dict:
    """The whole of ``gongkai evaluate``; returns the metrics dict it wrote."""
    docs: list[EvalDoc] = []
    dirs = list(docs_dirs) + [None] * (len(gold_dirs) - len(docs_dirs))
    for g, dd in zip(gold_dirs, dirs, strict=True):
        docs.extend(load_eval_docs(g, dd, records))
    if synth:
        docs.extend(synth_eval_docs(*synth))
    check_unique(docs)
    info: dict = {"gold_dirs": [str(g) for g in gold_dirs], "synth": list(synth) if synth else None}
    info["run"] = run_provenance(model_path, methods)
    if split:
        docs = restrict_to_fold(docs, *split)
        info["split"] = {"file": str(split[0]), "fold": split[1]}
    if not docs:
        raise InputError(str(out_dir), "no documents to evaluate", stage="evaluate")
    runs = []
    if pred_dir is not None:
        runs.append(pred_dir_run(pred_dir, docs))
    for m in methods:
        runs.append(run_method(m, docs, model_path))
    runs.append(baseline_run(docs))
    result = evaluate_runs(docs, runs, nulls_checked, info)
    write_report(result, docs, out_dir, worst=worst)
    return result


def run_folds(out_dir: Path, split_file: Path, model_path: Path | None = None, **kw) -> dict:
    """Leave-town-out cross-validation: evaluate every fold's held-out towns into REPORT_DIR/fold-K and
    summarise per fold with mean and spread in folds.json / folds.md. ``model_path`` may contain
    ``{fold}`` so that each fold is scored with the model trained without its towns."""
    from gongkai.evaluate.report_md import fmt
    from gongkai.evaluate.splits import load_split

    split = load_split(split_file)
    out_dir = Path(out_dir)
    per_fold = []
    for k in range(split.k):
        mp = Path(str(model_path).format(fold=k)) if model_path else None
        per_fold.append(
            run_evaluation(out_dir / f"fold-{k}", split=(Path(split_file), k), model_path=mp, **kw)
        )
    systems: dict[str, dict] = {}
    for k, res in enumerate(per_fold):
        for name, s in res["systems"].items():
            for metric, v in s["metrics"].items():
                systems.setdefault(name, {}).setdefault(metric, [None] * split.k)[k] = v
    summary: dict = {
        "split": str(split_file),
        "k": split.k,
        "docs": [r["info"]["docs"] for r in per_fold],
        "systems": {},
    }
    for name, metrics in systems.items():
        summary["systems"][name] = {}
        for metric, vals in metrics.items():
            got = [v for v in vals if v is not None]
            mean = sum(got) / len(got) if got else None
            spread = (max(got) - min(got)) if got else None
            summary["systems"][name][metric] = {"per_fold": vals, "mean": mean, "range": spread}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "folds.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    lines = [
        "# Leave-town-out cross-validation",
        "",
        f"Split `{split_file}`, {split.k} folds; documents per fold: {summary['docs']}. "
        "Each fold's report is in fold-K/report.html.",
        "",
        "| system | metric | " + " | ".join(f"fold {k}" for k in range(split.k)) + " | mean | range |",
        "|---" * (split.k + 4) + "|",
    ]
    for name, metrics in summary["systems"].items():
        for metric in (
            "field_accuracy",
            "cell_accuracy",
            "nonzero_cell_recall",
            "meta_accuracy",
            "claims_f1",
        ):
            m = metrics.get(metric)
            if m is None:
                continue
            cells = " | ".join(fmt(v) for v in m["per_fold"])
            lines.append(f"| {name} | {metric} | {cells} | {fmt(m['mean'])} | {fmt(m['range'])} |")
    (out_dir / "folds.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return summary
