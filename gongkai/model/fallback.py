"""``auto`` extraction: the model first, the rule labeller per section where the model looks wrong.

A section falls back to rules spans when the model did not find it but rules did, when the model's
section fails more consistency checks (``gongkai.checks``) than the rules' version of it, when the
mean confidence of the model's spans in it is below ``threshold``, when a model value span cuts a run
of digits (``14`` of ``140``), or when the rules read more values from it (table cells, or claims) or
pass more of its checks than the model — the model missed something the rules saw; a table, or a
region's claims, where both are equally consistent and complete but disagree go to rules. A section
only the model found goes when the model is unsure of its heading (a stray ``三`` tagged as 三、…).
A kept section's heading falls back alone when the model read only pieces of the heading the rules
read whole (``六、其他需要报告`` + ``事项`` of ``六、其他需要报告的事项``). Meta labels (ORGAN/YEAR/DATE)
fall back one label at a time by the same confidence test, and also when the model's value does not
parse or the rules print a fuller organ name. The threshold and who wins each kind of tie (tables,
claims, meta: both sides equally consistent and complete, different values) are ``AutoParams``; the
defaults are the values chosen on the 13 documents the rules were written against, except claims
``union``: chosen on the training folds in 10 of 10 fold runs of a leave-documents-out 5-fold over 62
real documents (shipped and per-fold fine-tuned model), leave-out claims F1 0.670 → 0.698 with the
shipped model, fields and meta not lower, the 13 documents still read exactly. ``gongkai evaluate
--folds K`` re-chooses all of them on training folds only and reports the leave-out result. Values keep the ``source`` of the span that
produced them, so provenance says which path gave each value; the report's method is ``model+rules``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from gongkai.schema import Report
from gongkai.spans import CLAIM_PART_LABELS, CLAIM_SUBJECT_LABELS, META_LABELS, SECTION_LABELS, Span
from gongkai.template import SECTION_ORDER

DEFAULT_THRESHOLD = 0.9
SIDES = ("rules", "model")
# a model claim added by claims="union" needs a subject of at least this many characters: a model not
# trained on real prose tags single characters (的, 议 of 行政复议) as subjects with high confidence
MIN_ADDED_SUBJECT = 3


@dataclass(frozen=True)
class AutoParams:
    """``auto``'s tunable choices: the confidence threshold and the winner of each kind of tie."""

    threshold: float = DEFAULT_THRESHOLD
    tables: str = "rules"  # a table section both read as consistently and completely, different values
    # the defaults below are what the training folds of a 5-fold leave-documents-out run over the 62
    # real documents chose most often (README "leave-documents-out"): tables→rules 5/5, claims→rules
    # 4/5 and meta→rules 3/5 with the real-fine-tuned model (5/5, 5/5, 4/5 with the synthetic base)
    claims: str = "rules"  # a narrative region with as many claims read, but not the same ones; "union":
    # that tie goes to rules, and then every claim the other side read where the chosen side read
    # nothing (no span of it there) is added, a model claim only when its confidence passes threshold
    meta: str = "rules"  # ORGAN/YEAR/DATE both read confidently and parseably, different values

    def __post_init__(self) -> None:
        for k in ("tables", "claims", "meta"):
            ok = SIDES + (("union",) if k == "claims" else ())
            if getattr(self, k) not in ok:
                raise ValueError(f"AutoParams.{k} must be one of {ok}, not {getattr(self, k)!r}")

    def to_dict(self) -> dict:
        return asdict(self)


DEFAULT_PARAMS = AutoParams()
SECTION_LABEL = {v: k for k, v in SECTION_LABELS.items()}
META_FIELDS = {"ORGAN": "organ", "YEAR": "report_year", "DATE": "publish_date"}
# check rule prefix -> the section whose spans produce its inputs
CHECK_SECTIONS = {"requests.": "requests", "review_litigation.": "review_litigation",
                  "active_disclosure.": "active_disclosure"}


@dataclass
class Plan:
    """What ``auto`` decided: per section (and meta label) ``model`` or ``rules`` and why."""

    choice: dict[str, str] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)


def _fails(report: Report, section: str) -> int:
    return sum(1 for c in report.checks if c.status == "fail"
               and any(c.rule.startswith(p) and s == section for p, s in CHECK_SECTIONS.items()))


