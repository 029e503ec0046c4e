"""SPEC §7 (issue 10) on small snapshots built here: the submission register, empty (never
0) indicators for what a county did not submit, duplicates across files, every entry of
the month folder accounted for, text formats read by content, clean text out."""

from __future__ import annotations

import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import FINDING_COLUMNS, LEDGERS, SUBMISSION_COLUMNS
from bulletin.findings_catalogue import FINDING_CODES
from bulletin.indicators.compute import compute, indicator_ledger
from bulletin.publish.quality import write_quality_workbooks
from bulletin.store import indicator_table, read_table, write_csv
from conftest import ACT_HEADER, PERIOD, PROJ_HEADER, SIGN_HEADER, TARGET_HEADER, Sheet, read, sign_row, write_xlsx
from hostile import cfb

REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
LEDGER_LABELS = {k: load_config().ledger_label(k) for k in LEDGERS}


def signings(region, n=2, amount=1000, day="2020-05-10", title=None):
    return [
        [title or f"{region}2020年签约项目台账"],
        SIGN_HEADER,
        *[sign_row(i, amount=amount, day=day) for i in range(1, n + 1)],
    ]


def activities(region, n=2):
    return [
        [f"{region}招商活动台账"],
        ACT_HEADER,
        *[[i, f"2020-05-0{i}", "外出招商", "张三", "北京", 2] for i in range(1, n + 1)],
    ]


def projects(region, n=2):
    return [
        [f"{region}重点项目台账"],
        PROJ_HEADER,
        *[[i, f"{region}项目{i}", "省百大项目", 10000, 1000, 100 * i, "在建", "是"] for i in range(1, n + 1)],
    ]


def targets(*regions, amount=10000):
    return [["2020年招商引资目标任务表"], TARGET_HEADER, *[[r, amount, 5] for r in regions]]


def register(res) -> dict:
    """(region, ledger) → (status, [files])."""
    out = {}
    for _, r in res["submissions"].iterrows():
        status, files = out.get((r["region"], r["ledger"]), (r["status"], []))
        out[(r["region"], r["ledger"])] = (status, files + ([r["source_file"]] if r["source_file"] else []))
    return out


def wide(res):
    return indicator_table(compute(res.tables, PERIOD, load_config()))


# --------------------------------------------------------------------------- register
def test_the_register_says_who_submitted_what(snap_dir):
    write_xlsx(snap_dir / "宝清县台账.xlsx", signings("宝清县"), activities("宝清县"), projects("宝清县"))
    write_xlsx(snap_dir / "饶河县签约.xlsx", signings("饶河县"))
    write_xlsx(snap_dir / "目标任务表.xlsx", targets("宝清县", "饶河县"))
    (snap_dir / "宝山区6月份招商台账.xlsx").write_bytes(os.urandom(2000))  # unreadable, names no ledger type
    (snap_dir / "集贤县签约项目台账.xlsx").write_bytes(b"")  # unreadable, names the signings
    write_xlsx(snap_dir / "友谊县活动.xlsx", [["友谊县招商活动台账"], ACT_HEADER])  # a header, no rows
    res = read(snap_dir)
    reg = register(res)
    assert list(res["submissions"].columns) == SUBMISSION_COLUMNS
    assert set(res["submissions"]["region"]) == set(REGIONS)
    assert reg[("宝清县", "signings")] == ("submitted", ["宝清县台账.xlsx"])
    assert reg[("宝清县", "projects")] == ("submitted", ["宝清县台账.xlsx"])
    assert reg[("饶河县", "signings")] == ("submitted", ["饶河县签约.xlsx"])
    assert reg[("饶河县", "activities")] == ("not_submitted", [])
    assert reg[("宝山区", "signings")] == ("unreadable", ["宝山区6月份招商台账.xlsx"])
    assert reg[("宝山区", "projects")] == ("unreadable", ["宝山区6月份招商台账.xlsx"])
    assert reg[("集贤县", "signings")] == ("unreadable", ["集贤县签约项目台账.xlsx"])
    assert reg[("集贤县", "activities")] == ("not_submitted", [])  # the file's name says signings
    assert reg[("友谊县", "activities")] == ("submitted", ["友谊县活动.xlsx"])  # zero records
    assert reg[("宝清县", "targets")] == ("submitted", ["目标任务表.xlsx"])
    assert reg[("尖山区", "targets")] == ("not_submitted", [])
    s = res["submissions"]
    unreadable = s[(s["region"] == "宝山区") & (s["ledger"] == "signings")].iloc[0]
    assert unreadable["reason"]  # why, in Chinese
    counted = s[(s["region"] == "宝清县") & (s["ledger"] == "signings")].iloc[0]
    assert int(counted["records"]) == 2


