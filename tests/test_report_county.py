"""bulletin.report.county: what a county edition says (its own figures, the city's as
context) — sentences here, the whole edition's model in test_report_build.py."""

from __future__ import annotations

import pytest

from bulletin.contract import TIERS
from bulletin.report import county, sentences
from bulletin.report.document import Numbers
from bulletin.report.tables import findings_table, not_started_table
from report_demo import CJK, DEMO, REGIONS, ed_for, edition, write_demo_processed


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_demo_processed(tmp_path_factory.mktemp("county"))


def test_county_lead_with_its_light_and_rank(base):
    ed = edition(base, region="宝清县")
    assert ed.region == "宝清县" and ed.subject == "宝清县"
    assert sentences.title_text(ed) == "宝清县2020年上半年招商引资和项目建设情况通报"
    # 宝清县: 12 activities, 10 signings, 45.28 亿元 of a 20 亿元 target (226.4 %), the best of 8
    assert county.county_lead_text(ed).startswith(
        "宝清县上半年共开展招商引资活动12次，签约省外招商引资项目10项，签约额45.28亿元，"
        "完成年度目标的226.4%，超额完成年度目标（时序进度50.0%），亮绿灯，在全市8个县区中居第1位。"
        "不见面招商形成合作线索20条，签约项目3个，签约额12.00亿元。"
    )
    assert county.light_rank_clause(ed) == "亮绿灯，在全市8个县区中居第1位"


def test_county_signings_share_completion_and_the_citys_context(base):
    text = county.signings_text(edition(base, region="宝清县"))
    assert text.startswith(
        "宝清县签约省外招商引资项目10项，签约额45.28亿元，占全市签约额的30.1%；"
        "完成年度目标的226.4%，在全市8个县区中居第1位，亮绿灯。"
    )
    assert "全市完成年度目标的107.4%（时序进度50.0%）" in text
    assert "完成年度目标比例居前的是宝清县（226.4%）、饶河县（159.9%）、尖山区（157.7%）" in text


def test_county_tier_paragraph_compares_with_the_city(base):
    ed = edition(base, region="宝清县")
    ns = not_started_table(ed, "provincial_key", Numbers("zh"), region="宝清县")
    tier = county.tier_text(ed, "provincial_key", ns)
    # 宝清县: 7 of 9 started (77.8 %), the city 78.7 %; five regions are higher (83.3, 80, 80, 85.7, 83.3 %)
    assert tier.startswith("宝清县省级百大项目9个，已开复工7个，开复工率77.8%（全市78.7%，居8个县区第6位）")
    assert county.rank_among(ed, "provincial_key_start_rate") == (6, 8)
    assert "尚未开复工的项目1个，见表1" in tier


def test_county_problems_name_the_lag_and_the_rows_to_fix(base):
    ed = edition(base, region="岭东区")  # red: 39.4 % of its target, last of 8
    findings = findings_table(ed, Numbers("zh"))
    paras = sentences.problems_text(county.county_problems(ed, findings))
    assert paras[0] == (
        "一是签约进度滞后。签约额完成年度目标的39.4%，落后于时序进度（50.0%）10.6个百分点，亮红灯，在全市8个县区中居第8位。"
    )
    assert findings is None  # 岭东区 has no finding
    assert paras[-1].startswith("台账数据质量良好。")
    ed = edition(base, region="宝清县")
    findings = findings_table(ed, Numbers("zh"))
    assert findings is not None and findings.number == "表1"
    paras = sentences.problems_text(county.county_problems(ed, findings))
    assert paras[-1].endswith("错误1条，需核实更正的行见表1。")
    below = [p for p in paras if "低于全市水平的有" in p]
    assert below and "省级百大项目（全市78.7%）" in below[0]


def test_county_without_signings(tmp_path):
    projects, amounts = list(DEMO["signed_projects"]), list(DEMO["signed_amount"])
    projects[7], amounts[7] = 0, 0
    ed = ed_for(tmp_path, region="饶河县", overrides={"signed_projects": projects, "signed_amount": amounts})
    assert county.signings_text(ed).startswith("饶河县本期尚无省外签约项目；")
    assert county.lag_problem(ed) == ("签约进度滞后", "本期尚无省外签约项目。")


def test_county_without_target_or_findings(tmp_path):
    target = list(DEMO["signed_amount_target"])
    target[REGIONS.index("饶河县")] = None
    ed = ed_for(tmp_path, region="饶河县", overrides={"signed_amount_target": target})
    lead = county.county_lead_text(ed)
    assert "年度签约额目标未报送" in lead and "居第" not in lead
    assert "未报送年度签约额目标，不参与排名、不亮灯" in county.signings_text(ed)
    assert findings_table(ed, Numbers("zh")) is None
    assert "台账数据质量良好" in "".join(sentences.problems_text(county.county_problems(ed, None)))


def test_county_edition_in_english(base):
    ed = edition(base, lang="en", region="宝清县")
    assert sentences.title_text(ed) == "Baoqing County: Investment Promotion and Key Projects Bulletin, H1 2020"
    lead = county.county_lead_text(ed)
    assert lead.startswith(
        "In the first half of the year, Baoqing County held 12 investment promotion events, signed 10 "
        "out-of-province projects worth CNY 4.528 billion, 226.4% of the annual target"
    )
    assert "ranking 1 of 8 districts and counties" in lead
    texts = [lead, county.signings_text(ed), *[county.tier_text(ed, t) for t in TIERS]]
    texts += sentences.problems_text(county.county_problems(ed, None))
    for text in texts:
        assert text and not CJK.search(text), text
    assert county.edition_line(ed).startswith("This is the Baoqing County edition of the Shuangyashan bulletin")
