"""One sha256 of a file's bytes, read in chunks: what pins an annotation to its document, a resumed
output to its input, and an ONNX export (and a batch's model version) to its weights."""

from __future__ import annotations

import hashlib
import os


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of the file's bytes (1 MB at a time: weights and inputs may be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
