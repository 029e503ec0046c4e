"""The cleaning stage: one snapshot folder → processed tables (records with lineage,
findings, row accounting, skipped sheets)."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from . import normalise as N
from .config import Config, load_config
from .ledgers import (ACCOUNTING_COLUMNS, FINDING_COLUMNS, LINEAGE, RECORD_COLUMNS, Period, SheetResult,
                      Snapshot, _finding, cross_checks, read_sheet)
from .read import discover, read_workbook
from .store import write_csv

log = logging.getLogger(__name__)

SKIPPED_COLUMNS = ["source_file", "source_sheet", "reason"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def read_snapshot(snapshot_dir: Path, period: str | Period, cfg: Config | None = None,
                  progress=None) -> Snapshot:
    """Read every workbook of ``snapshot_dir`` (a ``<raw>/<YYYY-MM>`` folder)."""
    cfg = cfg or load_config()
    period = Period.parse(period) if isinstance(period, str) else period
    snap = Snapshot()
    files, skipped = discover(snapshot_dir)
    snap.skipped.extend(skipped)
    for path in files:
        if progress:
            progress(path)
        wb = read_workbook(path, snapshot_dir, cfg)
        snap.skipped.extend(wb.skipped)
        for p in wb.problems:
            snap.findings.append(_finding(p.severity, "", N.find_region(p.source_file, cfg) or "", None, None,
                                          "", "", p.message, source_file=p.source_file, sheet=p.sheet))
        for grid in wb.grids:
            result = read_sheet(grid, period, cfg)
            if not isinstance(result, SheetResult):
                snap.skipped.append(result)
                continue
            snap.records[result.ledger].extend(result.records)
            snap.findings.extend(result.findings)
            snap.accounting.append(result.accounting)
    cross_checks(snap, cfg)
    log.info("read %d files: %s records, %d findings", len(files),
             {k: len(v) for k, v in snap.records.items()}, len(snap.findings))
    return snap


def to_tables(snap: Snapshot) -> dict[str, pd.DataFrame]:
    """Processed tables as DataFrames with the columns of docs/ARCHITECTURE.md."""
    tables = {}
    for ledger, columns in RECORD_COLUMNS.items():
        df = pd.DataFrame(snap.records[ledger], columns=columns + LINEAGE)
        tables[ledger] = df
    findings = pd.DataFrame(snap.findings, columns=FINDING_COLUMNS)
    if len(findings):
        findings = findings.assign(_o=findings["severity"].map(SEVERITY_ORDER),
                                   _r=pd.to_numeric(findings["source_row"], errors="coerce"))
        findings = findings.sort_values(["_o", "source_file", "source_sheet", "_r"], kind="stable")
        findings = findings.drop(columns=["_o", "_r"]).reset_index(drop=True)
    tables["quality"] = findings
    tables["accounting"] = pd.DataFrame(snap.accounting, columns=ACCOUNTING_COLUMNS)
    tables["skipped"] = pd.DataFrame([(s.source_file, s.sheet, s.reason) for s in snap.skipped],
                                     columns=SKIPPED_COLUMNS)
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    return [write_csv(df, Path(out_dir) / f"{name}.csv") for name, df in tables.items()]


def load_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Record tables back from CSV with their types (dates, numbers, booleans)."""
    out_dir = Path(out_dir)
    tables = {}
    for ledger in RECORD_COLUMNS:
        df = pd.read_csv(out_dir / f"{ledger}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        for col in df.columns:
            if col in ("amount", "total_investment", "planned_investment", "completed_investment",
                       "signed_amount_target", "leads", "signed_projects_target", "source_row"):
                df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce").astype(float)
            elif col in ("signed_on", "held_on", "started_on"):
                df[col] = pd.to_datetime(df[col].replace("", None), errors="coerce").dt.date
            elif col in ("out_of_province", "online", "started", "in_statistics"):
                df[col] = df[col].map({"True": True, "False": False, "": None}).astype(object)
        tables[ledger] = df
    for name in ("quality", "accounting", "skipped"):
        tables[name] = pd.read_csv(out_dir / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    return tables
