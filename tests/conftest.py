"""Shared builders and fixtures of the test suite.

* Small workbooks written with openpyxl into ``tmp_path`` and read back through the
  real cleaning stage: :func:`write_xlsx`, :class:`Sheet`, :func:`read`, ``snap_dir``.
* :func:`pipeline`: ``pipeline.py`` as a user runs it, in a subprocess.
* ``sample_run`` (session-scoped): **the** end-to-end run of the sample city — its
  2019-06, 2020-05 and 2020-06 ledgers, ``pipeline.py run --period 2020-06 --per-region`` (zh,
  PDFs rendered) — made once per test session (once per machine with pytest-xdist:
  the first worker builds it under a file lock, the others wait and share it). A
  :class:`SampleRun`: ``raw``, ``processed`` / ``reports`` (the period's folders),
  ``processed_root`` / ``reports_root``, ``stdout``, ``raw_before`` (the raw files'
  SHA-256 before the run, by path), ``raw_now()`` (the same, now), ``args()`` (the run's command line, to rerun it).
  **Read-only**: a test that writes into it, reruns it or changes its ledgers first
  takes its own copy, ``sample_run.copy(tmp_path)`` (a few MB, well under a second).
  Use it instead of building a sample run of your own::

      def test_something(sample_run):
          html = (sample_run.reports / "bulletin.html").read_text(encoding="utf-8")

* ``shared_drawings`` (session, autouse): the session's folder of chart drawings
  (``$BULLETIN_TEST_DRAWINGS``, report/drawing_memo.py): a chart drawn once with the
  same code and arguments is reused by every later process of the session, the runs'
  kernels included. A module that tests the drawings themselves, or compares separate
  runs byte for byte, uses ``drawn_for_real`` (test_charts, test_trust, test_publish).
* ``BULLETIN_SKIP_RENDER=pdf`` in a run's environment (``pipeline(..., env=SKIP_PDF)``):
  the run renders no PDF (the HTML pages, Word and Excel files are written as
  always). For runs whose PDF no assertion reads; honoured only while a test runs
  (``$PYTEST_CURRENT_TEST``), never in a published run (docs/DECISIONS.md).
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.ledgers.snapshot import read_snapshot, to_tables
from bulletin.paths import CONFIG_ENV, REPO_ROOT
from bulletin.publish.names import SKIP_ENV
from bulletin.report.drawing_memo import FOLDER_ENV

# pytest keeps the test modules as it rewrites them (their asserts) in tests/__pycache__,
# keyed by each file's hash. Where PYTHONDONTWRITEBYTECODE is set it did not, and every
# worker rewrote the suite's 19k lines at every run (~3.3 s a worker). The test processes
# write it; the runs they start still write nothing (the variable stays set for them).
sys.dont_write_bytecode = False

# The office's config folder (config/ at the repo root, read on every run) must not
# change what the tests see: every test, and every pipeline.py it starts, reads an
# empty office folder unless the test sets its own.
os.environ[CONFIG_ENV] = tempfile.mkdtemp(prefix="bulletin-office-config-")
atexit.register(shutil.rmtree, os.environ[CONFIG_ENV], ignore_errors=True)  # each test process's own

PERIOD = "2020-06"
SKIP_PDF = {SKIP_ENV: "pdf"}  # pipeline(..., env=SKIP_PDF): a run that renders no PDF

SIGN_HEADER = ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"]
ACT_HEADER = ["序号", "活动日期", "活动类型", "带队领导", "活动地点", "形成合作线索"]
PROJ_HEADER = [
    "序号",
    "项目名称",
    "项目类别",
    "总投资（万元）",
    "年度计划投资（万元）",
    "累计完成投资（万元）",
    "开复工情况",
    "是否入统",
]
TARGET_HEADER = ["县区", "签约额目标（万元）", "签约项目数目标"]


def sign_row(n=1, project=None, investor="某公司", origin="北京市", day="2020-05-10", amount=1000, mode="现场签约"):
    return [n, project or f"项目{n}", investor, origin, day, amount, mode]


@dataclass
class Sheet:
    """One sheet to write: rows from Excel row 1, merged ranges as ``"A3:A5"``."""

    rows: list
    title: str = "Sheet1"
    merges: list = field(default_factory=list)
    hidden: bool = False


def write_xlsx(path: Path, *sheets: Sheet | list) -> Path:
    """An .xlsx (or .xlsm, by name) with the given sheets; a bare list is one sheet."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, sh in enumerate(sheets):
        if not isinstance(sh, Sheet):
            sh = Sheet(sh, title=f"Sheet{k + 1}")
        ws = wb.create_sheet(sh.title)
        for i, row in enumerate(sh.rows, start=1):
            for j, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(i, j, value)
        for rng in sh.merges:
            ws.merge_cells(rng)
        if sh.hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


@dataclass
class Result:
    snap: object
    tables: dict

    def __getitem__(self, name) -> pd.DataFrame:
        return self.tables[name]

    @property
    def findings(self) -> pd.DataFrame:
        return self.tables["quality"]

    def errors(self) -> pd.DataFrame:
        q = self.findings
        return q[q["severity"] == "error"]

    def warnings(self) -> pd.DataFrame:
        q = self.findings
        return q[q["severity"] == "warning"]

    def messages(self, severity=None) -> list[str]:
        q = self.findings
        if severity:
            q = q[q["severity"] == severity]
        return list(q["message"])


def read(folder: Path, period: str = PERIOD, cfg=None) -> Result:
    """Read a snapshot folder (``cfg``: the configuration, default the packaged one),
    check the accounting invariant on every sheet."""
    cfg = cfg or load_config()
    snap = read_snapshot(Path(folder), period, cfg)
    tables = to_tables(snap, cfg)
    check_accounting(tables)
    return Result(snap, tables)


