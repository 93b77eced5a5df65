"""The fast inference path (fused attention, one thread, vectorised merge) predicts exactly what the
library's eager RoFormer forward and the per-position merge predict."""

from __future__ import annotations

import os

import pytest

from gongkai.errors import ConfigError
from gongkai.model.windows import make_windows, owner_array, owner_of_positions

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize(("n", "size", "overlap"), [(1, 512, 128), (511, 512, 128), (513, 512, 128),
                                                    (2200, 512, 128), (9999, 512, 128), (777, 100, 33),
                                                    (50, 7, 3)])
def test_owner_array_matches_the_per_position_rule(n: int, size: int, overlap: int) -> None:
    ws = make_windows(n, size, overlap)
    assert owner_array(n, ws).tolist() == owner_of_positions(n, ws)


def _tiny_roformer():
    import torch
    from transformers import RoFormerConfig, RoFormerForTokenClassification

    torch.manual_seed(0)
    cfg = RoFormerConfig(vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=128, num_labels=5)
    return RoFormerForTokenClassification(cfg).eval()


def test_fused_attention_matches_eager_with_padding() -> None:
    import torch

    from gongkai.model.fast_attention import install

    model = _tiny_roformer()
    x = torch.randint(1, 60, (3, 90))
    mask = torch.ones_like(x)
    mask[1, 70:] = 0
    mask[2, 10:] = 0
    with torch.inference_mode():
        ref = model(input_ids=x, attention_mask=mask).logits
        assert install(model) == 2
        new = model(input_ids=x, attention_mask=mask).logits
    valid = mask.bool()
    assert torch.allclose(ref[valid], new[valid], atol=1e-5)
    assert torch.equal(ref.argmax(-1)[valid], new.argmax(-1)[valid])


def test_training_mode_keeps_the_library_forward() -> None:
    import torch

    from gongkai.model.fast_attention import install

    model = _tiny_roformer()
    x = torch.randint(1, 60, (2, 40))
    ref = model(input_ids=x).logits.detach()
    install(model)
    model.train()
    for mod in model.modules():  # no dropout, so the train-mode output is deterministic
        if isinstance(mod, torch.nn.Dropout):
            mod.p = 0.0
    out = model(input_ids=x).logits
    out.sum().backward()  # gradients flow through the library path
    assert torch.allclose(ref, out.detach(), atol=1e-6)
    assert model.classifier.weight.grad is not None


def test_shipped_model_spans_match_the_eager_reference() -> None:
    from transformers import AutoModelForTokenClassification

    from gongkai.model.infer import Loaded, load_model, predict_tags
    from gongkai.model.tags import tags_to_spans
    from gongkai.normalise import normalise
    from gongkai.settings import default_model_dir, model_available
    from gongkai.synth import generate

    path = default_model_dir()
    if not model_available(path):
        pytest.skip("no shipped model")
    fast = load_model(path)
    eager = AutoModelForTokenClassification.from_pretrained(str(path), use_safetensors=True).eval()
    ref = Loaded(eager, fast.tokenizer, fast.id2tag, fast.window, fast.overlap, fast.slots)
    for doc in generate(3, 11):
        text = normalise(doc.text).text
        tags_f, probs_f = predict_tags(fast, text)
        tags_r, probs_r = predict_tags(ref, text)
        assert tags_f == tags_r
        assert max(abs(a - b) for a, b in zip(probs_f, probs_r, strict=True)) < 1e-4
        spans_f = [(s.label, s.start, s.end) for s in tags_to_spans(text, tags_f, probs_f)]
        assert spans_f == [(s.label, s.start, s.end) for s in tags_to_spans(text, tags_r, probs_r)]
        assert spans_f  # a generated report always has labelled spans


def test_threads_come_from_the_environment_and_are_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from gongkai.model.infer import inference_threads

    monkeypatch.delenv("GONGKAI_TORCH_THREADS", raising=False)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (cores + 1.0, 0.0, 0.0))
    assert inference_threads() == 1  # a busy machine: one thread
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert inference_threads() == cores  # an idle one: every core
    monkeypatch.setenv("GONGKAI_TORCH_THREADS", "2")
    assert inference_threads() == 2
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("GONGKAI_TORCH_THREADS", bad)
        with pytest.raises(ConfigError, match="GONGKAI_TORCH_THREADS"):
            inference_threads()
    before = torch.get_num_threads()
    monkeypatch.setenv("GONGKAI_TORCH_THREADS", "1")
    from gongkai.model.infer import load_model, predict_tags
    from gongkai.settings import default_model_dir, model_available

    if model_available(default_model_dir()):
        predict_tags(load_model(), "一、总体情况\n本年度共收到申请12件。")
        assert torch.get_num_threads() == before
