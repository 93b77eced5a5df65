"""Open-vocabulary names in the generator: which characters they use, that the documents carry
them as exact spans, and that the vocabulary a model builds from them covers many of the common ones."""

from __future__ import annotations

import random

from gongkai.model.tokenizer import build_vocab
from gongkai.spans import check_spans
from gongkai.synth import generate, hanzi


def test_pool_is_common_characters_without_grammar_ones() -> None:
    level1, level2 = hanzi.pools()
    assert 3600 < len(level1) < 3755 and 2900 < len(level2) <= 3008
    assert "啊" in level1 and "亍" in level2
    for ch in "一十年条件共计未无镇局类信息其中":
        assert ch not in level1 and ch not in level2


def test_names_are_deterministic_and_never_hold_reserved_characters() -> None:
    a = [hanzi.category(random.Random(7)) for _ in range(3)]
    assert a == [hanzi.category(random.Random(7)) for _ in range(3)]
    rng = random.Random(1)
    names = [hanzi.place(rng) for _ in range(500)]
    assert all(2 <= len(n) <= 3 for n in names) and len(set(names)) > 450
    assert not [n for n in names if set(n) & hanzi._RESERVED]
    cats = [hanzi.category(rng) for _ in range(500)]
    assert len(set(cats)) > 400
    assert any(c.endswith("类") for c in cats) and any("（" in c for c in cats)


def test_generated_reports_carry_open_names_as_exact_spans() -> None:
    docs = generate(60, seed=77)
    level1 = set(hanzi.pools()[0])
    fixed = {f + s for f in "青白石金龙凤桃柳杨松竹梅兰花清明长东西南北高平安新太河溪山湖双三五九古大小上下黄红望"
             for s in "山河溪桥坪岭湾口坝林田阳源塘泉沟庄店集营寨铺洲湖江滩岗坡峪堡园圩关头渡冲"}
    open_towns = [d for d in docs if d.gold["_synth"]["organ_pool"] and not any(f in d.organ for f in fixed)]
    assert len(open_towns) > 10
    parts = []
    for d in docs:
        check_spans(d.text, d.spans)
        organ = [s for s in d.spans if s.label == "ORGAN"]
        assert organ and all(s.text == d.gold["meta"]["organ"] for s in organ[:1])
        for c in d.gold["claims"]:
            if c.get("breakdown"):
                assert d.text[c["start"]:c["end"]] == c["text"]
                assert c["breakdown"] in "".join(c["text"].split())  # a wrap may fall inside
                parts.append(c["breakdown"])
    # composed categories: characters from the open pool beyond the fixed category list
    assert sum(1 for p in parts if len(set(p) & level1) >= 3) > 10


def test_vocabulary_from_generated_text_covers_many_common_characters() -> None:
    """300 documents now hold more common characters than the 818-entry vocabulary that 3,000
    documents of fixed names gave (the shipped model before open names)."""
    docs = generate(300, seed=5)
    vocab = build_vocab(d.text for d in docs)
    assert sum(c in vocab for c in hanzi.pools()[0]) > 900
