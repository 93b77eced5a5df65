"""Lenient decoding: one bad byte no longer rejects a report; the replaced positions are recorded
and every offset still indexes the text as read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.batch.discover import DocTask
from gongkai.batch.runner import BatchConfig, process_document
from gongkai.errors import InputError
from gongkai.readers import decode_bytes
from gongkai.readers.text import replaced_positions

TEXT = ("某镇2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本镇主动公开政府信息86条。\n"
        "三、收到和处理政府信息公开申请情况\n全年共收到政府信息公开申请3件。\n")


def _with_bad_byte(data: bytes, at_char: int, text: str, encoding: str, bad: bytes = b"\xff") -> bytes:
    cut = len(text[:at_char].encode(encoding))
    return data[:cut] + bad + data[cut:]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_one_stray_byte_is_replaced_in_place(encoding: str) -> None:
    data = TEXT.encode(encoding)
    at = TEXT.index("主动")
    bad = b"\xff" if encoding != "utf-16" else b"\x00\xd8"  # a lone surrogate in UTF-16
    got = decode_bytes(_with_bad_byte(data, at, TEXT, encoding, bad), "x.txt")
    assert replaced_positions(got) == [at]
    assert got[:at] + got[at + 1:] == TEXT  # nothing else moved: offsets after it shift by one char


def test_too_many_bad_bytes_is_still_an_error() -> None:
    with pytest.raises(InputError, match="cannot decode text: .* undecodable byte sequences"):
        decode_bytes("政府".encode() + b"\xff\xff\x80 \x80\xfe", "bad.txt")


def test_batch_records_replaced_offsets_and_extracts(tmp_path: Path) -> None:
    at = TEXT.index("主动")
    src = tmp_path / "坏字节.txt"
    src.write_bytes(_with_bad_byte(TEXT.encode(), at, TEXT, "utf-8"))
    out = tmp_path / "out"
    out.mkdir()
    oc = process_document(DocTask(str(src), "坏字节", src.name), BatchConfig(str(out), method="rules"))
    assert oc["status"] == "done", oc
    as_read = (out / "坏字节.txt").read_text(encoding="utf-8")
    assert as_read[at] == "\ufffd"
    data = json.loads((out / "坏字节.json").read_text(encoding="utf-8"))
    check = next(c for c in data["checks"] if c["rule"] == "read.replaced_characters")
    assert check["status"] == "fail" and f"at offsets {at}" in check["detail"]
    for c in data["claims"]:
        assert as_read[c["start"]:c["end"]] == c["text"]
    assert any(c["value"] == 3 for c in data["claims"])  # the text after the bad byte is read
    for sec in data["sections"].values():
        if sec:
            assert sec["title"] in as_read[sec["start"]:sec["end"]]
