"""The annotation loop against a real Label Studio server (started by ``studio_server``): push with
predictions, re-push without duplicates, annotate through the API as an annotator would, pull,
convert, train a tiny model on the pulled records, queue order, and the errors a user meets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from studio_server import StudioServer, studio_server  # noqa: F401 - the session fixture

from gongkai.commands import studio as studio_cmd
from gongkai.schema import Report
from gongkai.spans import Span, check_spans
from gongkai.studio.client import ProjectNotFound, Studio, StudioAuthError, StudioSettings
from gongkai.studio.convert import record_from_task, span_result, template_from_result, text_hash
from gongkai.studio.pull import pull_project
from gongkai.studio.push import make_task, push_documents
from gongkai.studio.queue import annotation_queue
from gongkai.synth import generate

pytestmark = [pytest.mark.studio, pytest.mark.slow]
PROJECT = "镇报告 annotation test"

# Invented reports (no corpus text). One with CRLF line ends and 𠀀 (outside the BMP) before
# the labelled parts, one plain LF 2019-style report.
REPORT_A = "\r\n".join(
    [
        "𠀀山镇人民政府2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，𠀀山镇人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。全年主动公开政府信息128条，"
        "其中工作动态45条。收到政府信息公开申请5件。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t0",
        "行政规范性文件\t2\t0\t11",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5",
        "四、政府信息公开行政复议、行政诉讼情况",
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        "五、存在的主要问题及改进情况",
        "公开内容还不够全面，下一步将加强培训，全年组织培训2次。",
        "六、其他需要报告的事项",
        "本机关2023年未收取信息处理费。",
        "𠀀山镇人民政府",
        "2024年1月15日",
        "",
    ]
)
REPORT_B = "\n".join(
    [
        "青石乡人民政府2020年政府信息公开工作年度报告",
        "一、总体情况",
        "2020年，青石乡累计主动公开政府信息三十二条，未收到政府信息公开申请。",
        "二、主动公开政府信息情况",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t0\t0\t0",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "无。",
        "青石乡人民政府",
        "2021年1月20日",
        "",
    ]
)


@pytest.fixture(scope="module")
def server_env(studio_server: StudioServer, monkeypatch_module: pytest.MonkeyPatch) -> StudioServer:  # noqa: F811
    for k, v in studio_server.env().items():
        monkeypatch_module.setenv(k, v)
    monkeypatch_module.setenv("GONGKAI_MODEL", "/nonexistent/no-model-here")  # auto → rules
    return studio_server


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("studio_docs")
    a = d / "shanzhen-2023.txt"
    a.write_bytes(REPORT_A.encode("utf-8"))
    b = d / "qingshi-2020.txt"
    b.write_bytes(REPORT_B.encode("utf-8"))
    (syn,) = generate(1, seed=7)
    g = d / f"{syn.doc_id}.txt"
    g.write_bytes(syn.text.encode("utf-8"))
    return {"a": a, "b": b, "g": g}


@pytest.fixture(scope="module")
def synth_doc():
    (syn,) = generate(1, seed=7)
    return syn


@pytest.fixture(scope="module")
def studio(server_env: StudioServer) -> Studio:
    s = Studio.from_env()
    s.check()
    return s


def cli(argv: list[str]) -> int:
    """Run ``gongkai studio ...`` through the command's own parser and handler."""
    parser = argparse.ArgumentParser(prog="gongkai")
    studio_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["studio", *argv])
    return int(args.func(args) or 0)


def tasks_by_doc(studio: Studio) -> dict[str, dict]:
    return {t["data"]["doc_id"]: t for t in studio.list_tasks(studio.find_project(PROJECT))}


@pytest.fixture(scope="module")
def pushed(studio: Studio, docs: dict[str, Path]) -> dict[str, dict]:
    rc = cli(["push", str(docs["a"]), str(docs["b"]), str(docs["g"]), "--project", PROJECT])
    assert rc == 0
    return tasks_by_doc(studio)


