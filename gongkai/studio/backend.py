"""A Label Studio ML backend (``gongkai studio serve``): Label Studio's own integration point.

Label Studio calls a connected backend over HTTP: ``GET /health``, ``POST /setup`` (returns the
model version), ``POST /predict`` (a batch of tasks → one prediction each), ``POST /webhook``
(annotation events and ``START_TRAINING``) and, in older servers, ``POST /train``. The protocol is
small, so this is a stdlib HTTP server of our own rather than the ``label-studio-ml`` package
(whose PyPI release predates Label Studio 1.x's webhook protocol).

Predictions are what ``gongkai studio push`` pre-labels with: ``auto``'s final spans with per-span
scores (``gongkai.studio.push.Labeller``), so the data manager's "Prediction score" column sorts
least confident first. Submitted annotations are kept; after ``min_annotations`` new ones (or on
``START_TRAINING``) a retrain runs in a background thread: a fine-tune of the current model on the
annotated documents mixed with generated reports, written as a new version folder beside the old
one. The new version is used only if it is not worse than the current one on a held-out slice of
the annotated documents (every ``heldout_every``-th by text hash, at least one); the decision goes
to the log and to the new version's model card either way.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gongkai.errors import GongkaiError
from gongkai.studio.convert import Record, gold_report, prediction, record_from_task, text_hash, write_records
from gongkai.studio.push import Labeller, detect_template

LOG = logging.getLogger("gongkai.studio.backend")
ANNOTATION_ACTIONS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED")


@dataclass
class BackendConfig:
    """How the backend predicts and when and how it retrains."""

    model: Path | None  # the model to start from (None: rules only, no retraining)
    versions_dir: Path  # retrained versions are written here, one folder each
    train_config: Path  # fine-tune recipe (training/*.json)
    min_annotations: int = 10  # new annotations that start a retrain
    heldout_every: int = 4  # every k-th annotated document (by text hash) is held out


@dataclass
class Decision:
    """One finished retrain: the version written, its held-out scores and whether it is used."""

    version: str
    path: str
    accepted: bool
    reason: str
    train_docs: int
    heldout_docs: int
    old: dict[str, float | None] = field(default_factory=dict)
    new: dict[str, float | None] = field(default_factory=dict)


class Backend:
    """State shared by the HTTP handler threads: the current labeller, the annotations seen so
    far and the background retrain."""

    def __init__(self, cfg: BackendConfig) -> None:
        self.cfg = cfg
        self._lock = threading.Lock()
        self._labeller = Labeller("auto", cfg.model) if cfg.model else Labeller("rules")
        self._tasks: dict[int, dict[str, Any]] = {}  # task id → task with its latest annotation
        self._new = 0
        self._thread: threading.Thread | None = None
        self.decisions: list[Decision] = []

    # ------------------------------------------------------------------ state
    @property
    def model_version(self) -> str:
        with self._lock:
            return self._labeller.version

    @property
    def model_path(self) -> Path | None:
        with self._lock:
            return self._labeller.model_path

    @property
    def training(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def health(self) -> dict[str, Any]:
        return {"status": "UP", "model_class": "gongkai", "model_version": self.model_version,
                "training": self.training, "annotations": len(self._tasks)}

    # ------------------------------------------------------------------ predict
    def predict(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One prediction per task, in task order (Label Studio matches them by position)."""
        with self._lock:
            labeller = self._labeller
        results = []
        for task in payload.get("tasks") or []:
            data = task.get("data") or {}
            text = data.get("text")
            if not isinstance(text, str) or not text.strip():
                results.append({"result": [], "score": 0.0, "model_version": labeller.version})
                continue
            doc_id = str(data.get("doc_id") or f"task-{task.get('id')}")
            spans = labeller.spans(text, doc_id)
            results.append(prediction(spans, labeller.version, detect_template(text, spans, doc_id)))
        return {"results": results, "model_version": labeller.version}

    # ------------------------------------------------------------------ annotations
    def webhook(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Annotation events are recorded; enough new ones, or START_TRAINING, start a retrain."""
        action = str(payload.get("action") or "")
        if action in ANNOTATION_ACTIONS:
            anns = payload.get("annotation")
            tasks = payload.get("task")
            anns = anns if isinstance(anns, list) else [anns]
            tasks = tasks if isinstance(tasks, list) else [tasks] * len(anns)
            for ann, task in zip(anns, tasks, strict=False):
                self.add_annotation(task, ann)
            started = self._new >= self.cfg.min_annotations and self.start_training()
            return {"status": "ok", "action": action, "training_started": bool(started)}
        if action == "START_TRAINING":
            return {"status": "ok", "action": action, "training_started": self.start_training()}
        return {"status": "ignored", "action": action}

    def train_request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Older servers' ``/train``: every annotated task in one request."""
        for task in payload.get("annotations") or []:
            for ann in task.get("annotations") or []:
                self.add_annotation(task, ann)
        return {"status": "ok", "training_started": self.start_training()}

    def add_annotation(self, task: dict[str, Any] | None, ann: dict[str, Any] | None) -> None:
        if not isinstance(task, dict) or not isinstance(ann, dict) or ann.get("was_cancelled"):
            return
        tid = int(task.get("id") or ann.get("task") or 0)
        with self._lock:
            self._tasks[tid] = {**task, "annotations": [ann]}
            self._new += 1

    def records(self) -> list[Record]:
        with self._lock:
            tasks = list(self._tasks.values())
        out = []
        for t in tasks:
            try:
                rec = record_from_task(t)
            except (ValueError, GongkaiError) as exc:
                LOG.warning("task %s left out of training: %s", t.get("id"), exc)
                continue
            if rec is not None and rec.spans:
                out.append(rec)
        return out

    # ------------------------------------------------------------------ retrain
    def start_training(self) -> bool:
        """Start a background retrain unless one runs or there is nothing to learn from."""
        if self.model_path is None:
            LOG.info("no model to retrain (rules only)")
            return False
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            if not self._tasks:
                return False
            self._new = 0
            self._thread = threading.Thread(target=self._train_safely, name="gongkai-retrain", daemon=True)
            self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running retrain (if any) has finished: for tests and shutdown."""
        t = self._thread
        if t is not None:
            t.join(timeout)

    def _train_safely(self) -> None:
        try:
            self.retrain()
        except Exception:  # a failed retrain must not take the server down
            LOG.exception("retrain failed; the current model stays in use")

    def retrain(self) -> Decision:
        from gongkai.model.config import load_config
        from gongkai.model.data import label_studio_docs
        from gongkai.model.train import train

        base = self.model_path
        assert base is not None
        records = sorted(self.records(), key=lambda r: text_hash(r.text))
        k = max(2, self.cfg.heldout_every)
        held = [r for i, r in enumerate(records) if i % k == 0] if len(records) >= 2 else []
        fit = [r for r in records if r not in held]
        version = _next_version(self.cfg.versions_dir)
        out = self.cfg.versions_dir / version
        work = self.cfg.versions_dir / f".{version}-data"
        write_records(work / "train.jsonl", fit)
        LOG.info("retrain %s: %d annotated documents for training, %d held out, from %s",
                 version, len(fit), len(held), base)
        t0 = time.monotonic()
        cfg = load_config(self.cfg.train_config)
        # annotated documents are few beside the generated ones: repeat them to about a quarter of the data
        repeat = max(1, round(int(cfg.synth["n"]) / (3 * len(fit)))) if fit else 0
        extra = [str(work / "train.jsonl")] * repeat
        heldout = label_studio_docs(_held_file(work, held)) if held else None
        train(cfg, out, base_model=base, extra_data=extra, heldout_docs=heldout,
              command=f"gongkai studio serve (retrain of {base.name})")
        old, new = _score(held, base), _score(held, out)
        if not held:
            accepted, why = False, "fewer than 2 annotated documents: no held-out slice to compare on"
        elif _not_worse(new, old):
            accepted, why = True, f"not worse on {len(held)} held-out documents"
        else:
            accepted, why = False, f"worse on {len(held)} held-out documents"
        d = Decision(version, str(out), accepted, why, len(fit), len(held), old, new)
        _note_in_card(out, d)
        if accepted:
            with self._lock:
                self._labeller = Labeller("auto", out)
        LOG.info("retrain %s %s (%s) in %.0f s: held-out fields %s → %s, claims F1 %s → %s; model in use: %s",
                 version, "ACCEPTED" if accepted else "REJECTED", why, time.monotonic() - t0,
                 old.get("field_accuracy"), new.get("field_accuracy"), old.get("claims_f1"),
                 new.get("claims_f1"), self.model_version)
        self.decisions.append(d)
        return d


def _next_version(root: Path) -> str:
    root.mkdir(parents=True, exist_ok=True)
    n = 1 + max((int(p.name[1:4]) for p in root.glob("v[0-9][0-9][0-9]*") if p.name[1:4].isdigit()), default=0)
    return f"v{n:03d}-{time.strftime('%Y%m%d-%H%M%S')}"


def _held_file(work: Path, held: list[Record]) -> Path:
    path = work / "heldout.jsonl"
    write_records(path, held)
    return path


def _score(held: list[Record], model: Path) -> dict[str, float | None]:
    """``auto``'s scores with ``model`` on the held-out records, against the gold the post-processor
    builds from their human spans."""
    if not held:
        return {}
    from gongkai.pipeline import extract_text
    from gongkai.scoring import CorpusScore, score_pair

    docs = []
    for r in held:
        pred = extract_text(r.text, r.doc_id, method="auto", model_path=model).to_json_dict()
        docs.append(score_pair(gold_report(r), pred, doc_id=r.doc_id))
    m = CorpusScore(docs).metrics()
    return {"field_accuracy": m["field_accuracy"], "claims_f1": m["claims_f1"]}


def _not_worse(new: dict[str, float | None], old: dict[str, float | None]) -> bool:
    return all((new.get(k) or 0.0) >= (old.get(k) or 0.0) - 1e-9 for k in ("field_accuracy", "claims_f1"))


def _note_in_card(out: Path, d: Decision) -> None:
    card = out / "README.md"
    text = card.read_text(encoding="utf-8") if card.exists() else ""
    text += (
        "\n## ML backend decision\n\n"
        f"Trained by `gongkai studio serve` on {d.train_docs} annotated documents (plus generated reports); "
        f"compared with the model in use on {d.heldout_docs} held-out annotated documents: "
        f"{'**used**' if d.accepted else '**not used**'} ({d.reason}).\n\n"
        f"| metric | model in use | this version |\n|---|---|---|\n"
        + "".join(f"| {k} | {d.old.get(k)} | {d.new.get(k)} |\n" for k in ("field_accuracy", "claims_f1"))
    )
    card.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------- HTTP
class _Handler(BaseHTTPRequestHandler):
    backend: Backend  # set on the subclass made by ``make_server``

    def log_message(self, fmt: str, *args: Any) -> None:  # requests go to our logger, not stderr
        LOG.debug("%s %s", self.address_string(), fmt % args)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0].rstrip("/")
        if path in ("/health", ""):
            self._send(HTTPStatus.OK, self.backend.health())
        elif path == "/versions":
            versions = [p.name for p in sorted(self.backend.cfg.versions_dir.glob("v[0-9]*")) if p.is_dir()]
            self._send(HTTPStatus.OK, {"versions": versions, "model_version": self.backend.model_version})
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: GET {path}"})

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?")[0].rstrip("/")
        try:
            n = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(n) or b"{}") if n else {}
            if not isinstance(payload, dict):
                raise ValueError("expected a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(HTTPStatus.BAD_REQUEST, {"error": f"bad request body: {exc}"})
            return
        b = self.backend
        routes = {
            "/setup": lambda p: {"model_version": b.model_version},  # the access token is not kept
            "/predict": b.predict,
            "/webhook": b.webhook,
            "/train": b.train_request,
            "/validate": lambda p: {"status": "ok"},
        }
        if path not in routes:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: POST {path}"})
            return
        try:
            self._send(HTTPStatus.OK, routes[path](payload))
        except (GongkaiError, ValueError, KeyError, TypeError) as exc:
            LOG.warning("%s failed: %s", path, exc)
            self._send(HTTPStatus.BAD_REQUEST, {"error": str(exc)})


def make_server(backend: Backend, host: str = "127.0.0.1", port: int = 9090) -> ThreadingHTTPServer:
    """An HTTP server bound to ``host:port`` serving ``backend`` (call ``serve_forever``)."""
    handler = type("GongkaiBackendHandler", (_Handler,), {"backend": backend})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
