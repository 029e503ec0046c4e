"""Sheets → records (SPEC §2, §3 rules 1–6, §6): header location, merged cells, rows
that are not records, region, tier, units, findings and the statistician's checks.
Every read goes through ``conftest.read``, which asserts the row accounting
(rows_read == records + total_note_rows + rejected_rows) on every sheet."""

from __future__ import annotations

import datetime as dt
import doctest

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import FINDING_COLUMNS
from bulletin.indicators.compute import compute
from bulletin.ledgers import dates, findings, locate, normalise, parser, sheet, status
from bulletin.ledgers import rows as row_kinds
from conftest import ACT_HEADER, PROJ_HEADER, SIGN_HEADER, TARGET_HEADER, Sheet, d, read, sign_row, write_xlsx

SIGN_TITLE = ["宝清县2020年1-6月招商引资签约项目台账"]
UNIT_LINE = ["填报单位：宝清县（盖章）    单位：亿元    填报日期：2020年7月3日"]


def _acc(res, sheet=None) -> dict:
    acc = res["accounting"]
    if sheet is not None:
        acc = acc[acc["source_sheet"] == sheet]
    assert len(acc) == 1
    return acc.iloc[0].to_dict()


def _at(res, row, field=None) -> pd.DataFrame:
    q = res.findings
    q = q[q["source_row"] == row]
    return q if field is None else q[q["field"] == field]


@pytest.mark.parametrize("module", [normalise, dates, status, findings, parser, row_kinds, locate, sheet])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# ------------------------------------------------------------------ header location (rule 1)


@pytest.mark.parametrize("offset", [0, 1, 3, 6])
def test_header_anywhere_in_first_rows(snap_dir, offset):
    rows = [[None]] * offset + [SIGN_HEADER, sign_row(1), sign_row(2)]
    write_xlsx(snap_dir / "宝清县.xlsx", rows)
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["项目1", "项目2"]
    assert list(s["source_row"]) == [offset + 2, offset + 3]
    assert res.errors().empty
    assert _acc(res)["rows_read"] == 2


def test_title_and_unit_line_above_header(snap_dir):
    header = [h if h != "签约额（万元）" else "签约额" for h in SIGN_HEADER]
    rows = [SIGN_TITLE, UNIT_LINE, header, sign_row(1, amount=1.5), sign_row(2, amount="3000万元")]
    write_xlsx(snap_dir / "a.xlsx", Sheet(rows, merges=["A1:G1", "A2:G2"]))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["amount"]) == [15000.0, 3000.0]  # 单位：亿元 line; a unit in the cell wins
    assert list(s["region"]) == ["宝清县"] * 2
    assert list(s["source_row"]) == [4, 5]
    assert res.warnings().empty
    acc = _acc(res)
    assert (acc["rows_read"], acc["records"], acc["header_rows"]) == (2, 2, 3)


def test_header_unit_and_unit_line_disagree_magnitude_decides(snap_dir):
    """SPEC §11.1: header 万元, line 亿元; 3000 fits 万元 only (3000亿元 is beyond the range)."""
    rows = [UNIT_LINE, SIGN_HEADER, sign_row(1, amount=3000)]  # 签约额（万元）
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [3000.0]
    assert list(res.warnings()["code"]) == ["unit.conflict"]


def test_two_row_header_with_merged_group_cells(snap_dir):
    rows = [
        SIGN_TITLE,
        ["序号", "项目名称", "投资方", "签约情况", None, None, "投资方所在地"],
        [None, None, None, "签约时间", "签约额（亿元）", "签约方式", None],
        [1, "甲项目", "甲公司", "2020-03-02", 1.2, "视频连线", "江苏南京"],
        [2, "乙项目", "乙公司", "2020-04-05", 0.3, "现场", "黑龙江哈尔滨"],
    ]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3"]
    write_xlsx(snap_dir / "a.xlsx", Sheet(rows, merges=merges))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["甲项目", "乙项目"]
    assert list(s["signed_on"]) == [d(2020, 3, 2), d(2020, 4, 5)]
    assert list(s["amount"]) == [12000.0, 3000.0]
    assert list(s["online"]) == [True, False]
    assert list(s["out_of_province"]) == [True, False]
    assert list(s["source_row"]) == [4, 5]
    assert res.errors().empty and res.warnings().empty
    assert _acc(res)["rows_read"] == 2


