"""Runs you can trust, the fast part: parameters, the all-or-nothing commit and its
recovery after a kill at every step, the period lock between processes, provenance and
``verify``, formula-safe CSV. The pipeline-running checks are in test_trust.py."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin import errors as E
from bulletin.config import load_config
from bulletin.paths import REPO_ROOT
from bulletin.runner import lock as LK
from bulletin.runner import provenance as PV
from bulletin.runner import run as R
from bulletin.runner import swap as SW
from bulletin.runner import verify as V
from bulletin.store import FILE_MODE, guard_formula, read_table, unguard_formula, write_csv
from bulletin.text import strip_controls
from conftest import write_xlsx

PERIOD = "2020-06"


def tree(folder: Path) -> dict:
    """{relative path: sha256} of every file (and '<dir>' for every folder)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
    return out


# --------------------------------------------------------------------------- parameters
@pytest.fixture
def dirs(tmp_path):
    raw = tmp_path / "raw"
    (raw / PERIOD).mkdir(parents=True)
    return raw, tmp_path / "processed", tmp_path / "reports"


@pytest.mark.parametrize("period", ["2020-13", "2020-6", "June", "", "2020-06-01", "0020-06", "2020-00"])
def test_bad_period_is_a_usage_error(period, dirs):
    raw, processed, reports = dirs
    with pytest.raises(E.UsageError, match="YYYY-MM") as info:
        R.run(period, raw, processed, reports)
    assert info.value.exit_code == 2
    assert not processed.exists() and not reports.exists()  # nothing written, no notebook ran


@pytest.mark.parametrize(
    "case, message",
    [
        ("no snapshot", "找不到原始数据文件夹"),
        ("no config", "找不到配置文件夹"),
        ("processed inside raw", "原始数据只读"),
        ("reports inside raw", "原始数据只读"),
        ("raw inside outputs", "位于输出文件夹"),
        ("same outputs", "不能相同"),
        ("processed is a file", "不是文件夹"),
        ("timeout", "超时"),
        ("lang", "语言"),
    ],
)
def test_parameters_are_checked_before_anything_runs(case, message, dirs, tmp_path):
    raw, processed, reports = dirs
    kw = dict(raw_dir=raw, processed_dir=processed, reports_dir=reports)
    if case == "no snapshot":
        kw["raw_dir"] = tmp_path / "elsewhere"
    elif case == "no config":
        kw["config_dir"] = tmp_path / "nope"
    elif case == "processed inside raw":
        kw["processed_dir"] = raw / "processed"
    elif case == "reports inside raw":
        kw["reports_dir"] = raw / PERIOD / "reports"
    elif case == "raw inside outputs":
        kw["raw_dir"] = reports / PERIOD / "raw"
        (reports / PERIOD / "raw" / PERIOD).mkdir(parents=True)
    elif case == "same outputs":
        kw["reports_dir"] = processed
    elif case == "processed is a file":
        processed.write_text("x")
    elif case == "timeout":
        kw["timeout"] = 0
    elif case == "lang":
        kw["lang"] = "fr"
    before = tree(tmp_path)
    with pytest.raises(E.UsageError, match=message) as info:
        R.run(PERIOD, **kw)
    assert info.value.exit_code == 2
    assert tree(tmp_path) == before


# --------------------------------------------------------------------------- commit
def make_outputs(root: Path, label: str) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.csv").write_text(f"{label} a\n")
    (root / "sub" / "b.txt").write_text(f"{label} b\n")
    return root


def make_world(base: Path) -> dict:
    """A period with good outputs 'old' in both folders and staged outputs 'new'."""
    processed, reports = base / "processed", base / "reports"
    make_outputs(processed / PERIOD, "old-p")
    make_outputs(reports / PERIOD, "old-r")
    old = tree(processed / PERIOD), tree(reports / PERIOD)
    sp = make_outputs(processed / f".staging-{PERIOD}-1-a" / PERIOD, "new-p")
    sr = make_outputs(reports / f".staging-{PERIOD}-1-a" / PERIOD, "new-r")
    new = tree(sp), tree(sr)
    moves = [(sp, processed / PERIOD), (sr, reports / PERIOD)]
    return dict(
        processed=processed, reports=reports, old=old, new=new, moves=moves, journal=SW.journal_path(processed, PERIOD)
    )


