"""The bulletin's parts written from breakdowns.csv and the SPEC §9 indicators (issue 14).

* :func:`with_large` — the overview's 亿元以上 sentence (count, amount, share), put
  right after the sentence that gives the signings.
* :func:`structure` — 三、招商引资结构和资金到位情况: （一）by industry chain (sentence,
  table, chart), （二）by origin area (sentence with the share from the areas where
  the city has offices, ``places.yaml`` ``office_areas``; table), （三）funds in place
  (到位资金: figure and rate per county, the counties that did not fill the column named,
  a 全市 figure from a partial column said to be a lower bound, never a 0 for a county
  that did not fill it).

The key projects per 包保领导 are in :mod:`bulletin.report.leaders`.

A county edition has the same parts about its own rows (its chains, origins, leaders;
its funds as a sentence). Every word comes from ``wording/<lang>/breakdowns.yaml``.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from bulletin.contract import BREAKDOWNS, CITY, FUNDS_STATUSES
from bulletin.contract import funds_status as contract_funds_status
from bulletin.report import chain_figure, funds_target, missing
from bulletin.report import format as fmt
from bulletin.report.document import Column, Heading, Numbers, Paragraph, Section, Table
from bulletin.report.edition import Edition
from bulletin.report.labels import has_label, join, label, place, sentence
from bulletin.report.tables import total_notes
from bulletin.text import norm_text

TOP = 3  # chains and areas named as leading


def name_of(key: str, lang: str) -> str:
    """A chain, an origin area or the blank-leader key in the edition's language (the
    wording's ``name.<key>``; a key it does not list, e.g. another city's chain, as
    written)."""
    return label(f"name.{key}", lang) if has_label(f"name.{key}", lang) else place(key, lang)


def who(ed: Edition) -> str:
    """The edition's subject as a sentence names it: 全市 / the city, or the county."""
    return ed.name(ed.region) if ed.region else label("bd.city", ed.lang)


def config_of(ed: Edition):
    return ed.data.config


def office_areas(ed: Edition) -> list[str]:
    """The origin areas where the city has investment-promotion offices (config
    ``places.yaml`` ``office_areas``), those that are areas of the breakdown."""
    cfg = config_of(ed)
    keys = set(cfg.definitions.area_keys)
    return [str(a) for a in (cfg.raw["places"].get("office_areas") or []) if str(a) in keys]


def leader_key(value, blank: str) -> str:
    """A 包保领导 cell as breakdowns.csv keys it (indicators.compute_breakdowns.leader_key: the
    text simplified, without white space; ``blank`` when empty). Written here so that
    the bulletin does not import the indicator code (its stage would rerun whenever
    that changes); tests check the two agree on the sample.

    >>> leader_key(" 張  三 ", "未明确"), leader_key(float("nan"), "未明确")
    ('张三', '未明确')
    """
    if value is None or (isinstance(value, float) and value != value):
        return blank
    return "".join(norm_text(value).split()) or blank


def breakdown_rows(long: pd.DataFrame, dimension: str, region: str | None) -> pd.DataFrame:
    """One dimension of breakdowns.csv (as text) as a frame: one row per region and key
    in file order, one float column per indicator (NaN where empty)."""
    rows = long[long["dimension"] == dimension]
    if region is not None:
        rows = rows[rows["region"] == region]
    values = pd.to_numeric(rows["value"].astype(str).str.strip().replace("", None), errors="coerce")
    rows = rows.assign(value=values.astype(float))
    order = rows[["region", "key"]].drop_duplicates()
    wide = rows.pivot(index=["region", "key"], columns="indicator", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(order)).reindex(columns=list(BREAKDOWNS[dimension]))
    wide.columns.name = None
    return wide.reset_index()


def frame(ed: Edition, dimension: str, region: str | None = None) -> pd.DataFrame | None:
    """One dimension of breakdowns.csv for ``region`` (default: the edition's subject;
    ``""``: every region but 全市); None when the file or the rows are missing."""
    long = ed.data.breakdowns
    if long is None or long.empty or "dimension" not in long.columns:
        return None
    if region == "":
        df = breakdown_rows(long, dimension, None)
        df = df[df["region"] != CITY]
    else:
        df = breakdown_rows(long, dimension, region or ed.subject)
    return None if df.empty else df.reset_index(drop=True)


