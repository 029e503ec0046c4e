"""Chinese names of the indicator ids of indicators.csv and breakdowns.csv (the data
dictionary, SPEC §4, §7, §9), for tables a statistician makes from the processed data
(``bulletin.load(...).labels``). Money is 万元, rates are fractions, as in the files.

>>> label("signed_amount"), label("provincial_key_start_rate"), label("funds_in_place")
('省外签约额（万元）', '省级百大项目开复工率', '到位资金（万元）')
>>> label("chain"), label("no_such_id")
('产业链', 'no_such_id')
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Indicator:
    """An indicator id of indicators.csv: its Chinese name and the ledger type it is
    computed from — a region that did not submit that ledger has it empty (SPEC §7) —
    or ``None`` with the reason it belongs to no submitted ledger."""

    label: str
    ledger: str | None
    why_no_ledger: str = ""


_TARGET = "a target: the city's targets table, not a county's submitted ledger"
INDICATORS: dict[str, Indicator] = {
    "activities": Indicator("招商引资活动次数", "activities"),
    "leads": Indicator("形成合作线索（条）", "activities"),
    "online_activities": Indicator("不见面招商活动次数", "activities"),
    "online_leads": Indicator("不见面招商形成合作线索（条）", "activities"),
    "signed_projects": Indicator("签约省外项目数", "signings"),
    "signed_amount": Indicator("省外签约额（万元）", "signings"),
    "online_signed_projects": Indicator("不见面签约项目数", "signings"),
    "online_signed_amount": Indicator("不见面签约额（万元）", "signings"),
    "signed_amount_target": Indicator("年度签约额目标（万元）", None, _TARGET),
    "signed_projects_target": Indicator("年度签约项目数目标", None, _TARGET),
    "signed_amount_completion": Indicator("签约额完成年度目标", "signings"),
    "time_progress": Indicator("时序进度", None, "the calendar's share of the year, the same for every region"),
    "signed_light": Indicator("红绿灯", "signings"),
    "signed_completion_rank": Indicator("完成目标排名", "signings"),
    "large_signed_projects": Indicator("亿元以上签约项目数", "signings"),
    "large_signed_amount": Indicator("亿元以上项目签约额（万元）", "signings"),
    "funds_in_place": Indicator("到位资金（万元）", "signings"),
    "funds_in_place_rate": Indicator("资金到位率", "signings"),
    "funds_in_place_filled": Indicator("填报到位资金的签约项目数", "signings"),
    "funds_in_place_target": Indicator("年度到位资金目标（万元）", None, _TARGET),
    "funds_in_place_completion": Indicator("到位资金完成年度目标", "signings"),
    **{
        f"{tier}_{m}": Indicator(TIER_LABELS[tier] + text, "projects")
        for tier in TIERS
        for m, text in _TIER_MEASURES.items()
    },
    **{
        f"{ledger}_submitted": Indicator(
            f"已报送{_LEDGER_LABELS[ledger]}", None, "the register's flag of whether the ledger was submitted"
        )
        for ledger in SUBMITTED_LEDGERS
    },
}
INDICATOR_LABELS = {name: indicator.label for name, indicator in INDICATORS.items()}


def indicator_ledger(name: str) -> str | None:
    """The ledger type an indicator is computed from (``None``: targets, time progress,
    the ``_submitted`` flags); an id the catalogue does not declare is a KeyError,
    never a guess (a figure of an undeclared ledger would not be emptied for a region
    that did not submit it).

    >>> indicator_ledger("signed_light"), indicator_ledger("online_leads"), indicator_ledger("industrial_start_rate")
    ('signings', 'activities', 'projects')
    >>> indicator_ledger("signed_amount_target") is None, indicator_ledger("signings_submitted") is None
    (True, True)
    """
    return INDICATORS[name].ledger


# breakdowns.csv: the dimensions and the indicators that only occur there
DIMENSION_LABELS = {"chain": "产业链", "origin_area": "来源地区域", "leader": "包保领导"}
BREAKDOWN_LABELS = {"projects": "项目数", "started": "开复工项目数", "start_rate": "开复工率"}

LIGHT_LABELS = {"blue": "蓝灯", "green": "绿灯", "yellow": "黄灯", "orange": "橙灯", "red": "红灯"}

LABELS = {**INDICATOR_LABELS, **DIMENSION_LABELS, **BREAKDOWN_LABELS}


def label(name: str) -> str:
    """The Chinese name of an indicator id or breakdown dimension; the id itself when
    it has none."""
    return LABELS.get(name, name)