@pytest.fixture
def published(tmp_path):
    return make_world(tmp_path)


def state(w):
    return tree(w["processed"] / PERIOD), tree(w["reports"] / PERIOD)


def hidden_leftovers(w):
    """Hidden files or folders left in the output folders (the run removes its own
    empty staging folder itself)."""
    return [
        p.name
        for folder in (w["processed"], w["reports"])
        for p in folder.iterdir()
        if p.name.startswith(".") and not (p.name.startswith(".staging-") and not any(p.iterdir()))
    ]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_commit_replaces_both_folders(published, exchange, monkeypatch):
    if not exchange:
        monkeypatch.setattr(SW, "_exchange", lambda a, b: False)
    SW.commit(published["moves"], published["journal"], "run1")
    assert state(published) == published["new"]
    assert not published["journal"].exists()
    assert not hidden_leftovers(published)


def test_first_commit_with_nothing_before(tmp_path):
    staged = make_outputs(tmp_path / ".staging-x" / PERIOD, "new")
    SW.commit([(staged, tmp_path / "out" / PERIOD)], tmp_path / "j.json", "r")
    assert tree(tmp_path / "out" / PERIOD) == tree(make_outputs(tmp_path / "ref", "new"))


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even except/finally clean-up."""


def kill_after(monkeypatch, n: int, exchange: bool) -> None:
    """Let the commit do ``n`` steps (a rename, an exchange, the journal's removal),
    then die; the in-process rollback is disabled, as a real kill would skip it."""
    count = [0]

    def step():
        if count[0] >= n:
            raise Killed()
        count[0] += 1

    real_replace, real_exchange, real_unlink = os.replace, SW._exchange, Path.unlink

    def replace(a, b):
        if Path(a).suffix != ".tmp":  # writing the journal itself is not a step
            step()
        return real_replace(a, b)

    def swap(a, b):
        if not exchange:
            return False
        step()
        return real_exchange(a, b)

    def unlink(self, missing_ok=False):
        if self.name.endswith(".commit.json"):
            step()
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(SW.os, "replace", replace)
    monkeypatch.setattr(SW, "_exchange", swap)
    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(SW, "roll_back", lambda journal: False)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_kill_at_any_step_of_the_commit_leaves_the_old_or_the_new_run(tmp_path, exchange, monkeypatch):
    """Kill after 0, 1, 2 … steps, then recover as the next run does: before the commit
    point (the journal's removal) both folders hold the old outputs byte for byte, after
    it the new ones, never a mix, and no hidden folder is left. With renameat2 each
    final folder exists even between the kill and the recovery."""
    steps = 0
    while True:
        w = make_world(tmp_path / f"kill-after-{steps}")
        with monkeypatch.context() as m:
            kill_after(m, steps, exchange)
            try:
                SW.commit(w["moves"], w["journal"], "run")
                finished = True
            except Killed:
                finished = False
        if exchange:
            assert (w["processed"] / PERIOD).is_dir() and (w["reports"] / PERIOD).is_dir()
        committed = not w["journal"].exists()
        SW.recover(PERIOD, w["processed"], w["reports"])
        assert state(w) == (w["new"] if committed else w["old"]), steps
        assert not hidden_leftovers(w), (steps, hidden_leftovers(w))
        if finished:
            break
        steps += 1
    assert steps >= (3 if exchange else 5)  # 2 exchanges (4 renames) + the journal


def test_an_error_during_the_commit_rolls_back_at_once(published, monkeypatch):
    real = os.replace
    calls = []

    def failing(a, b):
        calls.append(a)
        if len(calls) == 3:
            raise PermissionError(13, "file open in another program", str(b))
        return real(a, b)

    monkeypatch.setattr(SW, "_exchange", lambda a, b: False)
    monkeypatch.setattr(SW.os, "replace", failing)
    with pytest.raises(PermissionError):
        SW.commit(published["moves"], published["journal"], "r")
    monkeypatch.setattr(SW.os, "replace", real)
    assert state(published) == published["old"]
    assert not published["journal"].exists()


def test_recover_puts_back_a_folder_left_aside_and_removes_staging(tmp_path):
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    make_outputs(processed / f".{PERIOD}.old-123", "old")
    make_outputs(processed / f".staging-{PERIOD}-99-abc" / PERIOD, "half")
    make_outputs(reports / f".staging-{PERIOD}-99-abc" / PERIOD, "half")
    make_outputs(reports / PERIOD, "good")
    make_outputs(reports / ".staging-2020-07-1-a" / "2020-07", "other period")
    done = SW.recover(PERIOD, processed, reports)
    assert tree(processed / PERIOD) == tree(make_outputs(tmp_path / "ref", "old"))
    assert sorted(p.name for p in processed.iterdir()) == [PERIOD]
    assert sorted(p.name for p in reports.iterdir()) == [".staging-2020-07-1-a", PERIOD]
    assert len(done) == 2


# --------------------------------------------------------------------------- lock
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bulletin.runner.run import period_lock
    with period_lock(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def holder(dirs):
    """Another process holding the period's lock (as a run does)."""
    raw, processed, reports = dirs
    processed.mkdir()
    reports.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, PERIOD, processed, reports], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    yield proc, raw, processed, reports
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()


def test_second_run_is_refused_with_a_clear_message(holder):
    proc, raw, processed, reports = holder
    t0 = time.monotonic()
    with pytest.raises(E.Busy) as info:
        with LK.period_lock(PERIOD, processed, reports):
            pass
    assert time.monotonic() - t0 < 2
    assert info.value.exit_code == 3
    assert "另一次运行正在进行中" in str(info.value) and f"进程 {proc.pid}" in str(info.value)
    assert "--wait" in str(info.value)
    # the same through the command line, before any notebook runs
    (raw / PERIOD / "a.csv").write_text("项目名称,签约日期,签约额\n", encoding="utf-8")
    cli = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "pipeline.py"),
            "run",
            "--period",
            PERIOD,
            "--raw-dir",
            raw,
            "--processed-dir",
            processed,
            "--reports-dir",
            reports,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 3
    assert "另一次运行正在进行中" in cli.stderr and "[1/4]" not in cli.stdout
    assert not list(processed.glob(".staging-*"))


