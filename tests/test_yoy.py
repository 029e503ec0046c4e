"""同比 (issue 23): the headline figures against last year's same month from history.csv,
like for like — a county missing in either year is left out of both sides and named."""

from __future__ import annotations

import pandas as pd

from bulletin.report import sentences, yoy
from report_demo import DEMO, PERIOD, earlier_overrides, ed_for, edition, write_demo_processed

SIGNINGS = ("signed_projects", "signed_amount", "online_signed_projects", "online_signed_amount",
            "signed_amount_completion", "signed_light", "signed_completion_rank")  # fmt: skip


def _last_year(**more) -> dict:
    """2019-06: the demo's earlier snapshot (fewer signings, activities − 1 per county)
    and, for the start rates, one provincial project fewer started in 尖山区."""
    o = earlier_overrides()
    started = [5, 4, 3, 4, 6, 3, 7, 5]
    started[0] -= 1
    return {**o, "provincial_key_started": started, **more}


def _blank(base, period: str, region: str, indicators) -> None:
    """Empty ``region``'s ``indicators`` of ``period`` in history.csv (not submitted then)."""
    path = base / PERIOD / "history.csv"
    h = pd.read_csv(path, dtype=str, keep_default_na=False)
    h.loc[(h.period == period) & (h.region == region) & h.indicator.isin(indicators), "value"] = ""
    h.to_csv(path, index=False)


def test_year_on_year_with_a_2019_snapshot(tmp_path):
    ed = ed_for(tmp_path, history={"2019-06": _last_year()})
    # signings 50 vs 34 (+16, 47.1%); amount 150.33 vs 99.22 亿 (+51.11, 51.5%);
    # activities 70 vs 62 (+8, 12.9%); provincial start rate 37/47 = 78.7% vs 36/47 = 76.6%
    assert yoy.text(ed) == (
        "与上年同期相比，签约省外项目增加16项（增长47.1%），签约额增加51.11亿元（增长51.5%），"
        "招商引资活动增加8次（增长12.9%），省级百大项目开复工率提高2.1个百分点，"
        "市级百大项目开复工率持平，500万元以上产业项目开复工率持平。"
    )
    assert sentences.trend_text(ed) == yoy.text(ed)  # no 2020-05 in the history: no 环比
    en = yoy.text(ed_for(tmp_path / "en", lang="en", history={"2019-06": _last_year()}))
    assert en.startswith("Compared with the same period last year, out-of-province signings up 16 (+47.1%)")


def test_no_2019_snapshot_no_year_on_year(tmp_path):
    assert yoy.text(ed_for(tmp_path, history={"2020-05": earlier_overrides()})) == ""
    assert yoy.text(ed_for(tmp_path / "b", history={"2019-05": _last_year()})) == ""  # not the same month


def test_a_county_missing_last_year_is_left_out_of_both_sides_and_named(tmp_path):
    base = write_demo_processed(tmp_path, history={"2019-06": _last_year()})
    _blank(base, "2019-06", "岭东区", SIGNINGS)
    ed = edition(base)
    # without 岭东区 (5 signings, 98600 万元 now; 3, 65076 last year):
    # now 45 and 1404700 万元 (140.47 亿), last year 31 and 927102 万元 (92.71 亿)
    before = sum(round(a * 0.66) for i, a in enumerate(DEMO["signed_amount"]) if i != 1)
    assert before == 927102
    text = yoy.text(ed)
    assert text.startswith(
        "与上年同期相比（可比口径，两年均不含岭东区签约项目），签约省外项目增加14项（增长45.2%），"
        "签约额增加47.76亿元（增长51.5%），招商引资活动增加8次（增长12.9%），"
    )
    # the county's own edition has no signing comparison; its activities still compare
    county = yoy.text(edition(base, region="岭东区"))
    assert county.startswith("与上年同期相比，招商引资活动增加1次（增长14.3%）") and "签约" not in county


def test_a_county_missing_this_year_is_left_out_too(tmp_path):
    base = write_demo_processed(tmp_path, history={"2019-06": _last_year()})
    path = base / PERIOD / "indicators.csv"
    now = pd.read_csv(path, dtype=str, keep_default_na=False)
    tiers = [i for i in set(now.indicator) if i.startswith("provincial_key_")]
    now.loc[(now.region == "宝清县") & now.indicator.isin(tiers), "value"] = ""
    now.to_csv(path, index=False)
    ed = edition(base)
    missing = yoy.missing_regions(ed, "2019-06")
    assert missing == {"signings": [], "activities": [], "projects": ["宝清县"]}
    pair = yoy.pair(ed, yoy.HEADLINE[3], "2019-06", missing["projects"])
    # provincial projects without 宝清县 (9 projects, 7 started): now 30/38, then 29/38
    assert (round(pair.now, 6), round(pair.before, 6)) == (round(30 / 38, 6), round(29 / 38, 6))
    assert "（可比口径，两年均不含宝清县重点项目）" in yoy.text(ed)
