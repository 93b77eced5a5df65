"""The span layer: offsets are character offsets into the text as read (Chinese, astral, CRLF)."""

from __future__ import annotations

import pytest

from gongkai.spans import CELL_LABELS, LABELS, Span, cell_column, check_spans, sort_spans


def test_span_of_slices_chinese_text_by_code_point() -> None:
    text = "𠀀一、总体情况\r\n全年主动公开政府信息86条"
    start = text.index("86")
    span = Span.of(text, "NUM", start, start + 2)
    assert span.text == "86"
    assert text[span.start : span.end] == "86"
    heading = Span.of(text, "SEC_OVERVIEW", 1, 7)
    assert heading.text == "一、总体情况"  # the astral 𠀀 counts as one character


def test_span_rejects_unknown_label_bad_offsets_and_mismatched_text() -> None:
    with pytest.raises(ValueError, match="unknown span label"):
        Span("CELL_99", 0, 1, "0")
    with pytest.raises(ValueError, match="bad span offsets"):
        Span("NUM", 3, 1, "")
    with pytest.raises(ValueError, match="does not fit"):
        Span("NUM", 0, 2, "1")


def test_check_spans_detects_drift() -> None:
    text = "规章\t0\t0\t0"
    good = [Span.of(text, "ROW", 0, 2), Span.of(text, "CELL_1", 3, 4)]
    check_spans(text, good)
    with pytest.raises(ValueError, match="does not match"):
        check_spans(text, [Span("ROW", 1, 3, "规章")])


def test_dict_round_trip_and_sorting() -> None:
    text = "行政许可 0 7 0"
    spans = [Span.of(text, "CELL_2", 7, 8, 0.9, "model"), Span.of(text, "ROW", 0, 4)]
    assert [Span.from_dict(s.to_dict()) for s in spans] == spans
    assert [s.label for s in sort_spans(spans)] == ["ROW", "CELL_2"]


def test_label_set_is_unique_and_cells_number_columns() -> None:
    assert len(set(LABELS)) == len(LABELS)
    assert [cell_column(label) for label in CELL_LABELS] == list(range(1, 16))
    assert cell_column("ROW") is None
