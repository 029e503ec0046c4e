"""SPEC §11 within a sheet (issue 20): the cases the trials found, each reproduced with a
small workbook (or CSV) built here, asserting the published figure and the finding's
code, severity and Chinese message."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from bulletin.config import load_config
from bulletin.indicators.compute import compute
from bulletin.store import indicator_table
from conftest import PERIOD, PROJ_HEADER, SIGN_HEADER, TARGET_HEADER, Sheet, read, sign_row, write_xlsx

SIGN_TITLE = ["宝清县2020年1-6月招商引资签约项目台账"]
WAN_LINE = ["填报单位：宝清县（盖章）    单位：万元    填报日期：2020年7月3日"]
TARGETS = [["2020年招商引资目标任务表"], TARGET_HEADER, ["宝清县", 140000, 5]]


def header(amount_header: str) -> list:
    return [amount_header if h == "签约额（万元）" else h for h in SIGN_HEADER]


def figures(res, region="宝清县") -> pd.Series:
    return indicator_table(compute(res.tables, PERIOD, load_config())).loc[region]


def only(res, code: str) -> pd.Series:
    found = res.findings[res.findings["code"] == code]
    assert len(found) == 1, list(res.findings["code"])
    return found.iloc[0]


# ------------------------------------------------------------------ units (SPEC §11.1)
def test_header_in_yi_under_a_wan_line_is_read_in_wan_by_magnitude(snap_dir):
    """宝清县's header edited to 签约金额（亿元） under 单位：万元: 5-digit figures are 万元."""
    rows = [SIGN_TITLE, WAN_LINE, header("签约金额（亿元）")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([45000, 32000, 61000], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    write_xlsx(snap_dir / "目标任务表.xlsx", TARGETS)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [45000.0, 32000.0, 61000.0]
    f = only(res, "unit.conflict")
    assert f["severity"] == "warning" and f["source_row"] == 3
    assert f["message"] == (
        "F列“签约金额(亿元)”的金额单位不一致（表头为亿元，“单位：”行为万元）；本列中位数45000"
        "按亿元为450,000,000万元、按万元为45,000万元，按万元读取在签约项目合理范围100万元至5,000,000万元内，"
        "已按万元计，请核实并统一单位"
    )
    fig = figures(res)
    assert fig["signed_amount"] == 138000.0
    assert abs(fig["signed_amount_completion"] - 138000 / 140000) < 1e-12


def test_a_unit_line_in_yi_over_small_figures_in_a_wan_header_reads_yi(snap_dir):
    rows = [SIGN_TITLE, ["单位：亿元"], header("签约额（万元）")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([1.2, 3.5, 0.8], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [12000.0, 35000.0, 8000.0]
    f = only(res, "unit.conflict")
    assert "已按亿元计" in f["message"] and "表头为万元" in f["message"] and "“单位：”行为亿元" in f["message"]


def test_units_that_magnitude_cannot_tell_apart_leave_the_column_unread(snap_dir):
    """Both readings in range (600 万元 or 600 亿元 = 6,000,000 万元 … 3 亿元): error, not a guess."""
    rows = [SIGN_TITLE, WAN_LINE, header("签约额（亿元）")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([200, 300, 400], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    f = only(res, "unit.unresolved")
    assert f["severity"] == "error" and f["source_row"] == 3
    assert f["message"] == (
        "F列“签约额(亿元)”的金额单位不一致（表头为亿元，“单位：”行为万元）；本列中位数300"
        "按亿元为3,000,000万元、按万元为300万元，都在签约项目合理范围100万元至5,000,000万元内，"
        "无法判断单位，本列金额未采用（按空值处理），请统一单位后重新报送"
    )
    # the required amount is not read: every row is rejected, none is counted as 0
    assert res["signings"].empty
    rows = res.findings[res.findings["code"] == "amount.unit_unresolved"]
    assert list(rows["source_row"]) == [4, 5, 6] and set(rows["severity"]) == {"error"}
    assert rows["message"].iloc[0].endswith("该行未计入统计")
    acc = res["accounting"].iloc[0]
    assert (acc["records"], acc["rejected_rows"]) == (0, 3)


def test_a_column_in_a_foreign_currency_is_not_read_as_yuan(snap_dir):
    """签约额（万美元）: 100万美元 is not 100万元, and no exchange rate is guessed; a 单位
    line in 港元 likewise. A header saying the amounts were converted is read."""
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", [SIGN_TITLE, header("签约额（万美元）"), sign_row(1, amount=100)])
    hk = [["饶河县2020年1-6月招商引资签约项目台账"], ["单位：万港元"], header("签约额")]
    write_xlsx(snap_dir / "饶河县签约台账.xlsx", [*hk, sign_row(1, amount=300)])
    converted = [["集贤县2020年1-6月招商引资签约项目台账"], ["单位：万元"], header("签约金额（外资已根据汇率转换）")]
    write_xlsx(snap_dir / "集贤县签约台账.xlsx", [*converted, sign_row(1, amount=500)])
    res = read(snap_dir)
    found = res.findings[res.findings["code"] == "unit.foreign_currency"].sort_values("source_file")
    assert set(found["severity"]) == {"error"}
    assert found["source_file"].tolist() == ["宝清县签约台账.xlsx", "饶河县签约台账.xlsx"]
    usd, hkd = found["message"]
    assert usd.startswith("F列“签约额(万美元)”的金额是外币（美元），通报按人民币统计，本列金额未采用")
    assert "外币（港元）" in hkd
    s = res["signings"]
    assert s["source_file"].tolist() == ["集贤县签约台账.xlsx"] and s["amount"].tolist() == [500.0]
    assert "unit.default" not in set(res.findings["code"])


def test_an_optional_money_column_that_cannot_be_told_is_empty_not_zero(snap_dir):
    hdr = [*header("签约额"), "到位资金（亿元）"]
    rows = [SIGN_TITLE, WAN_LINE, hdr]
    rows += [[*sign_row(i, amount=5000), f] for i, f in enumerate([200, 300, 400], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [5000.0] * 3
    assert res["signings"]["funds_in_place"].isna().all()
    assert only(res, "unit.unresolved")["field"] == "到位资金"
    assert pd.isna(figures(res)["funds_in_place"])


def test_a_column_without_unit_in_yi_is_read_in_yi(snap_dir):
    """0.5, 0.8, 0.3 written without unit (median below 1/100 of the 100 万元 low end):
    亿元, with a warning (not 0.5 万元)."""
    rows = [SIGN_TITLE, header("签约额")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([0.5, 0.8, 0.3], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [5000.0, 8000.0, 3000.0]
    f = only(res, "unit.magnitude")
    assert f["severity"] == "warning"
    assert f["message"] == (
        "F列“签约额”未注明金额单位，本列中位数0.5，按万元计明显过小（签约项目合理范围100万元至5,000,000万元），"
        "已按亿元读取（中位数为5,000万元），请核实并在表头注明单位"
    )
    assert "unit.default" not in set(res.findings["code"])
    assert figures(res)["signed_amount"] == 16000.0


def test_a_column_without_unit_just_below_the_range_stays_wan(snap_dir):
    """Median 50 万元 is below the range but not below a tenth of its low end: read as
    written (万元) with the default-unit warning, never flipped to 亿元."""
    rows = [SIGN_TITLE, header("签约额")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([40, 50, 60], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [40.0, 50.0, 60.0]
    assert list(res.findings["code"]) == ["unit.default"]


def test_a_column_without_unit_in_yuan_is_read_in_yuan(snap_dir):
    rows = [SIGN_TITLE, header("签约额")]
    amounts = [6_000_000_000, 8_000_000_000, 7_000_000_000]  # median above 1,000 × the 5,000,000 万元 high end
    rows += [sign_row(i, amount=a) for i, a in enumerate(amounts, start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [600000.0, 800000.0, 700000.0]
    assert "已按元读取" in only(res, "unit.magnitude")["message"]


@pytest.mark.parametrize(
    ("amounts", "unit", "expected"),
    [
        ([1.2, 3.5], "亿元", [12000.0, 35000.0]),  # SPEC §11.1's own example: 亿元 written without unit
        ([450_000_000, 300_000_000, 120_000_000], "元", [45000.0, 30000.0, 12000.0]),  # ordinary signings in 元
    ],
)
def test_specs_examples_of_a_column_without_unit_are_read_in_the_unit_that_fits(snap_dir, amounts, unit, expected):
    rows = [SIGN_TITLE, header("签约额")]
    rows += [sign_row(i, amount=a) for i, a in enumerate(amounts, start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == expected
    f = only(res, "unit.magnitude")
    assert f["severity"] == "warning" and f"已按{unit}读取" in f["message"]
    assert figures(res)["signed_amount"] == sum(expected)


def test_one_amount_typed_in_yuan_among_wan_is_an_error_for_its_row(snap_dir):
    """636000000 among 5-digit 万元 figures: not counted (was completion 254,555 %, rank 1)."""
    rows = [SIGN_TITLE, WAN_LINE, header("签约额")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([45000, 636000000, 32000, 61000], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    write_xlsx(snap_dir / "目标任务表.xlsx", TARGETS)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [45000.0, 32000.0, 61000.0]
    f = only(res, "amount.scale_outlier")
    assert (f["severity"], f["source_row"], f["field"], f["value"]) == ("error", 5, "签约额", "636000000")
    assert f["message"] == (
        "签约额“636000000”（636,000,000万元）是本列中位数53,000万元的12,000倍，与本列其他数值相差过大，"
        "疑似单位填错（如按元填写），请核实；该行未计入统计"
    )
    fig = figures(res)
    assert fig["signed_amount"] == 138000.0 and fig["signed_projects"] == 3


def test_one_amount_typed_in_yi_among_wan_is_an_error_for_its_row_but_a_small_completion_is_not(snap_dir):
    """1.2 (meant 1.2亿) among 5-digit 万元 signings: not counted as a 1.2万元 signing (a
    亿元以上 project would be missed); the same for a project's total investment. A
    project's small completed investment beside large ones is ordinary early in the year."""
    rows = [SIGN_TITLE, WAN_LINE, header("签约额")]
    rows += [sign_row(i, amount=a) for i, a in enumerate([45000, 1.2, 32000, 61000], start=1)]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    projects = [["饶河县2020年省级百大项目推进情况表"], ["单位：万元"], PROJ_HEADER]
    projects += [
        [i, f"项目{i}", "省级百大项目", total, 5000, done, "已开工", "是"]
        for i, (total, done) in enumerate([(50000, 3000), (3.5, 2000), (80000, 2), (60000, 4000)], start=1)
    ]
    write_xlsx(snap_dir / "饶河县重点项目台账.xlsx", projects)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [45000.0, 32000.0, 61000.0]
    found = res.findings[res.findings["code"] == "amount.scale_outlier"].sort_values("source_file")
    assert list(zip(found["source_file"], found["source_row"], found["field"])) == [
        ("宝清县签约台账.xlsx", 5, "签约额"),
        ("饶河县重点项目台账.xlsx", 5, "总投资"),
    ]
    assert found["message"].iloc[0] == (
        "签约额“1.2”（1.2万元）不到本列中位数38,500万元的32,083分之一，与本列其他数值相差过大，"
        "疑似单位填错（如按亿元填写），请核实；该行未计入统计"
    )
    p = res["projects"].set_index("project")
    assert pd.isna(p.loc["项目2", "total_investment"])  # an optional field: emptied, the project kept
    assert p.loc["项目3", "completed_investment"] == 2.0


# ---------------------------------------------------------------- numbers (SPEC §11.2)
def test_a_decimal_comma_is_an_error_not_a_thousands_separator(snap_dir):
    rows = [SIGN_TITLE, WAN_LINE, header("签约额")]
    rows += [sign_row(1, amount="6,36亿"), sign_row(2, amount="1,5亿"), sign_row(3, amount="63,600")]
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [63600.0]
    bad = res.findings[res.findings["code"] == "amount.decimal_comma"]
    assert list(bad["source_row"]) == [4, 5] and set(bad["severity"]) == {"error"}
    assert bad["message"].iloc[0] == (
        "签约额“6,36亿”中的逗号不是千位分隔符（逗号后应恰为三位数字），无法判断是小数点还是笔误，请核实；该行未计入统计"
    )


# ------------------------------------------------------- numbers in messages (§11.10)
def test_a_targets_total_mismatch_shows_numbers_as_people_write_them(snap_dir):
    rows = [["2020年招商引资目标任务表"], TARGET_HEADER, ["宝清县", 600000, 5], ["饶河县", 700000, 5]]
    rows.append(["合计", 1400000, 10])
    write_xlsx(snap_dir / "目标任务表.xlsx", rows)
    res = read(snap_dir)
    f = only(res, "total.mismatch")
    assert f["severity"] == "warning"
    assert (
        f["message"]
        == "合计行签约额目标为1,400,000万元，与其上2行之和1,300,000万元不一致，请核实（统计以各行数据为准）"
    )
    assert "e+" not in " ".join(res.findings["message"])


# ------------------------------------------------------------- total rows (SPEC §11.3)
PROJ_TITLE = ["岭东区2020年省百大项目推进情况表"]
PROJ_HDR = ["序号", "项目名称", "总投资（万元）", "年度计划投资（万元）", "累计完成投资（万元）", "开复工情况"]


@pytest.mark.parametrize(
    "label", ["合计：", "合计（5个）", "共计", "总计：", "合计（万元）", "汇总", "合计数", "Total"]
)
def test_a_total_label_in_the_project_column_is_a_total_row_never_a_project(snap_dir, label):
    """岭东区's planned investment doubled and “合计：” listed as a project not yet started."""
    rows = [PROJ_TITLE, PROJ_HDR]
    rows += [[i, f"岭东区项目{i}", 20000, 5000 * i, 1000 * i, "在建"] for i in range(1, 4)]
    rows.append([None, label, 60000, 30000, 6000, None])
    write_xlsx(snap_dir / "岭东区重点项目.xlsx", rows)
    res = read(snap_dir)
    assert list(res["projects"]["project"]) == ["岭东区项目1", "岭东区项目2", "岭东区项目3"]
    acc = res["accounting"].iloc[0]
    assert (acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (3, 1, 0)
    fig = figures(res, "岭东区")
    assert (fig["provincial_key_projects"], fig["provincial_key_planned_investment"]) == (3, 30000.0)
    assert fig["provincial_key_start_rate"] == 1.0
    # the total agrees with its rows (the one info: the table has no 入统 column, SPEC §12)
    assert list(res.findings["code"]) == ["column.missing"]


def test_a_total_row_anywhere_is_checked_against_its_rows(snap_dir):
    rows = [PROJ_TITLE, PROJ_HDR]
    rows += [[i, f"岭东区项目{i}", 20000, 5000 * i, 1000 * i, "在建"] for i in range(1, 4)]
    rows.append([None, "合计（3个）", 60000, 60000, 6000, None])  # planned doubled
    write_xlsx(snap_dir / "岭东区重点项目.xlsx", rows)
    res = read(snap_dir)
    f = only(res, "total.mismatch")
    assert (f["severity"], f["source_row"], f["field"]) == ("warning", 6, "年度计划投资")
    assert f["message"] == "合计行年度计划投资为60,000万元，与其上3行之和30,000万元不一致，请核实（统计以各行数据为准）"
    assert figures(res, "岭东区")["provincial_key_planned_investment"] == 30000.0


def test_a_csv_row_with_more_fields_than_its_header_is_rejected_not_read_by_position(snap_dir):
    """An unquoted 63,600 shifted the columns: amounts 63 / 64 / 20 were published."""
    lines = [
        "宝清县2020年1-6月招商引资签约项目台账",
        "序号,项目名称,投资方,投资方所在地,签约日期,签约额（万元）,签约方式",
        "1,项目1,甲公司,北京市,2020-05-10,45000,现场签约",
        "2,项目2,乙公司,上海市,2020-05-11,63,600,视频签约",
        "3,项目3,丙公司,广东省,2020-05-12,32000,现场签约",
    ]
    (snap_dir / "宝清县签约台账.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [45000.0, 32000.0]
    f = only(res, "row.shifted_fields")
    assert (f["severity"], f["source_row"]) == ("error", 4)
    assert f["message"] == (
        "第4行有8个字段，比表头的7个多，数据已错位（可能是数字中的逗号未加引号，如63,600），该行未计入统计；"
        "请将数字中的千位逗号去掉或给该字段加引号后重新报送"
    )
    assert figures(res)["signed_amount"] == 77000.0


# ------------------------------------------------------------------ dates (SPEC §11.4)
def test_a_1904_workbook_reads_its_dates_and_its_plain_date_numbers(snap_dir):
    """Dates as plain numbers in a 1904-date-system workbook were four years off."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    for row in [SIGN_TITLE, SIGN_HEADER, sign_row(1, amount=45000), sign_row(2, amount=32000)]:
        ws.append(row)
    ws["E3"] = 42520  # a plain number: 2020-05-31 counted from 1904-01-01 (2016-05-30 from 1899-12-30)
    ws["E4"] = dt.date(2020, 6, 15)  # a date cell
    wb.save(snap_dir / "宝清县签约台账.xlsx")
    res = read(snap_dir)
    assert list(res["signings"]["signed_on"]) == [dt.date(2020, 5, 31), dt.date(2020, 6, 15)]
    assert res.findings.empty
    fig = figures(res)
    assert (fig["signed_projects"], fig["signed_amount"]) == (2, 77000.0)


# ---------------------------------------------------------- hidden and struck (§11.5)
def test_hidden_and_struck_through_rows_are_counted_with_a_warning_each(snap_dir):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [SIGN_TITLE, SIGN_HEADER, *[sign_row(i, amount=10000 * i) for i in range(1, 5)]]:
        ws.append(row)
    ws.row_dimensions[4].hidden = True  # 项目2, hidden (or filtered out)
    for cell in ws[5]:  # 项目3: every text cell struck through (a clerk's deletion)
        if isinstance(cell.value, str):
            cell.font = Font(strike=True)
    ws["B6"].font = Font(strike=True)  # 项目4: only its name struck: not a struck row
    wb.save(snap_dir / "宝清县签约台账.xlsx")
    res = read(snap_dir)
    assert list(res["signings"]["project"]) == ["项目1", "项目2", "项目3", "项目4"]
    w = res.warnings()
    assert list(zip(w["code"], w["source_row"])) == [("row.hidden", 4), ("row.struck", 5)]
    assert list(w["message"]) == [
        "第4行是隐藏行（或被筛选隐藏），其数据已按台账计入统计，请核实该行是否应保留",
        "第5行的文字全部带删除线，其数据已按台账计入统计；如该行已作废，请从台账中删除后重新报送",
    ]
    assert figures(res)["signed_amount"] == 100000.0


# -------------------------------------------------------------- formulas (SPEC §11.6)
def _prefixed(xml: str) -> str:
    """The sheet XML with every element under an ``x:`` prefix (as some exports write it)."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = xml.replace(main, main.replace("xmlns=", "xmlns:x="))
    return re.sub(r"<(/?)(?!\?)([A-Za-z]+)([\s>/])", r"<\1x:\2\3", xml)


def test_formulas_without_results_are_found_in_an_x_prefixed_sheet(snap_dir):
    """The optional 到位资金 was silently blank; a formula in the amount rejects its row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [SIGN_TITLE, [*SIGN_HEADER, "到位资金（万元）"], *[[*sign_row(i, amount=20000), None] for i in (1, 2)]]:
        ws.append(row)
    ws["H3"] = "=F3*0.5"
    ws["F4"] = "=10000+10000"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["xl/worksheets/sheet1.xml"] = _prefixed(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    assert b"<x:f>" in parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(snap_dir / "宝清县签约台账.xlsx", "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    res = read(snap_dir)
    assert list(res["signings"]["project"]) == ["项目1"]
    assert res["signings"]["funds_in_place"].isna().all()
    f = res.findings[res.findings["code"] == "cell.formula_without_value"].sort_values("source_row")
    assert list(zip(f["source_row"], f["field"], f["severity"])) == [(3, "到位资金", "warning"), (4, "签约额", "error")]
    assert f["message"].iloc[0] == (
        "到位资金：单元格是公式“=F3*0.5”，文件中没有保存计算结果，无法读取（请在Excel中打开、重新计算并保存后报送）；"
        "该项按空值处理"
    )
    assert f["message"].iloc[1].endswith("该行未计入统计")
    assert figures(res)["signed_amount"] == 20000.0


def test_a_group_cell_unit_that_disagrees_with_its_sub_header_is_decided_by_magnitude(snap_dir):
    """计划投资（亿元） over 年度计划（万元）: 4-digit figures are 万元 (4,000 亿元 is beyond the range)."""
    rows = [
        PROJ_TITLE,
        ["序号", "项目名称", "计划投资（亿元）", "计划投资（亿元）", "开复工情况"],
        [None, None, "总投资", "年度计划（万元）", None],
    ]
    rows += [[i, f"岭东区项目{i}", 0.9, 1000 * (i + 3), "在建"] for i in range(1, 4)]
    write_xlsx(snap_dir / "岭东区重点项目.xlsx", Sheet(rows, merges=["C2:D2", "A2:A3", "B2:B3", "E2:E3"]))
    res = read(snap_dir)
    assert list(res["projects"]["planned_investment"]) == [4000.0, 5000.0, 6000.0]
    assert list(res["projects"]["total_investment"]) == [9000.0] * 3
    f = only(res, "unit.conflict")
    assert f["severity"] == "warning" and f["field"] == "年度计划投资"
    assert "（表头为万元，上层表头为亿元）" in f["message"] and "已按万元计" in f["message"]
