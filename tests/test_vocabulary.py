"""SPEC §12 (issue 19): the vocabulary of real ledgers, one rule per test, each on a
small workbook built here — header synonyms, notes and units in headers, month series,
status words, a column the ledger does not have (never a zero), units that survive
pinning, summary tables and the messages for a sheet that is not read."""

from __future__ import annotations

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.indicators.compute import compute
from bulletin.ledgers.status import parse_started
from bulletin.store import indicator_table
from conftest import PERIOD, PROJ_HEADER, SIGN_HEADER, TARGET_HEADER, read, sign_row, write_xlsx


def wide(res, period=PERIOD):
    return indicator_table(compute(res.tables, period, load_config()))


def value(w, region, indicator):
    v = w.loc[region, indicator]
    return None if pd.isna(v) or v == "" else v


def signings(header, rows, title="宝清县2020年签约项目台账"):
    return [[title], header, *rows]


# ------------------------------------------------------------------ header vocabulary
@pytest.mark.parametrize(
    "amount_header, written, expected",
    [
        ("签约金额（外资已根据汇率转换）", 1200, 1200.0),  # a note, not a unit: the match stands
        ("签约总投资额（亿元）", 1.5, 15000.0),  # L01
        ("总投资额[亿元]", 2, 20000.0),  # [ ] unit
        ("签约额〔万元〕", 300, 300.0),  # 〔 〕 unit
        ("签约额【亿元】", 0.5, 5000.0),
        ("签约额（单位：亿元）", 3, 30000.0),
    ],
)
def test_money_headers_with_notes_and_bracketed_units(snap_dir, amount_header, written, expected):
    header = ["项目名称", "投资方所在地", "签约日期", amount_header]
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(header, [["甲项目", "北京市", "2020-05-10", written]]))
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [expected]
    assert res.errors().empty


@pytest.mark.parametrize(
    "region_header", ["单位", "单位名称", "所属区域", "区县", "县（市、区）", "市(区)", "隶属", "隶 属"]
)
def test_region_headers(snap_dir, region_header):
    header = [region_header, "项目名称", "投资方所在地", "签约日期", "签约额（万元）"]
    rows = [["饶河县", "甲", "北京市", "2020-05-10", 100], ["宝清县", "乙", "上海市", "2020-05-11", 200]]
    write_xlsx(snap_dir / "全市签约项目.xlsx", [["2020年签约项目台账"], header, *rows])
    res = read(snap_dir)
    assert list(res["signings"]["region"]) == ["饶河县", "宝清县"]
    assert res.errors().empty and res.warnings().empty


def test_unit_is_the_whole_header_only_not_a_builder_or_a_responsible_unit(snap_dir):
    header = [
        "项目名称",
        "项目类别",
        "建设单位",
        "责任单位",
        "年度计划投资（万元）",
        "累计完成投资（万元）",
        "开复工情况",
        "是否入统",
    ]
    rows = [["甲项目", "省百大", "饶河县某公司", "饶河县发改局", 1000, 300, "在建", "是"]]
    write_xlsx(snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, *rows])
    res = read(snap_dir)
    assert list(res["projects"]["region"]) == ["宝清县"]  # from the title, not from 建设单位
    reading = res["reading"]
    assert reading[reading["column"] == "C"]["detail"].iloc[0] == "“建设单位” → 未使用"


def test_tier_header_project_type(snap_dir):
    header = ["项目名称", "项目类型", "年度计划投资（万元）", "累计完成投资（万元）", "开复工情况", "是否入统"]
    rows = [["甲", "省级百大项目", 1000, 400, "在建", "是"], ["乙", "500万元以上产业项目", 500, 100, "未开工", "否"]]
    write_xlsx(snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, *rows])
    res = read(snap_dir)
    assert list(res["projects"]["tier"]) == ["provincial_key", "industrial"]


@pytest.mark.parametrize("date_header", ["开始时间", "出发时间", "外出时间"])
def test_activity_date_headers_a_trip_is_one_activity(snap_dir, date_header):
    header = ["单位", "姓名", date_header, "结束时间", "天数", "目的地", "拜访企业名称", "形成合作线索"]
    rows = [
        ["宝清县", "张三", "2020-05-10", "2020-05-14", 5, "北京", "某公司", 1],
        ["宝清县", "李四", "2020-06-28", "2020-07-02", 5, "上海", "某集团", 2],
    ]
    write_xlsx(snap_dir / "外出招商情况上报表.xlsx", [header, *rows])
    res = read(snap_dir)
    a = res["activities"]
    assert a["held_on"].astype(str).tolist() == ["2020-05-10", "2020-06-28"]
    assert list(a["companies"]) == ["某公司", "某集团"]
    w = wide(res)
    assert value(w, "宝清县", "activities") == 2 and value(w, "宝清县", "leads") == 3


