"""Each document in a worker process of its own making, one at a time per worker, watched.

A document that kills its worker (the OOM killer, a segfault in a parser), runs past the time
limit or grows the worker past the memory limit loses only itself: the parent knows exactly which
document the worker held, yields its failure (the batch records it in errors.jsonl at once) and
starts a fresh worker before that slot takes another document. The parent never loads the model
or parses a document, so it stays small and alive.

Limits: ``$GONGKAI_DOC_TIMEOUT`` seconds per document (default 600) and
``$GONGKAI_WORKER_MAX_MB`` resident memory per worker (default 1400; read from /proc, so the
memory watchdog works on Linux only).
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

from gongkai.settings import env_positive_int

POLL_S = 0.2
DEFAULT_TIMEOUT_S = 1800  # a scanned report is OCRed at 10–25 s a page on 2 cores: a 60-page scan fits
DEFAULT_MAX_MB = 1400


def doc_timeout_s() -> int:
    return env_positive_int("GONGKAI_DOC_TIMEOUT", DEFAULT_TIMEOUT_S)


def worker_max_mb() -> int:
    return env_positive_int("GONGKAI_WORKER_MAX_MB", DEFAULT_MAX_MB)


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (Linux /proc), None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _terminate(signum, frame) -> None:  # noqa: ARG001
    # SystemExit unwinds the stack, so an atomic write in progress removes its temporary file.
    sys.exit(128 + signum)


def worker_main(conn, work: Callable, cfg, workers: int, init: Callable | None) -> None:
    """A worker: start up, then take one task at a time from ``conn`` and send its outcome back.
    Ctrl-C is the parent's to handle; SIGTERM ends the worker cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    if init is not None:
        init(cfg, workers)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        outcome = work(task, cfg)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


@dataclass(slots=True)
class _Slot:
    proc: multiprocessing.process.BaseProcess
    conn: object
    task: object = None
    started: float = 0.0


def _why_dead(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if exitcode == -signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit status {exitcode}"


def run_isolated(tasks: list, cfg, workers: int, work: Callable, fail: Callable,
                 init: Callable | None = None, ctx=None) -> Iterator[dict]:
    """Outcomes of ``work(task, cfg)`` for every task, each run in a worker process (at most
    ``workers`` at once). ``fail(task, reason)`` makes the outcome of a document whose worker
    died or was stopped by a limit. Closing the generator stops every worker."""
    ctx = ctx or multiprocessing.get_context("spawn")
    todo = deque(tasks)
    timeout, max_mb = doc_timeout_s(), worker_max_mb()
    slots: list[_Slot] = []

    def start() -> _Slot:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker_main, args=(child, work, cfg, workers, init), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def stop(slot: _Slot, hard: bool) -> None:
        if slot.proc.is_alive():
            if hard:
                slot.proc.kill()
            else:
                slot.proc.terminate()
        slot.proc.join(5)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join(5)
        slot.conn.close()

    def give(slot: _Slot) -> None:
        if todo and slot.task is None:
            slot.task = todo.popleft()
            slot.started = time.monotonic()
            slot.conn.send(slot.task)

    try:
        for _ in range(min(workers, len(todo))):
            slots.append(start())
        for slot in slots:
            give(slot)
        while any(s.task is not None for s in slots):
            busy = [s for s in slots if s.task is not None]
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=POLL_S))
            for i, slot in enumerate(slots):
                if slot.task is None:
                    continue
                outcome, reason = None, None
                if slot.conn in ready:
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.proc.join(5)
                        reason = f"the worker process died while extracting this document ({_why_dead(slot.proc.exitcode)})"
                elif slot.proc.sentinel in ready:
                    slot.proc.join(5)
                    reason = f"the worker process died while extracting this document ({_why_dead(slot.proc.exitcode)})"
                elif time.monotonic() - slot.started > timeout:
                    reason = f"took longer than {timeout} s (limit GONGKAI_DOC_TIMEOUT); the worker was stopped"
                else:
                    mb = rss_mb(slot.proc.pid)
                    if mb is not None and mb > max_mb:
                        reason = (f"the worker grew to {mb:.0f} MB (limit GONGKAI_WORKER_MAX_MB={max_mb}); "
                                  "it was stopped")
                if outcome is not None:
                    slot.task = None
                    yield outcome
                    give(slot)
                elif reason is not None:
                    task, slot.task = slot.task, None
                    stop(slot, hard=True)
                    yield fail(task, reason)  # recorded before this slot takes the next document
                    if todo:
                        slots[i] = start()
                        give(slots[i])
    finally:
        for slot in slots:
            if slot.task is None and slot.proc.is_alive():
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
        for slot in slots:
            if slot.task is None:
                slot.proc.join(10)
            stop(slot, hard=False)
