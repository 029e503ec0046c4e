"""The package's exceptions, in one place: any module may raise them without importing
the module that catches them (the orchestrator, the command line).

``PipelineError`` and its subclasses carry the exit code ``pipeline.py`` returns and a
Chinese message for the office; the others are internal.
"""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A run cannot go on; ``exit_code`` is what pipeline.py returns (3: run failure)."""

    exit_code = 3


class UsageError(PipelineError):
    """Bad parameters, missing folders, nothing to read (exit 2)."""

    exit_code = 2


class DataErrors(PipelineError):
    """Ledger errors under ``--strict`` (exit 1)."""

    exit_code = 1


class Busy(PipelineError):
    """Another run of the same period holds the lock."""


class StageError(PipelineError):
    """A stage failed; names the stage, the cell and the saved notebook. ``errno`` and
    ``filename``: those of the operating-system error that made it fail, when one did
    (in the runner or in a notebook's kernel), so that the runner tells a full disk by
    its type, never by the message's text."""

    def __init__(
        self,
        stage: str,
        message: str,
        notebook: Path | None = None,
        cell: int | None = None,
        *,
        errno: int | None = None,
        filename: str | None = None,
    ):
        self.stage, self.notebook, self.cell = stage, notebook, cell
        self.errno, self.filename = errno, filename
        super().__init__(message)


def os_error_of(exc: BaseException | None) -> dict:
    """``{"errno", "filename"}`` of the operating-system error behind ``exc`` (itself, an
    error that carries them, or its cause), for :class:`StageError`; ``{}`` when none."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "errno", None) is not None:
            return {"errno": exc.errno, "filename": getattr(exc, "filename", None)}
        exc = exc.__cause__ or exc.__context__
    return {}


class WordingError(PipelineError):
    """A wording file of the bulletin cannot be used (names the file, the line and the key)."""


class PublishTimeout(Exception):
    """Publishing ran longer than the run's time limit."""


class PublishError(RuntimeError):
    """The notebook cannot be published (it failed, or rendering failed)."""

    def __init__(self, message: str, notebook: Path | None = None, cell: int | None = None):
        self.notebook = notebook
        self.cell = cell
        self.message = message
        where = f" ({notebook}" + (f", cell {cell}" if cell is not None else "") + ")" if notebook else ""
        super().__init__(message + where)


class RegionError(RuntimeError):
    """One or more county editions failed; the message names each county."""

    def __init__(self, message: str, failures: dict[str, str], notebook: Path | None = None, errno=None, filename=None):
        super().__init__(message)
        self.failures = failures  # region → Chinese message
        self.notebook = notebook  # the first failed county's executed notebook (if kept)
        self.errno, self.filename = errno, filename  # an OS error that made a county fail (a full disk)

    def __reduce__(self):
        return (RegionError, (str(self), self.failures, self.notebook, self.errno, self.filename))


class AccountingError(AssertionError):
    """Rows read do not add up: a bug, never a data problem."""


class ConfigError(UsageError):
    """A configuration file cannot be used: unsafe or broken YAML, a region name that is
    not a plain name (names the file and the entry; exit 2)."""


class UnsafePath(PipelineError):
    """A path the run would delete, move or write lies outside its folders or passes
    through a link (a crafted journal, a linked lock or city folder); nothing was touched."""
