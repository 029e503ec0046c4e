"""同比: the headline figures against last year's same month (history.csv, SPEC §1),
like for like.

A county whose ledger of a kind is missing in either year (not submitted, unreadable,
or not a region then) is left out of **both** sides of that kind's comparisons, and the
sentence names it: 与上年同期相比（可比口径，两年均不含岭东区签约项目），… The 全市
figures are then the sums over the counties in both years (a rate: its summed numerator
over its summed denominator); with every county in both years they are 全市's own
figures. Changes are computed from the figures as shown (:func:`format.change`), as the
环比 sentence does.
"""

from __future__ import annotations

from dataclasses import dataclass

from bulletin.contract import CITY, TIERS
from bulletin.report import format as fmt
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, sentence, tier_name

# indicator, kind, ledger, (numerator, denominator) of a rate — None: a sum
HEADLINE = (
    ("signed_projects", "count", "signings", None),
    ("signed_amount", "money", "signings", None),
    ("activities", "count", "activities", None),
    *((f"{t}_start_rate", "pct", "projects", (f"{t}_started", f"{t}_projects")) for t in TIERS),
)
# the figure that says a region's ledger of that kind is there in a year (empty: missing)
PRESENCE = {"signings": "signed_projects", "activities": "activities", "projects": f"{TIERS[0]}_projects"}


@dataclass(frozen=True)
class Pair:
    now: object
    before: object


def missing_regions(ed: Edition, earlier: str) -> dict[str, list[str]]:
    """Ledger kind → the regions left out of its comparison: those whose figures of that
    kind are missing this period or in ``earlier`` (registry order, then any other)."""
    data = ed.data
    before = data.history.get(earlier)
    then = [r for r in (before.index if before is not None else []) if r != CITY]
    regions = sorted(set(data.regions) | set(then), key=data.region_order())
    return {
        ledger: [r for r in regions if data.value(r, probe) is None or data.value(r, probe, earlier) is None]
        for ledger, probe in PRESENCE.items()
    }


def _sum(ed: Edition, indicator: str, regions: list[str], period: str | None) -> float | None:
    values = [ed.num(r, indicator, period) for r in regions]
    return None if any(v is None for v in values) else sum(values)


def pair(ed: Edition, item: tuple, earlier: str, left_out: list[str]) -> Pair:
    """This period's and ``earlier``'s figure of ``item`` (:data:`HEADLINE`) for the
    edition's subject; 全市 over the regions in both years when some are ``left_out``."""
    indicator, _, _, parts = item
    s = ed.subject
    if s != CITY or not left_out:
        if s in left_out:
            return Pair(None, None)
        return Pair(ed.value(s, indicator), ed.value(s, indicator, earlier))
    both = [r for r in ed.data.regions if r not in left_out]
    if not both:
        return Pair(None, None)
    if parts is None:
        return Pair(_sum(ed, indicator, both, None), _sum(ed, indicator, both, earlier))
    num, den = parts
    return Pair(*(_ratio(_sum(ed, num, both, p), _sum(ed, den, both, p)) for p in (None, earlier)))


def _ratio(a, b):
    return None if a is None or not b else a / b


def clause(ed: Edition, item: tuple, p: Pair) -> str:
    """One change (增加/减少 …（增长/下降 …%）; a rate: 提高/降低 … 个百分点); '' when
    either figure is missing."""
    lang, (indicator, kind, _, _) = ed.lang, item
    diff = fmt.change(kind, p.now, p.before, lang)
    if diff is None:
        return ""
    rate_of = kind == "pct"
    key = "yoy.start_rate" if rate_of else f"trend.{indicator}"
    tier = {"tier": tier_name(indicator.removesuffix("_start_rate"), lang)} if rate_of else {}
    if diff == 0:
        return label(f"{key}_same", lang, **tier)
    verb = label(("trend.pp_" if rate_of else "trend.") + ("up" if diff > 0 else "down"), lang)
    if kind == "money":
        return label(key, lang, verb=verb, amount=fmt.plain(diff, fmt.MONEY_PLACES[lang])) + _growth(ed, kind, p, diff)
    if rate_of:
        return label(key, lang, verb=verb, points=fmt.plain(diff, 1), **tier)
    return label(key, lang, verb=verb, n=fmt.plain(diff, 0)) + _growth(ed, kind, p, diff)


def _growth(ed: Edition, kind: str, p: Pair, diff) -> str:
    rate = fmt.growth(fmt.shown(kind, p.now, ed.lang), fmt.shown(kind, p.before, ed.lang))
    if rate is None:
        return ""
    word = label("trend.grow" if diff > 0 else "trend.fall", ed.lang, rate=rate)
    return label("trend.growth", ed.lang, change=word)


def scope(ed: Edition, missing: dict[str, list[str]]) -> str:
    """（可比口径，两年均不含岭东区签约项目、四方台区重点项目）; '' when nothing is left
    out (a county edition: never, its own figures are compared or not at all)."""
    if ed.region:
        return ""
    lang, by_region = ed.lang, {}
    for ledger, regions in missing.items():
        for r in regions:
            by_region.setdefault(r, []).append(label(f"miss.ledger.{ledger}", lang))
    if not by_region:
        return ""
    items = [label("yoy.scope_item", lang, region=ed.name(r), ledgers=join(x, lang)) for r, x in by_region.items()]
    return label("yoy.scope", lang, items=join(items, lang))


def text(ed: Edition) -> str:
    """The 同比 sentence; '' when history.csv has no snapshot of last year's same month
    or no headline figure can be compared."""
    earlier = ed.data.last_year_period
    if not earlier:
        return ""
    missing = missing_regions(ed, earlier)
    clauses = [clause(ed, item, pair(ed, item, earlier, missing[item[2]])) for item in HEADLINE]
    clauses = [c for c in clauses if c]
    if not clauses:
        return ""
    lang = ed.lang
    head = label("trend.yoy", lang) + scope(ed, missing) + label("p.comma", lang)
    return sentence([head + clauses[0], *clauses[1:]], lang)