# ---------------------------------------------------------------- push
def test_push_imports_exact_text_with_scored_predictions(
    pushed: dict[str, dict], docs: dict[str, Path]
) -> None:
    assert set(pushed) == {"shanzhen-2023", "qingshi-2020", docs["g"].stem}
    a = pushed["shanzhen-2023"]
    assert a["data"]["text"] == REPORT_A  # CRLF and 𠀀 kept exactly as read
    assert "\r\n" in a["data"]["text"] and "𠀀" in a["data"]["text"]
    assert a["data"]["sha256"] == text_hash(REPORT_A)
    (pred,) = a["predictions"]
    assert pred["model_version"].startswith("rules:")
    assert template_from_result(pred["result"]) == "2021"  # pre-filled from the 2021 table headers
    regions = [r for r in pred["result"] if r["type"] == "labels"]
    assert regions, "the rule labeller found nothing in a report with six sections"
    for r in regions:
        v = r["value"]
        # offsets as stored by the server are code points into the text as read
        assert REPORT_A[v["start"] : v["end"]] == v["text"]
        assert 0.0 <= r["score"] <= 1.0
    assert pred["score"] == pytest.approx(sum(r["score"] for r in regions) / len(regions), abs=1e-6)
    labels = {lab for r in regions for lab in r["value"]["labels"]}
    assert "SEC_OVERVIEW" in labels
    g = pushed[docs["g"].stem]
    assert g["data"]["text"] == docs["g"].read_text(encoding="utf-8")
    for r in [r for r in g["predictions"][0]["result"] if r["type"] == "labels"]:
        assert g["data"]["text"][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_repush_adds_no_duplicates_but_changed_text_is_new(
    studio: Studio, pushed: dict[str, dict], docs: dict[str, Path], tmp_path: Path
) -> None:
    again = push_documents(studio, PROJECT, list(docs.values()), method="rules")
    assert not again.created_project and again.imported == []
    assert sorted(again.already_there) == sorted(p.stem for p in docs.values())
    changed = tmp_path / "qingshi-2020.txt"
    changed.write_text(REPORT_B.replace("三十二条", "三十三条"), encoding="utf-8")
    third = push_documents(studio, PROJECT, [changed, docs["a"]], method="rules")
    assert third.imported == ["qingshi-2020"] and third.already_there == ["shanzhen-2023"]
    tasks = studio.list_tasks(third.project_id)
    assert len(tasks) == 4
    assert [t["id"] for t in studio.list_tasks(third.project_id, page_size=3)] == [
        t["id"] for t in tasks
    ]  # 2 pages
    assert len({(t["data"]["doc_id"], t["data"]["sha256"]) for t in tasks}) == 4


# ---------------------------------------------------------------- annotate → pull → convert
def _annotate(studio: Studio, pushed: dict[str, dict], syn) -> dict[str, list[Span]]:
    """Annotate like a person: start from the prediction, fix it, add what it missed."""
    sdk = studio.sdk
    text = REPORT_A
    task = pushed["shanzhen-2023"]
    regions = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    kept = [r for r in regions if r["value"]["labels"] != ["SUBJ_REQUEST"]]
    for r in kept:
        r.pop("score", None)
    # a region the labeller missed or got wrong: the claim subject, after 𠀀, and one spanning CRLF
    s = text.index("收到政府信息公开申请")
    organ_end = text.index("2023年政府")
    heading = text.index("一、总体情况")
    claim_end = text.index("128条") + 3
    extra = [
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "id": "h1",
            "value": {"start": s, "end": s + 10, "text": text[s : s + 10], "labels": ["SUBJ_REQUEST"]},
        },
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "id": "h2",
            "value": {"start": 0, "end": organ_end, "text": text[:organ_end], "labels": ["ORGAN"]},
        },
        # the annotator dragged from the heading over the line break into the next line: SUBJ_OTHER
        # makes no sense here, but it checks a region with CRLF inside survives the round trip
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "id": "h3",
            "value": {
                "start": heading,
                "end": claim_end,
                "text": text[heading:claim_end],
                "labels": ["SUBJ_OTHER"],
            },
        },
        {"from_name": "template", "to_name": "text", "type": "choices", "value": {"choices": ["2021"]}},
    ]
    kept = [r for r in kept if r["value"]["labels"] not in (["ORGAN"], ["SUBJ_OTHER"])]
    sdk.annotations.create(id=task["id"], result=kept + extra)
    # on the other task: a cancelled (skipped) annotation, ignored, then a live one
    b = pushed["qingshi-2020"]
    sdk.annotations.create(id=b["id"], result=[], was_cancelled=True)
    tb = REPORT_B
    y = tb.index("2020")
    sdk.annotations.create(
        id=b["id"],
        result=[
            {
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "id": "b1",
                "value": {"start": y, "end": y + 4, "text": "2020", "labels": ["YEAR"]},
            }
        ],
    )
    expected_a = [
        Span.of(text, "SUBJ_REQUEST", s, s + 10, source="human"),
        Span.of(text, "ORGAN", 0, organ_end, source="human"),
        Span.of(text, "SUBJ_OTHER", heading, claim_end, source="human"),
    ]
    # the generated report annotated with its exact spans, as a perfect annotator would
    sdk.annotations.create(
        id=pushed[syn.doc_id]["id"],
        result=[span_result(sp, i) for i, sp in enumerate(syn.spans)],
    )
    return {
        "shanzhen-2023": expected_a,
        "qingshi-2020": [Span.of(tb, "YEAR", y, y + 4, source="human")],
        syn.doc_id: [Span.of(syn.text, sp.label, sp.start, sp.end, source="human") for sp in syn.spans],
    }