def _share(part, whole) -> float | None:
    return None if whole is None or not whole or part is None or pd.isna(part) else float(part) / float(whole)


def _money_list(amounts, lang: str) -> str:
    return label("p.list", lang).join(fmt.money(a, lang) for a in amounts)


# --------------------------------------------------------------------------- 一、总体情况: 亿元以上
def large_sentence(ed: Edition) -> str:
    """其中，亿元以上签约项目46项，签约额147.17亿元，占签约总额的97.9%。 ('' when
    indicators.csv has no such figure for the subject)."""
    s, lang = ed.subject, ed.lang
    n, amount = ed.value(s, "large_signed_projects"), ed.value(s, "large_signed_amount")
    if n is None or amount is None:
        return ""
    threshold = threshold_text(ed)
    if not ed.num(s, "large_signed_projects"):
        return sentence([label("large.none", lang, threshold=threshold)], lang)
    share = _share(ed.num(s, "large_signed_amount"), ed.num(s, "signed_amount"))
    text = label(
        "large.signed",
        lang,
        projects=fmt.count(n),
        amount=fmt.money(amount, lang),
        share=fmt.pct(share),
        threshold=threshold,
    )
    return sentence([text], lang)


def threshold_text(ed: Edition) -> str:
    """The configured 亿元以上 threshold (rules.yaml ``large_signing``, 万元) as the
    office says it: 亿元 (10,000 万元), 2亿元, 5000万元."""
    wan = Decimal(str(config_of(ed).definitions.large_signing))
    yi, million = wan / 10000, wan / 100
    n = {"yi": f"{yi.normalize():f}", "wan": f"{wan.normalize():f}", "million": f"{million.normalize():f}"}
    if yi == 1:
        return label("large.threshold_one_yi", ed.lang, **n)
    return label("large.threshold_yi" if yi == yi.to_integral_value() else "large.threshold_wan", ed.lang, **n)


def with_large(ed: Edition, lead: str) -> str:
    """The opening paragraph with :func:`large_sentence` after its first sentence (the
    one that gives the signings)."""
    extra = large_sentence(ed)
    if not extra or ed.value(ed.subject, "signed_projects") is None:
        return lead
    stop = label("p.stop", ed.lang) if ed.lang == "zh" else ". "
    at = lead.find(stop)
    if at < 0:
        return lead + label("p.space", ed.lang) + extra
    at += len(stop)
    return lead[:at] + extra + lead[at:]


# --------------------------------------------------------------------------- chains and origin areas
def _sub(ed: Edition, key: str, i: int) -> Heading:
    return Heading(label(key, ed.lang, n=label(f"num.{i}", ed.lang)))


def chain_keys(ed: Edition) -> tuple[list[str], str]:
    """The city's chains (config order) and the key of the rest (其他)."""
    chains = config_of(ed).raw["chains"]
    other = str(chains["other"])
    return list(dict.fromkeys(str(c["name"]) for c in chains["chains"] if str(c["name"]) != other)), other


def _leading(df: pd.DataFrame, keys: list[str]) -> list[tuple[str, float]]:
    """Keys with a signing, largest amount first (ties in the table's order)."""
    rows = [(k, a) for k, a in zip(df["key"], df["signed_amount"]) if k in keys and not pd.isna(a) and a > 0]
    return sorted(rows, key=lambda r: -r[1])[:TOP]


