"""Benchmark the model path against the rules path.

Prints: the shipped model's training time (from its training_metrics.json; ``--train`` retrains the
default config into a temporary folder and times that run end to end), inference characters
(= tokens, one per character) per second and documents per second for ``model``, ``auto`` and
``rules``, peak resident memory, and field accuracy on the shared corpus (seeds + dev) per method,
scored with ``gongkai.scoring``. The corpus is read at run time, never copied.

    .venv/bin/python benchmarks/bench_model.py [--model models/default] [--repeat 3] [--synth 20] [--json out.json]
    .venv/bin/python benchmarks/bench_model.py --torch --no-score   # ONNX Runtime and torch side by side
    .venv/bin/python benchmarks/bench_model.py --train [--config training/default.json]   # + time a retrain
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_docs() -> list[tuple[str, str, dict]]:
    """(doc_id, text as read, gold) for seeds + dev."""
    from gongkai.readers import read_document
    from gongkai.settings import corpus_dir

    root = corpus_dir()
    pairs = [(d, root / "seeds-gold" / f"{d.stem}.json") for d in sorted((root / "seeds").glob("*.txt"))]
    pairs += [(d, root / "dev" / "gold" / f"{d.stem}.json") for d in sorted((root / "dev" / "docs").glob("*.txt"))]
    return [(d.stem, read_document(d), json.loads(g.read_text(encoding="utf-8"))) for d, g in pairs if g.is_file()]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_method(method: str, texts: list[tuple[str, str]], model: Path, repeat: int, backend: str = "auto") -> dict:
    from gongkai.normalise import normalise
    from gongkai.pipeline import extract_text

    os.environ["GONGKAI_BACKEND"] = backend  # onnx (model.onnx) or torch (the reference)
    extract_text(texts[0][1], "warm", method=method, model_path=model)  # load + cache the model
    chars = sum(len(normalise(t).text) for _, t in texts)
    best = best_cpu = float("inf")
    for _ in range(repeat):  # best pass: the CPU is shared, the fastest pass is the least disturbed
        t0, c0 = time.perf_counter(), time.process_time()
        for doc_id, text in texts:
            extract_text(text, doc_id, method=method, model_path=model)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    dt = best * repeat
    n = len(texts) * repeat
    return {"docs": n, "seconds": round(dt, 3), "docs_per_s": round(n / dt, 2),
            "tokens_per_s": round(chars * repeat / dt), "peak_rss_mb": round(peak_rss_mb(), 1),
            # characters per second of this process's CPU time: what one idle core would do (with one
            # inference thread), far steadier than wall time on a CPU shared with other jobs
            "chars_per_cpu_s": round(chars / best_cpu)}


def score_method(method: str, docs: list[tuple[str, str, dict]], model: Path) -> dict:
    from gongkai.pipeline import extract_text
    from gongkai.scoring import Counts, score_pair

    total = Counts()
    per_doc = {}
    for doc_id, text, gold in docs:
        pred = extract_text(text, doc_id, method=method, model_path=model).to_json_dict()
        s = score_pair(gold, pred, doc_id=doc_id)
        total = total + s.counts
        per_doc[doc_id] = s.field_accuracy
    m = total.metrics()
    return {"field_accuracy": m["field_accuracy"], "cell_accuracy": m["cell_accuracy"],
            "claims_f1": m["claims_f1"], "fields": total.fields, "fields_ok": total.fields_ok,
            "per_doc": per_doc}


def time_training(config: Path) -> dict:
    """Run ``gongkai train`` on ``config`` into a temporary folder: wall-clock seconds (data generation,
    training, held-out evaluation and saving), peak memory of the training process, held-out F1."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(tmp) / "model"
        cmd = [sys.executable, "-m", "gongkai.cli", "train", "--config", str(config), "-o", str(out_dir)]
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        info = json.loads((out_dir / "training_metrics.json").read_text(encoding="utf-8"))
    return {"config": str(config), "wall_seconds": round(wall, 1), "wall_minutes": round(wall / 60, 2),
            "peak_rss_mb": round(peak, 1), "load_average_at_start": round(load, 2),
            "steps": info["training"]["steps"], "heldout_f1": info["heldout"]["f1"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--synth", type=int, default=20, help="also time this many generated documents")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--train", action="store_true", help="also retrain --config and time it (minutes)")
    ap.add_argument("--config", type=Path, default=ROOT / "training" / "default.json")
    ap.add_argument("--threads", type=int, default=None,
                    help="inference threads, torch or ONNX Runtime (GONGKAI_TORCH_THREADS; default adaptive)")
    ap.add_argument("--backend", choices=("auto", "onnx", "torch"), default="auto",
                    help="model backend (GONGKAI_BACKEND): the ONNX export when current, or the torch reference")
    ap.add_argument("--torch", action="store_true", help="also time model and auto on the torch reference")
    ap.add_argument("--no-score", action="store_true", help="speed only (skip the corpus accuracy)")
    args = ap.parse_args()
    if args.threads:
        os.environ["GONGKAI_TORCH_THREADS"] = str(args.threads)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared CPU: timings are noisy); "
          f"torch threads {os.environ.get('GONGKAI_TORCH_THREADS', 'adaptive (default: all cores when idle, else 1)')}")

    out: dict = {"model": str(args.model)}
    tm = args.model / "training_metrics.json"
    if tm.is_file():
        info = json.loads(tm.read_text(encoding="utf-8"))
        out["training"] = {k: info["training"][k] for k in ("train_seconds", "total_seconds", "steps",
                                                           "tokens_per_second")}
        out["heldout_f1"] = info["heldout"]["f1"]
        print(f"training: {info['training']['train_seconds']} s train, {info['training']['total_seconds']} s total "
              f"({info['training']['steps']} steps, ~{info['training']['tokens_per_second']} tok/s); "
              f"held-out strict F1 {info['heldout']['f1']}")

    if args.train:
        r = time_training(args.config)
        out["retrain"] = r
        print(f"retrain {r['config']}: {r['wall_minutes']} min wall clock ({r['steps']} steps, load "
              f"{r['load_average_at_start']} at start), peak RSS {r['peak_rss_mb']} MB, held-out F1 {r['heldout_f1']}")

    docs = corpus_docs()
    texts = [(d, t) for d, t, _ in docs]
    if args.synth:
        from gongkai.synth import generate

        texts += [(d.doc_id, d.text) for d in generate(args.synth, 4242, organ_pool="heldout")]
    out["speed"] = {}
    runs = [("rules", "auto"), ("model", args.backend), ("auto", args.backend)]
    if args.torch:  # last: torch's memory would otherwise show in the peaks of the others
        runs += [("model", "torch"), ("auto", "torch")]
    for method, backend in runs:
        r = time_method(method, texts, args.model, args.repeat, backend)
        name = method if method == "rules" or backend != "torch" else f"{method}/torch"
        out["speed"][name] = r
        print(f"speed {name:11s}: {r['docs_per_s']:8.2f} docs/s  {r['tokens_per_s']:>9,} chars/s  "
              f"({r['docs']} docs in {r['seconds']} s, best of {args.repeat} passes)  {r['chars_per_cpu_s']:>9,} chars/CPU-s  "
              f"peak RSS {r['peak_rss_mb']} MB")
    os.environ.pop("GONGKAI_BACKEND", None)
    out["corpus"] = {}
    for method in () if args.no_score else ("rules", "model", "auto"):
        s = score_method(method, docs, args.model)
        out["corpus"][method] = s
        fa = "n/a" if s["field_accuracy"] is None else f"{s['field_accuracy']:.4f}"  # None: no corpus found
        print(f"corpus {method:6s}: field accuracy {fa} ({s['fields_ok']}/{s['fields']}), "
              f"cells {s['cell_accuracy']}, claims F1 {s['claims_f1']}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
