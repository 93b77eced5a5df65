"""``gongkai annotations import|check``: the real-document annotation store (annotations/real)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.errors import GongkaiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "annotations",
        help="the real-document annotation store: import `studio pull` records, check store files",
        description="Store files keep offsets, labels and the document's sha256, never its text; the text is "
        "read from the corpus ($GONGKAI_CORPUS or ../shared/corpus).",
    )
    ss = p.add_subparsers(dest="annotations_command", required=True)
    imp = ss.add_parser("import", help="records.jsonl of `gongkai studio pull` → annotations/real/<set>/<id>.json")
    imp.add_argument("records", type=Path, help="records.jsonl written by `gongkai studio pull`")
    imp.add_argument("--set", required=True, choices=("seeds", "dev"), dest="set_name",
                     help="corpus set the documents belong to")
    imp.add_argument("--annotator", required=True, help="who corrected the spans")
    imp.add_argument("--how", default=None, help="how the annotation was made (default: the standard loop)")
    imp.add_argument("--out", type=Path, default=None, help="store root (default annotations/real)")
    imp.add_argument("--corpus", type=Path, default=None, help="corpus root (default $GONGKAI_CORPUS or ../shared/corpus)")
    imp.set_defaults(func=run_import)
    chk = ss.add_parser("check", help="validate store files: format, document hash, spans, score vs gold")
    chk.add_argument("paths", nargs="*", type=Path, help="store files or folders (default annotations/real)")
    chk.add_argument("--corpus", type=Path, default=None, help="corpus root")
    chk.add_argument("--strict", action="store_true", help="also fail when an assembled report misses gold")
    chk.add_argument("--misses", action="store_true", help="list every miss against gold")
    chk.set_defaults(func=run_check)


def run_import(args: argparse.Namespace) -> int:
    from gongkai.annotations.importer import DEFAULT_HOW, import_records

    try:
        done = import_records(args.records, args.set_name, args.annotator, args.how or DEFAULT_HOW,
                              out_dir=args.out, root=args.corpus)
    except GongkaiError as e:
        print(f"gongkai annotations: error: {e}", file=sys.stderr)
        return 2
    for d in done:
        print(f"{d.record} → {d.path}")
    print(f"{len(done)} store files written")
    return 0


def _f(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.3f}"


def run_check(args: argparse.Namespace) -> int:
    from gongkai.annotations.check import check_entry
    from gongkai.annotations.store import load_entry, store_files

    bad = imperfect = 0
    try:
        files = store_files(args.paths or None)
    except GongkaiError as e:
        print(f"gongkai annotations: error: {e}", file=sys.stderr)
        return 2
    print(f"{'store file':<34} {'spans':>5} {'fields':>6} {'meta':>5} {'claimF1':>7} misses")
    for f in files:
        try:
            entry = load_entry(f)
        except GongkaiError as e:
            print(f"{str(f):<34} INVALID: {e}")
            bad += 1
            continue
        res = check_entry(entry, args.corpus)
        name = f"{entry.set_name or '?'}/{entry.doc_id}"
        if res.problems:
            bad += 1
            print(f"{name:<34} {len(entry.spans):>5} PROBLEM: {'; '.join(res.problems)}")
            continue
        if res.metrics is None:
            print(f"{name:<34} {len(entry.spans):>5} (no gold file to score against)")
            continue
        m = res.metrics
        imperfect += bool(res.misses)
        print(f"{name:<34} {len(entry.spans):>5} {_f(m['field_accuracy']):>6} {_f(m['meta_accuracy']):>5} "
              f"{_f(m['claims_f1']):>7} {len(res.misses)}")
        if args.misses:
            for miss in res.misses:
                print(f"    {miss}")
    print(f"{len(files)} store files: {bad} with problems, {imperfect} not matching gold on every scored key")
    return 1 if bad or (args.strict and imperfect) else 0