def test_funds_headers_received_and_paid_in(snap_dir):
    for name, header, funds in (
        ("宝清县签约.xlsx", "到账金额（万元）", 3000),
        ("饶河县签约.xlsx", "投资方实际到资额[亿元]", 0.5),
    ):
        cols = ["项目名称", "投资方所在地", "签约日期", "签约额（万元）", header]
        county = name[:3]
        row = ["甲", "北京市", "2020-05-10", 20000, funds]
        write_xlsx(snap_dir / name, signings(cols, [row], f"{county}签约项目台账"))
    res = read(snap_dir)
    s = res["signings"].set_index("region")
    assert s.loc["宝清县", "funds_in_place"] == 3000.0
    assert s.loc["饶河县", "funds_in_place"] == 5000.0


def test_a_months_and_a_cumulative_signing_column_read_the_cumulative_one(snap_dir):
    """本月签约额 beside 累计签约额: the ledger is cumulative, so 累计 is the amount (本月 is
    not read); 合同金额 and 本年到位 are the amount and the funds; a funds column headed
    其中：到位资金 is the funds."""
    for name, cols, row in (
        ("宝清县签约.xlsx", ["本月签约额（万元）", "累计签约额（万元）"], [100, 500]),
        ("饶河县签约.xlsx", ["合同金额（万元）", "本年到位（万元）"], [800, 300]),
        ("集贤县签约.xlsx", ["签约额（万元）", "其中：到位资金（万元）"], [900, 200]),
    ):
        county = name[:3]
        write_xlsx(
            snap_dir / name,
            signings(
                ["项目名称", "投资方所在地", "签约日期", *cols],
                [["甲", "北京市", "2020-05-10", *row]],
                f"{county}签约项目台账",
            ),
        )
    s = read(snap_dir)["signings"].set_index("region")
    assert s.loc["宝清县", "amount"] == 500.0
    assert (s.loc["饶河县", "amount"], s.loc["饶河县", "funds_in_place"]) == (800.0, 300.0)
    assert (s.loc["集贤县", "amount"], s.loc["集贤县", "funds_in_place"]) == (900.0, 200.0)


def test_completed_header_year_accumulated(snap_dir):
    header = ["项目名称", "项目类别", "年度计划投资（万元）", "年度累计完成投资（万元）", "开复工情况", "是否入统"]
    write_xlsx(
        snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, ["甲", "省百大", 1000, 250, "在建", "是"]]
    )
    assert list(read(snap_dir)["projects"]["completed_investment"]) == [250.0]


def test_targets_headers_total_investment_in_yi_yuan_and_task_count(snap_dir):
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(SIGN_HEADER, [sign_row(1, amount=30000)]))
    header = ["县（市、区）", "签约项目总投资(亿元)", "年度目标任务数"]
    write_xlsx(snap_dir / "2020年目标任务表.xlsx", [["2020年招商引资目标任务"], header, ["宝清县", 15, 12]])
    res = read(snap_dir)
    t = res["targets"].set_index("region")
    assert t.loc["宝清县", "signed_amount_target"] == 150000.0  # 亿元 → 万元
    assert t.loc["宝清县", "signed_projects_target"] == 12
    w = wide(res)
    assert value(w, "宝清县", "signed_amount_completion") == pytest.approx(30000 / 150000)


# ---------------------------------------------------------------------- month series
SERIES = ["项目名称", "项目类别", "开复工情况", "是否入统"]


def series_sheet(plan_header=True):
    months = []
    for m in range(1, 13):
        span = "1月" if m == 1 else f"1-{m}月"
        months += [f"{span}计划投资", f"{span}完成投资"]
    header = SERIES + (["年度计划投资（万元）"] if plan_header else []) + months
    row = ["甲", "省百大", "在建", "是"] + ([1200] if plan_header else [])
    for m in range(1, 13):
        row += [100 * m, 60 * m if m <= 6 else None]
    return [["宝清县重点项目调度表"], header, row]


