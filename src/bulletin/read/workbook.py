"""Open one file of a snapshot folder into cell grids (SPEC §1, §7; issue 3 §2, issue 10).

A :class:`Grid` is one sheet: its cell values (row 0 is Excel row 1, column 0 is
column A; empty cells are ``None``), its merged ranges, and its lineage (file path
relative to the snapshot, sheet name). What a file is comes from its content, never
its extension (:func:`bulletin.read.formats.sniff`):

* xlsx/xlsm (and WPS's OOXML ``.et``) — python-calamine (Rust; macros never run, XML
  entities never expanded), after the zip checks and the scan of every sheet's XML
  (:mod:`bulletin.read.limits`): a sheet whose cells would span more than
  ``max_cells`` is reported, never built;
* binary ``.xls`` and WPS ``.et``, ODS, and any workbook the scan cannot follow —
  python-calamine in a bounded child process (memory and time limits);
* HTML tables saved as ``.xls`` and CSV/text tables (any extension) —
  :mod:`bulletin.read.formats`, bounded too.

Every problem becomes an :class:`OpenProblem` (a finding naming the file, sheet and
cell); nothing a file holds stops the month. Text leaves the reader without control
characters or bidirectional overrides (each such cell reported as a warning).
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from pathlib import Path

import python_calamine as pc

from bulletin.config import Config
from bulletin.read.discover import discover
from bulletin.read.formats import ole_kind, read_csv, read_html, report_controls, sniff, zip_kind
from bulletin.read.grid import Grid, OpenProblem, Skipped, WorkbookRead, column_letter
from bulletin.read.limits import (
    MB,
    Limits,
    ResourceLimit,
    XlsxScan,
    resources_message,
    run_bounded,
    scan_xlsx,
    zip_problem,
)
from bulletin.text import control_names, has_controls, readable_name, strip_controls

__all__ = ["Grid", "OpenProblem", "Skipped", "WorkbookRead", "discover", "read_workbook"]

log = logging.getLogger(__name__)


def _clean(value):
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, dt.time):
        return None if value == dt.time(0) else value.isoformat()
    return value


def _problem(out: WorkbookRead, rel: str, code: str, variant: str = "", *, sheet: str = "", **params) -> None:
    out.problems.append(OpenProblem(rel, sheet, code, params, variant))


# --------------------------------------------------------------------------- cells
def _grid_rows(raw: list[list], rel: str, sheet: str, max_cols: int, out: WorkbookRead) -> list[list]:
    """calamine's rows → grid rows: empty and blank cells ``None``, columns cut at the
    limit, control characters removed from text (each such cell reported)."""
    if max(map(len, raw), default=0) > max_cols:
        raw = [r[:max_cols] for r in raw]
    odd = []

    def unusual(v: str):  # text that str.isprintable() refuses: line breaks, U+3000, controls
        if v.isspace():
            return None
        if has_controls(v):
            odd.append(v)
            cleaned = strip_controls(v)
            return cleaned if cleaned.strip() else None
        return v

    # the common cases inlined (text, float): ~3x faster than a call per cell
    rows = [
        [
            (unusual(v) if not v.isprintable() else (v if v and not v.isspace() else None))
            if v.__class__ is str
            else (v if v.__class__ is float and v == v else _clean(v))
            for v in r
        ]
        for r in raw
    ]
    if odd:
        cells = [
            (i, j, v)
            for i, r in enumerate(raw)
            for j, v in enumerate(r)
            if v.__class__ is str and not v.isprintable() and has_controls(v)
        ]
        report_controls(cells, rel, sheet, out)
    return rows


def _merged(sheet, n_rows: int, width: int) -> tuple[list, int]:
    """The sheet's merged ranges clipped to its cells, and the cells they cover."""
    out, area = [], 0
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        if r0 >= n_rows or c0 >= width:
            continue
        r1, c1 = min(r1, n_rows - 1), min(c1, width - 1)
        out.append(((r0, c0), (r1, c1)))
        area += (r1 - r0 + 1) * (c1 - c0 + 1)
    return out, area


