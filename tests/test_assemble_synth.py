"""The seam between the generator and the post-processor: assembling a synthetic report from its
own exact spans must reproduce its gold (tables, meta, sections exactly; claims nearly)."""

from __future__ import annotations

import pytest

from gongkai.assemble import assemble
from gongkai.scoring import CorpusScore, score_pair
from gongkai.synth import generate


@pytest.fixture(scope="module")
def scored() -> CorpusScore:
    docs = generate(24, seed=11)
    assert len({d.layout for d in docs}) >= 3  # several table layouts are exercised
    return CorpusScore([score_pair(d.gold, assemble(d.text, d.spans, d.doc_id).to_json_dict()) for d in docs])


def test_tables_meta_sections_reproduce_gold(scored: CorpusScore) -> None:
    m = scored.metrics()
    misses = [(d.doc_id, x.path, x.gold, x.pred) for d in scored.docs for x in d.misses if "claim" not in x.kind]
    assert m["cell_accuracy"] == 1.0 and m["meta_accuracy"] == 1.0 and m["section_accuracy"] == 1.0, misses[:5]
    assert scored.counts.cells > 24 * 20  # the reports really have tables


def test_claims_reproduce_gold(scored: CorpusScore) -> None:
    assert scored.metrics()["claims_f1"] >= 0.95
