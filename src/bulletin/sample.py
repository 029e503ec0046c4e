"""Deterministic, deliberately messy sample ledgers (台账) of 双鸭山市.

The demo city's raw snapshots for the reporting months 2020-05 and 2020-06, as the
eight county offices would e-mail them. Two steps:

1. ``_build_truth()`` builds the ground-truth records in Python (``random.Random(2020)``,
   a fixed call order, no hash order, no clock): signings, activities, the year's key
   projects with their state at the end of May and of June, and the annual targets.
2. One small renderer per region writes those records into workbooks with that
   region's own layout; ``_render_targets`` writes the city's 目标任务表.

``expected_figures(period)`` computes the SPEC §4 figures from the records of step 1,
never from the workbooks, so it is an independent check of any reader.

Public API::

    write_sample(raw_dir, periods=("2020-05", "2020-06")) -> list[Path]
    expected_figures(period) -> {region or "全市": {indicator_id: value}}

The 2020-06 snapshot gives the article's figures for 全市: 70 activities, 99 online
leads, 50 out-of-province signings worth 1,503,300 万元 (13 online, 404,400 万元),
start rates 37/47, 29/45, 17/30 and investment rates 12.9%, 13.7%, 14.3% for the
provincial key, municipal key and industrial projects, and a city target of 140 亿元
(completion 107.4%, 超额完成). With time progress 0.5 the lights are: green 尖山区,
集贤县, 友谊县, 宝清县, 饶河县; yellow 岭东区 (0.45); red 四方台区 (0.333), 宝山区 (0.30).

The 2020-05 snapshot holds what the counties had at the end of May: signings and
activities dated up to 2020-05-31, the same project list with fewer projects started
and less investment completed, and the same targets.

Rows that a SPEC-following reader must reject (kept out of ``expected_figures``;
two in 2020-06, one in 2020-05):

* 四方台区, signings sheet (2020-06 only): a signing whose 签约时间 is ``六月中旬``
  (a required date that is not a date).
* 尖山区, projects sheet (both months): a provincial key project with a negative
  年度计划投资 (``-3000``).

Rows that look like records but must not count (they are valid records):

* in-province signings (origin 哈尔滨市 / 黑龙江省佳木斯市, or the flag 否 / 省内) in
  尖山区, 岭东区 (an online one), 宝山区, 集贤县, 宝清县, 饶河县;
* 宝清县's signing dated 2020-07-02 (2020-06 snapshot, filled in on 2020-07-03).

Layout map (files under ``<raw_dir>/<period>/``; "6月" becomes "5月" for 2020-05):

========  ==================================================================
region    what it exercises
========  ==================================================================
尖山区    ``尖山区招商台账（6月）.xlsx``; sheets 签约 / 活动 / 项目 + an empty
          ``Sheet4``; title + ``填报单位：… 单位：万元 …`` lines; region column;
          origin → out of province; amounts with cell units (``3000万元``,
          ``1.2亿元``, ``1.5亿``) mixed with plain numbers; Excel date cells;
          合计 and ``其中：不见面招商`` rows, 填报人 note row; all tiers in one
          sheet (项目类别: 省百大项目 / 市百大项目 / 500万元以上产业项目);
          是/否; the negative-planned bad row; an ``注：`` note row.
岭东区    ``岭东区2020年6月份台账.xlsx``; sheets Sheet1 / Sheet2 / 省百大 /
          市百大 / 产业项目; NO region column anywhere: the region comes from
          ``填报单位：岭东区（盖章）  单位：万元 …`` / ``填报单位：岭东区经济合作促进局``
          (titles of the signing and activity sheets name no region; the
          per-tier project titles do); 是否省外 flag (是/否); amounts as text with thousands
          commas (``12,500``); text dates ``2020-05-31`` and ``2020/6/30``; one
          sheet per tier with the tier only in the title
          (``岭东区2020年省百大项目推进情况表``, ``单位：万元`` in the last column
          of the line below); √/×; aliases 签约项目名称,
          投资主体, 产业类别, 签约金额, 活动时间, 招商方式, 项目总投资,
          本年计划投资, 本年累计完成投资, 项目状态, 开复工时间.
四方台区  ``附件2-招商引资工作台账（1-6月）.xlsx`` (no region in the file name:
          region from the title lines); sheets Sheet1 / Sheet2 / Sheet3 + a
          ``填报说明`` sheet of unrelated notes; no region column; ``单位：亿元``
          declared above the header (signings and projects, in the last column
          of the line); text dates ``2020.6.30``; a blank row in the middle; the
          ``六月中旬`` bad row; 项目级别 省级百大项目 / 市级百大项目 /
          500万以上产业项目; 已入统/未入统; aliases 项目, 投资方名称, 来源地,
          签约投资额, 签约形式, 日期, 类型, 城市, 线索数, 计划总投资,
          当年计划投资, 完成投资, 开工情况, 开工日期, 入统情况.
宝山区    ``宝山区6月份招商台账.xlsx``; sheets 签约项目 / 招商活动 / 附表2;
          nothing above the header in the signing and activity sheets;
          ``省内/省外`` column with 省外/省内; ``签约额（万元）``; text dates
          ``2020年6月30日``; Excel serial numbers (plain numbers) as activity
          dates; a two-row project header with merged groups 投资情况 over
          ``2020年计划投资（万元） | 1-6月累计完成投资（万元）`` and 建设进展 over
          ``建设状态 | 开工时间 | 形象进度``; tiers 省百大 / 市百大 /
          500万以上产业项目.
集贤县    sub-folder ``集贤县/`` with one workbook per ledger type; a two-row
          signing header with 签约情况 merged over ``签约时间 | 签约额（亿元） |
          签约方式`` (values in 亿元); text dates ``20200630``; activity dates
          ``6月30日`` (year from the period); region column ``县（区）`` /
          所在县区; 小计 rows after each tier group and a 合计 row.
友谊县    ``友谊县2020年上半年招商引资台账.xlsx`` (2020-05: ``…1-5月…``);
          header in row 1 of the signing and activity sheets; region column
          地区 with the short alias ``友谊``; amounts as full-width text
          (``１２５００``) under ``协议投资额`` with no unit anywhere (the one
          place where the 万元 default, with its warning, applies); Excel date
          cells mixed with serial numbers; an
          unknown chain (数字经济); a blank row in the middle of the activities;
          a blank leads cell; one sheet per tier (附表1/2/3) with the tier in
          the title (省级百大项目 / 市级百大项目 / 500万以上产业项目); one blank
          status (2020-06); completed investment ``—`` and blank.
宝清县    ``宝清县招商台账（6月）.xlsx``; the SPEC title and
          ``填报单位：宝清县（盖章）  单位：万元  填报日期：2020年7月3日``;
          ``省外项目`` flag plus an origin column; Excel date cells alternating
          with text dates ``2020/6/30``; ``备注：`` note row;
          the 2020-07-02 signing; 其中 rows; the project sheet has the region
          cell merged down over all projects and the tier cell merged down over
          each tier group.
饶河县    sub-folder ``饶河县/``, file ``饒河縣招商臺賬（6月）.xlsx``: every text
          (file name, sheet names, headers, values) in traditional characters
          (簽約額, 開復工情況, 是否入統, 饒河縣, 500萬元以上產業項目, 已開工 …);
          ``填報單位：… 單位：萬元 …``; origins including 哈爾濱市.
targets   ``2020年招商引资目标任务表.xlsx``: one sheet, ``县区 | 签约额目标（亿元） |
          签约项目数目标``, two short region aliases (集贤, 饶河), 全市合计 row.
========  ==================================================================

Statuses used: 已开工, 开工建设, 复工, 已复工, 在建, 续建 (started); 未开工, 待开工,
拟开工, 前期手续办理中 (not started); one blank. Origins used (out of province):
广东省深圳市, 北京, 上海市, 江苏苏州, 成都, 香港, 日本, 浙江省杭州市, 山东省青岛市,
天津市, 吉林省长春市, 辽宁省大连市, 江苏省无锡市, 福建省厦门市.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

__all__ = ["write_sample", "expected_figures", "PERIODS", "REGIONS", "TIERS"]

PERIODS = ("2020-05", "2020-06")
REGIONS = ("尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县")
TIERS = ("provincial_key", "municipal_key", "industrial")
CITY = "全市"

YEAR_START = date(2020, 1, 1)
PERIOD_END = {"2020-05": date(2020, 5, 31), "2020-06": date(2020, 6, 30)}
# Records dated up to the cutoff are in that month's ledgers (the June ledgers were
# filled in on 3 July, so a signing of 2 July is in them).
CUTOFF = {"2020-05": date(2020, 5, 31), "2020-06": date(2020, 7, 3)}
REPORT_DATE = {"2020-05": date(2020, 6, 2), "2020-06": date(2020, 7, 3)}
FIXED_TIME = {"2020-05": datetime(2020, 6, 2, 9, 0, 0), "2020-06": datetime(2020, 7, 3, 9, 0, 0)}

# ---------------------------------------------------------------------------------
# Plans: the numbers the article needs, spread over the regions by hand.
# ---------------------------------------------------------------------------------

# region: (out-of-province signings in H1, of which online, amount 万元, online amount 万元)
SIGNING_PLAN = {
    "尖山区": (7, 2, 180_000, 52_000),
    "岭东区": (5, 1, 90_000, 18_000),
    "四方台区": (4, 1, 60_000, 12_000),
    "宝山区": (4, 1, 45_000, 9_000),
    "集贤县": (8, 2, 300_000, 80_000),
    "友谊县": (6, 2, 150_000, 36_000),
    "宝清县": (9, 2, 450_000, 126_000),
    "饶河县": (7, 2, 228_300, 71_400),
}
# region: origin of its in-province signings (not counted), "" = flag only
IN_PROVINCE = {
    "尖山区": "哈尔滨市",
    "岭东区": "黑龙江省佳木斯市",
    "宝山区": "哈尔滨市",
    "集贤县": "黑龙江省佳木斯市",
    "宝清县": "哈尔滨市",
    "饶河县": "哈尔滨市",
}
# region: (annual signed-amount target 亿元, signed-projects target)
TARGETS = {
    "尖山区": (12, 6),
    "岭东区": (20, 8),
    "四方台区": (18, 6),
    "宝山区": (15, 6),
    "集贤县": (15, 8),
    "友谊县": (20, 8),
    "宝清县": (25, 10),
    "饶河县": (15, 8),
}
# region: (activities in H1, of which online, leads of the online ones)
ACTIVITY_PLAN = {
    "尖山区": (10, 3, 14),
    "岭东区": (8, 2, 9),
    "四方台区": (6, 2, 8),
    "宝山区": (6, 2, 7),
    "集贤县": (11, 4, 18),
    "友谊县": (8, 3, 12),
    "宝清县": (12, 4, 19),
    "饶河县": (9, 3, 12),
}
# region: {tier: (projects, started by 30 June)}
PROJECT_PLAN = {
    "尖山区": {"provincial_key": (6, 5), "municipal_key": (6, 4), "industrial": (4, 2)},
    "岭东区": {"provincial_key": (5, 4), "municipal_key": (5, 3), "industrial": (3, 2)},
    "四方台区": {"provincial_key": (4, 3), "municipal_key": (5, 3), "industrial": (3, 1)},
    "宝山区": {"provincial_key": (5, 4), "municipal_key": (5, 3), "industrial": (3, 2)},
    "集贤县": {"provincial_key": (7, 6), "municipal_key": (6, 4), "industrial": (4, 3)},
    "友谊县": {"provincial_key": (6, 4), "municipal_key": (5, 3), "industrial": (4, 2)},
    "宝清县": {"provincial_key": (8, 6), "municipal_key": (7, 5), "industrial": (5, 3)},
    "饶河县": {"provincial_key": (6, 5), "municipal_key": (6, 4), "industrial": (4, 2)},
}
# completed / planned at 30 June, hit to the nearest 万元
INVESTMENT_RATE = {"provincial_key": 0.129, "municipal_key": 0.137, "industrial": 0.143}
PLANNED_RANGE = {"provincial_key": (3000, 60000), "municipal_key": (1000, 25000), "industrial": (600, 8000)}
# Regions whose project amounts are written in 亿元 (2 decimals → multiples of 100 万元).
YI_PROJECT_REGIONS = {"四方台区"}

ONLINE_MODES = ["视频签约", "线上签约", "网上签约", "云签约", "不见面签约", "在线签约"]
OFFLINE_MODES = ["现场签约", "集中签约", "上门签约", "推介会签约"]
ONLINE_KINDS = ["视频连线洽谈", "线上推介会", "云招商", "网上洽谈", "不见面招商", "在线对接会"]
OFFLINE_KINDS = ["外出招商", "小分队招商", "客商来访", "敲门招商", "专班对接", "展会招商"]
OUT_ORIGINS = [
    "广东省深圳市",
    "北京",
    "上海市",
    "江苏苏州",
    "成都",
    "香港",
    "日本",
    "浙江省杭州市",
    "山东省青岛市",
    "天津市",
    "吉林省长春市",
    "辽宁省大连市",
    "江苏省无锡市",
    "福建省厦门市",
]
TRAVEL_PLACES = ["成都", "苏州", "无锡", "深圳", "北京", "上海", "杭州", "广州", "哈尔滨", "本地"]
STARTED_STATUSES = ["已开工", "开工建设", "复工", "已复工", "在建", "续建"]
NOT_STARTED_STATUSES = ["未开工", "待开工", "拟开工", "前期手续办理中"]
# canonical chain: spellings used in the ledgers (short forms included)
CHAINS = {
    "现代煤电化": ["现代煤电化", "煤电化"],
    "粮食和绿色食品深加工": ["绿色食品", "粮食和绿色食品深加工"],
    "石墨及新材料": ["石墨新材料", "石墨及新材料"],
    "生态旅游": ["旅游", "生态旅游"],
    "特色种植": ["特色种植"],
    "医药和汉麻": ["汉麻", "医药和汉麻"],
}
PRODUCTS = {
    "现代煤电化": [
        "煤矸石综合利用",
        "焦炉煤气制甲醇",
        "褐煤蜡提取",
        "腐植酸有机肥制造",
        "煤电化循环经济",
        "生物质热电联产",
        "洗煤厂改造",
    ],
    "粮食和绿色食品深加工": [
        "年产10万吨优质白酒",
        "大米精深加工",
        "大豆蛋白提取",
        "玉米淀粉加工",
        "鲜食玉米加工",
        "生猪养殖屠宰",
        "肉牛养殖",
        "蓝莓深加工",
        "食用菌加工",
    ],
    "石墨及新材料": ["石墨深加工", "石墨烯导热膜", "锂电负极材料", "球形石墨", "高纯石墨"],
    "生态旅游": ["湿地旅游度假区", "森林康养基地", "界江旅游码头", "民宿集群"],
    "特色种植": ["中药材种植基地", "寒地浆果种植", "设施农业大棚", "有机水稻种植"],
    "医药和汉麻": ["汉麻深加工产业园", "汉麻籽油加工", "中药饮片加工", "工业大麻提取"],
    None: [
        "城市道路改造",
        "集中供热管网改造",
        "污水处理厂提标改造",
        "棚户区改造",
        "光伏发电",
        "风电场",
        "冷链物流园",
        "标准化厂房",
    ],
}
BRANDS = [
    "华润",
    "宝能",
    "正威",
    "中健",
    "万里润达",
    "建龙",
    "华丰",
    "德润",
    "岚发",
    "可牛富耕",
    "恒源",
    "瑞丰",
    "金谷",
    "绿源",
    "北方",
    "鑫达",
    "龙盛",
    "天合",
    "丰泽",
    "润禾",
    "嘉禾",
    "森茂",
    "东升",
    "宏图",
    "聚能",
    "中联",
    "盛世",
    "华晟",
    "永泰",
    "富华",
    "新锐",
    "佳禾",
]
COMPANY_SUFFIX = ["有限公司", "集团有限公司", "科技有限公司", "股份有限公司", "实业有限公司"]
LEADERS = {
    "区": ["李区长", "赵副区长", "周区长", "吴副区长", "王书记", "陈副书记"],
    "县": ["刘县长", "张副县长", "孙副县长", "郑副县长", "王书记", "陈副书记"],
}
PROGRESS_STARTED = ["基础施工", "主体施工", "设备安装", "厂房建设", "管网铺设", "装修收尾"]
PROGRESS_WAITING = ["办理前期手续", "土地征收中", "环评审批中", "施工图设计中"]
PROBLEMS = ["资金未到位", "手续办理滞后", "受疫情影响施工人员不足", "无", "—", "用地指标紧张"]

TIER_WORDS = {
    "long": {"provincial_key": "省百大项目", "municipal_key": "市百大项目", "industrial": "500万元以上产业项目"},
    "level": {"provincial_key": "省级百大项目", "municipal_key": "市级百大项目", "industrial": "500万以上产业项目"},
    "short": {"provincial_key": "省百大", "municipal_key": "市百大", "industrial": "500万以上产业项目"},
}


# ---------------------------------------------------------------------------------
# Ground-truth records
# ---------------------------------------------------------------------------------


@dataclass
class Signing:
    region: str
    project: str
    investor: str
    origin: str
    out_of_province: bool
    chain: str | None
    signed_on: date | None
    amount: int  # 万元
    mode: str
    online: bool
    date_text: str | None = None  # written instead of the date (the bad row)
    bad: bool = False

    @property
    def visible_from(self) -> date:
        return self.signed_on or date(2020, 6, 15)


@dataclass
class Activity:
    region: str
    held_on: date
    kind: str
    leader: str
    place: str
    companies: str
    leads: int | None
    online: bool


@dataclass
class ProjectState:
    started: bool
    status: str  # "" = blank cell
    completed: int  # 万元
    in_statistics: bool | None
    progress: str


@dataclass
class Project:
    region: str
    tier: str
    name: str
    chain: str | None
    total_investment: int
    planned: int
    lead: str
    problems: str
    started_on: date | None  # None: not started by 30 June
    states: dict = field(default_factory=dict)  # period -> ProjectState
    bad: bool = False


@dataclass
class Truth:
    signings: list
    activities: list
    projects: list
    targets: dict  # region -> (amount target 万元, projects target)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _split(total: int, n: int, rng: random.Random, step: int, minimum: int) -> list[int]:
    """Split ``total`` into ``n`` random positive parts, each a multiple of ``step``."""
    units, min_units = total // step, minimum // step
    assert units * step == total and units >= n * min_units
    weights = [rng.uniform(0.3, 1.7) for _ in range(n)]
    free = units - n * min_units
    parts = [min_units + int(free * w / sum(weights)) for w in weights]
    order = sorted(range(n), key=lambda i: -weights[i])
    for k in range(units - sum(parts)):
        parts[order[k % n]] += 1
    return [p * step for p in parts]


class _Namer:
    """Unique project and company names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def project(self, chain: str | None) -> str:
        while True:
            name = f"{self.rng.choice(BRANDS)}{self.rng.choice(PRODUCTS[chain])}项目"
            if name not in self.used:
                self.used.add(name)
                return name

    def company(self) -> str:
        return f"{self.rng.choice(BRANDS)}{self.rng.choice(COMPANY_SUFFIX)}"

    def companies(self, k: int) -> str:
        return "、".join(sorted({self.company() for _ in range(k)}))


