"""Tiny-config training end to end: generated data → train a few steps → save → reload with
from_pretrained (safetensors) → predict on Chinese text, every span checked against the text →
``extract --method model`` on a generated document."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gongkai.model.config import load_config
from gongkai.model.data import LabelledDoc
from gongkai.spans import Span, check_spans
from gongkai.template import REQUEST_COLUMNS

REPO = Path(__file__).resolve().parent.parent
TOWNS = ["青山镇", "石门镇", "白沙镇", "龙泉街道", "东湖镇", "新桥镇", "桃源镇", "金溪街道"]
HELD_TOWNS = ["云台镇", "柳林镇"]


def tiny_generate(n: int, seed: int, towns: list[str]) -> list[LabelledDoc]:
    """A throwaway report generator for these tests only (the real one is gongkai.synth)."""
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        parts: list[tuple[str, str | None]] = []
        town = rng.choice(towns)
        year = rng.choice([2019, 2020, 2021, 2022])
        organ = f"{rng.choice(['江口县', '乐安市', '平山区'])}{town}人民政府"
        parts += [(str(year), "YEAR"), ("年", None), (town, None), ("政府信息公开工作年度报告\n", None)]
        parts += [("一、总体情况", "SEC_OVERVIEW"), ("\n本年度，", None), (organ, "ORGAN"), ("认真贯彻条例。", None)]
        parts += [("全年主动公开政府信息", "SUBJ_ACTIVE"), (str(rng.randint(5, 400)), "NUM"), ("条", "UNIT"),
                  ("，其中", None), ("工作动态", "SUBJ_ACTIVE_PART"), (str(rng.randint(1, 90)), "NUM"), ("条", "UNIT"),
                  ("。\n", None)]
        parts += [("二、主动公开政府信息情况", "SEC_ACTIVE"), ("\n", None)]
        for row in ("规章", "规范性文件"):
            parts += [(row, "ROW")]
            for c in range(1, 4):
                parts += [("\t", None), (str(rng.choice([0, 0, 1, 3, 12])), f"CELL_{c}")]
            parts += [("\n", None)]
        parts += [("三、收到和处理政府信息公开申请情况", "SEC_REQUESTS"), ("\n", None)]
        for row in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（七）总计"):
            parts += [(row, "ROW")]
            for c in range(1, len(REQUEST_COLUMNS) + 1):
                parts += [("\t" if rng.random() < 0.8 else "\r\n", None), (str(rng.randint(0, 9)), f"CELL_{c}")]
            parts += [("\n", None)]
        parts += [("四、政府信息公开行政复议、行政诉讼情况", "SEC_REVIEW"), ("\n", None)]
        for c in range(1, 16):
            parts += [(str(rng.choice([0, 0, 1])), f"CELL_{c}"), ("\t", None)]
        parts += [("\n五、存在的主要问题及改进情况", "SEC_PROBLEMS"), ("\n仍需加强。\n", None)]
        parts += [("六、其他需要报告的事项", "SEC_OTHER"), ("\n无。\n", None), (organ, None), ("\n", None)]
        parts += [(f"{year + 1}年1月{rng.randint(1, 28)}日", "DATE"), ("\n", None)]
        text, spans, pos = "", [], 0
        for piece, label in parts:
            if label:
                spans.append((label, pos, pos + len(piece)))
            text += piece
            pos += len(piece)
        docs.append(LabelledDoc(f"tiny{seed}_{k}", text, [Span.of(text, lab, a, b, source="synth") for lab, a, b in spans]))
    return docs


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from gongkai.model.train import train

    out = tmp_path_factory.mktemp("model")
    cfg = load_config(REPO / "training" / "tiny.json")
    res = train(cfg, out, train_docs=tiny_generate(16, 1, TOWNS), heldout_docs=tiny_generate(3, 2, HELD_TOWNS),
                command="pytest tiny")
    return res


def test_saved_directory_has_safetensors_tokenizer_label_map_and_card(trained) -> None:
    out = trained.out_dir
    for name in ("config.json", "model.safetensors", "tokenizer.json", "labels.json", "README.md",
                 "training_metrics.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*.bin")), "weights must be safetensors only"
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert [cfg["id2label"][str(i)] for i in range(len(labels))] == labels
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "pytest tiny" in card and "F1" in card
    assert trained.metrics["training"]["steps"] > 0


def test_tiny_model_learns_the_tiny_format(trained) -> None:
    # 120 steps of a 1-layer model on a rigid format: strict F1 on held-out towns well above chance
    assert trained.metrics["heldout"]["f1"] > 0.5, trained.metrics["heldout"]


def test_reloaded_model_predicts_spans_that_match_the_text(trained) -> None:
    from transformers import AutoModelForTokenClassification

    from gongkai.model.infer import predict_spans

    model = AutoModelForTokenClassification.from_pretrained(str(trained.out_dir), use_safetensors=True)
    assert model.config.num_labels == len(json.loads((trained.out_dir / "labels.json").read_text()))
    doc = tiny_generate(1, 77, HELD_TOWNS)[0]
    text = "𠀀 " + doc.text.replace("\n", "\r\n")  # astral char first and CRLF: raw offsets ≠ normalised
    spans = predict_spans(text, trained.out_dir)
    assert len(spans) >= 10
    check_spans(text, spans)
    for s in spans:
        assert s.source == "model" and 0.0 <= s.score <= 1.0
        assert s.text == s.text.strip() and text[s.start:s.end] == s.text
    cells = [s for s in spans if s.label.startswith("CELL_")]
    assert cells and all(s.text.isdigit() for s in cells)


def test_model_path_is_cached_in_process(trained) -> None:
    from gongkai.model.infer import load_model

    assert load_model(trained.out_dir) is load_model(str(trained.out_dir))


def test_extract_method_model_on_a_generated_document(trained, tmp_path: Path) -> None:
    from gongkai.pipeline import extract_text

    doc = tiny_generate(1, 5, HELD_TOWNS)[0]
    report = extract_text(doc.text, "gen", method="model", model_path=trained.out_dir)
    assert report.method == "model"
    sources = {p.source for p in report.provenance.values()}
    assert "model" in sources and "rules" not in sources
    gold_year = next(s.text for s in doc.spans if s.label == "YEAR")
    assert report.meta.report_year == int(gold_year)


def test_bad_config_names_the_file(tmp_path: Path) -> None:
    from gongkai.errors import ConfigError

    bad = tmp_path / "bad.json"
    bad.write_text('{"modle": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json.*unknown keys"):
        load_config(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json.*not valid JSON"):
        load_config(bad)
