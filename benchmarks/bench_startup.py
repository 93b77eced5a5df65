"""Start-up cost of the command line: one small document, and a resumed batch with nothing to do.

Runs, each in a fresh process (best of ``--repeat``, wall clock and peak resident memory of the
child): ``gongkai extract ONE.txt --method M`` for rules and auto (ONNX Runtime export and, with
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(argv: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one child process."""
    code = ("import resource, subprocess, sys, time, json; t = time.perf_counter();"
            "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode;"
            "w = time.perf_counter() - t;"
            "print(json.dumps([rc, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, check=True)
    rc, wall, rss = json.loads(out.stdout)
    if rc != 0:
        raise SystemExit(f"{' '.join(argv)} exited {rc}")
    return wall, rss


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
            results[name] = {"one_doc_s": round(best[0], 3), "one_doc_peak_mb": round(max(m for _, m in one), 1),
                             "resumed_s": round(best_resumed[0], 3),
                             "resumed_peak_mb": round(max(m for _, m in resumed), 1)}
            print(f"{name:10s}: one document {best[0]:6.2f} s, peak {results[name]['one_doc_peak_mb']:6.1f} MB; "
                  f"resumed (nothing to do) {best_resumed[0]:6.2f} s, peak {results[name]['resumed_peak_mb']:6.1f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
