"""The cleaning stage: one snapshot folder → processed tables (records with lineage,
findings, row accounting, skipped sheets)."""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.config import Config, load_config
from bulletin.contract import (
    ACCOUNTING_COLUMNS,
    EXPLAIN_COLUMNS,
    FINDING_COLUMNS,
    LINEAGE,
    RECORD_COLUMNS,
    SEVERITY_ORDER,
    SKIPPED_COLUMNS,
    Period,
)
from bulletin.ledgers import normalise as N
from bulletin.ledgers.findings import finding
from bulletin.ledgers.parser import clear_caches
from bulletin.ledgers.sheet import SheetResult, Snapshot, cross_checks, read_sheet
from bulletin.read.workbook import discover, read_workbook

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def read_file(path: Path, snapshot_dir: Path, period: Period, cfg: Config) -> tuple[list, list, list]:
    """One workbook → (skipped sheets, open problems as findings, sheet results)."""
    wb = read_workbook(path, snapshot_dir, cfg)
    findings = [
        finding(
            p.code,
            p.severity,
            "",
            N.find_region(p.source_file, cfg) or "",
            None,
            None,
            "",
            "",
            p.message,
            source_file=p.source_file,
            sheet=p.sheet,
        )
        for p in wb.problems
    ]
    return wb.skipped, findings, [result for grid in wb.grids for result in read_sheet(grid, period, cfg)]


def _workers(files: list[Path], workers: int | None) -> int:
    """Processes to read with: as asked, else all cores for a large snapshot (8 or more
    files, over 1 MB), else 1 — a pool costs more than it saves on a small one."""
    if workers:
        return max(1, min(workers, len(files)))
    size = sum(p.stat().st_size for p in files)
    if len(files) >= 8 and size > 2**20:
        return min(os.cpu_count() or 1, len(files))
    return 1


def read_snapshot(
    snapshot_dir: Path, period: str | Period, cfg: Config | None = None, progress=None, workers: int | None = None
) -> Snapshot:
    """Read every workbook of ``snapshot_dir`` (a ``<raw>/<YYYY-MM>`` folder), in
    parallel processes for a large snapshot; results are merged in file order, so the
    outcome does not depend on the number of workers."""
    cfg = cfg or load_config()
    period = Period.parse(period)
    snap = Snapshot()
    files, skipped = discover(snapshot_dir)
    snap.skipped.extend(skipped)
    clear_caches()
    n = _workers(files, workers)
    if n > 1:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        pool = ProcessPoolExecutor(n, mp_context=ctx)
        results = pool.map(read_file, files, repeat(snapshot_dir), repeat(period), repeat(cfg), chunksize=1)
    else:
        pool = None
        results = (read_file(path, snapshot_dir, period, cfg) for path in files)
    try:
        for path, (sheets_skipped, problems, sheets) in zip(files, results):
            if progress:
                progress(path)
            snap.skipped.extend(sheets_skipped)
            snap.findings.extend(problems)
            for result in sheets:
                if not isinstance(result, SheetResult):
                    snap.skipped.append(result)
                    continue
                snap.records[result.ledger].extend(result.records)
                snap.findings.extend(result.findings)
                snap.accounting.append(result.accounting)
                snap.explain.extend(result.explain)
    finally:
        if pool:
            pool.shutdown()
    cross_checks(snap, cfg)
    log.info(
        "read %d files with %d process(es): %s records, %d findings",
        len(files),
        n,
        {k: len(v) for k, v in snap.records.items()},
        len(snap.findings),
    )
    return snap


def to_tables(snap: Snapshot) -> dict[str, pd.DataFrame]:
    """Processed tables as DataFrames with the columns of docs/ARCHITECTURE.md."""
    import pandas as pd  # not at module level: reading (in worker processes too) needs no pandas

    tables = {}
    for ledger, columns in RECORD_COLUMNS.items():
        df = pd.DataFrame(snap.records[ledger], columns=columns + LINEAGE)
        tables[ledger] = df
    findings = pd.DataFrame(snap.findings, columns=FINDING_COLUMNS)
    if len(findings):
        findings = findings.assign(
            _o=findings["severity"].map(SEVERITY_ORDER), _r=pd.to_numeric(findings["source_row"], errors="coerce")
        )
        findings = findings.sort_values(["_o", "source_file", "source_sheet", "_r"], kind="stable")
        findings = findings.drop(columns=["_o", "_r"]).reset_index(drop=True)
    tables["quality"] = findings
    tables["accounting"] = pd.DataFrame(snap.accounting, columns=ACCOUNTING_COLUMNS)
    tables["reading"] = pd.DataFrame(snap.explain, columns=EXPLAIN_COLUMNS)
    tables["skipped"] = pd.DataFrame(
        [(s.source_file, s.sheet, s.reason) for s in snap.skipped], columns=SKIPPED_COLUMNS
    )
    return tables
