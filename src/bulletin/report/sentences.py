"""The bulletin's sentences: figures → the words of the wording files (:mod:`bulletin.report.labels`).

Every function takes the :class:`~bulletin.report.edition.Edition` and returns plain
text (never HTML); every figure goes through :mod:`bulletin.report.format`. Sentences
about the edition's subject (全市, or the county of a county edition) are shared; the
city's comparisons of the regions are here too, the county's own in
:mod:`bulletin.report.county`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bulletin.contract import CITY, TIERS
from bulletin.definitions import describe_bands
from bulletin.report import compare, missing, yoy
from bulletin.report import format as fmt
from bulletin.report.document import Paragraph, Table
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, sentence, tier_name
from bulletin.report.lights import behind, range_text
from bulletin.report.tables import quality_counts, sheets_of

RATES = ("start_rate", "investment_rate", "in_statistics_rate")


def pct_item(ed: Edition, region: str, value) -> str:
    """宝清县（123.4%）"""
    return label("p.item", ed.lang, name=ed.name(region), value=fmt.pct(value))


def completion_items(ed: Edition, regions: list[str]) -> str:
    """The regions with their completion rates: 宝清县（123.4%）、饶河县（99.0%）."""
    return join([pct_item(ed, r, ed.value(r, "signed_amount_completion")) for r in regions], ed.lang)


def shown_pct(value) -> Decimal:
    """A rate as the reader sees it, in percent (for comparisons that agree with the text)."""
    return Decimal(fmt.pct_number(value))


# --------------------------------------------------------------------------- title
def title_text(ed: Edition) -> str:
    """The bulletin's title, e.g. 双鸭山市2020年上半年招商引资和项目建设情况通报."""
    return label(
        "doc.title",
        ed.lang,
        city=ed.name(ed.region or ed.data.city),
        period=fmt.period_label(ed.data.period, ed.lang),
    )


def subtitle_text(ed: Edition) -> str:
    """统计期间：2020年1月1日至2020年6月30日（年初至本月末累计）"""
    data = ed.data
    start = fmt.date_text(date(data.year, 1, 1), ed.lang)
    end = fmt.date_text(data.period_end, ed.lang)
    return label("doc.subtitle", ed.lang, start=start, end=end)


# --------------------------------------------------------------------------- 一、总体情况
def completion_clause(ed: Edition, scope: str = "") -> str:
    """The completion against the annual target; ``scope`` (the city's, when counties'
    signings are missing) follows the rate it qualifies."""
    lang, s = ed.lang, ed.subject
    completion = ed.num(s, "signed_amount_completion")
    target = ed.num(s, "signed_amount_target")
    if completion is None or not target:
        return label("lead.no_target", lang)
    progress = ed.data.time_progress
    done, prog = fmt.pct(completion) + scope, fmt.pct(progress)
    # compare the figures as printed, so the sentence agrees with its own numbers
    done_d, prog_d = shown_pct(completion), shown_pct(progress)
    if done_d >= 100:
        return label("lead.completion_over", lang, completion=done, progress=prog)
    if done_d >= prog_d:
        return label("lead.completion_ahead", lang, completion=done, progress=prog)
    return label("lead.completion_behind", lang, completion=done, progress=prog, gap=f"{prog_d - done_d:f}")


def no_column_clause(ed: Edition, tier: str, what: str, name: str = "") -> str:
    """开复工率暂不计算（台账缺少“开复工情况”列）: the subject's ``what`` rate of ``tier``
    is missing because its ledger lacks the column ('' : it is not); ``name``: the
    tier's name, when the clause opens with it."""
    column = missing.lacked(ed, ed.subject, f"{tier}_{what}", "projects")
    if not column:
        return ""
    tier = name + label("p.space", ed.lang) if name else ""
    return label("lead.tier_no_column", ed.lang, tier=tier, what=label(f"prj.what.{what}", ed.lang), column=column)


