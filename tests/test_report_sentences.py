"""bulletin.report.sentences: the bulletin's sentences from the demo figures (the city's
edition; a county's own sentences: test_report_county.py)."""

from __future__ import annotations

import pytest

from bulletin.contract import TIERS
from bulletin.report import format as fmt
from bulletin.report import sentences
from bulletin.report.document import Numbers
from bulletin.report.edition import Edition
from bulletin.report.tables import not_started_table
from report_demo import (
    CJK,
    DEMO,
    DEMO_LEAD,
    PERIOD,
    REGIONS,
    earlier_overrides,
    ed_for,
    edition,
    load_month,
    write_demo_processed,
)


@pytest.fixture(scope="module")
def ed(tmp_path_factory):
    return edition(write_demo_processed(tmp_path_factory.mktemp("processed")))


def problems(ed: Edition) -> list[str]:
    return sentences.problems_text(sentences.city_problems(ed))


def tier_text(ed: Edition, tier: str) -> str:
    return sentences.tier_text(ed, tier, not_started_table(ed, tier, Numbers(ed.lang)))


# ------------------------------------------------------------------------- title
def test_titles_name_the_period(tmp_path):
    assert sentences.title_text(ed_for(tmp_path / "a")) == "双鸭山市2020年上半年招商引资和项目建设情况通报"
    assert sentences.title_text(ed_for(tmp_path / "b", "2020-05")) == "双鸭山市2020年1-5月招商引资和项目建设情况通报"
    assert sentences.title_text(ed_for(tmp_path / "c", "2020-01")) == "双鸭山市2020年1月招商引资和项目建设情况通报"
    assert sentences.title_text(ed_for(tmp_path / "d", "2020-12")) == "双鸭山市2020年全年招商引资和项目建设情况通报"
    assert sentences.subtitle_text(ed_for(tmp_path / "e", "2020-01")) == (
        "统计期间：2020年1月1日至2020年1月31日（年初至本月末累计）"
    )


# ------------------------------------------------------------------------- 一、总体情况
def test_demo_lead_paragraph_is_the_articles(ed):
    text = sentences.lead_text(ed)
    assert text == DEMO_LEAD
    for figure in ("活动70次", "项目50项", "150.33亿元", "107.4%", "线索99条", "40.44亿元", "78.7%、64.4%"):
        assert figure in text
    # no earlier snapshot in the processed folder: no 环比/同比 sentence at all
    assert sentences.trend_text(ed) == ""
    assert sentences.with_trend(ed, text) == DEMO_LEAD


def test_month_on_month_and_year_on_year(tmp_path):
    ed = ed_for(tmp_path, history={"2020-05": earlier_overrides(), "2019-06": earlier_overrides()})
    trend = sentences.trend_text(ed)
    # the changes are computed from the figures as printed: 150.33 − 99.22 = 51.11
    assert fmt.yi(sum(earlier_overrides()["signed_amount"])) == "99.22"
    assert trend.startswith(
        "与1-5月计算结果相比，签约省外项目增加16项，签约额增加51.11亿元，"
        "完成年度目标的比例提高36.5个百分点，招商引资活动增加8次。"
    )
    assert "与上年同期相比，签约省外项目增加16项（增长47.1%），签约额增加51.11亿元（增长51.5%）" in trend
    assert sentences.with_trend(ed, "甲。") == "甲。" + trend
    # only last month: no 同比 sentence; only last year: no 环比 sentence
    ed = ed_for(tmp_path / "m", history={"2020-05": earlier_overrides()})
    assert "与1-5月计算结果相比" in sentences.trend_text(ed) and "上年同期" not in sentences.trend_text(ed)
    ed = ed_for(tmp_path / "y", history={"2019-06": earlier_overrides()})
    assert "上年同期" in sentences.trend_text(ed) and "1-5月" not in sentences.trend_text(ed)
    # a month two back is not "last month"
    assert sentences.trend_text(ed_for(tmp_path / "g", history={"2020-04": earlier_overrides()})) == ""


