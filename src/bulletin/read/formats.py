"""What a file is, by its content (never by its extension), and the readers of the
text formats: CSV (any common dialect and encoding) and HTML tables saved as ``.xls``
by web systems. Both are bounded: rows beyond ``max_rows``, columns beyond
``max_cols`` and cells beyond Excel's 32,767 characters are never built, and a
rowspan/colspan is clipped to its table before any cell is placed.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import sys
import zipfile
from pathlib import Path

from bulletin.read.grid import Grid, OpenProblem, WorkbookRead, column_letter
from bulletin.read.limits import MB, Limits
from bulletin.text import control_names, has_controls, strip_controls

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_CELL_CHARS = 32767
# csv's own limit (131,072 characters) raises on a longer field: let the reader take
# any field the file holds (the file size is bounded) and cut it to Excel's limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


# --------------------------------------------------------------------------- sniffing
def sniff(path: Path) -> str:
    """``zip``, ``ole``, ``html``, ``xml2003`` (Excel 2003 XML), ``text``, ``binary``
    (anything else) or ``empty``, from the first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if not head.strip(b" \t\r\n\x00"):
        return "empty"
    text = _head_text(head).lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text and "<table" not in text:
        return "xml2003"
    if text.startswith("<") or "<table" in text or "<html" in text:
        return "html"
    return "text" if _is_text(head) else "binary"


def _is_text(head: bytes) -> bool:
    """Do the first bytes decode as text (UTF-8, GB18030 or UTF-16/32) with hardly any
    control characters?"""
    encoding = _bom_encoding(head) or ("utf-16-le" if _looks_utf16(head) else None)
    for enc in [encoding] if encoding else ["utf-8", "gb18030"]:
        try:
            text = head.decode(enc.replace("-sig", ""))
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut by the 4 KB
                continue
            text = head[: exc.start].decode(enc.replace("-sig", ""), "ignore")
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\x0c")
        return controls <= len(text) // 100
    return False


def _head_text(head: bytes) -> str:
    encoding = _bom_encoding(head) or ("utf-16-le" if _looks_utf16(head) else "utf-8")
    return head.decode(encoding, errors="ignore")


def zip_kind(path: Path) -> str:
    """``xlsx`` (also xlsm, xltx, WPS's OOXML .et), ``xlsb``, ``ods``, ``other`` or
    ``corrupt``: what a zip container holds, from its member names."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "mimetype" in names and b"spreadsheet" in zf.read("mimetype")[:100]:
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return "corrupt"
    return "other"


_OLE_NAMES = ("Workbook", "Book", "EncryptedPackage", "EncryptionInfo", "WordDocument", "PowerPoint Document")


def ole_streams(path: Path, limit: int = 100 * MB) -> set[str]:
    """Names of the well-known streams of an OLE compound file (directory entries are
    128-byte records holding the UTF-16 name and its length)."""
    with open(path, "rb") as fh:
        data = fh.read(limit)
    found = set()
    for name in _OLE_NAMES:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        start = 0
        while (at := data.find(encoded, start)) >= 0:
            start = at + 1
            if at % 128 == 0 and int.from_bytes(data[at + 64 : at + 66], "little") == len(encoded):
                found.add(name)
                break
    return found


def ole_kind(path: Path) -> str:
    """``workbook`` (xls, WPS .et), ``encrypted`` (a password-protected OOXML file) or
    ``other`` (a Word or PowerPoint file, …)."""
    streams = ole_streams(path)
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "encrypted"
    if streams & {"Workbook", "Book"}:
        return "workbook"
    if streams:
        return "other"
    return "workbook"  # a directory not found where expected: let the reader decide


# --------------------------------------------------------------------------- decoding
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 (little-endian) without a BOM: its ASCII characters (digits, commas, line
    breaks) put a NUL in every odd byte and none in the even ones."""
    sample = data[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    return len(sample) >= 4 and odd > len(sample) // 20 and even * 4 < odd


def decode(data: bytes) -> str:
    """Text of a CSV or HTML file: a BOM decides; else UTF-16 when it looks so; else
    UTF-8, GB18030 (GBK), and UTF-8 with replacement characters as the last resort."""
    bom = _bom_encoding(data)
    if bom:
        return data[_bom_len(data) :].decode(bom.replace("-sig", ""), "replace")
    candidates = ["utf-16-le"] if _looks_utf16(data) else []
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:2048])
    if m:
        candidates.append(m.group(1).decode("ascii"))
    for encoding in (*candidates, "utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _bom_len(data: bytes) -> int:
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return len(bom)
    return 0


# --------------------------------------------------------------------------- cells
_SPACE = re.compile(r"\s+")


CONTROL_FINDINGS = 20  # per sheet; the rest are counted in one more finding


def report_controls(cells: list[tuple[int, int, str]], rel: str, sheet: str, out: WorkbookRead) -> None:
    """Warnings for cells (0-based row, column, original text) whose control
    characters were removed: one per cell, the first :data:`CONTROL_FINDINGS`, then one
    for the rest."""
    for i, j, v in cells[:CONTROL_FINDINGS]:
        out.problems.append(
            OpenProblem(
                rel,
                sheet,
                "text.control_chars",
                {"names": control_names(v)},
                row=i + 1,
                column=column_letter(j),
                value=strip_controls(v),
            )
        )
    if len(cells) > CONTROL_FINDINGS:
        out.problems.append(OpenProblem(rel, sheet, "text.control_chars", {"n": len(cells) - CONTROL_FINDINGS}, "more"))


class CellText:
    """Turns the text of a CSV or HTML cell into a grid value: control characters
    removed (:meth:`report` warns of those cells), cells over Excel's limit cut (at most
    ``cap`` findings per sheet)."""

    def __init__(self, rel: str, sheet: str, out: WorkbookRead, cap: int = 20):
        self.rel, self.sheet, self.out, self.cap = rel, sheet, out, cap
        self.cut = 0
        self.controls: list[tuple[int, int, str]] = []

    def report(self) -> None:
        report_controls(self.controls, self.rel, self.sheet, self.out)

    def __call__(self, text: str, row: int, col: int):
        if text and not text.isprintable() and has_controls(text):
            self.controls.append((row - 1, col, text))
            text = strip_controls(text)
        if not text or text.isspace():
            return None
        if len(text) > EXCEL_CELL_CHARS:
            self.cut += 1
            if self.cut <= self.cap:
                self.out.problems.append(
                    OpenProblem(
                        self.rel,
                        self.sheet,
                        "cell.too_long",
                        {"length": len(text), "limit": EXCEL_CELL_CHARS},
                        row=row,
                        column=column_letter(col),
                        value=text[:50],
                    )
                )
            text = text[:EXCEL_CELL_CHARS]
        return text


# --------------------------------------------------------------------------- CSV
_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    lines = sample.splitlines()[:50]
    best, best_score = ",", (0, 0)
    for d in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common) * (common > 1), common)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(path: Path, rel: str, lim: Limits, out: WorkbookRead) -> None:
    """A CSV (or a text table saved under a spreadsheet's name): comma, tab, semicolon
    or bar separated; UTF-8, GB18030, UTF-16/32 with or without BOM; any line ending
    (CR-only included). One grid named after the file."""
    text = decode(path.read_bytes())
    sheet = path.stem
    cell = CellText(rel, sheet, out)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:65536]))
    rows, truncated, cells = [], None, 0
    try:
        for i, row in enumerate(reader):
            if i >= lim.max_rows:
                truncated = lim.max_rows + 1
                break
            cells += min(len(row), lim.max_cols)
            if cells > lim.max_cells:
                out.problems.append(OpenProblem(rel, sheet, "sheet.too_large", {"max_cells": lim.max_cells}, "csv"))
                return
            rows.append([cell(v, i + 1, j) for j, v in enumerate(row[: lim.max_cols])])
    except csv.Error as exc:
        out.problems.append(
            OpenProblem(
                rel,
                sheet,
                "sheet.unreadable",
                {"line": reader.line_num, "error": str(exc)},
                "csv_line",
                row=reader.line_num,
            )
        )
    cell.report()
    out.grids.append(Grid(rel, sheet, rows, [], truncated, delimited=True))


