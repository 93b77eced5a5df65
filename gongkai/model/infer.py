"""Inference: text as read → normalised → character ids → windows (length-bucketed batches) →
merged tag probabilities → spans over the normalised text → spans over the text as read → Report.

``method="model"`` assembles model spans only. ``method="auto"`` (reported as ``model+rules``) runs
the model, then per section falls back to the rule labeller's spans where the model's section fails
its consistency checks or its mean confidence is below a threshold (``gongkai.model.fallback``).
Loaded models are cached per path in-process.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import ConfigError
from gongkai.model.tags import NormSpan, tags_to_spans
from gongkai.model.windows import make_windows, owner_array
from gongkai.schema import Report
from gongkai.spans import Span

WINDOW = 512
OVERLAP = 128
BATCH = 16


@dataclass
class Loaded:
    """A model ready for inference, with what is needed to decode its output."""

    model: object
    tokenizer: object
    id2tag: dict[int, str]
    window: int
    overlap: int
    slots: bool = False  # the model reads value slots (gongkai.model.slots) as token_type_ids


_CACHE: dict[str, Loaded] = {}


def inference_threads() -> int:
    """Torch intra-op threads for the forward pass: ``$GONGKAI_TORCH_THREADS`` if set, else all
    cores while the machine looks idle (1-minute load average below cores - 0.5) and 1 otherwise.

    Why: on an idle 2-core CPU two threads run the forward pass ~1.6x faster than one, but on a CPU
    busy with other jobs OpenMP threads wait on each other and two threads run 2-4x *slower* than one
    (both measured with benchmarks/bench_model.py). Re-read per document, so a long batch adapts."""
    raw = os.environ.get("GONGKAI_TORCH_THREADS", "").strip()
    if not raw:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        try:
            busy = os.getloadavg()[0] >= cores - 0.5
        except OSError:  # pragma: no cover - platforms without a load average
            busy = True
        return 1 if busy else cores
    try:
        n = int(raw)
    except ValueError:
        raise ConfigError(f"GONGKAI_TORCH_THREADS={raw!r}: expected a positive integer") from None
    if n < 1:
        raise ConfigError(f"GONGKAI_TORCH_THREADS={raw!r}: expected a positive integer")
    return n

_LOCK = threading.Lock()


def load_model(model_path: str | Path | None = None) -> Loaded:
    """Load (once per path per process) a saved token-classification model, safetensors only."""
    from gongkai.settings import default_model_dir, model_available

    p = Path(model_path) if model_path else default_model_dir()
    key = str(p.resolve())
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if not model_available(p):
            raise ConfigError(f"{p}: no model here (need config.json and model.safetensors); "
                              "train one with `gongkai train` or set GONGKAI_MODEL")
        from transformers import AutoModelForTokenClassification

        from gongkai.model.fast_attention import install
        from gongkai.model.slots import uses_slots
        from gongkai.model.tokenizer import load_tokenizer

        model = AutoModelForTokenClassification.from_pretrained(str(p), use_safetensors=True)
        model.eval()
        install(model)
        tok = load_tokenizer(p)
        id2tag = {int(k): v for k, v in model.config.id2label.items()}
        limit = int(getattr(model.config, "max_position_embeddings", WINDOW))
        window = min(int(getattr(model.config, "gongkai_window", WINDOW)), limit)
        overlap = min(int(getattr(model.config, "gongkai_overlap", OVERLAP)), window // 2)
        loaded = Loaded(model, tok, id2tag, window, overlap, uses_slots(model.config))
        _CACHE[key] = loaded
        return loaded


def predict_tags(loaded: Loaded, text: str, batch_size: int = BATCH) -> tuple[list[str], list[float]]:
    """Tag and its probability for every character of (normalised) ``text``."""
    import numpy as np
    import torch

    from gongkai.model.slots import slot_ids
    from gongkai.model.tokenizer import encode

    ids = encode(loaded.tokenizer, text)
    n = len(ids)
    if n == 0:
        return [], []
    windows = make_windows(n, loaded.window, loaded.overlap)
    ids_t = torch.tensor(ids, dtype=torch.long)
    types_t = torch.tensor(slot_ids(text), dtype=torch.long) if loaded.slots else None
    # length-bucketed: longest first, so each batch pads to similar lengths
    order = sorted(range(len(windows)), key=lambda w: (-(windows[w][1] - windows[w][0]), w))
    width_all = max(e - s for s, e in windows)
    best_ids = np.zeros((len(windows), width_all), dtype=np.int64)
    best_p = np.zeros((len(windows), width_all), dtype=np.float32)
    pad = loaded.tokenizer.pad_token_id or 0
    prev_threads = torch.get_num_threads()
    threads = inference_threads()
    try:
        if threads != prev_threads:
            torch.set_num_threads(threads)
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                batch = order[b : b + batch_size]
                lens = [windows[w][1] - windows[w][0] for w in batch]
                width = max(lens)
                x = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                types = torch.zeros((len(batch), width), dtype=torch.long) if types_t is not None else None
                for r, w in enumerate(batch):
                    s, e = windows[w]
                    x[r, : e - s] = ids_t[s:e]
                    mask[r, : e - s] = 1
                    if types is not None:
                        types[r, : e - s] = types_t[s:e]
                extra = {"token_type_ids": types} if types is not None else {}
                logits = loaded.model(input_ids=x, attention_mask=mask, **extra).logits
                prob, best = torch.softmax(logits.float(), dim=-1).max(dim=-1)
                rows = np.asarray(batch)
                best_ids[rows, :width] = best.numpy()
                best_p[rows, :width] = prob.numpy()
    finally:
        if threads != prev_threads:
            torch.set_num_threads(prev_threads)
    owner = owner_array(n, windows)
    starts = np.asarray([s for s, _ in windows], dtype=np.int64)
    pos = np.arange(n, dtype=np.int64)
    col = pos - starts[owner]
    tag_ids = best_ids[owner, col].tolist()
    id2tag = loaded.id2tag
    return [id2tag[i] for i in tag_ids], best_p[owner, col].tolist()


def predict_norm_spans(loaded: Loaded, text: str) -> list[NormSpan]:
    tags, probs = predict_tags(loaded, text)
    return tags_to_spans(text, tags, probs)


def predict_spans(text: str, model_path: str | Path | None = None) -> list[Span]:
    """Model spans over the text as read (``source="model"``, ``score`` = mean tag probability)."""
    from gongkai.normalise import normalise

    loaded = load_model(model_path)
    norm = normalise(text)
    out: list[Span] = []
    for ns in predict_norm_spans(loaded, norm.text):
        a, b = norm.to_raw(ns.start, ns.end)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(Span.of(text, ns.label, a, b, score=min(1.0, max(0.0, ns.score)), source="model"))
    return out


def extract_with_model(text: str, doc_id: str, method: str = "model", model_path: str | Path | None = None) -> Report:
    """Extract one report with the model (``model``) or model with per-section rules fallback
    (``auto``; the report says ``model+rules``)."""
    from gongkai.assemble import assemble

    spans = predict_spans(text, model_path)
    if method == "model":
        report = assemble(text, spans, doc_id)
        report.method = "model"
        return report
    if method != "auto":
        raise ValueError(f"extract_with_model: unknown method {method!r}")
    from gongkai.model.fallback import combine

    return combine(text, doc_id, spans)
