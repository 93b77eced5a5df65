"""The national template's vocabulary: section, row and column keys, what reports print for
them, and the column order of each row per template version (2019: 国办公开办函〔2019〕60号,
2021: 国办公开办函〔2021〕30号).

``CELL_k`` spans refer to the k-th entry of ``row_columns(table, row, template)``: this module
is the single source of that ordering for rules, model, generator and post-processor.
"""

from __future__ import annotations

TEMPLATES = ("2019", "2021")

SECTIONS: dict[str, tuple[str, ...]] = {
    # key -> printed titles (canonical first) and common synonyms, without ordinals
    "overview": ("总体情况", "工作基本情况", "基本情况", "概述", "工作概况", "总体工作情况"),
    "active_disclosure": ("主动公开政府信息情况", "主动公开情况", "主动公开政府信息"),
    "requests": (
        "收到和处理政府信息公开申请情况",
        "依申请公开政府信息情况",
        "政府信息公开申请情况",
        "依申请公开情况",
    ),
    "review_litigation": (
        "政府信息公开行政复议、行政诉讼情况",
        "政府信息公开行政复议和行政诉讼情况",
        "行政复议、行政诉讼情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
    ),
    "problems_improvements": (
        "存在的主要问题及改进情况",
        "存在的主要问题及改进措施",
        "存在的问题及改进措施",
        "存在的问题和改进措施",
        "存在的不足及改进措施",
        "工作存在的问题及改进措施",
    ),
    "other_matters": ("其他需要报告的事项", "其他需要报告事项", "其他事项"),
}
SECTION_ORDER = tuple(SECTIONS)

# ---------------------------------------------------------------- 二、主动公开
ACTIVE_ROWS: dict[str, tuple[str, ...]] = {
    "regulations": ("规章",),
    "normative_documents": ("规范性文件", "行政规范性文件"),
    "administrative_licensing": ("行政许可",),
    "other_administrative_services": ("其他对外管理服务事项",),
    "administrative_penalty": ("行政处罚",),
    "administrative_coercion": ("行政强制",),
    "administrative_fees": ("行政事业性收费",),
    "centralized_procurement": ("政府集中采购",),
}
ACTIVE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "regulations": ("newly_made", "newly_published", "total_published"),
        "normative_documents": ("newly_made", "newly_published", "total_published"),
        "administrative_licensing": ("previous_year", "change", "decisions"),
        "other_administrative_services": ("previous_year", "change", "decisions"),
        "administrative_penalty": ("previous_year", "change", "decisions"),
        "administrative_coercion": ("previous_year", "change", "decisions"),
        "administrative_fees": ("previous_year", "change"),
        "centralized_procurement": ("projects", "amount"),
    },
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "administrative_licensing": ("decisions",),
        "administrative_penalty": ("decisions",),
        "administrative_coercion": ("decisions",),
        "administrative_fees": ("amount",),
    },
}
ACTIVE_COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    "newly_made": ("本年新制作数量",),
    "newly_published": ("本年新公开数量",),
    "total_published": ("对外公开总数量",),
    "issued": ("本年制发件数",),
    "repealed": ("本年废止件数",),
    "in_force": ("现行有效件数",),
    "previous_year": ("上一年项目数量",),
    "change": ("本年增/减", "本年增减", "本年增\\减"),
    "decisions": ("处理决定数量", "本年处理决定数量"),
    "amount": ("采购总金额", "本年收费金额（万元）", "本年收费金额"),
    "projects": ("采购项目数量",),
}

