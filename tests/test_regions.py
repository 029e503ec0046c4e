"""County editions (`pipeline.py run --per-region`) and the province run
(`pipeline.py province`), end to end on the sample city."""

import html
import json
import re
import shutil
import subprocess

import nbformat
import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.paths import NOTEBOOKS_DIR, REPO_ROOT
from bulletin.report import format as fmt
from bulletin.runner import regions as regions_mod
from bulletin.sample import write_sample
from bulletin.store import indicator_table, read_indicators
from conftest import SKIP_PDF, pipeline

pytestmark = pytest.mark.slow
PERIOD = "2020-06"
REGISTRY = list(load_config().region_names)


def page_text(path) -> str:
    """The visible text of a published page (tags and charts removed, entities decoded)."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def city(sample_run):
    """The session's sample run with --per-region (tests/conftest.py), read-only."""
    processed = sample_run.processed
    return dict(
        root=sample_run.root,
        run=sample_run,
        stdout=sample_run.stdout,
        processed=processed,
        reports=sample_run.reports,
        wide=indicator_table(read_indicators(processed / "indicators.csv")),
        projects=pd.read_csv(processed / "projects.csv", dtype=str, keep_default_na=False),
    )


def test_1_one_bulletin_per_county(city):
    folder = city["reports"] / "regions"
    assert sorted(p.name for p in folder.iterdir()) == sorted(REGISTRY)
    for region in REGISTRY:
        out = folder / region
        for name in (
            "bulletin.html",
            "bulletin.internal.html",
            "bulletin.pdf",
            "bulletin.docx",
            "bulletin.xlsx",
            "notebooks/bulletin.ipynb",
        ):
            assert (out / name).is_file(), (region, name)
        assert (out / "bulletin.pdf").read_bytes().startswith(b"%PDF")
    assert "各县区通报（8 个）" in city["stdout"] and str(folder) in city["stdout"]
    # the county editions are outputs of the run: listed (with their hashes) in its manifest
    listed = {o["path"] for o in json.loads((city["reports"] / "manifest.json").read_text())["outputs"]}
    assert "reports/regions/宝清县/bulletin.pdf" in listed


