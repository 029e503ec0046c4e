"""County ledger templates (`pipeline.py templates`): the validation rules are in the
workbooks (read back with openpyxl), a blank template passes `check` with no error,
and a filled one is read exactly, field by field."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from bulletin.config import load_config
from bulletin.ledger_templates import (
    HEADER_ROW,
    KINDS,
    MODES,
    OPTIONS_SHEET,
    ROWS,
    STATUSES,
    TIERS,
    build_template,
    write_templates,
)
from conftest import pipeline, read

PERIOD = "2020-06"
FIRST, LAST = HEADER_ROW + 1, HEADER_ROW + ROWS


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The four templates of 宝清县 (given by its alias), through the command line."""
    root = tmp_path_factory.mktemp("templates")
    out = root / "raw" / PERIOD
    proc = pipeline("templates", "--out", out, "--region", "宝清")
    files = sorted(out.glob("*.xlsx"))
    return dict(root=root, out=out, files=files, stdout=proc.stdout)


def _book(made, label):
    (path,) = [p for p in made["files"] if label in p.name]
    return path, openpyxl.load_workbook(path)


def _rules(ws):
    """header text → its validation rule (the rule covering the column's data rows)."""
    headers = {c.column_letter: c.value for c in ws[HEADER_ROW] if c.value}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert (rng.min_row, rng.max_row) == (FIRST, LAST) and rng.min_col == rng.max_col
            out[headers[openpyxl.utils.get_column_letter(rng.min_col)]] = dv
    assert set(out) == set(headers.values())  # every column has a rule (at least its input message)
    return out


def _list(dv):
    assert dv.type == "list"
    return dv.formula1.strip('"').split(",")


def test_one_workbook_per_ledger_type_named_for_the_county(made):
    assert [p.name for p in made["files"]] == sorted(
        f"宝清县_{label}台账（模板）.xlsx" for label in ("签约项目", "招商活动", "重点项目", "目标任务")
    )
    assert f"共 4 个模板（宝清县）：{made['out'].resolve()}" in made["stdout"]  # the county by its name, not as typed
    for path in made["files"]:
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        assert ws["A1"].value.startswith("宝清县") and "填报单位：宝清县（盖章）" in ws["A2"].value
        assert wb.sheetnames[1] == "填报说明"
        notes = [r[0] for r in wb["填报说明"].iter_rows(values_only=True)]
        assert "必填栏目" in "".join(notes) and len(notes) > 10


def test_signings_validation(made):
    _, wb = _book(made, "签约项目")
    rules = _rules(wb.worksheets[0])
    assert _list(rules["是否省外"]) == ["是", "否"]
    assert _list(rules["所属县区"]) == list(load_config().region_names)
    assert _list(rules["产业链"]) == [c["name"] for c in load_config().raw["chains"]["chains"]]
    assert rules["产业链"].errorStyle == "warning"  # another chain may be written (counted as 其他)
    assert _list(rules["签约方式"]) == MODES and rules["签约方式"].errorStyle == "stop"
    date = rules["签约日期"]
    assert (date.type, date.operator, date.formula1, date.formula2) == ("date", "between", "36526", "73050")
    amount = rules["签约额（万元）"]
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    for header, dv in rules.items():
        assert dv.showInputMessage and dv.prompt and dv.promptTitle, header
        assert any("\u4e00" <= ch <= "\u9fff" for ch in dv.prompt), header  # Chinese
    assert rules["项目名称"].type is None  # any text, with its input message


def test_projects_activities_targets_validation(made):
    rules = _rules(_book(made, "重点项目")[1].worksheets[0])
    assert _list(rules["开复工情况"]) == STATUSES
    assert _list(rules["是否入统"]) == ["是", "否"]
    assert _list(rules["项目类别"]) == TIERS
    assert rules["开工时间"].type == "date"
    for header in ("总投资（万元）", "年度计划投资（万元）", "累计完成投资（万元）"):
        assert (rules[header].type, rules[header].formula1) == ("decimal", "0")
    rules = _rules(_book(made, "招商活动")[1].worksheets[0])
    assert _list(rules["活动类型"]) == KINDS and rules["活动类型"].errorStyle == "warning"
    assert (rules["形成合作线索"].type, rules["形成合作线索"].operator) == ("whole", "greaterThanOrEqual")
    assert rules["活动日期"].type == "date"
    rules = _rules(_book(made, "目标任务")[1].worksheets[0])
    assert _list(rules["所属县区"]) == list(load_config().region_names)
    assert rules["签约额目标（万元）"].type == "decimal" and rules["签约项目数目标"].type == "whole"