def test_a_waiting_run_waits_then_gives_up(holder):
    proc, raw, processed, reports = holder
    said = []
    t0 = time.monotonic()
    with pytest.raises(E.Busy):
        with LK.period_lock(PERIOD, processed, reports, wait=1.0, say=said.append):
            pass
    assert 0.9 <= time.monotonic() - t0 < 5
    assert said and "等待其结束" in said[0]


def test_the_lock_of_a_killed_run_is_gone_and_the_kill_is_noticed(holder):
    proc, raw, processed, reports = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    t0 = time.monotonic()
    with LK.period_lock(PERIOD, processed, reports) as previous:
        assert time.monotonic() - t0 < 1
        assert previous["pid"] == proc.pid  # its owner record was left behind: killed
    assert not LK._owner_file(processed, PERIOD).exists()
    with LK.period_lock(PERIOD, processed, reports) as previous:  # a clean exit leaves no record
        assert previous == {}


def test_a_waiting_run_starts_as_soon_as_the_holder_dies(holder):
    proc, raw, processed, reports = holder
    killer = subprocess.Popen(["sh", "-c", f"sleep 0.7; kill -9 {proc.pid}"])
    t0 = time.monotonic()
    with LK.period_lock(PERIOD, processed, reports, wait=30, say=lambda s: None) as previous:
        assert previous["pid"] == proc.pid
    assert 0.6 < time.monotonic() - t0 < 10
    killer.wait()


def test_other_periods_are_not_blocked(holder):
    proc, raw, processed, reports = holder
    with LK.period_lock("2020-07", processed, reports):
        pass


