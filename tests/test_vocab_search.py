"""The table vocabulary's fast search must find exactly what ``PATTERN.search`` finds."""

from __future__ import annotations

import random

from gongkai.rules import vocab as V


def _alphabet() -> list[str]:
    chars = {ch for e in V.ENTRIES for ch in e.full + e.pattern}
    return sorted(chars | set("0123456789.、()七 其他总计"))


def test_prefilter_is_built() -> None:
    # every vocabulary pattern starts with a known character: a new pattern that does not would
    # silently turn the fast path off
    assert V._FIRST is not None


def test_fast_search_equals_pattern_search_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = _alphabet()
    fulls = [e.full for e in V.ENTRIES]
    for _ in range(3000):
        parts = [rng.choice(fulls)[rng.randrange(3):] if rng.random() < 0.4 else "".join(
            rng.choices(alphabet, k=rng.randrange(1, 6))) for _ in range(rng.randrange(1, 8))]
        text = "".join(parts)
        pos = rng.randrange(len(text) + 1)
        a, b = V.search(text, pos), V.PATTERN.search(text, pos)
        assert (a and (a.span(), a.lastindex)) == (b and (b.span(), b.lastindex)), text


def test_fast_search_sees_lookbehind_before_pos() -> None:
    text = "(七)总计"
    m = V.search(text, 3)
    assert m is not None and V.entry_of(m).key == "total_processed"
    assert m.span() == V.PATTERN.search(text, 3).span() == (3, 5)


def test_exact_section_titles_end_as_the_fast_check_expects() -> None:
    from gongkai.rules.sections import _EXACT

    assert all(title[-1] in "况项" for title in _EXACT)
