"""Generated text must look like the real corpus line by line, so the generator cannot drift
into a toy: line length, digits per line and the share of non-CJK characters are compared
with ../shared/corpus (read at run time, never copied) by a two-sample Kolmogorov–Smirnov
distance and a median difference, each with a tolerance."""

from __future__ import annotations

import bisect
import statistics

import pytest

from gongkai.synth import generate

# Across generator seeds the line-length KS of 150 documents spreads 0.17-0.24 (measured before and
# after the open-vocabulary names): the bound is above that noise, well below a change of layout.
KS_LINE_LENGTH = 0.26
KS_DIGITS = 0.35
NON_CJK_MEDIAN = 0.1


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u2e80" <= ch <= "\u2fdf"


def profile(texts: list[str]) -> tuple[list[int], list[int], list[float]]:
    """Per non-empty line: length and digit count; per document: share of non-CJK characters."""
    lengths, digits, non_cjk = [], [], []
    for t in texts:
        for line in t.splitlines():
            line = line.strip()
            if line:
                lengths.append(len(line))
                digits.append(sum(ch.isdigit() for ch in line))
        chars = [c for c in t if not c.isspace()]
        non_cjk.append(sum(not _cjk(c) for c in chars) / max(1, len(chars)))
    return lengths, digits, non_cjk


def ks(a: list[float], b: list[float]) -> float:
    a, b = sorted(a), sorted(b)
    return max(abs(bisect.bisect_right(a, x) / len(a) - bisect.bisect_right(b, x) / len(b)) for x in set(a) | set(b))


def distances(real: list[str], synth: list[str]) -> tuple[float, float, float]:
    rl, rd, rn = profile(real)
    sl, sd, sn = profile(synth)
    return ks(rl, sl), ks(rd, sd), abs(statistics.median(rn) - statistics.median(sn))


@pytest.fixture(scope="module")
def real(corpus) -> list[str]:
    paths = sorted(corpus.glob("seeds/*.txt")) + sorted(corpus.glob("dev/docs/*.txt"))
    assert len(paths) >= 5
    return [p.read_text(encoding="utf-8") for p in paths]


def test_generated_text_is_distributed_like_real_reports(real) -> None:
    synth = [d.text for d in generate(150, seed=3)]
    d_len, d_dig, d_share = distances(real, synth)
    assert d_len < KS_LINE_LENGTH, f"line length KS {d_len:.3f}"
    assert d_dig < KS_DIGITS, f"digits per line KS {d_dig:.3f}"
    assert d_share < NON_CJK_MEDIAN, f"non-CJK share median gap {d_share:.3f}"


def test_the_statistic_rejects_toy_text(real) -> None:
    """The same tolerances fail on text a toy generator would write: one table row per line, or
    a single unwrapped paragraph per document."""
    docs = generate(20, seed=3)
    rows_only = ["\n".join(f"规章 {i} 0 {i}" for i in range(40)) for _ in docs]
    d_len, d_dig, _ = distances(real, rows_only)
    assert d_len >= KS_LINE_LENGTH or d_dig >= KS_DIGITS
    one_line = [d.text.replace("\n", "") for d in docs]
    d_len, _, _ = distances(real, one_line)
    assert d_len >= KS_LINE_LENGTH