def test_decrease_and_unchanged_are_worded(tmp_path):
    higher = {
        "signed_projects": [n + 1 for n in DEMO["signed_projects"]],
        "signed_amount": list(DEMO["signed_amount"]),
        "activities": list(DEMO["activities"]),
    }
    trend = sentences.trend_text(ed_for(tmp_path, history={"2020-05": higher}))
    assert "签约省外项目减少8项" in trend
    assert "签约额持平" in trend and "招商引资活动次数持平" in trend


def test_first_and_last_month_of_the_year(tmp_path):
    # a December snapshot of last year is not 环比 for January
    ed = ed_for(tmp_path / "jan", period="2020-01", history={"2019-12": earlier_overrides()})
    assert sentences.lead_text(ed).startswith("全市1月共开展招商引资活动70次")
    assert "时序进度8.3%" in sentences.lead_text(ed) and sentences.trend_text(ed) == ""
    ed = ed_for(tmp_path / "dec", period="2020-12", history={"2020-11": earlier_overrides()})
    assert sentences.lead_text(ed).startswith("全市全年共开展招商引资活动70次")
    assert "时序进度100.0%" in sentences.lead_text(ed)
    assert sentences.trend_text(ed).startswith("与1-11月计算结果相比")
    ed = ed_for(tmp_path / "may", period="2020-05")
    assert sentences.lead_text(ed).startswith("全市1-5月共开展招商引资活动70次")
    assert "时序进度41.7%" in sentences.lead_text(ed)


def test_missing_target_makes_no_completion_claim(tmp_path):
    ed = ed_for(tmp_path, overrides={"signed_amount_target": [None] * 8})
    text = sentences.lead_text(ed)
    assert "150.33亿元" in text and "目标未报送" in text
    assert "完成年度目标" not in text and "超额" not in text
    assert sentences.signings_text(ed) == "各县区年度签约额目标未报送，暂不排名、不亮灯。"
    assert not any("签约进度滞后" in p for p in problems(ed))


def test_behind_and_ahead_of_time_progress(tmp_path):
    ed = ed_for(tmp_path / "a", overrides={"signed_amount_target": [300000] * 8})  # 62.6 % vs 50.0 %
    assert "完成年度目标的62.6%，快于时序进度（时序进度50.0%）" in sentences.lead_text(ed)
    ed = ed_for(tmp_path / "b", overrides={"signed_amount_target": [400000] * 8})  # 47.0 % vs 50.0 %
    assert "完成年度目标的47.0%，落后时序进度3.0个百分点（时序进度50.0%）" in sentences.lead_text(ed)


def test_key_tier_without_projects_falls_back_to_per_tier_clauses(tmp_path):
    zero = [0] * 8
    tier = "provincial_key"
    names = ("projects", "started", "planned_investment", "completed_investment", "in_statistics")
    ed = ed_for(tmp_path, overrides={f"{tier}_{k}": zero for k in names})
    assert "省级百大项目本期无在库项目；市级百大项目开复工率64.4%，投资完成率13.7%" in sentences.lead_text(ed)


def test_tier_without_planned_investment(tmp_path):
    zero = [0] * 8
    ed = ed_for(
        tmp_path, overrides={"municipal_key_planned_investment": zero, "municipal_key_completed_investment": zero}
    )
    assert "市级百大项目年度计划投资未填报，暂不计算投资完成率" in sentences.lead_text(ed)
    assert "年度计划投资未填报，暂不计算投资完成率" in tier_text(ed, "municipal_key")


# ------------------------------------------------------------------------- 二、各县区
def test_leaders_and_laggards_are_named(ed):
    text = sentences.signings_text(ed)
    # the demo: 宝清县 226.4 %, 饶河县 159.9 %, 尖山区 157.7 % … 岭东区 39.4 % (red)
    assert text.startswith(
        "从各县区看，完成年度目标比例居前的是宝清县（226.4%）、饶河县（159.9%）、"
        "尖山区（157.7%），居后的是四方台区（40.8%）、岭东区（39.4%）。"
    )
    assert "四方台区、友谊县落后于时序进度10个百分点以内，亮黄灯" in text
    assert "岭东区落后于时序进度10个百分点以上，亮红灯" in text
    assert "达到或快于时序进度，亮绿灯" in text


