"""OCR accuracy and speed: generated reports drawn as image-only PDFs (a simulated scan at DPI),
read back through OCR and extracted, scored against their gold; the same reports as text for
comparison. Prints a Markdown table (field accuracy, non-zero recall, pages/s, peak memory).

    .venv/bin/python benchmarks/bench_ocr.py [-n 4] [--dpi 150] [--seed 7] [--method rules] [--jpeg 80]

Needs the ``ocr`` extra and a CJK font to draw the pages (the dev extra's font wheel). Layout
``tab`` (word-processor tables, drawn as ruled tables); noise that a scan cannot show (Kangxi
radicals, full-width digits: they look like the usual glyphs) is switched off.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=4, help="generated reports (default 4)")
    ap.add_argument("--dpi", type=int, default=150, help="scan resolution, also the OCR render resolution")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--method", default="rules", choices=("rules", "auto", "model"))
    ap.add_argument("--jpeg", type=int, default=None, metavar="Q", help="JPEG-compress the scanned pages")
    args = ap.parse_args(argv)

    import os

    os.environ["GONGKAI_OCR_DPI"] = str(args.dpi)
    from gongkai.pipeline import extract_text
    from gongkai.readers import read_document_info
    from gongkai.readers.scan import scan_pdf
    from gongkai.scoring import Counts, score_pair
    from gongkai.synth import generate

    docs = generate(args.n, seed=args.seed, layout="tab", radicals=0, fullwidth=0, crlf=0)
    as_text, as_scan = Counts(), Counts()
    pages = 0
    ocr_s = 0.0
    confidences: list[float] = []
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for d in docs:
            gold = d.gold
            as_text = as_text + score_pair(gold, extract_text(d.text, d.doc_id, method=args.method).to_json_dict()).counts
            pdf = Path(tmp) / f"{d.doc_id}.pdf"
            pdf.write_bytes(scan_pdf(d.text, dpi=args.dpi, jpeg_quality=args.jpeg))
            t0 = time.perf_counter()
            text, info = read_document_info(pdf)
            ocr_s += time.perf_counter() - t0
            pages += len(info.ocr_pages)
            confidences.append(info.ocr_confidence or 0.0)
            score = score_pair(gold, extract_text(text, d.doc_id, method=args.method).to_json_dict())
            as_scan = as_scan + score.counts
            misses += [f"{d.doc_id} {f.path}: gold {f.gold!r} got {f.pred!r}" for f in score.fields if not f.correct]
            print(f"{d.doc_id}: {len(info.ocr_pages)} pages, {time.perf_counter() - t0:.1f}s, "
                  f"OCR confidence {info.ocr_confidence}, fields {score.counts.fields_ok}/{score.counts.fields}",
                  file=sys.stderr, flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mt, ms = as_text.metrics(), as_scan.metrics()
    print(f"\n{args.n} generated reports (layout tab, seed {args.seed}), scanned at {args.dpi} dpi"
          f"{f', JPEG q{args.jpeg}' if args.jpeg else ''}, method {args.method}\n")
    print("| input | field accuracy | non-zero recall | cell accuracy | pages | pages/s | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    print(f"| text | {mt['field_accuracy']:.3f} | {_f(mt['nonzero_cell_recall'])} | {mt['cell_accuracy']:.3f} | | | |")
    print(f"| scan → OCR | {ms['field_accuracy']:.3f} | {_f(ms['nonzero_cell_recall'])} | {ms['cell_accuracy']:.3f} | "
          f"{pages} | {pages / ocr_s:.3f} | {peak_mb:.0f} MB |")
    print(f"\nmean OCR confidence {sum(confidences) / len(confidences):.4f}; OCR time {ocr_s:.1f}s")
    for m in misses[:30]:
        print("  miss:", m)
    return 0


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


if __name__ == "__main__":
    sys.exit(main())
