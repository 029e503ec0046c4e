"""SPEC §9 breakdowns: ``breakdowns.csv`` = ``period, region, dimension, key, indicator,
value`` for 全市 and each region (registry order), money in 万元 as in indicators.csv.

* ``chain`` — over the signings counted in ``signed_projects`` (out of province, in the
  period): key = the city's chain (config ``chains.yaml``, in its order) or ``其他``
  (a chain the city does not have, and a blank chain cell); ``signed_projects``,
  ``signed_amount``.
* ``origin_area`` — the same signings by the area of the investor's origin (config
  ``places.yaml`` ``areas``): 长三角, 珠三角, 京津冀, 港澳台, 东北地区, then 境外 and
  其他地区; ``来源地不详`` when an out-of-province signing's origin names no place.
* ``leader`` — the year's key projects (``leader_tiers``, all three tiers by default)
  by 包保领导 (:func:`leader_key`; ``未明确包保领导`` when blank): ``projects``,
  ``started``, ``start_rate``.

Every configured chain and area is listed for every region, with 0 when it has no
signing, so "which chains have no signing yet" is a question the table answers;
``其他`` is always listed; ``来源地不详`` only when it is not 0; a leader only where he
or she has projects. Within each region the sum over keys is the headline figure of
indicators.csv (``signed_projects``, ``signed_amount``, the tiers' ``projects`` and
``started``). A region whose headline figure is empty (it did not submit that ledger,
SPEC §7) has empty values here too, never 0. A county whose project ledger has no
status column (SPEC §12) has its leaders' ``started`` and ``start_rate`` empty; 全市's
leaders count its projects but take ``started`` and ``start_rate`` over the other
counties' projects, as the headline figures do (a leader with no project there: empty).
"""

from __future__ import annotations

import pandas as pd

from bulletin.config import Config
from bulletin.contract import BREAKDOWN_COLUMNS, BREAKDOWNS, CITY, RECORD_COLUMNS, Period
from bulletin.indicators.compute import format_value, in_period, rate
from bulletin.ledgers.normalise import cached_table
from bulletin.store import typed
from bulletin.text import norm_key, norm_text


def simplified(value) -> str:
    """A text as compared: trimmed, full-width → half-width, traditional → simplified and
    without white space (``已 開工`` → ``已开工``); blank and NaN → ``""``.

    >>> simplified(" 已開工 "), simplified("張　三"), simplified(None), simplified(float("nan"))
    ('已开工', '张三', '', '')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return "".join(norm_text(value).split())


def leader_key(value, blank: str = "") -> str:
    """The key of a 包保领导 cell: the leader as written, simplified (:func:`simplified`:
    ``张  三`` padded for alignment is ``张三``); ``blank`` when empty. A cell naming two
    leaders is one key, as written."""
    return simplified(value) or blank


def counted_signings(signings: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The signings counted in ``signed_projects``: out of province, signed in the
    period (typed records)."""
    sign = in_period(typed(signings), "signed_on", period)
    return sign[sign["out_of_province"].fillna(False).astype(bool)]


# --------------------------------------------------------------------------- areas
def _area_table(cfg: Config):
    return cached_table("areas", cfg, _build_area_table)


def _build_area_table(cfg: Config):
    places, d = cfg.raw["places"], cfg.definitions
    area_of = {province: area for area, members in d.areas for province in members}
    home = tuple(norm_key(x) for x in places["home_province_aliases"])
    provinces = tuple(
        (norm_key(alias), area_of.get(province, d.area_other))
        for province, aliases in places["provinces"].items()
        for alias in aliases
        if norm_key(alias)
    )
    home_cities = tuple(norm_key(x) for x in places["home_cities"])
    countries = tuple(norm_key(x) for x in places["countries"])
    return home, provinces, home_cities, countries


def origin_area(origin, cfg: Config) -> str | None:
    """The area of an investor's origin, looked at in the order of SPEC rule 11
    (the home province, other provinces, home cities, countries); the province named
    first in the text wins. None: blank, in the home province, or no known place.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> origin_area("上海市宝山区", cfg), origin_area("廣東深圳", cfg), origin_area("吉林省长春市", cfg)
    ('长三角', '珠三角', '东北地区')
    >>> [origin_area(o, cfg) for o in ("香港", "日本东京", "四川成都", "哈尔滨")]
    ['港澳台', '境外', '其他地区', None]
    """
    key = norm_key(origin) if isinstance(origin, str) else ""
    if not key:
        return None
    home, provinces, home_cities, countries = _area_table(cfg)
    if any(h in key for h in home):
        return None
    found = [(key.find(alias), -len(alias), area) for alias, area in provinces if alias in key]
    if found:
        return min(found)[2]
    if any(h in key for h in home_cities):
        return None
    if any(c in key for c in countries):
        return cfg.definitions.area_foreign
    return None


# --------------------------------------------------------------------------- breakdowns
def _money(series) -> float:
    return round(float(pd.to_numeric(series, errors="coerce").fillna(0).sum()), 4)


def _signing_rows(sign: pd.DataFrame, column: str, keys: list[str], extra: list[str]) -> list[tuple]:
    groups = {k: g for k, g in sign.groupby(column, sort=False)}
    out = []
    for key in keys + [k for k in extra if k in groups]:
        g = groups.get(key)
        n = 0 if g is None else len(g)
        amount = 0.0 if g is None else _money(g["amount"])
        out += [(key, "signed_projects", n), (key, "signed_amount", amount)]
    return out


