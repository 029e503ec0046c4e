"""Ledgers as counties really lay them out (issue 12, SPEC §8): group headers, section
rows, a sheet per county, stacked tables. Each workbook is written here with openpyxl;
every read goes through ``conftest.read`` (the row accounting on every sheet), and
``whole_sheet`` checks that every non-empty row of a sheet is counted exactly once —
as a header row of one table or as a row read by one table."""

from __future__ import annotations

import openpyxl
import pytest

from bulletin.config import load_config
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
    ind = compute(res.tables, "2020-06", load_config())
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


# ------------------------------------------------------------------ a corpus of county layouts

SIGN = ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]


def records(res, ledger, *fields):
    return [tuple(r) for r in res[ledger][list(fields)].itertuples(index=False)]


def test_serial_column_with_merged_region_blocks(snap_dir):
    """A city sheet: 县区 merged down over each county's projects, 序号 restarting per
    block, a 小计 row per county and a 合计 row."""
    rows = [
        ["双鸭山市2020年1-6月签约项目汇总表"],
        ["县区", *SIGN],
        ["宝清县", 1, "甲", "某公司", "北京", "2020-03-01", 100, "现场签约"],
        ["宝清县", 2, "乙", "某公司", "上海", "2020-04-01", 200, "视频签约"],
        ["宝清县小计", None, None, None, None, None, 300, None],
        ["饶河县", 1, "丙", "某公司", "广东省深圳市", "2020-05-01", 50, "线下签约"],
        ["合计", None, None, None, None, None, 350, None],
    ]
    merges = ["A1:H1", "A3:A4"]
    path = write_xlsx(snap_dir / "全市汇总.xlsx", Sheet(rows, "汇总", merges))
    res = read(snap_dir)
    assert records(res, "signings", "region", "project", "amount", "online") == [
        ("宝清县", "甲", 100.0, False),
        ("宝清县", "乙", 200.0, True),
        ("饶河县", "丙", 50.0, False),
    ]
    assert res.errors().empty and res.warnings().empty  # the 小计 and 合计 agree
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["records"], acc["total_note_rows"], acc["header_rows"]) == (5, 3, 2, 2)
    whole_sheet(res, path, "汇总")


def test_region_sections_and_sub_sections(snap_dir):
    """一、宝清县 / 二、饶河县 set the region; （一）续建项目 sub-sections set nothing and
    are counted; 宝清县： (a colon heading) works too."""
    rows = [
        ["2020年市百大项目推进情况表"],
        ["序号", "项目名称", "年度计划投资（万元）", "累计完成投资（万元）", "开复工情况"],
        ["一、宝清县"],
        ["（一）续建项目"],
        [1, "甲", 500, 100, "续建"],
        ["（二）新建项目"],
        [2, "乙", 800, 0, "未开工"],
        ["二、饶河县"],
        [1, "丙", 300, 30, "在建"],
        ["集贤县："],
        [1, "丁", 100, 10, "已开工"],
    ]
    path = write_xlsx(snap_dir / "市百大.xlsx", Sheet(rows, "Sheet1", ["A3:E3", "A8:E8"]))
    res = read(snap_dir)
    assert records(res, "projects", "region", "project", "tier", "started") == [
        ("宝清县", "甲", "municipal_key", True),
        ("宝清县", "乙", "municipal_key", False),
        ("饶河县", "丙", "municipal_key", True),
        ("集贤县", "丁", "municipal_key", True),
    ]
    assert res.errors().empty and res.warnings().empty
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (9, 4, 5, 0)
    whole_sheet(res, path, "Sheet1")


