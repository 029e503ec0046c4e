"""The context of one run, built once at the edge (:func:`bulletin.runner.run.run`)
and passed to every step: what the user asked (:class:`RunContext`, with its
:class:`Flags`), and what the run found out before running anything (:class:`Plan`).
Both are frozen: a step reads them, never changes them.

Deliberately light (no pandas): the runner imports it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.config import Config
from bulletin.contract import STAGES
from bulletin.publish.names import edition_files
from bulletin.runner.submissions import labels_of
from bulletin.runner.swap import journal_path


def say_out(message: str) -> None:
    """Progress on stdout, flushed at once (a log file follows the run)."""
    print(message, flush=True)


def new_run_id() -> str:
    return f"{os.getpid()}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Flags:
    """What the user asked of this run besides its folders: ``strict`` (no bulletin
    when a ledger has errors), ``require_all`` (none when a county's ledger is missing
    or unreadable), ``force`` (rerun every stage), ``per_region`` (the county editions
    too)."""

    strict: bool = False
    require_all: bool = False
    force: bool = False
    per_region: bool = False


@dataclass(frozen=True)
class RunContext:
    """Everything a run's steps need to know, built once at the edge (:func:`run`),
    after the parameters were checked: the period, the folders (resolved), the flags,
    the language, the time limit, how to say progress, the run's id (from which the
    staging folders are named), what the test suite asked not to render, and the
    configuration, loaded once (the notebooks load theirs from ``config_dir``).
    Nothing here changes during the run; what the run finds out (inputs, keys, what to rerun) is its :class:`Plan`."""

    period: str
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    config_dir: Path | None = None
    flags: Flags = Flags()
    lang: str = "zh"
    timeout: int | None = 600
    say: Callable[[str], None] = say_out
    run_id: str = field(default_factory=new_run_id)
    skip: frozenset = frozenset()  # kinds not rendered: the test suite's switch (publish.names.skipped_renders)
    config: Config = field(kw_only=True)  # loaded once from config_dir (runner.params.check_parameters)

    @property
    def tag(self) -> str:
        return f"{self.period}-{self.run_id}"

    @property
    def staging_processed(self) -> Path:
        """The staging root the notebooks write processed tables under."""
        return self.processed_dir / f".staging-{self.tag}"

    @property
    def staging_reports(self) -> Path:
        return self.reports_dir / f".staging-{self.tag}"

    @property
    def staging_helpers(self) -> Path:
        """The run's own scratch folder (the kernel's spec, the pages handed to the PDF
        worker): named as a staging folder, so that the next run or ``verify`` of the
        period removes it when this run was killed (runner.swap.recover)."""
        return self.processed_dir / f".staging-{self.tag}-helpers"

    @property
    def out_processed(self) -> Path:
        """This run's processed folder (staged): ``<staging>/<period>``."""
        return self.staging_processed / self.period

    @property
    def out_reports(self) -> Path:
        return self.staging_reports / self.period

    @property
    def last_processed(self) -> Path:
        """The last good run's processed folder (the final one)."""
        return self.processed_dir / self.period

    @property
    def last_reports(self) -> Path:
        return self.reports_dir / self.period

    @property
    def bulletin_notebook(self) -> Path:
        return self.out_reports / edition_files(self.lang)["notebook"]

    @property
    def journal(self) -> Path:
        return journal_path(self.processed_dir, self.period)

    @property
    def params(self) -> dict:
        """The parameters the clean and indicators notebooks share."""
        return {"period": self.period, "raw_dir": str(self.raw_dir), "config_dir": str(self.config_dir or "")}

    def notebook_params(self, stage: str) -> dict:
        """The parameters of ``stage``'s notebook (its outputs go to the staging folders)."""
        staged = {"processed_dir": str(self.staging_processed)}
        if stage == "clean":
            return {**self.params, **staged, "reports_dir": str(self.staging_reports)}
        if stage == "indicators":
            return {**self.params, **staged}
        return {"period": self.period, **staged, "reports_dir": str(self.staging_reports), "lang": self.lang}

    def labels(self) -> dict[str, str]:
        return labels_of(self.config)


@dataclass(frozen=True)
class Plan:
    """What the run found before running anything: the manifest of its inputs
    (``info``), the stage keys, the stages to run (``todo``, in order), every edition's
    publish key (to keep the other editions whose inputs are unchanged) and the stages'
    code (recorded for the next run)."""

    info: dict
    keys: dict
    todo: tuple
    editions: dict
    code: object

    @property
    def skipped(self) -> list[str]:
        return [s for s in STAGES if s not in self.todo]
