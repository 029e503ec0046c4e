"""SPEC §4 indicators: pure functions of the record tables.

``compute(tables, period, cfg)`` returns the long table written as ``indicators.csv``:
``period, region, indicator, value``; ``全市`` first, then the regions in registry
order. Money is 万元 (sums rounded to the 4 decimals the records carry, to drop float
noise, never to a display unit); rates are fractions; a rate whose denominator is 0 is
empty (``None``).

Completeness (SPEC §7): with the submission register (``tables["submissions"]``), a
region that did not submit a ledger type — no file, or only files that could not be
read — has **empty** values for that type's indicators (:func:`indicator_ledger`),
never 0: no completion, light or rank when it sent no signings. ``全市`` sums the
regions that submitted (their records are all there are); it is empty when no region
submitted the type. ``<ledger>_submitted`` is 1 or 0 per region, and for ``全市`` the
number of regions that submitted. Without a register (tables built by hand, a month
processed before it existed) every region counts as submitted.

A column the ledger does not have is not zero (SPEC §12): the register's ``missing``
lists, per submitted file, the columns an indicator needs that its table lacks
(origin, status, completed investment, 入统, leads); the indicators that need one are
empty for the county (:data:`NEEDS_COLUMN`), and the city's are computed over the
counties that have it.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from bulletin import definitions as defs
from bulletin.config import Config
from bulletin.contract import (
    CITY,
    INDICATOR_COLUMNS,
    LEDGERS,
    PUBLISHED_STATUSES,
    SUBMITTED_LEDGERS,
    TIERS,
    Period,
)
from bulletin.indicators.catalog import indicator_ledger
from bulletin.store import typed


def rate(num, den):
    """num / den, or None when the denominator is 0 or missing.

    >>> rate(37, 47)
    0.7872340425531915
    >>> rate(3, 0) is None
    True
    """
    if den is None or num is None or (isinstance(den, float) and math.isnan(den)) or den == 0:
        return None
    return num / den


def light(completion, time_progress, bands):
    """The light of SPEC §4/§9: ``bands`` are the city's (:mod:`bulletin.definitions`),
    or a number, the yellow margin of the three default lights.

    >>> light(0.6, 0.5, 0.1), light(0.45, 0.5, 0.1), light(0.2, 0.5, 0.1)
    ('green', 'yellow', 'red')
    >>> light(None, 0.5, 0.1) is None
    True
    """
    return defs.light(completion, time_progress, bands)


def _money(series) -> float:
    return round(float(pd.to_numeric(series, errors="coerce").fillna(0).sum()), 4)


def in_period(df: pd.DataFrame, column: str, period: Period) -> pd.DataFrame:
    """Rows whose ``column`` date (datetime64, :func:`bulletin.store.typed`) falls in the
    year to date of ``period``."""
    dates = df[column]
    return df[dates.between(pd.Timestamp(period.start), pd.Timestamp(period.end)).fillna(False).astype(bool)]


def _flag(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].fillna(False).astype(bool)


def scope_indicators(t: dict[str, pd.DataFrame], period: Period, cfg: Config) -> dict[str, object]:
    """Indicators over one scope (the tables already filtered to a region or the city)."""
    definitions = cfg.definitions
    out: dict[str, object] = {}
    acts = in_period(t["activities"], "held_on", period)
    online_acts = acts[_flag(acts, "online")]
    out["activities"] = len(acts)
    out["leads"] = int(pd.to_numeric(acts["leads"], errors="coerce").fillna(0).sum())
    out["online_activities"] = len(online_acts)
    out["online_leads"] = int(pd.to_numeric(online_acts["leads"], errors="coerce").fillna(0).sum())

    sign = in_period(t["signings"], "signed_on", period)
    sign = sign[_flag(sign, "out_of_province")]
    online_sign = sign[_flag(sign, "online")]
    out["signed_projects"] = len(sign)
    out["signed_amount"] = _money(sign["amount"])
    out["online_signed_projects"] = len(online_sign)
    out["online_signed_amount"] = _money(online_sign["amount"])
    out.update(signing_extras(sign, definitions))

    projects = t["projects"]
    for tier in TIERS:
        p = projects[projects["tier"] == tier]
        started = p[_flag(p, "started")]
        n, s = len(p), len(started)
        planned = _money(p["planned_investment"])
        done = _money(p["completed_investment"])
        base = in_statistics_base(started, definitions)
        in_stat = int(_flag(base, "in_statistics").sum())
        out[f"{tier}_projects"] = n
        out[f"{tier}_started"] = s
        out[f"{tier}_start_rate"] = rate(s, n)
        out[f"{tier}_planned_investment"] = planned
        out[f"{tier}_completed_investment"] = done
        out[f"{tier}_investment_rate"] = rate(done, planned)
        out[f"{tier}_in_statistics"] = in_stat
        out[f"{tier}_in_statistics_rate"] = rate(in_stat, len(base))
        if definitions.in_statistics == "new_started":
            out[f"{tier}_new_started"] = len(base)
    return out


def monthly_signings(signings: pd.DataFrame, period: str | Period) -> list[tuple[int, float]]:
    """``(signed_projects, signed_amount)`` as of the end of each month 1 … the period's
    month, from the records' own signing dates: the selection of :func:`scope_indicators`
    (out of province, dated from 1 January to the month's end), so the period's own month
    is the indicator itself. A ledger is a year-to-date list: the month's records hold
    every earlier month's signings too."""
    period = Period.parse(period)
    sign = typed(signings)
    sign = sign[_flag(sign, "out_of_province")]
    out = []
    for month in range(1, period.month + 1):
        counted = in_period(sign, "signed_on", Period.parse(f"{period.year}-{month:02d}"))
        out.append((len(counted), _money(counted["amount"])))
    return out


def in_statistics_base(started: pd.DataFrame, definitions: defs.Definitions) -> pd.DataFrame:
    """The denominator of the in-statistics rate among a tier's started projects: all of
    them (``started``), or those whose status names a new start (``new_started``)."""
    if definitions.in_statistics != "new_started":
        return started
    new = started["status"].map(lambda v: isinstance(v, str) and defs.is_new_start(v, definitions))
    return started[new.astype(bool)]


def signing_extras(sign: pd.DataFrame, definitions: defs.Definitions) -> dict[str, object]:
    """SPEC §9 over the counted signings (out of province, in the period):
    亿元以上 signings, and the funds in place (到位资金).

    ``funds_in_place_filled`` counts the signings with a 到位资金 figure;
    ``funds_in_place`` sums the figures and is empty (never 0) when none has one — no
    ledger of the scope carries the column, or it was left blank — and
    ``funds_in_place_rate`` is funds / signed amount."""
    large = sign[pd.to_numeric(sign["amount"], errors="coerce") >= definitions.large_signing - 1e-9]
    out: dict[str, object] = {"large_signed_projects": len(large), "large_signed_amount": _money(large["amount"])}
    funds = (
        pd.to_numeric(sign["funds_in_place"], errors="coerce")
        if "funds_in_place" in sign
        else pd.Series([], dtype=float)
    )
    filled = int(funds.notna().sum())
    total = _money(funds) if filled else None
    out["funds_in_place"] = total
    out["funds_in_place_rate"] = rate(total, _money(sign["amount"]))
    out["funds_in_place_filled"] = filled
    return out


def submitted(tables: dict[str, pd.DataFrame], regions: list[str]) -> dict[str, set[str]]:
    """Ledger type → the regions that submitted it (the register; all without one)."""
    register = tables.get("submissions")
    if register is None:
        return {ledger: set(regions) for ledger in SUBMITTED_LEDGERS}
    done = register[register["status"].isin(PUBLISHED_STATUSES)]
    return {ledger: set(done.loc[done["ledger"] == ledger, "region"]) & set(regions) for ledger in SUBMITTED_LEDGERS}


def _blank(values: dict[str, object], ledger: str) -> None:
    for key in values:
        if indicator_ledger(key) == ledger:
            values[key] = None


# SPEC §12: the indicators a column the ledger lacks leaves empty (never 0), by the
# needed column (bulletin.ledgers.columns.NEEDED, the register's ``missing``): all of
# a ledger's (None), or a tier's measures by suffix.
NEEDS_COLUMN = {
    ("signings", "origin"): None,
    ("projects", "status"): ("started", "start_rate", "in_statistics", "in_statistics_rate", "new_started"),
    ("projects", "completed_investment"): ("completed_investment", "investment_rate"),
    ("projects", "in_statistics"): ("in_statistics", "in_statistics_rate"),
    ("activities", "leads"): ("leads", "online_leads"),
}


def needs_column(indicator: str, ledger: str, column: str) -> bool:
    """Does ``indicator`` need the ``column`` of the ``ledger``?

    >>> needs_column("signed_light", "signings", "origin"), needs_column("activities", "signings", "origin")
    (True, False)
    >>> needs_column("provincial_key_start_rate", "projects", "status")
    True
    >>> needs_column("provincial_key_projects", "projects", "status")
    False
    """
    if indicator_ledger(indicator) != ledger or (ledger, column) not in NEEDS_COLUMN:
        return False
    measures = NEEDS_COLUMN[(ledger, column)]
    if measures is None or ledger != "projects":
        return measures is None or indicator in measures
    return any(indicator == f"{tier}_{m}" for tier in TIERS for m in measures)


def missing_columns(tables: dict[str, pd.DataFrame], regions: list[str]) -> dict[tuple[str, str], set[str]]:
    """(ledger, needed column) → the regions one of whose submitted files lacks it
    (the register's ``missing``; none without a register or that column)."""
    register = tables.get("submissions")
    out: dict[tuple[str, str], set[str]] = {}
    if register is None or "missing" not in register:
        return out
    done = register[(register["status"] == "submitted") & register["region"].isin(regions)]
    for region, ledger, gaps in zip(done["region"], done["ledger"], done["missing"].fillna("").astype(str)):
        for column in filter(None, gaps.split(";")):
            out.setdefault((ledger, column), set()).add(region)
    return out


def _blank_missing(values: dict, tables: dict, period: Period, cfg: Config, sent: dict[str, set[str]]) -> None:
    """A region whose ledger lacks a needed column has the indicators that need it
    empty; the city's are computed over the regions that have it (as for a ledger
    not submitted), empty when none has."""
    regions = list(cfg.region_names)
    for (ledger, column), lacking in missing_columns(tables, regions).items():
        for region in lacking:
            for key in values[region]:
                if needs_column(key, ledger, column):
                    values[region][key] = None
        if not sent.get(ledger, set(regions)) - lacking:
            city = dict.fromkeys(values[CITY])
        else:
            sub = {k: tables[k][~tables[k]["region"].isin(lacking)] for k in ("activities", "signings", "projects")}
            city = scope_indicators(sub, period, cfg)
        for key in values[CITY]:
            if needs_column(key, ledger, column) and values[CITY][key] is not None:
                values[CITY][key] = city[key]


def _target(targets: pd.DataFrame, region: str, column: str):
    rows = targets[targets["region"] == region]
    vals = pd.to_numeric(rows[column], errors="coerce").dropna()
    return float(vals.iloc[0]) if len(vals) else None


def compute(tables: dict[str, pd.DataFrame], period: str | Period, cfg: Config) -> pd.DataFrame:
    """The long indicators table for ``period`` (see module docstring), with the
    configuration ``cfg`` (regions, definitions)."""
    period = Period.parse(period)
    tables = {k: typed(v) if k in LEDGERS else v for k, v in tables.items()}
    regions = list(cfg.region_names)
    bands = cfg.definitions.bands
    time_progress = period.month / 12
    targets = tables["targets"]

    values: dict[str, dict[str, object]] = {}
    values[CITY] = scope_indicators(tables, period, cfg)
    for region in regions:
        sub = {k: tables[k][tables[k]["region"] == region] for k in ("activities", "signings", "projects")}
        values[region] = scope_indicators(sub, period, cfg)
    sent = submitted(tables, regions)
    for ledger in SUBMITTED_LEDGERS:  # empty, never 0, where the figures are not known
        for region in regions:
            if region not in sent[ledger]:
                _blank(values[region], ledger)
        if not sent[ledger]:
            _blank(values[CITY], ledger)
    _blank_missing(values, tables, period, cfg, sent)

    def targets_of(column):
        """Region targets, and the city's: given in the file, else the regions' sum."""
        by_region = {r: _target(targets, r, column) for r in regions}
        city = _target(targets, CITY, column)
        if city is None and any(v is not None for v in by_region.values()):
            city = round(sum(v for v in by_region.values() if v is not None), 4)
        return {CITY: city, **by_region}

    amount_targets = targets_of("signed_amount_target")
    project_targets = targets_of("signed_projects_target")
    for scope, target in amount_targets.items():
        v = values[scope]
        v["signed_amount_target"] = target
        v["signed_projects_target"] = None if project_targets[scope] is None else int(project_targets[scope])
        v["signed_amount_completion"] = rate(v["signed_amount"], target)
        if scope == CITY:
            v["time_progress"] = time_progress
        v["signed_light"] = light(v["signed_amount_completion"], time_progress, bands)
    add_funds_target(values, targets_of("funds_in_place_target"))

    ranks = defs.rank({r: values[r]["signed_amount_completion"] for r in regions}, cfg.definitions.rank_ties)
    for r in regions:
        values[r]["signed_completion_rank"] = ranks[r]

    order = [
        "activities",
        "leads",
        "online_activities",
        "online_leads",
        "signed_projects",
        "signed_amount",
        "online_signed_projects",
        "online_signed_amount",
        "signed_amount_target",
        "signed_projects_target",
        "signed_amount_completion",
        "time_progress",
        "signed_light",
        "signed_completion_rank",
    ]
    for ledger in SUBMITTED_LEDGERS:
        values[CITY][f"{ledger}_submitted"] = len(sent[ledger])
        for region in regions:
            values[region][f"{ledger}_submitted"] = int(region in sent[ledger])
    order += [k for k in values[CITY] if k not in order]
    rows = []
    for scope in [CITY, *regions]:
        for key in order:
            if key not in values[scope]:
                continue
            rows.append(
                {"period": str(period), "region": scope, "indicator": key, "value": format_value(values[scope][key])}
            )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def add_funds_target(values: dict[str, dict[str, object]], targets: dict[str, float | None]) -> None:
    """``funds_in_place_target`` (the targets table's 到位资金目标; 全市: as given, else
    the regions' sum) and ``funds_in_place_completion`` (funds in place / target) per
    scope; both empty where there is no target, the completion also where the funds
    are not known."""
    for scope, target in targets.items():
        values[scope]["funds_in_place_target"] = target
        values[scope]["funds_in_place_completion"] = rate(values[scope].get("funds_in_place"), target)


def format_value(value) -> str:
    """How a value is written in indicators.csv.

    >>> format_value(70), format_value(1503300.0), format_value(0.5), format_value(None), format_value(1.5e-05)
    ('70', '1503300', '0.5', '', '0.000015')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    # never scientific notation (1e-05): the shortest repr's digits, written out
    return format(Decimal(text), "f") if "e" in text else text
