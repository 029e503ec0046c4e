"""SPEC §4 formulas against small hand-computed record tables."""

import datetime as dt

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import LINEAGE, RECORD_COLUMNS
from bulletin.indicators.compute import compute, light, rate
from bulletin.store import indicator_table

D = dt.date


def frame(ledger, rows):
    cols = RECORD_COLUMNS[ledger] + LINEAGE
    return pd.DataFrame([{**{c: None for c in cols}, **r} for r in rows], columns=cols)


@pytest.fixture
def tables():
    signings = frame(
        "signings",
        [
            # 宝清县: two out-of-province (one online), one in-province, one after the period
            dict(
                region="宝清县", project="A", signed_on=D(2020, 3, 1), amount=30000.0, out_of_province=True, online=True
            ),
            dict(
                region="宝清县",
                project="B",
                signed_on=D(2020, 6, 30),
                amount=12000.5,
                out_of_province=True,
                online=False,
            ),
            dict(
                region="宝清县",
                project="C",
                signed_on=D(2020, 5, 1),
                amount=99999.0,
                out_of_province=False,
                online=False,
            ),
            dict(
                region="宝清县",
                project="D",
                signed_on=D(2020, 7, 1),
                amount=50000.0,
                out_of_province=True,
                online=False,
            ),
            # 饶河县: one, last year's one not counted
            dict(
                region="饶河县", project="E", signed_on=D(2020, 1, 1), amount=8000.0, out_of_province=True, online=False
            ),
            dict(
                region="饶河县",
                project="F",
                signed_on=D(2019, 12, 31),
                amount=7000.0,
                out_of_province=True,
                online=True,
            ),
        ],
    )
    activities = frame(
        "activities",
        [
            dict(region="宝清县", held_on=D(2020, 2, 1), kind="视频推介", leads=5.0, online=True),
            dict(region="宝清县", held_on=D(2020, 6, 1), kind="外出招商", leads=None, online=False),
            dict(region="饶河县", held_on=D(2020, 4, 1), kind="外出招商", leads=2.0, online=False),
            dict(region="饶河县", held_on=D(2020, 8, 1), kind="云招商", leads=9.0, online=True),
        ],
    )
    projects = frame(
        "projects",
        [
            dict(
                region="宝清县",
                project="P1",
                tier="provincial_key",
                planned_investment=1000.0,
                completed_investment=200.0,
                started=True,
                in_statistics=True,
            ),
            dict(
                region="宝清县",
                project="P2",
                tier="provincial_key",
                planned_investment=3000.0,
                completed_investment=None,
                started=False,
                in_statistics=None,
            ),
            dict(
                region="饶河县",
                project="P3",
                tier="provincial_key",
                planned_investment=1000.0,
                completed_investment=100.0,
                started=True,
                in_statistics=False,
            ),
            dict(
                region="饶河县",
                project="P4",
                tier="industrial",
                planned_investment=500.0,
                completed_investment=50.0,
                started=True,
                in_statistics=True,
            ),
        ],
    )
    targets = frame(
        "targets",
        [
            dict(region="宝清县", signed_amount_target=80000.0),
            dict(region="饶河县", signed_amount_target=40000.0),
            dict(region="尖山区", signed_amount_target=10000.0),
        ],
    )
    return dict(signings=signings, activities=activities, projects=projects, targets=targets)


def wide(tables, period="2020-06"):
    return indicator_table(compute(tables, period, load_config()))


def test_rate_and_light():
    assert rate(1, 0) is None and rate(0, 5) == 0
    assert light(0.5, 0.5, 0.1) == "green"
    assert light(0.4, 0.5, 0.1) == "yellow"
    assert light(0.3999, 0.5, 0.1) == "red"