@pytest.mark.parametrize("period, done", [("2020-06", 360.0), ("2020-05", 300.0), ("2020-01", 60.0)])
def test_month_series_the_periods_column_is_the_year_to_date(tmp_path, period, done):
    folder = tmp_path / "raw" / period
    write_xlsx(folder / "宝清县重点项目.xlsx", series_sheet())
    res = read(folder, period)
    p = res["projects"]
    assert list(p["planned_investment"]) == [1200.0]  # 年度计划投资, never a month column
    assert list(p["completed_investment"]) == [done]
    assert not {"header.ambiguous", "header.month_detail_only"} & set(res.findings["code"])


def test_month_series_without_an_annual_column_the_plan_is_1_12(snap_dir):
    write_xlsx(snap_dir / "宝清县重点项目.xlsx", series_sheet(plan_header=False))
    res = read(snap_dir)
    assert list(res["projects"]["planned_investment"]) == [1200.0]  # 1-12月计划投资
    assert list(res["projects"]["completed_investment"]) == [360.0]


def test_month_series_that_stops_before_the_period_is_detail_only(tmp_path):
    folder = tmp_path / "raw" / "2020-06"
    header = [*SERIES, "年度计划投资（万元）", "1-4月完成投资", "1-5月完成投资"]
    write_xlsx(
        folder / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, ["甲", "省百大", "在建", "是", 1000, 40, 50]]
    )
    res = read(folder)
    assert res["projects"]["completed_investment"].isna().all()  # not summed, not the May figure
    assert "header.month_detail_only" in set(res.findings["code"])
    assert "header.ambiguous" not in set(res.findings["code"])
    assert value(wide(res), "宝清县", "provincial_key_completed_investment") is None  # empty, never 0


# ---------------------------------------------------------------------- status words
@pytest.mark.parametrize(
    "status, started",
    [
        ("开工", True),
        ("复工", True),
        ("在建", True),
        ("续建", True),
        ("加快建设", True),
        ("建成", True),
        ("竣工", True),
        ("投产", True),
        ("前期", False),
        ("前期工作", False),
        ("拟开工", False),
        ("计划开工", False),
        ("待开工", False),
        ("未开工", False),
        ("施工中", True),
        ("已动工", True),
        ("主体完工", True),
        ("主体封顶", True),
        ("试生产", True),
        ("开工准备", False),
        ("施工准备阶段", False),
        ("停工", False),
        ("在建，未入统", True),  # a remark on the statistics says nothing of the start
        ("已开工（未入统）", True),
        # a started state affirmed wins over a negation elsewhere in the text
        ("已开工，待验收", True),
        ("已复工（原计划4月）", True),
        ("已开工，前期手续已完成", True),
        ("已完成前期工作，正在施工", True),
        ("已于2020年5月开工", True),
        ("停工后已复工", True),
        # unless a stop follows it, or it is the preparation that is done
        ("已开工，现停工", False),
        ("已完成开工准备", False),
        # a later stage not reached yet says nothing of the start
        ("续建，未竣工", True),
        ("在建未投产", True),
        ("已开工，未完工", True),
        ("前期工作未完成", False),
        # negations still negate what they are said of
        ("计划5月开工", False),
        ("已签约未开工", False),
        ("已摘牌待开工", False),
        ("没有开工", False),
        ("尚未开工", False),
        ("已立项，开工时间待定", False),
        ("建设中", True),
    ],
)
def test_status_vocabulary(status, started):
    assert parse_started(status, load_config()) == (started, None)


@pytest.mark.parametrize("status", ["未完工", "已完成施工图设计", "已取得施工许可证"])
def test_a_status_that_says_nothing_of_the_start_is_not_started_with_a_warning(status):
    """未完工 (not finished: started or not?), a design drawing or a permit: no state of the
    start — counted as not started, with the warning that asks for 已开工 or 未开工,
    never silently."""
    started, problem = parse_started(status, load_config())
    assert started is False and problem.code == "status.unknown"


def write_projects(snap_dir, *rows, county="饶河县"):
    """One county's key-projects table (PROJ_HEADER) of ``rows``."""
    write_xlsx(snap_dir / f"{county}项目.xlsx", [[f"{county}2020年重点项目推进情况表"], PROJ_HEADER, *rows])


def _read_projects(snap_dir, *rows):
    write_projects(snap_dir, *rows)
    return read(snap_dir)


def test_a_status_of_neither_kind_is_not_started_with_a_warning(snap_dir):
    """土地摘牌 says neither a started nor a not-started state: counted as not started (as
    a blank status is), never silently — a warning naming the row and the text."""
    res = _read_projects(
        snap_dir,
        [1, "甲", "省级百大项目", 10000, 5000, 300, "土地摘牌", "否"],
        [2, "乙", "省级百大项目", 10000, 5000, 300, "施工中", "是"],
    )
    assert res["projects"].set_index("project")["started"].to_dict() == {"甲": False, "乙": True}
    w = res.findings[res.findings["code"] == "status.unknown"]
    assert w["severity"].tolist() == ["warning"] and w["source_row"].tolist() == [3]
    assert w["message"].iloc[0].startswith("开复工情况“土地摘牌”无法判断是否已开复工，按未开复工统计")


