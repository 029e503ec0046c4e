"""Read and write the processed tables (see docs/ARCHITECTURE.md).

CSV outputs are plain UTF-8. Text that a spreadsheet would take for a formula
(starting with ``= + - @``) is written with a leading apostrophe-free guard: a tab
character is *not* used; instead such cells are prefixed with a single quote ``'``,
which Excel shows as text. Numbers are never touched.
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd

LINEAGE = ["source_file", "source_sheet", "source_row"]
FORMULA_START = ("=", "+", "-", "@")
LIGHTS = ("green", "yellow", "red")


def guard_formula(value):
    """Make a text cell safe for spreadsheets.

    >>> guard_formula("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> guard_formula("-3")   # numeric text stays as is
    '-3'
    >>> guard_formula(5)
    5
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` as UTF-8 CSV atomically (temp file + rename), formula-guarded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(guard_formula)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        safe.to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL,
                    lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a processed record table back (all text columns stay text)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


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
