"""Batch throughput: documents/s for N generated reports with 1 and 2 workers, on the rules path
and (when a model is in models/default or $GONGKAI_MODEL) the model path, with peak memory.

    .venv/bin/python benchmarks/bench_batch.py [-n 1000] [--workers 1 2] [--seed 0]

Each configuration runs in its own Python process, so its peak RSS (ru_maxrss of that process
and, separately, the largest of its worker processes) is its own. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def measured(task, cfg) -> dict:
    """The batch's unit of work, plus the peak RSS (KB) of the process that ran it: pool workers
    are children of the forkserver, not of this process, so RUSAGE_CHILDREN would not see them."""
    from gongkai.batch.runner import process_document

    oc = process_document(task, cfg)
    oc["rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return oc


def _one(inputs: str, out: str, method: str, workers: int, engine: str = "local") -> None:
    """Run one configuration in this process and print its measurements as JSON."""
    from gongkai.batch.discover import discover
    from gongkai.batch.runner import BatchConfig, run_batch

    tasks = discover([inputs])
    worker_kb = [0]
    t0 = time.perf_counter()
    res = run_batch(tasks, BatchConfig(out_dir=out, method=method), workers=workers, progress=False,
                    engine=engine, work=measured, on_outcome=lambda oc: worker_kb.append(oc.get("rss_kb", 0)))
    wall = time.perf_counter() - t0
    kb_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kb_children = max(worker_kb) if engine == "local" else 0  # every local document runs in a worker; not in Ray actors
    print(json.dumps({"done": res.done, "failed": res.failed, "seconds": res.seconds, "wall": wall,
                      "docs_per_s": res.docs_per_s, "rss_main_mb": kb_self / 1024,
                      "rss_worker_mb": kb_children / 1024}))


def _generate(n: int, seed: int, folder: Path) -> float:
    """Write n generated reports, in a child process: Linux keeps a process's peak RSS across
    fork+exec, so generating here would inflate every measurement taken after it."""
    t0 = time.perf_counter()
    code = ("import sys; from pathlib import Path; from gongkai.synth import generate\n"
            "for d in generate(int(sys.argv[1]), int(sys.argv[2])):\n"
            "    (Path(sys.argv[3]) / f'{d.doc_id}.txt').write_text(d.text, encoding='utf-8')\n")
    subprocess.run([sys.executable, "-c", code, str(n), str(seed), str(folder)], check=True, cwd=REPO)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="generated reports (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--methods", nargs="+", default=None, help="default: rules, plus model if one exists")
    ap.add_argument("--engines", nargs="+", default=["local"], choices=("local", "ray"),
                    help="ray: Ray Data on a local instance, start-up included (needs gongkai[ray])")
    ap.add_argument("--one", nargs=5, metavar=("INPUTS", "OUT", "METHOD", "WORKERS", "ENGINE"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        _one(args.one[0], args.one[1], args.one[2], int(args.one[3]), args.one[4])
        return 0

    from gongkai.settings import default_model_dir, model_available

    methods = args.methods or (["rules", "model"] if model_available() else ["rules"])
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        gen_s = _generate(args.n, args.seed, inputs)
        print(f"generated {args.n} reports in {gen_s:.1f}s; model: "
              f"{default_model_dir() if model_available() else 'none'}", file=sys.stderr)
        rows = []
        for engine in args.engines:
            for method in methods:
                for w in args.workers:
                    out = Path(tmp) / f"out-{engine}-{method}-{w}"
                    cmd = [sys.executable, __file__, "--one", str(inputs), str(out), method, str(w), engine]
                    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
                    if proc.returncode != 0:
                        print(proc.stderr[-2000:], file=sys.stderr)
                        continue
                    m = json.loads(proc.stdout.strip().splitlines()[-1])
                    rows.append((engine, method, w, m))
                    print(f"{engine} {method} x{w}: {m['docs_per_s']:.1f} docs/s", file=sys.stderr)
    print(f"\n{args.n} generated reports, {', '.join(methods)}; peak RSS per process (MB)\n")
    print("| engine | method | workers | done | failed | seconds | docs/s | peak RSS main | peak RSS per worker |")
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, method, w, m in rows:
        worker = f"{m['rss_worker_mb']:.0f}" if m["rss_worker_mb"] else "–"
        print(f"| {engine} | {method} | {w} | {m['done']} | {m['failed']} | {m['seconds']:.1f} "
              f"| {m['docs_per_s']:.1f} | {m['rss_main_mb']:.0f} | {worker} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
