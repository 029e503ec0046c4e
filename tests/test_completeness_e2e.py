"""SPEC §7 end to end (issue 10), ``pipeline.py run`` as the office runs it:

* a county missing (its file removed) → its ``_submitted`` 0, its figures empty, the
  terminal says 未报送, the bulletin shows “—” (never 0, a light or a rank);
* an unreadable file → 无法读取 with the file's name, on the terminal and in
  submissions.csv;
* a byte-identical copy → the figures of the run without the copy;
* ``--require-all`` → exit 1, nothing published; an empty month → exit 2;
* every hostile file of :mod:`hostile` at once → exit 0, each named, the counties'
  figures unchanged, peak memory < 1.5 GiB.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bulletin.paths import REPO_ROOT
from bulletin.sample import write_sample
from bulletin.store import indicator_table, read_indicators
from conftest import pipeline
from hostile import FILES, encrypted
from sample_figures import expected_figures
from test_hostile import PEAK_LIMIT, measured, named, truth_holds

pytestmark = pytest.mark.slow
PERIOD = "2020-06"
MISSING, UNREADABLE, COPIED = "岭东区", "宝山区", "尖山区"


def args(root: Path) -> list:
    return ["--period", PERIOD, "--raw-dir", root / "raw", "--processed-dir", root / "p", "--reports-dir", root / "r"]


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory):
    root = tmp_path_factory.mktemp("incomplete")
    write_sample(root / "raw", ("2020-05", PERIOD))
    snap = root / "raw" / PERIOD
    (snap / f"{MISSING}2020年6月份台账.xlsx").unlink()
    encrypted(snap / f"{UNREADABLE}6月份招商台账.xlsx")  # the county's only file, password-protected
    original = snap / f"{COPIED}招商台账（6月）.xlsx"
    shutil.copy(original, snap / f"{COPIED}招商台账（6月）(1).xlsx")
    proc = pipeline("run", *args(root))
    return dict(root=root, stdout=proc.stdout, processed=root / "p" / PERIOD, reports=root / "r" / PERIOD)


@pytest.fixture(scope="module")
def wide(incomplete):
    return indicator_table(read_indicators(incomplete["processed"] / "indicators.csv"))


def test_a_missing_county_is_empty_never_zero(incomplete, wide):
    long = read_indicators(incomplete["processed"] / "indicators.csv").set_index(["region", "indicator"])["value"]
    for county in (MISSING, UNREADABLE):
        for ledger in ("signings", "activities", "projects"):
            assert wide.loc[county, f"{ledger}_submitted"] == 0
        for indicator in ("signed_projects", "signed_amount", "activities", "leads", "provincial_key_projects"):
            assert long[(county, indicator)] == "", (county, indicator)
        assert long[(county, "signed_light")] == "" and long[(county, "signed_completion_rank")] == ""
    assert wide.loc["全市", "signings_submitted"] == 6


def test_the_other_counties_and_the_city_sum_are_the_submitters(wide):
    truth = expected_figures(PERIOD)
    for county, figures in truth.items():
        if county in (MISSING, UNREADABLE, "全市"):
            continue
        for key, value in figures.items():  # the copied county's too: its copy was read once
            assert wide.loc[county, key] == pytest.approx(value, abs=1e-4), (county, key)
    submitted = [c for c in truth if c not in (MISSING, UNREADABLE, "全市")]
    for key in ("signed_amount", "activities", "provincial_key_projects"):
        assert wide.loc["全市", key] == pytest.approx(sum(truth[c][key] for c in submitted))
    ranks = wide.drop(index="全市")["signed_completion_rank"].dropna()
    assert sorted(ranks) == list(range(1, 7))  # ranked among the 6 that reported


def test_the_terminal_says_who_did_not_report(incomplete):
    out = incomplete["stdout"]
    block = out[out.index("报送情况") :]
    assert re.search(f"{MISSING}：未报送", block)
    assert f"{UNREADABLE}：" in block and "无法读取" in block and f"{UNREADABLE}6月份招商台账.xlsx" in block
    assert out.rstrip().endswith("=" * 60)  # last, where the office looks


def test_the_register_names_the_unreadable_file(incomplete):
    s = pd.read_csv(incomplete["processed"] / "submissions.csv", dtype=str, keep_default_na=False)
    rows = s[(s["region"] == UNREADABLE) & (s["ledger"] == "signings")]
    assert rows["status"].tolist() == ["unreadable"]
    assert rows["source_file"].tolist() == [f"{UNREADABLE}6月份招商台账.xlsx"] and "密码" in rows.iloc[0]["reason"]
    assert s[(s["region"] == MISSING)]["status"].tolist()[:3] == ["not_submitted"] * 3
    sheet = openpyxl.load_workbook(incomplete["reports"] / "quality" / f"全市汇总_{PERIOD}.xlsx")["报送情况"]
    assert any(r[0] == UNREADABLE and r[2] == "台账无法读取" for r in sheet.iter_rows(values_only=True))


def test_the_copy_is_skipped_naming_the_original(incomplete):
    s = pd.read_csv(incomplete["processed"] / "skipped.csv", dtype=str, keep_default_na=False)
    row = s[s["source_file"] == f"{COPIED}招商台账（6月）(1).xlsx"].iloc[0]
    assert f"{COPIED}招商台账（6月）.xlsx" in row["reason"]


def test_the_bulletin_never_shows_a_missing_county_as_zero_a_light_or_a_rank(incomplete):
    html = (incomplete["reports"] / "bulletin.html").read_text(encoding="utf-8")
    tables = re.findall(r'<table aria-label="([^"]*)"[^>]*>(.*?)</table>', html, flags=re.S)
    figures = "".join(body for caption, body in tables if "完成情况" in caption or "推进情况" in caption)
    for county in (MISSING, UNREADABLE):
        rows = re.findall(rf"<tr[^>]*>\s*<t[hd][^>]*>{county}</t[hd]>(.*?)</tr>", figures, flags=re.S)
        assert len(rows) == 4, county  # the signings table and the three tiers
        for row in rows:
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            shown = [c for c in cells if c not in ("—", "")]
            # only its annual target (known from the targets file) may show
            assert all(re.fullmatch(r"\d+\.\d\d", c) for c in shown), (county, cells)
    text = re.sub(r"<[^>]+>", "", html)
    assert f"{MISSING}、{UNREADABLE}未报送年度签约额目标" not in text  # they did send targets


def test_require_all_refuses_to_publish_an_incomplete_month(incomplete, tmp_path):
    root = incomplete["root"]
    before = (incomplete["reports"] / "bulletin.html").read_bytes()
    proc = pipeline("run", *args(root), "--require-all", check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "--require-all" in proc.stderr and MISSING in proc.stderr and UNREADABLE in proc.stderr
    assert "等台账齐全后重新运行即可发布" in proc.stderr and "要求台账齐全才发布" not in proc.stderr
    assert (incomplete["reports"] / "bulletin.html").read_bytes() == before  # the last good one stays
    assert (root / "r" / f"check-{PERIOD}" / PERIOD / "quality").is_dir()


def test_an_empty_month_is_a_usage_error_in_chinese(tmp_path):
    (tmp_path / "raw" / PERIOD).mkdir(parents=True)
    (tmp_path / "raw" / PERIOD / "~$锁定.xlsx").write_bytes(b"x")
    proc = pipeline("run", *args(tmp_path), check=False)
    assert proc.returncode == 2 and "没有台账文件" in proc.stderr and "[1/4]" not in proc.stdout
    assert not (tmp_path / "r" / PERIOD).exists()


def test_a_month_without_a_readable_ledger_is_a_usage_error(tmp_path):
    snap = tmp_path / "raw" / PERIOD
    snap.mkdir(parents=True)
    encrypted(snap / "宝清县.xlsx")
    (snap / "说明.csv").write_text("这里没有台账\n", encoding="utf-8")
    proc = pipeline("run", *args(tmp_path), check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "没有可读取的县区台账" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r" / PERIOD / "bulletin.html").exists()
    assert (tmp_path / "r" / f"check-{PERIOD}" / "data" / PERIOD / "quality.csv").is_file()


def test_every_hostile_file_at_once_the_month_is_published(tmp_path):
    write_sample(tmp_path / "raw", (PERIOD,))
    snap = tmp_path / "raw" / PERIOD
    for name, build in FILES.items():
        build(snap / name)
    cmd = [sys.executable, REPO_ROOT / "pipeline.py", "run", *args(tmp_path)]
    code, seconds, peak = measured(cmd, tmp_path / "log.txt", timeout=900)
    log = (tmp_path / "log.txt").read_text(errors="replace")
    assert code == 0, log
    assert peak < PEAK_LIMIT, f"{peak / 2**20:.0f} MiB"
    processed = tmp_path / "p" / PERIOD
    assert set(FILES) <= named(processed)
    truth_holds(processed / "indicators.csv")
    assert (tmp_path / "r" / PERIOD / "bulletin.pdf").stat().st_size > 10_000
