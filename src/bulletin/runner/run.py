"""Orchestration: validate, lock, stage, execute the notebooks with papermill, publish,
and move the outputs into place only when everything succeeded.

Exit codes (``pipeline.py``): 0 ok; 1 data errors under ``--strict``, or a county's
ledger missing or unreadable under ``--require-all`` (and ``verify``: the bulletin no
longer matches); 2 usage (bad parameters, missing folders, a month folder without any
readable ledger); 3 run
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
import errno
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import paths
from bulletin.contract import NOTEBOOK_STAGES, PUBLISHED_STATUSES, STAGE_LABELS, STAGES
from bulletin.errors import DataErrors, PipelineError, PublishTimeout, StageError, UsageError, os_error_of
from bulletin.files import write_json
from bulletin.publish.names import REGIONS, SKIP_ENV, skipped_renders
from bulletin.runner.context import Flags, Plan, RunContext, say_out
from bulletin.runner.editions import all_editions, describe, keep_others, made_by
from bulletin.runner.issue import carry_archives, comparison_key, write_reference
from bulletin.runner.kernel import KERNEL_NAME, kernel_env
from bulletin.runner.lock import owner_text, period_lock
from bulletin.runner.notebook import execute, time_limit
from bulletin.runner.pages import publish_pages
from bulletin.runner.params import check_parameters
from bulletin.runner.provenance import MANIFEST, inputs, manifest, output_hashes
from bulletin.runner.submissions import block, incomplete, read_register
from bulletin.runner.swap import commit, pause, recover
from bulletin.text import short

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    period: str
    processed: Path
    reports: Path
    summary: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    unchanged: bool = False  # nothing changed since the last good run: nothing was run
    submissions: list = field(default_factory=list)  # the register's terminal block (lines)


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


@dataclass
class _Run:
    """What the steps of one run share besides the context and the plan: the helper
    processes, the result so far, and the scope of the notebooks' shared kernel."""

    plan: Plan
    helpers: object
    result: RunResult
    started: float
    kernel: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    engine: str | None = None


# --------------------------------------------------------------------------- run
def run(
    period: str,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reports_dir: Path | None = None,
    config_dir: Path | None = None,
    *,
    strict: bool = False,
    timeout: int | None = 600,
    lock_timeout: float = 0,
    lang: str = "zh",
    say=None,
    force: bool = False,
    per_region: bool = False,
    require_all: bool = False,
) -> RunResult:
    """The whole monthly run (see module docstring). ``lock_timeout``: seconds to wait
    for another run of the same period (0: refuse at once). ``say`` prints progress
    (default: to stdout, flushed at once, so a log file follows the run).
    ``require_all``: refuse to publish (exit 1) when a county's ledger is missing or
    unreadable (SPEC §7); the quality report goes to ``<reports>/check-<period>/``."""
    raw_dir, processed_dir, reports_dir, config_dir, cfg = check_parameters(
        period,
        raw_dir=raw_dir,
        processed_dir=processed_dir,
        reports_dir=reports_dir,
        config_dir=config_dir,
        timeout=timeout,
        lang=lang,
    )
    ctx = RunContext(
        period,
        raw_dir,
        processed_dir,
        reports_dir,
        config_dir,
        flags=Flags(strict=strict, require_all=require_all, force=force, per_region=per_region),
        lang=lang,
        timeout=timeout,
        say=say or say_out,
        skip=skipped_renders(),
        config=cfg,
    )
    with period_lock(period, processed_dir, reports_dir, lock_timeout, ctx.say) as previous:
        if previous:
            ctx.say(f"注意：{period} 的上一次运行{owner_text(previous)}未正常结束。")
        if os.environ.get(SKIP_ENV) and not ctx.skip:
            ctx.say(f"注意：环境变量 {SKIP_ENV} 只在测试中有效，已忽略；本次运行照常生成全部文件。")
        for line in recover(period, processed_dir, reports_dir):
            ctx.say(f"      {line}")
        try:
            return run_in(ctx)
        except (OSError, StageError) as exc:
            if exc.errno == errno.ENOSPC:  # a full disk, here or in a notebook (StageError.errno)
                raise PipelineError(disk_full(exc.filename, processed_dir)) from exc
            raise


def disk_full(filename, fallback: Path) -> str:
    """The Chinese message for a full disk, naming the folder that could not be written."""
    folder = Path(filename).parent if filename else fallback
    return (
        f"磁盘空间已满，无法写入 {folder}；本次结果未发布，上次成功运行的通报和数据未改动。"
        f"请清理该磁盘（或用 --processed-dir/--reports-dir 换到有空间的磁盘）后重新运行"
    )


