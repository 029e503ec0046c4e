"""SPEC §9: breakdowns.csv (chain, origin area, 包保领导), 亿元以上 signings and funds in
place — hand-computed on workbooks built here, read by the real cleaning stage; and on
generated snapshots (the sample city, bench/synth.py) the sum over keys of every
dimension equals the headline figure of indicators.csv for every region."""

from __future__ import annotations

import doctest
import importlib.util

import pandas as pd
import pytest

from bulletin import paths, sample
from bulletin.config import load_config
from bulletin.contract import BREAKDOWN_COLUMNS, CITY, TIERS, funds_status
from bulletin.indicators import catalog
from bulletin.indicators import compute_breakdowns as B
from bulletin.indicators.compute import compute
from bulletin.indicators.compute_breakdowns import breakdown_table, breakdowns, origin_area
from bulletin.store import indicator_table, read_indicators
from conftest import PERIOD, Sheet, read, write_xlsx

CHAINS = ["现代煤电化", "粮食和绿色食品深加工", "石墨及新材料", "生态旅游", "特色种植", "医药和汉麻"]
AREAS = ["长三角", "珠三角", "京津冀", "港澳台", "东北地区", "境外", "其他地区"]

SIGN = ["序号", "项目名称", "投资方所在地", "产业链", "签约日期", "签约额（万元）", "实际到位资金（万元）", "签约方式"]
SIGN_FLAG = ["序号", "项目名称", "是否省外", "投资方所在地", "所属产业", "签约时间", "签约金额（万元）"]
PROJ = ["序号", "项目名称", "项目类别", "年度计划投资（万元）", "开复工情况", "包保领导"]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """宝清县 with a 到位资金 column, 饶河县 without; key projects with leaders."""
    raw = tmp_path_factory.mktemp("raw") / PERIOD
    write_xlsx(
        raw / "宝清县台账.xlsx",
        Sheet(
            [
                ["宝清县2020年招商引资签约项目台账"],
                SIGN,
                [1, "甲", "上海市浦东新区", "煤电化", "2020-03-01", 20000, 5000, "现场签约"],
                [2, "乙", "廣東省深圳市", "旅游", "2020-05-01", 8000, None, "视频签约"],
                [3, "丙", "哈尔滨市", "旅游", "2020-04-01", 9000, 100, "现场签约"],  # in province
                [4, "丁", "日本", "机器人", "2020-06-30", "1.2亿元", "—", "现场签约"],  # 其他 chain
                [5, "戊", "北京", "石墨", "2020-07-02", 30000, 30000, "现场签约"],  # after the period
                [6, "己", "四川成都", None, "2020-02-01", 3000, 0, "现场签约"],  # blank chain
                ["合计", None, None, None, None, None, None, None],
            ],
            title="签约",
        ),
        Sheet(
            [
                ["宝清县2020年重点项目推进情况表"],
                PROJ,
                [1, "P1", "省百大", 1000, "已开工", "张  三"],
                [2, "P2", "市百大", 1000, "未开工", "張三"],
                [3, "P3", "500万元以上产业项目", 1000, "在建", None],
                [4, "P4", "省百大", 1000, "前期", "李四"],
            ],
            title="项目",
        ),
    )
    write_xlsx(
        raw / "饶河县台账.xlsx",
        Sheet(
            [
                ["饶河县签约项目台账"],
                SIGN_FLAG,
                [1, "庚", "是", None, "绿色食品", "2020-04-10", 15000],  # 省外 by the flag, no origin
                [2, "辛", "是", "吉林长春", "汉麻", "2020-05-10", 2500],
                [3, "壬", "否", "佳木斯", "汉麻", "2020-05-11", 7000],
            ],
            title="签约",
        ),
        Sheet(
            [
                ["饶河县2020年重点项目推进情况表"],
                PROJ,
                [1, "P5", "省百大", 1000, "复工", "李四"],
                [2, "P6", "市百大", 1000, "", "张三"],
            ],
            title="项目",
        ),
    )
    res = read(raw.parent / PERIOD)
    tables = res.tables
    indicators = compute(tables, PERIOD, load_config())
    return tables, indicators, breakdowns(tables, PERIOD, load_config(), indicators=indicators)


