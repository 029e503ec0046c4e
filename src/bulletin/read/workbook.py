"""Open every workbook of a snapshot folder into cell grids (SPEC §1, issue 3 §2).

A :class:`Grid` is one sheet: its cell values (row 0 is Excel row 1, column 0 is
column A; empty cells are ``None``), its merged ranges, and its lineage (file path
relative to the snapshot, sheet name). Formats:

* ``.xlsx`` / ``.xlsm`` / ``.xls`` / ``.ods`` — python-calamine (Rust; macros are never
  run, XML entities are not expanded). Zip containers are checked for bombs first.
* an ``.xls`` that is really an HTML table (web-system exports) — pandas.read_html
  (lxml); row/col spans are expanded into every cell they cover.
* ``.csv`` — the csv module, UTF-8 (with or without BOM) or GB18030.

Problems opening a file never stop the run: they become findings naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from bulletin.config import Config, load_config

log = logging.getLogger(__name__)

EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".ods"}
READ_EXT = EXCEL_EXT | {".csv", ".htm", ".html"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Grid:
    """One sheet's cells. ``rows[i][j]`` is Excel row i+1, column j+1."""

    source_file: str
    sheet: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    truncated_at: int | None = None  # Excel row where reading stopped (size limit)
    # (row, col) → what is really in a cell that reads as empty: "=formula" saved
    # without its result, or an error value such as "#DIV/0!"
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)

    def filled(self) -> list[list]:
        """The rows with each merged range's value in every cell: a copy when the sheet
        has merged ranges, else the rows themselves (read, never changed, by callers)."""
        if not self.merged:
            return self.rows
        rows = [list(r) for r in self.rows]
        width = max((len(r) for r in rows), default=0)
        for (r0, c0), (r1, c1) in self.merged:
            if r0 >= len(rows) or c0 >= len(rows[r0]):
                continue
            value = rows[r0][c0]
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                row = rows[r]
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                for c in range(c0, min(c1, width - 1) + 1):
                    row[c] = value
        return rows


@dataclass
class OpenProblem:
    """A file (or sheet) that could not be read; becomes a finding."""

    source_file: str
    sheet: str
    severity: str
    message: str
    code: str  # bulletin.contract.FINDING_CODES


@dataclass
class Skipped:
    source_file: str
    sheet: str
    reason: str


