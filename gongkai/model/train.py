"""Train the token-classification model from a JSON config and save it with its card.

BERT-style ``AutoModelForTokenClassification`` from scratch (small config) or fine-tuned from a local
checkpoint (``base_model``); HF ``Trainer`` over windows of the normalised text; seqeval strict IOB2
metrics on a held-out synthetic split whose organs never appear in training. Saves safetensors,
tokenizer, label map, metrics and a model card with the command that reproduces it.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import shlex
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import ConfigError
from gongkai.model.config import TrainConfig, torch_threads, use_bf16
from gongkai.model.data import (
    LabelledDoc,
    NormDoc,
    label_studio_docs,
    real_docs,
    rules_docs,
    synth_docs,
    to_norm_doc,
)
from gongkai.model.slots import TYPE_VOCAB, uses_slots
from gongkai.model.tags import ID2TAG, TAG2ID, TAGS, spans_to_tags

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    out_dir: Path
    metrics: dict


def _tokenizer_for(train_texts: list[str], base_model: Path | None):
    """The base checkpoint's tokenizer if it is one-token-per-character, else a fresh char vocab."""
    from gongkai.model.tokenizer import build_vocab, is_char_tokenizer, load_tokenizer, make_tokenizer

    if base_model is not None:
        try:
            tok = load_tokenizer(base_model)
        except Exception as e:  # noqa: BLE001 - a checkpoint without a tokenizer is still usable
            log.warning("%s: no usable tokenizer (%s); building a character vocabulary", base_model, e)
        else:
            if is_char_tokenizer(tok):
                return tok, "base"
            log.warning("%s: tokenizer is not one-token-per-character; building a character vocabulary", base_model)
    return make_tokenizer(build_vocab(train_texts)), "built"


def _build_model(cfg: TrainConfig, vocab_size: int, pad_id: int, base_model: Path | None):
    from transformers import AutoModelForTokenClassification, BertConfig

    labels = {"id2label": dict(ID2TAG), "label2id": dict(TAG2ID), "num_labels": len(TAGS)}
    if base_model is not None:
        model = AutoModelForTokenClassification.from_pretrained(
            str(base_model), ignore_mismatched_sizes=True, use_safetensors=True, **labels
        )
        if model.get_input_embeddings().num_embeddings != vocab_size:
            model.resize_token_embeddings(vocab_size)
        return model
    sizes = {k: v for k, v in cfg.model.items() if k not in ("architecture", "slots")}
    arch = cfg.model.get("architecture", "bert")
    slots = bool(cfg.model.get("slots", False))
    # value slots (gongkai.model.slots) ride in token_type_ids: one type id per slot
    types = {"type_vocab_size": TYPE_VOCAB if slots else 1}
    if arch == "roformer":  # rotary (relative) positions: "the k-th value after the row label" is a distance
        from transformers import RoFormerConfig

        conf = RoFormerConfig(vocab_size=vocab_size, pad_token_id=pad_id, **types,
                              embedding_size=sizes["hidden_size"], **sizes, **labels)
    elif arch == "bert":
        conf = BertConfig(vocab_size=vocab_size, pad_token_id=pad_id, **types, **sizes, **labels)
    else:
        raise ConfigError(f"{cfg.source}: model.architecture must be 'bert' or 'roformer', not {arch!r}")
    conf.gongkai_slots = slots
    return AutoModelForTokenClassification.from_config(conf)


def evaluate(loaded, docs: list[NormDoc]) -> dict:
    """seqeval strict IOB2 scores of the full inference path (windows, merge, decoding) on ``docs``."""
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    from gongkai.model.infer import predict_norm_spans

    y_true, y_pred = [], []
    for d in docs:
        pred, _ = spans_to_tags(d.text, predict_norm_spans(loaded, d.text))
        y_true.append(list(d.tags))
        y_pred.append(pred)
    kw = {"mode": "strict", "scheme": IOB2}
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0, **kw)
    per_label = {k: {"f1": round(v["f1-score"], 4), "support": int(v["support"])}
                 for k, v in report.items() if "avg" not in k}
    return {
        "precision": round(precision_score(y_true, y_pred, **kw), 4),
        "recall": round(recall_score(y_true, y_pred, **kw), 4),
        "f1": round(f1_score(y_true, y_pred, **kw), 4),
        "docs": len(docs),
        "characters": sum(len(d.text) for d in docs),
        "per_label": per_label,
    }