def value(long, region, dimension, key, indicator):
    hit = long[
        (long.region == region) & (long.dimension == dimension) & (long.key == key) & (long.indicator == indicator)
    ]
    assert len(hit) == 1, (region, dimension, key, indicator, len(hit))
    return hit["value"].item()


def test_doctests():
    assert doctest.testmod(B).failed == 0
    assert doctest.testmod(catalog).failed == 0


def test_funds_in_place_is_read_in_wan_yuan(month):
    tables, _, _ = month
    s = tables["signings"].set_index("project")
    assert s.loc["甲", "funds_in_place"] == 5000 and s.loc["己", "funds_in_place"] == 0
    assert pd.isna(s.loc["乙", "funds_in_place"]) and pd.isna(s.loc["丁", "funds_in_place"])  # blank, —
    assert s["funds_in_place"].isna()[["庚", "辛", "壬"]].all()  # 饶河县's ledger has no such column


def test_chain_breakdown_by_hand(month):
    _, _, long = month
    # 宝清县 counts 甲 (煤电化 20000), 乙 (旅游 8000), 丁 (机器人 → 其他, 12000), 己 (blank → 其他, 3000)
    assert value(long, "宝清县", "chain", "现代煤电化", "signed_amount") == "20000"
    assert value(long, "宝清县", "chain", "生态旅游", "signed_projects") == "1"
    assert value(long, "宝清县", "chain", "其他", "signed_projects") == "2"
    assert value(long, "宝清县", "chain", "其他", "signed_amount") == "15000"
    assert value(long, "宝清县", "chain", "特色种植", "signed_projects") == "0"  # no signing yet: 0, listed
    # 饶河县 counts 庚 (绿色食品 15000) and 辛 (汉麻 2500); 壬 is in province
    assert value(long, "饶河县", "chain", "粮食和绿色食品深加工", "signed_amount") == "15000"
    assert value(long, "饶河县", "chain", "医药和汉麻", "signed_projects") == "1"
    assert value(long, CITY, "chain", "其他", "signed_amount") == "15000"
    keys = list(breakdown_table(long, "chain", CITY)["key"])
    assert keys == [*CHAINS, "其他"]
    # a region without any ledger still lists every chain, empty: it did not submit (SPEC §7)
    assert value(long, "尖山区", "chain", "石墨及新材料", "signed_projects") == ""


def test_origin_area_breakdown_by_hand(month):
    _, _, long = month
    assert value(long, "宝清县", "origin_area", "长三角", "signed_amount") == "20000"
    assert value(long, "宝清县", "origin_area", "珠三角", "signed_amount") == "8000"
    assert value(long, "宝清县", "origin_area", "境外", "signed_amount") == "12000"
    assert value(long, "宝清县", "origin_area", "其他地区", "signed_amount") == "3000"
    assert value(long, "宝清县", "origin_area", "京津冀", "signed_projects") == "0"  # 北京's is after the period
    assert value(long, "饶河县", "origin_area", "东北地区", "signed_amount") == "2500"
    assert value(long, "饶河县", "origin_area", "来源地不详", "signed_amount") == "15000"
    city = breakdown_table(long, "origin_area", CITY)
    assert list(city["key"]) == [*AREAS, "来源地不详"]
    # 来源地不详 is listed only where it occurs
    assert "来源地不详" not in set(breakdown_table(long, "origin_area", "宝清县")["key"])


def test_leader_breakdown_by_hand(month):
    _, _, long = month
    t = breakdown_table(long, "leader", "宝清县").set_index("key").drop(columns="region")
    # 张  三 and 張三 are one leader; P3 has none; 李四's P4 has not started
    assert list(t.index) == ["张三", "李四", "未明确包保领导"]
    assert t.loc["张三"].tolist() == [2, 1, 0.5]
    assert t.loc["李四"].tolist() == [1, 0, 0]
    assert t.loc["未明确包保领导"].tolist() == [1, 1, 1]
    city = breakdown_table(long, "leader", CITY).set_index("key").drop(columns="region")
    assert city.loc["张三"].tolist() == [3, 1, pytest.approx(1 / 3)]  # P6's blank status: not started
    assert city.loc["李四"].tolist() == [2, 1, 0.5]
    assert breakdown_table(long, "leader", "尖山区").empty  # no projects: no leader rows


