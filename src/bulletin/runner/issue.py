"""Issued is issued (SPEC §13): ``pipeline.py issue`` freezes a period's bulletin into
``<reports>/<period>/issued/<n>/``; runs carry the frozen copies (and the editions they
set aside in ``superseded/``) into every new reports folder, byte for byte.

How the archives survive a run. A run stages a whole new ``reports/<period>/`` and swaps
it in (:mod:`bulletin.runner.swap`). Just before the swap, :func:`carry_archives`
*hard-links* every file of ``issued/`` and ``superseded/`` of the folder in place into
the staged folder: the same files (same inode, same bytes, same read-only mode) under a
second name. A run killed before the swap leaves the old folder with its archives
untouched (the staging folder is deleted, which only removes the second names); after
the swap the old folder's names go, the files stay. Where the file system refuses hard
links the files are copied and their hashes checked.

Also here: the reference a run writes into its processed folder (``issued_reference.json``:
the latest issue of the period and of the previous month, for the 修订说明 and 环比), the
check of the issued copies for ``verify``, and the editions a run no longer keeps, moved
to ``superseded/<time>/`` instead of being deleted.

Deliberately light (no pandas): the runner imports it.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from bulletin import paths
from bulletin.contract import ISSUED_REFERENCE, Period
from bulletin.errors import UsageError
from bulletin.files import fsync_dir, sha256, write_json
from bulletin.paths import resolve_dir
from bulletin.runner.editions import all_editions, describe, files_of
from bulletin.runner.provenance import MANIFEST

ISSUED = "issued"
SUPERSEDED = "superseded"
ARCHIVES = (ISSUED, SUPERSEDED)
RECORD = "issue.json"  # in issued/<n>/
SKIP = {"notebooks", *ARCHIVES}  # folders of reports/<period>/ an issue does not freeze
FROZEN_DATA = ("indicators.csv", "breakdowns.csv")  # from <processed>/<period>/


@dataclass
class Issued:
    number: int
    folder: Path
    files: int
    record: dict


def is_archived(rel: str) -> bool:
    """Whether a path relative to ``reports/<period>/`` lies in issued/ or superseded/
    (not an output of the run that made the folder)."""
    return rel.split("/", 1)[0] in ARCHIVES


def numbers(reports_period: Path) -> list[int]:
    """The issue numbers present under ``reports/<period>/issued/``, ascending."""
    folder = reports_period / ISSUED
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def latest(reports_period: Path, number: int | None = None) -> Path | None:
    """``issued/<n>/`` (``number``; default the latest), None when there is none."""
    have = numbers(reports_period)
    if number is None:
        return reports_period / ISSUED / str(have[-1]) if have else None
    return reports_period / ISSUED / str(number) if number in have else None


def read_record(folder: Path) -> dict:
    """``issue.json`` of an issued folder ({} when missing or unreadable)."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --------------------------------------------------------------------------- issue
def _frozen_sources(period: str, reports_period: Path, processed_period: Path) -> list[tuple[str, Path]]:
    """(name in the issued folder, source) of every file an issue freezes."""
    out = []
    for p in sorted(reports_period.rglob("*")):
        rel = p.relative_to(reports_period)
        if rel.parts[0] in SKIP or any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        out.append((rel.as_posix(), p))
    for name in FROZEN_DATA:
        if (processed_period / name).is_file():
            out.append((name, processed_period / name))
    return out


def _check_outputs(period: str, man: dict, sources: list[tuple[str, Path]]) -> None:
    """Every frozen file that the run recorded must still be what the run wrote."""
    recorded = {o["path"]: o["sha256"] for o in man.get("outputs", []) if isinstance(o, dict)}
    changed = []
    for name, src in sources:
        key = f"processed/{name}" if name in FROZEN_DATA else f"reports/{name}"
        if key in recorded and sha256(src) != recorded[key]:
            changed.append(name)
    if changed:
        raise UsageError(
            f"{period} 的通报文件在运行后被改动过（{'、'.join(changed[:5])}），不能印发；"
            f"请重新运行 pipeline.py run --period {period} --force，审核后再印发"
        )


