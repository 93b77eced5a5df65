"""``gongkai score GOLD_DIR PRED_DIR``: score predictions against partial gold (gongkai.scoring)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gongkai.errors import InputError

COLUMNS = (
    ("fields", "field_accuracy"),
    ("cells", "cell_accuracy"),
    ("nz_rec", "nonzero_cell_recall"),
    ("meta", "meta_accuracy"),
    ("sections", "section_accuracy"),
    ("titles", "title_accuracy"),
    ("claim_P", "claims_precision"),
    ("claim_R", "claims_recall"),
    ("claim_F1", "claims_f1"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score prediction JSON files against gold annotations")
    p.add_argument("gold_dir", type=Path, help="folder of gold <id>.json files")
    p.add_argument("pred_dir", type=Path, help="folder of predicted <id>.json files")
    p.add_argument("--misses", action="store_true", help="list every miss (path, gold, prediction)")
    p.add_argument("--json", action="store_true", help="print the full score as JSON")
    p.add_argument("--only-predicted", action="store_true",
                   help="score only the gold documents that have a prediction (a subset run); "
                        "by default a gold document without one counts all wrong")
    p.add_argument(
        "--nulls-checked",
        action="store_true",
        help="score a gold null in meta/amount_unit as a checked value (seeds README) instead of skipping it",
    )
    p.set_defaults(func=run)


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:6.3f}"


def format_table(score) -> str:
    """Per-document metrics and the micro-averaged total, as fixed-width text."""
    width = max([len("TOTAL")] + [len(d.doc_id) for d in score.docs])
    head = f"{'doc':<{width}}  " + " ".join(f"{n:>8}" for n, _ in COLUMNS) + "  n_fields"
    lines = [head, "-" * len(head)]
    for d in score.docs:
        m = d.counts.metrics()
        note = "  (no prediction)" if d.missing_prediction else ""
        lines.append(
            f"{d.doc_id:<{width}}  "
            + " ".join(f"{_fmt(m[k]):>8}" for _, k in COLUMNS)
            + f"  {d.counts.fields_ok}/{d.counts.fields}{note}"
        )
    m = score.metrics()
    c = score.counts
    lines.append("-" * len(head))
    lines.append(
        f"{'TOTAL':<{width}}  "
        + " ".join(f"{_fmt(m[k]):>8}" for _, k in COLUMNS)
        + f"  {c.fields_ok}/{c.fields}"
    )
    return "\n".join(lines)


def format_misses(score) -> str:
    out = []
    for d in score.docs:
        if not d.misses:
            continue
        out.append(f"\n{d.doc_id}: {len(d.misses)} misses")
        for m in d.misses:
            where = f" @{m.start}-{m.end}" if m.start is not None else ""
            g = json.dumps(m.gold, ensure_ascii=False)
            p = json.dumps(m.pred, ensure_ascii=False)
            out.append(f"  {m.path}: gold={g} pred={p}{where}")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from gongkai.scoring import score_dirs

    only = None
    if args.only_predicted and args.pred_dir.is_dir():
        only = {p.stem for p in args.pred_dir.glob("*.json")}
    try:
        score = score_dirs(args.gold_dir, args.pred_dir, nulls_checked=args.nulls_checked, only=only)
    except InputError as e:
        print(f"gongkai score: error: {e}", file=sys.stderr)
        return 2
    if only is not None:
        if not score.docs:
            print(f"gongkai score: error: no prediction in {args.pred_dir} has a gold file in {args.gold_dir}",
                  file=sys.stderr)
            return 2
        print(f"scored {len(score.docs)} gold documents that have a prediction (--only-predicted)",
              file=sys.stderr)
    if args.json:
        print(json.dumps(score.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(format_table(score))
    if score.missing_predictions:
        print(f"\nmissing predictions (scored all wrong): {', '.join(score.missing_predictions)}")
    if args.misses:
        print(format_misses(score))
    return 0
