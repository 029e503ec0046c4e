"""Runs you can trust (SPEC §6), with real `pipeline.py run` processes: a run killed at
each stage, two runs of the same month at once, the same inputs twice, failing / hanging
/ dying notebooks, hostile ledger text, a read-only raw folder.

The kill points use run.py's documented test hook ``BULLETIN_TEST_PAUSE_AT``; notebook
failures are injected through an IPython startup file (``IPYTHONDIR``) that replaces a
stage function inside the kernel, so no notebook or module is changed for the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from bulletin.config import load_config
from bulletin.ledgers.snapshot import read_snapshot, to_tables
from bulletin.paths import REPO_ROOT
from bulletin.sample import write_sample
from bulletin.store import indicator_table, read_indicators
from conftest import SKIP_PDF
from sample_figures import expected_figures

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("drawn_for_real")]  # runs compared byte for byte
PERIOD = "2020-06"
PAUSE = "BULLETIN_TEST_PAUSE_AT"


# --------------------------------------------------------------------------- helpers
def command(*args) -> list[str]:
    return [sys.executable, str(REPO_ROOT / "pipeline.py"), *map(str, args)]


def pipeline(*args, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args), capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


class Started:
    """A pipeline process in the background, its output in files we can poll."""

    def __init__(self, folder: Path, *args, env=None):
        folder.mkdir(parents=True, exist_ok=True)
        self.out, self.err = folder / "stdout", folder / "stderr"
        with open(self.out, "w") as o, open(self.err, "w") as e:
            self.proc = subprocess.Popen(
                command(*args), stdout=o, stderr=e, text=True, env={**os.environ, **(env or {})}
            )

    def wait_for(self, text: str, where="err", timeout=180) -> None:
        path = self.err if where == "err" else self.out
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in path.read_text(encoding="utf-8", errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r}: exit {self.proc.poll()}\n{self.out.read_text()}\n{self.err.read_text()}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def finish(self, timeout=600) -> tuple[int, str, str]:
        code = self.proc.wait(timeout)
        return code, self.out.read_text(encoding="utf-8"), self.err.read_text(encoding="utf-8")


def raw_state(raw: Path) -> dict:
    """Every path under the raw folder with its bytes and modification time."""
    return {p: (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns) for p in sorted(raw.rglob("*"))}


def digest(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs(w) -> tuple[dict, dict]:
    return digest(w["processed"] / PERIOD), digest(w["reports"] / PERIOD)


def leftovers(w) -> list[str]:
    """Anything a run leaves besides its outputs, the lock files and .failed/."""
    keep = {PERIOD, f".{PERIOD}.lock", ".failed", f"check-{PERIOD}"}
    return sorted(p.name for folder in (w["processed"], w["reports"]) for p in folder.iterdir() if p.name not in keep)


def run_args(w, raw=None) -> list:
    """A full run (``--force``: these tests rerun unchanged inputs and mean every stage to run)."""
    return [
        "run",
        "--period",
        PERIOD,
        "--raw-dir",
        raw or w["raw"],
        "--processed-dir",
        w["processed"],
        "--reports-dir",
        w["reports"],
        "--force",
    ]


def epoch_of(iso: str) -> str:
    return str(int(dt.datetime.fromisoformat(iso).timestamp()))


def without_run_time(text: str, run_time: str) -> str:
    """``text`` with every rendering of the run time replaced by a placeholder."""
    t = dt.datetime.fromisoformat(run_time)
    for form in (
        run_time,
        t.isoformat(sep=" "),
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y年%m月%d日 %H:%M",
        f"{t.year}年{t.month}月{t.day}日 %H:%M",
    ):
        text = text.replace(t.strftime(form) if "%" in form else form, "<RUN_TIME>")
    return text


def pdf_text(path: Path, run_time: str | None = None) -> str:
    """The PDF's text without white space (the run time blanked first, if given)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", without_run_time(out, run_time) if run_time else out)


