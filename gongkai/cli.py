"""The ``gongkai`` command line. Each sub-command lives in ``gongkai/commands/<name>.py`` and
exposes ``register(subparsers)``; command modules import heavy libraries (torch, transformers)
only inside their functions so that ``gongkai --help`` stays fast."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("extract", "score", "show", "synth", "train", "evaluate", "studio")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="政府信息公开工作年度报告 → standard report schema (ogi-annual-report/1)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"gongkai.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rc = args.func(args)
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
