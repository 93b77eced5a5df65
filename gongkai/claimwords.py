"""The words of narrative claims, shared by the rule labeller, the post-processor and the generator.

A counted subject in a report reads as a small phrase (docs/labels.md, SCHEMA.md):

    [agent / time / scope] [qualifier: 通过 <channel> | <channel> | 其他方式] VERB [object]  N UNIT

``主动公开政府信息 86 条`` (verb + generic object: the overall figure), ``通过微信公众号发布信息 20 条``
(a channel qualifier: breakdown 微信公众号), ``发布政策解读信息 7 条`` (a specific object: breakdown
政策解读信息), or, inside a list, a bare category: ``工作动态 50 条``. ``analyse`` reads a subject
phrase (simplified, no white space) into those parts, so rules and the post-processor agree on what
the breakdown is. Matching is on simplified text; callers map positions back to printed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# characters that link clauses or introduce an object, never a name's first character (和, 向, 从, 将,
# 且 are left out: 和平区, 向阳区, 从化区, 将乐县, 且末县 start with them)
FUNCTION_CHARS = frozenset("与及或并在对为是的把被以据经按由至")
# verbs of proactive disclosure; 公开 inside a noun (政务公开, 信息公开指南, 公开招标) is no verb
ACTIVE_VERB = re.compile(
    r"(?:主动)?(?:公开发布|公开公示|发布公开|公开|发布|公示|公布|推送|刊发|刊登|张贴|更新发布|更新)(?:了)?"
)
_NOUN_公开_BEFORE = ("信息", "政务", "村务", "党务", "财务", "厂务", "校务", "申请", "予以", "不予", "部分", "务", "结果")
_NOUN_AFTER = ("公告", "类", "指南", "招标", "招聘", "选调", "遴选", "年报", "栏", "专栏", "目录", "平台", "工作", "制度", "事项")
# verbs about applications (received / accepted / handled)
REQUEST_RECEIVE = re.compile(r"(?:新)?(?:收到|受理|接到|接收|新收|收|登记)")
REQUEST_HANDLE = re.compile(r"办理|办结|答复|回复|处理|作出")
REQUEST_WORD = re.compile(r"申请|依申请|结转")
# channels, longest first (the breakdown is the channel's head word as printed)
CHANNELS = (
    "微信公众号", "微信公众平台", "政务微信公众号", "政务微信", "微信视频号", "视频号", "微信",
    "政务微博", "官方微博", "微博", "政务新媒体", "新媒体平台", "新媒体", "政府门户网站", "门户网站", "政府网站",
    "政务网站", "官方网站", "网站", "今日头条", "头条号", "抖音号", "抖音", "快手号", "快手", "客户端", "APP", "app",
    "政务公开栏", "公开栏", "公示栏", "宣传栏", "公告栏", "信息公开专栏", "专栏", "报刊", "报纸", "广播", "电视",
    "政务服务中心", "便民服务中心", "其他方式", "其他渠道", "其他途径", "其他平台",
)  # fmt: skip
CHANNEL = re.compile("|".join(sorted(map(re.escape, CHANNELS), key=len, reverse=True)))
# how an application arrived (request breakdowns printed before the verb: 网站受理…, 当面受理…)
REQUEST_MODES = re.compile(r"网站|网上|网络|在线|当面|现场|窗口|邮寄|信函|来信|传真|电子邮件|邮件|电话|其他渠道|其他方式")
# words that open a list of parts, or join items (stripped from a part's subject)
_LIST_OPENERS = r"其中|主要包括|包括|主要有|分别为|分别是|具体为|具体是|主要为|主要是|依次为"
CUE = re.compile(_LIST_OPENERS + r"|涉及")
LEAD = re.compile(
    rf"^(?:[,，;；:：、)）(（]|[(（]占[^()（）]{{0,16}}[)）]|{_LIST_OPENERS}|另有|还有|以及|和|及|另|并|共|"
    r"(?:[^,，;；:：、]{0,8}?的|分别|具体|主要|依次)为(?=.{2}))+"
)
# a lone 计 (计10条) but not the end of 审计/统计/会计/设计 (审计信息 is a category)
TAIL = re.compile(r"(?:共计|合计|总计|总数为|共有|共|达到|达|为|有|(?<![审统会设估])计|约|近|超过|逾|累计|[:：])+$")
# scope / time / agent words before the qualifier
_AGENT = re.compile(
    r"^(?:(?:截至|截止|到)?(?:19|20)\d{2}年(?:度|底|末)?(?:\d{1,2}月(?:\d{1,2}日)?)?|本年度|本年|全年|今年|年内|当年|上年度|"
    r"新增|累计|共计|合计|共|总共|均|已|还|另|"
    r"[我本该全](?:街道|[局镇乡街办委厅处所站队院区县市场])|(?!通过|在|经|依托|利用)(?:(?!公开|发布|公示|通过|收到|受理)[\u4e00-\u9fff]){0,14}?"
    r"(?:人民政府|政府|办事处|街道|管委会|局|委员会|厅|分局|中心|镇|乡)(?!网|门户|官))+"
)
_PREP = re.compile(r"(?:通过|在|经|依托|利用|借助|运用|于)")
_POSTP = re.compile(r"(?:上|中|里|内)+$")
# an object that names no category: the figure is the overall one
_GENERIC_CORE = r"(?:(?:政府|政务)(?:服务)?)?(?:信息|文件|内容|文章|稿件|数据|事项|公告)?"
_GENERIC = re.compile(rf"^(?:和|及|并)?(?:各类|各项|相关|有关|多条)?{_GENERIC_CORE}(?:数|数量|总数|总量|条数)?$")
_GENERIC_HEAD = re.compile(rf"^(?:各类|各项)?{_GENERIC_CORE}(?:数|数量|总数)(?!$)")
_GENERIC_TAIL = re.compile(r"(?:等|各类|和各类|及各类)(?:各类)?(?:政府|政务)?(?:服务)?(?:信息|文件|内容)$")
NOT_CLAIM = re.compile(
    r"(?:召开|举办|开展|组织|参加|参与)[^,，;；。]{0,10}(?:培训|会议|活动)|咨询|接待|访问|浏览|阅读|点击|点赞|转发|粉丝|关注(?:数|量|人数|用户)|留言|解读稿件|来电|热线|信箱|诉求|人次|件次|"
    r"办理[^,，;；。]{0,6}(?:建议|提案)|(?:建议|提案)[^,，;；。]{0,3}办理|复议|诉讼|投诉|举报|信访|决定数量|问题|"
    r"报送|刊播|报道|采用|录用|上报|课件"
)


@dataclass(frozen=True)
class Parsed:
    """A subject phrase read as ``agent | qualifier | verb | object`` (indices into the phrase)."""

    verb: tuple[int, int] | None
    qualifier: tuple[int, int]  # between the agent and the verb (channel, 其他方式, 当面 …)
    obj: tuple[int, int]  # after the verb
    channel: tuple[int, int] | None  # a known channel word inside the qualifier
    generic: bool  # the object names no category (政府信息, 各类信息, …等信息)
    agent_end: int = 0  # where the agent / time words before the qualifier end


_PLAIN_公开 = re.compile(r"公开")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"|「[^」]*」")


def active_verb(s: str) -> re.Match | None:
    """The first disclosure verb of ``s`` that is a verb (not the 公开 of 政务公开 or 公开指南)."""
    quoted = [q.span() for q in _QUOTED.finditer(s)]
    for m in ACTIVE_VERB.finditer(s):
        if any(a < m.start() < b for a, b in quoted):
            continue  # “清河发布”微信公众号: a name, not a verb
        w = m.group()
        if w.startswith("公开公示") and s.startswith("公告", m.end()):
            m = _PLAIN_公开.match(s, m.start())  # 公开 + 公示公告类信息
            assert m is not None
            w = m.group()
        before, after = s[: m.start()], s[m.end() :]
        if after.startswith(_NOUN_AFTER if w.rstrip("了")[-2:] in ("公开", "公示", "公布") else ("类",)):
            continue  # 公开指南, 公示公告类: a noun
        if (w.endswith("公开") or w == "公开了") and before.endswith(_NOUN_公开_BEFORE) and not w.startswith("主动"):
            continue
        return m
    return None


def is_generic(obj: str) -> bool:
    o = re.sub(r"^(?:19|20)\d{2}年度?", "", obj.strip("的了"))  # 对外公示2021年政务: the year's items
    return bool(_GENERIC.match(o) or _GENERIC_HEAD.match(o) or _GENERIC_TAIL.search(o) or "等" in o)


def analyse(s: str) -> Parsed:
    """Read subject phrase ``s`` (simplified, compact) into its parts."""
    agent = _AGENT.match(s)
    lo = agent.end() if agent else 0
    v = active_verb(s[lo:])
    if v is None:
        return Parsed(None, (lo, len(s)), (len(s), len(s)), _channel(s, lo, len(s)), False, lo)
    vs, ve = lo + v.start(), lo + v.end()
    ql, qh = lo, vs
    prep = _PREP.match(s, ql)
    if prep:
        ql = prep.end()
    post = _POSTP.search(s[ql:qh])
    if post:
        qh = ql + post.start()
    obj = s[ve:].lstrip("的了")
    if not obj and qh > ql and not prep and _channel(s, ql, qh) is None and qh == vs and not v.group().startswith("主动"):
        # 公告公示, 重点领域信息公开, 村务公开: a category that ends in a verb, not a verb phrase
        return Parsed(None, (lo, len(s)), (len(s), len(s)), None, False, lo)
    return Parsed((vs, ve), (ql, qh), (len(s) - len(obj), len(s)), _channel(s, ql, qh), is_generic(obj), lo)


SCOPE_BEFORE = re.compile(r"(?:本年度新增的?|本年度|本年|全年|今年|年内|当年|累计|新增)+$")


def scope_start(s: str, at: int) -> int:
    """``at`` moved left over scope words printed right before it (全年|累计 主动公开)."""
    m = SCOPE_BEFORE.search(s[:at])
    return m.start() if m else at


def _channel(s: str, lo: int, hi: int) -> tuple[int, int] | None:
    best = None
    for m in CHANNEL.finditer(s, lo, hi):
        if best is None or m.end() - m.start() >= best[1] - best[0]:
            best = (m.start(), m.end())  # the longest, the last on ties (…、微博等政务新媒体)
    return best


def via_channel(s: str) -> bool:
    """``s`` names its channel by a preposition (通过… / 在…上): a channel even if no known word."""
    agent = _AGENT.match(s)
    return bool(_PREP.match(s, agent.end() if agent else 0))