# --------------------------------------------------------------------------- provenance
def test_manifest_differs_only_in_run_time(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    for period in ("2020-05", PERIOD):
        (raw / period).mkdir(parents=True)
        (raw / period / f"宝清县{period}.xlsx").write_bytes(b"PK fake " + period.encode())
    (raw / PERIOD / "~$宝清县.xlsx").write_bytes(b"excel lock file, not an input")
    a = PV.manifest(PERIOD, raw, {"period": PERIOD})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1593561600")
    b = PV.manifest(PERIOD, raw, {"period": PERIOD})
    assert {k: v for k, v in a.items() if k != "run_time"} == {k: v for k, v in b.items() if k != "run_time"}
    assert [i["path"] for i in a["inputs"]] == ["2020-05/宝清县2020-05.xlsx", "2020-06/宝清县2020-06.xlsx"]
    assert a["inputs"][1]["sha256"] == hashlib.sha256(b"PK fake 2020-06").hexdigest()
    assert b == PV.manifest(PERIOD, raw, {"period": PERIOD})  # fixed time: identical
    assert b["run_time"].startswith("2020-07-01") or b["run_time"].startswith("2020-06-30")
    assert a["code_version"]


def published_period(tmp_path):
    raw = tmp_path / "raw"
    (raw / PERIOD).mkdir(parents=True)
    (raw / PERIOD / "a.xlsx").write_bytes(b"ledger a")
    (raw / PERIOD / "b.csv").write_bytes("项目,金额\n甲,1\n".encode())
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    make_outputs(processed / PERIOD, "p")
    make_outputs(reports / PERIOD, "r")
    man = PV.manifest(PERIOD, raw, {"period": PERIOD, "raw_dir": str(raw)})
    man["outputs"] = PV.output_hashes(processed / PERIOD, reports / PERIOD)
    (reports / PERIOD / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    return raw, processed, reports


def run_verify(processed, reports, period=PERIOD) -> subprocess.CompletedProcess:
    """``pipeline.py verify`` on the command line, as an office runs it."""
    cmd = [sys.executable, str(REPO_ROOT / "pipeline.py"), "verify", "--period", period]
    cmd += ["--processed-dir", processed, "--reports-dir", reports]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_verify_says_whether_the_bulletin_still_matches(tmp_path):
    raw, processed, reports = published_period(tmp_path)
    ok = V.verify(PERIOD, None, processed, reports)
    assert ok.ok and "核验通过" in ok.lines[-1] and "2 个原始文件" in ok.lines[-1]
    (raw / PERIOD / "a.xlsx").write_bytes(b"ledger a, corrected")
    (raw / PERIOD / "c.xlsx").write_bytes(b"late file")
    (raw / PERIOD / "b.csv").unlink()
    (reports / PERIOD / "a.csv").write_text("edited by hand")
    bad = V.verify(PERIOD, None, processed, reports)
    text = "\n".join(bad.lines)
    assert not bad.ok and "核验未通过" in text
    assert "已改动：2020-06/a.xlsx" in text and "缺少：2020-06/b.csv" in text
    assert "新增：2020-06/c.xlsx" in text and "输出已改动：reports/a.csv" in text


def test_verify_command_exit_codes(tmp_path):
    raw, processed, reports = published_period(tmp_path)

    proc = run_verify(processed, reports)
    assert proc.returncode == 0 and "核验通过" in proc.stdout
    (raw / PERIOD / "a.xlsx").write_bytes(b"changed")
    proc = run_verify(processed, reports)
    assert proc.returncode == 1 and "已改动" in proc.stdout
    proc = run_verify(processed, reports, period="2020-07")
    assert proc.returncode == 2 and "找不到" in proc.stderr


def test_raw_files_changing_during_a_run_stop_it(tmp_path):
    raw, processed, reports = published_period(tmp_path)
    info = PV.manifest(PERIOD, raw, {})
    R._check_inputs(PERIOD, raw, info)
    (raw / PERIOD / "b.csv").write_bytes(b"resent")
    with pytest.raises(E.PipelineError, match="b.csv") as e:
        R._check_inputs(PERIOD, raw, info)
    assert e.value.exit_code == 3


# --------------------------------------------------------------------------- CSV text
HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "'=already quoted",
    "''@x",
    "\t=1+1",
    "\r=1",
    "<script>alert(1)</script>",
    "控制\x07字符\x1b[31m\x00",
    "行一\n行二",
    "行一\r行二",
    "x" * 40000,
    "-3",
    "+5",
    "'plain quote",
]


def test_csv_outputs_never_hold_a_formula_and_read_back_exactly(tmp_path):
    df = pd.DataFrame({"project": HOSTILE, "amount": range(len(HOSTILE))})
    path = write_csv(df, tmp_path / "t.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)["project"]
    for text in raw:
        if text not in ("-3", "+5"):  # numbers stay numbers
            assert not text.startswith(("=", "+", "-", "@", "\t", "\r")), text
    # read back exactly, but for control characters (removed from every output: issue 10)
    assert list(read_table(path)["project"]) == [strip_controls(t.replace("\r", "\n")) for t in HOSTILE]
    assert list(read_table(path)["amount"]) == [str(i) for i in range(len(HOSTILE))]
    mask = os.umask(0)
    os.umask(mask)
    assert oct(path.stat().st_mode & 0o777) == oct(FILE_MODE) == oct(0o666 & ~mask)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r a1.e"), max_size=8) | st.text(max_size=20))
def test_guard_is_safe_and_reversible(text):
    guarded = guard_formula(text)
    assert unguard_formula(guarded) == text
    if guarded != text:
        assert guarded.startswith("'")
    else:
        try:
            float(text)
        except ValueError:
            assert not text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_verify_output_never_sends_control_characters_to_the_terminal(tmp_path):
    raw, processed, reports = published_period(tmp_path)
    path = reports / PERIOD / "manifest.json"
    man = json.loads(path.read_text(encoding="utf-8"))
    man["inputs"].append({"path": "2020-06/\x1b]0;pwned\x07\x1b[31m红.xlsx", "size": 1, "sha256": "0" * 64})
    path.write_text(json.dumps(man), encoding="utf-8")
    proc = run_verify(processed, reports)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "缺少：2020-06/\\x1b]0;pwned\\x07\\x1b[31m红.xlsx" in proc.stdout


def test_a_damaged_manifest_fails_verify_with_a_message(tmp_path):
    raw, processed, reports = published_period(tmp_path)
    for damage in ("{not json", '{"inputs": 5}', "[]"):
        (reports / PERIOD / "manifest.json").write_text(damage, encoding="utf-8")
        proc = run_verify(processed, reports)
        assert proc.returncode == 1, (damage, proc.stdout, proc.stderr)  # "no longer matches", not a crash
        assert "已损坏" in proc.stdout and "manifest.json" in proc.stdout and "Traceback" not in proc.stderr


def test_verify_reports_files_added_to_the_published_folders(tmp_path):
    raw, processed, reports = published_period(tmp_path)
    assert V.verify(PERIOD, None, processed, reports).ok
    (reports / PERIOD / "sub" / "notes.txt").write_text("added by hand")
    (processed / PERIOD / "extra.csv").write_text("x")
    bad = V.verify(PERIOD, None, processed, reports)
    text = "\n".join(bad.lines)
    assert not bad.ok
    assert "多余文件：reports/sub/notes.txt" in text and "多余文件：processed/extra.csv" in text


def test_an_unexpected_error_is_a_run_failure_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(V, "verify", broken)
    with pytest.raises(SystemExit) as info:
        pipeline.cli.main(["verify", "--period", PERIOD], standalone_mode=False)
    assert info.value.code == 3  # not Python's 1, which means "data errors"
    err = capsys.readouterr().err
    assert "运行失败" in err and "Traceback" not in err


def test_a_full_disk_is_said_in_chinese_naming_the_folder(tmp_path, monkeypatch, capsys):
    import errno

    monkeypatch.syspath_prepend(str(REPO_ROOT))
    import pipeline

    target = tmp_path / "processed" / ".staging-x" / "2020-06" / "signings.csv"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(V, "verify", full)
    with pytest.raises(SystemExit) as info:
        pipeline.cli.main(["verify", "--period", PERIOD], standalone_mode=False)
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and str(target.parent) in err
    # inside a run: an OSError from the runner, or a notebook's, becomes the same message
    assert "磁盘空间已满" in R.disk_full(str(target), tmp_path) and str(target.parent) in R.disk_full(
        str(target), tmp_path
    )


def test_a_full_disk_is_told_by_the_errors_type_never_its_text(dirs, monkeypatch):
    """A notebook's OSError reaches the runner as a type name and a text: read once, at
    the notebook boundary, into StageError.errno/filename; the runner then tells a full
    disk by errno alone (a message that merely mentions "Errno 28" is not one)."""
    from bulletin.runner.notebook import kernel_os_error

    raw, processed, reports = dirs
    write_xlsx(raw / PERIOD / "a.xlsx", [["序号"], [1]])  # a month folder with a ledger file in it
    target = processed / ".staging-x" / PERIOD / "signings.csv"
    told = kernel_os_error("OSError", f"[Errno 28] No space left on device: '{target}'")
    assert told == {"errno": 28, "filename": str(target)}
    assert kernel_os_error("PermissionError", "[Errno 13] Permission denied: '/x'")["errno"] == 13
    assert kernel_os_error("ValueError", "[Errno 28] No space left on device") == {}

    def failing(error):
        def run_in(ctx):
            raise error

        return run_in

    monkeypatch.setattr(R, "run_in", failing(E.StageError("clean", "“清洗”阶段出错", None, 3, **told)))
    with pytest.raises(E.PipelineError) as info:
        R.run(PERIOD, raw, processed, reports)
    assert not isinstance(info.value, E.StageError) and info.value.exit_code == 3
    assert "磁盘空间已满" in str(info.value) and str(target.parent) in str(info.value)
    text_only = E.StageError("clean", "出错：OSError: [Errno 28] No space left on device")
    monkeypatch.setattr(R, "run_in", failing(text_only))
    with pytest.raises(E.StageError):
        R.run(PERIOD, raw, processed, reports)
    # a county edition's OS error travels in the RegionError, then in the regions stage's error
    region = E.RegionError("1 个县区的通报未能生成", {"宝清县": "…"}, None, **told)
    assert E.os_error_of(RuntimeError("wrapped")) == {}
    try:
        raise RuntimeError("wrapped") from region
    except RuntimeError as exc:
        assert E.os_error_of(exc) == told


def test_the_run_is_a_recipe_of_named_steps_with_the_gates_one_of_them():
    names = [name for name, _ in R.STEPS]
    assert names == [
        "stage",
        "clean",
        "gates",
        "indicators",
        "bulletin",
        "publish",
        "regions",
        "editions",
        "check inputs",
        "record",
        "archives",
        "commit",
    ]
    ctx = R.RunContext(PERIOD, Path("/r"), Path("/p"), Path("/o"), run_id="1-abc", config=load_config())
    assert ctx.out_processed == Path(f"/p/.staging-{PERIOD}-1-abc/{PERIOD}")
    assert ctx.notebook_params("indicators") == {
        "period": PERIOD,
        "raw_dir": "/r",
        "config_dir": "",
        "processed_dir": f"/p/.staging-{PERIOD}-1-abc",
    }
    with pytest.raises(AttributeError):
        ctx.period = "2020-07"  # frozen: built once at the edge


def test_clean_summary_without_pandas_is_the_stages_summary(tmp_path):
    """The runner summarises the cleaned tables with the csv module (it never imports
    pandas): the same figures as bulletin.stages.summary."""
    from bulletin.sample import write_sample
    from bulletin.stages import clean_stage, summary
    from bulletin.store import load_tables

    write_sample(tmp_path / "raw")
    clean_stage(
        PERIOD,
        load_config(),
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
    )
    folder = tmp_path / "processed" / PERIOD
    assert R.clean_summary(folder) == summary(load_tables(folder))
    assert R.clean_summary(folder)["records"]["signings"] > 0


def test_the_runner_does_not_import_pandas():
    """Importing pandas costs the runner half a second before it can launch the kernel."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bulletin.runner.run, bulletin.runner.verify, bulletin.publish.html_pdf, "
            "bulletin.runner.engine; "
            "print('pandas' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