# --------------------------------------------------------------------------- HTML
def _span(value, cap: int) -> int:
    try:
        n = int(str(value).strip() or 1)
    except ValueError:
        return 1
    return max(1, min(n, cap))


def read_html(path: Path, rel: str, lim: Limits, out: WorkbookRead) -> None:
    """Every ``<table>`` of an HTML file (web systems' "Excel" exports) as a grid
    ``表1``, ``表2``…: each cell's text at its place, a row/col span as a merged range
    clipped to the table (a span can never reach beyond the table's rows or the
    column limit)."""
    import lxml.html

    size = path.stat().st_size
    if size > lim.max_html_mb * MB:
        out.problems.append(
            OpenProblem(
                rel, "", "file.too_large", {"size_mb": f"{size / MB:.0f}", "limit_mb": f"{lim.max_html_mb:.0f}"}, "html"
            )
        )
        return
    text = decode(path.read_bytes())
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")
        doc = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
        tables = doc.xpath("//table")
    except Exception as exc:  # noqa: BLE001 - lxml's parser errors, an empty document
        log.info("cannot parse %s as HTML: %s", rel, exc)
        tables = []
    if not tables:
        out.problems.append(OpenProblem(rel, "", "file.not_table"))
        return
    for k, table in enumerate(tables, start=1):
        _html_table(table, rel, f"表{k}", lim, out)


def _html_table(table, rel: str, sheet: str, lim: Limits, out: WorkbookRead) -> None:
    trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    truncated = None
    if len(trs) > lim.max_rows:
        trs, truncated = trs[: lim.max_rows], lim.max_rows + 1
    n = len(trs)
    cell = CellText(rel, sheet, out)
    rows: list[list] = []
    merged = []
    active: list[tuple[int, int, int]] = []  # (last row, first col, last col) of spans from above
    width = 0
    for i, tr in enumerate(trs):
        active = [a for a in active if a[0] >= i]
        row: dict[int, object] = {}
        col = 0
        for td in tr.xpath("./td|./th"):
            moved = True
            while moved:  # skip the columns taken by a span from a row above
                moved = False
                for _, c0, c1 in active:
                    if c0 <= col <= c1:
                        col, moved = c1 + 1, True
            if col >= lim.max_cols:
                break
            colspan = min(_span(td.get("colspan"), lim.max_cols), lim.max_cols - col)
            rowspan = _span(td.get("rowspan"), n - i)
            value = cell(_SPACE.sub(" ", td.text_content()).strip(), i + 1, col)
            row[col] = value
            if colspan > 1 or rowspan > 1:
                merged.append(((i, col), (i + rowspan - 1, col + colspan - 1)))
                if rowspan > 1:
                    active.append((i + rowspan - 1, col, col + colspan - 1))
            col += colspan
            width = max(width, col)
        rows.append(row)
    cell.report()
    if n * width > lim.max_cells:
        out.problems.append(
            OpenProblem(rel, sheet, "sheet.too_large", {"rows": n, "cols": width, "max_cells": lim.max_cells}, "html")
        )
        return
    grid_rows = [[r.get(j) for j in range(max(r, default=-1) + 1)] for r in rows]
    out.grids.append(Grid(rel, sheet, grid_rows, merged, truncated))