def tier_clause(ed: Edition, tier: str) -> str:
    lang, s = ed.lang, ed.subject
    name = tier_name(tier, lang)
    if not ed.num(s, f"{tier}_projects"):
        return label("lead.tier_no_projects", lang, tier=name)
    out = no_column_clause(ed, tier, "start_rate", name) or label(
        "lead.tier_start", lang, tier=name, rate=fmt.pct(ed.num(s, f"{tier}_start_rate"))
    )
    inv = ed.num(s, f"{tier}_investment_rate")
    comma = label("p.comma", lang)
    if inv is None:
        return out + comma + (no_column_clause(ed, tier, "investment_rate") or label("lead.tier_no_plan", lang))
    return out + comma + label("lead.tier_invest", lang, rate=fmt.pct(inv))


def key_projects_sentence(ed: Edition) -> str:
    lang, s = ed.lang, ed.subject
    comma = label("p.comma", lang)
    pair = ("provincial_key", "municipal_key")
    if not any(ed.data.has(f"{t}_projects") for t in TIERS) or missing.ledger_text(ed, s, "projects"):
        return ""  # (a county that did not report its key projects: its lead says so)
    complete = all(ed.num(s, f"{t}_projects") and ed.num(s, f"{t}_start_rate") is not None for t in pair)
    parts = []
    if complete:
        text = label(
            "lead.key_pair_start",
            lang,
            p=fmt.pct(ed.num(s, "provincial_key_start_rate")),
            m=fmt.pct(ed.num(s, "municipal_key_start_rate")),
        )
        inv = [ed.num(s, f"{t}_investment_rate") for t in pair]
        if all(v is not None for v in inv):
            text += comma + label("lead.key_pair_invest", lang, p=fmt.pct(inv[0]), m=fmt.pct(inv[1]))
        else:
            for t, v in zip(pair, inv):
                if v is None:
                    text += comma + (
                        no_column_clause(ed, t, "investment_rate", tier_name(t, lang))
                        or tier_name(t, lang) + label("p.space", lang) + label("lead.tier_no_plan", lang)
                    )
                else:
                    text += comma + label("lead.tier_invest_of", lang, tier=tier_name(t, lang), rate=fmt.pct(v))
        parts.append(text)
    else:
        parts.extend(tier_clause(ed, t) for t in pair)
    parts.append(tier_clause(ed, "industrial"))
    return sentence(parts, lang, sep="p.semi")


def lead_text(ed: Edition, prefix: str = "", standing: str = "") -> str:
    """The opening paragraph's year-to-date figures of the subject, written the way the
    city's reports write them. ``prefix``: how the paragraph opens (default 全市上半年);
    ``standing``: a clause after the completion (a county's light and rank)."""
    lang, s = ed.lang, ed.subject
    comma = label("p.comma", lang)
    sentences = []
    clauses = []
    cover = {x: missing.coverage(ed, x) for x in ("activities", "signings")}  # 全市 without some counties
    if cover["activities"] == cover["signings"]:  # said once, after the period
        base = prefix or label("lead.prefix", lang, span=fmt.period_span(ed.data.period, lang))
        prefix = base.rstrip() + cover["signings"] + base[len(base.rstrip()) :]
        cover = {"activities": "", "signings": ""}
    if ed.value(s, "activities") is not None:
        clauses.append(label("lead.activities", lang, activities=fmt.count(ed.value(s, "activities"))))
        clauses[-1] += cover["activities"]
    if ed.value(s, "signed_projects") is not None or ed.value(s, "signed_amount") is not None:
        clauses.append(
            label(
                "lead.signed",
                lang,
                projects=fmt.count(ed.value(s, "signed_projects")),
                amount=fmt.money(ed.value(s, "signed_amount"), lang),
            )
            + cover["signings"]
        )
        clauses.append(completion_clause(ed, missing.city_scope(ed)))
        if standing:
            clauses.append(standing)
    if clauses:
        prefix = prefix or label("lead.prefix", lang, span=fmt.period_span(ed.data.period, lang))
        sentences.append(sentence([prefix + comma.join(x for x in clauses if x)], lang))
    online = []
    if ed.value(s, "online_leads") is not None:
        online.append(label("lead.online_leads", lang, leads=fmt.count(ed.value(s, "online_leads"))))
        online[-1] += missing.coverage(ed, "activities", indicators=["online_leads"], submitted=False)
    if ed.value(s, "online_signed_projects") is not None or ed.value(s, "online_signed_amount") is not None:
        online.append(
            label(
                "lead.online_signed",
                lang,
                projects=fmt.count(ed.value(s, "online_signed_projects")),
                amount=fmt.money(ed.value(s, "online_signed_amount"), lang),
            )
        )
    if online:
        sentences.append(sentence([label("lead.online_intro", lang) + comma.join(online)], lang))
    key = key_projects_sentence(ed)
    if key:
        rates = [f"{t}_{what}" for t in TIERS for what in ("start_rate", "investment_rate")]
        cover = missing.coverage(ed, "projects", indicators=rates)
        sentences.append(label("miss.projects_scope", lang, items=cover) + key if cover else key)
    return "".join(sentences).strip() or label("lead.no_data", lang)


