"""Data-quality workbooks for the counties (SPEC §5, §6).

Inputs are the processed ``quality.csv`` (findings), ``accounting.csv`` and
``skipped.csv`` tables (columns in docs/ARCHITECTURE.md). Outputs, under
``reports/<period>/quality/``:

* ``<region>_数据质量反馈_<period>.xlsx`` for every region that has any accounting row
  or finding: sheets ``说明``, ``问题清单``, ``行数核对``;
* ``全市汇总_<period>.xlsx``: sheets ``汇总``, ``报送情况`` (the submission register:
  region × ledger type × file, SPEC §7), ``未读取的工作表``, ``全部问题``.

All ledger text is data: every text cell is written as an inline string
(``data_type == "s"``), never as a formula, with Excel-forbidden control characters
replaced and over-long text truncated. Workbooks are written atomically and are
byte-for-byte reproducible for the same inputs (fixed document dates derived from the
period, fixed zip entry timestamps).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bulletin.contract import (
    ACCOUNTING_COLUMNS,
    EXPLAIN_COLUMNS,
    FINDING_COLUMNS,
    SEVERITY_ORDER,
    SKIPPED_COLUMNS,
    SUBMISSION_COLUMNS,
    UNKNOWN_REGION,
    Period,
)
from bulletin.files import atomic_write
from bulletin.publish.xlsx import cell_text, display_width, is_missing, safe_text, set_styles, workbook_bytes
from bulletin.text import strip_controls

__all__ = [
    "SUMMARY_HEADERS",
    "summary_counts",
    "write_quality_workbooks",
    "region_workbook_name",
    "summary_workbook_name",
    "safe_text",
]

# the counts of the 行数核对 sheet (rows read = records + total/note rows + rejected rows)
COUNT_COLUMNS = ["rows_read", "records", "total_note_rows", "rejected_rows"]

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# summary_counts() columns → headers of the 汇总 sheet.
SUMMARY_HEADERS = {
    "region": "县区",
    "errors": "错误数",
    "warnings": "警告数",
    "infos": "提示数",
    "rows_read": "读取行数",
    "records": "有效记录",
    "total_note_rows": "合计及备注行",
    "rejected_rows": "退回行数",
}

_FILENAME_BAD_RE = re.compile(r'[\x00-\x1f\\/:*?"<>|]')

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_ERROR_FILL = PatternFill("solid", start_color="FFFFE0E0", end_color="FFFFE0E0")
_WARNING_FILL = PatternFill("solid", start_color="FFFFF5CC", end_color="FFFFF5CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")

_FIXED_FALLBACK_DATE = _dt.datetime(2000, 1, 1)


# ---------------------------------------------------------------------------
# Small value helpers
# ---------------------------------------------------------------------------


def _row_number(value) -> int | None:
    """source_row as int (it may arrive as int, float, numeric text or empty)."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        f = float(str(value).strip())
    except ValueError:
        return None
    if math.isnan(f) or math.isinf(f) or not f.is_integer():
        return None
    return int(f)


def _records(df: pd.DataFrame) -> list[dict]:
    """The rows of ``df`` as dicts (column → value): what ``iterrows`` gives, without a
    Series per row (numbers as Python numbers; the helpers above read either alike)."""
    return df.to_dict("records")


def _severity(value) -> str:
    return cell_text(value).strip().lower()


def _severity_label(value) -> str:
    sev = _severity(value)
    return SEVERITY_LABELS.get(sev, safe_text(value))


def _ledger_label(value, labels: dict[str, str]) -> str:
    key = cell_text(value).strip()
    return labels.get(key.lower(), safe_text(key))


def _period_datetime(period: str) -> _dt.datetime:
    """First day of the period's month, 00:00 (a fixed document date)."""
    return _dt.datetime.combine(Period.parse(period).first_day, _dt.time())


def _period_label(period: str) -> str:
    p = Period.parse(period)
    return f"{p.year}年{p.month}月"


def _safe_filename_part(s: str) -> str:
    s = _FILENAME_BAD_RE.sub("_", safe_text(s)).strip().strip(".")
    return s or "_"


def region_workbook_name(region: str, period: str) -> str:
    return f"{_safe_filename_part(region)}_数据质量反馈_{_safe_filename_part(period)}.xlsx"


def summary_workbook_name(period: str) -> str:
    return f"全市汇总_{_safe_filename_part(period)}.xlsx"


# ---------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------


