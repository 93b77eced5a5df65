"""``gongkai synth -n N --seed S -o DIR``: write synthetic reports (<id>.txt, <id>.spans.json, <id>.json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help="generate synthetic reports with spans and gold")
    p.add_argument("-n", type=int, default=10, help="number of documents (default 10)")
    p.add_argument("--seed", type=int, default=0, help="stream seed: same seed, same bytes")
    p.add_argument("-o", "--out", type=Path, default=None, help="output folder (required unless --list-layouts)")
    p.add_argument("--start", type=int, default=0, help="index of the first document in the stream")
    p.add_argument("--layout", default=None, help="force one table layout (see --list-layouts)")
    p.add_argument("--organ-pool", default="all", choices=("train", "heldout", "all"),
                   help="draw organs from the training pool, the held-out pool or both")
    p.add_argument("--rate", action="append", default=[], metavar="K=V",
                   help="override a feature/noise rate, e.g. --rate wrap=1 (repeatable)")
    p.add_argument("--txt-only", action="store_true", help="write only the .txt files (sample inputs)")
    p.add_argument("--list-layouts", action="store_true", help="print layout names and rate defaults, then exit")
    p.set_defaults(func=run)


def parse_rates(items: list[str]) -> dict[str, float]:
    from gongkai.synth import DEFAULT_RATES

    rates: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--rate {item!r}: expected NAME=VALUE")
        if key not in DEFAULT_RATES:
            raise ValueError(f"--rate {item!r}: unknown rate {key!r}; known: {', '.join(sorted(DEFAULT_RATES))}")
        try:
            rates[key] = float(value)
        except ValueError:
            raise ValueError(f"--rate {item!r}: {value!r} is not a number") from None
    return rates


def run(args: argparse.Namespace) -> int:
    from gongkai.synth import DEFAULT_RATES, LAYOUT_NAMES, generate, write_docs

    if args.list_layouts:
        print("layouts:", " ".join(LAYOUT_NAMES))
        for k, v in DEFAULT_RATES.items():
            print(f"  {k}={v}")
        return 0
    if args.out is None:
        print("gongkai synth: -o/--out DIR is required", file=sys.stderr)
        return 2
    try:
        rates = parse_rates(args.rate)
        docs = generate(args.n, seed=args.seed, organ_pool=args.organ_pool, layout=args.layout, start=args.start,
                        **rates)
    except ValueError as e:
        print(f"gongkai synth: {e}", file=sys.stderr)
        return 2
    if args.txt_only:
        args.out.mkdir(parents=True, exist_ok=True)
        for d in docs:
            with open(args.out / f"{d.doc_id}.txt", "w", encoding="utf-8", newline="") as f:
                f.write(d.text)
    else:
        write_docs(docs, args.out)
    print(f"wrote {len(docs)} documents to {args.out}")
    return 0
