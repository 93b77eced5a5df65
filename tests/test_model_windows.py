"""Sliding windows: full coverage, deterministic merge by distance from the window edge."""

from __future__ import annotations

import random

import pytest

from gongkai.model.tags import NormSpan, spans_to_tags, tags_to_spans
from gongkai.model.windows import make_windows, merge, owner_of_positions


@pytest.mark.parametrize("n", [0, 1, 100, 512, 513, 900, 5000, 12345])
def test_windows_cover_every_position_without_truncation(n: int) -> None:
    ws = make_windows(n, 512, 128)
    covered = set()
    for s, e in ws:
        assert 0 <= s < e <= n and e - s <= 512
        covered.update(range(s, e))
    assert covered == set(range(n))
    for (s1, e1), (s2, _) in zip(ws, ws[1:], strict=False):
        assert s2 > s1 and e1 - s2 >= 128  # consecutive windows overlap by at least the overlap


def test_merge_takes_the_window_where_the_position_is_farthest_from_an_edge() -> None:
    n = 1000
    ws = make_windows(n, 512, 128)
    per_window = [[w] * (e - s) for w, (s, e) in enumerate(ws)]  # each window "predicts" its own index
    merged = merge(n, ws, per_window)
    assert len(merged) == n
    for p, w in enumerate(merged):
        s, e = ws[w]
        d = min(p - s, e - 1 - p)
        for s2, e2 in ws:
            if s2 <= p < e2:
                assert d >= min(p - s2, e2 - 1 - p)


def test_merge_is_deterministic_and_independent_of_window_order() -> None:
    n = 3000
    ws = make_windows(n, 256, 64)
    rng = random.Random(5)
    preds = [[rng.randint(0, 9) for _ in range(e - s)] for s, e in ws]
    first = merge(n, ws, preds)
    assert first == merge(n, ws, preds)
    assert owner_of_positions(n, ws) == owner_of_positions(n, list(ws))


def test_long_document_roundtrips_through_windows_without_dropping_text() -> None:
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(4321))
    ws = make_windows(len(text), 512, 128)
    pieces = [list(text[s:e]) for s, e in ws]
    assert "".join(merge(len(text), ws, pieces)) == text


def test_bad_window_settings_are_rejected() -> None:
    with pytest.raises(ValueError):
        make_windows(10, 100, 100)


def test_tags_roundtrip_and_trim_whitespace() -> None:
    text = "全年主动公开政府信息 86 条\n规章\t0"
    spans = [NormSpan("SUBJ_ACTIVE", 0, 11), NormSpan("NUM", 10, 14), NormSpan("UNIT", 14, 15),
             NormSpan("ROW", 16, 18), NormSpan("CELL_1", 19, 20)]
    tags, skipped = spans_to_tags(text, spans)
    assert skipped == 0
    back = tags_to_spans(text, tags)
    assert [(s.label, text[s.start:s.end]) for s in back] == [
        ("SUBJ_ACTIVE", "全年主动公开政府信息"), ("NUM", "86"), ("UNIT", "条"), ("ROW", "规章"), ("CELL_1", "0")]


def test_overlapping_span_is_skipped_and_counted() -> None:
    tags, skipped = spans_to_tags("规章规章", [NormSpan("ROW", 0, 3), NormSpan("COL", 2, 4)])
    assert skipped == 1 and tags[:3] == ["B-ROW", "I-ROW", "I-ROW"] and tags[3] == "O"


def test_lenient_decoding_keeps_a_span_without_b_tag_and_scores_by_mean() -> None:
    text = "ab12cd"
    tags = ["O", "O", "I-NUM", "I-NUM", "B-UNIT", "O"]
    spans = tags_to_spans(text, tags, [1, 1, 0.5, 0.7, 0.9, 1])
    assert [(s.label, s.start, s.end) for s in spans] == [("NUM", 2, 4), ("UNIT", 4, 5)]
    assert spans[0].score == pytest.approx(0.6)
