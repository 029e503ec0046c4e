"""Ad hoc analysis: one processed month (and the history of every month) as typed
DataFrames, so a statistician answers a new question in a few lines::

    import bulletin

    b = bulletin.load("2020-06")                     # data/processed/2020-06/
    b.signings.groupby("chain")["amount"].sum() / 1e4  # 签约额 by industry chain, 亿元
    b.wide.loc["宝清县", "signed_amount_completion"]   # one indicator of one region
    b.series("signed_amount")                         # the city's figure month by month
    b.breakdown("chain")                              # breakdowns.csv: region × chain, tidy
    b.projects["status_simplified"].value_counts()    # 已开工 and 已開工 counted together
    bulletin.history(wide=True).loc["全市"]           # month-by-month table of the city

Record tables keep the columns of docs/ARCHITECTURE.md with real types: dates as
``datetime64``, yes/no as pandas' nullable ``boolean``, money (万元) and counts as
numbers, everything else as text (exactly as the ledger had it). Indicators come as
the long table (``value`` a float, ``text`` the value as written, e.g. a light) and as
the wide table (rows regions, columns indicators). ``history`` holds every month
that has been processed under the same folder, plus the earlier snapshots the
indicators stage computed for trends (history.csv), one row per period, region and
indicator; ``source`` says which; ``history(wide=True)`` turns it into a
month-by-month table (rows region × indicator, columns periods).

``breakdowns.csv`` (SPEC §9) comes as ``b.breakdowns`` (long) and, one dimension at a
time, as a tidy frame: ``b.breakdown("chain" | "origin_area" | "leader", region=None)``
(one row per region and key, one column per indicator). ``b.labels`` maps every
indicator id (and dimension) to its Chinese name, for headers.

Free-text columns are kept exactly as the ledger had them; beside those a
statistician counts or groups by, a ``<column>_simplified`` column holds the compared
form (trimmed, half-width, simplified characters, no white space:
:func:`bulletin.indicators.compute_breakdowns.simplified`), so ``value_counts()`` does not
split 已开工 / 已開工: see :data:`SIMPLIFIED`.

Nothing here writes anything; the pipeline's outputs are read as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bulletin import paths
from bulletin.contract import BREAKDOWN_COLUMNS, CITY, INDICATOR_COLUMNS, Period
from bulletin.indicators.catalog import LABELS
from bulletin.indicators.compute_breakdowns import breakdown_table, simplified
from bulletin.paths import resolve_dir
from bulletin.store import indicator_table, read_indicators, read_table, typed

__all__ = ["Month", "load", "history", "periods"]

TABLES = ("signings", "activities", "projects", "targets", "quality", "accounting", "skipped")
# The text columns that get a ``<column>_simplified`` twin (the form text is compared in).
SIMPLIFIED = {
    "signings": ("origin", "chain_raw", "mode"),
    "activities": ("kind", "leader", "place"),
    "projects": ("chain_raw", "status", "lead", "progress", "problems"),
}


def _base(processed_dir) -> Path:
    return resolve_dir(processed_dir, paths.PROCESSED_DIR)


def periods(processed_dir: str | Path | None = None) -> list[str]:
    """The processed months under ``processed_dir`` (folders ``YYYY-MM`` holding an
    indicators.csv), oldest first."""
    base = _base(processed_dir)
    if not base.is_dir():
        return []
    return sorted(
        d.name for d in base.iterdir() if d.is_dir() and Period.is_valid(d.name) and (d / "indicators.csv").is_file()
    )


def _typed_indicators(long: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    out = long[INDICATOR_COLUMNS[:3]].copy()  # period, region, indicator
    out["value"] = pd.to_numeric(long["value"].replace("", None), errors="coerce").astype(float)
    out["text"] = long["value"].astype(object)
    if source is not None:
        out["source"] = source
    return out


def with_simplified(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (the record table ``name``) with a ``<column>_simplified`` column after
    each column of :data:`SIMPLIFIED` it has."""
    out = df.copy()
    for column in SIMPLIFIED.get(name, ()):
        if column in out.columns:
            out.insert(out.columns.get_loc(column) + 1, f"{column}_simplified", out[column].map(simplified))
    return out