def _leader_rows(projects: pd.DataFrame, blank: str, unknown: frozenset = frozenset()) -> list[tuple]:
    """Per leader key: projects, started, start rate. ``unknown``: the regions whose
    start status is not known (their ledger has no status column): their projects
    count, but neither as started nor as not started — ``started`` and ``start_rate``
    are over the projects of the other regions, as the headline's (empty when a
    leader has none there)."""
    if not len(projects):
        return []
    p = projects.assign(_key=projects["lead"].map(lambda v: leader_key(v, blank)))
    known = ~p["region"].isin(unknown)
    started = p["started"].fillna(False).astype(bool) & known
    table = pd.DataFrame({"key": p["_key"], "started": started.astype(int), "known": known.astype(int)})
    stats = table.groupby("key", sort=False).agg(
        projects=("started", "size"), started=("started", "sum"), known=("known", "sum")
    )
    stats["blank"] = stats.index == blank
    stats["first"] = range(len(stats))
    stats = stats.sort_values(["blank", "projects", "first"], ascending=[True, False, True], kind="stable")
    out = []
    for key, row in stats.iterrows():
        n, s, k = int(row["projects"]), int(row["started"]), int(row["known"])
        out += [(key, "projects", n), (key, "started", s if k else None), (key, "start_rate", rate(s, k))]
    return out


def _empty(region: str, indicators: pd.DataFrame | None, indicator: str) -> bool:
    """Whether ``region``'s headline figure is empty in indicators.csv (not submitted)."""
    if indicators is None:
        return False
    hit = indicators[(indicators["region"] == region) & (indicators["indicator"] == indicator)]
    return len(hit) > 0 and str(hit["value"].iloc[0]) == ""


def breakdowns(
    tables: dict[str, pd.DataFrame],
    period: str | Period,
    cfg: Config,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The long breakdowns table (module docstring) with the configuration ``cfg``.
    ``indicators``: the period's indicators.csv (as text); where a region's headline
    figure is empty, so are its breakdown values."""
    period = Period.parse(period)
    d = cfg.definitions
    tables = {k: typed(tables[k].reindex(columns=RECORD_COLUMNS[k])) for k in ("signings", "projects")}
    sign = counted_signings(tables["signings"], period)
    other = cfg.raw["chains"]["other"]
    # a user's chains.yaml may list one of ours again to add aliases: each name once
    chains = list(dict.fromkeys(c["name"] for c in cfg.raw["chains"]["chains"] if c["name"] != other))
    chain = sign["chain"].map(lambda v: v if isinstance(v, str) and v in chains else other)
    area = sign["origin"].map(lambda v: origin_area(v, cfg) or d.area_unknown)
    sign = sign.assign(_chain=chain, _area=area)
    projects = tables["projects"]
    projects = projects[projects["tier"].isin(d.leader_tiers)]
    lead_headline = f"{d.leader_tiers[0]}_projects"

    def no_status(region: str) -> bool:  # a region whose ledger has no status column (SPEC §12)
        started = f"{d.leader_tiers[0]}_started"
        return _empty(region, indicators, started) and not _empty(region, indicators, lead_headline)

    unknown = frozenset(r for r in cfg.region_names if no_status(r))
    rows = []
    for region in [CITY, *cfg.region_names]:
        s = sign if region == CITY else sign[sign["region"] == region]
        p = projects if region == CITY else projects[projects["region"] == region]
        blank_sign = _empty(region, indicators, "signed_projects")
        parts = {
            "chain": _signing_rows(s, "_chain", [*chains, other], []),
            "origin_area": _signing_rows(s, "_area", list(d.area_keys), [d.area_unknown]),
            # the city's leaders: started and start rate over the regions with a status column
            "leader": _leader_rows(p, d.leader_blank, unknown),
        }
        # a county without a status column has its leaders' start figures empty
        status_gone = region in unknown
        for dimension, items in parts.items():
            empty = blank_sign if dimension != "leader" else _empty(region, indicators, lead_headline)
            for key, indicator, value in items:
                gone = empty or (dimension == "leader" and status_gone and indicator in ("started", "start_rate"))
                value = "" if gone else format_value(value)
                rows.append((str(period), region, dimension, key, indicator, value))
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


def breakdown_table(long: pd.DataFrame, dimension: str, region: str | None = None) -> pd.DataFrame:
    """One dimension of a breakdowns table as a tidy frame: one row per region and key
    (file order), one column per indicator (floats; NaN where empty).

    >>> long = pd.DataFrame([("2020-06", "全市", "chain", "生态旅游", "signed_projects", "2"),
    ...                      ("2020-06", "全市", "chain", "生态旅游", "signed_amount", "1500.5")],
    ...                     columns=BREAKDOWN_COLUMNS)
    >>> breakdown_table(long, "chain").to_dict("records")
    [{'region': '全市', 'key': '生态旅游', 'signed_projects': 2.0, 'signed_amount': 1500.5}]
    """
    if dimension not in BREAKDOWNS:
        raise KeyError(f"unknown dimension {dimension!r}: one of {', '.join(BREAKDOWNS)}")
    rows = long[long["dimension"] == dimension]
    if region is not None:
        rows = rows[rows["region"] == region]
    values = pd.to_numeric(rows["value"].astype(str).replace("", None), errors="coerce").astype(float)
    rows = rows.assign(value=values)
    order = rows[["region", "key"]].drop_duplicates()
    wide = rows.pivot(index=["region", "key"], columns="indicator", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(order))
    wide = wide.reindex(columns=list(BREAKDOWNS[dimension]))
    wide.columns.name = None
    return wide.reset_index()
