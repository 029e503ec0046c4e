"""The bulletin's tables as an Excel workbook: ``<reports_dir>/<period>/bulletin.xlsx``.

For statisticians who paste the tables into other documents. Each table of the
bulletin's model (:class:`bulletin.report.document.Document`) is one sheet, in the bulletin's order, after
a ``说明`` sheet (title, period, notes, the list of sheets):

* row 1 the caption (``表1　各县区招商引资完成情况``), row 2 the header (bold, filled,
  wrapped, frozen together with the region column), then the rows, the total row
  bold; notes under the table;
* numbers are the figures *as the bulletin shows them* (rounded half up by
  :func:`bulletin.format.excel_cell`) with number formats ``0.00`` (亿元), ``0.0%``,
  ``0``; so a cell shows and holds exactly the HTML/PDF figure;
* lights are words (绿灯/黄灯/红灯) on a fill of their colour;
* every text — ledger text above all — is a literal string (``data_type = "s"``,
  cleaned by :func:`bulletin.quality.safe_text`), never a formula, whatever it starts
  with (``= + - @``);
* the issued document's tables only: its provenance (input files, program version) is
  in the internal edition and manifest.json;
* reproducible: the document dates are manifest.json's run time (never the clock)
  and the zip entries carry a fixed timestamp (the quality workbooks' writer); the
  file is written atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bulletin import paths
from bulletin.files import atomic_write
from bulletin.paths import resolve_dir
from bulletin.publish.names import edition_files
from bulletin.publish.xlsx import display_width, safe_text, set_styles, workbook_bytes
from bulletin.report import format as fmt
from bulletin.report.document import Document, Table
from bulletin.report.labels import label

log = logging.getLogger(__name__)

SHEET_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFDCE6F1", end_color="FFDCE6F1")
_TOTAL_FILL = PatternFill("solid", start_color="FFF3F5F8", end_color="FFF3F5F8")
_LIGHT_FILL = {
    "green": PatternFill("solid", start_color="FFC8E6C9", end_color="FFC8E6C9"),
    "yellow": PatternFill("solid", start_color="FFFFF0B3", end_color="FFFFF0B3"),
    "red": PatternFill("solid", start_color="FFFFCDD2", end_color="FFFFCDD2"),
    "blue": PatternFill("solid", start_color="FFBBDEFB", end_color="FFBBDEFB"),
    "orange": PatternFill("solid", start_color="FFFFE0B2", end_color="FFFFE0B2"),
}
_THIN = Side(style="thin", color="FFB0B7C3")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="top")
_LIGHT_CENTER = Alignment(horizontal="center", vertical="top")

HEADER_ROW = 2  # row 1: caption
_FALLBACK_STAMP = dt.datetime(2000, 1, 1)


def put_text(ws, row: int, col: int, value):
    """Write text as a literal string: never a formula, an error code or a number.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> c = put_text(ws, 1, 1, "=HYPERLINK(\\"http://x\\")")
    >>> c.data_type, c.value.startswith("=")
    ('s', True)
    """
    cell = ws.cell(row=row, column=col)
    text = safe_text(value)
    if text == "":
        return cell
    cell.value = text
    cell.data_type = "s"
    if text[0] in "=+-@":
        cell.quotePrefix = True  # stays text when a user edits the cell
    return cell


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of ``[]:*?/\\``).

    >>> sheet_name("表1 a/b", set()), sheet_name("x", {"x"})
    ('表1 a_b', 'x (2)')
    """
    base = _SHEET_BAD.sub("_", safe_text(name)).strip().strip("'")[:SHEET_MAX] or "Sheet"
    out, k = base, 2
    while out.lower() in {t.lower() for t in taken}:
        suffix = f" ({k})"
        out = base[: SHEET_MAX - len(suffix)] + suffix
        k += 1
    taken.add(out)
    return out


def _stamp(doc: Document) -> dt.datetime:
    """manifest.json's run time as a naive datetime (local time as recorded); the
    period's first day when there is none."""
    try:
        return dt.datetime.fromisoformat(doc.run_time).replace(tzinfo=None)
    except ValueError:
        return dt.datetime(int(doc.period[:4]), int(doc.period[5:7]), 1) if doc.period else _FALLBACK_STAMP


def write_table(ws, table: Table) -> None:
    """One bulletin table on ``ws`` (see the module docstring for the layout)."""
    ncols = len(table.columns)
    cap = put_text(ws, 1, 1, table.caption)
    cap.font = Font(bold=True, size=12)
    widths = [0] * ncols
    for c, col in enumerate(table.columns, start=1):
        cell = put_text(ws, HEADER_ROW, c, col.header)
        set_styles(cell, ("font", _HEADER_FONT), ("fill", _HEADER_FILL), ("alignment", _CENTER), ("border", _BORDER))
        widths[c - 1] = min(display_width(col.header), 16 if col.wrap else 40)
    for r, values in enumerate(table.rows):
        row = HEADER_ROW + 1 + r
        total = r < table.total_rows
        for c, col in enumerate(table.columns):
            styles: list[tuple[str, object]] = []  # set in this order (see set_styles)
            if col.kind in fmt.NUMERIC_KINDS:
                value, number_format = fmt.excel_cell(col.kind, values[c], table.lang)
                if number_format is None:
                    cell = put_text(ws, row, c + 1, value)
                else:
                    cell = ws.cell(row=row, column=c + 1, value=value)
                    styles.append(("number_format", number_format))
                styles.append(("alignment", _RIGHT))
            else:
                cell = put_text(ws, row, c + 1, table.text(r, c))
                styles.append(("alignment", _WRAP if col.wrap else _TOP))
                if col.kind == "light":
                    key = fmt.light_key(values[c])
                    if key:
                        styles += [("fill", _LIGHT_FILL[key]), ("alignment", _LIGHT_CENTER)]
                elif col.kind in ("size", "date"):
                    styles.append(("alignment", _RIGHT))
            styles.append(("border", _BORDER))
            if total:
                styles.append(("font", _HEADER_FONT))
                if col.kind != "light" or fmt.light_key(values[c]) is None:
                    styles.append(("fill", _TOTAL_FILL))
            set_styles(cell, *styles)
            shown = (
                fmt.excel_text(
                    cell.value,
                    cell.number_format if col.kind in fmt.NUMERIC_KINDS and not isinstance(cell.value, str) else None,
                )
                if cell.value is not None
                else ""
            )
            widths[c] = max(widths[c], display_width(shown))
    last = HEADER_ROW + len(table.rows)
    for i, note in enumerate(table.notes):
        cell = put_text(ws, last + 2 + i, 1, note)
        cell.font = Font(italic=True, color="FF5F6670")
    for c, col in enumerate(table.columns, start=1):
        cap_width = 40 if col.wrap else 70
        ws.column_dimensions[get_column_letter(c)].width = min(max(widths[c - 1] + 2, 6), cap_width)
    first_data = get_column_letter(2 if table.columns and table.columns[0].kind == "region" else 1)
    ws.freeze_panes = f"{first_data}{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_about(ws, doc: Document, sheets: list[tuple[str, str]]) -> None:
    lang = doc.lang
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    cell = put_text(ws, 1, 1, doc.title)
    cell.font = Font(bold=True, size=14)
    rows = [
        (label("xl.period", lang), doc.subtitle),
        ("", doc.summary),
        ("", doc.notes),
        ("", label("xl.units", lang)),
    ]
    r = 3
    for key, text in rows:
        put_text(ws, r, 1, key).font = _HEADER_FONT
        put_text(ws, r, 2, text).alignment = _WRAP
        r += 1
    r += 1
    put_text(ws, r, 1, label("xl.tables", lang)).font = _HEADER_FONT
    for name, caption in sheets:
        put_text(ws, r, 2, f"{name}：{caption}" if lang == "zh" else f"{name}: {caption}")
        r += 1


def build_workbook(doc: Document) -> Workbook:
    """The workbook (not yet saved): ``说明`` then one sheet per bulletin table."""
    wb = Workbook()
    stamp = _stamp(doc)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "bulletin"
    wb.properties.lastModifiedBy = "bulletin"
    wb.properties.title = safe_text(doc.title)
    wb.properties.language = doc.lang
    taken: set[str] = set()
    about = wb.active
    about.title = sheet_name(label("sheet.about", doc.lang), taken)
    listing = []
    for table in doc.issued_tables:
        name = sheet_name(f"{table.number} {table.sheet}", taken)
        ws = wb.create_sheet(name)
        write_table(ws, table)
        listing.append((name, table.caption))
    _write_about(about, doc, listing)
    return wb


def workbook_name(lang: str = "zh") -> str:
    """``bulletin.xlsx``; the English edition's ``bulletin.en.xlsx`` (editions never
    overwrite each other)."""
    return edition_files(lang)["xlsx"]


def workbook_path(reports_dir: str | Path | None, period: str, region: str = "", lang: str = "zh") -> Path:
    """Where an edition's workbook goes: ``<reports_dir>/<period>/`` for the city's,
    ``<reports_dir>/<period>/regions/<region>/`` for a county's, next to its HTML and PDF
    (``reports_dir`` empty: the repository's ``reports/``)."""
    base = resolve_dir(reports_dir, paths.REPORTS_DIR) / period
    return (base / "regions" / region if region else base) / workbook_name(lang)


def write_workbook(doc: Document, reports_dir: str | Path | None = None) -> Path:
    """Write the edition's ``bulletin.xlsx`` (:func:`workbook_path`) atomically,
    reproducibly; returns its path."""
    path = workbook_path(reports_dir, doc.period, doc.region, doc.lang)
    wb = build_workbook(doc)
    atomic_write(path, workbook_bytes(wb, _stamp(doc)))
    log.info("wrote %s (%d sheets)", path, len(wb.sheetnames))
    return path


def read_cells(path: str | Path) -> dict[str, list[list[str]]]:
    """What each sheet shows, as text (numbers through their number format): for
    checks that the workbook agrees with the HTML and PDF."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            rows.append(
                [
                    fmt.excel_text(
                        c.value,
                        None if isinstance(c.value, str) else c.number_format if c.number_format != "General" else None,
                    )
                    if c.value is not None
                    else ""
                    for c in row
                ]
            )
        out[ws.title] = rows
    return out
