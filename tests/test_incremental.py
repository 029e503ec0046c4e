"""Incremental runs: a rerun costs only what changed, and the cache never serves a
stale result — a changed cell, parameter or config alias changes the outputs."""

import json
import os
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from bulletin.paths import REPO_ROOT
from bulletin.sample import write_sample
from conftest import SKIP_PDF

pytestmark = pytest.mark.slow
PERIOD = "2020-06"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    write_sample(root / "raw", ("2020-05", PERIOD))
    cfg = root / "cfg"
    cfg.mkdir()
    return dict(root=root, raw=root / "raw", processed=root / "processed", reports=root / "reports", cfg=cfg)


def run(w, *extra, pdf=False):
    """``pipeline.py run`` on the module's world; the PDF rendered only with ``pdf`` (the
    test suite's switch, SKIP_PDF: the plan counts a PDF missing only when a run renders it)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "pipeline.py"),
            "run",
            "--period",
            PERIOD,
            "--raw-dir",
            str(w["raw"]),
            "--processed-dir",
            str(w["processed"]),
            "--reports-dir",
            str(w["reports"]),
            "--config-dir",
            str(w["cfg"]),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **({} if pdf else SKIP_PDF)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def ran(stdout):
    return [
        s
        for s, marker in (("clean", "[1/4]"), ("indicators", "[2/4]"), ("bulletin", "[3/4]"), ("publish", "[4/4]"))
        if marker in stdout
    ]


def snapshot(w):
    return {
        p.relative_to(w["root"]): p.read_bytes()
        for folder in (w["processed"] / PERIOD, w["reports"] / PERIOD)
        for p in folder.rglob("*")
        if p.is_file()
    }


def city(w, indicator, region="全市"):
    df = pd.read_csv(w["processed"] / PERIOD / "indicators.csv", dtype=str, keep_default_na=False)
    return df[(df.region == region) & (df.indicator == indicator)]["value"].item()


def test_1_first_run_runs_everything(world):
    assert ran(run(world)) == ["clean", "indicators", "bulletin", "publish"]


def test_2_nothing_changed_runs_nothing(world):
    before = snapshot(world)
    out = run(world)
    assert ran(out) == [] and "无变化" in out and "通报未变化" in out
    assert snapshot(world) == before


def test_3_a_changed_cell_reruns_from_clean_and_changes_the_figures(world):
    target = next(world["raw"].joinpath(PERIOD).glob("*目标任务*.xlsx"))
    old = city(world, "signed_amount_target", "尖山区")
    wb = openpyxl.load_workbook(target)
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "尖山区")
    ws.cell(cell.row, cell.column + 1).value = 99  # 亿元, header 签约额目标（亿元）
    wb.save(target)
    assert ran(run(world)) == ["clean", "indicators", "bulletin", "publish"]
    assert city(world, "signed_amount_target", "尖山区") == "990000" != old


def test_4_a_parameter_reruns_only_what_depends_on_it(world):
    processed_before = {k: v for k, v in snapshot(world).items() if "processed" in str(k)}
    out = run(world, "--lang", "en")
    assert ran(out) == ["bulletin", "publish"]
    html = (world["reports"] / PERIOD / "bulletin.en.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html
    # the Chinese edition stays beside it (its inputs did not change)
    assert 'lang="zh"' in (world["reports"] / PERIOD / "bulletin.html").read_text(encoding="utf-8")
    after = {k: v for k, v in snapshot(world).items() if "processed" in str(k)}
    changed = {k for k in after if after.get(k) != processed_before.get(k)}
    assert {k.name for k in changed} <= {"manifest.json", "stages.json"}  # the figures were not recomputed


def test_5_a_config_alias_changes_the_cleaned_records(world):
    def chains():
        frames = [
            pd.read_csv(world["processed"] / PERIOD / f"{t}.csv", dtype=str, keep_default_na=False)
            for t in ("signings", "projects")
        ]
        df = pd.concat(frames)
        return df[df.chain_raw.str.contains("数字经济")]["chain"].tolist()

    assert chains() and set(chains()) == {"其他"}
    (world["cfg"] / "chains.yaml").write_text(
        "chains:\n  - name: 现代煤电化\n    aliases: [数字经济]\n", encoding="utf-8"
    )
    assert ran(run(world, "--lang", "en")) == ["clean", "indicators", "bulletin", "publish"]
    assert set(chains()) == {"现代煤电化"}


def test_6_force_reruns_everything(world):
    assert ran(run(world, "--lang", "en", "--force", pdf=True)) == ["clean", "indicators", "bulletin", "publish"]


def test_7_a_lost_output_is_rebuilt(world):
    (world["reports"] / PERIOD / "bulletin.en.pdf").unlink()
    assert ran(run(world, "--lang", "en", pdf=True)) == ["publish"]
    assert (world["reports"] / PERIOD / "bulletin.en.pdf").read_bytes().startswith(b"%PDF")


def test_8_an_edited_module_reruns_the_stages_that_import_it(tmp_path_factory):
    """In a copy of the package (as a developer edits it): after an edit, the stages
    whose code imports the edited module rerun, the others are carried over."""
    root = tmp_path_factory.mktemp("code")
    repo = root / "repo"
    # with its bytecode and built import scans (make bytecode): an edited file's are stale,
    # and Python and the runner see that (the source's time stamp, the file's SHA-256)
    shutil.copytree(REPO_ROOT / "src" / "bulletin", repo / "src" / "bulletin")
    shutil.copytree(REPO_ROOT / "notebooks", repo / "notebooks")
    shutil.copy2(REPO_ROOT / "pipeline.py", repo / "pipeline.py")
    # one county's ledger of the sample month: which stages rerun depends on the code, not on the
    # ledgers (a month of one ledger costs each full run ~0.6 s of CPU less than the whole sample)
    write_sample(root / "raw", (PERIOD,))
    for p in sorted((root / "raw" / PERIOD).iterdir()):
        if p.name != "宝清县招商台账（6月）.xlsx":
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), **SKIP_PDF}  # no assertion reads a PDF

    def rerun():
        proc = subprocess.run(
            [
                sys.executable,
                str(repo / "pipeline.py"),
                "run",
                "--period",
                PERIOD,
                "--raw-dir",
                str(root / "raw"),
                "--processed-dir",
                str(root / "processed"),
                "--reports-dir",
                str(root / "reports"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return ran(proc.stdout)

    def edit(module):
        with open(repo / "src" / "bulletin" / module, "a", encoding="utf-8") as fh:
            fh.write("\n# an edit\n")

    assert rerun() == ["clean", "indicators", "bulletin", "publish"]
    recorded = json.loads((root / "processed" / PERIOD / "stages.json").read_text(encoding="utf-8"))
    assert any(key.endswith(":bulletin.report.drawing") for key in recorded["code_scans"])
    edit("report/drawing.py")
    assert rerun() == ["bulletin", "publish"]
    edit("publish/html_pdf.py")
    assert rerun() == ["publish"]
    edit("api.py")  # no stage imports it
    assert rerun() == []
    edit("ledgers/normalise.py")
    assert rerun() == ["clean", "indicators", "bulletin", "publish"]
