"""Orchestration: validate, lock, stage, execute the notebooks with papermill, publish,
and move the outputs into place only when everything succeeded.

Exit codes (``pipeline.py``): 0 ok; 1 data errors under ``--strict``; 2 usage (bad
parameters, missing folders); 3 run failure (a notebook cell failed, a kernel died or
timed out, publishing failed, another run of the same period holds the lock).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from . import paths

log = logging.getLogger(__name__)

KERNEL_NAME = "bulletin-python"
STAGES = [
    ("clean", "clean.ipynb", "读取和清洗台账"),
    ("indicators", "indicators.ipynb", "计算指标"),
    ("bulletin", "bulletin.ipynb", "生成通报"),
]


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


@dataclass
class RunResult:
    period: str
    processed: Path
    reports: Path
    summary: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def validate_period(period: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}", period or "") or not 1 <= int(period[5:]) <= 12:
        raise UsageError(f"期间“{period}”格式不正确，应为 YYYY-MM，例如 2020-06")
    return period


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
    from .stages import history_periods

    files = []
    for p in [*history_periods(period, raw_dir), period]:
        files += discover(raw_dir / p)[0]
    return files


def manifest(period: str, raw_dir: Path, parameters: dict) -> dict:
    """Provenance of a run: input files (relative to the raw folder) with SHA-256."""
    return {
        "period": period,
        "run_time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "code_version": code_version(),
        "parameters": parameters,
        "inputs": [{"path": p.relative_to(raw_dir).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
                   for p in input_files(period, raw_dir)],
    }


def _kernel_env(tmp: Path) -> None:
    """A kernelspec that runs this very interpreter, whatever else is installed."""
    spec = tmp / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=ERROR"],
        "display_name": "bulletin", "language": "python",
        "env": {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"},
    }), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(tmp), os.environ.get("JUPYTER_PATH")]))


def execute(stage: str, notebook: Path, output: Path, parameters: dict, timeout: int | None) -> None:
    """Execute one notebook with papermill; failures become a StageError."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    label = dict((s, l) for s, _, l in STAGES).get(stage, stage)
    try:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL_NAME,
                            cwd=str(paths.REPO_ROOT), progress_bar=False, execution_timeout=timeout,
                            log_output=False)
    except PapermillExecutionError as exc:
        raise StageError(stage, f"“{label}”阶段第{exc.exec_count or exc.cell_index}个单元格出错：{exc.ename}: "
                                f"{exc.evalue}", output, exc.cell_index) from exc
    except Exception as exc:  # kernel died, timed out, could not start
        raise StageError(stage, f"“{label}”阶段执行失败（内核退出或超时）：{type(exc).__name__}: {exc}",
                         output) from exc


