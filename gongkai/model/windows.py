"""Sliding windows over long documents and the deterministic merge of their predictions.

No truncation: every position is covered by at least one window. Where windows overlap, a position
takes the prediction of the window in which it lies farthest from an edge (the most context on both
sides); ties go to the earlier window, so the merge never depends on batch order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def make_windows(n: int, size: int = 512, overlap: int = 128) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` windows of at most ``size`` covering ``range(n)``; consecutive
    windows share ``overlap`` positions (the last window is aligned to the end)."""
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError(f"bad window size {size} / overlap {overlap}")
    if n <= size:
        return [(0, n)] if n > 0 else []
    step = size - overlap
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = start + size
        if end >= n:
            out.append((max(0, n - size), n))
            break
        out.append((start, end))
        start += step
    return out


def owner_of_positions(n: int, windows: Sequence[tuple[int, int]]) -> list[int]:
    """For each position, the index of the window it takes its prediction from."""
    owner = [-1] * n
    best = [-1] * n
    for w, (s, e) in enumerate(windows):
        for p in range(s, e):
            d = min(p - s, e - 1 - p)
            if d > best[p]:
                best[p], owner[p] = d, w
    if n and min(owner) < 0:
        raise ValueError("windows do not cover every position")
    return owner


def owner_array(n: int, windows: Sequence[tuple[int, int]]):
    """``owner_of_positions`` as a numpy array, computed per window rather than per position (the
    same rule: farthest from an edge wins, ties to the earlier window)."""
    import numpy as np

    owner = np.full(n, -1, dtype=np.int64)
    best = np.full(n, -1, dtype=np.int64)
    for w, (s, e) in enumerate(windows):
        p = np.arange(s, e, dtype=np.int64)
        d = np.minimum(p - s, e - 1 - p)
        take = d > best[s:e]
        best[s:e] = np.where(take, d, best[s:e])
        owner[s:e] = np.where(take, w, owner[s:e])
    if n and owner.min() < 0:
        raise ValueError("windows do not cover every position")
    return owner


def merge(n: int, windows: Sequence[tuple[int, int]], per_window: Sequence[Sequence[T]]) -> list[T]:
    """Merge per-window predictions (``per_window[w][i]`` is position ``windows[w][0] + i``) into one
    prediction per position of the document."""
    owner = owner_of_positions(n, windows)
    return [per_window[owner[p]][p - windows[owner[p]][0]] for p in range(n)]