# --------------------------------------------------------------------------- calamine
def _too_large(out: WorkbookRead, rel: str, name: str, what: str, lim: Limits) -> None:
    _problem(out, rel, "sheet.too_large", sheet=name, what=what, max_cells=lim.max_cells)


def _read_calamine(
    path: Path, rel: str, lim: Limits, out: WorkbookRead, scan: XlsxScan | None, marks: XlsxScan | None = None
) -> bool:
    """Every sheet of a workbook. With ``scan`` (xlsx), a sheet is built only when the
    scan bounds it; returns False when the scan does not cover a worksheet (the caller
    then reads the file bounded). ``marks``: without ``scan``, what a light scan of an
    xlsx found (formulas without results, hidden and struck rows, the date system)."""
    marks = scan or marks
    try:
        with open(path, "rb") as fh:
            wb = pc.CalamineWorkbook.from_filelike(fh)
    except pc.PasswordError:
        _problem(out, rel, "file.encrypted")
        return True
    except Exception as exc:  # noqa: BLE001 - any library error is a finding
        log.info("cannot open %s: %s", rel, exc)
        if sniff(path) == "ole":
            _problem(out, rel, "file.encrypted", "ole")
        else:
            _problem(out, rel, "file.corrupt")
        return True
    try:
        sheets = wb.sheets_metadata
        if scan is not None and any(m.typ == pc.SheetTypeEnum.WorkSheet and m.name not in scan.sheets for m in sheets):
            return False
        for meta in sheets:
            name = strip_controls(meta.name)
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                out.skipped.append(Skipped(rel, name, "不是数据工作表（图表等），未读取"))
                continue
            if meta.visible != pc.SheetVisibleEnum.Visible:
                out.skipped.append(Skipped(rel, name, "隐藏的工作表，未读取（如需统计请取消隐藏）"))
                continue
            bound = scan.sheets[meta.name] if scan is not None else None
            if bound is not None and bound.cells > lim.max_cells:
                _too_large(out, rel, name, f"内容延伸到第{bound.rows}行、第{column_letter(bound.cols - 1)}列", lim)
                continue
            if bound is not None and bound.merged > lim.max_merged:
                _too_large(out, rel, name, f"{bound.merged} 个合并单元格", lim)
                continue
            try:
                mark = marks.sheets.get(meta.name) if marks is not None else None
                grid = _read_sheet(wb, meta.name, name, rel, lim, out, unreadable=mark.unreadable if mark else {})
                if grid is not None and marks is not None:  # SPEC §11.4–5
                    grid.date1904 = marks.date1904
                    if mark is not None:
                        grid.hidden_rows, grid.struck = mark.hidden_rows, mark.struck
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException
                log.info("cannot read %s/%s: %s", rel, name, exc)
                _problem(out, rel, "sheet.unreadable", sheet=name)
    finally:
        wb.close()
    for n in [m.name for m in sheets if has_controls(m.name)]:
        _problem(out, rel, "text.control_chars", "sheet_name", sheet=strip_controls(n), names=control_names(n))
    return True


def _read_sheet(
    wb, name: str, shown: str, rel: str, lim: Limits, out: WorkbookRead, *, unreadable: dict
) -> Grid | None:
    sheet = wb.get_sheet_by_name(name)
    truncated = None
    # Excel rows 1..max_rows, never the used range alone: row and column numbers must
    # stay Excel's (iter_rows drops leading empty columns).
    if sheet.end is not None and sheet.end[0] + 1 > lim.max_rows:
        raw = sheet.to_python(skip_empty_area=False, nrows=lim.max_rows)
        truncated = lim.max_rows + 1
    else:
        raw = sheet.to_python(skip_empty_area=False)
    rows = _grid_rows(raw, rel, shown, lim.max_cols, out)
    del raw
    width = max(map(len, rows), default=0)
    merged, area = _merged(sheet, len(rows), width)
    if area > lim.max_cells:
        _too_large(out, rel, shown, f"合并单元格共覆盖 {area} 个单元格", lim)
        return None
    grid = Grid(rel, shown, rows, merged, truncated, unreadable)
    out.grids.append(grid)
    return grid


