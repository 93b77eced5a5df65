"""Table values drawn like real reports: mostly zeros, some busy rows, internally consistent
totals by default, and a controlled share of deliberate inconsistencies (named in the gold).

Values here are the truth; what is printed (blank, 无, 0) is decided by the layout step.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gongkai.template import ACTIVE_COLUMNS, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, request_rows

APPLICANTS = REQUEST_COLUMNS[:-1]
RESULT_ROWS_2019 = tuple(r for r in request_rows("2019") if r not in ("new_requests", "carried_over",
                                                                       "total_processed", "carried_forward"))
RESULT_ROWS_2021 = tuple(r for r in request_rows("2021") if r not in ("new_requests", "carried_over",
                                                                       "total_processed", "carried_forward"))
INCONSISTENCIES = ("requests.row_total", "requests.balance", "requests.processed_sum",
                   "review_litigation.total", "claims.requests_vs_table")


@dataclass
class TableValues:
    """True values of the three tables: {row: {col: number}} (review: {group: {col: n}})."""

    template: str
    active: dict[str, dict[str, float | int]] = field(default_factory=dict)
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    review: dict[str, dict[str, int]] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # deliberate inconsistencies (rule prefixes)


def _small(rng: random.Random, p_nonzero: float, hi: int = 9) -> int:
    if rng.random() >= p_nonzero:
        return 0
    return rng.choice((1, 1, 1, 2, 2, 3, 4, 5, rng.randint(1, hi)))


def draw_active(rng: random.Random, template: str, busy: float) -> dict[str, dict[str, float | int]]:
    """Active-disclosure rows of ``template`` (procurement amounts in 万元)."""
    rows: dict[str, dict[str, float | int]] = {}
    for row, cols in ACTIVE_COLUMNS[template].items():
        vals: dict[str, float | int] = {}
        if row in ("regulations", "normative_documents"):
            a = _small(rng, busy * (0.15 if row == "regulations" else 0.5), 12)
            b = a if rng.random() < 0.7 else max(0, a - rng.randint(0, 2))
            tot = b + (_small(rng, 0.4, 30) if rng.random() < busy else 0)
            for c, v in zip(cols, (a, b, tot) if template == "2019" else (a, _small(rng, 0.2, 3), tot), strict=True):
                vals[c] = v
        elif row == "centralized_procurement":
            n = _small(rng, busy * 0.5, 30)
            vals["projects"] = n
            vals["amount"] = round(n * rng.uniform(0.5, 400.0), 4) if n else 0
        elif row == "administrative_fees":
            if template == "2021":
                vals["amount"] = round(rng.uniform(0.1, 80), 2) if rng.random() < busy * 0.15 else 0
            else:
                prev = _small(rng, busy * 0.2, 6)
                vals["previous_year"] = prev
                vals["change"] = _change(rng, prev, busy)
        else:  # licensing, other services, penalty, coercion
            hi = 400 if row in ("administrative_licensing", "other_administrative_services") else 60
            if template == "2021":
                vals["decisions"] = _small(rng, busy * 0.4, hi)
            else:
                prev = _small(rng, busy * 0.35, hi)
                vals["previous_year"] = prev
                vals["change"] = _change(rng, prev, busy)
                vals["decisions"] = _small(rng, busy * 0.35, hi)
        rows[row] = vals
    return rows


def _change(rng: random.Random, prev: int, busy: float) -> int:
    if rng.random() >= busy * 0.4:
        return 0
    if prev and rng.random() < 0.4:
        return -rng.randint(1, prev)
    return rng.randint(1, 150)


def draw_requests(rng: random.Random, template: str, busy: float) -> dict[str, dict[str, int]]:
    """A request table whose balance, row totals and processed sums all hold."""
    results = RESULT_ROWS_2021 if template == "2021" else RESULT_ROWS_2019
    table: dict[str, dict[str, int]] = {r: dict.fromkeys(REQUEST_COLUMNS, 0) for r in request_rows(template)}
    if rng.random() < busy:
        weights = {"natural_person": 10, "commercial_enterprise": 2, "research_institution": 0.3,
                   "social_welfare_org": 0.3, "legal_service_org": 0.7, "other_org": 1}
        n_new = rng.choice((1, 1, 2, 2, 3, 4, 5, 7, rng.randint(1, 40)))
        n_old = rng.choice((0, 0, 0, 1, 2))
        for label, n in (("new_requests", n_new), ("carried_over", n_old)):
            for _ in range(n):
                col = rng.choices(APPLICANTS, weights=[weights[c] for c in APPLICANTS])[0]
                table[label][col] += 1
        res_w = {r: 0.2 for r in results}
        res_w.update(granted=8, partially_granted=2, unable_not_held=3, not_processed_petition=1,
                     denied_process_info=0.6, not_processed_duplicate=0.8)
        for col in APPLICANTS:
            pending = table["new_requests"][col] + table["carried_over"][col]
            for _ in range(pending):
                if rng.random() < 0.1:
                    table["carried_forward"][col] += 1
                else:
                    row = rng.choices(results, weights=[res_w[r] for r in results])[0]
                    table[row][col] += 1
    for col in APPLICANTS:
        table["total_processed"][col] = sum(table[r][col] for r in results)
    for row in table.values():
        row["total"] = sum(row[c] for c in APPLICANTS)
    return table


def draw_review(rng: random.Random, busy: float) -> dict[str, dict[str, int]]:
    out = {}
    for g in REVIEW_GROUPS:
        vals = dict.fromkeys(REVIEW_COLUMNS, 0)
        if rng.random() < busy * (0.25 if g == "administrative_review" else 0.1):
            for c in REVIEW_COLUMNS[:-1]:
                vals[c] = rng.choice((0, 0, 1, 1, 2))
        vals["total"] = sum(vals[c] for c in REVIEW_COLUMNS[:-1])
        out[g] = vals
    return out


def break_one(rng: random.Random, tv: TableValues, kind: str) -> None:
    """Make one deliberate inconsistency of ``kind`` (a rule prefix) in the true values."""
    d = rng.choice((1, 1, 2, 3, 10))
    req = tv.requests
    if kind == "requests.row_total":
        row = rng.choice(list(req))
        req[row]["total"] += d
    elif kind == "requests.balance":
        col = rng.choice(APPLICANTS)
        req["carried_forward"][col] += d
        req["carried_forward"]["total"] += d
    elif kind == "requests.processed_sum":
        col = rng.choice(APPLICANTS)
        req["granted"][col] += d
        req["granted"]["total"] += d
    elif kind == "review_litigation.total":
        g = rng.choice(list(tv.review))
        tv.review[g]["total"] += d
    elif kind != "claims.requests_vs_table":
        raise ValueError(kind)
    tv.broken.append(kind)
