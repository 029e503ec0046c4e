"""One run per period at a time: operating-system file locks on the processed and
reports folders, and an owner file naming the holder (found on entry: the previous run
was killed)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import getpass
import json
import os
import socket
import time
from pathlib import Path

from filelock import FileLock, Timeout

from bulletin.errors import Busy, UnsafePath
from bulletin.files import write_json


def _owner_file(processed_dir: Path, period: str) -> Path:
    return processed_dir / f".{period}.owner.json"


def _read_owner(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def owner_text(owner: dict) -> str:
    if not owner:
        return ""
    return (
        f"（进程 {owner.get('pid', '?')}，{owner.get('user', '?')}@{owner.get('host', '?')}，"
        f"开始于 {str(owner.get('started', '?')).replace('T', ' ')}）"
    )


@contextlib.contextmanager
def period_lock(period: str, processed_dir: Path, reports_dir: Path, wait: float = 0, say=None, purpose="运行"):
    """Hold the period's locks (processed and reports folders) for the block.

    ``wait`` seconds: 0 refuses at once when another run holds them; otherwise waits
    that long. Yields the owner record of a previous run that was killed (or ``{}``).
    """
    say = say or functools.partial(print, flush=True)
    paths = [processed_dir / f".{period}.lock", reports_dir / f".{period}.lock"]
    for path in paths:
        _no_link(path, say)
    locks = [FileLock(str(path)) for path in paths]
    owner_path = _owner_file(processed_dir, period)
    deadline = time.monotonic() + max(wait, 0)
    held = []
    try:
        for lk in locks:
            try:
                lk.acquire(timeout=0)
            except Timeout:
                if wait <= 0:
                    raise
                say(
                    f"{period} 的另一次运行正在进行{owner_text(_read_owner(owner_path))}，"
                    f"等待其结束（最多 {wait:g} 秒）…"
                )
                lk.acquire(timeout=max(deadline - time.monotonic(), 0))
            held.append(lk)
    except Timeout:
        for lk in reversed(held):
            lk.release()
        hint = "请等其结束后再运行" + ("" if wait > 0 else "，或加 --wait 秒数 排队等待")
        raise Busy(
            f"{period} 的另一次运行正在进行中{owner_text(_read_owner(owner_path))}，本次{purpose}未开始。{hint}。",
            file=owner_path,
        ) from None
    except OSError as exc:  # a link put back between the check and the lock (O_NOFOLLOW)
        for lk in reversed(held):
            lk.release()
        if exc.errno != errno.ELOOP:
            raise
        where = exc.filename or processed_dir
        raise UnsafePath(f"锁文件 {where} 是一个链接，本次{purpose}未开始；请删除它再运行", file=where) from None
    try:
        previous = _read_owner(owner_path) if owner_path.exists() else {}
        if owner_path.exists() and not previous:
            previous = {"pid": "?"}
        write_json(
            owner_path,
            {
                "pid": os.getpid(),
                "user": _user(),
                "host": socket.gethostname(),
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "purpose": purpose,
            },
        )
        try:
            yield previous
        finally:
            owner_path.unlink(missing_ok=True)
    finally:
        for lk in reversed(held):
            lk.release()


def _no_link(path: Path, say) -> None:
    """A lock file that is a link is removed (the link itself, never what it points to)
    before the lock is taken: the lock is only ever this folder's own file. Anything
    else that is not a file (a folder) is refused (UnsafePath, exit 3)."""
    if path.is_symlink():
        target = os.readlink(path)
        path.unlink()
        say(f"注意：锁文件 {path} 是一个链接（指向 {target}），已删除该链接（未改动它指向的文件），重新建立锁文件。")
    elif path.exists() and not path.is_file():
        raise UnsafePath(f"锁文件 {path} 不是普通文件（可能是文件夹），本次运行未开始；请核实后删除它再运行", file=path)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (containers): the uid will do
        return str(os.getuid()) if hasattr(os, "getuid") else "?"