def test_new_start_in_a_plan_table_is_not_started_until_dated(snap_dir):
    header = [
        "项目名称",
        "项目类别",
        "年度计划投资（万元）",
        "累计完成投资（万元）",
        "建设阶段",
        "开工时间",
        "是否入统",
    ]
    rows = [
        ["甲", "省百大", 1000, 0, "新开工", None, "否"],  # planned, no date: not started
        ["乙", "省百大", 1000, 0, "新开工", "2020-09-01", "否"],  # planned for September
        ["丙", "省百大", 1000, 100, "新开工", "2020-04-01", "是"],  # started in April
        ["丁", "省百大", 1000, 300, "加快建设", None, "是"],
        ["戊", "省百大", 1000, 0, "前期工作", None, "否"],
    ]
    write_xlsx(snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, *rows])
    res = read(snap_dir)
    assert list(res["projects"]["started"]) == [False, False, True, True, False]
    assert value(wide(res), "宝清县", "provincial_key_started") == 2


def test_construction_nature_is_not_the_status(snap_dir):
    header = ["项目名称", "项目类别", "年度计划投资（万元）", "累计完成投资（万元）", "建设性质", "是否入统"]
    write_xlsx(
        snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], header, ["甲", "省百大", 1000, 0, "续建", "是"]]
    )
    res = read(snap_dir)
    assert list(res.findings["field"]) == ["开复工情况"]  # the one missing column: no status
    assert value(wide(res), "宝清县", "provincial_key_start_rate") is None  # 续建 there is no status


# ----------------------------------------------- a column the ledger lacks is not zero
def project_sheets(snap_dir, drop: str | None):
    """宝清县 sends every column; 饶河县 a ledger without ``drop``."""
    rows_a = [
        [1, "甲", "省百大", 5000, 1000, 600, "在建", "是"],
        [2, "乙", "省百大", 5000, 1000, 200, "未开工", "否"],
    ]
    rows_b = [[1, "丙", "省百大", 5000, 1000, 100, "未开工", "否"], [2, "丁", "省百大", 5000, 1000, 0, "未开工", "否"]]
    write_xlsx(snap_dir / "宝清县重点项目.xlsx", [["宝清县重点项目台账"], PROJ_HEADER, *rows_a])
    keep = [j for j, h in enumerate(PROJ_HEADER) if h != drop]
    write_xlsx(
        snap_dir / "饶河县重点项目.xlsx",
        [["饶河县重点项目台账"], [PROJ_HEADER[j] for j in keep], *[[r[j] for j in keep] for r in rows_b]],
    )
    return read(snap_dir)


@pytest.mark.parametrize(
    "drop, field, empty, kept",
    [
        (
            "开复工情况",
            "开复工情况",
            ("started", "start_rate", "in_statistics", "in_statistics_rate"),
            "investment_rate",
        ),
        ("累计完成投资（万元）", "累计完成投资", ("completed_investment", "investment_rate"), "start_rate"),
        ("是否入统", "是否入统", ("in_statistics", "in_statistics_rate"), "start_rate"),
    ],
)
def test_a_missing_project_column_leaves_the_figures_empty(snap_dir, drop, field, empty, kept):
    res = project_sheets(snap_dir, drop)
    info = res.findings[res.findings["code"] == "column.missing"]
    assert info[["severity", "region", "field"]].values.tolist() == [["info", "饶河县", field]]
    w = wide(res)
    for measure in empty:
        assert value(w, "饶河县", f"provincial_key_{measure}") is None, measure
    assert value(w, "饶河县", f"provincial_key_{kept}") is not None
    assert value(w, "饶河县", "provincial_key_projects") == 2
    # the city's rate is the counties' that have the column (宝清县: 1 of 2 started, 800 of 2000)
    city = {"start_rate": 0.5, "investment_rate": 0.4, "in_statistics_rate": 1.0}
    for measure in empty:
        if measure in city:
            assert value(w, "全市", f"provincial_key_{measure}") == pytest.approx(city[measure])


