"""Decoding the model's top tags into one valid IOB2 sequence, and spans from it (Chinese text,
offsets checked)."""

from __future__ import annotations

import numpy as np
import pytest

from gongkai.model.decode import TOP_K, TagSet, decode
from gongkai.model.tags import ID2TAG, TAG2ID, tags_to_spans

TS = TagSet.of(ID2TAG)


def _top(rows: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Top-K arrays from per-character {tag: probability}; unnamed tags fill up with tiny mass."""
    filler = [t for t in ("B-ROW", "B-COL", "B-YEAR", "B-DATE", "B-SHARE")]
    ids, lps = [], []
    for row in rows:
        items = sorted(row.items(), key=lambda kv: -kv[1])
        for t in filler:
            if len(items) >= TOP_K:
                break
            if t not in row:
                items.append((t, 1e-6))
        ids.append([TAG2ID[t] for t, _ in items[:TOP_K]])
        lps.append([np.log(p) for _, p in items[:TOP_K]])
    return np.asarray(ids), np.asarray(lps, dtype=np.float32)


def _tags(rows: list[dict[str, float]]) -> list[str]:
    ids, lps = _top(rows)
    return [ID2TAG[i] for i in decode(ids, lps, TS).tolist()]


def test_a_valid_arg_max_sequence_is_kept() -> None:
    rows = [{"O": 0.9, "B-NUM": 0.1}, {"B-NUM": 0.6, "O": 0.4}, {"I-NUM": 0.7, "O": 0.3}, {"O": 0.99}]
    assert _tags(rows) == ["O", "B-NUM", "I-NUM", "O"]


def test_an_o_inside_a_subject_is_repaired_from_the_second_choice() -> None:
    # 其余政务信息: the model puts 余 at O (0.69) between B and I of the same subject
    text = "，其余政务信息2条"
    part = "SUBJ_ACTIVE_PART"
    rows = [{"O": 1.0},
            {f"B-{part}": 0.5, "O": 0.5},
            {"O": 0.69, f"I-{part}": 0.31},
            *[{f"I-{part}": 0.9, "O": 0.1}] * 4,
            {"B-NUM": 1.0}, {"B-UNIT": 1.0}]
    tags = _tags(rows)
    assert tags[1:7] == [f"B-{part}"] + [f"I-{part}"] * 5
    spans = tags_to_spans(text, tags)
    assert [(s.label, text[s.start:s.end], s.start) for s in spans] == [
        (part, "其余政务信息", 1), ("NUM", "2", 7), ("UNIT", "条", 8)]


def test_a_subject_whose_label_flips_midway_is_read_as_one_label() -> None:
    # 公文类信息 with I-SUBJ_ACTIVE / I-SUBJ_ACTIVE_PART alternating: one span, the likelier label
    a, p = "SUBJ_ACTIVE", "SUBJ_ACTIVE_PART"
    rows = [{"O": 1.0}, {f"B-{p}": 0.6, f"B-{a}": 0.4}, {f"I-{a}": 0.55, f"I-{p}": 0.45},
            {f"I-{p}": 0.9, f"I-{a}": 0.1}, {f"I-{a}": 0.52, f"I-{p}": 0.48}, {f"I-{p}": 0.8, f"I-{a}": 0.2}]
    assert _tags(rows) == ["O", f"B-{p}"] + [f"I-{p}"] * 4


def test_stretches_are_bounded_by_sure_o_and_decoded_independently() -> None:
    # two broken subjects far apart; the sure O between them is kept
    broken = [{"O": 1.0}, {"I-SUBJ_OTHER": 0.6, "B-SUBJ_OTHER": 0.4}, {"I-SUBJ_OTHER": 1.0}]
    rows = broken + [{"O": 0.999}] * 5 + broken
    tags = _tags(rows)
    assert tags == (["O", "B-SUBJ_OTHER", "I-SUBJ_OTHER"] + ["O"] * 5
                    + ["O", "B-SUBJ_OTHER", "I-SUBJ_OTHER"])


def test_first_character_is_never_inside() -> None:
    rows = [{"I-ORGAN": 0.9, "B-ORGAN": 0.1}, {"I-ORGAN": 1.0}]
    assert _tags(rows) == ["B-ORGAN", "I-ORGAN"]


def test_one_character_span_before_its_own_label_opens_the_name() -> None:
    text = "\n张家湾镇人民政府"
    tags = ["O", "B-ORGAN", "B-ORGAN"] + ["I-ORGAN"] * 6
    spans = tags_to_spans(text, tags)
    assert [(s.label, text[s.start:s.end], s.start, s.end) for s in spans] == [("ORGAN", "张家湾镇人民政府", 1, 9)]


def test_one_character_span_before_another_label_s_inside_joins_it() -> None:
    text = "、就业补贴类信息135条"
    tags = ["O", "B-SUBJ_REQUEST_PART"] + ["I-SUBJ_ACTIVE_PART"] * 6 + ["B-NUM", "I-NUM", "I-NUM", "B-UNIT"]
    spans = tags_to_spans(text, tags)
    assert [(s.label, text[s.start:s.end]) for s in spans] == [
        ("SUBJ_ACTIVE_PART", "就业补贴类信息"), ("NUM", "135"), ("UNIT", "条")]


def test_a_function_word_taken_for_a_span_stays_apart() -> None:
    text = "与两城镇人民政府"
    tags = ["B-ORGAN", "B-ORGAN"] + ["I-ORGAN"] * 6
    spans = tags_to_spans(text, tags)
    assert [(text[s.start:s.end], s.start) for s in spans] == [("与", 0), ("两城镇人民政府", 1)]


def test_number_then_unit_stay_two_spans() -> None:
    text = "7件"
    spans = tags_to_spans(text, ["B-NUM", "B-UNIT"])
    assert [(s.label, s.start, s.end) for s in spans] == [("NUM", 0, 1), ("UNIT", 1, 2)]


def test_a_subject_whose_label_changes_for_its_last_characters_stays_one_span() -> None:
    # 主动公开的公文类信息有: I-SUBJ_ACTIVE for the first characters, I-SUBJ_ACTIVE_PART for the last
    # three, with the other label a distant second. Label by label the best valid reading would cut
    # the subject where the label changes; read as one subject it keeps every character.
    text = "，主动公开的公文类信息有156条"
    a, p = "SUBJ_ACTIVE", "SUBJ_ACTIVE_PART"
    rows = [{"O": 1.0}, {f"B-{a}": 0.9, f"B-{p}": 0.1},
            *[{f"I-{a}": 0.9, f"I-{p}": 0.08}] * 7,
            *[{f"I-{p}": 0.9, f"I-{a}": 0.05}] * 3,
            {"B-NUM": 1.0}, {"I-NUM": 1.0}, {"I-NUM": 1.0}, {"B-UNIT": 1.0}]
    tags = _tags(rows)
    spans = tags_to_spans(text, tags)
    assert [(s.label, text[s.start:s.end], s.start) for s in spans] == [
        (a, "主动公开的公文类信息有", 1), ("NUM", "156", 12), ("UNIT", "条", 15)]


def test_empty_and_one_character_texts() -> None:
    empty = np.zeros((0, TOP_K), dtype=np.int64)
    assert decode(empty, np.zeros((0, TOP_K), dtype=np.float32), TS).tolist() == []
    assert _tags([{"I-NUM": 0.8, "B-NUM": 0.2}]) == ["B-NUM"]
    assert _tags([{"O": 1.0}]) == ["O"]


def test_a_chosen_tag_outside_the_top_k_gets_the_share_left_not_zero() -> None:
    from gongkai.model.decode import chosen_logp

    ids, lps = _top([{"I-ORGAN": 0.9, "O": 0.05}])  # B-ORGAN is not among the top K
    chosen = np.asarray([TAG2ID["B-ORGAN"]])
    p = float(np.exp(chosen_logp(ids, lps, chosen, TS.n_tags))[0])
    assert 0 < p < 0.05
    assert float(np.exp(chosen_logp(ids, lps, ids[:, 0], TS.n_tags))[0]) == pytest.approx(0.9, rel=1e-5)


def test_one_character_join_is_for_its_own_label_or_family_only() -> None:
    assert [(s.label, s.start, s.end) for s in tags_to_spans("7件", ["B-NUM", "I-UNIT"])] == [
        ("NUM", 0, 1), ("UNIT", 1, 2)]
    text = "和平区人民政府"  # 和 starts a place name here: not a function word
    spans = tags_to_spans(text, ["B-ORGAN", "B-ORGAN"] + ["I-ORGAN"] * 5)
    assert [(text[s.start:s.end], s.start) for s in spans] == [("和平区人民政府", 0)]
