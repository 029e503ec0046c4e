"""Plausibility across files (SPEC §11.7–11.9, issue 20): a ledger of another period, a
re-sent ledger (未更新), revised copies and targets versions, a template reused from
a neighbour county, and findings that must reach a county. Each case is built in the
test as the issue found it, and the published figure (right, or empty with the named
error) is asserted with the finding's code, severity and Chinese message."""

from __future__ import annotations

import os
import shutil

import openpyxl
import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import LEDGERS, UNKNOWN_REGION, Period
from bulletin.indicators.compute import compute
from bulletin.ledgers.period_check import declared, other_period
from bulletin.paths import REPO_ROOT
from bulletin.publish.quality import summary_counts, write_quality_workbooks
from bulletin.report.build import document
from bulletin.report.document import Paragraph
from bulletin.runner.submissions import block, incomplete
from bulletin.sample import write_sample
from bulletin.store import indicator_table
from conftest import ACT_HEADER, PERIOD, SIGN_HEADER, SKIP_PDF, TARGET_HEADER, pipeline, read, sign_row, write_xlsx
from report_demo import load_month

REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
PERIOD_6 = Period.parse(PERIOD)
GUIDE = (REPO_ROOT / "docs" / "操作手册.md").read_text(encoding="utf-8")  # quotes the messages word for word
LABELS = {"signings": "签约项目", "activities": "招商活动", "projects": "重点项目", "targets": "目标任务"}


def signings(title, numbers=(1, 2), amount=1000, day="2020-05-10", names=None, region_column=None):
    header = [*SIGN_HEADER, "县区"] if region_column is not None else SIGN_HEADER
    rows = []
    for k, i in enumerate(numbers):
        row = sign_row(i, amount=amount, day=day)
        if names:
            row[1] = names[k]
        rows.append([*row, region_column] if region_column is not None else row)
    return [[title], header, *rows]


def activities(title, day="2020-05-03"):
    return [[title], ACT_HEADER, [1, day, "外出招商", "张三", "北京", 2]]


def targets(*regions, amount=100000, title="2020年招商引资目标任务表"):
    return [[title], TARGET_HEADER, *[[r, amount, 5] for r in regions]]


def wide(res):
    return indicator_table(compute(res.tables, PERIOD, load_config()))


def status(res, region, ledger) -> tuple[str, list[str]]:
    sub = res["submissions"]
    rows = sub[(sub["region"] == region) & (sub["ledger"] == ledger)]
    return rows["status"].iloc[0], [f for f in rows["source_file"] if f]


def only(res, code):
    hits = res.findings[res.findings["code"] == code]
    assert len(hits) == 1, res.findings[["code", "message"]].to_string()
    return hits.iloc[0]


def touch(path, mtime):
    os.utime(path, (mtime, mtime))


# --------------------------------------------------------------------------- §11.7 / §11.4: another period
def test_declared_periods_in_titles_and_names():
    assert [x[3] for x in declared("宝清县招商台账（1-5月）.xlsx", 2020)] == ["2020年1-5月"]
    assert other_period("岭东区5月份台账.xlsx", PERIOD_6) == "2020年5月"
    assert other_period("2020年5月宝山区台账", PERIOD_6) == "2020年5月"
    assert other_period("2019年1-6月签约台账", PERIOD_6) == "2019年1-6月"
    # this period's words, and dates written down, declare nothing else
    for text in (
        "宝清县2020年1-6月招商引资签约项目台账  填报日期:2020年7月3日",
        "友谊县2020年上半年",
        "（6月）",
        "截至6月30日",
    ):
        assert other_period(text, PERIOD_6) == "", text