def chain_text(ed: Edition, df: pd.DataFrame) -> str:
    """Which chains lead (amount and their joint share), which have no signing yet, and
    the signings outside the chains."""
    lang, s = ed.lang, ed.subject
    chains, other = chain_keys(ed)
    parts = []
    top = _leading(df, chains)
    if top:
        parts.append(
            label(
                "chain.lead",
                lang,
                chains=join([name_of(k, lang) for k, _ in top], lang),
                amounts=_money_list([a for _, a in top], lang),
                share=fmt.pct(_share(sum(a for _, a in top), ed.num(s, "signed_amount"))),
                subject=who(ed),
            )
        )
    counts = dict(zip(df["key"], df["signed_projects"]))
    none = [k for k in chains if counts.get(k) == 0]
    if none:
        parts.append(label("chain.none", lang, chains=join([name_of(k, lang) for k in none], lang)))
    elif chains:
        parts.append(label("chain.all", lang, n=len(chains)))
    rest = df[df["key"] == other]
    if len(rest) and rest["signed_projects"].iloc[0] > 0:
        r = rest.iloc[0]
        parts.append(
            label(
                "chain.other",
                lang,
                projects=fmt.count(r["signed_projects"]),
                amount=fmt.money(r["signed_amount"], lang),
            )
        )
    return sentence(parts, lang, sep="p.semi")


def signings_breakdown_table(ed: Edition, num: Numbers, df: pd.DataFrame, what: str) -> Table:
    """表: the subject's signings by ``what`` (chain / area): 合计 first (the headline
    figures of indicators.csv), then each key with its count, amount and share."""
    lang, s = ed.lang, ed.subject
    total = ed.num(s, "signed_amount")
    cols = [
        Column(label(f"col.{what}", lang), "text"),
        Column(label("col.signed_projects", lang), "count"),
        Column(label("col.signed_amount", lang), "money"),
        Column(label("col.share", lang), "pct"),
    ]
    rows = [
        [label("row.total", lang), ed.value(s, "signed_projects"), ed.value(s, "signed_amount"), _share(total, total)]
    ]
    for rec in df.to_dict("records"):
        rows.append(
            [
                name_of(rec["key"], lang),
                rec["signed_projects"],
                rec["signed_amount"],
                _share(rec["signed_amount"], total),
            ]
        )
    t = Table(
        what,
        num.next("table", what),
        label(f"cap.{what}", lang, subject=ed.name(s)),
        label(f"sheet.{what}", lang),
        cols,
        rows,
        lang,
        total_rows=1,
        cls="regions",
    )
    t.notes = total_notes(t)
    if what == "chain" and any(r[1] == 0 for r in rows[1:]):
        t.notes.append(label("note.chain_zero", lang))
    left_out = missing.coverage_items(ed, "signings")
    if left_out:  # 全市 sums the counties that reported their signings
        t.notes.append(label("miss.breakdown_note", lang, items=left_out))
    return t


def area_text(ed: Edition, df: pd.DataFrame) -> str:
    """The leading origin areas, the share from the areas with the city's offices, and
    the signings whose origin the ledgers do not name."""
    lang, s = ed.lang, ed.subject
    d = config_of(ed).definitions
    parts = []
    top = _leading(df, [k for k in d.area_keys if k != d.area_other])  # the rest leads nothing
    if top:
        parts.append(
            label(
                "area.lead",
                lang,
                areas=join([name_of(k, lang) for k, _ in top], lang),
                amounts=_money_list([a for _, a in top], lang),
            )
        )
    offices = office_areas(ed)
    if offices:
        rows = df[df["key"].isin(offices)]
        amount = float(rows["signed_amount"].sum())
        parts.append(
            label(
                "area.office",
                lang,
                areas=join([name_of(k, lang) for k in offices], lang),
                projects=fmt.count(rows["signed_projects"].sum()),
                amount=fmt.money(amount, lang),
                share=fmt.pct(_share(amount, ed.num(s, "signed_amount"))),
                subject=who(ed),
            )
        )
    unknown = df[df["key"] == d.area_unknown]
    if len(unknown) and unknown["signed_projects"].iloc[0] > 0:
        parts.append(label("area.unknown", lang, projects=fmt.count(unknown["signed_projects"].iloc[0])))
    return sentence(parts, lang, sep="p.semi")


