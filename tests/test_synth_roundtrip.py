"""Round trip: gongkai.assemble on the generator's own spans must give back the generator's
gold (meta, sections, the three tables, claims) and the same check statuses. Disagreement means
one side breaks docs/labels.md or SCHEMA.md."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.assemble import assemble
from gongkai.synth import LAYOUT_NAMES, generate

PER_LAYOUT = 36  # 8 layouts × 36 = 288 documents


def _flat(d, prefix: str = "") -> dict:
    out: dict = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}{k}."))
    elif d is not None:
        out[prefix[:-1]] = d
    return out


def comparable(report: dict) -> dict:
    """Non-null leaves of the parts a generator knows exactly (absent and null are the same)."""
    out = {}
    for key in ("meta", "sections", "active_disclosure", "requests", "review_litigation"):
        out.update(_flat(report.get(key), key + "."))
    for i, claim in enumerate(report.get("claims", [])):
        out.update(_flat(claim, f"claims.{i}."))
    return out


def diff(gold: dict, pred: dict) -> list[tuple[str, object, object]]:
    g, p = comparable(gold), comparable(pred)
    return [(k, g.get(k), p.get(k)) for k in sorted(set(g) | set(p)) if g.get(k) != p.get(k)]


@pytest.fixture(scope="module")
def docs():
    out = []
    for i, name in enumerate(LAYOUT_NAMES):
        # traditional characters are tested on their own below
        out += generate(PER_LAYOUT, seed=100 + i, layout=name, traditional=0, inconsistent=0.3)
    return out


def test_round_trip_reproduces_gold_on_every_layout(docs) -> None:
    assert len(docs) >= 200 and {d.layout for d in docs} == set(LAYOUT_NAMES)
    failures = {}
    for d in docs:
        report = assemble(d.text, d.spans, d.doc_id).to_json_dict()
        bad = diff(d.gold, report)
        if bad:
            failures[d.doc_id] = (d.layout, d.gold["_synth"]["noise"], bad[:4])
    assert not failures, f"{len(failures)} of {len(docs)} differ, e.g. {list(failures.items())[:3]}"


def test_round_trip_check_statuses_agree(docs) -> None:
    disagree = Counter()
    fails = 0
    for d in docs:
        theirs = {c.rule: c.status for c in assemble(d.text, d.spans, d.doc_id).checks}
        for c in d.gold["_checks"]:
            fails += c["status"] == "fail"
            if theirs.get(c["rule"], "skipped") != c["status"]:  # a rule left out counts as skipped
                disagree[(c["rule"], c["status"], theirs.get(c["rule"]))] += 1
    assert fails > 20, "the sample must contain deliberate inconsistencies"
    assert not disagree, disagree.most_common(5)


def test_round_trip_on_traditional_characters() -> None:
    """Traditional noise on every document (with its Kangxi radicals and pinyin glosses at their
    rates): assemble matches words in simplified form and keeps the printed characters."""
    docs = []
    for i, name in enumerate(LAYOUT_NAMES):
        docs += generate(PER_LAYOUT, seed=700 + i, layout=name, traditional=1)
    assert len(docs) >= 200 and all("traditional" in d.gold["_synth"]["noise"] for d in docs)
    assert sum("pinyin_gloss" in d.gold["_synth"]["noise"] for d in docs) > 20
    bad = {d.doc_id: diff(d.gold, assemble(d.text, d.spans, d.doc_id).to_json_dict())[:3] for d in docs}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"{len(bad)} of {len(docs)} differ, e.g. {list(bad.items())[:3]}"


@pytest.mark.parametrize("feature", ["misaligned_tabs", "ragged_tabs"])
def test_round_trip_on_tab_printings(feature: str) -> None:
    """Tab printings that are features, not layouts (seed 002): forced on every document."""
    docs = generate(PER_LAYOUT, seed=900, layout="tab", traditional=0, **{feature: 1.0})
    bad = {d.doc_id: diff(d.gold, assemble(d.text, d.spans, d.doc_id).to_json_dict())[:3] for d in docs}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"{len(bad)} of {len(docs)} differ, e.g. {list(bad.items())[:3]}"
