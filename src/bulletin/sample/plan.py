"""The sample city's plan: the numbers the article needs, spread over the regions by
hand, and the words the counties write (modes, kinds, origins, statuses, chains …)."""

from __future__ import annotations

from datetime import date, datetime

from bulletin.contract import TIERS

__all__ = ["PERIODS", "REGIONS", "TIERS"]

PERIODS = ("2020-05", "2020-06")
REGIONS = ("尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县")
YEAR_START = date(2020, 1, 1)
PERIOD_END = {"2020-05": date(2020, 5, 31), "2020-06": date(2020, 6, 30)}
# Records dated up to the cutoff are in that month's ledgers (the June ledgers were
# filled in on 3 July, so a signing of 2 July is in them).
CUTOFF = {"2020-05": date(2020, 5, 31), "2020-06": date(2020, 7, 3)}
REPORT_DATE = {"2020-05": date(2020, 6, 2), "2020-06": date(2020, 7, 3)}
FIXED_TIME = {
    "2019-06": datetime(2019, 7, 3, 9, 0, 0),  # last year's same month (sample/last_year.py)
    "2020-05": datetime(2020, 6, 2, 9, 0, 0),
    "2020-06": datetime(2020, 7, 3, 9, 0, 0),
}

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
# 到位资金: the counties whose signings ledgers carry the column (its header there), the
# share of the signed amount in place (万元, rounded to 100), and 饶河县 leaves one blank.
FUNDS_HEADERS = {"尖山区": "实际到位资金", "宝清县": "到位资金（万元）", "饶河县": "资金到位额"}
FUNDS_SHARES = (0.1, 0.15, 0.2, 0.3, 0.4)

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
