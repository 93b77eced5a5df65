"""Speed work that must not change results: the linear ``_dedupe`` keeps exactly what the pairwise
rule kept, and the shared normalisation returns the same view for the same document."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.normalise import normalise
from gongkai.rules import _dedupe
from gongkai.spans import Span, sort_spans


def _pairwise(spans: list[Span]) -> list[Span]:
    """The original quadratic rule: drop a span overlapping an earlier kept one of its label."""
    out: list[Span] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for s in sort_spans(spans):
        mine = taken.setdefault(s.label, [])
        if any(s.start < e and b < s.end for b, e in mine):
            continue
        mine.append((s.start, s.end))
        out.append(s)
    return out


_span = st.builds(
    lambda label, start, width: Span(label, start, start + width, "数" * width),
    st.sampled_from(["NUM", "ROW", "CELL_1"]), st.integers(0, 60), st.sampled_from([0, 1, 1, 2, 3, 5, 11]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_span, max_size=40))
def test_linear_dedupe_keeps_what_the_pairwise_rule_keeps(spans: list[Span]) -> None:
    assert _dedupe(spans) == _pairwise(spans)


def test_dedupe_is_linear_on_many_spans_of_one_label() -> None:
    # 60k adjacent NUM spans plus their repeats: the pairwise rule would make ~1.8e9 comparisons
    spans = [Span("NUM", 2 * i, 2 * i + 1, "1") for i in range(60_000)] * 2
    kept = _dedupe(spans)
    assert len(kept) == 60_000 and kept[-1].start == 119_998


def test_a_document_is_normalised_once_and_the_view_is_shared() -> None:
    doc = "某某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + "本年度共收到申请１２件。\r\n" * 40
    first = normalise(doc)
    again = normalise("".join(list(doc)))  # an equal string built separately
    assert again is first
    assert first.text.count("12件。\n") == 40 and first.to_raw(0, 2) == (0, 2)
    short = normalise("（三）不予公開")
    assert short is normalise("（三）不予公開") and short.text == "(三)不予公开"