def test_a_ledger_sheet_without_a_required_column_is_unreadable_not_unsubmitted(snap_dir):
    """A county's workbook whose signings are read and whose projects sheet lacks 年度计划投资
    (a required column): its projects are 无法读取 with the sheet and the column named,
    never 未报送 (the county did send them); a sheet that looks like nothing stays out."""

    def no_plan(region):
        header = [h for h in PROJ_HEADER if not h.startswith("年度计划投资")]
        return [[f"{region}重点项目台账"], header, [1, "项目1", "省百大项目", 10000, 100, "在建", "是"]]

    notes = [["说明"], ["本表为填报说明", "请按月报送"]]
    write_xlsx(snap_dir / "宝清县台账.xlsx", signings("宝清县"), Sheet(no_plan("宝清县"), "项目"), Sheet(notes, "说明"))
    # files that name no county: the sheet's name says whose, else the file's read sheets' one county
    write_xlsx(snap_dir / "台账汇总.xlsx", Sheet(signings("饶河县"), "签约"), Sheet(no_plan("饶河县"), "项目"))
    write_xlsx(snap_dir / "汇总2.xlsx", Sheet(signings("集贤县"), "集贤县签约"), Sheet(no_plan("友谊县"), "友谊县项目"))
    res = read(snap_dir)
    reg = register(res)
    assert reg[("宝清县", "signings")][0] == "submitted"
    assert reg[("宝清县", "projects")] == ("unreadable", ["宝清县台账.xlsx"])
    s = res["submissions"]
    why = s[(s["region"] == "宝清县") & (s["ledger"] == "projects")].iloc[0]["reason"]
    assert "工作表“项目”" in why and "年度计划投资" in why
    assert reg[("宝清县", "activities")] == ("not_submitted", [])  # the notes sheet is no ledger
    assert reg[("饶河县", "projects")] == ("unreadable", ["台账汇总.xlsx"])
    assert reg[("友谊县", "projects")] == ("unreadable", ["汇总2.xlsx"])
    assert reg[("集贤县", "projects")] == ("not_submitted", [])


