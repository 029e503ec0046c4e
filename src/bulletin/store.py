"""Read and write the processed tables (see docs/ARCHITECTURE.md).

CSV outputs are plain UTF-8. Text that a spreadsheet would take for a formula
(starting with ``= + - @``, or with a tab or carriage return before one — the OWASP
list) is written with a leading single quote ``'``, which Excel shows as text; a text
that already starts with quotes before such a character gets one more, so
:func:`read_table` gives back exactly the text of the ledger (line breaks inside a cell
are written as ``\n``: a carriage return would split the row). Control characters and
long texts are kept as they are (CSV can hold them). Numbers are never touched.
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from .paths import FILE_MODE  # noqa: F401 - what open() would give (store.FILE_MODE)

LINEAGE = ["source_file", "source_sheet", "source_row"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIGHTS = ("green", "yellow", "red")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")



def guard_formula(value):
    """Make a text cell safe for spreadsheets.

    >>> guard_formula("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> guard_formula("-3")   # numeric text stays as is
    '-3'
    >>> guard_formula("'=already quoted")   # one more quote, so reading back is exact
    "''=already quoted"
    >>> guard_formula(5)
    5
    """
    if isinstance(value, str) and (value.startswith(FORMULA_START) or _GUARDED.match(value)):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def unguard_formula(value):
    """The inverse of :func:`guard_formula` (for text read back from a processed CSV).

    >>> unguard_formula("'=HYPERLINK(1)"), unguard_formula("''=x"), unguard_formula("'quoted")
    ('=HYPERLINK(1)', "'=x", "'quoted")
    """
    if isinstance(value, str) and _GUARDED.match(value):
        return value[1:]
    return value


def _csv_text(value):
    """A text cell as written: line breaks as ``\n`` (a lone carriage return would not be
    quoted by the CSV writer and would split the row), then formula-guarded."""
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return guard_formula(value)


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` as UTF-8 CSV atomically (temp file + rename), formula-guarded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(_csv_text)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        safe.to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL,
                    lineterminator="\n")
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a processed record table back: every column as text, exactly as the ledger
    had it (the formula guard's quote taken off again)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in df.columns:
        df[col] = df[col].map(unguard_formula)
    return df


def read_indicators(path: str | os.PathLike) -> pd.DataFrame:
    """indicators.csv → long DataFrame with ``value`` kept as text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def indicator_table(long: pd.DataFrame) -> pd.DataFrame:
    """Long indicators → wide table: one row per region (file order), one column per
    indicator. Numeric columns become floats (NaN where empty); light columns stay text.
    """
    regions = list(dict.fromkeys(long["region"]))
    wide = long.pivot(index="region", columns="indicator", values="value").reindex(regions)
    wide.columns.name = None
    for col in wide.columns:
        vals = wide[col].fillna("")
        if vals.isin(("",) + LIGHTS).all() and vals.isin(LIGHTS).any():
            wide[col] = vals
        else:
            wide[col] = pd.to_numeric(vals.replace("", None), errors="coerce").astype(float)
    return wide