def test_large_signings_and_funds_in_place_by_hand(month):
    _, indicators, _ = month
    w = indicator_table(indicators)
    # ≥ 10,000 万元: 甲 20000, 丁 12000 (宝清县); 庚 15000 (饶河县)
    assert w.loc["宝清县", "large_signed_projects"] == 2 and w.loc["宝清县", "large_signed_amount"] == 32000
    assert w.loc[CITY, "large_signed_projects"] == 3 and w.loc[CITY, "large_signed_amount"] == 47000
    # funds: 甲 5000 and 己 0 filled (乙 blank, 丁 —); 饶河县 has no column: empty, never 0
    assert w.loc["宝清县", "funds_in_place"] == 5000 and w.loc["宝清县", "funds_in_place_filled"] == 2
    assert w.loc["宝清县", "funds_in_place_rate"] == pytest.approx(5000 / 43000)
    assert pd.isna(w.loc["饶河县", "funds_in_place"]) and pd.isna(w.loc["饶河县", "funds_in_place_rate"])
    assert w.loc["饶河县", "funds_in_place_filled"] == 0 and w.loc["饶河县", "signed_projects"] == 2
    assert w.loc[CITY, "funds_in_place"] == 5000 and w.loc[CITY, "funds_in_place_filled"] == 2
    assert w.loc[CITY, "funds_in_place_rate"] == pytest.approx(5000 / 60500)
    assert pd.isna(w.loc["尖山区", "funds_in_place"])


def test_no_funds_column_anywhere_is_empty_never_zero(month):
    tables, _, _ = month
    tables = {**tables, "signings": tables["signings"].assign(funds_in_place=None)}
    long = compute(tables, PERIOD, load_config())
    assert set(long.loc[long.indicator.isin(["funds_in_place", "funds_in_place_rate"]), "value"]) == {""}


def test_a_region_with_an_empty_headline_has_empty_breakdowns(month):
    """A region that did not submit a ledger (SPEC §7) has empty indicators: its
    breakdowns are empty too, never 0."""
    tables, indicators, _ = month
    ind = indicators.copy()
    ind.loc[(ind.region == "尖山区") & ind.indicator.str.startswith("signed_"), "value"] = ""
    ind.loc[(ind.region == "宝清县") & ind.indicator.str.endswith("_projects"), "value"] = ""
    long = breakdowns(tables, PERIOD, load_config(), indicators=ind)
    rows = long[long.region == "尖山区"]
    assert set(rows.dimension) == {"chain", "origin_area"} and set(rows.value) == {""}
    assert set(long[(long.region == "宝清县") & (long.dimension == "leader")].value) == {""}
    assert "" not in set(long[(long.region == "饶河县")].value)


def test_origin_areas():
    cases = {
        "上海市宝山区": "长三角",  # 宝山 is also a district of the home city: the province wins
        "安徽合肥": "长三角",
        "长三角": "长三角",
        "天津": "京津冀",
        "河北省廊坊市": "京津冀",
        "澳门": "港澳台",
        "台湾台北": "港澳台",
        "辽宁沈阳": "东北地区",
        "美国纽约": "境外",
        "内蒙古包头": "其他地区",
        "江苏南京（香港注册）": "长三角",  # the province named first
        "黑龙江省哈尔滨市": None,
        "某地": None,
        "": None,
    }
    cfg = load_config()
    assert {k: origin_area(k, cfg) for k in cases} == cases
    assert origin_area(None, cfg) is None and origin_area(float("nan"), cfg) is None


def test_areas_of_another_city(tmp_path):
    (tmp_path / "places.yaml").write_text("areas:\n  闽三角: [福建]\narea_other: 其余省份\n", encoding="utf-8")
    cfg = load_config(str(tmp_path))
    assert origin_area("福建厦门", cfg) == "闽三角" and origin_area("四川", cfg) == "其余省份"
    assert cfg.definitions.area_keys[-3:] == ("闽三角", "境外", "其余省份")


