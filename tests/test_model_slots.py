"""The value-slot feature: the k-th cell after a row label gets slot k in every table layout."""

from __future__ import annotations

from gongkai.model.slots import MAX_SLOT, slot_ids


def _slots_of_values(text: str) -> list[int]:
    """Slot of the first character of every value run."""
    ids = slot_ids(text)
    out = []
    for i, ch in enumerate(text):
        if ch.isdigit() and (i == 0 or not text[i - 1].isdigit()):
            out.append(ids[i])
    return out


def test_one_slot_per_character_on_chinese_text():
    text = "行政处罚\t0\t12\t0\n𠀀说明"
    assert len(slot_ids(text)) == len(text)
    assert slot_ids("") == []


def test_space_tab_and_one_cell_per_line_rows_count_the_same():
    for text in ("行政处罚 3 0 12", "行政处罚\t3\t0\t12", "行政处罚\n 3\n0 \n  12"):
        assert _slots_of_values(text) == [1, 2, 3], text


def test_an_empty_cell_between_separators_still_advances_the_column():
    assert _slots_of_values("行政处罚 |  | 109 |  |") == [2]
    assert _slots_of_values("| 行政强制 | 4 | | 7 |") == [1, 3]
    assert _slots_of_values("\t\t1\t2\t\t3") == [3, 4, 6]  # a line starting with a tab: empty first field


def test_one_cell_per_line_counts_lines_and_blank_lines_are_blank_cells():
    assert _slots_of_values("其他对外管理服务事项\n\n90\n1\n行政处罚\n 7 \n") == [2, 3, 1]
    assert _slots_of_values("行政处罚 |\n|\n5 |\n||\n行政强制 |\n3 |\n") == [2, 1]


def test_a_document_with_a_blank_line_after_every_line_counts_in_double_breaks():
    single = "信息内容\n数量\n规章\n0\n\n1\n规范性文件\n4\n5\n6\n"
    double = single.replace("\n", "\n\n")
    assert _slots_of_values(single) == _slots_of_values(double) == [1, 3, 1, 2, 3]


def test_a_label_restarts_the_count_and_labels_get_zero():
    text = "总计 1 2\n行政强制 5"
    ids = slot_ids(text)
    assert _slots_of_values(text) == [1, 2, 1]
    assert all(ids[i] == 0 for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff")


def test_placeholders_and_signs_are_values():
    assert slot_ids("收费 -1 无 -")[-1] == 3
    assert _slots_of_values("收费 -1 5") == [1, 2]


def test_the_count_is_capped():
    text = "总计" + " 1" * (MAX_SLOT + 10)
    assert max(slot_ids(text)) == MAX_SLOT
