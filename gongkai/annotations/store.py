"""The real-document annotation store (annotations/real/<set>/<doc_id>.json): span offsets and labels
over documents of the shared corpus, kept WITHOUT their text (the reports stay outside the repository).

A store file names its document by a path relative to the corpus root and by the sha256 of the file's
bytes; the text is read back through ``gongkai.readers.read_document`` (exactly what ``gongkai studio
push`` sends as task text), and a document whose bytes changed is refused, so offsets never land on
the wrong characters. Format: /work/notes/STORE_FORMAT.md (mirrored in annotations/guideline.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import InputError
from gongkai.hashing import file_sha256
from gongkai.settings import REPO_ROOT
from gongkai.spans import LABELS, Span, sort_spans

STORE_DIR = REPO_ROOT / "annotations" / "real"
SET_DIRS = {"seeds": "seeds", "dev": "dev/docs"}  # set -> folder of its documents under the corpus root
GOLD_DIRS = {"seeds": "seeds-gold", "dev": "dev/gold"}
TEMPLATES = ("2019", "2021", None)
KEYS = ("doc", "sha256", "template", "spans", "annotator", "how")
STAGE = "annotations"


def corpus_root(root: str | os.PathLike[str] | None = None) -> Path:
    """The shared corpus: ``root`` when given, else $GONGKAI_CORPUS, else ../shared/corpus beside the
    checkout."""
    from gongkai.settings import corpus_dir

    return Path(root) if root is not None else corpus_dir()


@dataclass
class Entry:
    """One store file's content. ``spans`` are (label, start, end) in code points, end exclusive."""

    doc: str
    sha256: str
    template: str | None
    spans: list[tuple[str, int, int]]
    annotator: str
    how: str
    path: Path | None = field(default=None, compare=False)

    @property
    def doc_id(self) -> str:
        return Path(self.doc).stem

    @property
    def set_name(self) -> str | None:
        for name, folder in SET_DIRS.items():
            if Path(self.doc).parent.as_posix() == folder:
                return name
        return None

    def to_json_dict(self) -> dict:
        spans = sorted(self.spans, key=lambda s: (s[1], s[2], s[0]))
        return {
            "doc": self.doc,
            "sha256": self.sha256,
            "template": self.template,
            "spans": [{"label": lab, "start": a, "end": b} for lab, a, b in spans],
            "annotator": self.annotator,
            "how": self.how,
        }


def _where(entry: Entry) -> str:
    return str(entry.path) if entry.path is not None else entry.doc


def parse_entry(data: object, where: str) -> Entry:
    """Check a store file's structure (keys, types, labels) and build its Entry."""
    if not isinstance(data, dict):
        raise InputError(where, "store file must be a JSON object", stage=STAGE)
    missing = [k for k in KEYS if k not in data]
    unknown = sorted(set(data) - set(KEYS))
    if missing or unknown:
        raise InputError(where, f"missing keys {missing} / unknown keys {unknown} (format: {list(KEYS)})",
                         stage=STAGE)
    doc, sha = data["doc"], data["sha256"]
    if not isinstance(doc, str) or Path(doc).is_absolute() or ".." in Path(doc).parts:
        raise InputError(where, f"doc must be a path relative to the corpus root, not {doc!r}", stage=STAGE)
    if not (isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)):
        raise InputError(where, "sha256 must be 64 lower-case hex digits", stage=STAGE)
    if data["template"] not in TEMPLATES:
        raise InputError(where, f"template must be '2019', '2021' or null, not {data['template']!r}", stage=STAGE)
    if not isinstance(data["spans"], list):
        raise InputError(where, "spans must be a list", stage=STAGE)
    spans = []
    for i, s in enumerate(data["spans"]):
        if not isinstance(s, dict) or set(s) != {"label", "start", "end"}:
            raise InputError(where, f"span {i}: expected exactly {{label, start, end}}, got {s!r}", stage=STAGE)
        lab, a, b = s["label"], s["start"], s["end"]
        if lab not in LABELS:
            raise InputError(where, f"span {i}: unknown label {lab!r} (docs/labels.md)", stage=STAGE)
        if not (type(a) is int and type(b) is int and 0 <= a < b):
            raise InputError(where, f"span {i} {lab}: bad offsets {a!r}..{b!r}", stage=STAGE)
        spans.append((lab, a, b))
    if spans != sorted(spans, key=lambda s: (s[1], s[2], s[0])):
        raise InputError(where, "spans must be sorted by (start, end, label)", stage=STAGE)
    if len(set(spans)) != len(spans):
        raise InputError(where, "duplicate spans", stage=STAGE)
    for k in ("annotator", "how"):
        if not isinstance(data[k], str) or not data[k].strip():
            raise InputError(where, f"{k} must be a non-empty string", stage=STAGE)
    return Entry(doc, sha, data["template"], spans, data["annotator"], data["how"])


