"""A hostile batch, as a new user's folder might be: a zip-bomb DOCX, a 30 MB text, a 500-page
PDF, binary, empty, unreadable and dangling files, a .doc, a guide page (no report), GBK and UTF-16
reports, a DOCX report.
`gongkai extract` with default settings (a separate process, as a user runs it) must finish,
stay under 1.5 GB of memory for all its processes together, record every bad file with its reason
and extract every good one; killed mid-run and rerun, nothing may be lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gongkai.batch.output import leftover_temp_files
from gongkai.schema import Report

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
PEAK_LIMIT_MB = 1536


# ----------------------------------------------------------------------- hostile files

def zip_bomb_docx(path: Path, mb: int = 160) -> None:
    """A DOCX (a real one's parts) whose document.xml unpacks to ``mb`` MB from a few hundred KB."""
    import docx

    tmp = path.with_suffix(".seed.docx")
    docx.Document().save(str(tmp))
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body>')
            block = (b"<w:p><w:r><w:t>" + "年报".encode() * 300 + b"</w:t></w:r></w:p>") * 1000
            for _ in range(mb * 1024 * 1024 // len(block) + 1):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    tmp.unlink()


def many_page_pdf(path: Path, pages: int = 500) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()


def report_docx(path: Path, text: str) -> None:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(str(path))


def build(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Write the batch. Returns (good doc_id -> text, bad doc_id -> words its error must say)."""
    from gongkai.synth import generate

    folder.mkdir(parents=True)
    docs = generate(8, 41)
    good: dict[str, str] = {}
    for i, doc in enumerate(docs[:3]):
        (folder / f"年报{i}.txt").write_text(doc.text, encoding="utf-8")
        good[f"年报{i}"] = doc.text
    gbk = next(d for d in docs[3:] if _fits_gbk(d.text))
    (folder / "国标.txt").write_bytes(gbk.text.encode("gbk"))
    good["国标"] = gbk.text
    (folder / "宽字符.txt").write_bytes(docs[7].text.encode("utf-16"))
    good["宽字符"] = docs[7].text
    report_docx(folder / "文档.docx", docs[6].text)
    good["文档"] = None  # text as the DOCX reader gives it

    bad = {
        "炸弹": "zip bomb",
        "巨大": "too large",
        "长篇": "pages",
        "二进制": "binary",
        "空白": "empty",
        "旧格式": ".doc",
        "断链__txt": "file not found",  # a refused entry keeps its extension in its id (never a document's id)
        "指南": "政府信息公开指南",
    }
    from test_detect import GUIDE

    (folder / "指南.html").write_text("<html><body><h1>" + GUIDE.replace("\n", "</h1><p>", 1).replace(
        "\n", "</p><p>") + "</p></body></html>", encoding="utf-8")
    zip_bomb_docx(folder / "炸弹.docx")
    with open(folder / "巨大.txt", "wb") as fh:  # 30 MB of text
        line = "本机关全年主动公开政府信息若干条。\n".encode()
        fh.write(line * (30 * 1024 * 1024 // len(line)))
    many_page_pdf(folder / "长篇.pdf")
    (folder / "二进制.txt").write_bytes(os.urandom(64 * 1024))
    (folder / "空白.txt").write_bytes(b"")
    (folder / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    (folder / "断链.txt").symlink_to(folder / "不存在的文件.txt")
    locked = folder / "无权限.txt"
    locked.write_text(docs[5].text, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads it anyway: then it is a good file
        good["无权限"] = docs[5].text
    else:
        bad["无权限"] = "cannot open"
    return good, bad


def _fits_gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


# ----------------------------------------------------------------------- running it

def _tree_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants together (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(rss.get(p, 0) for p in tree) / 2**20


def extract(src: Path, out: Path, kill_after_first: bool = False) -> tuple[int, float, str]:
    """Run `gongkai extract SRC -o OUT --format jsonl` (defaults otherwise); returns (exit status,
    peak MB of the whole process tree, stderr). With ``kill_after_first`` the whole process group is
    SIGKILLed once the first report JSON appears."""
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "extract", str(src), "-o", str(out),
                             "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV, start_new_session=True)
    peak = 0.0
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        peak = max(peak, _tree_rss_mb(proc.pid))
        if kill_after_first and any(p.name.startswith("年报") for p in out.glob("*.json")):
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    if proc.poll() is None and not kill_after_first:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the batch did not finish in 10 minutes")
    _, err = proc.communicate(timeout=60)
    return proc.returncode, peak, err


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict, dict]:
    src = tmp_path_factory.mktemp("hostile") / "in"
    good, bad = build(src)
    return src, good, bad


def check_outputs(out: Path, good: dict, bad: dict) -> None:
    for doc_id, text in good.items():
        data = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
        Report.model_validate(data)
        as_read = (out / f"{doc_id}.txt").read_text(encoding="utf-8")
        if text is not None:
            assert as_read == text, doc_id
        for claim in data["claims"]:
            assert as_read[claim["start"]:claim["end"]] == claim["text"]
    errors = read_jsonl(out / "errors.jsonl")
    by_id = {e["doc_id"]: e for e in errors}
    assert len(by_id) == len(errors), "a failure recorded twice"
    assert set(by_id) == set(bad), by_id
    for doc_id, words in bad.items():
        assert words in by_id[doc_id]["message"], by_id[doc_id]
        assert "traceback" not in by_id[doc_id], by_id[doc_id]  # bad input, not a bug
        assert not (out / f"{doc_id}.json").exists()
    rows = read_jsonl(out / "reports.jsonl")
    assert sorted(r["doc_id"] for r in rows if r["status"] == "done") == sorted(good)
    assert sorted(r["doc_id"] for r in rows if r["status"] == "failed") == sorted(bad)
    assert leftover_temp_files(out) == []


def test_hostile_batch_finishes_small_and_records_every_bad_file(hostile, tmp_path: Path) -> None:
    src, good, bad = hostile
    out = tmp_path / "out"
    rc, peak, err = extract(src, out)
    assert rc == 1, err  # some documents failed, none stopped the batch
    assert "Traceback" not in err, err
    check_outputs(out, good, bad)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["done"], summary["failed"]) == (len(good), len(bad))
    assert peak <= PEAK_LIMIT_MB, f"peak memory {peak:.0f} MB"


def test_killed_mid_run_and_rerun_loses_and_duplicates_nothing(hostile, tmp_path: Path) -> None:
    src, good, bad = hostile
    out = tmp_path / "out"
    rc, _, _ = extract(src, out, kill_after_first=True)
    assert rc == -signal.SIGKILL
    finished = {p.stem for p in out.glob("*.json")} & set(good)
    assert finished and finished != set(good)  # killed in the middle
    rc, _, err = extract(src, out)
    assert rc == 1, err
    check_outputs(out, good, bad)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == len(finished)
    assert summary["done"] + summary["skipped"] == len(good)
