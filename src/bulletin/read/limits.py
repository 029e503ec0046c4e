"""Bounds on what one file may cost, checked BEFORE anything is materialised (issue 10:
no single file stops the month).

* Zip containers (xlsx, xlsm, ods): the ratio of each entry and the total unpacked
  size, from the central directory.
* xlsx/xlsm sheets: one streaming pass over each sheet's XML finds how far its cells
  with content reach (python-calamine allocates every cell from A1 to the last one:
  one value in ``XFD1048576`` would be 17 billion cells) and how many merged ranges
  and shared-string cells it holds; the same pass finds the cells whose formulas were
  saved without their result (:attr:`bulletin.read.grid.Grid.unreadable`).
* Formats whose reader cannot be bounded that way (binary ``.xls``/WPS ``.et``, ODS,
  a workbook whose XML the scan cannot follow) are read by :func:`run_bounded` in a
  forked child process with an address-space limit and a time limit: a reader that
  runs out of either kills only the child, and the file becomes a finding.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.config import Config
from bulletin.errors import BulletinError

log = logging.getLogger(__name__)

MB = 2**20


@dataclass(frozen=True)
class Limits:
    """The ``limits`` section of rules.yaml, with defaults for a user file that lacks
    a key."""

    max_rows: int = 200_000
    max_cols: int = 200
    max_cells: int = 10_000_000
    max_merged: int = 100_000
    max_file_mb: float = 100
    max_unpacked_mb: float = 400
    max_zip_ratio: float = 200
    max_html_mb: float = 30
    max_text_mb: float = 512
    memory_mb: float = 768
    seconds: float = 45

    @classmethod
    def of(cls, cfg: Config) -> Limits:
        raw = cfg.rules.get("limits", {})
        names = {
            "max_rows": "max_rows",
            "max_cols": "max_cols",
            "max_cells": "max_cells",
            "max_merged": "max_merged_ranges",
            "max_file_mb": "max_file_mb",
            "max_unpacked_mb": "max_unpacked_mb",
            "max_zip_ratio": "max_zip_ratio",
            "max_html_mb": "max_html_mb",
            "max_text_mb": "max_text_mb",
            "memory_mb": "read_memory_mb",
            "seconds": "read_seconds",
        }
        return cls(**{k: raw[v] for k, v in names.items() if v in raw})


# --------------------------------------------------------------------------- zip
def zip_problem(path: Path, lim: Limits) -> tuple[str, str, dict] | None:
    """(finding code, its variant, its message's values) when a zip container must not
    be opened."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10 * MB and ratio > lim.max_zip_ratio:
                    return "file.zip_bomb", "", {"ratio": f"{ratio:.0f}"}
            if total > lim.max_unpacked_mb * MB:
                return (
                    "file.too_large",
                    "unpacked",
                    {"size_mb": f"{total / MB:.0f}", "limit_mb": f"{lim.max_unpacked_mb:.0f}"},
                )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "file.corrupt", "zip", {}
    return None


# --------------------------------------------------------------------------- xlsx scan
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHARED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

# One pass over each window of the sheet XML, with literal-prefix searches only (the
# regex engine skips ahead to ``r="``; an alternation would visit every byte):
# a formula or an error value (cells that may read as empty) and a reference beyond
# column Z or row 99,999 (then the cheap bound no longer holds: count exactly).
_BIG = re.compile(rb"r=\"(?:[A-Za-z]{2}|[A-Za-z]*\d{6})")  # calamine takes lower-case ones too
# In a thorough scan (reading in the run's own process), also a cell or row without its
# position (``r``), which a reader places after the previous one and no byte scan can
# bound, or written any other way (attributes in another order or quoted with ', a
# namespace prefix): such a file is read in a bounded child. Reading in a bounded
# worker process, the worker's memory limit covers them and the scan is not needed.
# (three patterns with a literal prefix each: one alternation would be 3x slower)
_UNPLACED = (
    re.compile(rb"<c(?:[>/]|\s(?!r=\"))"),
    re.compile(rb"<row(?:[>/]|\s(?!r=\"))"),
    re.compile(rb":(?:c|row)[\s>/]"),
)
# every placed cell: column letters, row number, and (group 3) the rest of a cell that
# is certainly empty — a styled cell (``<c r="AD1000000" s="1"/>`` or ``…></c>``) holds
# nothing and is never built; anything else, odd attributes included, counts
_PLACED = re.compile(rb"\sr=\"([A-Za-z]+)(\d+)\"([^>]*/>|[^>]*>\s*</(?:\w+:)?c>)?")
# the end of a formula, "</f>" or "</x:f>" (and "<f>"): one scan for any namespace prefix
# (the pattern's literal search skips ahead to each "f", rare in a sheet's XML; ~40%
# cheaper than the two literal searches it replaces). Any other "f>" only costs the
# cell scan that finds nothing.
_FORMULA = re.compile(rb"f>")
CHEAP_ROWS, CHEAP_COLS = 99_999, 26  # what a sheet without a _BIG reference can reach
_WINDOW, _TAIL = 2**22, 64


@dataclass
class SheetScan:
    """What one sheet's XML holds, before any reader builds its cells."""

    rows: int = 0  # the last row with content, or a bound on it
    cols: int = 0  # the last column with content, or a bound on it
    merged: int = 0  # merged ranges
    placed: bool = True  # every cell and row carries its position
    string_cells: int = 0  # a bound on the cells holding a shared string
    unreadable: dict = field(default_factory=dict)
    hidden_rows: set = field(default_factory=set)  # 0-based rows hidden or filtered out (SPEC §11.5)
    struck: set = field(default_factory=set)  # (row, col) of cells in a struck-through font

    @property
    def cells(self) -> int:
        return self.rows * self.cols


@dataclass
class XlsxScan:
    sheets: dict[str, SheetScan]  # worksheet name → scan
    members: dict[str, str]  # worksheet name → its XML part
    text_bytes: int  # a bound on the shared-string text the cells repeat, all sheets
    date1904: bool = False  # the workbook's 1904 date system (SPEC §11.4)

    @property
    def placed(self) -> bool:
        return all(s.placed for s in self.sheets.values())


def _chunks(zf: zipfile.ZipFile, member: str):
    with zf.open(member) as fh:
        yield from iter(lambda: fh.read(_WINDOW), b"")


def _windows(zf: zipfile.ZipFile, member: str):
    """The member's bytes in windows of 4 MB that overlap by a few bytes (a tag cut by
    one window is whole in the next)."""
    tail = b""
    for chunk in _chunks(zf, member):
        yield tail + chunk
        tail = chunk[-_TAIL:]


def _longest_string(zf: zipfile.ZipFile, member: str) -> int:
    """Bytes of the longest ``<si>`` element of the shared strings (streamed)."""
    longest = carry = 0
    for chunk in _chunks(zf, member):
        parts = chunk.split(b"</si>")
        if len(parts) == 1:
            carry += len(chunk)
            continue
        longest = max(longest, carry + len(parts[0]), max(map(len, parts[1:-1]), default=0))
        carry = len(parts[-1])
    return max(longest, carry)


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in (letters if isinstance(letters, str) else letters.decode()).upper():
        n = n * 26 + ord(ch) - 64
    return n


def _scan_sheet(zf: zipfile.ZipFile, member: str, lim: Limits, thorough: bool, struck=None) -> SheetScan:
    """``struck``: a pattern of the style indices whose font is struck through, or None."""
    scan = SheetScan()
    formula, big, merges = False, False, False
    for window in _windows(zf, member):
        if not formula:  # a shared formula's "<f …/>" cells come with their master's "…</f>"
            # (any namespace prefix: "</x:f>"); an error value; a hidden row; a cell in a
            # struck-through style
            formula = _FORMULA.search(window) is not None or b't="e"' in window or b'hidden="' in window
            formula = formula or (struck is not None and struck.search(window) is not None)
        if not big:
            big = _BIG.search(window) is not None
        if not thorough:
            continue
        for pattern in _UNPLACED:
            m = pattern.search(window)
            if m is not None and len(window) - m.start() > _TAIL // 2:  # else cut: the next window has it
                scan.placed = False
                return scan
        at = 0 if merges else window.find(b"</sheetData>")
        if at >= 0:
            merges = True
            scan.merged += window.count(b"<mergeCell ", at)
    info = zf.getinfo(member)
    scan.string_cells = info.file_size // 20  # a shared-string cell takes 20 bytes at least
    if big or CHEAP_ROWS * CHEAP_COLS > lim.max_cells:
        rows, cols = 0, set()
        for window in _windows(zf, member):
            found = [(c, r) for c, r, empty in _PLACED.findall(window) if not empty]
            if found:
                rows = max(rows, max(map(int, (r for _, r in found))))
                cols.update(c for c, _ in found)
        scan.rows, scan.cols = rows, max(map(_col_number, cols), default=0)
    else:
        scan.rows, scan.cols = CHEAP_ROWS, CHEAP_COLS
    if formula:
        scan.unreadable, scan.hidden_rows, scan.struck = _cell_marks(zf, member, struck)
    return scan


def scan_xlsx(path: Path, lim: Limits, thorough: bool = True) -> XlsxScan | None:
    """The scan of every worksheet, or None when the package cannot be followed (then
    the file is read in a bounded child). Always: how far the cells reach, and the
    cells whose formula has no saved value, and the shared-string text the cells would
    copy. ``thorough`` (reading in the run's own process): also cells without a
    position (:data:`_UNPLACED`) and the merged ranges; reading in a bounded worker
    process, the worker's memory limit covers those."""
    from defusedxml import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            book = ET.fromstring(zf.read("xl/workbook.xml"))
            rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            targets, shared = {}, None
            for r in rels.iter(f"{_NS_PKG}Relationship"):
                target = r.get("Target", "")
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[r.get("Id")] = member
                if r.get("Type") == _SHARED:
                    shared = member
            sheets, members = {}, {}
            struck = _struck_styles(zf, "xl/styles.xml" if "xl/styles.xml" in names else None)
            pr = book.find(f"{_NS_MAIN}workbookPr")
            date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
            for sheet in book.iter(f"{_NS_MAIN}sheet"):
                member = targets.get(sheet.get(f"{_NS_REL}id"), "")
                if member not in names:
                    continue  # a broken target: calamine reports it
                name = sheet.get("name")
                members[name] = member
                sheets[name] = _scan_sheet(zf, member, lim, thorough, struck)
            text = 0
            if shared in names and all(s.placed for s in sheets.values()):
                # every shared-string cell becomes a copy of its string: the cells that
                # may hold one times the longest string, counted closer when needed (in
                # a bounded worker too: sizes from the zip's directory, nothing read
                # unless the bound is over the limit — a worker that ran out of memory
                # would break the reading pool)
                budget = lim.max_text_mb * MB
                longest = zf.getinfo(shared).file_size
                cells = sum(s.string_cells for s in sheets.values())
                if cells * longest > budget:
                    longest = _longest_string(zf, shared)
                if cells * longest > budget:
                    for name, s in sheets.items():
                        s.string_cells = sum(w.count(b't="s"') for w in _chunks(zf, members[name]))
                    cells = sum(s.string_cells for s in sheets.values())
                text = cells * longest
    except Exception as exc:  # noqa: BLE001 - whatever the scan cannot follow is read bounded
        log.info("cannot scan %s: %s", path, exc)
        return None
    return XlsxScan(sheets, members, text, date1904)


def _cell_ref(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters) :]) - 1, _col_number(letters) - 1