def test_a_missing_origin_column_leaves_the_signing_figures_empty(snap_dir):
    header = [h for h in SIGN_HEADER if h != "投资方所在地"]
    write_xlsx(
        snap_dir / "饶河县签约.xlsx",
        signings(header, [[1, "甲", "某公司", "2020-05-10", 5000, "现场签约"]], "饶河县签约项目台账"),
    )
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(SIGN_HEADER, [sign_row(1, amount=3000)]))
    write_xlsx(snap_dir / "目标任务.xlsx", [TARGET_HEADER, ["宝清县", 10000, 2], ["饶河县", 10000, 2]])
    res = read(snap_dir)
    assert res.warnings().empty  # no per-row "origin blank" warnings: one info for the table
    w = wide(res)
    for indicator in ("signed_projects", "signed_amount", "signed_amount_completion", "signed_light"):
        assert value(w, "饶河县", indicator) is None
    assert value(w, "饶河县", "signed_completion_rank") is None
    assert value(w, "宝清县", "signed_completion_rank") == 1
    assert value(w, "全市", "signed_amount") == 3000  # the counties that can tell


def _bulletin_problems(tmp_path, snap_dir):
    from bulletin.report.county import county_problems
    from bulletin.report.edition import Edition
    from bulletin.report.sentences import city_problems, problems_text, tier_clauses
    from bulletin.stages import clean_stage, indicators_stage
    from report_demo import load_month

    raw, processed = snap_dir.parent, tmp_path / "processed"
    cfg = load_config()
    clean_stage(PERIOD, cfg, raw_dir=raw, processed_dir=processed, reports_dir=tmp_path / "reports")
    indicators_stage(PERIOD, cfg, processed_dir=processed)
    data = load_month(PERIOD, processed)
    city = Edition(data, "zh", data.resolve_region(""))
    county = Edition(data, "zh", data.resolve_region("饶河县"))
    start = [p for p in problems_text(city_problems(city)) if "开复工率偏低" in p]
    return (
        " ".join(start),  # the city's start-rate problem, if any
        " ".join(problems_text(county_problems(county, None))),
        " ".join(tier_clauses(county, "provincial_key", lambda what: "x")),
    )


def test_no_problem_sentence_from_a_missing_status_column(tmp_path, snap_dir):
    project_sheets(snap_dir, "开复工情况")
    city, county, clauses = _bulletin_problems(tmp_path, snap_dir)
    # 宝清县 (1 of 2 started) is the city's start-rate problem; 饶河县 is named in none
    assert "开复工率" in city and "宝清县" in city and "饶河县" not in city
    assert "开复工率" not in county and "入统率" not in county
    assert "开复工" not in clauses  # not "no project started"


def test_with_the_column_the_same_county_is_a_problem(tmp_path, snap_dir):
    project_sheets(snap_dir, None)  # the control: the sentence can be written
    city, county, _ = _bulletin_problems(tmp_path, snap_dir)
    assert "饶河县" in city and "开复工率" in county


# ------------------------------------------------------------------ pinning and units
def test_a_pinned_column_keeps_the_unit_in_its_header(snap_dir, tmp_path):
    header = ["项目名称", "投资方所在地", "签约时间", "签约总投资额（亿元）", "备注金额"]
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(header, [["甲", "北京市", "2020-05-10", 16.2, 1]]))
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "layouts.yaml").write_text(
        "layouts:\n  - file: 宝清县签约*\n    ledger: signings\n    columns: {D: amount, E: null}\n", encoding="utf-8"
    )
    res = read(snap_dir, cfg=load_config(str(cfg_dir)))
    assert list(res["signings"]["amount"]) == [162000.0]
    assert "layout.override" in set(res.findings["code"])


@pytest.mark.parametrize("pinned", [False, True])
def test_a_targets_table_in_yi_yuan_is_read_in_wan_yuan(snap_dir, tmp_path, pinned):
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(SIGN_HEADER, [sign_row(1, amount=30000)]))
    write_xlsx(snap_dir / "目标任务.xlsx", [["县区", "签约额目标（亿元）"], ["宝清县", 15]])
    cfg = load_config()
    if pinned:
        cfg_dir = tmp_path / "cfg"
        cfg_dir.mkdir()
        (cfg_dir / "layouts.yaml").write_text(
            "layouts:\n  - file: 目标任务*\n    ledger: targets\n    columns: {A: region, B: signed_amount_target}\n",
            encoding="utf-8",
        )
        cfg = load_config(str(cfg_dir))
    res = read(snap_dir, cfg=cfg)
    assert list(res["targets"]["signed_amount_target"]) == [150000.0]
    w = indicator_table(compute(res.tables, PERIOD, cfg))
    assert value(w, "宝清县", "signed_amount_completion") == pytest.approx(0.2)


