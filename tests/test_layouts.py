"""Ledgers as counties really lay them out (issue 12, SPEC §8): group headers, section
rows, a sheet per county, stacked tables. Each workbook is written here with openpyxl;
every read goes through ``conftest.read`` (the row accounting on every sheet), and
``whole_sheet`` checks that every non-empty row of a sheet is counted exactly once —
as a header row of one table or as a row read by one table."""

from __future__ import annotations

import openpyxl
import pytest

from bulletin.indicators.compute import compute
from conftest import Sheet, d, read, write_xlsx


def whole_sheet(res, path, sheet):
    """Every non-empty row of the sheet is in exactly one table's header rows or rows
    read: nothing hidden in a header count, nothing counted twice."""
    ws = openpyxl.load_workbook(path)[sheet]
    covered = set()
    for r in ws.merged_cells.ranges:
        for row in range(r.min_row, r.max_row + 1):
            covered.add(row)
    nonempty = {c.row for row in ws.iter_rows() for c in row if c.value is not None} | covered
    acc = res["accounting"]
    acc = acc[acc["source_sheet"] == sheet]
    assert int(acc["header_rows"].sum() + acc["rows_read"].sum()) == len(nonempty), acc.to_dict("records")


def value(ind, region, name):
    row = ind[(ind["region"] == region) & (ind["indicator"] == name)]
    return float(row["value"].iloc[0]) if len(row) and row["value"].iloc[0] != "" else None


# ------------------------------------------------------------- the four cases of issue 12


def test_group_header_over_total_and_planned_investment(snap_dir):
    """计划投资（亿元） merged over 总投资 | 年度计划; 累计完成投资（亿元） merged down two
    rows. The group cell is not a field; its unit applies to both columns."""
    rows = [
        ["宝清县2020年省百大项目推进情况表"],
        ["序号", "项目名称", "项目类别", "计划投资（亿元）", None, "累计完成投资（亿元）", "开复工情况"],
        [None, None, None, "总投资", "年度计划", None, None],
        [1, "甲项目", "省百大", 10, 3, 0.8, "在建"],
        [2, "乙项目", "省百大", 20, 3, 0.8, "已开工"],
    ]
    merges = ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3"]
    path = write_xlsx(snap_dir / "宝清县.xlsx", Sheet(rows, "项目", merges))
    res = read(snap_dir)
    p = res["projects"]
    assert list(p["total_investment"]) == [100000.0, 200000.0]
    assert list(p["planned_investment"]) == [30000.0, 30000.0]
    assert list(p["completed_investment"]) == [8000.0, 8000.0]
    assert list(p["source_row"]) == [4, 5]
    assert res.errors().empty and res.warnings().empty
    assert not res.findings["source_row"].isin([2, 3]).any()  # never the county's own header rows
    acc = res["accounting"].iloc[0]
    assert (acc["header_rows"], acc["rows_read"], acc["records"]) == (3, 2, 2)
    ind = compute(res.tables, "2020-06")
    assert value(ind, "宝清县", "provincial_key_investment_rate") == pytest.approx(16000 / 60000)
    whole_sheet(res, path, "项目")


def test_tier_section_rows(snap_dir):
    rows = [
        ["岭东区2020年重点项目推进情况表"],
        ["序号", "项目名称", "总投资（万元）", "年度计划投资（万元）", "累计完成投资（万元）", "开复工情况"],
        ["一、省百大项目（2个）"],
        [1, "甲", 1000, 500, 100, "在建"],
        [2, "乙", 2000, 800, 200, "未开工"],
        ["二、市百大项目（1个）"],
        [1, "丙", 300, 100, 50, "续建"],
        ["三、500万元以上产业项目（1个）"],
        [1, "丁", 600, 600, 60, "已复工"],
    ]
    merges = ["A1:F1", "A3:F3", "A6:F6", "A8:F8"]
    path = write_xlsx(snap_dir / "岭东区.xlsx", Sheet(rows, "Sheet1", merges))
    res = read(snap_dir)
    p = res["projects"]
    assert list(p["project"]) == ["甲", "乙", "丙", "丁"]
    assert list(p["tier"]) == ["provincial_key", "provincial_key", "municipal_key", "industrial"]
    assert res.errors().empty and res.warnings().empty
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (7, 4, 3, 0)
    assert acc["header_rows"] == 2
    whole_sheet(res, path, "Sheet1")


def test_city_workbook_with_a_sheet_per_county(snap_dir):
    header = ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]
    sheets = [
        Sheet([header, [1, f"{name}项目", "某公司", "北京", "2020-05-01", 100 * (k + 1), "现场"]], name)
        for k, name in enumerate(["集贤县", "友谊县", "宝清"])
    ]
    write_xlsx(snap_dir / "双鸭山市2020年签约项目汇总.xlsx", *sheets)
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["region"]) == ["集贤县", "友谊县", "宝清县"]
    assert list(s["amount"]) == [100.0, 200.0, 300.0]
    assert res.errors().empty and res.warnings().empty
    assert list(res["accounting"]["region"]) == ["集贤县", "友谊县", "宝清县"]


def test_two_tables_stacked_in_one_sheet(snap_dir):
    rows = [
        ["宝清县2020年1-6月招商引资工作情况"],
        ["一、招商活动开展情况"],
        ["序号", "活动日期", "活动类型", "带队领导", "活动地点", "形成合作线索"],
    ]
    rows += [[i, f"2020-0{1 + i % 6}-1{i % 9}", "外出招商", "张县长", "深圳", i % 3] for i in range(1, 22)]
    rows += [[None], ["二、签约项目情况"]]
    rows += [["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]]
    rows += [[i, f"项目{i}", "某公司", "北京", "2020-05-01", 100, "现场"] for i in range(1, 4)]
    path = write_xlsx(snap_dir / "宝清县.xlsx", Sheet(rows, "工作情况"))
    res = read(snap_dir)
    assert len(res["activities"]) == 21 and len(res["signings"]) == 3
    assert set(res["activities"]["region"]) == {"宝清县"} and set(res["signings"]["region"]) == {"宝清县"}
    assert res.errors().empty and res.warnings().empty
    acc = res["accounting"].set_index("ledger")
    assert acc.loc["activities", "rows_read"] == 21 and acc.loc["activities", "records"] == 21
    assert acc.loc["activities", "header_rows"] == 3  # title, heading, header
    assert acc.loc["signings", "header_rows"] == 2  # heading, header — no activity row inside
    assert acc.loc["signings", "rows_read"] == 3
    assert res["activities"]["held_on"].iloc[0] == d(2020, 2, 11)
    whole_sheet(res, path, "工作情况")