def _passes(report: Report, section: str) -> int:
    return sum(1 for c in report.checks if c.status == "pass"
               and any(c.rule.startswith(p) and s == section for p, s in CHECK_SECTIONS.items()))


_NUMERIC = ("CELL_", "NUM", "YEAR", "SHARE")


def _cuts_a_number(text: str, s: Span) -> bool:
    """A value span that starts or ends inside a run of digits (``14`` of ``140``) is malformed."""
    if not s.label.startswith(_NUMERIC):
        return False
    before = text[s.start - 1] if s.start > 0 else "x"
    after = text[s.end] if s.end < len(text) else "x"
    num = "0123456789."
    return (before in num and s.text[:1] in num) or (after in num and s.text[-1:] in num)


def _regions(report: Report, n: int) -> dict[str, tuple[int, int] | None]:
    """Section ranges of an assembled report, plus ``preamble``: the text before the first section."""
    regs: dict[str, tuple[int, int] | None] = {}
    for key in SECTION_ORDER:
        sec = getattr(report.sections, key)
        regs[key] = (sec.start, sec.end) if sec is not None else None
    starts = [r[0] for r in regs.values() if r is not None]
    first = min(starts) if starts else n
    regs["preamble"] = (0, first) if first > 0 else None
    return regs


def _coverage(report: Report, key: str, reg: tuple[int, int] | None) -> int:
    """How many values the report read from this region: table cells for the table sections,
    claims inside the region otherwise."""
    if key in CHECK_SECTIONS.values():  # template cells only: a row the template lacks (``?…``) is no value
        return sum(1 for k, p in report.provenance.items()
                   if k.startswith(key + ".") and "?" not in k and p.source != "derived")
    return 0 if reg is None else sum(1 for c in report.claims if reg[0] <= c.start < reg[1])


def _inside(s: Span, region: tuple[int, int] | None) -> bool:
    return region is not None and region[0] <= s.start < region[1]


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def _decide(key: str, text: str, m: Report, r: Report, m_reg, r_reg, model_spans: list[Span],
            params: AutoParams) -> str | None:
    """Why this region should come from rules, or None to keep the model's."""
    threshold = params.threshold
    mine = [s for s in model_spans if _inside(s, m_reg) and s.label not in META_LABELS]
    conf = _mean([s.score for s in mine])
    if m_reg is None:
        return "model did not find the section" if r_reg is not None else None
    label = SECTION_LABEL.get(key)
    head = [s for s in model_spans if s.label == label and s.start == m_reg[0]] if label else []
    if r_reg is None and head and head[0].score < threshold:
        return f"model heading {head[0].text!r} has confidence {head[0].score:.3f}; rules see no such section"
    if r_reg is not None and _fails(m, key) > _fails(r, key):
        return f"model fails {_fails(m, key)} checks, rules {_fails(r, key)}"
    if r_reg is not None and _passes(r, key) > _passes(m, key):
        return f"model passes {_passes(m, key)} checks, rules {_passes(r, key)}"
    cut = [s for s in mine if _cuts_a_number(text, s)]
    if cut:
        return f"model value {cut[0].text!r} cuts a number"
    if mine and conf < threshold:
        return f"model confidence {conf:.3f} < {threshold}" + ("" if r_reg else "; rules see no such section")
    if r_reg is not None and _coverage(r, key, r_reg) > _coverage(m, key, m_reg):
        return f"model read {_coverage(m, key, m_reg)} values, rules {_coverage(r, key, r_reg)}"
    if key in CHECK_SECTIONS.values() and r_reg is not None and params.tables == "rules" \
            and _table(m, key) != _table(r, key):
        # equal evidence from checks and coverage, different values: the rules are the more precise
        # reader of formats they know (measured on the shared corpus), so they break the tie
        return "model and rules disagree with equal check and coverage evidence"
    if key not in CHECK_SECTIONS.values() and r_reg is not None and params.claims != "model" \
            and _claims(m, m_reg) != _claims(r, r_reg):
        # the same tie-break for narrative claims: as many claims read, but not the same ones
        return "model and rules read different claims with equal coverage"
    return None


def _claims(report: Report, reg: tuple[int, int] | None) -> list[tuple]:
    """The claims of a region as comparable values (type, value, unit, scope, breakdown, share)."""
    if reg is None:
        return []
    return sorted((c.type, c.value, c.unit or "", c.scope or "", c.breakdown or "", c.share or 0.0)
                  for c in report.claims if reg[0] <= c.start < reg[1])