@pytest.fixture(scope="module")
def pulled(studio: Studio, pushed: dict[str, dict], synth_doc, tmp_path_factory: pytest.TempPathFactory):
    expected = _annotate(studio, pushed, synth_doc)
    out = tmp_path_factory.mktemp("exports") / "镇报告"
    assert cli(["pull", "--project", PROJECT, "-o", str(out)]) == 0
    return out, expected


def test_pull_keeps_raw_export_and_writes_checked_records(pulled, studio: Studio) -> None:
    out, expected = pulled
    export = json.loads((out / "export.json").read_text(encoding="utf-8"))
    tasks = studio.list_tasks(studio.find_project(PROJECT))
    assert sorted(t["id"] for t in export) == sorted(t["id"] for t in tasks)  # every task, once
    ta = next(t for t in export if t["data"]["doc_id"] == "shanzhen-2023")
    assert ta["predictions"] and isinstance(ta["predictions"][0], dict)  # full predictions, not ids
    # the server stores offsets as sent: code points, CRLF inside a region counted as two characters
    h3 = next(r for r in ta["annotations"][0]["result"] if r.get("id") == "h3")
    assert REPORT_A[h3["value"]["start"] : h3["value"]["end"]] == h3["value"]["text"]
    assert "\r\n" in h3["value"]["text"]

    records = [json.loads(x) for x in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    by_doc = {r["doc_id"]: r for r in records}
    assert set(by_doc) == set(expected)  # the changed B has no annotation
    for rec in records:
        spans = [Span(s["label"], s["start"], s["end"], s["text"], source="human") for s in rec["spans"]]
        check_spans(rec["text"], spans)  # every offset is a code point into the text as read
    a = by_doc["shanzhen-2023"]
    assert a["text"] == REPORT_A and a["template"] == "2021"
    got = {(s["label"], s["start"], s["end"]) for s in a["spans"]}
    for sp in expected["shanzhen-2023"]:
        assert (sp.label, sp.start, sp.end) in got
    assert [(s["label"], s["text"]) for s in by_doc["qingshi-2020"]["spans"]] == [("YEAR", "2020")]
    syn_id = next(k for k in expected if k not in ("shanzhen-2023", "qingshi-2020"))
    got_syn = [(s["label"], s["start"], s["end"], s["text"]) for s in by_doc[syn_id]["spans"]]
    want_syn = sorted((sp.label, sp.start, sp.end, sp.text) for sp in expected[syn_id])
    assert sorted(got_syn) == want_syn  # exact round trip of every generator span


def test_pull_writes_gold_reports_from_human_spans(pulled) -> None:
    out, _ = pulled
    gold = out / "gold" / "shanzhen-2023.json"
    report = Report.model_validate(json.loads(gold.read_text(encoding="utf-8")))
    assert report.doc_id == "shanzhen-2023"
    assert report.meta.template == "2021"  # the annotator's choice
    assert report.meta.organ == "𠀀山镇人民政府"
    assert any(p.source == "human" for p in report.provenance.values())


def test_utf16_region_from_a_browser_is_converted(studio: Studio, pulled) -> None:
    """A region saved in UTF-16 units (how some front-end releases counted 𠀀) comes back in code points."""
    text = REPORT_A
    task = tasks_by_doc(studio)["shanzhen-2023"]
    s = text.index("工作动态")
    u = len(text[:s].encode("utf-16-le")) // 2
    assert u != s
    task = {
        **task,
        "annotations": [
            {
                "id": 99,
                "updated_at": "9999",
                "result": [
                    {
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": u,
                            "end": u + 4,
                            "text": "工作动态",
                            "labels": ["SUBJ_ACTIVE_PART"],
                        },
                    }
                ],
            }
        ],
    }
    rec = record_from_task(task)
    assert [(sp.start, sp.end, sp.text) for sp in rec.spans] == [(s, s + 4, "工作动态")]


