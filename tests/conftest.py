"""Shared builders: small workbooks written with openpyxl into ``tmp_path`` and read
back through the real cleaning stage (``read_snapshot`` → ``to_tables``)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bulletin.ledgers.snapshot import read_snapshot, to_tables
from bulletin.paths import CONFIG_ENV, REPO_ROOT

# The office's config folder (config/ at the repo root, read on every run) must not
# change what the tests see: every test, and every pipeline.py it starts, reads an
# empty office folder unless the test sets its own.
os.environ[CONFIG_ENV] = tempfile.mkdtemp(prefix="bulletin-office-config-")

PERIOD = "2020-06"

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
    """Read a snapshot folder, check the accounting invariant on every sheet."""
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
