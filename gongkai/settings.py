"""Where things live. Every path can be overridden by an environment variable so that real
reports stay outside the repository (default: ../shared/corpus beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """Real reports for tests and evaluation: $GONGKAI_CORPUS or ../shared/corpus."""
    env = os.environ.get("GONGKAI_CORPUS")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "corpus"


def default_model_dir() -> Path:
    """The shipped default model: $GONGKAI_MODEL or models/default in the checkout."""
    env = os.environ.get("GONGKAI_MODEL")
    return Path(env) if env else REPO_ROOT / "models" / "default"


def model_available(path: Path | None = None) -> bool:
    p = path or default_model_dir()
    return (p / "config.json").is_file() and (p / "model.safetensors").is_file()


def env_positive_int(var: str, default: int) -> int:
    """A limit or size from the environment: ``default`` when unset, a ConfigError naming the
    variable when it is not a positive whole number."""
    from gongkai.errors import ConfigError

    raw = os.environ.get(var)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{var} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{var} must be positive, got {raw!r}")
    return value
