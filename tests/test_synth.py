"""The synthetic generator: determinism, exact spans on Chinese text, gold that validates,
disjoint organ pools, every layout, rates that do what they say, CLI files and dataset."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from gongkai.cli import main as cli_main
from gongkai.normalise import normalise
from gongkai.schema import Report
from gongkai.spans import Span, check_spans
from gongkai.synth import LAYOUT_NAMES, generate, layout, to_dataset
from gongkai.synth.builder import Builder, insert, to_spans
from gongkai.synth.layouts import LAYOUTS
from gongkai.synth.narrative import chinese_number
from gongkai.synth.organs import pool_of
from gongkai.template import row_columns


@pytest.fixture(scope="module")
def docs():
    return generate(120, seed=3)


def _digest(ds) -> str:
    h = hashlib.sha256()
    for d in ds:
        h.update(d.text.encode("utf-8"))
        h.update(json.dumps([s.to_dict() for s in d.spans], ensure_ascii=False).encode("utf-8"))
        h.update(json.dumps(d.gold, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return h.hexdigest()


def test_same_seed_same_bytes_and_other_seed_differs() -> None:
    assert _digest(generate(25, seed=9)) == _digest(generate(25, seed=9))
    assert _digest(generate(25, seed=9)) != _digest(generate(25, seed=10))


def test_document_i_does_not_depend_on_the_ones_before_it() -> None:
    whole = generate(6, seed=4)
    tail = generate(2, seed=4, start=4)
    assert [d.text for d in whole[4:]] == [d.text for d in tail]


def test_every_span_is_the_slice_it_names(docs) -> None:
    for d in docs:
        check_spans(d.text, d.spans)
        for s in d.spans:
            assert s.text == s.text.strip() and s.source == "synth", (d.doc_id, s)
        by_label: dict[str, list[Span]] = {}
        for s in d.spans:
            by_label.setdefault(s.label, []).append(s)
        for label, spans in by_label.items():
            spans.sort(key=lambda s: s.start)
            assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False)), (d.doc_id, label)
        # ORGAN at every printing of the full name (all the same text), YEAR once
        assert len(by_label["ORGAN"]) >= 1 and len(by_label["YEAR"]) == 1, d.doc_id
        assert len({normalise(s.text).text for s in by_label["ORGAN"]}) == 1, d.doc_id
        assert by_label["ORGAN"][0].text == d.gold["meta"]["organ"]


def test_gold_validates_against_the_report_model(docs) -> None:
    for d in docs:
        body = {k: v for k, v in d.gold.items() if not k.startswith("_")}
        report = Report.model_validate(body)
        assert report.doc_id == d.doc_id
        assert set(body) == {"schema", "doc_id", "meta", "sections", "active_disclosure", "requests",
                             "review_litigation", "claims"}


def test_gold_offsets_point_into_the_text(docs) -> None:
    for d in docs:
        for key, sec in d.gold["sections"].items():
            if sec:
                assert d.text[sec["start"]: sec["start"] + len(sec["title"])] == sec["title"], (d.doc_id, key)
                assert sec["end"] > sec["start"]
        for c in d.gold["claims"]:
            assert d.text[c["start"]: c["end"]] == c["text"], d.doc_id


def test_claims_follow_the_printed_numbers(docs) -> None:
    seen = Counter()
    for d in docs:
        for c in d.gold["claims"]:
            seen[c["type"]] += 1
            if c["unit"]:
                assert c["text"].rstrip().endswith(c["unit"])
            flat = "".join(c["text"].split())  # a wrap may break 累\n计
            if c["scope"] == "cumulative":
                assert "累计" in flat or "累計" in flat or "共计" in flat
            elif "累计" in flat or "累計" in flat:  # 2021年，累计…: within the year's paragraph
                line = d.text[d.text.rfind("\n", 0, c["start"]) + 1 : c["start"]]
                assert str(d.gold["meta"]["report_year"]) in line or "年" in line
    assert seen["active_disclosure_count"] > 100 and seen["request_count"] > 30 and seen["other_count"] > 5


def test_every_layout_appears_and_can_be_forced() -> None:
    assert set(LAYOUT_NAMES) >= {"space", "tab", "pipe", "pipe_loose", "cell_per_line", "pipe_per_line"}
    for name in LAYOUT_NAMES:
        d = generate(1, seed=2, layout=name)[0]
        assert d.layout == name and d.gold["_synth"]["layout"] == name
    assert generate(1, seed=2, layout="tab")[0].text.count("\t") > 20
    assert generate(1, seed=2, layout="pipe_per_line")[0].text.count(" |\n") > 20


def test_a_new_layout_is_one_function() -> None:
    @layout("semicolon")
    def semicolon(b, line, st) -> None:
        for i, c in enumerate(line.cells):
            b.add("；" if i else "")
            if c.text:
                b.add(c.text, c.label)
        b.add("\n")

    try:
        d = generate(1, seed=5, layout="semicolon", missing_section=0)[0]
        check_spans(d.text, d.spans)
        assert "规章；" in d.text or "規章；" in d.text or "规章" not in d.text
    finally:
        del LAYOUTS["semicolon"]


def test_organ_pools_are_disjoint_and_deterministic() -> None:
    train = generate(60, seed=1, organ_pool="train")
    held = generate(60, seed=1, organ_pool="heldout")
    train_keys = {d.gold["_synth"]["organ_pool"] for d in train}
    assert train_keys == {"train"} and {d.gold["_synth"]["organ_pool"] for d in held} == {"heldout"}
    assert not {d.organ for d in train} & {d.organ for d in held}
    assert pool_of("青山") == pool_of("青山")
    with pytest.raises(ValueError, match="organ_pool"):
        generate(1, organ_pool="test")


def test_unknown_or_bad_rates_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown rate"):
        generate(1, wraps=0.5)
    with pytest.raises(ValueError, match="not in"):
        generate(1, wrap=2)
    with pytest.raises(ValueError, match="unknown layout"):
        generate(1, layout="nope")


def test_noise_rates_change_the_text_and_keep_spans_exact() -> None:
    trad = generate(3, seed=6, traditional=1)
    assert all("traditional" in d.gold["_synth"]["noise"] for d in trad)
    assert any("開" in d.text for d in trad)
    rad = generate(3, seed=6, radicals=1)
    assert any(ch in d.text for d in rad for ch in "⼀⼆⼈⾏")
    full = generate(3, seed=6, fullwidth=1, page_numbers=0)
    assert all(not any(ch.isascii() and ch.isdigit() for ch in d.text) for d in full)
    pages = generate(3, seed=6, page_numbers=1, wrap=1, blank_lines=1, crlf=1)
    for d in [*trad, *rad, *full, *pages]:
        check_spans(d.text, d.spans)
    assert all("\r\n\r\n" in d.text for d in pages)


def test_inconsistencies_are_flagged_in_the_gold() -> None:
    ds = generate(40, seed=8, inconsistent=1, blank_cells=0, blank_table=0, wu_row=0, missing_section=0)
    flagged = 0
    for d in ds:
        broken = d.gold["_synth"]["broken"]
        assert len(broken) == 1
        fails = {c["rule"].rsplit(".", 1)[0] for c in d.gold["_checks"] if c["status"] == "fail"}
        if broken[0] == "claims.requests_vs_table":
            statuses = {c["status"] for c in d.gold["_checks"] if c["rule"] == broken[0]}
            flagged += statuses == {"fail"}
            continue
        statuses = {c["status"] for c in d.gold["_checks"] if c["rule"].startswith(broken[0])}
        if statuses == {"skipped"}:  # the broken row lost its blanks (vertical printing): not checkable
            continue
        assert broken[0] in fails, (d.doc_id, broken, fails)
        flagged += 1
    assert flagged >= 30
    clean = generate(40, seed=8, inconsistent=0, blank_cells=0, blank_table=0, wu_row=0)
    assert not [c for d in clean for c in d.gold["_checks"] if c["status"] == "fail"]


def test_tables_are_mostly_zero_with_some_busy_rows(docs) -> None:
    nonzero = zero = negative = 0
    for d in [*docs, *generate(120, seed=4)]:  # negatives (a net decrease) are rare: two samples
        for table in ("active_disclosure", "requests", "review_litigation"):
            for row in (d.gold[table] or {}).values():
                for k, v in (row or {}).items():
                    if k == "amount_unit" or v is None:
                        continue
                    zero += v == 0
                    nonzero += v != 0
                    negative += v < 0
    assert zero > 5 * nonzero > 0 and negative > 0


def test_templates_and_years() -> None:
    ds = generate(80, seed=12)
    years = {d.gold["meta"]["report_year"] for d in ds}
    assert years <= set(range(2019, 2026)) and len(years) >= 5
    late_2019 = [d for d in ds if d.gold["meta"]["report_year"] >= 2021 and d.gold["_synth"]["template"] == "2019"]
    assert late_2019, "2021+ reports still printing 2019 headers"
    for d in ds:
        date = d.gold["meta"]["publish_date"]
        if date:
            assert int(date[:4]) == d.gold["meta"]["report_year"] + 1


def test_insert_moves_spans_around_chinese_text() -> None:
    b = Builder()
    b.add("全年")
    b.add("主动公开政府信息", "SUBJ_ACTIVE")
    b.add("86", "NUM")
    b.add("条", "UNIT")
    text, raw = b.result()
    new, moved = insert(text, raw, [(0, "\n"), (6, "\n"), (12, "  ")])  # before, inside, between two spans
    spans = to_spans(new, moved)
    assert [s.text for s in spans] == ["主动公开\n政府信息", "86", "条"]
    assert new == "\n全年主动公开\n政府信息86  条"


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (0, 7, 10, 12, 20, 105, 120, 2300)] == [
        "零", "七", "十", "十二", "二十", "一百零五", "一百二十", "二千三百"]


def test_cli_writes_text_spans_and_gold(tmp_path) -> None:
    out = tmp_path / "syn"
    assert cli_main(["synth", "-n", "3", "--seed", "5", "-o", str(out), "--rate", "wrap=1"]) == 0
    stems = sorted(p.name for p in out.iterdir())
    assert len(stems) == 9 and "syn5_00000.spans.json" in stems
    again = tmp_path / "again"
    cli_main(["synth", "-n", "3", "--seed", "5", "-o", str(again), "--rate", "wrap=1"])
    for p in out.iterdir():
        assert p.read_bytes() == (again / p.name).read_bytes()
    text = (out / "syn5_00001.txt").read_text(encoding="utf-8")
    spans = [Span.from_dict(s) for s in json.loads((out / "syn5_00001.spans.json").read_text(encoding="utf-8"))]
    check_spans(text, spans)
    gold = json.loads((out / "syn5_00001.json").read_text(encoding="utf-8"))
    assert gold["doc_id"] == "syn5_00001" and "wrap" in gold["_synth"]["noise"]
    assert cli_main(["synth", "-n", "1", "-o", str(out), "--rate", "nosuch=1"]) == 2


def test_to_dataset_columns(docs) -> None:
    ds = to_dataset(docs[:5])
    assert {"text", "spans", "schema", "layout", "organ"} <= set(ds.column_names)
    row = ds[2]
    assert row["text"] == docs[2].text
    assert json.loads(row["schema"]) == docs[2].gold
    first = row["spans"][0]
    assert row["text"][first["start"]: first["end"]] == first["text"]


def test_bytes_do_not_depend_on_the_process(tmp_path) -> None:
    """Two processes with different hash seeds write identical files (no set order, no time)."""
    import os
    import subprocess
    import sys

    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "gongkai.cli", "synth", "-n", "4", "--seed", "21", "-o", str(out),
                        "--rate", "traditional=0.5", "--rate", "wrap=0.5"], check=True, env=env,
                       capture_output=True)
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1] and len(outs[0]) == 12


def test_line_breaks_never_split_numbers_cells_or_names() -> None:
    ds = generate(30, seed=13, wrap=1, blank_lines=1, page_numbers=1)
    wrapped_claims = 0
    for d in ds:
        for s in d.spans:
            if s.label in ("NUM", "UNIT", "SHARE", "DATE", "YEAR", "ORGAN") or s.label.startswith(("CELL_", "SEC_")):
                assert "\n" not in s.text, (d.doc_id, s)
        wrapped_claims += sum("\n" in c["text"] for c in d.gold["claims"])
    assert wrapped_claims > 0, "wraps inside claim text (subject … unit) are part of the job"


def _partial_rows(gold: dict) -> int:
    """Gold rows with some cells known and some null (a blank cell placed in its column)."""
    n = 0
    for table in ("active_disclosure", "requests", "review_litigation"):
        for row, cells in (gold.get(table) or {}).items():
            vals = [(cells or {}).get(c) for c in row_columns(table, row, gold["_synth"]["template"])]
            n += any(v is None for v in vals) and any(v is not None for v in vals)
    return n


def _misplaced_runs(doc) -> int:
    """Runs of CELL spans after a ROW/COL whose column numbers are not 1, 2, 3…: a reader of the
    printed line would have to know where a blank was to number them."""
    table = sorted((s for s in doc.spans if s.label in ("ROW", "COL") or s.label.startswith("CELL_")),
                   key=lambda s: s.start)
    runs: list[list[int]] = []
    prev = None
    for s in table:
        if s.label.startswith("CELL_"):
            if prev is None or not prev.label.startswith("CELL_"):
                runs.append([])
            runs[-1].append(int(s.label[5:]))
        prev = s
    return sum(run != list(range(1, len(run) + 1)) for run in runs)


def test_space_rows_with_a_blank_cell_are_not_attributable() -> None:
    """docs/labels.md: where a blank cell leaves no trace (space-separated rows), a row with one
    gets no CELL spans and its cells stay out of gold; layouts that show blanks keep them."""
    rates = {"blank_cells": 1.0, "blank_table": 0.0, "wrap": 0.0}
    tab = generate(16, seed=5, layout="tab", **rates)
    space = generate(16, seed=5, layout="space", **rates)
    assert sum(_partial_rows(d.gold) for d in tab) > 10
    assert sum(_misplaced_runs(d) for d in tab) > 10
    assert sum(_partial_rows(d.gold) for d in space) == 0
    assert sum(_misplaced_runs(d) for d in space) == 0
    # the values of those rows are still printed: a ROW line with digits and no CELL after it
    unlabelled = 0
    for d in space:
        for row in (s for s in d.spans if s.label == "ROW"):
            eol = d.text.find("\n", row.end)
            line = d.text[row.end: eol if eol >= 0 else len(d.text)]
            cells = [s for s in d.spans if s.label.startswith("CELL_") and row.end <= s.start < row.end + len(line)]
            unlabelled += any(ch.isdigit() for ch in line) and not cells
    assert unlabelled > 10


def test_bare_page_numbers_never_stand_among_one_per_line_cells() -> None:
    """A bare page number between two one-per-line cell values could not be told from a cell, so
    the generator never puts one there (its gold would be unlearnable)."""
    import re

    docs = generate(40, seed=31, layout="cell_per_line", page_numbers=1.0)
    checked = 0
    for d in docs:
        cell_lines = set()
        for s in d.spans:
            if s.label.startswith("CELL_"):
                cell_lines.add(d.text.count("\n", 0, s.start))
        lines = d.text.split("\n")
        for n, line in enumerate(lines):
            if not re.fullmatch(r"\s*\d+\s*", line) or n in cell_lines:
                continue
            checked += 1  # a bare number that is no cell: a page number
            near = [m for m in range(n - 3, n + 4) if m != n and 0 <= m < len(lines) and lines[m].strip()]
            before = max((m for m in near if m < n), default=None)
            after = min((m for m in near if m > n), default=None)
            assert not (before in cell_lines and after in cell_lines), (d.doc_id, n, line)
    assert checked > 0


def test_vertical_layout_prints_a_narrow_pdf_table() -> None:
    """Layout ``vertical`` (seed 000's shape): header cells and long row labels broken into short
    pieces each on its own line, lines separated by empty ones, values after the label's last piece;
    no piece could be read as a value, and a run of one token per review group (``无 无 无``) gets no
    CELL span and leaves the table out of gold."""
    import re

    docs = generate(60, seed=41, layout="vertical")
    col_pieces = row_pieces = runs = 0
    for d in docs:
        check_spans(d.text, d.spans)
        for s in d.spans:
            if s.label in ("COL", "ROW") and "\n\n" in s.text:
                col_pieces += s.label == "COL"
                row_pieces += s.label == "ROW"
                for piece in re.split(r"\s*\n\s*", s.text):
                    assert piece and not re.fullmatch(r"[无\d.,．—\-/、]+", piece), (d.doc_id, s.text)
                    assert piece[0] not in "，、。；：)）”", (d.doc_id, s.text)
        for m in re.finditer(r"(?m)^(无|0|—|-|/)( \1){2}$", d.text):
            assert not [s for s in d.spans if s.start <= m.start() < s.end or m.start() <= s.start < m.end()]
            assert not any((d.gold.get("review_litigation") or {}).values())
            runs += 1
    assert col_pieces > 100 and row_pieces > 100 and runs >= 1
    assert all("结\n\n果\n\n" in d.text or "結\n\n果\n\n" in d.text for d in docs if "结\n\n果" in d.text)
    assert sum(not any((d.gold.get("requests") or {}).values()) for d in docs) >= 2  # label-only tables


def test_misaligned_tab_rows() -> None:
    """Seed 002's tab rows: a wrapped label's tail on a line of its own below the next row (no span,
    the head stays the ROW), nested rows with a surplus leading empty field, blank lines inside the
    table; the generator's gold is still exact (round trip and rules tests read them back)."""
    docs = generate(30, seed=43, layout="tab", misaligned_tabs=1.0, wrap=0.0, blank_lines=0.0)
    tails = blanks = deep = 0
    for d in docs:
        check_spans(d.text, d.spans)
        starts = {d.text.rfind("\n", 0, s.start) + 1 for s in d.spans}
        s3 = d.text.find("申请人情况")
        body = d.text[s3: d.text.find("\n四、", s3)] if s3 >= 0 else ""
        offset = s3
        for line in body.split("\n"):
            if line.strip() and "\t" in line and not any(ch.isdigit() for ch in line) and offset not in starts:
                tails += 1  # a line of label tails only: nothing on it is labelled
            blanks += not line.strip()
            deep += line.startswith("\t\t\t")
            offset += len(line) + 1
    assert tails > 10 and blanks > 3 and deep > 10
