"""Orchestration: validate, lock, stage, execute the notebooks with papermill, publish,
and move the outputs into place only when everything succeeded.

Exit codes (``pipeline.py``): 0 ok; 1 data errors under ``--strict`` (and ``verify``:
the bulletin no longer matches); 2 usage (bad parameters, missing folders); 3 run
failure (a notebook cell failed, a kernel died or timed out, publishing failed, the raw
files changed during the run, another run of the same period holds the lock).

How a run stays trustworthy (docs/DECISIONS.md, "Runs you can trust"):

* **Lock.** One run per period at a time: OS file locks (flock, released by the kernel
  when the process dies, so a killed run never leaves a stale lock) on
  ``<processed>/.<period>.lock`` and ``<reports>/.<period>.lock``. A small owner file
  ``<processed>/.<period>.owner.json`` names the holder; it is removed on exit, so
  finding one on entry means the previous run was killed.
* **Staging.** Everything is written under ``.staging-<period>-<run id>/`` folders next
  to the final ones; nothing final is touched until every stage succeeded.
* **Commit with a journal.** ``<processed>/.<period>.commit.json`` lists the folder
  moves with the identity (device, inode) of the new and the old folders; then each
  final folder is swapped (one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux, else
  rename aside + rename in); removing the journal is the commit point. A run killed
  before that point is rolled back by the next ``run`` or ``verify`` of the period:
  both folders hold the previous good run again, byte for byte.
* **Test hook.** ``BULLETIN_TEST_PAUSE_AT=<point>`` (``clean``, ``indicators``,
  ``bulletin``, ``publish``: after that stage; ``commit``: after the first folder was
  swapped) prints ``BULLETIN_TEST_PAUSED <point>`` on stderr and sleeps, so a test can
  SIGKILL the run at a known point. Unset, it does nothing.
"""
from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime as dt
import errno
import getpass
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from . import paths
from .paths import FILE_MODE

log = logging.getLogger(__name__)

KERNEL_NAME = "bulletin-python"
STAGES = [
    ("clean", "clean.ipynb", "读取和清洗台账"),
    ("indicators", "indicators.ipynb", "计算指标"),
    ("bulletin", "bulletin.ipynb", "生成通报"),
]
STAGE_LABELS = {**{s: label for s, _, label in STAGES}, "publish": "发布"}
PAUSE_ENV = "BULLETIN_TEST_PAUSE_AT"
MANIFEST = "manifest.json"


class PipelineError(Exception):
    """Base class; ``exit_code`` is what pipeline.py returns."""

    exit_code = 3


class UsageError(PipelineError):
    exit_code = 2


class StageError(PipelineError):
    """A stage failed; names the stage, the cell and the saved notebook."""

    def __init__(self, stage: str, message: str, notebook: Path | None = None, cell: int | None = None):
        self.stage, self.notebook, self.cell = stage, notebook, cell
        super().__init__(message)


class DataErrors(PipelineError):
    exit_code = 1


class Busy(PipelineError):
    """Another run of the same period holds the lock."""


@dataclass
class RunResult:
    period: str
    processed: Path
    reports: Path
    summary: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    unchanged: bool = False  # nothing changed since the last good run: nothing was run


