"""Tests for bulletin.quality (per-region data-quality workbooks)."""

from __future__ import annotations

import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import LEDGERS, UNKNOWN_REGION
from bulletin.publish import xlsx
from bulletin.publish.quality import summary_counts, write_quality_workbooks
from bulletin.publish.xlsx import EXCEL_CELL_LIMIT

REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
CITY = "双鸭山市"
LEDGER_LABELS = {k: load_config().ledger_label(k) for k in LEDGERS}
PERIOD = "2020-06"

HOSTILE = ['=HYPERLINK("http://x","点我")', "+cmd", "-1+2", "@SUM(A1)", "=1+1", "#N/A", "=cmd|' /C calc'!A0"]


def _finding(
    severity,
    region,
    file="宝清县.xlsx",
    sheet="签约",
    row=5,
    ledger="signings",
    field="签约金额",
    value="abc",
    message="金额无法识别",
    code="amount.text",
):
    return dict(
        severity=severity,
        ledger=ledger,
        region=region,
        source_file=file,
        source_sheet=sheet,
        source_row=row,
        field=field,
        value=value,
        message=message,
        code=code,
    )


def _acc(region, rows_read, records, total_note, rejected, file="宝清县.xlsx", sheet="签约", ledger="signings"):
    return dict(
        source_file=file,
        source_sheet=sheet,
        ledger=ledger,
        region=region,
        rows_read=rows_read,
        records=records,
        total_note_rows=total_note,
        rejected_rows=rejected,
        blank_rows=0,
        header_rows=1,
    )


@pytest.fixture
def frames():
    findings = pd.DataFrame(
        [
            _finding("warning", "宝清县", row=3, field="签约日期", message="日期无法识别，已置空"),
            _finding("info", "宝清县", row=2, message="繁体已转换"),
            _finding("error", "宝清县", file="b.xlsx", row=9),
            _finding("error", "宝清县", file="a.xlsx", row=12),
            _finding("error", "宝清县", file="a.xlsx", row=4),
            _finding("warning", "尖山区", file="尖山.xlsx", row=7, ledger="projects"),
            _finding("error", "", file="未知.xlsx", row=""),
            _finding("warning", "", file="未知.xlsx", row=None, ledger=""),
        ]
    )
    accounting = pd.DataFrame(
        [
            _acc("宝清县", 20, 15, 2, 3),
            _acc("宝清县", 10, 5, 1, 1, sheet="活动", ledger="activities"),  # 10 != 7
            _acc("饶河县", 4, 4, 0, 0, file="饶河.xlsx"),  # no findings
            _acc("", 6, 0, 0, 6, file="未知.xlsx"),
        ]
    )
    skipped = pd.DataFrame([dict(source_file="宝清县.xlsx", source_sheet="封面", reason="未找到表头，工作表未读取")])
    return findings, accounting, skipped


def _write(frames, out_dir, period=PERIOD):
    f, a, s = frames
    return _workbooks(f, a, s, out_dir, period)


