"""Issued is issued (SPEC §13, issue 22): ``issue`` freezes a bulletin into
``reports/<period>/issued/<n>/``; runs carry it (and superseded editions) byte for byte;
a run after an issue that changes a published figure writes a 修订说明; 环比 compares
with the previous month as issued, like for like.

The fast tests build the folders by hand; the end-to-end ones (``slow``) run the sample
city as an office would."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.contract import ISSUED_REFERENCE
from bulletin.errors import UsageError
from bulletin.files import sha256
from bulletin.report import compare, revision
from bulletin.report import format as fmt
from bulletin.runner.issue import carry_archives, issue, verify_issued
from conftest import SKIP_PDF, pipeline
from report_demo import PERIOD, REGIONS, doc_for, earlier_overrides, edition, write_demo_processed


# --------------------------------------------------------------------------- helpers
def fake_run(root: Path, period: str = PERIOD, text: str = "通报") -> tuple[Path, Path]:
    """reports/<period>/ and processed/<period>/ as a run leaves them (a few files, a
    manifest with their hashes)."""
    rep, proc = root / "reports" / period, root / "processed" / period
    for folder in (rep / "quality", rep / "notebooks", proc):
        folder.mkdir(parents=True, exist_ok=True)
    (rep / "bulletin.html").write_text(f"<h1>{text}</h1>", encoding="utf-8")
    (rep / "bulletin.en.pdf").write_bytes(b"%PDF en")
    (rep / "quality" / "宝清县_数据质量反馈.xlsx").write_bytes(b"xlsx")
    (rep / "notebooks" / "bulletin.ipynb").write_text("{}", encoding="utf-8")
    (proc / "indicators.csv").write_text("period,region,indicator,value\n", encoding="utf-8")
    outputs = [
        {"path": "reports/bulletin.html", "sha256": sha256(rep / "bulletin.html")},
        {"path": "processed/indicators.csv", "sha256": sha256(proc / "indicators.csv")},
    ]
    inputs = [{"path": f"{period}/宝清县.xlsx", "size": 1, "sha256": "a" * 64}]
    man = {"period": period, "run_time": "2020-07-03T09:00:00+08:00", "inputs": inputs, "outputs": outputs}
    (rep / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return rep, proc


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def writable(p: Path) -> bool:
    return bool(stat.S_IMODE(p.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# --------------------------------------------------------------------------- issue
def test_issue_freezes_every_file_read_only_with_its_record(tmp_path):
    rep, _ = fake_run(tmp_path)
    done = issue(PERIOD, tmp_path / "reports", tmp_path / "processed")
    assert done.number == 1 and done.folder == rep / "issued" / "1"
    frozen = hashes(done.folder)
    # every edition and format, the quality workbooks, the manifest, the indicators; not the notebooks
    assert set(frozen) == {
        "bulletin.html",
        "bulletin.en.pdf",
        "quality/宝清县_数据质量反馈.xlsx",
        "manifest.json",
        "indicators.csv",
        "issue.json",
    }
    assert frozen["bulletin.html"] == sha256(rep / "bulletin.html")
    assert not any(writable(p) for p in done.folder.rglob("*") if p.is_file())
    record = json.loads((done.folder / "issue.json").read_text(encoding="utf-8"))
    assert record["issued_by"] and record["issued_at"] and record["number"] == 1
    assert record["source"]["manifest_sha256"] == sha256(rep / "manifest.json")
    assert record["source"]["inputs"] == [{"path": f"{PERIOD}/宝清县.xlsx", "sha256": "a" * 64}]
    assert {f["path"]: f["sha256"] for f in record["files"]} == {k: v for k, v in frozen.items() if k != "issue.json"}
    assert verify_issued(rep) == (5, [])


def test_the_same_run_is_not_issued_twice_and_a_new_run_is_issue_two(tmp_path):
    fake_run(tmp_path)
    issue(PERIOD, tmp_path / "reports", tmp_path / "processed")
    with pytest.raises(UsageError, match="已经印发过"):
        issue(PERIOD, tmp_path / "reports", tmp_path / "processed")
    rep, _ = fake_run(tmp_path, text="修订后的通报")  # the next run
    assert issue(PERIOD, tmp_path / "reports", tmp_path / "processed").number == 2
    assert (rep / "issued" / "1" / "bulletin.html").read_text(encoding="utf-8") == "<h1>通报</h1>"
    assert (rep / "issued" / "2" / "bulletin.html").read_text(encoding="utf-8") == "<h1>修订后的通报</h1>"


def test_a_bulletin_edited_after_its_run_is_not_issued(tmp_path):
    rep, _ = fake_run(tmp_path)
    (rep / "bulletin.html").write_text("<h1>手改过的通报</h1>", encoding="utf-8")
    with pytest.raises(UsageError, match=r"运行后被改动过（bulletin.html）"):
        issue(PERIOD, tmp_path / "reports", tmp_path / "processed")
    assert not (rep / "issued").exists() or not any((rep / "issued").iterdir())


def test_no_bulletin_no_issue(tmp_path):
    with pytest.raises(UsageError, match="请先运行"):
        issue(PERIOD, tmp_path / "reports", tmp_path / "processed")


def test_verify_issued_names_a_changed_a_removed_and_an_added_file(tmp_path):
    rep, _ = fake_run(tmp_path)
    folder = issue(PERIOD, tmp_path / "reports", tmp_path / "processed").folder
    os.chmod(folder / "bulletin.html", 0o644)
    (folder / "bulletin.html").write_text("<h1>改了</h1>", encoding="utf-8")
    os.chmod(folder / "bulletin.en.pdf", 0o644)
    (folder / "bulletin.en.pdf").unlink()
    (folder / "extra.txt").write_text("x", encoding="utf-8")
    _, problems = verify_issued(rep)
    assert problems == [
        "印发件缺失：issued/1/bulletin.en.pdf",
        "印发件已改动：issued/1/bulletin.html（SHA-256 与印发记录不同）",
        "印发件中多出文件：issued/1/extra.txt",
    ]


# --------------------------------------------------------------------------- carried by runs
def test_archives_are_carried_as_the_same_files_and_stale_editions_set_aside(tmp_path):
    rep, _ = fake_run(tmp_path)
    issue(PERIOD, tmp_path / "reports", tmp_path / "processed")
    (rep / "superseded" / "20200701-090000").mkdir(parents=True)
    (rep / "superseded" / "20200701-090000" / "bulletin.pdf").write_bytes(b"%PDF old")
    before = hashes(rep / "issued")
    old_pdf = sha256(rep / "superseded" / "20200701-090000" / "bulletin.pdf")
    staged = tmp_path / "reports" / ".staging" / PERIOD
    staged.mkdir(parents=True)
    (staged / "bulletin.html").write_text("<h1>新</h1>", encoding="utf-8")  # this run made the zh edition
    said = carry_archives(rep, staged)
    # issued/ and superseded/ are there, the same inodes (hard links), read-only as they were
    assert hashes(staged / "issued") == hashes(rep / "issued")
    for p in (rep / "issued").rglob("*"):
        if p.is_file():
            twin = staged / p.relative_to(rep)
            assert os.stat(twin).st_ino == os.stat(p).st_ino and not writable(twin)
    assert sha256(staged / "superseded" / "20200701-090000" / "bulletin.pdf") == old_pdf
    # the English PDF this run neither made nor kept: set aside, with the manifest of its run
    moved = [p for p in (staged / "superseded").iterdir() if p.name != "20200701-090000"]
    assert len(moved) == 1 and (moved[0] / "bulletin.en.pdf").read_bytes() == b"%PDF en"
    assert (moved[0] / "manifest.json").is_file()
    assert said and "英文版通报" in said[0] and f"superseded/{moved[0].name}/" in said[0] and "未删除" in said[0]
    # the folder in place is untouched (a killed run leaves it as it was)
    assert (rep / "bulletin.en.pdf").read_bytes() == b"%PDF en" and hashes(rep / "issued") == before
    shutil.rmtree(staged.parent)  # what a killed run's clean-up does
    assert verify_issued(rep)[1] == []


def test_nothing_to_carry_when_nothing_was_issued(tmp_path):
    rep, _ = fake_run(tmp_path)
    staged = tmp_path / "staged"
    staged.mkdir()
    for name in ("bulletin.html", "bulletin.en.pdf", "notebooks/bulletin.ipynb"):
        (staged / name).parent.mkdir(exist_ok=True)
        (staged / name).write_bytes(b"new")
    assert carry_archives(rep, staged) == [] and not (staged / "issued").exists()


# --------------------------------------------------------------------------- 修订说明
def reference(folder: Path, this: list | None = None, previous: list | None = None, inputs=None) -> None:
    """issued_reference.json as a run writes it."""

    def entry(rows, n):
        if rows is None:
            return None
        return {"number": n, "issued_at": "2020-07-05T10:00:00+08:00", "inputs": inputs or [], "indicators": rows}

    data = {"period": PERIOD, "this": entry(this, 1), "previous_period": "2020-05", "previous": entry(previous, 2)}
    (folder / ISSUED_REFERENCE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def rows_of(path: Path, period: str) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [[r["region"], r["indicator"], r["value"]] for r in csv.DictReader(fh) if r["period"] == period]


def changed(rows: list[list[str]], changes: dict) -> list[list[str]]:
    return [[r, i, str(changes.get((r, i), v))] for r, i, v in rows]


def test_a_changed_figure_makes_a_revision_note_and_marks_the_title(tmp_path):
    folder = write_demo_processed(tmp_path) / PERIOD
    man = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    first = man["inputs"][0]
    issued_inputs = [{"path": first["path"], "sha256": "0" * 64}, {"path": "2020-06/旧文件.xlsx", "sha256": "1" * 64}]
    # as issued, 宝清县 had signed 44.28 亿元 (now 45.28): that one figure changed
    reference(
        folder,
        this=changed(rows_of(folder / "indicators.csv", PERIOD), {("宝清县", "signed_amount"): 442800}),
        inputs=issued_inputs,
    )
    doc = doc_for(tmp_path)
    assert doc.title.endswith("（修订）")
    sec = doc.section("revision")
    assert doc.sections[0] is sec and sec.heading == "修订说明"
    table = next(b for b in sec.blocks if hasattr(b, "rows"))
    assert [[table.text(r, c) for c in range(4)] for r in range(len(table.rows))] == [
        ["宝清县", "省外签约额（亿元）", "44.28", "45.28"]
    ]
    text = " ".join(b.text for b in sec.blocks if hasattr(b, "text") and isinstance(b.text, str))
    assert "2020年7月5日印发的第1版" in text and "1个数字" in text
    assert f"更新{first['path']}" in text and "删除2020-06/旧文件.xlsx" in text
    assert doc.tables["revision"].number == "修订表"  # the bulletin's own tables keep their numbers
    assert next(iter(doc.tables.values())).key == "revision" and "表1" in [t.number for t in doc.tables.values()]
    en = doc_for(tmp_path, lang="en")
    assert en.title.endswith("(Revised)") and en.section("revision").heading == "Revision note"


def test_a_county_edition_lists_its_own_and_the_city_figures(tmp_path):
    folder = write_demo_processed(tmp_path) / PERIOD
    rows = rows_of(folder / "indicators.csv", PERIOD)
    reference(
        folder,
        this=changed(rows, {("宝清县", "activities"): 11, ("饶河县", "activities"): 7, ("全市", "activities"): 68}),
    )
    city = [(c.region, c.indicator, c.old, c.new) for c in revision.changes(edition(tmp_path))]
    assert city == [
        ("全市", "activities", "68", "70"),
        ("宝清县", "activities", "11", "12"),
        ("饶河县", "activities", "7", "8"),
    ]
    county = [(c.region, c.old, c.new) for c in revision.changes(edition(tmp_path, region="宝清县"))]
    assert county == [("全市", "68", "70"), ("宝清县", "11", "12")]


def test_no_revision_when_the_figures_are_as_issued(tmp_path):
    folder = write_demo_processed(tmp_path) / PERIOD
    # 4 decimals of 万元 more: the bulletin shows the same 亿元, no figure changed
    rows = rows_of(folder / "indicators.csv", PERIOD)
    amount = next(float(v) for r, i, v in rows if (r, i) == ("宝清县", "signed_amount"))
    reference(folder, this=changed(rows, {("宝清县", "signed_amount"): amount + 0.0001}))
    doc = doc_for(tmp_path)
    assert doc.section("revision") is None and "修订" not in doc.title
    assert revision.changes(edition(tmp_path)) == []


# --------------------------------------------------------------------------- 环比
def test_month_on_month_against_the_issued_figures_like_for_like(tmp_path):
    folder = write_demo_processed(tmp_path, history={"2020-05": earlier_overrides()}) / PERIOD
    may = rows_of(folder / "history.csv", "2020-05")
    # as issued, 岭东区's May signings and activities were missing (not submitted), and
    # 宝清县 had 30 signings in May: it has 10 now (its ledger was revised down)
    issued_may = [
        row
        for row in changed(may, {("宝清县", "signed_projects"): 30})
        if not (row[0] == "岭东区" and row[1] in ("signed_projects", "signed_amount", "activities"))
    ]
    reference(folder, previous=issued_may)
    text = compare.month_on_month(edition(tmp_path))
    assert text.startswith("与1-5月通报（已印发）相比（两期均不含岭东区），")
    kept = [i for i, r in enumerate(REGIONS) if r != "岭东区"]
    # hand-computed over the seven counties kept: 6 counties +2 each, 宝清县 10 − 30
    assert "签约省外项目减少8项，系宝清县台账数据调减所致" in text
    assert "招商引资活动增加7次" in text  # +1 in each of the seven
    from report_demo import DEMO

    now = sum(DEMO["signed_amount"][i] for i in kept)
    before = sum(round(DEMO["signed_amount"][i] * 0.66) for i in kept)
    assert f"签约额增加{(now - before) / 10000:.2f}亿元" in text


def test_month_on_month_as_computed_says_so(tmp_path):
    write_demo_processed(tmp_path, history={"2020-05": earlier_overrides()})
    text = compare.month_on_month(edition(tmp_path))
    assert text.startswith("与1-5月计算结果相比，签约省外项目增加16项") and "不含" not in text


# --------------------------------------------------------------------------- end to end
def folders(root: Path) -> tuple:
    """The command line's three folders under ``root`` (raw/, processed/, reports/)."""
    return ("--raw-dir", root / "raw", "--processed-dir", root / "processed", "--reports-dir", root / "reports")


