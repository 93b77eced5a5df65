"""Every assemble output validates against the committed JSON Schema, and that file is current."""

from __future__ import annotations

import json

import jsonschema
import pytest
from test_assemble import Doc, build_2019
from test_assemble_2021 import TEXT_2021

from gongkai.assemble import assemble
from gongkai.schema import SCHEMA_FILE, Report, json_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_committed_schema_is_current() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema()


def _outputs() -> list[Report]:
    d19 = build_2019()
    d21 = Doc(TEXT_2021, source="model", score=0.5)
    d21.mark("SEC_ACTIVE", "二、主动公开政府信息情况")
    d21.mark("COL", "本年制发件数")
    d21.row("规章", "0", "0", "0")
    d21.mark("ROW", "（六）其他处理")  # a 2021 group row; its cells go nowhere
    d21.mark("DATE", "二〇二三年一月十二日")
    return [
        assemble(d19.text, d19.spans, "a"),
        assemble(d21.text, d21.spans, "b"),
        assemble("无内容", [], "c"),
    ]


def test_outputs_validate(validator) -> None:
    for report in _outputs():
        data = json.loads(report.to_json())
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, errors[:3]
        assert Report.model_validate(data).to_json() == report.to_json()  # round trip


def test_schema_rejects_a_broken_output(validator) -> None:
    data = json.loads(_outputs()[0].to_json())
    data["requests"]["new_requests"]["total"] = "three"
    assert list(validator.iter_errors(data))
