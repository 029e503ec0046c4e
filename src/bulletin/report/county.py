"""What only a county edition says (``pipeline.py run --per-region``).

The county's own figures lead; the city's figures and the other regions are the
context: its light and rank in words, its rates beside the city's with its rank, the
tiers where it is below the city, its own ledger rows to fix. Everything the city's
bulletin and a county's say alike is in :mod:`bulletin.report.sentences`.
"""

from __future__ import annotations

from bulletin.contract import CITY
from bulletin.report import format as fmt
from bulletin.report import missing
from bulletin.report.document import Paragraph, Table
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, place, sentence, tier_name
from bulletin.report.lights import behind
from bulletin.report.sentences import (
    PROBLEM_TITLES,
    RATES,
    lead_text,
    not_started_sentence,
    pct_item,
    problem_paragraphs,
    ranked,
    rate_problem,
    shown_pct,
    tier_clauses,
)
from bulletin.report.tables import QUALITY_COUNTS, quality_counts


def rank_among(ed: Edition, indicator: str) -> tuple[int, int] | None:
    """(rank, out of) of the county by a rate as shown (highest first; ties share a rank)
    among the regions that have the rate; None when the county has none."""
    vals = {r: ed.num(r, indicator) for r in ed.data.regions}
    vals = {r: shown_pct(v) for r, v in vals.items() if v is not None}
    if ed.region not in vals:
        return None
    mine = vals[ed.region]
    return 1 + sum(1 for v in vals.values() if v > mine), len(vals)


def signed_rank(ed: Edition) -> tuple[int, int] | None:
    """The county's rank by completion of its signing target (indicators.csv), of how many."""
    rank = ed.num(ed.region, "signed_completion_rank")
    order = ranked(ed)
    if rank is None or ed.region not in order:
        return None
    return int(rank), len(order)


def rank_text(ed: Edition, rank: tuple[int, int]) -> str:
    """在全市8个县区中居第2位; when counties are not ranked (not reported, no target),
    the count says it is of the ranked ones (在参与排名的6个县区中)."""
    key = "lead.rank" if rank[1] >= len(ed.data.regions) else "lead.rank_ranked"
    return label(key, ed.lang, rank=rank[0], n=rank[1])


def light_rank_clause(ed: Edition) -> str:
    """亮绿灯，在全市8个县区中居第2位 ('' without target)."""
    lang = ed.lang
    parts = []
    key = fmt.light_key(ed.value(ed.region, "signed_light"))
    if key:
        parts.append(label("lead.light", lang, light=fmt.light_word(key, lang)))
    rank = signed_rank(ed)
    if rank:
        parts.append(rank_text(ed, rank))
    return label("p.comma", lang).join(parts)


def county_lead_text(ed: Edition) -> str:
    """The opening paragraph of a county edition: its figures, light and rank; a county
    that did not report a ledger (or whose file could not be read) says so first, and
    its figures of that ledger are not there."""
    span = fmt.period_span(ed.data.period, ed.lang)
    prefix = label("lead.prefix_region", ed.lang, span=span, region=ed.name(ed.region))
    figures = lead_text(ed, prefix, light_rank_clause(ed))
    status = missing.county_lead(ed)
    if not status:
        return figures
    return status + ("" if figures == label("lead.no_data", ed.lang) else label("p.space", ed.lang) + figures)


