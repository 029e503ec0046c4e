"""What every workbook the pipeline writes shares: text fit for a cell (never a formula,
no forbidden characters, Excel's length limit), column widths for Chinese text, and
reproducible bytes (fixed timestamps inside the zip)."""

from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import os
import re
import unicodedata
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

EXCEL_CELL_LIMIT = 32767


TRUNCATION_MARKER = "……（内容过长，已截断）"


REPLACEMENT_CHAR = "\ufffd"


# Characters XML 1.0 / Excel cannot hold: C0 controls except tab, LF, CR; lone
# surrogates; U+FFFE/U+FFFF.
_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (str, bytes)) else False
    except (TypeError, ValueError):
        return False


def cell_text(value) -> str:
    """Any cell value → plain text ('' for missing)."""
    if is_missing(value):
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", errors="surrogatepass")) // 2


def safe_text(value) -> str:
    """Text fit for an Excel cell: forbidden characters replaced by U+FFFD, and cut to
    Excel's 32,767-character limit with a visible marker.

    >>> safe_text("a\\x00b")
    'a\\ufffdb'
    >>> len(safe_text("x" * 40000)) <= 32767
    True
    """
    s = _ILLEGAL_RE.sub(REPLACEMENT_CHAR, cell_text(value))
    if len(s) > EXCEL_CELL_LIMIT // 2 and _utf16_len(s) > EXCEL_CELL_LIMIT:
        budget = EXCEL_CELL_LIMIT - _utf16_len(TRUNCATION_MARKER)
        cut = s[:budget]
        while _utf16_len(cut) > budget:  # astral characters take two UTF-16 units
            cut = cut[:-1]
        s = cut + TRUNCATION_MARKER
    return s


def display_width(s: str) -> int:
    """Width of the longest line, CJK (wide/fullwidth) characters counting double."""
    best = 0
    for line in s.split("\n"):
        w = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        best = max(best, w)
    return best


def set_styles(cell, *styles: tuple[str, object]) -> None:
    """Set ``cell``'s styles — ``("font", Font(...))``, ``("fill", …)``, ``("alignment",
    …)``, ``("border", …)``, ``("number_format", "0.00")`` — in this order, as attribute
    assignments would, but once per combination in a workbook: openpyxl hashes every
    style object at every assignment (most of the cost of a styled table); a cell whose
    style array and styles were seen before gets a copy of the array they gave then.
    The workbook's style lists grow in the same order, so the bytes are the same."""
    arrays = cell.parent.parent.__dict__.setdefault("_bulletin_style_arrays", {})
    start = None if cell._style is None else tuple(cell._style)
    key = (start, *((name, value if isinstance(value, str) else id(value)) for name, value in styles))
    known = arrays.get(key)
    if known is None:
        for name, value in styles:
            setattr(cell, name, value)
        arrays[key] = (copy.copy(cell._style), styles)  # the styles kept alive: their ids stay theirs
    else:
        cell._style = copy.copy(known[0])


class _StampedZip(zipfile.ZipFile):
    """A zip being written whose every entry carries ``date_time`` and mode 0600,
    whatever the writer asks for: the bytes the re-packing of an archive would give."""

    def __init__(self, file, date_time: tuple):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._date_time = date_time

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        fixed = zipfile.ZipInfo(name, date_time=self._date_time)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o600 << 16
        super().writestr(fixed, data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:
            self.writestr(arcname or os.path.basename(filename), f.read())


def workbook_bytes(wb: Workbook, stamp: _dt.datetime) -> bytes:
    """Serialise ``wb`` without openpyxl stamping 'now' anywhere.

    ``Workbook.save`` sets ``modified`` to the current time and zip entries carry the
    current time too; we drive ``ExcelWriter`` ourselves, into an archive whose entries
    all carry a fixed timestamp, so identical inputs give identical bytes.
    """
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with _StampedZip(out, date_time) as archive:
        ExcelWriter(wb, archive).save()
    return out.getvalue()
