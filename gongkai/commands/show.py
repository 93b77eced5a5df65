"""``gongkai show OUT/<doc>.json``: one extracted document as a self-contained HTML page (the text
with every span highlighted and labelled beside its value) for a person checking it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="write an HTML page of one extracted document with its spans highlighted",
                       description=__doc__)
    p.add_argument("report", type=Path, metavar="OUT/DOC.json",
                   help="a report written by gongkai extract (its .txt must be beside it)")
    p.add_argument("-o", "--out", type=Path, default=None, metavar="PAGE.html",
                   help="where to write the page (default: beside the JSON, .html)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gongkai.errors import InputError
    from gongkai.show import show

    try:
        path = show(args.report, args.out)
    except InputError as exc:
        print(f"gongkai show: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the page cannot be written
        print(f"gongkai show: error: cannot write {args.out or args.report.with_suffix('.html')}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(path)
    return 0
