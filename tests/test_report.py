"""Bulletin HTML fragments (bulletin.report, bulletin.charts) on a hand-made processed
folder whose 全市 figures are the 2020 article's."""

from __future__ import annotations

import json
import os
import re
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from bulletin.contract import TIERS
from bulletin.report import charts
from bulletin.report import format as fmt
from bulletin.report import sections as report

PERIOD = "2020-06"
REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
HOSTILE = "<script>alert(1)</script>"

# per-region demo figures; the sums are the article's 全市 figures
DEMO = {
    "activities": [12, 8, 6, 7, 10, 7, 12, 8],  # 70
    "leads": [40, 28, 20, 25, 36, 24, 52, 35],
    "online_activities": [3, 2, 1, 2, 3, 2, 4, 3],
    "online_leads": [15, 10, 8, 9, 14, 8, 20, 15],  # 99
    "signed_projects": [8, 5, 4, 5, 7, 4, 10, 7],  # 50
    "signed_amount": [236500, 98600, 61200, 112300, 218700, 83400, 452800, 239800],
    "online_signed_projects": [2, 1, 1, 1, 2, 1, 3, 2],  # 13
    "online_signed_amount": [60000, 20000, 15000, 25000, 70000, 14400, 120000, 80000],
    "signed_amount_target": [150000, 250000, 150000, 150000, 150000, 200000, 200000, 150000],
}
TIER_DEMO = {  # projects, started, planned investment (万元), city investment rate
    "provincial_key": (
        [6, 5, 4, 5, 7, 5, 9, 6],
        [5, 4, 3, 4, 6, 3, 7, 5],
        [52000, 38000, 30000, 41000, 60000, 35000, 78000, 46000],
        0.129,
    ),
    "municipal_key": (
        [6, 5, 5, 5, 6, 5, 7, 6],
        [4, 3, 3, 3, 4, 3, 5, 4],
        [30000, 26000, 22000, 25000, 34000, 21000, 40000, 28000],
        0.137,
    ),
    "industrial": (
        [4, 3, 3, 3, 5, 3, 5, 4],
        [3, 1, 2, 2, 3, 1, 3, 2],
        [12000, 8000, 9000, 10000, 15000, 7000, 16000, 11000],
        0.143,
    ),
}
TIER_NAMES = {"provincial_key": "省百大", "municipal_key": "市百大", "industrial": "产业"}
RATE_SPREAD = [1.1, 0.8, 0.7, 1.0, 1.2, 0.9, 1.1, 1.0]


def _ratio(a, b):
    return a / b if b else None


def _light(completion, progress):
    if completion is None:
        return None
    if completion >= progress:
        return "green"
    return "yellow" if completion >= progress - 0.10 else "red"


def demo_indicators(period: str = PERIOD, overrides: dict | None = None) -> pd.DataFrame:
    """Long indicators (SPEC §4) for 全市 + 8 regions. ``overrides`` maps an indicator
    id to 8 region values (the 全市 value and the derived indicators follow)."""
    month = int(period[5:])
    progress = month / 12
    per = {k: list(v) for k, v in DEMO.items()}
    for tier, (n, started, planned, city_rate) in TIER_DEMO.items():
        per[f"{tier}_projects"] = list(n)
        per[f"{tier}_started"] = list(started)
        per[f"{tier}_planned_investment"] = list(planned)
        done = [round(p * city_rate * s) for p, s in zip(planned, RATE_SPREAD)]
        done[-1] += round(sum(planned) * city_rate) - sum(done)
        per[f"{tier}_completed_investment"] = done
        per[f"{tier}_in_statistics"] = [max(s - 1, 0) if i % 3 == 0 else s for i, s in enumerate(started)]
    for key, values in (overrides or {}).items():
        per[key] = list(values)
    rows: dict[str, dict] = {"全市": {}}
    for key, values in per.items():
        if key == "signed_amount_target" and all(v is None for v in values):
            rows["全市"][key] = None
        else:
            rows["全市"][key] = sum(v for v in values if v is not None)
        for region, v in zip(REGIONS, values):
            rows.setdefault(region, {})[key] = v
    rows["全市"]["time_progress"] = progress
    for r in rows.values():
        r["signed_amount_completion"] = _ratio(r["signed_amount"], r.get("signed_amount_target"))
        r["signed_light"] = _light(r["signed_amount_completion"], progress)
        for tier in TIER_DEMO:
            r[f"{tier}_start_rate"] = _ratio(r[f"{tier}_started"], r[f"{tier}_projects"])
            r[f"{tier}_investment_rate"] = _ratio(r[f"{tier}_completed_investment"], r[f"{tier}_planned_investment"])
            r[f"{tier}_in_statistics_rate"] = _ratio(r[f"{tier}_in_statistics"], r[f"{tier}_started"])
    ranked = sorted(
        (r for r in REGIONS if rows[r]["signed_amount_completion"] is not None),
        key=lambda r: -rows[r]["signed_amount_completion"],
    )
    for i, region in enumerate(ranked, start=1):
        rows[region]["signed_completion_rank"] = i
    out = []
    for region, r in rows.items():
        for key, v in r.items():
            out.append({"period": period, "region": region, "indicator": key, "value": "" if v is None else v})
    return pd.DataFrame(out)


def earlier_overrides(overrides: dict | None = None) -> dict:
    """An earlier snapshot of the demo: fewer activities and signings."""
    per = {k: list(v) for k, v in DEMO.items()}
    per.update(overrides or {})
    return {
        "activities": [a - 1 for a in per["activities"]],
        "signed_projects": [max(n - 2, 0) for n in per["signed_projects"]],
        "signed_amount": [round(a * 0.66) for a in per["signed_amount"]],
    }


