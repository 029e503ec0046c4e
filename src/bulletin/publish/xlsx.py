"""What every workbook the pipeline writes shares: text fit for a cell (never a formula,
no forbidden characters, Excel's length limit), column widths for Chinese text, and
reproducible bytes (fixed timestamps inside the zip)."""

from __future__ import annotations

import datetime as _dt
import io
import math
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


def workbook_bytes(wb: Workbook, stamp: _dt.datetime) -> bytes:
    """Serialise ``wb`` without openpyxl stamping 'now' anywhere.

    ``Workbook.save`` sets ``modified`` to the current time and zip entries carry the
    current time too; we drive ``ExcelWriter`` ourselves, then re-pack the archive with
    a fixed entry timestamp so identical inputs give identical bytes.
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