def issue(
    period: str,
    reports_dir: Path | None = None,
    processed_dir: Path | None = None,
    lock_timeout: float = 0,
) -> Issued:
    """Freeze the current bulletin of ``period`` into ``issued/<n+1>/`` (see module doc).
    A usage error (Chinese) when there is no bulletin, when it was changed after its
    run, or when that very run is already the latest issue."""
    from bulletin.runner.lock import period_lock
    from bulletin.runner.params import validate_period
    from bulletin.runner.swap import recover

    validate_period(period)
    processed_dir = resolve_dir(processed_dir, paths.PROCESSED_DIR).resolve()
    reports_dir = resolve_dir(reports_dir, paths.REPORTS_DIR).resolve()
    here, data = reports_dir / period, processed_dir / period
    if not (here / MANIFEST).is_file() or not (data / "indicators.csv").is_file():
        raise UsageError(f"找不到 {period} 的通报（{here / MANIFEST}）：请先运行 pipeline.py run --period {period}")
    with period_lock(period, processed_dir, reports_dir, lock_timeout, purpose="印发"):
        recover(period, processed_dir, reports_dir)
        man = json.loads((here / MANIFEST).read_text(encoding="utf-8"))
        manifest_hash = sha256(here / MANIFEST)
        last = latest(here)
        if last is not None and read_record(last).get("source", {}).get("manifest_sha256") == manifest_hash:
            raise UsageError(f"{period} 的这一版通报已经印发过（{last}）；台账或配置改动并重新运行后，才能再次印发")
        sources = _frozen_sources(period, here, data)
        _check_outputs(period, man, sources)
        n = (numbers(here) or [0])[-1] + 1
        final = here / ISSUED / str(n)
        tmp = here / ISSUED / f".{n}.tmp-{secrets.token_hex(4)}"
        tmp.mkdir(parents=True)
        try:
            files = []
            for name, src in sources:
                dst = tmp / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
                files.append({"path": name, "sha256": sha256(dst)})
            record = {
                "period": period,
                "number": n,
                "issued_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "issued_by": getpass.getuser(),
                "source": {
                    "run_time": man.get("run_time"),
                    "code_version": man.get("code_version"),
                    "manifest_sha256": manifest_hash,
                    "inputs": [{"path": i.get("path"), "sha256": i.get("sha256")} for i in man.get("inputs", [])],
                },
                "files": files,
            }
            write_json(tmp / RECORD, record)
            _read_only(tmp)
            os.rename(tmp, final)  # the issue appears whole or not at all
            fsync_dir(final.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Issued(n, final, len(files), record)


def _read_only(folder: Path) -> None:
    """chmod a-w on every file (folders stay writable, so that a run's swap can remove
    the old folder's names of these files)."""
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            mode = stat.S_IMODE(p.stat().st_mode)
            os.chmod(p, mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# --------------------------------------------------------------------------- carried by each run
def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # no hard links here (another file system, a FAT stick): a checked copy
        shutil.copy2(src, dst)
        if sha256(src) != sha256(dst):
            raise OSError(f"copy of {src} differs from the original") from None


def carry_archives(previous: Path, staged: Path) -> list[str]:
    """Into the staged reports folder ``staged``: the archives (``issued/``,
    ``superseded/``) of ``previous`` (the folder in place), as hard links; and every
    edition file of ``previous`` that the staged folder does not have (an edition this
    run neither made nor kept), moved to ``superseded/<time>/`` rather than deleted.
    Returns what was set aside, in Chinese (empty when nothing)."""
    if not previous.is_dir():
        return []
    for name in ARCHIVES:
        root = previous / name
        for p in sorted(root.rglob("*")) if root.is_dir() else []:
            rel = p.relative_to(previous)
            if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                _link(p, staged / rel)
    stale: dict[str, list[Path]] = {}
    for edition, _lang, _regions in all_editions():
        for rel in files_of(edition, previous):
            if not (staged / rel).exists():
                stale.setdefault(edition, []).append(rel)
    if not stale:
        return []
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = staged / SUPERSEDED / stamp
    k = 1
    while target.exists() or (previous / SUPERSEDED / target.name).exists():
        k += 1
        target = staged / SUPERSEDED / f"{stamp}-{k}"
    for rels in stale.values():
        for rel in rels:
            _link(previous / rel, target / rel)
    if (previous / MANIFEST).is_file():
        _link(previous / MANIFEST, target / MANIFEST)  # which run made them
    return [
        f"台账、配置或代码已变化，以下旧版本不再与新结果并列，已移到 {SUPERSEDED}/{target.name}/（未删除）："
        f"{describe(sorted(stale))}"
    ]


# --------------------------------------------------------------------------- the reference of a run
def _indicator_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [[r["region"], r["indicator"], r["value"]] for r in csv.DictReader(fh)]


def _reference_of(reports_period: Path) -> dict | None:
    folder = latest(reports_period)
    if folder is None or not (folder / "indicators.csv").is_file():
        return None
    record = read_record(folder)
    return {
        "number": int(folder.name),
        "issued_at": record.get("issued_at"),
        "inputs": (record.get("source") or {}).get("inputs") or [],
        "indicators": _indicator_rows(folder / "indicators.csv"),
    }


def write_reference(period: str, reports_dir: Path, out_processed: Path) -> None:
    """``issued_reference.json`` in the staged processed folder: the latest issue of
    ``period`` (its figures and input hashes: the 修订说明) and of the previous month
    (its figures: 环比 as issued); ``null`` where there is none."""
    previous = Period.parse(period).previous
    write_json(
        out_processed / ISSUED_REFERENCE,
        {
            "period": period,
            "this": _reference_of(reports_dir / period),
            "previous_period": previous,
            "previous": _reference_of(reports_dir / previous) if previous else None,
        },
    )


def comparison_key(period: str, reports_dir: Path) -> str:
    """What the bulletin's key must change with: the previous month's latest issue
    (a new issue there changes this month's 环比)."""
    previous = Period.parse(period).previous
    folder = latest(reports_dir / previous) if previous else None
    if folder is None or not (folder / RECORD).is_file():
        return ""
    return f":issued:{previous}:{folder.name}:{sha256(folder / RECORD)}"


# --------------------------------------------------------------------------- verify
def verify_issued(reports_period: Path) -> tuple[int, list[str]]:
    """(files checked, problems in Chinese) of every ``issued/<n>/`` against its
    ``issue.json``: a changed, missing or added file is a problem."""
    checked, problems = 0, []
    for n in numbers(reports_period):
        folder = reports_period / ISSUED / str(n)
        record = read_record(folder)
        if not record.get("files"):
            problems.append(f"印发件 {ISSUED}/{n}/ 的记录 {RECORD} 缺失或已损坏")
            continue
        listed = {f["path"]: f["sha256"] for f in record["files"]}
        for rel, digest in listed.items():
            p = folder / rel
            checked += 1
            if not p.is_file():
                problems.append(f"印发件缺失：{ISSUED}/{n}/{rel}")
            elif sha256(p) != digest:
                problems.append(f"印发件已改动：{ISSUED}/{n}/{rel}（SHA-256 与印发记录不同）")
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder).as_posix()
            if p.is_file() and rel != RECORD and rel not in listed:
                problems.append(f"印发件中多出文件：{ISSUED}/{n}/{rel}")
    return checked, problems