def test_a_ledger_dated_last_year_is_empty_with_an_error_never_0_red_or_a_rank(snap_dir):
    write_xlsx(snap_dir / "宝清县招商台账.xlsx", signings("宝清县签约项目台账", day="2019-05-10"))
    write_xlsx(snap_dir / "饶河县招商台账.xlsx", signings("饶河县签约项目台账"))
    write_xlsx(snap_dir / "目标.xlsx", targets("宝清县", "饶河县"))
    res = read(snap_dir)
    e = only(res, "ledger.other_year")
    assert e["severity"] == "error" and e["region"] == "宝清县" and e["ledger"] == "signings"
    assert e["message"].startswith("台账日期均为2019年，疑似上年台账") and e["message"] in GUIDE
    assert res["signings"]["region"].tolist() == ["饶河县", "饶河县"]
    assert status(res, "宝清县", "signings") == ("not_this_period", ["宝清县招商台账.xlsx"])
    w = wide(res)
    for ind in ("signed_amount", "signed_amount_completion", "signed_light", "signed_completion_rank"):
        assert pd.isna(w.loc["宝清县", ind]) or w.loc["宝清县", ind] == "", ind
    assert w.loc["饶河县", "signed_completion_rank"] == 1 and w.loc["全市", "signed_amount"] == 2000
    assert w.loc["宝清县", "signed_amount_target"] == 100000  # the target stays, the figures are unknown
    acc = res["accounting"].set_index("source_file").loc["宝清县招商台账.xlsx"]
    assert acc["records"] == 0 and acc["rejected_rows"] == 2


def test_a_file_named_for_another_period_is_not_this_months(snap_dir):
    write_xlsx(snap_dir / "宝清县招商台账（1-5月）.xlsx", signings("宝清县签约项目台账"))
    res = read(snap_dir)
    e = only(res, "file.other_period")
    assert e["severity"] == "error" and e["region"] == "宝清县"
    assert e["message"].startswith("文件标注为2020年1-5月，与本期（2020年1-6月）不符") and e["message"] in GUIDE
    assert res["signings"].empty and status(res, "宝清县", "signings")[0] == "not_this_period"
    assert pd.isna(wide(res).loc["宝清县", "signed_amount"])


def test_a_may_file_saved_under_junes_name_is_caught_by_its_title(snap_dir):
    write_xlsx(snap_dir / "宝清县招商台账（6月）.xlsx", signings("宝清县2020年1-5月招商引资签约项目台账"))
    res = read(snap_dir)
    e = only(res, "file.other_period")
    assert "文件标注为2020年1-5月" in e["message"] and "见标题" in e["message"]
    assert res["signings"].empty


def test_last_months_sheet_kept_beside_this_months_is_not_counted_again(snap_dir):
    """A county keeps May's sheets in June's workbook: May's sheet (its title declaring
    May, or declaring no period under a tab named 5月) is taken out, June's counts, and
    the county's figures are there (not 非本期台账). A file's only sheet of a type is
    not judged by its tab name: a clerk copying last month's workbook leaves it."""
    from conftest import Sheet

    june = signings("宝清县2020年1-6月招商引资签约项目台账", numbers=(1, 2, 3))
    write_xlsx(
        snap_dir / "宝清县招商台账（6月）.xlsx",
        Sheet(june, title="签约"),
        Sheet(signings("宝清县签约项目台账", numbers=(1, 2)), title="5月签约"),
        Sheet(signings("宝清县2020年1-5月招商引资签约项目台账", numbers=(1,)), title="上月"),
    )
    write_xlsx(snap_dir / "饶河县招商台账（6月）.xlsx", Sheet(signings("饶河县签约项目台账"), title="5月"))
    res = read(snap_dir)
    found = res.findings[res.findings["code"] == "file.other_period"]
    by_sheet = dict(zip(found["source_sheet"], found["message"]))
    assert set(by_sheet) == {"5月签约", "上月"}
    assert by_sheet["5月签约"].startswith("工作表标注为2020年5月，与本期（2020年1-6月）不符（见工作表名）")
    assert "（见标题）" in by_sheet["上月"] and all("同一文件中本期的工作表照常统计" in m for m in by_sheet.values())
    assert by_sheet["5月签约"] in GUIDE
    signed = res["signings"]
    assert sorted(signed[signed["region"] == "宝清县"]["source_sheet"]) == ["签约"] * 3
    assert status(res, "宝清县", "signings")[0] != "not_this_period"
    # the lone tab named 5月 counts: its file name and title say nothing else
    assert (signed["region"] == "饶河县").sum() == 2


