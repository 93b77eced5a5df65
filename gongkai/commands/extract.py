"""``gongkai extract INPUT... -o OUT_DIR``: reports in any supported format → Report JSON.

Exit status: 0 when every document was extracted (or skipped as already done), 1 when some
failed (see OUT_DIR/errors.jsonl), 2 for usage errors (bad paths, options, missing model/Ray).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EPILOG = """\
outputs, per document: OUT_DIR/<doc_id>.json (the report) and OUT_DIR/<doc_id>.txt (the text as
read, which all offsets refer to). Per batch: errors.jsonl (one record per failed document:
file, doc_id, stage, error, message), batch_checks.json (checks across documents), summary.json,
and with --format jsonl|csv|parquet: reports.<fmt> (one row per document, failed ones with their
error), claims.<fmt>, checks.<fmt> and values.<fmt> (one row per claim / check / value with its
confidence); --format xlsx: one workbook reports.xlsx with the four tables as sheets. CSV files start with a UTF-8 BOM (Excel-safe).
documents whose OUT_DIR/<doc_id>.json and .txt exist are skipped unless --force.
files over $GONGKAI_MAX_BYTES (default 20 MB) are recorded as too large, not read.
exit status: 0 all ok, 1 some documents failed, 2 usage error, 130 interrupted (rerun to resume).
"""


def register(subparsers) -> None:
    from gongkai.batch.discover import DOC_ID_HELP, EXTENSIONS

    p = subparsers.add_parser(
        "extract",
        help="extract reports from files or folders into Report JSON",
        description=(
            "Extract 政府信息公开工作年度报告 into the standard schema (ogi-annual-report/1).\n"
            f"INPUT is a file or a folder, searched recursively for {' '.join(EXTENSIONS)};\n"
            "any other file in a folder is listed in errors.jsonl with the reason it was not read.\n"
            f"{DOC_ID_HELP}"
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or folders")
    p.add_argument("-o", "--out", required=True, type=Path, metavar="OUT_DIR", help="output folder")
    p.add_argument("--method", choices=("auto", "rules", "model"), default="auto",
                   help="auto: the model when one is available, else rules (the output's method says which)")
    p.add_argument("--model", type=Path, default=None, metavar="PATH",
                   help="model folder (default: $GONGKAI_MODEL or models/default)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (each loads the model once); default 1")
    p.add_argument("--force", action="store_true", help="redo documents whose outputs already exist")
    p.add_argument("--format", choices=("json", "jsonl", "csv", "xlsx", "parquet"), default="json",
                   help="also write the research tables reports/claims/checks/values.<fmt> (xlsx: one workbook)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local process pool, or Ray Data on a local Ray instance (needs gongkai[ray])")
    p.add_argument("--indent", type=int, default=None, metavar="N",
                   help="indent the JSON files by N spaces for reading them raw (default: compact)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it is off anyway when stderr is not a tty)")
    p.set_defaults(func=run)


def _usage(msg: str) -> int:
    print(f"gongkai extract: error: {msg}", file=sys.stderr)
    return EXIT_USAGE


def _unwritable(out: Path) -> str | None:
    """Why OUT_DIR cannot take outputs, or None; nothing is created. Checked before any work, so a
    wrong -o is one line, not a traceback after the first document: the folder itself or, when it
    does not exist yet, the nearest existing folder above it must accept a file."""
    import tempfile

    here = out.absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    if not here.is_dir():
        return f"{here} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=here):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def run(args: argparse.Namespace) -> int:
    from gongkai.batch.discover import DiscoverError, overwritten_inputs, scan
    from gongkai.batch.runner import BatchConfig, report_lines, run_batch
    from gongkai.errors import ConfigError
    from gongkai.settings import default_model_dir, model_available

    if args.workers < 1:
        return _usage("--workers must be at least 1")
    if args.indent is not None and args.indent < 0:
        return _usage("--indent must be 0 or more spaces")
    if args.out.exists() and not args.out.is_dir():
        return _usage(f"{args.out}: output path exists and is not a folder")
    if args.model is not None and not model_available(args.model):
        return _usage(f"{args.model}: not a model folder (needs config.json and model.safetensors)")
    if args.method == "model" and not model_available(args.model):
        return _usage(f"--method model but no model at {args.model or default_model_dir()} (use --method rules or --model PATH)")
    if args.engine == "ray":
        from gongkai.batch.ray_backend import import_ray

        try:
            import_ray()
        except ConfigError as exc:
            return _usage(str(exc))
    try:
        found = scan(args.inputs, exclude=args.out)
    except DiscoverError as exc:
        return _usage(str(exc))
    tasks = found.tasks  # refused entries (unsupported types, special files) are listed in errors.jsonl
    if found.summary():
        print(f"gongkai extract: {found.summary()}", file=sys.stderr)
    clash = overwritten_inputs(tasks, args.out)
    if clash:
        return _usage(f"outputs would overwrite input files ({', '.join(clash[:3])}); choose another -o folder")
    problem = _unwritable(args.out)
    if problem:
        return _usage(f"{args.out}: cannot write outputs there ({problem})")
    if not found.documents:
        print(f"gongkai extract: no documents found in {' '.join(args.inputs)}", file=sys.stderr)
    cfg = BatchConfig(
        out_dir=str(args.out),
        method=args.method,
        model_path=str(args.model) if args.model else None,
        force=args.force,
    )
    from gongkai.batch.output import INDENT_ENV

    before = os.environ.get(INDENT_ENV)
    if args.indent is not None:
        os.environ[INDENT_ENV] = str(args.indent)  # an environment variable reaches every worker process
    try:
        result = run_batch(tasks, cfg, workers=args.workers, engine=args.engine,
                           dataset_format=args.format, progress=not args.no_progress)
    except KeyboardInterrupt:
        print(f"gongkai extract: interrupted; finished documents are in {args.out}, "
              "run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if before is None:
            os.environ.pop(INDENT_ENV, None)
        else:
            os.environ[INDENT_ENV] = before
    for line in report_lines(result):
        print(line)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK
