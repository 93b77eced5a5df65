"""Studio parts that need no server: the generated labeling config, offset units, conversion of
annotation results, records on disk, connection settings and errors, queue ordering."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gongkai.errors import ConfigError, InputError
from gongkai.spans import LABELS, Span
from gongkai.studio.client import Studio, StudioSettings, StudioUnreachable
from gongkai.studio.config import CONFIG_PATH, TEMPLATE_CHOICES, labeling_config
from gongkai.studio.convert import (
    OffsetMismatch,
    Record,
    latest_annotation,
    prediction,
    read_records,
    record_from_task,
    resolve_offsets,
    spans_from_result,
    template_from_result,
    text_hash,
    write_records,
)
from gongkai.studio.push import expand_inputs, make_task, read_text
from gongkai.studio.queue import order_queue

# An invented two-line report fragment: CRLF line ends and a character outside the BMP (𠀀).
TEXT = "𠀀山镇人民政府2023年政府信息公开工作年度报告\r\n一、总体情况\r\n全年主动公开政府信息128条，收到申请5件。\r\n"


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def region(start: int, end: int, text: str | None, labels: list[str], rid: str = "r") -> dict:
    value = {"start": start, "end": end, "labels": labels}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


# ---------------------------------------------------------------- labeling config
def test_committed_config_is_the_generated_one() -> None:
    assert CONFIG_PATH.read_text(encoding="utf-8") == labeling_config(), (
        "annotations/labeling_config.xml is stale: run `gongkai studio config`"
    )


def test_config_has_every_label_once_character_granular_and_template_choices() -> None:
    root = ET.fromstring(labeling_config())
    values = [el.get("value") for el in root.iter("Label")]
    assert values == list(LABELS)
    (text,) = root.iter("Text")
    assert text.get("granularity") == "symbol" and text.get("value") == "$text"
    assert [c.get("value") for c in root.iter("Choice")] == ["2019", "2021", "unknown"]
    assert len({el.get("background") for el in root.iter("Label")}) > 5


def test_config_parses_in_the_label_studio_sdk() -> None:
    from label_studio_sdk.label_interface import LabelInterface

    li = LabelInterface(labeling_config())
    assert li.get_control("label").labels == list(LABELS)
    assert li.get_control("template").labels == list(TEMPLATE_CHOICES)


# ---------------------------------------------------------------- offsets
def test_code_point_offsets_after_astral_char_and_over_crlf() -> None:
    s = TEXT.index("一、总体情况")
    e = TEXT.index("128条") + 4
    assert resolve_offsets(TEXT, s, e, TEXT[s:e]) == (s, e, "code points")
    assert "\r\n" in TEXT[s:e]


def test_utf16_offsets_are_mapped_to_code_points() -> None:
    s = TEXT.index("人民政府")
    us = utf16_len(TEXT[:s])
    assert us == s + 1  # 𠀀 is two UTF-16 units
    assert resolve_offsets(TEXT, us, us + 4, "人民政府") == (s, s + 4, "utf-16")


def test_crlf_collapsed_offsets_are_mapped_back() -> None:
    flat = TEXT.replace("\r\n", "\n")
    s = TEXT.index("收到申请")
    fs = flat.index("收到申请")
    assert fs == s - 2
    a, b, unit = resolve_offsets(TEXT, fs, fs + 4, "收到申请")
    assert (a, b) == (s, s + 4) and unit == "crlf as one"


def test_utf16_and_crlf_collapsed_together() -> None:
    flat = TEXT.replace("\r\n", "\n")
    s = TEXT.index("全年主动公开")
    us = utf16_len(flat[: flat.index("全年主动公开")])
    a, b, unit = resolve_offsets(TEXT, us, us + 6, "全年主动公开")
    assert (a, b) == (s, s + 6)
    assert unit in ("utf-16, crlf as one", "code points")


def test_region_text_with_lf_matches_crlf_slice() -> None:
    s = TEXT.index("一、总体情况")
    e = TEXT.index("全年") + 2
    assert resolve_offsets(TEXT, s, e, TEXT[s:e].replace("\r\n", "\n"))[:2] == (s, e)


def test_offsets_fitting_no_unit_raise() -> None:
    with pytest.raises(OffsetMismatch, match="do not cover"):
        resolve_offsets(TEXT, 3, 7, "收到申请")
    with pytest.raises(OffsetMismatch, match="run past"):
        resolve_offsets(TEXT, 3, 10_000, None)
    with pytest.raises(OffsetMismatch, match="bad offsets"):
        resolve_offsets(TEXT, 7, 3, None)


# ---------------------------------------------------------------- results → spans
def test_spans_from_result_trims_splits_labels_and_reports_problems() -> None:
    s = TEXT.index("128")
    t = TEXT.index("2023")
    u = TEXT.index("收到申请")
    result = [
        region(s - 1, s + 3, TEXT[s - 1 : s + 3], ["NUM"], "a"),  # starts on 息? no: trimmed only of blanks
        region(t, t + 4, "2023", ["YEAR", "NO_SUCH_LABEL"], "b"),
        region(u, u + 4, "别的文字", ["SUBJ_REQUEST"], "c"),
        region(TEXT.index("\r\n"), TEXT.index("\r\n") + 2, "\r\n", ["ROW"], "d"),
        {"from_name": "template", "to_name": "text", "type": "choices", "value": {"choices": ["2021"]}},
    ]
    spans, problems = spans_from_result(TEXT, result)
    assert Span.of(TEXT, "YEAR", t, t + 4, source="human") in spans
    assert Span.of(TEXT, "NUM", s - 1, s + 3, source="human") in spans
    assert all(sp.source == "human" and TEXT[sp.start : sp.end] == sp.text for sp in spans)
    assert len(spans) == 2
    joined = "\n".join(problems)
    assert "NO_SUCH_LABEL" in joined and "region c" in joined and "white space" in joined
    assert template_from_result(result) == "2021"


def test_trailing_blank_selection_is_trimmed() -> None:
    s = TEXT.index("一、总体情况")
    e = s + len("一、总体情况") + 2  # the annotator dragged over the line break
    spans, problems = spans_from_result(TEXT, [region(s, e, TEXT[s:e], ["SEC_OVERVIEW"])])
    assert problems == []
    assert [(sp.start, sp.end, sp.text) for sp in spans] == [(s, s + 6, "一、总体情况")]


def test_latest_live_annotation_wins() -> None:
    anns = [
        {"id": 1, "was_cancelled": False, "updated_at": "2026-01-01T00:00:00Z", "result": []},
        {"id": 2, "was_cancelled": False, "updated_at": "2026-01-03T00:00:00Z", "result": []},
        {"id": 3, "was_cancelled": True, "updated_at": "2026-01-05T00:00:00Z", "result": []},
    ]
    assert latest_annotation({"annotations": anns})["id"] == 2
    assert latest_annotation({"annotations": anns[2:]}) is None
    assert record_from_task({"id": 9, "data": {"text": TEXT}, "annotations": anns[2:]}) is None


def test_record_from_task_uses_latest_annotation_and_doc_id() -> None:
    t = TEXT.index("2023")
    task = {
        "id": 4,
        "data": {"text": TEXT, "doc_id": "镇-1", "sha256": text_hash(TEXT)},
        "annotations": [
            {"id": 1, "updated_at": "2026-01-01", "result": [region(t, t + 4, "2023", ["DATE"])]},
            {"id": 2, "updated_at": "2026-01-02", "result": [region(t, t + 4, "2023", ["YEAR"])]},
        ],
    }
    rec = record_from_task(task)
    assert rec is not None and rec.doc_id == "镇-1" and rec.annotation_id == 2 and rec.task_id == 4
    assert [sp.label for sp in rec.spans] == ["YEAR"]
    assert rec.sha256 == text_hash(TEXT)


# ---------------------------------------------------------------- spans → prediction
def test_prediction_has_every_span_with_scores_and_mean_overall() -> None:
    spans = [
        Span.of(TEXT, "NUM", TEXT.index("128"), TEXT.index("128") + 3, score=0.9),
        Span.of(TEXT, "ORGAN", 0, TEXT.index("2023"), score=0.5),
    ]
    pred = prediction(spans, "rules:test")
    assert pred["model_version"] == "rules:test"
    assert pred["score"] == pytest.approx(0.7)
    values = [r["value"] for r in pred["result"]]
    assert [v["labels"] for v in values] == [["ORGAN"], ["NUM"]]  # in text order
    for r in pred["result"]:
        v = r["value"]
        assert TEXT[v["start"] : v["end"]] == v["text"] and 0 <= r["score"] <= 1
    assert len({r["id"] for r in pred["result"]}) == 2
    assert prediction([], "m")["score"] == 0.0
    with_template = prediction(spans, "m", template="2019")["result"]
    assert template_from_result(with_template) == "2019" and len(with_template) == 3
    with pytest.raises(ValueError, match="template"):
        prediction(spans, "m", template="2020")


def test_make_task_carries_exact_text_doc_id_and_hash() -> None:
    task = make_task(TEXT, "d1", [], "m")
    assert task["data"] == {"text": TEXT, "doc_id": "d1", "sha256": text_hash(TEXT)}
    assert text_hash(TEXT) != text_hash(TEXT.replace("\r\n", "\n"))


# ---------------------------------------------------------------- records on disk
def test_records_round_trip_through_jsonl(tmp_path: Path) -> None:
    t = TEXT.index("2023")
    rec = Record("d1", TEXT, [Span.of(TEXT, "YEAR", t, t + 4, source="human")], template="2021", task_id=3)
    path = tmp_path / "out" / "records.jsonl"
    assert write_records(path, [rec, rec]) == 2
    line = path.read_text(encoding="utf-8").splitlines()[0]
    d = json.loads(line)
    assert "政府" in line and d["text"] == TEXT  # Chinese kept readable, CRLF kept inside the JSON string
    assert d["spans"] == [{"label": "YEAR", "start": t, "end": t + 4, "text": "2023"}]
    back = read_records(path)
    assert back[0].text == TEXT and back[0].spans == rec.spans and back[0].template == "2021"


def test_bad_record_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"doc_id": "a", "text": "甲乙", "spans": []}\n{"doc_id": "b", "text": "甲乙", '
        '"spans": [{"label": "NUM", "start": 0, "end": 1, "text": "乙"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_records(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value)


# ---------------------------------------------------------------- inputs
def test_read_text_keeps_crlf_and_astral_and_expand_finds_documents(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "镇报告.txt"
    doc.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (tmp_path / "docs" / "notes.json").write_text("{}", encoding="utf-8")
    assert expand_inputs([tmp_path / "docs"]) == [doc]
    assert read_text(doc) == TEXT
    with pytest.raises(InputError) as err:
        expand_inputs([tmp_path / "missing.txt"])
    assert "missing.txt" in str(err.value)


# ---------------------------------------------------------------- connection
def test_settings_from_env_name_what_is_missing_and_hide_the_key() -> None:
    with pytest.raises(ConfigError, match="LABEL_STUDIO_API_KEY"):
        StudioSettings.from_env({"LABEL_STUDIO_URL": "http://localhost:8080"})
    with pytest.raises(ConfigError, match="LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY"):
        StudioSettings.from_env({})
    with pytest.raises(ConfigError, match="not an http"):
        StudioSettings.from_env({"LABEL_STUDIO_URL": "localhost:8080", "LABEL_STUDIO_API_KEY": "k"})
    secret = "s3cr3t-token-value"
    s = StudioSettings.from_env({"LABEL_STUDIO_URL": "http://h:1/", "LABEL_STUDIO_API_KEY": secret})
    assert s.url == "http://h:1" and secret not in repr(s)
    assert secret not in repr(Studio(s))


def test_unreachable_server_is_a_clear_error() -> None:
    from studio_server import free_port

    secret = "another-secret-token"
    studio = Studio(StudioSettings(f"http://127.0.0.1:{free_port()}", secret))
    with pytest.raises(StudioUnreachable) as err:
        studio.check()
    assert "cannot reach Label Studio" in str(err.value) and secret not in str(err.value)
    with pytest.raises(StudioUnreachable):
        studio.find_project("x")


# ---------------------------------------------------------------- queue
def test_queue_orders_unlabelled_tasks_lowest_score_first() -> None:
    def task(i: int, score: float | None, span_scores: list[float], annotations: list[dict]) -> dict:
        preds = []
        if score is not None:
            choice = {"type": "choices", "from_name": "template", "value": {"choices": ["2021"]}}
            regions = [{"type": "labels", "score": x} for x in span_scores]
            preds = [{"id": i, "score": score, "result": [*regions, choice]}]
        return {"id": i, "data": {"doc_id": f"d{i}"}, "predictions": preds, "annotations": annotations}

    tasks = [
        task(1, 0.9, [0.9], []),
        task(2, 0.4, [0.4], []),
        task(3, 0.1, [0.1], [{"id": 1, "was_cancelled": False}]),  # labelled: not queued
        task(4, 0.4, [0.1, 0.7], []),  # same mean as 2, weaker span: first
        task(5, None, [], [{"id": 2, "was_cancelled": True}]),  # skipped only, no prediction
    ]
    q = order_queue(tasks)
    assert [x.task_id for x in q] == [5, 4, 2, 1]
    assert [x.task_id for x in order_queue(tasks, 2)] == [5, 4]
    assert q[1].min_span_score == 0.1 and q[1].n_spans == 2


# ---------------------------------------------------------------- pull outputs from an export
def test_write_outputs_from_an_export(tmp_path: Path) -> None:
    from gongkai.studio.pull import safe_name, write_outputs

    t = TEXT.index("2023")
    h = TEXT.index("一、总体情况")
    export = [
        {
            "id": 1,
            "data": {"text": TEXT, "doc_id": "a/b", "sha256": text_hash(TEXT)},
            "annotations": [
                {
                    "id": 5,
                    "updated_at": "2026-01-01",
                    "result": [
                        region(t, t + 4, "2023", ["YEAR"], "y"),
                        region(h, h + 6, "一、总体情况", ["SEC_OVERVIEW"], "s"),
                        region(0, 3, "不对的", ["ORGAN"], "bad"),
                    ],
                }
            ],
            "predictions": [],
        },
        {"id": 2, "data": {"text": "无标注", "doc_id": "b"}, "annotations": [], "predictions": []},
    ]
    res = write_outputs(export, tmp_path / "out")
    assert json.loads((tmp_path / "out" / "export.json").read_text(encoding="utf-8")) == export
    assert res.tasks == 2 and [r.doc_id for r in res.records] == ["a/b"]
    assert [p.name for p in res.gold_files] == [f"{safe_name('a/b')}.json"] == ["a_b.json"]
    gold = json.loads(res.gold_files[0].read_text(encoding="utf-8"))
    assert gold["doc_id"] == "a/b" and gold["meta"]["report_year"] == 2023
    assert gold["sections"]["overview"]["title"] == "一、总体情况"
    problems = (tmp_path / "out" / "problems.txt").read_text(encoding="utf-8")
    assert "region bad" in problems and "a/b (task 1)" in problems
    assert safe_name("..") == "_"