# --------------------------------------------------------------------------- sums
def assert_sums_match_headlines(indicators: pd.DataFrame, long: pd.DataFrame, cfg) -> int:
    """For every region: Σ keys = the headline figure of indicators.csv. Returns the
    number of checks made."""
    w = indicator_table(indicators)
    tiers = cfg.definitions.leader_tiers
    checks = 0
    for region in [CITY, *cfg.region_names]:
        for dimension, pairs in {
            "chain": {"signed_projects": ["signed_projects"], "signed_amount": ["signed_amount"]},
            "origin_area": {"signed_projects": ["signed_projects"], "signed_amount": ["signed_amount"]},
            "leader": {"projects": [f"{t}_projects" for t in tiers], "started": [f"{t}_started" for t in tiers]},
        }.items():
            t = breakdown_table(long, dimension, region)
            for indicator, headline in pairs.items():
                expected = sum(w.loc[region, h] for h in headline)
                if pd.isna(expected):  # not submitted (SPEC §7): every key empty too, never 0
                    assert t[indicator].isna().all(), (region, dimension, indicator)
                else:
                    got = t[indicator].sum() if len(t) else 0
                    assert got == pytest.approx(expected, abs=1e-6), (region, dimension, indicator, got, expected)
                checks += 1
        rates = breakdown_table(long, "leader", region)
        if len(rates):
            assert (rates["start_rate"] - rates["started"] / rates["projects"]).abs().max() < 1e-12
    return checks


def test_sums_over_keys_equal_headlines_on_the_sample(tmp_path):
    sample.write_sample(tmp_path / "raw")
    cfg = load_config()
    for period in ("2020-05", "2020-06"):
        tables = read(tmp_path / "raw" / period, period).tables
        indicators = compute(tables, period, cfg)
        long = breakdowns(tables, period, cfg, indicators)
        assert list(long.columns) == BREAKDOWN_COLUMNS and (long["period"] == period).all()
        assert not long.duplicated(["region", "dimension", "key", "indicator"]).any()
        assert assert_sums_match_headlines(indicators, long, cfg) == 9 * 6
        assert (long.value != "").all()  # every region of the sample sent its ledgers


