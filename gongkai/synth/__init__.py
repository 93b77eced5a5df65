"""Synthetic 政府信息公开工作年度报告 with exact spans and gold: the only training data.

``generate(n, seed, **rates)`` returns ``SynthDoc``s; ``to_dataset`` turns them into a
``datasets.Dataset``; ``write_docs`` writes ``<id>.txt``, ``<id>.spans.json`` and ``<id>.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.synth.generate import DEFAULT_RATES, SynthDoc, check_rates, generate_one
from gongkai.synth.layouts import LAYOUT_NAMES, LAYOUTS, layout
from gongkai.synth.organs import POOLS

__all__ = ["DEFAULT_RATES", "LAYOUTS", "LAYOUT_NAMES", "POOLS", "SynthDoc", "generate", "layout", "to_dataset",
           "write_docs"]


def generate(n: int, seed: int = 0, organ_pool: str = "all", layout: str | None = None, start: int = 0,
             **rates: float) -> list[SynthDoc]:
    """``n`` documents of stream ``seed`` (indices ``start`` .. ``start+n-1``).

    ``organ_pool`` draws organs from disjoint train / heldout pools (or all); ``layout`` forces
    one table layout; ``rates`` override ``DEFAULT_RATES`` (unknown names are an error).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    if organ_pool not in POOLS:
        raise ValueError(f"organ_pool must be one of {POOLS}, not {organ_pool!r}")
    if layout is not None and layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {sorted(LAYOUTS)}")
    merged = check_rates(rates)
    return [generate_one(seed, i, organ_pool, layout, merged) for i in range(start, start + n)]


def to_dataset(docs: list[SynthDoc]):  # -> datasets.Dataset (imported lazily: heavy)
    """Columns: doc_id, text, spans (list of {label,start,end,text}), schema (gold JSON string),
    layout, organ."""
    import datasets

    return datasets.Dataset.from_dict({
        "doc_id": [d.doc_id for d in docs],
        "text": [d.text for d in docs],
        "spans": [[{"label": s.label, "start": s.start, "end": s.end, "text": s.text} for s in d.spans]
                  for d in docs],
        "schema": [json.dumps(d.gold, ensure_ascii=False) for d in docs],
        "layout": [d.layout for d in docs],
        "organ": [d.organ for d in docs],
    })


def write_docs(docs: list[SynthDoc], out_dir: Path) -> list[Path]:
    """Write each document's text (exactly, newline untranslated), spans and gold."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for d in docs:
        txt = out_dir / f"{d.doc_id}.txt"
        with open(txt, "w", encoding="utf-8", newline="") as f:
            f.write(d.text)
        (out_dir / f"{d.doc_id}.spans.json").write_text(
            json.dumps([s.to_dict() for s in d.spans], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (out_dir / f"{d.doc_id}.json").write_text(json.dumps(d.gold, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
        written.append(txt)
    return written
