"""The sample's last year's same month (2019-06, bulletin.sample.last_year): written by
default, read cleanly, its figures the plan's (hand sums), and picked up as history for
the 同比 of 2020-06."""

from __future__ import annotations

import pytest

from bulletin.config import load_config
from bulletin.contract import CITY, TIERS
from bulletin.indicators.compute import compute
from bulletin.paths import history_periods
from bulletin.sample import ALL_PERIODS, LAST_YEAR, last_year, write_sample
from bulletin.store import indicator_table
from conftest import read


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw")
    write_sample(root, (LAST_YEAR,))
    return root


def test_the_demo_writes_last_years_month_by_default():
    assert ALL_PERIODS == ("2019-06", "2020-05", "2020-06")


def test_history_picks_up_last_years_month(raw):
    (raw / "2020-06").mkdir()
    assert history_periods("2020-06", raw) == ["2019-06"]
    assert history_periods("2020-05", raw) == []  # no 2019-05: no 同比 for May


def test_last_years_figures_are_the_plan(raw):
    res = read(raw / LAST_YEAR, LAST_YEAR)
    assert res.findings.empty  # a tidy year: nothing to report
    w = indicator_table(compute(res.tables, LAST_YEAR, load_config()))
    assert w.loc[CITY, "signed_projects"] == sum(n for n, _ in last_year.SIGNINGS.values()) == 36
    assert w.loc[CITY, "signed_amount"] == sum(a for _, a in last_year.SIGNINGS.values()) == 1_040_000
    assert w.loc[CITY, "activities"] == sum(last_year.ACTIVITIES.values()) == 52
    for region, (n, amount) in last_year.SIGNINGS.items():
        assert (w.loc[region, "signed_projects"], w.loc[region, "signed_amount"]) == (n, amount)
        assert w.loc[region, "signed_amount_target"] == last_year.TARGETS[region] * 10_000
    for tier in TIERS:
        plan = [last_year.PROJECTS[r][tier] for r in last_year.PROJECTS]
        assert w.loc[CITY, f"{tier}_projects"] == sum(n for n, _ in plan)
        assert w.loc[CITY, f"{tier}_started"] == sum(s for _, s in plan)
    # fewer and lower than 2020-06 (50 signings, 1,503,300 万元, 70 activities)
    assert w.loc[CITY, "signed_amount"] < 1_503_300 and w.loc[CITY, "activities"] < 70
