"""The template vocabulary decides what CELL_k means; pin its shape to SCHEMA.md."""

from __future__ import annotations

from gongkai import schema, template


def test_every_row_and_column_key_exists_in_the_schema_models() -> None:
    for tpl in template.TEMPLATES:
        for row, cols in template.ACTIVE_COLUMNS[tpl].items():
            fields = schema.ActiveDisclosure.model_fields[row].annotation.__args__[0].model_fields
            assert set(cols) <= set(fields), (tpl, row)
    assert set(template.REQUEST_ROWS) == set(schema.Requests.model_fields)
    assert template.REQUEST_COLUMNS == tuple(schema.RequestRow.model_fields)
    assert set(template.REVIEW_GROUPS) == set(schema.ReviewLitigation.model_fields)
    assert template.REVIEW_COLUMNS == tuple(schema.ReviewGroup.model_fields)
    assert template.SECTION_ORDER == tuple(schema.Sections.model_fields)


def test_row_columns_per_template() -> None:
    assert template.row_columns("active_disclosure", "regulations", "2019") == (
        "newly_made",
        "newly_published",
        "total_published",
    )
    assert template.row_columns("active_disclosure", "administrative_fees", "2021") == ("amount",)
    assert template.row_columns("active_disclosure", "other_administrative_services", "2021") == ()
    assert len(template.row_columns("requests", "granted", "2019")) == 7
    assert template.row_columns("requests", "other_misc", "2019") == ()
    assert template.row_columns("requests", "other_handling", "2021") == ()
    one_line = template.row_columns("review_litigation", "*", "2019")
    assert len(one_line) == 15
    assert one_line[5] == "litigation_direct.upheld"
    assert template.row_columns("review_litigation", "litigation_after_review", "2021")[-1] == "total"


def test_template_rows_differ_only_in_section_six() -> None:
    only_2019 = set(template.request_rows("2019")) - set(template.request_rows("2021"))
    only_2021 = set(template.request_rows("2021")) - set(template.request_rows("2019"))
    assert only_2019 == {"other_handling"}
    assert only_2021 == {"other_overdue_correction", "other_unpaid_fee", "other_misc"}
