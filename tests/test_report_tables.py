"""bulletin.report.tables: the bulletin's tables from the demo data."""

from __future__ import annotations

import doctest

import pytest

from bulletin.report import format as fmt
from bulletin.report import tables
from bulletin.report.document import Column, Numbers, Table
from report_demo import DEMO, REGIONS, ed_for, edition, write_demo_processed


@pytest.fixture(scope="module")
def ed(tmp_path_factory):
    return edition(write_demo_processed(tmp_path_factory.mktemp("processed")))


def test_doctests():
    result = doctest.testmod(tables)
    assert result.attempted > 0 and result.failed == 0


def test_signings_table(ed):
    t = tables.signings_table(ed, Numbers("zh"))
    assert t.caption == "表1　各县区招商引资完成情况" and t.total_rows == 1 and t.highlight == []
    assert [r[0] for r in t.rows] == ["全市", *REGIONS]
    assert [t.text(0, c) for c in range(8)] == ["全市", "70", "50", "150.33", "140.00", "107.4%", "绿灯", "—"]
    # 岭东区 98600 / 250000 = 39.4 % < 50 % - 10 → red, ranked last
    assert [t.text(2, c) for c in (0, 5, 6, 7)] == ["岭东区", "39.4%", "红灯", "8"]
    assert [c.header for c in t.columns][3:5] == ["签约额（亿元）", "年度目标（亿元）"]


def test_a_county_edition_highlights_its_row(tmp_path):
    t = tables.signings_table(ed_for(tmp_path, region="宝清县"), Numbers("zh"))
    assert len(t.rows) == 9 and [t.rows[i][0] for i in t.highlight] == ["宝清县"]


def test_region_without_signings_shows_zero_not_missing(tmp_path):
    projects, amounts = list(DEMO["signed_projects"]), list(DEMO["signed_amount"])
    projects[7], amounts[7] = 0, 0
    t = tables.signings_table(
        ed_for(tmp_path, overrides={"signed_projects": projects, "signed_amount": amounts}), Numbers("zh")
    )
    row = next(r for r in range(len(t.rows)) if t.rows[r][0] == "饶河县")
    assert t.text(row, 2) == "0" and t.text(row, 3) == "0.00"
    assert t.text(row, 5) == "0.0%" and t.text(row, 6) == "红灯"


def test_projects_table(ed):
    t = tables.projects_table(ed, "provincial_key", Numbers("zh"))
    assert t.caption == "表1　省级百大项目推进情况（分县区）"
    headers = [c.header for c in t.columns]
    for header in ("开复工率", "年度计划投资（亿元）", "累计完成投资（亿元）", "投资完成率", "入统率"):
        assert header in headers
    assert [t.text(0, c) for c in range(1, 9)] == ["47", "37", "78.7%", "38.00", "4.90", "12.9%", "34", "91.9%"]


def test_tiers_table_of_a_county(tmp_path):
    ed = ed_for(tmp_path, region="宝清县")
    t = tables.tiers_table(ed, ["provincial_key", "industrial"], Numbers("zh"))
    assert t.caption == "表1　宝清县重点项目推进情况"
    assert [r[0] for r in t.rows] == ["省级百大项目", "500万元以上产业项目"]
    assert [t.text(0, c) for c in range(1, 4)] == ["9", "7", "77.8%"]


def test_projects_not_started_are_listed_by_name_and_region(ed):
    num = Numbers("zh")
    for tier, number in (("provincial_key", "表1"), ("municipal_key", "表2"), ("industrial", "表3")):
        t = tables.not_started_table(ed, tier, num)
        assert t.number == number and len(t.rows) == 8
        assert [c.header for c in t.columns][:3] == ["序号", "县区", "项目名称"]
        assert [r[1] for r in t.rows] == REGIONS  # registry order
    t = tables.not_started_table(ed, "municipal_key", num)
    assert t.text(0, 2) == "尖山区市百大示例项目1" and t.text(0, 5) == "用地手续未办结"
    # one county's own list: its rows, no region column
    own = tables.not_started_table(ed, "municipal_key", num, region="宝清县")
    assert [c.kind for c in own.columns][:2] == ["seq", "ledger"] and [r[1] for r in own.rows] == [
        "宝清县市百大示例项目7"
    ]


def test_quality_table_counts(ed):
    t = tables.quality_table(ed, Numbers("zh"))
    assert [c.header for c in t.columns] == ["县区", "读取行数", "有效记录", "退回行数", "错误", "警告"]
    assert t.rows[0] == ["全市", 22, 15, 1, 1, 1]
    assert [r[0] for r in t.rows[1:]] == ["友谊县", "宝清县"] and t.notes == []


def test_findings_of_one_county(tmp_path):
    t = tables.findings_table(ed_for(tmp_path, region="宝清县"), Numbers("zh"))
    assert t.caption == "表1　宝清县台账待核实问题清单"
    assert [t.text(0, c) for c in range(1, 6)] == ["错误", "宝清县/签约台账.xlsx", "Sheet1", "9", "amount"]
    assert tables.findings_table(ed_for(tmp_path / "b", region="岭东区"), Numbers("zh")) is None


