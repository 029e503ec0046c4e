"""Ad hoc analysis: one processed month (and the history of every month) as typed
DataFrames, so a statistician answers a new question in a few lines::

    import bulletin

    b = bulletin.load("2020-06")                     # data/processed/2020-06/
    b.signings.groupby("chain")["amount"].sum() / 1e4  # 签约额 by industry chain, 亿元
    b.wide.loc["宝清县", "signed_amount_completion"]   # one indicator of one region
    b.series("signed_amount")                         # the city's figure month by month

Record tables keep the columns of docs/ARCHITECTURE.md with real types: dates as
``datetime64``, yes/no as pandas' nullable ``boolean``, money (万元) and counts as
numbers, everything else as text (exactly as the ledger had it). Indicators come as
the long table (``value`` a float, ``text`` the value as written, e.g. a light) and as
the wide table (rows regions, columns indicators). ``history`` holds every month
that has been processed under the same folder, plus the earlier snapshots the
indicators stage computed for trends (history.csv), one row per period, region and
indicator; ``source`` says which.

Nothing here writes anything; the pipeline's outputs are read as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bulletin import paths
from bulletin.contract import CITY, INDICATOR_COLUMNS, Period
from bulletin.paths import resolve_dir
from bulletin.store import indicator_table, read_indicators, read_table, typed

__all__ = ["Month", "load", "history", "periods"]

TABLES = ("signings", "activities", "projects", "targets", "quality", "accounting", "skipped")


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


def history(processed_dir: str | Path | None = None) -> pd.DataFrame:
    """Indicators of every processed month under ``processed_dir``, plus the earlier
    snapshots found in their history.csv files (months not processed themselves), as
    one long table: ``period, region, indicator, value, text, source`` (``source``:
    ``processed`` or ``snapshot``), sorted by period."""
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


def load(period: str | None = None, processed_dir: str | Path | None = None) -> Month:
    """The processed month ``period`` (default: the latest processed month) under
    ``processed_dir`` (default: the repository's data/processed) as a :class:`Month`:
    ``.signings``, ``.activities``, ``.projects``, ``.targets``, ``.quality``,
    ``.accounting``, ``.skipped`` (typed DataFrames), ``.indicators`` (long),
    ``.wide`` (regions × indicators), ``.history`` (every month, see :func:`history`),
    ``.manifest`` (the run's provenance)."""
    base = _base(processed_dir)
    if period is None:
        done = periods(base)
        if not done:
            raise FileNotFoundError(f"no processed month under {base}")
        period = done[-1]
    Period.parse(period)
    folder = base / period
    ind = folder / "indicators.csv"
    if not ind.is_file():
        raise FileNotFoundError(f"{ind} is missing: run `pipeline.py run --period {period}` first")
    long = read_indicators(ind)
    tables = {name: typed(read_table(folder / f"{name}.csv")) for name in TABLES if (folder / f"{name}.csv").is_file()}
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
        tables=tables,
    )
