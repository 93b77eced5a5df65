"""``gongkai show``: the page keeps the text exactly as read, highlights and labels every span of
the output, marks weak values, needs nothing from outside; bad input is a clean error."""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

from gongkai.batch.discover import DocTask
from gongkai.batch.runner import BatchConfig, process_document

TEXT = """某镇人民政府2023年政府信息公开工作年度报告
一、总体情况
2023年，本镇主动公开政府信息86条，其中工作动态40条。
三、收到和处理政府信息公开申请情况
全年共收到政府信息公开申请3件。
本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3
某镇人民政府
2024年1月20日
"""


def _show(*argv: str) -> int:
    from gongkai.commands import show

    parser = argparse.ArgumentParser(prog="gongkai")
    sub = parser.add_subparsers(dest="command", required=True)
    show.register(sub)
    args = parser.parse_args(["show", *argv])
    return args.func(args)


def _extracted(tmp_path: Path) -> Path:
    src = tmp_path / "镇年报.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    oc = process_document(DocTask(str(src), "镇年报", src.name), BatchConfig(str(out), method="rules"))
    assert oc["status"] == "done", oc
    return out / "镇年报.json"


def _pre_text(page: str) -> str:
    pre = page[page.index("<pre>") + 5:page.index("</pre>")]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<sup[^>]*>.*?</sup>", "", pre)))


def test_page_shows_the_text_exactly_with_every_span_labelled(tmp_path: Path, capsys) -> None:
    doc = _extracted(tmp_path)
    assert _show(str(doc)) == 0
    page_path = doc.with_suffix(".html")
    assert capsys.readouterr().out.strip() == str(page_path)
    page = page_path.read_text(encoding="utf-8")
    assert _pre_text(page) == TEXT  # nothing inserted into or dropped from the text as read
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # self-contained
    data = json.loads(doc.read_text(encoding="utf-8"))
    placed = {k: v for k, v in data["provenance"].items() if v["start"] is not None}
    labels = re.findall(r'<sup class="lab[^"]*" id="m\d+" title="([^"]*)"', page)
    for path, prov in placed.items():
        assert any(html.unescape(t).startswith(f"{path} = ") and f"[{prov['start']}:{prov['end']}]" in
                   html.unescape(t) for t in labels), path
    for claim in data["claims"]:
        assert any(f"[{claim['start']}:{claim['end']}]" in html.unescape(t) for t in labels), claim
        assert TEXT[claim["start"]:claim["end"]] == claim["text"]
    assert "requests.new_requests.total" in page and "86条" in page
    assert "document.is_report" in page  # the checks are beside the text


def test_weak_values_are_marked(tmp_path: Path) -> None:
    doc = _extracted(tmp_path)
    data = json.loads(doc.read_text(encoding="utf-8"))
    path = "requests.new_requests.total"
    data["provenance"][path]["confidence"] = 0.42
    doc.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _show(str(doc), "-o", str(tmp_path / "页.html")) == 0
    page = (tmp_path / "页.html").read_text(encoding="utf-8")
    start = data["provenance"][path]["start"]
    assert re.search(rf'<sup class="lab cell weak" id="m\d+" title="{re.escape(path)} = 3 · 0.42 \[{start}:', page)
    assert '<mark class="cell weak"' in page


def test_bad_input_is_a_clean_error(tmp_path: Path, capsys) -> None:
    assert _show(str(tmp_path / "无.json")) == 2
    assert "gongkai show: error:" in capsys.readouterr().err
    doc = _extracted(tmp_path)
    doc.with_suffix(".txt").unlink()
    assert _show(str(doc)) == 2
    err = capsys.readouterr().err
    assert "镇年报.txt" in err and "the text as read is needed" in err
    (tmp_path / "乱.json").write_text("{不是json", encoding="utf-8")
    assert _show(str(tmp_path / "乱.json")) == 2
    assert "not a gongkai report JSON" in capsys.readouterr().err
