"""A province's cities in one command (``pipeline.py province``).

The root folder holds one sub-folder per city, each laid out like a city's own
installation::

    <root>/<city>/raw/<period>/      the city's ledgers (read-only)
    <root>/<city>/config/            optional: that city's --config-dir
    <root>/<city>/processed/         written: processed tables, as pipeline.py run writes them
    <root>/<city>/reports/           written: the bulletin (and, with --per-region, the county editions)

Each city is one ordinary :func:`bulletin.run.run` — with its own lock, staging and
atomic swap, so a failed city never touches another city's or its own last good
bulletin — and the cities run in a :class:`concurrent.futures.ProcessPoolExecutor`
(``workers`` processes, default one per core). Sub-folders without ``raw/`` (and
hidden ones) are not cities. The result is one :class:`CityResult` per city, in name
order; the exit code of the whole is 0 when every city succeeded, else the highest
failure code (2 usage, 3 run failure, 1 ``--strict`` data errors).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from bulletin.runner.progress import bar
from bulletin.runner.progress import enabled as progress_enabled
from bulletin.runner.regions import WORKERS_ENV

QUIET = ("weasyprint", "fontTools", "papermill", "traitlets")


@dataclass
class CityResult:
    city: str
    code: int  # 0 ok, else the city's exit code
    message: str  # Chinese, one line
    seconds: float = 0.0
    reports: Path | None = None  # <root>/<city>/reports/<period> when it succeeded
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0


def find_cities(root: Path) -> list[Path]:
    """The city folders of ``root``: sub-folders holding ``raw/``, in name order."""
    return sorted(p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "raw").is_dir())


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    if not verbose:
        for name in QUIET:
            logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger("papermill").setLevel(logging.CRITICAL)


def run_city(
    period: str,
    city_dir: str,
    *,
    lang: str = "zh",
    force: bool = False,
    timeout: int | None = 600,
    per_region: bool = False,
    strict: bool = False,
    region_workers: int | None = None,
    verbose: bool = False,
    prefix: bool = True,
    echo: bool = True,
) -> CityResult:
    """One city's run (in a worker process); never raises: failures become the result.
    ``echo``: print the run's step lines (``[city] …``); off under a progress bar."""
    from bulletin.errors import PipelineError
    from bulletin.publish.names import edition_files
    from bulletin.runner.run import run
    from bulletin.text import short

    _logging(verbose)
    if region_workers:
        os.environ[WORKERS_ENV] = str(region_workers)
    city = Path(city_dir)
    name = city.name

    def say(message: str) -> None:
        if echo:
            print(f"[{name}] {message}" if prefix else message, flush=True)

    config = city / "config"
    t0 = time.perf_counter()
    try:
        refuse_links(city)
        result = run(
            period,
            city / "raw",
            city / "processed",
            city / "reports",
            config if config.is_dir() else None,
            strict=strict,
            timeout=timeout,
            lang=lang,
            say=say,
            force=force,
            per_region=per_region,
        )
    except PipelineError as exc:
        return CityResult(name, exc.exit_code, " ".join(str(exc).split()), time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - a bug or the system: a run failure of this city
        logging.getLogger(__name__).info("city %s failed", name, exc_info=True)
        return CityResult(name, 3, f"运行失败（{type(exc).__name__}: {short(str(exc))}）", time.perf_counter() - t0)
    done = "通报未变化" if result.unchanged else "通报已生成"
    return CityResult(
        name,
        0,
        f"{done}：{result.reports / edition_files(lang)['html']}",
        time.perf_counter() - t0,
        result.reports,
        result.unchanged,
    )


def refuse_links(city: Path) -> None:
    """A city folder, or its processed/reports folder, that is a link is refused
    (UnsafePath): the run would write wherever the link points (SPEC §14)."""
    from bulletin.errors import UnsafePath

    for path in (city, city / "processed", city / "reports"):
        if path.is_symlink():
            raise UnsafePath(
                f"{path} 是一个链接（指向 {os.readlink(path)}），出于安全考虑未运行该城市；"
                "请把该城市的文件夹直接放在全省数据文件夹下",
                file=path,
            )


def run_province(
    period: str,
    root: str | os.PathLike,
    workers: int | None = None,
    *,
    lang: str = "zh",
    force: bool = False,
    timeout: int | None = 600,
    per_region: bool = False,
    strict: bool = False,
    verbose: bool = False,
) -> list[CityResult]:
    """Every city of ``root`` (see the module docstring), ``workers`` at a time.
    Raises :class:`bulletin.run.UsageError` for a bad period or root; a city's own
    problems (a missing raw folder included) are its result, not an exception."""
    from bulletin.errors import UsageError
    from bulletin.runner.params import validate_period

    validate_period(period)
    root = Path(root).resolve()
    if not root.is_dir():
        raise UsageError(f"找不到全省数据文件夹 {root}")
    cities = find_cities(root)
    if not cities:
        raise UsageError(f"{root} 下没有城市文件夹（每个城市一个子文件夹，内有 raw/{period}/ 存放该市台账）")
    cores = os.cpu_count() or 1
    n = max(1, min(workers or cores, len(cities)))
    region_workers = max(1, cores // n)  # --per-region inside each city: share the cores
    results = {}
    # on a terminal, a bar of the cities done instead of every city's step lines
    echo = verbose or not progress_enabled()
    with (
        bar(len(cities), "全省各城市", "个城市") as done,
        ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        futures = {
            pool.submit(
                run_city,
                period,
                str(c),
                lang=lang,
                force=force,
                timeout=timeout,
                per_region=per_region,
                strict=strict,
                region_workers=region_workers,
                verbose=verbose,
                prefix=True,
                echo=echo,
            ): c
            for c in cities
        }
        for future in as_completed(futures):
            city = futures[future]
            try:
                results[city] = future.result()
            except Exception as exc:  # noqa: BLE001 - the worker process itself died (killed, out of memory)
                results[city] = CityResult(city.name, 3, f"工作进程意外退出（{type(exc).__name__}: {exc}）")
            done.update(1)
    return [results[c] for c in cities]


def exit_code(results: list[CityResult]) -> int:
    """0 when every city succeeded, else the highest failure code."""
    return max((r.code for r in results), default=0)
