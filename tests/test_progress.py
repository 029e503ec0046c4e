"""Progress bars (tqdm) on a terminal only: ``check`` under a pseudo-terminal draws one
over the files, the same command with its output in a pipe draws none, and
BULLETIN_PROGRESS=0 turns them off."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from bulletin.paths import REPO_ROOT
from bulletin.runner import progress
from bulletin.sample import write_sample

PERIOD = "2020-06"


def test_enabled_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv(progress.ENV, raising=False)
    master, slave = pty.openpty()
    r, w = os.pipe()
    try:
        with os.fdopen(os.dup(slave), "w") as tty, os.fdopen(os.dup(w), "w") as pipe:
            assert progress.enabled(tty) is True
            assert progress.enabled(pipe) is False
            monkeypatch.setenv(progress.ENV, "0")
            assert progress.enabled(tty) is False
    finally:
        for fd in (master, slave, r, w):
            os.close(fd)
    assert progress.enabled(object()) is False  # no isatty at all


def _check(raw, out, tty: bool, **env):
    """pipeline.py check with stderr on a pseudo-terminal (``tty``) or a pipe."""
    cmd = [
        sys.executable,
        str(REPO_ROOT / "pipeline.py"),
        "check",
        "--period",
        PERIOD,
        "--raw-dir",
        raw,
        "--out-dir",
        out,
    ]
    environ = {**os.environ, **env}
    environ.pop(progress.ENV, None) if progress.ENV not in env else None
    if not tty:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=environ, timeout=300)
        return proc.returncode, proc.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, env=environ)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_check_draws_a_bar_on_a_terminal_only(tmp_path):
    write_sample(tmp_path / "raw", (PERIOD,))
    files = sum(1 for p in (tmp_path / "raw" / PERIOD).rglob("*.xlsx"))
    code, err = _check(tmp_path / "raw", tmp_path / "a", tty=True)
    assert code == 1  # the sample's two bad rows
    assert "读取台账：" in err and f"/{files} 个文件" in err  # the bar of the files (it vanishes when done)
    code, err = _check(tmp_path / "raw", tmp_path / "b", tty=False)
    assert code == 1 and "读取台账" not in err and "|" not in err
    code, err = _check(tmp_path / "raw", tmp_path / "c", tty=True, BULLETIN_PROGRESS="0")
    assert code == 1 and "读取台账" not in err