def _chain_pick(rng: random.Random, with_none: bool = False) -> str | None:
    keys = list(CHAINS) + ([None] if with_none else [])
    return rng.choice(keys)


def _chain_text(rng: random.Random, chain: str | None) -> str | None:
    return None if chain is None else rng.choice(CHAINS[chain])


def _build_signings(rng: random.Random, namer: _Namer) -> list[Signing]:
    out: list[Signing] = []
    for region in REGIONS:
        n, n_on, total, on_total = SIGNING_PLAN[region]
        rows: list[Signing] = []
        amounts = [(a, True) for a in _split(on_total, n_on, rng, 100, 1000)]
        amounts += [(a, False) for a in _split(total - on_total, n - n_on, rng, 100, 1000)]
        for amount, online in amounts:
            chain = _chain_pick(rng)
            if online:
                when = _rand_date(rng, date(2020, 2, 15), date(2020, 5, 20))
            elif rng.random() < 0.25:
                when = _rand_date(rng, date(2020, 1, 6), date(2020, 1, 20))
            else:
                when = _rand_date(rng, date(2020, 4, 15), date(2020, 6, 29))
            rows.append(
                Signing(
                    region=region,
                    project=namer.project(chain),
                    investor=namer.company(),
                    origin=rng.choice(OUT_ORIGINS),
                    out_of_province=True,
                    chain=_chain_text(rng, chain),
                    signed_on=when,
                    amount=amount,
                    mode=rng.choice(ONLINE_MODES if online else OFFLINE_MODES),
                    online=online,
                )
            )
        if region in IN_PROVINCE:
            chain = _chain_pick(rng)
            online = region == "岭东区"
            rows.append(
                Signing(
                    region=region,
                    project=namer.project(chain),
                    investor=namer.company(),
                    origin=IN_PROVINCE[region],
                    out_of_province=False,
                    chain=_chain_text(rng, chain),
                    signed_on=_rand_date(rng, date(2020, 3, 1), date(2020, 6, 20)),
                    amount=rng.randrange(2000, 20000, 100),
                    mode="视频签约" if online else "现场签约",
                    online=online,
                )
            )
        out.extend(rows)
    _pin_signing_dates(out)
    # the bad row (四方台区) and the signing after the period (宝清县)
    out.append(
        Signing(
            region="四方台区",
            project=namer.project("石墨及新材料"),
            investor=namer.company(),
            origin="广东省深圳市",
            out_of_province=True,
            chain="石墨新材料",
            signed_on=None,
            amount=6800,
            mode="现场签约",
            online=False,
            date_text="六月中旬",
            bad=True,
        )
    )
    out.append(
        Signing(
            region="宝清县",
            project=namer.project("现代煤电化"),
            investor=namer.company(),
            origin="北京",
            out_of_province=True,
            chain="煤电化",
            signed_on=date(2020, 7, 2),
            amount=8000,
            mode="现场签约",
            online=False,
        )
    )
    out.sort(key=lambda s: (REGIONS.index(s.region), s.visible_from, s.project))
    return out


