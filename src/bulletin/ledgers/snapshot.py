"""The cleaning stage: one snapshot folder → processed tables (records with lineage,
findings, row accounting, skipped entries, the submission register).

Every entry of the folder ends in one place (SPEC §7): read, or in ``skipped`` with
its reason (:func:`bulletin.read.discover.discover`); a byte-identical copy is read
once (:mod:`bulletin.ledgers.duplicates`). No single file stops the month: whatever
reading or normalising one file raises becomes an error finding naming the file (or
the sheet), and the other files are read; when a reading process dies, the files
being read then are read one by one in bounded children, and the others by a new pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin import collector
from bulletin.config import Config
from bulletin.contract import (
    ACCOUNTING_COLUMNS,
    EXPLAIN_COLUMNS,
    FINDING_COLUMNS,
    LINEAGE,
    RECORD_COLUMNS,
    SEVERITY_ORDER,
    SKIPPED_COLUMNS,
    SUBMISSION_COLUMNS,
    Period,
)
from bulletin.errors import AccountingError
from bulletin.ledgers import normalise as N
from bulletin.ledgers.duplicates import dedupe_records, identical_files, same_as_previous
from bulletin.ledgers.file_checks import across_files, route_findings
from bulletin.ledgers.file_facts import SheetFacts
from bulletin.ledgers.findings import Finding
from bulletin.ledgers.parser import clear_caches
from bulletin.ledgers.register import register
from bulletin.ledgers.sheet import SheetResult, Snapshot, cross_checks, read_sheet
from bulletin.read.grid import OpenProblem, Skipped
from bulletin.read.limits import Limits, ResourceLimit, memory_bound, quiet_stderr, resources_message, run_bounded
from bulletin.read.workbook import discover, read_workbook
from bulletin.text import short, strip_controls

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def file_finding(code: str, source_file: str, cfg: Config, *, sheet: str = "", **kw) -> dict:
    """A file- or sheet-level row of quality.csv (region from the file's name); ``kw``:
    the other :class:`~bulletin.ledgers.findings.Finding` fields (params, variant …)."""
    region = N.find_region(source_file, cfg)
    return Finding(code=code, region=region, where=(source_file, sheet), quote=False, **kw).row()


def _problem(p: OpenProblem, cfg: Config) -> dict:
    return file_finding(
        p.code,
        p.source_file,
        cfg,
        sheet=p.sheet,
        source_row=p.row,
        field=f"{p.column}列" if p.column else "",
        value=p.value,
        params=p.params,
        variant=p.variant,
    )


def _failed(exc: BaseException) -> str:
    return short(f"{type(exc).__name__}: {exc}", 200)


def read_file(
    path: Path, snapshot_dir: Path, period: Period, cfg: Config, bounded: bool = False
) -> tuple[list, list, list]:
    """One file → (skipped sheets, findings of the file, sheet results). Never raises
    for what the file holds: an exception while reading it, or normalising one of its
    sheets, is an error finding naming the file (and sheet). ``bounded``: see
    :func:`bulletin.read.workbook.read_workbook`."""
    rel = strip_controls(path.relative_to(snapshot_dir).as_posix())
    try:
        wb = read_workbook(path, snapshot_dir, cfg, bounded)
    except (KeyboardInterrupt, SystemExit, AccountingError):
        raise
    except MemoryError:
        variant, params = resources_message(ResourceLimit("memory"), Limits.of(cfg))
        return [], [file_finding("file.resources", rel, cfg, variant=variant, params=params)], []
    except BaseException as exc:  # noqa: BLE001 - one file never stops the month
        log.warning("reading %s failed", rel, exc_info=exc)
        return [], [file_finding("file.failed", rel, cfg, params={"error": _failed(exc)})], []
    findings = [_problem(p, cfg) for p in wb.problems]
    results = []
    for grid in wb.grids:
        try:
            results.extend(read_sheet(grid, period, cfg))
        except (KeyboardInterrupt, SystemExit, AccountingError):
            raise
        except BaseException as exc:  # noqa: BLE001 - one sheet never stops the file
            log.warning("reading %s/%s failed", rel, grid.sheet, exc_info=exc)
            found = file_finding(
                "sheet.failed", grid.source_file, cfg, sheet=grid.sheet, params={"error": _failed(exc)}
            )
            findings.append(found)
    return wb.skipped, findings, results


def read_file_bounded(path: Path, snapshot_dir: Path, period: Period, cfg: Config) -> tuple[list, list, list]:
    """:func:`read_file` in a worker process of the pool, under a memory limit: a
    reader that needs more fails there (a Rust reader aborts the worker, whose files
    are then read one by one in bounded children), never in the run's process. The
    cyclic collector is paused while the file is read (:mod:`bulletin.collector`: ~3%
    of the workers' CPU); not in the run's process, where the records pile up and the
    one traversal of them all when the collector is back (~0.04 s per 200k rows) would
    come after the pool, in series."""
    quiet_stderr()
    with memory_bound(Limits.of(cfg)) as bounded, collector.paused():
        return read_file(path, snapshot_dir, period, cfg, bounded)


# the run's (snapshot folder, period, configuration, the pool's files, their states),
# given once to each process of the reading pool by its initializer (inherited when the
# process is forked) rather than pickled and sent with each of the snapshot's files
_POOL_RUN: tuple | None = None
# a file's state in the pool's shared array: not started yet, being read, read
QUEUED, READING, READ = 0, 1, 2


def _pool_setup(snapshot_dir: Path, period: Period, cfg: Config, files: list[Path], states) -> None:
    global _POOL_RUN
    _POOL_RUN = (snapshot_dir, period, cfg, files, states)


def _read_in_pool(i: int) -> tuple[list, list, list]:
    """The pool's file ``i``, its state kept in the shared array (so that when this
    process dies, the run knows which files were being read)."""
    snapshot_dir, period, cfg, files, states = _POOL_RUN
    states[i] = READING
    result = read_file_bounded(files[i], snapshot_dir, period, cfg)
    states[i] = READ
    return result


def _workers(files: list[Path], workers: int | None) -> int:
    """Processes to read with: as asked, else all cores for a large snapshot (8 or more
    files, over 1 MB), else 1 — a pool costs more than it saves on a small one."""
    if workers:
        return max(1, min(workers, len(files)))
    size = sum(p.stat().st_size for p in files)
    if len(files) >= 8 and size > 2**20:
        return min(os.cpu_count() or 1, len(files))
    return 1


def _read_all(files, snapshot_dir, period, cfg, workers):
    """(path, result) for every file, in file order; in parallel processes for a large
    snapshot (:func:`_pooled`)."""
    n = _workers(files, workers)
    if n <= 1:
        for path in files:
            yield path, read_file(path, snapshot_dir, period, cfg)
        return
    pooled = _pooled(files, n, snapshot_dir, period, cfg)
    next(pooled)  # submitted
    yield from pooled


def _pooled(files, n, snapshot_dir, period, cfg):
    """(path, result) for every file, in file order, read by a pool of ``n`` processes
    (first ``None``, once every file is submitted: the pool reads while the caller
    does something else). A reading process that dies (a reader that went over the
    memory limit aborts it) breaks the pool: the files then being read — the one that
    killed it among them — are read one by one in bounded children while a new pool
    reads the files left; their results come in file order once all are read."""
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    states = ctx.Array("b", len(files), lock=False)
    done, submitted = 0, False
    try:
        with ProcessPoolExecutor(
            n, mp_context=ctx, initializer=_pool_setup, initargs=(snapshot_dir, period, cfg, files, states)
        ) as pool:
            results = pool.map(_read_in_pool, range(len(files)), chunksize=1)
            submitted = True
            yield None
            for result in results:
                yield files[done], result
                done += 1
        return
    except BrokenProcessPool:
        if not submitted:  # broken while the files were being submitted
            yield None
    left = range(done, len(files))
    suspects = {i for i in left if states[i] == READING} or set(left)  # (none: the pool died otherwise)
    others = [i for i in left if i not in suspects]
    log.warning(
        "a reading process died; %d files being read then are read one by one, %d left by a new pool",
        len(suspects),
        len(others),
    )
    again = _pooled([files[i] for i in others], min(n, len(others)), snapshot_dir, period, cfg) if others else None
    if again is not None:
        next(again)
    found = {i: _read_alone(files[i], snapshot_dir, period, cfg) for i in sorted(suspects)}
    if again is not None:
        found.update(zip(others, (result for _, result in again)))
    for i in left:
        yield files[i], found[i]


def _read_alone(path: Path, snapshot_dir: Path, period: Period, cfg: Config) -> tuple[list, list, list]:
    """One file read in a bounded child process: a resource limit it reaches is a
    finding for the file."""
    lim = Limits.of(cfg)
    try:
        return run_bounded(read_file, (path, snapshot_dir, period, cfg, True), lim)
    except ResourceLimit as exc:
        rel = strip_controls(path.relative_to(snapshot_dir).as_posix())
        variant, params = resources_message(exc, lim)
        return [], [file_finding("file.resources", rel, cfg, variant=variant, params=params)], []


def _previous_files(snapshot_dir: Path, period: Period) -> tuple[Path | None, list[Path]]:
    previous = period.previous
    folder = snapshot_dir.parent / previous if previous else None
    if folder is None or not folder.is_dir():
        return None, []
    return folder, discover(folder)[0]


def _facts(result: SheetResult, modified: float) -> SheetFacts:
    acc = result.accounting
    return SheetFacts(
        acc["source_file"],
        acc["source_sheet"],
        result.ledger,
        title=result.title,
        title_region=result.title_region,
        region_source=result.region_source,
        modified=modified,
    )


def read_snapshot(
    snapshot_dir: Path, period: str | Period, cfg: Config, progress=None, workers: int | None = None
) -> Snapshot:
    """Read every file of ``snapshot_dir`` (a ``<raw>/<YYYY-MM>`` folder), in parallel
    processes for a large snapshot; results are merged in file order, so the outcome
    does not depend on the number of workers."""
    period = Period.parse(period)
    snapshot_dir = Path(snapshot_dir)
    snap = Snapshot()
    files, skipped = discover(snapshot_dir)
    snap.skipped.extend(skipped)
    copies = identical_files(files, snapshot_dir, cfg)
    for copy, original in copies.items():
        rel = strip_controls(copy.relative_to(snapshot_dir).as_posix())
        orig = strip_controls(original.relative_to(snapshot_dir).as_posix())
        snap.skipped.append(Skipped(rel, "", f"与“{orig}”内容完全相同（重复的副本），只读取一次"))
        snap.findings.append(file_finding("file.duplicate_copy", rel, cfg, params={"original": orig}))
    files = [p for p in files if p not in copies]
    previous_dir, previous = _previous_files(snapshot_dir, period)
    resent = same_as_previous(files, previous, previous_dir) if previous else {}
    clear_caches()
    facts: list[SheetFacts] = []  # every table read, for the checks across files
    for path, (sheets_skipped, problems, sheets) in _read_all(files, snapshot_dir, period, cfg, workers):
        if progress:
            progress(path)
        snap.skipped.extend(sheets_skipped)
        snap.findings.extend(problems)
        ledgers = set()
        modified = path.stat().st_mtime if sheets else 0.0
        for result in sheets:
            if not isinstance(result, SheetResult):
                snap.skipped.append(result)
                continue
            ledgers.add(result.ledger)
            facts.append(_facts(result, modified))
            snap.records[result.ledger].extend(result.records)
            snap.findings.extend(result.findings)
            snap.accounting.append(result.accounting)
            snap.explain.extend(result.explain)
        if path in resent and ledgers - {"targets"}:  # the year's targets are re-sent as they are
            rel = strip_controls(path.relative_to(snapshot_dir).as_posix())
            params = {"previous": period.previous, "file": resent[path]}
            snap.findings.append(file_finding("file.same_as_last_month", rel, cfg, params=params))
    resent_rel = {strip_controls(p.relative_to(snapshot_dir).as_posix()) for p in resent}
    across_files(snap, facts, period, cfg, resent=resent_rel)  # SPEC §11.7-11.9
    dedupe_records(snap, cfg)
    cross_checks(snap, cfg)
    route_findings(snap, cfg)  # every finding reaches a county (or the city)
    log.info(
        "read %d files: %s records, %d findings",
        len(files),
        {k: len(v) for k, v in snap.records.items()},
        len(snap.findings),
    )
    return snap


def to_tables(snap: Snapshot, cfg: Config) -> dict[str, pd.DataFrame]:
    """Processed tables as DataFrames with the columns of docs/ARCHITECTURE.md, the
    submission register (``submissions``, :mod:`bulletin.ledgers.register`) included."""
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
    tables["submissions"] = pd.DataFrame(register(snap, cfg), columns=SUBMISSION_COLUMNS)
    return tables