def run_in(ctx: RunContext) -> RunResult:
    """The run, under the period's lock: plan, then (unless nothing changed) the steps of
    :data:`STEPS` on staging folders, committed at the end."""
    started = time.perf_counter()
    helpers = _Helpers(ctx.staging_helpers, ctx.lang, pdf="pdf" not in ctx.skip)
    try:
        plan = make_plan(ctx, helpers)
        result = RunResult(ctx.period, ctx.last_processed, ctx.last_reports)
        if not plan.todo:
            result.seconds["total"] = time.perf_counter() - started
            result.unchanged = True
            result.submissions = block(read_register(ctx.last_processed), ctx.period, ctx.labels())
            ctx.say("无变化：台账、参数、配置和代码都与上次成功运行相同，未执行任何笔记本（--force 可强制重新运行）。")
            return result
        helpers.launch(kernel=any(name in plan.todo for name in NOTEBOOK_STAGES))
        state = _Run(plan, helpers, result, started)
        execute_steps(ctx, state)
        result.seconds["total"] = time.perf_counter() - started
        return result
    finally:
        helpers.close()


def make_plan(ctx: RunContext, helpers) -> Plan:
    """Step "plan": hash the inputs, key each stage, decide what to rerun. When every
    stage will run, the kernel and the publishing worker are launched first, so that
    they boot while this process hashes."""
    from bulletin.runner import cache

    if ctx.flags.force or not (ctx.last_processed / cache.RECORD).exists():
        helpers.launch()
    f = ctx.flags
    info = manifest(
        ctx.period, ctx.raw_dir, {**ctx.params, "strict": f.strict, "require_all": f.require_all, "lang": ctx.lang}
    )
    cfg = ctx.config
    digest = _digest_with(cfg.digest, f.strict, f.require_all)
    # the bulletin changes with the previous month's latest issue too (环比 as issued, SPEC §13)
    presentation = cfg.presentation + comparison_key(ctx.period, ctx.reports_dir)
    code = cache.StageCode(known=cache.recorded_scans(ctx.last_processed))

    def keys_of(lang: str, per_region: bool) -> dict:
        return cache.stage_keys(
            ctx.period, info["inputs"], digest, lang, per_region, code=code, presentation=presentation
        )

    keys = keys_of(ctx.lang, f.per_region)
    todo = cache.plan(keys, ctx.last_processed, ctx.last_reports, f.force, ctx.lang, skip=ctx.skip)
    # every edition's key now, to keep the other editions whose inputs are unchanged
    editions = {name: keys_of(lang, per_region)["publish"] for name, lang, per_region in all_editions()}
    return Plan(info, keys, tuple(todo), editions, code)


def _digest_with(config_digest: str, strict: bool, require_all: bool = False) -> str:
    """``--strict`` and ``--require-all`` change what a run does with errors and
    missing ledgers, so they are part of the key."""
    return f"{config_digest}:strict={bool(strict)}" + (":require_all" if require_all else "")


# --------------------------------------------------------------------------- the steps
def execute_steps(ctx: RunContext, state: _Run) -> None:
    """Run :data:`STEPS` in order on the staging folders; whatever happens, the staging
    folders are removed at the end (after the commit they are empty), and a failed
    stage's executed notebook is kept in ``<reports>/.failed/``."""
    try:
        with state.kernel:
            for _name, step in STEPS:
                step(ctx, state)
    except StageError as exc:
        _keep_failed_notebook(ctx, exc)
        raise
    finally:
        shutil.rmtree(ctx.staging_processed, ignore_errors=True)
        shutil.rmtree(ctx.staging_reports, ignore_errors=True)


def _keep_failed_notebook(ctx: RunContext, exc: StageError) -> None:
    if exc.notebook is not None and exc.notebook.exists():
        keep = ctx.reports_dir / ".failed" / f"{ctx.tag}-{exc.stage}"
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(exc.notebook, keep / exc.notebook.name)
        exc.notebook = keep / exc.notebook.name


