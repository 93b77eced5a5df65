"""The template's consistency rules evaluated on a gold dict, so each synthetic document says
which rules its printed tables pass or fail (deliberate inconsistencies show up as ``fail``).
Statuses only: the wording of ``detail`` belongs to gongkai.checks."""

from __future__ import annotations

from gongkai.template import REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, request_rows

APPLICANTS = REQUEST_COLUMNS[:-1]
NON_RESULT = ("new_requests", "carried_over", "total_processed", "carried_forward")


def _get(table: dict | None, row: str, col: str) -> float | None:
    if not table or not table.get(row):
        return None
    return table[row].get(col)



def gold_checks(gold: dict, template: str) -> list[dict]:
    """[{rule, status}] for the SCHEMA.md rules over the printed (gold) tables and claims."""
    out: list[dict] = []
    req = gold.get("requests") or {}
    rows = request_rows(template)

    def rule(name: str, left: list, right: list) -> None:
        vals = left + right
        if any(v is None for v in vals):
            out.append({"rule": name, "status": "skipped"})
        else:
            ok = abs(sum(left) - sum(right)) < 1e-9
            out.append({"rule": name, "status": "pass" if ok else "fail"})

    for col in REQUEST_COLUMNS:
        rule(f"requests.balance.{col}", [_get(req, "new_requests", col), _get(req, "carried_over", col)],
             [_get(req, "total_processed", col), _get(req, "carried_forward", col)])
    for row in rows:
        rule(f"requests.row_total.{row}", [_get(req, row, c) for c in APPLICANTS], [_get(req, row, "total")])
    results = [r for r in rows if r not in NON_RESULT]
    for col in REQUEST_COLUMNS:
        rule(f"requests.processed_sum.{col}", [_get(req, r, col) for r in results],
             [_get(req, "total_processed", col)])
    rev = gold.get("review_litigation") or {}
    for g in REVIEW_GROUPS:
        rule(f"review_litigation.total.{g}", [_get(rev, g, c) for c in REVIEW_COLUMNS[:-1]], [_get(rev, g, "total")])
    year_claims = [c for c in gold.get("claims", []) if c["type"] == "request_count" and c.get("breakdown") is None
                   and c.get("scope") == "year"]
    table_total = _get(req, "new_requests", "total")
    if not year_claims or table_total is None:
        out.append({"rule": "claims.requests_vs_table", "status": "skipped"})
    else:
        ok = all(c["value"] == table_total for c in year_claims)
        out.append({"rule": "claims.requests_vs_table", "status": "pass" if ok else "fail"})
    return out
