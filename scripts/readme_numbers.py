"""Regenerate the numbers the README quotes, in one command, into docs/results.md.

    .venv/bin/python scripts/readme_numbers.py [--synth 100] [--seed 2026] [--model DIR] [-o docs/results.md]

Evaluates rules, model and auto (when a model is available) and the all-zero baseline on the shared
real-report corpus (seeds + dev gold, read from ``gongkai.settings.corpus_dir()``) and on generated
reports drawn from the held-out organ pool. Writes metrics only, never document text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gongkai.evaluate.report_md import SUMMARY, fmt  # noqa: E402
from gongkai.evaluate.run import (  # noqa: E402
    baseline_run,
    evaluate_runs,
    load_eval_docs,
    run_method,
    synth_eval_docs,
)
from gongkai.settings import corpus_dir, model_available  # noqa: E402


def _commit() -> str:
    """The short commit (with "+ uncommitted changes" when the checkout differs from it); outside
    git, the package version and where the numbers came from instead of a bare "unknown"."""
    from gongkai import __version__

    def git(*a: str) -> str | None:
        try:
            out = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return os.environ.get("GONGKAI_COMMIT") or f"gongkai {__version__}, not a git checkout (set GONGKAI_COMMIT)"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" + uncommitted changes" if dirty else "")


def summary_table(result: dict, docs: int) -> list[str]:
    names = list(result["systems"])
    lines = ["| metric | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for label, key in SUMMARY:
        lines.append(
            f"| {label} | " + " | ".join(fmt(result["systems"][n]["metrics"][key]) for n in names) + " |"
        )
    seq = [result["systems"][n]["seqeval"] for n in names]
    if any(seq):
        lines.append(
            "| span micro F1 (seqeval strict) | "
            + " | ".join(fmt((s or {}).get("micro", {}).get("f1") if s else None) for s in seq)
            + " |"
        )
    lines.append(
        "| scored fields | " + " | ".join(str(result["systems"][n]["counts"]["fields"]) for n in names) + " |"
    )
    lines.append(
        "| docs/s | "
        + " | ".join(
            f"{docs / result['systems'][n]['seconds']:.1f}" if result["systems"][n]["seconds"] > 0 else "–"
            for n in names
        )
        + " |"
    )
    return lines


def layout_table(result: dict) -> list[str]:
    names = [n for n in result["systems"]]
    layouts = sorted({lay for n in names for lay in result["systems"][n]["layouts"]})
    lines = ["| layout | docs | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for lay in layouts:
        first = result["systems"][names[0]]["layouts"][lay]
        cells = [fmt(result["systems"][n]["layouts"][lay]["accuracy"]) for n in names]
        lines.append(f"| {lay} | {first['docs']} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", type=int, default=100, help="generated documents (held-out organs)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped model)")
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "results.md")
    ap.add_argument("--readme", type=Path, default=ROOT / "README.md", help="README to update between its results markers")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="real-report corpus (default: $GONGKAI_CORPUS or ../shared/corpus)")
    args = ap.parse_args(argv)
    root = args.corpus or corpus_dir()
    missing = [d for d in (root / "seeds-gold", root / "dev" / "gold") if not d.is_dir()]
    if missing:
        print(f"readme_numbers: the real-report corpus is not at {root} (missing {', '.join(map(str, missing))}); "
              "set GONGKAI_CORPUS or pass --corpus DIR", file=sys.stderr)
        return 2

    methods = ["rules"] + (["model", "auto"] if model_available(args.model) else [])
    real_docs = load_eval_docs(root / "seeds-gold") + load_eval_docs(root / "dev" / "gold")
    synth_docs = synth_eval_docs(args.synth, args.seed, organ_pool="heldout")

    def run(docs):
        runs = [run_method(m, docs, args.model) for m in methods] + [baseline_run(docs)]
        return evaluate_runs(docs, runs)

    def later(d) -> bool:  # dev 101–212: annotated after the rules were first written
        return d.doc_id.isdigit() and int(d.doc_id) >= 100

    first_docs = [d for d in real_docs if not later(d)]
    later_docs = [d for d in real_docs if later(d)]
    real = run(first_docs)
    newer = run(later_docs) if later_docs else None
    synth = run(synth_docs)
    lines = [
        "# Results",
        "",
        f"Generated by `scripts/readme_numbers.py` on {dt.date.today().isoformat()} at commit `{_commit()}`"
        f" (methods: {', '.join(methods)}{'' if 'model' in methods else '; no trained model was available'}).",
        'Scoring rules: SCHEMA.md "Gold annotations" (`gongkai.scoring`): gold keys that are missing or null are',
        "not scored; fields are micro-averaged over documents; claims are matched one-to-one on type, value,",
        "scope and breakdown. `all-zero` is the trivial baseline (every cell 0, nothing else).",
        "",
        f"## Real reports: seeds + dev 002–042 ({len(first_docs)} documents)",
        "",
        "The documents the rules were first written against: training numbers for the rules. The shipped",
        "model was fine-tuned on their annotations too (in-sample). Leave-out numbers: the k-fold section below.",
        "",
        *summary_table(real, len(first_docs)),
        "",
        *([f"## Real reports: dev 101–212 ({len(later_docs)} documents)",
           "",
           "Annotated independently; the rules were tuned while reading them and the shipped model was",
           "fine-tuned on their annotations, so these are in-sample numbers too. Their first, unbiased numbers",
           "(before anyone here ran the project on them) and the leave-documents-out numbers are below.",
           "",
           *summary_table(newer, len(later_docs)),
           ""] if newer else []),
        f"## Generated reports, held-out organs ({len(synth_docs)} documents, seed {args.seed})",
        "",
        *summary_table(synth, len(synth_docs)),
        "",
        "Field accuracy per table layout:",
        "",
        *layout_table(synth),
        "",
        "## Reproduce and go further",
        "",
        "```",
        "python scripts/readme_numbers.py                     # this file",
        "gongkai score GOLD_DIR PRED_DIR --misses             # score any predictions",
        "gongkai evaluate --gold ../shared/corpus/seeds-gold --gold ../shared/corpus/dev/gold \\",
        "    --method all -o out/eval                         # report.md, report.html, metrics.json",
        f"gongkai evaluate --synth {args.synth} --seed {args.seed} --method all -o out/eval-synth",
        "gongkai evaluate --synth 100 --make-split out/split.json --folds 5",
        "gongkai evaluate --synth 100 --split out/split.json --method rules -o out/cv   # every fold",
        "```",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.readme:
        splice_readme(args.readme, lines[2:])
    return 0


def splice_readme(readme: Path, lines: list[str]) -> None:
    """Replace the part of README between the results markers with these lines (headings demoted)."""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{readme}: results markers {start} … {end} not found")
    body = "\n".join("#" + ln if ln.startswith("## ") else ln for ln in lines).strip()
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")
    print(f"updated {readme}")


if __name__ == "__main__":
    sys.exit(main())