# --------------------------------------------------------------------------- parameters
def validate_period(period: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}", period or "") or not 1 <= int(period[5:]) <= 12 \
            or not 1900 <= int(period[:4]) <= 2100:
        raise UsageError(f"期间“{period}”格式不正确，应为 YYYY-MM，例如 2020-06")
    return period


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_parameters(period: str, raw_dir=None, processed_dir=None, reports_dir=None, config_dir=None,
                     timeout: int | None = 600, lang: str = "zh") -> tuple[Path, Path, Path, Path | None]:
    """Every parameter checked before anything runs or is written; returns the resolved
    folders (raw, processed, reports, config). Raises :class:`UsageError`."""
    validate_period(period)
    raw_dir = Path(raw_dir or paths.RAW_DIR).resolve()
    processed_dir = Path(processed_dir or paths.PROCESSED_DIR).resolve()
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    snapshot = raw_dir / period
    if not snapshot.is_dir():
        raise UsageError(f"找不到原始数据文件夹 {snapshot}（应为 <raw-dir>/{period}/，存放当月各县区报送的台账）")
    if config_dir not in (None, ""):
        config_dir = Path(config_dir).resolve()
        if not config_dir.is_dir():
            raise UsageError(f"找不到配置文件夹 {config_dir}")
    else:
        config_dir = None
    _check_config(config_dir)
    if timeout is not None and (not isinstance(timeout, int) or timeout < 1):
        raise UsageError(f"超时时间“{timeout}”不正确，应为正整数（秒）")
    if lang not in ("zh", "en"):
        raise UsageError(f"语言“{lang}”不正确，应为 zh 或 en")
    for name, folder in (("处理结果", processed_dir), ("报告", reports_dir)):
        if _inside(folder, raw_dir):
            raise UsageError(f"{name}文件夹 {folder} 位于原始数据文件夹 {raw_dir} 之内；原始数据只读，请另选文件夹")
        if _inside(raw_dir, folder / period):
            raise UsageError(f"原始数据文件夹 {raw_dir} 位于输出文件夹 {folder / period} 之内，请另选文件夹")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{name}文件夹 {folder} 已存在但不是文件夹")
    if processed_dir == reports_dir:
        raise UsageError(f"处理结果文件夹和报告文件夹不能相同（{processed_dir}）")
    for folder in (processed_dir, reports_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"无法创建输出文件夹 {folder}：{exc.strerror or exc}") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"没有写入输出文件夹 {folder} 的权限")
    return raw_dir, processed_dir, reports_dir, config_dir


def _check_config(config_dir: Path | None) -> None:
    """The configuration loads (valid YAML of the expected shape), or a UsageError
    naming the folder, before any notebook runs."""
    from .config import load_config

    try:
        load_config(str(config_dir) if config_dir else None)
    except Exception as exc:  # noqa: BLE001 - YAML syntax, wrong shape, unreadable file
        where = f"配置文件夹 {config_dir} 中的" if config_dir else "内置"
        detail = " ".join(str(exc).split())
        raise UsageError(f"{where}配置文件有误，无法读取：{type(exc).__name__}: {_short(detail, 300)}") from None


