"""Label Studio results ⇄ gongkai spans, keeping offsets as Python code points into the text as read.

The server stores region offsets exactly as they are sent or saved (measured: code points,
CRLF and a character outside the BMP kept as given). The browser front end, however, has
counted in other units in some releases (Label Studio issues #539, #1347, #4988): UTF-16 code
units (a character outside the BMP counts 2) and text with ``\\r\\n`` collapsed to one line
break; no browser was at hand to check 1.23's front end. So every region read back is
checked against the ``text`` the region carries and, when its offsets do not fit, re-read in
those other units before it is trusted; a region that fits none is reported, never guessed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.errors import InputError
from gongkai.spans import LABELS, Span, check_spans, sort_spans
from gongkai.spans import trim_range as trim
from gongkai.studio.config import LABELS_NAME, TEMPLATE_CHOICES, TEMPLATE_NAME, TEXT_NAME


def text_hash(text: str) -> str:
    """Content hash of a document as pushed: the task's identity together with its doc_id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ offset units
def _utf16_to_cp(text: str) -> dict[int, int]:
    """UTF-16 code-unit offset → code-point offset, for every boundary between characters."""
    out: dict[int, int] = {}
    u = 0
    for i, ch in enumerate(text):
        out[u] = i
        u += 2 if ord(ch) > 0xFFFF else 1
    out[u] = len(text)
    return out


def _crlf_to_raw(text: str) -> list[int]:
    """Offset in ``text`` with each CRLF collapsed to LF → offset in ``text``."""
    out: list[int] = []
    i = 0
    while i < len(text):
        out.append(i)
        i += 2 if text.startswith("\r\n", i) else 1
    out.append(len(text))
    return out


def _same(a: str, b: str) -> bool:
    return a == b or a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


class OffsetMismatch(ValueError):
    """A region whose offsets fit its text in no known unit."""


@dataclass
class _Units:
    """Lazily built offset maps of one task text."""

    text: str
    _astral: bool | None = None
    _u16: dict[int, int] | None = None
    _crlf: list[int] | None = None
    _crlf_u16: dict[int, int] | None = None

    def candidates(self, start: int, end: int) -> Iterable[tuple[str, int, int]]:
        yield "code points", start, end
        if self._astral is None:
            self._astral = any(ord(c) > 0xFFFF for c in self.text)
        if self._astral:
            if self._u16 is None:
                self._u16 = _utf16_to_cp(self.text)
            if start in self._u16 and end in self._u16:
                yield "utf-16", self._u16[start], self._u16[end]
        if "\r\n" in self.text:
            if self._crlf is None:
                self._crlf = _crlf_to_raw(self.text)
            if end < len(self._crlf):
                yield "crlf as one", self._crlf[start], self._crlf[end]
            if self._astral:
                collapsed = self.text.replace("\r\n", "\n")
                if self._crlf_u16 is None:
                    self._crlf_u16 = _utf16_to_cp(collapsed)
                if start in self._crlf_u16 and end in self._crlf_u16:
                    a, b = self._crlf_u16[start], self._crlf_u16[end]
                    if b < len(self._crlf):
                        yield "utf-16, crlf as one", self._crlf[a], self._crlf[b]


def resolve_offsets(
    text: str, start: int, end: int, region_text: str | None, units: _Units | None = None
) -> tuple[int, int, str]:
    """Code-point offsets of a region in ``text`` and the unit they were read in.

    With no ``region_text`` to check against, offsets are taken as code points (what the server
    stores). Raises OffsetMismatch when no unit makes the slice equal the region's text.
    """
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end:
        raise OffsetMismatch(f"bad offsets {start!r}..{end!r}")
    if region_text is None:
        if end > len(text):
            raise OffsetMismatch(f"offsets {start}..{end} run past the text ({len(text)} characters)")
        return start, end, "code points"
    units = units or _Units(text)
    for unit, a, b in units.candidates(start, end):
        if 0 <= a <= b <= len(text) and _same(text[a:b], region_text):
            return a, b, unit
    raise OffsetMismatch(
        f"offsets {start}..{end} do not cover {region_text[:40]!r} in code points, UTF-16 units or CRLF-collapsed text"
    )


# ------------------------------------------------------------------ spans → Label Studio
def span_result(span: Span, index: int) -> dict[str, Any]:
    """One Label Studio region for a span (offsets in code points, what the server stores)."""
    return {
        "id": f"g{index}",
        "from_name": LABELS_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
        "score": round(float(span.score), 6),
    }


def prediction(spans: list[Span], model_version: str, template: str | None = None) -> dict[str, Any]:
    """A Label Studio prediction: every span a region with its score, plus the template version
    when one was detected; the overall score is the mean span score (0 with no spans: nothing
    found is what most needs a human)."""
    scores = [float(s.score) for s in spans]
    overall = sum(scores) / len(scores) if scores else 0.0
    result = [span_result(s, i) for i, s in enumerate(sort_spans(spans))]
    if template is not None:
        if template not in TEMPLATE_CHOICES:
            raise ValueError(f"template {template!r} is not one of {TEMPLATE_CHOICES}")
        result.append(
            {
                "id": "template",
                "from_name": TEMPLATE_NAME,
                "to_name": TEXT_NAME,
                "type": "choices",
                "value": {"choices": [template]},
            }
        )
    return {"model_version": model_version, "score": round(overall, 6), "result": result}


