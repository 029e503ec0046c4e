"""One processed month → what the bulletin needs (:class:`Data`), read once.

``load("2020-06", processed_dir, cfg)`` reads ``<processed_dir>/2020-06/``: indicators.csv
(required) as a wide table, the record tables, quality.csv, accounting.csv,
history.csv, submissions.csv and manifest.json (each optional: a missing or broken one
is noted and left out, never a reason to stop the bulletin). The configuration is
given (loaded once by the caller: the notebook, :func:`bulletin.config.month_config`)
and carried in :attr:`Data.config`: the city's name, its definitions (light bands, the
in-statistics denominator: :mod:`bulletin.definitions`), its wording folder. Nothing in
the report loads configuration itself. Nothing here knows about editions (language,
county) or wording: :func:`bulletin.report.build.document` makes the bulletin from it.
"""

from __future__ import annotations

import calendar
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from bulletin import definitions as defs
from bulletin import paths
from bulletin.config import Config
from bulletin.contract import CITY, SUBMISSION_STATUSES, SUBMITTED_LEDGERS, Period
from bulletin.indicators.compute import NEEDS_COLUMN, missing_columns
from bulletin.paths import resolve_dir
from bulletin.report import format as fmt
from bulletin.store import indicator_table, read_indicators, read_table
from bulletin.text import norm_key

log = logging.getLogger(__name__)


@dataclass
class Data:
    """Everything the bulletin shows for one period, read once."""

    period: str
    city: str
    folder: Path
    table: pd.DataFrame  # wide indicators, index = region, 全市 first
    regions: list[str]  # region rows (without 全市), file order
    config: Config = field(kw_only=True)  # the configuration the figures were read with
    definitions: defs.Definitions = defs.DEFAULT  # light bands, 入统率 denominator (config)
    signings: pd.DataFrame | None = None
    projects: pd.DataFrame | None = None
    breakdowns: pd.DataFrame | None = None  # breakdowns.csv (SPEC §9), long, as text
    quality: pd.DataFrame | None = None
    accounting: pd.DataFrame | None = None
    submissions: pd.DataFrame | None = None  # the register (SPEC §7): region × ledger → status, file
    manifest: dict | None = None
    history: dict[str, pd.DataFrame] = field(default_factory=dict)  # period → wide table
    notes: list[str] = field(default_factory=list)  # problems met while loading
    document: dict = field(default_factory=dict)  # document.yaml: the issued document's details

    @property
    def config_dir(self) -> str:
        """The configuration folder in effect ('' : the packaged defaults alone)."""
        return str(self.config.folder or "")

    def value(self, region: str, indicator: str, period: str | None = None):
        """A number (float), a light word, or None when missing/undefined. ``period``:
        an earlier snapshot's value from history.csv."""
        table = self.table if period in (None, self.period) else self.history.get(period)
        if table is None or indicator not in table.columns or region not in table.index:
            return None
        v = table.at[region, indicator]
        return None if fmt.is_missing(v) else v

    @cached_property
    def register(self) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
        """(region, ledger) → (status, files) of submissions.csv (SPEC §7); without it
        (a month processed before the register existed), from indicators.csv's
        ``<ledger>_submitted`` flags and, for targets, whether the region has one."""
        submitted, not_submitted = SUBMISSION_STATUSES[:2]
        out: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        df = self.submissions
        if df is not None and {"region", "ledger", "status", "source_file"} <= set(df.columns):
            for rec in df.to_dict("records"):
                key, status = (str(rec["region"]), str(rec["ledger"])), str(rec["status"]).strip()
                name = "" if fmt.is_missing(rec["source_file"]) else str(rec["source_file"]).strip()
                before = out.get(key)
                if before is None:
                    out[key] = (status, (name,) if name else ())
                elif before[0] == status and name and name not in before[1]:
                    out[key] = (status, (*before[1], name))
            return out
        for r in self.regions:
            for ledger in SUBMITTED_LEDGERS:
                out[(r, ledger)] = (not_submitted if self.num(r, f"{ledger}_submitted") == 0 else submitted, ())
            has_target = self.value(r, "signed_amount_target") is not None
            out[(r, "targets")] = (submitted if has_target else not_submitted, ())
        return out

    @cached_property
    def lacking(self) -> dict[tuple[str, str], list[str]]:
        """(ledger, needed column) → the regions, in registry order, one of whose
        submitted files of that ledger lacks the column (submissions.csv ``missing``,
        SPEC §12): their figures that need the column are empty and 全市's are taken
        over the other regions. Empty without a register.

        >>> columns = ["region", "ledger", "status", "source_file", "records", "reason", "missing"]
        >>> register = pd.DataFrame([["甲县", "projects", "submitted", "甲.xlsx", "3", "", "status"]], columns=columns)
        >>> from bulletin.config import load_config
        >>> data = Data("2020-06", "", Path("."), pd.DataFrame(), ["甲县"], config=load_config(), submissions=register)
        >>> data.lacking
        {('projects', 'status'): ['甲县']}
        """
        if self.submissions is None:
            return {}
        found = missing_columns({"submissions": self.submissions}, self.regions)
        return {key: [r for r in self.regions if r in found[key]] for key in NEEDS_COLUMN if key in found}

    def status(self, region: str, ledger: str) -> tuple[str, tuple[str, ...]]:
        """Whether ``region`` submitted ``ledger`` this month: (``submitted`` /
        ``not_submitted`` / ``unreadable``, the files named).

        >>> register = pd.DataFrame([["甲县", "signings", "unreadable", "甲.xlsx", "", "加密"]],
        ...                         columns=["region", "ledger", "status", "source_file", "records", "reason"])
        >>> from bulletin.config import load_config
        >>> data = Data("2020-06", "", Path("."), pd.DataFrame(), ["甲县"], config=load_config(), submissions=register)
        >>> data.status("甲县", "signings"), data.status("甲县", "projects")
        (('unreadable', ('甲.xlsx',)), ('submitted', ()))
        """
        return self.register.get((region, ledger), (SUBMISSION_STATUSES[0], ()))

    def num(self, region: str, indicator: str, period: str | None = None) -> float | None:
        dec = fmt.to_decimal(self.value(region, indicator, period))
        return None if dec is None else float(dec)

    def has(self, indicator: str) -> bool:
        """Whether indicators.csv has the indicator at all (for any region)."""
        return indicator in self.table.columns

    @property
    def rows(self) -> list[str]:
        """Table rows: 全市 first (when present), then the regions."""
        return ([CITY] if CITY in self.table.index else []) + self.regions

    @property
    def year(self) -> int:
        return Period.parse(self.period).year

    @property
    def month(self) -> int:
        return Period.parse(self.period).month

    @property
    def period_end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def time_progress(self) -> float:
        """全市's time progress (indicators.csv), else month / 12."""
        progress = self.num(CITY, "time_progress")
        return self.month / 12 if progress is None else progress

    @property
    def previous_period(self) -> str | None:
        """Last month's snapshot of the same year, when history.csv holds it (环比)."""
        if self.month == 1:
            return None
        prev = f"{self.year}-{self.month - 1:02d}"
        return prev if prev in self.history else None

    @property
    def last_year_period(self) -> str | None:
        """The same month of last year, when history.csv holds it (同比)."""
        prev = f"{self.year - 1}-{self.month:02d}"
        return prev if prev in self.history else None

    @property
    def run_time(self) -> str:
        """manifest.json's run time (ISO text), '' when unknown: the only date of a run
        that the outputs show or embed (never the clock)."""
        return str((self.manifest or {}).get("run_time") or "")

    def region_order(self):
        """A sort key: registry order, then any other region."""
        order = {r: i for i, r in enumerate(self.regions)}
        return lambda r: order.get(r, len(order))

    def resolve_region(self, region: str | None) -> str:
        """The canonical name of ``region`` ('' for the city); aliases of the configured
        registry are accepted (宝清 → 宝清县). A name that is not a region row of
        indicators.csv is a ValueError."""
        text = "" if region is None else str(region).strip()
        if not text:
            return ""
        if text not in self.regions:
            text = self.config.region_lookup.get(norm_key(text), text)
        if text not in self.regions:
            raise ValueError(
                f"region {region!r} is not a region of {self.folder / 'indicators.csv'} "
                f"(regions: {', '.join(self.regions)})"
            )
        return text