@pytest.mark.parametrize("region", ["宝清县", "四方台区"])
def test_2_county_bulletin_shows_its_own_figures(city, region):
    row = city["wide"].loc[region]
    text = page_text(city["reports"] / "regions" / region / "bulletin.html")
    assert f"{region}2020年上半年招商引资和项目建设情况通报" in text
    lead = (
        f"{region}上半年共开展招商引资活动{fmt.count(row['activities'])}次，"
        f"签约省外招商引资项目{fmt.count(row['signed_projects'])}项，签约额{fmt.money(row['signed_amount'])}亿元，"
        f"完成年度目标的{fmt.pct(row['signed_amount_completion'])}"
    )
    assert lead in text
    light = fmt.light_word(row["signed_light"])
    assert f"{light}，在全市8个县区中居第{fmt.count(row['signed_completion_rank'])}位" in text
    assert f"开复工率{fmt.pct(row['provincial_key_start_rate'])}（全市" in text
    # its own projects not yet started, by name; no other county's
    p = city["projects"]
    not_started = p[p["started"] != "True"]
    own = set(not_started[not_started["region"] == region]["project"])
    others = set(not_started[not_started["region"] != region]["project"]) - own
    assert own and all(name in text for name in own)
    assert not [name for name in others if name in text]
    # the same figures in the PDF
    pdf = subprocess.run(
        ["pdftotext", str(city["reports"] / "regions" / region / "bulletin.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"{fmt.money(row['signed_amount'])}亿元" in re.sub(r"\s+", "", pdf)


def test_3_failed_county_is_named_and_the_others_are_written(city, tmp_path):
    """A county missing from indicators.csv fails; the error names every failed county,
    the others are rendered."""
    processed = tmp_path / "processed"
    shutil.copytree(city["processed"], processed / PERIOD)
    ind = pd.read_csv(processed / PERIOD / "indicators.csv", dtype=str, keep_default_na=False)
    ind[ind["region"].isin(["全市", "宝清县", "饶河县"])].to_csv(processed / PERIOD / "indicators.csv", index=False)
    done = []
    with pytest.raises(regions_mod.RegionError) as err:
        regions_mod.render_region_bulletins(
            PERIOD, processed, tmp_path / "out", cfg=load_config(), workers=2, progress=done.append
        )
    assert sorted(done) == sorted(REGISTRY)  # progress heard of every county, failed or not
    failed = [r for r in REGISTRY if r not in ("宝清县", "饶河县")]
    assert list(err.value.failures) == failed
    message = str(err.value)
    assert message.startswith(f"{len(failed)} 个县区的通报未能生成（{'、'.join(failed)}）")
    assert "“尖山区”：“生成通报”阶段（bulletin.ipynb）" in message and "“宝清县”：" not in message
    assert (tmp_path / "out" / "宝清县" / "bulletin.pdf").is_file()
    assert not (tmp_path / "out" / "尖山区" / "bulletin.html").exists()


def test_4_county_notebook_alone(city, tmp_path, monkeypatch):
    """The bulletin notebook with region="宝清县", executed by itself (as in Jupyter)."""
    import papermill as pm

    from bulletin.publish.html_pdf import publish
    from bulletin.runner.run import KERNEL_NAME, kernel_env

    monkeypatch.setenv("JUPYTER_PATH", "")
    kernel_env(tmp_path / "kernel")
    out = tmp_path / "bulletin.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "bulletin.ipynb"),
        str(out),
        kernel_name=KERNEL_NAME,
        parameters={
            "period": PERIOD,
            "processed_dir": str(city["processed"].parent),
            "reports_dir": str(tmp_path / "reports"),
            "region": "宝清县",
        },
        progress_bar=False,
        cwd=str(REPO_ROOT),
    )
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert (tmp_path / "reports" / PERIOD / "regions" / "宝清县" / "bulletin.xlsx").is_file()
    result = publish(out, tmp_path / "published")
    assert result["title"] == "宝清县2020年上半年招商引资和项目建设情况通报"


def test_5_a_plain_rerun_keeps_the_county_editions_until_their_inputs_change(city, tmp_path):
    """Editions never overwrite each other: a run without --per-region (and the English
    edition) leaves the county editions in place while their inputs are unchanged; once a
    ledger changes they are set aside in superseded/ (they would show figures the data no
    longer gives), never deleted."""
    run = city["run"].copy(tmp_path)  # the shared run is read-only
    city = dict(city, reports=run.reports)
    root = run.root
    args = ["run", "--period", PERIOD, "--raw-dir", root / "raw", "--processed-dir", root / "processed"]
    args += ["--reports-dir", root / "reports"]
    county = city["reports"] / "regions" / "宝清县"
    before = {p.name: p.read_bytes() for p in county.iterdir() if p.is_file()}
    assert {"bulletin.html", "bulletin.internal.html", "bulletin.pdf", "bulletin.docx", "bulletin.xlsx"} <= set(before)
    proc = pipeline(*args)
    assert "[+]" not in proc.stdout and "保留未受影响的其他版本：各县区通报（中文）" in proc.stdout
    assert {p.name: p.read_bytes() for p in county.iterdir() if p.is_file()} == before
    listed = {o["path"] for o in json.loads((city["reports"] / "manifest.json").read_text())["outputs"]}
    assert "reports/regions/宝清县/bulletin.pdf" in listed  # verify still checks them
    proc = pipeline(*args, "--lang", "en")
    assert (city["reports"] / "bulletin.en.pdf").is_file() and (city["reports"] / "bulletin.pdf").is_file()
    assert {p.name: p.read_bytes() for p in county.iterdir() if p.is_file()} == before
    # a county re-sends a ledger: the county editions no longer match the data
    import openpyxl

    sheet = next((root / "raw" / PERIOD).rglob("*.xlsx"))

    wb = openpyxl.load_workbook(sheet)
    wb.active.cell(row=wb.active.max_row + 2, column=1, value="备注：补报")
    wb.save(sheet)
    # no PDF: nothing below reads this run's PDF (only what it set aside, the last run's)
    proc = pipeline(*args, env=SKIP_PDF)
    assert "已移到 superseded/" in proc.stdout and "各县区通报（中文）" in proc.stdout
    assert not (city["reports"] / "regions").exists()
    assert (city["reports"] / "bulletin.html").is_file()
    assert not (city["reports"] / "bulletin.en.html").exists()  # the English edition too
    # set aside, never deleted (SPEC §13): the same bytes in superseded/<time>/
    [aside] = list((city["reports"] / "superseded").iterdir())
    assert {p.name: p.read_bytes() for p in (aside / "regions" / "宝清县").iterdir() if p.is_file()} == before
    assert (aside / "bulletin.en.html").is_file() and (aside / "manifest.json").is_file()


def test_6_province_runs_every_city(tmp_path):
    root = tmp_path / "province"
    for name in ("甲市", "乙市"):
        write_sample(root / name / "raw", (PERIOD,))  # the month alone: no assertion reads its 环比
    (root / "乙市" / "config").mkdir()  # an (empty) config folder of its own
    (root / "说明").mkdir()  # not a city: no raw/
    proc = pipeline("province", "--period", PERIOD, "--root", root, "--workers", 2)
    for name in ("甲市", "乙市"):
        reports = root / name / "reports" / PERIOD
        assert (reports / "bulletin.html").is_file() and (reports / "bulletin.pdf").is_file()
        assert (root / name / "processed" / PERIOD / "indicators.csv").is_file()
        assert f"{name}：成功，通报已生成：{reports / 'bulletin.html'}" in proc.stdout
    assert "全省 2 个城市：成功 2 个，失败 0 个" in proc.stdout
    assert not (root / "说明" / "reports").exists()
    # a city without this month's ledgers fails alone (usage, exit 2); the others are unchanged
    (root / "丙市" / "raw").mkdir(parents=True)
    proc = pipeline("province", "--period", PERIOD, "--root", root, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "丙市：失败（退出码 2），找不到原始数据文件夹" in proc.stdout
    assert "甲市：成功，通报未变化" in proc.stdout and "乙市：成功，通报未变化" in proc.stdout
    assert "全省 3 个城市：成功 2 个，失败 1 个" in proc.stdout
    proc = pipeline("province", "--period", "2020-13", "--root", root, check=False)
    assert proc.returncode == 2 and "2020-13" in proc.stderr