def _pin_signing_dates(signings: list[Signing]) -> None:
    """Put a few signings on the period boundaries."""

    def last_offline(region: str) -> Signing:
        return [s for s in signings if s.region == region and not s.online and s.out_of_province][-1]

    last_offline("宝清县").signed_on = date(2020, 6, 30)
    last_offline("岭东区").signed_on = date(2020, 5, 31)
    last_offline("集贤县").signed_on = date(2020, 6, 30)


def _build_activities(rng: random.Random, namer: _Namer) -> list[Activity]:
    out: list[Activity] = []
    for region in REGIONS:
        n, n_on, on_leads = ACTIVITY_PLAN[region]
        leads_on = _split(on_leads, n_on, rng, 1, 1)
        rows = []
        for i in range(n):
            online = i < n_on
            if online:
                when = _rand_date(rng, date(2020, 2, 10), date(2020, 4, 30))
                place, leads = "线上", leads_on[i]
            else:
                if rng.random() < 0.25:
                    when = _rand_date(rng, date(2020, 1, 6), date(2020, 1, 20))
                else:
                    when = _rand_date(rng, date(2020, 4, 20), date(2020, 6, 29))
                place, leads = rng.choice(TRAVEL_PLACES), rng.randint(0, 4)
            rows.append(
                Activity(
                    region=region,
                    held_on=when,
                    kind=rng.choice(ONLINE_KINDS if online else OFFLINE_KINDS),
                    leader=rng.choice(LEADERS[region[-1]]),
                    place=place,
                    companies=namer.companies(rng.randint(1, 3)),
                    leads=leads,
                    online=online,
                )
            )
        rows.sort(key=lambda a: a.held_on)
        out.extend(rows)
    # boundaries and a blank leads cell
    [a for a in out if a.region == "集贤县" and not a.online][-1].held_on = date(2020, 6, 30)
    [a for a in out if a.region == "友谊县" and not a.online][0].leads = None
    out.sort(key=lambda a: (REGIONS.index(a.region), a.held_on))
    return out


