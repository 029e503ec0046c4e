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

import csv
import errno
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import paths
from bulletin.contract import NOTEBOOK_STAGES, STAGE_LABELS, STAGES
from bulletin.errors import DataErrors, PipelineError, PublishTimeout, StageError, UsageError
from bulletin.files import write_json
from bulletin.publish.names import edition_files
from bulletin.runner.editions import all_editions, describe, keep_others, made_by
from bulletin.runner.issue import carry_archives, comparison_key, write_reference
from bulletin.runner.kernel import KERNEL_NAME, kernel_env
from bulletin.runner.lock import owner_text, period_lock
from bulletin.runner.notebook import execute, time_limit
from bulletin.runner.params import check_parameters
from bulletin.runner.provenance import MANIFEST, inputs, manifest, output_hashes
from bulletin.runner.submissions import block, incomplete, labels_of, read_register
from bulletin.runner.swap import commit, journal_path, pause, recover
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


# --------------------------------------------------------------------------- run
def _say(message: str) -> None:
    print(message, flush=True)


def run(
    period: str,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reports_dir: Path | None = None,
    config_dir: Path | None = None,
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
    say = say or _say
    raw_dir, processed_dir, reports_dir, config_dir = check_parameters(
        period, raw_dir, processed_dir, reports_dir, config_dir, timeout, lang
    )
    with period_lock(period, processed_dir, reports_dir, lock_timeout, say) as previous:
        if previous:
            say(f"注意：{period} 的上一次运行{owner_text(previous)}未正常结束。")
        for line in recover(period, processed_dir, reports_dir):
            say(f"      {line}")
        try:
            return _run_locked(
                period,
                raw_dir,
                processed_dir,
                reports_dir,
                config_dir,
                (strict, require_all),
                timeout,
                lang,
                say,
                force,
                per_region,
            )
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise PipelineError(disk_full(exc.filename, processed_dir)) from exc
            raise
        except StageError as exc:
            if "No space left on device" in str(exc) or "Errno 28" in str(exc):
                raise PipelineError(disk_full(_path_in(str(exc)), processed_dir)) from exc
            raise


def disk_full(filename, fallback: Path) -> str:
    """The Chinese message for a full disk, naming the folder that could not be written."""
    folder = Path(filename).parent if filename else fallback
    return (
        f"磁盘空间已满，无法写入 {folder}；本次结果未发布，上次成功运行的通报和数据未改动。"
        f"请清理该磁盘（或用 --processed-dir/--reports-dir 换到有空间的磁盘）后重新运行"
    )


def _path_in(text: str) -> str | None:
    m = re.search(r"'(/[^']+)'", text)
    return m.group(1) if m else None


def _run_locked(
    period, raw_dir, processed_dir, reports_dir, config_dir, flags, timeout, lang, say, force=False, per_region=False
) -> RunResult:
    from bulletin.config import load_config
    from bulletin.runner import cache

    started = time.perf_counter()
    strict, require_all = flags
    helpers = _Helpers(lang)
    try:
        if force or not (processed_dir / period / cache.RECORD).exists():
            # every stage will run: launch the kernel and the publishing worker now, so
            # that they boot while this process hashes the inputs
            helpers.launch()
        params = {"period": period, "raw_dir": str(raw_dir), "config_dir": str(config_dir or "")}
        info = manifest(period, raw_dir, {**params, "strict": strict, "require_all": require_all, "lang": lang})
        cfg = load_config(str(config_dir) if config_dir else None)
        digest, presentation = cfg.digest, cfg.presentation + comparison_key(period, reports_dir)
        code = cache.StageCode(known=cache.recorded_scans(processed_dir / period))
        keys = cache.stage_keys(
            period, info["inputs"], _digest_with(digest, strict, require_all), lang, per_region, code, presentation
        )
        todo = cache.plan(keys, processed_dir / period, reports_dir / period, force, lang)
        # every edition's key now, to keep the other editions whose inputs are unchanged
        editions = {
            name: cache.stage_keys(
                period,
                info["inputs"],
                _digest_with(digest, strict, require_all),
                e_lang,
                e_regions,
                code,
                presentation,
            )["publish"]
            for name, e_lang, e_regions in all_editions()
        }
        result = RunResult(period, processed_dir / period, reports_dir / period)
        if not todo:
            result.seconds["total"] = time.perf_counter() - started
            result.unchanged = True
            result.submissions = block(read_register(processed_dir / period), period, labels_of(config_dir))
            say("无变化：台账、参数、配置和代码都与上次成功运行相同，未执行任何笔记本（--force 可强制重新运行）。")
            return result
        helpers.launch(kernel=any(stage in todo for stage in NOTEBOOK_STAGES))
        return _run_stages(
            period,
            raw_dir,
            processed_dir,
            reports_dir,
            params,
            info,
            keys,
            todo,
            (strict, require_all, config_dir),
            timeout,
            lang,
            say,
            result,
            started,
            per_region,
            helpers,
            code,
            editions,
        )
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
        from bulletin.runner.kernel import start_kernel

        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="bulletin-kernel-"))
            kernel_env(self.tmp)
        if kernel and self.km is None:
            self.km = start_kernel(KERNEL_NAME, cwd=str(paths.REPO_ROOT))
        from bulletin.publish.html_pdf import Publisher

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
PRELOAD_BULLETIN = (
    "import IPython.display, bulletin.publish.excel, bulletin.publish.page, bulletin.report.build\n"
    "import bulletin.publish.docx, docx, jinja2\n"
    "import gc; gc.freeze()"
)


