"""The package's exceptions, in one place: any module may raise them without importing
the module that catches them (the orchestrator, the command line).

Every exception the package raises derives from :class:`BulletinError`, which carries
the place an error is about in typed fields. ``PipelineError`` and its subclasses carry
the exit code ``pipeline.py`` returns and a Chinese message for the office; the others
are internal (or caught and turned into a ``PipelineError`` or a finding).
"""

from __future__ import annotations

from pathlib import Path


class BulletinError(Exception):
    """The root of every exception the package raises (frictionless is the model: one
    root, typed fields). Where the error is about a place, the place is in typed fields,
    not only in the message: ``file`` (a ledger, configuration or wording file, a lock,
    a journal), ``sheet``, ``row`` (a sheet's row, a file's line), ``field`` (a column, a
    configuration key or entry), ``code`` (a stable code, as findings carry), ``errno``
    (that of the operating-system error behind it, e.g. a full disk). Each is ``None``
    when it does not apply; :attr:`place` gives those that do.

    Classes that callers also catch as a builtin derive from it too
    (``AccountingError`` is an ``AssertionError``, ``DefinitionError`` a ``ValueError``,
    ``PublishError`` and ``RegionError`` ``RuntimeError``s)."""

    PLACE = ("file", "sheet", "row", "field", "code", "errno")

    def __init__(
        self,
        *args,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        field: str | None = None,
        code: str | None = None,
        errno: int | None = None,
    ):
        super().__init__(*args)
        self.file = str(file) if file is not None else None
        self.sheet, self.row, self.field, self.code, self.errno = sheet, row, field, code, errno

    @property
    def place(self) -> dict:
        """The typed fields that apply: ``{"file": …, "row": …}``."""
        return {name: getattr(self, name) for name in self.PLACE if getattr(self, name) is not None}


class PipelineError(BulletinError):
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
        super().__init__(message, file=filename, errno=errno)
        self.stage, self.notebook, self.cell = stage, notebook, cell
        self.filename = filename


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
    """A wording file of the bulletin cannot be used (names the file, the line and the
    key; also in ``file``, ``row`` and ``field`` when known)."""


class PublishTimeout(BulletinError):
    """Publishing ran longer than the run's time limit."""


class PublishError(BulletinError, RuntimeError):
    """The notebook cannot be published (it failed, or rendering failed)."""

    def __init__(self, message: str, notebook: Path | None = None, cell: int | None = None):
        self.notebook = notebook
        self.cell = cell
        self.message = message
        where = f" ({notebook}" + (f", cell {cell}" if cell is not None else "") + ")" if notebook else ""
        super().__init__(message + where)


class RegionError(BulletinError, RuntimeError):
    """One or more county editions failed; the message names each county."""

    def __init__(self, message: str, failures: dict[str, str], notebook: Path | None = None, errno=None, filename=None):
        super().__init__(message, file=filename, errno=errno)  # an OS error that made a county fail (a full disk)
        self.failures = failures  # region → Chinese message
        self.notebook = notebook  # the first failed county's executed notebook (if kept)
        self.filename = filename

    def __reduce__(self):
        return (RegionError, (str(self), self.failures, self.notebook, self.errno, self.filename))


class AccountingError(BulletinError, AssertionError):
    """Rows read do not add up: a bug, never a data problem (``file`` and ``sheet``: the
    sheet whose rows do not)."""


class ConfigError(UsageError):
    """A configuration file cannot be used: unsafe or broken YAML, a region name that is
    not a plain name (names the file and the entry; exit 2). ``file``: the file;
    ``row``: its line, when known; ``field``: the entry."""


class UnsafePath(PipelineError):
    """A path the run would delete, move or write lies outside its folders or passes
    through a link (a crafted journal, a linked lock or city folder); nothing was touched.
    ``file``: that path."""