def _step(region: str, fine: int) -> int:
    return 100 if region in YI_PROJECT_REGIONS else fine


def _round_to(value: float, step: int) -> int:
    return int(round(value / step)) * step


def _build_projects(rng: random.Random, namer: _Namer) -> list[Project]:
    out: list[Project] = []
    for region in REGIONS:
        for tier in TIERS:
            n, n_started = PROJECT_PLAN[region][tier]
            low, high = PLANNED_RANGE[tier]
            for i in range(n):
                chain = _chain_pick(rng, with_none=tier != "industrial")
                planned = _round_to(rng.uniform(low, high), _step(region, 10))
                started_on = None
                if i < n_started:
                    started_on = (
                        _rand_date(rng, date(2020, 3, 15), date(2020, 5, 31))
                        if rng.random() < 0.7
                        else _rand_date(rng, date(2020, 6, 1), date(2020, 6, 28))
                    )
                out.append(
                    Project(
                        region=region,
                        tier=tier,
                        name=namer.project(chain),
                        chain=_chain_text(rng, chain),
                        total_investment=_round_to(planned * rng.uniform(1.2, 4.0), 100),
                        planned=planned,
                        lead=rng.choice(LEADERS[region[-1]]),
                        problems=rng.choice(PROBLEMS),
                        started_on=started_on,
                    )
                )
    for tier in TIERS:
        _set_completed(rng, [p for p in out if p.tier == tier], INVESTMENT_RATE[tier])
    for p in out:
        _set_states(rng, p)
    _pin_project_quirks(out)
    bad = Project(
        region="尖山区",
        tier="provincial_key",
        name=namer.project("现代煤电化"),
        chain="煤电化",
        total_investment=50000,
        planned=-3000,
        lead="李区长",
        problems="无",
        started_on=None,
        bad=True,
    )
    bad.states = {p: ProjectState(False, "前期手续办理中", 0, None, "办理前期手续") for p in PERIODS}
    out.append(bad)
    return out


def _set_completed(rng: random.Random, projects: list[Project], rate: float) -> None:
    """Give started projects completed investments summing to rate × planned."""
    goal = round(rate * sum(p.planned for p in projects))
    started = [p for p in projects if p.started_on]
    weights = [p.planned * rng.uniform(0.6, 1.4) for p in started]
    done = [_round_to(goal * w / sum(weights), _step(p.region, 1)) for p, w in zip(started, weights)]
    fixable = max((i for i, p in enumerate(started) if p.region not in YI_PROJECT_REGIONS), key=lambda i: done[i])
    done[fixable] += goal - sum(done)
    for p, value in zip(started, done):
        assert 0 < value <= p.planned
        p.states["2020-06"] = ProjectState(True, "", value, None, "")


def _set_states(rng: random.Random, p: Project) -> None:
    """The project's status, completed investment and 入统 at the end of May and June."""
    june = p.states.get("2020-06")
    if june is None:  # not started by 30 June
        status = rng.choice(NOT_STARTED_STATUSES)
        in_stats = rng.choice([False, None])
        state = ProjectState(False, status, 0, in_stats, rng.choice(PROGRESS_WAITING))
        p.states = {"2020-05": state, "2020-06": state}
        return
    june.status = rng.choice(STARTED_STATUSES)
    june.in_statistics = rng.random() < 0.82
    june.progress = rng.choice(PROGRESS_STARTED)
    if p.started_on <= PERIOD_END["2020-05"]:
        may = ProjectState(
            True,
            june.status,
            _round_to(june.completed * rng.uniform(0.55, 0.85), _step(p.region, 1)),
            june.in_statistics and p.started_on <= date(2020, 5, 10),
            rng.choice(PROGRESS_STARTED),
        )
    else:
        may = ProjectState(
            False,
            rng.choice(["拟开工", "前期手续办理中", "未开工"]),
            0,
            rng.choice([False, None]),
            rng.choice(PROGRESS_WAITING),
        )
    p.states["2020-05"] = may


