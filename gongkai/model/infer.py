"""Inference: text as read → normalised → character ids → windows (length-bucketed batches) →
merged tag probabilities → spans over the normalised text → spans over the text as read → Report.

``method="model"`` assembles model spans only. ``method="auto"`` (reported as ``model+rules``) runs
the model, then per section falls back to the rule labeller's spans where the model's section fails
its consistency checks or its mean confidence is below a threshold (``gongkai.model.fallback``).
Loaded models are cached per path in-process.

Two interchangeable forward passes: ONNX Runtime on the folder's ``model.onnx`` (``gongkai
export-onnx``; no torch import, ~0.1 s to load) and torch on ``model.safetensors`` (the reference,
used when there is no current export). ``$GONGKAI_BACKEND`` chooses (``auto``/``onnx``/``torch``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gongkai.errors import ConfigError
from gongkai.model.tags import NormSpan, tags_to_spans
from gongkai.model.windows import make_windows, owner_array
from gongkai.schema import Report
from gongkai.spans import Span

WINDOW = 512
OVERLAP = 128
BATCH = 16  # windows per forward pass (torch)
ONNX_BATCH = 4  # ONNX Runtime: as fast per CPU-second as 16 (measured 2-16), ~60 MB less scratch memory


@dataclass
class Loaded:
    """A model ready for inference, with what is needed to decode its output. ``model`` is a torch
    token-classification module or an ``OnnxModel``; ``tokenizer`` a transformers tokenizer, a
    bare ``tokenizers.Tokenizer`` or a ``CharTable`` (all give one id per character)."""

    model: object
    tokenizer: object
    id2tag: dict[int, str]
    window: int
    overlap: int
    slots: bool = False  # the model reads value slots (gongkai.model.slots) as token_type_ids

    @property
    def backend(self) -> str:
        return "onnx" if isinstance(self.model, OnnxModel) else "torch"

    @cached_property
    def tagset(self):  # noqa: ANN201 - gongkai.model.decode.TagSet (numpy, imported when first used)
        from gongkai.model.decode import TagSet

        return TagSet.of(self.id2tag)


_CACHE: dict[tuple[str, str], Loaded] = {}
BACKENDS = ("auto", "onnx", "torch")


def inference_threads() -> int:
    """Intra-op threads for the forward pass (torch or ONNX Runtime): ``$GONGKAI_TORCH_THREADS`` if
    set, else all cores while the machine looks idle (1-minute load average below cores - 0.5) and
    1 otherwise.

    Why: on an idle 2-core CPU two threads run the forward pass ~1.6x faster than one, but on a CPU
    busy with other jobs the threads wait on each other and two threads run 2-4x *slower* than one
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


def backend_setting() -> str:
    """``$GONGKAI_BACKEND``: ``auto`` (default: ONNX Runtime when the model folder has a current
    ``model.onnx``, else torch), ``onnx`` (required) or ``torch`` (the reference path)."""
    raw = os.environ.get("GONGKAI_BACKEND", "").strip().lower() or "auto"
    if raw not in BACKENDS:
        raise ConfigError(f"GONGKAI_BACKEND={raw!r}: choose from {', '.join(BACKENDS)}")
    return raw