def test_tiny_model_trains_on_pulled_records(pulled, studio: Studio, tmp_path: Path) -> None:
    out, _ = pulled
    from gongkai.model.config import TRAIN_DEFAULTS, TrainConfig
    from gongkai.model.data import label_studio_docs
    from gongkai.model.infer import predict_spans
    from gongkai.model.train import train

    records = out / "records.jsonl"
    docs = label_studio_docs(records)
    assert len(docs) == 3 and {"shanzhen-2023", "qingshi-2020"} <= {d.doc_id for d in docs}
    cfg = TrainConfig(
        name="studio-tiny",
        model={
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            "max_position_embeddings": 128,
        },
        window=128,
        overlap=32,
        train={**TRAIN_DEFAULTS, "max_steps": 3, "batch_size": 4, "logging_steps": 1, "max_minutes": 2.0},
    )
    res = train(cfg, tmp_path / "model", extra_data=[str(records)], train_docs=[], heldout_docs=docs)
    assert res.metrics["data"]["sources"]["label_studio:records.jsonl"] == 3
    assert (tmp_path / "model" / "model.safetensors").is_file()
    spans = predict_spans(REPORT_A, tmp_path / "model")  # reloaded from disk
    check_spans(REPORT_A, spans)
    # the retrained model pre-labels the next push
    nxt = tmp_path / "qingshi-2021.txt"
    nxt.write_text(REPORT_B.replace("2020", "2021"), encoding="utf-8")
    res = push_documents(studio, PROJECT, [nxt], method="auto", model_path=tmp_path / "model")
    assert res.imported == ["qingshi-2021"]
    pred = tasks_by_doc(studio)["qingshi-2021"]["predictions"][0]
    assert pred["model_version"].startswith("model:model:")
    assert 0.0 <= pred["score"] <= 1.0
    for r in [r for r in pred["result"] if r["type"] == "labels"]:
        v = r["value"]
        assert (
            nxt.read_text(encoding="utf-8")[v["start"] : v["end"]] == v["text"] and 0.0 <= r["score"] <= 1.0
        )


