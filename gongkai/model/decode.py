"""From the model's per-character tag log-probabilities to one valid IOB2 tag per character.

Why: the arg-max of each character alone can be an impossible sequence (``I-X`` after ``O`` or
after another label, an ``O`` in the middle of a name). Read greedily, such a sequence cuts a
subject in two or starts it a few characters late (``余政务关联信息`` for 其余政务关联信息). A
valid sequence (Viterbi under IOB2's one rule: ``I-X`` only after ``B-X`` or ``I-X``) repairs
that from the model's own second choices.

Where the arg-max sequence is already valid it is kept as it is, so Viterbi runs only on the
stretches around an invalid step, each bounded by characters the model reads as ``O`` with near
certainty (an ``O`` may follow and precede anything, so the stretches are independent). Inside a
stretch the Viterbi runs over label families (``_stretch``), so a repaired stretch may also change
where it was valid: it is the best reading of the stretch as whole spans, not label by label.
The model hands over its ``K`` best tags per character (``TOP_K``), not all of them: a repair
uses a second or third choice, and keeping every tag's score would cost 70 floats per character.
The tags outside a character's ``K`` share its remaining probability evenly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from gongkai.model.tags import family

TOP_K = 4  # tags per character the model returns (best first)
SURE_O = float(np.log(0.99))  # an O at least this likely bounds a stretch and is kept


def top_tags(logits):  # noqa: ANN001, ANN201 - torch tensors (torch is imported by the caller)
    """(ids, log-probabilities) of the ``TOP_K`` best tags per position: what every forward pass
    (torch, the ONNX graph, the lean export) hands to ``decode``."""
    import torch

    logp, ids = torch.log_softmax(logits.float(), dim=-1).topk(TOP_K, dim=-1)
    return ids, logp


@dataclass(frozen=True)
class TagSet:
    """Where each label's B and I sit among the model's output ids, and each label's family."""

    o: int
    b: np.ndarray  # (L,) ids of B-label
    i: np.ndarray  # (L,) ids of I-label (same label order)
    pair: np.ndarray  # (T,) for an I id: its label's B id; -1 otherwise
    n_tags: int
    fam: np.ndarray  # (L,) family index of each label

    @classmethod
    def of(cls, id2tag: Mapping[int, str]) -> TagSet:
        by_tag = {t: k for k, t in id2tag.items()}
        labels = sorted({t[2:] for t in by_tag if t != "O"})
        b = np.asarray([by_tag[f"B-{lab}"] for lab in labels], dtype=np.int64)
        i = np.asarray([by_tag[f"I-{lab}"] for lab in labels], dtype=np.int64)
        pair = np.full(max(by_tag.values()) + 1, -1, dtype=np.int64)
        pair[i] = b
        names = sorted({family(lab) for lab in labels})
        fam = np.asarray([names.index(family(lab)) for lab in labels], dtype=np.int64)
        return cls(by_tag["O"], b, i, pair, len(pair), fam)

    @cached_property
    def family_matrix(self) -> np.ndarray:
        """(labels × families) 0/1: which family each label belongs to."""
        m = np.zeros((len(self.b), int(self.fam.max()) + 1))
        m[np.arange(len(self.b)), self.fam] = 1.0
        return m

    @cached_property
    def families(self) -> TagSet:
        """The family-level tag set: column 0 is O, then B of each family, then I of each family."""
        n = int(self.fam.max()) + 1
        b, i = np.arange(1, 1 + n), np.arange(1 + n, 1 + 2 * n)
        pair = np.full(1 + 2 * n, -1, dtype=np.int64)
        pair[i] = b
        return TagSet(0, b, i, pair, 1 + 2 * n, np.arange(n))


def _invalid(best: np.ndarray, ts: TagSet) -> np.ndarray:
    """Positions whose arg-max tag may not follow the one before it."""
    b_of = ts.pair[best]
    prev = np.concatenate(([ts.o], best[:-1]))
    is_i = b_of >= 0
    ok = (prev == b_of) | (prev == best)
    return np.flatnonzero(is_i & ~ok)


