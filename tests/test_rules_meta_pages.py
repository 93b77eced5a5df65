"""Meta as real web pages print it (invented pages): the fullest printed name of the reporting body
from the places reports name it, publish dates from labelled lines with times or slashes, and
the report year from the title or the prose."""

from __future__ import annotations

import pytest

from gongkai.pipeline import extract_text
from gongkai.rules import label_spans

BODY = "一、总体情况\n本年度依法公开政府信息。\n"


def meta(text: str):
    report = extract_text(text, "m", "rules")
    for key, prov in report.provenance.items():
        if key.startswith("meta.") and prov.start is not None:
            assert text[prov.start : prov.end] == prov.raw  # offsets into the text as read
    return report.meta


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        # the name after 现公布 / 编制, not 公布… or 编制…
        ("根据《条例》要求，现公布临江市白石镇人民政府2023年度政府信息公开工作年度报告。\n" + BODY, "临江市白石镇人民政府"),
        ("根据相关规定，编制临江市交通运输局2023年政府信息公开工作年度报告。\n" + BODY, "临江市交通运输局"),
        ("现向社会公布2024年临江市公安局北湖分局政府信息公开工作年度报告。\n" + BODY, "临江市公安局北湖分局"),
        # a contact sentence: the body, not 请与… and not its office
        (BODY + "如有疑问，请与临江市教育局办公室联系。\n", "临江市教育局"),
        (BODY + "如对本报告有疑问，请联系临江市白石镇人民政府党政综合办公室。\n", "临江市白石镇人民政府"),
        # a street office under a district government: the street, not the parent body
        ("临江市北湖区人民政府青石街道办事处2021年政府信息公开工作年度报告\n" + BODY, "临江市北湖区人民政府青石街道办事处"),
        # a place name with two-character components (天水市麦积… like): read whole
        ("临江市双河溪口镇人民政府 关于2021年政府信息公开工作的报告\n" + BODY, "临江市双河溪口镇人民政府"),
        ("2021年度临江市自然资源和规划局北湖分局政府信息公开年度报告\n" + BODY, "临江市自然资源和规划局北湖分局"),
        # the body named in the first sentence of the prose
        ("关于2022年度政府信息公开情况的报告\n一、总体情况\n2022年，临江市房屋征收工作管理办公室认真贯彻落实《条例》。\n", "临江市房屋征收工作管理办公室"),
        # abbreviated committees and police units are bodies too
        ("青山区卫健委2023年政府信息公开工作年度报告\n" + BODY, "青山区卫健委"),
        ("临江市公安局交通警察支队2022年政府信息公开工作年度报告\n" + BODY, "临江市公安局交通警察支队"),
        # a 来源 line names the parent body's site: the contact sentence wins
        ("白石镇2022年政府信息公开工作年度报告\n日期:2023-01-11 来源:临江市人民政府\n" + BODY + "请联系临江市白石镇政府。\n", "临江市白石镇政府"),
    ],
)
def test_fullest_printed_name_of_the_body(text: str, organ: str) -> None:
    assert meta(text).organ == organ


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("发布日期:2024-01-31 来源:办公室 字体:", "2024-01-31"),
        ("发表日期:2026-01-26    文章来源:临江市水利局", "2026-01-26"),
        ("生成日期:2023/02/03", "2023-02-03"),
        ("日期:2023-01-11 来源:临江市人民政府 访问量:", "2023-01-11"),
        ("發(fā)布時(shí)間:2024-01-02 10:42 瀏覽次數(shù):1", "2024-01-02"),
        ("时间：2024/01/31/ 17:33", "2024-01-31"),
        ("2024年01月26日来源:临江市教育局", "2024-01-26"),
        ("【发布时间】2024-02-05 【来源】临江市水利局", "2024-02-05"),
        ("2024-02-06 09:30:12", "2024-02-06"),
        ("2024/01/31/ 17:33 来源:临江市水利局", "2024-01-31"),
        ("來源:臨江鎮(zhèn)發(fā)布時(shí)間:2023年02月11日 08:31:56訪問量:", "2023-02-11"),
        ("- 索引号: 11330200/2024-01234\n- 发布机构: 临江市水利局\n- 生成日期: 2024-1-31", "2024-01-31"),
    ],
)
def test_publish_date_from_page_headers(header: str, date: str) -> None:
    text = f"临江市水利局2023年政府信息公开工作年度报告\n{header}\n" + BODY
    m = meta(text)
    assert m.publish_date == date and m.report_year == 2023


def test_statistics_period_is_no_publish_date() -> None:
    text = "临江市水利局2023年政府信息公开工作年度报告\n统计时间:2023年12月31日\n" + BODY
    assert meta(text).publish_date is None
    text = "临江市水利局2023年政府信息公开工作年度报告\n时间:2023年1月1日至2023年12月31日\n" + BODY
    assert meta(text).publish_date is None


def test_report_year_from_prose_when_the_title_has_none() -> None:
    text = "政府信息公开工作年度报告\n一、总体情况\n2021年，临江市水利局认真贯彻落实《条例》。\n"
    m = meta(text)
    assert m.report_year == 2021 and m.organ == "临江市水利局"
    spans = label_spans(text)
    assert [s.text for s in spans if s.label == "YEAR"] == ["2021"]


def test_a_name_inside_a_row_labels_remark_is_no_organ() -> None:
    """规章(设区的市、自治州人民政府应提供…) names bodies in a remark: none of them reports here."""
    text = ("2020年度政府信息公开工作年度报告\n" + BODY + "二、主动公开政府信息情况\n"
            "规章(设区的市、自治州人民政府应提供相关数据)\t0\t0\t0\n")
    assert meta(text).organ is None
    assert not [s for s in label_spans(text) if s.label == "ORGAN"]


def test_report_year_from_the_first_year_statement_of_an_untitled_page() -> None:
    """No title: the start of a statistic period states the year; a publish date run into the
    next line (a hard wrap) is no statement, also in a line with 报告."""
    text = ("发布时间:2022年01月30日 15:52本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n"
            "一、总体情况\n2021年,临江市水利局认真贯彻落实《条例》。\n")
    assert meta(text).report_year == 2021 and meta(text).publish_date == "2022-01-30"
    year = [s for s in label_spans(text) if s.label == "YEAR"]
    assert [(s.start, s.text) for s in year] == [(text.index("2021年1月1日"), "2021")]


def test_a_self_reference_is_no_organ() -> None:
    text = "特编制我局2023年度政府信息公开工作年度报告,现予公布。\n" + BODY + "临江市水利局\n2024年1月20日\n"
    assert meta(text).organ == "临江市水利局"