# --------------------------------------------------------------------------- funds in place
def funds_status(ed: Edition, region: str) -> str:
    """How ``region`` reported its funds in place (:func:`bulletin.contract.funds_status`);
    ``no_column`` for a signing ledger submitted without a column every signing figure
    needs (投资方所在地: SPEC §12), never ``not_submitted``."""
    status = contract_funds_status(ed.num(region, "signed_projects"), ed.num(region, "funds_in_place_filled"))
    if status == "not_submitted" and missing.lacks(ed, region, "signed_projects", "signings"):
        return missing.NO_COLUMN
    return status


def has_funds(ed: Edition) -> bool:
    """Whether any ledger of the month has a 到位资金 figure."""
    return ed.data.has("funds_in_place_filled") and bool(ed.num(CITY, "funds_in_place_filled"))


def funds_text(ed: Edition) -> str:
    """The city: its figure (at least …, when a county did not fill the column), the
    counties' figures, and who did not fill it; a county: its own figure."""
    lang, s = ed.lang, ed.subject
    amount, rate = ed.value(s, "funds_in_place"), ed.value(s, "funds_in_place_rate")
    if ed.region:
        status = funds_status(ed, s)
        if status in ("no_signings", "not_submitted", missing.NO_COLUMN):
            return ""
        if status == "not_filled":
            return sentence([label("funds.none_filled", lang, subject=who(ed))], lang)
        key = "funds.full" if status == "filled" else "funds.lower"
        parts = [label(key, lang, subject=who(ed), amount=fmt.money(amount, lang), rate=fmt.pct(rate))]
        parts[0] = funds_target.with_clause(ed, parts[0], s, status != "filled")
        if status == "partial":
            unfilled = ed.num(s, "signed_projects") - ed.num(s, "funds_in_place_filled")
            parts.append(label("funds.partial_one", lang, subject=who(ed), missing=fmt.count(unfilled)))
        return sentence(parts, lang, sep="p.semi")
    by = {k: [r for r in ed.data.regions if funds_status(ed, r) == k] for k in (*FUNDS_STATUSES, missing.NO_COLUMN)}
    lower = bool(by["partial"] or by["not_filled"])
    key = "funds.lower" if lower else "funds.full"
    parts = [label(key, lang, subject=who(ed), amount=fmt.money(amount, lang), rate=fmt.pct(rate))]
    parts[0] = funds_target.with_clause(ed, parts[0], s, lower)
    reported = [r for r in ed.data.regions if funds_status(ed, r) in ("filled", "partial")]
    if reported:
        items = [
            label(
                "funds.item",
                lang,
                region=ed.name(r),
                amount=fmt.money(ed.value(r, "funds_in_place"), lang),
                rate=fmt.pct(ed.value(r, "funds_in_place_rate")),
            )
            for r in reported
        ]
        parts.append(label("funds.items", lang, items=join(items, lang)))
    names = lambda rs: join([ed.name(r) for r in rs], lang)  # noqa: E731
    if by["partial"]:
        parts.append(label("funds.partial", lang, regions=names(by["partial"])))
    if by["not_filled"]:
        parts.append(label("funds.not_filled", lang, regions=names(by["not_filled"])))
    if by["not_submitted"]:
        parts.append(label("funds.not_submitted", lang, regions=names(by["not_submitted"])))
    if by[missing.NO_COLUMN]:
        column = missing.column_name(ed, "signings", "origin")
        parts.append(label("funds.no_column", lang, regions=names(by[missing.NO_COLUMN]), column=column))
    return sentence(parts, lang, sep="p.semi")


def _status_text(ed: Edition, region: str) -> str:
    status = funds_status(ed, region)
    if status == "partial":
        return label(
            "status.partial",
            ed.lang,
            filled=fmt.count(ed.value(region, "funds_in_place_filled")),
            projects=fmt.count(ed.value(region, "signed_projects")),
        )
    return label(f"status.{status}", ed.lang)