def test_a_file_of_one_ledger_without_a_required_column_leaves_the_other_types_unsubmitted(snap_dir):
    """宝清县 sent one file, a signings sheet lacking 签约额 (and the empty sheets Excel
    adds): its signings are 无法读取, naming the sheet; its activities and projects are
    未报送, not 无法读取 — it sent none. A file that cannot be opened at all still
    counts for every type (nothing says which it held)."""
    header = [h for h in SIGN_HEADER if not h.startswith("签约额")]
    rows = [
        ["宝清县2020年1-6月招商引资签约项目台账"],
        header,
        [1, "项目1", "某公司", "北京市", "2020-05-10", "现场签约"],
    ]
    write_xlsx(snap_dir / "宝清县招商台账.xlsx", Sheet([], "Sheet0"), Sheet(rows, "签约"), Sheet([], "Sheet2"))
    (snap_dir / "饶河县招商台账.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    res = read(snap_dir)
    reg = register(res)
    assert reg[("宝清县", "signings")] == ("unreadable", ["宝清县招商台账.xlsx"])
    s = res["submissions"]
    why = s[(s["region"] == "宝清县") & (s["ledger"] == "signings")].iloc[0]["reason"]
    assert why.startswith("工作表“签约”") and "签约额" in why
    assert reg[("宝清县", "activities")] == ("not_submitted", [])
    assert reg[("宝清县", "projects")] == ("not_submitted", [])
    assert all(reg[("饶河县", x)] == ("unreadable", ["饶河县招商台账.xlsx"]) for x in ("signings", "projects"))


def test_a_sheet_whose_rows_are_all_rejected_is_unreadable(snap_dir):
    # SPEC §12: every row of the type rejected is 无法读取, not "no signings"
    write_xlsx(snap_dir / "岭东区.xlsx", signings("岭东区", day="六月中旬"))
    res = read(snap_dir)
    assert register(res)[("岭东区", "signings")] == ("unreadable", ["岭东区.xlsx"])
    reg = res.tables["submissions"]
    reason = reg[(reg["region"] == "岭东区") & (reg["ledger"] == "signings")]["reason"].iloc[0]
    assert reason.startswith("全部") and "退回" in reason
    assert pd.isna(wide(res).loc["岭东区", "signed_projects"])  # empty, never 0


def test_a_sheet_with_a_header_and_no_rows_is_submitted_with_nothing(snap_dir):
    write_xlsx(snap_dir / "岭东区.xlsx", [["岭东区2020年签约项目台账"], SIGN_HEADER])
    res = read(snap_dir)
    assert register(res)[("岭东区", "signings")] == ("submitted", ["岭东区.xlsx"])
    assert wide(res).loc["岭东区", "signed_projects"] == 0  # submitted, no signings: 0


def test_an_unreadable_city_targets_file_is_every_regions_unreadable_targets(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", signings("宝清县"))
    (snap_dir / "2020年目标任务表.xlsx").write_bytes(cfb({"EncryptedPackage": b"x", "EncryptionInfo": b"y"}))
    res = read(snap_dir)
    reg = register(res)
    assert all(reg[(r, "targets")] == ("unreadable", ["2020年目标任务表.xlsx"]) for r in REGIONS)
    assert res.errors()["code"].tolist() == ["file.encrypted"]


def test_hidden_files_and_links_named_for_a_county_make_it_unreadable_not_silent(snap_dir, tmp_path):
    (snap_dir / ".宝山区.xlsx").write_bytes(b"x")
    outside = tmp_path / "outside.xlsx"
    write_xlsx(outside, signings("集贤县"))
    os.symlink(outside, snap_dir / "集贤县.xlsx")
    res = read(snap_dir)
    reg = register(res)
    assert reg[("宝山区", "signings")] == ("unreadable", [".宝山区.xlsx"])
    assert reg[("集贤县", "signings")] == ("unreadable", ["集贤县.xlsx"])
    assert res["signings"].empty  # the link was never followed


# --------------------------------------------------------------------------- indicators
@pytest.fixture
def partial(snap_dir):
    """宝清县 and 饶河县 submitted everything, 尖山区 only its activities; 宝山区's file
    is unreadable; the others sent nothing. Targets for all but 友谊县."""
    for r in ("宝清县", "饶河县"):
        write_xlsx(
            snap_dir / f"{r}.xlsx", signings(r, amount=3000 if r == "宝清县" else 1000), activities(r), projects(r)
        )
    write_xlsx(snap_dir / "尖山区活动.xlsx", activities("尖山区", 3))
    (snap_dir / "宝山区.xlsx").write_bytes(os.urandom(500))
    write_xlsx(snap_dir / "目标.xlsx", targets(*[r for r in REGIONS if r != "友谊县"]))
    return read(snap_dir)


def test_a_type_not_submitted_is_empty_never_zero(partial):
    long = compute(partial.tables, PERIOD, load_config())
    w = indicator_table(long)
    values = long.set_index(["region", "indicator"])["value"]
    for region in ("岭东区", "宝山区", "友谊县"):
        for indicator in values.loc[region].index:
            ledger = indicator_ledger(indicator)
            if ledger:
                assert values[(region, indicator)] == "", (region, indicator)
    # 尖山区 submitted activities only
    assert w.loc["尖山区", "activities"] == 3 and w.loc["尖山区", "leads"] == 6
    assert pd.isna(w.loc["尖山区", "signed_projects"]) and pd.isna(w.loc["尖山区", "signed_amount"])
    assert pd.isna(w.loc["尖山区", "provincial_key_projects"]) and pd.isna(w.loc["尖山区", "industrial_start_rate"])
    # no completion, light or rank without signings; the target itself is known
    for region in ("尖山区", "岭东区", "宝山区"):
        assert w.loc[region, "signed_amount_target"] == 10000
        assert pd.isna(w.loc[region, "signed_amount_completion"]) and pd.isna(w.loc[region, "signed_completion_rank"])
        assert w.loc[region, "signed_light"] == ""


def test_submitted_flags_and_the_city_sum_of_submitters(partial):
    w = wide(partial)
    assert w.loc["宝清县", "signings_submitted"] == 1 and w.loc["尖山区", "signings_submitted"] == 0
    assert w.loc["尖山区", "activities_submitted"] == 1 and w.loc["宝山区", "projects_submitted"] == 0
    assert w.loc["全市", "signings_submitted"] == 2 and w.loc["全市", "activities_submitted"] == 3
    assert w.loc["全市", "signed_amount"] == 2 * 3000 + 2 * 1000  # the submitters' sum
    assert w.loc["全市", "activities"] == 2 + 2 + 3
    # ranks among the regions that submitted: 2 of them, never "8 of 8"
    assert w.loc["宝清县", "signed_completion_rank"] == 1 and w.loc["饶河县", "signed_completion_rank"] == 2
    assert w.drop(index="全市")["signed_completion_rank"].max() == 2
    # the city target is the city's (sum of every region's target)
    assert w.loc["全市", "signed_amount_target"] == 7 * 10000


def test_no_targets_no_light_or_rank(partial):
    w = wide(partial)
    assert pd.isna(w.loc["友谊县", "signed_amount_target"]) and w.loc["友谊县", "signed_light"] == ""


def test_no_region_submitting_a_type_leaves_the_city_empty_too(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", activities("宝清县"))
    w = wide(read(snap_dir))
    assert w.loc["全市", "activities"] == 2
    assert pd.isna(w.loc["全市", "signed_amount"]) and pd.isna(w.loc["全市", "provincial_key_projects"])
    assert w.loc["全市", "signings_submitted"] == 0


# --------------------------------------------------------------------------- duplicates
def test_a_byte_identical_copy_is_read_once(snap_dir):
    write_xlsx(snap_dir / "宝山区6月份招商台账.xlsx", signings("宝山区"), activities("宝山区"))
    without = wide(read(snap_dir))
    (snap_dir / "宝山区6月份招商台账(1).xlsx").write_bytes((snap_dir / "宝山区6月份招商台账.xlsx").read_bytes())
    res = read(snap_dir)
    skipped = res["skipped"]
    copy = skipped[skipped["source_file"] == "宝山区6月份招商台账(1).xlsx"]
    assert len(copy) == 1 and "宝山区6月份招商台账.xlsx" in copy.iloc[0]["reason"]
    assert "file.duplicate_copy" in set(res.findings["code"])
    pd.testing.assert_frame_equal(wide(res), without)
    assert set(res["signings"]["source_file"]) == {"宝山区6月份招商台账.xlsx"}


def test_a_county_that_sends_another_countys_file_never_takes_it_from_that_county(snap_dir):
    """宝山区's clerk sends 宝清县's workbook, byte for byte, under 宝山区's name (a shorter
    name, so it sorted first and was kept as "the original"): 宝清县's own file counts,
    once; 宝山区's is told apart by its titles (所属县区不清) and counts for nobody."""
    write_xlsx(snap_dir / "宝清县招商台账（6月）.xlsx", signings("宝清县"), activities("宝清县"))
    alone = wide(read(snap_dir))
    (snap_dir / "宝山区台账.xlsx").write_bytes((snap_dir / "宝清县招商台账（6月）.xlsx").read_bytes())
    res = read(snap_dir)
    reg = register(res)
    assert reg[("宝清县", "signings")] == ("submitted", ["宝清县招商台账（6月）.xlsx"])
    assert reg[("宝山区", "signings")] == ("region_conflict", ["宝山区台账.xlsx"])
    assert "file.duplicate_copy" not in set(res.findings["code"])
    w = wide(res)
    for key in ("signed_projects", "signed_amount", "activities"):
        assert w.loc["宝清县", key] == alone.loc["宝清县", key] and w.loc["全市", key] == alone.loc["全市", key]
    assert pd.isna(w.loc["宝山区", "signed_amount"])


def numbered_signings(region, numbers, amount=1000, title=None):
    """A signings ledger of the projects 项目<n> for ``numbers``."""
    return [[title or f"{region}2020年签约项目台账"], SIGN_HEADER, *[sign_row(i, amount=amount) for i in numbers]]


# Two files sharing fewer than half of their projects are two ledgers, not versions of
# one (SPEC §11.8, tests/test_plausible_files.py): the per-record rule of §7 applies.
def test_the_same_record_in_two_files_counts_once_with_a_warning(snap_dir):
    write_xlsx(snap_dir / "宝清县签约.xlsx", numbered_signings("宝清县", [1, 2, 11, 12, 13, 14]))
    write_xlsx(snap_dir / "宝清县汇总.xlsx", numbered_signings("宝清县", [1, 2, 3, 21, 22, 23, 24]))
    res = read(snap_dir)
    assert len(res["signings"]) == 11
    dup = res.findings[res.findings["code"] == "record.duplicate_file"]
    assert len(dup) == 2 and (dup["severity"] == "warning").all()
    # the row of the file sorting last by name (宝清县签约 > 宝清县汇总) counts
    assert set(dup["source_file"]) == {"宝清县汇总.xlsx"}
    assert all("宝清县签约.xlsx" in m for m in dup["message"])
    assert wide(res).loc["宝清县", "signed_amount"] == 11000
    acc = res["accounting"].set_index("source_file")
    assert acc.loc["宝清县汇总.xlsx", "records"] == 5 and acc.loc["宝清县汇总.xlsx", "rejected_rows"] == 2


def test_the_same_project_with_other_figures_is_an_error_naming_both_rows(snap_dir):
    write_xlsx(snap_dir / "a_宝清县.xlsx", numbered_signings("宝清县", [1, 11, 12], amount=1000))
    write_xlsx(snap_dir / "b_宝清县.xlsx", numbered_signings("宝清县", [1, 21, 22], amount=2500))
    res = read(snap_dir)
    err = res.errors()
    assert err["code"].tolist() == ["record.conflict"]
    e = err.iloc[0]
    assert e["source_file"] == "a_宝清县.xlsx" and e["source_row"] == 3
    assert "b_宝清县.xlsx" in e["message"] and "第3行" in e["message"]
    assert "1000" in e["message"] and "2500" in e["message"]
    one = res["signings"][res["signings"]["project"] == "项目1"]
    assert list(one["amount"]) == [2500.0]  # b sorts last: its row counts


def test_a_conflict_quotes_every_digit_of_both_figures(snap_dir):
    """Two amounts that differ in the seventh digit: the message shows them as they are,
    not both as 1.23457e+06 (``:g``)."""
    write_xlsx(snap_dir / "a_宝清县.xlsx", numbered_signings("宝清县", [1, 11, 12], amount=1234567))
    write_xlsx(snap_dir / "b_宝清县.xlsx", numbered_signings("宝清县", [1, 21, 22], amount=1234568))
    message = read(snap_dir).errors().iloc[0]["message"]
    assert "1234567" in message and "1234568" in message and "e+" not in message


def test_the_same_project_in_two_regions_is_two_projects(snap_dir):
    write_xlsx(snap_dir / "宝清县.xlsx", signings("宝清县", n=1))
    write_xlsx(snap_dir / "饶河县.xlsx", signings("饶河县", n=1))
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    assert not res.findings["code"].isin(["record.duplicate_file", "record.conflict"]).any()


def test_a_ledger_identical_to_last_months_gets_a_warning(tmp_path):
    raw = tmp_path / "raw"
    may, june = raw / "2020-05", raw / PERIOD
    write_xlsx(may / "宝清县.xlsx", signings("宝清县"))
    write_xlsx(may / "目标.xlsx", targets("宝清县"))
    june.mkdir()
    for name in ("宝清县.xlsx", "目标.xlsx"):
        (june / name).write_bytes((may / name).read_bytes())
    res = read(june)
    same = res.findings[res.findings["code"] == "file.same_as_last_month"]
    assert same["source_file"].tolist() == ["宝清县.xlsx"]  # the year's targets are re-sent as they are
    assert same.iloc[0]["severity"] == "warning" and "2020-05" in same.iloc[0]["message"]


# --------------------------------------------------------------------------- discovery
def test_every_entry_of_the_month_folder_is_read_or_listed(snap_dir, tmp_path):
    write_xlsx(snap_dir / "宝清县.xlsx", signings("宝清县"))
    (snap_dir / "~$宝清县.xlsx").write_bytes(b"lock")
    (snap_dir / ".DS_Store").write_bytes(b"\0\0")
    (snap_dir / "说明.docx").write_bytes(b"PK\x03\x04junk")
    (snap_dir / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    secret = tmp_path / "shadow"
    secret.write_text("root:x")
    os.symlink(secret, snap_dir / "shadow.xlsx")
    os.symlink("/nonexistent/file.xlsx", snap_dir / "dangling.xlsx")
    os.mkfifo(snap_dir / "pipe.xlsx")
    (snap_dir / "sub").mkdir()
    os.symlink("..", snap_dir / "sub" / "loop")
    res = read(snap_dir)
    listed = set(res["skipped"]["source_file"])
    on_disk = {p.relative_to(snap_dir).as_posix() for p in snap_dir.rglob("*") if p.is_symlink() or not p.is_dir()} - {
        "宝清县.xlsx"
    }
    assert on_disk <= listed | {"sub/loop"} and "sub/loop" in listed
    assert len(res["signings"]) == 2


def test_links_inside_the_raw_folder_are_followed_outside_never(snap_dir):
    write_xlsx(snap_dir.parent / "shared" / "饶河县.xlsx", signings("饶河县"))
    os.symlink(snap_dir.parent / "shared" / "饶河县.xlsx", snap_dir / "饶河县.xlsx")
    res = read(snap_dir)
    assert set(res["signings"]["source_file"]) == {"饶河县.xlsx"}


def test_the_manifest_never_hashes_a_link_outside(tmp_path):
    from bulletin.runner.provenance import input_files

    raw = tmp_path / "raw"
    write_xlsx(raw / PERIOD / "宝清县.xlsx", signings("宝清县"))
    os.symlink("/etc/hostname", raw / PERIOD / "x.xlsx")
    assert [p.name for p in input_files(PERIOD, raw)] == ["宝清县.xlsx"]


@pytest.mark.parametrize("name", ["宝清县.et", "宝清县.ett", "宝清县.dat", "宝清县"])
def test_a_workbook_under_any_name_is_read_by_content(snap_dir, name):
    write_xlsx(snap_dir / "tmp.xlsx", signings("宝清县"))
    (snap_dir / "tmp.xlsx").rename(snap_dir / name)
    res = read(snap_dir)
    assert len(res["signings"]) == 2 and res.errors().empty


def test_an_xls_saved_by_wps_as_et_is_read(snap_dir):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("签约")
    for i, row in enumerate(signings("友谊县")):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    wb.save(str(snap_dir / "友谊县.et"))
    res = read(snap_dir)
    assert len(res["signings"]) == 2 and res.errors().empty


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("a.xls", "word", "file.not_excel"),
        ("a.xlsx", "encrypted", "file.encrypted"),
        ("a.xlsb", "xlsb", "file.unsupported_format"),
        ("a.xls", "xml2003", "file.unsupported_format"),
    ],
)
def test_what_cannot_be_read_is_named(snap_dir, name, content, code):
    path = snap_dir / name
    if content == "word":
        path.write_bytes(cfb({"WordDocument": b"x"}))
    elif content == "encrypted":
        path.write_bytes(cfb({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}))
    elif content == "xlsb":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/workbook.bin", b"\0")
    else:
        path.write_text(
            '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            encoding="utf-8",
        )
    res = read(snap_dir)
    assert res.errors()["code"].tolist() == [code] and res.errors().iloc[0]["source_file"] == name


# --------------------------------------------------------------------------- text formats
@pytest.mark.parametrize(
    "encoding, sep, newline",
    [
        ("utf-16", "\t", "\r\n"),  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
        ("utf-16-le", ",", "\n"),  # no BOM
        ("utf-8-sig", ";", "\r"),  # CR-only line endings, semicolons
        ("gb18030", "|", "\n"),
    ],
)
def test_csv_dialects_and_encodings(snap_dir, encoding, sep, newline):
    rows = signings("宝清县")
    text = newline.join(sep.join("" if v is None else str(v) for v in row) for row in rows) + newline
    (snap_dir / "宝清县.csv").write_bytes(text.encode(encoding))
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [1000.0, 1000.0]
    assert set(res["signings"]["region"]) == {"宝清县"}


def test_a_csv_field_beyond_the_csv_modules_limit(snap_dir):
    rows = signings("宝清县")
    rows[2][1] = "长" * 200_000
    (snap_dir / "宝清县.csv").write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
    res = read(snap_dir)
    assert len(res["signings"]) == 2
    too_long = res.findings[res.findings["code"] == "cell.too_long"]
    assert len(too_long) == 1 and too_long.iloc[0]["source_row"] == 3 and too_long.iloc[0]["field"] == "B列"
    assert res["signings"]["project"].str.len().max() == 32767


def test_html_spans_are_clipped_to_the_table(snap_dir):
    cell = '<td colspan="1000" rowspan="65534">宝清县</td>'
    header = "".join(f"<td>{h}</td>" for h in SIGN_HEADER)
    row = "<tr><td>1</td><td>甲</td><td>某公司</td><td>北京市</td><td>2020-05-10</td><td>1000</td><td>现场</td></tr>"
    html = f"<table><tr>{cell}</tr><tr>{header}</tr>{row}</table>"
    (snap_dir / "宝清县.xls").write_text(html, encoding="utf-8")
    res = read(snap_dir)
    assert res.errors().empty


# --------------------------------------------------------------------------- clean text out
def test_control_characters_are_removed_with_a_warning_on_the_cell(snap_dir):
    rows = signings("宝清县")
    rows[2][1] = "项目\u202e甲\x9b"
    write_xlsx(snap_dir / "宝清县.xlsx", rows)
    (snap_dir / "饶河县.csv").write_text(
        "\n".join(",".join(map(str, r)) for r in signings("饶河\x00县")), encoding="utf-8"
    )
    res = read(snap_dir)
    assert "项目甲" in set(res["signings"]["project"])
    warn = res.findings[res.findings["code"] == "text.control_chars"]
    assert {(f, r) for f, r in zip(warn["source_file"], warn["source_row"])} == {("宝清县.xlsx", 3), ("饶河县.csv", 1)}
    assert (warn["severity"] == "warning").all()
    assert "U+202E" in " ".join(warn["message"])
    assert set(res["signings"]["region"]) == {"宝清县", "饶河县"}


def test_a_file_name_with_a_bidi_override_is_cleaned_in_the_outputs(snap_dir):
    write_xlsx(snap_dir / "宝清县\u202exslx.xlsx", signings("宝清县"))
    res = read(snap_dir)
    assert set(res["signings"]["source_file"]) == {"宝清县xslx.xlsx"}
    assert "text.control_chars" in set(res.findings["code"])


def test_no_output_text_carries_a_control_character(tmp_path):
    df = pd.DataFrame({"project": ["甲\x00乙\u202e丙", "=1+2\x07"], "amount": [1.0, 2.0]})
    write_csv(df, tmp_path / "t.csv")
    back = read_table(tmp_path / "t.csv")
    assert list(back["project"]) == ["甲乙丙", "=1+2"]
    finding = dict.fromkeys(FINDING_COLUMNS, "")
    finding.update(severity="warning", region="宝清县", source_file="a\u202e.xlsx", message="x\x01y")
    f = pd.DataFrame([{**finding, "code": "text.control_chars"}])
    written = write_quality_workbooks(
        {"quality": f}, tmp_path / "q", PERIOD, regions=["宝清县"], city="双鸭山市", ledger_labels=LEDGER_LABELS
    )
    for path in written:
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str):
                        assert "\u202e" not in v and "\x01" not in v and "\ufffd" not in v, v


# --------------------------------------------------------------------------- bounds
@pytest.mark.parametrize("amount", [1e19, 9e18, 1e308, 1.5e12])
def test_an_absurd_amount_is_an_error_for_the_cell(snap_dir, amount):
    rows = signings("宝清县", n=1)
    rows.append(sign_row(2, amount=amount))
    write_xlsx(snap_dir / "宝清县.xlsx", rows)
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [1000.0]
    assert res.errors()["code"].tolist() == ["amount.too_large"]
    assert res.errors().iloc[0]["source_row"] == 4


def test_the_codes_are_registered():
    for code in (
        "sheet.too_large",
        "sheet.failed",
        "file.failed",
        "file.resources",
        "file.duplicate_copy",
        "file.same_as_last_month",
        "record.duplicate_file",
        "record.conflict",
        "text.control_chars",
        "amount.too_large",
        "cell.too_long",
    ):
        assert code in FINDING_CODES


def test_the_submission_sheet_of_the_city_summary(partial, tmp_path):
    t = partial.tables
    written = write_quality_workbooks(
        t, tmp_path, PERIOD, regions=REGIONS, city="双鸭山市", ledger_labels=LEDGER_LABELS
    )
    summary = openpyxl.load_workbook(written[-1])
    ws = summary["报送情况"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("县区", "台账类型", "报送情况", "文件", "有效记录", "说明")
    by = {(r[0], r[1]): r for r in rows[1:]}
    assert by[("宝山区", "签约项目")][2] == "台账无法读取" and by[("宝山区", "签约项目")][3] == "宝山区.xlsx"
    assert by[("岭东区", "招商活动")][2] == "未报送"
    assert by[("宝清县", "签约项目")][2:5] == ("已报送", "宝清县.xlsx", 2)
    assert by[("友谊县", "目标任务")][2] == "未报送"