def test_the_terminal_says_not_this_period_and_require_all_refuses_it(snap_dir):
    write_xlsx(snap_dir / "宝清县招商台账（1-5月）.xlsx", signings("宝清县签约项目台账"))
    rows = [{k: str(v) for k, v in r.items()} for r in read(snap_dir)["submissions"].to_dict("records")]
    text = "\n".join(block(rows, PERIOD, LABELS))
    assert "宝清县：" in text and "签约项目台账非本期台账（宝清县招商台账（1-5月）.xlsx：文件标注为2020年1-5月" in text
    assert any(r["region"] == "宝清县" and r["ledger"] == "signings" for r in incomplete(rows))


# --------------------------------------------------------------------------- §11.7: 未更新
def test_a_resent_ledger_is_published_and_marked_not_updated(tmp_path):
    raw = tmp_path / "raw"
    may, june = raw / "2020-05", raw / PERIOD
    write_xlsx(
        may / "宝清县招商台账（5月）.xlsx", signings("宝清县2020年1-5月签约项目台账"), activities("宝清县招商活动台账")
    )
    write_xlsx(june / "饶河县招商台账（6月）.xlsx", signings("饶河县2020年1-6月签约项目台账"))
    shutil.copy2(may / "宝清县招商台账（5月）.xlsx", june / "宝清县招商台账（5月）.xlsx")
    res = read(june)
    w = only(res, "file.same_as_last_month")
    assert w["severity"] == "warning" and w["region"] == "宝清县"
    assert "完全相同" in w["message"]
    assert not res.findings["code"].isin(["file.other_period"]).any()  # re-sent: 未更新, not another period
    assert status(res, "宝清县", "signings") == ("not_updated", ["宝清县招商台账（5月）.xlsx"])
    assert status(res, "宝清县", "activities")[0] == "not_updated"
    assert wide(res).loc["宝清县", "signed_amount"] == 2000  # published: the ledgers are cumulative
    rows = [{k: str(v) for k, v in r.items()} for r in res["submissions"].to_dict("records")]
    text = "\n".join(block(rows, PERIOD, LABELS))
    line = next(x for x in text.splitlines() if x.strip().startswith("宝清县："))
    assert "；签约项目、招商活动台账未更新（与上月台账相同）；" in line, line
    assert "均已报送" not in text
    refused = {(r["region"], r["ledger"]) for r in incomplete(rows)}
    assert ("宝清县", "signings") not in refused and ("宝清县", "projects") in refused  # 未更新 is not refused


# --------------------------------------------------------------------------- §11.8: versions
def test_a_revised_copy_replaces_the_original_never_summed(snap_dir):
    names = [f"宝清县项目{i}" for i in range(1, 7)]
    edited = names[:3] + [f"{n}（一期）" for n in names[3:]]  # three names slightly edited
    write_xlsx(snap_dir / "宝清县签约台账.xlsx", signings("宝清县签约项目台账", range(1, 7), 75000, names=names))
    write_xlsx(
        snap_dir / "宝清县签约台账（修改）.xlsx", signings("宝清县签约项目台账", range(1, 7), 106000, names=edited)
    )
    touch(snap_dir / "宝清县签约台账（修改）.xlsx", 1_000_000)  # older on disk: the name's marker decides first
    touch(snap_dir / "宝清县签约台账.xlsx", 2_000_000)
    res = read(snap_dir)
    w = only(res, "file.version_superseded")
    assert w["severity"] == "warning" and w["region"] == "宝清县" and w["source_file"] == "宝清县签约台账.xlsx"
    assert w["message"].startswith(
        "“宝清县签约台账.xlsx”与“宝清县签约台账（修改）.xlsx”是宝清县的签约项目台账的两个版本"
    )
    assert "按较新的“宝清县签约台账（修改）.xlsx”计入" in w["message"] and w["message"] in GUIDE
    assert set(res["signings"]["source_file"]) == {"宝清县签约台账（修改）.xlsx"}
    assert wide(res).loc["宝清县", "signed_amount"] == 6 * 106000  # never 6×75000 + 3×106000
    assert not res.findings["code"].isin(["record.duplicate_file", "record.conflict"]).any()


