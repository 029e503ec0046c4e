#!/usr/bin/env python
"""Ledger-to-bulletin pipeline.

Stages of ``run`` (each a papermill-executed notebook under ``notebooks/``, kept in
``reports/<period>/notebooks/`` as the audit trail):

1. clean       — read every workbook of ``<raw-dir>/<period>/``, write cleaned records,
                 quality.csv, row accounting and the counties' quality workbooks;
2. indicators  — compute indicators.csv from the cleaned records;
3. bulletin    — narrative, tables and charts of the 通报;
4. publish     — bulletin.html (self-contained) and bulletin.pdf (A4) from that notebook.

Other commands: ``sample`` writes the demo city's messy ledgers; ``check`` runs only
the readers and the quality report, for a county's file the day it arrives.
Exit codes: 0 ok, 1 data errors under --strict, 2 usage, 3 run failure.
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
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not verbose:  # library chatter (CSS it ignores, font subsetting) is not for the user
        for name in ("weasyprint", "fontTools", "papermill", "traitlets"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _fail(exc) -> None:
    from bulletin.run import StageError

    click.echo(f"错误：{exc}", err=True)
    if isinstance(exc, StageError) and exc.notebook:
        click.echo(f"请打开已执行的笔记本查看出错单元格：{exc.notebook}", err=True)
    sys.exit(exc.exit_code)


@cli.command()
@click.option("--period", required=True, help="YYYY-MM, e.g. 2020-06")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=paths.RAW_DIR, show_default=True)
@click.option("--processed-dir", type=click.Path(path_type=Path), default=paths.PROCESSED_DIR, show_default=True)
@click.option("--reports-dir", type=click.Path(path_type=Path), default=paths.REPORTS_DIR, show_default=True)
@click.option("--config-dir", type=click.Path(path_type=Path), default=None, help="YAML files extending config/.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when any ledger row has an error.")
@click.option("--timeout", type=int, default=600, show_default=True, help="Seconds allowed per notebook cell.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the bulletin.")
def run(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang):
    """Run the whole monthly pipeline for PERIOD."""
    from bulletin.run import PipelineError, run as run_pipeline

    try:
        result = run_pipeline(period, raw_dir, processed_dir, reports_dir, config_dir, strict, timeout, lang=lang)
    except PipelineError as exc:
        _fail(exc)
    click.echo(f"通报已生成：{result.reports / 'bulletin.html'}")
    click.echo(f"          {result.reports / 'bulletin.pdf'}")
    click.echo(f"指标：{result.processed / 'indicators.csv'}；数据质量反馈：{result.reports / 'quality'}/")
    click.echo(f"用时 {result.seconds['total']:.1f} 秒")


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
@click.option("--out-dir", type=click.Path(path_type=Path), default=None,
              help="Default: <reports-dir>/check-<period>/")
@click.option("--config-dir", type=click.Path(path_type=Path), default=None)
def check(period, raw_dir, out_dir, config_dir):
    """Only read the ledgers and write the quality report (fast, no notebooks)."""
    from bulletin.run import UsageError, validate_period
    from bulletin.stages import clean_stage

    try:
        validate_period(period)
        if not (Path(raw_dir) / period).is_dir():
            raise UsageError(f"找不到原始数据文件夹 {Path(raw_dir) / period}")
    except UsageError as exc:
        _fail(exc)
    out = Path(out_dir) if out_dir else paths.REPORTS_DIR / f"check-{period}"
    s = clean_stage(period, raw_dir, out / "data", out, config_dir or "")
    click.echo(f"读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，合计/备注行 {s['total_note_rows']}，"
               f"退回 {s['rejected_rows']}；错误 {s['errors']} 条，警告 {s['warnings']} 条，"
               f"未读取工作表 {s['skipped_sheets']} 个")
    click.echo(f"问题清单：{out / 'data' / period / 'quality.csv'}")
    click.echo(f"各县区反馈表：{out / period / 'quality'}/")
    sys.exit(1 if s["errors"] else 0)


if __name__ == "__main__":
    cli()
