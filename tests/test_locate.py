"""bulletin.ledgers.locate: a sheet's ledger type, header row, field columns and what
the lines above the header say (region, tier, unit) — SPEC §2, §3 rules 1, 4–6.
Small grids of cell values, as the readers return them (merged ranges filled)."""

from __future__ import annotations

import pytest

from bulletin.config import load_config
from bulletin.ledgers.locate import locate, locate_tables

CFG = load_config()
SIGN = ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]
PROJ = ["序号", "项目名称", "项目类别", "总投资", "年度计划投资", "累计完成投资", "开复工情况"]


def test_header_row_and_columns():
    rows = [["宝清县2020年签约项目台账"], [None], SIGN, [1, "甲", "某公司", "北京", "2020-05-01", 100, "现场"]]
    lay = locate(rows, "台账.xlsx", CFG)
    assert lay.ledger == "signings" and lay.header_row == 2
    assert lay.columns == {"project": 1, "investor": 2, "origin": 3, "signed_on": 4, "amount": 5, "mode": 6}
    assert lay.header_text["amount"] == "签约额(万元)"  # as written, NFKC
    assert lay.column_units == {"amount": "万元"}
    assert lay.title_lines == ["宝清县2020年签约项目台账"]
    assert lay.title_region == "宝清县"


def test_each_ledger_type_by_its_header():
    assert locate([PROJ], "", CFG).ledger == "projects"
    assert locate([["县区", "签约额目标（亿元）", "签约项目数目标"]], "", CFG).ledger == "targets"
    assert locate([["序号", "活动日期", "活动类型", "活动地点", "形成合作线索"]], "", CFG).ledger == "activities"


def test_the_row_matching_most_aliases_wins():
    """A line above the header that happens to hold two aliases is not the header."""
    rows = [["项目名称", "签约日期"], SIGN]
    lay = locate(rows, "", CFG)
    assert lay.header_row == 1 and len(lay.columns) == 6


def test_required_fields_decide_the_type():
    # 签约额 missing: not a signings ledger; nothing else matches either
    reason = locate([["序号", "项目名称", "投资方", "签约日期"]], "", CFG)
    assert isinstance(reason, str) and "必填" in reason
    # targets need a target column besides the region
    assert isinstance(locate([["县区", "备注", "地区"]], "", CFG), str)


def test_empty_and_non_ledger_sheets_give_a_reason():
    assert locate([], "", CFG) == "空工作表"
    assert locate([[None, None], [None]], "", CFG) == "空工作表"
    reason = locate([["姓名", "电话"], ["张三", "123"]], "", CFG)
    assert isinstance(reason, str) and reason != "空工作表"


def test_header_search_is_limited():
    limit = CFG.rules["limits"]["header_search_rows"]
    assert locate([[None]] * (limit - 1) + [SIGN], "", CFG).header_row == limit - 1
    assert isinstance(locate([[None]] * limit + [SIGN], "", CFG), str)


def test_tier_only_from_a_title():
    header = [h for h in PROJ if h != "项目类别"]
    lay = locate([["岭东区2020年省百大项目推进情况表"], header], "", CFG)
    assert lay.ledger == "projects" and "tier" not in lay.columns
    assert lay.title_tier == "provincial_key" and lay.title_region == "岭东区"
    # no tier column and no tier in the title: still a projects sheet (its rows are rejected later)
    assert locate([header], "", CFG).title_tier is None


@pytest.mark.parametrize(
    "line, unit",
    [
        ("填报单位：宝清县（盖章）  单位：亿元  填报日期：2020年7月3日", "亿元"),
        ("单位:万元", "万元"),
        ("填报单位：宝清县", None),
    ],
)
def test_unit_line_above_the_header(line, unit):
    header = [h if h != "签约额（万元）" else "签约额" for h in SIGN]
    lay = locate([[line], header], "", CFG)
    assert lay.sheet_unit == unit
    factor, default = lay.factor("amount", CFG)
    assert (factor, default) == ((10000, False) if unit == "亿元" else (1, unit is None))


def test_column_unit_wins_over_the_unit_line():
    lay = locate([["单位：亿元"], SIGN], "", CFG)
    assert lay.factor("amount", CFG) == (1, False)


def test_region_from_the_file_name_when_no_title_names_one():
    lay = locate([SIGN], "2020-06/饶河县/签约.xlsx", CFG)
    assert lay.title_region == "饶河县"
    lay = locate([["宝清县签约台账"], SIGN], "饶河县.xlsx", CFG)
    assert lay.title_region == "宝清县"  # the title wins


def test_two_row_header_group_prefix():
    """A lower header cell that matches nothing is tried with the group cell above as
    prefix (签约 + 时间), and the group's unit is the column's unit."""
    rows = [
        ["序号", "项目名称", "投资方所在地", "签约情况（亿元）", "签约情况（亿元）", "签约情况（亿元）"],
        [None, None, None, "时间", "金额", "方式"],
    ]
    lay = locate(rows, "", CFG)
    assert lay.header_row == 1
    assert lay.columns == {"project": 1, "origin": 2, "signed_on": 3, "amount": 4, "mode": 5}


