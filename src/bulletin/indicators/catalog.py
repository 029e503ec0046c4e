"""Chinese names of the indicator ids of indicators.csv and breakdowns.csv (the data
dictionary, SPEC §4, §7, §9), for tables a statistician makes from the processed data
(``bulletin.load(...).labels``). Money is 万元, rates are fractions, as in the files.

>>> label("signed_amount"), label("provincial_key_start_rate"), label("funds_in_place")
('省外签约额（万元）', '省级百大项目开复工率', '到位资金（万元）')
>>> label("chain"), label("no_such_id")
('产业链', 'no_such_id')
"""

from __future__ import annotations

from bulletin.contract import SUBMITTED_LEDGERS, TIERS

TIER_LABELS = {
    "provincial_key": "省级百大项目",
    "municipal_key": "市级百大项目",
    "industrial": "500万元以上产业项目",
}
_TIER_MEASURES = {
    "projects": "项目数",
    "started": "开复工项目数",
    "start_rate": "开复工率",
    "planned_investment": "年度计划投资（万元）",
    "completed_investment": "累计完成投资（万元）",
    "investment_rate": "投资完成率",
    "in_statistics": "入统项目数",
    "in_statistics_rate": "入统率",
    "new_started": "新开工项目数",
}
_LEDGER_LABELS = {  # the ledgers that carry <ledger>_submitted (targets have no flag: SPEC §7)
    "signings": "签约项目台账",
    "activities": "招商活动台账",
    "projects": "重点项目台账",
}

INDICATOR_LABELS = {
    "activities": "招商引资活动次数",
    "leads": "形成合作线索（条）",
    "online_activities": "不见面招商活动次数",
    "online_leads": "不见面招商形成合作线索（条）",
    "signed_projects": "签约省外项目数",
    "signed_amount": "省外签约额（万元）",
    "online_signed_projects": "不见面签约项目数",
    "online_signed_amount": "不见面签约额（万元）",
    "signed_amount_target": "年度签约额目标（万元）",
    "signed_projects_target": "年度签约项目数目标",
    "signed_amount_completion": "签约额完成年度目标",
    "time_progress": "时序进度",
    "signed_light": "红绿灯",
    "signed_completion_rank": "完成目标排名",
    "large_signed_projects": "亿元以上签约项目数",
    "large_signed_amount": "亿元以上项目签约额（万元）",
    "funds_in_place": "到位资金（万元）",
    "funds_in_place_rate": "资金到位率",
    "funds_in_place_filled": "填报到位资金的签约项目数",
    "funds_in_place_target": "年度到位资金目标（万元）",
    "funds_in_place_completion": "到位资金完成年度目标",
    **{f"{tier}_{m}": TIER_LABELS[tier] + text for tier in TIERS for m, text in _TIER_MEASURES.items()},
    **{f"{ledger}_submitted": f"已报送{_LEDGER_LABELS[ledger]}" for ledger in SUBMITTED_LEDGERS},
}

# breakdowns.csv: the dimensions and the indicators that only occur there
DIMENSION_LABELS = {"chain": "产业链", "origin_area": "来源地区域", "leader": "包保领导"}
BREAKDOWN_LABELS = {"projects": "项目数", "started": "开复工项目数", "start_rate": "开复工率"}

LIGHT_LABELS = {"blue": "蓝灯", "green": "绿灯", "yellow": "黄灯", "orange": "橙灯", "red": "红灯"}

LABELS = {**INDICATOR_LABELS, **DIMENSION_LABELS, **BREAKDOWN_LABELS}


def label(name: str) -> str:
    """The Chinese name of an indicator id or breakdown dimension; the id itself when
    it has none."""
    return LABELS.get(name, name)