def _frame(df: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    """Copy of ``df`` with exactly ``columns`` (:mod:`bulletin.contract`), object dtype.
    None or a frame without rows is an empty table; a table with rows must have every
    column (a ValueError names the missing ones: a caller's bug, never filled in)."""
    if df is None or len(df) == 0:
        return pd.DataFrame({col: pd.Series(dtype=object) for col in columns})
    missing = [col for col in columns if col not in df.columns]
    if missing:
        raise ValueError(f"table lacks the columns {missing} of the contract")
    return df[list(columns)].astype(object).reset_index(drop=True)


def _region_key(value) -> str:
    """Region label used for grouping: '' / missing → UNKNOWN_REGION."""
    r = cell_text(value).strip()
    return r if r else UNKNOWN_REGION


def _region_order(regions: Sequence[str], *series: Iterable) -> list[str]:
    """Registry order, then any other named region (first seen), then UNKNOWN_REGION."""
    order = [r for r in regions]
    known = set(order)
    extra: list[str] = []
    unknown = False
    for values in series:
        for v in values:
            key = _region_key(v)
            if key == UNKNOWN_REGION:
                unknown = True
            elif key not in known and key not in extra:
                extra.append(key)
    order += extra
    if unknown:
        order.append(UNKNOWN_REGION)
    return order


def _sorted_findings(findings: pd.DataFrame, region_rank: dict[str, int] | None = None) -> pd.DataFrame:
    """Errors first, then warnings, info; then (region), file, sheet, row."""
    if findings.empty:
        return findings
    keys = pd.DataFrame(
        {
            "sev": [SEVERITY_ORDER.get(_severity(v), len(SEVERITY_ORDER)) for v in findings["severity"]],
            "file": [cell_text(v) for v in findings["source_file"]],
            "sheet": [cell_text(v) for v in findings["source_sheet"]],
            "row_missing": [_row_number(v) is None for v in findings["source_row"]],
            "row": [_row_number(v) or 0 for v in findings["source_row"]],
            "pos": range(len(findings)),
        },
        index=findings.index,
    )
    by = ["sev", "file", "sheet", "row_missing", "row", "pos"]
    if region_rank is not None:
        keys["reg"] = [region_rank.get(_region_key(v), len(region_rank)) for v in findings["region"]]
        by.insert(1, "reg")
    order = keys.sort_values(by, kind="mergesort").index
    return findings.loc[order].reset_index(drop=True)


def summary_counts(
    findings: pd.DataFrame, accounting: pd.DataFrame, regions: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per-region counts for the 汇总 sheet (and the bulletin).

    One row per region: the ``regions`` given (registry order, all of them, zeros
    included), then any other region named in the data, then ``未识别县区`` if some
    finding or accounting row has no region. Without ``regions`` the order is that of
    first appearance. Columns: region, errors, warnings, infos, rows_read, records,
    total_note_rows, rejected_rows (ints). ``SUMMARY_HEADERS`` gives Chinese headers.
    """
    f = _frame(findings, FINDING_COLUMNS)
    a = _frame(accounting, ACCOUNTING_COLUMNS)
    order = _region_order(list(regions or []), a["region"], f["region"])
    rows = {r: dict.fromkeys(SUMMARY_HEADERS.keys() - {"region"}, 0) for r in order}
    sev_col = {"error": "errors", "warning": "warnings", "info": "infos"}
    for reg, sev in zip(f["region"], f["severity"]):
        col = sev_col.get(_severity(sev))
        if col:
            rows[_region_key(reg)][col] += 1
    for _, rec in a.iterrows():
        target = rows[_region_key(rec["region"])]
        for col in COUNT_COLUMNS:
            target[col] += _row_number(rec[col]) or 0
    out = pd.DataFrame([{"region": r, **rows[r]} for r in order], columns=list(SUMMARY_HEADERS))
    for col in out.columns[1:]:
        out[col] = out[col].astype("int64")
    return out


# ---------------------------------------------------------------------------
# Sheet writing
# ---------------------------------------------------------------------------


def _put(ws, row: int, col: int, value):
    """Write one cell. Text is always a literal string (never a formula/error code)."""
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, str) and value == ""):
        return cell
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return cell
        cell.value = value
        return cell
    text = safe_text(strip_controls(cell_text(value)))
    if text == "":
        return cell
    cell.value = text
    cell.data_type = "s"  # never 'f' (formula) or 'e' (error code)
    if text[0] in "=+-@":
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def _write_table(
    ws,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    *,
    wrap_cols: Iterable[str] = (),
    fills: Sequence[PatternFill | None] | None = None,
    max_width: int = 50,
    wrap_width: int = 60,
):
    """Header row (bold, filled, frozen, autofilter) + data rows + column widths."""
    wrap = set(wrap_cols)
    for c, h in enumerate(headers, 1):
        cell = _put(ws, 1, c, h)
        set_styles(cell, ("font", _HEADER_FONT), ("fill", _HEADER_FILL), ("alignment", _WRAP if h in wrap else _TOP))
    widths = [display_width(h) for h in headers]
    for r, values in enumerate(rows, 2):
        fill = fills[r - 2] if fills is not None else None
        for c, v in enumerate(values, 1):
            cell = _put(ws, r, c, v)
            filled = (("fill", fill),) if fill is not None else ()
            set_styles(cell, *filled, ("alignment", _WRAP if headers[c - 1] in wrap else _TOP))
            if cell.value is not None:
                widths[c - 1] = max(widths[c - 1], display_width(str(cell.value)))
    for c, h in enumerate(headers, 1):
        cap = wrap_width if h in wrap else max_width
        ws.column_dimensions[get_column_letter(c)].width = min(max(widths[c - 1] + 2, 8), cap)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"


def _severity_fill(severity) -> PatternFill | None:
    sev = _severity(severity)
    if sev == "error":
        return _ERROR_FILL
    if sev == "warning":
        return _WARNING_FILL
    return None


ISSUE_HEADERS = ["严重程度", "台账类型", "文件", "工作表", "行号", "字段", "原值", "问题说明"]
ALL_ISSUE_HEADERS = ["严重程度", "台账类型", "县区", "文件", "工作表", "行号", "字段", "原值", "问题说明"]
ACCOUNTING_HEADERS = ["文件", "工作表", "台账类型", "读取行数", "有效记录", "合计及备注行", "退回行数", "核对"]
SKIPPED_HEADERS = ["文件", "工作表", "原因"]
READING_HEADERS = ["文件", "工作表", "台账类型", "项目", "列", "说明"]  # how each sheet was read (SPEC §8.7)
SUBMISSION_HEADERS = ["县区", "台账类型", "报送情况", "文件", "有效记录", "说明"]
SUBMISSION_LABELS = {
    "submitted": "已报送",
    "not_submitted": "未报送",
    "unreadable": "台账无法读取",
    "not_this_period": "非本期台账（未计入）",
    "region_conflict": "台账所属县区不清（未计入）",
    "not_updated": "未更新（与上月台账相同）",
}


def _issue_rows(findings: pd.DataFrame, with_region: bool, labels: dict[str, str]):
    rows, fills = [], []
    for f in _records(findings):
        row = [_severity_label(f["severity"]), _ledger_label(f["ledger"], labels)]
        if with_region:
            row.append(_region_key(f["region"]))
        row += [
            cell_text(f["source_file"]),
            cell_text(f["source_sheet"]),
            _row_number(f["source_row"]),
            cell_text(f["field"]),
            cell_text(f["value"]),
            cell_text(f["message"]),
        ]
        rows.append(row)
        fills.append(_severity_fill(f["severity"]))
    return rows, fills


def _accounting_rows(accounting: pd.DataFrame, labels: dict[str, str]):
    rows, fills = [], []
    for a in _records(accounting):
        counts = [_row_number(a[c]) for c in COUNT_COLUMNS]
        ok = None not in counts and counts[0] == counts[1] + counts[2] + counts[3]
        rows.append(
            [
                cell_text(a["source_file"]),
                cell_text(a["source_sheet"]),
                _ledger_label(a["ledger"], labels),
                *counts,
                "一致" if ok else "不一致",
            ]
        )
        fills.append(None if ok else _ERROR_FILL)
    return rows, fills


_RED_STATUSES = ("unreadable", "not_this_period", "region_conflict")


def _submission_rows(submissions: pd.DataFrame, labels: dict[str, str]):
    """The register as the office reads it: a type not submitted (red) or unreadable
    (red, naming the file and why) stands out; targets not sent are marked too."""
    rows, fills = [], []
    for r in _records(submissions):
        status = cell_text(r["status"])
        ledger = cell_text(r["ledger"])
        note = cell_text(r["reason"])
        if status == "not_submitted":
            note = "本期未收到" + ("目标任务：无完成率、红绿灯和排名" if ledger == "targets" else "该类台账")
        rows.append(
            [
                cell_text(r["region"]),
                _ledger_label(ledger, labels),
                SUBMISSION_LABELS.get(status, status),
                cell_text(r["source_file"]),
                _row_number(r["records"]),
                note,
            ]
        )
        fills.append(None if status == "submitted" else _ERROR_FILL if status in _RED_STATUSES else _WARNING_FILL)
    return rows, fills


def _explanation_lines(region: str, city: str, period: str, n_err: int, n_warn: int, n_info: int) -> list[str]:
    return [
        f"{safe_text(region)} {_period_label(period)}招商台账数据质量反馈",
        f"本表由{safe_text(city)}招商工作汇总程序根据贵单位报送的{_period_label(period)}台账自动生成。",
        f"本期共发现：错误 {n_err} 条，警告 {n_warn} 条，提示 {n_info} 条。",
        "",
        "一、问题的严重程度",
        "错误：该行未计入本期统计（例如必填项缺失、金额或日期无法识别）。请按“问题说明”修改原台账后重新报送。",
        "警告：该行已计入统计，但某个非必填项无法识别，已按空值处理。请核实，如有误请在下次报送时更正。",
        "提示：仅供参考，无需处理。",
        "",
        "二、如何找到有问题的行",
        "“问题清单”工作表中，“文件”是报送的文件名，“工作表”是文件中的工作表名称，"
        "“行号”是该工作表左侧显示的 Excel 行号，“字段”是有问题的列，“原值”是单元格中的原始内容。",
        "问题按“错误在前、警告在后”排列，同一严重程度内按文件、工作表、行号排列。"
        "可使用表头的筛选按钮按严重程度或文件筛选。",
        "",
        "三、行数核对",
        "“行数核对”工作表列出读取的每个工作表：读取行数 = 有效记录 + 合计及备注行 + 退回行数。"
        "“核对”一栏为“一致”表示每一行都有着落；如显示“不一致”，请与市招商部门联系。",
        "",
        "原值中的内容均按文本原样显示，不会作为公式执行。",
    ]


def _write_explanation(ws, lines: list[str]):
    ws.column_dimensions["A"].width = 110
    for r, line in enumerate(lines, 1):
        cell = _put(ws, r, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = Font(bold=True, size=14)
        elif line.startswith(("一、", "二、", "三、")):
            cell.font = Font(bold=True)


# ---------------------------------------------------------------------------
# Saving (deterministic + atomic)
# ---------------------------------------------------------------------------


def _new_workbook(period: str, city: str, title: str) -> Workbook:
    wb = Workbook()
    stamp = _period_datetime(period)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = safe_text(city) or "bulletin"
    wb.properties.lastModifiedBy = safe_text(city) or "bulletin"
    wb.properties.title = safe_text(title)
    return wb


def _save(wb: Workbook, path: Path, period: str) -> Path:
    return atomic_write(path, workbook_bytes(wb, _period_datetime(period)))


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------


def write_quality_workbooks(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    period: str,
    *,
    regions: Sequence[str],
    city: str,
    ledger_labels: dict[str, str],
) -> list[Path]:
    """Write one feedback workbook per region with any accounting row or finding, and
    the city summary workbook. Returns the paths written: regions in registry order
    (then other named regions), the summary last. Findings/accounting rows without a
    region get no county workbook; they appear in the summary as ``未识别县区``.

    ``tables``: the processed tables by name — ``quality`` (the findings),
    ``accounting``, ``skipped``, and when given ``reading`` (``reading.csv``,
    :data:`EXPLAIN_COLUMNS`: how each sheet was read, a sheet ``读取说明`` of the
    county's workbook) and ``submissions`` (the register, the summary's ``报送情况``
    sheet). ``regions``, ``city``, ``ledger_labels`` (ledger type → its Chinese name)
    come from the run's configuration (:func:`bulletin.stages.clean_stage`).
    """
    out_dir = Path(out_dir)
    f = _frame(tables.get("quality"), FINDING_COLUMNS)
    a = _frame(tables.get("accounting"), ACCOUNTING_COLUMNS)
    order = _region_order(list(regions), a["region"], f["region"])
    counts = summary_counts(f, a, regions)
    reading = tables.get("reading")
    x = _frame(reading, EXPLAIN_COLUMNS) if reading is not None else None
    book = _Book(period, city, ledger_labels)
    written: list[Path] = []
    files_by_region: dict[str, str] = {}
    for region in order:
        if region == UNKNOWN_REGION:
            continue
        rf, ra = (df[[_region_key(v) == region for v in df["region"]]] for df in (f, a))
        if rf.empty and ra.empty:
            continue
        rx = x[[_region_key(v) == region for v in x["region"]]] if x is not None else None
        wb = _county_workbook(book, region, counts.set_index("region").loc[region], (rf, ra, rx))
        name = region_workbook_name(region, period)
        written.append(_save(wb, out_dir / name, period))
        files_by_region[region] = name
    region_rank = {r: i for i, r in enumerate(order)}
    wb = _summary_workbook(book, counts, files_by_region, tables, _sorted_findings(f, region_rank))
    written.append(_save(wb, out_dir / summary_workbook_name(period), period))
    return written


@dataclass(frozen=True)
class _Book:
    """What every workbook of one call shares."""

    period: str
    city: str
    labels: dict[str, str]


def _county_workbook(book: _Book, region: str, n: pd.Series, frames: tuple) -> Workbook:
    """A county's feedback workbook: 说明, 问题清单, 行数核对 and, with ``reading``, 读取说明.
    ``frames``: the county's findings, accounting rows and reading rows (or None)."""
    rf, ra, rx = frames
    labels = book.labels
    wb = _new_workbook(book.period, book.city, f"{region}数据质量反馈")
    ws = wb.active
    ws.title = "说明"
    counts = (int(n["errors"]), int(n["warnings"]), int(n["infos"]))
    _write_explanation(ws, _explanation_lines(region, book.city, book.period, *counts))
    rows, fills = _issue_rows(_sorted_findings(rf.reset_index(drop=True)), False, labels)
    _write_table(wb.create_sheet("问题清单"), ISSUE_HEADERS, rows, wrap_cols=("问题说明", "原值"), fills=fills)
    rows, fills = _accounting_rows(ra.reset_index(drop=True), labels)
    _write_table(wb.create_sheet("行数核对"), ACCOUNTING_HEADERS, rows, fills=fills)
    if rx is not None:
        rows = [
            [
                cell_text(r["source_file"]),
                cell_text(r["source_sheet"]),
                _ledger_label(r["ledger"], labels),
                cell_text(r["topic"]),
                cell_text(r["column"]),
                cell_text(r["detail"]),
            ]
            for r in _records(rx)
        ]
        _write_table(wb.create_sheet("读取说明"), READING_HEADERS, rows, wrap_cols=("说明",), wrap_width=80)
    return wb


def _summary_workbook(
    book: _Book, counts: pd.DataFrame, files_by_region: dict[str, str], tables: dict, findings: pd.DataFrame
) -> Workbook:
    """The city's summary workbook: 汇总, 报送情况 (with the register), 未读取的工作表, 全部问题."""
    wb = _new_workbook(book.period, book.city, f"{book.city}数据质量汇总")
    ws = wb.active
    ws.title = "汇总"
    headers = [SUMMARY_HEADERS[c] for c in counts.columns] + ["反馈文件"]
    rows, fills = [], []
    for _, r in counts.iterrows():
        rows.append([r["region"], *(int(r[c]) for c in counts.columns[1:]), files_by_region.get(r["region"], "")])
        fills.append(_ERROR_FILL if r["errors"] else _WARNING_FILL if r["warnings"] else None)
    _write_table(ws, headers, rows, fills=fills)
    if tables.get("submissions") is not None:
        rows, fills = _submission_rows(_frame(tables["submissions"], SUBMISSION_COLUMNS), book.labels)
        _write_table(wb.create_sheet("报送情况"), SUBMISSION_HEADERS, rows, wrap_cols=("说明",), fills=fills)
    s = _frame(tables.get("skipped"), SKIPPED_COLUMNS)
    rows = [[cell_text(x["source_file"]), cell_text(x["source_sheet"]), cell_text(x["reason"])] for x in _records(s)]
    _write_table(wb.create_sheet("未读取的工作表"), SKIPPED_HEADERS, rows, wrap_cols=("原因",))
    rows, fills = _issue_rows(findings, True, book.labels)
    _write_table(wb.create_sheet("全部问题"), ALL_ISSUE_HEADERS, rows, wrap_cols=("问题说明", "原值"), fills=fills)
    return wb