def test_headers_normalised_traditional_year_months():
    header = ["項目名稱", "簽約時間", "2020年1-6月簽約額（億元）"]
    lay = locate([header], "", CFG)
    assert lay.columns == {"project": 0, "signed_on": 1, "amount": 2}
    assert lay.column_units == {"amount": "亿元"}


def test_two_columns_of_one_field_are_ambiguous_and_neither_is_read():
    lay = locate([["项目名称", "签约日期", "签约额", "签约金额", "投资方"]], "", CFG)
    assert "amount" not in lay.columns and lay.ambiguous == {"amount": [2, 3]}
    assert lay.columns == {"project": 0, "signed_on": 1, "investor": 4}


def test_a_header_merged_across_two_columns_is_one_column():
    lay = locate([["项目名称", "项目名称", "签约日期", "签约额"]], "", CFG)
    assert lay.columns == {"project": 0, "signed_on": 2, "amount": 3} and lay.merged_columns == {1: 0}


def test_month_detail_beside_the_year_to_date_column():
    header = ["项目名称", "项目类别", "年度计划投资", "1月完成投资", "2月完成投资", "累计完成投资"]
    lay = locate([header], "", CFG)
    assert lay.columns["completed_investment"] == 5 and not lay.ambiguous
    assert lay.month_detail == {3: "completed_investment", 4: "completed_investment"}


@pytest.mark.parametrize(
    "upper, lower, expected",
    [
        # 计划投资（亿元） over 总投资 | 年度计划: joined, the group no field of its own
        (
            ["项目名称", "项目类别", "计划投资（亿元）", "计划投资（亿元）"],
            [None, None, "总投资", "年度计划"],
            {"project": 0, "tier": 1, "total_investment": 2, "planned_investment": 3},
        ),
        # 签约情况 over 签约时间 | 签约额 | 签约方式 with single headers merged down
        (
            ["项目名称", "签约情况", "签约情况", "签约情况"],
            ["项目名称", "签约时间", "签约额", "签约方式"],
            {"project": 0, "signed_on": 1, "amount": 2, "mode": 3},
        ),
        # a group over 合计 | 其中：不见面 names the total column
        (
            ["项目名称", "签约日期", "签约额", "签约额"],
            [None, None, "合计", "其中：不见面"],
            {"project": 0, "signed_on": 1, "amount": 2},
        ),
        # a unit-only line below the headers
        (["项目名称", "签约日期", "签约额"], [None, None, "（亿元）"], {"project": 0, "signed_on": 1, "amount": 2}),
    ],
)
def test_group_headers(upper, lower, expected):
    lay = locate([["某县签约台账"], upper, lower, ["甲", "2020-05-01", 1, 2]], "", CFG)
    assert lay.columns == expected
    assert (lay.header_top, lay.header_row) == (1, 2)
    assert not lay.ambiguous


def test_group_unit_applies_to_its_columns():
    rows = [
        ["项目名称", "项目类别", "计划投资（亿元）", "计划投资（亿元）", "累计完成投资"],
        [None, None, "总投资", "年度计划（万元）", None],
    ]
    lay = locate(rows, "", CFG)
    assert lay.column_units == {"total_investment": "亿元", "planned_investment": "万元"}  # the lower level wins


def test_group_cell_over_a_column_without_sub_header_is_no_field():
    rows = [["项目名称", "项目类别", "计划投资", "计划投资", "计划投资"], [None, None, "总投资", "年度计划", None]]
    lay = locate(rows, "", CFG)
    assert lay.columns == {"project": 0, "tier": 1, "total_investment": 2, "planned_investment": 3}
    assert not lay.ambiguous and lay.column_text[4] == "计划投资"


def test_sheet_name_gives_the_region_when_no_title_does():
    assert locate_tables([SIGN], "汇总.xlsx", CFG, "宝清")[0].title_region == "宝清县"
    lay = locate_tables([["饶河县签约台账"], SIGN], "汇总.xlsx", CFG, "宝清县")[0]
    assert (lay.title_region, lay.region_source) == ("饶河县", "标题“饶河县签约台账”")
    assert locate_tables([SIGN], "汇总.xlsx", CFG, "宝清县项目")[0].title_region is None  # a name, not a phrase


def test_stacked_tables_in_the_first_rows():
    act = ["序号", "活动日期", "活动类型", "活动地点"]
    rows = [["一、招商活动"], act, [1, "2020-05-01", "外出", "深圳"], [None], ["二、签约项目"], SIGN, [1, "甲"]]
    tables = locate_tables(rows, "宝清县.xlsx", CFG)
    assert [t.ledger for t in tables] == ["activities", "signings"]
    assert (tables[0].header_row, tables[0].end, tables[0].title_rows) == (1, 4, [0])
    assert (tables[1].header_row, tables[1].end, tables[1].title_rows) == (5, None, [4])
