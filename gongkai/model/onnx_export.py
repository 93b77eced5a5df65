"""Export a saved model to ONNX (``model.onnx`` beside ``model.safetensors``) for torch-free inference.

Why: ``import torch`` + ``import transformers`` + ``from_pretrained`` cost ~5 s and ~450 MB before
the first document, for a 2 MB model. ONNX Runtime loads the same network in a few tens of
milliseconds and ~60 MB. Training stays in torch/transformers; this step turns its output into an
inference file, and ``gongkai train`` runs it after saving. The safetensors file stays the source of
truth: the ONNX file records the SHA-256 of the weights it was made from, and inference uses it only
while that still matches (a retrained model without a fresh export falls back to torch).

The exported graph takes ``input_ids``, ``attention_mask`` and (for slot models) ``token_type_ids``
(batch × length, int64) and returns ``tag`` (the ``TOP_K`` best tag ids, int64, best first) and
``logp`` (their log-probabilities, float32) per position (batch × length × K): the top-k is taken
inside the graph, so only small arrays come back per batch, and ``gongkai.model.decode`` has the
second choices it needs to repair an impossible tag sequence. Exports of the older form
(``tag``/``prob``: the arg-max only) are refused at load time with a note to refresh them.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from gongkai.errors import ConfigError

ONNX_FILE = "model.onnx"
WEIGHTS_FILE = "model.safetensors"
META_SHA = "gongkai_weights_sha256"
OPSET = 17
OUTPUTS = ("tag", "logp")  # the graph's outputs; the older form was ("tag", "prob")


def weights_sha256(model_dir: str | Path) -> str:
    """SHA-256 of the model's safetensors file (what an ONNX export is checked against)."""
    from gongkai.hashing import file_sha256

    return file_sha256(Path(model_dir) / WEIGHTS_FILE)


def _wrapped(model, slots: bool):
    """The token-classification model with log-soft-max + top-k appended."""
    import torch

    from gongkai.model.decode import top_tags

    class TagAndProb(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {"token_type_ids": token_type_ids} if slots else {}
            logits = self.inner(input_ids=input_ids, attention_mask=attention_mask, **extra).logits
            return top_tags(logits)

    return TagAndProb(model).eval()


def export_onnx(model_dir: str | Path, check: bool = True) -> Path:
    """Write ``model_dir/model.onnx`` from ``model_dir``'s safetensors (replacing any older export)
    and, with ``check``, verify that ONNX Runtime gives the torch model's tags on probe batches.

    RoFormer taggers go through the lean graph (``gongkai.model.lean``: no padding mask, inputs
    ``input_ids`` and ``token_type_ids``); other architectures through the library's forward
    (with ``attention_mask``)."""
    import numpy as np
    import onnx
    import torch

    from gongkai.model import lean
    from gongkai.model.infer import load_torch_model

    d = Path(model_dir)
    loaded = load_torch_model(d)
    reference = _wrapped(loaded.model, loaded.slots)
    if lean.supports(loaded.model):
        graph, names = lean.build(loaded.model), ["input_ids", "token_type_ids"]
    else:
        graph = reference
        names = ["input_ids", "attention_mask"] + (["token_type_ids"] if loaded.slots else [])
    vocab = int(loaded.model.config.vocab_size)
    types = int(getattr(loaded.model.config, "type_vocab_size", 1)) if loaded.slots else 1
    gen = torch.Generator().manual_seed(0)

    def probe(batch: int, length: int) -> dict:
        return {"input_ids": torch.randint(5, max(6, vocab), (batch, length), generator=gen),
                "attention_mask": torch.ones((batch, length), dtype=torch.long),
                "token_type_ids": torch.randint(0, types, (batch, length), generator=gen)}

    example = probe(2, 48)
    axes = {n: {0: "batch", 1: "length"} for n in [*names, *OUTPUTS]}
    fd, tmp_name = tempfile.mkstemp(prefix=".model-", suffix=".onnx", dir=d)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(graph, tuple(example[n] for n in names), str(tmp), dynamo=False,
                              input_names=names, output_names=list(OUTPUTS), dynamic_axes=axes,
                              opset_version=OPSET)
        proto = onnx.load(str(tmp))
        meta = {p.key: p for p in proto.metadata_props}
        for key, value in ((META_SHA, weights_sha256(d)), ("gongkai_torch", torch.__version__)):
            entry = meta.get(key) or proto.metadata_props.add()
            entry.key, entry.value = key, value
        onnx.save(proto, str(tmp))
        if check:
            from gongkai.model.infer import onnx_session

            sess = onnx_session(tmp, threads=1)
            limit = int(getattr(loaded.model.config, "max_position_embeddings", 512))
            for batch, length in ((1, 1), (3, 37), (2, min(limit, 512))):
                x = probe(batch, length)
                tag, logp = sess.run(None, {n: x[n].numpy() for n in names})
                with torch.inference_mode():
                    ref_tag, ref_logp = reference(x["input_ids"], x["attention_mask"], x["token_type_ids"])
                prob, ref_prob = np.exp(logp), np.exp(ref_logp.numpy())  # all K choices: the decoder reads them
                if not np.array_equal(tag[..., 0], ref_tag[..., 0].numpy()) or np.abs(prob - ref_prob).max() > 1e-4:
                    raise ConfigError(f"{d}: the ONNX export does not reproduce the torch model's output "
                                      f"(probe batch {batch} × {length})")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a model file is read by anyone who can read the weights
        os.replace(tmp, d / ONNX_FILE)
    finally:
        tmp.unlink(missing_ok=True)
    return d / ONNX_FILE
