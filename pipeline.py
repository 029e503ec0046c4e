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
bulletin still matches them (and the issued copies their record); ``issue`` freezes the
reviewed bulletin into ``reports/<period>/issued/<n>/`` (read-only).
Exit codes: 0 ok, 1 data errors under --strict or a county's ledger missing under
--require-all (verify: no longer matches), 2 usage (incl. a month without any readable
ledger), 3 run failure (a cell failed, a kernel died or timed out, another run holds
the lock, the disk is full).
"""

from __future__ import annotations

import errno
import logging
import sys
from pathlib import Path

import click

from bulletin import paths
from bulletin.runner.cli_zh import Group
from bulletin.runner.cli_zh import install as _click_in_chinese

_click_in_chinese()  # click's own words (用法、选项、错误) in Chinese
PERIOD_HELP = "统计月份 YYYY-MM，例如 2020-06（年初至该月末累计）"
RAW_HELP = "原始台账文件夹：其下每月一个子文件夹 <月份>/（只读）"
PROCESSED_HELP = "清洗结果和指标的输出文件夹"
REPORTS_HELP = "通报、质量反馈表等报告的输出文件夹"
CONFIG_HELP = "配置文件夹（YAML，补充内置配置）；不给时读取本单位配置文件夹（config/ 或环境变量 BULLETIN_CONFIG_DIR）"
LANG_HELP = "通报语言：zh 中文；en 英文版（English edition of the bulletin）"


def _dir_option(name: str, default, help: str):
    """A folder option (``DIR``), its default shown in the help when it has one."""
    return click.option(
        name,
        type=click.Path(path_type=Path),
        default=default,
        show_default=default is not None,
        metavar="DIR",
        help=help,
    )


# the options several commands share, declared once
def _period(ctx, param, value):
    """The period as one folder name: NFKC (full-width digits) and stripped; a value that
    is not a period is left to the command, which refuses it (exit 2)."""
    from bulletin.errors import UsageError
    from bulletin.runner.params import normalise_period

    try:
        return normalise_period(value)
    except UsageError:  # the command checks it and says why (exit 2)
        return value


PERIOD_OPTION = click.option("--period", required=True, metavar="YYYY-MM", callback=_period, help=PERIOD_HELP)
RAW_DIR_OPTION = _dir_option("--raw-dir", paths.RAW_DIR, RAW_HELP)
PROCESSED_DIR_OPTION = _dir_option("--processed-dir", paths.PROCESSED_DIR, PROCESSED_HELP)
REPORTS_DIR_OPTION = _dir_option("--reports-dir", paths.REPORTS_DIR, REPORTS_HELP)
CONFIG_DIR_OPTION = _dir_option("--config-dir", None, CONFIG_HELP)
LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", is_flag=True, help="显示每一步的详细日志（排查问题时用）。")
def cli(verbose: bool) -> None:
    """招商引资和项目建设通报流水线：各县区台账 → 清洗记录、指标、通报、数据质量反馈表。

    每月例行：把当月各县区报送的台账放进 data/raw/<月份>/，然后运行
    pipeline.py run --period <月份>。各命令的用法：pipeline.py <命令> -h；
    操作手册：docs/操作手册.md。

    退出码：0 成功；1 台账有错误（--strict）、台账不齐（--require-all）或 check 发现错误、
    verify 不一致；2 用法或参数错误；3 运行失败（含同一月份正在运行）。"""
    _logging(verbose)


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        force=True,
    )
    if not verbose:  # library chatter (CSS it ignores, font subsetting) is not for the user
        for name in ("weasyprint", "fontTools", "papermill", "traitlets"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # papermill logs a failed cell or a dead kernel in English; the Chinese message says it
        logging.getLogger("papermill").setLevel(logging.CRITICAL)
    else:
        for name in ("weasyprint", "fontTools", "papermill", "traitlets"):
            logging.getLogger(name).setLevel(logging.NOTSET)


def _verbose(ctx, param, value) -> None:
    if value:
        _logging(True)


# -v after the command (pipeline.py run -v …) as well as before it (pipeline.py -v run …)
VERBOSE_HELP = "显示每一步的详细日志（排查问题时用）。"
# (only the short name after the command: a mistyped long option is not offered --verbose)
VERBOSE_OPTION = click.option("-v", "verbose", is_flag=True, expose_value=False, callback=_verbose, help=VERBOSE_HELP)


def _printable(text) -> str:
    """Text for the terminal: control characters (from ledger text in an error message)
    are shown as escapes, never sent to the terminal."""
    return "".join(
        ch if ch in "\n\t" or (ch.isprintable() and not 0x80 <= ord(ch) < 0xA0) else ascii(ch)[1:-1] for ch in str(text)
    )


def _fail(exc) -> None:
    from bulletin.errors import PipelineError, StageError

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        from bulletin.runner.run import disk_full

        click.echo(f"错误：{_printable(disk_full(exc.filename, Path.cwd()))}", err=True)
        sys.exit(3)
    if not isinstance(exc, PipelineError):  # a bug or the system: a run failure, exit 3
        logging.getLogger("pipeline").info("unexpected error", exc_info=exc)
        hint = "加 -v 重新运行可显示详细信息（如 pipeline.py run -v …）"
        click.echo(f"错误：运行失败（{type(exc).__name__}: {_printable(exc)}）。{hint}。", err=True)
        sys.exit(3)
    click.echo(f"错误：{_printable(exc)}", err=True)
    if isinstance(exc, StageError) and exc.notebook:
        click.echo(f"请打开已执行的笔记本查看出错单元格：{_printable(exc.notebook)}", err=True)
    sys.exit(exc.exit_code)


@cli.command()
@VERBOSE_OPTION
@PERIOD_OPTION
@RAW_DIR_OPTION
@PROCESSED_DIR_OPTION
@REPORTS_DIR_OPTION
@CONFIG_DIR_OPTION
@click.option("--strict", is_flag=True, help="严格模式：台账中有任何错误行即不生成通报（退出码 1），只写出问题清单。")
@click.option(
    "--require-all",
    is_flag=True,
    help="要求台账齐全：有县区的签约、活动或项目台账未报送或无法读取时不生成通报（退出码 1），只写出问题清单。",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="每个笔记本单元格（及 PDF 生成）允许的最长秒数；超时即停止运行。",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="同一月份已有运行时最多等待的秒数（0：立即拒绝）。",
)
@LANG_OPTION
@click.option("--force", is_flag=True, help="即使台账、配置和代码都没有变化，也重新运行全部阶段。")
@click.option(
    "--per-region",
    is_flag=True,
    help="同时为每个县区生成本县区的通报（并行），写到 <报告文件夹>/<月份>/regions/<县区>/。",
)
def run(
    period, raw_dir, processed_dir, reports_dir, config_dir, strict, require_all, timeout, wait, lang, force, per_region
):
    """生成某月的通报：读取台账、计算指标、生成通报（HTML、PDF、Word、Excel）和各县区数据质量反馈表。

    只重新运行输入有变化的阶段；没有变化时什么也不做（--force 强制重算）。
    运行失败时上次成功的结果保持不变。"""
    from bulletin.runner.run import run as run_pipeline

    try:
        result = run_pipeline(
            period,
            raw_dir,
            processed_dir,
            reports_dir,
            config_dir,
            strict=strict,
            timeout=timeout,
            lock_timeout=wait,
            lang=lang,
            force=force,
            per_region=per_region,
            require_all=require_all,
        )
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    for line in _published(result, lang, per_region):
        click.echo(line)
    click.echo(f"指标：{result.processed / 'indicators.csv'}；数据质量反馈：{result.reports / 'quality'}/")
    click.echo(f"用时 {result.seconds['total']:.1f} 秒")
    for line in result.submissions:  # who did not report: last, where the office looks
        click.echo(_printable(line))


def _published(result, lang: str, per_region: bool) -> list[str]:
    """The terminal lines naming what the run published: every file of the edition
    (HTML, PDF, Word, Excel, the internal edition) that is there, one per line."""
    from bulletin.publish.names import REGIONS, edition_files, listed

    files = edition_files(lang)
    notes = {"internal": "（内部版，附数据来源）"}
    shown = [k for k in listed() if (result.reports / files[k]).is_file()]
    head = "通报未变化" if result.unchanged else "通报已生成"
    lines = [
        f"{head + '：' if i == 0 else ' ' * 12}{result.reports / files[k]}{notes.get(k, '')}"
        for i, k in enumerate(shown)
    ]
    regions = result.reports / REGIONS
    if per_region and regions.is_dir():
        n = sum(1 for p in regions.iterdir() if (p / files["html"]).is_file())
        names = "、".join(files[k] for k in listed("issued"))
        lines.append(f"各县区通报（{n} 个）：{regions}/<县区>/{names}")
    return lines


@cli.command()
@VERBOSE_OPTION
@PERIOD_OPTION
@click.option(
    "--root",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="每个城市一个子文件夹，内含 raw/<月份>/（可另有该市的 config/）。",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="同时运行的城市数（默认：每个处理器核一个）。",
)
@LANG_OPTION
@click.option("--force", is_flag=True, help="即使没有变化，也重新运行每个城市的全部阶段。")
@click.option("--per-region", is_flag=True, help="同时生成各城市的县区通报。")
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="每个笔记本单元格允许的最长秒数。",
)
def province(period, root, workers, lang, force, per_region, timeout):
    """全省：对 --root 下的每个城市运行该月的流水线（多个城市并行）。

    结果写到 <root>/<城市>/processed 和 <root>/<城市>/reports；每个城市一行小结。
    全部成功时退出码为 0，否则为各城市中最高的失败退出码。"""
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
@VERBOSE_OPTION
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path),
    default=paths.RAW_DIR,
    show_default=True,
    metavar="DIR",
    help="示例台账写入的原始数据文件夹。",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    default=("2019-06", "2020-05", "2020-06"),
    show_default=True,
    metavar="YYYY-MM",
    help="要写的月份（可重复；示例数据只有 2019-06（上年同期，用于同比）、2020-05、2020-06）。",
)
def sample(raw_dir, periods):
    """写出演示城市（双鸭山市）的示例台账：格式各异、有意带错，用于试用和测试（每次结果相同）。"""
    from bulletin.sample import write_sample

    files = write_sample(Path(raw_dir), tuple(periods))
    click.echo(f"已写入示例台账 {len(files)} 个文件：{Path(raw_dir).resolve()}")


@cli.command()
@VERBOSE_OPTION
@PERIOD_OPTION
@RAW_DIR_OPTION
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="问题清单和反馈表的输出文件夹（默认：reports/check-<月份>/）。",
)
@CONFIG_DIR_OPTION
@click.option(
    "--explain",
    is_flag=False,
    flag_value="*",
    default=None,
    metavar="[文件]",
    help="同时显示每个工作表是怎样读取的（台账类型、表头、各列对应的字段、县区/类别/单位的来源）；"
    "可只看某个文件（文件名、路径或通配符）。",
)
def check(period, raw_dir, out_dir, config_dir, explain):
    """只检查台账：读取当月台账，写出问题清单和各县区反馈表（快，不生成通报）。

    县区报来文件的当天即可运行；有错误时退出码为 1。"""
    from bulletin.errors import UsageError
    from bulletin.runner.params import check_config_dir, check_snapshot, checked_config, validate_period
    from bulletin.runner.submissions import block, labels_of, read_register
    from bulletin.stages import clean_stage

    out = Path(out_dir) if out_dir else paths.REPORTS_DIR / f"check-{period}"
    try:
        validate_period(period)
        if not (Path(raw_dir) / period).is_dir():
            raise UsageError(f"找不到原始数据文件夹 {Path(raw_dir) / period}")
        if out.resolve().is_relative_to(Path(raw_dir).resolve()):
            raise UsageError(f"输出文件夹 {out} 位于原始数据文件夹之内；原始数据只读，请另选文件夹")
        cfg = checked_config(check_config_dir(config_dir))
        check_snapshot(Path(raw_dir) / period, period)
    except UsageError as exc:
        _fail(exc)
    try:
        from bulletin.read.workbook import discover
        from bulletin.runner.progress import bar

        with bar(len(discover(Path(raw_dir) / period)[0]), "读取台账", "个文件") as files:
            s = clean_stage(
                period,
                cfg,
                raw_dir=raw_dir,
                processed_dir=out / "data",
                reports_dir=out,
                progress=lambda path: files.update(1),
            )
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    click.echo(
        f"读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，合计/备注行 {s['total_note_rows']}，"
        f"退回 {s['rejected_rows']}；错误 {s['errors']} 条，警告 {s['warnings']} 条，"
        f"未读取工作表 {s['skipped_sheets']} 个"
    )
    if explain:
        from bulletin.ledgers.explain import explain_folder

        click.echo(_printable(explain_folder(out / "data" / period, explain)))
    click.echo(f"问题清单：{out / 'data' / period / 'quality.csv'}")
    click.echo(f"各县区反馈表：{out / period / 'quality'}/")
    for line in block(read_register(out / "data" / period), period, labels_of(cfg)):
        click.echo(_printable(line))
    sys.exit(1 if s["errors"] else 0)


@cli.command()
@VERBOSE_OPTION
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), metavar="DIR", help="模板写到哪个文件夹。"
)
@click.option("--region", default="", metavar="县区", help="县区名称或简称：写进模板的标题、填报单位和文件名。")
@CONFIG_DIR_OPTION
def templates(out_dir, region, config_dir):
    """写出各类台账的标准填报模板（签约项目、招商活动、重点项目、目标任务），发给各县区使用。

    表头与系统识别的一致；是/否、开复工情况、产业链、县区、签约方式等为下拉选择，
    日期和金额有校验，每列有中文填写提示，另附“填报说明”工作表。"""
    from bulletin.errors import UsageError
    from bulletin.ledger_templates import resolve_region, write_templates
    from bulletin.runner.params import check_config_dir, checked_config

    try:
        cfg = checked_config(check_config_dir(config_dir))
        written = write_templates(out_dir, cfg, region)
        name = resolve_region(region, cfg)
    except UsageError as exc:
        _fail(exc)
    except ValueError as exc:
        _fail(UsageError(str(exc)))
    for path in written:
        click.echo(f"已写入：{path}")
    click.echo(f"共 {len(written)} 个模板{('（' + name + '）') if name else ''}：{Path(out_dir).resolve()}")


@cli.group()
def config() -> None:
    """本单位配置文件夹：县区、产业链、地名、表头别名等（不改代码即可扩充）。

    每次运行都会读取本单位配置文件夹（默认为仓库根目录下的 config/，或环境变量
    BULLETIN_CONFIG_DIR 所指的文件夹），不需要 --config-dir。"""


@config.command("init")
@VERBOSE_OPTION
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="写到哪个文件夹（默认：本单位配置文件夹）。",
)
@click.option("--force", is_flag=True, help="覆盖文件夹中已有的同名文件。")
def config_init(folder, force):
    """把内置的默认配置（带中文说明）、发文信息 document.yaml 和通报措辞 wording/ 复制到本单位配置文件夹，供修改。"""
    from bulletin.config import init_folder

    folder = Path(folder) if folder else paths.office_config_dir()
    try:
        written, kept = init_folder(folder, force)
    except OSError as exc:
        click.echo(f"错误：无法写入配置文件夹 {folder}：{exc.strerror or exc}", err=True)
        sys.exit(2)
    for path in written:
        click.echo(f"已写入：{path}")
    for path in kept:
        click.echo(f"已存在，未覆盖：{path}（--force 可覆盖）")
    click.echo(f"本单位配置文件夹：{folder.resolve()}；修改后直接运行即可，每次运行都会读取。")


@config.command("show")
@VERBOSE_OPTION
@CONFIG_DIR_OPTION
def config_show(config_dir):
    """显示运行时使用的配置：配置文件夹、城市、县区（别名、英文名）、产业链。"""
    from bulletin.errors import UsageError
    from bulletin.runner.params import check_config_dir, checked_config

    try:
        folder = check_config_dir(config_dir)
        cfg = checked_config(folder)
    except UsageError as exc:
        _fail(exc)
    click.echo(f"配置文件夹：{folder if folder else '无（只用内置默认配置）'}")
    click.echo(f"城市：{cfg.city}（英文：{cfg.english.get(cfg.city, '—')}）")
    click.echo(f"县区（{len(cfg.region_names)} 个）：")
    for r in cfg.raw["regions"]["regions"]:
        aliases = "、".join(r.get("aliases") or []) or "—"
        click.echo(_printable(f"  {r['name']}  别名：{aliases}  英文：{r.get('en') or '—'}"))
    chains = [c["name"] for c in cfg.raw["chains"]["chains"]]
    click.echo(_printable(f"产业链（{len(chains)} 条）：{'、'.join(chains)}"))


@cli.command()
@VERBOSE_OPTION
@PERIOD_OPTION
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="原始台账文件夹（默认：通报 manifest.json 中记录的文件夹）。",
)
@PROCESSED_DIR_OPTION
@REPORTS_DIR_OPTION
def verify(period, raw_dir, processed_dir, reports_dir):
    """核对已发布的通报是否仍与原始台账一致（一致退出码 0，不一致 1）。"""
    from bulletin.runner.verify import verify as verify_run

    try:
        result = verify_run(period, raw_dir, processed_dir, reports_dir)
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    for line in result.lines:
        click.echo(_printable(line))
    sys.exit(0 if result.ok else 1)


@cli.command()
@PERIOD_OPTION
@REPORTS_DIR_OPTION
@PROCESSED_DIR_OPTION
def issue(period, reports_dir, processed_dir):
    """印发：把审核过的当期通报原样存入 reports/<月份>/issued/<序号>/（只读），以后的运行不会改动它。

    存入的是各语言、各格式、各县区版的通报，质量反馈表，来源记录和指标；另写 issue.json（印发时间、印发人、
    每个文件的 SHA-256）。印发后又改了数字时，下次运行的通报带“修订说明”，标题加“（修订）”。"""
    from bulletin.runner.issue import issue as issue_run

    try:
        done = issue_run(period, reports_dir, processed_dir)
    except Exception as exc:  # noqa: BLE001 - every failure ends as a Chinese message and an exit code
        _fail(exc)
    click.echo(
        _printable(
            f"已印发 {period} 第 {done.number} 版：{done.files} 个文件存入 {done.folder}（只读），"
            f"印发时间 {done.record['issued_at'].replace('T', ' ')}，印发人 {done.record['issued_by']}"
        )
    )


if __name__ == "__main__":
    cli()