# --------------------------------------------------- summary tables and unread sheets
def test_a_summary_table_is_skipped_with_the_reason(snap_dir):
    rows = [
        ["2020年各县区招商情况汇总"],
        ["县区", "项目个数", "新签约项目数", "签约额"],
        ["宝清县", 5, 3, 12000],
        ["饶河县", 2, 1, 3000],
        ["合计", 7, 4, 15000],
    ]
    write_xlsx(snap_dir / "汇总.xlsx", rows)
    res = read(snap_dir)
    assert res["signings"].empty and res["targets"].empty
    assert list(res["skipped"]["reason"])[0].startswith("汇总表（每县区一行），不是明细台账")


def test_a_targets_table_with_summary_words_is_still_a_targets_table(snap_dir):
    write_xlsx(snap_dir / "目标任务.xlsx", [["县区", "年度目标任务数", "签约项目总投资（亿元）"], ["宝清县", 10, 2]])
    res = read(snap_dir)
    assert res["targets"][["signed_projects_target", "signed_amount_target"]].values.tolist() == [[10, 20000.0]]


def test_an_unread_sheet_names_the_fields_not_found_and_suggests_header_rows(snap_dir):
    write_xlsx(
        snap_dir / "宝清县签约.xlsx",
        [["宝清县签约项目"], ["签约项目名称", "签约时间", "投资方所在地"], ["甲", "2020-05-10", "北京"]],
    )
    res = read(snap_dir)
    reason = list(res["skipped"]["reason"])[0]
    assert "第2行的表头像签约项目台账" in reason
    assert "“项目名称”" in reason and "“签约日期”" in reason  # found
    assert "未找到必填栏目“签约额”" in reason
    assert "header_rows" in reason  # a title row stands above


def test_an_unread_sheet_with_nothing_known_lists_what_was_looked_for(snap_dir):
    write_xlsx(snap_dir / "宝清县说明.xlsx", [["说明"], ["甲", "乙"], ["丙", "丁"]])
    reason = list(read(snap_dir)["skipped"]["reason"])[0]
    assert reason.startswith("表头中未找到任何台账类型的栏目")
    for label in ("签约额", "活动日期", "年度计划投资", "签约额目标"):
        assert label in reason
    assert "header_rows" in reason


def test_explain_says_which_columns_are_missing(snap_dir):
    res = project_sheets(snap_dir, "是否入统")
    reading = res["reading"]
    missing = reading[reading["topic"] == "缺少栏目"]
    assert missing[["region", "detail"]].values.tolist() == [
        ["饶河县", "“是否入统”：本县区入统项目数和入统率均不计算（为空），不按0计"]
    ]


def test_breakdowns_by_leader_have_no_start_figures_without_a_status_column(snap_dir):
    from bulletin.indicators.compute_breakdowns import breakdowns

    res = project_sheets(snap_dir, "开复工情况")
    long = breakdowns(res.tables, PERIOD, load_config(), indicators=compute(res.tables, PERIOD, load_config()))
    lead = long[long["dimension"] == "leader"].set_index(["region", "indicator"])["value"]
    assert lead.loc[("饶河县", "projects")] == "2"
    assert lead.loc[("饶河县", "start_rate")] == ""  # not 0 %
    assert lead.loc[("宝清县", "start_rate")] == "0.5"


def test_a_header_with_a_note_never_takes_the_plain_headers_place(snap_dir):
    header = ["项目名称", "投资方所在地", "签约日期", "签约额（万元）", "签约额（线上）"]
    write_xlsx(snap_dir / "宝清县签约.xlsx", signings(header, [["甲", "北京市", "2020-05-10", 900, 300]]))
    res = read(snap_dir)
    assert list(res["signings"]["amount"]) == [900.0]  # 签约额, not ambiguous with the noted one
    assert res.errors().empty
    reading = res["reading"]
    assert reading[reading["column"] == "E"]["detail"].iloc[0] == "“签约额(线上)” → 未使用"


@pytest.mark.parametrize(
    "written, counted",
    [
        ("入统", True),
        ("已纳统", True),
        ("纳统", True),
        ("不入统", False),
        ("未纳统", False),
        ("是（6月入统）", True),  # an answer with a remark: the answer
        ("否，计划7月入统", False),
        ("待入统", False),  # nothing but a state not reached yet: no
        ("拟入统", False),
        ("暂未纳统", False),
        ("正在申请入统", False),
        ("不是", False),
    ],
)
def test_in_statistics_words(written, counted):
    from bulletin.ledgers.normalise import parse_yesno

    assert parse_yesno(written, load_config()) == (counted, None)