def _calamine_file(path: str, rel: str, lim: Limits) -> WorkbookRead:
    out = WorkbookRead()
    # an xlsx the full scan could not follow (cells without a position, a namespace
    # prefix such as x:c): its formulas, hidden and struck rows, date system still count
    marks = scan_xlsx(Path(path), lim, thorough=False) if zipfile.is_zipfile(path) else None
    _read_calamine(Path(path), rel, lim, out, None, marks)
    return out


def _read_bounded(path: Path, rel: str, lim: Limits, out: WorkbookRead) -> None:
    """The whole file read by calamine in a child process with memory and time limits."""
    try:
        res = run_bounded(_calamine_file, (str(path), rel, lim), lim)
    except ResourceLimit as exc:
        log.info("bounded read of %s: %s %s", rel, exc.kind, exc.detail)
        if exc.kind == "error":
            _problem(out, rel, "file.corrupt")
        else:
            variant, params = resources_message(exc, lim)
            _problem(out, rel, "file.resources", variant, **params)
        return
    out.grids.extend(res.grids)
    out.problems.extend(res.problems)
    out.skipped.extend(res.skipped)


def _read_xlsx(path: Path, rel: str, lim: Limits, out: WorkbookRead, bounded: bool) -> None:
    scan = scan_xlsx(path, lim, thorough=not bounded)
    if scan is None or not scan.placed or scan.text_bytes > lim.max_text_mb * MB:
        _read_bounded(path, rel, lim, out)
        return
    partial = WorkbookRead()
    if _read_calamine(path, rel, lim, partial, scan):
        out.grids.extend(partial.grids)
        out.problems.extend(partial.problems)
        out.skipped.extend(partial.skipped)
    else:
        _read_bounded(path, rel, lim, out)


# --------------------------------------------------------------------------- dispatch
def read_workbook(path: Path, snapshot: Path, cfg: Config, bounded: bool = False) -> WorkbookRead:
    """All sheets of one file, or the problems that kept it (or some of its sheets)
    from being read. Never raises for what a file holds. ``bounded``: this process
    reads under a memory limit (:func:`bulletin.read.limits.memory_bound`), so the
    scan for cells without a position is not needed."""
    lim = Limits.of(cfg)
    name = readable_name(path.relative_to(snapshot).as_posix())
    rel = strip_controls(name)
    out = WorkbookRead()
    if rel != name:
        _problem(out, rel, "text.control_chars", "file_name", names=control_names(name))
    try:
        _dispatch(path, rel, lim, out, bounded)
    except OSError as exc:
        log.info("cannot read %s: %s", rel, exc)
        _problem(out, rel, "file.io_error", error=str(exc.strerror or exc))
    return out


def _dispatch(path: Path, rel: str, lim: Limits, out: WorkbookRead, bounded: bool) -> None:
    size = path.stat().st_size
    if size > lim.max_file_mb * MB:
        _problem(out, rel, "file.too_large", size_mb=f"{size / MB:.0f}")
        return
    kind = "empty" if size == 0 else sniff(path)
    if kind == "empty":
        _problem(out, rel, "file.empty")
    elif kind == "zip":
        container = zip_kind(path)
        problem = zip_problem(path, lim) if container != "corrupt" else None
        if container == "corrupt":
            _problem(out, rel, "file.corrupt", "zip")
        elif problem:
            code, variant, params = problem
            _problem(out, rel, code, variant, **params)
        elif container == "xlsx":
            _read_xlsx(path, rel, lim, out, bounded)
        elif container == "ods":
            _read_bounded(path, rel, lim, out)
        elif container == "xlsb":
            _problem(out, rel, "file.unsupported_format")
        else:
            _problem(out, rel, "file.not_excel")
    elif kind == "ole":
        ole = ole_kind(path)
        if ole == "encrypted":
            _problem(out, rel, "file.encrypted")
        elif ole == "other":
            _problem(out, rel, "file.not_excel", "ole")
        else:
            _read_bounded(path, rel, lim, out)
    elif kind == "html":
        read_html(path, rel, lim, out)
    elif kind == "xml2003":
        _problem(out, rel, "file.unsupported_format", "xml2003")
    elif kind == "text":
        read_csv(path, rel, lim, out)
    else:
        _problem(out, rel, "file.corrupt", "unknown")