@dataclass
class WorkbookRead:
    grids: list[Grid] = field(default_factory=list)
    problems: list[OpenProblem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def discover(snapshot: Path) -> tuple[list[Path], list[Skipped]]:
    """Files of a snapshot folder, sorted; lock and hidden files are ignored silently,
    other non-spreadsheet files are reported as skipped."""
    files, skipped = [], []
    for path in sorted(snapshot.rglob("*")):
        rel = path.relative_to(snapshot)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if not path.is_file():
            continue
        if path.suffix.lower() in READ_EXT:
            files.append(path)
        else:
            skipped.append(Skipped(rel.as_posix(), "", "不是表格文件（仅读取 xlsx/xlsm/xls/csv），未读取"))
    return files, skipped


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


def _zip_problem(path: Path, cfg: Config) -> tuple[str, str] | None:
    limits = cfg.rules["limits"]
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10 * 2**20 and ratio > limits["max_zip_ratio"]:
                    return f"文件内部数据压缩比异常（{ratio:.0f}倍），疑似恶意文件，未读取", "file.zip_bomb"
            if total > limits["max_file_mb"] * 10 * 2**20:
                return f"文件解压后过大（{total / 2**20:.0f} MB），未读取", "file.too_large"
    except zipfile.BadZipFile:
        return "文件已损坏，无法打开，请重新保存后报送", "file.corrupt"
    return None


def _sniff(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(2048)
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<", b"\xff\xfe<", b"\xfe\xff")) or b"<table" in text or b"<html" in text:
        return "html"
    if not head.strip():
        return "empty"
    return "text"


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _cell_ref(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(ref[len(letters) :]) - 1, col - 1


def _unreadable_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → cells of an xlsx/xlsm that calamine reads as empty but that are not:
    formulas saved without their result (tools other than Excel, e.g. openpyxl, write
    them so) as ``=formula``, and error results (``#DIV/0!``). They must not pass
    silently for blanks."""
    from defusedxml import ElementTree as ET

    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            book = ET.fromstring(zf.read("xl/workbook.xml"))
            rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
            for sheet in book.iter(f"{_NS_MAIN}sheet"):
                target = targets.get(sheet.get(f"{_NS_REL}id"), "")
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if member not in names:
                    continue
                with zf.open(member) as fh:  # most sheets have neither: a cheap byte scan first
                    tail, suspect = b"", False
                    for chunk in iter(lambda: fh.read(2**22), b""):
                        window = tail + chunk
                        if b"<f" in window or b't="e"' in window:
                            suspect = True
                            break
                        tail = chunk[-8:]
                if not suspect:
                    continue
                found = {}
                with zf.open(member) as fh:
                    for _, el in ET.iterparse(fh):
                        if el.tag != f"{_NS_MAIN}c" or not el.get("r"):
                            continue
                        f, v = el.find(f"{_NS_MAIN}f"), el.find(f"{_NS_MAIN}v")
                        value = v.text if v is not None and v.text else ""
                        if el.get("t") == "e" and value:
                            found[_cell_ref(el.get("r"))] = value
                        elif f is not None and not value and el.find(f"{_NS_MAIN}is") is None:
                            found[_cell_ref(el.get("r"))] = "=" + (f.text or "")
                        el.clear()
                if found:
                    out[sheet.get("name")] = found
    except Exception as exc:  # noqa: BLE001 - a best-effort check, never a reason not to read
        log.info("cell scan of %s failed: %s", path, exc)
    return out


def _read_calamine(path: Path, rel: str, cfg: Config, out: WorkbookRead) -> None:
    max_rows = cfg.rules["limits"]["max_rows"]
    max_cols = cfg.rules["limits"]["max_cols"]
    try:
        # by content, not by extension: an xlsx renamed .xls (or the reverse) is common
        with open(path, "rb") as fh:
            wb = pc.CalamineWorkbook.from_filelike(fh)
    except pc.PasswordError:
        out.problems.append(
            OpenProblem(rel, "", "error", "文件设置了密码（已加密），无法读取，请取消密码后重新报送", "file.encrypted")
        )
        return
    except Exception as exc:  # noqa: BLE001 - any library error is a finding
        kind = _sniff(path)
        msg = (
            "文件已加密或不是有效的Excel文件，无法读取，请取消密码或另存为xlsx后重新报送"
            if kind == "ole"
            else "文件已损坏或不是有效的Excel文件，无法打开，请重新保存后报送"
        )
        log.info("cannot open %s: %s", rel, exc)
        out.problems.append(OpenProblem(rel, "", "error", msg, "file.encrypted" if kind == "ole" else "file.corrupt"))
        return
    unreadable = _unreadable_cells(path) if _sniff(path) == "zip" else {}
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                out.skipped.append(Skipped(rel, meta.name, "不是数据工作表（图表等），未读取"))
                continue
            if meta.visible != pc.SheetVisibleEnum.Visible:
                out.skipped.append(Skipped(rel, meta.name, "隐藏的工作表，未读取（如需统计请取消隐藏）"))
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                truncated = None
                # Excel rows 1..max_rows, never the used range alone: row and column
                # numbers must stay Excel's (iter_rows drops leading empty columns).
                if sheet.end is not None and sheet.end[0] + 1 > max_rows:
                    rows = sheet.to_python(skip_empty_area=False, nrows=max_rows)
                    truncated = max_rows + 1
                else:
                    rows = sheet.to_python(skip_empty_area=False)
                # _clean inlined for the two common cases (text, float): ~3x faster
                if max(map(len, rows), default=0) > max_cols:
                    rows = [r[:max_cols] for r in rows]
                rows = [
                    [
                        (v if v.strip() else None)
                        if v.__class__ is str
                        else (v if v.__class__ is float and v == v else _clean(v))
                        for v in r
                    ]
                    for r in rows
                ]
                merged = list(sheet.merged_cell_ranges or [])
            except Exception as exc:  # noqa: BLE001
                log.info("cannot read %s/%s: %s", rel, meta.name, exc)
                out.problems.append(
                    OpenProblem(rel, meta.name, "error", "工作表内容无法读取（文件可能已损坏）", "sheet.unreadable")
                )
                continue
            out.grids.append(Grid(rel, meta.name, rows, merged, truncated, unreadable.get(meta.name, {})))
    finally:
        wb.close()


def _read_html(path: Path, rel: str, out: WorkbookRead) -> None:
    import pandas as pd

    try:
        tables = pd.read_html(
            io.StringIO(_decode(path.read_bytes())), header=None, keep_default_na=False, thousands=None, flavor="lxml"
        )
    except (ValueError, ImportError) as exc:
        log.info("no table in %s: %s", rel, exc)
        out.problems.append(
            OpenProblem(
                rel, "", "error", "文件扩展名为表格，但内容不是表格（也不是网页表格），无法读取", "file.not_table"
            )
        )
        return
    for i, table in enumerate(tables, start=1):
        rows = [[_clean(v) for v in row] for row in table.astype(object).itertuples(index=False)]
        out.grids.append(Grid(rel, f"表{i}", rows, []))


def _read_csv(path: Path, rel: str, out: WorkbookRead) -> None:
    text = _decode(path.read_bytes())
    rows = [[_clean(v) for v in row] for row in csv.reader(io.StringIO(text))]
    out.grids.append(Grid(rel, path.stem, rows, []))


def read_workbook(path: Path, snapshot: Path, cfg: Config | None = None) -> WorkbookRead:
    """All sheets of one file, or the problem that kept it from being read."""
    cfg = cfg or load_config()
    rel = path.relative_to(snapshot).as_posix()
    out = WorkbookRead()
    size = path.stat().st_size
    if size == 0:
        out.problems.append(OpenProblem(rel, "", "error", "文件为空（0字节），请重新报送", "file.empty"))
        return out
    if size > cfg.rules["limits"]["max_file_mb"] * 2**20:
        out.problems.append(
            OpenProblem(rel, "", "error", f"文件过大（{size / 2**20:.0f} MB），超过读取上限，未读取", "file.too_large")
        )
        return out
    kind = _sniff(path)
    if path.suffix.lower() == ".csv" and kind not in ("zip", "ole"):
        _read_csv(path, rel, out)
    elif kind == "html":
        _read_html(path, rel, out)
    elif kind == "zip":
        problem = _zip_problem(path, cfg)
        if problem:
            out.problems.append(OpenProblem(rel, "", "error", *problem))
        else:
            _read_calamine(path, rel, cfg, out)
    elif kind == "ole":
        _read_calamine(path, rel, cfg, out)
    else:
        out.problems.append(
            OpenProblem(rel, "", "error", "文件不是有效的Excel文件，无法打开，请另存为xlsx后重新报送", "file.not_excel")
        )
    return out
