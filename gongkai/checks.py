"""Consistency checks (SCHEMA.md): the template's own arithmetic (勾稽关系) plus a few sanity
rules in the spirit of KIROGOVCOMPARE. A check whose inputs are missing is ``skipped``, never
guessed; ``detail`` shows the arithmetic as numbers so a person can verify it at a glance."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from gongkai import template as T
from gongkai.schema import Check, Claim, Report

Num = int | float | None
_EPS = 1e-6


def _fmt(v: Num) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _cell(report: Report, table: str, row: str, col: str) -> Num:
    group = getattr(report, table)
    r = getattr(group, row, None)
    return None if r is None else getattr(r, col, None)


def _sum_check(rule: str, left: list[Num], right: list[Num], missing_ok: bool = False) -> Check:
    """``sum(left) == sum(right)``; skipped when any input is null (or all when ``missing_ok``)."""
    shown = f"{'+'.join(map(_fmt, left))} = {'+'.join(map(_fmt, right))}"
    lv = [v for v in left if v is not None]
    rv = [v for v in right if v is not None]
    incomplete = len(lv) < len(left) or len(rv) < len(right)
    if (incomplete and not missing_ok) or not lv or not rv:
        return Check(rule=rule, status="skipped", detail=f"missing inputs: {shown}")
    ok = abs(sum(lv) - sum(rv)) < _EPS
    detail = f"{shown}" if ok else f"{shown} ({_fmt(sum(lv))} ≠ {_fmt(sum(rv))})"
    return Check(rule=rule, status="pass" if ok else "fail", detail=detail)


def _processed_rows(template: str | None) -> list[str]:
    rows = T.request_rows(template or "2019")
    skip = {"new_requests", "carried_over", "total_processed", "carried_forward"}
    return [r for r in rows if r not in skip]


def request_checks(report: Report) -> Iterable[Check]:
    rq = "requests"
    for col in T.REQUEST_COLUMNS:
        yield _sum_check(
            f"requests.balance.{col}",
            [_cell(report, rq, "new_requests", col), _cell(report, rq, "carried_over", col)],
            [_cell(report, rq, "total_processed", col), _cell(report, rq, "carried_forward", col)],
        )
    # every row of either template: a row this report does not print is reported as skipped
    for row in T.REQUEST_ROWS:
        values = [_cell(report, rq, row, c) for c in T.REQUEST_COLUMNS[:-1]]
        yield _sum_check(f"requests.row_total.{row}", values, [_cell(report, rq, row, "total")])
    template = report.meta.template
    if template is None and report.requests.other_handling is None:
        if any(getattr(report.requests, r) is not None for r in ("other_overdue_correction", "other_misc")):
            template = "2021"
    rows = _processed_rows(template)
    for col in T.REQUEST_COLUMNS:
        yield _sum_check(
            f"requests.processed_sum.{col}",
            [_cell(report, rq, r, col) for r in rows],
            [_cell(report, rq, "total_processed", col)],
        )


def review_checks(report: Report) -> Iterable[Check]:
    for group in T.REVIEW_GROUPS:
        parts = [_cell(report, "review_litigation", group, c) for c in T.REVIEW_COLUMNS[:-1]]
        yield _sum_check(
            f"review_litigation.total.{group}", parts, [_cell(report, "review_litigation", group, "total")]
        )


def active_checks(report: Report) -> Iterable[Check]:
    """Sanity (2019 template): 本年新公开数量 ≤ 对外公开总数量; then no negative counts in any table."""
    for row in ("regulations", "normative_documents"):
        new = _cell(report, "active_disclosure", row, "newly_published")
        total = _cell(report, "active_disclosure", row, "total_published")
        rule = f"active_disclosure.published_le_total.{row}"
        if new is None or total is None:
            yield Check(rule=rule, status="skipped", detail=f"missing inputs: {_fmt(new)} ≤ {_fmt(total)}")
        else:
            ok = new <= total + _EPS
            yield Check(rule=rule, status="pass" if ok else "fail", detail=f"{_fmt(new)} ≤ {_fmt(total)}")
    yield from non_negative(report)


def non_negative(report: Report) -> Iterable[Check]:
    """Counts are never negative (本年增/减 may be): one check per table, so that a failure
    points at the section that produced it."""
    for table in ("active_disclosure", "requests", "review_litigation"):
        rows = getattr(report, table).model_dump(exclude_none=True)
        rule = f"{table}.non_negative"
        if not rows:
            yield Check(rule=rule, status="skipped", detail="missing inputs: no cells")
            continue
        bad = [
            f"{row}.{col}={_fmt(v)}"
            for row, cols in rows.items()
            for col, v in cols.items()
            if col not in ("change", "amount_unit") and isinstance(v, int | float) and v < 0
        ]
        detail = (
            ", ".join(bad)
            if bad
            else "no negative counts" + (" (本年增/减 excepted)" if table == "active_disclosure" else "")
        )
        yield Check(rule=rule, status="fail" if bad else "pass", detail=detail)


def claim_checks(report: Report) -> Iterable[Check]:
    table_total = _cell(report, "requests", "new_requests", "total")
    claims = [
        c
        for c in report.claims
        if c.type == "request_count" and c.breakdown is None and c.scope != "cumulative"
    ]
    rule = "claims.requests_vs_table"
    if not claims or table_total is None:
        what = "no yearly request_count claim" if not claims else "requests.new_requests.total is null"
        yield Check(rule=rule, status="skipped", detail=f"missing inputs: {what}")
        return
    values = [c.value for c in claims]
    ok = any(abs(v - table_total) < _EPS for v in values)
    shown = " / ".join(_fmt(v) for v in values)
    yield Check(
        rule=rule, status="pass" if ok else "fail", detail=f"claim {shown} vs table {_fmt(table_total)}"
    )


def parts_checks(report: Report) -> Iterable[Check]:
    """Breakdowns against the figure they break down (KIROGOVCOMPARE QR-005, 分项合计). Parts that
    add up to the whole pass. Otherwise nothing is proven wrong — a list may be partial (其中…),
    channels overlap, a labeller may take a separate count for a part — so the check is skipped
    with the arithmetic in ``detail`` for a person to judge; it never fails on its own."""
    for ctype in ("active_disclosure_count", "request_count"):
        groups: list[tuple[Claim, list[Claim]]] = []
        for c in report.claims:
            if c.type != ctype:
                continue
            if c.breakdown is None:
                groups.append((c, []))
            elif groups:
                groups[-1][1].append(c)
        groups = [(whole, parts) for whole, parts in groups if parts]
        if not groups:
            yield Check(
                rule=f"claims.parts_sum.{ctype}", status="skipped", detail="missing inputs: no breakdown"
            )
        for i, (whole, parts) in enumerate(groups, 1):
            rule = f"claims.parts_sum.{ctype}" + (f".{i}" if i > 1 else "")
            total = sum(p.value for p in parts)
            shown = f"{'+'.join(_fmt(p.value) for p in parts)} = {_fmt(whole.value)}"
            if abs(total - whole.value) < _EPS:
                yield Check(rule=rule, status="pass", detail=shown)
            else:
                why = (
                    "a partial list?" if total < whole.value else "overlapping channels or a separate count?"
                )
                yield Check(
                    rule=rule,
                    status="skipped",
                    detail=f"{shown}: {_fmt(total)} ≠ {_fmt(whole.value)} ({why})",
                )
    shares = [c for c in report.claims if c.share is not None]
    bad = [f"{c.text.strip()} {_fmt(c.share)}%" for c in shares if not 0 <= c.share <= 100]
    if not shares:
        yield Check(rule="claims.share_range", status="skipped", detail="missing inputs: no shares")
    else:
        yield Check(
            rule="claims.share_range",
            status="fail" if bad else "pass",
            detail="; ".join(bad) if bad else f"{len(shares)} shares within 0–100%",
        )


def meta_checks(report: Report) -> Iterable[Check]:
    """Dates and template against the report year: a report is published in its year or the next,
    and the 2021 template (国办公开办函〔2021〕30号) first applies to 2021 reports."""
    year, date, template = report.meta.report_year, report.meta.publish_date, report.meta.template
    if year is None or date is None:
        yield Check(rule="meta.publish_year", status="skipped", detail=f"missing inputs: {year} / {date}")
    else:
        ok = year <= int(date[:4]) <= year + 1
        yield Check(
            rule="meta.publish_year",
            status="pass" if ok else "fail",
            detail=f"report {year}, published {date}",
        )
    if year is None or template is None:
        yield Check(
            rule="meta.template_year", status="skipped", detail=f"missing inputs: {year} / {template}"
        )
    else:
        ok = template == "2019" or year >= 2021
        yield Check(
            rule="meta.template_year",
            status="pass" if ok else "fail",
            detail=f"template {template}, report {year}",
        )


def row_label_checks(report: Report) -> Iterable[Check]:
    """Each row's cells were read under a printed label that names that row (``row_label.*`` in
    provenance): values taken from the next, non-template row (其他主动公开文件 after 规范性文件, read as
    规范性文件 because the word appears in its remark) fail here instead of passing quietly."""
    from gongkai.assemble.canon import canon  # lazy: gongkai.assemble imports this module
    from gongkai.assemble.rows import match_row

    by_table: dict[str, dict] = {}
    for k, p in report.provenance.items():
        if k.startswith("row_label."):
            _, table, row = k.split(".", 2)
            by_table.setdefault(table, {})[row] = p
    for table in ("active_disclosure", "requests", "review_litigation"):
        labels = by_table.get(table, {})
        rule = f"{table}.row_labels"
        if not labels:
            yield Check(rule=rule, status="skipped", detail="missing inputs: no row labels")
            continue
        bad = []
        for row, prov in sorted(labels.items()):
            group = T.REQUEST_ROWS[row][0] if table == "requests" and row in T.REQUEST_ROWS else None
            if row in ("other_handling", "other_misc"):
                group = "other"
            head = canon(prov.raw) or prov.raw  # the label's own words: a remark in brackets may name other rows
            got = match_row(head, table, group, report.meta.template)
            if got.key != row:
                bad.append(f"{row} read under {prov.raw.strip()[:30]!r} (@{prov.start})")
        detail = "; ".join(bad) if bad else f"{len(labels)} rows read under their own labels"
        yield Check(rule=rule, status="fail" if bad else "pass", detail=detail)


# ----------------------------------------------------------------------- what a reader got wrong
# The template's own arithmetic needs every input; these checks work on a partly read table too,
# and look at the text for values the reader left behind.


def parts_exceed_total(report: Report) -> Iterable[Check]:
    """Parts that add up to more than their printed total contradict the table even when other
    parts are missing: applicant columns vs a row's 总计, processed rows vs （七）总计, review
    results vs 总计. One check per table; the detail names every contradiction."""
    values = _values(report)
    for table, pairs in _total_pairs(report.meta.template):
        bad, compared = [], 0
        for name, parts, total in pairs:
            t = values.get(total)
            vals = [v for v in map(values.get, parts) if v is not None]
            if t is None or not vals:
                continue
            compared += 1
            if sum(vals) > t + _EPS:
                bad.append(f"{name}: parts {_fmt(sum(vals))} > total {_fmt(t)}")
        rule = f"{table}.parts_exceed_total"
        if not compared:
            yield Check(rule=rule, status="skipped", detail="missing inputs: no total with parts")
        else:
            yield Check(rule=rule, status="fail" if bad else "pass",
                        detail="; ".join(bad) if bad else f"{compared} totals at least their parts")


Cellkey = tuple[str, str, str]


@lru_cache(maxsize=4)
def _total_pairs(template: str | None) -> tuple[tuple[str, list[tuple[str, list[Cellkey], Cellkey]]], ...]:
    """Per table: (name, part cells, total cell) of every total the template prints parts of."""
    rq, rv = "requests", "review_litigation"
    req: list[tuple[str, list[Cellkey], Cellkey]] = []
    for row in T.REQUEST_ROWS:
        req.append((f"{rq}.{row}", [(rq, row, c) for c in T.REQUEST_COLUMNS[:-1]], (rq, row, "total")))
    for col in T.REQUEST_COLUMNS:
        parts = [(rq, r, col) for r in _processed_rows(template)]
        req.append((f"{rq}.processed.{col}", parts, (rq, "total_processed", col)))
    rev = [(f"{rv}.{g}", [(rv, g, c) for c in T.REVIEW_COLUMNS[:-1]], (rv, g, "total")) for g in T.REVIEW_GROUPS]
    return (rq, req), (rv, rev)


def _values(report: Report) -> dict[Cellkey, int | float]:
    """Every numeric cell of the three tables, read once (the checks ask for thousands)."""
    out: dict[Cellkey, int | float] = {}
    for table in ("active_disclosure", "requests", "review_litigation"):
        for row, cells in getattr(report, table):
            if cells is None:
                continue
            for col, v in cells:
                if isinstance(v, int | float) and not isinstance(v, bool):
                    out[(table, row, col)] = v
    return out


_CLAIM_ROWS = (  # words of a request claim's breakdown -> the table row it restates
    (("予以公开", "全部公开"), "granted"),
    (("部分公开",), "partially_granted"),
    (("结转下年", "结转至下年", "结转到下年"), "carried_forward"),
    (("上年结转",), "carried_over"),
    (("办结", "答复", "办理完毕", "已办理"), "total_processed"),
)


def claim_table_checks(report: Report) -> Iterable[Check]:
    """A request claim whose breakdown restates a row of the requests table (予以公开 N 件,
    办结 N 件, 结转下年 N 件) must agree with that row's 总计. One check per such claim."""
    found = False
    for claim in report.claims:
        if claim.type != "request_count" or not claim.breakdown or claim.scope == "cumulative":
            continue
        row = next((r for words, r in _CLAIM_ROWS if any(w in claim.breakdown for w in words)), None)
        table = _cell(report, "requests", row, "total") if row else None
        if table is None:
            continue
        found = True
        ok = abs(claim.value - table) < _EPS or (claim.approximate and claim.value <= table)
        yield Check(rule=f"claims.vs_table.{row}", status="pass" if ok else "fail",
                    detail=f"claim {claim.breakdown} {_fmt(claim.value)} vs table requests.{row}.total {_fmt(table)}")
    if not found:
        yield Check(rule="claims.vs_table", status="skipped",
                    detail="missing inputs: no request claim restating a table row")


