"""The model's slot feature counts a row's columns the way the rules align them (gongkai.rules.grid):
in rows whose cells are closed or separated by ``|`` lines, a value's slot is its field."""

from __future__ import annotations

from gongkai.model.slots import slot_ids
from gongkai.normalise import normalise
from gongkai.spans import cell_column
from gongkai.synth import generate


def test_cells_between_lone_pipe_lines_get_their_column() -> None:
    text = "规章\n|\n0\n|\n\n|\n7\n|\n|\n规范性文件 |\n12 |\n|\n15 |\n||\n"
    ids = slot_ids(text)
    assert ids[text.index("0\n")] == 1 and ids[text.index("7\n")] == 3
    assert ids[text.index("12")] == 1 and ids[text.index("15")] == 3
    assert all(ids[i] == 0 for i, ch in enumerate(text) if ch in "规章范性文件")


def test_generated_one_per_line_pipe_layouts_agree_with_the_generators_columns() -> None:
    for layout in ("pipe_cells", "pipe_per_line"):
        total = wrong = 0
        for d in generate(12, seed=77, layout=layout):
            norm = normalise(d.text)
            ids = slot_ids(norm.text)
            for s in d.spans:
                k = cell_column(s.label)
                if k:
                    total += 1
                    wrong += ids[norm.to_norm(s.start, s.end)[0]] != k
        assert total > 1000 and wrong / total < 0.005, (layout, wrong, total)