def test_several_red_regions_in_one_clause(tmp_path):
    amounts = list(DEMO["signed_amount"])
    amounts[6], amounts[7] = 20000, 10000  # 宝清县、饶河县 far behind
    ed = ed_for(tmp_path, overrides={"signed_amount": amounts})
    assert "岭东区、宝清县、饶河县落后于时序进度10个百分点以上，亮红灯" in sentences.signings_text(ed)


def test_one_region_without_target_is_not_ranked(tmp_path):
    targets = list(DEMO["signed_amount_target"])
    targets[0] = None
    ed = ed_for(tmp_path, overrides={"signed_amount_target": targets})
    assert "尖山区未报送年度签约额目标，不参与排名。" in sentences.signings_text(ed)


def test_region_without_signings(tmp_path):
    zeroed = {k: list(DEMO[k]) for k in ("signed_projects", "signed_amount", "online_signed_projects")}
    zeroed["online_signed_amount"] = list(DEMO["online_signed_amount"])
    for values in zeroed.values():
        values[7] = 0
    ed = ed_for(tmp_path, overrides=zeroed)
    assert "饶河县本期尚无省外签约项目。" in sentences.signings_text(ed)
    assert "饶河县本期尚无省外签约项目" in "".join(problems(ed))


def test_the_yellow_margin_of_the_configuration_is_the_one_written(tmp_path):
    """A 5-point margin: 友谊县 at 46.0 % is within 5 points of 50.0 % (yellow), 四方台区
    at 40.8 % is not (red); both sentences name the configured margin."""
    amounts = list(DEMO["signed_amount"])
    amounts[REGIONS.index("友谊县")] = 92000  # 92000 / 200000 = 46.0 %
    base = write_demo_processed(tmp_path / "processed", overrides={"signed_amount": amounts})
    user = tmp_path / "config"
    user.mkdir()
    (user / "rules.yaml").write_text("lights:\n  yellow_margin: 0.05\n", encoding="utf-8")
    # the demo's lights are computed with a 10-point margin: recompute with 5 (as the pipeline would)
    ind = base / PERIOD / "indicators.csv"
    text = ind.read_text(encoding="utf-8").replace("四方台区,signed_light,yellow", "四方台区,signed_light,red")
    ind.write_text(text, encoding="utf-8")
    ed = Edition(load_month(PERIOD, base, config_dir=user))
    signings = sentences.signings_text(ed)
    assert "友谊县落后于时序进度5个百分点以内，亮黄灯" in signings
    assert "岭东区、四方台区落后于时序进度5个百分点以上，亮红灯" in signings
    lag = problems(ed)[0]
    assert (
        "岭东区（39.4%）、四方台区（40.8%）签约额完成年度目标的比例落后于时序进度5个百分点以上（时序进度50.0%）" in lag
    )
    assert "友谊县（46.0%）落后于时序进度5个百分点以内，亮黄灯" in lag


# ------------------------------------------------------------------------- 三、重点项目
def test_tier_paragraph(ed):
    text = tier_text(ed, "provincial_key")
    assert text.startswith(
        "全市省级百大项目47个，已开复工37个，开复工率78.7%；"
        "年度计划投资38.00亿元，累计完成投资4.90亿元，投资完成率12.9%；"
        "已开复工项目中入统34个，入统率91.9%。"
    )
    assert "最高的是" not in text and "最低的是" not in text  # each county's rates: the tier's table; the lowest: 五
    assert text.endswith("尚未开复工的项目8个，见表1。")  # numbered by the Numbers it was given
    assert [sentences.tier_heading(ed, i, t) for i, t in enumerate(TIERS, start=1)] == [
        "（一）省级百大项目",
        "（二）市级百大项目",
        "（三）500万元以上产业项目",
    ]


