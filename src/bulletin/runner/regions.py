"""County editions of the bulletin (``pipeline.py run --per-region``), in parallel.

One county edition is the bulletin notebook executed with ``region="宝清县"`` (see
:func:`bulletin.report.build.document`) and published like the city's bulletin, into
``<out_dir>/<region>/``::

    bulletin.html  bulletin.internal.html  bulletin.pdf  bulletin.docx  bulletin.xlsx
    notebooks/bulletin.ipynb

(the English edition: ``bulletin.en.*``, :mod:`bulletin.publish.names`).

The counties are independent: they run in a :class:`concurrent.futures.ProcessPoolExecutor`
(``workers`` processes, default one per core; ``spawn``, so no worker inherits the
parent's threads or kernel sockets). Each worker takes its share of the counties in
registry order and runs them on one kernel of its own (the run's shared-kernel
engine), so a kernel starts once per worker, not once per county. A county that fails
does not stop the others; at the end the failures are raised together, each county
named, in Chinese (:class:`RegionError`).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bulletin import paths
from bulletin.config import Config
from bulletin.errors import PipelineError, PublishTimeout, RegionError, os_error_of
from bulletin.publish.names import REGIONS, edition_files, moved_by_county, skipped_renders
from bulletin.runner.kernel import KERNEL_NAME, kernel_env
from bulletin.text import short

log = logging.getLogger(__name__)

WORKERS_ENV = "BULLETIN_REGION_WORKERS"  # default worker count (the province run sets it)
NOTEBOOK = "bulletin.ipynb"
_QUIET = ("weasyprint", "fontTools", "papermill", "traitlets")


# --------------------------------------------------------------------------- workers
def _quiet_logs(quiet: bool) -> None:
    if quiet:
        for name in _QUIET:
            logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger("papermill").setLevel(logging.CRITICAL)


def _reports_root(out_dir: Path, period: str) -> Path | None:
    """The reports root whose ``<period>/regions/<region>/`` is ``out_dir/<region>/``
    (the layout of a pipeline run), else None."""
    if out_dir.name == REGIONS and out_dir.parent.name == period:
        return out_dir.parent.parent
    return None


@dataclass(frozen=True)
class _Job:
    """What every county of one call shares (sent to the worker processes)."""

    period: str
    processed_dir: str
    out_dir: str
    lang: str
    timeout: int | None
    quiet: bool
    pdf: bool = True  # False: the test suite's switch, the pages only (runner.pages)


def _render_one(job: _Job, region: str, engine: str) -> None:
    from bulletin.publish.html_pdf import publish
    from bulletin.runner.notebook import execute, time_limit
    from bulletin.runner.pages import publish_pages

    period, out_dir = job.period, Path(job.out_dir)
    folder = out_dir / region
    files = edition_files(job.lang)
    nb = folder / files["notebook"]
    nb.parent.mkdir(parents=True, exist_ok=True)
    root = _reports_root(out_dir, period)
    work = None
    if root is None:  # any other out_dir: the notebook writes its workbook aside, moved in below
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=folder))
        root = work
    try:
        params = {
            "period": period,
            "processed_dir": job.processed_dir,
            "reports_dir": str(root),
            "lang": job.lang,
            "region": region,
        }
        execute("bulletin", paths.NOTEBOOKS_DIR / NOTEBOOK, nb, params, job.timeout, engine)
        if work is not None:  # what the notebook wrote under its reports_dir (the registry says)
            for kind in moved_by_county():
                os.replace(work / period / REGIONS / region / files[kind], folder / files[kind])
        try:
            with time_limit(job.timeout):
                publish(nb, folder) if job.pdf else publish_pages(nb, folder)
        except PublishTimeout:
            raise RuntimeError(
                f"发布 HTML 和 PDF 超过 {job.timeout} 秒仍未完成，已停止（可用 --timeout 调整时限）"
            ) from None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


_DONE = None  # in a worker: the queue that hears of each county done (see _worker_start)


def _worker_start(done) -> None:
    global _DONE
    _DONE = done


def _render_share(job: _Job, regions: list[str]) -> list[tuple]:
    """A worker's counties, on one kernel: ``[(region, error or None, notebook, seconds,
    os error ({} or errno and filename))]``;
    each county done is also put on the progress queue, when there is one."""
    from bulletin.runner.engine import shared_kernel

    _quiet_logs(job.quiet)
    out = []
    with shared_kernel() as engine:
        for region in regions:
            t0 = time.perf_counter()
            try:
                _render_one(job, region, engine)
                out.append((region, None, None, time.perf_counter() - t0, {}))
            except Exception as exc:  # noqa: BLE001 - reported with the county named
                log.info("county %s failed", region, exc_info=True)
                nb = getattr(exc, "notebook", None)
                failed = (_message(exc), str(nb) if nb else None, time.perf_counter() - t0, os_error_of(exc))
                out.append((region, *failed))
            if _DONE is not None:
                _DONE.put(region)
    return out


def _follow(futures, done, progress) -> None:
    """Call ``progress`` for each county the workers report done, until they all end."""
    from concurrent.futures import wait

    while True:
        while not done.empty():
            progress(done.get())
        if all(f.done() for f in futures):
            break
        wait(futures, timeout=0.2)
    while not done.empty():
        progress(done.get())


def _message(exc: BaseException) -> str:

    if isinstance(exc, PipelineError):  # already in Chinese, naming the cell
        return str(exc)
    return f"{type(exc).__name__}: {short(str(exc))}"


def _shares(regions: list[str], n: int) -> list[list[str]]:
    """Round-robin shares: worker k gets regions k, k+n, …"""
    return [regions[k::n] for k in range(n) if regions[k::n]]


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        return True
    except NoSuchKernel:
        return False


def default_workers() -> int:
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return os.cpu_count() or 1


def render_region_bulletins(
    period: str,
    processed_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    lang: str = "zh",
    timeout: int | None = 600,
    cfg: Config,
    workers: int | None = None,
    progress=None,
    pdf: bool | None = None,
) -> list[Path]:
    """Every county edition of ``period``: ``<out_dir>/<region>/bulletin.html``, ``.pdf``,
    ``.xlsx`` and ``notebooks/bulletin.ipynb``, for each region of the registry
    (``cfg.region_names``: the configuration the month was processed with), in
    ``workers`` processes (default: one per core, or ``$BULLETIN_REGION_WORKERS``).
    ``progress(region)`` is called as each county is done (in the order they finish).

    ``processed_dir`` is a processed root (the tables in ``<processed_dir>/<period>/``).
    Returns the county folders in registry order. Raises :class:`RegionError` naming
    every county that failed (the others are written). ``pdf=False``: no PDF, the
    pages only (default: the test suite's switch, :func:`bulletin.publish.names.skipped_renders`).
    """

    processed_dir, out_dir = Path(processed_dir).resolve(), Path(out_dir).resolve()
    regions = list(cfg.region_names)
    if not regions:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    n = max(1, min(workers or default_workers(), len(regions)))
    quiet = logging.getLogger().getEffectiveLevel() > logging.INFO
    pdf = "pdf" not in skipped_renders() if pdf is None else pdf
    job = _Job(period, str(processed_dir), str(out_dir), lang, timeout, quiet, pdf)
    with _kernelspec():
        results = _pool(job, _shares(regions, n), progress)
    for r in regions:
        if r in results:
            log.info("county %s: %.1f s", r, results[r][2])
    _raise_failures(regions, results)
    return [out_dir / r for r in regions]


@contextlib.contextmanager
def _kernelspec():
    """A kernelspec for this interpreter while the counties render, when none is
    installed (called outside a run)."""
    if _kernel_available():
        yield
        return
    saved = os.environ.get("JUPYTER_PATH")
    tmp = Path(tempfile.mkdtemp(prefix="bulletin-kernel-"))
    kernel_env(tmp)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved
        shutil.rmtree(tmp, ignore_errors=True)


def _pool(job: _Job, shares: list[list[str]], progress) -> dict[str, tuple]:
    """The shares in worker processes: region → (error or None, notebook, seconds, os error)."""
    ctx = multiprocessing.get_context("spawn")
    done = ctx.SimpleQueue() if progress else None
    results: dict[str, tuple] = {}
    with ProcessPoolExecutor(
        max_workers=len(shares), mp_context=ctx, initializer=_worker_start, initargs=(done,)
    ) as pool:
        futures = [pool.submit(_render_share, job, share) for share in shares]
        if done is not None:
            _follow(futures, done, progress)
        for future, share in zip(futures, shares):
            try:
                for region, *outcome in future.result():
                    results[region] = tuple(outcome)
            except Exception as exc:  # noqa: BLE001 - the worker process itself died
                for region in share:
                    results.setdefault(region, (f"工作进程意外退出：{_message(exc)}", None, 0.0, {}))
    return results


def _raise_failures(regions: list[str], results: dict[str, tuple]) -> None:
    """:class:`RegionError` naming every county that failed (with the first failed
    county's notebook, and an OS error behind a failure: a full disk)."""
    failures = {r: results[r][0] for r in regions if results.get(r, ("未运行",))[0]}
    if not failures:
        return
    first = next(iter(failures))
    detail = "；".join(f"“{r}”：{msg}" for r, msg in failures.items())
    nb = results[first][1]
    os_error = next((results[r][3] for r in failures if results[r][3]), {})
    raise RegionError(
        f"{len(failures)} 个县区的通报未能生成（{'、'.join(failures)}）：{detail}",
        failures,
        Path(nb) if nb else None,
        **os_error,
    )
