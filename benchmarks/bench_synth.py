"""Generator speed: time to generate N synthetic reports in one process on one core (target:
1,000 in under 60 s).

    .venv/bin/python benchmarks/bench_synth.py [-n 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    from gongkai.synth import generate

    generate(1, seed=args.seed)  # imports, OpenCC tables
    t0 = time.perf_counter()
    docs = generate(args.n, seed=args.seed)
    dt = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    spans = sum(len(d.spans) for d in docs)
    print(f"generated {args.n} reports in {dt:.2f} s on one core "
          f"({args.n / dt:.1f} docs/s, {chars / dt / 1e6:.2f} M chars/s, {spans / args.n:.0f} spans/doc, "
          f"{chars / args.n:.0f} chars/doc); target < 60 s per 1,000: {'met' if dt * 1000 / args.n < 60 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