# --------------------------------------------------------------------------- 二
def signings_text(ed: Edition) -> str:
    """Section 二 of a county edition: the county's signings, its share of the city's,
    its completion, rank and light; then the city's completion and leaders."""
    lang, r = ed.lang, ed.region
    name = ed.name(r)
    comma = label("p.comma", lang)
    if ed.value(r, "signed_amount") is None and ed.value(r, "signed_projects") is None:
        return sentence([missing.ledger_text(ed, r, "signings") or label("rsig.none", lang, region=name)], lang)
    out = []
    if ed.num(r, "signed_projects") == 0:
        first = label("rsig.no_signings", lang, region=name)
    else:
        first = label(
            "rsig.signed",
            lang,
            region=name,
            projects=fmt.count(ed.value(r, "signed_projects")),
            amount=fmt.money(ed.value(r, "signed_amount"), lang),
        )
        city_amount, amount = ed.num(CITY, "signed_amount"), ed.num(r, "signed_amount")
        if city_amount and amount is not None:
            first += comma + label("rsig.share", lang, share=fmt.pct(amount / city_amount))
    clauses = [first]
    rank = signed_rank(ed)
    completion = ed.value(r, "signed_amount_completion")
    if completion is None or not ed.num(r, "signed_amount_target"):
        clauses.append(label("rsig.no_target", lang))
    else:
        clause = label("rsig.completion", lang, completion=fmt.pct(completion))
        if rank:
            clause += comma + rank_text(ed, rank)
        key = fmt.light_key(ed.value(r, "signed_light"))
        if key:
            clause += comma + label("lead.light", lang, light=fmt.light_word(key, lang))
        clauses.append(clause)
    out.append(sentence(clauses, lang, sep="p.semi"))
    city = ed.value(CITY, "signed_amount_completion")
    if city is not None and ed.num(CITY, "signed_amount_target"):
        progress = ed.data.time_progress
        context = [label("rsig.city", lang, completion=fmt.pct(city), progress=fmt.pct(progress))]
        order = ranked(ed)
        if len(order) >= 2:
            top = order[: 3 if len(order) >= 6 else 1]
            items = join([pct_item(ed, x, ed.value(x, "signed_amount_completion")) for x in top], lang)
            context.append(label("sig.top", lang, items=items))
        out.append(sentence(context, lang))
    return "".join(out).strip()


# --------------------------------------------------------------------------- 三
def compared(ed: Edition, tier: str, what: str) -> str:
    """A county's rate with the city's and its rank: 75.0%（全市78.7%，居8个县区第3位）."""
    lang = ed.lang
    mine = ed.value(ed.region, f"{tier}_{what}")
    text = fmt.pct(mine)
    city = ed.value(CITY, f"{tier}_{what}")
    if mine is None or city is None:
        return text
    rank = rank_among(ed, f"{tier}_{what}")
    if rank and rank[1] > 1:
        return text + label("rprj.compare_rank", lang, city=fmt.pct(city), rank=rank[0], n=rank[1])
    return text + label("rprj.compare", lang, city=fmt.pct(city))


def tier_text(ed: Edition, tier: str, not_started_table: Table | None = None) -> str:
    """The paragraph of one tier in section 三 of a county edition: the county's
    projects, start, investment and in-statistics rates against the city's, with ranks."""
    lang, r = ed.lang, ed.region
    name, region = tier_name(tier, lang), ed.name(r)
    n = ed.num(r, f"{tier}_projects")
    if n is None and missing.ledger_text(ed, r, "projects"):
        return sentence([missing.ledger_text(ed, r, "projects")], lang)
    if not n:
        return label("rprj.none", lang, tier=name, region=region).strip()
    v = lambda ind: ed.value(r, f"{tier}_{ind}")  # noqa: E731
    no_status = missing.lacked(ed, r, f"{tier}_started", "projects")
    if no_status:  # the ledger has no status column (SPEC §12)
        clauses = [label("rprj.count_no_status", lang, region=region, tier=name, n=fmt.count(n), column=no_status)]
    else:
        clauses = [
            label(
                "rprj.count",
                lang,
                region=region,
                tier=name,
                n=fmt.count(n),
                started=fmt.count(v("started")),
                rate=compared(ed, tier, "start_rate"),
            )
        ]
    clauses += tier_clauses(ed, tier, lambda what: compared(ed, tier, what))
    out = [sentence(clauses, lang, sep="p.semi"), not_started_sentence(ed, tier, n, not_started_table)]
    return "".join(out).strip()


