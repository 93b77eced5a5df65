"""Character tokenizer: one token per character with exact offsets, layout tokens, save/reload."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.model.tokenizer import (
    LAYOUT,
    UNK,
    build_vocab,
    encode,
    is_char_tokenizer,
    load_tokenizer,
    make_tokenizer,
)

TRAIN = ["二〇二一年度乐昌市九峰镇政府信息公开\t0\t12\n总计 3", "规章\t无\t—\r\n（七）总计"]


@pytest.fixture(scope="module")
def tok():
    return make_tokenizer(build_vocab(TRAIN))


@pytest.mark.parametrize(
    "text",
    [
        "主动公开政府信息86条",
        "𠀀𪚥 astral 字\t𠮷",  # astral-plane characters are one code point, one token
        "规章\t0\t0\r\n行政许可\t12",  # CRLF and tabs
        "  前导空格\u3000全角\xa0不换行",
        "",
    ],
)
def test_one_token_per_character_with_exact_offsets(tok, text: str) -> None:
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    assert len(enc["input_ids"]) == len(text)
    assert list(enc["offset_mapping"]) == [(i, i + 1) for i in range(len(text))]
    assert encode(tok, text) == list(enc["input_ids"])


def test_layout_characters_are_explicit_known_tokens(tok) -> None:
    text = "a\tb\nc\r\nd e"
    ids = encode(tok, text)
    unk = tok.convert_tokens_to_ids(UNK)
    for ch, i in zip(text, ids, strict=True):
        if ch in LAYOUT:
            assert i != unk, f"layout char {ch!r} fell to [UNK]"
            assert tok.convert_ids_to_tokens(i) == LAYOUT[ch]
    # tab, newline and space are distinct tokens: the model can tell cells from lines
    assert len({ids[1], ids[3], ids[8]}) == 3


def test_unknown_characters_do_not_shift_offsets(tok) -> None:
    text = "规章龘𠀀0"
    ids = encode(tok, text)
    unk = tok.convert_tokens_to_ids(UNK)
    assert ids[2] == unk and ids[3] == unk
    assert ids[0] != unk and ids[4] != unk and len(ids) == len(text)


def test_save_and_reload_keeps_ids_and_offsets(tok, tmp_path: Path) -> None:
    tok.save_pretrained(str(tmp_path))
    again = load_tokenizer(tmp_path)
    text = "（七）总计\t𠮷\r\n3"
    a = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    b = again(text, add_special_tokens=False, return_offsets_mapping=True)
    assert a["input_ids"] == b["input_ids"] and a["offset_mapping"] == b["offset_mapping"]
    assert is_char_tokenizer(again)


def test_vocab_is_deterministic_and_frequency_ranked() -> None:
    v1, v2 = build_vocab(TRAIN), build_vocab(list(TRAIN))
    assert v1 == v2
    assert v1["总"] < v1["乐"]  # 总 occurs three times, 乐 once


def test_wordpiece_style_tokenizer_is_not_accepted_as_char_tokenizer(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "129": 1}, unk_token="[UNK]"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    assert not is_char_tokenizer(PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="[UNK]"))
