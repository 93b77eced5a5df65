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
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from gongkai.readers import SUFFIXES as EXTENSIONS  # one list for discovery and reading

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


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry of an input folder that is not a document and not an error: a hidden file or
    folder, the output folder, a link to a folder already searched."""

    path: str
    reason: str


@dataclass(slots=True)
class Discovery:
    """What the input folders hold. ``documents`` are read; ``refused`` (unsupported types,
    special files, folders that cannot be listed, broken links) go through the batch too, so
    each is listed in errors.jsonl with the reader's reason; ``skipped`` is counted and shown."""

    documents: list[DocTask]
    refused: list[DocTask]
    skipped: list[Skipped]

    @property
    def tasks(self) -> list[DocTask]:
        return self.documents + self.refused

    def summary(self) -> str | None:
        """One line on what was not read as a document, or None when everything was."""
        parts = []
        if self.refused:
            parts.append(f"{len(self.refused)} not readable as reports (listed in errors.jsonl)")
        by_reason: dict[str, list[str]] = defaultdict(list)
        for s in self.skipped:
            by_reason[s.reason].append(Path(s.path).name)
        for reason, names in sorted(by_reason.items()):
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            parts.append(f"{len(names)} skipped: {reason} ({shown})")
        return "; ".join(parts) if parts else None


def _is_under(path: str, folder: str | None) -> bool:
    return folder is not None and (path == folder or path.startswith(folder.rstrip(os.sep) + os.sep))


def _kind(mode: int) -> str | None:
    """The kind of a special file, or None for a regular file or folder."""
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return None


def _walk(root: Path, exclude: str | None, found: Discovery, files: list[tuple[Path, bool]]) -> None:
    """Collect ``(file, supported)`` under ``root`` in sorted order without ever failing: links to
    folders are followed once (a loop or a second link to the same folder is skipped), folders that
    cannot be listed and special files become refused entries, hidden entries and the output folder
    are skipped — every one of them counted."""
    try:
        st = os.stat(root)
        visited = {(st.st_dev, st.st_ino)}
    except OSError:
        visited = set()
    stack: list[Path] = [root]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            files.append((here, False))  # the reader says why it cannot be listed
            continue
        subdirs: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                found.skipped.append(Skipped(entry.path, "hidden (name starts with '.')"))
                continue
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_dir:
                real = os.path.realpath(entry.path)
                if _is_under(real, exclude):
                    found.skipped.append(Skipped(entry.path, "the output folder"))
                    continue
                try:
                    st = entry.stat()
                    key = (st.st_dev, st.st_ino)
                except OSError:
                    files.append((path, False))
                    continue
                if key in visited:
                    found.skipped.append(Skipped(entry.path, "a link to a folder already searched (a loop?)"))
                    continue
                visited.add(key)
                subdirs.append(path)
                continue
            supported = path.suffix.lower() in EXTENSIONS
            try:
                mode = entry.stat().st_mode  # follows links; a broken or looping link raises
                if _kind(mode):
                    supported = False
            except OSError:
                supported = False
            files.append((path, supported))
        stack.extend(reversed(subdirs))


def scan(inputs: list[Path | str], exclude: Path | None = None) -> Discovery:
    """Everything named by ``inputs`` (files, or folders searched recursively): documents with
    unique doc_ids, refused entries and skipped ones (see ``Discovery``). ``exclude`` (the output
    folder) is never searched."""
    if not inputs:
        raise DiscoverError("no input given")
    ex = os.path.realpath(exclude) if exclude is not None else None
    found = Discovery([], [], [])
    seen: set = set()
    docs: list[tuple[Path, str]] = []
    refused: list[tuple[Path, str]] = []
    for inp in map(Path, inputs):
        files: list[tuple[Path, bool]] = []
        if inp.is_dir():
            _walk(inp, ex, found, files)
            rels = [(f, f.relative_to(inp).as_posix() if f != inp else inp.name, ok) for f, ok in files]
        elif os.path.lexists(inp):
            # A file named explicitly is taken whatever it is: the reader says if it cannot read it.
            rels = [(inp, inp.name, True)]
        else:
            raise DiscoverError(f"{inp}: no such file or folder")
        for f, rel, ok in rels:
            try:
                st = os.stat(f)
                key: object = (st.st_dev, st.st_ino)
            except OSError:
                key = os.path.realpath(f)
            if key in seen:
                continue
            seen.add(key)
            (docs if ok else refused).append((f, rel))
    found.documents = assign_ids(docs)
    taken = {t.doc_id for t in found.documents}
    for f, rel in refused:  # ids that cannot take a document's: the extension stays in them
        p = Path(rel)
        base = "__".join((*p.parent.parts, p.name.replace(".", "__"))) or "entry"
        doc_id, n = base, 2
        while doc_id in taken:
            doc_id, n = f"{base}__{n}", n + 1
        taken.add(doc_id)
        found.refused.append(DocTask(str(f), doc_id, rel))
    return found


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
    """The documents named by ``inputs`` (``scan(...).documents``): files of a supported type,
    folders searched recursively, with unique doc_ids. ``exclude`` (the output folder) is never
    searched. ``scan`` also returns what was refused or skipped, and why."""
    return scan(inputs, exclude).documents


def overwritten_inputs(tasks: list[DocTask], out_dir: Path) -> list[str]:
    """Input files that an output (OUT_DIR/<doc_id>.txt or .json) would overwrite: writing
    outputs into the input folder must never replace a report with its re-encoded text.
    (``os.path.realpath``, not ``Path.resolve``: a looping link must not raise.)"""
    out = os.path.realpath(out_dir)
    inputs = {os.path.realpath(t.path) for t in tasks}
    return sorted(os.path.join(out, f"{t.doc_id}{ext}") for t in tasks for ext in (".txt", ".json")
                  if os.path.join(out, f"{t.doc_id}{ext}") in inputs)