def test_tier_without_projects_has_no_rate(tmp_path):
    zero = [0] * 8
    names = ("projects", "started", "planned_investment", "completed_investment", "in_statistics")
    ed = ed_for(tmp_path, overrides={f"industrial_{k}": zero for k in names})
    text = sentences.lead_text(ed)
    assert "500万元以上产业项目本期无在库项目" in text and "56.7%" not in text
    assert tier_text(ed, "industrial").startswith("本期全市无500万元以上产业项目")
    assert "500万元以上产业" not in "".join(problems(ed))


def test_tier_without_started_projects(tmp_path):
    zero = [0] * 8
    ed = ed_for(tmp_path, overrides={"municipal_key_started": zero, "municipal_key_in_statistics": zero})
    text = tier_text(ed, "municipal_key")
    assert "已开复工0个，开复工率0.0%" in text and "暂无开复工项目，不计算入统率" in text


# ------------------------------------------------------------------------- 四、存在问题
def test_problems_are_generated_from_the_data(ed):
    paras = problems(ed)
    assert [p[:2] for p in paras] == ["一是", "二是", "三是", "四是", "五是"]
    assert paras[0].startswith(
        "一是部分县区签约进度滞后。岭东区（39.4%）签约额完成年度目标的比例落后于时序进度10个百分点以上（时序进度50.0%），亮红灯"
    )
    assert paras[1].startswith(
        "二是开复工率偏低。500万元以上产业项目开复工率最低，为56.7%。"  # the three rates are in 四 already
        "分县区看，省级百大项目开复工率最低的是友谊县（60.0%），"
    )
    assert "均低于时序进度（50.0%）" in paras[2]
    assert "省级百大项目投资完成率最低的是四方台区（9.0%）" in paras[2]
    assert paras[3].startswith("四是入统率偏低。")
    assert paras[4] == (
        "五是台账数据质量有待提高。本期读取台账数据行22行，退回1行（未计入统计）；"
        "友谊县（警告1条）、宝清县（错误1条）的台账存在待核实问题，已反馈相关县区核实更正。"
    )
    first = sentences.city_problems(ed)[0]
    assert first.lead_in == "一是部分县区签约进度滞后。" and first.style == "problem"


def test_problems_when_all_is_well(tmp_path):
    base = write_demo_processed(tmp_path, overrides={"signed_amount_target": [10000] * 8})
    (base / PERIOD / "quality.csv").write_text(
        "severity,ledger,region,source_file,source_sheet,source_row,field,value,message\n", encoding="utf-8"
    )
    acc = base / PERIOD / "accounting.csv"
    acc.write_text(acc.read_text(encoding="utf-8").replace(",10,3,1", ",11,3,0"), encoding="utf-8")
    paras = problems(edition(base))
    assert not any("签约进度滞后" in p for p in paras)
    assert (
        paras[-1] == "台账数据质量良好。本期读取台账数据行22行，退回0行（未计入统计）；各县区台账均未发现待核实问题。"
    )


# ------------------------------------------------------------------------- English edition
def test_english_sentences(tmp_path):
    ed = ed_for(tmp_path, lang="en", history={"2020-05": earlier_overrides()})
    assert sentences.title_text(ed) == "Shuangyashan: Investment Promotion and Key Projects Bulletin, H1 2020"
    lead = sentences.lead_text(ed)
    assert lead.startswith(
        "In the first half of the year, the city held 70 investment promotion "
        "events, signed 50 out-of-province projects worth CNY 15.033 billion, "
        "107.4% of the annual target"
    )
    for text in (
        lead,
        sentences.trend_text(ed),
        sentences.signings_text(ed),
        *[tier_text(ed, t) for t in TIERS],
        *problems(ed),
    ):
        assert text and not CJK.search(text), text
    assert "Compared with the January–May figures as computed" in sentences.trend_text(ed)
    assert (
        "red light (more than 10 percentage points behind time progress): Lingdong District"
        in sentences.signings_text(ed)
    )
    assert sentences.tier_heading(ed, 1, "provincial_key") == "4.1 Provincial key projects"