def history_wide(long: pd.DataFrame) -> pd.DataFrame:
    """A long history (:func:`history`) as a month-by-month table: rows (region,
    indicator) in file order, columns the periods, numeric values (floats; NaN where a
    month has no value). Lights are words, not numbers: they stay in the long table's
    ``text``."""
    words = long["value"].isna() & (long["text"].fillna("").astype(str) != "")
    words = set(long.loc[words, "indicator"]) | {i for i in long["indicator"].unique() if str(i).endswith("_light")}
    rows = long[~long["indicator"].isin(words)]
    if rows.empty:
        return pd.DataFrame()
    order = rows[["region", "indicator"]].drop_duplicates()
    wide = rows.pivot_table(
        index=["region", "indicator"], columns="period", values="value", aggfunc="first", dropna=False
    )
    wide = wide.reindex(pd.MultiIndex.from_frame(order)).reindex(columns=sorted(rows["period"].unique()))
    wide.columns.name = "period"
    return wide


def history(processed_dir: str | Path | None = None, wide: bool = False) -> pd.DataFrame:
    """Indicators of every processed month under ``processed_dir``, plus the earlier
    snapshots found in their history.csv files (months not processed themselves), as
    one long table: ``period, region, indicator, value, text, source`` (``source``:
    ``processed`` or ``snapshot``), sorted by period; ``wide=True``: as a month-by-month
    table (:func:`history_wide`)."""
    long = _history(processed_dir)
    return history_wide(long) if wide else long


def _history(processed_dir: str | Path | None = None) -> pd.DataFrame:
    base = _base(processed_dir)
    done = periods(base)
    frames = [_typed_indicators(read_indicators(base / p / "indicators.csv"), "processed") for p in done]
    seen = set(done)
    for p in reversed(done):  # the newest month's history wins for a snapshot month
        path = base / p / "history.csv"
        if not path.is_file():
            continue
        long = read_indicators(path)
        extra = long[~long["period"].isin(seen)]
        if len(extra):
            frames.append(_typed_indicators(extra, "snapshot"))
            seen |= set(extra["period"])
    if not frames:
        return pd.DataFrame(columns=[*INDICATOR_COLUMNS, "text", "source"])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values("period", kind="stable").reset_index(drop=True)


@dataclass
class Month:
    """One processed month, loaded by :func:`load`."""

    period: str
    folder: Path
    indicators: pd.DataFrame
    wide: pd.DataFrame
    history: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    breakdowns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BREAKDOWN_COLUMNS))
    issued: int | None = None  # the issue the figures come from (load(issued=…)), None: as computed

    def __getattr__(self, name):  # b.signings, b.projects, … (empty frame when absent)
        tables = self.__dict__.get("tables", {})
        if name in TABLES:
            return tables.get(name, pd.DataFrame())
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(TABLES))

    @property
    def start(self) -> pd.Timestamp:
        """1 January of the period's year (the year to date starts here)."""
        return pd.Timestamp(int(self.period[:4]), 1, 1)

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period's month."""
        return pd.Timestamp(self.period + "-01") + pd.offsets.MonthEnd(0)

    def city(self, indicator: str):
        """The 全市 value of ``indicator`` (float, a light word, or None)."""
        return self.value(CITY, indicator)

    def value(self, region: str, indicator: str):
        if region not in self.wide.index or indicator not in self.wide.columns:
            return None
        v = self.wide.at[region, indicator]
        return None if pd.isna(v) or v == "" else v

    @property
    def labels(self) -> dict[str, str]:
        """Chinese names of the indicator ids and breakdown dimensions (for headers:
        ``b.wide.rename(columns=b.labels)``)."""
        return dict(LABELS)

    @property
    def history_wide(self) -> pd.DataFrame:
        """:attr:`history` as a month-by-month table (:func:`history_wide`):
        ``b.history_wide.loc["全市"]``."""
        return history_wide(self.history)

    def breakdown(self, dimension: str, region: str | None = None) -> pd.DataFrame:
        """One dimension of breakdowns.csv (``chain``, ``origin_area``, ``leader``) as a
        tidy frame: ``region, key`` and one column per indicator (floats, NaN where
        empty); only ``region``'s rows when given."""
        if self.breakdowns.empty and not (self.folder / "breakdowns.csv").is_file():
            raise FileNotFoundError(
                f"{self.folder / 'breakdowns.csv'} is missing: rerun `pipeline.py run --period {self.period}`"
            )
        return breakdown_table(self.breakdowns, dimension, region)

    def series(self, indicator: str, region: str = CITY) -> pd.Series:
        """``indicator`` of ``region`` over every month in :attr:`history`, indexed by
        period (a float series; NaN where a month has no value)."""
        h = self.history
        rows = h[(h["indicator"] == indicator) & (h["region"] == region)]
        return rows.set_index("period")["value"].rename(indicator).sort_index()

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        months = sorted(self.history["period"].unique()) if len(self.history) else []
        return f"<bulletin {self.period}: {sizes}; history {months}>"


