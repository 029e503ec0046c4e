#!/usr/bin/env python
"""Ledger-to-bulletin pipeline.

Stages of ``run`` (each a papermill-executed notebook under ``notebooks/``, kept in
``reports/<period>/notebooks/`` as the audit trail):

1. clean       — read every workbook of ``<raw-dir>/<period>/``, write cleaned records,
                 quality.csv, row accounting and the counties' quality workbooks;
2. indicators  — compute indicators.csv from the cleaned records;
3. bulletin    — narrative, tables and charts of the 通报;
4. publish     — bulletin.html (self-contained) and bulletin.pdf (A4) from that notebook.

``run --per-region`` also renders one bulletin per county, in parallel processes.

Other commands: ``sample`` writes the demo city's messy ledgers; ``check`` runs only
the readers and the quality report, for a county's file the day it arrives;
``province`` runs every city folder under a root, cities in parallel processes.
``verify`` recomputes the SHA-256 of the raw files and says whether the published
bulletin still matches them.
Exit codes: 0 ok, 1 data errors under --strict (verify: no longer matches), 2 usage,
3 run failure (a cell failed, a kernel died or timed out, another run holds the lock).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from bulletin import paths


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log each step.")
def cli(verbose: bool) -> None:
    """双鸭山市招商引资和项目建设通报流水线。"""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    if not verbose:  # library chatter (CSS it ignores, font subsetting) is not for the user
        for name in ("weasyprint", "fontTools", "papermill", "traitlets"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # papermill logs a failed cell or a dead kernel in English; the Chinese message says it
        logging.getLogger("papermill").setLevel(logging.CRITICAL)


def _printable(text) -> str:
    """Text for the terminal: control characters (from ledger text in an error message)
    are shown as escapes, never sent to the terminal."""
    return "".join(
        ch if ch in "\n\t" or (ch.isprintable() and not 0x80 <= ord(ch) < 0xA0) else ascii(ch)[1:-1] for ch in str(text)
    )


def _fail(exc) -> None:
    from bulletin.errors import PipelineError, StageError

    if not isinstance(exc, PipelineError):  # a bug or the system (disk full …): a run failure, exit 3
        logging.getLogger("pipeline").info("unexpected error", exc_info=exc)
        click.echo(f"错误：运行失败（{type(exc).__name__}: {_printable(exc)}）。加 -v 可显示详细信息。", err=True)
        sys.exit(3)
    click.echo(f"错误：{_printable(exc)}", err=True)
    if isinstance(exc, StageError) and exc.notebook:
        click.echo(f"请打开已执行的笔记本查看出错单元格：{_printable(exc.notebook)}", err=True)
    sys.exit(exc.exit_code)


@cli.command()
@click.option("--period", required=True, help="YYYY-MM, e.g. 2020-06")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=paths.RAW_DIR, show_default=True)
@click.option("--processed-dir", type=click.Path(path_type=Path), default=paths.PROCESSED_DIR, show_default=True)
@click.option("--reports-dir", type=click.Path(path_type=Path), default=paths.REPORTS_DIR, show_default=True)
@click.option("--config-dir", type=click.Path(path_type=Path), default=None, help="YAML files extending config/.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when any ledger row has an error.")
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    help="Seconds allowed per notebook cell (a hung cell or kernel stops the run).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="Seconds to wait for another run of the same period (0: refuse at once).",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the bulletin."
)
@click.option("--force", is_flag=True, help="Rerun every stage even when nothing changed.")
@click.option(
    "--per-region",
    is_flag=True,
    help="Also render one bulletin per county (in parallel) into <reports>/<period>/regions/<county>/.",
)
def run(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, wait, lang, force, per_region):
    """Run the whole monthly pipeline for PERIOD (only the stages whose inputs changed)."""
    from bulletin.runner.run import run as run_pipeline

    try:
        result = run_pipeline(
            period,
            raw_dir,
            processed_dir,
            reports_dir,
            config_dir,
            strict,
            timeout,
            lock_timeout=wait,
            lang=lang,
            force=force,
            per_region=per_region,
        )
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    click.echo(f"{'通报未变化' if result.unchanged else '通报已生成'}：{result.reports / 'bulletin.html'}")
    click.echo(f"          {result.reports / 'bulletin.pdf'}")
    regions = result.reports / "regions"
    if per_region and regions.is_dir():
        n = sum(1 for p in regions.iterdir() if (p / "bulletin.html").is_file())
        click.echo(f"各县区通报（{n} 个）：{regions}/<县区>/bulletin.html、bulletin.pdf")
    click.echo(f"指标：{result.processed / 'indicators.csv'}；数据质量反馈：{result.reports / 'quality'}/")
    click.echo(f"用时 {result.seconds['total']:.1f} 秒")


@cli.command()
@click.option("--period", required=True, help="YYYY-MM, e.g. 2020-06")
@click.option(
    "--root",
    required=True,
    type=click.Path(path_type=Path),
    help="One sub-folder per city, each with raw/<period>/ (and optionally config/).",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Cities run at the same time (default: one per core)."
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--force", is_flag=True, help="Rerun every stage of every city even when nothing changed.")
@click.option("--per-region", is_flag=True, help="Also render each city's county bulletins.")
@click.option(
    "--timeout", type=click.IntRange(min=1), default=600, show_default=True, help="Seconds allowed per notebook cell."
)
def province(period, root, workers, lang, force, per_region, timeout):
    """Run PERIOD for every city under ROOT, cities in parallel processes.

    Writes <root>/<city>/processed and <root>/<city>/reports; one summary line per city;
    exit code 0 when every city succeeded, else the highest failure code."""
    import time

    from bulletin.runner.province import exit_code, run_province

    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    started = time.perf_counter()
    try:
        results = run_province(
            period, root, workers, lang=lang, force=force, timeout=timeout, per_region=per_region, verbose=verbose
        )
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    for r in results:
        mark = "成功" if r.ok else f"失败（退出码 {r.code}）"
        click.echo(_printable(f"{r.city}：{mark}，{r.message}（{r.seconds:.1f} 秒）"))
    failed = [r for r in results if not r.ok]
    click.echo(
        f"全省 {len(results)} 个城市：成功 {len(results) - len(failed)} 个，失败 {len(failed)} 个；"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    sys.exit(exit_code(results))


@cli.command()
@click.option("--raw-dir", type=click.Path(path_type=Path), default=paths.RAW_DIR, show_default=True)
@click.option("--period", "periods", multiple=True, default=("2020-05", "2020-06"), show_default=True)
def sample(raw_dir, periods):
    """Write the demo city's sample ledgers (deterministic)."""
    from bulletin.sample import write_sample

    files = write_sample(Path(raw_dir), tuple(periods))
    click.echo(f"已写入示例台账 {len(files)} 个文件：{Path(raw_dir).resolve()}")