# ---------------------------------------------------------------- 三、依申请
REQUEST_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
REQUEST_COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人",),
    "commercial_enterprise": ("商业企业",),
    "research_institution": ("科研机构",),
    "social_welfare_org": ("社会公益组织",),
    "legal_service_org": ("法律服务机构",),
    "other_org": ("其他",),
    "total": ("总计",),
}
# row key -> (group or None, printed labels). Group rows (三、本年度办理结果, （三）不予公开 …)
# carry no cells; they disambiguate numbered sub-rows such as "3.其他".
REQUEST_GROUPS: dict[str, tuple[str, ...]] = {
    "results": ("本年度办理结果",),
    "denied": ("不予公开",),
    "unable": ("无法提供",),
    "not_processed": ("不予处理",),
    "other": ("其他处理",),
}
REQUEST_ROWS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "new_requests": (None, ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请")),
    "carried_over": (None, ("上年结转政府信息公开申请数量", "上年结转政府信息公开申请")),
    "granted": ("results", ("予以公开",)),
    "partially_granted": ("results", ("部分公开",)),
    "denied_state_secret": ("denied", ("属于国家秘密",)),
    "denied_prohibited_by_law": ("denied", ("其他法律行政法规禁止公开",)),
    "denied_three_safeties": ("denied", ("危及“三安全一稳定”", "危及三安全一稳定")),
    "denied_third_party_rights": ("denied", ("保护第三方合法权益",)),
    "denied_internal_affairs": ("denied", ("属于三类内部事务信息",)),
    "denied_process_info": ("denied", ("属于四类过程性信息",)),
    "denied_enforcement_files": ("denied", ("属于行政执法案卷",)),
    "denied_administrative_query": ("denied", ("属于行政查询事项",)),
    "unable_not_held": ("unable", ("本机关不掌握相关政府信息",)),
    "unable_needs_creation": ("unable", ("没有现成信息需要另行制作",)),
    "unable_unclear": ("unable", ("补正后申请内容仍不明确",)),
    "not_processed_petition": ("not_processed", ("信访举报投诉类申请",)),
    "not_processed_duplicate": ("not_processed", ("重复申请",)),
    "not_processed_publication": ("not_processed", ("要求提供公开出版物",)),
    "not_processed_excessive": ("not_processed", ("无正当理由大量反复申请",)),
    "not_processed_confirmation": ("not_processed", ("要求行政机关确认或重新出具已获取信息",)),
    "other_handling": ("other", ("其他处理",)),
    "other_overdue_correction": ("other", ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",)),
    "other_unpaid_fee": ("other", ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",)),
    "other_misc": ("other", ("其他",)),
    "total_processed": ("results", ("总计",)),
    "carried_forward": (None, ("结转下年度继续办理",)),
}
REQUEST_ROWS_2019 = tuple(k for k in REQUEST_ROWS if k not in ("other_overdue_correction", "other_unpaid_fee", "other_misc"))
REQUEST_ROWS_2021 = tuple(k for k in REQUEST_ROWS if k != "other_handling")

# ---------------------------------------------------------------- 四、复议诉讼
REVIEW_GROUPS: dict[str, tuple[str, ...]] = {
    "administrative_review": ("行政复议",),
    "litigation_direct": ("未经复议直接起诉",),
    "litigation_after_review": ("复议后起诉",),
}
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
REVIEW_COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    "upheld": ("结果维持",),
    "corrected": ("结果纠正",),
    "other": ("其他结果",),
    "pending": ("尚未审结",),
    "total": ("总计",),
}

# Column headers that only one template prints: used to decide meta.template.
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增\\减"),
    "2021": ("本年制发件", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量"),
}


def request_rows(template: str) -> tuple[str, ...]:
    return REQUEST_ROWS_2021 if template == "2021" else REQUEST_ROWS_2019


def row_columns(table: str, row: str, template: str) -> tuple[str, ...]:
    """Ordered column keys of ``row`` (``CELL_k`` is the k-th). Empty if the template lacks the row.

    For ``review_litigation`` pass the group as ``row``; pass ``"*"`` for the one-line layout
    that prints all three groups in a row of 15 cells (``CELL_1``..``CELL_15``).
    """
    if table == "active_disclosure":
        return ACTIVE_COLUMNS.get(template, ACTIVE_COLUMNS["2019"]).get(row, ())
    if table == "requests":
        return REQUEST_COLUMNS if row in request_rows(template) else ()
    if table == "review_litigation":
        if row == "*":
            return tuple(f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
        return REVIEW_COLUMNS if row in REVIEW_GROUPS else ()
    raise KeyError(table)