def test_two_row_header_without_vertical_merges(snap_dir):
    """Single headers only in the upper row (no vertical merges); the group cell merged
    across its columns; the lower row has short names that only make sense with the
    group (签约 + 时间)."""
    rows = [
        SIGN_TITLE,
        ["序号", "项目名称", "投资方所在地", "签约情况", None, None],
        [None, None, None, "时间", "金额（万元）", "方式"],
        [1, "甲项目", "北京", "2020-03-02", 100, "网上签约"],
    ]
    write_xlsx(snap_dir / "a.xlsx", Sheet(rows, merges=["D2:F2"]))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["甲项目"]
    assert list(s["signed_on"]) == [d(2020, 3, 2)]
    assert list(s["amount"]) == [100.0]
    assert list(s["online"]) == [True]
    assert list(s["source_row"]) == [4]
    assert res.errors().empty and res.warnings().empty


def test_two_row_header_group_cell_not_merged(snap_dir):
    rows = [
        SIGN_TITLE,
        ["序号", "项目名称", "投资方所在地", "签约情况", None, None],
        [None, None, None, "签约时间", "签约额（万元）", "签约方式"],
        [1, "甲项目", "北京", "2020-03-02", 100, "网上签约"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    s = res["signings"]
    assert (s["project"].iloc[0], s["amount"].iloc[0], s["source_row"].iloc[0]) == ("甲项目", 100.0, 4)
    assert res.errors().empty and res.warnings().empty


def test_header_aliases_with_year_month_and_traditional(snap_dir):
    rows = [
        ["項目名稱", "簽約時間", "2020年1-6月簽約額\n（億元）", "客商來源地", "縣（區）"],
        ["甲", "2020-01-02", 1, "上海", "寶清縣"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    s = res["signings"]
    assert (s["amount"].iloc[0], s["region"].iloc[0], s["out_of_province"].iloc[0]) == (10000.0, "宝清县", True)


# ------------------------------------------------------------------ merged data cells (rule 2)


def test_region_merged_down_over_projects(snap_dir):
    rows = [
        ["所属县区", *SIGN_HEADER],
        ["饶河县", *sign_row(1)],
        [None, *sign_row(2)],
        [None, *sign_row(3)],
        ["集贤县", *sign_row(4)],
    ]
    write_xlsx(snap_dir / "全市.xlsx", Sheet(rows, merges=["A2:A4"]))
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["饶河县"] * 3 + ["集贤县"]


def test_tier_merged_down(snap_dir):
    rows = [
        ["岭东区重点项目推进情况表"],
        PROJ_HEADER,
        [1, "甲", "省百大项目", 10000, 3000, 500, "在建", "是"],
        [2, "乙", None, 8000, 2000, 100, "未开工", "否"],
        [3, "丙", "市级百大", 5000, 1000, 0, "续建", None],
    ]
    write_xlsx(snap_dir / "a.xlsx", Sheet(rows, merges=["C3:C4"]))
    res = read(snap_dir)
    p = res["projects"]
    assert list(p["tier"]) == ["provincial_key", "provincial_key", "municipal_key"]
    assert list(p["region"]) == ["岭东区"] * 3
    assert list(p["started"]) == [True, False, True]
    assert list(p["in_statistics"]) == [True, False, None]


# ------------------------------------------------------------------ rows that are not records (rule 3)


def test_total_note_and_blank_rows(snap_dir):
    rows = [
        SIGN_TITLE,
        SIGN_HEADER,
        sign_row(1),
        [None, "其中：不见面签约", None, None, None, 300, None],
        sign_row(2),
        [None] * 7,
        [None, "宝清县小计", None, None, None, 2000, None],
        ["合计", None, None, None, None, 2000, None],
        ["总计", None, None, None, None, 2000, None],
        [None, "全市合计", None, None, None, 2000, None],
        [None, "一季度合计", None, None, None, 2000, None],
        [None, "其中 省外", None, None, None, 2000, None],
        ["填报人：张三", None, None, "审核人：李四"],
        ["审核人：李四"],
        ["联系电话：0469-1234567"],
        ["备注：金额为协议额"],
        ["注：本表为1-6月累计"],
        ["注:无"],
        ["说明：请于每月5日前报送"],
        [None, None, "  "],
        sign_row(3),
        ["合　计", None, None, None, None, 3000, None],
        ["填报日期：2020年7月3日"],
        ["单位负责人：王五", None, "填表人：赵六"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["project"]) == ["项目1", "项目2", "项目3"]
    acc = _acc(res)
    assert (acc["rows_read"], acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (20, 3, 17, 0)
    assert acc["blank_rows"] == 2
    assert res.errors().empty


def test_total_row_in_merged_region_column(snap_dir):
    rows = [
        ["县区", *SIGN_HEADER],
        ["宝清县", *sign_row(1)],
        [None, *sign_row(2)],
        ["宝清县小计", None, None, None, None, None, 2000, None],
        ["合计", None, None, None, None, None, 2000, None],
    ]
    write_xlsx(snap_dir / "a.xlsx", Sheet(rows, merges=["A2:A3"]))
    res = read(snap_dir)
    acc = _acc(res)
    assert (acc["records"], acc["total_note_rows"]) == (2, 2)


def test_rejected_rows_are_counted(snap_dir):
    rows = [
        SIGN_TITLE,
        SIGN_HEADER,
        sign_row(1),
        sign_row(2, day="不详"),
        sign_row(3, amount=None),
        [4, None, "某公司", "北京", "2020-01-01", 100, None],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    acc = _acc(res)
    assert (acc["rows_read"], acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (4, 1, 0, 3)
    assert set(res.errors()["source_row"]) == {4, 5, 6}
    assert list(_at(res, 6)["field"]) == ["项目名称"]


def test_serial_number_only_row_is_rejected_not_lost(snap_dir):
    rows = [SIGN_TITLE, SIGN_HEADER, sign_row(1), [2], [3]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    acc = _acc(read(snap_dir))
    assert (acc["rows_read"], acc["records"], acc["rejected_rows"]) == (3, 1, 2)


# ------------------------------------------------------------------ region (rule 4)


def test_region_from_column_traditional_and_short(snap_dir):
    rows = [
        [*SIGN_HEADER, "所属县区"],
        [*sign_row(1), "寶清縣"],
        [*sign_row(2), "宝清"],
        [*sign_row(3), " 饶河县 "],
        [*sign_row(4), "四方臺區"],
    ]
    write_xlsx(snap_dir / "全市汇总.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["宝清县", "宝清县", "饶河县", "四方台区"]


def test_region_column_against_title_is_an_error_for_those_rows(snap_dir):
    # SPEC §11.9: a row naming another county than the title's is credited to neither
    rows = [SIGN_TITLE, [*SIGN_HEADER, "县区"], [*sign_row(1), "饶河县"], [*sign_row(2), None]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["宝清县"]
    assert res.errors()["code"].tolist() == ["file.region_other_rows"]


def test_region_from_unit_line(snap_dir):
    rows = [["2020年招商引资签约项目台账"], ["填报单位：友誼縣（盖章）"], SIGN_HEADER, sign_row(1)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    assert list(read(snap_dir)["signings"]["region"]) == ["友谊县"]


def test_title_against_file_name_is_an_error_for_the_file(snap_dir):
    # SPEC §11.9: file name 集贤县, title 宝清县, rows without a region: credited to neither
    write_xlsx(snap_dir / "集贤县.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1)])
    res = read(snap_dir)
    assert res["signings"].empty and res.errors()["code"].tolist() == ["file.region_conflict"]


@pytest.mark.parametrize("path", ["饶河县签约台账.xlsx", "饶河/台账.xlsx", "6月/饶河县报送/签约.xlsx"])
def test_region_from_file_or_folder_name(snap_dir, path):
    write_xlsx(snap_dir / path, [["签约项目台账"], SIGN_HEADER, sign_row(1)])
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["饶河县"]
    assert res.errors().empty


def test_no_region_anywhere_rejects_rows_naming_file_sheet_row(snap_dir):
    write_xlsx(snap_dir / "台账.xlsx", Sheet([["签约项目台账"], SIGN_HEADER, sign_row(1), sign_row(2)], "签约"))
    res = read(snap_dir)
    assert res["signings"].empty
    e = res.errors()
    assert list(e["source_row"]) == [3, 4]
    assert set(e["source_file"]) == {"台账.xlsx"} and set(e["source_sheet"]) == {"签约"}
    assert list(e["code"]) == ["region.missing"] * 2
    assert set(e["field"]) == {"县区"} and all("县区" in m for m in e["message"])  # names the field
    acc = _acc(res)
    assert (acc["rows_read"], acc["rejected_rows"]) == (2, 2)


def test_region_column_naming_one_region_inside_longer_text(snap_dir):
    rows = [
        [*SIGN_HEADER, "县区"],
        [*sign_row(1), "宝清县七星泡镇"],
        [*sign_row(2), "双鸭山市饶河县"],
        [*sign_row(3), "宝清县、饶河县"],
    ]
    write_xlsx(snap_dir / "台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["宝清县", "饶河县"]
    assert list(res.errors()["source_row"]) == [4]


def test_total_rows_naming_a_region_in_region_column(snap_dir):
    rows = [
        ["县区", *SIGN_HEADER],
        ["宝清县", *sign_row(1)],
        ["其中：宝清县", None, None, None, None, None, 100, None],
        ["宝清县合计", None, None, None, None, None, 100, None],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    acc = _acc(read(snap_dir))
    assert (acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (1, 2, 0)


def test_unknown_region_in_column(snap_dir):
    rows = [[*SIGN_HEADER, "县区"], [*sign_row(1), "某某县"], [*sign_row(2), "全市"]]
    write_xlsx(snap_dir / "台账.xlsx", rows)
    res = read(snap_dir)
    assert res["signings"].empty
    e = res.errors()
    assert list(e["source_row"]) == [2, 3]
    assert list(e["code"]) == ["region.unknown"] * 2 and list(e["value"]) == ["某某县", "全市"]


def test_unknown_region_in_column_falls_back_with_warning(snap_dir):
    rows = [SIGN_TITLE, [*SIGN_HEADER, "县区"], [*sign_row(1), "某某乡"]]
    write_xlsx(snap_dir / "台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["宝清县"]
    assert list(res.warnings()["field"]) == ["县区"]


def test_city_name_in_title_is_not_a_region(snap_dir):
    write_xlsx(snap_dir / "台账.xlsx", [["双鸭山市2020年签约项目台账"], SIGN_HEADER, sign_row(1)])
    res = read(snap_dir)
    assert res["signings"].empty and len(res.errors()) == 1


# ------------------------------------------------------------------ tier (rule 5)


@pytest.mark.parametrize(
    "title,tier",
    [
        ("岭东区2020年省百大项目推进情况表", "provincial_key"),
        ("岭东区2020年市级百大项目推进情况表", "municipal_key"),
        ("岭东区500万元以上产业项目推进情况表", "industrial"),
        ("岭东区500万以上产业项目台账", "industrial"),
    ],
)
def test_tier_from_title(snap_dir, title, tier):
    header = [h for h in PROJ_HEADER if h != "项目类别"]
    rows = [[title], header, [1, "甲", 10000, 3000, 500, "在建", "是"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["projects"]["tier"]) == [tier]
    assert res.errors().empty


def test_tier_column_wins_and_bad_or_missing_tier_rejects(snap_dir):
    rows = [
        ["岭东区省百大项目推进情况表"],
        PROJ_HEADER,
        [1, "甲", "市百大", 100, 50, 5, "在建", "是"],
        [2, "乙", None, 100, 50, 5, "在建", "是"],
        [3, "丙", "某某类", 100, 50, 5, "在建", "是"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["projects"]["tier"]) == ["municipal_key", "provincial_key"]
    assert list(res.errors()["source_row"]) == [5]
    assert list(res.errors()["code"]) == ["tier.unknown"] and list(res.errors()["value"]) == ["某某类"]


def test_no_tier_anywhere_rejects(snap_dir):
    header = [h for h in PROJ_HEADER if h != "项目类别"]
    write_xlsx(snap_dir / "a.xlsx", [["岭东区重点项目表"], header, [1, "甲", 10000, 3000, 500, "在建", "是"]])
    res = read(snap_dir)
    assert res["projects"].empty
    assert list(res.errors()["field"]) == ["项目类别"]


# ------------------------------------------------------------------ workbooks and sheets


def _activities():
    return [
        ["宝清县招商活动台账"],
        ACT_HEADER,
        [1, "2020-03-05", "外出招商", "王县长", "深圳", 3],
        [2, "2020-04-01", "视频会议", "李局长", "北京", "2条"],
    ]


def _projects():
    return [["宝清县重点项目推进表"], PROJ_HEADER, [1, "甲", "省百大", 10000, 3000, 500, "在建", "是"]]


def _targets():
    return [
        ["各县区2020年签约目标"],
        TARGET_HEADER,
        ["宝清县", 50000, 10],
        ["饶河县", "4亿元", 8],
        ["全市", 300000, 60],
        ["合计", 90000, 18],
    ]


def test_several_ledger_types_in_one_workbook(snap_dir):
    write_xlsx(
        snap_dir / "宝清县.xlsx",
        Sheet([SIGN_TITLE, SIGN_HEADER, sign_row(1)], "签约"),
        Sheet(_activities(), "活动"),
        Sheet(_projects(), "项目"),
        Sheet(_targets(), "目标"),
    )
    res = read(snap_dir)
    assert len(res["signings"]) == 1
    assert list(res["activities"]["leads"]) == [3, 2]
    assert list(res["activities"]["online"]) == [False, True]
    assert len(res["projects"]) == 1
    t = res["targets"]
    assert list(t["region"]) == ["宝清县", "饶河县", "全市"]
    assert list(t["signed_amount_target"]) == [50000.0, 40000.0, 300000.0]
    acc = res["accounting"].set_index("source_sheet")
    assert acc.loc["目标", "total_note_rows"] == 1
    assert dict(acc["ledger"]) == {"签约": "signings", "活动": "activities", "项目": "projects", "目标": "targets"}
    assert res.errors().empty


def test_ledger_type_from_header_not_names(snap_dir):
    write_xlsx(snap_dir / "签约台账.xlsx", Sheet(_projects(), "签约项目"))
    res = read(snap_dir)
    assert res["signings"].empty and len(res["projects"]) == 1


def test_one_ledger_over_several_sheets(snap_dir):
    write_xlsx(
        snap_dir / "宝清县.xlsx",
        Sheet([SIGN_TITLE, SIGN_HEADER, sign_row(1), sign_row(2)], "1-3月"),
        Sheet([SIGN_TITLE, SIGN_HEADER, sign_row(3, project="项目3")], "4-6月"),
    )
    res = read(snap_dir)
    s = res["signings"]
    assert list(zip(s["source_sheet"], s["source_row"])) == [("1-3月", 3), ("1-3月", 4), ("4-6月", 3)]
    assert len(res["accounting"]) == 2


# ------------------------------------------------------------------ units (rule 6)


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("3000万元", 3000.0),
        ("1.2亿元", 12000.0),
        ("1.2亿", 12000.0),
        ("5000000元", 500.0),
        ("3,000", 3000.0),
        ("１２，５００", 12500.0),
        ("１．５亿元", 15000.0),
        (" 800 ", 800.0),
        (2500, 2500.0),
        (0.12345, 0.1235),
        ("123456元", 12.3456),
        ("1,234.5万元", 1234.5),
    ],
)
def test_amount_from_cell(snap_dir, cell, expected):
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, amount=cell)])
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [expected]
    assert res.findings.empty


def test_amount_unit_from_header(snap_dir):
    header = [h if h != "签约额（万元）" else "签约额（亿元）" for h in SIGN_HEADER]
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, header, sign_row(1, amount=1.25), sign_row(2, amount="500万元")])
    assert list(read(snap_dir)["signings"]["amount"]) == [12500.0, 500.0]


def test_amount_header_in_yuan(snap_dir):
    header = [h if h != "签约额（万元）" else "签约金额(元)" for h in SIGN_HEADER]
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, header, sign_row(1, amount=15_000_000)])
    assert list(read(snap_dir)["signings"]["amount"]) == [1500.0]


def test_default_unit_warns_once_per_column(snap_dir):
    header = ["序号", "项目名称", "项目类别", "总投资", "年度计划投资", "累计完成投资（万元）", "开复工情况"]
    rows = [["宝清县重点项目"], header] + [[i, f"项目{i}", "省百大", 100, 50, 5, "在建"] for i in range(1, 6)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    w = res.warnings()
    assert sorted(w["field"]) == ["年度计划投资", "总投资"]
    assert set(w["source_row"]) == {2}
    assert list(w["code"]) == ["unit.default"] * 2
    assert list(res["projects"]["planned_investment"]) == [50.0] * 5


def test_no_default_unit_warning_when_every_cell_has_its_unit(snap_dir):
    header = [h if h != "签约额（万元）" else "签约额" for h in SIGN_HEADER]
    rows = [SIGN_TITLE, header, sign_row(1, amount="3000万元"), sign_row(2, amount="1.2亿"), sign_row(3, amount=None)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [3000.0, 12000.0]
    assert res.warnings().empty


def test_default_unit_warning_when_one_cell_is_bare(snap_dir):
    header = [h if h != "签约额（万元）" else "签约额" for h in SIGN_HEADER]
    rows = [SIGN_TITLE, header, sign_row(1, amount="3000万元"), sign_row(2, amount=800), sign_row(3, amount=5)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [3000.0, 800.0, 5.0]
    w = res.warnings()
    assert list(w["source_row"]) == [2] and list(w["field"]) == ["签约额"]


@pytest.mark.parametrize("cell", ["—", "-", "/", "无", None, "  ", "——", "－"])
def test_missing_amount_markers_without_warning(snap_dir, cell):
    rows = [["宝清县重点项目"], PROJ_HEADER, [1, "甲", "省百大", 100, 50, cell, "在建", "是"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert res["projects"]["completed_investment"].isna().all()
    assert res.findings.empty


def test_tbd_amount_is_missing_with_warning(snap_dir):
    rows = [["宝清县重点项目"], PROJ_HEADER, [1, "甲", "省百大", "待定", 50, "待定", "在建", "是"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    p = res["projects"]
    assert p["total_investment"].isna().all() and p["completed_investment"].isna().all()
    w = res.warnings()
    assert list(w["code"]) == ["amount.text"] * 2
    assert set(w["value"]) == {"待定"}


def test_tbd_required_amount_rejects_the_row(snap_dir):
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, amount="待定"), sign_row(2)])
    res = read(snap_dir)
    assert list(res["signings"]["project"]) == ["项目2"]
    assert list(res.errors()["source_row"]) == [3]
    assert _acc(res)["rejected_rows"] == 1


@pytest.mark.parametrize("cell", [-100, "-100", "-3000万元", "－１．２亿元"])
def test_negative_amount(snap_dir, cell):
    rows = [
        ["宝清县重点项目"],
        PROJ_HEADER,
        [1, "甲", "省百大", 100, cell, 5, "在建", "是"],  # required → rejected
        [2, "乙", "省百大", 100, 50, cell, "在建", "是"],
    ]  # optional → emptied
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    p = res["projects"]
    assert list(p["project"]) == ["乙"]
    assert p["completed_investment"].isna().all()
    e = res.errors()
    assert list(e["source_row"]) == [3] and list(e["code"]) == ["amount.negative"]
    w = _at(res, 4, "累计完成投资")
    assert list(w["severity"]) == ["warning"] and list(w["code"]) == ["amount.negative"]


# ------------------------------------------------------------------ dates (rule 7)


@pytest.mark.parametrize(
    "cell,expected",
    [
        (dt.datetime(2020, 6, 30), d(2020, 6, 30)),
        (dt.date(2020, 1, 2), d(2020, 1, 2)),
        (43982, d(2020, 5, 31)),
        (43982.5, d(2020, 5, 31)),
        ("43982", d(2020, 5, 31)),
        ("2020-06-30", d(2020, 6, 30)),
        ("2020/6/30", d(2020, 6, 30)),
        ("2020.6.30", d(2020, 6, 30)),
        ("2020年6月30日", d(2020, 6, 30)),
        ("2020年06月03日", d(2020, 6, 3)),
        ("20200630", d(2020, 6, 30)),
        (20200630, d(2020, 6, 30)),
        ("6月30日", d(2020, 6, 30)),
        ("２０２０－６－３０", d(2020, 6, 30)),
        ("2020-06-30 00:00:00", d(2020, 6, 30)),
    ],
)
def test_date_forms(snap_dir, cell, expected):
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, day=cell)])
    res = read(snap_dir)
    assert list(res["signings"]["signed_on"]) == [expected]
    assert res.findings.empty


def test_month_day_takes_year_from_period(snap_dir):
    title = ["宝清县招商引资签约项目台账"]  # no year: a title declaring 2020 is not a 2021 ledger (SPEC §11.7)
    write_xlsx(snap_dir / "a.xlsx", [title, SIGN_HEADER, sign_row(1, day="3月5日")])
    assert list(read(snap_dir, period="2021-06")["signings"]["signed_on"]) == [d(2021, 3, 5)]


@pytest.mark.parametrize(
    "cell", ["六月中旬", "2020-13-01", "2020-02-30", "6月31日", "2020年6月", "0630", 100, "2020-6", "上半年", 3000000]
)
def test_bad_dates_are_errors_naming_the_value(snap_dir, cell):
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, day=cell), sign_row(2)])
    res = read(snap_dir)
    assert list(res["signings"]["project"]) == ["项目2"]
    e = res.errors()
    assert list(e["source_row"]) == [3] and list(e["field"]) == ["签约日期"]
    assert list(e["code"]) == ["date.invalid"]
    assert str(cell) in e["message"].iloc[0]  # the county's own text is quoted
    assert e["value"].iloc[0] == str(cell)


def test_bad_optional_date_is_a_warning(snap_dir):
    header = [*PROJ_HEADER, "开工时间"]
    rows = [["宝清县重点项目"], header, [1, "甲", "省百大", 100, 50, 5, "在建", "是", "四月初"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert len(res["projects"]) == 1 and res["projects"]["started_on"].isna().all()
    w = res.warnings()
    assert list(w["field"]) == ["开工时间"] and list(w["code"]) == ["date.invalid"]


# ------------------------------------------------------------------ rules 8–12 through a sheet


def test_status_words_and_blank_status(snap_dir):
    statuses = [
        "已开工",
        "复工",
        "在建",
        "续建",
        "竣工",
        "投产",
        "建成",
        "未开工",
        "待开工",
        "拟开工",
        "前期手续办理中",
        "停工",
        None,
    ]
    rows = [["宝清县重点项目"], PROJ_HEADER] + [
        [i, f"项目{i}", "省百大", 100, 50, 5, s, "是"] for i, s in enumerate(statuses, 1)
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["projects"]["started"]) == [True] * 7 + [False] * 6
    w = res.warnings()
    assert list(w["source_row"]) == [2 + len(statuses)] and list(w["field"]) == ["开复工情况"]


def test_started_from_yes_no_column(snap_dir):
    header = [h if h != "开复工情况" else "是否开复工" for h in PROJ_HEADER]
    rows = [["宝清县重点项目"], header] + [
        [i, f"项目{i}", "省百大", 100, 50, 5, v, "是"] for i, v in enumerate(["是", "否", 1, 0, "√", "×"], 1)
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["projects"]["started"]) == [True, False, True, False, True, False]
    assert res.findings.empty


def test_activity_kind_online(snap_dir):
    rows = [["宝清县招商活动台账"], ACT_HEADER] + [
        [i, "2020-03-05", k, "王", "深圳", 1]
        for i, k in enumerate(["云招商", "视频洽谈", "赴云南招商", "外出招商", None], 1)
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    assert list(read(snap_dir)["activities"]["online"]) == [True, True, False, False, False]


def test_out_of_province_from_flag_column(snap_dir):
    header = [*SIGN_HEADER, "是否省外"]
    rows = [
        SIGN_TITLE,
        header,
        [*sign_row(1, origin="北京"), "否"],
        [*sign_row(2, origin="哈尔滨"), "省外"],
        [*sign_row(3, origin="上海"), None],
        [*sign_row(4, origin="哈尔滨"), "√"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["out_of_province"]) == [False, True, True, True]


def test_out_of_province_from_origin(snap_dir):
    origins = ["上海市宝山区", "宝山区", "黑龙江省佳木斯市", "香港", "俄罗斯", "廣東省深圳市", None, "某地"]
    rows = [SIGN_TITLE, SIGN_HEADER] + [sign_row(i, origin=o) for i, o in enumerate(origins, 1)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["out_of_province"]) == [True, False, False, True, True, True, False, False]
    w = res.warnings()
    assert list(w["source_row"]) == [9, 10]
    assert list(w["code"]) == ["origin.blank", "origin.unknown"] and w["value"].iloc[1] == "某地"


def test_chain_short_forms_and_unknown(snap_dir):
    header = [*SIGN_HEADER, "产业链"]
    chains = ["煤电化", "绿色食品", "石墨新材料", "旅游", "汉麻", "机器人", None]
    rows = [SIGN_TITLE, header] + [[*sign_row(i), c] for i, c in enumerate(chains, 1)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    s = read(snap_dir)["signings"]
    assert list(s["chain"]) == [
        "现代煤电化",
        "粮食和绿色食品深加工",
        "石墨及新材料",
        "生态旅游",
        "医药和汉麻",
        "其他",
        "",
    ]
    assert s["chain_raw"].iloc[5] == "机器人"


def test_online_from_mode(snap_dir):
    modes = ["视频签约", "线上", "网上签约", "云签约", "不见面签约", "在线", "现场签约", None]
    rows = [SIGN_TITLE, SIGN_HEADER] + [sign_row(i, mode=m) for i, m in enumerate(modes, 1)]
    write_xlsx(snap_dir / "a.xlsx", rows)
    assert list(read(snap_dir)["signings"]["online"]) == [True] * 6 + [False] * 2


def test_text_kept_as_written(snap_dir):
    write_xlsx(snap_dir / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, project=" 寶清石墨項目 ")])
    s = read(snap_dir)["signings"]
    assert s["project"].iloc[0] == "寶清石墨項目"


# ------------------------------------------------------------------ findings and checks


def test_finding_columns(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", Sheet([SIGN_TITLE, SIGN_HEADER, sign_row(1, amount="abc")], "签约"))
    res = read(snap_dir)
    q = res.findings
    assert list(q.columns) == FINDING_COLUMNS
    f = q.iloc[0].to_dict()
    assert f["severity"] in ("error", "warning", "info")
    assert (f["ledger"], f["region"], f["source_file"], f["source_sheet"], f["source_row"]) == (
        "signings",
        "宝清县",
        "宝清县.xlsx",
        "签约",
        3,
    )
    assert f["field"] == "签约额" and f["value"] == "abc"
    assert "abc" in f["message"] and any("\u4e00" <= ch <= "\u9fff" for ch in f["message"])


def test_same_project_twice_across_files(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, project="石墨烯项目")])
    write_xlsx(snap_dir / "饶河县.xlsx", [["饶河县签约台账"], SIGN_HEADER, sign_row(1, project=" 石墨烯项目")])
    res = read(snap_dir)
    assert len(res["signings"]) == 2  # both kept; the county must check
    w = res.warnings()
    assert len(w) == 1
    assert w.iloc[0]["source_file"] == "饶河县.xlsx"
    assert w.iloc[0]["code"] == "project.duplicate"
    assert "宝清县.xlsx" in w.iloc[0]["message"]  # names the other place


def test_completed_more_than_planned(snap_dir):
    rows = [["宝清县重点项目"], PROJ_HEADER, [1, "甲", "省百大", 100, 50, 80, "在建", "是"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert len(res["projects"]) == 1
    w = res.warnings()
    assert list(w["field"]) == ["累计完成投资"] and list(w["code"]) == ["project.completed_over_planned"]


def test_signing_after_period_warns_and_is_not_counted(snap_dir):
    rows = [
        SIGN_TITLE,
        SIGN_HEADER,
        sign_row(1, day="2020-06-30", amount=100),
        sign_row(2, day="2020-07-01", amount=900),
        sign_row(3, day="2019-12-31", amount=5),
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert len(res["signings"]) == 3
    w = res.warnings()
    assert list(w["source_row"]) == [4] and list(w["code"]) == ["date.after_period"]
    assert list(w["value"]) == ["2020-07-01"]
    assert list(res.findings[res.findings["severity"] == "info"]["code"]) == ["date.before_year"]
    ind = compute(res.tables, "2020-06", load_config())
    city = ind[ind["region"] == "全市"].set_index("indicator")["value"]
    assert city["signed_projects"] == "1" and city["signed_amount"] == "100"


def test_accounting_region_and_columns(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1)])
    acc = _acc(read(snap_dir))
    assert acc["region"] == "宝清县" and acc["ledger"] == "signings"


def test_total_rows_that_disagree_with_their_rows(snap_dir):
    rows = [
        SIGN_TITLE,
        SIGN_HEADER,
        sign_row(1, amount=100),
        sign_row(2, amount=200),
        ["宝清县小计", None, None, None, None, 300],  # agrees
        sign_row(3, amount=50),
        ["饶河县小计", None, None, None, None, 60],  # 50 ≠ 60
        ["其中：不见面", None, None, None, None, 1],  # a part, not checked
        ["合计", None, None, None, None, "3.5亿元"],
    ]  # 350 ≠ 35000
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert len(res["signings"]) == 3
    w = res.warnings()
    assert list(w["source_row"]) == [7, 9]
    assert list(w["code"]) == ["total.mismatch"] * 2
    assert "35,000万元" in w["message"].iloc[1] and "350万元" in w["message"].iloc[1]  # stated and summed


def test_total_row_not_checked_when_a_row_was_rejected(snap_dir):
    rows = [
        SIGN_TITLE,
        SIGN_HEADER,
        sign_row(1, amount=100),
        sign_row(2, day="六月中旬", amount=200),
        ["合计", None, None, None, None, 300],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert res.warnings().empty and len(res.errors()) == 1


def test_in_province_signing_in_an_out_of_province_ledger(snap_dir):
    rows = [
        ["宝清县2020年省外招商引资签约项目台账"],
        SIGN_HEADER,
        sign_row(1, origin="广东省深圳市"),
        sign_row(2, origin="哈尔滨市"),
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    w = res.warnings()
    assert list(w["source_row"]) == [4] and list(w["code"]) == ["signing.in_province"]
    # the same rows in a ledger not titled 省外 are not flagged
    other = snap_dir.parent / "other" / "2020-06"
    write_xlsx(other / "a.xlsx", [SIGN_TITLE, SIGN_HEADER, sign_row(1, origin="哈尔滨市")])
    assert read(other).warnings().empty


def test_a_city_wide_sheet_is_accounted_to_the_city(snap_dir):
    """A targets table listing every region is not booked under its first region."""
    write_xlsx(snap_dir / "目标.xlsx", [TARGET_HEADER, ["宝清县", 100, 2], ["饶河县", 50, 1]])
    assert _acc(read(snap_dir))["region"] == "全市"
    one = snap_dir.parent / "one" / "2020-06"
    write_xlsx(one / "目标.xlsx", [TARGET_HEADER, ["宝清县", 100, 2]])
    assert _acc(read(one))["region"] == "宝清县"
