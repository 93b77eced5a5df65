"""A lean RoFormer token tagger for export: the trained model's weights in a graph with less work.

Why: ONNX Runtime spends ~40% of the library graph's time outside the matrix products — building
and adding the padding mask to every (512 × 512) score matrix, and the rotary step's slices,
negations and concatenations. Inference never pads (``gongkai.model.infer`` batches only windows
of equal length), so this graph has no mask; the rotary step is folded into the projections.
The maths is the library's, rearranged exactly:

- ``rotate_half(q)`` (``[-q1, q0, -q3, q2, …]`` per head) is a signed permutation of q's columns, so
  ``x @ (W·P) + b·P`` gives it bit for bit; one matrix product yields q, rotate(q), k, rotate(k), v.
- The 1/√d score scale (1/8 for 64-wide heads: a power of two, exact) is folded into q's weights.
- cos/sin position tables are constants of the graph, cut to the batch's length.
- Attention itself is exported as ONNX Runtime's fused ``MultiHeadAttention`` (~5% faster than
  the plain products on this CPU; probabilities agree to ~1e-6, tags identical on the corpus).

Built only from ``RoFormerForTokenClassification`` (the architecture ``gongkai train`` makes by
default); anything else is exported through the library's own forward.
"""

from __future__ import annotations

import math


def supports(model) -> bool:  # noqa: ANN001 - a transformers PreTrainedModel
    c = model.config
    return (c.model_type == "roformer" and not getattr(c, "rotary_value", False)
            and not c.is_decoder and c.hidden_act in ("gelu", "relu")
            and type(model).__name__ == "RoFormerForTokenClassification")


def build(model):  # noqa: ANN001
    """A ``torch.nn.Module`` computing ``(tag, logp)`` (each position's ``TOP_K`` best tag ids and
    their log-probabilities) from ``(input_ids, token_type_ids)`` with the
    weights of ``model`` (a RoFormerForTokenClassification in eval mode)."""
    import torch
    from torch import nn

    from gongkai.model.decode import top_tags

    c = model.config
    heads, size = c.num_attention_heads, c.hidden_size // c.num_attention_heads
    hidden = heads * size
    # rotate_half as a column map: out[:, j] = sign[j] * in[:, src[j]] within each head
    src, sign = [], []
    for h in range(heads):
        for j in range(size):
            pair = j - 1 if j % 2 else j + 1
            src.append(h * size + pair)
            sign.append(-1.0 if j % 2 == 0 else 1.0)
    src_t, sign_t = torch.tensor(src), torch.tensor(sign)
    # position tables as the library builds them: per position, sin θ_i and cos θ_i, each doubled
    table = model.roformer.encoder.embed_positions.weight.detach()  # (positions, size): [sin | cos]
    sin, cos = table[:, : size // 2], table[:, size // 2 :]
    sin_pos = torch.stack([sin, sin], -1).reshape(table.shape[0], size).repeat(1, heads)
    cos_pos = torch.stack([cos, cos], -1).reshape(table.shape[0], size).repeat(1, heads)
    scale = 1.0 / math.sqrt(size)
    act = nn.functional.gelu if c.hidden_act == "gelu" else nn.functional.relu

    class Attention(torch.autograd.Function):
        """Soft-max attention over (batch, length, hidden) q/k/v; exported as ONNX Runtime's fused
        ``com.microsoft.MultiHeadAttention`` (the score scale is already in q)."""

        @staticmethod
        def forward(ctx, q, k, v):  # noqa: ANN001
            b, t = q.shape[0], q.shape[1]
            q = q.view(b, t, heads, size).transpose(1, 2)
            k = k.view(b, t, heads, size).permute(0, 2, 3, 1)
            v = v.view(b, t, heads, size).transpose(1, 2)
            out = torch.matmul(torch.softmax(torch.matmul(q, k), dim=-1), v)
            return out.transpose(1, 2).reshape(b, t, hidden)

        @staticmethod
        def symbolic(g, q, k, v):  # noqa: ANN001
            out = g.op("com.microsoft::MultiHeadAttention", q, k, v, num_heads_i=heads, scale_f=1.0)
            out.setType(q.type())  # same shape and type as q
            return out

    class Layer(nn.Module):
        def __init__(self, layer) -> None:
            super().__init__()
            a = layer.attention
            q, k, v = a.self.query, a.self.key, a.self.value
            wq, bq = q.weight.detach() * scale, q.bias.detach() * scale
            wk, bk = k.weight.detach(), k.bias.detach()
            weights = [wq, wq[src_t] * sign_t[:, None], wk, wk[src_t] * sign_t[:, None], v.weight.detach()]
            biases = [bq, bq[src_t] * sign_t, bk, bk[src_t] * sign_t, v.bias.detach()]
            self.qkv = nn.Linear(hidden, 5 * hidden)
            self.qkv.weight.data.copy_(torch.cat(weights))
            self.qkv.bias.data.copy_(torch.cat(biases))
            self.attn_out, self.attn_norm = a.output.dense, a.output.LayerNorm
            self.ffn_in, self.ffn_out, self.ffn_norm = layer.intermediate.dense, layer.output.dense, layer.output.LayerNorm

        def forward(self, x, cos_t, sin_t):
            q, qr, k, kr, v = self.qkv(x).split(hidden, dim=-1)
            q = q * cos_t + qr * sin_t
            k = k * cos_t + kr * sin_t
            ctx = Attention.apply(q, k, v)
            x = self.attn_norm(self.attn_out(ctx) + x)
            return self.ffn_norm(self.ffn_out(act(self.ffn_in(x))) + x)

    class Lean(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            e = model.roformer.embeddings
            self.words, self.types, self.norm = e.word_embeddings, e.token_type_embeddings, e.LayerNorm
            self.project = getattr(model.roformer, "embeddings_project", None)
            self.layers = nn.ModuleList(Layer(layer) for layer in model.roformer.encoder.layer)
            self.classifier = model.classifier
            self.register_buffer("cos_pos", cos_pos.contiguous())
            self.register_buffer("sin_pos", sin_pos.contiguous())

        def forward(self, input_ids, token_type_ids):
            x = self.norm(self.words(input_ids) + self.types(token_type_ids))
            if self.project is not None:
                x = self.project(x)
            t = input_ids.shape[1]
            cos_t, sin_t = self.cos_pos[:t], self.sin_pos[:t]
            for layer in self.layers:
                x = layer(x, cos_t, sin_t)
            return top_tags(self.classifier(x))

    return Lean().eval()
