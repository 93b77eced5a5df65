"""What report.md and report.html share: which systems' misses come first, a miss as full JSON
with the keys that differ from its counterpart, bootstrap intervals over documents, and where the
run came from (commit, model, command)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

BASELINE = "all-zero"
DEFAULT_METHOD = "auto"
BOOTSTRAP_SAMPLES = 1000


def systems_in_order(result: dict) -> list[str]:
    """Systems whose misses the report lists: the default method (``auto``) first, then the
    others in run order; the all-zero baseline never."""
    names = [n for n in result["systems"] if n != BASELINE]
    return sorted(names, key=lambda n: n != DEFAULT_METHOD) or list(result["systems"])[:1]


# ----------------------------------------------------------------------- misses

def _claim_key(c: dict) -> tuple:
    return (c.get("type"), c.get("value"))


def paired_misses(misses: list[dict]) -> list[dict]:
    """The misses, each with ``differs``: the keys whose values differ between gold and pred. A missed gold claim is paired with the spurious prediction of the same
    type and value (or type alone) in the same document, so a claim wrong only in ``scope`` or
    ``breakdown`` shows which key it is."""
    spurious = [m for m in misses if m["kind"] == "claim_spurious"]
    used: set[int] = set()
    out = []
    for m in misses:
        m = dict(m)
        gold, pred = m.get("gold"), m.get("pred")
        if m["kind"] == "claim_missed" and isinstance(gold, dict):
            free = [i for i in range(len(spurious)) if i not in used]
            same = [i for i in free if _claim_key(spurious[i]["pred"]) == _claim_key(gold)]
            kind = [i for i in free if spurious[i]["pred"].get("type") == gold.get("type")]
            best = (same or kind or [None])[0]
            if best is not None:
                used.add(best)
                pred = spurious[best]["pred"]
                m["pred"] = pred
                m["paired"] = True
        if isinstance(gold, dict) and isinstance(pred, dict):
            keys = sorted(set(gold) | set(pred))
            m["differs"] = [k for k in keys if k in gold and gold.get(k) != pred.get(k)
                            and k not in ("start", "end", "text")]
        else:
            m["differs"] = []
        out.append(m)
    return out  # paired spurious claims stay listed too: indexes (and the page's anchors) are the misses' own


def json_parts(value, differs: list[str]) -> list[tuple[str, bool]]:
    """``value`` as compact JSON in pieces, each flagged True where it is a differing key's
    ``"key": value`` (the renderers bold/highlight those)."""
    if not isinstance(value, dict):
        return [(json.dumps(value, ensure_ascii=False), False)]
    parts: list[tuple[str, bool]] = [("{", False)]
    for i, (k, v) in enumerate(value.items()):
        if i:
            parts.append((", ", False))
        parts.append((f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}", k in differs))
    parts.append(("}", False))
    return parts


# ----------------------------------------------------------------------- intervals

def bootstrap_intervals(doc_counts: list[dict], samples: int = BOOTSTRAP_SAMPLES, seed: int = 0,
                        level: float = 0.95) -> dict[str, tuple[float, float] | None]:
    """Percentile bootstrap over documents: resample the documents with replacement, micro-average
    each sample's counts again (``scoring.Counts``), and take the central ``level`` of each metric.
    A metric undefined in a sample is left out of that sample."""
    from gongkai.scoring import Counts

    if not doc_counts:
        return {}
    counts = [Counts(**c) for c in doc_counts]
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(samples):
        total = Counts()
        for _ in counts:
            total = total + counts[rng.randrange(len(counts))]
        for k, v in total.metrics().items():
            if v is not None:
                draws.setdefault(k, []).append(v)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    out: dict[str, tuple[float, float] | None] = {}
    for k in Counts().metrics():
        vals = sorted(draws.get(k, []))
        out[k] = (vals[int(lo_q * (len(vals) - 1))], vals[int(hi_q * (len(vals) - 1))]) if vals else None
    return out


def system_intervals(system: dict) -> dict[str, tuple[float, float] | None]:
    """Bootstrap intervals of one system of metrics.json (needs each document's ``counts``)."""
    counts = [d["counts"] for d in system.get("docs", []) if d.get("counts")]
    return bootstrap_intervals(counts) if counts else {}


# ----------------------------------------------------------------------- provenance

def _git(*args: str) -> str | None:
    from gongkai.settings import REPO_ROOT

    try:
        out = subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def run_provenance(model_path: Path | None = None, methods=()) -> dict:
    """Where numbers came from: commit (and whether the checkout had changes), gongkai version,
    the model and its weights' hash, the command line, Python."""
    from gongkai import __version__
    from gongkai.batch.resume import model_version
    from gongkai.settings import default_model_dir

    commit = _git("rev-parse", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    model_dir = Path(model_path) if model_path else default_model_dir()
    return {
        "commit": commit or "not a git checkout",
        "uncommitted_changes": bool(dirty) if commit else None,
        "gongkai": __version__,
        "methods": list(methods),
        "model": str(model_dir) if any(m in ("model", "auto") for m in methods) else None,
        "model_version": model_version(model_dir) if any(m in ("model", "auto") for m in methods) else None,
        "command": " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:]]),
        "python": sys.version.split()[0],
    }
