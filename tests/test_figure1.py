"""Figure 1 (issue 23): the monthly cumulative signings from the records' own signing
dates for every month of the year so far; activities and key projects started from the
month snapshots where they exist, else absent (never 0)."""

from __future__ import annotations

import pandas as pd
import pytest

from bulletin.contract import TIERS
from bulletin.indicators.compute import monthly_signings
from bulletin.report import figures
from bulletin.report.document import Numbers
from report_demo import PERIOD, REGIONS, edition, write_demo_processed

LINEAGE = {"source_file": "x.xlsx", "source_sheet": "签约", "source_row": 3}


def _signing(region, day, amount, out=True):
    return {"region": region, "project": f"{region}{day}", "out_of_province": out, "signed_on": day,
            "amount": amount, "online": False, **LINEAGE}  # fmt: skip


RECORDS = [
    _signing("宝清县", "2020-01-10", 10000),
    _signing("饶河县", "2020-02-03", 7000),
    _signing("宝清县", "2020-03-31", 20000),
    _signing("尖山区", "2020-04-01", 999999, out=False),  # in province: never counted
    _signing("饶河县", "2020-05-20", 3000),
    _signing("宝清县", "2020-06-30", 5000),
    _signing("集贤县", "2020-07-02", 888888),  # after the period
    _signing("集贤县", "", 777777),  # no date: in no month
]


def _per_region(values: dict[str, int]) -> list[int]:
    return [values.get(r, 0) for r in REGIONS]


def _write(tmp_path, records=RECORDS, amounts=None):
    """The demo with this module's signings: indicators.csv gives the records' totals
    (宝清县 3 signings, 35000; 饶河县 2, 10000) unless ``amounts`` says otherwise; a May
    snapshot in history.csv with 5 activities less per county and no 2020-01…04 one."""
    amounts = amounts or {"宝清县": 35000, "饶河县": 10000}
    overrides = {
        "signed_projects": _per_region({"宝清县": 3, "饶河县": 2}),
        "signed_amount": _per_region(amounts),
    }
    may = {"activities": [5] * len(REGIONS), **{f"{t}_started": [1] * len(REGIONS) for t in TIERS}}
    base = write_demo_processed(tmp_path, overrides=overrides, history={"2020-05": may})
    pd.DataFrame(records).to_csv(base / PERIOD / "signings.csv", index=False)
    return base


def test_monthly_signings_by_hand():
    got = monthly_signings(pd.DataFrame(RECORDS), PERIOD)
    # Jan 宝清 10000; Feb + 饶河 7000; Mar + 宝清 20000; Apr nothing counted; May + 3000; Jun + 5000
    assert got == [(1, 10000), (2, 17000), (3, 37000), (3, 37000), (4, 40000), (5, 45000)]
    assert monthly_signings(pd.DataFrame(RECORDS), "2020-02") == [(1, 10000), (2, 17000)]


def test_the_city_series_for_months_without_snapshots(tmp_path):
    series = figures.monthly_series(edition(_write(tmp_path)))
    assert series.from_records and series.months == [1, 2, 3, 4, 5, 6]
    assert series.signed_projects == [1, 2, 3, 3, 4, 5]
    assert series.signed_amount == [10000, 17000, 37000, 37000, 40000, 45000]
    # activities and started projects: only May's snapshot and June's own figures; the
    # months without a snapshot are absent, not 0
    demo_activities = 70  # report_demo's 全市 activities
    assert series.activities == [None, None, None, None, 5 * len(REGIONS), demo_activities]
    assert series.started[:4] == [None] * 4 and series.started[4] == len(TIERS) * len(REGIONS)


def test_a_county_series_is_its_own_records(tmp_path):
    series = figures.monthly_series(edition(_write(tmp_path), region="宝清县"))
    assert series.signed_projects == [1, 1, 2, 2, 2, 3]
    assert series.signed_amount == [10000, 10000, 30000, 30000, 30000, 35000]
    assert series.activities[:4] == [None] * 4 and series.activities[4] == 5


def test_records_that_do_not_give_the_published_figure_are_not_used(tmp_path):
    # indicators.csv says 宝清县 signed 36000, its records 35000: the snapshots instead
    series = figures.monthly_series(edition(_write(tmp_path, amounts={"宝清县": 36000, "饶河县": 10000})))
    assert not series.from_records
    assert series.signed_amount[:4] == [None] * 4 and series.signed_amount[5] == 46000


def test_the_chart_draws_the_series(tmp_path, monkeypatch):
    seen = {}

    def fake_draw(chart, months, amounts, *rest, **kw):
        seen.update(months=months, amounts=amounts)
        return "<svg/>", "<svg/>", ""

    monkeypatch.setattr(figures.drawing, "draw_widths", fake_draw)
    chart = figures.monthly_chart(edition(_write(tmp_path)), Numbers("zh"), "图")
    assert chart is not None and chart.number == "图1"
    assert seen == {"months": [1, 2, 3, 4, 5, 6], "amounts": [10000, 17000, 37000, 37000, 40000, 45000]}
    assert None not in seen["amounts"]  # no "无数据" bar for 1–4月 any more


@pytest.mark.parametrize("period", ["2020-01", "2020-12"])
def test_first_and_last_month(period):
    got = monthly_signings(pd.DataFrame(RECORDS), period)
    assert len(got) == int(period[5:]) and got[0] == (1, 10000)
    assert got[-1] == ((1, 10000) if period == "2020-01" else (6, 933888))
