"""The sample city's snapshot of last year's same month, ``2019-06``: what history.csv
needs for the bulletin's 同比 (SPEC §1), so the demo of 2020-06 shows it.

Smaller figures than 2020 (fewer signings, lower amounts, fewer activities, fewer key
projects and starts) and a tidy layout: in 2019 every county used the province's
template, one workbook per county with the sheets 签约 / 活动 / 项目 (a title line, a
``填报单位 … 单位：万元`` line, the header, the records, a 合计 row), and the city's
目标任务表. ``random.Random(2019)``, no clock: the same bytes every time.

The plan (全市): 36 out-of-province signings worth 1,040,000 万元 (104 亿元), 52
activities, the key projects of :data:`PROJECTS` with the starts given there. Nothing
here is read by the 2020 snapshots; the tests compute their expectations from
:data:`SIGNINGS`, :data:`ACTIVITIES` and :data:`PROJECTS` themselves.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from openpyxl import Workbook

from bulletin.contract import TIERS
from bulletin.sample.cells import Sheet, new_workbook
from bulletin.sample.plan import (
    BRANDS,
    CHAINS,
    COMPANY_SUFFIX,
    LEADERS,
    NOT_STARTED_STATUSES,
    OFFLINE_KINDS,
    OFFLINE_MODES,
    OUT_ORIGINS,
    PRODUCTS,
    REGIONS,
    STARTED_STATUSES,
    TIER_WORDS,
    TRAVEL_PLACES,
)

PERIOD = "2019-06"
REPORTED = "2019年7月3日"
# region: (out-of-province signings in H1 2019, amount 万元)
SIGNINGS = {
    "尖山区": (5, 120_000),
    "岭东区": (3, 60_000),
    "四方台区": (3, 40_000),
    "宝山区": (3, 30_000),
    "集贤县": (6, 210_000),
    "友谊县": (4, 100_000),
    "宝清县": (7, 330_000),
    "饶河县": (5, 150_000),
}
ACTIVITIES = {"尖山区": 7, "岭东区": 6, "四方台区": 4, "宝山区": 5, "集贤县": 8, "友谊县": 6, "宝清县": 9, "饶河县": 7}
# region: {tier: (projects, started by 30 June 2019)}
PROJECTS = {
    "尖山区": {"provincial_key": (5, 3), "municipal_key": (5, 3), "industrial": (3, 1)},
    "岭东区": {"provincial_key": (4, 3), "municipal_key": (4, 2), "industrial": (3, 1)},
    "四方台区": {"provincial_key": (4, 2), "municipal_key": (4, 2), "industrial": (2, 1)},
    "宝山区": {"provincial_key": (4, 3), "municipal_key": (4, 2), "industrial": (3, 1)},
    "集贤县": {"provincial_key": (6, 4), "municipal_key": (5, 3), "industrial": (3, 2)},
    "友谊县": {"provincial_key": (5, 3), "municipal_key": (4, 2), "industrial": (3, 1)},
    "宝清县": {"provincial_key": (7, 5), "municipal_key": (6, 4), "industrial": (4, 2)},
    "饶河县": {"provincial_key": (5, 4), "municipal_key": (5, 3), "industrial": (3, 1)},
}
TARGETS = {
    "尖山区": 10,
    "岭东区": 15,
    "四方台区": 15,
    "宝山区": 12,
    "集贤县": 12,
    "友谊县": 15,
    "宝清县": 20,
    "饶河县": 12,
}
PLANNED = {"provincial_key": (3000, 50000), "municipal_key": (1000, 20000), "industrial": (600, 6000)}

SIGN_COLS = [
    "序号",
    "县区",
    "项目名称",
    "投资方",
    "投资方所在地",
    "是否省外",
    "产业链",
    "签约日期",
    "签约额（万元）",
    "签约方式",
]
ACT_COLS = ["序号", "县区", "活动日期", "活动类型", "带队领导", "活动地点", "对接企业", "形成合作线索"]
PROJ_COLS = [
    "序号",
    "县区",
    "项目类别",
    "项目名称",
    "产业链",
    "总投资（万元）",
    "年度计划投资（万元）",
    "累计完成投资（万元）",
    "开复工情况",
    "开工时间",
    "是否入统",
    "包保领导",
]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _amounts(rng: random.Random, n: int, total: int) -> list[int]:
    """``n`` amounts (multiples of 100 万元, at least 1000) adding up to ``total``."""
    free = total // 100 - 10 * n
    cuts = sorted(rng.sample(range(1, free), n - 1))
    return [(b - a + 10) * 100 for a, b in zip([0, *cuts], [*cuts, free])]


def _project(rng: random.Random, chain: str | None, used: set[str]) -> str:
    """A project name not used before in the snapshot (a name twice reads as 重复填报)."""
    while True:
        name = f"{rng.choice(BRANDS)}{rng.choice(PRODUCTS[chain])}项目"
        if name not in used:
            used.add(name)
            return name


def _head(sh: Sheet, region: str, what: str, width: int) -> None:
    sh.title(f"{region}2019年1-6月{what}", width)
    sh.line(f"填报单位：{region}（盖章）  单位：万元  填报日期：{REPORTED}")


def _signings(wb: Workbook, rng: random.Random, region: str, used: set[str]) -> None:
    n, total = SIGNINGS[region]
    sh = Sheet(wb, "签约")
    _head(sh, region, "招商引资签约项目台账", len(SIGN_COLS))
    sh.header(SIGN_COLS)
    amounts = _amounts(rng, n, total)
    for i, amount in enumerate(amounts, 1):
        chain = rng.choice(list(CHAINS))
        investor = f"{rng.choice(BRANDS)}{rng.choice(COMPANY_SUFFIX)}"
        when = _day(rng, date(2019, 1, 8), date(2019, 6, 28))
        row = [i, region, _project(rng, chain, used), investor, rng.choice(OUT_ORIGINS), "是", CHAINS[chain][-1]]
        sh.record([*row, when, amount, rng.choice(OFFLINE_MODES)])
    sh.record(["合计", None, None, None, None, None, None, None, sum(amounts), None])


def _activities(wb: Workbook, rng: random.Random, region: str) -> None:
    sh = Sheet(wb, "活动")
    _head(sh, region, "招商引资活动台账", len(ACT_COLS))
    sh.header(ACT_COLS)
    leaders = LEADERS["县" if region.endswith("县") else "区"]
    for i in range(1, ACTIVITIES[region] + 1):
        companies = "、".join(sorted({f"{rng.choice(BRANDS)}{rng.choice(COMPANY_SUFFIX)}" for _ in range(2)}))
        when = _day(rng, date(2019, 1, 8), date(2019, 6, 28))
        sh.record([i, region, when, rng.choice(OFFLINE_KINDS), rng.choice(leaders), rng.choice(TRAVEL_PLACES),
                   companies, rng.randint(0, 4)])  # fmt: skip


def _projects(wb: Workbook, rng: random.Random, region: str, used: set[str]) -> None:
    sh = Sheet(wb, "项目")
    _head(sh, region, "重点项目推进情况表", len(PROJ_COLS))
    sh.header(PROJ_COLS)
    leaders = LEADERS["县" if region.endswith("县") else "区"]
    i = 0
    for tier in TIERS:
        n, started = PROJECTS[region][tier]
        for k in range(n):
            i += 1
            chain = rng.choice([*CHAINS, None])
            low, high = PLANNED[tier]
            planned = rng.randrange(low, high, 100)
            is_started = k < started
            done = round(planned * rng.uniform(0.08, 0.16)) if is_started else 0
            status = rng.choice(STARTED_STATUSES if is_started else NOT_STARTED_STATUSES)
            on = _day(rng, date(2019, 3, 15), date(2019, 6, 20)) if is_started else None
            in_stat = ("是" if rng.random() < 0.8 else "否") if is_started else "否"
            chain_text = CHAINS[chain][-1] if chain else None
            name = _project(rng, chain, used)
            row = [i, region, TIER_WORDS["long"][tier], name, chain_text, planned * 3, planned, done, status, on]
            sh.record([*row, in_stat, rng.choice(leaders)])


def render(_ctx=None) -> list[tuple[str, Workbook]]:
    """The 2019-06 workbooks: one per county and the city's targets (file name, workbook)."""
    rng, used = random.Random(2019), set()
    out = []
    for region in REGIONS:
        wb = new_workbook()
        _signings(wb, rng, region, used)
        _activities(wb, rng, region)
        _projects(wb, rng, region, used)
        out.append((f"{region}招商台账（2019年6月）.xlsx", wb))
    wb = new_workbook()
    sh = Sheet(wb, "目标任务")
    sh.title("2019年各县（区）招商引资目标任务表", 2)
    sh.header(["县区", "签约额目标（亿元）"])
    for region in REGIONS:
        sh.record([region, TARGETS[region]])
    out.append(("2019年招商引资目标任务表.xlsx", wb))
    return out
