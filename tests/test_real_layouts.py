"""Issue 19 / SPEC §12: ledgers from real offices read as sent. Each file of
tests/data/real-layouts/ (rebuilt with their exact headers from the public sources named
in its README) is read as a county would send it, alone in a month folder, and checked
against figures computed by hand from its rows — or refused with the stated reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.indicators.compute import compute
from bulletin.store import indicator_table
from conftest import PERIOD, TARGET_HEADER, read, write_xlsx

CORPUS = Path(__file__).parent / "data" / "real-layouts"
FILES = sorted(p.name for p in CORPUS.glob("*.xlsx"))


def read_file(snap_dir: Path, name: str, period: str = PERIOD):
    folder = snap_dir.parent / period
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / name, folder / name)
    res = read(folder, period)
    return res, indicator_table(compute(res.tables, period, load_config()))


def value(wide, region, indicator):
    v = wide.loc[region, indicator]
    return None if pd.isna(v) else v


def codes(res) -> list[str]:
    return sorted(set(res.findings["code"]))


def status_of(res, region, ledger) -> tuple[str, str, str]:
    reg = res["submissions"]
    row = reg[(reg["region"] == region) & (reg["ledger"] == ledger)].iloc[0]
    return row["status"], row["reason"], row["missing"]


def test_the_corpus_is_the_shared_one_with_its_sources():
    assert FILES == [
        "L01_宝清县_签约项目一览表.xlsx",
        "L02_外出招商情况上报表.xlsx",
        "L04_重大项目调度表（含逐月）.xlsx",
        "L05_友谊县_项目基础信息.xlsx",
        "L06_尖山区_重点推进重大项目情况表.xlsx",
        "L08_招商小组外出情况.xlsx",
    ]
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(f"## {name}" in readme for name in FILES)
    assert readme.count("- source:") == len(FILES)


def test_L01_signings_in_yi_yuan_without_an_origin_column(snap_dir):
    """签约总投资额（亿元） read in 亿元; no origin column: the out-of-province figures,
    completion, light and rank are empty, one info finding says why, no row warnings."""
    write_xlsx(snap_dir / "2020年目标任务表.xlsx", [TARGET_HEADER, ["宝清县", 100000, 10], ["饶河县", 50000, 5]])
    res, wide = read_file(snap_dir, FILES[0])
    s = res["signings"]
    assert list(s["amount"]) == [35000.0, 12000.0, 50000.0, 8000.0, 20000.0, 15000.0, 6000.0, 42000.0]
    assert list(s["investor"])[0] == "深圳市华强新能源科技有限公司"
    assert list(s["chain_raw"])[:2] == ["新能源", "绿色食品"]
    assert s["signed_on"].astype(str).tolist()[-1] == "2020-06-22"
    assert set(s["region"]) == {"宝清县"}
    assert codes(res) == ["column.missing"]
    f = res.findings.iloc[0]
    assert (f["severity"], f["field"]) == ("info", "投资方所在地")
    assert "省外签约项目数、签约额、完成率、红绿灯和排名均不计算" in f["message"]
    for indicator in (
        "signed_projects",
        "signed_amount",
        "signed_amount_completion",
        "signed_light",
        "signed_completion_rank",
    ):
        assert value(wide, "宝清县", indicator) is None, indicator
        assert value(wide, "全市", indicator) is None, indicator  # the only county that sent signings
    assert value(wide, "宝清县", "signed_amount_target") == 100000
    assert status_of(res, "宝清县", "signings") == ("submitted", "", "origin")


def test_L02_outgoing_trips_one_activity_per_trip_by_its_start(snap_dir):
    res, wide = read_file(snap_dir, FILES[1])
    a = res["activities"]
    assert len(a) == 10
    counts = {"集贤县": 2, "友谊县": 2, "宝清县": 3, "饶河县": 1, "尖山区": 1, "岭东区": 1}
    for region, n in counts.items():
        assert value(wide, region, "activities") == n, region
    assert value(wide, "全市", "activities") == 10
    # the trip from 06-28 to 07-02 counts once, in June: dated by 开始时间
    assert a[a["region"] == "岭东区"]["held_on"].astype(str).tolist() == ["2020-06-28"]
    assert list(a["place"])[:2] == ["广东深圳", "浙江杭州"]
    # no 形成合作线索 column: leads unknown, not 0
    assert value(wide, "宝清县", "leads") is None and value(wide, "全市", "leads") is None
    assert codes(res) == ["column.missing"]
    assert res.findings["field"].tolist() == ["形成合作线索"]
    assert value(wide, "四方台区", "activities") is None  # not in the table: not submitted


def test_L04_month_series_the_period_column_is_the_year_to_date(snap_dir):
    res, wide = read_file(snap_dir, FILES[2])
    p = res["projects"].set_index("project")
    assert len(p) == 12
    assert p.loc["宝清县200MW风电项目", "planned_investment"] == 60000  # 年度计划投资, not 1-12月计划投资
    assert p.loc["宝清县200MW风电项目", "completed_investment"] == 21000  # 1-6月完成投资
    assert p.loc["宝清县200MW风电项目", "tier"] == "provincial_key"  # 项目类型
    assert p.loc["宝清县200MW风电项目", "lead"] == "张晓光"  # 市级包抓领导, not the 县级领导 beside it
    assert "header.ambiguous" not in codes(res)
    # hand-computed from the rows: (projects, started, planned, completed, in statistics)
    expected = {
        "provincial_key": (4, 3, 105000, 30700, 3),
        "municipal_key": (4, 3, 47000, 13500, 3),
        "industrial": (4, 2, 15500, 2100, 2),
    }
    for tier, (n, started, planned, done, in_stat) in expected.items():
        assert value(wide, "全市", f"{tier}_projects") == n
        assert value(wide, "全市", f"{tier}_started") == started
        assert value(wide, "全市", f"{tier}_planned_investment") == planned
        assert value(wide, "全市", f"{tier}_completed_investment") == done
        assert value(wide, "全市", f"{tier}_in_statistics") == in_stat
    assert value(wide, "宝清县", "provincial_key_investment_rate") == pytest.approx(21000 / 60000)
    assert value(wide, "饶河县", "municipal_key_start_rate") == 0
    assert value(wide, "四方台区", "industrial_projects") == 1
    reading = res["reading"]
    line = reading[(reading["topic"] == "列") & (reading["column"] == "T")]["detail"].iloc[0]
    assert "累计完成投资" in line and "本期" in line
    assert reading[(reading["column"] == "R")]["detail"].iloc[0].endswith("逐月明细（累计完成投资），未读取")


def test_L04_read_for_may_takes_the_1_5_column(snap_dir):
    res, _ = read_file(snap_dir, FILES[2], "2020-05")
    p = res["projects"].set_index("project")
    assert p.loc["宝清县200MW风电项目", "completed_investment"] == 17500


def test_L05_project_basics_without_a_status_column(snap_dir):
    res, wide = read_file(snap_dir, FILES[3])
    p = res["projects"].set_index("project")
    assert p.loc["友谊县大豆蛋白精深加工项目", "total_investment"] == 35000  # 总投资（亿元）
    assert p.loc["友谊县大豆蛋白精深加工项目", "planned_investment"] == 12000  # 年度计划投资（万元）
    assert p.loc["友谊县大豆蛋白精深加工项目", "completed_investment"] == 4200  # 年度累计完成投资（万元）
    for tier, (n, planned, done) in {
        "provincial_key": (2, 22000, 7800),
        "municipal_key": (2, 15000, 2100),
        "industrial": (2, 8000, 2300),
    }.items():
        assert value(wide, "友谊县", f"{tier}_projects") == n
        assert value(wide, "友谊县", f"{tier}_planned_investment") == planned
        assert value(wide, "友谊县", f"{tier}_completed_investment") == done
        assert value(wide, "友谊县", f"{tier}_investment_rate") == pytest.approx(done / planned)
        # no 开复工 and no 入统 column: never 0
        for measure in ("started", "start_rate", "in_statistics", "in_statistics_rate"):
            assert value(wide, "友谊县", f"{tier}_{measure}") is None, (tier, measure)
            assert value(wide, "全市", f"{tier}_{measure}") is None, (tier, measure)
    assert res.findings["field"].tolist() == ["开复工情况", "是否入统"]
    assert set(res.findings["severity"]) == {"info"}
    assert status_of(res, "友谊县", "projects") == ("submitted", "", "in_statistics;status")
    # 建设性质 (新建/续建) is its own field, never the status
    reading = res["reading"]
    assert reading[reading["column"] == "K"]["detail"].iloc[0] == "“建设性质” → 建设性质"


def test_L06_no_tier_every_row_rejected_is_unreadable(snap_dir):
    res, wide = read_file(snap_dir, FILES[4])
    assert res["projects"].empty
    status, reason, _ = status_of(res, "尖山区", "projects")
    assert status == "unreadable" and reason.startswith("全部8行均因错误被退回")
    for tier in ("provincial_key", "municipal_key", "industrial"):
        assert value(wide, "尖山区", f"{tier}_projects") is None  # not "no projects"
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["total_note_rows"], acc["rejected_rows"]) == (9, 1, 8)  # 合计 row first


def test_L08_summary_table_is_skipped_with_the_reason(snap_dir):
    res, wide = read_file(snap_dir, FILES[5])
    assert res["activities"].empty
    reasons = list(res["skipped"]["reason"])
    assert len(reasons) == 1 and reasons[0].startswith("汇总表（每县区一行），不是明细台账")
    assert value(wide, "宝清县", "activities") is None
