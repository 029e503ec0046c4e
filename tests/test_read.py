"""Opening files (SPEC §1, §6): formats, discovery, files that cannot be opened,
sheets that are skipped, the size guard, formula cells without a cached value."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import openpyxl
import pytest
import yaml

from bulletin.config import load_config
from bulletin.read.workbook import discover, read_workbook
from conftest import SIGN_HEADER, Sheet, d, read, sign_row, write_xlsx

TITLE = ["宝清县2020年1-6月招商引资签约项目台账"]


def _signings(n=2, title=TITLE):
    return [title, SIGN_HEADER, *[sign_row(i) for i in range(1, n + 1)]]


def _file_errors(res, name):
    e = res.errors()
    return e[e["source_file"] == name]


# ------------------------------------------------------------------ formats


def test_xlsx_baseline(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", _signings(2))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["项目1", "项目2"]
    assert list(s["region"]) == ["宝清县"] * 2
    assert list(s["source_row"]) == [3, 4]
    assert set(s["source_file"]) == {"宝清县.xlsx"}
    assert res.errors().empty


def test_xlsm_is_read(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsm", _signings(2))
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    assert res.errors().empty


def test_xls_that_is_an_html_table_with_rowspan(snap_dir):
    html = """<html><head><meta charset="utf-8"></head><body>
    <table border="1">
      <tr><td colspan="4">2020年1-6月招商引资签约项目台账</td></tr>
      <tr><th>所属县区</th><th>项目名称</th><th>签约日期</th><th>签约额（亿元）</th><th>投资方所在地</th></tr>
      <tr><td rowspan="2">饶河县</td><td>甲项目</td><td>2020-03-01</td><td>1.5</td><td>北京</td></tr>
      <tr><td>乙项目</td><td>2020/4/2</td><td>0.25</td><td>广东深圳</td></tr>
      <tr><td>合计</td><td></td><td></td><td>1.75</td><td></td></tr>
    </table></body></html>"""
    (snap_dir / "x.xls").write_text(html, encoding="utf-8")
    res = read(snap_dir)
    s = res["signings"].sort_values("source_row")
    assert list(s["region"]) == ["饶河县", "饶河县"]
    assert list(s["project"]) == ["甲项目", "乙项目"]
    assert list(s["amount"]) == [15000.0, 2500.0]
    assert list(s["signed_on"]) == [d(2020, 3, 1), d(2020, 4, 2)]
    acc = res["accounting"].iloc[0]
    assert (acc["records"], acc["total_note_rows"], acc["rejected_rows"]) == (2, 1, 0)
    assert res.errors().empty


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv(snap_dir, encoding):
    text = (
        '项目名称,签约日期,签约额,所属县区,投资方所在地\n甲项目,2020-03-01,"1,200",寶清縣,北京\n'
        "乙项目,2020年5月6日,3000万元,集贤县,上海\n"
    )
    (snap_dir / "signings.csv").write_bytes(text.encode(encoding))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["甲项目", "乙项目"]
    assert list(s["region"]) == ["宝清县", "集贤县"]
    assert list(s["amount"]) == [1200.0, 3000.0]
    assert list(s["source_row"]) == [2, 3]


def test_binary_xls(snap_dir):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (writes binary .xls) not installed")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("签约")
    rows = [
        ["友谊县签约项目台账"],
        ["项目名称", "签约日期", "签约额（万元）", "投资方所在地"],
        ["甲项目", "2020-02-03", 800, "浙江杭州"],
        ["乙项目", "2020.6.1", "1.1亿元", "黑龙江哈尔滨"],
    ]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write(4, 0, "丙项目")
    ws.write(4, 1, dt.datetime(2020, 6, 30), date_style)
    ws.write(4, 2, 50)
    ws.write(4, 3, "日本")
    wb.save(str(snap_dir / "友谊.xls"))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["甲项目", "乙项目", "丙项目"]
    assert list(s["amount"]) == [800.0, 11000.0, 50.0]
    assert list(s["signed_on"]) == [d(2020, 2, 3), d(2020, 6, 1), d(2020, 6, 30)]
    assert list(s["out_of_province"]) == [True, False, True]
    assert set(s["region"]) == {"友谊县"}
    assert res.errors().empty


# ------------------------------------------------------------------ discovery


def test_lock_and_hidden_files_are_not_read_but_listed_with_their_reason(snap_dir):
    """SPEC §7: every entry of the month folder is read or listed in skipped.csv."""
    write_xlsx(snap_dir / "宝清县.xlsx", _signings(1))
    (snap_dir / "~$宝清县.xlsx").write_bytes(b"\x00lock")
    (snap_dir / ".宝清县.xlsx").write_bytes(b"junk")
    (snap_dir / ".hidden").mkdir()
    write_xlsx(snap_dir / ".hidden" / "集贤县.xlsx", _signings(1))
    res = read(snap_dir)
    assert len(res["signings"]) == 1
    assert res.findings.empty
    skipped = dict(zip(res["skipped"]["source_file"], res["skipped"]["reason"]))
    assert set(skipped) == {"~$宝清县.xlsx", ".宝清县.xlsx", ".hidden/集贤县.xlsx"}
    assert "锁定文件" in skipped["~$宝清县.xlsx"] and "隐藏" in skipped[".宝清县.xlsx"]


def test_sub_folders_are_read(snap_dir):
    write_xlsx(snap_dir / "县区报送" / "集贤县" / "台账.xlsx", _signings(1, title=["签约项目台账"]))
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["region"]) == ["集贤县"]
    assert list(s["source_file"]) == ["县区报送/集贤县/台账.xlsx"]


def test_other_files_are_skipped_with_reason(snap_dir):
    (snap_dir / "说明.docx").write_bytes(b"PK\x03\x04")
    files, skipped = discover(snap_dir)
    assert files == []
    assert [s.source_file for s in skipped] == ["说明.docx"]
    assert skipped[0].reason


# ------------------------------------------------------------------ files that cannot be opened

BAD_FILES = {
    "corrupt.xlsx": os.urandom(3000),
    "notbook.xlsx": None,  # a zip that is not a workbook (written below)
    "empty.xlsx": b"",
    "encrypted.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4000),
    "encrypted.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
    "truncated.xlsx": None,  # a real workbook cut in half
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unopenable_file_is_one_error_and_others_still_read(snap_dir, name):
    path = snap_dir / name
    if name == "notbook.xlsx":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "hello")
    elif name == "truncated.xlsx":
        good = write_xlsx(snap_dir / "tmp.bin", _signings(30)).read_bytes()
        path.write_bytes(good[: len(good) // 2])
        (snap_dir / "tmp.bin").unlink()
    else:
        path.write_bytes(BAD_FILES[name])
    write_xlsx(snap_dir / "宝清县.xlsx", _signings(2))
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    errs = _file_errors(res, name)
    assert len(errs) == 1, res.findings
    e = errs.iloc[0]
    assert e["message"] and all("\u4e00" <= ch <= "\u9fff" for ch in e["message"][:2])
    assert e["source_row"] == ""
    assert res.findings["source_file"].isin([name, "宝清县.xlsx"]).all()


def test_text_file_named_xlsx_is_read_as_a_text_table(snap_dir):
    """A text file under a spreadsheet's name is read as CSV (web exports do that):
    text that is no table is a sheet without a ledger header, listed as skipped."""
    (snap_dir / "a.xlsx").write_text("这不是表格", encoding="utf-8")
    res = read(snap_dir)
    assert res.errors().empty
    assert list(res["skipped"]["source_file"]) == ["a.xlsx"]


def test_html_without_table(snap_dir):
    (snap_dir / "a.xls").write_text("<html><body><p>无表格</p></body></html>", encoding="utf-8")
    res = read(snap_dir)
    assert len(_file_errors(res, "a.xls")) == 1


def test_unopenable_file_region_from_its_name(snap_dir):
    (snap_dir / "饶河县签约台账.xlsx").write_bytes(os.urandom(100))
    res = read(snap_dir)
    assert list(res.errors()["region"]) == ["饶河县"]


# ------------------------------------------------------------------ sheets skipped, not errors


def test_empty_unrelated_and_hidden_sheets_are_skipped(snap_dir):
    write_xlsx(
        snap_dir / "宝清县.xlsx",
        Sheet(_signings(2), "签约"),
        Sheet([], "空表"),
        Sheet([["说明"], ["本表由县商务局填报"], ["姓名", "电话"], ["张三", "123"]], "封面"),
        Sheet(_signings(3), "旧数据", hidden=True),
    )
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    skipped = res["skipped"].set_index("source_sheet")["reason"]
    assert set(skipped.index) == {"空表", "封面", "旧数据"}
    assert "空" in skipped["空表"]
    assert "隐藏" in skipped["旧数据"]
    assert res.errors().empty
    assert list(res["accounting"]["source_sheet"]) == ["签约"]


def test_sheet_with_only_blank_strings_is_empty(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", Sheet(_signings(1), "签约"), Sheet([["  ", None], [None, " "]], "空白"))
    res = read(snap_dir)
    assert list(res["skipped"]["source_sheet"]) == ["空白"]
    assert "空" in res["skipped"]["reason"].iloc[0]


# ------------------------------------------------------------------ size guard


def test_size_guard_stops_reading_with_an_error(snap_dir, tmp_path):
    user = tmp_path / "userconf"
    user.mkdir()
    (user / "rules.yaml").write_text(yaml.safe_dump({"limits": {"max_rows": 10}}), encoding="utf-8")
    cfg = load_config(str(user))
    assert cfg.rules["limits"]["max_rows"] == 10
    write_xlsx(snap_dir / "宝清县.xlsx", _signings(30))
    res = read(snap_dir, cfg=cfg)
    s = res["signings"]
    assert list(s["source_row"]) == list(range(3, 11))  # Excel rows 3..10 read
    errs = res.errors()
    assert len(errs) == 1
    assert errs.iloc[0]["source_row"] == 11
    assert errs.iloc[0]["code"] == "sheet.truncated"
    acc = res["accounting"].iloc[0]
    assert acc["rows_read"] == 8


def test_size_guard_counts_rows_from_excel_row_1(snap_dir, tmp_path):
    """A sheet whose used range starts lower still has Excel row numbers."""
    user = tmp_path / "userconf"
    user.mkdir()
    (user / "rules.yaml").write_text(yaml.safe_dump({"limits": {"max_rows": 10}}), encoding="utf-8")
    cfg = load_config(str(user))
    write_xlsx(snap_dir / "宝清县.xlsx", [[None]] * 3 + _signings(30))
    res = read(snap_dir, cfg=cfg)
    rows = list(res["signings"]["source_row"])
    assert rows == list(range(6, 11))
    assert list(res.errors()["source_row"]) == [11]


def test_columns_beyond_the_limit_are_not_read(snap_dir, tmp_path):
    """``limits.max_cols``: cells right of the limit are dropped, columns before it keep
    their Excel positions."""
    user = tmp_path / "userconf"
    user.mkdir()
    (user / "rules.yaml").write_text(yaml.safe_dump({"limits": {"max_cols": 3}}), encoding="utf-8")
    cfg = load_config(str(user))
    write_xlsx(snap_dir / "宝清县.xlsx", [["a", "b", "c", "d", "e"], ["1", None, "3", "4"]])
    grid = read_workbook(snap_dir / "宝清县.xlsx", snap_dir, cfg).grids[0]
    assert grid.rows == [["a", "b", "c"], ["1", None, "3"]]
    default = read_workbook(snap_dir / "宝清县.xlsx", snap_dir, load_config()).grids[0]
    assert default.rows[0] == ["a", "b", "c", "d", "e"]


# ------------------------------------------------------------------ formulas


def test_formula_without_cached_value(snap_dir):
    """openpyxl writes formulas without a cached result. Decision (docs/READERS.md):
    the cell reads as empty; in a required field the row is rejected with an error that
    says the cell is a formula without a saved value; in an optional field it is a
    warning. Never a crash."""
    rows = _signings(2)
    rows[2][5] = "=100+200"  # required amount
    rows[3][2] = '=CONCAT("某","公司")'  # optional investor
    write_xlsx(snap_dir / "宝清县.xlsx", rows)
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["project"]) == ["项目2"]
    assert s["investor"].iloc[0] == ""
    q = res.findings
    amount = q[(q["source_row"] == 3) & (q["field"] == "签约额")]
    assert list(amount["severity"]) == ["error"]
    assert list(amount["code"]) == ["cell.formula_without_value"]
    investor = q[(q["source_row"] == 4) & (q["field"] == "投资方")]
    assert list(investor["severity"]) == ["warning"]
    assert list(investor["code"]) == ["cell.formula_without_value"]
    acc = res["accounting"].iloc[0]
    assert (acc["rows_read"], acc["records"], acc["rejected_rows"]) == (2, 1, 1)


def _patch_cell(path, old, new):
    """Rewrite one cell of sheet1's XML, as Excel would have saved it."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert old in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(old, new).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def test_formula_with_cached_value_uses_the_value(snap_dir):
    """A workbook saved by Excel carries the formula's result: that is what is read."""
    path = write_xlsx(snap_dir / "宝清县.xlsx", _signings(1))
    _patch_cell(path, '<c r="F3" t="n"><v>1000</v></c>', '<c r="F3"><f>500+500</f><v>1000</v></c>')
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [1000.0]
    assert res.findings.empty


