"""``gongkai studio pull``'s records.jsonl → store files: the text is dropped, each record is matched to
its corpus document by the hash of the text as read (so a renamed task still finds its file, and a
record whose text matches no document is refused), and the file's byte sha256 is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.annotations.store import (
    SET_DIRS,
    STAGE,
    STORE_DIR,
    Entry,
    corpus_root,
    file_sha256,
    save_entry,
    span_problems,
)
from gongkai.errors import InputError
from gongkai.spans import sort_spans

DEFAULT_HOW = ("Label Studio, pre-labels from `gongkai studio push --method rules`, every span corrected by "
               "reading the document; assembled output compared with the gold file")


@dataclass
class Imported:
    record: str  # doc_id in the records file
    path: Path  # store file written


def text_index(root: Path, set_name: str) -> dict[str, Path]:
    """sha256 of the text as read (what ``studio push`` stores as ``sha256``) → document, for one set."""
    from gongkai.readers import read_document
    from gongkai.studio.convert import text_hash

    if set_name not in SET_DIRS:
        raise InputError(set_name, f"unknown set; known: {sorted(SET_DIRS)}", stage=STAGE)
    folder = root / SET_DIRS[set_name]
    if not folder.is_dir():
        raise InputError(str(folder), "corpus folder not found (set $GONGKAI_CORPUS)", stage=STAGE)
    out: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in (".txt", ".md", ".html", ".htm", ".docx", ".pdf"):
            out[text_hash(read_document(p))] = p
    return out


def import_records(records_path: Path, set_name: str, annotator: str, how: str = DEFAULT_HOW,
                   out_dir: Path | None = None, root: Path | None = None) -> list[Imported]:
    """Write one store file per record of ``records_path`` under ``out_dir/<set>/`` (default
    annotations/real). Every record must match a document of the set by content; nothing is written
    unless all of them do."""
    from gongkai.studio.convert import read_records, text_hash

    root = corpus_root(root)
    out_dir = Path(out_dir) if out_dir is not None else STORE_DIR
    index = text_index(root, set_name)
    records = read_records(Path(records_path), stage=STAGE)
    if not records:
        raise InputError(str(records_path), "no annotated records", stage=STAGE)
    plan: list[tuple[str, Entry]] = []
    seen: dict[Path, str] = {}
    for r in records:
        doc = index.get(text_hash(r.text))
        if doc is None:
            raise InputError(str(records_path), f"record {r.doc_id!r}: its text matches no document in "
                             f"{root / SET_DIRS[set_name]} (changed document, or wrong --set)", stage=STAGE)
        if doc in seen:
            raise InputError(str(records_path), f"records {seen[doc]!r} and {r.doc_id!r} are the same document "
                             f"{doc.name}: keep one annotation per document", stage=STAGE)
        seen[doc] = r.doc_id
        bad = span_problems(r.text, [(s.label, s.start, s.end) for s in r.spans])
        if bad:
            raise InputError(str(records_path), f"record {r.doc_id!r}: {'; '.join(bad[:3])}", stage=STAGE)
        spans = [(s.label, s.start, s.end) for s in sort_spans(r.spans)]
        entry = Entry(doc.relative_to(root).as_posix(), file_sha256(doc), r.template, spans, annotator, how)
        plan.append((r.doc_id, entry))
    out = []
    for rid, entry in plan:
        out.append(Imported(rid, save_entry(entry, out_dir / set_name / f"{entry.doc_id}.json")))
    return out
