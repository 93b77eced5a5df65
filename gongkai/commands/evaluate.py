"""``gongkai evaluate``: score systems side by side (with the all-zero baseline) and write
REPORT_DIR/report.md, report.html and metrics.json; or build a leave-town-out split file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.errors import ConfigError, InputError

METHOD_CHOICES = ("rules", "model", "auto", "all")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="evaluate rules/model/auto against gold (with an all-zero baseline) and write a report",
        description="Examples: gongkai evaluate --gold CORPUS/seeds-gold --gold CORPUS/dev/gold --method rules -o out/eval; "
        "gongkai evaluate --synth 50 --seed 7 --method all -o out/eval-synth; "
        "gongkai evaluate --gold DIR --make-split splits.json --folds 5; "
        "gongkai evaluate --gold CORPUS/seeds-gold --gold CORPUS/dev/gold --folds 5 --method all -o out/kfold "
        "(leave-documents-out: per-fold fine-tune on annotations/real and auto's tie-breaks chosen on the other folds)",
    )
    p.add_argument("--gold", type=Path, action="append", default=[], help="gold folder (repeatable)")
    p.add_argument(
        "--docs",
        type=Path,
        action="append",
        default=[],
        help="documents of the matching --gold (default: seeds-gold→../seeds, dev/gold→../docs, else the gold folder)",
    )
    p.add_argument(
        "--records",
        type=Path,
        help="annotated documents {doc_id, text, spans} as JSON lines (gold spans for seqeval; "
        "default: records.jsonl beside a `gongkai studio pull` gold/ folder)",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--pred", type=Path, help="folder of predicted <id>.json to score")
    src.add_argument("--method", choices=METHOD_CHOICES, help="run extraction (all = rules, model, auto)")
    p.add_argument(
        "--synth", type=int, metavar="N", help="also evaluate N generated documents (held-out organs)"
    )
    p.add_argument("--seed", type=int, default=0, help="generator seed for --synth (default 0)")
    p.add_argument("--split", type=Path, help="leave-town-out split file (from --make-split)")
    p.add_argument(
        "--fold",
        type=int,
        help="evaluate only this fold's test documents (--split without --fold: every fold)",
    )
    p.add_argument(
        "--model",
        type=Path,
        help="model folder (default: the shipped model); may contain {fold} with --split",
    )
    p.add_argument("--nulls-checked", action="store_true", help="score gold nulls in meta/amount_unit")
    p.add_argument("-o", "--out", type=Path, help="report folder")
    p.add_argument("--worst", type=int, default=5, help="worst documents shown with their misses (default 5)")
    p.add_argument(
        "--make-split", type=Path, metavar="FILE", help="write a leave-town-out split of the gold docs"
    )
    p.add_argument("--folds", type=int, default=None,
                   help="k for --make-split (default 5); alone with --gold: leave-documents-out k-fold evaluation")
    p.add_argument("--finetune-config", type=Path, default=None,
                   help="k-fold: per-fold fine-tune config (default training/finetune_real.json)")
    p.add_argument("--store", type=Path, action="append", default=[],
                   help="k-fold: annotation store folder to fine-tune on (default annotations/real)")
    p.add_argument("--corpus", type=Path, default=None, help="k-fold: corpus root the store's documents are in")
    p.add_argument("--no-finetune", action="store_true", help="k-fold: skip per-fold fine-tuning (rules and the "
                   "given model only)")
    p.add_argument("--no-tune", action="store_true", help="k-fold: keep auto's default tie-breaks")
    p.set_defaults(func=run)


def _methods(method: str | None, model: Path | None) -> tuple[list[str], str | None]:
    """Methods to run; ``all`` leaves out model and auto when no model exists (with a note)."""
    if method is None:
        return [], None
    if method != "all":
        return [method], None
    from gongkai.settings import model_available

    probe = Path(str(model).format(fold=0)) if model and "{fold}" in str(model) else model
    if model_available(probe):
        return ["rules", "model", "auto"], None
    return ["rules"], "no model available: evaluated rules only (train one with `gongkai train`)"


def _make_split(args: argparse.Namespace) -> int:
    from gongkai.evaluate.splits import make_split, organs_from_gold, save_split

    organs = organs_from_gold(args.gold)
    if args.synth:
        from gongkai.synth import generate

        for sd in generate(args.synth, args.seed, organ_pool="heldout"):  # the documents --synth evaluates
            organs[sd.doc_id] = (sd.gold.get("meta") or {}).get("organ")
    split = make_split(organs, k=args.folds or 5, seed=args.seed)
    save_split(split, args.make_split)
    towns = len(split.town_fold)
    print(f"{args.make_split}: {len(split.docs)} documents, {towns} towns, {split.k} folds")
    for i in range(split.k):
        print(f"  fold {i}: {len(split.test_ids(i))} test docs, {len(split.test_towns(i))} towns")
    return 0


def _folds(args: argparse.Namespace, methods: list[str]) -> int:
    from gongkai.evaluate.report_md import fmt
    from gongkai.evaluate.run import run_folds

    summary = run_folds(
        args.out,
        args.split,
        model_path=args.model,
        gold_dirs=args.gold,
        docs_dirs=args.docs,
        pred_dir=args.pred,
        methods=methods,
        synth=(args.synth, args.seed) if args.synth else None,
        nulls_checked=args.nulls_checked,
        records=args.records,
        worst=args.worst,
    )
    print(f"{summary['k']} folds ({summary['docs']} documents) → {args.out}/folds.md, folds.json, fold-K/")
    for name, metrics in summary["systems"].items():
        m = metrics["field_accuracy"]
        print(f"{name:>12}: field accuracy mean {fmt(m['mean'])}, range {fmt(m['range'])}")
    return 0


def _kfold(args: argparse.Namespace, methods: list[str]) -> int:
    from gongkai.evaluate.kfold import METRICS, run_kfold
    from gongkai.evaluate.report_md import fmt

    s = run_kfold(args.out, args.gold, args.docs, args.folds, methods, base_model=args.model,
                  finetune_config=args.finetune_config, stores=args.store or None, corpus=args.corpus,
                  nulls_checked=args.nulls_checked, seed=args.seed, finetune=not args.no_finetune,
                  tune=not args.no_tune)
    print(f"{s['k']} folds over {s['docs']} documents → {args.out}/kfold.md, kfold.json, leave-out/")
    print(f"{'system':<22}{'protocol':<11}" + "".join(f"{m[:12]:>13}" for m in METRICS))
    for name, row in s["all_docs"].items():
        for proto in ("leave_out", "in_sample"):
            if row.get(proto):
                print(f"{name:<22}{proto:<11}" + "".join(f"{fmt(row[proto][m]):>13}" for m in METRICS))
    for fr in s["folds"]:
        print(f"fold {fr['fold']}: auto params chosen on the other folds: {fr['auto_params_chosen']}")
    return 0


def run(args: argparse.Namespace) -> int:
    from gongkai.evaluate.report_md import fmt
    from gongkai.evaluate.run import run_evaluation

    try:
        if args.folds is not None and not args.make_split and args.split is None:
            if not args.gold or args.method is None or args.out is None:
                print("gongkai evaluate: --folds K needs --gold DIR, --method and -o REPORT_DIR", file=sys.stderr)
                return 2
            if args.docs and len(args.docs) != len(args.gold):
                print("gongkai evaluate: give one --docs per --gold (or none)", file=sys.stderr)
                return 2
            methods = ["rules", "model", "auto"] if args.method == "all" else [args.method]
            return _kfold(args, methods)
        if args.make_split:
            if not args.gold and not args.synth:
                print("gongkai evaluate: --make-split needs --gold and/or --synth", file=sys.stderr)
                return 2
            return _make_split(args)
        if not args.gold and not args.synth:
            print("gongkai evaluate: give --gold DIR and/or --synth N", file=sys.stderr)
            return 2
        if args.pred is None and args.method is None:
            print("gongkai evaluate: give --pred DIR or --method rules|model|auto|all", file=sys.stderr)
            return 2
        if args.out is None:
            print("gongkai evaluate: give -o REPORT_DIR", file=sys.stderr)
            return 2
        if args.docs and len(args.docs) != len(args.gold):
            print("gongkai evaluate: give one --docs per --gold (or none)", file=sys.stderr)
            return 2
        if args.fold is not None and args.split is None:
            print("gongkai evaluate: --fold needs --split", file=sys.stderr)
            return 2
        methods, note = _methods(args.method, args.model)
        if note:
            print(f"gongkai evaluate: {note}", file=sys.stderr)
        if args.split is not None and args.fold is None:
            return _folds(args, methods)
        result = run_evaluation(
            args.out,
            gold_dirs=args.gold,
            docs_dirs=args.docs,
            pred_dir=args.pred,
            methods=methods,
            synth=(args.synth, args.seed) if args.synth else None,
            split=(args.split, args.fold) if args.split is not None else None,
            model_path=args.model,
            nulls_checked=args.nulls_checked,
            records=args.records,
            worst=args.worst,
        )
    except (InputError, ConfigError, ValueError) as e:
        print(f"gongkai evaluate: {e}", file=sys.stderr)
        return 2
    names = list(result["systems"])
    print(f"{result['info']['docs']} documents → {args.out}/report.html, report.md, metrics.json")
    print(f"{'metric':<22}" + "".join(f"{n:>12}" for n in names))
    for key in ("field_accuracy", "cell_accuracy", "nonzero_cell_recall", "meta_accuracy", "claims_f1"):
        print(f"{key:<22}" + "".join(f"{fmt(result['systems'][n]['metrics'][key]):>12}" for n in names))
    return 0
