"""Run the one-document pipeline over a batch: resumable, in worker processes, never stopped by a
bad document.

``process_document`` is the unit of work for every engine (local workers, Ray): it reads,
extracts, validates and writes one document and returns an outcome dict; it never raises. The
local engine runs every document in a worker process, one at a time per worker (``batch.isolate``):
a document that kills its worker (out of memory, a segfault) or passes a time or memory limit is
recorded as failed before that worker's slot takes the next document, and only it is lost.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from gongkai.batch import resume
from gongkai.batch.crossdoc import digest, run_crossdoc, summary_line, write_batch_checks
from gongkai.batch.discover import DocTask
from gongkai.batch.errors import ErrorRecord, append_error, write_errors
from gongkai.batch.output import (
    TABLES,
    atomic_write_json,
    atomic_write_text,
    failed_row,
    flatten,
    leftover_temp_files,
    long_rows,
    write_datasets,
)
from gongkai.errors import InputError

SUMMARY_FILE = "summary.json"


@dataclass(frozen=True, slots=True)
class BatchConfig:
    """Everything a worker needs; plain data so it pickles to spawned processes and Ray."""

    out_dir: str
    method: str = "auto"
    model_path: str | None = None
    force: bool = False
    max_bytes: int | None = None  # None: the readers' limit ($GONGKAI_MAX_BYTES or 20 MB)
    model_version: str | None = None  # set by run_batch: part of the resume key (batch.resume)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class BatchResult:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    with_failed_checks: dict[str, list[str]] = field(default_factory=dict)  # doc_id -> failing rules
    seconds: float = 0.0
    errors: list[ErrorRecord] = field(default_factory=list)
    crossdoc: dict = field(default_factory=dict)
    dataset: str | None = None

    @property
    def docs_per_s(self) -> float:
        """Documents processed (done or failed) per second of this run; skipped ones cost nothing."""
        n = self.done + self.failed
        return n / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        return (
            f"done {self.done}, skipped {self.skipped}, failed {self.failed} "
            f"in {self.seconds:.1f}s ({self.docs_per_s:.2f} docs/s)"
        )


# ----------------------------------------------------------------------- one document

def report_check(text: str, report, path: str):
    """The detector's verdict as the check ``document.is_report`` (its confidence in the detail);
    a text that is no report raises ``InputError`` at the validate stage instead."""
    from gongkai.detect import detect_report
    from gongkai.schema import Check

    verdict = detect_report(text, report)
    if not verdict.is_report:
        raise InputError(path, verdict.reason, stage="validate")
    return Check(rule="document.is_report", status="pass",
                 detail=f"confidence {verdict.confidence:.2f}; {verdict.reason}")


def replaced_check(text: str):
    """``read.replaced_characters``: where the reader put U+FFFD for bytes it could not decode
    (offsets into the text as read); fails when there are any, so a person looks at them."""
    from gongkai.readers.text import replaced_positions
    from gongkai.schema import Check

    where = replaced_positions(text)
    if not where:
        return Check(rule="read.replaced_characters", status="pass", detail="no undecodable bytes")
    shown = ", ".join(map(str, where[:20])) + (" …" if len(where) > 20 else "")
    return Check(rule="read.replaced_characters", status="fail",
                 detail=f"{len(where)} undecodable byte sequence(s) read as U+FFFD at offsets {shown}")


def ocr_check(info):
    """``read.ocr``: which pages were read by OCR (values from them carry its confidence in their
    provenance) and which scanned pages could not be read; skipped for text without scans."""
    from gongkai.schema import Check

    if info.unread_pages:
        return Check(rule="read.ocr", status="fail",
                     detail=f"scanned pages {info.unread_pages} not read: install the ocr extra (make setup)")
    if not info.ocr_pages:
        return Check(rule="read.ocr", status="skipped", detail="no page needed OCR")
    return Check(rule="read.ocr", status="pass",
                 detail=f"pages {info.ocr_pages} of {info.pages} read by OCR (confidence {info.ocr_confidence}); "
                        "their values' provenance confidence is at most their OCR confidence")


def _read(task: DocTask, max_bytes: int | None):
    """(text as read, ReadInfo: format, pages, which pages were OCR'd and how confidently)."""
    from gongkai.readers import max_bytes as reader_limit
    from gongkai.readers import read_document_info

    limit = max_bytes if max_bytes is not None else reader_limit()
    try:
        size = os.stat(task.path).st_size
    except FileNotFoundError as exc:
        raise InputError(task.path, "file not found (removed since it was found, or a link to nothing)") from exc
    except OSError as exc:  # removed or unreadable since it was found
        raise InputError(task.path, f"cannot open file ({exc.strerror or exc})") from exc
    if size > limit:  # checked here too, so no engine ever loads a huge file
        raise InputError(task.path, f"file too large ({size} bytes; limit {limit}, set GONGKAI_MAX_BYTES)")
    return read_document_info(Path(task.path))


def process_document(task: DocTask | dict, cfg: BatchConfig | dict) -> dict:
    """Read, extract, validate and write one document. Returns an outcome dict with
    ``status`` ``done`` or ``failed`` (and the error record), its flattened row and its
    cross-document digest; never raises, so one bad file cannot stop a batch."""
    task = DocTask.from_dict(task) if isinstance(task, dict) else task
    cfg = BatchConfig(**cfg) if isinstance(cfg, dict) else cfg
    t0 = time.perf_counter()
    out = Path(cfg.out_dir)
    stage = "read"
    try:
        source = resume.fingerprint(task.path)  # before reading: an edit in between redoes it next time
        text, info = _read(task, cfg.max_bytes)
        stage = "extract"
        from gongkai.pipeline import extract_text

        model_path = Path(cfg.model_path) if cfg.model_path else None
        report = extract_text(text, task.doc_id, method=cfg.method, model_path=model_path)
        stage = "validate"
        report.checks.append(report_check(text, report, task.path))
        report.checks.append(replaced_check(text))
        report.checks.append(ocr_check(info))
        data = report.to_json_dict()
        for path, conf in info.ocr_provenance(data).items():  # a value read through OCR is no surer than it
            prov = data["provenance"][path]
            prov["confidence"] = round(min(prov["confidence"], conf), 4)
        stage = "write"
        # The text and what it was made from first: the JSON is the 'done' marker resuming looks for.
        atomic_write_text(out / f"{task.doc_id}.txt", text)
        resume.write_state(out, task.doc_id, source, cfg.method, cfg.model_version)
        atomic_write_json(out / f"{task.doc_id}.json", data)
        return _outcome(task, "done", time.perf_counter() - t0, data, text)
    except Exception as exc:  # noqa: BLE001 - recorded, never swallowed silently
        rec = ErrorRecord.from_exception(exc, task.path, task.doc_id, stage)
        for stale in (out / f"{task.doc_id}.json", out / f"{task.doc_id}.txt"):
            # outputs of an earlier run (under --force) must not outlive a failed redo
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass
        resume.clear_state(out, task.doc_id)
        return {
            "doc_id": task.doc_id,
            "file": task.path,
            "status": "failed",
            "seconds": time.perf_counter() - t0,
            "error": rec.to_dict(),
        }


def _outcome(task: DocTask, status: str, seconds: float, data: dict, text: str) -> dict:
    """What the batch keeps of an extracted (or resumed) document: its wide and long table rows,
    its cross-document digest and its failing checks."""
    return {"doc_id": task.doc_id, "file": task.path, "status": status, "seconds": seconds,
            "row": flatten(data, task.path), "long": long_rows(data, task.path),
            "digest": digest(data, text), "failed_checks": failed_check_rules(data)}


def failed_check_rules(data: dict) -> list[str]:
    return [c["rule"] for c in data.get("checks", []) if c["status"] == "fail"]


def existing_outcome(task: DocTask, out_dir: Path, cfg: BatchConfig | None = None) -> dict | None:
    """The outcome of an earlier run if both its outputs are there and readable and (given
    ``cfg``) were made from this input with this method and model (``batch.resume``), else None."""
    j, t = out_dir / f"{task.doc_id}.json", out_dir / f"{task.doc_id}.txt"
    if not (j.is_file() and t.is_file()):
        return None
    if cfg is not None and not resume.is_current(out_dir, task.doc_id, task.path, cfg.method, cfg.model_version):
        return None
    try:
        data = json.loads(j.read_text(encoding="utf-8"))
        text = t.read_text(encoding="utf-8")
        return _outcome(task, "skipped", 0.0, data, text)
    except (OSError, ValueError):  # unreadable or not a valid report: do it again
        return None


# ----------------------------------------------------------------------- engines

def uses_model(method: str, model_path: str | None) -> bool:
    from gongkai.settings import model_available

    return method == "model" or (method == "auto" and model_available(Path(model_path) if model_path else None))


def warm_up(cfg: BatchConfig | dict) -> None:
    """Load the model once per worker (``gongkai.model.infer`` caches it per path) so that the
    first real document does not pay for it; a failure here shows up on the real documents."""
    cfg = BatchConfig(**cfg) if isinstance(cfg, dict) else cfg
    if not uses_model(cfg.method, cfg.model_path):
        return
    try:
        from gongkai.model.infer import load_model

        load_model(cfg.model_path)
    except Exception:  # noqa: BLE001
        pass


def init_worker(cfg: BatchConfig | dict, workers: int) -> None:
    """Pool worker start-up: share the CPUs between the workers (the forward pass would otherwise
    start one thread per core in every worker and oversubscribe them) unless $GONGKAI_TORCH_THREADS
    says otherwise, then load the model. Sets the variable rather than importing torch: the ONNX
    path never imports it."""
    cfg = BatchConfig(**cfg) if isinstance(cfg, dict) else cfg
    if uses_model(cfg.method, cfg.model_path) and not os.environ.get("GONGKAI_TORCH_THREADS"):
        os.environ["GONGKAI_TORCH_THREADS"] = str(max(1, (os.cpu_count() or 1) // max(1, workers)))
    warm_up(cfg)


def _mp_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def failed_outcome(task: DocTask, reason: str) -> dict:
    """The outcome of a document whose worker died under it or was stopped by a limit."""
    rec = ErrorRecord(task.path, task.doc_id, "worker", "WorkerError", reason)
    return {"doc_id": task.doc_id, "file": task.path, "status": "failed", "seconds": 0.0, "error": rec.to_dict()}


def crashed(task: DocTask, exc: BaseException) -> dict:
    """The outcome of a document whose worker died under it (an engine's exception says how)."""
    return failed_outcome(task, f"the worker process died while extracting this document ({exc})")


def run_local(tasks: list[DocTask], cfg: BatchConfig, workers: int,
              work: Callable[[DocTask, BatchConfig], dict] = process_document) -> Iterator[dict]:
    """Every document in a worker process, even with one worker (see ``batch.isolate``): a
    document that kills its worker, or runs past a limit, loses only itself."""
    from gongkai.batch.isolate import run_isolated

    yield from run_isolated(tasks, cfg, max(1, min(workers, len(tasks))), work, failed_outcome,
                            init=init_worker, ctx=_mp_context())


# ----------------------------------------------------------------------- the batch

def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not (enabled and sys.stderr.isatty()),
                dynamic_ncols=True)


def run_batch(
    tasks: list[DocTask],
    cfg: BatchConfig,
    workers: int = 1,
    engine: str = "local",
    dataset_format: str = "json",
    progress: bool = True,
    on_outcome: Callable[[dict], None] | None = None,
    work: Callable[[DocTask, BatchConfig], dict] = process_document,
) -> BatchResult:
    """Extract ``tasks`` into ``cfg.out_dir``: skip what is done (unless ``force``), run the
    rest, record failures in errors.jsonl as they happen, then write the dataset, the
    cross-document checks and summary.json. ``work`` wraps the unit of work (the benchmark
    uses it to measure memory inside the workers; local engine only)."""
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if cfg.model_version is None and uses_model(cfg.method, cfg.model_path):
        cfg = replace(cfg, model_version=resume.model_version(cfg.model_path))
    result = BatchResult()
    outcomes: list[dict] = []
    todo: list[DocTask] = []
    for t in tasks:
        prev = None if cfg.force else existing_outcome(t, out, cfg)
        if prev is None:
            todo.append(t)
        else:
            outcomes.append(prev)
            result.skipped += 1
            if prev["failed_checks"]:
                result.with_failed_checks[t.doc_id] = prev["failed_checks"]
    for tmp in leftover_temp_files(out) + leftover_temp_files(out / resume.STATE_DIR):  # of a killed run
        tmp.unlink(missing_ok=True)
    write_errors(out, [])  # this run's failures only: appended one by one, sorted at the end
    t0 = time.perf_counter()
    if engine == "ray":
        from gongkai.batch.ray_backend import run_ray

        stream = run_ray(todo, cfg, workers)
    elif engine == "local":
        stream = run_local(todo, cfg, workers, work)
    else:
        raise ValueError(f"unknown engine {engine!r}; choose local or ray")
    try:
        with _progress(len(todo), progress) as bar:
            for oc in stream:
                if dataset_format == "json":
                    oc.pop("row", None)  # only datasets need the rows: keep memory flat
                    oc.pop("long", None)
                outcomes.append(oc)
                if oc["status"] == "done":
                    result.done += 1
                    if oc.get("failed_checks"):
                        result.with_failed_checks[oc["doc_id"]] = oc["failed_checks"]
                else:
                    result.failed += 1
                    rec = ErrorRecord(**oc["error"])
                    result.errors.append(rec)
                    append_error(out, rec)  # on disk before anything else happens
                if on_outcome:
                    on_outcome(oc)
                bar.update(1)
    finally:
        # On Ctrl-C (or any error here) stop the engine now: a suspended generator would keep its
        # pool running until interpreter exit, which then waits for the whole batch.
        stream.close()
        write_errors(out, result.errors)
    result.seconds = time.perf_counter() - t0
    ok = sorted((o for o in outcomes if o["status"] != "failed"), key=lambda o: o["doc_id"])
    if dataset_format != "json":
        result.dataset = str(write_datasets(dataset_tables(outcomes), out, dataset_format)[0])
    result.crossdoc = run_crossdoc([o["digest"] for o in ok if "digest" in o])
    write_batch_checks(out, result.crossdoc)
    atomic_write_json(out / SUMMARY_FILE, {
        "done": result.done, "skipped": result.skipped, "failed": result.failed,
        "seconds": round(result.seconds, 3), "docs_per_s": round(result.docs_per_s, 3),
        "method": cfg.method, "engine": engine, "workers": workers,
        "documents_with_failing_checks": len(result.with_failed_checks),
        "batch_checks": result.crossdoc["summary"],
    })
    return result


def dataset_tables(outcomes: list[dict]) -> dict[str, list[dict]]:
    """The research tables of a batch: every document in ``reports`` (a failed one with its
    error), the claims and checks of the extracted ones in the long tables."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for o in sorted(outcomes, key=lambda o: o["doc_id"]):
        if o["status"] == "failed":
            err = o["error"]
            tables["reports"].append(failed_row(o["doc_id"], o["file"], f"{err['stage']}: {err['message']}"))
        else:
            tables["reports"].append(o["row"])
            for name, rows in o.get("long", {}).items():
                tables[name].extend(rows)
    return tables


def report_lines(result: BatchResult) -> list[str]:
    """The end-of-batch summary printed by ``gongkai extract``."""
    lines = [result.summary()]
    if result.failed:
        lines.append(f"failures recorded in errors.jsonl ({result.failed}):")
        for rec in result.errors[:10]:
            lines.append(f"  {rec.file} [{rec.stage}] {rec.error}: {rec.message[:160]}")
        if result.failed > 10:
            lines.append(f"  … and {result.failed - 10} more")
    if result.with_failed_checks:
        n = len(result.with_failed_checks)
        rules: dict[str, int] = {}
        for failed in result.with_failed_checks.values():
            for rule in failed:
                rules[rule] = rules.get(rule, 0) + 1
        common = ", ".join(f"{r} ×{k}" for r, k in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        lines.append(f"{n} of {result.done + result.skipped} extracted documents have failing checks "
                     f"(look at them before using their values): {common}")
    else:
        lines.append(f"no failing checks in the {result.done + result.skipped} extracted documents")
    lines.append(summary_line(result.crossdoc))
    return lines
