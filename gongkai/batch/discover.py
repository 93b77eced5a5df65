"""Find the documents of a batch and give each a unique, deterministic ``doc_id``.

The doc_id is the file stem. When two files share a stem, every file of that stem is named by
its path relative to the input it was found under, without extension, with ``/`` replaced by
``__`` (``2020/report.txt`` → ``2020__report``); if that still collides between different
extensions (``report.txt`` and ``report.pdf`` side by side) the extension is appended
(``2020__report__pdf``), and as a last resort a counter in input order (``…__2``). The same
inputs always give the same ids.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = (".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf", ".doc")  # .doc: to say it is unsupported

DOC_ID_HELP = """\
doc_id is the file stem. Files sharing a stem are named by their path relative to the input
folder with '/' -> '__' (2020/report.txt -> 2020__report); if that is still shared by files of
different types the extension is appended (2020__report__pdf); any remaining tie gets __2, __3
in input order. The same inputs always give the same ids."""


class DiscoverError(ValueError):
    """An input path that does not exist or is not a file/folder: a usage error (exit 2)."""


@dataclass(frozen=True, slots=True)
class DocTask:
    """One document to extract: where it is, what it is called, and its path for messages."""

    path: str
    doc_id: str
    rel: str

    def to_dict(self) -> dict:
        return {"path": self.path, "doc_id": self.doc_id, "rel": self.rel}

    @classmethod
    def from_dict(cls, d: dict) -> DocTask:
        return cls(d["path"], d["doc_id"], d["rel"])


def _is_under(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _walk(root: Path, exclude: Path | None) -> list[Path]:
    """Files under ``root`` with a supported extension, sorted; hidden files/folders and the
    output folder (its .txt outputs would otherwise be read back as inputs) are left out."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not _is_under((here / d).resolve(), exclude)
        )
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix.lower() not in EXTENSIONS:
                continue
            found.append(here / name)
    return found


def _candidates(inputs: list[Path], exclude: Path | None) -> list[tuple[Path, str]]:
    """(file, path relative to its input) in input order, each file once."""
    seen: set[Path] = set()
    out: list[tuple[Path, str]] = []
    for inp in inputs:
        inp = Path(inp)
        if inp.is_dir():
            files = [(f, f.relative_to(inp).as_posix()) for f in _walk(inp, exclude)]
        elif inp.is_file():
            # A file named explicitly is taken whatever its extension: the reader says if it cannot read it.
            files = [(inp, inp.name)]
        elif inp.exists():
            raise DiscoverError(f"{inp}: not a regular file or folder")
        else:
            raise DiscoverError(f"{inp}: no such file or folder")
        for f, rel in files:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append((f, rel))
    return out


def _rel_id(rel: str) -> str:
    p = Path(rel)
    return "__".join((*p.parent.parts, p.stem)) if p.parent.parts else p.stem


def assign_ids(files: list[tuple[Path, str]]) -> list[DocTask]:
    """Give each (file, relative path) a unique doc_id following ``DOC_ID_HELP``."""
    by_stem: dict[str, list[int]] = defaultdict(list)
    for i, (f, _rel) in enumerate(files):
        by_stem[f.stem].append(i)
    ids = [f.stem for f, _ in files]
    for idxs in by_stem.values():
        if len(idxs) < 2:
            continue
        for i in idxs:
            ids[i] = _rel_id(files[i][1])
        by_rel: dict[str, list[int]] = defaultdict(list)
        for i in idxs:
            by_rel[ids[i]].append(i)
        for same in by_rel.values():
            exts = {files[i][0].suffix.lstrip(".").lower() for i in same}
            if len(same) > 1 and len(exts) > 1:
                for i in same:
                    ext = files[i][0].suffix.lstrip(".").lower()
                    ids[i] = f"{ids[i]}__{ext}" if ext else ids[i]
    taken: set[str] = set()
    for i, doc_id in enumerate(ids):
        if doc_id in taken:
            n = 2
            while f"{doc_id}__{n}" in taken or f"{doc_id}__{n}" in ids:
                n += 1
            ids[i] = f"{doc_id}__{n}"
        taken.add(ids[i])
    return [DocTask(str(f), ids[i], rel) for i, (f, rel) in enumerate(files)]


def discover(inputs: list[Path | str], exclude: Path | None = None) -> list[DocTask]:
    """All documents named by ``inputs`` (files, or folders searched recursively by extension),
    with unique doc_ids. ``exclude`` (the output folder) is never searched."""
    if not inputs:
        raise DiscoverError("no input given")
    ex = Path(exclude).resolve() if exclude is not None else None
    return assign_ids(_candidates([Path(i) for i in inputs], ex))


def overwritten_inputs(tasks: list[DocTask], out_dir: Path) -> list[str]:
    """Input files that an output (OUT_DIR/<doc_id>.txt or .json) would overwrite: writing
    outputs into the input folder must never replace a report with its re-encoded text."""
    out = Path(out_dir).resolve()
    inputs = {Path(t.path).resolve() for t in tasks}
    return sorted(str(out / f"{t.doc_id}{ext}") for t in tasks for ext in (".txt", ".json")
                  if (out / f"{t.doc_id}{ext}") in inputs)