def trend_text(ed: Edition) -> str:
    """环比 (against last month's figures as issued, else as computed: report/compare.py)
    and 同比 (against last year's same month: report/yoy.py), both like for like; '' when
    history.csv holds neither month."""
    return "".join([compare.month_on_month(ed), yoy.text(ed)]).strip()


def with_trend(ed: Edition, lead: str) -> str:
    """The opening paragraph: the year-to-date figures, then 环比/同比."""
    trend = trend_text(ed)
    return lead + label("p.space", ed.lang) + trend if trend else lead


# --------------------------------------------------------------------------- 二、各县区 (the city)
def lights(ed: Edition, light: str) -> list[str]:
    return [r for r in ed.data.regions if fmt.light_key(ed.value(r, "signed_light")) == light]


def ranked(ed: Edition) -> list[str]:
    """Regions with a rank, best first (ties in registry order)."""
    have = [
        r
        for r in ed.data.regions
        if ed.num(r, "signed_completion_rank") is not None and ed.num(r, "signed_amount_completion") is not None
    ]
    return sorted(have, key=lambda r: ed.num(r, "signed_completion_rank"))


def no_signings(ed: Edition) -> list[str]:
    return [r for r in ed.data.regions if ed.num(r, "signed_projects") == 0]


def names(ed: Edition, regions: list[str]) -> str:
    return join([ed.name(r) for r in regions], ed.lang)


def signings_text(ed: Edition) -> str:
    """The sentences of the city's section 二: leaders and laggards, the regions on each
    light, the regions without a signing and those without a target."""
    lang, regions = ed.lang, ed.data.regions
    if not regions or all(ed.value(r, "signed_amount") is None for r in regions):
        return sentence([label("sig.none", lang)], lang)
    out = []
    order = ranked(ed)
    if order:
        n_top = 3 if len(order) >= 6 else 1
        n_bottom = 2 if len(order) >= 6 else (1 if len(order) >= 2 else 0)
        clauses = [label("sig.top", lang, items=completion_items(ed, order[:n_top]))]
        if n_bottom:
            clauses.append(label("sig.bottom", lang, items=completion_items(ed, order[-n_bottom:])))
        out.append(sentence([label("sig.overall", lang) + clauses[0], *clauses[1:]], lang))
        on = []
        for band in describe_bands(ed.data.definitions):  # the configured bands, best first
            rs = lights(ed, band["light"])
            if rs:
                word = fmt.light_word(band["light"], lang)
                on.append(label("sig.band", lang, regions=names(ed, rs), range=range_text(band, lang), light=word))
        out.append(sentence(on, lang, sep="p.semi"))
    else:
        out.append(sentence([label("sig.no_targets", lang)], lang))
    out.append(missing.signings_sentence(ed))  # the counties without signing figures, and why
    none = no_signings(ed)
    if none:
        out.append(sentence([label("sig.no_signings", lang, regions=names(ed, none))], lang))
    if order:
        # without a target, not merely without a completion (a county whose signings
        # were not submitted has a target and no completion: SPEC §7)
        no_target = [r for r in regions if r not in order and ed.value(r, "signed_amount_target") is None]
        if no_target:
            out.append(sentence([label("sig.no_target_regions", lang, regions=names(ed, no_target))], lang))
    return "".join(out).strip()


# --------------------------------------------------------------------------- 三、重点项目
def region_rates(ed: Edition, tier: str, what: str) -> dict[str, Decimal]:
    """The regions' ``tier`` rates as shown (percent), for the regions that have one."""
    vals = {r: ed.num(r, f"{tier}_{what}") for r in ed.data.regions}
    return {r: shown_pct(v) for r, v in vals.items() if v is not None}


