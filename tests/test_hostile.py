"""No single file stops the month (issue 10, SPEC §7): each hostile file of
:mod:`hostile` is put beside the sample month and the cleaning and indicator stages run
in a child process, measured from here (wall time, and peak memory from the child's
rusage). For each: exit 0, a finding (or a skipped entry) names the file, every
county's figures equal the sample generator's truth, peak memory < 1.5 GiB, < 60 s.
The whole month with all of them at once goes through ``pipeline.py run`` in
test_completeness_e2e.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bulletin.sample import write_sample
from bulletin.store import indicator_table, read_indicators
from hostile import FILES, HEAVY
from sample_figures import expected_figures

PERIOD = "2020-06"
PEAK_LIMIT = 1.5 * 2**30
SECONDS_LIMIT = 60

CHILD = """
import sys
from bulletin import stages
period, raw, out = sys.argv[1:4]
cfg = stages.stage_config()
stages.clean_stage(period, cfg, raw_dir=raw, processed_dir=out + "/processed", reports_dir=out + "/reports")
stages.indicators_stage(period, cfg, processed_dir=out + "/processed")
"""


def measured(cmd: list, log: Path, timeout: float = 300) -> tuple[int, float, int]:
    """(exit code, seconds, peak resident bytes of the process tree) of ``cmd``."""
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return proc.returncode, time.perf_counter() - t0, usage.ru_maxrss * 1024


def truth_holds(indicators: Path) -> None:
    wide = indicator_table(read_indicators(indicators))
    for region, figures in expected_figures(PERIOD).items():
        for key, value in figures.items():
            assert wide.loc[region, key] == pytest.approx(value, abs=1e-4), (region, key)


def named(folder: Path) -> set[str]:
    """Files named by a finding or a skipped entry."""
    q = pd.read_csv(folder / "quality.csv", dtype=str, keep_default_na=False)
    s = pd.read_csv(folder / "skipped.csv", dtype=str, keep_default_na=False)
    return set(q["source_file"]) | set(s["source_file"])


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("sample")
    write_sample(raw, (PERIOD,))
    return raw / PERIOD


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in HEAVY else n for n in FILES])
def test_no_single_file_stops_the_month(name, sample, tmp_path):
    snap = tmp_path / "raw" / PERIOD
    shutil.copytree(sample, snap)
    FILES[name](snap / name)
    code, seconds, peak = measured(
        [sys.executable, "-c", CHILD, PERIOD, tmp_path / "raw", tmp_path / "out"], tmp_path / "log.txt"
    )
    log = (tmp_path / "log.txt").read_text(errors="replace")
    assert code == 0, log
    assert seconds < SECONDS_LIMIT, seconds
    assert peak < PEAK_LIMIT, f"{peak / 2**20:.0f} MiB"
    processed = tmp_path / "out" / "processed" / PERIOD
    assert name in named(processed)
    truth_holds(processed / "indicators.csv")