def test_formula_with_error_result(snap_dir):
    """calamine reads #DIV/0! as an empty cell; it must not be reported as 未填写."""
    path = write_xlsx(snap_dir / "宝清县.xlsx", _signings(2))
    _patch_cell(path, '<c r="F3" t="n"><v>1000</v></c>', '<c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    res = read(snap_dir)
    assert list(res["signings"]["source_row"]) == [4]
    e = res.errors()
    assert list(e["source_row"]) == [3] and list(e["value"]) == ["#DIV/0!"]
    assert list(e["code"]) == ["cell.error_value"]  # not required.missing


def test_raw_files_are_not_modified(snap_dir):
    path = write_xlsx(snap_dir / "宝清县.xlsx", _signings(2))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read(snap_dir)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_read_workbook_sheet_order_and_lineage(snap_dir):
    path = write_xlsx(snap_dir / "a" / "b.xlsx", Sheet([["x"]], "第一"), Sheet([["y"]], "第二"))
    wb = read_workbook(path, snap_dir, load_config())
    assert [(g.source_file, g.sheet) for g in wb.grids] == [("a/b.xlsx", "第一"), ("a/b.xlsx", "第二")]
    assert wb.grids[0].rows == [["x"]]


def test_xlsx_renamed_xls_is_read_by_content(snap_dir):
    write_xlsx(snap_dir / "宝清县.xls", _signings(2))
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["宝清县", "宝清县"]
    assert res.errors().empty


def test_xls_renamed_xlsx_is_read_by_content(snap_dir):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (writes binary .xls) not installed")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("签约")
    for i, row in enumerate([["饶河县签约台账"], SIGN_HEADER, sign_row(1)]):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    wb.save(str(snap_dir / "饶河县.xlsx"))
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["饶河县"]
    assert res.errors().empty


def test_binary_xls_merged_cells(snap_dir):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (writes binary .xls) not installed")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("签约")
    ws.write(0, 0, "县区")
    for j, h in enumerate(SIGN_HEADER, start=1):
        ws.write(0, j, h)
    ws.write_merge(1, 2, 0, 0, "集贤县")
    for i in (1, 2):
        for j, v in enumerate(sign_row(i), start=1):
            ws.write(i, j, v)
    wb.save(str(snap_dir / "全市.xls"))
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["集贤县", "集贤县"]


def test_gbk_html_table(snap_dir):
    html = (
        "<html><head><meta charset='gbk'></head><body><table>"
        "<tr><td>项目名称</td><td>签约日期</td><td>签约额(万元)</td><td>县区</td></tr>"
        "<tr><td>甲</td><td>2020年2月3日</td><td>1,500</td><td>尖山区</td></tr></table></body></html>"
    )
    (snap_dir / "export.xls").write_bytes(html.encode("gb18030"))
    res = read(snap_dir)
    s = res["signings"]
    assert (s["project"].iloc[0], s["amount"].iloc[0], s["region"].iloc[0]) == ("甲", 1500.0, "尖山区")


def test_chart_sheet_is_skipped(snap_dir):
    from openpyxl.chart import BarChart, Reference

    path = snap_dir / "宝清县.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in _signings(2):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=2, max_row=4), titles_from_data=True)
    cs = wb.create_chartsheet("图表")
    cs.add_chart(chart)
    wb.save(path)
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    assert list(res["skipped"]["source_sheet"]) == ["图表"]
    assert res.errors().empty


def test_table_not_starting_at_a1(snap_dir):
    rows = [[None, None, *r] for r in [[None]] * 3 + _signings(2)]
    write_xlsx(snap_dir / "宝清县.xlsx", rows)
    res = read(snap_dir)
    s = res["signings"]
    assert list(s["source_row"]) == [6, 7]
    assert list(s["amount"]) == [1000.0, 1000.0]


def test_a_million_formatted_empty_rows_are_not_materialised(tmp_path):
    """A used range claiming a million rows (formatting only) must not become a million
    Python rows: the grid holds only the rows with values."""
    from openpyxl.styles import PatternFill

    snap = tmp_path / "2020-06"
    snap.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["宝清县签约项目台账"])
    ws.append(["项目名称", "签约日期", "签约额"])
    ws.append(["甲", "2020-05-01", 100])
    ws.cell(row=1_000_000, column=30).fill = PatternFill("solid", fgColor="FFFF00")
    ws.cell(row=1_000_000, column=30).number_format = "0.00"
    wb.save(snap / "big.xlsx")
    grids = read_workbook(snap / "big.xlsx", snap, load_config()).grids
    assert len(grids) == 1 and len(grids[0].rows) <= 3