def lowest(ed: Edition, tier: str, what: str) -> tuple[list[str], str] | None:
    vals = region_rates(ed, tier, what)
    if not vals:
        return None
    lo = min(vals.values())
    return [r for r, v in vals.items() if v == lo], f"{lo:f}%"


def tier_clauses(ed: Edition, tier: str, rate) -> list[str]:
    """The investment and in-statistics clauses of the subject's tier paragraph;
    ``rate(what)`` is how a rate is written (a county's adds the city's and its rank)."""
    lang, s = ed.lang, ed.subject
    v = lambda ind: ed.value(s, f"{tier}_{ind}")  # noqa: E731
    clauses = []
    lacked = {
        what: missing.lacked(ed, s, f"{tier}_{what}", "projects") for what in ("investment_rate", "in_statistics_rate")
    }
    if lacked["investment_rate"]:  # the ledger lacks 累计完成投资 (SPEC §12), not the plan
        what = label("prj.what.investment_rate", lang)
        clauses.append(label("prj.no_column_rate", lang, column=lacked["investment_rate"], what=what))
    elif v("investment_rate") is None:
        clauses.append(label("prj.no_plan", lang))
    else:
        clauses.append(
            label(
                "prj.investment",
                lang,
                planned=fmt.money(v("planned_investment"), lang),
                completed=fmt.money(v("completed_investment"), lang),
                rate=rate("investment_rate"),
            )
            + missing.coverage(ed, "projects", indicators=[f"{tier}_investment_rate"], submitted=False)
        )
    started = ed.num(s, f"{tier}_started")
    if started is None:  # no status column (SPEC §12): the count clause says so
        pass
    elif not started:
        clauses.append(label("prj.no_started", lang))
    elif lacked["in_statistics_rate"]:
        what = label("prj.what.in_statistics_rate", lang)
        clauses.append(label("prj.no_column_rate", lang, column=lacked["in_statistics_rate"], what=what))
    elif v("in_statistics_rate") is not None:
        cover = missing.coverage(
            ed, "projects", indicators=[f"{tier}_in_statistics_rate"], submitted=False, columns=("in_statistics",)
        )
        clauses.append(
            label("prj.in_statistics", lang, n=fmt.count(v("in_statistics")), rate=rate("in_statistics_rate")) + cover
        )
    return clauses


def not_started_sentence(ed: Edition, tier: str, n, table: Table | None) -> str:
    """How many of a tier's projects have not started (see the table), or that all have."""
    count = len(table.rows) if table is not None else 0
    if count:
        return sentence([label("prj.not_started", ed.lang, n=count, table=table.number)], ed.lang)
    if ed.num(ed.subject, f"{tier}_started") == n:
        return sentence([label("prj.all_started", ed.lang)], ed.lang)
    return ""


def tier_text(ed: Edition, tier: str, not_started_table: Table | None = None) -> str:
    """The city's paragraph of one tier in section 四: the city's figures only (each
    county's are in the tier's table, the lowest in 五、存在问题)."""
    lang = ed.lang
    name = tier_name(tier, lang)
    n = ed.num(CITY, f"{tier}_projects")
    if not n:
        return label("prj.none", lang, tier=name).strip()
    v = lambda ind: ed.value(CITY, f"{tier}_{ind}")  # noqa: E731
    no_status = missing.lacked(ed, CITY, f"{tier}_started", "projects")
    if no_status:  # no county's ledger has the status column
        count = label("prj.count_no_status", lang, tier=name, n=fmt.count(n), column=no_status)
        count += missing.coverage(ed, "projects", columns=())
    else:
        count = label(
            "prj.count", lang, tier=name, n=fmt.count(n), started=fmt.count(v("started")), rate=fmt.pct(v("start_rate"))
        )
        count += missing.coverage(ed, "projects", indicators=[f"{tier}_started", f"{tier}_start_rate"])
    clauses = [count, *tier_clauses(ed, tier, lambda what: fmt.pct(v(what)))]
    out = [sentence(clauses, lang, sep="p.semi")]
    out.append(not_started_sentence(ed, tier, n, not_started_table))
    return "".join(out).strip()


