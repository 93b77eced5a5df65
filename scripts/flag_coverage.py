"""How many wrong table cells does the output itself flag? For each real document with gold,
extract it, compare every scored cell with the gold, and count a wrong cell as flagged when a
failing check is about it (``gongkai.checks.cells_of_check``) or its provenance confidence is
below 0.9. A reader that is wrong without saying so is what this measures.

    .venv/bin/python scripts/flag_coverage.py [--method auto] [--corpus DIR] [-v]

Prints the share of wrong cells flagged (issue 15's target: ≥ 0.9) and, with -v, every wrong cell.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

LOW = 0.9


def main(argv: list[str] | None = None) -> int:
    from gongkai.checks import cells_of_check
    from gongkai.pipeline import extract_text
    from gongkai.scoring import CELL, score_pair
    from gongkai.settings import corpus_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--method", default="auto", choices=("auto", "rules", "model"))
    ap.add_argument("--corpus", type=Path, default=None, help="corpus root (default: $GONGKAI_CORPUS or ../shared/corpus)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    root = args.corpus or corpus_dir()
    pairs = [(d, root / "dev" / "gold" / f"{d.stem}.json") for d in sorted((root / "dev" / "docs").glob("*.txt"))]
    pairs = [(d, g) for d, g in pairs if g.is_file()]
    if not pairs:
        print(f"no dev documents with gold under {root}")
        return 2
    cells = wrong = flagged = 0
    for doc, gold_path in pairs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        report = extract_text(doc.read_text(encoding="utf-8"), doc.stem, method=args.method)
        pred = report.to_json_dict()
        doubted = set().union(*(cells_of_check(c, report) for c in report.checks if c.status == "fail"))
        for f in score_pair(gold, pred).fields:
            if f.kind != CELL:
                continue
            cells += 1
            if f.correct:
                continue
            wrong += 1
            prov = report.provenance.get(f.path)
            low = prov is not None and prov.confidence < LOW
            hit = low or f.path in doubted
            flagged += hit
            if args.verbose:
                conf = "-" if prov is None else f"{prov.confidence:.3f}"
                print(f"{doc.stem} {f.path} gold={f.gold} pred={f.pred} conf={conf} "
                      f"{'FLAGGED' if hit else 'silent'}")
    share = flagged / wrong if wrong else 1.0
    print(json.dumps({"method": args.method, "documents": len(pairs), "cells": cells, "wrong": wrong,
                      "flagged": flagged, "share_flagged": round(share, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