def load(
    period: str | None = None,
    processed_dir: str | Path | None = None,
    *,
    issued: bool | int = False,
    reports_dir: str | Path | None = None,
) -> Month:
    """The processed month ``period`` (default: the latest processed month) under
    ``processed_dir`` (default: the repository's data/processed) as a :class:`Month`:
    ``.signings``, ``.activities``, ``.projects``, ``.targets``, ``.quality``,
    ``.accounting``, ``.skipped`` (typed DataFrames; text columns of
    :data:`SIMPLIFIED` with a ``_simplified`` twin), ``.indicators`` (long), ``.wide``
    (regions × indicators), ``.history`` (every month, see :func:`history`),
    ``.breakdowns`` (breakdowns.csv, long), ``.labels``, ``.manifest`` (the run's
    provenance).

    ``issued=True``: the figures as issued instead (the latest
    ``<reports_dir>/<period>/issued/<n>/``; ``issued=<n>`` that issue): indicators,
    breakdowns and the manifest of the issue, no record tables (an issue freezes the
    bulletin, not the cleaned records); ``.issued`` holds n. For comparisons such as
    ``bulletin.load("2020-06").wide - bulletin.load("2020-06", issued=True).wide``."""
    base = _base(processed_dir)
    if period is None:
        done = periods(base)
        if not done:
            raise FileNotFoundError(f"no processed month under {base}")
        period = done[-1]
    Period.parse(period)
    folder = base / period
    if issued is not False and issued is not None:
        return _issued(period, issued, base, resolve_dir(reports_dir, paths.REPORTS_DIR))
    ind = folder / "indicators.csv"
    if not ind.is_file():
        raise FileNotFoundError(f"{ind} is missing: run `pipeline.py run --period {period}` first")
    tables = {
        name: with_simplified(name, typed(read_table(folder / f"{name}.csv")))
        for name in TABLES
        if (folder / f"{name}.csv").is_file()
    }
    return _month(period, folder, base, tables=tables)


def _month(period: str, folder: Path, base: Path, **extra) -> Month:
    """A :class:`Month` of the indicators, breakdowns and manifest in ``folder`` (a
    processed month, or an issued edition), with ``extra`` fields (tables, issued)."""
    long = read_indicators(folder / "indicators.csv")
    breakdowns = pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    if (folder / "breakdowns.csv").is_file():
        breakdowns = read_table(folder / "breakdowns.csv")
    manifest = {}
    if (folder / "manifest.json").is_file():
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return Month(
        period=period,
        folder=folder,
        indicators=_typed_indicators(long),
        wide=indicator_table(long),
        history=history(base),
        manifest=manifest,
        breakdowns=breakdowns,
        **extra,
    )


def _issued(period: str, number: bool | int, base: Path, reports_dir: Path) -> Month:
    """The figures of ``<reports_dir>/<period>/issued/<n>/`` (``number`` True: the latest)."""
    from bulletin.runner.issue import latest, numbers

    here = reports_dir / period
    folder = latest(here, None if number is True else int(number))
    if folder is None:
        have = numbers(here)
        raise FileNotFoundError(
            f"{period} has no issued edition {'' if number is True else number} under {here / 'issued'}"
            + (
                f" (issued: {', '.join(map(str, have))})"
                if have
                else " (run `pipeline.py issue --period " + period + "`)"
            )
        )
    return _month(period, folder, base, issued=int(folder.name))
