"""Training examples: (text as read, spans) → normalised text → character ids + IOB2 tag ids,
cut into the same windows inference uses.

Sources: the synthetic generator (``gongkai.synth.generate``), Label Studio exports (records of
``{text, spans}`` or Label Studio's own JSON export), the real-document annotation store
(annotations/real: offsets + labels, the text read from the shared corpus and its hash checked), and
optionally rules-labelled texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import InputError
from gongkai.model.tags import TAG2ID, NormSpan, spans_to_tags
from gongkai.model.windows import make_windows
from gongkai.spans import LABELS, Span


@dataclass
class LabelledDoc:
    """One document for training or evaluation: the text as read and its spans over it."""

    doc_id: str
    text: str
    spans: list[Span]
    organ: str | None = None  # for leave-town-out splits; None when unknown


@dataclass
class NormDoc:
    """A document on the model's side: normalised text and IOB2 tags over it."""

    doc_id: str
    text: str
    tags: list[str]
    skipped: int


def to_norm_doc(doc: LabelledDoc) -> NormDoc:
    """Normalise the text and move every span onto it with ``to_norm``."""
    from gongkai.normalise import normalise

    norm = normalise(doc.text)
    nspans = []
    for s in doc.spans:
        a, b = norm.to_norm(s.start, s.end)
        nspans.append(NormSpan(s.label, a, b))
    tags, skipped = spans_to_tags(norm.text, nspans)
    return NormDoc(doc.doc_id, norm.text, tags, skipped)


def unk_dropout(text: str, ids: list[int], rate: float, unk_id: int, rng) -> list[int]:  # noqa: ANN001
    """``ids`` with each Chinese character's id replaced by ``unk_id`` with probability ``rate``.

    Why: the vocabulary holds the characters of the generated training texts, so a real report's
    rarer characters (about 1 in 100 on the dev pages: 陈, 闻, 舆 …) are ``[UNK]`` at inference, a token
    training never showed. Dropping some known characters to ``[UNK]`` (labels unchanged) teaches the
    model to read an unknown character from its context, as inside a name it has never seen."""
    import numpy as np

    if rate <= 0:
        return ids
    code = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    drop = (code >= 0x4E00) & (code <= 0x9FFF) & (rng.random(len(code)) < rate)
    return np.where(drop, unk_id, np.asarray(ids, dtype=np.int64)).tolist()


def windowed_examples(docs: Iterable[NormDoc], tokenizer, size: int, overlap: int,
                      slots: bool = False, unk_rate: float = 0.0, seed: int = 0) -> dict[str, list]:
    """Columns ``input_ids`` / ``labels`` (and ``token_type_ids`` = value slots when ``slots``) of every
    window of every document (no truncation); ``unk_rate``: see ``unk_dropout`` (training only)."""
    import numpy as np

    from gongkai.model.slots import slot_ids
    from gongkai.model.tokenizer import encode

    cols: dict[str, list[list[int]]] = {"input_ids": [], "labels": []}
    if slots:
        cols["token_type_ids"] = []
    rng = np.random.default_rng(seed)
    unk_id = tokenizer.unk_token_id if unk_rate > 0 else 0
    for d in docs:
        ids = unk_dropout(d.text, encode(tokenizer, d.text), unk_rate, unk_id, rng)
        labs = [TAG2ID[t] for t in d.tags]
        feats = slot_ids(d.text) if slots else []
        for a, b in make_windows(len(ids), size, overlap):
            cols["input_ids"].append(ids[a:b])
            cols["labels"].append(labs[a:b])
            if slots:
                cols["token_type_ids"].append(feats[a:b])
    return cols


def synth_docs(n: int, seed: int, organ_pool: str = "all", layout: str | None = None, **rates) -> list[LabelledDoc]:
    """Generated reports with their spans (the generator's spans are over its text as written)."""
    from gongkai.synth import generate

    docs = generate(n, seed, organ_pool=organ_pool, layout=layout, **rates)
    return [LabelledDoc(d.doc_id, d.text, list(d.spans), d.organ) for d in docs]


