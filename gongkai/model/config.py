"""Training configuration: a JSON file in ``training/`` read into plain dataclasses.

Keys (all optional except where noted; see training/default.json):
``model`` (architecture, BERT sizes, ``slots``: the value-slot input feature), ``data`` (``synth``: n/seed/rates, ``heldout``: n/seed/rates,
``label_studio``: export paths, ``rules_texts``: document paths, ``real``: the real-document
annotation store ``{"dir": "annotations/real", "repeat": N, "exclude_docs": [ids], "include_docs": [ids]}``,
each document's text read from the shared corpus with its hash checked, repeated N times per epoch), ``windows`` (size/overlap at inference,
train_overlap for cutting training windows), ``train`` (epochs, max_steps, batch_size, learning_rate,
warmup_ratio, weight_decay, seed, max_minutes, threads: an int or "auto", precision: "fp32", "bf16" or
"auto" — bf16 mixed precision where the CPU has bf16 instructions, fp32 weights either way; unk_rate:
the share of Chinese characters shown to the model as [UNK] in training).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import ConfigError

MODEL_DEFAULTS = {
    "hidden_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 512,
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.0,
    "max_position_embeddings": 512,
    "slots": True,  # value-slot feature (gongkai.model.slots); from-scratch models only
}
TRAIN_DEFAULTS = {
    "epochs": 3.0,
    "max_steps": -1,
    "batch_size": 16,
    "learning_rate": 2e-3,
    "warmup_ratio": 0.05,
    "weight_decay": 0.01,
    "seed": 13,
    "max_minutes": 30.0,
    "logging_steps": 20,
    "threads": "auto",
    "precision": "fp32",  # or "bf16" / "auto": bf16 autocast where the CPU computes bf16 natively
    "unk_rate": 0.0,  # share of Chinese characters shown as [UNK] in training (gongkai.model.data.unk_dropout)
}


@dataclass
class TrainConfig:
    name: str
    model: dict = field(default_factory=lambda: dict(MODEL_DEFAULTS))
    synth: dict = field(default_factory=lambda: {"n": 200, "seed": 1, "rates": {}})
    heldout: dict = field(default_factory=lambda: {"n": 40, "seed": 99, "rates": {}})
    label_studio: list[str] = field(default_factory=list)
    rules_texts: list[str] = field(default_factory=list)
    real: dict | None = None
    window: int = 512
    overlap: int = 128
    train_overlap: int = 0
    train: dict = field(default_factory=lambda: dict(TRAIN_DEFAULTS))
    source: str = ""
    raw: dict = field(default_factory=dict)


def load_config(path: str | Path) -> TrainConfig:
    """Read and validate a training config; errors name the file and the problem."""
    p = Path(path)
    try:
        cfg = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read training config: {e}") from e
    except json.JSONDecodeError as e:
        raise ConfigError(f"{p}: training config is not valid JSON: {e}") from e
    if not isinstance(cfg, dict):
        raise ConfigError(f"{p}: training config must be a JSON object")
    known = {"name", "model", "data", "windows", "train", "_comment"}
    unknown = set(cfg) - known
    if unknown:
        raise ConfigError(f"{p}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
    data = cfg.get("data", {})
    win = cfg.get("windows", {})
    out = TrainConfig(
        name=str(cfg.get("name", p.stem)),
        model={**MODEL_DEFAULTS, **cfg.get("model", {})},
        synth={"n": 200, "seed": 1, "rates": {}, **data.get("synth", {})},
        heldout={"n": 40, "seed": 99, "rates": {}, **data.get("heldout", {})},
        label_studio=[str(x) for x in data.get("label_studio", [])],
        rules_texts=[str(x) for x in data.get("rules_texts", [])],
        real=_real(p, data.get("real")),
        window=int(win.get("size", 512)),
        overlap=int(win.get("overlap", 128)),
        train_overlap=int(win.get("train_overlap", win.get("overlap", 128))),
        train={**TRAIN_DEFAULTS, **cfg.get("train", {})},
        source=str(p),
        raw=cfg,
    )
    if out.window > out.model["max_position_embeddings"]:
        raise ConfigError(f"{p}: windows.size {out.window} exceeds model.max_position_embeddings")
    if not 0 <= out.overlap < out.window or not 0 <= out.train_overlap < out.window:
        raise ConfigError(f"{p}: windows.overlap and windows.train_overlap must be in [0, size)")
    return out


def _real(p: Path, real: object) -> dict | None:
    """The ``data.real`` block, checked: dir (required), repeat >= 1, exclude_docs / include_docs lists."""
    if real is None:
        return None
    if not isinstance(real, dict) or not isinstance(real.get("dir"), str):
        raise ConfigError(f"{p}: data.real must be an object with a 'dir' (e.g. \"annotations/real\")")
    unknown = set(real) - {"dir", "repeat", "exclude_docs", "include_docs", "corpus"}
    if unknown:
        raise ConfigError(f"{p}: data.real: unknown keys {sorted(unknown)}")
    repeat = real.get("repeat", 1)
    if type(repeat) is not int or repeat < 1:
        raise ConfigError(f"{p}: data.real.repeat must be an integer >= 1")
    out = {"dir": real["dir"], "repeat": repeat, "exclude_docs": [str(x) for x in real.get("exclude_docs", [])],
           "include_docs": None, "corpus": real.get("corpus")}
    if real.get("include_docs") is not None:
        out["include_docs"] = [str(x) for x in real["include_docs"]]
    return out


def torch_threads(setting: int | str | None) -> int | None:
    """Threads for torch: an int as given; "auto" → 1 when the machine is busier than its cores (measured
    here: two threads contending with other jobs run 2-3× slower than one), else torch's default."""
    import os

    if setting in (None, "", "default"):
        return None
    if setting == "auto":
        cores = os.cpu_count() or 1
        return 1 if os.getloadavg()[0] >= cores else None
    return int(setting)


def bf16_native(cpuinfo: str | Path = "/proc/cpuinfo") -> bool:
    """Whether the CPU computes bf16 in hardware (AMX or AVX-512 BF16): there bf16 autocast trains
    about twice as fast (measured: 47.5k vs 24.6k tokens/s on this project's 2-core CPU); elsewhere
    it is emulated and slower than fp32."""
    try:
        text = Path(cpuinfo).read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    return "amx_bf16" in flags or "avx512_bf16" in flags


def use_bf16(setting: str | None, cpuinfo: str | Path = "/proc/cpuinfo") -> bool:
    """The ``train.precision`` setting resolved: "bf16" always, "auto" where the CPU has it natively."""
    if setting in (None, "", "fp32"):
        return False
    if setting == "bf16":
        return True
    if setting == "auto":
        return bf16_native(cpuinfo)
    raise ConfigError(f"train.precision must be fp32, bf16 or auto, not {setting!r}")