def _row_cells(table: str, row: str) -> set[str]:
    cols = {c for t in T.TEMPLATES for c in T.row_columns(table, row, t)} if table != "review_litigation" \
        else set(T.REVIEW_COLUMNS)
    return {f"{table}.{row}.{c}" for c in cols}


def cells_of_check(check: Check, report: Report) -> set[str]:
    """The table cells (``table.row.col``) a check's verdict is about, so that a failing check
    can be traced to the values it puts in doubt."""
    parts = check.rule.split(".")
    rq, rv, ad = "requests", "review_litigation", "active_disclosure"
    if parts[:2] == [rq, "balance"]:
        return {f"{rq}.{r}.{parts[2]}" for r in ("new_requests", "carried_over", "total_processed", "carried_forward")}
    if parts[:2] == [rq, "row_total"]:
        return _row_cells(rq, parts[2])
    if parts[:2] == [rq, "processed_sum"]:
        return {f"{rq}.{r}.{parts[2]}" for r in [*_processed_rows(report.meta.template), "total_processed"]}
    if parts[:2] == [rv, "total"]:
        return _row_cells(rv, parts[2])
    if parts[:2] == [ad, "published_le_total"]:
        return {f"{ad}.{parts[2]}.newly_published", f"{ad}.{parts[2]}.total_published"}
    if parts[1:] == ["non_negative"]:
        return {f"{parts[0]}.{cell.split('=')[0]}" for cell in check.detail.split(", ") if "=" in cell}
    if check.rule == "claims.requests_vs_table":
        return {f"{rq}.new_requests.total"}
    if parts[:2] == ["claims", "vs_table"] and len(parts) == 3:
        return {f"{rq}.{parts[2]}.total"}
    if parts[1:] == ["parts_exceed_total"]:
        out: set[str] = set()
        for item in check.detail.split("; "):
            name = item.split(":")[0].split(".")
            if len(name) == 3 and name[1] == "processed":  # requests.processed.<col>
                out |= {f"{rq}.{r}.{name[2]}" for r in [*_processed_rows(report.meta.template), "total_processed"]}
            elif len(name) == 2:
                out |= _row_cells(name[0], name[1])
        return out
    if parts[1:] == ["row_labels"]:  # "<row> read under '<label>' (@<offset>); ..."
        rows = [item.split(" read under ")[0].strip() for item in check.detail.split("; ") if " read under " in item]
        return set().union(*(_row_cells(parts[0], r) for r in rows))
    if parts[1:] == ["unread_values"]:
        rows = [item.split(":")[0].strip() for item in check.detail.split(": ", 1)[-1].split("; ")]
        return set().union(*(_row_cells(parts[0], r) for r in rows if r))
    return set()


WEAK = 0.5  # the confidence left to a value whose table contradicts it


def weaken_confidence(report: Report) -> None:
    """Evidence is weak for a value that a failing check puts in doubt: its provenance
    confidence is capped at ``WEAK`` (whatever the reader's own confidence), so that filtering
    on confidence finds it."""
    doubted: set[str] = set()
    for check in report.checks:
        if check.status == "fail":
            doubted |= cells_of_check(check, report)
    for path in doubted:
        prov = report.provenance.get(path)
        if prov is not None and prov.confidence > WEAK:
            prov.confidence = WEAK


def run_checks(report: Report, text: str | None = None) -> list[Check]:
    """Every check, in a fixed order (deterministic output). ``text`` (the text as read) enables
    the checks that compare the output with the page (``gongkai.checks_text``)."""
    checks = [
        *request_checks(report),
        *review_checks(report),
        *active_checks(report),
        *row_label_checks(report),
        *claim_checks(report),
        *parts_checks(report),
        *meta_checks(report),
        *parts_exceed_total(report),
        *claim_table_checks(report),
    ]
    if text is not None:
        from gongkai.checks_text import unread_values

        checks.extend(unread_values(report, text))
    return checks
