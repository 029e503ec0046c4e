"""One project over several rows (SPEC §3.2, ledgers/continued.py): a project name merged
down over rows that each name another investor or phase is one project — counted once,
a figure merged over the rows counted once, figures written row by row added."""

from __future__ import annotations

import pandas as pd

from bulletin.config import load_config
from bulletin.indicators.compute import compute
from bulletin.store import indicator_table
from conftest import PERIOD, PROJ_HEADER, SIGN_HEADER, Sheet, read, write_xlsx

TITLE = ["宝清县2020年1-6月招商引资签约项目台账"]


def wide(res):
    return indicator_table(compute(res.tables, PERIOD, load_config()))


def signings(tmp_path, rows, merges):
    folder = tmp_path / PERIOD
    write_xlsx(folder / "宝清县招商台账.xlsx", Sheet([TITLE, SIGN_HEADER, *rows], merges=merges))
    return read(folder)


def test_a_joint_signing_merged_over_two_investor_rows_is_one_project_and_one_amount(tmp_path):
    # 甲项目: one 15,000万元 signing by two investors, name, date, amount and mode merged
    rows = [
        [1, "甲项目", "某公司", "北京市", "2020-05-10", 15000, "现场签约"],
        [None, None, "乙公司", "上海市", None, None, None],
        [2, "丙项目", "某公司", "北京市", "2020-05-10", 300, "现场签约"],
    ]
    res = signings(tmp_path, rows, ["A3:A4", "B3:B4", "E3:E4", "F3:F4", "G3:G4"])
    s = res["signings"]
    assert s["project"].tolist() == ["甲项目", "丙项目"]
    assert s["amount"].tolist() == [15000, 300] and s["investor"].tolist() == ["某公司、乙公司", "某公司"]
    w = res.findings[res.findings["code"] == "row.merged_project"]
    assert w["source_row"].tolist() == [4] and (w["severity"] == "warning").all()
    assert w["message"].iloc[0].startswith("项目名称与第3行是同一个合并单元格，视为同一个项目，并入第3行计入")
    assert "project.duplicate" not in set(res.findings["code"])
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["records"], acc["rejected_rows"]) == (3, 2, 1)
    figures = wide(res).loc["宝清县"]
    assert figures["signed_projects"] == 2 and figures["signed_amount"] == 15300
    assert figures["large_signed_projects"] == 1


def test_each_investors_share_written_in_its_row_is_added(tmp_path):
    # a 1.5亿 project written as two shares: one project over 1亿, not two under it;
    # one investor from the province and one from outside: an out-of-province project
    rows = [
        [1, "甲项目", "某公司", "哈尔滨市", "2020-05-10", 8000, "现场签约"],
        [None, None, "乙公司", "上海市", "2020-05-10", 7000, "现场签约"],
    ]
    res = signings(tmp_path, rows, ["A3:A4", "B3:B4"])
    s = res["signings"]
    assert s["amount"].tolist() == [15000] and s["investor"].tolist() == ["某公司、乙公司"]
    assert s["origin"].tolist() == ["哈尔滨市、上海市"] and s["out_of_province"].tolist() == [True]
    figures = wide(res).loc["宝清县"]
    assert figures["signed_projects"] == 1 and figures["large_signed_projects"] == 1


def test_a_project_over_phase_rows_counts_its_total_once_and_adds_the_phases(tmp_path):
    title = ["宝清县2020年省级百大项目推进情况表"]
    rows = [
        [1, "甲项目", "省级百大项目", 50000, 20000, 3000, "已开工", "是"],
        [None, None, None, None, None, 2000, None, None],
        [2, "乙项目", "省级百大项目", 10000, 5000, 1000, "未开工", "否"],
    ]
    folder = tmp_path / PERIOD
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "G3:G4", "H3:H4"]
    write_xlsx(folder / "宝清县重点项目台账.xlsx", Sheet([title, PROJ_HEADER, *rows], merges=merges))
    p = read(folder)["projects"]
    assert p["project"].tolist() == ["甲项目", "乙项目"]
    assert p["total_investment"].tolist() == [50000, 10000]
    assert p["planned_investment"].tolist() == [20000, 5000]
    assert p["completed_investment"].tolist() == [5000, 1000]


def test_a_region_merged_down_over_several_projects_leaves_each_a_project(tmp_path):
    header = [*SIGN_HEADER, "县区"]
    rows = [
        [1, "甲项目", "某公司", "北京市", "2020-05-10", 100, "现场签约", "宝清县"],
        [2, "乙项目", "某公司", "北京市", "2020-05-10", 200, "现场签约", None],
    ]
    folder = tmp_path / PERIOD
    write_xlsx(folder / "全市招商台账.xlsx", Sheet([["2020年1-6月签约项目台账"], header, *rows], merges=["H3:H4"]))
    res = read(folder)
    s = res["signings"]
    assert s["project"].tolist() == ["甲项目", "乙项目"] and s["region"].tolist() == ["宝清县", "宝清县"]
    assert not (res.findings["code"] == "row.merged_project").any()
    assert pd.Series(s["amount"]).sum() == 300