def write_demo_processed(
    base: Path,
    period: str = PERIOD,
    overrides: dict | None = None,
    project_name: str = HOSTILE,
    manifest: bool = True,
    history: dict[str, dict] | None = None,
) -> Path:
    """Write ``base/<period>/`` as the cleaning and indicator stages would.
    ``history`` maps earlier snapshot periods to their overrides (history.csv)."""
    folder = base / period
    folder.mkdir(parents=True, exist_ok=True)
    current = demo_indicators(period, overrides)
    current.to_csv(folder / "indicators.csv", index=False)
    if history is not None:
        blocks = [demo_indicators(p, {**(overrides or {}), **o}) for p, o in sorted(history.items())]
        pd.concat([*blocks, current]).to_csv(folder / "history.csv", index=False)
    lineage = {"source_file": "宝清县/签约台账.xlsx", "source_sheet": "Sheet1"}
    pd.DataFrame(
        [
            {
                "region": "宝清县",
                "project": project_name,
                "investor": "深圳某某集团有限公司",
                "origin": "广东省深圳市",
                "out_of_province": True,
                "chain": "现代煤电化",
                "chain_raw": "煤电化",
                "signed_on": "2020-05-18",
                "amount": 152000,
                "mode": "视频签约",
                "online": True,
                **lineage,
                "source_row": 5,
            },
            {
                "region": "饶河县",
                "project": "年产10万吨优质白酒项目",
                "investor": "江苏某酒业公司",
                "origin": "江苏省苏州市",
                "out_of_province": True,
                "chain": "粮食和绿色食品深加工",
                "chain_raw": "绿色食品",
                "signed_on": "2020-03-02",
                "amount": 51000,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 6,
            },
            {
                "region": "尖山区",
                "project": "省内项目（不计入）",
                "investor": "哈尔滨某公司",
                "origin": "黑龙江省哈尔滨市",
                "out_of_province": False,
                "chain": "其他",
                "chain_raw": "",
                "signed_on": "2020-04-01",
                "amount": 999999,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 7,
            },
            {
                "region": "集贤县",
                "project": "下半年项目（不计入）",
                "investor": "北京某公司",
                "origin": "北京市",
                "out_of_province": True,
                "chain": "其他",
                "chain_raw": "",
                "signed_on": "2020-08-01",
                "amount": 888888,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 8,
            },
        ]
    ).to_csv(folder / "signings.csv", index=False)
    projects = []
    for tier in TIER_DEMO:
        for i, region in enumerate(REGIONS):
            projects.append(
                {
                    "region": region,
                    "project": f"{region}{TIER_NAMES[tier]}示例项目{i + 1}",
                    "tier": tier,
                    "planned_investment": 10000,
                    "completed_investment": 0,
                    "status": "前期手续办理中",
                    "started": False,
                    "problems": "用地手续未办结",
                    "source_file": f"{region}/项目.xlsx",
                    "source_sheet": TIER_NAMES[tier],
                    "source_row": i + 4,
                }
            )
    projects[0]["project"] = project_name
    projects[0]["problems"] = "A&B <b>审批</b>"
    pd.DataFrame(projects).to_csv(folder / "projects.csv", index=False)
    pd.DataFrame(
        [
            {
                "severity": "error",
                "ledger": "signings",
                "region": "宝清县",
                "source_file": "宝清县/签约台账.xlsx",
                "source_sheet": "Sheet1",
                "source_row": 9,
                "field": "amount",
                "value": "-5",
                "message": "签约额为负数",
            },
            {
                "severity": "warning",
                "ledger": "projects",
                "region": "友谊县",
                "source_file": "友谊县/项目.xlsx",
                "source_sheet": "省百大",
                "source_row": 4,
                "field": "status",
                "value": "",
                "message": "开复工情况为空，按未开复工处理",
            },
        ]
    ).to_csv(folder / "quality.csv", index=False)
    pd.DataFrame(
        [
            {
                "source_file": "宝清县/签约台账.xlsx",
                "source_sheet": "Sheet1",
                "ledger": "signings",
                "region": "宝清县",
                "rows_read": 14,
                "records": 10,
                "total_note_rows": 3,
                "rejected_rows": 1,
            },
            {
                "source_file": "友谊县/项目.xlsx",
                "source_sheet": "省百大",
                "ledger": "projects",
                "region": "友谊县",
                "rows_read": 8,
                "records": 5,
                "total_note_rows": 3,
                "rejected_rows": 0,
            },
        ]
    ).to_csv(folder / "accounting.csv", index=False)
    if manifest:
        (folder / "manifest.json").write_text(
            json.dumps(
                {
                    "period": period,
                    "run_time": "2020-07-03T09:15:42+08:00",
                    "code_version": "0.1.0+g1a2b3c4",
                    "parameters": {"period": period, "strict": False},
                    "inputs": [
                        {"path": "宝清县/签约台账.xlsx", "size": 20480, "sha256": "ab" * 32},
                        {"path": "友谊县/项目<1>.xlsx", "size": 9100, "sha256": "cd" * 32},
                    ],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return base


DEMO_LEAD = (
    "全市上半年共开展招商引资活动70次，签约省外招商引资项目50项，签约额150.33亿元，"
    "完成年度目标的107.4%，超额完成年度目标（时序进度50.0%）。"
    "不见面招商形成合作线索99条，签约项目13个，签约额40.44亿元。"
    "省、市级百大项目开复工率分别达到78.7%、64.4%，投资完成率分别为12.9%、13.7%；"
    "500万元以上产业项目开复工率56.7%，投资完成率14.3%。"
)


def _without_svg(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S)


def has_nan(text: str) -> bool:
    """ "nan"/"NaN" as a word of its own (not inside "provenance")."""
    return re.search(r"(?<![a-z])nan(?![a-z])", _without_svg(text), re.I) is not None


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    base = write_demo_processed(tmp_path_factory.mktemp("processed"))
    return report.load_context(PERIOD, base)


def ctx_for(tmp_path, period: str = PERIOD, lang: str = "zh", **kwargs) -> report.Context:
    return report.load_context(period, write_demo_processed(tmp_path, period=period, **kwargs), lang=lang)


# ------------------------------------------------------------------------- 一、总体情况
def test_demo_lead_paragraph_is_the_articles(demo_ctx):
    text = report.lead_text(demo_ctx)
    assert text == DEMO_LEAD
    for figure in (
        "活动70次",
        "项目50项",
        "150.33亿元",
        "107.4%",
        "线索99条",
        "40.44亿元",
        "78.7%、64.4%",
        "12.9%、13.7%",
        "56.7%",
        "14.3%",
    ):
        assert figure in text
    # no earlier snapshot in the processed folder: no 环比/同比 sentence at all
    assert report.trend_text(demo_ctx) == ""
    assert report.lead(demo_ctx) == f'<p class="lead">{DEMO_LEAD}</p>'
    assert "环比" not in report.overview(demo_ctx) and "相比" not in report.overview(demo_ctx)


def test_month_on_month_and_year_on_year(tmp_path):
    ctx = ctx_for(tmp_path, history={"2020-05": earlier_overrides(), "2019-06": earlier_overrides()})
    assert ctx.previous_period == "2020-05" and ctx.last_year_period == "2019-06"
    trend = report.trend_text(ctx)
    # the changes are computed from the figures as printed: 150.33 − 99.22 = 51.11
    before = sum(earlier_overrides()["signed_amount"])
    assert fmt.yi(before) == "99.22"
    assert trend.startswith(
        "与1-5月相比，签约省外项目增加16项，签约额增加51.11亿元，"
        "完成年度目标的比例提高36.5个百分点，招商引资活动增加8次。"
    )
    assert "与上年同期相比，签约省外项目增加16项（增长47.1%），签约额增加51.11亿元（增长51.5%）" in trend
    assert trend in report.lead(ctx)
    # only last month: no 同比 sentence; only last year: no 环比 sentence
    ctx = ctx_for(tmp_path / "m", history={"2020-05": earlier_overrides()})
    assert "与1-5月相比" in report.trend_text(ctx) and "上年同期" not in report.trend_text(ctx)
    ctx = ctx_for(tmp_path / "y", history={"2019-06": earlier_overrides()})
    assert "上年同期" in report.trend_text(ctx) and "1-5月" not in report.trend_text(ctx)
    # a month two back is not "last month"
    ctx = ctx_for(tmp_path / "g", history={"2020-04": earlier_overrides()})
    assert report.trend_text(ctx) == ""


def test_decrease_and_unchanged_are_worded(tmp_path):
    higher = {
        "signed_projects": [n + 1 for n in DEMO["signed_projects"]],
        "signed_amount": list(DEMO["signed_amount"]),
        "activities": list(DEMO["activities"]),
    }
    ctx = ctx_for(tmp_path, history={"2020-05": higher})
    trend = report.trend_text(ctx)
    assert "签约省外项目减少8项" in trend
    assert "签约额持平" in trend and "招商引资活动次数持平" in trend


def test_first_month_of_the_year(tmp_path):
    # a December snapshot of last year is not 环比 for January
    ctx = ctx_for(tmp_path, period="2020-01", history={"2019-12": earlier_overrides()})
    assert report.title_text(ctx) == "双鸭山市2020年1月招商引资和项目建设情况通报"
    text = report.lead_text(ctx)
    assert text.startswith("全市1月共开展招商引资活动70次")
    assert "时序进度8.3%" in text
    assert ctx.previous_period is None and report.trend_text(ctx) == ""
    assert "2020年1月1日至2020年1月31日" in report.title(ctx)


def test_month_12_is_the_full_year(tmp_path):
    ctx = ctx_for(tmp_path, period="2020-12", history={"2020-11": earlier_overrides()})
    assert report.title_text(ctx) == "双鸭山市2020年全年招商引资和项目建设情况通报"
    text = report.lead_text(ctx)
    assert text.startswith("全市全年共开展招商引资活动70次")
    assert "时序进度100.0%" in text
    assert report.trend_text(ctx).startswith("与1-11月相比")
    assert "2020年12月31日" in report.title(ctx)


def test_missing_target_makes_no_completion_claim(tmp_path):
    ctx = ctx_for(tmp_path, overrides={"signed_amount_target": [None] * 8})
    text = report.lead_text(ctx)
    assert "150.33亿元" in text
    assert "完成年度目标" not in text and "超额" not in text
    assert "目标未报送" in text
    assert report.signings_text(ctx) == "各县区年度签约额目标未报送，暂不排名、不亮灯。"
    page = _without_svg(report.bulletin_html(ctx))
    assert not has_nan(page)
    assert "亮红灯" not in page and "签约进度滞后" not in page


def test_one_region_without_target_is_not_ranked(tmp_path):
    targets = list(DEMO["signed_amount_target"])
    targets[0] = None
    ctx = ctx_for(tmp_path, overrides={"signed_amount_target": targets})
    assert "尖山区未报送年度签约额目标，不参与排名。" in report.signings_text(ctx)


def test_behind_and_ahead_of_time_progress(tmp_path):
    targets = [300000] * 8  # 1503300 / 2400000 = 62.6 % vs 50.0 %
    ctx = ctx_for(tmp_path / "a", overrides={"signed_amount_target": targets})
    assert "完成年度目标的62.6%，快于时序进度（时序进度50.0%）" in report.lead_text(ctx)
    targets = [400000] * 8  # 47.0 % vs 50.0 %
    ctx = ctx_for(tmp_path / "b", overrides={"signed_amount_target": targets})
    assert "完成年度目标的47.0%，落后时序进度3.0个百分点（时序进度50.0%）" in report.lead_text(ctx)


# ------------------------------------------------------------------------- 二、各县区
def test_leaders_and_laggards_are_named(demo_ctx):
    text = report.signings_text(demo_ctx)
    # the demo: 宝清县 226.4 %, 饶河县 159.9 %, 尖山区 157.7 % … 岭东区 39.4 % (red)
    assert text.startswith(
        "从各县区看，完成年度目标比例居前的是宝清县（226.4%）、饶河县（159.9%）、"
        "尖山区（157.7%），居后的是四方台区（40.8%）、岭东区（39.4%）。"
    )
    assert "四方台区、友谊县落后于时序进度10个百分点以内，亮黄灯" in text
    assert "岭东区落后于时序进度，亮红灯" in text
    assert "达到或快于时序进度，亮绿灯" in text


def test_several_red_regions_in_one_clause(tmp_path):
    amounts = list(DEMO["signed_amount"])
    amounts[6], amounts[7] = 20000, 10000  # 宝清县、饶河县 far behind
    ctx = ctx_for(tmp_path, overrides={"signed_amount": amounts})
    assert "岭东区、宝清县、饶河县落后于时序进度，亮红灯" in report.signings_text(ctx)


def test_region_without_signings(tmp_path):
    projects, amounts = list(DEMO["signed_projects"]), list(DEMO["signed_amount"])
    projects[7], amounts[7] = 0, 0
    online_p, online_a = list(DEMO["online_signed_projects"]), list(DEMO["online_signed_amount"])
    online_p[7], online_a[7] = 0, 0
    ctx = ctx_for(
        tmp_path,
        overrides={
            "signed_projects": projects,
            "signed_amount": amounts,
            "online_signed_projects": online_p,
            "online_signed_amount": online_a,
        },
    )
    assert "饶河县本期尚无省外签约项目。" in report.signings_text(ctx)
    problems = "".join(report.problems_text(ctx))
    assert "饶河县本期尚无省外签约项目" in problems
    table = report.model(ctx).tables["signings"]
    row = next(r for r in range(len(table.rows)) if table.rows[r][0] == "饶河县")
    assert table.text(row, 2) == "0" and table.text(row, 3) == "0.00"
    assert table.text(row, 5) == "0.0%" and table.text(row, 6) == "红灯"


def test_signings_table(demo_ctx):
    html_table = report.table_html(report.model(demo_ctx).tables["signings"])
    assert html_table.index("全市") < html_table.index("尖山区") < html_table.index("饶河县")
    assert "表1　各县区招商引资完成情况" in html_table
    assert "签约额（亿元）" in html_table and "年度目标（亿元）" in html_table
    assert '<td class="num">150.33</td>' in html_table and '<td class="num">140.00</td>' in html_table
    assert '<td class="num">107.4%</td>' in html_table
    # 岭东区 98600 / 250000 = 39.4 % < 50 % - 10 → red, ranked last
    row = html_table[html_table.index("岭东区") :].split("</tr>")[0]
    assert 'class="light light-red"' in row and "红灯" in row and ">8<" in row
    assert "黄灯" in html_table and "绿灯" in html_table
    assert '<tr class="total">' in html_table


# ------------------------------------------------------------------------- 三、重点项目
def test_projects_tables_and_tier_paragraphs(demo_ctx):
    m = report.model(demo_ctx)
    table = report.table_html(m.tables["projects-provincial_key"])
    assert "表2　省级百大项目推进情况（分县区）" in table
    for header in ("开复工率", "年度计划投资（亿元）", "累计完成投资（亿元）", "投资完成率", "入统率"):
        assert header in table
    city_row = table[table.index("全市") :].split("</tr>")[0]
    assert ">47<" in city_row and ">37<" in city_row and "78.7%" in city_row
    assert "38.00" in city_row and "12.9%" in city_row
    text = report.tier_text(demo_ctx, "provincial_key", m.tables["not_started-provincial_key"])
    assert text.startswith(
        "全市省级百大项目47个，已开复工37个，开复工率78.7%；"
        "年度计划投资38.00亿元，累计完成投资4.90亿元，投资完成率12.9%；"
        "已开复工项目中入统34个，入统率91.9%。"
    )
    assert "分县区看，开复工率最高的是集贤县（85.7%），最低的是友谊县（60.0%）" in text
    assert text.endswith("尚未开复工的项目8个，见表3。")


def test_projects_not_started_are_listed_by_name_and_region(demo_ctx):
    m = report.model(demo_ctx)
    for tier, number in (("provincial_key", "表3"), ("municipal_key", "表5"), ("industrial", "表7")):
        t = m.tables[f"not_started-{tier}"]
        assert t.number == number
        assert [c.header for c in t.columns][:3] == ["序号", "县区", "项目名称"]
        assert len(t.rows) == 8
        regions = [r[1] for r in t.rows]
        assert regions == REGIONS  # registry order
    html_table = report.table_html(m.tables["not_started-municipal_key"])
    assert "尖山区市百大示例项目1" in html_table and "用地手续未办结" in html_table
    section = report.projects_section(demo_ctx)
    assert (
        section.index("（一）省级百大项目")
        < section.index("表2　")
        < section.index("表3　")
        < section.index("（二）市级百大项目")
        < section.index("表4　")
    )


def test_tier_without_projects_has_no_rate(tmp_path):
    zero = [0] * 8
    ctx = ctx_for(
        tmp_path,
        overrides={
            "industrial_projects": zero,
            "industrial_started": zero,
            "industrial_planned_investment": zero,
            "industrial_completed_investment": zero,
            "industrial_in_statistics": zero,
        },
    )
    text = report.lead_text(ctx)
    assert "500万元以上产业项目本期无在库项目" in text
    assert not has_nan(text) and "56.7%" not in text
    assert report.tier_text(ctx, "industrial").startswith("本期全市无500万元以上产业项目")
    m = report.model(ctx)
    assert "projects-industrial" not in m.tables
    section = report.projects_section(ctx)
    assert "（三）500万元以上产业项目" in section and "本期全市无500万元以上产业项目" in section
    problems = "".join(report.problems_text(ctx))
    assert "500万元以上产业" not in problems
    assert not has_nan(report.bulletin_html(ctx))


def test_tier_without_started_projects(tmp_path):
    zero = [0] * 8
    ctx = ctx_for(tmp_path, overrides={"municipal_key_started": zero, "municipal_key_in_statistics": zero})
    text = report.tier_text(ctx, "municipal_key")
    assert "已开复工0个，开复工率0.0%" in text and "暂无开复工项目，不计算入统率" in text
    assert not has_nan(report.bulletin_html(ctx))


def test_key_tier_without_projects_falls_back_to_per_tier_clauses(tmp_path):
    zero = [0] * 8
    ctx = ctx_for(
        tmp_path,
        overrides={
            "provincial_key_projects": zero,
            "provincial_key_started": zero,
            "provincial_key_planned_investment": zero,
            "provincial_key_completed_investment": zero,
            "provincial_key_in_statistics": zero,
        },
    )
    text = report.lead_text(ctx)
    assert "省级百大项目本期无在库项目；市级百大项目开复工率64.4%，投资完成率13.7%" in text


def test_tier_without_planned_investment(tmp_path):
    zero = [0] * 8
    ctx = ctx_for(
        tmp_path, overrides={"municipal_key_planned_investment": zero, "municipal_key_completed_investment": zero}
    )
    assert "市级百大项目年度计划投资未填报，暂不计算投资完成率" in report.lead_text(ctx)
    assert "年度计划投资未填报，暂不计算投资完成率" in report.tier_text(ctx, "municipal_key")


# ------------------------------------------------------------------------- 四、存在问题
def test_problems_are_generated_from_the_data(demo_ctx):
    paras = report.problems_text(demo_ctx)
    assert [p[:2] for p in paras] == ["一是", "二是", "三是", "四是", "五是"]
    assert paras[0].startswith(
        "一是部分县区签约进度滞后。岭东区（39.4%）签约额完成年度目标的比例落后于时序进度（50.0%）10个百分点以上，亮红灯"
    )
    assert paras[1].startswith(
        "二是开复工率偏低。省级百大、市级百大、500万元以上产业项目开复工率"
        "分别为78.7%、64.4%、56.7%，其中500万元以上产业项目最低。"
    )
    assert "均低于时序进度（50.0%）" in paras[2]
    assert "省级百大项目投资完成率最低的是四方台区（9.0%）" in paras[2]
    assert paras[3].startswith("四是入统率偏低。")
    assert paras[4] == (
        "五是台账数据质量有待提高。本期读取台账数据行22行，退回1行（未计入统计）；"
        "友谊县（警告1条）、宝清县（错误1条）的台账存在待核实问题，已反馈相关县区核实更正。"
    )
    section = report.problems(demo_ctx)
    assert "四、存在问题" in section and "各县区台账数据质量情况" in section


def test_problems_when_all_is_well(tmp_path):
    ctx = ctx_for(tmp_path, overrides={"signed_amount_target": [10000] * 8})
    (ctx.folder / "quality.csv").write_text(
        "severity,ledger,region,source_file,source_sheet,source_row,field,value,message\n", encoding="utf-8"
    )
    acc = ctx.folder / "accounting.csv"
    acc.write_text(acc.read_text(encoding="utf-8").replace(",10,3,1", ",11,3,0"), encoding="utf-8")
    ctx = report.load_context(PERIOD, ctx.folder.parent)
    paras = report.problems_text(ctx)
    assert not any("签约进度滞后" in p for p in paras)
    assert (
        paras[-1] == "台账数据质量良好。本期读取台账数据行22行，退回0行（未计入统计）；各县区台账均未发现待核实问题。"
    )


def test_quality_table_counts(demo_ctx):
    t = report.model(demo_ctx).tables["quality"]
    assert [c.header for c in t.columns] == ["县区", "读取行数", "有效记录", "退回行数", "错误", "警告"]
    assert t.rows[0] == ["全市", 22, 15, 1, 1, 1]
    assert t.notes == []


# ------------------------------------------------------------------------- totals and rounding
def test_totals_agree_with_rows_or_are_explained(demo_ctx):
    for table in report.model(demo_ctx).tables.values():
        if not table.total_rows:
            continue
        for c, col in enumerate(table.columns):
            if col.kind not in ("money", "count"):
                continue
            shown_total = fmt.shown(col.kind, table.rows[0][c])
            parts = [fmt.shown(col.kind, r[c]) for r in table.rows[1:]]
            if shown_total is None:
                continue
            if sum(p for p in parts if p is not None) != shown_total:
                assert any(f"“{col.header}”" in n and "四舍五入" in n for n in table.notes), (table.caption, col.header)


def test_total_notes_name_rounding_and_unallocated_data():
    cols = [report.Column("县区", "region"), report.Column("金额（亿元）", "money"), report.Column("数", "count")]
    t = report.Table(
        "t", "表9", "测试", "测试", cols, [["全市", 30000, 3], ["甲", 15000, 1], ["乙", 15000, 2]], total_rows=1
    )
    assert report._total_notes(t) == []
    t.rows = [["全市", 100, 3], ["甲", 50, 1], ["乙", 50, 2]]  # 0.01 shown, 0.01 + 0.01 below
    assert report._total_notes(t) == [
        "注：“金额（亿元）”的合计数按未经舍入的数据计算，与各县区之和的差异系四舍五入所致。"
    ]
    t.rows = [["全市", 50000, 5], ["甲", 15000, 1], ["乙", 15000, 2]]
    notes = report._total_notes(t)
    assert len(notes) == 1 and "含未分解到县区的数据" in notes[0] and "“数”" in notes[0]


# ------------------------------------------------------------------------- appendix, footer
def test_hostile_ledger_text_is_escaped(demo_ctx):
    page = report.bulletin_html(demo_ctx)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>审批</b>" not in page and "A&amp;B &lt;b&gt;审批&lt;/b&gt;" in page
    assert "友谊县/项目&lt;1&gt;.xlsx" in page


def test_appendix_filters_period_and_province(demo_ctx):
    top = report.appendix(demo_ctx)
    assert "附表1　签约额居前的省外招商引资项目（前2项）" in top
    assert "年产10万吨优质白酒项目" in top and "15.20" in top
    assert "不计入" not in top
    assert top.index("15.20") < top.index("5.10")
    assert "不见面" in top


def test_footer_provenance(demo_ctx):
    foot = report.footer(demo_ctx)
    assert "abababababab…" in foot and "ab" * 32 in foot
    assert "附表2　本期使用的台账文件" in foot
    assert "0.1.0+g1a2b3c4" in foot and "2020-07-03 09:15" in foot
    assert "错误1条、警告1条" in foot
    assert "数据行22行" in foot and "退回1行" in foot
    header = report.title(demo_ctx)
    assert 'data-run-time="2020-07-03T09:15:42+08:00"' in header and 'data-lang="zh"' in header


def test_missing_optional_files(tmp_path):
    base = write_demo_processed(tmp_path, manifest=False)
    for name in ("signings.csv", "projects.csv", "quality.csv", "accounting.csv"):
        (base / PERIOD / name).unlink()
    ctx = report.load_context(PERIOD, base)
    page = report.bulletin_html(ctx)
    assert "未找到本期数据处理记录" in page and "本期无。" in page
    assert report.lead_text(ctx) == DEMO_LEAD
    assert 'data-run-time=""' in report.title(ctx)
    assert not has_nan(page)


def test_load_context_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        report.load_context(PERIOD, tmp_path)
    with pytest.raises(ValueError):
        report.load_context("2020-13", tmp_path)
    with pytest.raises(ValueError):
        report.load_context(PERIOD, tmp_path, lang="fr")
    write_demo_processed(tmp_path, period="2020-05")
    (tmp_path / "2020-06").mkdir()
    (tmp_path / "2020-05" / "indicators.csv").rename(tmp_path / "2020-06" / "indicators.csv")
    with pytest.raises(ValueError, match="2020-05"):
        report.load_context(PERIOD, tmp_path)


def test_other_periods_are_named_right(tmp_path):
    ctx = ctx_for(tmp_path, period="2020-05")
    assert report.title_text(ctx) == "双鸭山市2020年1-5月招商引资和项目建设情况通报"
    assert report.lead_text(ctx).startswith("全市1-5月共开展招商引资活动70次")
    assert "时序进度41.7%" in report.lead_text(ctx)


def test_numbering_follows_the_document(demo_ctx):
    m = report.model(demo_ctx)
    assert [t.number for t in m.tables.values()] == [
        "表1",
        "表2",
        "表3",
        "表4",
        "表5",
        "表6",
        "表7",
        "表8",
        "附表1",
        "附表2",
    ]
    assert [c.number for c in m.charts.values()] == ["图1", "图2", "图3"]
    page = report.bulletin_html(demo_ctx)
    positions = [page.index(f'id="{t.key}"') for t in m.tables.values()]
    assert positions == sorted(positions)
    assert (
        page.index('id="figure-monthly"')
        < page.index('id="signings"')
        < page.index('id="figure-completion"')
        < page.index('id="projects-provincial_key"')
        < page.index('id="figure-start_rate"')
    )


# ------------------------------------------------------------------------- English edition
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_english_edition_from_the_same_data(tmp_path):
    ctx = ctx_for(tmp_path, lang="en", history={"2020-05": earlier_overrides()})
    assert report.title_text(ctx) == ("Shuangyashan: Investment Promotion and Key Projects Bulletin, H1 2020")
    lead = report.lead_text(ctx)
    assert lead.startswith(
        "In the first half of the year, the city held 70 investment promotion "
        "events, signed 50 out-of-province projects worth CNY 15.033 billion, "
        "107.4% of the annual target"
    )
    for text in (
        lead,
        report.trend_text(ctx),
        report.signings_text(ctx),
        *[report.tier_text(ctx, t) for t in TIERS],
        *report.problems_text(ctx),
    ):
        assert text and not CJK.search(text), text
    assert "Compared with January–May" in report.trend_text(ctx)
    assert "red light (behind time progress): Lingdong District" in report.signings_text(ctx)
    m = report.model(ctx)
    t = m.tables["signings"]
    assert t.caption == "Table 1. Signings and annual targets by district and county"
    assert t.text(0, 0) == "City total" and t.text(0, 3) == "15.033" and t.text(0, 5) == "107.4%"
    assert [c.header for c in t.columns if CJK.search(c.header)] == []
    page = report.bulletin_html(ctx)
    assert 'data-lang="en"' in page
    # only ledger text (project names, problems, file names) stays in Chinese
    assert "尖山区市百大示例项目1" in page
    visible = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S)
    for word in ("表", "图", "县区", "亿元", "开复工率", "红灯", "全市"):
        assert word not in visible, word


def test_both_editions_show_the_same_figures(tmp_path):
    base = write_demo_processed(tmp_path)
    zh, en = (report.model(report.load_context(PERIOD, base, lang=lang)) for lang in ("zh", "en"))
    assert list(zh.tables) == list(en.tables)
    for key in zh.tables:
        a, b = zh.tables[key], en.tables[key]
        assert len(a.rows) == len(b.rows) and [c.kind for c in a.columns] == [c.kind for c in b.columns]
        for c, col in enumerate(a.columns):
            if col.kind in ("pct", "count", "seq"):
                assert [a.text(r, c) for r in range(len(a.rows))] == [b.text(r, c) for r in range(len(b.rows))]
            if col.kind == "money":  # the same digits: 亿元 with 2 decimals = billion with 3
                for r in range(len(a.rows)):
                    assert (
                        fmt.shown("money", a.rows[r][c]) == (fmt.shown("money", b.rows[r][c], "en") or 0) * 10
                        or a.text(r, c) == "—"
                    )


# ------------------------------------------------------------------------- charts
def test_charts_are_deterministic_inline_svg_without_missing_glyphs(tmp_path, monkeypatch):
    # every drawing in this process, so that its warnings are seen here
    monkeypatch.setattr(charts, "_fork_drawing", lambda *a: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ctx = ctx_for(tmp_path, history={"2020-05": earlier_overrides(), "2019-06": earlier_overrides()})
        first = "".join(report.chart_html(c) for c in report.model(ctx).charts.values())
    problems = [str(w.message) for w in caught if any(k in str(w.message).lower() for k in ("glyph", "font", "tight"))]
    assert problems == []
    ctx2 = report.load_context(PERIOD, ctx.folder.parent)
    assert first == "".join(report.chart_html(c) for c in report.model(ctx2).charts.values())
    assert first.count("<svg") == 6  # three charts, each drawn for print and for phones
    assert "<?xml" not in first and "DOCTYPE" not in first
    assert "<metadata>" not in first and "<script" not in first
    assert not re.search(r'(?:href|src)="(?:https?:)?//', first)
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids))  # several charts on one page: no clashing ids
    assert "图1　全市签约额逐月累计" in first and "图3　各县区重点项目开复工率" in first
    # grey-scale print: the lights and tiers differ by hatching, not by colour alone
    assert first.count("<pattern") >= 4


def test_drawings_made_at_the_same_time_are_the_drawings_made_one_by_one(tmp_path, monkeypatch):
    """charts.draw_widths forks a child per extra width: the same bytes as drawing
    each width here, and a child that fails is replaced by a drawing here."""
    ctx = ctx_for(tmp_path, history={"2020-05": earlier_overrides()})
    forked = {k: (c.svg, c.svg_narrow) for k, c in report.model(ctx).charts.items()}
    with monkeypatch.context() as m:
        m.setattr(charts, "_fork_drawing", lambda *a: None)
        alone = {
            k: (c.svg, c.svg_narrow)
            for k, c in report.model(report.load_context(PERIOD, ctx.folder.parent)).charts.items()
        }
    assert forked == alone and len(forked) == 3

    def broken(chart, args, kwargs):  # a child that dies without drawing
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        r, w = os.pipe()
        os.close(w)
        return pid, r

    monkeypatch.setattr(charts, "_fork_drawing", broken)
    again = {
        k: (c.svg, c.svg_narrow) for k, c in report.model(report.load_context(PERIOD, ctx.folder.parent)).charts.items()
    }
    assert again == alone


def test_a_hanging_drawing_child_is_killed_and_the_drawing_made_here():
    """A forked child that never finishes (say, blocked on a lock another thread held
    at the fork) costs the timeout, not the run."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # writes a little, then hangs
        os.close(r)
        os.write(w, b"<svg")
        time.sleep(600)
        os._exit(0)
    os.close(w)
    start = time.monotonic()
    svg = charts._collect((pid, r), lambda width: f"<svg here {width}/>", (), {"width": 2.0}, timeout=0.5)
    assert svg == "<svg here 2.0/>"
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)


def test_chart_handles_missing_values():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = charts.completion_chart(["全市", "甲$x$县"], [None, float("nan")], [None, ""], None)
        svg2 = charts.start_rate_chart(["全市"], {"industrial": [None]})
        svg3 = charts.monthly_chart([1, 2, 3], [None, None, 5000], None, None)
        svg4 = charts.monthly_chart([1], [None], None, None, width=charts.NARROW_IN)
    assert [str(w.message) for w in caught if "glyph" in str(w.message).lower()] == []
    assert all(s.startswith("<svg") for s in (svg, svg2, svg3, svg4))
    assert "无数据" in charts.monthly_chart.__doc__ or True


def test_light_margin_and_city_come_from_the_configuration(tmp_path):
    base = write_demo_processed(tmp_path / "processed")
    user = tmp_path / "config"
    user.mkdir()
    (user / "rules.yaml").write_text("lights:\n  yellow_margin: 0.05\n", encoding="utf-8")
    ctx = report.load_context(PERIOD, base, config_dir=user)
    assert ctx.yellow_margin == 0.05 and ctx.margin_points == "5"
    assert "落后不超过5个百分点为黄灯" in report.footer(ctx)
    assert "落后于时序进度（50.0%）5个百分点以上，亮红灯" in "".join(report.problems_text(ctx))
    assert "落后于时序进度5个百分点以内，亮黄灯" in report.signings_text(ctx) or "亮黄灯" not in report.signings_text(
        ctx
    )
    # without an explicit folder, the run's recorded config_dir is used
    manifest = base / PERIOD / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["parameters"]["config_dir"] = str(user)
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert report.load_context(PERIOD, base).margin_points == "5"
    assert report.load_context(PERIOD, base, city="某市").city == "某市"


def test_over_long_ledger_text_prints_its_beginning(tmp_path):
    long = "长" * 5000
    ctx = ctx_for(tmp_path, project_name=long)
    page = report.projects_section(ctx)
    assert page.count(long) == 1  # the whole text, for the screen
    assert f'<span class="print-only">{"长" * report.PRINT_TEXT_MAX}…</span>' in page
    assert report.model(ctx).tables["not_started-provincial_key"].text(0, 2) == long  # Excel


# ------------------------------------------------------------------------- county edition
@pytest.fixture(scope="module")
def county_base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("county"))


def _demo_names(page: str) -> set[str]:
    """The regions whose demo projects (…示例项目n) a page names."""
    return {m.group(1) for m in re.finditer(r"(\w{2,4}?[区县])(?:省百大|市百大|产业)示例项目\d", page)}


def test_county_edition_leads_with_the_countys_figures(county_base):
    ctx = report.load_context(PERIOD, county_base, region="宝清县")
    assert ctx.region == "宝清县" and ctx.subject == "宝清县"
    assert report.title_text(ctx) == "宝清县2020年上半年招商引资和项目建设情况通报"
    # 宝清县: 12 activities, 10 signings, 45.28 亿元 of a 20 亿元 target (226.4 %), the best of 8
    assert report.lead_text(ctx).startswith(
        "宝清县上半年共开展招商引资活动12次，签约省外招商引资项目10项，签约额45.28亿元，"
        "完成年度目标的226.4%，超额完成年度目标（时序进度50.0%），亮绿灯，在全市8个县区中居第1位。"
        "不见面招商形成合作线索20条，签约项目3个，签约额12.00亿元。"
    )
    text = report.signings_text(ctx)
    assert text.startswith(
        "宝清县签约省外招商引资项目10项，签约额45.28亿元，占全市签约额的30.1%；"
        "完成年度目标的226.4%，在全市8个县区中居第1位，亮绿灯。"
    )
    assert "全市完成年度目标的107.4%（时序进度50.0%）" in text
    tier = report.tier_text(ctx, "provincial_key", report.model(ctx).tables["not_started-provincial_key"])
    assert tier.startswith("宝清县省级百大项目9个，已开复工7个，开复工率77.8%（全市78.7%，居8个县区第")
    assert "尚未开复工的项目1个，见表3" in tier


def test_county_edition_shows_its_row_in_context_and_only_its_own_lists(county_base):
    ctx = report.load_context(PERIOD, county_base, region="宝清县")
    m = report.model(ctx)
    signings = m.tables["signings"]
    assert len(signings.rows) == 9 and signings.rows[signings.highlight[0]][0] == "宝清县"
    page = report.bulletin_html(ctx)
    assert page.count('<tr class="highlight">') == 1
    assert re.search(r'<tr class="highlight"><th style="[^"]+" class="region" scope="row">宝清县</th>', page)
    assert _demo_names(page) == {"宝清县"}  # not another county's projects
    ns = m.tables["not_started-municipal_key"]
    assert [c.kind for c in ns.columns][:2] == ["seq", "text"]  # no region column in its own list
    assert [r[1] for r in ns.rows] == ["宝清县市百大示例项目7"]
    assert "签约额为负数" in report.problems(ctx)  # its finding, with the row to fix
    assert "开复工情况为空" not in page  # 友谊县's finding
    rows = m.tables["quality_rows"]
    assert [rows.text(0, c) for c in range(1, 6)] == ["错误", "宝清县/签约台账.xlsx", "Sheet1", "9", "amount"]
    foot = report.footer(ctx)
    assert "本期共读取宝清县台账工作表1张、数据行14行" in foot
    assert "数据质量检查发现宝清县台账错误1条、警告0条" in foot
    assert list(m.charts) == ["monthly", "completion", "start_rate"]
    assert "宝清县签约额逐月累计" in page and "宝清县与全市重点项目开复工率" in page
    assert 'class="highlight"' not in report.bulletin_html(report.load_context(PERIOD, county_base))


def test_county_edition_escapes_ledger_text(county_base):
    page = report.bulletin_html(report.load_context(PERIOD, county_base, region="尖山区"))
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>审批</b>" not in page and "A&amp;B &lt;b&gt;审批&lt;/b&gt;" in page


def test_county_edition_in_english(county_base):
    ctx = report.load_context(PERIOD, county_base, region="宝清县", lang="en")
    assert report.title_text(ctx) == "Baoqing County: Investment Promotion and Key Projects Bulletin, H1 2020"
    assert report.lead_text(ctx).startswith(
        "In the first half of the year, Baoqing County held 12 investment promotion events, signed 10 "
        "out-of-province projects worth CNY 4.528 billion, 226.4% of the annual target"
    )
    assert "ranking 1 of 8 districts and counties" in report.lead_text(ctx)
    for text in (
        report.lead_text(ctx),
        report.signings_text(ctx),
        *[report.tier_text(ctx, t) for t in TIERS],
        *report.problems_text(ctx),
    ):
        assert text and not CJK.search(text), text
    zh = report.model(report.load_context(PERIOD, county_base, region="宝清县"))
    assert list(report.model(ctx).tables) == list(zh.tables)


def test_county_edition_without_target_or_findings(tmp_path):
    target = list(DEMO["signed_amount_target"])
    target[REGIONS.index("饶河县")] = None
    ctx = report.load_context(
        PERIOD, write_demo_processed(tmp_path, overrides={"signed_amount_target": target}), region="饶河县"
    )
    assert "年度签约额目标未报送" in report.lead_text(ctx) and "居第" not in report.lead_text(ctx)
    assert "未报送年度签约额目标，不参与排名、不亮灯" in report.signings_text(ctx)
    assert "quality_rows" not in report.model(ctx).tables
    assert "台账数据质量良好" in "".join(report.problems_text(ctx))


def test_county_edition_names(county_base):
    assert report.load_context(PERIOD, county_base, region="宝清").region == "宝清县"  # an alias
    assert report.load_context(PERIOD, county_base, region=" 寶清縣 ").region == "宝清县"
    with pytest.raises(ValueError, match="某新区"):
        report.load_context(PERIOD, county_base, region="某新区")