def _heldout_docs(cfg: TrainConfig) -> list[LabelledDoc]:
    h = cfg.heldout
    return synth_docs(int(h["n"]), int(h["seed"]), organ_pool="heldout", layout=h.get("layout"), **h.get("rates", {}))


def train(
    cfg: TrainConfig,
    out_dir: str | Path,
    base_model: str | Path | None = None,
    extra_data: list[str] | None = None,
    train_docs: list[LabelledDoc] | None = None,
    heldout_docs: list[LabelledDoc] | None = None,
    command: str | None = None,
    split: tuple[str | Path, int] | None = None,
) -> TrainResult:
    """Train, evaluate on the held-out split, save model + tokenizer + card to ``out_dir``.

    ``train_docs``/``heldout_docs`` replace the configured generator data (tests use this).
    ``split`` = (split file, fold): that fold's test towns are left out of the training data.
    """
    import torch
    from datasets import Dataset
    from transformers import DataCollatorForTokenClassification, Trainer, TrainerCallback, TrainingArguments

    from gongkai.model.card import write_card
    from gongkai.model.data import windowed_examples
    from gongkai.model.infer import Loaded

    t_all = time.perf_counter()
    load_start = os.getloadavg()[0]
    out = Path(out_dir)
    base = Path(base_model) if base_model else None
    tc = cfg.train
    random.seed(int(tc["seed"]))
    threads = torch_threads(tc.get("threads"))
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(int(tc["seed"]))

    sources: dict[str, int] = {}
    if train_docs is None:
        s = cfg.synth
        train_docs = synth_docs(int(s["n"]), int(s["seed"]), organ_pool=s.get("organ_pool", "train"),
                                layout=s.get("layout"), **s.get("rates", {}))
    sources["synthetic"] = len(train_docs)
    docs = list(train_docs)
    for p in [*cfg.label_studio, *(extra_data or [])]:
        ls = label_studio_docs(p)
        sources[f"label_studio:{Path(p).name}"] = len(ls)
        docs += ls
    if cfg.real is not None:
        rl = real_docs(cfg.real["dir"], cfg.real["exclude_docs"], cfg.real["include_docs"], cfg.real.get("corpus"))
        sources["real_annotated"] = len(rl)
        sources["real_annotated_ids"] = sorted(d.doc_id for d in rl)
        sources["real_repeat"] = int(cfg.real["repeat"])
        docs += rl * int(cfg.real["repeat"])
    if cfg.rules_texts:
        rd = rules_docs(cfg.rules_texts)
        sources["rules_labelled"] = len(rd)
        docs += rd
    if split is not None:
        from gongkai.model.data import apply_split

        docs, dropped = apply_split(docs, split[0], split[1])
        sources[f"left_out_by_split:{Path(split[0]).name}:fold{split[1]}"] = dropped
    if heldout_docs is None:
        heldout_docs = _heldout_docs(cfg)

    t0 = time.perf_counter()
    norm_train = [to_norm_doc(d) for d in docs]
    norm_held = [to_norm_doc(d) for d in heldout_docs]
    skipped = sum(d.skipped for d in norm_train)
    prep_s = time.perf_counter() - t0

    tok, tok_origin = _tokenizer_for([d.text for d in norm_train], base)
    model = _build_model(cfg, len(tok), tok.pad_token_id or 0, base)
    limit = int(model.config.max_position_embeddings)
    window = min(cfg.window, limit)
    overlap = min(cfg.overlap, window // 2)
    slots = uses_slots(model.config)
    cols = windowed_examples(norm_train, tok, window, min(cfg.train_overlap, window // 2), slots=slots,
                             unk_rate=float(tc.get("unk_rate", 0.0)), seed=int(tc["seed"]))
    ds = Dataset.from_dict(cols).shuffle(seed=int(tc["seed"]))
    n_tokens = sum(len(x) for x in cols["input_ids"])

    budget_s = float(tc["max_minutes"]) * 60
    steps_per_epoch = math.ceil(len(ds) / int(tc["batch_size"]))
    total_steps = int(tc["max_steps"]) if int(tc["max_steps"]) > 0 else math.ceil(steps_per_epoch * float(tc["epochs"]))
    warmup = max(1, int(float(tc["warmup_ratio"]) * total_steps))
    clock = {"start": time.monotonic(), "progress": 0.0}

    def lr_factor(step: int) -> float:
        """Linear warm-up, then linear decay over progress = max(steps done, wall-clock used): when the
        shared CPU is slower than planned, the rate still reaches 0 at the time budget."""
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, 1.0 - clock["progress"])

    class TimeBudget(TrainerCallback):
        """Track progress for the schedule; stop at the wall-clock budget."""

        stopped_early = False

        def on_step_end(self, args, state, control, **kw):  # noqa: ANN001
            elapsed = time.monotonic() - clock["start"]
            clock["progress"] = max(state.global_step / total_steps, elapsed / budget_s)
            if clock["progress"] >= 1.0:
                control.should_training_stop = True
                TimeBudget.stopped_early = state.global_step < total_steps
            return control

    bf16 = use_bf16(tc.get("precision"))
    optimizer = torch.optim.AdamW(model.parameters(), lr=float(tc["learning_rate"]),
                                  weight_decay=float(tc["weight_decay"]))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    args = TrainingArguments(
        output_dir=str(out / ".trainer"),
        per_device_train_batch_size=int(tc["batch_size"]),
        max_steps=total_steps,
        learning_rate=float(tc["learning_rate"]),
        logging_steps=int(tc["logging_steps"]),
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        seed=int(tc["seed"]),
        dataloader_num_workers=0,
        disable_tqdm=True,
        bf16=bf16,  # autocast; the weights stay fp32 and are saved so
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=ds,
        data_collator=DataCollatorForTokenClassification(tok, label_pad_token_id=-100),
        callbacks=[TimeBudget()],
        optimizers=(optimizer, scheduler),
    )
    clock["start"] = time.monotonic()
    t1 = time.perf_counter()
    state = trainer.train()
    shutil.rmtree(out / ".trainer", ignore_errors=True)
    train_s = time.perf_counter() - t1
    model.eval()
    model.config.gongkai_window = window
    model.config.gongkai_overlap = overlap

    t2 = time.perf_counter()
    metrics = evaluate(Loaded(model, tok, dict(ID2TAG), window, overlap, slots), norm_held)
    eval_s = time.perf_counter() - t2

    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    (out / "labels.json").write_text(json.dumps(list(TAGS), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    steps = int(state.global_step)
    info = {
        "name": cfg.name,
        "config_file": cfg.source,
        "config": cfg.raw,
        "base_model": str(base) if base else None,
        "tokenizer": tok_origin,
        "vocab_size": len(tok),
        "model_type": model.config.model_type,
        "parameters": sum(p.numel() for p in model.parameters()),
        "data": {"sources": sources, "heldout_docs": len(heldout_docs), "windows": len(ds),
                 "train_tokens_per_epoch": n_tokens, "span_conflicts_skipped": skipped},
        "training": {"steps": steps, "epochs_done": round(float(trainer.state.epoch or 0), 3),
                     "train_seconds": round(train_s, 1), "prepare_seconds": round(prep_s, 1),
                     "eval_seconds": round(eval_s, 1),
                     "total_seconds": round(time.perf_counter() - t_all, 1),
                     "tokens_per_second": round(steps * int(tc["batch_size"]) * window / max(train_s, 1e-9)),
                     "stopped_at_time_budget": TimeBudget.stopped_early,
                     "final_loss": round(float(state.training_loss), 5)},
        "heldout": metrics,
        "command": command or " ".join(shlex.quote(a) for a in sys.argv),
        "window": window,
        "overlap": overlap,
        "torch_threads": torch.get_num_threads(),
        "precision": "bf16 autocast" if bf16 else "fp32",
        "cpu_count": os.cpu_count(),
        "slots": slots,
        "load_average_at_start": round(load_start, 2),
    }
    info["onnx"] = _export(out)
    (out / "training_metrics.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_card(out, info)
    return TrainResult(out, info)


def _export(out: Path) -> str:
    """Write the ONNX export inference loads first (``gongkai.model.onnx_export``); without onnx or
    onnxruntime the model still works through torch, so that is recorded, not raised."""
    try:
        from gongkai.model.onnx_export import export_onnx

        return export_onnx(out).name
    except ImportError as exc:
        print(f"gongkai train: no ONNX export ({exc}); inference will use torch", file=sys.stderr)
        return f"not exported: {exc}"
