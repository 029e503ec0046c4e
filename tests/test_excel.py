"""bulletin.excel: every table of the bulletin as a formatted sheet of bulletin.xlsx."""

from __future__ import annotations

import doctest
import zipfile

import openpyxl
import pytest

import report_demo as demo
from bulletin.publish import excel
from bulletin.report import format as fmt

FORMULAS = ['=HYPERLINK("http://example.org","x")', "+1+2", "-3-4", "@SUM(A1)", "=1+2"]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("excel")
    base = demo.write_demo_processed(
        root / "processed", project_name=FORMULAS[0], history={"2020-05": demo.earlier_overrides()}
    )
    doc = demo.doc_for(base)
    path = excel.write_workbook(doc, root / "reports")
    return {"doc": doc, "path": path, "wb": openpyxl.load_workbook(path), "root": root, "base": base}


def test_doctests():
    result = doctest.testmod(excel)
    assert result.attempted > 0 and result.failed == 0


def test_one_sheet_per_table_in_the_bulletins_order(book):
    assert book["path"] == book["root"] / "reports" / "2020-06" / "bulletin.xlsx"
    tables = book["doc"].issued_tables
    names = book["wb"].sheetnames
    assert names[0] == "说明"
    assert len(names) == 1 + len(tables)
    for name, table in zip(names[1:], tables):
        assert name.startswith(table.number + " ") and len(name) <= 31
        assert book["wb"][name]["A1"].value == table.caption
    assert names[1] == "表1 招商引资完成情况"


def test_cells_show_the_bulletins_figures(book):
    """Each cell, read back and shown through its number format, is the text of the
    HTML/PDF table; numbers are stored as numbers (rounded as shown)."""
    cells = excel.read_cells(book["path"])
    for table in book["doc"].issued_tables:
        rows = next(v for v in cells.values() if v and v[0][0] == table.caption)
        assert rows[1][: len(table.columns)] == [c.header for c in table.columns]
        for r in range(len(table.rows)):
            assert rows[2 + r][: len(table.columns)] == [table.text(r, c) for c in range(len(table.columns))], (
                table.caption,
                r,
            )
    ws = book["wb"]["表1 招商引资完成情况"]
    assert [c.value for c in ws[3]][:6] == ["全市", 70, 50, 150.33, 140.0, 1.074]
    assert ws["D3"].number_format == "0.00" and ws["F3"].number_format == "0.0%"
    assert ws["B3"].number_format == "0" and isinstance(ws["B3"].value, int)
    assert ws["G3"].value == "绿灯" and ws["G3"].fill.start_color.rgb == "FFC8E6C9"


def test_header_style_widths_and_frozen_header(book):
    for ws in book["wb"].worksheets[1:]:
        header = list(ws[excel.HEADER_ROW])
        assert all(c.font.bold and c.fill.fill_type == "solid" for c in header if c.value)
        assert ws.freeze_panes in ("A3", "B3")
        assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in header)
        assert ws.print_title_rows == "$2:$2"  # the header repeats on printed pages
    ws = book["wb"]["表1 招商引资完成情况"]
    assert ws.freeze_panes == "B3"  # header row and the region column
    assert ws["A3"].font.bold  # the 全市 total row
    # a note under a table whose total differs from the rows by rounding
    notes = [t for t in book["doc"].issued_tables if t.notes]
    assert notes
    ws = book["wb"][next(n for n in book["wb"].sheetnames if n.startswith(notes[0].number + " "))]
    assert ws.cell(row=excel.HEADER_ROW + len(notes[0].rows) + 2, column=1).value == notes[0].notes[0]


def test_ledger_text_is_never_a_formula(tmp_path):
    base = demo.write_demo_processed(tmp_path / "p", project_name=FORMULAS[0])
    projects = tmp_path / "p" / demo.PERIOD / "projects.csv"
    import pandas as pd

    df = pd.read_csv(projects, dtype=str, keep_default_na=False)
    for i, f in enumerate(FORMULAS):
        df.loc[i, "project"] = f
        df.loc[i, "problems"] = f
    df.to_csv(projects, index=False)
    path = excel.write_workbook(demo.doc_for(base), tmp_path / "r")
    wb = openpyxl.load_workbook(path)
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    found.add(c.value)
    assert set(FORMULAS) <= found
    # and in the file itself: inline/shared strings only, no <f> (formula) element
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_workbook_is_reproducible_and_dated_by_the_run(book, tmp_path):
    again = excel.write_workbook(demo.doc_for(book["base"]), tmp_path)
    assert again.read_bytes() == book["path"].read_bytes()
    props = book["wb"].properties
    assert props.created.isoformat().startswith("2020-07-03T09:15:42")
    assert props.title == "双鸭山市2020年上半年招商引资和项目建设情况通报"


def test_about_sheet(book):
    rows = excel.read_cells(book["path"])["说明"]
    text = "\n".join(c for r in rows for c in r)
    assert "双鸭山市2020年上半年招商引资和项目建设情况通报" in text
    assert "150.33亿元" in text and "与1-5月计算结果相比" in text
    assert "表1 招商引资完成情况：表1　各县区招商引资完成情况" in text
    # the issued document's workbook: no provenance (it is in the internal edition)
    assert "程序版本" not in text and "台账文件" not in text


def test_english_workbook(tmp_path):
    base = demo.write_demo_processed(tmp_path / "p")
    path = excel.write_workbook(demo.doc_for(base, lang="en"), tmp_path / "r")
    assert path.name == "bulletin.en.xlsx"  # never over the Chinese edition's bulletin.xlsx
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "About"
    ws = wb[wb.sheetnames[1]]
    assert ws["A1"].value == "Table 1. Signings and annual targets by district and county"
    assert ws["A3"].value == "City total" and ws["D3"].value == 15.033
    assert ws["D3"].number_format == "0.000"
    assert fmt.excel_text(ws["D3"].value, ws["D3"].number_format) == "15.033"


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [excel.sheet_name("表1 " + "很长的名字" * 10, taken) for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)
    assert excel.sheet_name("a[b]:c*d?e/f\\g", set()) == "a_b__c_d_e_f_g"