# ------------------------------------------------------------------ Label Studio → records
@dataclass
class Record:
    """One human-annotated document: training record and source of a gold report."""

    doc_id: str
    text: str
    spans: list[Span]
    template: str | None = None
    task_id: int | None = None
    annotation_id: int | None = None
    sha256: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSONL record ``gongkai train --data`` reads ({doc_id, text, spans} plus provenance)."""
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "spans": [{"label": s.label, "start": s.start, "end": s.end, "text": s.text} for s in self.spans],
            "template": self.template,
            "task_id": self.task_id,
            "annotation_id": self.annotation_id,
            "sha256": self.sha256,
        }


def latest_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The most recently updated annotation that was not cancelled (skipped), or None."""
    live = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not live:
        return None
    return max(
        live, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), int(a.get("id") or 0))
    )


def spans_from_result(
    text: str, result: list[dict[str, Any]], where: str = ""
) -> tuple[list[Span], list[str]]:
    """Human spans of one annotation's result (source ``human``) and the problems met on the way."""
    units = _Units(text)
    spans: set[Span] = set()
    problems: list[str] = []
    for r in result:
        if r.get("type") != "labels" or r.get("from_name", LABELS_NAME) != LABELS_NAME:
            continue
        v = r.get("value") or {}
        labels = v.get("labels") or []
        try:
            a, b, _unit = resolve_offsets(text, v.get("start"), v.get("end"), v.get("text"), units)
        except OffsetMismatch as exc:
            problems.append(f"{where}region {r.get('id', '?')} {labels}: {exc}; left out")
            continue
        a, b = trim(text, a, b)
        if a == b:
            problems.append(f"{where}region {r.get('id', '?')} {labels} covers only white space; left out")
            continue
        for label in labels:
            if label not in LABELS:
                problems.append(f"{where}region {r.get('id', '?')}: unknown label {label!r}; left out")
                continue
            spans.add(Span.of(text, label, a, b, score=1.0, source="human"))
    out = sort_spans(list(spans))
    check_spans(text, out)
    return out, problems


def template_from_result(result: list[dict[str, Any]]) -> str | None:
    """The template version the annotator chose (``2019``/``2021``); None for unknown or unset."""
    for r in result:
        if r.get("type") == "choices" and r.get("from_name") == TEMPLATE_NAME:
            for choice in (r.get("value") or {}).get("choices") or []:
                if choice in TEMPLATE_CHOICES and choice != "unknown":
                    return choice
    return None


def record_from_task(task: dict[str, Any]) -> Record | None:
    """The record of an exported task's latest live annotation; None when it has none."""
    ann = latest_annotation(task)
    if ann is None:
        return None
    data = task.get("data") or {}
    text = data.get("text")
    task_id = task.get("id")
    if not isinstance(text, str):
        raise ValueError(f"task {task_id} has no data.text")
    doc_id = str(data.get("doc_id") or f"task-{task_id}")
    result = ann.get("result") or []
    spans, problems = spans_from_result(text, result, where=f"{doc_id} (task {task_id}): ")
    return Record(
        doc_id=doc_id,
        text=text,
        spans=spans,
        template=template_from_result(result),
        task_id=task_id,
        annotation_id=ann.get("id"),
        sha256=data.get("sha256"),
        problems=problems,
    )


def records_from_export(tasks: list[dict[str, Any]]) -> list[Record]:
    """Records of every annotated task in a Label Studio JSON export, in task order."""
    out = []
    for t in tasks:
        rec = record_from_task(t)
        if rec is not None:
            out.append(rec)
    return out


def write_records(path: Path, records: Iterable[Record]) -> int:
    """Write records as JSON lines (UTF-8, Chinese kept readable); returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_records(path: Path, stage: str = "read") -> list[Record]:
    """Read records written by ``write_records`` (spans re-checked against the text)."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read annotation records: {exc}", stage=stage) from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text = d["text"]
            spans = [Span(s["label"], s["start"], s["end"], s["text"], source="human") for s in d["spans"]]
            check_spans(text, spans)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(str(path), f"line {i}: bad annotation record: {exc}", stage=stage) from None
        out.append(
            Record(
                d["doc_id"],
                text,
                spans,
                d.get("template"),
                d.get("task_id"),
                d.get("annotation_id"),
                d.get("sha256"),
            )
        )
    return out


def gold_report(record: Record) -> dict[str, Any]:
    """The gold schema JSON of an annotated document: the post-processor over the human spans,
    with the annotator's template choice taking precedence over the detected one."""
    from gongkai.assemble import assemble

    report = assemble(record.text, record.spans, record.doc_id)
    if record.template is not None:
        report.meta.template = record.template
    return report.to_json_dict()