def test_overlapping_files_without_a_marker_newer_by_modification_time(snap_dir):
    write_xlsx(snap_dir / "b_宝清县.xlsx", signings("宝清县签约项目台账", [1, 2, 3, 4], 1000))
    write_xlsx(snap_dir / "a_宝清县.xlsx", signings("宝清县签约项目台账", [1, 2, 3, 5], 2000))
    touch(snap_dir / "b_宝清县.xlsx", 1_000_000)
    touch(snap_dir / "a_宝清县.xlsx", 2_000_000)  # a is newer though it sorts first by name
    res = read(snap_dir)
    w = only(res, "file.version_superseded")
    assert w["source_file"] == "b_宝清县.xlsx" and "两个文件的记录有75%相同" in w["message"]
    assert wide(res).loc["宝清县", "signed_amount"] == 4 * 2000


def test_an_adjusted_targets_table_replaces_the_old_one(snap_dir):
    write_xlsx(snap_dir / "2020年招商引资目标任务表.xlsx", targets(*REGIONS, amount=100000))
    write_xlsx(snap_dir / "2020年招商引资目标任务表（调整后）.xlsx", targets(*REGIONS, amount=80000))
    write_xlsx(snap_dir / "宝清县.xlsx", signings("宝清县签约项目台账", amount=20000))
    res = read(snap_dir)
    w = only(res, "file.version_superseded")
    assert w["severity"] == "warning" and w["region"] == "全市" and w["ledger"] == "targets"
    assert "按较新的“2020年招商引资目标任务表（调整后）.xlsx”计入" in w["message"]
    assert "年度目标任务表的两个版本（文件名注明“调整”）" in w["message"]
    t = wide(res)
    assert t.loc["宝清县", "signed_amount_target"] == 80000
    assert t.loc["宝清县", "signed_amount_completion"] == pytest.approx(40000 / 80000)


def test_a_countys_adjusted_target_replaces_its_row_only(snap_dir):
    write_xlsx(snap_dir / "2020年招商引资目标任务表.xlsx", targets(*REGIONS, amount=100000))
    write_xlsx(snap_dir / "宝清县目标任务（调整后）.xlsx", targets("宝清县", amount=80000))
    res = read(snap_dir)
    w = only(res, "file.version_superseded")
    assert w["source_file"] == "2020年招商引资目标任务表.xlsx" and "的1条记录未计入" in w["message"]
    t = wide(res)
    assert t.loc["宝清县", "signed_amount_target"] == 80000 and t.loc["饶河县", "signed_amount_target"] == 100000
    assert t.loc["全市", "signed_amount_target"] == 7 * 100000 + 80000


def test_two_rows_for_one_county_in_a_targets_table_leave_it_without_a_target(snap_dir):
    write_xlsx(snap_dir / "目标.xlsx", [*targets(*REGIONS), ["宝清县", 50000, 3]])
    write_xlsx(snap_dir / "宝清县.xlsx", signings("宝清县签约项目台账"))
    write_xlsx(snap_dir / "饶河县.xlsx", signings("饶河县签约项目台账"))
    res = read(snap_dir)
    e = only(res, "target.duplicate_region")
    assert e["severity"] == "error" and e["region"] == "宝清县"
    assert e["message"].startswith("目标任务表中宝清县有2行（第9、11行），无法确定以哪一行为准")
    assert e["message"] in GUIDE
    w = wide(res)
    assert pd.isna(w.loc["宝清县", "signed_amount_target"]) and pd.isna(w.loc["宝清县", "signed_amount_completion"])
    assert w.loc["宝清县", "signed_light"] == "" and pd.isna(w.loc["宝清县", "signed_completion_rank"])
    assert w.loc["饶河县", "signed_amount_target"] == 100000 and w.loc["饶河县", "signed_completion_rank"] == 1
    # the county did send a target: unreadable (with the reason), never "未报送"
    sub = res["submissions"]
    row = sub[(sub["region"] == "宝清县") & (sub["ledger"] == "targets")].iloc[0]
    assert (row["status"], row["source_file"]) == ("unreadable", "目标.xlsx")
    assert row["reason"].startswith("目标任务表中宝清县有2行")