def load_entry(path: Path) -> Entry:
    """Read one store file (structure checked; the document is not read here)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(str(path), f"cannot read store file: {e}", stage=STAGE) from None
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"invalid JSON at line {e.lineno}: {e.msg}", stage=STAGE) from None
    entry = parse_entry(data, str(path))
    entry.path = path
    return entry


def save_entry(entry: Entry, path: Path) -> Path:
    """Write a store file (sorted spans, UTF-8, one trailing newline)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    d = entry.to_json_dict()
    spans = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in d["spans"])
    head = {k: v for k, v in d.items() if k != "spans"}
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # one span a line: diffs stay readable
    path.write_text(body + ',\n "spans": [\n' + spans + "\n ]\n}\n", encoding="utf-8")
    entry.path = path
    return path


def store_files(dirs: Iterable[Path] | None = None) -> list[Path]:
    """Every store file under ``dirs`` (default annotations/real), sorted; a single file is itself."""
    out: list[Path] = []
    for d in [Path(x) for x in (dirs or [STORE_DIR])]:
        if d.is_file():
            out.append(d)
        elif d.is_dir():
            out += sorted(d.rglob("*.json"))
        else:
            raise InputError(str(d), "annotation store folder not found", stage=STAGE)
    return out


def load_store(dirs: Iterable[Path] | None = None) -> list[Entry]:
    return [load_entry(p) for p in store_files(dirs)]


def document_path(entry: Entry, root: Path | None = None) -> Path:
    return corpus_root(root) / entry.doc


def read_text(entry: Entry, root: Path | None = None) -> str:
    """The document's text as read, after checking its bytes against the stored sha256."""
    from gongkai.readers import read_document

    p = document_path(entry, root)
    if not p.is_file():
        raise InputError(_where(entry), f"document {p} not found (corpus root: $GONGKAI_CORPUS or ../shared/corpus)",
                         stage=STAGE)
    got = file_sha256(p)
    if got != entry.sha256:
        raise InputError(_where(entry), f"document {p} has changed: sha256 {got[:12]}… but the store file was made "
                         f"on {entry.sha256[:12]}…; its offsets would be wrong, so it is refused", stage=STAGE)
    return read_document(p)


def span_problems(text: str, spans: Iterable[tuple[str, int, int]]) -> list[str]:
    """Why spans do not fit a text: outside it, or starting/ending on white space."""
    out = []
    for lab, a, b in spans:
        if b > len(text):
            out.append(f"{lab} {a}..{b} runs past the text ({len(text)} characters)")
        elif text[a].isspace() or text[b - 1].isspace():
            out.append(f"{lab} {a}..{b} starts or ends on white space")
    return out


def spans_of(entry: Entry, text: str) -> list[Span]:
    """The entry's spans over ``text`` (source ``human``); bad spans raise naming the store file."""
    problems = span_problems(text, entry.spans)
    if problems:
        raise InputError(_where(entry), "; ".join(problems[:5]), stage=STAGE)
    return sort_spans([Span.of(text, lab, a, b, source="human") for lab, a, b in entry.spans])


@dataclass
class RealDoc:
    """A store entry with its document read and its spans built."""

    entry: Entry
    text: str
    spans: list[Span]

    @property
    def doc_id(self) -> str:
        return self.entry.doc_id


def load_real(entry: Entry, root: Path | None = None) -> RealDoc:
    text = read_text(entry, root)
    return RealDoc(entry, text, spans_of(entry, text))


def gold_path(entry: Entry, root: Path | None = None) -> Path | None:
    """The corpus gold file of the entry's document (seeds-gold/<id>.json, dev/gold/<id>.json)."""
    s = entry.set_name
    if s is None:
        return None
    p = corpus_root(root) / GOLD_DIRS[s] / f"{entry.doc_id}.json"
    return p if p.is_file() else None