def step_stage(ctx: RunContext, state: _Run) -> None:
    """Step "stage": the staging folders, the outputs of the stages not rerun (copied
    from the last good run), the manifest of the inputs; the shared kernel's scope opens,
    and the kernel, while it boots, is given the cleaning's imports to make and then the
    objects they made to freeze (``gc.freeze``: the cyclic collector no longer traverses
    them while the notebooks run, ~0.15 s of the kernel's time)."""
    from bulletin.runner import cache
    from bulletin.runner.engine import preload, shared_kernel

    for folder in (ctx.out_processed, ctx.out_reports / "notebooks"):
        folder.mkdir(parents=True)
    # the kernel launched by the helpers; it is shut down before the PDF is rendered
    state.engine = state.kernel.enter_context(shared_kernel(km=state.helpers.take_kernel()))
    if "clean" in state.plan.todo:
        preload(PRELOAD_CLEAN)
    skipped = state.plan.skipped
    if skipped:
        cache.carry_over(skipped, ctx.last_processed, ctx.last_reports, ctx.out_processed, ctx.out_reports, ctx.lang)
        ctx.say(f"      未变化，沿用上次结果：{'、'.join(STAGE_LABELS[s] for s in skipped)}")
    write_json(ctx.out_processed / MANIFEST, state.plan.info)
    write_reference(ctx.period, ctx.reports_dir, ctx.out_processed)  # the issued figures to compare with


def _notebook(ctx: RunContext, state: _Run, name: str) -> bool:
    """Execute stage ``name``'s notebook if the plan reruns it; True when it ran."""
    if name not in state.plan.todo:
        return False
    t0 = time.perf_counter()
    ctx.say(f"[{NOTEBOOK_STAGES.index(name) + 1}/{len(STAGES)}] {STAGE_LABELS[name]} …")
    nb = paths.NOTEBOOKS_DIR / f"{name}.ipynb"
    executed = ctx.bulletin_notebook if name == "bulletin" else ctx.out_reports / "notebooks" / nb.name
    on_pages = state.helpers.start_pdf(ctx.out_reports) if name == "bulletin" else None
    execute(name, nb, executed, ctx.notebook_params(name), ctx.timeout, state.engine, on_pages=on_pages)
    if name == "bulletin" and state.helpers.publisher:  # the worker starts on the PDF while the kernel shuts down
        state.helpers.publisher.submit(executed, ctx.out_reports)
    state.result.seconds[name] = time.perf_counter() - t0
    ctx.say(f"      完成（{state.result.seconds[name]:.1f} 秒）")
    pause(name)
    return True


def step_clean(ctx: RunContext, state: _Run) -> None:
    """Step "clean": the cleaning notebook, then the bulletin's imports queued on the
    kernel, and the summary of what was read."""
    from bulletin.runner.engine import preload

    if not _notebook(ctx, state, "clean"):
        return
    if "bulletin" in state.plan.todo:
        preload(PRELOAD_BULLETIN)
    s = state.result.summary = clean_summary(ctx.out_processed)
    ctx.say(
        f"      读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，"
        f"合计/备注行 {s['total_note_rows']}，退回 {s['rejected_rows']}；"
        f"错误 {s['errors']} 条，警告 {s['warnings']} 条"
    )


def step_gates(ctx: RunContext, state: _Run) -> None:
    """Step "gates", after a clean that ran: a month without one readable county ledger
    is a usage error (exit 2); ``--strict`` with ledger errors and ``--require-all``
    with a county's ledger missing or unreadable refuse to publish (exit 1). A refused
    run keeps its quality report in ``<reports>/check-<period>/``; the last good run
    stays. Also the register's terminal block (who did not report)."""
    rows = read_register(ctx.out_processed)
    if "clean" not in state.plan.todo:  # carried over: the last good run passed the same gates
        state.result.submissions = block(rows, ctx.period, ctx.labels())
        return
    if not any(r["status"] in PUBLISHED_STATUSES for r in rows if r["ledger"] != "targets"):
        check = _keep_quality_report(ctx, state.plan.info)
        raise UsageError(
            f"{ctx.raw_dir / ctx.period} 中没有可读取的县区台账"
            f"（文件都无法读取，或都不是签约项目、招商活动、重点项目台账），"
            f"未生成通报；每个文件的原因见 {check / 'data' / ctx.period / 'quality.csv'} 和 skipped.csv"
        )
    errors = state.result.summary["errors"]
    if ctx.flags.strict and errors:
        check = _keep_quality_report(ctx, state.plan.info)
        raise DataErrors(
            f"--strict：台账中有 {errors} 条错误，未生成通报；"
            f"上次成功运行的通报和数据未改动。问题清单见 "
            f"{check / 'data' / ctx.period / 'quality.csv'} 和 {check / ctx.period / 'quality'}/"
        )
    state.result.submissions = block(rows, ctx.period, ctx.labels())
    if ctx.flags.require_all and incomplete(rows):
        check = _keep_quality_report(ctx, state.plan.info)
        late = sorted({r["region"] for r in incomplete(rows)}, key=[r["region"] for r in rows].index)
        raise DataErrors(
            "\n".join(
                [
                    f"--require-all：{'、'.join(late)}的台账未报送或无法读取，未生成通报；"
                    f"上次成功运行的通报和数据未改动。问题清单见 {check / ctx.period / 'quality'}/",
                    *block(rows, ctx.period, ctx.labels(), refused=True),
                ]
            )
        )