def _digest_with(config_digest: str, strict: bool, require_all: bool = False) -> str:
    """``--strict`` and ``--require-all`` change what a run does with errors and
    missing ledgers, so they are part of the key."""
    return f"{config_digest}:strict={bool(strict)}" + (":require_all" if require_all else "")


def _run_stages(
    period,
    raw_dir,
    processed_dir,
    reports_dir,
    params,
    info,
    keys,
    todo,
    flags,
    timeout,
    lang,
    say,
    result,
    started,
    per_region,
    helpers,
    code=None,
    editions=None,
) -> RunResult:
    from bulletin.runner import cache

    strict, require_all, config_dir = flags
    from bulletin.runner.engine import preload, shared_kernel

    run_id = f"{os.getpid()}-{secrets.token_hex(3)}"
    tag = f"{period}-{run_id}"
    stage_processed = processed_dir / f".staging-{tag}"
    stage_reports = reports_dir / f".staging-{tag}"
    out_processed = stage_processed / period
    out_reports = stage_reports / period
    nb_dir = out_reports / "notebooks"
    bulletin_nb = out_reports / edition_files(lang)["notebook"]
    for d in (out_processed, nb_dir):
        d.mkdir(parents=True)
    journal = journal_path(processed_dir, period)
    skipped = [s for s in STAGES if s not in todo]
    publisher = helpers.publisher
    try:
        total = len(STAGES)
        # the kernel launched by the helpers; it is shut down before the PDF is rendered
        with shared_kernel(km=helpers.take_kernel()) as engine:
            if skipped:
                cache.carry_over(
                    skipped, processed_dir / period, reports_dir / period, out_processed, out_reports, lang
                )
                say(f"      未变化，沿用上次结果：{'、'.join(STAGE_LABELS[s] for s in skipped)}")
            write_json(out_processed / MANIFEST, info)
            write_reference(period, reports_dir, out_processed)  # the issued figures to compare with
            stage_params = {
                "clean": {**params, "processed_dir": str(stage_processed), "reports_dir": str(stage_reports)},
                "indicators": {**params, "processed_dir": str(stage_processed)},
                "bulletin": {
                    "period": period,
                    "processed_dir": str(stage_processed),
                    "reports_dir": str(stage_reports),
                    "lang": lang,
                },
            }
            for k, stage in enumerate(NOTEBOOK_STAGES, start=1):
                if stage not in todo:
                    continue
                nb_name, label = f"{stage}.ipynb", STAGE_LABELS[stage]
                t0 = time.perf_counter()
                say(f"[{k}/{total}] {label} …")
                executed = bulletin_nb if stage == "bulletin" else nb_dir / nb_name
                execute(stage, paths.NOTEBOOKS_DIR / nb_name, executed, stage_params[stage], timeout, engine)
                if stage == "bulletin":
                    publisher.submit(bulletin_nb, out_reports)
                result.seconds[stage] = time.perf_counter() - t0
                say(f"      完成（{result.seconds[stage]:.1f} 秒）")
                pause(stage)
                if stage == "clean":
                    _check_register(period, raw_dir, reports_dir, info, journal, run_id, out_processed, out_reports)
                    if "bulletin" in todo:
                        preload(PRELOAD_BULLETIN)
                    result.summary = clean_summary(out_processed)
                    s = result.summary
                    say(
                        f"      读取 {s['rows_read']} 行：有效记录 {sum(s['records'].values())}，"
                        f"合计/备注行 {s['total_note_rows']}，退回 {s['rejected_rows']}；"
                        f"错误 {s['errors']} 条，警告 {s['warnings']} 条"
                    )
                    keep = (period, raw_dir, reports_dir, info, journal, run_id, out_processed, out_reports)
                    if strict and s["errors"]:
                        check = _keep_quality_report(*keep)
                        raise DataErrors(
                            f"--strict：台账中有 {s['errors']} 条错误，未生成通报；"
                            f"上次成功运行的通报和数据未改动。问题清单见 "
                            f"{check / 'data' / period / 'quality.csv'} 和 {check / period / 'quality'}/"
                        )
                    rows = read_register(out_processed)
                    result.submissions = block(rows, period, labels_of(config_dir))
                    if require_all and incomplete(rows):
                        check = _keep_quality_report(*keep)
                        late = sorted({r["region"] for r in incomplete(rows)}, key=[r["region"] for r in rows].index)
                        raise DataErrors(
                            "\n".join(
                                [
                                    f"--require-all：{'、'.join(late)}的台账未报送或无法读取，未生成通报；"
                                    f"上次成功运行的通报和数据未改动。问题清单见 {check / period / 'quality'}/",
                                    *block(rows, period, labels_of(config_dir), refused=True),
                                ]
                            )
                        )
        if not result.submissions:  # clean was carried over from the last good run
            result.submissions = block(read_register(out_processed), period, labels_of(config_dir))
        t0 = time.perf_counter()
        say(f"[{total}/{total}] 发布 HTML 和 PDF …")
        try:
            with time_limit(timeout):
                publisher.publish(bulletin_nb, out_reports)
        except PublishTimeout as exc:
            raise StageError(
                "publish",
                f"“发布”阶段超过 {timeout} 秒仍未完成，已停止（可用 --timeout 调整时限）",
                bulletin_nb,
            ) from exc
        except Exception as exc:
            raise StageError(
                "publish", f"“发布”阶段失败：{type(exc).__name__}: {short(str(exc))}", bulletin_nb
            ) from exc
        result.seconds["publish"] = time.perf_counter() - t0
        say(f"      完成（{result.seconds['publish']:.1f} 秒）")
        pause("publish")
        if per_region:
            from bulletin.runner.progress import bar
            from bulletin.runner.regions import region_names, render_region_bulletins

            t0 = time.perf_counter()
            say("[+] 各县区通报（并行）…")
            try:
                with bar(len(region_names(params["config_dir"])), "各县区通报", "个县区") as counties:
                    written = render_region_bulletins(
                        period,
                        stage_processed,
                        out_reports / "regions",
                        lang=lang,
                        timeout=timeout,
                        config_dir=params["config_dir"],
                        progress=lambda region: counties.update(1),
                    )
            except Exception as exc:
                raise StageError(
                    "regions",
                    f"“各县区通报”阶段失败：{type(exc).__name__}: {short(str(exc))}",
                    getattr(exc, "notebook", None),
                ) from exc
            result.seconds["regions"] = time.perf_counter() - t0
            say(f"      完成：{len(written)} 个县区（{result.seconds['regions']:.1f} 秒）")
        if editions:
            kept, _ = keep_others(reports_dir / period, out_reports, made_by(lang, per_region), editions)
            if kept:
                say(f"      保留未受影响的其他版本：{describe(kept)}")
        _check_inputs(period, raw_dir, info)
        cache.record(keys, out_processed, code)
        write_json(out_reports / MANIFEST, {**info, "outputs": output_hashes(out_processed, out_reports)})
        for line in carry_archives(reports_dir / period, out_reports):  # issued/, superseded/ (SPEC §13)
            say(f"      {line}")
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


def _keep_quality_report(period, raw_dir, reports_dir, info, journal, run_id, out_processed, out_reports) -> Path:
    """A run that refuses to publish keeps its quality report in
    ``<reports>/check-<period>/`` (the last good bulletin stays untouched)."""
    check = reports_dir / f"check-{period}"
    _check_inputs(period, raw_dir, info)
    commit(
        [(out_processed, check / "data" / period), (out_reports / "quality", check / period / "quality")],
        journal,
        run_id,
    )
    return check


def _check_register(period, raw_dir, reports_dir, info, journal, run_id, out_processed, out_reports) -> None:
    """A month without one readable county ledger is a usage error (exit 2), not a
    bulletin of empty figures; the quality report says why each file was not read."""
    rows = read_register(out_processed)
    if any(r["status"] == "submitted" for r in rows if r["ledger"] != "targets"):
        return
    check = _keep_quality_report(period, raw_dir, reports_dir, info, journal, run_id, out_processed, out_reports)
    raise UsageError(
        f"{raw_dir / period} 中没有可读取的县区台账（文件都无法读取，或都不是签约项目、招商活动、重点项目台账），"
        f"未生成通报；每个文件的原因见 {check / 'data' / period / 'quality.csv'} 和 skipped.csv"
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