def _swap(staged: Path, final: Path) -> None:
    """Replace ``final`` with ``staged``: the old folder is renamed aside, the new one
    renamed in (same file system), then the old one removed."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staged, final)
    shutil.rmtree(old, ignore_errors=True)


def run(period: str, raw_dir: Path | None = None, processed_dir: Path | None = None,
        reports_dir: Path | None = None, config_dir: Path | None = None, strict: bool = False,
        timeout: int | None = 600, lock_timeout: float = 0, lang: str = "zh", say=print) -> RunResult:
    """The whole monthly run (see module docstring)."""
    validate_period(period)
    raw_dir = Path(raw_dir or paths.RAW_DIR).resolve()
    processed_dir = Path(processed_dir or paths.PROCESSED_DIR).resolve()
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    snapshot = raw_dir / period
    if not snapshot.is_dir():
        raise UsageError(f"找不到原始数据文件夹 {snapshot}（应为 <raw-dir>/{period}/，存放当月各县区报送的台账）")
    if config_dir and not Path(config_dir).is_dir():
        raise UsageError(f"找不到配置文件夹 {config_dir}")
    processed_dir.mkdir(parents=True, exist_ok=True)
    reports_dir.mkdir(parents=True, exist_ok=True)

    lock = FileLock(str(processed_dir / f".{period}.lock"))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise PipelineError(f"{period} 的另一次运行正在进行中（锁文件 {lock.lock_file}），请等其结束后再运行") from None
    try:
        return _run_locked(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang, say)
    finally:
        lock.release()


def _run_locked(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang, say) -> RunResult:
    from .publish import publish

    started = time.perf_counter()
    tag = f"{period}-{os.getpid()}"
    stage_processed = processed_dir / f".staging-{tag}"
    stage_reports = reports_dir / f".staging-{tag}"
    for d in (stage_processed, stage_reports):
        shutil.rmtree(d, ignore_errors=True)
    out_processed = stage_processed / period
    out_reports = stage_reports / period
    nb_dir = out_reports / "notebooks"
    for d in (out_processed, nb_dir):
        d.mkdir(parents=True)
    params = {"period": period, "raw_dir": str(raw_dir), "config_dir": str(config_dir or "")}
    result = RunResult(period, processed_dir / period, reports_dir / period)
    tmp = Path(tempfile.mkdtemp(prefix="bulletin-kernel-"))
    try:
        _kernel_env(tmp)
        info = manifest(period, raw_dir, {**params, "strict": strict, "lang": lang})
        (out_processed / "manifest.json").write_text(json.dumps(info, ensure_ascii=False, indent=2),
                                                     encoding="utf-8")
        stage_params = {
            "clean": {**params, "processed_dir": str(stage_processed), "reports_dir": str(stage_reports)},
            "indicators": {**params, "processed_dir": str(stage_processed)},
            "bulletin": {"period": period, "processed_dir": str(stage_processed),
                         "reports_dir": str(stage_reports), "lang": lang},
        }
        total = len(STAGES) + 1
        for k, (stage, nb_name, label) in enumerate(STAGES, start=1):
            t0 = time.perf_counter()
            say(f"[{k}/{total}] {label} …")
            execute(stage, paths.NOTEBOOKS_DIR / nb_name, nb_dir / nb_name, stage_params[stage], timeout)
            result.seconds[stage] = time.perf_counter() - t0
            say(f"      完成（{result.seconds[stage]:.1f} 秒）")
            if stage == "clean":
                from .clean import load_tables
                from .stages import summary

                result.summary = summary(load_tables(out_processed))
                s = result.summary
                say(f"      读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，"
                    f"合计/备注行 {s['total_note_rows']}，退回 {s['rejected_rows']}；"
                    f"错误 {s['errors']} 条，警告 {s['warnings']} 条")
                if strict and s["errors"]:
                    _swap(out_processed, processed_dir / period)
                    _swap(out_reports / "quality", reports_dir / period / "quality")
                    raise DataErrors(f"--strict：台账中有 {s['errors']} 条错误，未生成通报。"
                                     f"问题清单见 {processed_dir / period / 'quality.csv'} 和 "
                                     f"{reports_dir / period / 'quality'}/")
        t0 = time.perf_counter()
        say(f"[{total}/{total}] 发布 HTML 和 PDF …")
        try:
            publish(nb_dir / "bulletin.ipynb", out_reports)
        except Exception as exc:
            raise StageError("publish", f"“发布”阶段失败：{type(exc).__name__}: {exc}",
                             nb_dir / "bulletin.ipynb") from exc
        result.seconds["publish"] = time.perf_counter() - t0
        say(f"      完成（{result.seconds['publish']:.1f} 秒）")
        _swap(out_processed, processed_dir / period)
        _swap(out_reports, reports_dir / period)
    except StageError as exc:
        if exc.notebook is not None and exc.notebook.exists():
            keep = reports_dir / ".failed" / f"{tag}-{exc.stage}"
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(exc.notebook, keep / exc.notebook.name)
            exc.notebook = keep / exc.notebook.name
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(stage_processed, ignore_errors=True)
        shutil.rmtree(stage_reports, ignore_errors=True)
    result.seconds["total"] = time.perf_counter() - started
    return result