def test_appendix_filters_period_and_province(ed):
    t = tables.top_signings_table(ed, Numbers("zh", annex=["top_signings"]))
    assert t.caption == "附件1　签约额居前的省外招商引资项目（前2项）"
    assert tables.top_signings_table(ed, Numbers("zh")).number == "表1"  # not an 附件: a table of the text
    assert [t.text(r, 2) for r in range(2)] == ["<script>alert(1)</script>", "年产10万吨优质白酒项目"]
    assert [t.text(r, 5) for r in range(2)] == ["15.20", "5.10"] and t.text(0, 7) == "不见面"


def test_inputs_table_lists_the_files_with_their_hashes(ed):
    t = tables.inputs_table(ed, Numbers("zh"))
    assert t.caption == "附表1　本期使用的台账文件"
    assert [t.text(0, c) for c in range(4)] == ["1", "宝清县/签约台账.xlsx", "20.0 KB", "ab" * 32]


def test_totals_agree_with_rows_or_are_explained(ed):
    num = Numbers("zh")
    built = [tables.signings_table(ed, num), tables.quality_table(ed, num)]
    built += [tables.projects_table(ed, t, num) for t in ("provincial_key", "municipal_key", "industrial")]
    for table in built:
        for c, col in enumerate(table.columns):
            if col.kind not in ("money", "count"):
                continue
            shown_total = fmt.shown(col.kind, table.rows[0][c])
            parts = [fmt.shown(col.kind, r[c]) for r in table.rows[1:]]
            if shown_total is None:
                continue
            if sum(p for p in parts if p is not None) != shown_total:
                assert any(f"“{col.header}”" in n and "四舍五入" in n for n in table.notes), (table.caption, col.header)


def test_total_notes_name_rounding_and_unallocated_data():
    cols = [Column("县区", "region"), Column("金额（亿元）", "money"), Column("数", "count")]
    t = Table("t", "表9", "测试", "测试", cols, [["全市", 30000, 3], ["甲", 15000, 1], ["乙", 15000, 2]], total_rows=1)
    assert tables.total_notes(t) == []
    t.rows = [["全市", 100, 3], ["甲", 50, 1], ["乙", 50, 2]]  # 0.01 shown, 0.01 + 0.01 below
    assert tables.total_notes(t) == [
        "注：“金额（亿元）”的合计数按未经舍入的数据计算，与各县区之和的差异系四舍五入所致。"
    ]
    t.rows = [["全市", 50000, 5], ["甲", 15000, 1], ["乙", 15000, 2]]
    notes = tables.total_notes(t)
    assert len(notes) == 1 and "含未分解到县区的数据" in notes[0] and "“数”" in notes[0]


def test_ledger_text_is_shown_simplified_with_one_missing_mark(tmp_path):
    """A county's traditional characters (東升大豆蛋白提取項目 未開工 手續辦理滯後) are shown
    simplified; 无, / and a blank are the one missing-value mark —."""
    import pandas as pd

    base = write_demo_processed(tmp_path)
    path = base / "2020-06" / "projects.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, ["project", "status", "problems"]] = ["東升大豆蛋白提取項目", "未開工", "手續辦理滯後"]
    df.loc[1, "problems"] = "无"
    df.loc[2, "problems"] = " / "
    df.loc[3, "problems"] = ""
    df.to_csv(path, index=False)
    t = tables.not_started_table(edition(base), "provincial_key", Numbers("zh"))
    assert [t.text(0, c) for c in (2, 4, 5)] == ["东升大豆蛋白提取项目", "未开工", "手续办理滞后"]
    assert [t.text(r, 5) for r in (1, 2, 3)] == ["—", "—", "—"]
    assert [c.kind for c in t.columns][2:] == ["ledger", "money", "ledger", "ledger"]


def test_city_wide_sheets_are_their_own_line_not_a_second_city_total(tmp_path):
    """The targets workbook is a city-wide sheet (region 全市): 表 of data quality shows it
    as 市级汇总表 under the regions, never as a second 全市 row."""
    import pandas as pd

    base = write_demo_processed(tmp_path)
    acc = base / "2020-06" / "accounting.csv"
    df = pd.read_csv(acc)
    df.loc[len(df)] = ["全市/目标任务表.xlsx", "Sheet1", "targets", "全市", 10, 8, 2, 0]
    df.to_csv(acc, index=False)
    ed = edition(base)
    t = tables.quality_table(ed, Numbers("zh"))
    names = [r[0] for r in t.rows]
    assert names == ["全市", "友谊县", "宝清县", "市级汇总表"] and names.count("全市") == 1
    assert t.rows[0][1:4] == [32, 23, 1]  # the total counts the city-wide sheet too
    en = tables.quality_table(edition(base, lang="en"), Numbers("en"))
    assert [en.text(r, 0) for r in range(len(en.rows))][-1] == "City-level sheets"
