"""``gongkai train --config training/default.json [--base-model PATH] [--data EXPORT …] -o DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the token-classification model from a JSON config")
    p.add_argument("--config", required=True, type=Path, help="training config (training/*.json)")
    p.add_argument("--base-model", type=Path, default=None, help="local checkpoint to fine-tune (no hub)")
    p.add_argument("--data", type=Path, action="append", default=[],
                   help="extra Label Studio export (JSON/JSONL of {text, spans}); repeatable")
    p.add_argument("--split", type=Path, default=None,
                   help="leave-town-out split file (gongkai evaluate --make-split); needs --fold")
    p.add_argument("--fold", type=int, default=None, help="leave this fold's test towns out of training")
    p.add_argument("-o", "--output", required=True, type=Path, help="directory to save the model in")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import shlex

    from gongkai.errors import GongkaiError
    from gongkai.model.config import load_config
    from gongkai.model.train import train

    if (args.split is None) != (args.fold is None):
        print("gongkai train: --split and --fold go together", file=sys.stderr)
        return 2
    try:
        cfg = load_config(args.config)
        if args.base_model is not None and not (args.base_model / "config.json").is_file():
            print(f"gongkai train: {args.base_model}: not a model directory (no config.json)", file=sys.stderr)
            return 2
        parts = ["gongkai", "train", "--config", str(args.config)]
        if args.base_model is not None:
            parts += ["--base-model", str(args.base_model)]
        for d in args.data:
            parts += ["--data", str(d)]
        if args.split is not None:
            parts += ["--split", str(args.split), "--fold", str(args.fold)]
        command = " ".join(shlex.quote(a) for a in [*parts, "-o", str(args.output)])
        res = train(cfg, args.output, base_model=args.base_model, extra_data=[str(d) for d in args.data],
                    command=command, split=(args.split, args.fold) if args.split is not None else None)
    except GongkaiError as e:
        print(f"gongkai train: {e}", file=sys.stderr)
        return 2
    h = res.metrics["heldout"]
    t = res.metrics["training"]
    print(f"saved {res.out_dir}: held-out strict F1 {h['f1']} (P {h['precision']}, R {h['recall']}), "
          f"{t['steps']} steps in {t['train_seconds']} s")
    return 0