# --------------------------------------------------------------------------- the last good run
@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The sample city, and one good run of it (run A)."""
    root = tmp_path_factory.mktemp("trust")
    w = dict(root=root, raw=root / "raw", processed=root / "processed", reports=root / "reports")
    write_sample(w["raw"], ("2020-05", PERIOD))
    w["raw_before"] = raw_state(w["raw"])
    proc = pipeline(*run_args(w))
    assert proc.returncode == 0, proc.stderr
    w["good"] = outputs(w)
    w["manifest"] = json.loads((w["processed"] / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    return w


# --------------------------------------------------------------------------- 1. atomic outputs
@pytest.mark.parametrize("point", ["clean", "indicators", "publish", "commit"])
def test_a_run_killed_at_each_stage_leaves_the_previous_good_run(world, point, tmp_path):
    """SIGKILL after the cleaning stage, after the indicators, after publishing (all
    staged, nothing moved), and in the middle of the commit (one folder swapped)."""
    # the killed run's outputs are never read (they are staged, or rolled back by verify):
    # it renders no PDF (the test suite's switch: conftest)
    run = Started(tmp_path, *run_args(world), env={PAUSE: point, **SKIP_PDF})
    run.wait_for(f"BULLETIN_TEST_PAUSED {point}")
    # the run's scratch (the kernel's spec) is in a staging folder, not the system's temp folder
    assert list(world["processed"].glob(f".staging-{PERIOD}-*-helpers/kernels"))
    run.kill()
    assert (world["processed"] / PERIOD).is_dir() and (world["reports"] / PERIOD).is_dir()
    if point != "commit":
        assert outputs(world) == world["good"]
    # the next command on the period finishes the job: the half-swapped commit is undone
    check = pipeline(
        "verify", "--period", PERIOD, "--processed-dir", world["processed"], "--reports-dir", world["reports"]
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "核验通过" in check.stdout
    assert outputs(world) == world["good"]
    assert leftovers(world) == []


def test_strict_with_errors_writes_the_quality_report_and_keeps_the_bulletin(world):
    """The sample has two bad rows: --strict stops after cleaning (exit 1), publishes the
    quality report beside the month (reports/check-<period>/, as `pipeline.py check`),
    and leaves the last good bulletin and data as they were."""
    proc = pipeline(*run_args(world), "--strict", env=SKIP_PDF)  # it stops after cleaning
    assert proc.returncode == 1, proc.stderr
    assert "--strict" in proc.stderr and "未生成通报" in proc.stderr
    check = world["reports"] / f"check-{PERIOD}"
    assert "六月中旬" in (check / "data" / PERIOD / "quality.csv").read_text(encoding="utf-8")
    assert (check / PERIOD / "quality" / f"全市汇总_{PERIOD}.xlsx").is_file()
    assert outputs(world) == world["good"]
    assert leftovers(world) == []


@pytest.fixture(scope="module")
def concurrent(world, tmp_path_factory):
    """Run 1 starts; while its indicators notebook runs, run 2 is started (refused at
    once) and run 3 with ``--wait`` (queues). Run 1 is then SIGKILLed mid-notebook: its
    lock dies with it and run 3 goes ahead, with run A's run time (SOURCE_DATE_EPOCH)."""
    logs = tmp_path_factory.mktemp("concurrent")
    first = Started(logs / "1", *run_args(world), env=SKIP_PDF)  # killed in its indicators notebook
    end = time.monotonic() + 120
    while not list(world["reports"].glob(f".staging-{PERIOD}-*/{PERIOD}/notebooks/indicators.ipynb")):
        assert time.monotonic() < end and first.proc.poll() is None, first.err.read_text()
        time.sleep(0.05)
    t0 = time.monotonic()
    second = pipeline(*run_args(world))
    second_seconds = time.monotonic() - t0
    third = Started(
        logs / "3", *run_args(world), "--wait", 300, env={"SOURCE_DATE_EPOCH": epoch_of(world["manifest"]["run_time"])}
    )
    third.wait_for("等待其结束", where="out")
    during = outputs(world)
    first.kill()
    code, out, err = third.finish()
    return dict(
        second=second, second_seconds=second_seconds, first_pid=first.proc.pid, during=during, third=(code, out, err)
    )