# ---------------------------------------------------------------- queue
def test_queue_lists_unlabelled_tasks_lowest_score_first(studio: Studio, pulled, capsys) -> None:
    pid = studio.find_project(PROJECT)
    text = REPORT_B.replace("青石乡", "白沙乡")
    y = text.index("2020")
    low = [Span.of(text, "YEAR", y, y + 4, score=0.2)]
    high = [Span.of(text, "YEAR", y, y + 4, score=0.95)]
    studio.import_tasks(
        pid, [make_task(text, "low", low, "test"), make_task(text + "。", "high", high, "test")]
    )
    queue = annotation_queue(studio, PROJECT)
    ids = [q.doc_id for q in queue]
    assert "shanzhen-2023" not in ids  # annotated
    assert ids.index("low") < ids.index("high")
    assert [q.score for q in queue] == sorted(q.score for q in queue)
    assert queue[0].doc_id == "low" or queue[0].score <= 0.2
    capsys.readouterr()
    assert cli(["queue", "--project", PROJECT, "-n", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown) == 1 and shown[0]["doc_id"] == queue[0].doc_id


# ---------------------------------------------------------------- connection and errors
def test_bad_token_is_a_clear_error_without_the_token(
    server_env: StudioServer, monkeypatch, capsys, docs
) -> None:
    for bad in ("0123456789abcdef0123456789abcdef01234567", server_env.token[:-4] + "zzzz"):
        with pytest.raises(StudioAuthError) as err:
            Studio(StudioSettings(server_env.url, bad)).check()
        msg = str(err.value)
        assert "401" in msg and "LABEL_STUDIO_API_KEY" in msg and bad not in msg
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", bad)
        capsys.readouterr()
        assert cli(["push", str(docs["a"]), "--project", PROJECT]) == 2
        cap = capsys.readouterr()
        assert "rejected LABEL_STUDIO_API_KEY" in cap.err and bad not in cap.err + cap.out


def test_expired_personal_access_token_is_a_clear_error(server_env: StudioServer) -> None:
    import jwt

    expired = jwt.encode(
        {"token_type": "refresh", "exp": 1_600_000_000, "user_id": 1}, "not-the-server-signing-key-0123456789"
    )
    with pytest.raises(StudioAuthError) as err:
        Studio(StudioSettings(server_env.url, expired)).check()
    assert "expired" in str(err.value) and expired not in str(err.value)


def test_personal_access_token_works(studio: Studio, server_env: StudioServer, pushed) -> None:
    pat = studio.sdk.tokens.create().token
    assert pat.count(".") == 2  # a JWT refresh token; the SDK swaps it for access tokens
    with_pat = Studio(StudioSettings(server_env.url, pat))
    assert with_pat.check()["email"] == server_env.username
    assert with_pat.find_project(PROJECT) == studio.find_project(PROJECT)
    assert pat not in repr(with_pat)


def test_unknown_project_is_a_clear_error(studio: Studio, capsys, pushed, tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound) as err:
        pull_project(studio, "没有这个项目", tmp_path / "x")
    assert "没有这个项目" in str(err.value) and PROJECT in str(err.value)
    capsys.readouterr()
    assert cli(["queue", "--project", "没有这个项目"]) == 2
    assert "no Label Studio project titled" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------- real reports
def test_accepted_predictions_on_real_reports_reproduce_the_rules_extraction(
    studio: Studio, corpus: Path, tmp_path: Path
) -> None:
    """Push real reports (read at run time, never copied), accept every prediction as an annotator
    would, pull: the gold built from the human spans equals the direct rules extraction."""
    from gongkai.pipeline import extract_text

    seeds = sorted((corpus / "seeds").glob("*.txt"))
    assert seeds
    res = push_documents(studio, "real reports", seeds, method="rules")
    assert len(res.imported) == len(seeds) and not res.failed
    for t in studio.list_tasks(res.project_id):
        regions = [{k: v for k, v in r.items() if k != "score"} for r in t["predictions"][0]["result"]]
        studio.sdk.annotations.create(id=t["id"], result=regions)
    pulled = pull_project(studio, "real reports", tmp_path / "out")
    assert not pulled.problems and len(pulled.gold_files) == len(seeds)
    for rec in pulled.records:
        check_spans(rec.text, rec.spans)
        gold = json.loads((tmp_path / "out" / "gold" / f"{rec.doc_id}.json").read_text(encoding="utf-8"))
        direct = extract_text(rec.text, rec.doc_id, method="rules").to_json_dict()
        for key in (
            "meta",
            "sections",
            "active_disclosure",
            "requests",
            "review_litigation",
            "claims",
            "checks",
        ):
            assert gold[key] == direct[key], (rec.doc_id, key)
