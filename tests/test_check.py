"""`pipeline.py check`: readers + quality report only, for a county's file the day it
arrives. Exit 1 when the ledgers have errors, 0 when clean, 2 on bad parameters."""

import subprocess
import sys

from bulletin.paths import REPO_ROOT
from conftest import SIGN_HEADER, sign_row, write_xlsx


def check(*args):
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "pipeline.py"), "check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_reports_errors_and_writes_the_quality_report(tmp_path):
    raw = tmp_path / "raw"
    write_xlsx(
        raw / "2020-06" / "宝清县.xlsx", [["宝清县签约项目台账"], SIGN_HEADER, sign_row(1), sign_row(2, day="六月中旬")]
    )
    out = tmp_path / "out"
    proc = check("--period", "2020-06", "--raw-dir", raw, "--out-dir", out)
    assert proc.returncode == 1, proc.stderr
    assert "错误 1 条" in proc.stdout and "读取 2 行" in proc.stdout
    quality = (out / "data" / "2020-06" / "quality.csv").read_text(encoding="utf-8")
    assert "六月中旬" in quality
    assert (out / "2020-06" / "quality" / "宝清县_数据质量反馈_2020-06.xlsx").is_file()


def test_check_clean_file_exits_0(tmp_path):
    raw = tmp_path / "raw"
    write_xlsx(raw / "2020-06" / "宝清县.xlsx", [["宝清县签约项目台账"], SIGN_HEADER, sign_row(1)])
    proc = check("--period", "2020-06", "--raw-dir", raw, "--out-dir", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "错误 0 条" in proc.stdout


def test_check_bad_period_is_usage_error(tmp_path):
    proc = check("--period", "June", "--raw-dir", tmp_path)
    assert proc.returncode == 2 and "YYYY-MM" in proc.stderr
