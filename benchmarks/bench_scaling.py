"""Time per character from 1× to 64× a report's length, for each method (is anything worse than linear?).

A long document is k different generated reports one after another (blank line between them), so
its kind of content per character stays the same while its length grows (many headings, tables and
claims: every labeller and the assembler see k times the material). Prints, per method and k: characters, wall seconds
(best of ``--repeat``), CPU microseconds per character (process CPU time: steady on a shared CPU)
and its ratio to k = 1 (the issue's target: within 1.5× up to 64×).

    .venv/bin/python benchmarks/bench_scaling.py [--methods rules,model,auto] [--k 1,4,16,64] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--methods", default="rules,model,auto")
    ap.add_argument("--k", default="1,4,16,64")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    from gongkai.normalise import normalise
    from gongkai.pipeline import extract_text
    from gongkai.synth import generate

    ks = [int(k) for k in args.k.split(",")]
    reports = [d.text for d in generate(max(ks), args.seed, organ_pool="heldout")]
    base = reports[0]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared CPU: compare ratios within one run); "
          f"base report {len(base)} characters")
    out: dict = {}
    for method in args.methods.split(","):
        extract_text(base, "warm", method=method)  # model loaded before the clock
        rows = []
        for k in ks:
            text = "\n\n".join(reports[:k])
            n = len(normalise(text).text)
            best = best_cpu = float("inf")
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                extract_text(text, f"x{k}", method=method)
                best = min(best, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
            rows.append({"k": k, "chars": n, "seconds": round(best, 4), "cpu_seconds": round(best_cpu, 4),
                         "us_per_char": round(best_cpu / n * 1e6, 3)})
        for r in rows:
            r["ratio"] = round(r["us_per_char"] / rows[0]["us_per_char"], 2)
            print(f"{method:6s} ×{r['k']:<3d} {r['chars']:>9,} chars  {r['seconds']:8.3f} s wall  "
                  f"{r['us_per_char']:7.2f} CPU-µs/char  ratio {r['ratio']:.2f}")
        out[method] = rows
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