# --------------------------------------------------------------------------- 四
def below_city_sentence(ed: Edition, what: str, tiers: list[tuple[str, float]]) -> str:
    """The county's tiers whose rate (as shown) is below the city's."""
    lang = ed.lang
    items = []
    for t, v in tiers:
        city = ed.num(CITY, f"{t}_{what}")
        if city is not None and shown_pct(v) < shown_pct(city):
            value = label("rprob.city_value", lang, rate=fmt.pct(city))
            items.append(label("p.item", lang, name=tier_name(t, lang), value=value))
    return sentence([label("rprob.below_city", lang, items=join(items, lang))], lang) if items else ""


def county_rate_problem(ed: Edition, what: str) -> tuple[str, str] | None:
    found = rate_problem(ed, what)
    if found is None:
        return None
    body, tiers, _ = found
    return label(PROBLEM_TITLES[what], ed.lang), body + below_city_sentence(ed, what, tiers)


def lag_problem(ed: Edition) -> tuple[str, str] | None:
    """签约进度滞后: the county is on a lagging light (yellow or red by default), or it
    has no signing yet."""
    lang, r = ed.lang, ed.region
    if ed.num(r, "signed_projects") == 0:
        return label("rprob.lag.title", lang), sentence([label("rprob.lag.none", lang)], lang)
    key = fmt.light_key(ed.value(r, "signed_light"))
    completion = ed.value(r, "signed_amount_completion")
    if not behind(ed.data.definitions, key) or completion is None:
        return None
    progress = ed.data.time_progress
    gap = shown_pct(progress) - shown_pct(completion)
    clauses = [
        label(
            "rprob.lag",
            lang,
            completion=fmt.pct(completion),
            progress=fmt.pct(progress),
            gap=f"{gap:f}",
            light=fmt.light_word(key, lang),
        )
    ]
    rank = signed_rank(ed)
    if rank:
        clauses.append(label("lead.rank", lang, rank=rank[0], n=rank[1]))
    return label("rprob.lag.title", lang), sentence(clauses, lang)


def quality_problem(ed: Edition, findings: Table | None) -> tuple[str, str, bool] | None:
    """The county's data quality: its rows read and rejected, its open findings and
    where they are listed (``findings``: its table of rows to fix)."""
    lang = ed.lang
    counts = quality_counts(ed.data)
    if counts is None:
        return None
    mine = counts[counts["region"] == ed.region]
    rec = mine.iloc[0].to_dict() if not mine.empty else dict.fromkeys(QUALITY_COUNTS, 0)
    rows, rejected = int(rec["rows_read"]), int(rec["rejected_rows"])
    if not rows and missing.county_lead(ed):
        return None  # nothing read: nothing to say of its quality (its problem is the missing ledger)
    clauses = []
    if ed.data.accounting is not None:
        clauses.append(label("prob.quality.rows", lang, rows=rows, rejected=rejected))
    parts = []
    if rec["errors"]:
        parts.append(label("prob.quality.errors", lang, n=int(rec["errors"])))
    if rec["warnings"]:
        parts.append(label("prob.quality.warnings", lang, n=int(rec["warnings"])))
    if parts:
        counts_text = label("p.list", lang).join(parts)
        clauses.append(
            label("rprob.quality.open", lang, counts=counts_text, table=findings.number)
            if findings is not None
            else counts_text
        )
    else:
        clauses.append(label("rprob.quality.no_open", lang))
    bad = bool(parts or rejected)
    title_key = "prob.quality.title" if bad else "prob.quality.clean"
    return label(title_key, lang), sentence(clauses, lang, sep="p.semi"), bad


def county_problems(ed: Edition, findings: Table | None) -> list[Paragraph]:
    """A county's section 四: its signing lag, its rates (against the city's), its data
    quality."""
    items = [missing.problem(ed), lag_problem(ed), *[county_rate_problem(ed, what) for what in RATES]]
    return problem_paragraphs(ed, items, quality_problem(ed, findings))


def edition_line(ed: Edition) -> str:
    """本通报为双鸭山市通报的宝清县版，…"""
    return label("rsrc.edition", ed.lang, city=place(ed.data.city, ed.lang), region=ed.name(ed.region))