def test_counts_and_amounts(tables):
    w = wide(tables)
    assert w.loc["宝清县", "signed_projects"] == 2
    assert w.loc["宝清县", "signed_amount"] == pytest.approx(42000.5)
    assert w.loc["宝清县", "online_signed_amount"] == pytest.approx(30000.0)
    assert w.loc["饶河县", "signed_projects"] == 1  # 2019 and in-province not counted
    assert w.loc["全市", "signed_projects"] == 3
    assert w.loc["全市", "signed_amount"] == pytest.approx(50000.5)
    assert w.loc["全市", "activities"] == 3  # the August one is after the period
    assert w.loc["全市", "leads"] == 7
    assert w.loc["全市", "online_leads"] == 5
    assert w.loc["尖山区", "signed_projects"] == 0


def test_targets_completion_lights_ranks(tables):
    w = wide(tables)
    assert w.loc["全市", "signed_amount_target"] == 130000.0  # sum of the regions
    assert w.loc["宝清县", "signed_amount_completion"] == pytest.approx(42000.5 / 80000)
    assert w.loc["饶河县", "signed_amount_completion"] == pytest.approx(0.2)
    assert w.loc["全市", "time_progress"] == 0.5
    assert pd.isna(w.loc["宝清县", "time_progress"])
    assert w.loc["宝清县", "signed_light"] == "green"  # 0.525 ≥ 0.5
    assert w.loc["饶河县", "signed_light"] == "red"  # 0.2 < 0.4
    assert w.loc["尖山区", "signed_light"] == "red"  # 0 of 10000
    assert w.loc["宝清县", "signed_completion_rank"] == 1
    assert w.loc["饶河县", "signed_completion_rank"] == 2
    assert w.loc["尖山区", "signed_completion_rank"] == 3
    assert pd.isna(w.loc["岭东区", "signed_completion_rank"])  # no target
    assert w.loc["岭东区", "signed_light"] == ""
    assert pd.isna(w.loc["全市", "signed_completion_rank"])


def test_city_target_given_explicitly_wins(tables):
    tables["targets"] = pd.concat(
        [tables["targets"], frame("targets", [dict(region="全市", signed_amount_target=200000.0)])], ignore_index=True
    )
    assert wide(tables).loc["全市", "signed_amount_target"] == 200000.0


def test_tiers(tables):
    w = wide(tables)
    assert w.loc["全市", "provincial_key_projects"] == 3
    assert w.loc["全市", "provincial_key_started"] == 2
    assert w.loc["全市", "provincial_key_start_rate"] == pytest.approx(2 / 3)
    assert w.loc["全市", "provincial_key_completed_investment"] == 300.0  # blank counts 0
    assert w.loc["全市", "provincial_key_investment_rate"] == pytest.approx(300 / 5000)
    assert w.loc["全市", "provincial_key_in_statistics"] == 1
    assert w.loc["全市", "provincial_key_in_statistics_rate"] == pytest.approx(0.5)
    # zero denominators are empty, never 0
    assert w.loc["全市", "municipal_key_projects"] == 0
    assert pd.isna(w.loc["全市", "municipal_key_start_rate"])
    assert pd.isna(w.loc["全市", "municipal_key_investment_rate"])
    assert pd.isna(w.loc["宝清县", "industrial_in_statistics_rate"])


def test_month_12_and_month_1(tables):
    w12 = wide(tables, "2020-12")
    assert w12.loc["全市", "time_progress"] == 1.0
    assert w12.loc["全市", "activities"] == 4
    assert w12.loc["宝清县", "signed_projects"] == 3
    w1 = wide(tables, "2020-01")
    assert w1.loc["全市", "time_progress"] == pytest.approx(1 / 12)
    assert w1.loc["全市", "signed_projects"] == 1


def test_csv_shape(tables):
    long = compute(tables, "2020-06", load_config())
    assert list(long.columns) == ["period", "region", "indicator", "value"]
    assert long["region"].iloc[0] == "全市"
    assert not long.duplicated(["region", "indicator"]).any()
    assert (long["period"] == "2020-06").all()
    assert set(long.loc[long.indicator == "signed_light", "value"]) <= {"green", "yellow", "red", ""}
    # time_progress only for the city; rank only for regions
    assert set(long.loc[long.indicator == "time_progress", "region"]) == {"全市"}
    assert "全市" not in set(long.loc[long.indicator == "signed_completion_rank", "region"])
