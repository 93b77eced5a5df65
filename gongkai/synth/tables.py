"""The three template tables as printed lines plus the gold each one implies.

What is printed for a true value (``0``, ``无``, blank, ``249万``) decides the gold: a blank
cell is null, a lone ``无`` for a multi-column row leaves the row null (docs/labels.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gongkai.synth.layouts import Cell, Line
from gongkai.template import ACTIVE_COLUMNS, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, request_rows

CN = "一二三四五六七八九十"


@dataclass
class PrintStyle:
    """Per-document choices of how values and labels are printed."""

    rng: random.Random
    zero: str = "0"
    blank_p: float = 0.0
    wu_p: float = 0.0
    blank_tables: tuple[str, ...] = ()
    paren: str = "full"  # full （一） | half (一) | half_space (一)␣
    num_sep: str = "."
    split_headers: bool = False
    vertical_headers: bool = False
    spaced_headers: bool = False
    multiline_ok: bool = True
    short_labels: bool = False
    procurement: str = "plain"  # header4 | header_wan | header_yuan | cell_wan | plain
    review_form: str = "wide"  # wide | rows
    extra_rows: bool = False  # 其他对外管理服务事项 split into 行政检查 / 行政确认 …
    truncated: bool = False  # 本年新制作数量 printed as 本年新 (second header line lost in a web copy)
    blanks_vanish: bool = False  # the layout prints a blank cell as nothing (space-separated rows)
    signs: bool = False  # 本年增/减 printed with its sign: +19, −3
    spaced_labels: bool = False  # two-character row labels spaced out: 规 章
    change_header: str = "本年增/减"  # or 本年增\减, 本年增减
    remarks: bool = False  # labels carry explanations in brackets, plus a row the template lacks
    narrow: bool = False  # a narrow PDF table (layout ``vertical``): more unattributable runs, empty tables

    def par(self, i: int) -> str:
        n = CN[i - 1]
        return {"full": f"（{n}）", "half": f"({n})", "half_space": f"({n}) "}[self.paren]

    def num(self, i: int) -> str:
        return f"{i}{self.num_sep}"

    def col(self, text: str, vertical_ok: bool = False) -> Cell:
        """A column header, possibly split across lines, one character per line, or spaced."""
        rng = self.rng
        if self.truncated and text in ("本年新制作数量", "本年新公开数量"):
            return Cell("本年新", "COL")
        if self.truncated and text == "本年制发件数":
            return Cell("本年制发件", "COL")
        if text == "本年增/减":
            text = self.change_header
        if vertical_ok and self.vertical_headers:
            sep = "\n" if self.multiline_ok else " "
            return Cell(sep.join(text), "COL")
        if vertical_ok and self.spaced_headers:
            return Cell(" ".join(text), "COL")
        if self.split_headers and self.multiline_ok and len(text) >= 6 and "（" not in text and rng.random() < 0.7:
            cut = rng.randint(2, len(text) - 2)
            return Cell(text[:cut] + "\n" + text[cut:], "COL")
        return Cell(text, "COL")


def _fmt(v: int | float) -> str:
    return str(v)


def _cells(ps: PrintStyle, values: list[int | float], blank_all: bool, start: int = 1) -> tuple[list[Cell], list]:
    """Printed cells and their gold values for one row (CELL_k numbering from ``start``)."""
    cells: list[Cell] = []
    gold: list[int | float | None] = []
    for k, v in enumerate(values, start):
        if blank_all or (v == 0 and ps.rng.random() < ps.blank_p):
            cells.append(Cell(None))
            gold.append(None)
        elif v == 0:
            cells.append(Cell(ps.zero, f"CELL_{k}"))
            gold.append(0)
        else:
            cells.append(Cell(_fmt(v), f"CELL_{k}"))
            gold.append(v)
    if ps.blanks_vanish and any(c.text is None for c in cells):
        # the blank leaves no trace, so the printed values cannot be placed in their columns:
        # no CELL spans, the row's cells left out of gold (docs/labels.md, Rules for CELL_k)
        return [Cell(c.text) for c in cells], [None] * len(gold)
    return cells, gold


def _row(ps: PrintStyle, label: str, values: list, blank_all: bool, indent: int = 0,
         group: str | None = None) -> tuple[Line, list]:
    """One data row; all-zero rows may print a lone 无 (no span unless single-column)."""
    head = [Cell(group, "ROW")] if group else []
    if not blank_all and all(v == 0 for v in values) and ps.rng.random() < ps.wu_p:
        if len(values) == 1:
            return Line("row", [*head, Cell(label, "ROW"), Cell("无", "CELL_1")], indent), [0]
        return Line("row", [*head, Cell(label, "ROW"), Cell("无")], indent), [None] * len(values)
    cells, gold = _cells(ps, values, blank_all)
    return Line("row", [*head, Cell(label, "ROW"), *cells], indent), gold


# ------------------------------------------------------------------ 二、主动公开
ACTIVE_BLOCKS = {
    "2019": (
        (1, ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("regulations", "normative_documents")),
        (5, ("上一年项目数量", "本年增/减", "处理决定数量"), ("administrative_licensing", "other_administrative_services")),
        (6, ("上一年项目数量", "本年增/减", "处理决定数量"), ("administrative_penalty", "administrative_coercion")),
        (8, ("上一年项目数量", "本年增/减"), ("administrative_fees",)),
        (9, ("采购项目数量", "采购总金额"), ("centralized_procurement",)),
    ),
    "2021": (
        (1, ("本年制发件数", "本年废止件数", "现行有效件数"), ("regulations", "normative_documents")),
        (5, ("本年处理决定数量",), ("administrative_licensing",)),
        (6, ("本年处理决定数量",), ("administrative_penalty", "administrative_coercion")),
        (8, ("本年收费金额（单位：万元）",), ("administrative_fees",)),
    ),
}
ACTIVE_LABELS = {
    "regulations": "规章", "normative_documents": "规范性文件", "administrative_licensing": "行政许可",
    "other_administrative_services": "其他对外管理服务事项", "administrative_penalty": "行政处罚",
    "administrative_coercion": "行政强制", "administrative_fees": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
}
EXTRA_SUBROWS = ("行政检查", "行政确认", "行政给付", "行政奖励", "行政征收")
# explanations some provinces print inside row labels (invented wording); they name other rows
LABEL_REMARKS = {
    "regulations": ("（限设区的市级以上人民政府填报）", "(仅由有规章制定权的政府填写)"),
    "normative_documents": ("（指本机关依法制定、涉及公民权利义务并在一定期限内反复适用的文件，不含内部工作制度）",
                            "(以本机关名义印发、对外具有普遍约束力的文件,不含规章)"),
    "other_administrative_services": ("（指行政许可、行政处罚、行政强制以外的对外管理服务事项）",
                                      "(含行政确认、行政给付、行政检查等,不含行政许可)"),
}
EXTRA_ROWS = ("其他主动公开文件（指规范性文件以外以本机关名义印发的主动公开文件）",
              "其他主动公开文件(除规范性文件外以本单位名义发布的公开文件)")
PROCUREMENT_HEADERS = {
    "header4": ("采购总金额（单位：万元，保留4位小数）", "万元"),
    "header_wan": ("采购总金额（万元）", "万元"),
    "header_yuan": ("采购总金额（元）", "元"),
    "cell_wan": ("采购总金额", None),
    "plain": ("采购总金额", None),
}


def active_table(ps: PrintStyle, template: str, values: dict) -> tuple[list[Line], dict]:
    lines: list[Line] = []
    gold: dict[str, dict] = {}
    blank = "active_disclosure" in ps.blank_tables
    for item, headers, rows in ACTIVE_BLOCKS[template]:
        cap = f"第二十条第{ps.par(item).strip()}项"
        lines.append(Line("caption", [Cell(cap)]))
        heads = list(headers)
        unit = None
        if rows == ("centralized_procurement",):
            heads[1], unit = PROCUREMENT_HEADERS[ps.procurement]
        lines.append(Line("header", [Cell("信息内容"), *(ps.col(h) for h in heads)]))
        for row in rows:
            cols = ACTIVE_COLUMNS[template][row]
            label = ACTIVE_LABELS[row]
            if row == "normative_documents" and (template == "2021" or ps.rng.random() < 0.1):
                label = "行政规范性文件"
            if ps.spaced_labels and len(label) == 2:
                label = label[0] + ps.rng.choice((" ", "  ", "\u3000")) + label[1]
            if ps.remarks and row in LABEL_REMARKS:
                label += ps.rng.choice(LABEL_REMARKS[row])
            vals = [values[row][c] for c in cols]
            if row == "centralized_procurement":
                line, g, unit = _procurement(ps, label, vals, unit, blank)
            elif row == "other_administrative_services" and ps.extra_rows:
                # split into sub-items the template does not have: not attributable, row left out
                lines.append(Line("row", [Cell(label, "ROW")]))
                for sub in ps.rng.sample(EXTRA_SUBROWS, 2):
                    sub_vals = [ps.rng.choice((0, 0, 0, 1, 3)) for _ in cols]
                    lines.append(_row(ps, sub, sub_vals, blank)[0])
                gold[row] = dict.fromkeys(cols)
                continue
            else:
                line, g = _row(ps, label, vals, blank)
                if ps.signs and "change" in cols:
                    _sign(ps, line, 1 + cols.index("change"))
            lines.append(line)
            gold[row] = dict(zip(cols, g, strict=True))
            if row == "normative_documents" and ps.remarks:  # a row the template lacks: not in gold
                extra = [ps.rng.choice((0, 0, 1, 2, 5, 12)) for _ in cols]
                lines.append(_row(ps, ps.rng.choice(EXTRA_ROWS), extra, blank)[0])
            if row == "centralized_procurement":  # no amount printed, no unit (as gongkai.assemble reads it)
                gold[row]["amount_unit"] = unit if gold[row]["amount"] is not None else None
    return lines, gold


def _sign(ps: PrintStyle, line: Line, k: int) -> None:
    """Print the k-th cell (CELL_k) of a row with its sign: ``+19``, ``−3`` (the value is unchanged)."""
    for i, c in enumerate(line.cells):
        if c.label == f"CELL_{k}" and c.text and c.text[0].isdigit() and c.text != "0":
            line.cells[i] = Cell("+" + c.text, c.label)
        elif c.label == f"CELL_{k}" and c.text and c.text.startswith("-") and c.text[1:2].isdigit():
            line.cells[i] = Cell(ps.rng.choice(("-", "−")) + c.text[1:], c.label)


def _procurement(ps: PrintStyle, label: str, vals: list, unit: str | None, blank: bool) -> tuple[Line, list, str | None]:
    projects, amount = vals
    if ps.procurement == "header_yuan":
        amount = round(amount * 10000)
    elif ps.procurement == "header4" and amount:
        amount = float(f"{amount:.4f}")
    elif amount:
        amount = round(amount, ps.rng.choice((0, 1, 2))) if ps.rng.random() < 0.7 else round(amount, 4)
        if amount == int(amount):
            amount = int(amount)
    cells, gold = _cells(ps, [projects, amount], blank)
    if ps.procurement == "header4" and amount and cells[1].text:
        cells[1] = Cell(f"{amount:.4f}", cells[1].label)
    if ps.procurement == "cell_wan" and amount and cells[1].text:
        cells[1] = Cell(cells[1].text + ps.rng.choice(("万", "万元")), cells[1].label)
        unit = "万元"
    return Line("row", [Cell(label, "ROW"), *cells]), gold, unit


# ------------------------------------------------------------------ 三、依申请
PARTIAL_LONG = "部分公开（区分处理的，只计这一情形，不计其他情形）"
SUB_GROUPS = {  # group key -> (ordinal, label, rows)
    "denied": (3, "不予公开", ("denied_state_secret", "denied_prohibited_by_law", "denied_three_safeties",
                            "denied_third_party_rights", "denied_internal_affairs", "denied_process_info",
                            "denied_enforcement_files", "denied_administrative_query")),
    "unable": (4, "无法提供", ("unable_not_held", "unable_needs_creation", "unable_unclear")),
    "not_processed": (5, "不予处理", ("not_processed_petition", "not_processed_duplicate",
                                   "not_processed_publication", "not_processed_excessive",
                                   "not_processed_confirmation")),
    "other": (6, "其他处理", ("other_overdue_correction", "other_unpaid_fee", "other_misc")),
}


def _req_label(row: str) -> str:
    from gongkai.template import REQUEST_ROWS

    return REQUEST_ROWS[row][1][0]


def requests_table(ps: PrintStyle, template: str, values: dict) -> tuple[list[Line], dict]:
    rng = ps.rng
    # a narrow table often prints its labels only (seed 000): every cell blank, the table null
    blank = "requests" in ps.blank_tables or (ps.narrow and rng.random() < 0.2)
    gold: dict[str, dict] = {}
    lines = [
        Line("caption", [Cell(rng.choice(("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                                         "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"))),
                         Cell("申请人情况", "COL")]),
        Line("header", [Cell(None), ps.col("自然人"), ps.col("法人或其他组织"), ps.col("总计")]),
        Line("header", [Cell(None), Cell(None), *(ps.col(t) for t in
                                                  ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))]),
    ]

    def add(row: str, label: str, indent: int = 0, group: str | None = None) -> None:
        line, g = _row(ps, label, [values[row][c] for c in REQUEST_COLUMNS], blank, indent, group)
        lines.append(line)
        gold[row] = dict(zip(REQUEST_COLUMNS, g, strict=True))

    add("new_requests", "一、" + _req_label("new_requests"))
    add("carried_over", "二、" + _req_label("carried_over"))
    results_group = "三、本年度办理结果"
    combine = rng.random() < 0.5
    if combine:
        add("granted", ps.par(1) + "予以公开", group=results_group)
    elif ps.vertical_headers and ps.multiline_ok:  # 三、\n本\n年\n度… (one character per line)
        lines.append(Line("row", [Cell("三、\n" + "\n".join(results_group[2:]), "ROW")]))
        add("granted", ps.par(1) + "予以公开", indent=1)
    else:
        lines.append(Line("row", [Cell(results_group, "ROW")]))
        add("granted", ps.par(1) + "予以公开", indent=1)
    add("partially_granted", ps.par(2) + ("部分公开" if ps.short_labels else PARTIAL_LONG), indent=1)
    for key, (i, name, rows) in SUB_GROUPS.items():
        if key == "other" and template == "2019":
            add("other_handling", ps.par(6) + "其他处理", indent=1)
            continue
        group = ps.par(i) + name
        for j, row in enumerate(rows, 1):
            label = ps.num(j) + _req_label(row)
            if row == "denied_three_safeties" and rng.random() < 0.3:
                label = ps.num(j) + '危及"三安全一稳定"'
            if j == 1 and combine:
                add(row, label, indent=1, group=group)
            else:
                if j == 1:
                    lines.append(Line("row", [Cell(group, "ROW")], indent=1))
                add(row, label, indent=2)
    add("total_processed", ps.par(7) + "总计", indent=1)
    add("carried_forward", "四、" + _req_label("carried_forward"))
    assert set(gold) == set(request_rows(template))
    return lines, gold


# ------------------------------------------------------------------ 四、复议诉讼
REVIEW_TITLES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def review_table(ps: PrintStyle, values: dict) -> tuple[list[Line], dict]:
    blank = "review_litigation" in ps.blank_tables
    gold: dict[str, dict] = {}
    if ps.review_form == "rows":
        lines = [Line("header", [Cell(None), *(ps.col(t, vertical_ok=True) for t in REVIEW_TITLES)])]
        for g, (name,) in REVIEW_GROUPS.items():
            line, gv = _row(ps, name, [values[g][c] for c in REVIEW_COLUMNS], blank)
            lines.append(line)
            gold[g] = dict(zip(REVIEW_COLUMNS, gv, strict=True))
        return lines, gold
    lines = [
        Line("header", [ps.col("行政复议"), ps.col("行政诉讼")]),
        Line("header", [*(ps.col(t, vertical_ok=True) for t in REVIEW_TITLES), ps.col("未经复议直接起诉"),
                        ps.col("复议后起诉")]),
        Line("header", [ps.col(t, vertical_ok=True) for t in REVIEW_TITLES * 2]),
    ]
    flat = [values[g][c] for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]
    if not blank and all(v == 0 for v in flat) and ps.rng.random() < max(ps.wu_p, 0.4 if ps.narrow else 0.0):
        # one token per group for fifteen columns: no column is certain, no span, the table null
        token = "无" if ps.wu_p or ps.rng.random() < 0.6 else ps.zero
        lines.append(Line("row", [Cell(token), Cell(token), Cell(token)]))
        return lines, {g: dict.fromkeys(REVIEW_COLUMNS) for g in REVIEW_GROUPS}
    cells, gv = _cells(ps, flat, blank)
    lines.append(Line("row", cells))
    for i, g in enumerate(REVIEW_GROUPS):
        gold[g] = dict(zip(REVIEW_COLUMNS, gv[5 * i: 5 * i + 5], strict=True))
    return lines, gold