def _table(report: Report, key: str) -> dict:
    return getattr(report, key).model_dump(exclude_none=True)


def _params(threshold: float | None, params: AutoParams | None) -> AutoParams:
    params = params or DEFAULT_PARAMS
    if threshold is not None and threshold != params.threshold:
        params = AutoParams(threshold, params.tables, params.claims, params.meta)
    return params


def combine_spans(text: str, doc_id: str, model_spans: list[Span], rules_spans: list[Span],
                  threshold: float | None = None, params: AutoParams | None = None,
                  reports: tuple[Report, Report] | None = None) -> tuple[list[Span], Plan]:
    """The spans ``auto`` assembles: model spans with rules spans swapped in where needed.
    ``reports`` = (model-only, rules-only) reports already assembled from these spans (a parameter
    search reuses them)."""
    spans, plan, _, _ = _combine(text, doc_id, model_spans, rules_spans, _params(threshold, params), reports)
    return spans, plan


def _combine(text: str, doc_id: str, model_spans: list[Span], rules_spans: list[Span],
             params: AutoParams, reports: tuple[Report, Report] | None = None
             ) -> tuple[list[Span], Plan, Report, Report]:
    """``combine_spans`` plus the model-only and rules-only reports it assembled on the way."""
    from gongkai.assemble import assemble

    threshold = params.threshold
    if reports is not None:
        m, r = reports
    else:
        m = assemble(text, model_spans, doc_id)
        r = assemble(text, rules_spans, doc_id)
    m_regs, r_regs = _regions(m, len(text)), _regions(r, len(text))
    plan = Plan()
    chosen = list(model_spans)
    for key in (*SECTION_ORDER, "preamble"):
        m_reg, r_reg = m_regs[key], r_regs[key]
        if m_reg is None and r_reg is None:
            continue
        why = _decide(key, text, m, r, m_reg, r_reg, model_spans, params)
        if why is None:
            plan.choice[key], plan.reason[key] = "model", f"{_fails(m, key)} failed checks"
            continue
        plan.choice[key], plan.reason[key] = "rules", why
        incoming = [s for s in rules_spans if _inside(s, r_reg) and s.label not in META_LABELS]
        heading = SECTION_LABEL.get(key)
        chosen = [s for s in chosen if not (s.source == "model" and _inside(s, m_reg) and s.label not in META_LABELS)
                  and not (s.source == "model" and s.label == heading)  # stray pieces of its heading too
                  and not _overlaps_any(s, incoming)]
        chosen += incoming
    for key, choice in plan.choice.items():  # a kept section whose heading an overlapping swap removed
        label = SECTION_LABEL.get(key)
        if choice == "model" and label and not any(s.label == label for s in chosen):
            chosen += [s for s in rules_spans if s.label == label and not _overlaps_any(s, chosen)]
    for key, choice in list(plan.choice.items()):  # a kept section whose heading the model read in pieces
        label = SECTION_LABEL.get(key)
        if choice != "model" or not label:
            continue
        for h in (s for s in rules_spans if s.label == label):
            pieces = [s for s in chosen if s.label == label and s.source == "model"
                      and h.start <= s.start and s.end <= h.end]
            if pieces and sum(s.end - s.start for s in pieces) < h.end - h.start:
                plan.choice[label], plan.reason[label] = "rules", f"rules read the whole heading {h.text!r}"
                chosen = [s for s in chosen if s not in pieces] + [h]
    if params.claims == "union":
        tables = [reg for key in CHECK_SECTIONS.values() for reg in (m_regs[key], r_regs[key]) if reg]
        for source, spans in (("model", model_spans), ("rules", rules_spans)):
            for group in _claim_groups(spans):
                if source == "model" and (_mean([s.score for s in group]) < threshold
                                          or group[0].end - group[0].start < MIN_ADDED_SUBJECT):
                    continue
                if any(_inside(group[0], reg) for reg in tables) or not _fits(group, chosen):
                    continue
                chosen += group
                plan.reason.setdefault("claims added", "")
                plan.reason["claims added"] += f"{source}:{group[0].text!r} "
    for label in META_LABELS:
        mine = [s for s in chosen if s.label == label]
        theirs = [s for s in rules_spans if s.label == label]
        conf = _mean([s.score for s in mine])
        m_val, r_val = getattr(m.meta, META_FIELDS[label]), getattr(r.meta, META_FIELDS[label])
        worse = None
        if mine and m_val is None and r_val is not None:
            worse = "model's value does not parse"
        elif label == "ORGAN" and isinstance(m_val, str) and isinstance(r_val, str) and m_val != r_val \
                and m_val in r_val:
            worse = f"rules print a fuller name ({r_val} ⊃ {m_val})"
        elif params.meta == "rules" and mine and theirs and m_val is not None and r_val is not None \
                and m_val != r_val:
            worse = "model and rules read different values; ties go to rules"
        if theirs and (not mine or conf < threshold or worse):
            why = worse or (f"model confidence {conf:.3f}" if mine else "model missing")
            plan.choice[label], plan.reason[label] = "rules", why
            # a rules meta span never displaces a table or section span it overlaps (an organ named
            # inside a row label's remark, 规章(设区的市、自治州人民政府…)): it is the one left out
            keep = [s for s in chosen if s.label != label]
            fits = [s for s in theirs if not _overlaps_any(s, [c for c in keep if c.label not in META_LABELS])]
            chosen = [s for s in keep if not _overlaps_any(s, fits)] + fits
        elif mine and not theirs and conf < threshold:
            plan.choice[label], plan.reason[label] = "rules", f"model confidence {conf:.3f}; rules see none"
            chosen = [s for s in chosen if s.label != label]
        else:
            plan.choice[label], plan.reason[label] = "model", f"confidence {conf:.3f}"
    return list(dict.fromkeys(chosen)), plan, m, r


