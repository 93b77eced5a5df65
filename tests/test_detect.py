"""The report detector on invented pages (a guide, a notice, a news item, a narrative-only report)
and on every real document of the corpus; and through the batch's unit of work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.batch.discover import DocTask
from gongkai.batch.runner import BatchConfig, process_document
from gongkai.detect import detect_report
from gongkai.pipeline import extract_text

GUIDE = """某某县农业农村局政府信息公开指南
为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》的规定，结合本局实际，编制本指南。
一、主动公开
（一）公开的主要内容：机构职能、政策文件、财政预决算等信息。
（二）公开方式：县政府门户网站、政务新媒体、公开栏。每年1月31日前公布本局上一年度政府信息公开工作年度报告。
二、依申请公开
（一）受理机构
名称：某某县农业农村局办公室
办公地址：某某县人民路1号
办公时间：工作日上午8:30—12:00，下午14:30—17:30
联系电话：0000-1234567
邮政编码：000000
（二）申请的提出：申请人可以通过当面、信函、网络等方式提出申请，并填写政府信息公开申请表，说明申请人的姓名、联系方式和所需信息的名称、文号或者便于查询的其他特征性描述，以便本机关准确查找所申请的信息并在规定期限内作出答复。
（三）申请的处理：能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。
三、监督和救济
公民、法人或者其他组织认为本局在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。
"""

NOTICE = """关于做好2023年度政府信息公开工作年度报告编制发布工作的通知
各乡镇人民政府、县直各部门：
根据《中华人民共和国政府信息公开条例》规定，现就做好本年度政府信息公开工作年度报告编制工作通知如下：
一、各单位于1月20日前完成年度报告编制。
二、年度报告经本单位主要负责人审定后，于1月31日前在门户网站公开。
特此通知。
某某县政务公开办公室
2024年1月5日
"""

NEWS = """某某县召开政府信息公开工作培训会
来源：县政府办 发布时间：2023-05-06 10:20 浏览次数：23
本网讯（通讯员 王某）5月6日上午，县政府办组织召开全县政府信息公开工作培训会，各乡镇、县直各部门分管负责同志参加。
会议解读了新修订的条例，要求各单位进一步提高政府信息公开质量。
责任编辑：李某
"""

NARRATIVE = """2023年，本镇以门户网站为主要平台，全年主动公开政府信息86条，其中工作动态40条、通知公告12条。
全年共收到政府信息公开申请3件，均已按时办结，未发生因政府信息公开引起的行政复议和行政诉讼。
"""


@pytest.mark.parametrize(("text", "kind", "words"), [
    (GUIDE, "guide", "政府信息公开指南"),
    (NOTICE, "notice", "通知"),
    (NEWS, "news", "news item"),
])
def test_guide_notice_and_news_are_not_reports(text: str, kind: str, words: str) -> None:
    for method in ("rules", "auto"):
        report = extract_text(text, "x", method=method)
        verdict = detect_report(text, report)
        assert not verdict.is_report, (method, verdict)
        assert verdict.kind == kind
        assert words in verdict.reason
        assert 0.5 <= verdict.confidence <= 1


def test_no_disclosure_text_and_empty_mentions_are_not_reports() -> None:
    v = detect_report("关于开展春季植树活动的通知\n各单位：\n特此通知。\n")
    assert not v.is_report and "never mentions 信息公开" in v.reason
    v = detect_report("本站信息公开栏目正在建设中。\n", extract_text("本站信息公开栏目正在建设中。\n", "x", method="rules"))
    assert not v.is_report and "nothing a report states" in v.reason


def test_a_narrative_only_excerpt_is_a_report_with_its_claims(tmp_path: Path) -> None:
    report = extract_text(NARRATIVE, "x", method="rules")
    verdict = detect_report(NARRATIVE, report)
    assert verdict.is_report and "count(s) in the prose" in verdict.reason
    src = tmp_path / "镇年报摘录.txt"
    src.write_text(NARRATIVE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for method in ("rules", "auto"):
        oc = process_document(DocTask(str(src), "镇年报摘录", src.name), BatchConfig(str(out), method=method))
        assert oc["status"] == "done", oc
        data = json.loads((out / "镇年报摘录.json").read_text(encoding="utf-8"))
        values = {(c["type"], c["value"]) for c in data["claims"]}
        assert ("active_disclosure_count", 86) in values and ("request_count", 3) in values, values
        for c in data["claims"]:
            assert NARRATIVE[c["start"]:c["end"]] == c["text"]
        check = next(c for c in data["checks"] if c["rule"] == "document.is_report")
        assert check["status"] == "pass" and check["detail"].startswith("confidence ")


def test_the_guide_fails_the_batch_unit_of_work_with_its_reason(tmp_path: Path) -> None:
    src = tmp_path / "指南.html"
    src.write_text("<html><body><h1>" + GUIDE.replace("\n", "</h1><p>", 1).replace("\n", "</p><p>")
                   + "</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    oc = process_document(DocTask(str(src), "指南", src.name), BatchConfig(str(out)))
    assert oc["status"] == "failed"
    assert oc["error"]["stage"] == "validate"
    assert "政府信息公开指南" in oc["error"]["message"] and "受理机构" in oc["error"]["message"]
    assert not (out / "指南.json").exists()


def test_every_real_document_is_a_report(corpus: Path) -> None:
    docs = sorted((corpus / "dev" / "docs").glob("*.txt")) + sorted((corpus / "seeds").glob("*.txt"))
    assert docs
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        verdict = detect_report(text, extract_text(text, doc.stem, method="rules"))
        assert verdict.is_report, (doc.name, verdict.reason)
        assert verdict.confidence >= 0.7, (doc.name, verdict.reason)
