"""No single file stops the month (issue 10, SPEC §7): each hostile file of
:mod:`hostile` is put beside the sample month and the cleaning and indicator stages run
in a child process, measured by its parent (wall time, and peak memory from the child's
rusage). For each: exit 0, a finding (or a skipped entry) names the file, every
county's figures equal the sample generator's truth, peak memory < 1.5 GiB, < 60 s.
The whole month with all of them at once goes through ``pipeline.py run`` in
test_completeness_e2e.py."""

from __future__ import annotations

import json
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

# The parent of the children: a process that has imported the stages and done nothing
# else, then forks one child per line read from stdin (JSON: period, raw, out, log,
# timeout). Each child runs the cleaning and indicator stages with stdout and stderr in
# the log and exits 0, or 1 with the traceback (as ``python -c`` would); the
# parent measures it as :func:`measured` does (``os.wait4``: exit code, wall time, peak
# resident bytes) and writes them back as one JSON line. What it saves is only the
# imports, about half of each child's CPU time here. A forked child's own peak counts
# only the parent's pages it touches, so the peak reported is that plus the parent's
# whole resident size after the imports (what a fresh interpreter would hold; pages
# both hold are counted twice): never less than a fresh ``python -c`` child's peak.
FORKING_PARENT = """
import json, os, sys, time, traceback
from bulletin import stages
with open("/proc/self/statm") as f:
    resident = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
print("ready", flush=True)
for line in sys.stdin:
    period, raw, out, log, timeout = json.loads(line)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            cfg = stages.stage_config()
            stages.clean_stage(period, cfg, raw_dir=raw, processed_dir=out + "/processed", reports_dir=out + "/reports")
            stages.indicators_stage(period, cfg, processed_dir=out + "/processed")
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = t0 + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, 9)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    print(json.dumps([os.waitstatus_to_exitcode(status), seconds, resident + usage.ru_maxrss * 1024]), flush=True)
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
def forked():
    """``run(raw, out, log) -> (exit code, seconds, peak bytes)``: the cleaning and
    indicator stages in a child forked by FORKING_PARENT (one parent for the module's
    tests)."""
    parent = subprocess.Popen(
        [sys.executable, "-c", FORKING_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout.readline() == "ready\n"

    def run(raw: Path, out: Path, log: Path, timeout: float = 300) -> tuple[int, float, int]:
        parent.stdin.write(json.dumps([PERIOD, str(raw), str(out), str(log), timeout]) + "\n")
        parent.stdin.flush()
        return tuple(json.loads(parent.stdout.readline()))

    yield run
    parent.stdin.close()
    parent.wait(timeout=60)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("sample")
    write_sample(raw, (PERIOD,))
    return raw / PERIOD


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in HEAVY else n for n in FILES])
def test_no_single_file_stops_the_month(name, sample, forked, tmp_path):
    snap = tmp_path / "raw" / PERIOD
    shutil.copytree(sample, snap)
    FILES[name](snap / name)
    code, seconds, peak = forked(tmp_path / "raw", tmp_path / "out", tmp_path / "log.txt")
    log = (tmp_path / "log.txt").read_text(errors="replace")
    assert code == 0, log
    assert seconds < SECONDS_LIMIT, seconds
    assert peak < PEAK_LIMIT, f"{peak / 2**20:.0f} MiB"
    processed = tmp_path / "out" / "processed" / PERIOD
    assert name in named(processed)
    truth_holds(processed / "indicators.csv")
