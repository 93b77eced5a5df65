"""Layout feature for the model: which value slot of its table row each character sits in.

Why: the hardest thing for a small character model is counting — "the 13th number after the row
label" in a one-line review table, or the 5th value in a table printed one cell per line with ragged
spacing. Counting is easy to do exactly in code and costs nothing, so the model gets it as an input
(``token_type_ids``) and only has to learn what the count means in context.

The count restarts at 0 on every label character (any character that is not part of a value, a
separator or white space). After that, a separator (``|`` or tab) opens the next slot, and a value run
(digits, ``.``, ``%``, ``-``, ``无``) that no separator opened takes the next slot itself; an empty
cell between two separators therefore still advances the count, as it advances the column. Every
character gets the current count, capped at ``MAX_SLOT``. One id per character, so offsets are
unchanged.
"""

from __future__ import annotations

MAX_SLOT = 31
TYPE_VOCAB = MAX_SLOT + 1
_VALUE = frozenset("0123456789.%-—–无")
_SEPARATOR = frozenset("|\t")
_SPACE = frozenset(" \n\r\u3000\xa0\f\v")


def slot_ids(text: str) -> list[int]:
    """The slot of every character of (normalised) ``text``."""
    out: list[int] = []
    slot = 0
    open_slot = False  # a separator opened the current slot and no value has filled it yet
    in_value = False
    for ch in text:
        if ch in _VALUE:
            if not in_value:
                if not open_slot:
                    slot += 1
                open_slot = False
                in_value = True
        elif ch in _SEPARATOR:
            slot += 1
            open_slot = True
            in_value = False
        elif ch in _SPACE:
            in_value = False
        else:
            slot, open_slot, in_value = 0, False, False
        out.append(min(slot, MAX_SLOT))
    return out


def uses_slots(config) -> bool:  # noqa: ANN001 - a transformers PretrainedConfig
    """True when a model was trained with this feature (its config says so)."""
    return bool(getattr(config, "gongkai_slots", False))
