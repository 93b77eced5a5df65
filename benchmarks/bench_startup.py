"""Start-up cost of the command line: one small document, and a resumed batch with nothing to do.

Runs, each in a fresh process (best of ``--repeat``, wall clock and peak resident memory: of the
largest process of the command's tree, the CLI or a document worker, and of all of them at once): ``gongkai extract ONE.txt --method M`` for rules and auto (ONNX Runtime export and, with
``--torch``, the torch reference via GONGKAI_BACKEND=torch), then the same folder again with every
output present (``done 0, skipped N``). Targets (issue 14): auto ≤ 1.5 s and ≤ 200 MB for one
document; the resumed batch as fast for auto as for rules (± 0.5 s).

    .venv/bin/python benchmarks/bench_startup.py [--doc PATH] [--repeat 3] [--torch] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _descendants(root: int) -> list[int]:
    """Every live process below ``root`` (Linux /proc; workers and a forkserver included)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_once(argv: list[str], env: dict) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB of the largest process, peak MB of all its processes together)
    of one command. Worker processes are sampled from /proc every 10 ms (their own peak, VmHWM):
    since documents run in worker processes, the command's own rusage misses them."""
    err = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child never blocks on a full pipe
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
    peaks: dict[int, int] = {}
    total = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree = [proc.pid, *_descendants(proc.pid)]
        for p in tree:
            peaks[p] = max(peaks.get(p, 0), _kb(p, "VmHWM:"))
        total = max(total, sum(_kb(p, "VmRSS:") for p in tree))
        time.sleep(0.01)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    message = err.read().decode(errors="replace")[-500:]
    err.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {message}")
    largest = max([usage.ru_maxrss, *peaks.values()]) / 1024
    return wall, largest, max(total / 1024, largest)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--doc", type=Path, default=None, help="document (default: a generated report)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--torch", action="store_true", help="also time the torch reference backend")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    env.pop("GONGKAI_BACKEND", None)
    gk = [sys.executable, "-m", "gongkai.cli", "extract"]
    variants = [("rules", "rules", {}), ("auto", "auto", {})]
    if args.torch:
        variants.append(("auto/torch", "auto", {"GONGKAI_BACKEND": "torch"}))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared CPU: compare within one run)")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        if args.doc:
            shutil.copy(args.doc, src / args.doc.name)
        else:
            sys.path.insert(0, str(ROOT))
            from gongkai.synth import generate

            (src / "report.txt").write_text(generate(1, 5, organ_pool="heldout")[0].text, encoding="utf-8")
        for name, method, extra in variants:
            e = {**env, **extra}
            one, resumed = [], []
            for r in range(args.repeat):
                out = Path(tmp) / f"out-{name.replace('/', '-')}-{r}"
                one.append(run_once([*gk, str(src), "-o", str(out), "--method", method, "--no-progress"], e))
                resumed.append(run_once([*gk, str(src), "-o", str(out), "--method", method, "--no-progress"], e))
            best = min(one)
            best_resumed = min(resumed)
            r = results[name] = {
                "one_doc_s": round(best[0], 3), "one_doc_peak_mb": round(max(m[1] for m in one), 1),
                "one_doc_peak_all_mb": round(max(m[2] for m in one), 1), "resumed_s": round(best_resumed[0], 3),
                "resumed_peak_mb": round(max(m[1] for m in resumed), 1)}
            print(f"{name:10s}: one document {best[0]:6.2f} s, largest process {r['one_doc_peak_mb']:6.1f} MB "
                  f"(all processes {r['one_doc_peak_all_mb']:6.1f} MB); resumed (nothing to do) "
                  f"{best_resumed[0]:6.2f} s, peak {r['resumed_peak_mb']:6.1f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