# --------------------------------------------------------------------------- §11.9: whose ledger
def test_a_template_reused_from_a_neighbour_is_credited_to_neither(snap_dir):
    # 宝清县's clerk reused 饶河县's template: titles say 饶河县, region column blank
    write_xlsx(
        snap_dir / "宝清县招商台账（6月）.xlsx", signings("饶河县2020年1-6月招商引资签约项目台账", region_column=None)
    )
    write_xlsx(snap_dir / "目标.xlsx", targets("宝清县", "饶河县"))
    res = read(snap_dir)
    e = only(res, "file.region_conflict")
    assert e["severity"] == "error" and e["region"] == "宝清县" and e["source_file"] == "宝清县招商台账（6月）.xlsx"
    assert e["message"].startswith(
        "文件名为宝清县，表格标题为饶河县（疑似沿用了其他县区的表格），无法确定台账属于哪个县区"
    )
    assert e["message"] in GUIDE
    assert res["signings"].empty
    assert status(res, "宝清县", "signings")[0] == "region_conflict"
    assert status(res, "饶河县", "signings")[0] == "region_conflict"
    w = wide(res)
    assert pd.isna(w.loc["饶河县", "signed_amount"]) and pd.isna(w.loc["饶河县", "signed_completion_rank"])
    assert pd.isna(w.loc["宝清县", "signed_amount"])


def test_the_rows_county_counts_when_it_is_the_file_names(snap_dir):
    rows = signings("饶河县2020年签约项目台账", region_column="宝清县")
    write_xlsx(snap_dir / "宝清县招商台账.xlsx", rows)
    res = read(snap_dir)
    assert res["signings"]["region"].tolist() == ["宝清县", "宝清县"]
    assert not (res.findings["severity"] == "error").any()


def test_rows_naming_another_county_in_a_countys_file_are_not_credited(snap_dir):
    rows = signings("2020年签约项目台账", region_column="饶河县")
    rows.append([*sign_row(3), "宝清县"])
    write_xlsx(snap_dir / "宝清县招商台账.xlsx", rows)
    res = read(snap_dir)
    e = only(res, "file.region_other_rows")
    assert e["severity"] == "error" and e["region"] == "宝清县" and e["value"] == "饶河县"
    assert e["message"].startswith("文件名为宝清县，但第3、4行的县区为饶河县（疑似沿用了其他县区的台账）")
    assert e["message"] in GUIDE
    assert res["signings"]["region"].tolist() == ["宝清县"]
    assert status(res, "饶河县", "signings")[0] == "not_submitted"


def test_the_row_findings_of_rows_taken_out_go_to_the_county_that_sent_the_file(snap_dir):
    """A date after the period in rows not credited (a neighbour's template, a row of
    another county): the county whose clerk sent the file hears of it, not the county
    the rows name, which did not send it."""
    late = "2020-07-20"  # after June: a warning on the row
    write_xlsx(snap_dir / "宝清县招商台账（6月）.xlsx", signings("饶河县2020年1-6月招商引资签约项目台账", day=late))
    rows = signings("2020年签约项目台账", region_column="饶河县", day=late)
    rows.append([*sign_row(3), "尖山区"])
    write_xlsx(snap_dir / "尖山区招商台账.xlsx", rows)
    res = read(snap_dir)
    assert only(res, "file.region_conflict")["region"] == "宝清县"
    assert only(res, "file.region_other_rows")["region"] == "尖山区"
    late_rows = res.findings[res.findings["code"] == "date.after_period"]
    cols = ["source_file", "source_row", "region"]
    sent = {(f, r): region for f, r, region in late_rows[cols].itertuples(index=False)}
    assert sent == {
        ("宝清县招商台账（6月）.xlsx", 3): "宝清县",
        ("宝清县招商台账（6月）.xlsx", 4): "宝清县",
        ("尖山区招商台账.xlsx", 3): "尖山区",
        ("尖山区招商台账.xlsx", 4): "尖山区",
    }
    assert res["signings"]["region"].tolist() == ["尖山区"]