def check_accounting(tables) -> None:
    acc = tables["accounting"]
    for _, a in acc.iterrows():
        assert a["rows_read"] == a["records"] + a["total_note_rows"] + a["rejected_rows"], dict(a)
    # records per sheet agree with the record tables
    for ledger in ("signings", "activities", "projects", "targets"):
        recs = tables[ledger]
        for _, a in acc[acc["ledger"] == ledger].iterrows():
            n = ((recs["source_file"] == a["source_file"]) & (recs["source_sheet"] == a["source_sheet"])).sum()
            assert n == a["records"], (ledger, dict(a))


@pytest.fixture
def snap_dir(tmp_path) -> Path:
    """An empty snapshot folder ``<tmp>/raw/2020-06``."""
    d = tmp_path / "raw" / PERIOD
    d.mkdir(parents=True)
    return d


def d(y, m, day) -> dt.date:
    return dt.date(y, m, day)


def pipeline(*args, check=True, env=None):
    """``pipeline.py`` as a user runs it; raises with its output unless it exits 0
    (``check=False`` returns whatever happened). ``env``: variables to set."""
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "pipeline.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


# --------------------------------------------------------------------------- parallel workers
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``: ``--dist loadscope --no-loadscope-reorder``, a
    module's tests on one worker, modules handed out in collection order) the modules
    with the most slow tests come first: the long end-to-end modules start while the
    quick ones fill the gaps, instead of one starting last on an otherwise idle machine.
    A stable sort (the order within a module kept); a run without workers is unchanged."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    slow = Counter(item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow"))
    items.sort(key=lambda item: -slow[item.nodeid.split("::")[0]])


# --------------------------------------------------------------------------- drawings shared by the session
def _session_folder(tmp_path_factory) -> Path:
    """The test session's temp folder, the same for every xdist worker (each worker's
    basetemp is under it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def shared_drawings(tmp_path_factory):
    """One folder per test session (shared by the xdist workers) where every process of
    the session — the tests', the runs' kernels — keeps the charts it drew and finds
    those drawn before with the same code and arguments (report/drawing_memo.py;
    honoured only while a test runs). New for each session, so never stale; a module
    that must draw for real uses ``drawn_for_real``."""
    os.environ[FOLDER_ENV] = str(_session_folder(tmp_path_factory) / "shared-drawings")
    yield
    os.environ.pop(FOLDER_ENV, None)


@pytest.fixture(scope="module")
def drawn_for_real():
    """For a module that tests the drawing itself, or compares separate runs byte for
    byte (``pytestmark = pytest.mark.usefixtures("drawn_for_real")``): every process
    its tests start draws its charts itself, none kept by the session is reused, so
    the drawings' own reproducibility across processes is tested too."""
    saved = os.environ.pop(FOLDER_ENV, None)
    yield
    if saved is not None:
        os.environ[FOLDER_ENV] = saved


# --------------------------------------------------------------------------- the shared sample run
@dataclass(frozen=True)
class SampleRun:
    """A finished run of the sample city under ``root`` (see the module docstring)."""

    root: Path
    stdout: str
    raw_before: dict
    period: str = PERIOD

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed_root(self) -> Path:
        return self.root / "processed"

    @property
    def reports_root(self) -> Path:
        return self.root / "reports"

    @property
    def processed(self) -> Path:
        return self.processed_root / self.period

    @property
    def reports(self) -> Path:
        return self.reports_root / self.period

    def args(self, *extra) -> list:
        """The arguments of ``pipeline.py`` that rerun it (``extra`` appended)."""
        folders = ["--raw-dir", self.raw, "--processed-dir", self.processed_root, "--reports-dir", self.reports_root]
        return ["run", "--period", self.period, *folders, *extra]

    def raw_now(self) -> dict[str, str]:
        """SHA-256 of every file under ``raw``, by path relative to it."""
        return {
            p.relative_to(self.raw).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.raw.rglob("*"))
            if p.is_file()
        }

    def copy(self, dest: Path) -> SampleRun:
        """A copy of the whole run (raw, processed, reports) in ``dest``, to change."""
        dest = Path(dest) / "sample-run"
        shutil.copytree(self.root, dest, symlinks=True, ignore=shutil.ignore_patterns(".*.lock"))
        return SampleRun(dest, self.stdout, self.raw_before)


def _build_sample_run(root: Path) -> SampleRun:
    from bulletin.sample import write_sample

    write_sample(root / "raw")  # 2019-06 (同比), 2020-05 (环比) and the period
    run = SampleRun(root, "", {})
    (root / "raw-before.json").write_text(json.dumps(run.raw_now()), encoding="utf-8")
    proc = pipeline(*run.args("--per-region"))
    (root / "stdout.txt").write_text(proc.stdout, encoding="utf-8")  # written last: the run is complete
    return _read_sample_run(root)


def _read_sample_run(root: Path) -> SampleRun:
    before = json.loads((root / "raw-before.json").read_text(encoding="utf-8"))
    return SampleRun(root, (root / "stdout.txt").read_text(encoding="utf-8"), before)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """The sample city's run, made once per session (module docstring); read-only."""
    from filelock import FileLock

    base = _session_folder(tmp_path_factory)
    root = base / "shared-sample-run"
    with FileLock(str(base / "shared-sample-run.lock")):
        if (root / "stdout.txt").is_file():
            return _read_sample_run(root)
        if root.exists():  # a worker died building it
            shutil.rmtree(root)
        return _build_sample_run(root)
