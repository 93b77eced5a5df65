"""Fuzzing the edges a batch meets: random bytes as report files, random text through the
normaliser, random spans through the post-processor. Nothing but the documented error types
(``GongkaiError`` subclasses) may escape, and the batch's per-document function never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters reports are made of: digits, table words, ordinals, punctuation (full and half
# width), traditional forms, line breaks and tabs, so random text hits the real code paths.
REPORT_CHARS = (
    "一二三四五六七八九十零〇两百千万余0123456789.-—/无"
    "政府信息公开工作年度报告总体情况主动申请件条本年新收上年结转予以部分不予无法提供处理"
    "行政复议诉讼结果维持纠正其他尚未审结计规章规范性文件许可处罚强制收费采购金额万元"
    "镇人民政府市县区局办公室日期發佈資訊處"
    "（）()、。，,:：；“”《》【】%％ \t\n\r\u3000\f#|"
)
report_text = st.text(alphabet=st.sampled_from(REPORT_CHARS), max_size=400)

# Random bytes, and random bytes behind each format's magic number so the parsers go deeper.
MAGIC = {".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04", ".html": b"<html><body><table><tr><td>", ".txt": b"\xef\xbb\xbf"}
file_bytes = st.tuples(st.sampled_from(sorted(MAGIC)), st.booleans(), st.binary(min_size=0, max_size=2000))


def _write(folder: Path, suffix: str, magic: bool, data: bytes) -> Path:
    path = folder / f"随机{suffix}"
    path.write_bytes((MAGIC[suffix] if magic else b"") + data)
    return path


@FUZZ
@given(file_bytes)
def test_readers_raise_only_documented_errors(case: tuple[str, bool, bytes]) -> None:
    from gongkai.readers import read_document

    suffix, magic, data = case
    with tempfile.TemporaryDirectory() as d:
        path = _write(Path(d), suffix, magic, data)
        try:
            text = read_document(path)
        except GongkaiError as exc:
            assert str(path) in str(exc) or path.name in str(exc), f"error does not name the file: {exc}"
        else:
            assert isinstance(text, str) and text.strip()


@FUZZ
@given(report_text)
def test_normaliser_never_raises_and_maps_back_inside_the_text(text: str) -> None:
    from gongkai.normalise import normalise

    try:
        norm = normalise(text)
    except GongkaiError:
        return
    assert norm.raw == text
    n = len(norm.text)
    for a, b in ((0, n), (0, n // 2), (n // 3, n)):
        rs, re_ = norm.to_raw(a, b)
        assert 0 <= rs <= re_ <= len(text)


@st.composite
def text_and_spans(draw):
    from gongkai.spans import LABELS, Span

    text = draw(st.text(alphabet=st.sampled_from(REPORT_CHARS), min_size=1, max_size=300))
    n = draw(st.integers(0, 25))
    spans = []
    for _ in range(n):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 20)))
        spans.append(Span.of(text, draw(st.sampled_from(LABELS)), a, b, draw(st.floats(0, 1)), "model"))
    return text, spans


@FUZZ
@given(text_and_spans())
def test_post_processor_takes_any_spans(case) -> None:
    from gongkai.assemble import assemble

    text, spans = case
    try:
        report = assemble(text, spans, "随机")
    except GongkaiError:
        return
    data = report.to_json_dict()
    assert data["doc_id"] == "随机"
    for sec in data["sections"].values():
        if sec:
            assert 0 <= sec["start"] <= sec["end"] <= len(text)
    for claim in data["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]


@pytest.fixture(scope="module")
def fuzz_out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-out")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(file_bytes)
def test_batch_unit_of_work_never_raises(fuzz_out: Path, case: tuple[str, bool, bytes]) -> None:
    from gongkai.batch.discover import DocTask
    from gongkai.batch.runner import BatchConfig, process_document

    suffix, magic, data = case
    with tempfile.TemporaryDirectory() as d:
        path = _write(Path(d), suffix, magic, data)
        out = process_document(DocTask(str(path), "随机", path.name), BatchConfig(str(fuzz_out), method="rules"))
    assert out["status"] in ("done", "failed")
    if out["status"] == "failed":
        err = out["error"]
        assert err["file"] == str(path) and err["stage"] and err["message"]
        assert "traceback" not in err, f"unexpected error (a bug, not bad input):\n{err.get('traceback')}"
        assert not (fuzz_out / "随机.json").exists()
    else:
        assert (fuzz_out / "随机.json").is_file() and (fuzz_out / "随机.txt").is_file()