def _struck_styles(zf: zipfile.ZipFile, member: str | None):
    """A pattern of the ``s="…"`` attributes whose cell style uses a struck-through font,
    or None (no such style)."""
    from defusedxml import ElementTree as ET

    if member is None:
        return None
    try:
        data = zf.read(member)
        if b"strike" not in data:
            return None  # no struck-through font: nothing to parse
        styles = ET.fromstring(data)
        fonts = styles.find(f"{_NS_MAIN}fonts")
        xfs = styles.find(f"{_NS_MAIN}cellXfs")
        if fonts is None or xfs is None:
            return None
        struck = set()
        for k, font in enumerate(fonts.findall(f"{_NS_MAIN}font")):
            strike = font.find(f"{_NS_MAIN}strike")
            if strike is not None and strike.get("val", "1").lower() not in ("0", "false"):
                struck.add(str(k))
        indices = [str(k) for k, xf in enumerate(xfs.findall(f"{_NS_MAIN}xf")) if xf.get("fontId") in struck]
    except Exception as exc:  # noqa: BLE001 - a best-effort check
        log.info("style scan failed: %s", exc)
        return None
    return re.compile(rb'\ss="(?:' + "|".join(indices).encode() + rb')"') if indices else None


def _cell_marks(zf: zipfile.ZipFile, member: str, struck=None) -> tuple[dict, set, set]:
    """What calamine does not tell about a sheet's cells, whatever the XML's namespace
    prefix (``x:c``): cells that read as empty but are not — formulas saved without
    their result (openpyxl and some web exports write them so) as ``=formula``, error
    results (``#DIV/0!``); the rows hidden or filtered out; the cells whose style is
    struck through (``struck``: a pattern of those styles' ``s`` attributes). Best
    effort: a failure here is never a reason not to read."""
    from defusedxml import ElementTree as ET

    found, hidden, struck_cells = {}, set(), set()
    cell, row, f_tag, v_tag, is_tag = (f"{_NS_MAIN}{t}" for t in ("c", "row", "f", "v", "is"))
    try:
        with zf.open(member) as fh:
            for _, el in ET.iterparse(fh):
                if el.tag == row:
                    if el.get("hidden", "").lower() in ("1", "true") and (r := el.get("r", "")).isdigit():
                        hidden.add(int(r) - 1)
                    el.clear()
                    continue
                if el.tag != cell or not el.get("r"):
                    continue
                f, v = el.find(f_tag), el.find(v_tag)
                value = v.text if v is not None and v.text else ""
                if el.get("t") == "e" and value:
                    found[_cell_ref(el.get("r"))] = value
                elif f is not None and not value and el.find(is_tag) is None:
                    found[_cell_ref(el.get("r"))] = "=" + (f.text or "")
                if struck is not None and struck.match(b' s="' + el.get("s", "").encode() + b'"'):
                    struck_cells.add(_cell_ref(el.get("r")))
                el.clear()
    except Exception as exc:  # noqa: BLE001 - a best-effort check
        log.info("cell scan of %s failed: %s", member, exc)
    return found, hidden, struck_cells