# --------------------------------------------------------------------------- findings reach a county
def test_a_file_level_finding_goes_to_the_county_its_title_names(tmp_path):
    raw = tmp_path / "raw"
    may, june = raw / "2020-05", raw / PERIOD
    name = "附件2-招商引资工作台账.xlsx"
    write_xlsx(may / name, signings("四方台区2020年签约项目台账"))
    june.mkdir()
    shutil.copy2(may / name, june / name)
    write_xlsx(june / "目标.xlsx", [*targets("四方台区", "宝清县"), ["合计", 1, 10]])
    res = read(june)
    w = only(res, "file.same_as_last_month")
    assert w["region"] == "四方台区"  # not 未识别县区
    total = only(res, "total.mismatch")
    assert total["region"] == "全市" and "e+" not in total["message"]
    out = tmp_path / "quality"
    tables = {"quality": res.findings, **{k: res[k] for k in ("accounting", "skipped", "submissions")}}
    labels = {k: load_config().ledger_label(k) for k in LEDGERS}
    paths = write_quality_workbooks(tables, out, PERIOD, regions=REGIONS, city="双鸭山市", ledger_labels=labels)
    names = [p.name for p in paths]
    assert "四方台区_数据质量反馈_2020-06.xlsx" in names and "全市_数据质量反馈_2020-06.xlsx" in names
    issues = pd.read_excel(out / "全市_数据质量反馈_2020-06.xlsx", sheet_name=None, engine="openpyxl")
    assert any("合计" in str(v) for df in issues.values() for v in df.astype(str).values.ravel())
    assert UNKNOWN_REGION not in set(summary_counts(res.findings, res["accounting"], REGIONS)["region"])


def test_a_ledger_naming_no_county_anywhere_goes_to_the_city(snap_dir):
    write_xlsx(snap_dir / "台账.xlsx", signings("2020年签约项目台账"))
    res = read(snap_dir)
    e = res.errors()
    assert set(e["code"]) == {"region.missing"} and set(e["region"]) == {"全市"}
    assert res["accounting"]["region"].tolist() == ["全市"]
    assert UNKNOWN_REGION not in set(summary_counts(res.findings, res["accounting"], REGIONS)["region"])


def test_the_sample_month_has_no_finding_without_a_county(tmp_path):
    raw = tmp_path / "raw"
    write_sample(raw, ("2020-05", PERIOD))
    res = read(raw / PERIOD)
    assert (res.findings["region"] != "").all()
    assert UNKNOWN_REGION not in set(summary_counts(res.findings, res["accounting"], REGIONS)["region"])
    assert set(res["submissions"]["status"]) == {"submitted"}