def _optional_table(path: Path, notes: list[str]) -> pd.DataFrame | None:
    if not path.exists():
        notes.append(f"missing {path.name}")
        return None
    try:
        return read_table(path)
    except Exception as exc:  # noqa: BLE001 - a broken optional table must not stop the bulletin
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable {path.name}: {exc}")
        return None


def _history(path: Path, period: str, notes: list[str]) -> dict[str, pd.DataFrame]:
    """history.csv → {period: wide table} for the snapshots other than ``period``."""
    if not path.exists():
        return {}
    try:
        blocks = list(read_indicators(path).groupby("period", sort=True))
    except Exception as exc:  # noqa: BLE001 - a broken history file must not stop the bulletin
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable {path.name}: {exc}")
        return {}
    out = {}
    for p, block in blocks:
        try:
            Period.parse(p)
        except ValueError:
            continue
        if p != period:
            out[p] = indicator_table(block)
    return out


def _manifest(path: Path, notes: list[str]) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable manifest.json: {exc}")
        return None


def load(period: str, processed_dir: str | Path | None, cfg: Config, *, city: str | None = None) -> Data:
    """Read ``<processed_dir>/<period>/`` into a :class:`Data` carrying ``cfg``.

    ``processed_dir`` empty or None means the repository's ``data/processed``. The
    city's name and the definitions come from ``cfg`` (the configuration the month was
    processed with: :func:`bulletin.config.month_config`). ``city`` overrides the
    configured name.
    """
    Period.parse(period)
    folder = resolve_dir(processed_dir, paths.PROCESSED_DIR) / period
    ind_path = folder / "indicators.csv"
    if not ind_path.exists():
        raise FileNotFoundError(f"no indicators for period {period}: {ind_path} is missing")
    long = read_indicators(ind_path)
    other = sorted(set(long["period"]) - {period})
    if other:
        raise ValueError(f"{ind_path} holds periods {other}, expected only {period}")
    table = indicator_table(long)
    notes: list[str] = []
    manifest = _manifest(folder / "manifest.json", notes)
    data = Data(
        period=period,
        city=city if city is not None else cfg.city,
        folder=folder,
        table=table,
        regions=[r for r in table.index if r != CITY],
        config=cfg,
        definitions=cfg.definitions or defs.DEFAULT,
        signings=_optional_table(folder / "signings.csv", notes),
        projects=_optional_table(folder / "projects.csv", notes),
        # older processed months have none: the bulletin then says so in its section 三
        breakdowns=_optional_table(folder / "breakdowns.csv", notes) if (folder / "breakdowns.csv").exists() else None,
        quality=_optional_table(folder / "quality.csv", notes),
        accounting=_optional_table(folder / "accounting.csv", notes),
        submissions=_optional_table(path, notes) if (path := folder / "submissions.csv").exists() else None,
        manifest=manifest,
        history=_history(folder / "history.csv", period, notes),
        notes=notes,
        document=dict(cfg.document),
    )
    log.info(
        "bulletin data %s: %d regions, %d indicators, history %s from %s",
        period,
        len(data.regions),
        table.shape[1],
        sorted(data.history),
        folder,
    )
    return data
