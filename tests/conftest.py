"""Shared fixtures. Real reports are read from ../shared/corpus (or $GONGKAI_CORPUS), never copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from gongkai.settings import corpus_dir  # noqa: E402


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Root of the shared real-report corpus; tests that need it fail loudly if it is absent."""
    root = corpus_dir()
    if not (root / "seeds").is_dir():
        pytest.fail(f"shared corpus not found at {root} (set GONGKAI_CORPUS)")
    return root


def corpus_pairs(root: Path) -> list[tuple[Path, Path]]:
    """(document, gold) pairs of seeds and dev."""
    pairs = []
    for doc in sorted((root / "seeds").glob("*.txt")):
        pairs.append((doc, root / "seeds-gold" / f"{doc.stem}.json"))
    for doc in sorted((root / "dev" / "docs").glob("*.txt")):
        pairs.append((doc, root / "dev" / "gold" / f"{doc.stem}.json"))
    return [(d, g) for d, g in pairs if g.is_file()]
