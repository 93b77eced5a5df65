"""Discovery on hostile folders the tests make: symlink loops, links to a folder searched already,
broken links, named pipes, folders that cannot be listed, hidden entries and the output folder.
Discovery never fails on them and never drops one silently: each is a document, a refused entry
(the reader says why in errors.jsonl) or a counted skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gongkai.batch.discover import discover, scan
from gongkai.errors import InputError
from gongkai.readers import read_document


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _hostile(root: Path) -> None:
    _touch(root / "a.txt")
    _touch(root / "sub" / "b.pdf")
    _touch(root / "sub" / "notes.xls")
    _touch(root / ".DS_Store")
    _touch(root / "out" / "old.txt")
    os.symlink(root, root / "sub" / "loop")  # a folder link back up: a loop
    os.symlink(root / "sub", root / "sub-again")  # a second way into a folder
    os.symlink(root / "missing.txt", root / "broken.txt")  # a link to nothing
    os.symlink(root / "ping.txt", root / "pong.txt")  # two links pointing at each other
    os.symlink(root / "pong.txt", root / "ping.txt")
    os.mkfifo(root / "pipe.txt")  # opening it would block forever


def test_hostile_folder_is_searched_without_failing_and_nothing_is_silent(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _hostile(root)
    found = scan([root], exclude=root / "out")
    docs = {t.rel for t in found.documents}
    refused = {t.rel for t in found.refused}
    skipped = {os.path.relpath(s.path, root): s.reason for s in found.skipped}
    assert docs == {"a.txt", "sub/b.pdf"}
    assert refused == {"sub/notes.xls", "broken.txt", "ping.txt", "pong.txt", "pipe.txt"}
    assert set(skipped) == {".DS_Store", "out", "sub/loop", "sub-again"}
    assert "hidden" in skipped[".DS_Store"] and skipped["out"] == "the output folder"
    assert "already searched" in skipped["sub/loop"]
    # every entry of the tree (links not followed) is accounted for exactly once
    entries = set()
    for here, dirs, files in os.walk(root):
        rel = os.path.relpath(here, root)
        if rel == "out" or rel.startswith("out" + os.sep):
            continue
        for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            entries.add(os.path.normpath(os.path.join(rel, name)))
    entries.discard("out")
    assert entries - {"out"} == docs | refused | (set(skipped) - {"out"})
    assert len(found.tasks) == len({t.doc_id for t in found.tasks})  # unique ids
    assert "5 not readable" in found.summary() and "skipped" in found.summary()
    assert [t.rel for t in discover([root], exclude=root / "out")] == [t.rel for t in found.documents]


def test_refused_entries_get_a_reason_from_the_reader(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _hostile(root)
    reasons = {}
    for t in scan([root], exclude=root / "out").refused:
        with pytest.raises(InputError) as e:
            read_document(t.path)
        reasons[t.rel] = e.value.problem
    assert reasons["pipe.txt"] == "not a regular file (a named pipe)"
    assert reasons["broken.txt"].startswith("broken symbolic link")
    assert reasons["ping.txt"].startswith("broken symbolic link")  # (too many levels of links)
    assert reasons["sub/notes.xls"].startswith("unsupported file type '.xls'")


def test_junk_beside_a_report_does_not_change_its_doc_id(tmp_path: Path) -> None:
    _touch(tmp_path / "report.pdf")
    _touch(tmp_path / "report.xls")
    _touch(tmp_path / "report")
    found = scan([tmp_path])
    assert [t.doc_id for t in found.documents] == ["report"]
    assert sorted(t.doc_id for t in found.refused) == ["report__2", "report__xls"]


def test_folder_that_cannot_be_listed_is_refused_with_its_reason() -> None:
    """Run as an unprivileged user (root reads every folder): needs ``nobody`` to reach the code."""
    base = Path(tempfile.mkdtemp(prefix="gongkai-unreadable-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        _touch(base / "in" / "a.txt")
        locked = base / "in" / "locked"
        _touch(locked / "b.txt")
        for p in (base / "in", base / "in" / "a.txt"):
            os.chmod(p, 0o755)
        os.chmod(locked, 0o000)
        code = ("import json, sys\nfrom gongkai.batch.discover import scan\nfrom gongkai.readers import read_document\n"
                "f = scan([sys.argv[1]])\nout = {'docs': [t.rel for t in f.documents], 'refused': {}}\n"
                "for t in f.refused:\n"
                "    try:\n        read_document(t.path)\n    except Exception as e:\n"
                "        out['refused'][t.rel] = str(getattr(e, 'problem', e))\n"
                "print(json.dumps(out))\n")
        user: dict = {}
        python = sys.executable
        if os.geteuid() == 0:
            user = {"user": "nobody", "group": "nogroup" if _has_group("nogroup") else "nobody"}
            # discovery needs only the standard library: the system Python will do if the venv's is
            # out of the unprivileged user's reach (under /root)
            python = shutil.which("python3", path="/usr/bin:/usr/local/bin") or sys.executable
        try:
            proc = subprocess.run([python, "-c", code, str(base / "in")], capture_output=True, text=True,
                                  timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
                                  cwd="/tmp", **user)
        except PermissionError as e:  # e.g. the interpreter lives under /root
            pytest.skip(f"running as root and the unprivileged user cannot start this Python ({e})")
        if proc.returncode != 0 and ("ModuleNotFoundError" in proc.stderr or "Permission denied" in proc.stderr):
            pytest.skip(f"the unprivileged user cannot run this checkout's Python: {proc.stderr[-200:]}")
        assert proc.returncode == 0, proc.stderr
        got = json.loads(proc.stdout)
        assert got["docs"] == ["a.txt"]
        assert list(got["refused"]) == ["locked"]
        assert got["refused"]["locked"].startswith("a folder that cannot be listed (Permission denied)")
    finally:
        os.chmod(base / "in" / "locked", 0o755)
        shutil.rmtree(base)


def _has_group(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True
