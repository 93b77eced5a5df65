"""Faster RoFormer self-attention for inference: one fused ``scaled_dot_product_attention`` call.

Why: on this CPU the eager RoFormer attention spends ~2/3 of the forward pass materialising the
(batch, heads, 512, 512) score tensor, dividing it by sqrt(d) and soft-maxing it in separate passes.
The fused kernel does the same maths blockwise. Only eval-mode self-attention without a cache is
routed here; anything else (training, dropout, cross-attention, attention outputs) keeps the
library's own forward, so training is untouched. The rotary position step is the library's own.
"""

from __future__ import annotations

import math
import types


def _fast_forward(self, hidden_states, attention_mask=None, sinusoidal_pos=None, encoder_hidden_states=None,
                  *args, **kwargs):
    import torch.nn.functional as F

    # transformers 5.x renamed the cache argument (past_key_values → cache): accept either, by
    # position or by name, and hand the call back to the library's forward unchanged when in doubt
    cache = args[0] if args else kwargs.get("cache", kwargs.get("past_key_values"))
    output_attentions = args[1] if len(args) > 1 else kwargs.get("output_attentions", False)
    if (self.training or encoder_hidden_states is not None or cache is not None
            or output_attentions or sinusoidal_pos is None):
        return type(self).forward(self, hidden_states, attention_mask, sinusoidal_pos, encoder_hidden_states,
                                  *args, **kwargs)
    shape = (*hidden_states.shape[:-1], -1, self.attention_head_size)
    q = self.query(hidden_states).view(shape).transpose(1, 2)
    k = self.key(hidden_states).view(shape).transpose(1, 2)
    v = self.value(hidden_states).view(shape).transpose(1, 2)
    if self.rotary_value:
        q, k, v = self.apply_rotary_position_embeddings(sinusoidal_pos, q, k, v)
    else:
        q, k = self.apply_rotary_position_embeddings(sinusoidal_pos, q, k)
    if attention_mask is not None and attention_mask.dtype != q.dtype and attention_mask.dtype != bool:
        attention_mask = attention_mask.to(q.dtype)
    ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=0.0,
                                         scale=1.0 / math.sqrt(self.attention_head_size))
    ctx = ctx.transpose(1, 2).reshape(*hidden_states.shape[:-1], self.all_head_size)
    return ctx, None


def install(model) -> int:
    """Route every RoFormer self-attention module of ``model`` through the fused path; returns how
    many modules were patched (0 for other architectures, which are left alone)."""
    try:
        from transformers.models.roformer.modeling_roformer import RoFormerSelfAttention
    except ImportError:  # pragma: no cover - transformers without RoFormer
        return 0
    n = 0
    for mod in model.modules():
        if isinstance(mod, RoFormerSelfAttention):
            mod.forward = types.MethodType(_fast_forward, mod)
            n += 1
    return n
