"""The one path for a document: read → normalise → label spans → assemble → check.

``extract_text`` is what the CLI, the batch runner, Label Studio and evaluation call.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import InputError
from gongkai.schema import Report
from gongkai.settings import model_available

METHODS = ("auto", "rules", "model")


def extract_text(text: str, doc_id: str, method: str = "auto", model_path: Path | None = None) -> Report:
    """Extract one report from its text as read. ``auto`` uses the model when one is available
    (falling back to rules per section), else rules alone, and says which in ``method``."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    if not text.strip():
        raise InputError(doc_id, "empty document (no text)", stage="extract")
    if method == "rules" or (method == "auto" and not model_available(model_path)):
        from gongkai.assemble import assemble
        from gongkai.rules import label_spans

        report = assemble(text, label_spans(text), doc_id)
        report.method = "rules"
        return report
    from gongkai.model.infer import extract_with_model

    return extract_with_model(text, doc_id, method=method, model_path=model_path)


def extract_file(path: Path, method: str = "auto", model_path: Path | None = None) -> tuple[str, Report]:
    """Read ``path`` (any supported format) and extract it. Returns (text as read, report)."""
    from gongkai.readers import read_document

    text = read_document(path)
    return text, extract_text(text, Path(path).stem, method=method, model_path=model_path)
