"""Span → IOB2 conversion and seqeval strict scoring on hand-computed cases."""

from __future__ import annotations

import pytest

from gongkai.evaluate.seqeval_metrics import confusion, spans_to_iob2, strict_scores
from gongkai.spans import Span

TEXT = "全年主动公开政府信息86条，其中工作动态12条。"


def _span(label: str, piece: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(piece, start + 1)
    return Span.of(TEXT, label, start, start + len(piece))


def test_spans_to_iob2_on_chinese_text_uses_character_offsets() -> None:
    spans = [
        _span("SUBJ_ACTIVE", "全年主动公开政府信息"),
        _span("NUM", "86"),
        _span("UNIT", "条"),
        _span("SUBJ_ACTIVE_PART", "工作动态"),
        _span("NUM", "12"),
        _span("UNIT", "条", 1),
    ]
    tags, skipped = spans_to_iob2(len(TEXT), spans)
    assert skipped == 0 and len(tags) == len(TEXT)
    assert tags[:11] == ["B-SUBJ_ACTIVE"] + ["I-SUBJ_ACTIVE"] * 9 + ["B-NUM"]
    assert tags[10:13] == ["B-NUM", "I-NUM", "B-UNIT"]
    i = TEXT.index("工作动态")
    assert tags[i - 1] == "O" and tags[i : i + 4] == ["B-SUBJ_ACTIVE_PART"] + ["I-SUBJ_ACTIVE_PART"] * 3
    assert tags[-1] == "O"


def test_overlapping_span_is_skipped_and_counted() -> None:
    outer = _span("SUBJ_ACTIVE", "全年主动公开政府信息")
    inner = _span("ORGAN", "政府")
    tags, skipped = spans_to_iob2(len(TEXT), [inner, outer])
    assert skipped == 1 and tags[0] == "B-SUBJ_ACTIVE" and "B-ORGAN" not in tags


def test_adjacent_spans_of_one_label_stay_two_entities() -> None:
    text = "0无"
    tags, _ = spans_to_iob2(2, [Span.of(text, "CELL_1", 0, 1), Span.of(text, "CELL_1", 1, 2)])
    assert tags == ["B-CELL_1", "B-CELL_1"]


def test_strict_mode_i_after_o_is_not_an_entity() -> None:
    gold = [["O", "B-NUM", "I-NUM"]]
    pred = [["O", "I-NUM", "I-NUM"]]  # lenient (conlleval) decoding would call this a correct NUM
    s = strict_scores(gold, pred)
    assert s["NUM"].support == 1
    assert (s["NUM"].precision, s["NUM"].recall, s["NUM"].f1) == (0.0, 0.0, 0.0)
    from seqeval.metrics import f1_score

    assert f1_score(gold, pred) == 1.0  # the default mode would have hidden the error


def test_strict_mode_adjacent_b_b_versus_one_long_entity() -> None:
    gold = [["B-UNIT", "B-UNIT", "O", "B-NUM"]]
    merged = [["B-UNIT", "I-UNIT", "O", "B-NUM"]]
    s = strict_scores(gold, merged)
    assert s["UNIT"].support == 2 and s["UNIT"].precision == 0.0 and s["UNIT"].recall == 0.0
    assert s["NUM"].f1 == 1.0
    # micro: 1 of 2 predicted entities right, 1 of 3 gold found
    assert s["micro avg"].precision == 0.5
    assert s["micro avg"].recall == pytest.approx(1 / 3)
    exact = strict_scores(gold, gold)
    assert exact["UNIT"].f1 == 1.0 and exact["micro avg"].f1 == 1.0


def test_strict_scores_partial_match_counts_by_hand() -> None:
    gold = [["B-ORGAN", "I-ORGAN", "O", "B-YEAR"], ["B-DATE", "I-DATE", "O", "O"]]
    pred = [["B-ORGAN", "I-ORGAN", "O", "O"], ["B-DATE", "O", "O", "B-YEAR"]]
    s = strict_scores(gold, pred)
    assert s["ORGAN"].f1 == 1.0
    assert (s["YEAR"].precision, s["YEAR"].recall, s["YEAR"].support) == (0.0, 0.0, 1)
    assert (s["DATE"].precision, s["DATE"].recall) == (0.0, 0.0)  # truncated span is wrong in strict
    assert s["micro avg"].precision == pytest.approx(1 / 3) and s["micro avg"].recall == pytest.approx(1 / 3)


def test_strict_scores_rejects_misaligned_sequences() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        strict_scores([["O", "B-NUM"]], [["O"]])
    assert strict_scores([["O"]], [["O"]]) == {}


def test_confusion_counts_characters_by_label() -> None:
    gold = [["B-NUM", "I-NUM", "B-UNIT", "O", "O"]]
    pred = [["B-NUM", "B-UNIT", "B-UNIT", "B-NUM", "O"]]
    labels, m = confusion(gold, pred)
    assert labels == ["NUM", "UNIT", "O"]
    assert m == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert sum(map(sum, m)) == 5


def test_strict_scores_agree_with_seqeval_classification_report() -> None:
    """Our counting over seqeval's strict entities equals seqeval's own strict report."""
    import random

    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    rng = random.Random(3)
    tags = ["O", "B-NUM", "I-NUM", "B-UNIT", "I-UNIT", "B-ROW"]
    gold = [[rng.choice(tags) for _ in range(rng.randint(1, 40))] for _ in range(30)]
    pred = [[t if rng.random() < 0.7 else rng.choice(tags) for t in seq] for seq in gold]
    ours = strict_scores(gold, pred)
    ref = classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    for label in ("NUM", "UNIT", "ROW", "micro avg"):
        assert ours[label].precision == pytest.approx(ref[label]["precision"])
        assert ours[label].recall == pytest.approx(ref[label]["recall"])
        assert ours[label].f1 == pytest.approx(ref[label]["f1-score"])
        assert ours[label].support == ref[label]["support"]
