"""Layout feature for the model: which value slot (table column) each character sits in.

Why: the hardest thing for a small character model is counting — "the 13th number after the row
label" in a one-line review table, or the 5th value of a table printed one cell per line with
blank cells as empty lines. Counting is easy to do exactly in code and costs nothing, so the model
gets it as an input (``token_type_ids``) and only has to learn what the count means in context.

Two ways of counting, chosen per line:

- A line that holds a lone value (``0``, `` 12 ``, ``5 |``) is one cell of a table printed one cell
  per line: its slot is the number of line breaks since the last line with a label on it (or the
  last ``||`` row end), in units of the document's line spacing (2 when a blank line follows nearly
  every line), so blank cells, printed as empty lines, still advance the column. Where the row's
  cells are closed or separated by ``|`` (``5 |`` lines, or a lone ``|`` line between cells) the
  slot is the number of pipes since the label (a ``||`` row end counts as the first), the field
  count the rule labeller aligns with the template (``gongkai.rules.grid``).
- Any other line counts along the line, restarting at 0 at the line start and on every label
  character (any character that is not part of a value, a separator or white space). A separator
  (``|`` or tab) opens the next slot, and a value run (digits, ``.``, ``%``, ``-``, ``/``, ``无``) that no
  separator opened takes the next slot itself, so an empty cell between two separators advances the
  count as it advances the column. A line that starts with a tab starts in slot 1 (an empty first
  field); a leading ``|`` is a border.

Every character gets its slot, capped at ``MAX_SLOT``; labels get 0. One id per character, so
offsets are unchanged.
"""

from __future__ import annotations

MAX_SLOT = 31
TYPE_VOCAB = MAX_SLOT + 1
_VALUE = frozenset("0123456789.%-—–/无")
_SEPARATOR = frozenset("|\t")
_SPACE = frozenset(" \r\u3000\xa0\f\v")


_NOT_LABEL = _VALUE | _SEPARATOR | _SPACE | {"\n"}
_COUNTED = _VALUE | _SEPARATOR  # a line without these is all slot 0


def _is_label(ch: str) -> bool:
    return ch not in _NOT_LABEL


def _runs(line: str) -> int:
    """Number of value runs in a line."""
    n, inside = 0, False
    for ch in line:
        if ch in _VALUE:
            n += not inside
            inside = True
        else:
            inside = False
    return n


def _spacing(lines: list[str]) -> int:
    """2 when a blank line follows nearly every non-blank line (PDF and web copies), else 1."""
    filled = [i for i, ln in enumerate(lines[:-1]) if ln.strip()]
    if len(filled) < 4:
        return 1
    followed = sum(1 for i in filled if not lines[i + 1].strip())
    return 2 if followed >= 0.8 * len(filled) else 1


def slot_ids(text: str) -> list[int]:
    """The slot of every character of (normalised) ``text``."""
    lines = text.split("\n")
    spacing = _spacing(lines)
    out: list[int] = []
    since_label: int | None = None  # line breaks since the last line with a label character
    pipes = 0  # ``|`` since then: in a row whose cells are closed or separated by pipes, the column
    piped = False
    for n, line in enumerate(lines):
        if n:
            out.append(0)  # the line break itself
            if since_label is not None:
                since_label += 1
        chars = set(line)
        has_label = not chars <= _NOT_LABEL
        seps = line.count("|") + line.count("\t")
        if not has_label and _runs(line) == 1 and seps <= 1 and line.strip()[:1] in _VALUE:
            if piped:  # the same count as the rules' row alignment (gongkai.rules.grid)
                slot = max(1, pipes)
            else:
                slot = max(1, round(since_label / spacing)) if since_label is not None else 1
            out.extend([min(slot, MAX_SLOT)] * len(line))
            pipes += line.count("|")
            continue
        out.extend(_along(line) if chars & _COUNTED else [0] * len(line))
        if has_label:
            last = next(i for i in range(len(line) - 1, -1, -1) if line[i] not in _NOT_LABEL)
            since_label, pipes = 0, line.count("|", last)
            piped = pipes > 0
        elif seps >= 2 and not line.strip(" |\t\r"):
            since_label, pipes, piped = 0, 1, "|" in line  # a row-end line of bare separators (``||``)
        else:
            pipes += line.count("|")
            piped = piped or "|" in line
    return out


def _along(line: str) -> list[int]:
    """Slots counted along one line."""
    out: list[int] = []
    slot, open_slot, in_value = 0, False, False
    if line.lstrip(" ").startswith("\t"):
        slot, open_slot = 1, True
    for ch in line:
        if ch in _VALUE:
            if not in_value:
                if not open_slot:
                    slot += 1
                open_slot, in_value = False, True
        elif ch in _SEPARATOR:
            slot, open_slot, in_value = slot + 1, True, False
        elif ch in _SPACE:
            in_value = False
        else:
            slot, open_slot, in_value = 0, False, False
        out.append(min(slot, MAX_SLOT))
    return out


def uses_slots(config) -> bool:  # noqa: ANN001 - a transformers PretrainedConfig
    """True when a model was trained with this feature (its config says so)."""
    return bool(getattr(config, "gongkai_slots", False))