def onnx_session(path: str | Path, threads: int):
    """An ONNX Runtime CPU session on ``path`` with ``threads`` intra-op threads. Spinning (threads
    busy-waiting for work) only with more than one thread: it helps on an idle CPU and costs
    nothing with one."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    # no pre-planned block for each input shape: windows come in a few shapes and planning one block
    # per shape kept ~40 MB more resident per process (measured); the arena still reuses memory
    so.enable_mem_pattern = False
    so.add_session_config_entry("session.intra_op.allow_spinning", "1" if threads > 1 else "0")
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


class OnnxModel:
    """An exported model (``gongkai.model.onnx_export``) with one session per thread count (a
    session's thread pool is fixed when it is made; ``inference_threads`` may change per document)."""

    def __init__(self, path: Path, threads: int) -> None:
        self.path = path
        first = onnx_session(path, threads)
        self.sessions = {threads: first}
        self.inputs = {i.name for i in first.get_inputs()}
        self.outputs = tuple(o.name for o in first.get_outputs())
        self.top_k = first.get_outputs()[0].shape[-1]  # tags per position (an int for a current export)
        self.weights_sha256 = first.get_modelmeta().custom_metadata_map.get("gongkai_weights_sha256", "")

    def run(self, x, mask, types, threads: int):
        """(top tag ids, their log-probabilities) per position of a padded batch (batch × length × K)."""
        import numpy as np

        sess = self.sessions.get(threads)
        if sess is None:
            sess = self.sessions[threads] = onnx_session(self.path, threads)
        feed = {"input_ids": x}
        if "attention_mask" in self.inputs:  # library-graph exports; the lean graph never pads
            feed["attention_mask"] = mask
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = types if types is not None else np.zeros_like(x)
        tag, logp = sess.run(None, feed)
        return tag, logp


def _unusable_onnx(p: Path, why: str) -> None:
    print(f"gongkai: {p / 'model.onnx'} {why}; using torch (slower start). "
          f"Refresh it with `gongkai export-onnx {p}`", file=sys.stderr)


def load_onnx_model(p: Path) -> Loaded | None:
    """The model folder's ONNX export as a ``Loaded`` without importing torch or transformers; None
    when there is no export, ONNX Runtime is missing, or the export is older than the weights."""
    from gongkai.model.onnx_export import ONNX_FILE, OUTPUTS, weights_sha256

    if not (p / ONNX_FILE).is_file():
        return None
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None
    try:
        model = OnnxModel(p / ONNX_FILE, inference_threads())
    except Exception as exc:  # noqa: BLE001 - ONNX Runtime raises its own types for unreadable files
        _unusable_onnx(p, f"cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})")
        return None
    if model.weights_sha256 != weights_sha256(p):
        _unusable_onnx(p, f"was not exported from this {p / 'model.safetensors'}")
        return None
    from gongkai.model.decode import TOP_K

    if model.outputs != OUTPUTS or model.top_k != TOP_K:
        _unusable_onnx(p, f"is an older export (outputs {', '.join(model.outputs)} × {model.top_k}, "
                          f"not {', '.join(OUTPUTS)} × {TOP_K})")
        return None
    from gongkai.model.tokenizer import CharTable

    try:
        config = json.loads((p / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{p / 'config.json'}: cannot read the model config: {exc}") from exc
    tok = CharTable.from_file(p / "tokenizer.json")
    if tok is None:  # a base model's own tokenizer: its full pipeline
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(p / "tokenizer.json"))
    window, overlap = _window_of(config)
    id2tag = {int(k): v for k, v in config["id2label"].items()}
    return Loaded(model, tok, id2tag, window, overlap, bool(config.get("gongkai_slots", False)))


def _window_of(config: dict) -> tuple[int, int]:
    limit = int(config.get("max_position_embeddings", WINDOW))
    window = min(int(config.get("gongkai_window", WINDOW)), limit)
    overlap = min(int(config.get("gongkai_overlap", OVERLAP)), window // 2)
    return window, overlap


def load_torch_model(p: Path) -> Loaded:
    """The reference path: transformers' loader, the fused attention installed."""
    from transformers import AutoModelForTokenClassification

    from gongkai.model.fast_attention import install
    from gongkai.model.slots import uses_slots
    from gongkai.model.tokenizer import load_tokenizer

    model = AutoModelForTokenClassification.from_pretrained(str(p), use_safetensors=True)
    model.eval()
    install(model)
    tok = load_tokenizer(p)
    id2tag = {int(k): v for k, v in model.config.id2label.items()}
    window, overlap = _window_of(model.config.to_dict())
    return Loaded(model, tok, id2tag, window, overlap, uses_slots(model.config))


def load_model(model_path: str | Path | None = None, backend: str | None = None) -> Loaded:
    """Load (once per path and backend per process) a saved token-classification model:
    the ONNX export when it is there and current (``backend`` ``auto``/``onnx``), else torch."""
    from gongkai.settings import default_model_dir, model_available

    p = Path(model_path) if model_path else default_model_dir()
    backend = backend or backend_setting()
    if backend not in BACKENDS:
        raise ValueError(f"load_model: unknown backend {backend!r}")
    key = (str(p.resolve()), backend)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if not model_available(p):
            raise ConfigError(f"{p}: no model here (need config.json and model.safetensors); "
                              "train one with `gongkai train` or set GONGKAI_MODEL")
        loaded = load_onnx_model(p) if backend != "torch" else None
        if loaded is None:
            if backend == "onnx":
                raise ConfigError(f"{p}: no current model.onnx (or onnxruntime is not installed); "
                                  f"make one with `gongkai export-onnx {p}`")
            loaded = load_torch_model(p)
        _CACHE[key] = loaded
        return loaded


def _pad_id(tok) -> int:
    from gongkai.model.tokenizer import CharTable

    if isinstance(tok, CharTable):
        return tok.pad_id
    from tokenizers import Tokenizer

    if isinstance(tok, Tokenizer):
        return tok.token_to_id("[PAD]") or 0
    return tok.pad_token_id or 0


def _torch_forward(model, x, mask, types):
    import torch

    from gongkai.model.decode import top_tags

    extra = {"token_type_ids": torch.from_numpy(types)} if types is not None else {}
    logits = model(input_ids=torch.from_numpy(x), attention_mask=torch.from_numpy(mask), **extra).logits
    top, logp = top_tags(logits)
    return top.numpy(), logp.numpy()


def _equal_length_batches(order: list[int], windows: list[tuple[int, int]], size: int) -> list[list[int]]:
    """Consecutive runs of ``order`` (windows sorted by length) with one length each, at most ``size``."""
    out: list[list[int]] = []
    for w in order:
        n = windows[w][1] - windows[w][0]
        last = out[-1] if out else None
        if last is None or len(last) >= size or windows[last[0]][1] - windows[last[0]][0] != n:
            out.append([w])
        else:
            last.append(w)
    return out


def predict_tags(loaded: Loaded, text: str, batch_size: int | None = None) -> tuple[list[str], list[float]]:
    """Tag and its probability for every character of (normalised) ``text``: the best valid IOB2
    sequence (``gongkai.model.decode``) from each character's top tags."""
    import numpy as np

    from gongkai.model.decode import TOP_K, chosen_logp, decode
    from gongkai.model.slots import slot_ids
    from gongkai.model.tokenizer import encode

    ids = encode(loaded.tokenizer, text)
    n = len(ids)
    if n == 0:
        return [], []
    windows = make_windows(n, loaded.window, loaded.overlap)
    ids_a = np.asarray(ids, dtype=np.int64)
    types_a = np.asarray(slot_ids(text), dtype=np.int64) if loaded.slots else None
    # batches of equal-length windows only: no padding, so no mask (every window of a document
    # longer than one window is full length; only a short document's single window is shorter)
    order = sorted(range(len(windows)), key=lambda w: (-(windows[w][1] - windows[w][0]), w))
    width_all = max(e - s for s, e in windows)
    top_ids = np.empty((len(windows), width_all, TOP_K), dtype=np.int64)
    top_lp = np.empty((len(windows), width_all, TOP_K), dtype=np.float32)
    pad = _pad_id(loaded.tokenizer)
    threads = inference_threads()
    onnx = isinstance(loaded.model, OnnxModel)
    batch_size = batch_size or (ONNX_BATCH if onnx else BATCH)
    torch_mod = None
    if not onnx:
        import torch as torch_mod

        prev_threads = torch_mod.get_num_threads()
        if threads != prev_threads:
            torch_mod.set_num_threads(threads)
    try:
        ctx = torch_mod.inference_mode() if torch_mod is not None else contextlib.nullcontext()
        with ctx:
            for batch in _equal_length_batches(order, windows, batch_size):
                width = max(windows[w][1] - windows[w][0] for w in batch)
                x = np.full((len(batch), width), pad, dtype=np.int64)
                mask = np.zeros((len(batch), width), dtype=np.int64)
                types = np.zeros((len(batch), width), dtype=np.int64) if types_a is not None else None
                for r, w in enumerate(batch):
                    s, e = windows[w]
                    x[r, : e - s] = ids_a[s:e]
                    mask[r, : e - s] = 1
                    if types is not None:
                        types[r, : e - s] = types_a[s:e]
                if onnx:
                    top, logp = loaded.model.run(x, mask, types, threads)
                else:
                    top, logp = _torch_forward(loaded.model, x, mask, types)
                rows = np.asarray(batch)
                top_ids[rows, :width] = top
                top_lp[rows, :width] = logp
    finally:
        if torch_mod is not None and threads != prev_threads:
            torch_mod.set_num_threads(prev_threads)
    owner = owner_array(n, windows)
    starts = np.asarray([s for s, _ in windows], dtype=np.int64)
    pos = np.arange(n, dtype=np.int64)
    col = pos - starts[owner]
    ids, lps = top_ids[owner, col], top_lp[owner, col]
    chosen = decode(ids, lps, loaded.tagset)
    prob = np.exp(chosen_logp(ids, lps, chosen, loaded.tagset.n_tags))
    id2tag = loaded.id2tag
    return [id2tag[i] for i in chosen.tolist()], prob.tolist()


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
