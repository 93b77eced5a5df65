"""What a reader did to get a document's text, beside the text itself: which pages came through
OCR and how sure it was (per line, as character ranges of the text as read), and whether the
file was converted first (a legacy Word file through LibreOffice).

``read_document`` still returns the text alone; ``read_document_info`` returns (text, ReadInfo)
so provenance can say that a value came through OCR and carry the OCR confidence of its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ReadInfo:
    """How the text was obtained. Offsets index the text as read, like every span in gongkai."""

    format: str  # the file's suffix without the dot: pdf, docx, doc, html, txt, ...
    pages: int | None = None  # PDF pages
    ocr_pages: list[int] = field(default_factory=list)  # 1-based numbers of the pages read by OCR
    ocr_lines: list[tuple[int, int, float]] = field(default_factory=list)  # (start, end, confidence)
    unread_pages: list[int] = field(default_factory=list)  # scanned pages left out (OCR not installed)
    converted_with: str | None = None  # e.g. "LibreOffice 7.4" for .doc/.wps

    @property
    def ocr_confidence(self) -> float | None:
        """Mean OCR confidence over the OCR'd text, weighted by characters (None: no OCR)."""
        n = sum(e - s for s, e, _ in self.ocr_lines)
        return round(sum((e - s) * c for s, e, c in self.ocr_lines) / n, 4) if n else None

    def confidence_at(self, start: int, end: int) -> float | None:
        """OCR confidence of the text in [start, end): the lowest of the OCR'd lines it touches,
        or None when that text did not come through OCR."""
        hits = [c for s, e, c in self.ocr_lines if s < max(end, start + 1) and start < e]
        return min(hits) if hits else None

    def ocr_provenance(self, report: dict) -> dict[str, float]:
        """For a report's JSON (``Report.to_json_dict()``): provenance path → OCR confidence of
        every value whose printed text came through OCR. Empty when nothing was OCR'd."""
        if not self.ocr_lines:
            return {}
        out = {}
        for path, prov in (report.get("provenance") or {}).items():
            start, end = prov.get("start"), prov.get("end")
            if start is None or end is None:
                continue
            conf = self.confidence_at(start, end)
            if conf is not None:
                out[path] = conf
        return out

    def to_dict(self) -> dict:
        """A JSON-ready summary (no per-line detail): for outputs and ``method`` notes."""
        d: dict = {"format": self.format}
        if self.pages is not None:
            d["pages"] = self.pages
        if self.ocr_pages:
            d["ocr_pages"] = self.ocr_pages
            d["ocr_confidence"] = self.ocr_confidence
        if self.unread_pages:
            d["unread_pages"] = self.unread_pages
        if self.converted_with:
            d["converted_with"] = self.converted_with
        return d