@pytest.mark.parametrize("written", ["是/否", "6月入统", "计划7月入统", "入统中"])
def test_a_yes_or_no_that_cannot_be_told_is_unknown_with_a_warning(written):
    """是/否 left from the template, a month with no answer: unknown, never a guess."""
    from bulletin.ledgers.normalise import parse_yesno

    value, problem = parse_yesno(written, load_config())
    assert value is None and problem.code == "yesno.invalid"


def test_in_statistics_with_a_remark_counts_in_the_rate(snap_dir):
    """End to end: 是（6月入统） is in the statistics, 待入统 is not — no warning for either."""
    res = _read_projects(
        snap_dir,
        [1, "甲", "省级百大项目", 10000, 5000, 300, "在建", "是（6月入统）"],
        [2, "乙", "省级百大项目", 10000, 5000, 300, "在建，未入统", "待入统"],
    )
    projects = res["projects"].set_index("project")
    assert projects["in_statistics"].to_dict() == {"甲": True, "乙": False}
    assert projects["started"].to_dict() == {"甲": True, "乙": True}
    assert res.findings[res.findings["code"].isin(["yesno.invalid", "status.unknown"])].empty


def test_a_tier_naming_both_lists_is_no_tier(snap_dir):
    """省市百大 in a cell is an error naming both lists (not the municipal list because
    市百大 is in the words); in a title it gives the rows no tier of its own."""
    write_projects(
        snap_dir,
        [1, "甲", "省市百大", 10000, 5000, 300, "在建", "是"],
        [2, "乙", "市级百大项目", 10000, 5000, 300, "在建", "是"],
    )
    header = [c for c in PROJ_HEADER if c != "项目类别"]
    write_xlsx(
        snap_dir / "宝清县项目.xlsx",
        [["宝清县2020年省市百大项目推进情况表"], header, [1, "丙", 10000, 5000, 300, "在建", "是"]],
    )
    res = read(snap_dir)
    assert res["projects"].set_index("project")["tier"].to_dict() == {"乙": "municipal_key"}
    bad = res.findings[res.findings["code"] == "tier.unknown"]
    assert bad["source_row"].tolist() == [3] and bad["severity"].tolist() == ["error"]
    assert bad["message"].iloc[0].startswith("项目类别“省市百大”同时写了省百大和市百大，无法判断按哪一类统计")
    missing = res.findings[(res.findings["code"] == "required.missing") & (res.findings["region"] == "宝清县")]
    assert missing["field"].tolist() == ["项目类别"]


@pytest.mark.parametrize(
    "origin, out", [("外省", True), ("省外客商", True), ("外省企业", True), ("黑龙江省外贸集团", False)]
)
def test_an_origin_saying_outside_the_province_is_out_of_province(origin, out):
    """外省 named no place: it was in-province with a warning, the opposite of what it says;
    a place named wins (黑龙江省外贸集团 is the home province's)."""
    from bulletin.ledgers.normalise import origin_out_of_province

    assert origin_out_of_province(origin, load_config()) == (out, None)


@pytest.mark.parametrize(
    "mode", ["屏对屏签约", "远程签约", "网签", "连线签约", "直播推介", "网络招商", "电话洽谈", "微信洽谈"]
)
def test_meeting_without_meeting_words_are_online(mode):
    from bulletin.ledgers.normalise import is_online

    assert is_online(mode, load_config()) is True


@pytest.mark.parametrize("mode", ["现场签约", "集中签约", "外出招商", "客商来访"])
def test_meeting_in_person_is_not_online(mode):
    from bulletin.ledgers.normalise import is_online

    assert is_online(mode, load_config()) is False


def test_more_signings_headers_of_real_ledgers(snap_dir):
    header = ["序号", "项目名称", "投资企业", "引资来源地", "签约日期", "签约总投资（万元）", "签约方式", "行业"]
    write_xlsx(
        snap_dir / "宝清县签约.xlsx",
        [
            ["宝清县2020年1-6月招商引资签约项目台账"],
            header,
            [1, "甲", "某公司", "北京", "2020-05-10", 1000, "现场签约", "食品"],
        ],
    )
    header = ["序号", "项目名称", "客商名称", "投资方所属地区", "签约时间", "合同引资额（万元）", "签约形式"]
    write_xlsx(
        snap_dir / "集贤县签约.xlsx",
        [
            ["集贤县2020年1-6月招商引资签约项目台账"],
            header,
            [1, "乙", "某公司", "上海", "2020-05-10", 2000, "线上签约"],
        ],
    )
    res = read(snap_dir)
    s = res["signings"].set_index("project")
    assert s["amount"].to_dict() == {"甲": 1000.0, "乙": 2000.0}
    assert s["investor"].to_dict() == {"甲": "某公司", "乙": "某公司"}
    assert s["origin"].to_dict() == {"甲": "北京", "乙": "上海"}
    assert s["out_of_province"].to_dict() == {"甲": True, "乙": True}