# --------------------------------------------------------------------------- 2. one run per period
def test_a_second_run_of_the_same_period_is_refused_clearly(concurrent, world):
    second = concurrent["second"]
    assert second.returncode == 3
    assert "另一次运行正在进行中" in second.stderr and f"进程 {concurrent['first_pid']}" in second.stderr
    assert "--wait" in second.stderr
    assert "[1/4]" not in second.stdout
    assert concurrent["second_seconds"] < 30
    assert concurrent["during"] == world["good"]


def test_a_waiting_run_goes_ahead_when_the_first_is_killed(concurrent, world):
    code, out, err = concurrent["third"]
    assert code == 0, err
    assert "等待其结束" in out
    assert f"上一次运行（进程 {concurrent['first_pid']}" in out and "未正常结束" in out
    assert "已清理被中断运行的临时文件夹" in out
    assert "通报已生成" in out
    # run 1's kernel outlives it by up to a second (ipykernel polls for its parent) and
    # may recreate a file in run 1's staging folder; the next run of the period removes it
    orphan = f".staging-{PERIOD}-{concurrent['first_pid']}-"
    assert [n for n in leftovers(world) if not n.startswith(orphan)] == []


# --------------------------------------------------------------------------- 3. reproducible
def test_same_inputs_and_run_time_give_the_same_bytes(concurrent, world):
    """Run 3 used run A's run time: every processed file (manifest included), the HTML,
    the PDF and the quality workbooks are byte-identical. Only the executed notebooks
    (papermill's own timestamps) and their hashes in reports/manifest.json differ."""
    processed, reports = outputs(world)
    good_processed, good_reports = world["good"]
    assert processed == good_processed
    same = {k for k in reports if reports[k] == good_reports.get(k)}
    assert set(reports) == set(good_reports)
    assert {"bulletin.html", "bulletin.pdf"} <= same
    assert all(k in same for k in reports if k.startswith("quality/"))
    assert set(reports) - same <= {"manifest.json"} | {k for k in reports if k.startswith("notebooks/")}
    man = json.loads((world["reports"] / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in man.items() if k != "outputs"} == world["manifest"]


def test_provenance_is_carried_and_verified(world, concurrent):
    man = json.loads((world["reports"] / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    assert man["code_version"] and man["run_time"] and man["parameters"]["period"] == PERIOD
    assert len(man["inputs"]) == len(list((world["raw"]).rglob("*.xlsx")))
    # the internal edition lists every input with its hash and the program version; the
    # issued bulletin (HTML, PDF) holds no provenance
    internal = (world["reports"] / PERIOD / "bulletin.internal.html").read_text(encoding="utf-8")
    issued = (world["reports"] / PERIOD / "bulletin.html").read_text(encoding="utf-8")
    text = pdf_text(world["reports"] / PERIOD / "bulletin.pdf")
    for item in man["inputs"]:
        assert item["sha256"] in internal, item["path"]
        assert item["sha256"] not in issued and item["sha256"][:12] not in text
    assert man["code_version"] in internal and man["code_version"] not in issued
    ok = pipeline(
        "verify", "--period", PERIOD, "--processed-dir", world["processed"], "--reports-dir", world["reports"]
    )
    assert ok.returncode == 0 and "核验通过" in ok.stdout
    copy = world["root"] / "raw-copy"
    shutil.copytree(world["raw"], copy)
    ledger = next((copy / PERIOD).glob("宝清县*.xlsx"))
    ledger.write_bytes(ledger.read_bytes() + b"\0")
    bad = pipeline(
        "verify",
        "--period",
        PERIOD,
        "--raw-dir",
        copy,
        "--processed-dir",
        world["processed"],
        "--reports-dir",
        world["reports"],
    )
    assert bad.returncode == 1 and "核验未通过" in bad.stdout and ledger.name in bad.stdout


# --------------------------------------------------------------------------- 6. raw data read-only
def read_only_runner(raw: Path, work: Path):
    """How to run a command that cannot write under ``raw``, as root too (root ignores
    chmod): a read-only bind mount in a private mount namespace (``unshare -m``, or
    ``unshare -rm`` in a user namespace), else as ``nobody`` (``setpriv``); None if
    none works here. Returns (prefix for the command, raw folder to pass, description)."""
    if os.geteuid() != 0:
        return [], raw, "chmod (not root)"
    mount = (
        'mount --bind "$RO" "$RO" && mount -o remount,bind,ro "$RO" "$RO" && '
        '! touch "$RO/.probe" 2>/dev/null && exec "$@"'
    )
    for unshare in (["unshare", "-m", "--propagation", "private"], ["unshare", "-r", "-m", "--propagation", "private"]):
        if (
            shutil.which("unshare")
            and subprocess.run(
                [*unshare, "sh", "-c", mount, "sh", "true"], env={**os.environ, "RO": str(raw)}, capture_output=True
            ).returncode
            == 0
        ):
            return [*unshare, "sh", "-c", mount, "sh"], raw, " ".join(unshare[:2])
    if shutil.which("setpriv"):
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        if subprocess.run([*prefix, sys.executable, "-c", "import bulletin"], capture_output=True).returncode == 0:
            return [*prefix, "env", f"HOME={work}"], raw, "setpriv nobody"
    return None


@pytest.fixture(scope="module")
def read_only_run(world, tmp_path_factory):
    """Run B': the sample again, its raw folder read-only on disk, natural run time."""
    w = dict(world, processed=world["root"] / "ro-processed", reports=world["root"] / "ro-reports")
    work = Path(tempfile.mkdtemp(prefix="bulletin-ro-"))
    raw = world["raw"]
    modes = [(p, p.stat().st_mode) for p in raw.rglob("*")] + [(raw, raw.stat().st_mode)]
    for p, mode in modes:
        p.chmod(mode & ~0o222)
    try:
        runner = read_only_runner(raw, work)
        if runner is None:
            pytest.skip(
                "cannot make the raw folder read-only for root here: no mount namespace "
                "(unshare -m / -rm refused) and the interpreter is not usable as nobody"
            )
        prefix, raw_arg, how = runner
        if how == "setpriv nobody":
            for d in (w["processed"], w["reports"], work):
                d.mkdir(exist_ok=True)
                os.chown(d, 65534, 65534)
        proc = subprocess.run(
            [*prefix, *command(*run_args(w, raw_arg))],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "RO": str(raw)},
        )
    finally:
        for p, mode in modes:
            p.chmod(mode)
        shutil.rmtree(work, ignore_errors=True)
    return dict(w=w, proc=proc, how=how)


def test_the_raw_folder_is_never_written(read_only_run, world):
    proc = read_only_run["proc"]
    assert proc.returncode == 0, f"{read_only_run['how']}\n{proc.stdout}\n{proc.stderr}"
    assert raw_state(world["raw"]) == world["raw_before"]


def test_a_rerun_differs_only_in_the_run_time(read_only_run, world):
    """Same raw snapshot, same code, another day: processed files byte-identical except
    manifest.json's run_time; HTML and PDF text identical once the run time is blanked."""
    assert read_only_run["proc"].returncode == 0
    w = read_only_run["w"]
    man = json.loads((w["processed"] / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    good_man = world["manifest"]
    if read_only_run["how"] == "setpriv nobody":  # git refuses another user's repo: package version
        man["code_version"] = good_man["code_version"]
    assert {k: v for k, v in man.items() if k != "run_time"} == {k: v for k, v in good_man.items() if k != "run_time"}
    processed = digest(w["processed"] / PERIOD)
    good_processed = world["good"][0]
    assert {k for k in processed if processed[k] != good_processed.get(k)} <= {"manifest.json"}
    assert set(processed) == set(good_processed)
    a, b = good_man["run_time"], man["run_time"]
    html_a = without_run_time((world["reports"] / PERIOD / "bulletin.html").read_text(encoding="utf-8"), a)
    html_b = without_run_time((w["reports"] / PERIOD / "bulletin.html").read_text(encoding="utf-8"), b)
    html_b = html_b.replace(man["code_version"], good_man["code_version"])
    assert html_a == html_b
    assert pdf_text(world["reports"] / PERIOD / "bulletin.pdf", a) == pdf_text(
        w["reports"] / PERIOD / "bulletin.pdf", b
    ).replace(man["code_version"], good_man["code_version"])


# --------------------------------------------------------------------------- 4. failures are clear
STARTUP = {
    "fail": (
        "indicators",
        "import bulletin.stages as s\n"
        "def boom(*a, **k):\n    raise RuntimeError('测试注入的错误')\n"
        "s.indicators_stage = boom\n",
    ),
    # no names from the startup namespace inside the lambdas: the pipeline resets the
    # kernel's namespace (%reset -f) before each notebook
    "hang": ("clean", "import bulletin.stages as s\ns.clean_stage = lambda *a, **k: __import__('time').sleep(600)\n"),
    "die": (
        "clean",
        "import bulletin.stages as s\n"
        "s.clean_stage = lambda *a, **k: __import__('os').kill(__import__('os').getpid(), 9)\n",
    ),
}


@pytest.mark.parametrize("case", ["fail", "hang", "die"])
def test_a_failing_hanging_or_dying_notebook_stops_the_run_clearly(case, world, tmp_path):
    stage, code = STARTUP[case]
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-inject.py").write_text(code, encoding="utf-8")
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    t0 = time.monotonic()
    timeout = 5 if case == "hang" else 120
    proc = pipeline(
        "run",
        "--period",
        PERIOD,
        "--raw-dir",
        world["raw"],
        "--processed-dir",
        processed,
        "--reports-dir",
        reports,
        "--timeout",
        timeout,
        env={"IPYTHONDIR": str(tmp_path / "ipython"), **SKIP_PDF},  # it fails before publishing
    )
    assert time.monotonic() - t0 < 120
    assert proc.returncode == 3, proc.stdout + proc.stderr
    err = proc.stderr
    label = {"clean": "读取和清洗台账", "indicators": "计算指标"}[stage]
    assert f"“{label}”阶段（{stage}.ipynb）" in err
    assert re.search(r"第\d+个单元格（.+）", err), err
    assert {"fail": "RuntimeError: 测试注入的错误", "hang": "运行超过 5 秒仍未结束", "die": "内核意外退出"}[case] in err
    saved = re.search(r"请打开已执行的笔记本查看出错单元格：(\S+\.ipynb)", err)
    assert saved and Path(saved.group(1)).is_file()
    assert Path(saved.group(1)).is_relative_to(reports / ".failed")
    assert not (processed / PERIOD).exists() and not (reports / PERIOD).exists()
    assert "Traceback" not in err and "ERROR" not in err


def test_exit_codes_are_documented():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", "3"):
        assert f"| `{code}` |" in readme
    assert "pipeline.py verify" in readme
    help_text = pipeline("run", "--help").stdout
    assert "--wait" in help_text and "--timeout" in help_text


# --------------------------------------------------------------------------- 5. hostile text
SCRIPT = '<script>alert("p")</script>'
IMG = "<img src=x onerror=alert(1)>"
LONG = "X" * 32000  # an Excel cell holds at most 32,767 characters: in signings.csv only
LONGISH = "Y" * 600  # a very long name that reaches the bulletin's list of signings
# ``_x0007_`` is how xlsx stores a control character in a cell (here BEL, ESC, NUL)
CONTROL = "控制_x0007_字符_x001B_[31m红_x0000_"
NAMES = [
    SCRIPT + "项目",
    '=HYPERLINK("http://evil.example/","点我")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    CONTROL,
]
INVESTORS = [IMG + "公司", "=1+1", "+1+1", "@A1", "-1+1", LONGISH]
FORMULA = re.compile(r"^[=+\-@\t\r]")
HOSTILE_FILE = "=HYPERLINK(1)宝清县<img src=x onerror=alert(9)>补充.xlsx"


def _put(ws, row, col, value):
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"  # literal text, as a county typed it (not a formula of the raw file)


def write_hostile_snapshot(raw: Path) -> None:
    """The sample city, with hostile names on its six largest out-of-province signings
    (so they reach the bulletin's list), a hostile sheet title, and one more ledger
    with a hostile file name whose rows are all rejected (so the figures stay the
    sample's) and whose bad values land in the quality report."""
    write_sample(raw, (PERIOD,))
    snap = raw / PERIOD
    cfg = load_config()
    signings = to_tables(read_snapshot(snap, PERIOD, cfg), cfg)["signings"]
    top = signings[signings["out_of_province"] == True].sort_values("amount", ascending=False)  # noqa: E712
    books = {}
    for name, investor, (_, rec) in zip(NAMES, INVESTORS, top.head(len(NAMES)).iterrows()):
        path = snap / rec["source_file"]
        ws = books.setdefault(path, openpyxl.load_workbook(path))[rec["source_sheet"]]
        row = int(rec["source_row"])
        for cell in ws[row]:
            if cell.value == rec["project"]:
                _put(ws, row, cell.column, name)
            elif cell.value == rec["investor"]:
                _put(ws, row, cell.column, investor)
        _put(ws, 1, 1, f"{rec['region']}{SCRIPT}招商引资签约项目台账")
    rec = signings[signings["out_of_province"] == False].iloc[0]  # noqa: E712  (not in the bulletin's list)
    ws = books.setdefault(snap / rec["source_file"], openpyxl.load_workbook(snap / rec["source_file"]))
    ws = ws[rec["source_sheet"]]
    for cell in ws[int(rec["source_row"])]:
        if cell.value == rec["investor"]:
            _put(ws, cell.row, cell.column, LONG)
    for path, wb in books.items():
        wb.save(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        ["宝清县补充签约项目台账" + IMG],
        ["序号", "项目名称", "投资方", "投资方所在地", "签约日期", "签约额（万元）", "签约方式"],
        [1, SCRIPT, '=HYPERLINK("http://evil.example/","x")', "北京市", IMG, 1000, "现场签约"],
        [2, "正常名称", "某公司", "北京市", "2020-06-01", "+cmd|' /C calc'!A0", "现场签约"],
        [3, "@SUM(1+1)", "某公司", "北京市", "=NOW()", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"],
        [4, CONTROL, "某公司", "北京市", "-2+3" + "长" * 32000, 100, "现场签约"],
    ]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            _put(ws, r, c, value)
    wb.save(snap / HOSTILE_FILE)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    w = dict(raw=root / "raw", processed=root / "processed", reports=root / "reports")
    write_hostile_snapshot(w["raw"])
    proc = pipeline(*run_args(w), "--timeout", 120)  # a layout that chokes on long text fails, not hangs
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return dict(w, out=w["processed"] / PERIOD, rep=w["reports"] / PERIOD)


def test_hostile_text_does_not_change_the_figures(hostile):
    wide = indicator_table(read_indicators(hostile["out"] / "indicators.csv"))
    for region, figures in expected_figures(PERIOD).items():
        for key, value in figures.items():
            assert wide.loc[region, key] == pytest.approx(value, abs=1e-4), (region, key)


def test_hostile_text_reaches_the_html_as_text_only(hostile):
    """Both pages: the issued bulletin and the internal edition (whose annex lists the
    file names, a hostile one among them)."""
    texts = {}
    for name in ("bulletin.html", "bulletin.internal.html"):
        html = (hostile["rep"] / name).read_text(encoding="utf-8")
        doc = lxml.html.fromstring(html)
        assert not list(doc.iter("script")) and not list(doc.iter("img")) and not list(doc.iter("iframe"))
        handlers = [
            (el.tag, a) for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")
        ]
        assert handlers == []
        assert not re.search(r"<\s*(script|img)\b", html, re.I)
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|https?):""", html, re.I)
        texts[name] = doc.text_content()
    for text in texts.values():
        for literal in [SCRIPT + "项目", IMG + "公司", *NAMES[1:5], "=1+1", "@A1", LONGISH]:
            assert literal in text, literal[:40]
        assert "控制" in text and "字符" in text
    assert HOSTILE_FILE in texts["bulletin.internal.html"]


def appears_in(literal: str, text: str, gap: int = 200) -> bool:
    """``literal`` (white space aside) in ``text``, its characters in order, allowing
    other table columns between the pieces of a cell that wrapped over several lines."""
    chars = [re.escape(c) for c in re.sub(r"\s+", "", literal)]
    return re.search(f".{{0,{gap}}}?".join(chars), re.sub(r"\s+", "", text), re.S) is not None


def test_hostile_text_reaches_the_pdf_as_text(hostile):
    out = subprocess.run(
        ["pdftotext", "-layout", str(hostile["rep"] / "bulletin.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    for literal in [SCRIPT + "项目", IMG + "公司", NAMES[1], NAMES[2], NAMES[3], NAMES[4], "控制字符", "Y" * 60]:
        assert appears_in(literal, out), literal


def test_hostile_text_is_never_a_formula_in_csv_outputs(hostile):
    seen = set()
    for path in sorted(hostile["out"].glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        width = len(rows[0])
        for row in rows:
            assert len(row) == width, (path.name, row[:3])  # no text split a row
            for field in row:
                if FORMULA.match(field):
                    try:
                        float(field)
                    except ValueError:
                        raise AssertionError(f"{path.name}: formula-looking cell {field[:40]!r}") from None
                seen.add(field)
    assert '\'=HYPERLINK("http://evil.example/","点我")' in seen
    assert "'+cmd|' /C calc'!A0" in seen and "'@A1" in seen
    assert "'" + HOSTILE_FILE in seen  # the file name, in source_file
    # control characters are removed from every output (issue 10), the text around them kept
    assert not any(ch in f for f in seen for ch in "\x00\x07\x1b")
    assert "控制字符[31m红" in seen
    assert LONG in seen


def test_hostile_text_is_plain_text_in_every_workbook(hostile):
    books = sorted(hostile["rep"].rglob("*.xlsx"))
    assert books
    found = set()
    for path in books:
        wb = openpyxl.load_workbook(path)  # keeps formulas as formulas: data_type 'f'
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        found.add(cell.value)
                        if FORMULA.match(cell.value):
                            assert cell.data_type == "s", (path.name, cell.coordinate)
                        assert len(cell.value) <= 32767
    assert any(v.startswith("=HYPERLINK(1)宝清县") for v in found)
    assert "+cmd|' /C calc'!A0" in found and "=NOW()" in found and "@SUM(A1:A2)" in found


def test_hostile_rows_are_accounted_for(hostile):
    with open(hostile["out"] / "accounting.csv", encoding="utf-8", newline="") as fh:
        acc = [r for r in csv.DictReader(fh) if "补充" in r["source_file"]]
    assert len(acc) == 1 and acc[0]["rows_read"] == "4" and acc[0]["rejected_rows"] == "4"
