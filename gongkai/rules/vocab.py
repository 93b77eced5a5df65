"""What the tables print, as patterns over the compact (white-space free, normalised) text.

Each row key has a short distinctive pattern (so a label cut by a line wrap or a tab still
matches: ``2.其他法律行政法`` … ``规禁止公开``) and the full printed label, which a match is
extended over as far as the text agrees with it. Order matters only between patterns that can
start at the same character: longer first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as _c
from re import _parser

ROW, COL, GROUP, REVIEW_GROUP, AMBIGUOUS = "ROW", "COL", "GROUP", "REVIEW_GROUP", "AMBIGUOUS"
ACTIVE, REQUESTS, REVIEW = "active_disclosure", "requests", "review_litigation"


@dataclass(frozen=True)
class Entry:
    kind: str
    table: str | None
    key: str
    pattern: str
    full: str


E = Entry
ENTRIES: tuple[Entry, ...] = (
    # 二、主动公开
    E(ROW, ACTIVE, "regulations", r"规章(?!制度)", "规章"),
    E(ROW, ACTIVE, "normative_documents", r"(?:行政)?规范性文件", "行政规范性文件"),
    E(ROW, ACTIVE, "administrative_licensing", r"行政许可", "行政许可"),
    E(ROW, ACTIVE, "other_administrative_services", r"其他对外管理服务事项", "其他对外管理服务事项"),
    E(ROW, ACTIVE, "administrative_penalty", r"行政处罚", "行政处罚"),
    E(ROW, ACTIVE, "administrative_coercion", r"行政强制", "行政强制"),
    E(ROW, ACTIVE, "administrative_fees", r"行政事业性收费", "行政事业性收费"),
    E(ROW, ACTIVE, "centralized_procurement", r"政府集中采购", "政府集中采购"),
    # 三、依申请
    E(ROW, REQUESTS, "new_requests", r"本年新收", "本年新收政府信息公开申请数量"),
    E(ROW, REQUESTS, "carried_over", r"上年结转", "上年结转政府信息公开申请数量"),
    E(GROUP, REQUESTS, "results", r"本年度办理结果", "本年度办理结果"),
    E(ROW, REQUESTS, "granted", r"予以公开", "予以公开"),
    E(ROW, REQUESTS, "partially_granted", r"部分公开", "部分公开(区分处理的,只计这一情形,不计其他情形)"),
    E(GROUP, REQUESTS, "denied", r"不予公开?", "不予公开"),
    E(ROW, REQUESTS, "denied_state_secret", r"国家秘密", "属于国家秘密"),
    E(ROW, REQUESTS, "denied_prohibited_by_law", r"其他法律行政法", "其他法律行政法规禁止公开"),
    E(ROW, REQUESTS, "denied_three_safeties", r"三安全一稳", "危及“三安全一稳定”"),
    E(ROW, REQUESTS, "denied_third_party_rights", r"保护第三方", "保护第三方合法权益"),
    E(ROW, REQUESTS, "denied_internal_affairs", r"三类内部事务", "属于三类内部事务信息"),
    E(ROW, REQUESTS, "denied_process_info", r"四类过程性", "属于四类过程性信息"),
    E(ROW, REQUESTS, "denied_enforcement_files", r"行政执法案", "属于行政执法案卷"),
    E(ROW, REQUESTS, "denied_administrative_query", r"行政查询", "属于行政查询事项"),
    E(GROUP, REQUESTS, "unable", r"无法提供?", "无法提供"),
    E(ROW, REQUESTS, "unable_not_held", r"不掌握", "本机关不掌握相关政府信息"),
    E(ROW, REQUESTS, "unable_needs_creation", r"没有现成", "没有现成信息需要另行制作"),
    E(ROW, REQUESTS, "unable_unclear", r"补正后", "补正后申请内容仍不明确"),
    E(GROUP, REQUESTS, "not_processed", r"不予处理?", "不予处理"),
    E(ROW, REQUESTS, "not_processed_petition", r"信访举报", "信访举报投诉类申请"),
    E(ROW, REQUESTS, "not_processed_duplicate", r"重复申请", "重复申请"),
    E(ROW, REQUESTS, "not_processed_publication", r"公开出版", "要求提供公开出版物"),
    E(ROW, REQUESTS, "not_processed_excessive", r"大量反复", "无正当理由大量反复申请"),
    E(ROW, REQUESTS, "not_processed_confirmation", r"确认或重新出具", "要求行政机关确认或重新出具已获取信息"),
    E(ROW, REQUESTS, "other_handling", r"其他处理", "其他处理"),
    E(
        ROW, REQUESTS, "other_overdue_correction", r"逾期不补正",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    E(
        ROW, REQUESTS, "other_unpaid_fee", r"收费通知|缴纳费用",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    E(ROW, REQUESTS, "other_misc", r"(?<=\d[.、])其他(?!处理|结果|法律|对外|组织)", "其他"),
    E(ROW, REQUESTS, "total_processed", r"(?<=\(七\))总计", "总计"),
    E(ROW, REQUESTS, "carried_forward", r"结转下年度?继续办理|结转下年度?", "结转下年度继续办理"),
    # 四、复议诉讼: a group printed before its own five cells is a ROW, above a header a COL
    E(REVIEW_GROUP, REVIEW, "administrative_review", r"行政复议", "行政复议"),
    E(REVIEW_GROUP, REVIEW, "litigation_direct", r"未经复议直接起诉", "未经复议直接起诉"),
    E(REVIEW_GROUP, REVIEW, "litigation_after_review", r"复议后起诉", "复议后起诉"),
    # column headers
    E(COL, ACTIVE, "newly_made", r"本年新制作数量", "本年新制作数量"),
    E(COL, ACTIVE, "newly_published", r"本年新公开数量", "本年新公开数量"),
    E(COL, ACTIVE, "total_published", r"对外公开总数量", "对外公开总数量"),
    E(COL, ACTIVE, "issued", r"本年制发件数?", "本年制发件数"),
    E(COL, ACTIVE, "repealed", r"本年废止件数", "本年废止件数"),
    E(COL, ACTIVE, "in_force", r"现行有效件数", "现行有效件数"),
    E(COL, ACTIVE, "previous_year", r"上一年项目数量", "上一年项目数量"),
    E(COL, ACTIVE, "change", r"本年增[/\\]?减", "本年增/减"),
    E(COL, ACTIVE, "decisions", r"(?:本年)?处理决定数量", "本年处理决定数量"),
    E(COL, ACTIVE, "projects", r"采购项目数量", "采购项目数量"),
    E(
        COL, ACTIVE, "amount", r"采购总金额(?:\((?:单位:?)?(?:万元|元)?(?:,?保留\d位小数)?\)?)?",
        "采购总金额(单位:万元,保留4位小数)",
    ),
    E(COL, ACTIVE, "amount", r"本年收费金额(?:\((?:单位:?)?(?:万元|元|万)?\)?)?", "本年收费金额(万元)"),
    E(COL, REQUESTS, "applicants", r"申请人情况", "申请人情况"),
    E(COL, REQUESTS, "natural_person", r"自然人", "自然人"),
    E(COL, REQUESTS, "legal_persons", r"法人或其他组织", "法人或其他组织"),
    E(COL, REQUESTS, "commercial_enterprise", r"商业企业", "商业企业"),
    E(COL, REQUESTS, "research_institution", r"科研机构", "科研机构"),
    E(COL, REQUESTS, "social_welfare_org", r"社会公益组织", "社会公益组织"),
    E(COL, REQUESTS, "legal_service_org", r"法律服务机构", "法律服务机构"),
    E(COL, REVIEW, "litigation", r"行政诉讼", "行政诉讼"),
    E(COL, REVIEW, "upheld", r"结果维持", "结果维持"),
    E(COL, REVIEW, "corrected", r"结果纠正", "结果纠正"),
    E(COL, REVIEW, "other", r"其他结果", "其他结果"),
    E(COL, REVIEW, "pending", r"尚未审结", "尚未审结"),
    # 其他 / 总计: a column header above the rows, a row (总计 → total_processed) below them
    E(AMBIGUOUS, None, "其他", r"其[他它]", "其他"),
    E(AMBIGUOUS, None, "总计", r"总计", "总计"),
)  # fmt: skip

# longest literal first, so that 其他法律行政法 wins over 其他 at the same position
_ORDER = sorted(
    range(len(ENTRIES)), key=lambda i: -len(ENTRIES[i].full if ENTRIES[i].kind != AMBIGUOUS else "xx")
)
PATTERN = re.compile("|".join(f"({ENTRIES[i].pattern})" for i in _ORDER))


def _first_chars(items: list) -> tuple[set[str] | None, bool]:
    """(characters a match of parsed ``items`` can start with, whether it can match empty);
    None when a first item is anything but literals, classes of literals, groups, branches,
    optional repeats and look-arounds."""
    out: set[str] = set()
    for op, av in items:
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # zero width
        if op is _c.LITERAL:
            return out | {chr(av)}, False
        if op is _c.IN:
            if any(o is not _c.LITERAL for o, _ in av):
                return None, False
            return out | {chr(a) for _, a in av}, False
        if op is _c.SUBPATTERN:
            first, empty = _first_chars(list(av[-1]))
        elif op is _c.BRANCH:
            parts = [_first_chars(list(b)) for b in av[1]]
            if any(f is None for f, _ in parts):
                return None, False
            first, empty = set().union(*(f for f, _ in parts)), any(e for _, e in parts)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            first, empty = _first_chars(list(av[2]))
            empty = empty or av[0] == 0
        else:
            return None, False
        if first is None:
            return None, False
        out |= first
        if not empty:
            return out, False
    return out, True


def _prefilter() -> re.Pattern[str] | None:
    firsts: set[str] = set()
    for e in ENTRIES:
        first, empty = _first_chars(list(_parser.parse(e.pattern)))
        if first is None or empty:
            return None
        firsts |= first
    return re.compile("[" + "".join(sorted(re.escape(ch) for ch in firsts)) + "]")


_FIRST = _prefilter()


def search(text: str, pos: int = 0) -> re.Match | None:
    """``PATTERN.search``, faster: a big alternation of groups gets no first-character scan from
    ``re``, so jump from one possible first character to the next and try ``match`` there."""
    if _FIRST is None:
        return PATTERN.search(text, pos)
    while (f := _FIRST.search(text, pos)) is not None:
        m = PATTERN.match(text, f.start())
        if m:
            return m
        pos = f.start() + 1
    return None


def entry_of(match: re.Match) -> Entry:
    return ENTRIES[_ORDER[match.lastindex - 1]]


ORDINAL_BEFORE = re.compile(
    r"(?:[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\)|(?<!\d)\d{1,2}[.、](?!\d))$"
)
ORDINAL_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.]?|\(?[一二三四五六七八九十\d]{1,2}\)|\d{1,2}[.、])$"
)

TEMPLATE_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增\\减",
                 "其他对外管理服务事项", "采购项目数量", "政府集中采购")  # fmt: skip
TEMPLATE_2021 = (
    "本年制发件",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
    "本年处理决定数量",
    "逾期不补正",
)
