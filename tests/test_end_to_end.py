"""End to end: `pipeline.py run` on the sample city, checked against the article's
published figures (the approved figures of this backtest) and the generator's truth."""

import hashlib
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from bulletin.findings_catalogue import FINDING_CODES
from bulletin.store import indicator_table, read_indicators
from conftest import pipeline
from sample_figures import expected_figures
from scientific import SCIENTIFIC, scientific

pytestmark = pytest.mark.slow
PERIOD = "2020-06"

# The article (shared/seed): 上半年共开展招商引资活动70次，签约省外招商引资项目50项，签约额150.33亿元……
ARTICLE_TEXT = [
    "70次",
    "50项",
    "150.33亿元",
    "99条",
    "13个",
    "40.44亿元",
    "78.7%",
    "64.4%",
    "12.9%",
    "13.7%",
    "56.7%",
    "14.3%",
]


@pytest.fixture(scope="module")
def demo(sample_run):
    """The session's sample run (tests/conftest.py; with --per-region: the city's
    outputs are those of a plain run), read-only."""
    return dict(
        raw=sample_run.raw,
        processed=sample_run.processed,
        reports=sample_run.reports,
        root=sample_run.root,
        run=sample_run,
        stdout=sample_run.stdout,
        processed_root=sample_run.processed_root,
        reports_root=sample_run.reports_root,
    )


@pytest.fixture(scope="module")
def wide(demo):
    return indicator_table(read_indicators(demo["processed"] / "indicators.csv"))


def test_article_figures_in_indicators(wide):
    city = wide.loc["全市"]
    assert city["activities"] == 70
    assert city["signed_projects"] == 50
    assert city["signed_amount"] == pytest.approx(1503300.0)
    assert city["online_leads"] == 99
    assert city["online_signed_projects"] == 13
    assert city["online_signed_amount"] == pytest.approx(404400.0)
    assert round(city["provincial_key_start_rate"], 3) == 0.787
    assert round(city["municipal_key_start_rate"], 3) == 0.644
    assert round(city["industrial_start_rate"], 3) == 0.567
    assert round(city["provincial_key_investment_rate"], 3) == 0.129
    assert round(city["municipal_key_investment_rate"], 3) == 0.137
    assert round(city["industrial_investment_rate"], 3) == 0.143
    assert city["signed_amount_completion"] > 1  # 超额完成年度预计目标
    assert city["time_progress"] == 0.5


def test_every_region_matches_the_generators_truth(wide):
    truth = expected_figures(PERIOD)
    assert set(truth) == set(wide.index)
    for region, figures in truth.items():
        for key, value in figures.items():
            assert wide.loc[region, key] == pytest.approx(value, abs=1e-4), (region, key)


def test_funds_in_place_empty_where_no_ledger_has_the_column(wide):
    from bulletin.sample.plan import FUNDS_HEADERS

    for region in wide.index.drop("全市"):
        if region not in FUNDS_HEADERS:
            assert pd.isna(wide.loc[region, "funds_in_place"]) and wide.loc[region, "funds_in_place_filled"] == 0
    assert 0 < wide.loc["饶河县", "funds_in_place_filled"] < wide.loc["饶河县", "signed_projects"]  # partly filled
    assert wide.loc["全市", "funds_in_place_rate"] == pytest.approx(
        wide.loc["全市", "funds_in_place"] / wide.loc["全市", "signed_amount"]
    )


def test_breakdowns_add_up_to_the_headlines(demo, wide):
    b = pd.read_csv(demo["processed"] / "breakdowns.csv", dtype={"value": float})
    for (region, dimension, indicator), value in b.groupby(["region", "dimension", "indicator"])["value"].sum().items():
        if dimension in ("chain", "origin_area"):
            assert value == pytest.approx(wide.loc[region, indicator]), (region, dimension, indicator)
        elif indicator in ("projects", "started"):
            tiers = sum(wide.loc[region, f"{t}_{indicator}"] for t in ("provincial_key", "municipal_key", "industrial"))
            assert value == pytest.approx(tiers), (region, indicator)


def test_lights_and_ranks(wide):
    regions = wide.drop(index="全市")
    assert set(regions["signed_light"]) >= {"green", "yellow", "red"}
    assert sorted(regions["signed_completion_rank"]) == list(range(1, len(regions) + 1))
    best = regions["signed_amount_completion"].idxmax()
    assert regions.loc[best, "signed_completion_rank"] == 1


def test_indicators_csv_exactly_as_specified(demo):
    text = (demo["processed"] / "indicators.csv").read_text(encoding="utf-8")
    assert text.startswith("period,region,indicator,value\n")
    long = read_indicators(demo["processed"] / "indicators.csv")
    assert long["region"].iloc[0] == "全市"
    assert not long.duplicated(["region", "indicator"]).any()


def test_records_have_lineage_and_rows_add_up(demo):
    for ledger in ("signings", "activities", "projects", "targets"):
        df = pd.read_csv(demo["processed"] / f"{ledger}.csv", dtype=str, keep_default_na=False)
        assert len(df) > 0
        assert list(df.columns[-3:]) == ["source_file", "source_sheet", "source_row"]
        assert (df["source_row"].astype(int) >= 1).all()
        assert all((demo["raw"] / PERIOD / f).is_file() for f in df["source_file"].unique())
    acc = pd.read_csv(demo["processed"] / "accounting.csv")
    assert (acc.rows_read == acc.records + acc.total_note_rows + acc.rejected_rows).all()
    assert acc.total_note_rows.sum() > 0


