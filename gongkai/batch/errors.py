"""What went wrong with one document, as a record in OUT_DIR/errors.jsonl.

A record names the file, the doc_id, the stage that failed (``read``, ``extract``,
``validate``, ``write``, ``worker``), the error type and message; unexpected errors (bugs, not
bad input) also keep their traceback so they can be fixed.
"""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from gongkai.batch.output import atomic_write_bytes
from gongkai.errors import GongkaiError, InputError

ERRORS_FILE = "errors.jsonl"


@dataclass(slots=True)
class ErrorRecord:
    file: str
    doc_id: str
    stage: str
    error: str
    message: str
    traceback: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["traceback"] is None:
            del d["traceback"]
        return d

    @classmethod
    def from_exception(cls, exc: BaseException, file: str, doc_id: str, stage: str) -> ErrorRecord:
        """Input errors keep their own stage and problem; anything else is recorded with its
        traceback, since it is a bug to fix rather than a bad document."""
        if isinstance(exc, InputError):
            return cls(file, doc_id, exc.stage or stage, type(exc).__name__, exc.problem)
        tb = None
        if not isinstance(exc, GongkaiError):
            tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
        return cls(file, doc_id, stage, type(exc).__name__, str(exc) or type(exc).__name__, tb)


def write_errors(out_dir: Path, records: list[ErrorRecord]) -> Path:
    """(Re)write OUT_DIR/errors.jsonl with this run's failures, sorted by file (always written,
    empty when nothing failed, so a stale file never describes an earlier run). During a run
    records are appended one by one (``append_error``); this rewrite orders them at the end."""
    path = Path(out_dir) / ERRORS_FILE
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in sorted(records, key=lambda r: r.file)]
    atomic_write_bytes(path, "".join(lines).encode("utf-8"))
    return path


def append_error(out_dir: Path, record: ErrorRecord) -> None:
    """Add one record to OUT_DIR/errors.jsonl and flush it to disk: a batch killed a moment later
    still shows every failure it had met."""
    line = (json.dumps(record.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(Path(out_dir) / ERRORS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_errors(out_dir: Path) -> list[dict]:
    path = Path(out_dir) / ERRORS_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