def test_unit_only_in_a_unit_line_to_the_right(snap_dir):
    header = [h if "签约额" not in h else "签约额" for h in SIGN]
    rows = [
        ["宝清县2020年签约项目台账"],
        [None, None, None, None, None, "单位：亿元"],
        header,
        [1, "甲", "某公司", "北京", "2020-03-01", 1.5, "现场"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert records(res, "signings", "amount") == [(15000.0,)]
    assert res.warnings().empty
    reading = res["reading"]
    assert any("亿元" in t and "单位" in t for t in reading[reading["topic"] == "金额单位"]["detail"])


def test_headers_with_line_breaks_and_a_table_at_c4(snap_dir):
    header = ["序号", "项目\n名称", "投资方\n名称", "投资方\n所在地", "签约\n日期", "签约额\n（万元）", "签约\n方式"]
    rows = [[None] * 9, [None, None, "饶河县签约项目台账"], [None] * 9, [None, None, *header]]
    rows.append([None, None, 1, "甲", "某公司", "浙江杭州", "2020年5月6日", "1,200", "网上签约"])
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert records(res, "signings", "region", "project", "investor", "amount", "signed_on", "online") == [
        ("饶河县", "甲", "某公司", 1200.0, d(2020, 5, 6), True)
    ]
    assert list(res["signings"]["source_row"]) == [5]
    assert res.errors().empty and res.warnings().empty


def test_old_excel_xls(snap_dir):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("签约")
    rows = [["集贤县2020年签约项目台账"], SIGN, [1, "甲", "某公司", "吉林省长春市", "2020-02-03", 300, "现场签约"]]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    wb.save(str(snap_dir / "集贤县.xls"))
    res = read(snap_dir)
    assert records(res, "signings", "region", "project", "amount", "out_of_province") == [("集贤县", "甲", 300.0, True)]
    acc = res["accounting"].iloc[0]
    assert (acc["header_rows"], acc["rows_read"], acc["records"]) == (2, 1, 1)


def test_gbk_csv(snap_dir):
    text = "\n".join(
        [
            "友谊县招商活动台账,,,,",
            "活动日期,活动类型,带队领导,活动地点,形成合作线索",
            "2020/3/5,外出招商,王县长,北京,2",
            "2020/4/9,云招商,李县长,线上,3",
            "合计,,,,5",
        ]
    )
    (snap_dir / "友谊县活动.csv").write_bytes(text.encode("gbk"))
    res = read(snap_dir)
    assert records(res, "activities", "region", "held_on", "leads", "online") == [
        ("友谊县", d(2020, 3, 5), 2, False),
        ("友谊县", d(2020, 4, 9), 3, True),
    ]
    acc = res["accounting"].iloc[0]
    assert (acc["header_rows"], acc["rows_read"], acc["records"], acc["total_note_rows"]) == (2, 3, 2, 1)


def test_completed_investment_by_month_beside_the_year_to_date_column(snap_dir):
    header = ["项目名称", "项目类别", "年度计划投资（万元）"] + [f"{m}月完成投资" for m in range(1, 7)]
    header += ["1-6月累计完成投资（万元）", "开复工情况"]
    rows = [["宝清县重点项目"], header, ["甲", "省百大", 600, 10, 10, 10, 10, 10, 50, 100, "在建"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert records(res, "projects", "planned_investment", "completed_investment") == [(600.0, 100.0)]
    assert res.errors().empty and res.warnings().empty
    cols = res["reading"][res["reading"]["topic"] == "列"]
    assert sum("逐月明细" in t for t in cols["detail"]) == 6


def test_month_detail_without_a_year_to_date_column_warns(snap_dir):
    header = ["项目名称", "项目类别", "年度计划投资（万元）"] + [f"{m}月完成投资" for m in range(1, 4)]
    rows = [["宝清县重点项目"], header, ["甲", "省百大", 600, 10, 10, 10]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert res["projects"]["completed_investment"].isna().all()  # never the sum of the months, never a guess
    w = res.warnings()
    assert list(w["code"]) == ["header.month_detail_only"] and list(w["field"]) == ["累计完成投资"]


def test_out_of_province_words_and_online_modes(snap_dir):
    header = ["项目名称", "是否省外", "签约日期", "签约额（万元）", "签约方式"]
    rows = [
        ["宝清县签约台账"],
        header,
        ["甲", "省外", "2020-01-05", 10, "线上签约"],
        ["乙", "省内", "2020-01-06", 20, "线下签约"],
        ["丙", "是", "2020-01-07", 30, "视频连线签约"],
        ["丁", "否", "2020-01-08", 40, "集中签约"],
    ]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    assert records(res, "signings", "project", "out_of_province", "online") == [
        ("甲", True, True),
        ("乙", False, False),
        ("丙", True, True),
        ("丁", False, False),
    ]
    assert res.errors().empty and res.warnings().empty


def test_two_columns_of_one_field_is_an_error_naming_both(snap_dir):
    header = ["项目名称", "签约日期", "签约额（万元）", "协议投资额（万元）", "投资方", "签约单位"]
    rows = [["宝清县签约台账"], header, ["甲", "2020-01-05", 10, 12, "A公司", "B公司"]]
    write_xlsx(snap_dir / "a.xlsx", rows)
    res = read(snap_dir)
    e = res.errors()
    assert sorted(e[e["source_row"] == 2]["code"]) == ["header.ambiguous", "header.ambiguous"]
    amount = e[e["field"] == "签约额"].iloc[0]
    assert "C列" in amount["message"] and "D列" in amount["message"]  # names both columns
    assert res["signings"].empty  # a required field read from neither column: the row is not counted
    assert res["accounting"].iloc[0]["rejected_rows"] == 1


def test_layouts_yaml_pins_a_file_no_rule_can_read(snap_dir, tmp_path):
    """Headers no alias knows: the office pins the header row, the columns, the region,
    tier and unit in layouts.yaml; the finding and the reading say so."""
    rows = [["附件3"], ["编号", "名称", "规模", "今年安排", "已完成", "进度"], [1, "甲", 12, 3, 1.2, "在建"]]
    write_xlsx(snap_dir / "附件3.xlsx", Sheet(rows, "表1"))
    assert read(snap_dir)["projects"].empty  # not readable without the entry
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "layouts.yaml").write_text(
        "layouts:\n"
        "  - file: 附件3*\n"
        "    sheet: 表1\n"
        "    ledger: projects\n"
        "    header_rows: 2\n"
        "    columns: {B: project, C: total_investment, 今年安排: planned_investment, E: completed_investment,"
        " F: status, A: null}\n"
        "    region: 宝清\n"
        "    tier: 省百大\n"
        "    unit: 亿元\n",
        encoding="utf-8",
    )
    from bulletin.config import load_config

    res = read(snap_dir, cfg=load_config(str(cfg_dir)))
    assert records(
        res, "projects", "region", "tier", "project", "total_investment", "planned_investment", "completed_investment"
    ) == [("宝清县", "provincial_key", "甲", 120000.0, 30000.0, 12000.0)]
    # the pinned table has no 入统 column: its figures are empty, said once (SPEC §12)
    assert list(res.findings["code"]) == ["layout.override", "column.missing"]
    assert res.findings["field"].iloc[1] == "是否入统"
    reading = res["reading"]
    assert "layouts.yaml第1条" in reading[reading["topic"] == "设定"]["detail"].iloc[0]


def test_layouts_yaml_entry_with_an_unknown_field_is_an_error(snap_dir, tmp_path):
    write_xlsx(snap_dir / "宝清县.xlsx", [SIGN, [1, "甲", "某公司", "北京", "2020-03-01", 100, "现场"]])
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "layouts.yaml").write_text("layouts:\n  - file: 宝清县.xlsx\n    columns: {C: 投资人}\n", "utf-8")
    from bulletin.config import load_config

    res = read(snap_dir, cfg=load_config(str(cfg_dir)))
    assert len(res["signings"]) == 1
    assert sorted(res.findings["code"]) == ["layout.invalid", "layout.override"]


def test_explain_on_the_terminal(tmp_path):
    from conftest import pipeline

    raw = tmp_path / "raw"
    rows = [
        ["宝清县2020年省百大项目推进情况表"],
        ["序号", "项目名称", "项目类别", "计划投资（亿元）", None, "累计完成投资（亿元）", "开复工情况"],
        [None, None, None, "总投资", "年度计划", None, None],
        [1, "甲项目", "省百大", 10, 3, 0.8, "在建"],
    ]
    write_xlsx(raw / "2020-06" / "宝清县.xlsx", Sheet(rows, "项目", ["D2:E2", "F2:F3"]))
    write_xlsx(raw / "2020-06" / "饶河县.xlsx", [SIGN, [1, "甲", "某公司", "北京", "2020-03-01", 100, "现场"]])
    out = pipeline(
        "check", "--period", "2020-06", "--raw-dir", raw, "--out-dir", tmp_path / "out", "--explain", "宝清县.xlsx"
    )
    text = out.stdout
    assert "宝清县.xlsx  工作表“项目”" in text and "饶河县.xlsx" not in text
    assert "第2–3行" in text
    assert "D  “计划投资(亿元)／总投资” → 总投资（亿元）" in text
    assert "E  “计划投资(亿元)／年度计划” → 年度计划投资（亿元）" in text
    assert "A  “序号” → 未使用" in text
    assert "宝清县，来自标题“宝清县2020年省百大项目推进情况表”" in text
    everything = pipeline("check", "--period", "2020-06", "--raw-dir", raw, "--out-dir", tmp_path / "o2", "--explain")
    assert "饶河县.xlsx" in everything.stdout and "宝清县.xlsx" in everything.stdout
    wb = openpyxl.load_workbook(tmp_path / "out" / "2020-06" / "quality" / "宝清县_数据质量反馈_2020-06.xlsx")
    sheet = wb["读取说明"]
    assert [c.value for c in sheet[1]] == ["文件", "工作表", "台账类型", "项目", "列", "说明"]
    assert any(row[3] == "表头" and row[5].startswith("第2–3行") for row in sheet.iter_rows(values_only=True))


def test_three_tables_stacked_far_down_a_sheet(snap_dir):
    """Tables below the header search area are found after a blank or heading row; a
    heading directly after the last row of the table above starts the next one."""
    rows = [["饶河县2020年上半年招商引资工作台账"], ["序号", "活动日期", "活动类型", "活动地点", "形成合作线索"]]
    rows += [[i, "2020-03-01", "外出招商", "上海", 1] for i in range(1, 41)]
    rows += [["填报人：张三"], [None], [None], ["二、签约项目"], SIGN]
    rows += [[i, f"项目{i}", "某公司", "北京", "2020-05-01", 10, "现场"] for i in range(1, 36)]
    rows += [["合计", None, None, None, None, 350, None], ["三、重点项目"]]
    rows += [
        ["项目名称", "项目类别", "年度计划投资（万元）", "累计完成投资（万元）", "开复工情况"],
        ["甲", "市百大", 100, 5, "在建"],
    ]
    path = write_xlsx(snap_dir / "饶河县.xlsx", Sheet(rows, "台账"))
    res = read(snap_dir)
    assert (len(res["activities"]), len(res["signings"]), len(res["projects"])) == (40, 35, 1)
    assert res.errors().empty and res.warnings().empty  # the 合计 row agrees with the signings above it
    acc = res["accounting"].set_index("ledger")
    assert list(acc.loc[["activities", "signings", "projects"], "header_rows"]) == [2, 2, 2]
    assert list(acc.loc[["activities", "signings", "projects"], "total_note_rows"]) == [1, 1, 0]
    assert list(acc.loc[["activities", "signings", "projects"], "blank_rows"]) == [2, 0, 0]
    assert set(res["projects"]["region"]) == {"饶河县"}
    whole_sheet(res, path, "台账")


def test_rows_of_a_table_whose_required_field_is_ambiguous_say_why(snap_dir):
    header = ["项目名称", "签约日期", "签约额（万元）", "签约金额（万元）"]
    write_xlsx(snap_dir / "宝清县.xlsx", [header, ["甲", "2020-01-05", 10, 12], ["乙", "2020-01-06", 20, 20]])
    res = read(snap_dir)
    e = res.errors()
    assert list(e["code"]) == ["header.ambiguous", "required.missing", "required.missing"]
    assert all("两列都对应" in m for m in e["message"].iloc[1:])  # not a plain 未填写
