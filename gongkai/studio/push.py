"""Push documents to Label Studio as tasks pre-labelled with our spans.

A task's ``data.text`` is exactly the text as read (CRLF and all) so that region offsets are
our span offsets; ``data.doc_id`` and ``data.sha256`` identify it, and pushing the same document
again (same doc_id and hash) adds nothing. Predictions are the spans behind what ``gongkai
extract`` would write: with ``auto`` and a model, the model's spans with the rules' swapped in
wherever ``auto`` takes the rules (``gongkai.model.fallback.combine_spans``), so the annotator
corrects the tool's real output rather than the raw model's; without a model, the rules' spans.
Each span keeps its score, and the prediction's overall score (their mean) orders
``gongkai studio queue`` and Label Studio's data manager (column "Prediction score").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import __version__
from gongkai.errors import ConfigError, GongkaiError, InputError
from gongkai.settings import default_model_dir, model_available
from gongkai.spans import Span, check_spans
from gongkai.studio.client import Studio
from gongkai.studio.config import labeling_config
from gongkai.studio.convert import prediction, text_hash

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
METHODS = ("auto", "rules", "model")


@dataclass
class PushResult:
    """What a push did, for the command's summary and for tests."""

    project_id: int
    created_project: bool
    imported: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, plus supported documents inside directories named (sorted); InputError if absent."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOC_SUFFIXES)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(str(p), "no such file or directory")
    return out


def read_text(path: Path) -> str:
    """The document's text as read, by ``gongkai.readers`` (plain UTF-8 for .txt/.md until it lands)."""
    try:
        from gongkai.readers import read_document
    except ImportError:
        if path.suffix.lower() not in (".txt", ".md"):
            raise InputError(
                str(path), f"cannot read {path.suffix} files: gongkai.readers is not installed"
            ) from None
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc.strerror}") from None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    return read_document(path)


def model_version_of(model_path: Path) -> str:
    """Model name plus a short hash of its weights, so predictions say exactly which model made them."""
    h = hashlib.sha256()
    with (model_path / "model.safetensors").open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return f"model:{model_path.name}:{h.hexdigest()[:12]}"


class Labeller:
    """Spans for pre-labelling: ``auto``'s final spans when a model is available, the raw model's
    with ``--method model``, else the rules'."""

    def __init__(self, method: str = "auto", model_path: Path | None = None) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
        path = Path(model_path) if model_path else default_model_dir()
        use_model = method == "model" or (method == "auto" and model_available(path))
        if use_model and not model_available(path):
            raise ConfigError(
                f"{path}: no model here (need config.json and model.safetensors) for --method model"
            )
        self.method = method
        self.model_path = path if use_model else None
        if not use_model:
            self.version = f"rules:gongkai-{__version__}"
        else:
            self.version = model_version_of(path) + (":auto" if method == "auto" else "")

    def spans(self, text: str, doc_id: str = "doc") -> list[Span]:
        if self.model_path is not None:
            from gongkai.model.infer import predict_spans

            spans = predict_spans(text, self.model_path)
            if self.method == "auto":
                from gongkai.model.fallback import combine_spans
                from gongkai.rules import label_spans

                spans, _plan = combine_spans(text, doc_id, spans, label_spans(text))
        else:
            from gongkai.rules import label_spans

            spans = label_spans(text)
        check_spans(text, spans)
        return spans


def make_task(
    text: str, doc_id: str, spans: Sequence[Span], model_version: str, template: str | None = None
) -> dict[str, Any]:
    """The import record of one document: data the annotator sees plus our prediction."""
    return {
        "data": {"text": text, "doc_id": doc_id, "sha256": text_hash(text)},
        "predictions": [prediction(list(spans), model_version, template)],
    }


def detect_template(text: str, spans: Sequence[Span], doc_id: str) -> str | None:
    """The template version the post-processor reads from the predicted spans (pre-fills the
    annotator's choice); None when it cannot tell."""
    from gongkai.assemble import assemble

    try:
        return assemble(text, list(spans), doc_id).meta.template
    except (GongkaiError, ValueError):
        return None


def existing_keys(studio: Studio, project_id: int) -> set[tuple[str, str]]:
    """(doc_id, sha256) of every task already in the project."""
    keys = set()
    for t in studio.list_tasks(project_id):
        data = t.get("data") or {}
        if "doc_id" in data and "sha256" in data:
            keys.add((str(data["doc_id"]), str(data["sha256"])))
    return keys


def push_documents(
    studio: Studio,
    project: str,
    inputs: Iterable[str | Path],
    method: str = "auto",
    model_path: Path | None = None,
    batch_size: int = 20,
) -> PushResult:
    """Create the project if needed and import every new document as a pre-labelled task.

    Unreadable documents are recorded in ``failed`` (path: problem) and the rest go on.
    """
    paths = expand_inputs(inputs)
    labeller = Labeller(method, model_path)
    project_id, created = studio.ensure_project(project, labeling_config())
    result = PushResult(project_id, created)
    seen = set() if created else existing_keys(studio, project_id)
    batch: list[dict[str, Any]] = []
    batch_ids: list[str] = []

    def flush() -> None:
        if batch:
            result.task_ids += studio.import_tasks(project_id, batch)
            result.imported += batch_ids
            batch.clear()
            batch_ids.clear()

    for path in paths:
        try:
            text = read_text(path)
            if not text.strip():
                raise InputError(str(path), "empty document (no text)")
        except InputError as exc:
            result.failed.append(str(exc))
            continue
        doc_id = path.stem
        key = (doc_id, text_hash(text))
        if key in seen:
            result.already_there.append(doc_id)
            continue
        seen.add(key)
        try:
            spans = labeller.spans(text, doc_id)
        except (GongkaiError, ValueError) as exc:
            result.failed.append(f"{path}: pre-labelling failed: {exc}")
            continue
        batch.append(make_task(text, doc_id, spans, labeller.version, detect_template(text, spans, doc_id)))
        batch_ids.append(doc_id)
        if len(batch) >= batch_size:
            flush()
    flush()
    return result