def test_the_two_bad_rows_are_rejected_and_reported(demo):
    q = pd.read_csv(demo["processed"] / "quality.csv", dtype=str, keep_default_na=False)
    errors = q[q.severity == "error"]
    assert sorted(errors["code"]) == ["amount.negative", "date.invalid"]
    assert any("六月中旬" in m for m in errors["message"])  # the county's own text is quoted
    assert (errors["source_file"] != "").all() and (errors["source_row"] != "").all()
    assert set(q["code"]) <= set(FINDING_CODES)  # every finding has a registered code
    acc = pd.read_csv(demo["processed"] / "accounting.csv")
    assert acc.rejected_rows.sum() == 2


def test_reports_exist(demo):
    r = demo["reports"]
    assert {p.name for p in (r / "notebooks").iterdir()} == {"clean.ipynb", "indicators.ipynb", "bulletin.ipynb"}
    assert (r / "bulletin.html").stat().st_size > 10_000
    assert (r / "bulletin.pdf").read_bytes().startswith(b"%PDF")
    assert any(p.name.startswith("全市汇总") for p in (r / "quality").iterdir())
    # the end of the run names every file it published, each there
    lines = demo["stdout"].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("通报已生成："))
    named = [line.removeprefix("通报已生成：").strip() for line in lines[start : start + 5]]
    assert named[:4] == [str(r / n) for n in ("bulletin.html", "bulletin.pdf", "bulletin.docx", "bulletin.xlsx")]
    assert named[4] == f"{r / 'bulletin.internal.html'}（内部版，附数据来源）"
    assert all((r / n).is_file() for n in ("bulletin.docx", "bulletin.xlsx", "bulletin.internal.html"))


def _html_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_article_figures_in_html_text(demo):
    text = _html_text(demo["reports"] / "bulletin.html")
    for figure in ARTICLE_TEXT:
        assert figure in text, figure
    assert "2020年上半年" in text


def test_html_is_self_contained(demo):
    html = (demo["reports"] / "bulletin.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script src" not in html
    assert 'lang="zh"' in html


def test_article_figures_in_pdf_text(demo):
    out = subprocess.run(
        ["pdftotext", "-layout", str(demo["reports"] / "bulletin.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", "", out)
    for figure in ARTICLE_TEXT:
        assert figure in text, figure
    fonts = subprocess.run(
        ["pdffonts", str(demo["reports"] / "bulletin.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "公文仿宋" in fonts  # the body's face (bulletin.css @font-face: the office's 仿宋, else FandolFang, …)


def test_year_on_year_from_the_2019_snapshot(demo):
    # 2019-06 (bulletin.sample.last_year): 36 signings, 104.00 亿元, 52 activities,
    # provincial key projects 27 of 40 started (67.5%); 2020-06: 50, 150.33, 70, 78.7%
    text = _html_text(demo["reports"] / "bulletin.html")
    assert (
        "与上年同期相比，签约省外项目增加14项（增长38.9%），签约额增加46.33亿元（增长44.5%），"
        "招商引资活动增加18次（增长34.6%），省级百大项目开复工率提高11.2个百分点" in text
    )
    history = read_indicators(demo["processed"] / "history.csv")
    assert sorted(set(history["period"])) == ["2019-06", "2020-05", "2020-06"]


def test_no_number_in_scientific_notation_in_any_output(demo):
    # html (tags and drawings stripped), Word text, Excel cells (bulletin and quality
    # workbooks), every processed csv, the PDF's text and the terminal lines
    assert scientific(demo["reports_root"], demo["processed_root"]) == {}
    pdf = subprocess.run(
        ["pdftotext", str(demo["reports"] / "bulletin.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert SCIENTIFIC.findall(pdf) == [] and SCIENTIFIC.findall(demo["stdout"]) == []


def test_raw_files_untouched(demo):
    assert demo["run"].raw_now() == demo["run"].raw_before


def test_failed_run_keeps_previous_bulletin(demo, tmp_path):
    """A run refused for a broken configuration leaves the last good outputs byte for
    byte (failing notebooks and killed runs: tests/test_trust.py)."""
    run = demo["run"].copy(tmp_path)  # the shared run is read-only
    demo = dict(demo, processed=run.processed, reports=run.reports, raw=run.raw)
    demo.update(processed_root=run.processed_root, reports_root=run.reports_root)

    def digest(folder):
        return {
            p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    before = digest(demo["reports"]), digest(demo["processed"])
    bad = tmp_path / "cfg"
    bad.mkdir()
    (bad / "rules.yaml").write_text("lights: [this is not a mapping\n", encoding="utf-8")
    proc = pipeline(
        "run",
        "--period",
        PERIOD,
        "--raw-dir",
        demo["raw"],
        "--processed-dir",
        demo["processed_root"],
        "--reports-dir",
        demo["reports_root"],
        "--config-dir",
        bad,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "配置文件有误" in proc.stderr and "rules.yaml" in proc.stderr
    assert (digest(demo["reports"]), digest(demo["processed"])) == before
    assert not list(demo["processed_root"].glob(".staging-*"))


@pytest.mark.parametrize(
    "args, code",
    [
        (["run", "--period", "2020-13"], 2),
        (["run", "--period", "2020-06", "--raw-dir", "/nonexistent/raw"], 2),
    ],
)
def test_usage_errors(args, code):
    proc = pipeline(*args, check=False)
    assert proc.returncode == code
    assert "错误" in proc.stderr