def _workbooks(f, a, s, out_dir, period=PERIOD, regions=REGIONS):
    tables = {"quality": f, "accounting": a, "skipped": s}
    return write_quality_workbooks(tables, out_dir, period, regions=regions, city=CITY, ledger_labels=LEDGER_LABELS)


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_one_workbook_per_region_with_data(frames, tmp_path):
    paths = _write(frames, tmp_path)
    names = [p.name for p in paths]
    assert names == [
        "尖山区_数据质量反馈_2020-06.xlsx",
        "宝清县_数据质量反馈_2020-06.xlsx",
        "饶河县_数据质量反馈_2020-06.xlsx",
        "全市汇总_2020-06.xlsx",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temp files left
    wb = openpyxl.load_workbook(tmp_path / names[1])
    assert wb.sheetnames == ["说明", "问题清单", "行数核对"]
    text = "\n".join(str(r[0]) for r in _rows(wb["说明"]) if r[0])
    assert "错误" in text and "警告" in text and "行号" in text
    summary = openpyxl.load_workbook(tmp_path / names[-1])
    assert summary.sheetnames == ["汇总", "未读取的工作表", "全部问题"]
    assert _rows(summary["未读取的工作表"])[1] == ["宝清县.xlsx", "封面", "未找到表头，工作表未读取"]
    assert len(_rows(summary["全部问题"])) == 1 + len(frames[0])


def test_issue_list_errors_first_then_file_sheet_row(frames, tmp_path):
    _write(frames, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "宝清县_数据质量反馈_2020-06.xlsx")["问题清单"]
    rows = _rows(ws)
    assert rows[0] == ["严重程度", "台账类型", "文件", "工作表", "行号", "字段", "原值", "问题说明"]
    got = [(r[0], r[2], r[4]) for r in rows[1:]]
    assert got == [
        ("错误", "a.xlsx", 4),
        ("错误", "a.xlsx", 12),
        ("错误", "b.xlsx", 9),
        ("警告", "宝清县.xlsx", 3),
        ("提示", "宝清县.xlsx", 2),
    ]
    assert rows[1][1] == "签约项目"
    # formatting: frozen header, autofilter, bold header, red errors / yellow warnings
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H6"
    assert ws["A1"].font.b
    assert ws["A2"].fill.fgColor.rgb != ws["A5"].fill.fgColor.rgb
    assert ws["H2"].alignment.wrap_text
    assert ws.column_dimensions["C"].width >= 8


def test_accounting_check_column(frames, tmp_path):
    _write(frames, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "宝清县_数据质量反馈_2020-06.xlsx")["行数核对"]
    rows = _rows(ws)
    assert rows[0] == ["文件", "工作表", "台账类型", "读取行数", "有效记录", "合计及备注行", "退回行数", "核对"]
    assert rows[1][2:] == ["签约项目", 20, 15, 2, 3, "一致"]
    assert rows[2][2:] == ["招商活动", 10, 5, 1, 1, "不一致"]


def test_accounting_counts_as_text_and_missing(tmp_path):
    # accounting.csv read back with dtype=str; a missing count can never be 一致
    acc = pd.DataFrame([_acc("宝清县", "8", "6", "1", "1"), _acc("宝清县", "3", "", "0", "0")])
    _workbooks(pd.DataFrame(), acc, pd.DataFrame(), tmp_path)
    rows = _rows(openpyxl.load_workbook(tmp_path / "宝清县_数据质量反馈_2020-06.xlsx")["行数核对"])
    assert [r[-1] for r in rows[1:]] == ["一致", "不一致"]


def test_summary_counts_registry_order_and_unknown(frames):
    f, a, _ = frames
    df = summary_counts(f, a, REGIONS)
    assert list(df["region"]) == REGIONS + [UNKNOWN_REGION]
    row = df.set_index("region")
    assert row.loc["宝清县", ["errors", "warnings", "infos"]].tolist() == [3, 1, 1]
    assert row.loc["宝清县", ["rows_read", "records", "rejected_rows"]].tolist() == [30, 20, 4]
    assert row.loc[UNKNOWN_REGION, ["errors", "warnings", "rows_read", "rejected_rows"]].tolist() == [1, 1, 6, 6]
    assert row.loc["集贤县"].iloc[:].sum() == 0
    # without a registry: order of first appearance, unknown last
    assert list(summary_counts(f, a)["region"]) == ["宝清县", "饶河县", "尖山区", UNKNOWN_REGION]
    # nothing unknown → no 未识别县区 row
    assert UNKNOWN_REGION not in set(summary_counts(f[f.region != ""], a[a.region != ""], REGIONS)["region"])


def test_summary_sheet_has_unknown_region(frames, tmp_path):
    paths = _write(frames, tmp_path)
    wb = openpyxl.load_workbook(paths[-1])
    rows = _rows(wb["汇总"])
    assert rows[0][:7] == ["县区", "错误数", "警告数", "提示数", "读取行数", "有效记录", "合计及备注行"]
    assert "退回行数" in rows[0]
    assert [r[0] for r in rows[1:]] == REGIONS + [UNKNOWN_REGION]
    unknown = rows[-1]
    assert unknown[1:4] == [1, 1, 0]
    # unknown findings get no county workbook, but are listed in 全部问题
    assert not any(p.name.startswith(UNKNOWN_REGION) for p in paths)
    all_rows = _rows(wb["全部问题"])
    assert all_rows[0][2] == "县区"
    assert sum(1 for r in all_rows[1:] if r[2] == UNKNOWN_REGION) == 2
    assert all_rows[1][0] == "错误"


def test_hostile_strings_stay_literal(tmp_path):
    findings = pd.DataFrame(
        [
            _finding("error", "宝清县", row=i + 2, value=v, field=v, message=v, file=v, sheet=v)
            for i, v in enumerate(HOSTILE)
        ]
    )
    skipped = pd.DataFrame([dict(source_file=v, source_sheet=v, reason=v) for v in HOSTILE])
    paths = _workbooks(findings, pd.DataFrame(), skipped, tmp_path)
    ws = openpyxl.load_workbook(paths[0])["问题清单"]
    got = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column_letter in "CDFGH":
                assert cell.data_type == "s", (cell.coordinate, cell.value)
                got.setdefault(cell.column_letter, []).append(cell.value)
    for col in "CDFGH":
        assert sorted(got[col]) == sorted(HOSTILE)
    skipped_ws = openpyxl.load_workbook(paths[-1])["未读取的工作表"]
    for row in skipped_ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type == "s" and cell.value in HOSTILE
    # and no formula element anywhere in the sheet XML
    with zipfile.ZipFile(paths[0]) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_illegal_control_chars_and_long_text(tmp_path):
    bad = "金额\x00\x01\x0b\x1f abc\ud800\uffff"
    long = "很长" * 20000
    findings = pd.DataFrame([_finding("warning", "宝清县", value=bad, message=long, sheet="表\x07一")])
    paths = _workbooks(findings, pd.DataFrame(), pd.DataFrame(), tmp_path)
    rows = _rows(openpyxl.load_workbook(paths[0])["问题清单"])
    value, message = rows[1][6], rows[1][7]
    assert value.startswith("金额") and "abc" in value
    assert not any(ord(ch) < 32 for ch in value)
    assert len(message) <= EXCEL_CELL_LIMIT and message.endswith(xlsx.TRUNCATION_MARKER)
    assert "\x07" not in rows[1][3]


def test_byte_identical_on_rerun(frames, tmp_path):
    first = [p.read_bytes() for p in _write(frames, tmp_path / "a")]
    os.utime(tmp_path, None)
    second = [p.read_bytes() for p in _write(frames, tmp_path / "b")]
    assert first == second
    # document dates come from the period, not the clock
    wb = openpyxl.load_workbook(tmp_path / "a" / "全市汇总_2020-06.xlsx")
    assert wb.properties.created.year == 2020 and wb.properties.created.month == 6
    assert wb.properties.modified == wb.properties.created
    # zip entries carry a fixed timestamp too (so a run in another second is identical)
    with zipfile.ZipFile(tmp_path / "a" / "全市汇总_2020-06.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 6, 1, 0, 0, 0)}


def test_rerun_replaces_existing_files(frames, tmp_path):
    _write(frames, tmp_path)
    target = tmp_path / "宝清县_数据质量反馈_2020-06.xlsx"
    target.write_bytes(b"old junk")
    _write(frames, tmp_path)
    openpyxl.load_workbook(target)  # a valid workbook again
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_empty_inputs_write_only_summary(tmp_path):
    paths = _workbooks(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), tmp_path)
    assert [p.name for p in paths] == ["全市汇总_2020-06.xlsx"]
    rows = _rows(openpyxl.load_workbook(paths[0])["汇总"])
    assert [r[0] for r in rows[1:]] == REGIONS
    assert all(v == 0 for r in rows[1:] for v in r[1:8])


def test_display_width_counts_cjk_double():
    assert xlsx.display_width("ab") == 2
    assert xlsx.display_width("宝清") == 4
    assert xlsx.display_width("ab\n宝清县") == 6