def tier_heading(ed: Edition, i: int, tier: str) -> str:
    """（一）省级百大项目 / 3.1 Provincial key projects"""
    heading = label("sec.tier", ed.lang, n=label(f"num.{i}", ed.lang), tier=tier_name(tier, ed.lang))
    if ed.lang == "en":
        heading = heading[:4] + heading[4:5].upper() + heading[5:]
    return heading


# --------------------------------------------------------------------------- 四、存在问题
def tiers_with(ed: Edition, what: str) -> list[tuple[str, float]]:
    s = ed.subject
    have = [t for t in TIERS if ed.num(s, f"{t}_projects") and ed.num(s, f"{t}_{what}") is not None]
    return [(t, ed.num(s, f"{t}_{what}")) for t in have]


def rates_clause(ed: Edition, what: str, tiers: list[tuple[str, float]]) -> str:
    lang = ed.lang
    what_text = label(f"what.{what}", lang)
    if len(tiers) == 1:
        t, v = tiers[0]
        return label("prob.rate_one", lang, tier=tier_name(t, lang), what=what_text, rate=fmt.pct(v))
    tier_names = label("prob.tiers", lang, names=join([tier_name(t, lang, short=True) for t, _ in tiers], lang))
    return label("prob.rates", lang, tiers=tier_names, what=what_text, rates=join([fmt.pct(v) for _, v in tiers], lang))


def lowest_regions_clause(ed: Edition, what: str, tiers: list[tuple[str, float]]) -> str:
    lang = ed.lang
    items = []
    for t, _ in tiers:
        low = lowest(ed, t, what)
        if low and len(ed.data.regions) > 1:
            regions, rate = low
            items.append(
                label(
                    "prob.lowest_item",
                    lang,
                    tier=tier_name(t, lang),
                    what=label(f"what.{what}", lang),
                    regions=names(ed, regions),
                    rate=rate,
                )
            )
    return label("prob.lowest_regions", lang, items=label("p.comma", lang).join(items)) if items else ""


def rate_problem(ed: Edition, what: str) -> tuple[str, list[tuple[str, float]], list[str]] | None:
    """开复工率/投资完成率/入统率偏低 for the subject: (the sentence on the tiers' rates,
    the tiers with a rate, the tiers below the line). Raised when a rate is below 100 %
    (investment: below time progress); None otherwise."""
    lang = ed.lang
    tiers = tiers_with(ed, what)
    if not tiers:
        return None
    progress = ed.data.time_progress
    shown = {t: shown_pct(v) for t, v in tiers}
    limit = shown_pct(progress) if what == "investment_rate" else Decimal(100)
    below = [t for t, _ in tiers if shown[t] < limit]
    if not below:
        return None
    clauses = [rates_clause(ed, what, tiers)]
    if what == "investment_rate":
        if len(below) == len(tiers) and len(tiers) > 1:
            clauses.append(label("prob.below_progress", lang, progress=fmt.pct(progress)))
        else:
            clauses.append(
                label(
                    "prob.some_below_progress",
                    lang,
                    tiers=join([tier_name(t, lang) for t in below], lang),
                    progress=fmt.pct(progress),
                )
            )
    if len(tiers) > 1:
        low = min(shown.values())
        lowest_tiers = [t for t, _ in tiers if shown[t] == low]
        if len(lowest_tiers) == 1:
            clauses.append(label("prob.lowest_tier", lang, tier=tier_name(lowest_tiers[0], lang)))
    return sentence(clauses, lang), tiers, below


PROBLEM_TITLES = {
    "start_rate": "prob.start.title",
    "investment_rate": "prob.invest.title",
    "in_statistics_rate": "prob.stat.title",
}


def city_rate_problem(ed: Edition, what: str) -> tuple[str, str] | None:
    """A rate problem of the city, with the lowest region of each tier below the line.
    The tiers' rates are in section 四 already: a start or in-statistics rate problem
    names only the lowest tier (investment: the rates against time progress)."""
    found = rate_problem(ed, what)
    if found is None:
        return None
    body, tiers, below = found
    shown = {t: shown_pct(v) for t, v in tiers}
    lowest_tiers = [t for t, v in tiers if shown[t] == min(shown.values())]
    if what != "investment_rate" and len(tiers) > 1 and len(lowest_tiers) == 1:
        t = lowest_tiers[0]
        rate = fmt.pct(dict(tiers)[t])
        what_text = label(f"what.{what}", ed.lang)
        body = sentence(
            [label("prob.lowest_tier_rate", ed.lang, tier=tier_name(t, ed.lang), what=what_text, rate=rate)], ed.lang
        )
    regions = lowest_regions_clause(ed, what, [(t, v) for t, v in tiers if t in below])
    if regions:
        body += sentence([regions], ed.lang)
    return label(PROBLEM_TITLES[what], ed.lang), body