def _claim_groups(spans: list[Span]) -> list[list[Span]]:
    """Claims as the assembler pairs them: a subject span, the next NUM, then a UNIT and a SHARE
    right after it if there are."""
    parts = sorted((s for s in spans if s.label in CLAIM_SUBJECT_LABELS or s.label in CLAIM_PART_LABELS),
                   key=lambda s: (s.start, s.end))
    out = []
    for i, s in enumerate(parts):
        if s.label not in CLAIM_SUBJECT_LABELS:
            continue
        group = [s]
        for t in parts[i + 1:]:
            if t.label in CLAIM_SUBJECT_LABELS:
                break
            group.append(t)
            if t.label == "NUM":
                break
        if group[-1].label != "NUM" and not (s.label == "SUBJ_REQUEST" and len(group) == 1):
            continue  # no number (a negated request statement stands alone)
        rest = [t for t in parts if t.start >= group[-1].end][:2]
        for t in rest:
            if t.label in ("UNIT", "SHARE") and not any(g.label == t.label for g in group):
                group.append(t)
            else:
                break
        out.append(group)
    return out


def _fits(group: list[Span], chosen: list[Span]) -> bool:
    """Whether a claim can join the chosen spans without changing how theirs pair: it overlaps none,
    no claim span of theirs lies inside its extent, and the claim span just before it is no subject
    still waiting for its number."""
    a, b = group[0].start, max(s.end for s in group)
    claimish = [s for s in chosen if s.label in CLAIM_SUBJECT_LABELS or s.label in CLAIM_PART_LABELS]
    if any(s.start < b and a < s.end for s in chosen):
        return False
    before = [s for s in claimish if s.end <= a]
    if before and max(before, key=lambda s: (s.end, s.start)).label in CLAIM_SUBJECT_LABELS:
        return False
    return True


def _overlaps_any(s: Span, others: list[Span]) -> bool:
    return any(s.start < o.end and o.start < s.end for o in others)


def combine(text: str, doc_id: str, model_spans: list[Span], threshold: float | None = None,
            params: AutoParams | None = None, rules_spans: list[Span] | None = None,
            reports: tuple[Report, Report] | None = None) -> Report:
    """Assemble the ``auto`` report (method ``model+rules``) from the model's spans and the rules'
    (labelled here unless given, with their reports when a caller already has them)."""
    from gongkai.assemble import assemble
    from gongkai.rules import label_spans

    if rules_spans is None:
        rules_spans = label_spans(text)
    spans, _, m, r = _combine(text, doc_id, model_spans, rules_spans, _params(threshold, params), reports)
    # assemble is deterministic in (text, spans, doc_id): reuse a report already built from these spans
    if spans == model_spans:
        report = m
    elif spans == rules_spans:
        report = r
    else:
        report = assemble(text, spans, doc_id)
    report.method = "model+rules"
    return report