def _pin_project_quirks(projects: list[Project]) -> None:
    """Make sure every tier has a started project outside statistics; one blank status."""
    for tier in TIERS:
        started = [p for p in projects if p.tier == tier and p.started_on]
        if all(p.states["2020-06"].in_statistics for p in started):
            started[len(started) // 2].states["2020-06"].in_statistics = False
            started[len(started) // 2].states["2020-05"].in_statistics = False
    waiting = [p for p in projects if p.region == "友谊县" and not p.started_on]
    june = waiting[0].states["2020-06"]
    waiting[0].states["2020-06"] = ProjectState(False, "", 0, None, june.progress)
    waiting[0].states["2020-05"] = ProjectState(False, "前期手续办理中", 0, None, june.progress)


@lru_cache(maxsize=1)
def _build_truth() -> Truth:
    rng = random.Random(2020)
    namer = _Namer(rng)
    signings = _build_signings(rng, namer)
    activities = _build_activities(rng, namer)
    projects = _build_projects(rng, namer)
    targets = {r: (TARGETS[r][0] * 10000, TARGETS[r][1]) for r in REGIONS}
    return Truth(signings, activities, projects, targets)


# ---------------------------------------------------------------------------------
# Expected figures (from the records, never from the workbooks)
# ---------------------------------------------------------------------------------


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"sample data exists for {PERIODS}, not {period!r}")


def _region_figures(truth: Truth, region: str, period: str) -> dict:
    end = PERIOD_END[period]
    acts = [a for a in truth.activities if a.region == region and YEAR_START <= a.held_on <= end]
    signs = [
        s
        for s in truth.signings
        if s.region == region and not s.bad and s.out_of_province and YEAR_START <= s.signed_on <= end
    ]
    fig: dict[str, float | int] = {
        "activities": len(acts),
        "leads": sum(a.leads or 0 for a in acts),
        "online_activities": sum(1 for a in acts if a.online),
        "online_leads": sum(a.leads or 0 for a in acts if a.online),
        "signed_projects": len(signs),
        "signed_amount": float(sum(s.amount for s in signs)),
        "online_signed_projects": sum(1 for s in signs if s.online),
        "online_signed_amount": float(sum(s.amount for s in signs if s.online)),
        "signed_amount_target": float(truth.targets[region][0]),
        "signed_projects_target": truth.targets[region][1],
    }
    for tier in TIERS:
        projects = [p for p in truth.projects if p.region == region and p.tier == tier and not p.bad]
        states = [p.states[period] for p in projects]
        fig[f"{tier}_projects"] = len(projects)
        fig[f"{tier}_started"] = sum(1 for s in states if s.started)
        fig[f"{tier}_planned_investment"] = float(sum(p.planned for p in projects))
        fig[f"{tier}_completed_investment"] = float(sum(s.completed for s in states))
        fig[f"{tier}_in_statistics"] = sum(1 for s in states if s.started and s.in_statistics)
    return fig


def expected_figures(period: str) -> dict[str, dict[str, float | int]]:
    """SPEC §4 base figures for 全市 and every region, from the ground-truth records.

    Counts are ints, amounts floats in 万元 rounded to 4 decimals. Rates are left to
    the caller (e.g. ``T_started / T_projects``).
    """
    _check_period(period)
    truth = _build_truth()
    regions = {r: _region_figures(truth, r, period) for r in REGIONS}
    city: dict[str, float | int] = {}
    for key in regions[REGIONS[0]]:
        total = sum(regions[r][key] for r in REGIONS)
        city[key] = round(total, 4) if isinstance(total, float) else total
    for fig in regions.values():
        for key, value in fig.items():
            if isinstance(value, float):
                fig[key] = round(value, 4)
    return {CITY: city, **regions}


# ---------------------------------------------------------------------------------
# Cell formats (dates, amounts, yes/no)
# ---------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def d_iso(d: date) -> str:
    return d.isoformat()


def d_slash(d: date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def d_dot(d: date) -> str:
    return f"{d.year}.{d.month}.{d.day}"


def d_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def d_compact(d: date) -> str:
    return d.strftime("%Y%m%d")


def d_month_day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def yi(wan: float) -> float:
    """万元 → 亿元 as a cell number."""
    return round(wan / 10000, 4)


def comma(wan: float) -> str:
    return f"{wan:,.0f}" if float(wan).is_integer() else f"{wan:,}"


def full_width(wan: float) -> str:
    return str(_num(wan)).translate(FULL_WIDTH)


def with_cell_unit(wan: int, i: int) -> Any:
    """Rotate between ``1.2亿元``, ``3000万元``, a plain number and ``1.5亿``."""
    kind = i % 4
    if kind == 0:
        return f"{yi(wan):g}亿元"
    if kind == 1:
        return f"{wan}万元"
    if kind == 2:
        return wan
    return f"{yi(wan):g}亿"


def yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else (yes if value else no)


# ---------------------------------------------------------------------------------
# Sheet building
# ---------------------------------------------------------------------------------

Col = tuple[str, Callable[[int, Any], Any]]


class _Sheet:
    """A worksheet written top to bottom."""

    def __init__(self, wb: Workbook, title: str):
        self.ws = wb.create_sheet(title)
        self.row = 1
        self.width = 1

    def title(self, text: str, width: int) -> None:
        self.ws.cell(self.row, 1, text)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.row += 1

    def line(self, *values: Any) -> None:
        """A line above or below the table; ``None`` leaves a cell empty."""
        for c, v in enumerate(values, 1):
            if v is not None:
                self.ws.cell(self.row, c, v)
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def header(self, names: list[str]) -> int:
        self.width = len(names)
        for c, name in enumerate(names, 1):
            self.ws.cell(self.row, c, name)
        self.row += 1
        return self.row - 1

    def header2(self, columns: list[tuple[str | None, str]]) -> None:
        """Two header rows: grouped columns under a merged group cell, the others
        merged down over both rows."""
        r, c, i = self.row, 1, 0
        while i < len(columns):
            group, name = columns[i]
            if group is None:
                self.ws.cell(r, c, name)
                self.merge(r, c, r + 1, c)
                i, c = i + 1, c + 1
                continue
            j = i
            while j < len(columns) and columns[j][0] == group:
                self.ws.cell(r + 1, c + j - i, columns[j][1])
                j += 1
            self.ws.cell(r, c, group)
            self.merge(r, c, r, c + j - i - 1)
            i, c = j, c + j - i
        self.width = len(columns)
        self.row += 2

    def record(self, values: Iterable[Any]) -> int:
        for c, v in enumerate(values, 1):
            if v is not None and v != "":
                self.ws.cell(self.row, c, v)
        self.row += 1
        return self.row - 1

    def table(self, cols: list[Col], records: list) -> list[int]:
        """Header row, then one row per record."""
        self.header([name for name, _ in cols])
        return [self.record(get(i, rec) for _, get in cols) for i, rec in enumerate(records)]

    def put(self, cols: list[Col], values: dict[str, Any]) -> int:
        """A row with values under the named columns (totals, subtotals)."""
        names = [name for name, _ in cols]
        return self.record(values.get(name) for name in names)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def widths(self, *chars: int) -> None:
        from openpyxl.utils import get_column_letter

        for c, w in enumerate(chars, 1):
            self.ws.column_dimensions[get_column_letter(c)].width = w


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _save(wb: Workbook, path: Path, period: str) -> None:
    """Save with fixed document properties and zip timestamps (byte-identical runs)."""
    when = FIXED_TIME[period]
    wb.properties.creator = "招商引资办公室"
    wb.properties.lastModifiedBy = "招商引资办公室"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # unlike save_workbook, keeps `modified`
    archive.close()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------------
# Per-region layouts
# ---------------------------------------------------------------------------------


@dataclass
class _Ctx:
    period: str
    truth: Truth

    @property
    def month(self) -> int:
        return int(self.period[5:])

    @property
    def span(self) -> str:  # "1-6月"
        return f"1-{self.month}月"

    @property
    def reported(self) -> str:
        return d_cn(REPORT_DATE[self.period])

    def signings(self, region: str) -> list[Signing]:
        return [s for s in self.truth.signings if s.region == region and s.visible_from <= CUTOFF[self.period]]

    def activities(self, region: str) -> list[Activity]:
        return [a for a in self.truth.activities if a.region == region and a.held_on <= CUTOFF[self.period]]

    def projects(self, region: str, tier: str | None = None) -> list[Project]:
        return [p for p in self.truth.projects if p.region == region and (tier is None or p.tier == tier)]

    def state(self, p: Project) -> ProjectState:
        return p.states[self.period]


def _seq(i: int, _rec: Any) -> int:
    return i + 1


def _sum(records: list, get: Callable[[Any], float | None]) -> float:
    return sum(get(r) or 0 for r in records)


def _completed_cell(state: ProjectState, blank: Any = None) -> Any:
    return state.completed if state.started else blank


def _note_row(sheet: _Sheet, who: str = "张三", checker: str = "李四", phone: str = "0469-4600001") -> None:
    sheet.line(f"填报人：{who}    审核人：{checker}    联系电话：{phone}")


# --- 尖山区 ------------------------------------------------------------------------


def _render_jianshan(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "尖山区", _new_workbook()
    signings = ctx.signings(region)
    sh = _Sheet(wb, "签约")
    cols: list[Col] = [
        ("序号", _seq),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: s.signed_on),
        ("签约额", lambda i, s: with_cell_unit(s.amount, i)),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(f"填报单位：{region}（盖章）    单位：万元    填报日期：{ctx.reported}")
    sh.table(cols, signings)
    sh.put(cols, {"序号": "合计", "签约额": _sum(signings, lambda s: s.amount)})
    online = [s for s in signings if s.online]
    sh.put(cols, {"序号": "其中：不见面招商", "签约额": _sum(online, lambda s: s.amount)})
    _note_row(sh)
    sh.widths(6, 30, 24, 14, 10, 14, 12, 12, 12)

    acts = ctx.activities(region)
    sh = _Sheet(wb, "活动")
    cols = [
        ("序号", _seq),
        ("所属县区", lambda i, a: region),
        ("活动日期", lambda i, a: a.held_on),
        ("活动类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("活动地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资活动台账", len(cols))
    sh.table(cols, acts)
    sh.put(cols, {"序号": "合计", "形成合作线索": _sum(acts, lambda a: a.leads)})

    projects = ctx.projects(region)
    projects = projects[:3] + [p for p in projects if p.bad] + [p for p in projects[3:] if not p.bad]
    sh = _Sheet(wb, "项目")
    cols = [
        ("序号", _seq),
        ("项目名称", lambda i, p: p.name),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("所属县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: ctx.state(p).completed),
        ("开复工情况", lambda i, p: ctx.state(p).status),
        ("开工时间", lambda i, p: p.started_on if ctx.state(p).started else None),
        ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目推进情况表", len(cols))
    sh.line(f"填报单位：{region}发展和改革局    单位：万元    填报日期：{ctx.reported}")
    sh.table(cols, projects)
    sh.line("注：投资额单位为万元；开工时间为2020年开（复）工时间。")
    wb.create_sheet("Sheet4")
    return [(f"{region}招商台账（{ctx.month}月）.xlsx", wb)]


# --- 岭东区 ------------------------------------------------------------------------


def _render_lingdong(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "岭东区", _new_workbook()
    unit_line = f"填报单位：{region}（盖章）    单位：万元    填报日期：{ctx.reported}"
    signings = ctx.signings(region)
    sh = _Sheet(wb, "Sheet1")
    cols: list[Col] = [
        ("签约项目名称", lambda i, s: s.project),
        ("投资主体", lambda i, s: s.investor),
        ("是否省外", lambda i, s: yes_no(s.out_of_province, "是", "否")),
        ("产业类别", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_iso(s.signed_on)),
        ("签约金额", lambda i, s: comma(s.amount)),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, signings)
    sh.put(cols, {"签约项目名称": "合计", "签约金额": comma(_sum(signings, lambda s: s.amount))})
    sh.line("审核人：李四")

    acts = ctx.activities(region)
    sh = _Sheet(wb, "Sheet2")
    cols = [
        ("活动时间", lambda i, a: d_slash(a.held_on)),
        ("招商方式", lambda i, a: a.kind),
        ("牵头领导", lambda i, a: a.leader),
        ("目的地", lambda i, a: a.place),
        ("洽谈企业", lambda i, a: a.companies),
        ("合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"2020年{ctx.span}招商活动开展情况", len(cols))
    sh.line(f"填报单位：{region}经济合作促进局")
    sh.table(cols, acts)

    for tier, sheet_name in [("provincial_key", "省百大"), ("municipal_key", "市百大"), ("industrial", "产业项目")]:
        sh = _Sheet(wb, sheet_name)
        cols = [
            ("序号", _seq),
            ("项目名称", lambda i, p: p.name),
            ("所属产业", lambda i, p: p.chain),
            ("项目总投资", lambda i, p: comma(p.total_investment)),
            ("本年计划投资", lambda i, p: comma(p.planned)),
            ("本年累计完成投资", lambda i, p: comma(ctx.state(p).completed)),
            ("项目状态", lambda i, p: ctx.state(p).status),
            ("开复工时间", lambda i, p: d_iso(p.started_on) if ctx.state(p).started else None),
            ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "√", "×")),
            ("责任领导", lambda i, p: p.lead),
            ("进展情况", lambda i, p: ctx.state(p).progress),
            ("存在问题", lambda i, p: p.problems),
        ]
        sh.title(f"{region}2020年{TIER_WORDS['long'][tier]}推进情况表", len(cols))
        sh.line(*([None] * (len(cols) - 1)), "单位：万元")
        projects = ctx.projects(region, tier)
        sh.table(cols, projects)
        sh.put(
            cols,
            {
                "序号": "合计",
                "本年计划投资": comma(_sum(projects, lambda p: p.planned)),
                "本年累计完成投资": comma(_sum(projects, lambda p: ctx.state(p).completed)),
            },
        )
    return [(f"{region}2020年{ctx.month}月份台账.xlsx", wb)]


# --- 四方台区 ----------------------------------------------------------------------


def _render_sifangtai(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "四方台区", _new_workbook()
    signings = ctx.signings(region)
    sh = _Sheet(wb, "Sheet1")
    cols: list[Col] = [
        ("序号", _seq),
        ("项目", lambda i, s: s.project),
        ("投资方名称", lambda i, s: s.investor),
        ("来源地", lambda i, s: s.origin),
        ("所属产业链", lambda i, s: s.chain),
        ("签约时间", lambda i, s: s.date_text or d_dot(s.signed_on)),
        ("签约投资额", lambda i, s: yi(s.amount)),
        ("签约形式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(*([None] * (len(cols) - 1)), "单位：亿元")
    sh.header([name for name, _ in cols])
    half = (len(signings) + 1) // 2
    for i, s in enumerate(signings):
        if i == half:
            sh.blank()
        sh.record(get(i, s) for _, get in cols)
    sh.put(cols, {"序号": "合计", "签约投资额": yi(_sum(signings, lambda s: s.amount))})

    acts = ctx.activities(region)
    sh = _Sheet(wb, "Sheet2")
    cols = [
        ("序号", _seq),
        ("日期", lambda i, a: a.held_on),
        ("类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("城市", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("线索数", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商活动台账", len(cols))
    sh.table(cols, acts)
    _note_row(sh, "王五", "赵六", "0469-4600003")

    sh = _Sheet(wb, "Sheet3")
    cols = [
        ("序号", _seq),
        ("项目级别", lambda i, p: TIER_WORDS["level"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("产业链", lambda i, p: p.chain),
        ("计划总投资", lambda i, p: yi(p.total_investment)),
        ("当年计划投资", lambda i, p: yi(p.planned)),
        ("完成投资", lambda i, p: yi(ctx.state(p).completed)),
        ("开工情况", lambda i, p: ctx.state(p).status),
        ("开工日期", lambda i, p: d_dot(p.started_on) if ctx.state(p).started else None),
        ("入统情况", lambda i, p: yes_no(ctx.state(p).in_statistics, "已入统", "未入统")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目建设台账", len(cols))
    sh.line(f"填报日期：{ctx.reported}", *([None] * (len(cols) - 2)), "单位：亿元")
    sh.header([name for name, _ in cols])
    seq = 0
    for tier in TIERS:
        for p in ctx.projects(region, tier):
            sh.record(get(seq, p) for _, get in cols)
            seq += 1
        if tier != TIERS[-1]:
            sh.blank()
    wb.create_sheet("填报说明")
    notes = wb["填报说明"]
    for r, text in enumerate(
        [
            "填报说明",
            "一、本台账由各县（区）经济合作促进局于每月3日前报送市招商引资工作领导小组办公室。",
            "二、签约项目以正式签订的投资协议为准，框架协议不计入。",
            "三、重点项目按年初确定的项目清单逐项填报，不得增减。",
            "四、如有疑问请联系市经合局综合科。",
        ],
        1,
    ):
        notes.cell(r, 1, text)
    return [(f"附件2-招商引资工作台账（{ctx.span}）.xlsx", wb)]


# --- 宝山区 ------------------------------------------------------------------------


def _render_baoshan(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "宝山区", _new_workbook()
    signings = ctx.signings(region)
    sh = _Sheet(wb, "签约项目")
    cols: list[Col] = [
        ("项目名称", lambda i, s: s.project),
        ("签约单位", lambda i, s: s.investor),
        ("省内/省外", lambda i, s: "省外" if s.out_of_province else "省内"),
        ("县区", lambda i, s: region),
        ("所属产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_cn(s.signed_on)),
        ("签约额（万元）", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.table(cols, signings)
    sh.put(cols, {"项目名称": "合计", "签约额（万元）": _sum(signings, lambda s: s.amount)})

    acts = ctx.activities(region)
    sh = _Sheet(wb, "招商活动")
    cols = [
        ("县区", lambda i, a: region),
        ("日期", lambda i, a: _serial(a.held_on)),
        ("活动形式", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成线索", lambda i, a: a.leads),
    ]
    sh.table(cols, acts)

    sh = _Sheet(wb, "附表2")
    columns: list[tuple[str | None, str, Callable]] = [
        (None, "序号", _seq),
        (None, "项目名称", lambda i, p: p.name),
        (None, "项目类别", lambda i, p: TIER_WORDS["short"][p.tier]),
        (None, "县区", lambda i, p: region),
        (None, "产业链", lambda i, p: p.chain),
        (None, "总投资（万元）", lambda i, p: p.total_investment),
        ("投资情况", "2020年计划投资（万元）", lambda i, p: p.planned),
        ("投资情况", f"{ctx.span}累计完成投资（万元）", lambda i, p: ctx.state(p).completed),
        ("建设进展", "建设状态", lambda i, p: ctx.state(p).status),
        ("建设进展", "开工时间", lambda i, p: p.started_on if ctx.state(p).started else None),
        ("建设进展", "形象进度", lambda i, p: ctx.state(p).progress),
        (None, "是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        (None, "包保领导", lambda i, p: p.lead),
    ]
    sh.title(f"{region}2020年重点项目推进情况", len(columns))
    sh.header2([(g, n) for g, n, _ in columns])
    for i, p in enumerate(ctx.projects(region)):
        sh.record(get(i, p) for _, _, get in columns)
    _note_row(sh, "孙七", "周八", "0469-4600004")
    return [(f"{region}{ctx.month}月份招商台账.xlsx", wb)]


# --- 集贤县 ------------------------------------------------------------------------


def _render_jixian(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, files = "集贤县", []
    unit_line = f"填报单位：{region}经济合作促进局    填报日期：{ctx.reported}"

    wb = _new_workbook()
    signings = ctx.signings(region)
    sh = _Sheet(wb, "签约台账")
    columns: list[tuple[str | None, str, Callable]] = [
        (None, "序号", _seq),
        (None, "签约项目名称", lambda i, s: s.project),
        (None, "投资方名称", lambda i, s: s.investor),
        (None, "投资方来源地", lambda i, s: s.origin),
        (None, "县（区）", lambda i, s: region),
        (None, "所属产业链", lambda i, s: s.chain),
        ("签约情况", "签约时间", lambda i, s: d_compact(s.signed_on)),
        ("签约情况", "签约额（亿元）", lambda i, s: yi(s.amount)),
        ("签约情况", "签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(columns))
    sh.line(unit_line)
    sh.header2([(g, n) for g, n, _ in columns])
    for i, s in enumerate(signings):
        sh.record(get(i, s) for _, _, get in columns)
    sh.record(["合计", None, None, None, None, None, None, yi(_sum(signings, lambda s: s.amount)), None])
    files.append((f"{region}/{region}签约项目台账（{ctx.month}月）.xlsx", wb))

    wb = _new_workbook()
    acts = ctx.activities(region)
    sh = _Sheet(wb, "活动")
    cols: list[Col] = [
        ("序号", _seq),
        ("县（区）", lambda i, a: region),
        ("时间", lambda i, a: d_month_day(a.held_on)),
        ("招商方式", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("活动地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资活动台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, acts)
    sh.put(cols, {"序号": "合计", "形成合作线索": _sum(acts, lambda a: a.leads)})
    _note_row(sh, "吴九", "郑十", "0469-4600005")
    files.append((f"{region}/{region}招商活动台账.xlsx", wb))

    wb = _new_workbook()
    sh = _Sheet(wb, "重点项目")
    cols = [
        ("序号", _seq),
        ("类别", lambda i, p: TIER_WORDS["short"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("所在县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: _completed_cell(ctx.state(p))),
        ("开工情况", lambda i, p: ctx.state(p).status),
        ("开工时间", lambda i, p: d_iso(p.started_on) if ctx.state(p).started else None),
        ("入统情况", lambda i, p: yes_no(ctx.state(p).in_statistics, "已入统", "未入统")),
        ("责任领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目台账", len(cols))
    sh.line(unit_line + "    单位：万元")
    sh.header([name for name, _ in cols])
    seq, everything = 0, []
    for tier in TIERS:
        projects = ctx.projects(region, tier)
        everything += projects
        for p in projects:
            sh.record(get(seq, p) for _, get in cols)
            seq += 1
        sh.put(
            cols,
            {
                "序号": f"{TIER_WORDS['short'][tier]}小计",
                "年度计划投资": _sum(projects, lambda p: p.planned),
                "累计完成投资": _sum(projects, lambda p: ctx.state(p).completed),
            },
        )
    sh.put(
        cols,
        {
            "序号": "合计",
            "年度计划投资": _sum(everything, lambda p: p.planned),
            "累计完成投资": _sum(everything, lambda p: ctx.state(p).completed),
        },
    )
    files.append((f"{region}/{region}重点项目台账（{ctx.month}月）.xlsx", wb))
    return files


# --- 友谊县 ------------------------------------------------------------------------


def _render_youyi(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "友谊县", _new_workbook()
    signings = ctx.signings(region)
    # one signing of an industry that is not one of the city's chains
    odd = next(s for s in signings if s.out_of_province)
    sh = _Sheet(wb, "签约")
    cols: list[Col] = [
        ("签约项目", lambda i, s: s.project),
        ("签约企业", lambda i, s: s.investor),
        ("企业所在地", lambda i, s: s.origin),
        ("地区", lambda i, s: "友谊"),
        ("所属产业", lambda i, s: "数字经济" if s is odd else s.chain),
        ("签约时间", lambda i, s: _serial(s.signed_on) if i % 3 == 1 else s.signed_on),
        ("协议投资额", lambda i, s: full_width(s.amount)),
        ("签约形式", lambda i, s: s.mode),
    ]
    sh.table(cols, signings)

    acts = ctx.activities(region)
    sh = _Sheet(wb, "活动")
    cols = [
        ("地区", lambda i, a: "友谊"),
        ("活动日期", lambda i, a: a.held_on),
        ("活动类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("活动地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成合作线索", lambda i, a: a.leads),
    ]
    sh.header([name for name, _ in cols])
    for i, a in enumerate(acts):
        if i == 2:
            sh.blank()
        sh.record(get(i, a) for _, get in cols)

    for k, tier in enumerate(TIERS, 1):
        sh = _Sheet(wb, f"附表{k}")
        cols = [
            ("项目名称", lambda i, p: p.name),
            ("产业链", lambda i, p: p.chain),
            ("总投资", lambda i, p: p.total_investment),
            ("计划投资", lambda i, p: p.planned),
            ("累计完成投资", lambda i, p: _completed_cell(ctx.state(p), "—" if i % 2 else None)),
            ("开复工情况", lambda i, p: ctx.state(p).status),
            ("开工时间", lambda i, p: p.started_on if ctx.state(p).started else None),
            ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "√", "×")),
            ("包保领导", lambda i, p: p.lead),
            ("存在问题", lambda i, p: p.problems),
        ]
        sh.title(f"{region}2020年{TIER_WORDS['level'][tier]}推进情况表", len(cols))
        sh.line(f"填报单位：{region}发改局    单位：万元")
        sh.table(cols, ctx.projects(region, tier))
    name = "上半年" if ctx.month == 6 else ctx.span
    return [(f"{region}2020年{name}招商引资台账.xlsx", wb)]


# --- 宝清县 ------------------------------------------------------------------------


def _render_baoqing(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "宝清县", _new_workbook()
    signings = ctx.signings(region)
    sh = _Sheet(wb, "招商签约")
    cols: list[Col] = [
        ("序号", _seq),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("省外项目", lambda i, s: yes_no(s.out_of_province, "是", "否")),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_slash(s.signed_on) if i % 2 else s.signed_on),
        ("签约金额", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(f"填报单位：{region}（盖章）  单位：万元  填报日期：{ctx.reported}")
    sh.table(cols, signings)
    sh.put(cols, {"序号": "合计", "签约金额": _sum(signings, lambda s: s.amount)})
    sh.put(
        cols,
        {"序号": "其中：省外项目", "签约金额": _sum([s for s in signings if s.out_of_province], lambda s: s.amount)},
    )
    sh.put(cols, {"序号": "其中：不见面招商", "签约金额": _sum([s for s in signings if s.online], lambda s: s.amount)})
    _note_row(sh, "钱一", "冯二", "0469-4600007")

    acts = ctx.activities(region)
    sh = _Sheet(wb, "招商活动")
    cols = [
        ("序号", _seq),
        ("所属县区", lambda i, a: region),
        ("活动日期", lambda i, a: a.held_on),
        ("活动类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("活动地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资活动台账", len(cols))
    sh.line(f"填报单位：{region}（盖章）  填报日期：{ctx.reported}")
    sh.table(cols, acts)
    sh.line("备注：线索数以双方确认的合作意向为准。")

    sh = _Sheet(wb, "百大及产业项目")
    cols = [
        ("县区", lambda i, p: region),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("序号", _seq),
        ("项目名称", lambda i, p: p.name),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        (f"{ctx.span}累计完成投资", lambda i, p: ctx.state(p).completed),
        ("开复工情况", lambda i, p: ctx.state(p).status),
        ("开工时间", lambda i, p: d_slash(p.started_on) if ctx.state(p).started else None),
        ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
    ]
    sh.title(f"{region}2020年重点项目推进情况表", len(cols))
    sh.line(f"填报单位：{region}（盖章）  单位：万元  填报日期：{ctx.reported}")
    sh.header([name for name, _ in cols])
    first = sh.row
    for tier in TIERS:
        start = sh.row
        for p in ctx.projects(region, tier):
            values = [get(sh.row - first, p) for _, get in cols]
            values[0] = region if sh.row == first else None
            values[1] = TIER_WORDS["long"][tier] if sh.row == start else None
            sh.record(values)
        sh.merge(start, 2, sh.row - 1, 2)
    sh.merge(first, 1, sh.row - 1, 1)
    projects = ctx.projects(region)
    sh.put(
        cols,
        {
            "县区": "合计",
            "年度计划投资": _sum(projects, lambda p: p.planned),
            f"{ctx.span}累计完成投资": _sum(projects, lambda p: ctx.state(p).completed),
        },
    )
    return [(f"{region}招商台账（{ctx.month}月）.xlsx", wb)]


# --- 饶河县 (traditional characters) ----------------------------------------------


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # a project dependency; only needed to write the sample

    return opencc.OpenCC("s2t")


# Variant forms OpenCC picks that a county clerk would not type.
_TRAD_FIXES = {"籤": "簽", "覈": "核", "昇": "升"}


def _to_traditional(text: str) -> str:
    out = _s2t().convert(text)
    for variant, usual in _TRAD_FIXES.items():
        out = out.replace(variant, usual)
    return out


def _render_raohe(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "饶河县", _new_workbook()
    unit_line = f"填报单位：{region}经济合作促进局    单位：万元    填报日期：{ctx.reported}"
    signings = ctx.signings(region)
    sh = _Sheet(wb, "签约")
    cols: list[Col] = [
        ("序号", _seq),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_cn(s.signed_on)),
        ("签约额", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, signings)
    sh.put(cols, {"序号": "合计", "签约额": _sum(signings, lambda s: s.amount)})
    _note_row(sh, "褚三", "卫四", "0469-4600008")

    acts = ctx.activities(region)
    sh = _Sheet(wb, "活动")
    cols = [
        ("序号", _seq),
        ("所属县区", lambda i, a: region),
        ("活动日期", lambda i, a: d_iso(a.held_on)),
        ("活动类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("活动地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资活动台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, acts)

    sh = _Sheet(wb, "项目")
    cols = [
        ("序号", _seq),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("所属县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: _completed_cell(ctx.state(p))),
        ("开复工情况", lambda i, p: ctx.state(p).status),
        ("开工时间", lambda i, p: d_cn(p.started_on) if ctx.state(p).started else None),
        ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目推进情况表", len(cols))
    sh.line(unit_line)
    sh.table(cols, ctx.projects(region))

    for ws in wb.worksheets:
        ws.title = _to_traditional(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _to_traditional(cell.value)
    return [(f"{region}/{_to_traditional(f'{region}招商台账（{ctx.month}月）')}.xlsx", wb)]


# --- 目标任务表 --------------------------------------------------------------------

TARGET_NAMES = {"集贤县": "集贤", "饶河县": "饶河"}  # short aliases in the targets file


def _render_targets(ctx: _Ctx) -> list[tuple[str, Workbook]]:
    wb = _new_workbook()
    sh = _Sheet(wb, "目标任务")
    sh.title("2020年各县（区）招商引资目标任务表", 3)
    sh.header(["县区", "签约额目标（亿元）", "签约项目数目标"])
    for region in REGIONS:
        amount, count = TARGETS[region]
        sh.record([TARGET_NAMES.get(region, region), amount, count])
    sh.record(["全市合计", sum(t[0] for t in TARGETS.values()), sum(t[1] for t in TARGETS.values())])
    sh.line("注：签约额目标为年度预计目标，签约项目仅统计省外项目。")
    return [("2020年招商引资目标任务表.xlsx", wb)]


RENDERERS = (
    _render_jianshan,
    _render_lingdong,
    _render_sifangtai,
    _render_baoshan,
    _render_jixian,
    _render_youyi,
    _render_baoqing,
    _render_raohe,
    _render_targets,
)


def write_sample(raw_dir: Path, periods: Iterable[str] = PERIODS) -> list[Path]:
    """Write the sample snapshots under ``raw_dir/<period>/``; return the files written.

    Existing files of the same names are overwritten; nothing else is touched.
    """
    raw_dir = Path(raw_dir)
    truth = _build_truth()
    written: list[Path] = []
    for period in periods:
        _check_period(period)
        ctx = _Ctx(period, truth)
        for render in RENDERERS:
            for rel, wb in render(ctx):
                path = raw_dir / period / rel
                _save(wb, path, period)
                written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    import sys

    from bulletin.paths import RAW_DIR

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW_DIR
    for written_path in write_sample(target):
        print(written_path)
