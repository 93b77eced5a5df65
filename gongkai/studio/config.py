"""The Label Studio labeling config, generated from ``gongkai.spans.LABELS`` so the annotation
interface can never drift from the label set the rules, model and post-processor share.

The committed copy lives in ``annotations/labeling_config.xml``; a test checks it equals
``labeling_config()``. Regenerate with ``gongkai studio config -o annotations/labeling_config.xml``.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from gongkai.settings import REPO_ROOT
from gongkai.spans import (
    CELL_LABELS,
    CLAIM_PART_LABELS,
    CLAIM_SUBJECT_LABELS,
    LABELS,
    META_LABELS,
    SECTION_LABELS,
    TABLE_LABELS,
)
from gongkai.template import TEMPLATES

# The names results carry in Label Studio: ``from_name`` of span labels / template choice,
# ``to_name`` of the text. Push writes them, pull reads them.
LABELS_NAME = "label"
TEXT_NAME = "text"
TEMPLATE_NAME = "template"
TEMPLATE_CHOICES = (*TEMPLATES, "unknown")
CONFIG_PATH = REPO_ROOT / "annotations" / "labeling_config.xml"

# One colour family per label group, so an annotator sees the kind of span at a glance.
_GROUP_COLOURS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (tuple(SECTION_LABELS), ("#d62728",)),
    (META_LABELS, ("#9467bd",)),
    (TABLE_LABELS, ("#1f77b4", "#17becf")),
    (CELL_LABELS, ("#2ca02c", "#98df8a")),
    (tuple(CLAIM_SUBJECT_LABELS), ("#ff7f0e", "#ffbb78")),
    (CLAIM_PART_LABELS, ("#8c564b", "#e377c2", "#7f7f7f")),
)


def label_colour(label: str) -> str:
    """Background colour of a label: its group's colour, alternating within the group."""
    for group, colours in _GROUP_COLOURS:
        if label in group:
            return colours[group.index(label) % len(colours)]
    raise ValueError(f"label {label!r} is in no colour group; add it to gongkai.studio.config")


def labeling_config() -> str:
    """The XML config: character-granular span labels over the text, plus the template version."""
    lines = [
        "<View>",
        '  <Header value="$doc_id"/>',
        f'  <Labels name="{LABELS_NAME}" toName="{TEXT_NAME}">',
    ]
    for label in LABELS:
        lines.append(f"    <Label value={quoteattr(label)} background={quoteattr(label_colour(label))}/>")
    lines += [
        "  </Labels>",
        f'  <Text name="{TEXT_NAME}" value="$text" granularity="symbol"/>',
        '  <Header value="Template version (模板版本)"/>',
        f'  <Choices name="{TEMPLATE_NAME}" toName="{TEXT_NAME}" choice="single" showInline="true">',
    ]
    lines += [f"    <Choice value={quoteattr(c)}/>" for c in TEMPLATE_CHOICES]
    lines += ["  </Choices>", "</View>", ""]
    return "\n".join(lines)


def write_config(path: Path = CONFIG_PATH) -> Path:
    """Write the generated config to ``path`` (UTF-8) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(labeling_config(), encoding="utf-8")
    return path