def step_indicators(ctx: RunContext, state: _Run) -> None:
    """Step "indicators": the indicators notebook (indicators.csv, breakdowns, history)."""
    _notebook(ctx, state, "indicators")


def step_bulletin(ctx: RunContext, state: _Run) -> None:
    """Step "bulletin": the bulletin notebook (the model, the workbook, the Word file);
    the publishing worker starts on its PDF at once."""
    _notebook(ctx, state, "bulletin")


def step_publish(ctx: RunContext, state: _Run) -> None:
    """Step "publish": the shared kernel is shut down, then the HTML pages and the PDF
    (the worker renders the PDF while this process writes the HTML)."""
    state.kernel.close()
    t0 = time.perf_counter()
    total = len(STAGES)
    ctx.say(f"[{total}/{total}] 发布 HTML 和 PDF …")
    nb = ctx.bulletin_notebook
    try:
        with time_limit(ctx.timeout):
            if state.helpers.publisher:
                state.helpers.publisher.publish(nb, ctx.out_reports)
            else:  # the PDF skipped (the test suite's switch): the pages only
                publish_pages(nb, ctx.out_reports)
    except PublishTimeout as exc:
        raise StageError(
            "publish", f"“发布”阶段超过 {ctx.timeout} 秒仍未完成，已停止（可用 --timeout 调整时限）", nb
        ) from exc
    except Exception as exc:
        raise StageError(
            "publish", f"“发布”阶段失败：{type(exc).__name__}: {short(str(exc))}", nb, **os_error_of(exc)
        ) from exc
    state.result.seconds["publish"] = time.perf_counter() - t0
    ctx.say(f"      完成（{state.result.seconds['publish']:.1f} 秒）")
    pause("publish")


def step_regions(ctx: RunContext, state: _Run) -> None:
    """Step "regions" (``--per-region``): every county's edition, in parallel processes."""
    if not ctx.flags.per_region:
        return
    from bulletin.runner.progress import bar
    from bulletin.runner.regions import render_region_bulletins

    t0 = time.perf_counter()
    ctx.say("[+] 各县区通报（并行）…")
    try:
        with bar(len(ctx.config.region_names), "各县区通报", "个县区") as counties:
            written = render_region_bulletins(
                ctx.period,
                ctx.staging_processed,
                ctx.out_reports / REGIONS,
                lang=ctx.lang,
                timeout=ctx.timeout,
                cfg=ctx.config,
                pdf="pdf" not in ctx.skip,
                progress=lambda region: counties.update(1),
            )
    except Exception as exc:
        raise StageError(
            "regions",
            f"“各县区通报”阶段失败：{type(exc).__name__}: {short(str(exc))}",
            getattr(exc, "notebook", None),
            **os_error_of(exc),
        ) from exc
    state.result.seconds["regions"] = time.perf_counter() - t0
    ctx.say(f"      完成：{len(written)} 个县区（{state.result.seconds['regions']:.1f} 秒）")


def step_editions(ctx: RunContext, state: _Run) -> None:
    """Step "editions": the other editions of the last good run whose inputs are
    unchanged are kept beside this run's (:mod:`bulletin.runner.editions`)."""
    made = made_by(ctx.lang, ctx.flags.per_region)
    kept, _ = keep_others(ctx.last_reports, ctx.out_reports, made, state.plan.editions)
    if kept:
        ctx.say(f"      保留未受影响的其他版本：{describe(kept)}")
    # the stale ones are set aside in superseded/ by step "archives", never deleted (SPEC §13)


def step_check_inputs(ctx: RunContext, state: _Run) -> None:
    """Step "check inputs": the raw files are still those hashed at the start."""
    _check_inputs(ctx.period, ctx.raw_dir, state.plan.info)


def step_record(ctx: RunContext, state: _Run) -> None:
    """Step "record": the stage keys for the next run, the reports' manifest with every
    output's hash."""
    from bulletin.runner import cache

    cache.record(state.plan.keys, ctx.out_processed, state.plan.code)
    outputs = output_hashes(ctx.out_processed, ctx.out_reports)
    write_json(ctx.out_reports / MANIFEST, {**state.plan.info, "outputs": outputs})


