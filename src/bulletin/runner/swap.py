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
import re
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import UnsafePath
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


NOT_TOUCHED = "为安全起见，没有删除或移动任何文件。请核实该文件是否被改动过，删除它后再运行"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Folders:
    """The folders of a run whose journal is read: every path it names must lie in them."""

    period: str
    processed_dir: Path
    reports_dir: Path


def _through_link(path: Path, base: Path) -> Path | None:
    """The first link on the way from ``base`` (excluded) down to ``path``, or None."""
    at = base
    for part in path.relative_to(base).parts:
        at = at / part
        if at.is_symlink():
            return at
    return None


def _entry_problem(e: dict, run: str, folders: Folders) -> str:
    """Why one move of a journal is not one the pipeline writes ('' : it is)."""
    period, bases = folders.period, (folders.processed_dir, folders.reports_dir)
    if not all(isinstance(e.get(k), str) and os.path.isabs(e[k]) for k in ("staged", "final", "aside")):
        return "记录的路径不完整"
    final, staged, aside = (Path(os.path.normpath(e[k])) for k in ("final", "staged", "aside"))
    if final not in _finals(period, *bases):
        return f"{final} 不是 {period} 的输出文件夹"
    if aside != final.with_name(f".{final.name}.old-{run}"):
        return f"{aside} 不是预期的备份文件夹名称"
    base = next((b for b in bases if staged.is_relative_to(b)), None)
    parts = staged.relative_to(base).parts if base else ()
    if not (
        len(parts) in (2, 3)
        and parts[0].startswith(f".staging-{period}-")
        and _TOKEN.fullmatch(parts[0][len(f".staging-{period}-") :])
        and parts[1] == period
        and parts[2:] in ((), ("quality",))
    ):
        return f"{staged} 不是预期的临时文件夹"
    for path in (final, staged, aside):
        link = _through_link(path, next(b for b in bases if path.is_relative_to(b)))
        if link is not None:
            return f"{link} 是一个链接"
    return ""


def check_journal(data, folders: Folders, journal: Path) -> None:
    """A journal names only the folders a commit of this period moves (inside the
    processed and reports folders, the expected staging/final/aside names, no link on
    the way), else UnsafePath (exit 3) and nothing is touched."""
    run = data.get("run") if isinstance(data, dict) else None
    moves = data.get("moves") if isinstance(data, dict) else None
    if not isinstance(run, str) or not _TOKEN.fullmatch(run) or not isinstance(moves, list):
        raise UnsafePath(f"提交记录 {journal} 的内容不是本程序写的格式，{NOT_TOUCHED}", file=journal)
    for e in moves:
        why = _entry_problem(e, run, folders) if isinstance(e, dict) else "记录的格式不对"
        if why:
            raise UnsafePath(f"提交记录 {journal} 不可信：{why}；{NOT_TOUCHED}", file=journal)


def _no_link_above(final: Path) -> None:
    """The folder a final folder is moved into is reached through no link (the run's
    folders are resolved paths, so a link there was put inside them): else UnsafePath."""
    parent = Path(os.path.normpath(final.parent))
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent  # the part that exists (the rest is made below it)
    if os.path.realpath(parent) != str(parent):
        raise UnsafePath(
            f"输出文件夹 {parent} 经过链接（实际位于 {os.path.realpath(parent)}），"
            "为安全起见本次结果未发布，没有改动任何文件；请删除该链接后再运行",
            file=parent,
        )


def _finals(period: str, processed_dir: Path, reports_dir: Path) -> list[Path]:
    """Every folder a commit of ``period`` can replace."""
    check = reports_dir / f"check-{period}"
    return [processed_dir / period, reports_dir / period, check / "data" / period, check / period / "quality"]


def commit(moves: list[tuple[Path, Path]], journal: Path, run_id: str) -> None:
    """Move each staged folder over its final folder, all or nothing (see module doc)."""
    entries = []
    for staged, final in moves:
        _no_link_above(final)
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


def roll_back(journal: Path, folders: Folders | None = None) -> bool:
    """Undo an unfinished commit described by ``journal``: every final folder gets its
    old contents back, the new ones are removed. True when something was restored.
    ``folders``: the run's folders, against which every path of the journal is checked
    before anything is moved or deleted (:func:`check_journal`)."""
    if journal.is_symlink():
        raise UnsafePath(f"提交记录 {journal} 是一个链接，{NOT_TOUCHED}", file=journal)
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        log.warning("unreadable commit journal %s: %s", journal, exc)
        journal.unlink(missing_ok=True)
        return False
    if folders is not None:
        check_journal(data, folders, journal)
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


def _real_dirs(paths) -> list[Path]:
    """The folders among ``paths`` that are not links (a link is never followed nor removed)."""
    return [p for p in paths if not p.is_symlink() and p.is_dir()]


def recover(period: str, processed_dir: Path, reports_dir: Path) -> list[str]:
    """Under the period's lock: roll back a commit a killed run left unfinished, put back
    a final folder left aside, and delete the staging folders of killed runs.
    Returns what was done, in Chinese (empty when there was nothing to do)."""
    done = []
    if roll_back(journal_path(processed_dir, period), Folders(period, processed_dir, reports_dir)):
        done.append("已撤销被中断的结果替换，恢复上次成功运行的输出")
    leftovers = []
    for final in _finals(period, processed_dir, reports_dir):
        if not final.parent.is_dir():
            continue
        asides = sorted(_real_dirs(final.parent.glob(f".{final.name}.old-*")), key=lambda p: p.stat().st_mtime)
        if asides and not os.path.lexists(final):
            os.replace(asides.pop(), final)
            done.append(f"已恢复 {final}")
        leftovers += asides + _real_dirs(final.parent.glob(f".{final.name}.trash-*"))
    leftovers += _real_dirs(p for folder in (processed_dir, reports_dir) for p in folder.glob(f".staging-{period}-*"))
    for p in leftovers:
        shutil.rmtree(p, ignore_errors=True)
    if leftovers:
        done.append(f"已清理被中断运行的临时文件夹 {len(leftovers)} 个")
    return done
