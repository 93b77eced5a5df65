"""The rules path (or, with ``--method model|auto``, the model) scored on generated reports, per
layout family: field accuracy by layout, then per table printing (``+signs``, ``+label_remarks`` …:
that printing forced on every document).

Each document goes through ``gongkai.pipeline.extract_text(text, doc_id, METHOD)`` and is
scored against its synthetic gold with ``gongkai.scoring.score_pair`` (organs from the held-out pool,
never seen in training); scores are micro-averaged
per layout (every scored field counts once).

    .venv/bin/python benchmarks/bench_rules_on_synth.py [-n 1000] [--seed 0] [--json out.json]
    .venv/bin/python benchmarks/bench_rules_on_synth.py -n 200 --method model [--model models/default]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COLUMNS = ("field_accuracy", "cell_accuracy", "nonzero_cell_recall", "meta_accuracy", "section_accuracy",
           "title_accuracy", "claims_precision", "claims_recall", "claims_f1")
HEAD = ("fields", "cells", "nz_rec", "meta", "sections", "titles", "claim_P", "claim_R", "claim_F1")


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


# table printings that are not layouts of their own: each family forces one on (layout drawn, or
# the layout it applies to), so every printing is measured, old and new
FEATURES: dict[str, tuple[str | None, dict[str, float]]] = {
    "+signs": (None, {"signs": 1.0}),
    "+spaced_labels": (None, {"spaced_labels": 1.0}),
    "+change_header": (None, {"change_header": 1.0}),
    "+label_remarks": ("cell_per_line", {"label_remarks": 1.0}),
    "+truncated_headers": (None, {"truncated_headers": 1.0}),
    "+extra_rows": (None, {"extra_rows": 1.0}),
    "+blank_pipe_lines": ("pipe", {"blank_pipe_lines": 1.0}),
    "+ragged_tabs": ("tab", {"ragged_tabs": 1.0}),
    "+misaligned_tabs": ("tab", {"misaligned_tabs": 1.0}),
    # page meta (gongkai/synth/pagemeta.py): no title, a title without a year, dates in page lines
    "+no_title": (None, {"no_title": 1.0}),
    "+title_no_year": (None, {"title_no_year": 1.0, "year_from_body": 1.0, "no_title": 0.0}),
    "+page_date": (None, {"page_date": 1.0, "no_date": 0.0}),
}


def run(n: int, seed: int, layouts: list[str], rates: dict[str, float],
        features: list[str] = (), method: str = "rules", model: Path | None = None) -> dict[str, dict]:
    from gongkai.pipeline import extract_text
    from gongkai.scoring import CorpusScore, score_pair
    from gongkai.synth import generate

    results: dict[str, dict] = {}
    all_docs = []
    families = [(name, name, {}) for name in layouts]
    families += [(f, FEATURES[f][0], FEATURES[f][1]) for f in features]
    for i, (name, layout, forced) in enumerate(families):
        docs = generate(n, seed=seed + i, organ_pool="heldout", layout=layout, **{**rates, **forced})
        t0 = time.perf_counter()
        scores = []
        errors = 0
        for d in docs:
            try:
                pred = extract_text(d.text, d.doc_id, method, model_path=model).to_json_dict()
            except Exception:  # a crash is a miss on every field, and counted
                pred = None
                errors += 1
            scores.append(score_pair(d.gold, pred, doc_id=d.doc_id))
        dt = time.perf_counter() - t0
        all_docs += scores
        results[name] = {"docs": n, "errors": errors, "s_per_doc": dt / max(1, n),
                         **CorpusScore(scores).metrics()}
    results["ALL"] = {"docs": len(all_docs), "errors": sum(r["errors"] for r in results.values()),
                      "s_per_doc": sum(r["s_per_doc"] * r["docs"] for r in results.values()) / max(1, len(all_docs)),
                      **CorpusScore(all_docs).metrics()}
    return results


def main() -> int:
    from gongkai.commands.synth import parse_rates
    from gongkai.synth import LAYOUT_NAMES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="documents per layout family")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--layout", action="append", default=None, help="only these layouts (repeatable)")
    ap.add_argument("--rate", action="append", default=[], metavar="K=V", help="generator rate override")
    ap.add_argument("--json", type=Path, default=None, help="also write the table as JSON here")
    ap.add_argument("--no-features", action="store_true", help="layouts only, no +feature families")
    ap.add_argument("--feature", action="append", default=None, choices=sorted(FEATURES),
                    help="only these +feature families (repeatable; with no --layout, no layout families)")
    ap.add_argument("--method", choices=("rules", "model", "auto"), default="rules")
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped one)")
    args = ap.parse_args()
    layouts = args.layout or ([] if args.feature else list(LAYOUT_NAMES))
    features = args.feature or ([] if args.no_features or args.layout else list(FEATURES))
    res = run(args.n, args.seed, layouts, parse_rates(args.rate), features, args.method, args.model)
    print(f"{args.method} path on generated reports: {args.n} per layout, seed {args.seed}, default rates"
          + (f" + {args.rate}" if args.rate else ""))
    print()
    print("| layout | docs | errors | " + " | ".join(HEAD) + " | s/doc |")
    print("|---" * (len(HEAD) + 4) + "|")
    for name, r in res.items():
        print(f"| {name} | {r['docs']} | {r['errors']} | " + " | ".join(_fmt(r[c]) for c in COLUMNS)
              + f" | {r['s_per_doc']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
