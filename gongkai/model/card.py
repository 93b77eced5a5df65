"""The model card (README.md beside the weights): what data, which config, what metrics, and the
exact command that reproduces the model — so a shipped model can be judged and rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.model.tokenizer import LAYOUT_NAMES


def render_card(info: dict) -> str:
    tr, data, held = info["training"], info["data"], info["heldout"]
    worst = sorted(held.get("per_label", {}).items(), key=lambda kv: kv[1]["f1"])[:8]
    layout = ", ".join(f"`{c}` {n}" for c, n in LAYOUT_NAMES.items())
    lines = [
        f"# gongkai token-classification model `{info['name']}`",
        "",
        "Tags characters of a normalised 政府信息公开工作年度报告 with IOB2 tags over the span labels of",
        "`docs/labels.md` (`gongkai.spans.LABELS`); `gongkai.assemble` turns the spans into the report schema.",
        "",
        "## Model",
        f"- {info.get('model_type', 'bert')} token classification (`AutoModelForTokenClassification`), "
        f"{info['parameters']:,} parameters, "
        f"{'fine-tuned from ' + info['base_model'] if info['base_model'] else 'trained from scratch'}.",
        f"- Character tokenizer ({info['tokenizer']}, {info['vocab_size']} entries): one token per character, "
        f"layout characters as explicit tokens ({layout}), unknown characters `[UNK]` at their own offset.",
        f"- Sliding windows of {info['window']} characters, overlap {info['overlap']}; each position takes the",
        "  prediction of the window where it is farthest from an edge. Weights: `model.safetensors` only;",
        "  `model.onnx` is their inference export for ONNX Runtime (`gongkai export-onnx DIR` regenerates it).",
        "- Label map: `config.json` (`id2label`) and `labels.json`.",
        *(["- Input feature: value slots (`gongkai/model/slots.py`, the table column a character sits in)",
           "  as `token_type_ids`; `config.json` says `gongkai_slots: true` and inference computes them."]
          if info.get("slots") else []),
        "",
        "## Data",
        ("Synthetic reports from `gongkai.synth.generate` only (never the shared real-report corpus); "
         "held-out documents come from the generator's held-out organ pool."
         if list(data["sources"]) == ["synthetic"] else
         "Synthetic reports from `gongkai.synth.generate` plus the sources listed below "
         + (f"— including {data['sources']['real_annotated']} real reports of the shared corpus, human-annotated "
            "in the annotation store (annotations/real: offsets and labels only; text read from the corpus, "
            f"hash-checked), each repeated {data['sources'].get('real_repeat', 1)}× per epoch. Documents listed in "
            "`real_annotated_ids` are in-sample for this model: a score on them is not a leave-out score."
            if data["sources"].get("real_annotated") else "(never the shared real-report corpus).")),
        "",
        "```json",
        json.dumps(data, ensure_ascii=False, indent=1),
        "```",
        "",
        "## Training",
        f"- {tr['steps']} steps, {tr['epochs_done']} epochs, {tr['train_seconds']} s training "
        f"(~{tr['tokens_per_second']:,} tokens/s), {tr['total_seconds']} s in all; final loss {tr['final_loss']}.",
        f"- Stopped by the time budget: {tr['stopped_at_time_budget']}.",
        f"- torch threads {info.get('torch_threads')}; load average at start {info.get('load_average_at_start')} "
        f"on a {info.get('cpu_count', '?')}-core CPU (other jobs on the machine make times longer).",
        "",
        "Config (`" + (info.get("config_file") or "") + "`):",
        "",
        "```json",
        json.dumps(info["config"], ensure_ascii=False, indent=1),
        "```",
        "",
        "## Held-out metrics (synthetic, organs never seen in training; seqeval strict IOB2)",
        f"- precision {held['precision']}, recall {held['recall']}, **F1 {held['f1']}** "
        f"on {held['docs']} documents ({held['characters']:,} characters).",
        "- Lowest per-label F1: " + ", ".join(f"{k} {v['f1']} (n={v['support']})" for k, v in worst),
        "",
        "## Reproduce",
        "```",
        info["command"],
        "```",
        "",
    ]
    return "\n".join(lines)


def write_card(out_dir: Path, info: dict) -> Path:
    p = Path(out_dir) / "README.md"
    p.write_text(render_card(info), encoding="utf-8")
    return p