def _viterbi(lp: np.ndarray, ts: TagSet) -> np.ndarray:
    """Best valid tag ids for a stretch that follows an ``O`` (or the text's start)."""
    n = lp.shape[0]
    neg = -np.inf
    s_b = lp[0, ts.b].copy()
    s_i = np.full(len(ts.b), neg)
    s_o = lp[0, ts.o]
    # back pointers: for B and O, the best state before (encoded: -1 = O, k = B of label k,
    # L + k = I of label k); for I, whether it came from I (True) or from B (False)
    big = len(ts.b)
    back_any = np.empty(n, dtype=np.int64)
    back_i = np.empty((n, big), dtype=bool)
    for t in range(1, n):
        states = np.concatenate(([s_o], s_b, s_i))
        arg = int(np.argmax(states))
        best_prev = states[arg]
        back_any[t] = arg - 1  # -1 = O, 0..L-1 = B, L..2L-1 = I
        from_i = s_i > s_b
        back_i[t] = from_i
        s_i = np.where(from_i, s_i, s_b) + lp[t, ts.i]
        s_b = best_prev + lp[t, ts.b]
        s_o = best_prev + lp[t, ts.o]
    states = np.concatenate(([s_o], s_b, s_i))
    state = int(np.argmax(states)) - 1
    out = np.empty(n, dtype=np.int64)
    for t in range(n - 1, -1, -1):
        if state == -1:
            out[t] = ts.o
            nxt = back_any[t] if t else -1
        elif state < big:
            out[t] = ts.b[state]
            nxt = back_any[t] if t else -1
        else:
            k = state - big
            out[t] = ts.i[k]
            nxt = state if back_i[t, k] else k
        state = int(nxt)
    return out


def _dense(ids: np.ndarray, lps: np.ndarray, n_tags: int) -> np.ndarray:
    """(rows × every tag) log-probabilities for a stretch from each row's top ``K``: the other tags
    share what is left. An ``I-X`` right after a sure ``O`` whose ``B-X`` is not among the ``K`` is
    then read by its probabilities as they are, usually as ``O`` for a short span. Scoring ``B-X``
    there as high as ``I-X`` was tried (4 Dec): on the 62 real documents, leave-out, it added more
    false claims than it found (model claims F1 0.920 → 0.918; synthetic-only 0.846 → 0.843)."""
    out = np.repeat(_rest(ids, lps, n_tags)[:, None], n_tags, axis=1)
    np.put_along_axis(out, ids, lps.astype(np.float64), axis=1)
    return out


def _rest(ids: np.ndarray, lps: np.ndarray, n_tags: int) -> np.ndarray:
    """Per row, the log-probability each tag outside the top ``K`` gets: an even share of what is left."""
    left = np.clip(1.0 - np.exp(lps.astype(np.float64)).sum(axis=1), 1e-12, None)
    return np.log(left / max(1, n_tags - ids.shape[1]))


def chosen_logp(ids: np.ndarray, lps: np.ndarray, chosen: np.ndarray, n_tags: int) -> np.ndarray:
    """The log-probability of each row's chosen tag: its own when it is among the top ``K``, else
    the even share of what is left (never -inf, so a span's mean score stays meaningful)."""
    hit = ids == chosen[:, None]
    own = np.where(hit, lps, -np.inf).max(axis=1)
    return np.where(hit.any(axis=1), own, _rest(ids, lps, n_tags))


def decode(ids: np.ndarray, lps: np.ndarray, ts: TagSet) -> np.ndarray:
    """One valid IOB2 tag id per character from its top tags ``ids`` (characters × K, best
    first) and their log-probabilities ``lps``."""
    best = ids[:, 0]
    bad = _invalid(best, ts)
    if bad.size == 0:
        return best
    sure = np.flatnonzero((best == ts.o) & (lps[:, 0] >= SURE_O))
    out = best.copy()
    done = -1
    for p in bad:
        if p < done:
            continue
        k = np.searchsorted(sure, p)
        a = int(sure[k - 1]) + 1 if k > 0 else 0
        b = int(sure[k]) if k < len(sure) else len(best)
        out[a:b] = _stretch(_dense(ids[a:b], lps[a:b], ts.n_tags), ts)
        done = b
    return out


def _stretch(lp: np.ndarray, ts: TagSet) -> np.ndarray:
    """Best valid tags for one stretch: Viterbi over label *families* (a family's probability is
    the sum of its labels'), then each span takes the label of its family that explains all its
    characters best. Why: a subject read as I-SUBJ_ACTIVE for half its characters and
    I-SUBJ_ACTIVE_PART for the rest is one subject, not two cut where the label flips."""
    fts = ts.families
    n_fam = len(fts.b)
    onehot = ts.family_matrix
    p = np.exp(lp)
    pf = np.empty((lp.shape[0], fts.n_tags))
    pf[:, 0] = p[:, ts.o]
    pf[:, fts.b] = p[:, ts.b] @ onehot
    pf[:, fts.i] = p[:, ts.i] @ onehot
    path = _viterbi(np.log(np.clip(pf, 1e-30, None)), fts)
    out = np.full(len(path), ts.o, dtype=np.int64)
    t = 0
    while t < len(path):
        if path[t] == 0:
            t += 1
            continue
        f = int(path[t]) - 1  # a B of family f opens the span
        e = t + 1
        while e < len(path) and path[e] == 1 + n_fam + f:
            e += 1
        members = np.flatnonzero(ts.fam == f)
        score = lp[t, ts.b[members]] + lp[t + 1 : e][:, ts.i[members]].sum(axis=0)
        k = int(members[int(np.argmax(score))])
        out[t], out[t + 1 : e] = ts.b[k], ts.i[k]
        t = e
    return out
