"""The real-document annotation store: import from `studio pull` records, hash check, span checks,
assembled-vs-gold check, and no corpus text in the repository. Real documents come from the shared
corpus (copied into a temp corpus when a test must change one)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gongkai.annotations.check import check_entry
from gongkai.annotations.importer import import_records
from gongkai.annotations.store import STORE_DIR, load_entry, load_real, parse_entry, store_files
from gongkai.cli import main
from gongkai.errors import InputError
from gongkai.readers import read_document
from gongkai.rules import label_spans
from gongkai.settings import REPO_ROOT
from gongkai.studio.convert import Record, text_hash, write_records

DOCS = ("002", "006")


@pytest.fixture()
def tmp_corpus(corpus: Path, tmp_path: Path) -> Path:
    """A copy of two real dev documents and their gold, so a test may change them."""
    root = tmp_path / "corpus"
    for sub in ("dev/docs", "dev/gold"):
        (root / sub).mkdir(parents=True)
    for d in DOCS:
        shutil.copy(corpus / "dev/docs" / f"{d}.txt", root / "dev/docs")
        shutil.copy(corpus / "dev/gold" / f"{d}.json", root / "dev/gold")
    return root


def _records(root: Path, path: Path) -> list[Record]:
    """records.jsonl as `studio pull` writes it, with task names unlike the file names."""
    recs = []
    for d in DOCS:
        text = read_document(root / "dev/docs" / f"{d}.txt")
        template = "2021" if d == "006" else None  # the annotator's choice travels; None leaves detection
        recs.append(Record(f"task-{d}", text, label_spans(text), template, 7, 8, text_hash(text)))
    write_records(path, recs)
    return recs


def test_import_round_trip(tmp_corpus: Path, tmp_path: Path) -> None:
    recs = _records(tmp_corpus, tmp_path / "records.jsonl")
    done = import_records(tmp_path / "records.jsonl", "dev", "tester", out_dir=tmp_path / "store", root=tmp_corpus)
    assert [d.path.name for d in done] == ["002.json", "006.json"]
    for rec, d in zip(recs, done, strict=True):
        data = json.loads(d.path.read_text(encoding="utf-8"))
        assert set(data) == {"doc", "sha256", "template", "spans", "annotator", "how"}
        assert "text" not in json.dumps(data["spans"])
        real = load_real(load_entry(d.path), tmp_corpus)
        assert real.text == rec.text
        assert [(s.label, s.start, s.end, s.text) for s in real.spans] == \
            [(s.label, s.start, s.end, s.text) for s in rec.spans]
        assert load_entry(d.path).template == rec.template
    # rules spans assemble to the gold on these documents: the check scores them perfect
    res = check_entry(load_entry(done[0].path), tmp_corpus)
    assert not res.problems and res.metrics is not None and res.misses == []


def test_changed_document_refused(tmp_corpus: Path, tmp_path: Path) -> None:
    _records(tmp_corpus, tmp_path / "records.jsonl")
    import_records(tmp_path / "records.jsonl", "dev", "tester", out_dir=tmp_path / "store", root=tmp_corpus)
    doc = tmp_corpus / "dev/docs/002.txt"
    doc.write_text("（一）" + doc.read_text(encoding="utf-8"), encoding="utf-8")  # offsets now shifted
    store_file = tmp_path / "store/dev/002.json"
    with pytest.raises(InputError, match="has changed") as e:
        load_real(load_entry(store_file), tmp_corpus)
    assert str(store_file) in str(e.value) and "002.txt" in str(e.value)
    rc = main(["annotations", "check", str(tmp_path / "store"), "--corpus", str(tmp_corpus)])
    assert rc == 1


def test_import_refuses_unknown_text(tmp_corpus: Path, tmp_path: Path) -> None:
    text = "某某镇人民政府2023年政府信息公开工作年度报告\n一、总体情况\n主动公开信息12条。\n"
    write_records(tmp_path / "r.jsonl", [Record("made-up", text, label_spans(text))])
    with pytest.raises(InputError, match="matches no document"):
        import_records(tmp_path / "r.jsonl", "dev", "t", out_dir=tmp_path / "store", root=tmp_corpus)
    assert not (tmp_path / "store").exists()


def test_bad_store_files_named() -> None:
    ok = {"doc": "dev/docs/002.txt", "sha256": "0" * 64, "template": None, "annotator": "a", "how": "b",
          "spans": [{"label": "NUM", "start": 3, "end": 5}]}
    parse_entry(ok, "f.json")
    for change, msg in (({"spans": [{"label": "NOPE", "start": 1, "end": 2}]}, "unknown label"),
                        ({"spans": [{"label": "NUM", "start": 5, "end": 5}]}, "bad offsets"),
                        ({"sha256": "xyz"}, "sha256"),
                        ({"doc": "../secret.txt"}, "relative"),
                        ({"spans": [{"label": "NUM", "start": 5, "end": 9, "text": "12"}]}, "exactly")):
        with pytest.raises(InputError, match=msg) as e:
            parse_entry({**ok, **change}, "f.json")
        assert "f.json" in str(e.value)


def test_span_on_white_space_refused(tmp_corpus: Path, tmp_path: Path) -> None:
    text = read_document(tmp_corpus / "dev/docs/006.txt")
    nl = text.index("\n")
    from gongkai.annotations.store import Entry, file_sha256, save_entry

    e = Entry("dev/docs/006.txt", file_sha256(tmp_corpus / "dev/docs/006.txt"), None,
              [("SEC_OVERVIEW", nl, nl + 2)], "t", "h")
    save_entry(e, tmp_path / "s.json")
    with pytest.raises(InputError, match="white space"):
        load_real(load_entry(tmp_path / "s.json"), tmp_corpus)


CJK8 = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{8,}")


def corpus_runs(root: Path) -> set[str]:
    """Every 8-character window of CJK text in the corpus documents."""
    out: set[str] = set()
    for p in [*(root / "seeds").glob("*.txt"), *(root / "dev/docs").glob("*.txt")]:
        for m in CJK8.finditer(p.read_text(encoding="utf-8", errors="replace")):
            run = m.group()
            out.update(run[i:i + 8] for i in range(len(run) - 7))
    return out


def leaked(files: list[Path], runs: set[str]) -> list[str]:
    hits = []
    for f in files:
        for m in CJK8.finditer(f.read_text(encoding="utf-8", errors="replace")):
            run = m.group()
            if any(run[i:i + 8] in runs for i in range(len(run) - 7)):
                hits.append(f"{f}: {run[:8]}…")
    return hits


def test_no_corpus_text_in_store(corpus: Path, tmp_path: Path) -> None:
    runs = corpus_runs(corpus)
    assert runs
    # the scan finds a corpus phrase when one is there
    sample = next(iter(sorted(runs)))
    (tmp_path / "leak.json").write_text(json.dumps({"note": sample}, ensure_ascii=False), encoding="utf-8")
    assert leaked([tmp_path / "leak.json"], runs)
    real = REPO_ROOT / "annotations" / "real"
    files = [p for p in real.rglob("*") if p.is_file()] if real.is_dir() else []
    assert leaked(files, runs) == []


def test_committed_store_files_valid(corpus: Path) -> None:
    """Every committed store file loads, its document is unchanged and its spans fit the text."""
    if not STORE_DIR.is_dir():
        pytest.skip("no annotations/real yet")
    from gongkai.evaluate.kfold import RULES_FITTED_DEV

    for f in store_files():
        entry = load_entry(f)
        res = check_entry(entry, corpus)
        assert res.problems == [], f
        if entry.set_name == "seeds" or entry.doc_id in RULES_FITTED_DEV:  # the human spans assemble to the gold exactly
            assert res.metrics is not None and res.misses == [], (f, res.misses)
