"""The output contract (../shared/SCHEMA.md) as pydantic v2 models, key for key.

``Report.model_json_schema()`` is exported to ``schema/report.schema.json`` by
``python -m gongkai.schema``; a test keeps the committed file in step with these models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "ogi-annual-report/1"
Num = int | float | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Meta(_Strict):
    organ: str | None = None
    report_year: int | None = None
    publish_date: str | None = Field(None, description="ISO date YYYY-MM-DD")
    template: Literal["2019", "2021"] | None = None


class Section(_Strict):
    title: str
    start: int
    end: int


class Sections(_Strict):
    overview: Section | None = None
    active_disclosure: Section | None = None
    requests: Section | None = None
    review_litigation: Section | None = None
    problems_improvements: Section | None = None
    other_matters: Section | None = None


class DocRow(_Strict):
    """规章 / 规范性文件: 2019 columns then 2021 columns; the other template's are null."""

    newly_made: Num = None
    newly_published: Num = None
    total_published: Num = None
    issued: Num = None
    repealed: Num = None
    in_force: Num = None


class ItemRow(_Strict):
    previous_year: Num = None
    change: Num = None
    decisions: Num = None


class FeeRow(_Strict):
    previous_year: Num = None
    change: Num = None
    amount: Num = None


class ProcurementRow(_Strict):
    projects: Num = None
    amount: Num = None
    amount_unit: Literal["万元", "元"] | None = None


class ActiveDisclosure(_Strict):
    regulations: DocRow | None = None
    normative_documents: DocRow | None = None
    administrative_licensing: ItemRow | None = None
    other_administrative_services: ItemRow | None = None
    administrative_penalty: ItemRow | None = None
    administrative_coercion: ItemRow | None = None
    administrative_fees: FeeRow | None = None
    centralized_procurement: ProcurementRow | None = None


class RequestRow(_Strict):
    natural_person: Num = None
    commercial_enterprise: Num = None
    research_institution: Num = None
    social_welfare_org: Num = None
    legal_service_org: Num = None
    other_org: Num = None
    total: Num = None


class Requests(_Strict):
    new_requests: RequestRow | None = None
    carried_over: RequestRow | None = None
    granted: RequestRow | None = None
    partially_granted: RequestRow | None = None
    denied_state_secret: RequestRow | None = None
    denied_prohibited_by_law: RequestRow | None = None
    denied_three_safeties: RequestRow | None = None
    denied_third_party_rights: RequestRow | None = None
    denied_internal_affairs: RequestRow | None = None
    denied_process_info: RequestRow | None = None
    denied_enforcement_files: RequestRow | None = None
    denied_administrative_query: RequestRow | None = None
    unable_not_held: RequestRow | None = None
    unable_needs_creation: RequestRow | None = None
    unable_unclear: RequestRow | None = None
    not_processed_petition: RequestRow | None = None
    not_processed_duplicate: RequestRow | None = None
    not_processed_publication: RequestRow | None = None
    not_processed_excessive: RequestRow | None = None
    not_processed_confirmation: RequestRow | None = None
    other_handling: RequestRow | None = None
    other_overdue_correction: RequestRow | None = None
    other_unpaid_fee: RequestRow | None = None
    other_misc: RequestRow | None = None
    total_processed: RequestRow | None = None
    carried_forward: RequestRow | None = None


class ReviewGroup(_Strict):
    upheld: Num = None
    corrected: Num = None
    other: Num = None
    pending: Num = None
    total: Num = None


class ReviewLitigation(_Strict):
    administrative_review: ReviewGroup | None = None
    litigation_direct: ReviewGroup | None = None
    litigation_after_review: ReviewGroup | None = None


class Claim(_Strict):
    type: Literal["active_disclosure_count", "request_count", "other_count"]
    value: int | float
    unit: str | None = None
    scope: Literal["year", "cumulative"] | None = None
    breakdown: str | None = None
    text: str
    start: int
    end: int
    approximate: bool = False
    share: float | None = None


class Check(_Strict):
    rule: str
    status: Literal["pass", "fail", "skipped"]
    detail: str


class Provenance(_Strict):
    raw: str
    start: int | None = None
    end: int | None = None
    source: Literal["model", "rules", "derived", "human", "synth"]
    confidence: float = Field(ge=0.0, le=1.0)


class Report(_Strict):
    schema_: Literal["ogi-annual-report/1"] = Field(SCHEMA_ID, alias="schema")
    doc_id: str
    meta: Meta = Field(default_factory=Meta)
    sections: Sections = Field(default_factory=Sections)
    active_disclosure: ActiveDisclosure = Field(default_factory=ActiveDisclosure)
    requests: Requests = Field(default_factory=Requests)
    review_litigation: ReviewLitigation = Field(default_factory=ReviewLitigation)
    claims: list[Claim] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    method: Literal["model", "rules", "model+rules"] = "rules"

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json_dict(self) -> dict:
        """The JSON object users read: SCHEMA.md's keys, in its order."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=1)


SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "report.schema.json"


def json_schema() -> dict:
    return Report.model_json_schema(by_alias=True, mode="serialization")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
