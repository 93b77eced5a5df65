"""What a finished document was made from, so that resuming redoes exactly what changed.

Beside ``<doc_id>.json`` the batch keeps ``.gongkai-resume/<doc_id>.json``: the input file's
sha256 (with its size and mtime as a shortcut), the method asked for and the model's version
(the sha256 of its weights, when the method uses a model). A rerun skips a document only when
all three are unchanged; another ``--method``, another model or an edited input redoes it. An
output without this record (an older run) is redone once.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from gongkai.batch.output import atomic_write_json
from gongkai.hashing import file_sha256

STATE_DIR = ".gongkai-resume"


def fingerprint(path: str | os.PathLike[str]) -> dict:
    """sha256, size and mtime of an input file (empty dict when it cannot be read)."""
    try:
        st = os.stat(path)
        return {"sha256": file_sha256(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    except OSError:
        return {}


@functools.lru_cache(maxsize=8)
def _weights_sha256(weights: str, size: int, mtime_ns: int) -> str:
    return file_sha256(weights)[:16]


def model_version(model_dir: str | os.PathLike[str] | None) -> str | None:
    """The model's version: the start of its weights' sha256 (None when there is no model)."""
    from gongkai.settings import default_model_dir

    weights = Path(model_dir or default_model_dir()) / "model.safetensors"
    try:
        st = weights.stat()
    except OSError:
        return None
    return _weights_sha256(str(weights), st.st_size, st.st_mtime_ns)


def _state_path(out_dir: str | os.PathLike[str], doc_id: str) -> Path:
    return Path(out_dir) / STATE_DIR / f"{doc_id}.json"


def write_state(out_dir: str | os.PathLike[str], doc_id: str, inputs: dict, method: str,
                model: str | None) -> None:
    path = _state_path(out_dir, doc_id)
    path.parent.mkdir(exist_ok=True)
    atomic_write_json(path, {"input": inputs, "method": method, "model": model})


def clear_state(out_dir: str | os.PathLike[str], doc_id: str) -> None:
    try:
        _state_path(out_dir, doc_id).unlink(missing_ok=True)
    except OSError:
        pass


def is_current(out_dir: str | os.PathLike[str], doc_id: str, input_path: str, method: str,
               model: str | None) -> bool:
    """Whether the finished outputs of ``doc_id`` were made from this very input, with this
    method and model. The input is hashed only when its size or mtime changed."""
    try:
        state = json.loads(_state_path(out_dir, doc_id).read_text(encoding="utf-8"))
        st = os.stat(input_path)
    except (OSError, ValueError):
        return False
    if state.get("method") != method or state.get("model") != model:
        return False
    old = state.get("input") or {}
    if old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns:
        return bool(old.get("sha256"))
    try:
        return old.get("sha256") == file_sha256(input_path)
    except OSError:
        return False