def apply_split(docs: list[LabelledDoc], split_path: str | Path, fold: int) -> tuple[list[LabelledDoc], int]:
    """Drop every document that belongs to ``fold``'s test towns of a leave-town-out split file
    (``gongkai evaluate --make-split``): by doc_id when the split lists it, else by its organ's town.
    Returns (kept documents, number dropped)."""
    from gongkai.evaluate.splits import load_split

    split = load_split(Path(split_path))
    kept = [d for d in docs if not split.is_test(fold, d.doc_id, d.organ)]
    return kept, len(docs) - len(kept)


def _ls_record(rec: dict, where: str) -> LabelledDoc:
    if "text" in rec and "spans" in rec:
        text = rec["text"]
        raw = rec["spans"]
        spans = [Span.of(text, s["label"], int(s["start"]), int(s["end"]), source="human") for s in raw]
        return LabelledDoc(str(rec.get("doc_id", rec.get("id", where))), text, spans)
    # Label Studio's own export: data.text + annotations[].result[].value{start,end,labels}
    text = (rec.get("data") or {}).get("text")
    if not isinstance(text, str):
        raise InputError(where, "record has neither {text, spans} nor data.text")
    spans = []
    for ann in rec.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        for r in ann.get("result") or []:
            v = r.get("value") or {}
            for lab in v.get("labels") or []:
                if lab in LABELS:
                    spans.append(Span.of(text, lab, int(v["start"]), int(v["end"]), source="human"))
        break  # the first (latest) annotation of a task
    return LabelledDoc(str(rec.get("id", where)), text, spans)


def label_studio_docs(path: str | Path) -> list[LabelledDoc]:
    """Read a Label Studio export: a JSON list or JSON-lines file of records."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(str(p), f"cannot read Label Studio export: {e}") from e
    try:
        if p.suffix == ".jsonl":
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        else:
            records = json.loads(raw)
    except json.JSONDecodeError as e:
        raise InputError(str(p), f"not valid JSON: {e}") from e
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        raise InputError(str(p), "expected a list of records")
    try:
        return [_ls_record(r, f"{p}#{i}") for i, r in enumerate(records)]
    except (KeyError, ValueError, TypeError) as e:
        raise InputError(str(p), f"bad record: {e}") from e


def _store_dir(d: str | Path) -> Path:
    """A store folder as configured: absolute, else relative to the working directory when it exists
    there, else to the checkout (so ``"annotations/real"`` works from anywhere)."""
    from gongkai.settings import REPO_ROOT

    p = Path(d)
    return p if p.is_absolute() or p.exists() else REPO_ROOT / p


def doc_selected(set_name: str | None, doc_id: str, names: Iterable[str]) -> bool:
    """Whether ``names`` lists a store document, as ``104`` or ``dev/104``."""
    keys = {doc_id, f"{set_name}/{doc_id}"}
    return any(n in keys for n in names)


def real_docs(store: str | Path, exclude: Iterable[str] = (), include: Iterable[str] | None = None,
              root: str | Path | None = None) -> list[LabelledDoc]:
    """Human-annotated real documents of the annotation store: text read from the corpus (``root``,
    else $GONGKAI_CORPUS or ../shared/corpus), refused when its hash differs; ``exclude`` / ``include``
    select documents by id (``104`` or ``dev/104``) so a fold's test documents stay out."""
    from gongkai.annotations.store import load_real, load_store

    exclude = list(exclude)
    include = list(include) if include is not None else None
    out = []
    for e in load_store([_store_dir(store)]):
        if doc_selected(e.set_name, e.doc_id, exclude):
            continue
        if include is not None and not doc_selected(e.set_name, e.doc_id, include):
            continue
        real = load_real(e, Path(root) if root is not None else None)
        out.append(LabelledDoc(e.doc_id, real.text, real.spans))
    return out


def rules_docs(paths: Iterable[str | Path]) -> list[LabelledDoc]:
    """Plain documents labelled by the rule labeller (weak labels; optional data source)."""
    from gongkai.readers import read_document
    from gongkai.rules import label_spans

    out = []
    for p in paths:
        text = read_document(Path(p))
        out.append(LabelledDoc(Path(p).stem, text, label_spans(text)))
    return out
