"""The ``gongkai`` command line. Each sub-command lives in ``gongkai/commands/<name>.py`` and
exposes ``register(subparsers)``; command modules import heavy libraries (torch, transformers)
only inside their functions so that ``gongkai --help`` stays fast."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = ("extract", "score", "show", "synth", "train", "export", "evaluate", "studio", "annotations")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="政府信息公开工作年度报告 → standard report schema (ogi-annual-report/1)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"gongkai.commands.{name}").register(sub)
    return parser


def quiet_third_party() -> None:
    """No third-party progress bars (transformers' "Loading weights", hub downloads) in logs:
    only a terminal gets them. Set before transformers is imported, here and in workers."""
    if not sys.stderr.isatty():
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main(argv: list[str] | None = None) -> int:
    """Run a sub-command. Errors in what the user gave (files, settings) are one line on stderr
    and exit status 2, never a traceback; a closed pipe (``gongkai … | head``) ends quietly."""
    from gongkai.errors import GongkaiError

    quiet_third_party()
    args = build_parser().parse_args(argv)
    try:
        rc = args.func(args)
        sys.stdout.flush()
    except GongkaiError as exc:
        print(f"gongkai {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away: send what is still buffered nowhere, so exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(f"gongkai {args.command}: interrupted", file=sys.stderr)
        return 130
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