# ------------------------------------------------------------------ cells far away, written oddly
_SHEET_XML = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)
_A1 = '<row r="1"><c r="A1" t="inlineStr"><is><t>宝清县签约项目台账</t></is></c></row>'


@pytest.mark.parametrize(
    "rows, code",
    [
        ('<row r="2"><c r="xfd1048576"><v>2</v></c></row>', "sheet.too_large"),  # lower case: calamine takes it
        ('<row r="1048576"><c\tr="XFD1048576"><v>2</v></c></row>', "sheet.too_large"),  # a tab before r
        ('<row r="1048576"><c r="XFD1048576" x=">"><v>2</v></c></row>', "sheet.too_large"),  # ">" in a value
        ('<row r="1048576"><c r="XFD1048576" s="1"></c><c r="XFD1" s="1"/></row>', None),  # styled, empty: read
        # cells without a position: 16,384 in a row, then row 99,999 — read bounded, refused
        (
            '<row r="2">' + "<c/>" * 16383 + '<c><v>1</v></c></row><row r="99999"><c><v>1</v></c></row>',
            "file.resources",
        ),
        ('<row r="2"><x:c xmlns:x="urn:x"><x:v>1</x:v></x:c></row>', None),  # a namespace prefix: read bounded
    ],
)
def test_how_far_cells_reach_is_known_before_they_are_built(snap_dir, rows, code):
    from hostile import _replace_sheet, _xlsx_bytes

    _replace_sheet(snap_dir / "a.xlsx", _xlsx_bytes([["x"]]), _SHEET_XML.format(_A1 + rows))
    wb = read_workbook(snap_dir / "a.xlsx", snap_dir, load_config())
    assert [p.code for p in wb.problems] == ([code] if code else [])
    if code is None:
        assert wb.grids[0].rows[0][0] == "宝清县签约项目台账"


def test_cells_without_a_position_are_read_in_order(snap_dir):
    from hostile import _replace_sheet, _xlsx_bytes

    rows = "<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"
    _replace_sheet(snap_dir / "a.xlsx", _xlsx_bytes([["x"]]), _SHEET_XML.format(rows))
    wb = read_workbook(snap_dir / "a.xlsx", snap_dir, load_config())
    assert wb.problems == [] and wb.grids[0].rows == [[1.0, 2.0], [3.0, None]]