def test_sums_over_keys_equal_headlines_on_a_synthetic_province(tmp_path):
    spec = importlib.util.spec_from_file_location("synth", paths.REPO_ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.write_snapshot(tmp_path / "raw", PERIOD, total_rows=2600, seed=7)
    cfg = load_config(str(synth.config_for(tmp_path / "cfg")))
    tables = read(tmp_path / "raw" / PERIOD, PERIOD, cfg).tables
    indicators = compute(tables, PERIOD, cfg)
    long = breakdowns(tables, PERIOD, cfg, indicators)
    assert assert_sums_match_headlines(indicators, long, cfg) == (1 + len(cfg.region_names)) * 6
    city = breakdown_table(long, "origin_area", CITY).set_index("key")["signed_projects"]
    assert city[["长三角", "珠三角", "京津冀", "港澳台", "境外", "其他地区"]].gt(0).all()  # synth's origins


def test_the_indicators_stage_writes_breakdowns_csv(month, tmp_path):
    from bulletin import stages
    from bulletin.store import write_tables

    tables, indicators, long = month
    out = tmp_path / "processed" / PERIOD
    write_tables(tables, out)
    assert stages.indicators_stage(PERIOD, load_config(), processed_dir=tmp_path / "processed").equals(indicators)
    back = stages.read_breakdowns(PERIOD, tmp_path / "processed")
    assert list(back.columns) == BREAKDOWN_COLUMNS
    assert back.equals(long.astype(str))
    assert read_indicators(out / "indicators.csv").equals(indicators)


def test_every_id_has_a_chinese_label(month):
    _, indicators, long = month
    ids = set(indicators["indicator"]) | set(long["indicator"]) | set(long["dimension"])
    ids |= {f"{t}_new_started" for t in TIERS} | {f"{x}_submitted" for x in ("signings", "activities", "projects")}
    missing = {i for i in ids if catalog.label(i) == i}
    assert not missing


def test_every_indicator_label_names_an_indicator(month):
    """The catalog labels nothing indicators.csv does not carry (no targets_submitted)."""
    _, indicators, _ = month
    ids = set(indicators["indicator"]) | {f"{t}_new_started" for t in TIERS}
    assert set(catalog.INDICATOR_LABELS) - ids == set()


def test_a_chain_listed_again_by_a_user_config_is_one_key(month, tmp_path):
    tables, indicators, _ = month
    (tmp_path / "chains.yaml").write_text("chains:\n  - name: 现代煤电化\n    aliases: [数字经济]\n", encoding="utf-8")
    long = breakdowns(tables, PERIOD, load_config(str(tmp_path)), indicators)
    assert list(breakdown_table(long, "chain", CITY)["key"]) == [*CHAINS, "其他"]


def funds_coverage(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per region (not 全市): signed_projects, funds_in_place_filled and the status the
    bulletin gives it (contract.funds_status), from indicators.csv (long, as text)."""
    keep = indicators[indicators["indicator"].isin(["signed_projects", "funds_in_place_filled"])]
    wide = keep.pivot(index="region", columns="indicator", values="value")
    wide = wide.reindex([r for r in dict.fromkeys(keep["region"]) if r != CITY])
    out = pd.DataFrame(
        {c: pd.to_numeric(wide[c].replace("", None)) for c in ("signed_projects", "funds_in_place_filled")}
    )
    out["status"] = [funds_status(n, f) for n, f in out.to_numpy()]  # NaN: empty
    return out


def test_which_counties_did_not_fill_funds_in_place(month):
    _, indicators, _ = month
    cov = funds_coverage(indicators)
    assert list(cov.index) == list(load_config().region_names)
    assert cov.loc["宝清县"].tolist() == [4, 2, "partial"]
    assert cov.loc["饶河县"].tolist() == [2, 0, "not_filled"]  # its ledger has no 到位资金 column
    assert cov.loc["尖山区", "status"] == "not_submitted"  # no ledger at all (SPEC §7)
    ind = indicators.copy()
    ind.loc[(ind.region == "尖山区") & (ind.indicator == "signed_projects"), "value"] = "0"
    assert funds_coverage(ind).loc["尖山区", "status"] == "no_signings"


def test_the_citys_leaders_leave_a_county_without_a_status_column_out_of_the_start_figures(tmp_path):
    """饶河县's project ledger has no 开复工情况 column: its leaders' started and start
    rate are empty, and 全市's leaders count its projects but take started and the start
    rate over the other counties' projects, as the headline does — never as not started."""
    raw = tmp_path / PERIOD
    write_xlsx(
        raw / "宝清县重点项目.xlsx",
        Sheet(
            [
                ["宝清县2020年重点项目推进情况表"],
                PROJ,
                [1, "P1", "省百大", 1000, "已开工", "张三"],
                [2, "P2", "省百大", 1000, "未开工", "李四"],
            ]
        ),
    )
    write_xlsx(
        raw / "饶河县重点项目.xlsx",
        Sheet(
            [
                ["饶河县2020年重点项目推进情况表"],
                ["序号", "项目名称", "项目类别", "年度计划投资（万元）", "包保领导"],
                [1, "P5", "省百大", 1000, "李四"],
                [2, "P6", "市百大", 1000, "张三"],
            ]
        ),
    )
    cfg = load_config()
    tables = read(raw).tables
    indicators = compute(tables, PERIOD, cfg)
    long = breakdowns(tables, PERIOD, cfg, indicators)
    assert value(long, "饶河县", "leader", "李四", "projects") == "1"
    assert value(long, "饶河县", "leader", "李四", "started") == ""
    assert value(long, "饶河县", "leader", "张三", "start_rate") == ""
    # 张三: P1 started (宝清县), P6 not known (饶河县) → 1 of the 1 known, never 1 of 2
    assert value(long, CITY, "leader", "张三", "projects") == "2"
    assert value(long, CITY, "leader", "张三", "started") == "1"
    assert value(long, CITY, "leader", "张三", "start_rate") == "1"
    assert value(long, CITY, "leader", "李四", "start_rate") == "0"
    # the city's leaders add up to its headline started figure (over 宝清县 alone)
    w = indicator_table(indicators)
    started = sum(
        w.loc[CITY, f"{t}_started"] for t in cfg.definitions.leader_tiers if pd.notna(w.loc[CITY, f"{t}_started"])
    )
    assert breakdown_table(long, "leader", CITY)["started"].sum() == started == 1
