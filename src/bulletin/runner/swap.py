"""Staged outputs moved into place all or nothing: a journal of the folder moves, an
atomic exchange of each final folder (``renameat2(RENAME_EXCHANGE)`` on Linux), removal
of the journal as the commit point, and the roll-back a later run or ``verify`` does
after a run was killed half-way."""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from bulletin.files import fsync_dir, write_json

log = logging.getLogger(__name__)

PAUSE_ENV = "BULLETIN_TEST_PAUSE_AT"


def pause(point: str) -> None:
    """Test hook (see module docstring): stop here until killed (at most 10 minutes)."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"BULLETIN_TEST_PAUSED {point}", file=sys.stderr, flush=True)
        time.sleep(600)


_RENAME_EXCHANGE = 2


_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``).
    False when the system or file system cannot; then the caller renames in two steps."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _ident(path: Path) -> list[int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


def journal_path(processed_dir: Path, period: str) -> Path:
    return processed_dir / f".{period}.commit.json"


def _remove(path: Path) -> None:
    """Remove a folder. A visible (final) one is first renamed to a hidden trash name
    (one atomic step, so it is never seen half-deleted under its own name)."""
    if not os.path.lexists(path):
        return
    if not path.name.startswith("."):
        trash = path.with_name(f".{path.name}.trash-{secrets.token_hex(4)}")
        try:
            os.replace(path, trash)
            path = trash
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def _finals(period: str, processed_dir: Path, reports_dir: Path) -> list[Path]:
    """Every folder a commit of ``period`` can replace."""
    check = reports_dir / f"check-{period}"
    return [processed_dir / period, reports_dir / period, check / "data" / period, check / period / "quality"]


def commit(moves: list[tuple[Path, Path]], journal: Path, run_id: str) -> None:
    """Move each staged folder over its final folder, all or nothing (see module doc)."""
    entries = []
    for staged, final in moves:
        final.parent.mkdir(parents=True, exist_ok=True)
        entries.append(
            {
                "staged": str(staged),
                "final": str(final),
                "aside": str(final.with_name(f".{final.name}.old-{run_id}")),
                "new": _ident(staged),
                "old": _ident(final),
            }
        )
    write_json(journal, {"run": run_id, "moves": entries})
    try:
        for k, e in enumerate(entries):
            staged, final, aside = Path(e["staged"]), Path(e["final"]), Path(e["aside"])
            if e["old"] is None:
                os.replace(staged, final)
            elif not _exchange(staged, final):
                os.replace(final, aside)
                os.replace(staged, final)
            fsync_dir(final.parent)
            if k == 0:
                pause("commit")
        journal.unlink()  # the commit point
        fsync_dir(journal.parent)
    except BaseException:
        roll_back(journal)
        raise
    for e in entries:  # the old outputs, now unreferenced
        for p in (e["staged"], e["aside"]):
            _remove(Path(p))


def roll_back(journal: Path) -> bool:
    """Undo an unfinished commit described by ``journal``: every final folder gets its
    old contents back, the new ones are removed. True when something was restored."""
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        log.warning("unreadable commit journal %s: %s", journal, exc)
        journal.unlink(missing_ok=True)
        return False
    changed = False
    for e in reversed(data.get("moves", [])):
        final = Path(e["final"])
        places = [final, Path(e["staged"]), Path(e["aside"])]
        where = {tuple(_ident(p) or ()): p for p in places if os.path.lexists(p)}
        new_at = where.get(tuple(e.get("new") or ()))
        old_at = where.get(tuple(e.get("old") or ())) if e.get("old") else None
        if new_at == final:
            changed = True
            if old_at is not None and _exchange(old_at, final):  # old back in, atomically
                new_at, old_at = old_at, final
            else:
                _remove(final)
                new_at = None
        if old_at is not None and old_at != final:
            changed = True
            os.replace(old_at, final)
        if new_at is not None:
            _remove(new_at)
        fsync_dir(final.parent)
    journal.unlink(missing_ok=True)
    fsync_dir(journal.parent)
    return changed


def recover(period: str, processed_dir: Path, reports_dir: Path) -> list[str]:
    """Under the period's lock: roll back a commit a killed run left unfinished, put back
    a final folder left aside, and delete the staging folders of killed runs.
    Returns what was done, in Chinese (empty when there was nothing to do)."""
    done = []
    if roll_back(journal_path(processed_dir, period)):
        done.append("已撤销被中断的结果替换，恢复上次成功运行的输出")
    leftovers = []
    for final in _finals(period, processed_dir, reports_dir):
        if not final.parent.is_dir():
            continue
        asides = sorted(final.parent.glob(f".{final.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if asides and not final.exists():
            os.replace(asides.pop(), final)
            done.append(f"已恢复 {final}")
        leftovers += asides + list(final.parent.glob(f".{final.name}.trash-*"))
    leftovers += [p for folder in (processed_dir, reports_dir) for p in folder.glob(f".staging-{period}-*")]
    for p in leftovers:
        shutil.rmtree(p, ignore_errors=True)
    if leftovers:
        done.append(f"已清理被中断运行的临时文件夹 {len(leftovers)} 个")
    return done