# --------------------------------------------------------------------------- bounded child
class ResourceLimit(BulletinError):
    """A bounded reader ran out of memory or time, or died."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind = kind  # "memory", "time", "crash", "error"
        self.detail = detail


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def quiet_stderr() -> None:
    """Send this process's standard error to the null device: a reader refused memory
    writes its own report there (a Rust backtrace), which is not for the office; so
    would a fault handler inherited from the parent."""
    import faulthandler

    faulthandler.disable()
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)
        os.close(quiet)
    except OSError:
        pass


def _bounded_child(conn, fn, args, memory: int) -> None:
    quiet_stderr()
    try:
        import resource

        if memory:
            limit = _address_space() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    try:
        result = (True, fn(*args))
    except MemoryError:
        result = (False, ("memory", ""))
    except BaseException as exc:  # noqa: BLE001 - the child reports whatever happened
        result = (False, ("error", f"{type(exc).__name__}: {exc}"[:500]))
    try:
        conn.send(result)
    except MemoryError:
        conn.send((False, ("memory", "")))
    finally:
        conn.close()


def can_bound() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def memory_bound(lim: Limits):
    """Within the block, this process may allocate at most ``lim.memory_mb`` more
    address space (a soft limit, restored after): for reading in a worker process of
    the run, never in the run's own process (a reader that hits the limit may abort
    the process). Yields whether a limit was set."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        now = _address_space()
        limit = now + int(lim.memory_mb * MB)
        if not now or (hard != resource.RLIM_INFINITY and limit > hard):
            raise ValueError("no room for a limit")
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        yield False
        return
    try:
        yield True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_bounded(fn, args: tuple, lim: Limits):
    """``fn(*args)`` in a forked child process allowed ``lim.memory_mb`` more address
    space and ``lim.seconds`` of time; its result, or :class:`ResourceLimit`. Where
    processes cannot be forked (Windows), ``fn`` runs here, unbounded."""
    if not can_bound():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    # not a daemon: the child may read a file in a bounded child of its own
    proc = ctx.Process(target=_bounded_child, args=(send, fn, args, int(lim.memory_mb * MB)))
    proc.start()
    send.close()
    try:
        if not receive.poll(lim.seconds):
            raise ResourceLimit("time")
        try:
            ok, payload = receive.recv()
        except (EOFError, OSError):
            proc.join(5)
            code = proc.exitcode
            # an allocation refused under the limit aborts a Rust reader (SIGABRT) or
            # gets the child killed; either way the file needed more than allowed
            raise ResourceLimit("memory" if code in (-6, -9, 134, 137) else "crash", f"exit {code}") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if ok:
        return payload
    raise ResourceLimit(*payload)


def resources_message(exc: ResourceLimit, lim: Limits) -> tuple[str, dict]:
    """The variant and values of the ``file.resources`` finding for a file a bounded
    reader could not finish."""
    if exc.kind == "time":
        return "time", {"seconds": f"{lim.seconds:.0f}"}
    if exc.kind == "memory":
        return "memory", {"memory_mb": f"{lim.memory_mb:.0f}"}
    return "", {}
