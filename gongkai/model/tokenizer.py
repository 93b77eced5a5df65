"""Character-level tokeniser with exact offsets: one token per character of the normalised text.

Why characters: table cells, row labels and claim numbers are a few characters long and their
boundaries rarely coincide with word pieces (WordPiece even merges digit runs). Layout characters
carry meaning (a tab or newline separates cells), so they are explicit tokens, not dropped: the
tokenizer's normaliser maps each one to a single "control picture" character (tab → ␉, newline → ␤,
space-like → ␠, carriage return → ␍). A one-to-one replacement keeps every offset unchanged, and an
unknown character becomes one ``[UNK]`` token at its own offset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

PAD, UNK = "[PAD]", "[UNK]"
SPECIALS = (PAD, UNK, "[CLS]", "[SEP]", "[MASK]")
# layout character -> the single printable token character it becomes (names in brackets for the card)
LAYOUT = {"\t": "␉", "\n": "␤", "\r": "␍", " ": "␠", "\u3000": "␠", "\xa0": "␠", "\f": "␤", "\v": "␤"}
LAYOUT_NAMES = {"␉": "[TAB]", "␤": "[NL]", "␍": "[CR]", "␠": "[SP]"}


def token_char(ch: str) -> str:
    """The vocabulary entry one character of text maps to."""
    return LAYOUT.get(ch, ch)


def build_vocab(texts: Iterable[str], min_count: int = 1, max_size: int | None = None) -> dict[str, int]:
    """Vocabulary from training texts: specials, the layout tokens, then characters by frequency
    (ties by code point, so the same texts always give the same ids)."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(token_char(c) for c in t)
    vocab = {tok: i for i, tok in enumerate(SPECIALS)}
    for tok in sorted(set(LAYOUT.values())):
        vocab.setdefault(tok, len(vocab))
    ranked = sorted((c for c, n in counts.items() if n >= min_count), key=lambda c: (-counts[c], c))
    for c in ranked:
        if max_size is not None and len(vocab) >= max_size:
            break
        vocab.setdefault(c, len(vocab))
    return vocab


def make_tokenizer(vocab: dict[str, int]):
    """Wrap a character vocabulary in a ``PreTrainedTokenizerFast`` (saves and reloads with
    ``save_pretrained``/``AutoTokenizer.from_pretrained``)."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.WordLevel(vocab=dict(vocab), unk_token=UNK))
    tk.normalizer = normalizers.Sequence([normalizers.Replace(k, v) for k, v in LAYOUT.items()])
    # Oniguruma: (?m) lets "." match a newline too, so every character is its own pre-token.
    tk.pre_tokenizer = pre_tokenizers.Split(Regex("(?m)."), behavior="isolated")
    return PreTrainedTokenizerFast(
        tokenizer_object=tk,
        unk_token=UNK,
        pad_token=PAD,
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=1_000_000_000,
    )


def load_tokenizer(path: str | Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path))


class CharTable:
    """The vocabulary of a tokenizer ``make_tokenizer`` built, as a plain character → id table.

    Why: encoding is then one dictionary look-up per character (~50x faster than the tokenizers
    pipeline of replace → split every character → look up) and needs neither transformers nor
    tokenizers. Only for tokenizers whose pipeline is exactly ours (``from_file`` checks that);
    it also never turns a literal ``[UNK]`` in a report into one special token."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.unk_id = vocab[UNK]
        self.pad_id = vocab.get(PAD, 0)
        self.table = dict(vocab)
        for ch, rep in LAYOUT.items():
            self.table[ch] = vocab.get(rep, self.unk_id)

    @classmethod
    def from_file(cls, path: str | Path) -> CharTable | None:
        """The table of ``path`` (a tokenizer.json), or None when its pipeline is not ours."""
        import json

        try:
            d = json.loads(Path(path).read_text(encoding="utf-8"))
            norm, pre, model = d["normalizer"], d["pre_tokenizer"], d["model"]
            replaces = [(n["pattern"]["String"], n["content"]) for n in norm["normalizers"]]
            ours = (norm["type"] == "Sequence" and all(n["type"] == "Replace" for n in norm["normalizers"])
                    and replaces == list(LAYOUT.items())
                    and pre == {"type": "Split", "pattern": {"Regex": "(?m)."}, "behavior": "Isolated",
                                "invert": False}
                    and model["type"] == "WordLevel" and model.get("unk_token") == UNK)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(dict(model["vocab"])) if ours else None

    def encode(self, text: str) -> list[int]:
        get, unk = self.table.get, self.unk_id
        return [get(c, unk) for c in text]


def is_char_tokenizer(tok) -> bool:
    """True when ``tok`` gives exactly one token per character (checked on a probe with layout,
    digits, CJK and an astral-plane character) — the condition for reusing a base model's vocab."""
    probe = "中文\t12 3\r\n𠀀。x"
    try:
        enc = tok(probe, add_special_tokens=False, return_offsets_mapping=True)
    except Exception:  # noqa: BLE001 - any tokenizer that cannot do this is not a char tokenizer
        return False
    return list(enc["offset_mapping"]) == [(i, i + 1) for i in range(len(probe))]


def encode(tok, text: str) -> list[int]:
    """Token ids of ``text``, exactly one per character (raises if the tokenizer breaks that)."""
    if not text:
        return []
    if isinstance(tok, CharTable):
        return tok.encode(text)
    from tokenizers import Tokenizer

    if isinstance(tok, Tokenizer):  # the bare tokenizer (ONNX path: no transformers import)
        ids = tok.encode(text, add_special_tokens=False).ids
    else:
        ids = tok(text, add_special_tokens=False)["input_ids"]
    if len(ids) != len(text):
        raise ValueError(f"tokenizer gave {len(ids)} tokens for {len(text)} characters")
    return list(ids)
