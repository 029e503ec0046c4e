"""The figures the sample city's ledgers must give, derived here — in the tests, with
their own plain arithmetic — from the generator's clean records
(:func:`bulletin.sample.records.build_records`), never from the workbooks and never
with the package's indicator code: an independent check of the readers and formulas.

``expected_figures(period)`` → ``{region or "全市": {indicator_id: value}}``: the SPEC
§4 base figures (counts as ints, amounts as floats in 万元 rounded to 4 decimals);
rates are left to the caller (``T_started / T_projects``). ``funds_in_place`` (SPEC §9)
is present only where some counted signing has a 到位资金 figure (else the indicator is
empty). The article's own figures
are the approved figures of tests/test_end_to_end.py, written there as numbers.
"""

from __future__ import annotations

from datetime import date

from bulletin.sample.records import build_records

PERIODS = ("2020-05", "2020-06")
REGIONS = ("尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县")
TIERS = ("provincial_key", "municipal_key", "industrial")
CITY = "全市"
YEAR_START = date(2020, 1, 1)
PERIOD_END = {"2020-05": date(2020, 5, 31), "2020-06": date(2020, 6, 30)}


def region_figures(records, region: str, period: str) -> dict:
    end = PERIOD_END[period]
    acts = [a for a in records.activities if a.region == region and YEAR_START <= a.held_on <= end]
    signs = [
        s
        for s in records.signings
        if s.region == region and not s.bad and s.out_of_province and YEAR_START <= s.signed_on <= end
    ]
    fig: dict[str, float | int] = {
        "activities": len(acts),
        "leads": sum(a.leads or 0 for a in acts),
        "online_activities": sum(1 for a in acts if a.online),
        "online_leads": sum(a.leads or 0 for a in acts if a.online),
        "signed_projects": len(signs),
        "signed_amount": float(sum(s.amount for s in signs)),
        "online_signed_projects": sum(1 for s in signs if s.online),
        "online_signed_amount": float(sum(s.amount for s in signs if s.online)),
        "large_signed_projects": sum(1 for s in signs if s.amount >= 10000),
        "large_signed_amount": float(sum(s.amount for s in signs if s.amount >= 10000)),
        "funds_in_place_filled": sum(1 for s in signs if s.funds is not None),
        "signed_amount_target": float(records.targets[region][0]),
        "signed_projects_target": records.targets[region][1],
    }
    if fig["funds_in_place_filled"]:  # else empty: the county's ledger has no 到位资金 column
        fig["funds_in_place"] = float(sum(s.funds for s in signs if s.funds is not None))
    for tier in TIERS:
        projects = [p for p in records.projects if p.region == region and p.tier == tier and not p.bad]
        states = [p.states[period] for p in projects]
        fig[f"{tier}_projects"] = len(projects)
        fig[f"{tier}_started"] = sum(1 for s in states if s.started)
        fig[f"{tier}_planned_investment"] = float(sum(p.planned for p in projects))
        fig[f"{tier}_completed_investment"] = float(sum(s.completed for s in states))
        fig[f"{tier}_in_statistics"] = sum(1 for s in states if s.started and s.in_statistics)
    return fig


def expected_figures(period: str) -> dict[str, dict[str, float | int]]:
    """SPEC §4 base figures for 全市 and every region, from the clean records."""
    if period not in PERIODS:
        raise ValueError(f"sample data exists for {PERIODS}, not {period!r}")
    records = build_records()
    regions = {r: region_figures(records, r, period) for r in REGIONS}
    city: dict[str, float | int] = {}
    for key in dict.fromkeys(k for r in REGIONS for k in regions[r]):
        total = sum(regions[r][key] for r in REGIONS if key in regions[r])
        city[key] = round(total, 4) if isinstance(total, float) else total
    for fig in regions.values():
        for key, value in fig.items():
            if isinstance(value, float):
                fig[key] = round(value, 4)
    return {CITY: city, **regions}
