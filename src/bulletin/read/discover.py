"""Which entries of a month folder are read, and why each other one is not (SPEC §7:
every file ends in exactly one place — read, or listed in skipped.csv with its reason).

* Lock files (``~$…``), hidden files and folders (``.…``), special files (pipes,
  devices) are listed with their reason, never opened.
* A link (symlink) is followed only when it leads inside the raw folder; a link
  outside it (``/etc/shadow``) is listed, never followed, never hashed.
* A file with a spreadsheet's extension (xlsx, xlsm, xls, WPS ``.et``/``.ett``, ods,
  csv, htm…) is read, whatever it really holds (the reader decides by content and
  reports what it cannot read); a file with any other extension is read when its
  content is a workbook (an xlsx or xls saved under another name), else listed as
  not a spreadsheet.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bulletin.read.formats import ole_kind, sniff, zip_kind
from bulletin.read.grid import Skipped
from bulletin.text import readable_name

READ_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".et", ".ett", ".ods", ".csv", ".htm", ".html"}

LOCK = "Excel 或 WPS 打开文件时生成的临时锁定文件（~$ 开头），不是台账，未读取"
HIDDEN = "隐藏文件（名称以“.”开头），未读取；如是台账，请改名后重新报送"
HIDDEN_DIR = "位于隐藏文件夹“{}”中，未读取"
OUTSIDE = "链接（快捷方式）指向原始数据文件夹以外，出于安全考虑未读取"
DANGLING = "链接指向的文件不存在，未读取"
LOOP = "链接指向已读取过的文件夹（循环链接），未读取"
SPECIAL = "不是普通文件（设备、管道等），未读取"
NOT_TABLE = "不是表格文件（读取 Excel、WPS 表格、CSV 和网页表格），未读取"
NO_ACCESS = "无法打开（{}），未读取"


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _is_workbook(path: Path) -> bool:
    """A file without a spreadsheet's extension that holds a workbook all the same."""
    kind = sniff(path)
    if kind == "zip":
        return zip_kind(path) in ("xlsx", "xlsb", "ods")
    if kind == "ole":
        return ole_kind(path) in ("workbook", "encrypted")
    return False


def discover(snapshot: Path) -> tuple[list[Path], list[Skipped]]:
    """Files of a snapshot folder to read (sorted), and every other entry with its
    reason. The raw folder is the snapshot's parent."""
    snapshot = Path(snapshot)
    roots = tuple(dict.fromkeys((os.path.realpath(snapshot.parent), os.path.realpath(snapshot))))
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen = {os.path.realpath(snapshot)}

    def skip(path: Path, reason: str) -> None:
        skipped.append(Skipped(readable_name(path.relative_to(snapshot).as_posix()), "", reason))

    def walk(folder: Path, hidden_in: str | None) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if folder != snapshot:
                skip(folder, NO_ACCESS.format(exc.strerror or exc))
            return
        for entry in entries:
            path = folder / entry.name
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not _inside(target, roots):
                    skip(path, OUTSIDE)
                    continue
                if not os.path.exists(target):
                    skip(path, DANGLING)
                    continue
            try:
                mode = os.stat(entry.path).st_mode
            except OSError as exc:
                skip(path, NO_ACCESS.format(exc.strerror or exc))
                continue
            if stat.S_ISDIR(mode):
                real = os.path.realpath(entry.path)
                if real in seen:
                    skip(path, LOOP)
                    continue
                seen.add(real)
                walk(path, hidden_in or (readable_name(entry.name) if entry.name.startswith(".") else None))
                continue
            if hidden_in:
                skip(path, HIDDEN_DIR.format(hidden_in))
            elif not stat.S_ISREG(mode):
                skip(path, SPECIAL)
            elif entry.name.startswith("~$"):
                skip(path, LOCK)
            elif entry.name.startswith("."):
                skip(path, HIDDEN)
            elif path.suffix.lower() in READ_EXT:
                files.append(path)
            else:
                try:
                    workbook = _is_workbook(path)
                except OSError as exc:
                    skip(path, NO_ACCESS.format(exc.strerror or exc))
                    continue
                if workbook:
                    files.append(path)
                else:
                    skip(path, NOT_TABLE)

    if snapshot.is_dir():
        walk(snapshot, None)
    key = lambda p: p.relative_to(snapshot).parts  # noqa: E731
    files.sort(key=key)
    return files, skipped
