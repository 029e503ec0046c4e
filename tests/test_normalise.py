"""The value rules of SPEC §3 (6–13) as pure functions, and the header normalisation
of §2. Each rule is also exercised through a workbook in test_ledgers.py."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin.config import load_config
from bulletin.ledgers import normalise as N
from bulletin.ledgers.dates import parse_date
from bulletin.ledgers.status import parse_started
from bulletin.text import header_unit, norm_header, norm_key, norm_text

CFG = load_config()  # the packaged configuration (the tests' office folder is empty)

# ------------------------------------------------------------------ text (rule 13, §2)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("  寶清縣 ", "宝清县"),
        ("１２，５００", "12,500"),
        (None, ""),
        ("\n", ""),
        ("ＡＢＣ", "ABC"),
    ],
)
def test_norm_text(raw, expected):
    assert norm_text(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("签约额（万元）", "签约额"),
        ("签约额(亿元)", "签约额"),
        ("线索数（条）", "线索数"),
        ("企业（家）", "企业"),
        ("项目数（个）", "项目数"),
        ("2020年计划投资", "计划投资"),
        ("1-6月累计完成投资", "累计完成投资"),
        ("1—6月累计完成投资", "累计完成投资"),
        ("1至6月累计完成投资", "累计完成投资"),
        ("2020年1-6月签约额\n（亿元）", "签约额"),
        ("簽 約 日 期", "签约日期"),
        ("項目名稱", "项目名称"),
        # a note in brackets that is not a unit is no part of the name (SPEC §12)
        ("县（区）", "县"),
        ("签约金额（外资已根据汇率转换）", "签约金额"),
        ("总投资额[亿元]", "总投资额"),
        ("签约额〔万元〕", "签约额"),
        ("隶 属", "隶属"),
        ("签约额（其中：不见面）", "签约额(其中:不见面)"),
        ("（备注）", "(备注)"),
    ],
)
def test_norm_header(raw, expected):
    assert norm_header(raw) == expected


def test_every_spec_alias_matches_its_field():
    cfg = load_config()
    spec = {
        "signings": {
            "project": "项目名称 签约项目名称 签约项目 项目",
            "investor": "投资方 投资主体 签约企业 企业名称 投资方名称 签约单位",
            "origin": "投资方所在地 投资方来源地 来源地 客商来源地 企业所在地",
            "out_of_province": "是否省外 省外项目 省内/省外",
            "region": "所属县区 县区 县（区） 所在县区 地区",
            "chain": "产业链 所属产业链 产业类别 所属产业",
            "signed_on": "签约日期 签约时间",
            "amount": "签约额 签约金额 协议投资额 签约投资额",
            "mode": "签约方式 签约形式",
        },
        "activities": {
            "held_on": "活动日期 活动时间 日期 时间",
            "kind": "活动类型 活动形式 招商方式 类型",
            "leader": "带队领导 牵头领导",
            "place": "活动地点 地点 目的地 城市",
            "companies": "对接企业 洽谈企业",
            "leads": "形成合作线索 合作线索 形成线索 线索数",
        },
        "projects": {
            "project": "项目名称",
            "tier": "项目类别 项目级别 类别",
            "total_investment": "总投资 计划总投资 项目总投资",
            "planned_investment": "年度计划投资 本年计划投资 当年计划投资 计划投资 2020年计划投资",
            "completed_investment": "累计完成投资 本年累计完成投资 完成投资 1-6月累计完成投资",
            "status": "开复工情况 开工情况 建设状态 项目状态 是否开复工",
            "started_on": "开工时间 开复工时间 开工日期",
            "in_statistics": "是否入统 入统情况",
            "lead": "包保领导 责任领导",
            "progress": "形象进度 进展情况",
            "problems": "存在问题",
        },
        "targets": {
            "signed_amount_target": "签约额目标 签约额任务 年度签约额目标 签约目标",
            "signed_projects_target": "签约项目数目标 签约项目目标",
        },
    }
    for ledger, fields in spec.items():
        for name, aliases in fields.items():
            for alias in aliases.split():
                assert cfg.header_map[ledger].get(norm_header(alias)) == name, (ledger, alias)


def test_header_unit():
    assert header_unit("签约额（亿元）") == "亿元"
    assert header_unit("签约额(元)") == "元"
    assert header_unit("签约额") is None


# ------------------------------------------------------------------ amounts (rule 6)


@pytest.mark.parametrize(
    "raw,factor,expected",
    [
        ("3000万元", 1, 3000.0),
        ("1.2亿元", 1, 12000.0),
        ("1.2亿", 1, 12000.0),
        ("5000000元", 1, 500.0),
        ("3000万元", 10000, 3000.0),  # a unit in the cell wins over the column's
        (1.5, 10000, 15000.0),
        ("1.5", 10000, 15000.0),
        (15_000_000, 0.0001, 1500.0),
        ("12,500", 1, 12500.0),
        ("１２，５００", 1, 12500.0),
        ("1,234,567.89", 1, 1234567.89),
        ("0.123456", 1, 0.1235),
        ("123456元", 1, 12.3456),
        (0, 1, 0.0),
        ("+5", 1, 5.0),
        (".5亿元", 1, 5000.0),
        ("1.2 亿元", 1, 12000.0),
        ("1.2億元", 1, 12000.0),
    ],
)
def test_parse_amount(raw, factor, expected):
    assert N.parse_amount(raw, factor, CFG) == (expected, None)


@pytest.mark.parametrize(
    "raw,unit",
    [("3000万元", "万元"), ("1.2亿", "亿"), ("5,000,000元", "元"), ("3000", None), (3000, None), ("待定", None)],
)
def test_cell_unit(raw, unit):
    assert N.cell_unit(raw) == unit


@pytest.mark.parametrize("raw", ["—", "-", "/", "无", "", "  ", None, "——", "－", "--", "\\"])
def test_amount_missing_markers(raw):
    assert N.parse_amount(raw, 1.0, CFG) == (None, None)


@pytest.mark.parametrize("raw", ["待定", "约3000", "三千万", "abc", "1.2.3", "1亿2千万"])
def test_amount_text_is_missing_with_warning(raw):
    value, problem = N.parse_amount(raw, 1.0, CFG)
    assert value is None and (problem.severity, problem.code) == ("warning", "amount.text")
    assert raw in problem.message  # the county's own text is quoted


@pytest.mark.parametrize("raw", [-5, -0.01, "-5", "-3000万元", "－１．２亿元"])
def test_negative_amount_is_error(raw):
    value, problem = N.parse_amount(raw, 1.0, CFG)
    assert value is None and (problem.severity, problem.code) == ("error", "amount.negative")


def test_amount_bool_and_nan():
    assert N.parse_amount(True, 1.0, CFG)[1].severity == "error"
    assert N.parse_amount(float("nan"), 1.0, CFG)[0] is None


@pytest.mark.parametrize("raw,expected", [("12条", 12), (3.0, 3), ("3", 3), ("１２", 12), (None, None), ("—", None)])
def test_parse_count(raw, expected):
    assert N.parse_count(raw, CFG) == (expected, None)


@pytest.mark.parametrize("raw", ["若干", 2.5, -1])
def test_bad_count_is_warning(raw):
    value, problem = N.parse_count(raw, CFG)
    assert value is None and problem.severity == "warning"


# ------------------------------------------------------------------ dates (rule 7)


@pytest.mark.parametrize(
    "raw,expected",
    [
        (dt.datetime(2020, 6, 30, 14, 5), dt.date(2020, 6, 30)),
        (dt.date(2020, 6, 30), dt.date(2020, 6, 30)),
        (43982, dt.date(2020, 5, 31)),
        (43982.75, dt.date(2020, 5, 31)),
        ("43982", dt.date(2020, 5, 31)),
        (32874, dt.date(1990, 1, 1)),
        ("2020-06-30", dt.date(2020, 6, 30)),
        ("2020/6/30", dt.date(2020, 6, 30)),
        ("2020.6.30", dt.date(2020, 6, 30)),
        ("2020年6月30日", dt.date(2020, 6, 30)),
        ("2020年6月30号", dt.date(2020, 6, 30)),
        ("20200630", dt.date(2020, 6, 30)),
        (20200630, dt.date(2020, 6, 30)),
        ("6月30日", dt.date(2020, 6, 30)),
        ("６月３０日", dt.date(2020, 6, 30)),
        ("2020—6—30", dt.date(2020, 6, 30)),
        ("2020-06-30 00:00:00", dt.date(2020, 6, 30)),
        ("2020-06-30T08:00", dt.date(2020, 6, 30)),
        (" 2020.06.30 ", dt.date(2020, 6, 30)),
        ("2020年06月30日 10:00", dt.date(2020, 6, 30)),  # a time of day after the date
        ("2020/6/30 9:05:01", dt.date(2020, 6, 30)),
        ("2020.6.30.", dt.date(2020, 6, 30)),  # a full stop after it
        ("2020年6月30日。", dt.date(2020, 6, 30)),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw, 2020, CFG) == (expected, None)


def test_month_day_year_from_period():
    assert parse_date("2月29日", 2020, CFG) == (dt.date(2020, 2, 29), None)
    assert parse_date("2月29日", 2021, CFG)[1].severity == "error"


@pytest.mark.parametrize(
    "raw",
    [
        "六月中旬",
        "2020-13-01",
        "2020-02-30",
        "6月31日",
        "2020年6月",
        "0630",
        "2020-6",
        "上半年",
        100,
        32873,
        3000000,
        "19000101",
        "30/06/2020",
        "2020/06/30/1",
        "2020年6月3010:00",  # a time needs the 日 before it
        "2020.6.30..",
    ],
)
def test_bad_date_is_error_with_value(raw):
    value, problem = parse_date(raw, 2020, CFG)
    assert value is None and (problem.severity, problem.code) == ("error", "date.invalid")
    assert str(raw).strip() in problem.message  # the county's own text is quoted


def test_blank_date():
    assert parse_date(None, 2020, CFG) == (None, None)
    assert parse_date("  ", 2020, CFG) == (None, None)


# ------------------------------------------------------------------ yes/no (rule 8)


@pytest.mark.parametrize("raw", ["是", "√", "✓", "已入统", "Y", "y", "1", 1, 1.0, True, " 是 "])
def test_yes(raw):
    assert N.parse_yesno(raw, CFG) == (True, None)


@pytest.mark.parametrize("raw", ["否", "×", "未入统", "N", "n", "0", 0, 0.0, False, "Ｎ"])
def test_no(raw):
    assert N.parse_yesno(raw, CFG) == (False, None)


def test_yesno_blank_and_unknown():
    assert N.parse_yesno(None, CFG) == (None, None)
    value, problem = N.parse_yesno("也许", CFG)
    assert value is None and (problem.severity, problem.code) == ("warning", "yesno.invalid")


# ------------------------------------------------------------------ status (rule 9)


@pytest.mark.parametrize(
    "raw",
    [
        "开工",
        "已开工",
        "复工",
        "已复工",
        "在建",
        "续建",
        "竣工",
        "已竣工",
        "投产",
        "已投产",
        "建成",
        "建成投产",
        "续建（已复工）",
        "新开工",
        "是",
        "√",
        1,
        "1",
    ],
)
def test_started(raw):
    assert parse_started(raw, CFG) == (True, None)


@pytest.mark.parametrize(
    "raw",
    [
        "未开工",
        "待开工",
        "拟开工",
        "前期",
        "前期手续办理中",
        "未复工",
        "拟于7月开工",
        "停工",
        "规划设计",
        "否",
        "待建",
        "×",
        0,
    ],
)
def test_not_started(raw):
    assert parse_started(raw, CFG) == (False, None)


def test_blank_status_is_not_started_with_warning():
    value, problem = parse_started(None, CFG)
    assert value is False and problem.severity == "warning"
    assert parse_started("  ", CFG)[1].severity == "warning"


# ------------------------------------------------------------------ online (rule 10)


@pytest.mark.parametrize("raw", ["在线签约", "线上", "网上签约", "云签约", "视频连线", "不见面", "云招商", "線上簽約"])
def test_online(raw):
    assert N.is_online(raw, CFG) is True


@pytest.mark.parametrize("raw", ["现场签约", "集中签约", None, "", "外出招商", "赴云南招商", "云浮考察"])
def test_in_person(raw):
    assert N.is_online(raw, CFG) is False


# ------------------------------------------------------------------ out of province (rule 11)

PROVINCE_LEVEL = [
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
]
CAPITALS = [
    "石家庄",
    "太原",
    "呼和浩特",
    "沈阳",
    "长春",
    "南京",
    "杭州",
    "合肥",
    "福州",
    "南昌",
    "济南",
    "郑州",
    "武汉",
    "长沙",
    "广州",
    "南宁",
    "海口",
    "成都",
    "贵阳",
    "昆明",
    "拉萨",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "台北",
]
HOME = [
    "黑龙江省",
    "黑龙江",
    "哈尔滨",
    "哈尔滨市",
    "齐齐哈尔",
    "牡丹江",
    "佳木斯",
    "大庆",
    "鸡西",
    "双鸭山",
    "伊春",
    "七台河",
    "鹤岗",
    "黑河",
    "绥化",
    "大兴安岭",
    "黑龙江省双鸭山市宝清县",
    "宝山区",
    "本市",
]


def test_34_province_level_names_are_known():
    assert len(PROVINCE_LEVEL) + 1 == 34  # + 黑龙江 (home)


@pytest.mark.parametrize(
    "origin",
    PROVINCE_LEVEL + [p[:2] for p in PROVINCE_LEVEL] + ["香港", "澳门", "台湾", "臺灣", "廣東省深圳市", "上海市宝山区"],
)
def test_other_provinces_are_out(origin):
    assert N.origin_out_of_province(origin, CFG) == (True, None)


@pytest.mark.parametrize("origin", CAPITALS + [c + "市" for c in CAPITALS])
def test_capitals_are_out(origin):
    assert N.origin_out_of_province(origin, CFG) == (True, None)


@pytest.mark.parametrize(
    "origin",
    [
        "日本",
        "韩国",
        "俄罗斯",
        "俄罗斯联邦",
        "美国",
        "美国纽约",
        "德国",
        "新加坡",
        "加拿大",
        "英国伦敦",
        "澳大利亚",
        "蒙古国",
    ],
)
def test_foreign_countries_are_out(origin):
    assert N.origin_out_of_province(origin, CFG) == (True, None)


@pytest.mark.parametrize("origin", HOME)
def test_home_province_is_in(origin):
    assert N.origin_out_of_province(origin, CFG) == (False, None)


@pytest.mark.parametrize("origin", [None, "", "某地", "不详"])
def test_unknown_origin_is_in_with_warning(origin):
    value, problem = N.origin_out_of_province(origin, CFG)
    assert value is False and problem.severity == "warning"


@pytest.mark.parametrize(
    "flag,origin,expected",
    [
        ("是", "哈尔滨", True),
        ("否", "北京", False),
        ("省外", None, True),
        ("省内", "上海", False),
        ("√", None, True),
        (None, "上海", True),
        (None, "哈尔滨", False),
    ],
)
def test_flag_column_wins(flag, origin, expected):
    assert N.parse_out_of_province(flag, origin, True, CFG)[0] is expected


def test_unreadable_flag_falls_back_to_origin_with_warning():
    value, problem = N.parse_out_of_province("待核实", "北京", True, CFG)
    assert value is True and (problem.severity, problem.code) == ("warning", "out_of_province.invalid")


# ------------------------------------------------------------------ chains (rule 12)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("煤电化", "现代煤电化"),
        ("现代煤电化", "现代煤电化"),
        ("绿色食品", "粮食和绿色食品深加工"),
        ("石墨新材料", "石墨及新材料"),
        ("旅游", "生态旅游"),
        ("汉麻", "医药和汉麻"),
        ("漢麻", "医药和汉麻"),
        ("机器人", "其他"),
        ("其他", "其他"),
    ],
)
def test_match_chain(raw, expected):
    assert N.match_chain(raw, CFG) == expected


def test_blank_chain():
    assert N.match_chain(None, CFG) is None


# ------------------------------------------------------------------ tier, region, unit line


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("省百大", "provincial_key"),
        ("省级百大", "provincial_key"),
        ("省级百大项目", "provincial_key"),
        ("市百大", "municipal_key"),
        ("市级百大项目", "municipal_key"),
        ("500万元以上产业项目", "industrial"),
        ("500万以上产业项目", "industrial"),
        ("岭东区2020年省百大项目推进情况表", "provincial_key"),
        ("某某", None),
        (None, None),
    ],
)
def test_match_tier(raw, expected):
    assert N.match_tier(raw, CFG) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("宝清", "宝清县"),
        ("宝清县", "宝清县"),
        ("寶清縣", "宝清县"),
        ("尖山区", "尖山区"),
        ("四方臺區", "四方台区"),
        ("全市", "双鸭山市"),
        ("某县", None),
    ],
)
def test_match_region(raw, expected):
    assert N.match_region(raw, CFG) == expected


def test_every_registry_region_matches_itself_and_short_form():
    cfg = load_config()
    for name in cfg.region_names:
        assert N.match_region(name, CFG) == name
        assert N.find_region(f"填报单位：{name}（盖章）", CFG) == name


@pytest.mark.parametrize(
    "text,expected",
    [
        ("填报单位：宝清县（盖章）  单位：亿元  填报日期：2020年7月3日", "亿元"),
        ("单位：万元", "万元"),
        ("单位:元", "元"),
        ("金额单位：亿元", "亿元"),
        ("填报单位：宝清县", None),
        ("单位名称：宝清县", None),
    ],
)
def test_find_unit(text, expected):
    assert N.find_unit(text) == expected


def test_norm_key():
    assert norm_key(" 签约 日期\n") == "签约日期"


def test_a_users_config_folder_extends_chains_and_places(tmp_path):
    """Aliases added in --config-dir reach the chain and origin rules (not only the
    packaged defaults)."""
    (tmp_path / "chains.yaml").write_text("chains:\n  - name: 现代煤电化\n    aliases: [数字经济]\n", encoding="utf-8")
    (tmp_path / "places.yaml").write_text("countries: [瓦坎达]\n", encoding="utf-8")
    user = load_config(str(tmp_path))
    assert N.match_chain("数字经济", CFG) == "其他"
    assert N.match_chain("数字经济", user) == "现代煤电化"
    assert N.origin_out_of_province("瓦坎达", CFG)[0] is False
    assert N.origin_out_of_province("瓦坎达", user) == (True, None)