# --------------------------------------------------------------------------- provenance
def code_version() -> str:
    """``git describe`` of the repo when available, else the package version."""
    try:
        out = subprocess.run(["git", "-C", str(paths.REPO_ROOT), "describe", "--always", "--dirty", "--tags"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import version

    return version("bulletin")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(period: str, raw_dir: Path) -> list[Path]:
    """Every raw file a run of ``period`` reads: its snapshot and the earlier ones
    that feed trends."""
    from .read import discover

    files = []
    for p in [*paths.history_periods(period, raw_dir), period]:
        files += discover(raw_dir / p)[0]
    return files


def inputs(period: str, raw_dir: Path) -> list[dict]:
    """``[{path, size, sha256}]`` of the input files, paths relative to the raw folder."""
    return [{"path": p.relative_to(raw_dir).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
            for p in input_files(period, raw_dir)]


def run_time() -> str:
    """Now, in local time to the second; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) fixes it, so two runs can be compared byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now()
    return when.astimezone().isoformat(timespec="seconds")


def manifest(period: str, raw_dir: Path, parameters: dict) -> dict:
    """Provenance of a run: input files (relative to the raw folder) with SHA-256."""
    return {
        "period": period,
        "run_time": run_time(),
        "code_version": code_version(),
        "parameters": parameters,
        "inputs": inputs(period, raw_dir),
    }


def clean_summary(folder: Path) -> dict:
    """:func:`bulletin.stages.summary` of the cleaned tables in ``folder``, read with the
    csv module: the runner never imports pandas (its import alone would delay the
    kernel's work by half a second)."""
    def rows(name: str) -> list[dict]:
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    def total(table: list[dict], column: str) -> int:
        return sum(int(row[column]) for row in table)

    acc, quality = rows("accounting"), rows("quality")
    severities = [row["severity"] for row in quality]
    return {
        "records": {k: len(rows(k)) for k in ("signings", "activities", "projects", "targets")},
        "rows_read": total(acc, "rows_read"),
        "rejected_rows": total(acc, "rejected_rows"),
        "total_note_rows": total(acc, "total_note_rows"),
        "errors": severities.count("error"),
        "warnings": severities.count("warning"),
        "skipped_sheets": len(rows("skipped")),
    }


def _outputs(processed: Path, reports: Path) -> list[dict]:
    """SHA-256 of every output file, as ``processed/<file>`` and ``reports/<file>``."""
    out = []
    for prefix, folder in (("processed", processed), ("reports", reports)):
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder).as_posix()
            if p.is_file() and not (prefix == "reports" and rel == MANIFEST):
                out.append({"path": f"{prefix}/{rel}", "sha256": sha256(p)})
    return out


def _write_json(path: Path, data: dict) -> None:
    """Write JSON atomically and durably (temp file, fsync, rename, fsync folder)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)




# --------------------------------------------------------------------------- kernel
def _kernel_env(tmp: Path) -> None:
    """A kernelspec that runs this very interpreter, whatever else is installed."""
    spec = tmp / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=CRITICAL"],
        "display_name": "bulletin", "language": "python",
        "env": {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"},
    }), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(tmp), os.environ.get("JUPYTER_PATH")]))


def _running_cell(notebook: Path) -> tuple[int | None, str]:
    """(index, first code line) of the last cell papermill started in a saved notebook."""
    try:
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return None, ""
    index = None
    for i, cell in enumerate(nb.cells):
        if (cell.get("metadata", {}).get("papermill") or {}).get("start_time"):
            index = i
    if index is None:
        return None, ""
    return index, _first_line(nb.cells[index].get("source", ""))


def _first_line(source: str) -> str:
    line = next((ln.strip() for ln in str(source).splitlines() if ln.strip()), "")
    return line if len(line) <= 60 else line[:57] + "…"


def _cell_text(index: int | None, line: str) -> str:
    if index is None:
        return ""
    return f"第{index + 1}个单元格" + (f"（{line}）" if line else "")


def execute(stage: str, notebook: Path, output: Path, parameters: dict, timeout: int | None,
            engine_name: str | None = None) -> None:
    """Execute one notebook with papermill; failures become a StageError naming the
    stage, the cell and the executed notebook."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    label = dict((s, l) for s, _, l in STAGES).get(stage, stage)
    where = f"“{label}”阶段（{notebook.name}）"
    try:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL_NAME,
                            cwd=str(paths.REPO_ROOT), progress_bar=False, execution_timeout=timeout,
                            log_output=False, engine_name=engine_name)
    except PapermillExecutionError as exc:
        line = _first_line(exc.source)
        raise StageError(stage, f"{where}{_cell_text(exc.cell_index, line)}出错：{exc.ename}: "
                                f"{_short(exc.evalue)}", output, exc.cell_index) from exc
    except CellTimeoutError as exc:
        index, line = _running_cell(output)
        raise StageError(stage, f"{where}{_cell_text(index, line) or '单元格'}运行超过 {timeout} 秒仍未结束，"
                                f"已停止（可用 --timeout 调整时限）", output, index) from exc
    except DeadKernelError as exc:
        index, line = _running_cell(output)
        raise StageError(stage, f"{where}运行{_cell_text(index, line) or '单元格'}时内核意外退出"
                                f"（可能内存不足或进程被终止）", output, index) from exc
    except Exception as exc:  # kernel could not start, papermill failure, …
        index, line = _running_cell(output)
        raise StageError(stage, f"{where}执行失败{('，' + _cell_text(index, line)) if index is not None else ''}："
                                f"{type(exc).__name__}: {_short(str(exc))}", output, index) from exc
    _fixed_cell_ids(output)


def _fixed_cell_ids(notebook: Path) -> None:
    """papermill gives its injected-parameters cell a random id, which reaches the HTML
    (element id) and the PDF (named destination): give it a fixed one, so the same
    inputs publish the same bytes."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    changed = False
    for k, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for tag in ("injected-parameters", "injected-reset"):
            if tag in tags and "id" in cell:
                cell["id"] = f"{tag}-{k}"
                changed = True
    if changed:
        nbformat.write(nb, str(notebook))


def _short(text: str, limit: int = 500) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


class _PublishTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int | None):
    """Raise _PublishTimeout in this (main) thread after ``seconds`` (POSIX; elsewhere,
    or off the main thread, no limit)."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise _PublishTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- test hook
def _pause(point: str) -> None:
    """Test hook (see module docstring): stop here until killed (at most 10 minutes)."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"BULLETIN_TEST_PAUSED {point}", file=sys.stderr, flush=True)
        time.sleep(600)


# --------------------------------------------------------------------------- lock
def _owner_file(processed_dir: Path, period: str) -> Path:
    return processed_dir / f".{period}.owner.json"


def _read_owner(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _owner_text(owner: dict) -> str:
    if not owner:
        return ""
    return f"（进程 {owner.get('pid', '?')}，{owner.get('user', '?')}@{owner.get('host', '?')}，" \
           f"开始于 {str(owner.get('started', '?')).replace('T', ' ')}）"


@contextlib.contextmanager
def period_lock(period: str, processed_dir: Path, reports_dir: Path, wait: float = 0, say=None, purpose="运行"):
    """Hold the period's locks (processed and reports folders) for the block.

    ``wait`` seconds: 0 refuses at once when another run holds them; otherwise waits
    that long. Yields the owner record of a previous run that was killed (or ``{}``).
    """
    say = say or _say
    locks = [FileLock(str(processed_dir / f".{period}.lock")), FileLock(str(reports_dir / f".{period}.lock"))]
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
                say(f"{period} 的另一次运行正在进行{_owner_text(_read_owner(owner_path))}，"
                    f"等待其结束（最多 {wait:g} 秒）…")
                lk.acquire(timeout=max(deadline - time.monotonic(), 0))
            held.append(lk)
    except Timeout:
        for lk in reversed(held):
            lk.release()
        hint = "请等其结束后再运行" + ("" if wait > 0 else "，或加 --wait 秒数 排队等待")
        raise Busy(f"{period} 的另一次运行正在进行中{_owner_text(_read_owner(owner_path))}，"
                   f"本次{purpose}未开始。{hint}。") from None
    try:
        previous = _read_owner(owner_path) if owner_path.exists() else {}
        if owner_path.exists() and not previous:
            previous = {"pid": "?"}
        _write_json(owner_path, {"pid": os.getpid(), "user": _user(), "host": socket.gethostname(),
                                 "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                                 "purpose": purpose})
        try:
            yield previous
        finally:
            owner_path.unlink(missing_ok=True)
    finally:
        for lk in reversed(held):
            lk.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


# --------------------------------------------------------------------------- commit
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


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _ident(path: Path) -> list[int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


def _journal(processed_dir: Path, period: str) -> Path:
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
        entries.append({"staged": str(staged), "final": str(final),
                        "aside": str(final.with_name(f".{final.name}.old-{run_id}")),
                        "new": _ident(staged), "old": _ident(final)})
    _write_json(journal, {"run": run_id, "moves": entries})
    try:
        for k, e in enumerate(entries):
            staged, final, aside = Path(e["staged"]), Path(e["final"]), Path(e["aside"])
            if e["old"] is None:
                os.replace(staged, final)
            elif not _exchange(staged, final):
                os.replace(final, aside)
                os.replace(staged, final)
            _fsync_dir(final.parent)
            if k == 0:
                _pause("commit")
        journal.unlink()                      # the commit point
        _fsync_dir(journal.parent)
    except BaseException:
        roll_back(journal)
        raise
    for e in entries:                         # the old outputs, now unreferenced
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
            if old_at is not None and _exchange(old_at, final):   # old back in, atomically
                new_at, old_at = old_at, final
            else:
                _remove(final)
                new_at = None
        if old_at is not None and old_at != final:
            changed = True
            os.replace(old_at, final)
        if new_at is not None:
            _remove(new_at)
        _fsync_dir(final.parent)
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)
    return changed


def recover(period: str, processed_dir: Path, reports_dir: Path) -> list[str]:
    """Under the period's lock: roll back a commit a killed run left unfinished, put back
    a final folder left aside, and delete the staging folders of killed runs.
    Returns what was done, in Chinese (empty when there was nothing to do)."""
    done = []
    if roll_back(_journal(processed_dir, period)):
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


# --------------------------------------------------------------------------- run
def _say(message: str) -> None:
    print(message, flush=True)


def run(period: str, raw_dir: Path | None = None, processed_dir: Path | None = None,
        reports_dir: Path | None = None, config_dir: Path | None = None, strict: bool = False,
        timeout: int | None = 600, lock_timeout: float = 0, lang: str = "zh", say=None,
        force: bool = False, per_region: bool = False) -> RunResult:
    """The whole monthly run (see module docstring). ``lock_timeout``: seconds to wait
    for another run of the same period (0: refuse at once). ``say`` prints progress
    (default: to stdout, flushed at once, so a log file follows the run)."""
    say = say or _say
    raw_dir, processed_dir, reports_dir, config_dir = check_parameters(
        period, raw_dir, processed_dir, reports_dir, config_dir, timeout, lang)
    with period_lock(period, processed_dir, reports_dir, lock_timeout, say) as previous:
        if previous:
            say(f"注意：{period} 的上一次运行{_owner_text(previous)}未正常结束。")
        for line in recover(period, processed_dir, reports_dir):
            say(f"      {line}")
        return _run_locked(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang, say,
                           force, per_region)


def _run_locked(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang, say,
                force=False, per_region=False) -> RunResult:
    from . import cache
    from .config import load_config

    started = time.perf_counter()
    helpers = _Helpers(lang)
    try:
        if force or not (processed_dir / period / cache.RECORD).exists():
            # every stage will run: launch the kernel and the publishing worker now, so
            # that they boot while this process hashes the inputs
            helpers.launch()
        params = {"period": period, "raw_dir": str(raw_dir), "config_dir": str(config_dir or "")}
        info = manifest(period, raw_dir, {**params, "strict": strict, "lang": lang})
        digest = load_config(str(config_dir) if config_dir else None).digest
        keys = cache.stage_keys(period, info["inputs"], _digest_with(digest, strict), lang, per_region)
        todo = cache.plan(keys, processed_dir / period, reports_dir / period, force)
        result = RunResult(period, processed_dir / period, reports_dir / period)
        if not todo:
            result.seconds["total"] = time.perf_counter() - started
            result.unchanged = True
            say("无变化：台账、参数、配置和代码都与上次成功运行相同，未执行任何笔记本（--force 可强制重新运行）。")
            return result
        helpers.launch(kernel=any(stage in todo for stage, _, _ in STAGES))
        return _run_stages(period, raw_dir, processed_dir, reports_dir, params, info, keys, todo, strict, timeout,
                           lang, say, result, started, per_region, helpers)
    finally:
        helpers.close()


class _Helpers:
    """The processes a run needs besides its own: the notebooks' kernel (launched into
    the shared-kernel engine) and the publishing worker
    (:class:`bulletin.publish.Publisher`), which loads WeasyPrint and the fonts on the
    other core while the kernel works. Launched as early as the run knows it needs
    them; :meth:`close` stops whatever is still running."""

    def __init__(self, lang: str):
        self.lang = lang
        self.tmp: Path | None = None
        self.km = None
        self.publisher = None

    def launch(self, kernel: bool = True) -> None:
        from .kernel import start_kernel

        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="bulletin-kernel-"))
            _kernel_env(self.tmp)
        if kernel and self.km is None:
            self.km = start_kernel(KERNEL_NAME, cwd=str(paths.REPO_ROOT))
        from .publish import Publisher

        if self.publisher is None:
            self.publisher = Publisher(self.lang, verbose=log.getEffectiveLevel() <= logging.INFO)

    def take_kernel(self):
        """The launched kernel's manager, now owned by the caller (None if none)."""
        km, self.km = self.km, None
        return km

    def close(self) -> None:
        if self.publisher is not None:
            self.publisher.close()
            self.publisher = None
        km, self.km = self.km, None
        if km is not None:
            from .kernel import stop_kernel

            stop_kernel(km)
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


# Imports the bulletin notebook will make, queued on the kernel as soon as the cleaning
# notebook is done: the kernel runs them while the runner sets up the next notebook.
# Then gc.freeze(): the objects alive now (modules, mostly) are left out of later
# garbage collections, which each "%reset -f" forces (a full one, otherwise a fifth of
# a second per notebook). The cleaning notebook's few small tables alive at that
# moment are still freed by reference counting.
PRELOAD_BULLETIN = ("import IPython.display, bulletin.excel, bulletin.regions, bulletin.report\n"
                    "import gc; gc.freeze()")


def _digest_with(config_digest: str, strict: bool) -> str:
    """``--strict`` changes what a run does with errors, so it is part of the key."""
    return f"{config_digest}:strict={bool(strict)}"


def _run_stages(period, raw_dir, processed_dir, reports_dir, params, info, keys, todo, strict, timeout, lang,
                say, result, started, per_region, helpers) -> RunResult:
    from . import cache
    from .engine import preload, shared_kernel

    run_id = f"{os.getpid()}-{secrets.token_hex(3)}"
    tag = f"{period}-{run_id}"
    stage_processed = processed_dir / f".staging-{tag}"
    stage_reports = reports_dir / f".staging-{tag}"
    out_processed = stage_processed / period
    out_reports = stage_reports / period
    nb_dir = out_reports / "notebooks"
    for d in (out_processed, nb_dir):
        d.mkdir(parents=True)
    journal = _journal(processed_dir, period)
    skipped = [s for s in cache.STAGES if s not in todo]
    publisher = helpers.publisher
    try:
        total = len(STAGES) + 1
        # the kernel launched by the helpers; it is shut down before the PDF is rendered
        with shared_kernel(km=helpers.take_kernel()) as engine:
            if skipped:
                cache.carry_over(skipped, processed_dir / period, reports_dir / period, out_processed, out_reports)
                say(f"      未变化，沿用上次结果：{'、'.join(STAGE_LABELS[s] for s in skipped)}")
            _write_json(out_processed / MANIFEST, info)
            stage_params = {
                "clean": {**params, "processed_dir": str(stage_processed), "reports_dir": str(stage_reports)},
                "indicators": {**params, "processed_dir": str(stage_processed)},
                "bulletin": {"period": period, "processed_dir": str(stage_processed),
                             "reports_dir": str(stage_reports), "lang": lang},
            }
            for k, (stage, nb_name, label) in enumerate(STAGES, start=1):
                if stage not in todo:
                    continue
                t0 = time.perf_counter()
                say(f"[{k}/{total}] {label} …")
                execute(stage, paths.NOTEBOOKS_DIR / nb_name, nb_dir / nb_name, stage_params[stage], timeout,
                        engine)
                if stage == "bulletin":
                    publisher.submit(nb_dir / "bulletin.ipynb", out_reports)
                result.seconds[stage] = time.perf_counter() - t0
                say(f"      完成（{result.seconds[stage]:.1f} 秒）")
                _pause(stage)
                if stage == "clean":
                    if "bulletin" in todo:
                        preload(PRELOAD_BULLETIN)
                    result.summary = clean_summary(out_processed)
                    s = result.summary
                    say(f"      读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，"
                        f"合计/备注行 {s['total_note_rows']}，退回 {s['rejected_rows']}；"
                        f"错误 {s['errors']} 条，警告 {s['warnings']} 条")
                    if strict and s["errors"]:
                        check = reports_dir / f"check-{period}"
                        _check_inputs(period, raw_dir, info)
                        commit([(out_processed, check / "data" / period),
                                (out_reports / "quality", check / period / "quality")], journal, run_id)
                        raise DataErrors(f"--strict：台账中有 {s['errors']} 条错误，未生成通报；"
                                         f"上次成功运行的通报和数据未改动。问题清单见 "
                                         f"{check / 'data' / period / 'quality.csv'} 和 {check / period / 'quality'}/")
        t0 = time.perf_counter()
        say(f"[{total}/{total}] 发布 HTML 和 PDF …")
        try:
            with _time_limit(timeout):
                publisher.publish(nb_dir / "bulletin.ipynb", out_reports)
        except _PublishTimeout as exc:
            raise StageError("publish", f"“发布”阶段超过 {timeout} 秒仍未完成，已停止（可用 --timeout 调整时限）",
                             nb_dir / "bulletin.ipynb") from exc
        except Exception as exc:
            raise StageError("publish", f"“发布”阶段失败：{type(exc).__name__}: {_short(str(exc))}",
                             nb_dir / "bulletin.ipynb") from exc
        result.seconds["publish"] = time.perf_counter() - t0
        say(f"      完成（{result.seconds['publish']:.1f} 秒）")
        _pause("publish")
        if per_region:
            from .regions import render_region_bulletins

            t0 = time.perf_counter()
            say("[+] 各县区通报（并行）…")
            try:
                written = render_region_bulletins(period, stage_processed, out_reports / "regions", lang=lang,
                                                  timeout=timeout, config_dir=params["config_dir"])
            except Exception as exc:
                raise StageError("regions", f"“各县区通报”阶段失败：{type(exc).__name__}: {_short(str(exc))}",
                                 getattr(exc, "notebook", None)) from exc
            result.seconds["regions"] = time.perf_counter() - t0
            say(f"      完成：{len(written)} 个县区（{result.seconds['regions']:.1f} 秒）")
        _check_inputs(period, raw_dir, info)
        cache.record(keys, out_processed)
        _write_json(out_reports / MANIFEST, {**info, "outputs": _outputs(out_processed, out_reports)})
        commit([(out_processed, processed_dir / period), (out_reports, reports_dir / period)], journal, run_id)
    except StageError as exc:
        if exc.notebook is not None and exc.notebook.exists():
            keep = reports_dir / ".failed" / f"{tag}-{exc.stage}"
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(exc.notebook, keep / exc.notebook.name)
            exc.notebook = keep / exc.notebook.name
        raise
    finally:
        shutil.rmtree(stage_processed, ignore_errors=True)
        shutil.rmtree(stage_reports, ignore_errors=True)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _check_inputs(period: str, raw_dir: Path, info: dict) -> None:
    """The raw files must be exactly those hashed at the start of the run."""
    now = inputs(period, raw_dir)
    if now != info["inputs"]:
        before = {i["path"]: i["sha256"] for i in info["inputs"]}
        after = {i["path"]: i["sha256"] for i in now}
        names = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        raise PipelineError(f"运行期间原始数据发生了变化（{'、'.join(names[:5])}{' 等' if len(names) > 5 else ''}），"
                            f"本次结果未发布；请等各县区文件报送齐后重新运行")


# --------------------------------------------------------------------------- verify
@dataclass
class Verification:
    ok: bool
    lines: list[str]
    manifest: dict


def verify(period: str, raw_dir: Path | None = None, processed_dir: Path | None = None,
           reports_dir: Path | None = None, lock_timeout: float = 0) -> Verification:
    """Does the published bulletin of ``period`` still match the raw files?

    Recomputes the SHA-256 of every input listed in ``reports/<period>/manifest.json``
    (in ``raw_dir``, default: the raw folder recorded there), lists input files that
    appeared since, and rechecks the published outputs against the hashes recorded at
    publication. Finishes (rolls back) a run that was killed half-way first.
    """
    validate_period(period)
    processed_dir = Path(processed_dir or paths.PROCESSED_DIR).resolve()
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    if not reports_dir.is_dir() or not processed_dir.is_dir():
        raise UsageError(f"找不到 {period} 的通报：{reports_dir / period} 不存在")
    with contextlib.ExitStack() as stack:
        writable = all(os.access(d, os.W_OK | os.X_OK) for d in (processed_dir, reports_dir))
        if writable:  # a colleague who may only read the folders can still verify
            previous = stack.enter_context(period_lock(period, processed_dir, reports_dir, lock_timeout,
                                                       purpose="核验"))
            recovered = recover(period, processed_dir, reports_dir)
            if previous:
                recovered.insert(0, f"注意：{period} 的上一次运行{_owner_text(previous)}未正常结束。")
        else:
            recovered = ["（对输出文件夹只有读权限：未加锁，也未检查被中断的运行）"]
        path = reports_dir / period / MANIFEST
        if not path.is_file():
            raise UsageError(f"找不到 {period} 通报的来源记录 {path}（通报不存在，或由旧版本生成，请重新运行）")
        man = json.loads(path.read_text(encoding="utf-8"))
        recorded = (man.get("parameters") or {}).get("raw_dir") or str(paths.RAW_DIR)
        raw = Path(raw_dir or recorded).resolve()
        lines = [f"通报：{reports_dir / period}（运行于 {str(man.get('run_time', '?')).replace('T', ' ')}，"
                 f"代码版本 {man.get('code_version', '?')}）", f"原始数据：{raw}"] + recovered
        problems = []
        listed = {i["path"]: i for i in man.get("inputs", [])}
        for rel, item in listed.items():
            p = raw / rel
            if not p.is_file():
                problems.append(f"缺少：{rel}")
            elif sha256(p) != item["sha256"]:
                problems.append(f"已改动：{rel}（SHA-256 与通报记录不同）")
        if (raw / period).is_dir():
            for p in input_files(period, raw):
                rel = p.relative_to(raw).as_posix()
                if rel not in listed:
                    problems.append(f"新增：{rel}（通报生成后才出现）")
        folders = {"processed": processed_dir / period, "reports": reports_dir / period}
        for item in man.get("outputs", []):
            prefix, _, rel = item["path"].partition("/")
            p = folders.get(prefix, Path("/nonexistent")) / rel
            if not p.is_file():
                problems.append(f"输出缺失：{item['path']}")
            elif sha256(p) != item["sha256"]:
                problems.append(f"输出已改动：{item['path']}")
    if problems:
        lines += ["核验未通过：已发布的通报与现在的原始数据或输出文件不一致。"] + [f"  {p}" for p in problems]
    else:
        lines.append(f"核验通过：{len(listed)} 个原始文件和 {len(man.get('outputs', []))} 个输出文件的 "
                     f"SHA-256 与通报记录一致。")
    return Verification(not problems, lines, man)