def test_more_projects_headers_of_real_ledgers(snap_dir):
    header = ["序号", "项目名称", "项目类别", "总投资（万元）", "年计划投资（万元）", "截至目前完成投资（万元）",
              "开复工情况", "是否纳统", "市级包保领导", "县级领导", "存在的问题及解决措施"]  # fmt: skip
    row = [1, "丙", "省级百大项目", 10000, 5000, 300, "已开工", "是", "张三", "李四", "用地指标不足"]
    write_xlsx(snap_dir / "友谊县项目.xlsx", [["友谊县2020年重点项目推进情况表"], header, row])
    res = read(snap_dir)
    p = res["projects"].set_index("project").loc["丙"]
    assert (p["planned_investment"], p["completed_investment"], p["in_statistics"]) == (5000.0, 300.0, True)
    assert (p["lead"], p["problems"]) == ("张三", "用地指标不足")  # the city's leader, not the county's
    assert res.errors().empty


@pytest.mark.parametrize(
    "status, started",
    [("7月开工", False), ("2021年3月开工", False), ("预计7月开工", False), ("争取8月开工", False),
     ("即将开工", False), ("3月开工", True), ("2019年9月开工", True), ("已于5月开工", True), ("1-7月开工", True)],
)  # fmt: skip
def test_a_start_in_a_later_month_is_a_plan(status, started):
    """In the June report, 7月开工 is a plan, not a start; 3月开工 is a start."""
    from bulletin.contract import Period

    assert parse_started(status, load_config(), Period.parse("2020-06")) == (started, None)


def test_a_later_months_start_is_not_counted_as_started(snap_dir):
    res = _read_projects(
        snap_dir,
        [1, "甲", "省级百大项目", 10000, 5000, 300, "7月开工", "否"],
        [2, "乙", "省级百大项目", 10000, 5000, 300, "3月开工", "是"],
    )
    assert res["projects"].set_index("project")["started"].to_dict() == {"甲": False, "乙": True}


@pytest.mark.parametrize("status", ["在建，预计年底竣工", "续建，计划年底投产", "在建，计划10月完工"])
def test_a_plan_for_a_later_stage_says_nothing_of_the_start(status):
    """预计/计划 negate a start (计划7月开工), not a state reached: 在建 with a planned end is started."""
    assert parse_started(status, load_config()) == (True, None)


def test_required_fields_under_other_real_headers(snap_dir):
    """Tables a county sends with these headers were refused (a required field not found)."""
    header = ["序号", "招商项目名称", "投资方", "投资方所在地", "签订日期", "投资总额（万元）"]
    write_xlsx(
        snap_dir / "宝清县签约.xlsx",
        [["宝清县2020年签约项目台账"], header, [1, "甲", "某公司", "北京", "2020-05-10", 1000]],
    )
    header = ["序号", "项目名称及建设内容", "项目层级", "全年计划投资（万元）", "累计完成投资（万元）"]
    write_xlsx(
        snap_dir / "集贤县项目.xlsx", [["集贤县2020年重点项目推进情况表"], header, [1, "乙", "市级百大项目", 800, 300]]
    )
    header = ["序号", "外出日期", "活动类型", "目的地"]
    write_xlsx(
        snap_dir / "友谊县活动.xlsx", [["友谊县2020年招商活动台账"], header, [1, "2020-05-10", "外出招商", "北京"]]
    )
    res = read(snap_dir)
    assert res["signings"][["project", "amount"]].values.tolist() == [["甲", 1000.0]]
    assert res["projects"][["project", "tier", "planned_investment"]].values.tolist() == [
        ["乙", "municipal_key", 800.0]
    ]
    assert len(res["activities"]) == 1
    assert res["skipped"].empty


@pytest.mark.parametrize("written", ["省市百大", "省百大、市百大", "省、市百大", "省市级百大项目"])
def test_both_lists_named_is_no_tier(written):
    from bulletin.ledgers.normalise import match_tier

    assert match_tier(written, load_config()) is None