@cli.command()
@click.option("--period", required=True)
@click.option("--raw-dir", type=click.Path(path_type=Path), default=paths.RAW_DIR, show_default=True)
@click.option("--out-dir", type=click.Path(path_type=Path), default=None, help="Default: <reports-dir>/check-<period>/")
@click.option("--config-dir", type=click.Path(path_type=Path), default=None)
def check(period, raw_dir, out_dir, config_dir):
    """Only read the ledgers and write the quality report (fast, no notebooks)."""
    from bulletin.errors import UsageError
    from bulletin.runner.params import validate_period
    from bulletin.stages import clean_stage

    out = Path(out_dir) if out_dir else paths.REPORTS_DIR / f"check-{period}"
    try:
        validate_period(period)
        if not (Path(raw_dir) / period).is_dir():
            raise UsageError(f"找不到原始数据文件夹 {Path(raw_dir) / period}")
        if out.resolve().is_relative_to(Path(raw_dir).resolve()):
            raise UsageError(f"输出文件夹 {out} 位于原始数据文件夹之内；原始数据只读，请另选文件夹")
        if config_dir and not Path(config_dir).is_dir():
            raise UsageError(f"找不到配置文件夹 {config_dir}")
    except UsageError as exc:
        _fail(exc)
    try:
        s = clean_stage(period, raw_dir, out / "data", out, config_dir or "")
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    click.echo(
        f"读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，合计/备注行 {s['total_note_rows']}，"
        f"退回 {s['rejected_rows']}；错误 {s['errors']} 条，警告 {s['warnings']} 条，"
        f"未读取工作表 {s['skipped_sheets']} 个"
    )
    click.echo(f"问题清单：{out / 'data' / period / 'quality.csv'}")
    click.echo(f"各县区反馈表：{out / period / 'quality'}/")
    sys.exit(1 if s["errors"] else 0)


@cli.command()
@click.option("--period", required=True, help="YYYY-MM, e.g. 2020-06")
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Default: the raw folder recorded in the bulletin's manifest.json.",
)
@click.option("--processed-dir", type=click.Path(path_type=Path), default=paths.PROCESSED_DIR, show_default=True)
@click.option("--reports-dir", type=click.Path(path_type=Path), default=paths.REPORTS_DIR, show_default=True)
def verify(period, raw_dir, processed_dir, reports_dir):
    """Does the published bulletin of PERIOD still match the raw files? (exit 0 yes, 1 no)"""
    from bulletin.runner.verify import verify as verify_run

    try:
        result = verify_run(period, raw_dir, processed_dir, reports_dir)
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    for line in result.lines:
        click.echo(_printable(line))
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    cli()
