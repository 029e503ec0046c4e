"""Repository paths, resolved once from this file's location (never from the cwd)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
CONFIG_DIR = PACKAGE_DIR / "config"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DATA_DIR = REPO_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = REPO_ROOT / "reports"
# make lab opens working copies of notebooks/ here (ignored by git: the tracked notebooks collect no outputs)
WORK_DIR = REPO_ROOT / "work"
# The office's own configuration, read on every run without --config-dir: the folder
# named by the environment variable BULLETIN_CONFIG_DIR, else config/ at the repo root
# (ignored by git; `pipeline.py config init` creates it).
CONFIG_ENV = "BULLETIN_CONFIG_DIR"
OFFICE_CONFIG_DIR = REPO_ROOT / "config"


def office_config_dir() -> Path:
    """The office's config folder (it may not exist): ``$BULLETIN_CONFIG_DIR`` when set,
    else ``<repo>/config``."""
    import os

    value = os.environ.get(CONFIG_ENV, "").strip()
    return Path(value).expanduser() if value else OFFICE_CONFIG_DIR


def resolve_dir(value, default: Path) -> Path:
    """A folder parameter: empty (``""`` or None, as notebooks and the API pass "the
    default") means ``default``.

    >>> resolve_dir("", RAW_DIR) == RAW_DIR, resolve_dir("/x", RAW_DIR)
    (True, PosixPath('/x'))
    """
    return Path(value) if value not in (None, "") else default


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# What open() would give: colleagues sharing the folders can read the outputs. Here
# (not in store.py) so that the runner and the publisher need no pandas.
FILE_MODE = 0o666 & ~_umask()


def history_periods(period: str, raw_dir=None) -> list[str]:
    """Earlier snapshots that feed trends: this year's earlier months and last year's
    same month, when their folders exist in the raw folder (``raw_dir``, default
    :data:`RAW_DIR`).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for m in ("2019-06", "2020-01", "2020-05", "2020-06", "2020-07", "notes"): (d / m).mkdir()
    >>> history_periods("2020-06", d)
    ['2019-06', '2020-01', '2020-05']
    """
    from bulletin.contract import Period

    raw = resolve_dir(raw_dir, RAW_DIR)
    p = Period.parse(period)
    wanted = {p.last_year, *p.earlier_months()}
    return sorted(d.name for d in raw.iterdir() if d.is_dir() and d.name in wanted)


# The test suite's switches (``BULLETIN_SKIP_RENDER``, ``BULLETIN_TEST_DRAWINGS``) are
# honoured only while a test runs: pytest sets this variable then, and what a test
# starts inherits it. Outside the suite a published run ignores them.
TEST_ENV = "PYTEST_CURRENT_TEST"


def suite_switch(name: str, environ=None) -> str:
    """``$name``, one of the test suite's switches, while a test runs; else "".

    >>> suite_switch("X", {"X": "pdf", "PYTEST_CURRENT_TEST": "t"}), suite_switch("X", {"X": "pdf"})
    ('pdf', '')
    """
    import os

    env = os.environ if environ is None else environ
    return env.get(name, "") if env.get(TEST_ENV) else ""
