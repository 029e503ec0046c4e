"""The pipeline's stages as plain functions, called by the notebooks (and by
``pipeline.py check``). Each returns a small summary for display; paths default to the
repo's ``data/`` and ``reports/`` when given as ``""``.

The configuration is loaded once, at the edge — the notebook's first call
(:func:`stage_config`; the bulletin's: :func:`bulletin.config.month_config`), the
runner's :func:`bulletin.runner.params.checked_config` — and passed down as a
:class:`Config`: nothing below the stages loads it again."""

from __future__ import annotations

import logging

import pandas as pd

from bulletin import paths
from bulletin.config import Config, load_config
from bulletin.contract import LEDGERS
from bulletin.indicators.compute import compute
from bulletin.indicators.compute_breakdowns import breakdowns
from bulletin.ledgers.snapshot import read_snapshot, to_tables
from bulletin.paths import history_periods, resolve_dir
from bulletin.publish.quality import write_quality_workbooks
from bulletin.store import load_tables, read_table, write_csv, write_tables

log = logging.getLogger(__name__)


def clean_stage(period: str, cfg: Config, *, raw_dir="", processed_dir="", reports_dir="", progress=None) -> dict:
    """Read the snapshot ``<raw_dir>/<period>`` with the configuration ``cfg``; write the
    processed tables and the per-region quality workbooks. ``progress(path)`` is called
    as each file is read."""
    snapshot = resolve_dir(raw_dir, paths.RAW_DIR) / period
    out = resolve_dir(processed_dir, paths.PROCESSED_DIR) / period
    quality_dir = resolve_dir(reports_dir, paths.REPORTS_DIR) / period / "quality"
    snap = read_snapshot(snapshot, period, cfg, progress=progress)
    tables = to_tables(snap, cfg)
    write_tables(tables, out)
    write_quality_workbooks(
        tables,
        quality_dir,
        period,
        regions=list(cfg.region_names),
        city=cfg.city,
        ledger_labels={k: cfg.ledger_label(k) for k in LEDGERS},
    )
    return summary(tables)


def summary(tables: dict[str, pd.DataFrame]) -> dict:
    acc = tables["accounting"]
    q = tables["quality"]
    return {
        "records": {k: len(tables[k]) for k in ("signings", "activities", "projects", "targets")},
        "rows_read": int(acc["rows_read"].astype(int).sum()) if len(acc) else 0,
        "rejected_rows": int(acc["rejected_rows"].astype(int).sum()) if len(acc) else 0,
        "total_note_rows": int(acc["total_note_rows"].astype(int).sum()) if len(acc) else 0,
        "errors": int((q["severity"] == "error").sum()),
        "warnings": int((q["severity"] == "warning").sum()),
        "skipped_sheets": len(tables["skipped"]),
    }


def history_stage(period: str, cfg: Config, *, raw_dir="", processed_dir="") -> pd.DataFrame:
    """Indicators of every earlier snapshot (``history_periods``) plus this period's,
    as one long table ``history.csv`` (same columns as indicators.csv)."""
    raw = resolve_dir(raw_dir, paths.RAW_DIR)
    out = resolve_dir(processed_dir, paths.PROCESSED_DIR) / period
    frames = []
    for earlier in history_periods(period, raw):
        frames.append(compute(to_tables(read_snapshot(raw / earlier, earlier, cfg), cfg), earlier, cfg))
    frames.append(pd.read_csv(out / "indicators.csv", dtype=str, keep_default_na=False))
    history = pd.concat(frames, ignore_index=True)
    write_csv(history, out / "history.csv")
    return history


def indicators_stage(period: str, cfg: Config, *, processed_dir="") -> pd.DataFrame:
    """Compute ``indicators.csv`` (SPEC §4) and ``breakdowns.csv`` (SPEC §9) from the
    processed tables of ``period``; returns the indicators."""
    out = resolve_dir(processed_dir, paths.PROCESSED_DIR) / period
    tables = load_tables(out)
    indicators = compute(tables, period, cfg)
    write_csv(indicators, out / "indicators.csv")
    # a region whose headline figure is empty (not submitted) has empty breakdowns
    write_csv(breakdowns(tables, period, cfg, indicators), out / "breakdowns.csv")
    return indicators


def read_breakdowns(period: str, processed_dir="") -> pd.DataFrame:
    """``breakdowns.csv`` of ``period`` as written by :func:`indicators_stage` (text)."""
    return read_table(resolve_dir(processed_dir, paths.PROCESSED_DIR) / period / "breakdowns.csv")


def stage_config(config_dir="") -> Config:
    """The configuration of the clean and indicators notebooks: ``config_dir`` (the
    run's ``--config-dir``, else the office's folder, as the runner resolved it), else
    the office's folder when it exists, else the packaged defaults."""
    return load_config(str(config_dir) if config_dir else None)