def funds_table(ed: Edition, num: Numbers) -> Table:
    """表: per county the signings, the signings with a 到位资金 figure, the funds, the
    rate and how it was reported; 全市 first (a lower bound when a county did not fill
    it, said in its row). A county that did not fill the column shows —, never 0; one
    that did not send its signings (or whose ledger could not be read) says so."""
    lang, data = ed.lang, ed.data
    cols = [
        Column(label("col.region", lang), "region"),
        Column(label("col.signed_projects", lang), "count"),
        Column(label("col.signed_amount", lang), "money"),
        Column(label("col.funds_filled", lang), "count", wrap=True),
        Column(label("col.funds", lang), "money", wrap=True),
        Column(label("col.funds_rate", lang), "pct"),
        Column(label("col.funds_status", lang), "text", wrap=True),
    ]
    statuses = [funds_status(ed, r) for r in data.regions]
    lower = any(st in ("partial", "not_filled") for st in statuses)
    rows = []
    for r in data.rows:
        if r == CITY:
            status = label("status.city_lower" if lower else "status.filled", lang)
        else:
            status = _status_text(ed, r)
        filled = missing.cell(ed, r, "funds_in_place_filled", "signings")
        rows.append(
            [
                r,
                missing.cell(ed, r, "signed_projects", "signings"),
                missing.cell(ed, r, "signed_amount", "signings"),
                filled if data.value(r, "signed_projects") is not None or isinstance(filled, fmt.Reason) else None,
                missing.cell(ed, r, "funds_in_place", "signings"),
                missing.cell(ed, r, "funds_in_place_rate", "signings"),
                status,
            ]
        )
    t = Table(
        "funds",
        num.next("table", "funds"),
        label("cap.funds", lang),
        label("sheet.funds", lang),
        cols,
        rows,
        lang,
        total_rows=1 if CITY in data.rows else 0,
        cls="regions",
    )
    funds_target.add_columns(ed, t)  # 到位资金目标, 完成目标 (when the targets table has them)
    t.notes = total_notes(t)
    if lower:
        t.notes.append(label("note.funds", lang))
    late = missing.table_note(ed, ("signings",))
    if late:
        t.notes.append(late)
    return t


# --------------------------------------------------------------------------- 三、招商引资结构
def structure(ed: Edition, num: Numbers) -> Section:
    """三、招商引资结构和资金到位情况 (see the module docstring)."""
    lang, s = ed.lang, ed.subject
    sec = Section("structure", label("sec.structure_region" if ed.region else "sec.structure", lang))
    chains, areas = frame(ed, "chain"), frame(ed, "origin_area")
    i = 0
    if chains is None and areas is None:
        sec.add(Paragraph(label("bd.no_breakdowns", lang)))
    elif (
        ed.value(s, "signed_projects") is None
        and s in ed.data.regions
        and missing.lacks(ed, s, "signed_projects", "signings")
    ):  # submitted without 投资方所在地 (SPEC §12): no signing figure, but not 未报送
        column = missing.column_name(ed, "signings", "origin")
        sec.add(Paragraph(sentence([label("bd.no_column", lang, subject=who(ed), column=column)], lang)))
    elif ed.value(s, "signed_projects") is None:
        sec.add(Paragraph(sentence([label("bd.not_submitted", lang, subject=who(ed))], lang)))
    elif not ed.num(s, "signed_projects"):
        sec.add(Paragraph(sentence([label("bd.no_signings", lang, subject=who(ed))], lang)))
    else:
        if chains is not None:
            i += 1
            sec.add(_sub(ed, "sub.chain", i))
            sec.add(Paragraph(chain_text(ed, chains)))
            sec.add(signings_breakdown_table(ed, num, chains, "chain"))
            sec.add(chain_figure.chain_chart(ed, num, chains, chain_keys(ed)[1], name_of))
        if areas is not None:
            i += 1
            sec.add(_sub(ed, "sub.area", i))
            sec.add(Paragraph(area_text(ed, areas)))
            sec.add(signings_breakdown_table(ed, num, areas, "area"))
    if has_funds(ed):
        text = funds_text(ed)
        if text:
            i += 1
            sec.add(_sub(ed, "sub.funds", i))
            sec.add(Paragraph(text))
            if not ed.region:
                sec.add(funds_table(ed, num))
    return sec
