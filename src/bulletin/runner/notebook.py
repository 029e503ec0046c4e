"""Executing one notebook with papermill, and what a failure says: the stage, the cell
and the executed notebook, in Chinese (:class:`bulletin.errors.StageError`)."""

from __future__ import annotations

import builtins
import contextlib
import re
from pathlib import Path

from bulletin import paths
from bulletin.contract import STAGE_LABELS
from bulletin.errors import PublishTimeout, StageError
from bulletin.runner.kernel import KERNEL_NAME
from bulletin.text import short


def _running_cell(notebook: Path) -> tuple[int | None, str]:
    """(index, first code line) of the last cell papermill started in a saved notebook."""
    try:
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook names no cell
        return None, ""
    index = None
    for i, cell in enumerate(nb.cells):
        if (cell.get("metadata", {}).get("papermill") or {}).get("start_time"):
            index = i
    if index is None:
        return None, ""
    return index, _first_line(nb.cells[index].get("source", ""))


_OS_ERROR_TEXT = re.compile(r"\[Errno (\d+)\] [^:']*(?:: '(.*?)')?")


def kernel_os_error(ename: str, evalue: str) -> dict:
    """``{"errno", "filename"}`` of an exception a notebook raised in the kernel, when
    its type (``ename``) is :class:`OSError` or a subclass: the kernel sends only the
    type's name and ``str(exc)``, whose form for an OS error Python fixes
    (``[Errno 28] No space left on device: '<file>'``). ``{}`` for any other type.

    >>> kernel_os_error("OSError", "[Errno 28] No space left on device: '/d/x.csv'")
    {'errno': 28, 'filename': '/d/x.csv'}
    >>> kernel_os_error("ValueError", "[Errno 28] not an OS error")
    {}
    """
    kind = getattr(builtins, str(ename), None)
    if not (isinstance(kind, type) and issubclass(kind, OSError)):
        return {}
    m = _OS_ERROR_TEXT.match(str(evalue))
    return {"errno": int(m.group(1)), "filename": m.group(2)} if m else {}


def _first_line(source: str) -> str:
    line = next((ln.strip() for ln in str(source).splitlines() if ln.strip()), "")
    return line if len(line) <= 60 else line[:57] + "…"


def _cell_text(index: int | None, line: str) -> str:
    if index is None:
        return ""
    return f"第{index + 1}个单元格" + (f"（{line}）" if line else "")


def execute(
    stage: str,
    notebook: Path,
    output: Path,
    parameters: dict,
    timeout: int | None,
    engine_name: str | None = None,
    *,
    on_pages=None,
) -> None:
    """Execute one notebook with papermill; failures become a StageError naming the
    stage, the cell and the executed notebook. ``on_pages``: the shared-kernel engine's
    callback when the notebook's pages are complete (:mod:`bulletin.runner.engine`)."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    label = STAGE_LABELS.get(stage, stage)
    where = f"“{label}”阶段（{notebook.name}）"
    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(paths.REPO_ROOT),
            progress_bar=False,
            execution_timeout=timeout,
            log_output=False,
            engine_name=engine_name,
            **({"on_pages": on_pages} if on_pages is not None else {}),
        )
    except PapermillExecutionError as exc:
        line = _first_line(exc.source)
        raise StageError(
            stage,
            f"{where}{_cell_text(exc.cell_index, line)}出错：{exc.ename}: {short(exc.evalue)}",
            output,
            exc.cell_index,
            **kernel_os_error(exc.ename, exc.evalue),
        ) from exc
    except CellTimeoutError as exc:
        index, line = _running_cell(output)
        raise StageError(
            stage,
            f"{where}{_cell_text(index, line) or '单元格'}运行超过 {timeout} 秒仍未结束，"
            f"已停止（可用 --timeout 调整时限）",
            output,
            index,
        ) from exc
    except DeadKernelError as exc:
        index, line = _running_cell(output)
        raise StageError(
            stage,
            f"{where}运行{_cell_text(index, line) or '单元格'}时内核意外退出（可能内存不足或进程被终止）",
            output,
            index,
        ) from exc
    except Exception as exc:  # kernel could not start, papermill failure, …
        index, line = _running_cell(output)
        raise StageError(
            stage,
            f"{where}执行失败{('，' + _cell_text(index, line)) if index is not None else ''}："
            f"{type(exc).__name__}: {short(str(exc))}",
            output,
            index,
        ) from exc
    _fixed_cell_ids(output)


def _fixed_cell_ids(notebook: Path) -> None:
    """papermill gives its injected-parameters cell a random id, which reaches the HTML
    (element id) and the PDF (named destination): give it a fixed one, so the same
    inputs publish the same bytes."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    if _fix_ids(nb):
        nbformat.write(nb, str(notebook))


def _fix_ids(nb) -> bool:
    """The injected cells' ids by position; True when one was changed."""
    changed = False
    for k, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for tag in ("injected-parameters", "injected-reset"):
            if tag in tags and "id" in cell:
                cell["id"] = f"{tag}-{k}"
                changed = True
    return changed


def write_copy(nb, path: Path) -> Path:
    """A copy of a notebook still executing (``nb``: papermill's, left unchanged) written
    to ``path`` with the injected cells' ids fixed, as the executed notebook will have
    them: the same outputs then publish the same bytes from either."""
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    _fix_ids(nb)
    nbformat.write(nb, str(path))
    return path


@contextlib.contextmanager
def time_limit(seconds: int | None):
    """Raise PublishTimeout in this (main) thread after ``seconds`` (POSIX; elsewhere,
    or off the main thread, no limit)."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise PublishTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