def step_archives(ctx: RunContext, state: _Run) -> None:
    """Step "archives": the issued copies and the superseded editions of the folder in
    place are carried into the staged one (hard links), and an edition this run neither
    made nor kept is set aside in ``superseded/`` (:func:`bulletin.runner.issue.carry_archives`)."""
    for line in carry_archives(ctx.last_reports, ctx.out_reports):
        ctx.say(f"      {line}")


def step_commit(ctx: RunContext, state: _Run) -> None:
    """Step "commit": both staged folders replace the final ones, all or nothing."""
    moves = [(ctx.out_processed, ctx.last_processed), (ctx.out_reports, ctx.last_reports)]
    commit(moves, ctx.journal, ctx.run_id)


# The recipe of a run (after "plan"), in order: each step takes the context and the
# run's shared state. A new step is one more entry here.
STEPS = (
    ("stage", step_stage),
    ("clean", step_clean),
    ("gates", step_gates),
    ("indicators", step_indicators),
    ("bulletin", step_bulletin),
    ("publish", step_publish),
    ("regions", step_regions),
    ("editions", step_editions),
    ("check inputs", step_check_inputs),
    ("record", step_record),
    ("archives", step_archives),
    ("commit", step_commit),
)


def _keep_quality_report(ctx: RunContext, info: dict) -> Path:
    """A run that refuses to publish keeps its quality report in
    ``<reports>/check-<period>/`` (the last good bulletin stays untouched)."""
    check = ctx.reports_dir / f"check-{ctx.period}"
    _check_inputs(ctx.period, ctx.raw_dir, info)
    moves = [
        (ctx.out_processed, check / "data" / ctx.period),
        (ctx.out_reports / "quality", check / ctx.period / "quality"),
    ]
    commit(moves, ctx.journal, ctx.run_id)
    return check


class _Helpers:
    """The processes a run needs besides its own: the notebooks' kernel (launched into
    the shared-kernel engine) and the publishing worker
    (:class:`bulletin.publish.Publisher`), which loads WeasyPrint and the fonts on the
    other core while the kernel works. Launched as early as the run knows it needs
    them; :meth:`close` stops whatever is still running. Their scratch folder is
    ``folder`` (:attr:`RunContext.staging_helpers`), not the system's temporary folder:
    a killed run's is removed by the next run of the period."""

    def __init__(self, folder: Path, lang: str, pdf: bool = True):
        self.folder, self.lang, self.pdf = folder, lang, pdf
        self.tmp: Path | None = None
        self.km = None
        self.publisher = None

    def launch(self, kernel: bool = True) -> None:
        from bulletin.runner.kernel import start_kernel

        if self.tmp is None:
            self.folder.mkdir()
            self.tmp = self.folder
            kernel_env(self.tmp)
        if kernel and self.km is None:
            self.km = start_kernel(KERNEL_NAME, cwd=str(paths.REPO_ROOT))
        from bulletin.publish.html_pdf import Publisher

        if self.publisher is None and self.pdf:
            self.publisher = Publisher(
                self.lang, verbose=log.getEffectiveLevel() <= logging.INFO, tmp=self.tmp / "pdf-worker"
            )

    def start_pdf(self, out_dir: Path):
        """The bulletin notebook's ``on_pages``: once its pages are complete, the worker
        starts on the PDF from a copy of the notebook so far, while the kernel still
        writes the Excel and Word files (None without a worker)."""
        if self.publisher is None or self.tmp is None:
            return None
        from bulletin.runner.notebook import write_copy

        return lambda nb: self.publisher.submit(write_copy(nb, self.tmp / "bulletin-pages.ipynb"), out_dir)

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
            from bulletin.runner.kernel import stop_kernel

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
PRELOAD_CLEAN = "import IPython.display, bulletin.stages\nimport gc; gc.freeze()"
PRELOAD_BULLETIN = (
    "import IPython.display, bulletin.publish.excel, bulletin.publish.page, bulletin.report.build\n"
    "import bulletin.publish.docx, docx, jinja2\n"
    "import gc; gc.freeze()"
)


def _check_inputs(period: str, raw_dir: Path, info: dict) -> None:
    """The raw files must be exactly those hashed at the start of the run."""
    now = inputs(period, raw_dir)
    if now != info["inputs"]:
        before = {i["path"]: i["sha256"] for i in info["inputs"]}
        after = {i["path"]: i["sha256"] for i in now}
        names = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        raise PipelineError(
            f"运行期间原始数据发生了变化（{'、'.join(names[:5])}{' 等' if len(names) > 5 else ''}），"
            f"本次结果未发布；请等各县区文件报送齐后重新运行"
        )
