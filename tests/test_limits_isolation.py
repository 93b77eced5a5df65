"""Hard reader limits (zip bombs, long texts, many pages, deep HTML) and per-document isolation
(a worker that dies, hangs or balloons loses only its document, recorded before the next starts)."""

from __future__ import annotations

import io
import json
import os
import struct
import time
import zipfile
from pathlib import Path

import pytest

from gongkai.batch.discover import DocTask
from gongkai.batch.runner import BatchConfig, run_batch, run_local
from gongkai.errors import ConfigError, InputError
from gongkai.readers import read_document
from gongkai.readers.limits import check_zip, limits

# ----------------------------------------------------------------------- limits


def _bomb_bytes(mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:p/>" * (mb * 1024 * 1024 // 6))
    return buf.getvalue()


def _lie_about_size(data: bytes) -> bytes:
    """The same zip with every declared uncompressed size set to 10 bytes (a lying directory)."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = b.find(sig)
        while i != -1:
            b[i + off:i + off + 4] = struct.pack("<I", 10)
            i = b.find(sig, i + 4)
    return bytes(b)


def test_zip_bomb_refused_by_declared_and_by_actual_size(tmp_path: Path, monkeypatch) -> None:
    data = _bomb_bytes(8)  # 8 MB of XML in a few KB: far past the ratio limit
    with pytest.raises(InputError, match="unpacks .*× its packed size.*zip bomb"):
        check_zip(data, "x.docx")
    monkeypatch.setenv("GONGKAI_MAX_ZIP_RATIO", "100000")
    monkeypatch.setenv("GONGKAI_MAX_UNZIPPED_BYTES", str(4 * 1024 * 1024))
    with pytest.raises(InputError, match=r"unpacks to [\d,]+ bytes \(limit 4,194,304"):
        check_zip(data, "x.docx")
    # a directory that lies about the sizes: zipfile reads only the declared bytes, then the CRC fails
    with pytest.raises(InputError, match=r"x\.docx: (zip package unpacks to at least|damaged zip)"):
        check_zip(_lie_about_size(data), "x.docx")
    (tmp_path / "炸弹.docx").write_bytes(data)
    monkeypatch.delenv("GONGKAI_MAX_ZIP_RATIO")
    monkeypatch.delenv("GONGKAI_MAX_UNZIPPED_BYTES")
    with pytest.raises(InputError, match="炸弹.docx: zip member word/document.xml unpacks"):
        read_document(tmp_path / "炸弹.docx")


def test_limits_come_from_the_environment(monkeypatch) -> None:
    assert limits().pages == 300
    monkeypatch.setenv("GONGKAI_MAX_PAGES", "7")
    assert limits().pages == 7
    monkeypatch.setenv("GONGKAI_MAX_PAGES", "seven")
    with pytest.raises(ConfigError, match="GONGKAI_MAX_PAGES must be a whole number"):
        limits()


def test_text_characters_and_pdf_pages_and_html_depth(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_MAX_CHARS", "1000")
    (tmp_path / "长.txt").write_text("一、总体情况\n" + "公开" * 600, encoding="utf-8")
    with pytest.raises(InputError, match=r"长\.txt: text too long \(1,207 characters; limit 1,000"):
        read_document(tmp_path / "长.txt")
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "多页.pdf"))
    for i in range(12):
        c.drawString(72, 720, f"page {i}")
        c.showPage()
    c.save()
    monkeypatch.setenv("GONGKAI_MAX_PAGES", "10")
    with pytest.raises(InputError, match="PDF has 12 pages"):
        read_document(tmp_path / "多页.pdf")
    monkeypatch.setenv("GONGKAI_MAX_PAGES", "12")
    assert "page 11" in read_document(tmp_path / "多页.pdf")
    n = 1000  # past the default limit (900): refused with a reason rather than read partly
    (tmp_path / "深.html").write_text("<html><body>" + "<div>" * n + "一、总体情况" + "</div>" * n
                                      + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="HTML nested more than 900 elements deep"):
        read_document(tmp_path / "深.html")
    (tmp_path / "浅.html").write_text("<html><body>" + "<div>" * 100 + "一、总体情况" + "</div>" * 100
                                      + "</body></html>", encoding="utf-8")
    assert read_document(tmp_path / "浅.html").strip() == "一、总体情况"


# ----------------------------------------------------------------------- isolation
# Units of work are module-level so that worker processes can import them.

def die_on_bomb(task, cfg) -> dict:
    if "炸弹" in task.doc_id:
        os._exit(3)
    return {"doc_id": task.doc_id, "file": task.path, "status": "done", "seconds": 0.0}


def hang_or_grow(task, cfg) -> dict:
    if task.doc_id == "挂起":
        time.sleep(60)
    if task.doc_id == "膨胀":
        hog = bytearray(400 * 1024 * 1024)  # touched, so it is resident
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        time.sleep(60)
    Path(cfg.out_dir, f"{task.doc_id}.pid").write_text(str(os.getpid()), encoding="utf-8")
    return {"doc_id": task.doc_id, "file": task.path, "status": "done", "seconds": 0.0}


def _tasks(tmp_path: Path, names: list[str]) -> list[DocTask]:
    return [DocTask(str(tmp_path / f"{n}.txt"), n, f"{n}.txt") for n in names]


def test_one_worker_records_the_killer_before_the_next_document(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, ["甲", "炸弹", "乙", "丙"])
    cfg = BatchConfig(out_dir=str(tmp_path / "out"), method="rules")
    seen: list[tuple[str, list[str]]] = []

    def on_outcome(oc: dict) -> None:  # what errors.jsonl holds as each outcome arrives
        lines = (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        seen.append((oc["doc_id"], [json.loads(x)["doc_id"] for x in lines]))

    res = run_batch(tasks, cfg, workers=1, progress=False, work=die_on_bomb, on_outcome=on_outcome)
    assert (res.done, res.failed) == (3, 1)
    assert [d for d, _ in seen] == ["甲", "炸弹", "乙", "丙"]  # one at a time, in order
    assert seen[1][1] == ["炸弹"]  # flushed to disk before the next document started
    err = res.errors[0]
    assert err.stage == "worker" and "died" in err.message and "exit status 3" in err.message


def test_time_and_memory_limits_stop_only_their_document(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_DOC_TIMEOUT", "3")
    monkeypatch.setenv("GONGKAI_WORKER_MAX_MB", "300")
    out = tmp_path / "out"
    out.mkdir()
    tasks = _tasks(tmp_path, ["甲", "挂起", "乙", "膨胀", "丙"])
    cfg = BatchConfig(out_dir=str(out), method="rules")
    t0 = time.monotonic()
    got = {o["doc_id"]: o for o in run_local(tasks, cfg, workers=2, work=hang_or_grow)}
    assert time.monotonic() - t0 < 40  # neither the 60 s sleeps nor the hog held the batch
    assert got["挂起"]["status"] == "failed" and "took longer than 3 s" in got["挂起"]["error"]["message"]
    assert got["膨胀"]["status"] == "failed" and "GONGKAI_WORKER_MAX_MB=300" in got["膨胀"]["error"]["message"]
    assert all(got[k]["status"] == "done" for k in ("甲", "乙", "丙"))
    assert sorted(p.stem for p in out.glob("*.pid")) == sorted(["甲", "乙", "丙"])