# --------------------------------------------------------------------------- the July demo (end to end)
JULY = "2020-07"
UPDATED = {"尖山区": "尖山区招商台账（6月）.xlsx", "岭东区": "岭东区2020年6月份台账.xlsx"}
RESENT = ["四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]


def _as_july(src, dst):
    """A county's June workbook brought up to July (titles and name say 7月)."""
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "6月" in c.value:
                    c.value = c.value.replace("1-6月", "1-7月").replace("6月", "7月")
    wb.save(dst)


@pytest.fixture(scope="module")
def july(tmp_path_factory):
    root = tmp_path_factory.mktemp("july")
    raw = root / "raw"
    write_sample(raw, ("2020-05", PERIOD))
    june, month = raw / PERIOD, raw / JULY
    for path in june.rglob("*"):
        rel = path.relative_to(june)
        if path.is_file() and rel.as_posix() not in UPDATED.values():
            (month / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, month / rel)  # re-sent byte for byte (and the year's targets)
    for name in UPDATED.values():
        _as_july(june / name, month / name.replace("6月", "7月"))
    proc = pipeline(
        "run", "--period", JULY, "--raw-dir", raw, "--processed-dir", root / "p", "--reports-dir", root / "r",
        env=SKIP_PDF,  # no assertion reads its PDF
    )  # fmt: skip
    return {"proc": proc, "processed": root / "p" / JULY, "reports": root / "r" / JULY}


@pytest.mark.slow
def test_july_with_six_counties_resending_june_says_who_is_not_updated(july):
    out = july["proc"].stdout + july["proc"].stderr
    assert "均已报送" not in out
    for region in RESENT:
        assert f"{region}：签约项目、招商活动、重点项目台账未更新（与上月台账相同）" in out, region
    for region in UPDATED:
        assert f"{region}：" not in out
    sub = pd.read_csv(july["processed"] / "submissions.csv", dtype=str, keep_default_na=False)
    ledgers = sub[sub["ledger"] != "targets"]
    assert set(ledgers[ledgers["region"].isin(RESENT)]["status"]) == {"not_updated"}
    assert set(ledgers[ledgers["region"].isin(UPDATED)]["status"]) == {"submitted"}
    html = (july["reports"] / "bulletin.html").read_text(encoding="utf-8")
    assert "未更新（与上月台账相同）" in html and "报送的台账与上月完全相同" in html
    assert (
        "、".join(RESENT) + "签约项目、招商活动、重点项目台账未更新（与上月台账相同）：报送的台账与上月完全相同" in html
    )
    quality = pd.read_csv(july["processed"] / "quality.csv", dtype=str, keep_default_na=False)
    assert (quality["region"] != "").all()
    assert UNKNOWN_REGION not in html
    register = pd.read_excel(
        july["reports"] / "quality" / "全市汇总_2020-07.xlsx", sheet_name="报送情况", dtype=str, engine="openpyxl"
    )
    assert (register == "未更新（与上月台账相同）").to_numpy().sum() == 6 * 3


@pytest.mark.slow
def test_july_county_edition_says_it_is_not_updated(july):
    doc = document(load_month(JULY, july["processed"].parent), region="宝清县")
    text = "".join(b.lead_in + b.text for b in doc.blocks(Paragraph))
    assert text.startswith("宝清县签约项目、招商活动、重点项目台账未更新（与上月台账相同）：报送的台账与上月完全相同")
    updated = document(load_month(JULY, july["processed"].parent), region="尖山区")
    assert "未更新" not in "".join(b.lead_in + b.text for b in updated.blocks(Paragraph))
    english = document(load_month(JULY, july["processed"].parent), lang="en")
    text = "".join(b.lead_in + b.text for b in english.blocks(Paragraph))
    assert "is not updated (identical to last month's)" in text and "未更新" not in text


@pytest.mark.slow
def test_july_figures_of_resent_ledgers_are_junes(july, tmp_path):
    wide_july = indicator_table(pd.read_csv(july["processed"] / "indicators.csv", dtype=str, keep_default_na=False))
    raw = tmp_path / "raw"
    write_sample(raw, ("2020-05", PERIOD))
    # June's ledgers read as July's (a signing dated 2 July counts in July)
    june = indicator_table(compute(read(raw / PERIOD, period=JULY).tables, JULY, load_config()))
    assert float(wide_july.loc["宝清县", "signed_amount"]) == 458000  # 450,000 in June + 8,000 signed 2 July
    for region in RESENT:
        for ind in ("signed_amount", "signed_projects", "activities"):
            assert float(wide_july.loc[region, ind]) == float(june.loc[region, ind]), (region, ind)


@pytest.mark.slow
def test_the_bulletin_marks_a_ledger_of_another_period_where_its_figures_would_stand(tmp_path):
    from bulletin.stages import clean_stage, indicators_stage

    raw = tmp_path / "raw"
    write_sample(raw, ("2020-05", PERIOD))
    june = raw / PERIOD
    (june / "宝清县招商台账（6月）.xlsx").rename(june / "宝清县招商台账（1-5月）.xlsx")  # a May file by its name
    processed = tmp_path / "processed"
    cfg = load_config()
    clean_stage(PERIOD, cfg, raw_dir=raw, processed_dir=processed, reports_dir=tmp_path / "reports")
    indicators = indicator_table(indicators_stage(PERIOD, cfg, processed_dir=processed))
    assert pd.isna(indicators.loc["宝清县", "signed_amount"]) and pd.isna(indicators.loc["宝清县", "activities"])
    assert pd.isna(indicators.loc["宝清县", "signed_completion_rank"])
    assert indicators.drop(index="全市")["signed_completion_rank"].max() == 7  # ranked among the seven others
    doc = document(load_month(PERIOD, processed))
    text = "".join(b.lead_in + b.text for b in doc.blocks(Paragraph))
    said = "宝清县签约项目、招商活动、重点项目台账非本期台账（宝清县招商台账（1-5月）.xlsx），未计入统计"
    assert said in text
    assert "不含台账非本期的宝清县" in text
    table = doc.tables["signings"]
    row = [r[0] for r in table.rows].index("宝清县")
    cells = [table.text(row, c) for c in range(1, len(table.columns))]
    assert cells.count("非本期台账") == 6 and "0" not in cells, cells  # the target stays