def lag_problem(ed: Edition) -> tuple[str, str] | None:
    """部分县区签约进度滞后: the regions on a lagging light of the configured bands (red,
    then yellow by default), and those without a signing."""
    lang, definitions = ed.lang, ed.data.definitions
    clauses = []
    for band in reversed(describe_bands(definitions)):  # the lagging lights, worst first
        rs = lights(ed, band["light"]) if behind(definitions, band["light"]) else []
        if rs:
            key = "prob.lag.band" if clauses else "prob.lag.first"
            fields = dict(range=range_text(band, lang), light=fmt.light_word(band["light"], lang))
            clauses.append(
                label(key, lang, items=completion_items(ed, rs), progress=fmt.pct(ed.data.time_progress), **fields)
            )
    none = no_signings(ed)
    if none:
        clauses.append(label("prob.lag.none_signed", lang, regions=names(ed, none)))
    if not clauses:
        return None
    return label("prob.lag.title", lang), sentence(clauses, lang, sep="p.semi")


def quality_problem(ed: Edition) -> tuple[str, str, bool] | None:
    """The data-quality state: rows read and rejected, regions with open findings.
    The third item says whether it is a problem (else it is stated as good)."""
    lang = ed.lang
    counts = quality_counts(ed.data)
    if counts is None:
        return None
    rows, rejected = int(counts["rows_read"].sum()), int(counts["rejected_rows"].sum())
    clauses = []
    if ed.data.accounting is not None:
        clauses.append(label("prob.quality.rows", lang, rows=rows, rejected=rejected))
    open_items = []
    for rec in counts.to_dict("records"):
        parts = []
        if rec["errors"]:
            parts.append(label("prob.quality.errors", lang, n=rec["errors"]))
        if rec["warnings"]:
            parts.append(label("prob.quality.warnings", lang, n=rec["warnings"]))
        if parts:
            counts_text = label("p.list", lang).join(parts)
            name = ed.name(sheets_of(ed, rec["region"]))
            open_items.append(label("prob.quality.item", lang, region=name, counts=counts_text))
    if open_items:
        clauses.append(label("prob.quality.regions", lang, items=join(open_items, lang)))
    else:
        clauses.append(label("prob.quality.no_open", lang))
    bad = bool(open_items or rejected)
    title_key = "prob.quality.title" if bad else "prob.quality.clean"
    return label(title_key, lang), sentence(clauses, lang, sep="p.semi"), bad


def problem_paragraphs(ed: Edition, items: list, quality: tuple[str, str, bool] | None) -> list[Paragraph]:
    """Section 四 as paragraphs: the numbered problems (一是…。), then the data quality
    when it is good; "no problem" when there is nothing to say."""
    lang = ed.lang
    out = []
    items = [i for i in items if i]
    if quality and quality[2]:
        items.append(quality[:2])
    for i, (head, body) in enumerate(items, start=1):
        ordinal = label("prob.ordinal", lang, n=label(f"num.{i}", lang))
        out.append(Paragraph(body.strip(), "problem", ordinal + sentence([head], lang)))
    if quality and not quality[2]:
        out.append(Paragraph(quality[1].strip(), "problem", sentence([quality[0]], lang)))
    if not out:
        out.append(Paragraph(label("prob.none", lang)))
    return out


def city_problems(ed: Edition) -> list[Paragraph]:
    """The city's section 四: signing lag, start rates, investment completion,
    in-statistics rates, data quality."""
    items = [missing.problem(ed), lag_problem(ed), *[city_rate_problem(ed, what) for what in RATES]]
    return problem_paragraphs(ed, items, quality_problem(ed))


def problems_text(paragraphs: list[Paragraph]) -> list[str]:
    """Section 四's paragraphs as plain text (一是…。…)."""
    return [(p.lead_in + p.text).strip() for p in paragraphs]
