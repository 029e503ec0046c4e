"""Read and write the processed tables (see docs/ARCHITECTURE.md).

CSV outputs are plain UTF-8. Text that a spreadsheet would take for a formula
(starting with ``= + - @``, or with a tab or carriage return before one — the OWASP
list) is written with a leading single quote ``'``, which Excel shows as text; a text
that already starts with quotes before such a character gets one more, so
:func:`read_table` gives back exactly the text of the ledger (line breaks inside a cell
are written as ``\n``: a carriage return would split the row). Control characters and
bidirectional overrides are removed (:func:`bulletin.text.strip_controls`); long texts
are kept as they are. Numbers are never touched.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from bulletin.contract import LEDGERS, LIGHT_COLOURS, column_kind
from bulletin.paths import FILE_MODE
from bulletin.text import strip_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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
    """A text cell as written: without control characters or bidirectional overrides
    (issue 10: the readers already removed them from ledger text, with a warning; this
    is the last guard for every output), line breaks as ``\n`` (a lone carriage return
    would not be quoted by the CSV writer and would split the row), then formula-guarded."""
    if value.__class__ is str and not value.isprintable():
        value = strip_controls(value)
        if "\r" in value:
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
        safe.to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
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
        if vals.isin(("",) + LIGHT_COLOURS).all() and vals.isin(LIGHT_COLOURS).any():
            wide[col] = vals
        else:
            wide[col] = pd.to_numeric(vals.replace("", None), errors="coerce").astype(float)
    return wide


# --------------------------------------------------------------------------- types
def _bool(value):
    """A yes/no cell of a processed table (``True``/``False`` as written, or a Python
    bool in memory) → True, False or NA."""
    if value is True or value is False:
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "是"):
        return True
    if text in ("false", "0", "no", "否"):
        return False
    return pd.NA


_DTYPES = {"text": "object", "date": "datetime64", "bool": "boolean", "money": "float64", "count": "Int64"}


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """A processed table — read as text, or built in memory by the cleaning stage —
    with the types of its columns (:func:`bulletin.contract.column_kind`): dates as
    ``datetime64``, yes/no as nullable ``boolean``, money as float (万元), counts as
    ``Int64``, everything else as text objects.

    >>> t = typed(pd.DataFrame({"amount": ["1.5", ""], "online": ["True", ""],
    ...                         "signed_on": ["2020-06-30", ""], "leads": ["3", ""], "project": ["=x", "y"]}))
    >>> [str(t[c].dtype) for c in t.columns]
    ['float64', 'boolean', 'datetime64[us]', 'Int64', 'object']
    """
    out = df.copy()
    for col in out.columns:
        kind = column_kind(col)
        if str(out[col].dtype) == _DTYPES[kind] or (kind == "date" and out[col].dtype.kind == "M"):
            continue  # typed already (a table typed once is passed on)
        values = out[col].replace("", None) if out[col].dtype == object else out[col]
        if kind == "date":
            out[col] = pd.to_datetime(values, errors="coerce")
        elif kind == "bool":
            out[col] = out[col].map(_bool).astype("boolean")
        elif kind == "money":
            out[col] = pd.to_numeric(values, errors="coerce").astype(float)
        elif kind == "count":
            out[col] = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        else:
            out[col] = out[col].astype(object)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike) -> list[Path]:
    """Each table as ``<out_dir>/<name>.csv`` (:func:`write_csv`)."""
    return [write_csv(df, Path(out_dir) / f"{name}.csv") for name, df in tables.items()]


def load_tables(out_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """The processed record tables of one month (:data:`bulletin.contract.LEDGERS`)
    with their types, and ``quality``, ``accounting``, ``skipped`` and (when the month
    has one) ``submissions`` as text."""
    out_dir = Path(out_dir)
    tables = {ledger: typed(read_table(out_dir / f"{ledger}.csv")) for ledger in LEDGERS}
    for name in ("quality", "accounting", "skipped"):
        tables[name] = read_table(out_dir / f"{name}.csv")
    if (out_dir / "reading.csv").exists():  # how each sheet was read (SPEC §8.7)
        tables["reading"] = read_table(out_dir / "reading.csv")
    if (out_dir / "submissions.csv").exists():  # a month processed before the register: none
        tables["submissions"] = read_table(out_dir / "submissions.csv")
    return tables
