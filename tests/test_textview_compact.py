"""The compact view (rules' white-space-free text) built run by run equals the character-by-
character definition: same characters, same offsets, one BARRIER per skipped stretch."""

from __future__ import annotations

import random

from gongkai.rules.claims import BREAK, _compact
from gongkai.rules.textview import BARRIER, GLOSS, View


def _reference(text: str, skip: list[tuple[int, int]]) -> tuple[str, list[int]]:
    drop = bytearray(len(text))
    for m in GLOSS.finditer(text):
        drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    barrier_at = set()
    for s, e in skip:
        if e > s:
            drop[s:e] = b"\x01" * (e - s)
            barrier_at.add(s)
    chars, pos = [], []
    for i, ch in enumerate(text):
        if i in barrier_at:
            chars.append(BARRIER)
            pos.append(-1)
        if drop[i] or ch.isspace():
            continue
        chars.append(ch)
        pos.append(i)
    return "".join(chars), pos


def test_compact_matches_reference_on_random_chinese_text() -> None:
    rng = random.Random(11)
    pieces = ["鎮(zhèn)", "主动公开", "信息", " ", "  ", "\n", "\n\n", "\t", "129条", "。", "（一）", "、", "是"]
    for _ in range(400):
        raw = "".join(rng.choices(pieces, k=rng.randrange(0, 30)))
        view = View.of(raw)
        t = view.text
        skip = []
        for _ in range(rng.randrange(0, 4)):
            a = rng.randrange(len(t) + 1)
            skip.append((a, min(len(t), a + rng.randrange(0, 6))))
        got = view.compact(skip)
        assert (got.text, got.pos) == _reference(t, skip)
        assert all(got.pos[k] >= 0 and (k == 0 or got.pos[k - 1] != got.pos[k] - 1) for k in got.runs)
        # the claims view only adds BREAKs (mapped to -1) to it
        c = _compact(view, skip)
        kept = [(ch, p) for ch, p in zip(c.text, c.pos, strict=True) if ch != BREAK]
        assert kept == list(zip(got.text, got.pos, strict=True))


def test_compact_offsets_point_at_the_characters() -> None:
    view = View.of("主动公开 政府信息\n共 129 条。")
    c = view.compact()
    assert c.text == "主动公开政府信息共129条。"
    assert all(view.text[p] == ch for ch, p in zip(c.text, c.pos, strict=True))