def test_blank_templates_pass_check_with_no_error(made):
    proc = pipeline("check", "--period", PERIOD, "--raw-dir", made["root"] / "raw", "--out-dir", made["root"] / "out")
    assert "错误 0 条，警告 0 条" in proc.stdout
    quality = (made["root"] / "out" / "data" / PERIOD / "quality.csv").read_text(encoding="utf-8")
    assert quality.count("\n") == 1  # the header line only
    skipped = (made["root"] / "out" / "data" / PERIOD / "skipped.csv").read_text(encoding="utf-8")
    assert skipped.count("填报说明") == 4  # the instructions are read as no ledger


def test_templates_without_a_region_pass_check_too(tmp_path):
    write_templates(tmp_path / "raw" / PERIOD, load_config())
    proc = pipeline("check", "--period", PERIOD, "--raw-dir", tmp_path / "raw", "--out-dir", tmp_path / "out")
    assert "错误 0 条，警告 0 条" in proc.stdout


def _fill(path, rows):
    """Write ``rows`` (header → value) under the header, as a county clerk would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = {c.value: c.column for c in ws[HEADER_ROW] if c.value}
    for i, row in enumerate(rows):
        for header, value in row.items():
            ws.cell(HEADER_ROW + 1 + i, col[header], value)
    wb.save(path)


def test_a_filled_template_is_read_exactly(made, tmp_path):
    raw = tmp_path / "raw" / PERIOD
    files = write_templates(raw, load_config(), "宝清县")
    by = {
        ledger: next(p for p in files if label in p.name)
        for ledger, label in [
            ("signings", "签约项目"),
            ("activities", "招商活动"),
            ("projects", "重点项目"),
            ("targets", "目标任务"),
        ]
    }
    _fill(
        by["signings"],
        [
            {
                "项目名称": "石墨深加工项目",
                "投资方": "某石墨有限公司",
                "投资方所在地": "广东省深圳市",
                "是否省外": "是",
                "所属县区": "宝清县",
                "产业链": "石墨及新材料",
                "签约日期": dt.datetime(2020, 5, 20),
                "签约额（万元）": 12500.5,
                "签约方式": "视频签约",
            },
            {
                "项目名称": "大米加工项目",
                "投资方": "某粮油公司",
                "投资方所在地": "哈尔滨市",
                "是否省外": "否",
                "产业链": "数字经济",
                "签约日期": dt.datetime(2020, 6, 30),
                "签约额（万元）": 800,
                "签约方式": "现场签约",
            },
        ],
    )
    _fill(
        by["activities"],
        [
            {
                "活动日期": dt.datetime(2020, 4, 2),
                "活动类型": "外出招商",
                "带队领导": "王书记",
                "活动地点": "深圳",
                "对接企业": "甲公司、乙公司",
                "形成合作线索": 3,
            },
            {"活动日期": dt.datetime(2020, 3, 1), "活动类型": "云招商", "活动地点": "线上", "形成合作线索": 0},
        ],
    )
    statuses = STATUSES  # one project per status of the dropdown
    _fill(
        by["projects"],
        [
            {
                "项目名称": f"项目{i}",
                "项目类别": TIERS[i % 3],
                "产业链": "生态旅游",
                "总投资（万元）": 10000 + i,
                "年度计划投资（万元）": 2000,
                "累计完成投资（万元）": 100 * i,
                "开复工情况": status,
                "开工时间": dt.datetime(2020, 4, 1) if i < 6 else None,
                "是否入统": "是" if i % 2 else "否",
                "包保领导": "刘县长",
                "形象进度": "主体施工",
                "存在问题": "无",
            }
            for i, status in enumerate(statuses)
        ],
    )
    _fill(by["targets"], [{"所属县区": "宝清县", "签约额目标（万元）": 250000, "签约项目数目标": 10}])
    result = read(tmp_path / "raw")
    assert result.errors().empty and result.warnings().empty

    s = result["signings"].sort_values("source_row").reset_index(drop=True)
    assert list(s["project"]) == ["石墨深加工项目", "大米加工项目"]
    assert list(s["investor"]) == ["某石墨有限公司", "某粮油公司"]
    assert list(s["region"]) == ["宝清县", "宝清县"]  # the second from the title
    assert list(s["origin"]) == ["广东省深圳市", "哈尔滨市"]
    assert list(s["out_of_province"]) == [True, False]
    assert list(s["chain"]) == ["石墨及新材料", "其他"] and s["chain_raw"][1] == "数字经济"
    assert [str(d)[:10] for d in s["signed_on"]] == ["2020-05-20", "2020-06-30"]
    assert list(s["amount"]) == [12500.5, 800.0]
    assert list(s["mode"]) == ["视频签约", "现场签约"] and list(s["online"]) == [True, False]
    assert list(s["source_row"].astype(int)) == [FIRST, FIRST + 1]

    a = result["activities"].sort_values("source_row").reset_index(drop=True)
    assert [str(d)[:10] for d in a["held_on"]] == ["2020-04-02", "2020-03-01"]
    assert list(a["kind"]) == ["外出招商", "云招商"] and list(a["online"]) == [False, True]
    assert list(a["leads"].astype(int)) == [3, 0] and a["companies"][0] == "甲公司、乙公司"
    assert list(a["region"]) == ["宝清县", "宝清县"]

    p = result["projects"].sort_values("source_row").reset_index(drop=True)
    assert list(p["project"]) == [f"项目{i}" for i in range(len(statuses))]
    assert list(p["tier"]) == [("provincial_key", "municipal_key", "industrial")[i % 3] for i in range(len(statuses))]
    assert list(p["status"]) == statuses
    # every status of the dropdown is one the readers classify: six started, two not
    assert list(p["started"]) == [True] * 6 + [False] * 2
    assert list(p["total_investment"]) == [10000.0 + i for i in range(len(statuses))]
    assert set(p["planned_investment"]) == {2000.0}
    assert list(p["completed_investment"]) == [100.0 * i for i in range(len(statuses))]
    assert list(p["in_statistics"]) == [bool(i % 2) for i in range(len(statuses))]
    assert set(p["chain"]) == {"生态旅游"} and set(p["lead"]) == {"刘县长"} and set(p["region"]) == {"宝清县"}

    t = result["targets"]
    assert len(t) == 1 and t["region"].iloc[0] == "宝清县"
    assert (t["signed_amount_target"].iloc[0], int(t["signed_projects_target"].iloc[0])) == (250000.0, 10)


def test_long_lists_go_to_a_hidden_sheet(tmp_path):
    """Forty more regions in the office's config: the list is longer than Excel's
    inline limit, so it is kept on a very hidden sheet."""
    names = [f"第{i}号新区" for i in range(40)]
    (tmp_path / "regions.yaml").write_text("regions:\n" + "".join(f"  - name: {n}\n" for n in names), encoding="utf-8")
    wb = build_template("signings", "", load_config(tmp_path))
    assert wb[OPTIONS_SHEET].sheet_state == "veryHidden"
    dv = next(d for d in wb.worksheets[0].data_validations.dataValidation if "选项" in (d.formula1 or ""))
    regions = [*load_config().region_names, *names]
    assert dv.formula1 == f"'选项'!$A$1:$A${len(regions)}"
    assert [c.value for c in wb[OPTIONS_SHEET]["A"]] == regions
    write_templates(tmp_path / "raw" / PERIOD, load_config(tmp_path), "第3号新区")  # the readers skip the list sheet
    result = read(tmp_path / "raw", cfg=load_config(tmp_path))
    assert result.errors().empty and result.warnings().empty
    assert set(result.tables["accounting"]["region"]) == {"第3号新区"}


def test_an_unknown_region_is_a_usage_error(tmp_path):
    proc = pipeline("templates", "--out", tmp_path, "--region", "火星县", check=False)
    assert proc.returncode == 2 and "火星县" in proc.stderr and "宝清县" in proc.stderr
    assert not list(tmp_path.iterdir())
