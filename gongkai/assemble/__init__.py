"""The deterministic post-processor: spans over the text as read → a schema ``Report``.

Whatever labelled the spans (rules, model, a person, the generator), this is the one place
that turns them into sections, meta, tables, claims, checks and provenance, so every labeller
gets the same conventions (docs/labels.md). Same text and spans → identical JSON.

Provenance keys: ``table.row.col`` and ``meta.field`` for filled values (SCHEMA.md); cells kept
out of the tables are recorded too, so nothing read is lost: ``<table>.?<row wording>.col<k>``
(a row that matches no template row), ``<table>.<row>.?col<k>`` (more cells than the row has
columns) and ``unattributed.CELL_k@<offset>`` (a cell with no row before it).
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from gongkai.assemble.claims import build_claims
from gongkai.assemble.meta import (
    parse_date,
    parse_year,
    pick_first,
    pick_organ,
    template_from_headers,
    whole_name,
)
from gongkai.assemble.provenance import derived, from_span
from gongkai.assemble.sections import build_sections, infer_sections
from gongkai.assemble.tables import Cell, amount_unit, build_tables, guess_template
from gongkai.checks import run_checks, weaken_confidence
from gongkai.schema import (
    ActiveDisclosure,
    Meta,
    Provenance,
    Report,
    Requests,
    ReviewLitigation,
    Sections,
)
from gongkai.spans import Span, check_spans

__all__ = ["assemble"]

M = TypeVar("M", bound=BaseModel)


def _meta(
    text: str, spans: list[Span], template: str | None, template_span: Span | None, prov: dict[str, Provenance]
) -> Meta:
    meta = Meta(template=template)  # type: ignore[arg-type]
    organ = pick_organ(spans)
    if organ is not None:
        organ = whole_name(text, organ)
        meta.organ = organ.text.strip()
        prov["meta.organ"] = from_span(organ)
    year = pick_first(spans, "YEAR", parse_year)
    if year is not None:
        meta.report_year = year[1]  # type: ignore[assignment]
        prov["meta.report_year"] = from_span(year[0])
    date = pick_first(spans, "DATE", parse_date)
    if date is not None:
        meta.publish_date = date[1]  # type: ignore[assignment]
        prov["meta.publish_date"] = from_span(date[0])
    if template_span is not None:
        prov["meta.template"] = from_span(template_span)
    return meta


def _fill(model_cls: type[M], cells: dict[tuple[str, str, str], Cell], table: str) -> M:
    """The pydantic table model holding the cells placed in ``table``."""
    rows: dict[str, dict] = {}
    for (t, row, col), cell in sorted(cells.items()):
        if t == table:
            rows.setdefault(row, {})[col] = cell.value
    return model_cls.model_validate(rows)


def assemble(text: str, spans: list[Span], doc_id: str) -> Report:
    """Build the report for ``text`` from ``spans`` (offsets into ``text`` as read).

    Raises ValueError when a span does not match the text at its offsets (a labeller bug that
    would otherwise put wrong numbers in the output silently).
    """
    check_spans(text, spans)
    # a total order (score and source included) so that the input order never changes the output
    spans = sorted(set(spans), key=lambda s: (s.start, s.end, s.label, -s.score, s.source))
    prov: dict[str, Provenance] = {}
    sections = build_sections(text, spans)

    template, template_span = template_from_headers(spans)
    layout_template = template or guess_template(spans, sections)
    tables = build_tables(spans, sections, layout_template, text)
    if template is None and layout_template is not None:
        template = layout_template
        prov["meta.template"] = derived(f"rows of the {layout_template} template", confidence=0.7)

    meta = _meta(text, spans, template, template_span, prov)
    active = _fill(ActiveDisclosure, tables.cells, "active_disclosure")
    unit, unit_span = amount_unit(tables, spans)
    if unit is not None and active.centralized_procurement is not None:
        active.centralized_procurement.amount_unit = unit  # type: ignore[assignment]
        if unit_span is not None:
            prov["active_disclosure.centralized_procurement.amount_unit"] = from_span(unit_span)
    prov.update(tables.provenance)
    sections, inferred = infer_sections(text, sections)  # after the tables: they see printed headings only
    for key in inferred:
        sec = sections[key]
        assert sec is not None
        prov[f"sections.{key}"] = derived(
            f"inferred: heading not printed ({key})", confidence=0.6, start=sec.start, end=sec.end
        )

    report = Report(
        doc_id=doc_id,
        meta=meta,
        sections=Sections(**sections),
        active_disclosure=active,
        requests=_fill(Requests, tables.cells, "requests"),
        review_litigation=_fill(ReviewLitigation, tables.cells, "review_litigation"),
        claims=build_claims(text, spans),
        provenance=dict(sorted(prov.items())),
    )
    report.method = _method(spans)
    report.checks = run_checks(report, text)
    weaken_confidence(report)
    return report


def _method(spans: list[Span]) -> str:
    """Which producers the spans came from (the pipeline may overwrite it)."""
    sources = {s.source for s in spans}
    if "model" in sources:
        return "model+rules" if "rules" in sources else "model"
    return "rules"