def run(root: Path, period: str = PERIOD, *extra, env=None) -> str:
    return pipeline("run", "--period", period, *folders(root), *extra, env=env).stdout


def issue_cmd(root: Path, period: str = PERIOD) -> str:
    dirs = ("--processed-dir", root / "processed", "--reports-dir", root / "reports")
    return pipeline("issue", "--period", period, *dirs).stdout


def set_cell(path: Path, sheet: str, cell: str, value) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.fixture(scope="module")
def issued_sample(tmp_path_factory, sample_run) -> tuple[Path, str]:
    """The sample city's June run issued (第 1 版) once: how the end-to-end tests below
    start. The run is a copy of the shared ``sample_run`` (``pipeline.py sample``, then
    ``run --per-region``), not a run of its own. Each test works on its own copy
    (:func:`issued_copy`). Returns the folder and what ``issue`` said."""
    sample = sample_run.copy(tmp_path_factory.mktemp("issued-sample"))
    return sample.root, issue_cmd(sample.root)


def issued_copy(issued_sample: tuple[Path, str], dest: Path) -> str:
    """A copy of :func:`issued_sample` (raw/, processed/, reports/, the issued copies
    read-only as issued) in ``dest``, to change; returns what ``issue`` said."""
    root, said = issued_sample
    shutil.copytree(root, dest, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*.lock"))
    return said


def html_text(path: Path) -> str:
    import html
    import re

    text = re.sub(r"<(style|script|svg)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.slow
def test_run_issue_change_a_ledger_run_again(tmp_path, issued_sample):
    out = issued_copy(issued_sample, tmp_path)  # sample, run, issue
    assert "已印发 2020-06 第 1 版" in out
    issued = tmp_path / "reports" / PERIOD / "issued" / "1"
    frozen = hashes(issued)
    # 宝清县 corrects one signing: 63600 → 73600 万元 (+1 亿元)
    set_cell(tmp_path / "raw" / PERIOD / "宝清县招商台账（6月）.xlsx", "招商签约", "I4", 73600)
    run(tmp_path, env=SKIP_PDF)  # the revision is read in its HTML, Word and Excel files: no assertion reads its PDF
    assert hashes(issued) == frozen and not any(writable(p) for p in issued.rglob("*") if p.is_file())
    text = html_text(tmp_path / "reports" / PERIOD / "bulletin.html")
    assert "双鸭山市2020年上半年招商引资和项目建设情况通报（修订）" in text
    note = text[text.index("修订说明") : text.index("一、总体情况")]
    # exactly the figures the one signing changes (it is of 1 亿元 or more), for 宝清县 and 全市
    expected = [
        ("全市", "省外签约额（亿元）", "150.33", "151.33"),
        ("全市", "签约额完成年度目标", "107.4%", "108.1%"),
        ("全市", "亿元以上项目签约额（亿元）", "147.17", "148.17"),
        ("全市", "资金到位率", "11.8%", "11.7%"),
        ("宝清县", "省外签约额（亿元）", "45.00", "46.00"),
        ("宝清县", "签约额完成年度目标", "180.0%", "184.0%"),
        ("宝清县", "亿元以上项目签约额（亿元）", "45.00", "46.00"),
        ("宝清县", "资金到位率", "20.8%", "20.3%"),
    ]
    assert "8个数字" in note and " ".join(" ".join(row) for row in expected) in note
    assert "更新2020-06/宝清县招商台账（6月）.xlsx" in note
    import docx
    import openpyxl

    paragraphs = docx.Document(tmp_path / "reports" / PERIOD / "bulletin.docx").paragraphs
    assert any(p.text.endswith("（修订）") for p in paragraphs) and any(p.text == "修订说明" for p in paragraphs)
    wb = openpyxl.load_workbook(tmp_path / "reports" / PERIOD / "bulletin.xlsx")
    assert wb["说明"]["A1"].value.endswith("（修订）") and any("修订" in name for name in wb.sheetnames)
    dirs = folders(tmp_path)
    assert pipeline("verify", "--period", PERIOD, *dirs).returncode == 0
    assert "第 2 版" in issue_cmd(tmp_path)
    # an issued file changed by hand: verify fails and says which
    os.chmod(issued / "bulletin.docx", 0o644)
    (issued / "bulletin.docx").write_bytes(b"changed")
    proc = pipeline("verify", "--period", PERIOD, *dirs, check=False)
    assert proc.returncode == 1 and "印发件已改动：issued/1/bulletin.docx" in proc.stdout


@pytest.mark.slow
def test_issue_then_a_config_change_then_english_deletes_no_chinese_file(tmp_path, issued_sample):
    issued_copy(issued_sample, tmp_path)  # sample, run, issue
    here = tmp_path / "reports" / PERIOD
    chinese = {n: sha256(here / n) for n in ("bulletin.html", "bulletin.pdf", "bulletin.docx", "bulletin.xlsx")}
    issued = hashes(here / "issued" / "1")
    config = tmp_path / "config"
    config.mkdir()
    (config / "document.yaml").write_text("issuer: 双鸭山市商务局\n", encoding="utf-8")
    # no assertion reads the English PDF (the Chinese one checked is the issued run's)
    said = run(tmp_path, PERIOD, "--lang", "en", "--config-dir", config, env=SKIP_PDF)
    assert (here / "bulletin.en.html").is_file() and hashes(here / "issued" / "1") == issued
    for name, digest in chinese.items():  # in place, or set aside in superseded/: never deleted
        places = [here / name, *(here / "superseded").glob(f"*/{name}")]
        assert digest in [sha256(p) for p in places if p.is_file()], name
    assert "superseded/" in said and "未删除" in said


# --------------------------------------------------------------------------- workbench
def test_the_workbench_loads_the_issued_figures(tmp_path):
    import bulletin

    processed = tmp_path / "processed"
    write_demo_processed(processed)
    rep = tmp_path / "reports" / PERIOD
    rep.mkdir(parents=True)
    (rep / "manifest.json").write_text(json.dumps({"period": PERIOD, "inputs": [], "outputs": []}), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no issued edition"):
        bulletin.load(PERIOD, processed, issued=True, reports_dir=tmp_path / "reports")
    issue(PERIOD, tmp_path / "reports", processed)
    ind = processed / PERIOD / "indicators.csv"  # a later run changes 宝清县's figure
    rows = list(csv.reader(ind.open(encoding="utf-8")))
    for row in rows:
        if row[1:3] == ["宝清县", "signed_amount"]:
            row[3] = "462800"
    with ind.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    now = bulletin.load(PERIOD, processed)
    then = bulletin.load(PERIOD, processed, issued=True, reports_dir=tmp_path / "reports")
    assert then.issued == 1 and now.issued is None
    assert now.value("宝清县", "signed_amount") == 462800 and then.value("宝清县", "signed_amount") == 452800
    assert bulletin.load(PERIOD, processed, issued=1, reports_dir=tmp_path / "reports").issued == 1
    with pytest.raises(FileNotFoundError, match=r"issued: 1"):
        bulletin.load(PERIOD, processed, issued=2, reports_dir=tmp_path / "reports")


def city_sum(path: Path, indicator: str, leave_out: str) -> float:
    """Σ over the counties (not 全市, not ``leave_out``) of ``indicator`` in indicators.csv."""
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(
            float(r["value"])
            for r in csv.DictReader(fh)
            if r["indicator"] == indicator and r["region"] not in ("全市", leave_out)
        )


@pytest.mark.slow
def test_may_issued_june_without_a_county_compares_like_for_like(tmp_path):
    pipeline("sample", "--raw-dir", tmp_path / "raw")  # 2019-06, 2020-05 and 2020-06
    # the figures compared are indicators.csv's and the HTML's: neither run's PDF is read
    run(tmp_path, "2020-05", env=SKIP_PDF)
    issue_cmd(tmp_path, "2020-05")
    (tmp_path / "raw" / PERIOD / "岭东区2020年6月份台账.xlsx").unlink()  # 岭东区 does not report in June
    run(tmp_path, env=SKIP_PDF)
    text = html_text(tmp_path / "reports" / PERIOD / "bulletin.html")
    start = text.index("与1-5月")
    mom = text[start : text.index("。", start) + 1]
    assert mom.startswith("与1-5月通报（已印发）相比（两期均不含岭东区），"), mom
    may = tmp_path / "reports" / "2020-05" / "issued" / "1" / "indicators.csv"
    june = tmp_path / "processed" / PERIOD / "indicators.csv"
    projects = city_sum(june, "signed_projects", "岭东区") - city_sum(may, "signed_projects", "岭东区")
    activities = city_sum(june, "activities", "岭东区") - city_sum(may, "activities", "岭东区")
    # the change is said between the figures as shown (亿元, 2 decimals)
    amount = Decimal(fmt.money(city_sum(june, "signed_amount", "岭东区"))) - Decimal(
        fmt.money(city_sum(may, "signed_amount", "岭东区"))
    )
    assert projects > 0 and activities > 0 and amount > 0  # year-to-date, like for like: no false decline
    assert f"签约省外项目增加{projects:.0f}项" in mom and f"招商引资活动增加{activities:.0f}次" in mom
    assert f"签约额增加{amount:.2f}亿元" in mom and "减少" not in mom


@pytest.mark.slow
@pytest.mark.parametrize("point", ["publish", "commit"])
def test_a_killed_run_leaves_the_issued_copies_intact(tmp_path, point, issued_sample):
    """SIGKILL with everything staged (publish), and half-way through the swap (commit:
    the processed folder swapped, the reports folder not yet): issued/1 is as it was,
    and after the roll-back verify passes."""
    import signal
    import subprocess
    import sys
    import time

    from bulletin.paths import REPO_ROOT

    issued_copy(issued_sample, tmp_path)  # sample, run, issue
    issued = tmp_path / "reports" / PERIOD / "issued" / "1"
    frozen = hashes(issued)
    dirs = folders(tmp_path)
    err = tmp_path / "stderr"
    with open(err, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "pipeline.py"), "run", "--period", PERIOD, "--force", *map(str, dirs)],
            stdout=subprocess.DEVNULL,
            stderr=fh,
            env={**os.environ, "BULLETIN_TEST_PAUSE_AT": point, **SKIP_PDF},  # killed: its outputs are never read
        )
    end = time.monotonic() + 300
    while f"BULLETIN_TEST_PAUSED {point}" not in err.read_text(encoding="utf-8") and time.monotonic() < end:
        assert proc.poll() is None, err.read_text(encoding="utf-8")
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check = pipeline("verify", "--period", PERIOD, *dirs, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert hashes(issued) == frozen and not any(writable(p) for p in issued.rglob("*") if p.is_file())
    assert "印发件：" in check.stdout
