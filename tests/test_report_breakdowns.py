"""bulletin.report.breakdown_sections: the bulletin's parts written from breakdowns.csv and the
SPEC §9 indicators (issue 14 point 3) — 亿元以上 in the overview, 三、招商引资结构
(chains, origin areas, funds in place) and the 包保领导 table in 四、重点项目.

A small month of records is built here, run through the real indicator and breakdown
functions, and the tables and sentences are checked against figures computed by hand;
on the sample city, the tables and sentences agree with breakdowns.csv and indicators.csv
and the tables reach bulletin.xlsx and bulletin.docx."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import CITY, LEDGERS, RECORD_COLUMNS
from bulletin.indicators.compute import compute
from bulletin.indicators.compute_breakdowns import breakdown_table, breakdowns
from bulletin.report import breakdown_sections as bd
from bulletin.report import format as fmt
from bulletin.report.build import document
from bulletin.report.document import Heading, Numbers, Paragraph, Table
from bulletin.report.edition import Edition
from bulletin.store import write_csv, write_tables
from report_demo import load_month

PERIOD = "2020-06"
REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]


def _sign(region, project, origin, chain, amount, funds, out=True, day="2020-04-01"):
    return {
        "region": region,
        "project": project,
        "investor": "某公司",
        "origin": origin,
        "out_of_province": out,
        "chain": chain,
        "chain_raw": chain,
        "signed_on": day,
        "amount": amount,
        "mode": "现场签约",
        "online": False,
        "funds_in_place": funds,
    }


def _proj(region, project, tier, lead, started):
    return {
        "region": region,
        "project": project,
        "tier": tier,
        "planned_investment": 1000,
        "completed_investment": 100,
        "status": "在建" if started else "未开工",
        "started": started,
        "in_statistics": started,
        "lead": lead,
    }


SIGNINGS = [
    _sign("宝清县", "甲", "上海市浦东新区", "现代煤电化", 20000, 5000),
    _sign("宝清县", "乙", "广东深圳", "生态旅游", 8000, 2000),
    _sign("宝清县", "丙", "北京", "生态旅游", 12000, 0),  # 0 in place: a figure, not a blank
    _sign("宝清县", "省内", "哈尔滨", "生态旅游", 9000, 9000, out=False),  # not counted
    _sign("宝清县", "下半年", "上海", "生态旅游", 50000, None, day="2020-07-02"),  # after the period
    _sign("饶河县", "丁", "吉林长春", "生态旅游", 6000, None),
    _sign("饶河县", "戊", "日本", "其他", 4000, None),
    _sign("集贤县", "己", "浙江杭州", "特色种植", 10000, 3000),
    _sign("集贤县", "庚", "", "特色种植", 5000, None),  # origin not named; funds not filled
]
PROJECTS = [
    _proj("宝清县", "P1", "provincial_key", "王书记", True),
    _proj("宝清县", "P2", "municipal_key", "王书记", False),
    _proj("饶河县", "P3", "provincial_key", "王书记", False),  # another 王书记: 饶河县's
    _proj("饶河县", "P4", "industrial", "", True),
    _proj("宝清县", "P5", "industrial", "李县长", True),
]


def _register():
    rows = [
        {"ledger": ledger, "region": r, "status": "missing" if (r, ledger) == ("友谊县", "signings") else "submitted"}
        for r in REGIONS
        for ledger in ("signings", "activities", "projects")
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A processed month of the records above: 友谊县 did not submit its signings."""
    base = tmp_path_factory.mktemp("processed")
    folder = base / PERIOD
    cfg = load_config()
    tables = {k: pd.DataFrame(columns=RECORD_COLUMNS[k]) for k in LEDGERS}
    tables["signings"] = pd.DataFrame(SIGNINGS).reindex(columns=RECORD_COLUMNS["signings"])
    tables["projects"] = pd.DataFrame(PROJECTS).reindex(columns=RECORD_COLUMNS["projects"])
    write_tables(tables, folder)
    tables["submissions"] = _register()
    indicators = compute(tables, PERIOD, cfg)
    write_csv(indicators, folder / "indicators.csv")
    write_csv(breakdowns(tables, PERIOD, cfg, indicators), folder / "breakdowns.csv")
    return load_month(PERIOD, base)


def _section(doc, key):
    return doc.section(key)


def _cells(table: Table) -> list[list[str]]:
    return [[fmt.display(c.kind, v, table.lang) for c, v in zip(table.columns, row)] for row in table.rows]


def _paras(section) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


@pytest.fixture(scope="module")
def doc(small):
    return document(small, "zh")


def test_the_large_signings_follow_the_signings_sentence(doc):
    # 亿元以上: 甲 20000, 丙 12000, 己 10000 → 3 signings, 4.20 亿元 of 6.50 亿元 = 64.6%
    assert "签约省外招商引资项目7项，签约额6.50亿元" in doc.summary
    first, rest = doc.summary.split("。", 1)
    assert rest.startswith("其中，亿元以上签约项目3项，签约额4.20亿元，占签约总额的64.6%。")


def test_the_structure_section_sits_between_the_counties_and_the_key_projects(doc):
    keys = [s.key for s in doc.sections]
    assert keys.index("signings") + 1 == keys.index("structure") == keys.index("projects") - 1
    sec = _section(doc, "structure")
    assert sec.heading == "三、招商引资结构和资金到位情况"
    assert [b.text for b in sec.blocks if isinstance(b, Heading)] == [
        "（一）产业链招商情况",
        "（二）签约项目来源地分布",
        "（三）资金到位情况",
    ]
    # the three tables are one 附件 by default (document.yaml annex): the text names it
    assert [type(b).__name__ for b in sec.blocks] == [
        *["Heading", "Paragraph", "Chart"],
        *["Heading", "Paragraph"],
        *["Heading", "Paragraph"],
    ]
    assert {doc.tables[k].number for k in ("chain", "area", "funds")} == {"附件2"}


def test_the_chain_table_and_sentence_by_hand(doc):
    t = doc.tables["chain"]
    assert t.caption == "附件2　全市签约项目分产业链情况" and t.total_rows == 1
    assert _cells(t) == [
        ["合计", "7", "6.50", "100.0%"],
        ["现代煤电化", "1", "2.00", "30.8%"],
        ["粮食和绿色食品深加工", "0", "0.00", "0.0%"],
        ["石墨及新材料", "0", "0.00", "0.0%"],
        ["生态旅游", "3", "2.60", "40.0%"],
        ["特色种植", "2", "1.50", "23.1%"],
        ["医药和汉麻", "0", "0.00", "0.0%"],
        ["其他", "1", "0.40", "6.2%"],
    ]
    assert "注：签约项目数为0的产业链本期尚无省外签约项目。" in t.notes
    assert _paras(_section(doc, "structure"))[0] == (
        "从产业链看，生态旅游、现代煤电化、特色种植签约额居前，分别为2.60、2.00、1.50亿元，"
        "合计占全市签约额的93.8%；粮食和绿色食品深加工、石墨及新材料、医药和汉麻尚无签约项目；"
        "不属于上述产业链的签约项目1项，签约额0.40亿元。全市签约项目分产业链情况详见附件2。"
    )
    assert doc.charts["chain"].title == "全市签约额分产业链情况"


def test_the_origin_table_and_the_office_share_by_hand(doc):
    t = doc.tables["area"]
    assert _cells(t) == [
        ["合计", "7", "6.50", "100.0%"],
        ["长三角", "2", "3.00", "46.2%"],
        ["珠三角", "1", "0.80", "12.3%"],
        ["京津冀", "1", "1.20", "18.5%"],
        ["港澳台", "0", "0.00", "0.0%"],
        ["东北地区", "1", "0.60", "9.2%"],
        ["境外", "1", "0.40", "6.2%"],
        ["其他地区", "0", "0.00", "0.0%"],
        ["来源地不详", "1", "0.50", "7.7%"],
    ]
    # the offices' areas (places.yaml office_areas: 珠三角, 长三角): 3 signings, 3.80 亿元 = 58.5%
    assert _paras(_section(doc, "structure"))[1] == (
        "从来源地看，长三角、京津冀、珠三角签约额居前，分别为3.00、1.20、0.80亿元；"
        "来自设有驻外招商办事处的珠三角、长三角的签约项目3项，签约额3.80亿元，占全市签约额的58.5%；"
        "另有1项签约项目台账未写明投资方所在地（来源地不详）。全市签约项目分来源地情况详见附件2。"
    )


def test_funds_in_place_never_0_for_a_county_that_did_not_fill_it(doc):
    t = doc.tables["funds"]
    rows = {r[0]: r[1:] for r in _cells(t)}
    # 宝清县 3 of 3 filled: 0.70 of 4.00 = 17.5%; 集贤县 1 of 2: 0.30 of 1.50 = 20.0% (a lower bound);
    # 饶河县 none; 友谊县 did not submit its signings; 全市 1.00 of 6.50 = 15.4%, a lower bound
    assert rows["全市"] == ["7", "6.50", "4", "1.00", "15.4%", "部分县区未填报，为下限"]
    assert rows["宝清县"] == ["3", "4.00", "3", "0.70", "17.5%", "已填报"]
    assert rows["集贤县"] == ["2", "1.50", "1", "0.30", "20.0%", "部分填报（1/2项），为下限"]
    assert rows["饶河县"] == ["2", "1.00", "0", "—", "—", "未填报"]
    assert rows["友谊县"] == ["未报送"] * 6  # its figures say why (issue 10), never —
    assert rows["尖山区"] == ["0", "0.00", "0", "—", "—", "无签约项目"]
    assert any("不按0计" in n for n in t.notes)
    assert _paras(_section(doc, "structure"))[2] == (
        "全市签约项目到位资金至少1.00亿元，资金到位率至少15.4%（仅为已填报部分之和）；"
        "其中集贤县0.30亿元（到位率20.0%）、宝清县0.70亿元（到位率17.5%）；"
        "集贤县有部分签约项目未填报到位资金，其数为下限；饶河县未填报到位资金；友谊县未报送签约台账。"
        "各县区签约项目资金到位情况详见附件2。"
    )


def test_the_leader_table_keys_county_and_leader(doc):
    sec = _section(doc, "projects")
    headings = [b.text for b in sec.blocks if isinstance(b, Heading)]
    assert headings[-1] == "（四）包保领导推进情况"
    t = doc.tables["leader"]
    assert [c.header for c in t.columns] == [
        "序号",
        "县区",
        "包保领导",
        "包保项目数",
        "开复工数",
        "开复工率",
        "未开复工数",
        "尚未开复工的项目",
    ]
    assert _cells(t) == [
        ["1", "宝清县", "王书记", "2", "1", "50.0%", "1", "P2"],
        ["2", "宝清县", "李县长", "1", "1", "100.0%", "0", "—"],
        ["3", "饶河县", "王书记", "1", "0", "0.0%", "1", "P3"],
        ["4", "饶河县", "未明确包保领导", "1", "1", "100.0%", "0", "—"],
    ]
    text = [b.text for b in sec.blocks if isinstance(b, Paragraph)][-1]
    assert text == (
        "全市省级百大项目、市级百大项目、500万元以上产业项目共5个，由3名包保领导（按县区计）包保推进，"
        f"已开复工3个；1名包保领导所包保项目已全部开复工；尚未开复工项目最多的是宝清县王书记、饶河县王书记（各1个）；"
        f"1个项目未明确包保领导；各包保领导的项目及尚未开复工项目见{t.number}。"
    )


def test_a_county_edition_has_its_own_rows(small):
    doc = document(small, "zh", "宝清县")
    assert doc.section("structure").heading == "三、招商引资结构和资金到位情况"
    assert _cells(doc.tables["chain"])[0] == ["合计", "3", "4.00", "100.0%"]
    assert [r[0] for r in _cells(doc.tables["chain"]) if r[1] != "0"] == ["合计", "现代煤电化", "生态旅游"]
    assert "funds" not in doc.tables  # the county's funds: a sentence
    assert "宝清县签约项目到位资金0.70亿元，资金到位率17.5%。" in _paras(doc.section("structure"))
    leader = doc.tables["leader"]
    assert [c.header for c in leader.columns][:3] == ["序号", "包保领导", "包保项目数"]
    assert _cells(leader) == [
        ["1", "王书记", "2", "1", "50.0%", "1", "P2"],
        ["2", "李县长", "1", "1", "100.0%", "0", "—"],
    ]
    assert "亿元以上签约项目2项，签约额3.20亿元，占签约总额的80.0%" in doc.summary


def test_a_county_that_did_not_submit_its_signings(small):
    # the section and the summary alone (the whole county edition of a county without
    # any signing record stops in tables.top_signings on main: reported, not ours to fix)
    ed = Edition(small, "zh", "友谊县")
    sec = bd.structure(ed, Numbers("zh"))
    assert _paras(sec) == ["友谊县本期未报送签约台账，暂无分产业链、分来源地数据。"]
    assert not [b for b in sec.blocks if isinstance(b, Table)]
    assert bd.with_large(ed, "友谊县上半年。") == "友谊县上半年。"


def test_the_english_edition(small):
    doc = document(small, "en")
    assert doc.section("structure").heading == "3. Signings by industry chain and origin; funds in place"
    assert _cells(doc.tables["chain"])[4][0] == "Eco-tourism"
    text = _paras(doc.section("structure"))
    assert text[0].startswith(
        "By industry chain, Eco-tourism, Modern coal, power and chemicals and Specialty crops lead"
    )
    assert "at least CNY 0.100 bn" in text[2] and "Raohe County did not fill in funds in place" in text[2]
    cjk = [p for p in text if any("\u3400" <= ch <= "\u9fff" for ch in p)]
    assert cjk == []
    assert "Of these, 3 signings of CNY 100 mn or more, CNY 0.420 bn, 64.6% of the amount signed." in doc.summary


def test_without_breakdowns_csv_the_section_says_so(small, tmp_path):
    import shutil

    folder = tmp_path / PERIOD
    shutil.copytree(small.folder, folder)
    (folder / "breakdowns.csv").unlink()
    doc = document(load_month(PERIOD, tmp_path), "zh")
    sec = doc.section("structure")
    assert _paras(sec)[0] == "本期无分产业链、分来源地的汇总数据。"
    assert "funds" in doc.tables and "leader" not in doc.tables  # from indicators.csv alone


# --------------------------------------------------------------------------- the sample city
@pytest.fixture(scope="module")
def sample_month(sample_run):
    """The sample city's month as the shared run (conftest) processed it: its
    breakdowns.csv and indicators.csv, read only, and the bulletin model of them."""
    data = load_month(PERIOD, sample_run.processed_root)
    return sample_run.root, data, document(data, "zh")


def test_sample_tables_sum_to_the_headline_and_agree_with_breakdowns_csv(sample_month):
    _, data, doc = sample_month
    long = data.breakdowns
    for key, dimension in (("chain", "chain"), ("area", "origin_area")):
        t = doc.tables[key]
        expected = breakdown_table(long, dimension, CITY)
        body = t.rows[1:]
        assert [r[1] for r in body] == list(expected["signed_projects"])
        assert [r[2] for r in body] == list(expected["signed_amount"])
        assert sum(r[1] for r in body) == data.num(CITY, "signed_projects") == t.rows[0][1]
        assert sum(r[2] for r in body) == pytest.approx(data.num(CITY, "signed_amount"))
    leader = doc.tables["leader"]
    tiers = load_config().definitions.leader_tiers
    assert sum(r[3] for r in leader.rows) == sum(data.num(CITY, f"{t}_projects") for t in tiers)
    assert sum(r[4] for r in leader.rows) == sum(data.num(CITY, f"{t}_started") for t in tiers)
    for row in leader.rows:  # the names listed are the projects not started
        names = [] if row[7] is None else row[7].split("、")
        assert len(names) == row[6] == row[3] - row[4]


def test_sample_sentences_agree_with_breakdowns_csv(sample_month):
    _, data, doc = sample_month
    chains = breakdown_table(data.breakdowns, "chain", CITY).set_index("key")
    named = [k for k in chains.index if k != "其他"]
    top = chains.loc[named].sort_values("signed_amount", ascending=False, kind="stable").head(3)
    text = _paras(doc.section("structure"))[0]
    assert text.startswith(f"从产业链看，{'、'.join(top.index)}签约额居前，")
    assert "、".join(fmt.money(a) for a in top["signed_amount"]) + "亿元" in text
    areas = breakdown_table(data.breakdowns, "origin_area", CITY).set_index("key")
    office = areas.loc[["珠三角", "长三角"], "signed_amount"].sum()
    share = fmt.pct(office / data.num(CITY, "signed_amount"))
    assert f"签约额{fmt.money(office)}亿元，占全市签约额的{share}" in _paras(doc.section("structure"))[1]
    large = data.num(CITY, "large_signed_projects")
    assert f"亿元以上签约项目{fmt.count(large)}项" in doc.summary


def test_sample_tables_reach_the_workbook_and_the_word_document(sample_month, tmp_path):
    import docx as python_docx
    from openpyxl import load_workbook

    from bulletin.publish import docx, excel

    _, _, doc = sample_month
    path = excel.write_workbook(doc, tmp_path)
    wb = load_workbook(path)
    for key in ("chain", "area", "funds", "leader"):
        t = doc.tables[key]
        sheets = [n for n in wb.sheetnames if n.startswith(t.number + " ")]  # 附件2 holds three tables
        sheets = [[c for row in wb[n].iter_rows(values_only=True) for c in row if c is not None] for n in sheets]
        values = next(v for v in sheets if v and v[0] == t.caption)
        assert t.columns[-1].header in values and t.caption in " ".join(str(v) for v in values)
    word = python_docx.Document(docx.write_document(doc, tmp_path))
    headers = [[c.text.replace("\n", "") for c in tbl.rows[0].cells] for tbl in word.tables]
    for key in ("chain", "area", "funds", "leader"):
        assert [c.header for c in doc.tables[key].columns] in headers
    text = "\n".join(p.text for p in word.paragraphs)
    assert "三、招商引资结构和资金到位情况" in text and "（四）包保领导推进情况" in text


def test_doctests():
    import doctest

    result = doctest.testmod(bd)
    assert result.attempted > 0 and result.failed == 0


def test_the_leader_key_is_the_one_of_breakdowns_csv():
    from bulletin.indicators.compute_breakdowns import leader_key

    for value in (" 張  三 ", "王书记", "", None, float("nan"), "ＡＢ　Ｃ", "李四、王五", "王\n书记"):
        assert bd.leader_key(value, "未明确包保领导") == leader_key(value, "未明确包保领导"), value


@pytest.mark.parametrize(
    ("wan", "zh", "en"),
    [(10000, "亿元", "CNY 100 mn"), (20000, "2亿元", "CNY 200 mn"), (5000, "5000万元", "CNY 50 mn")],
)
def test_the_large_signing_threshold_is_said_as_configured(tmp_path, wan, zh, en):
    """rules.yaml large_signing (万元) is what the 亿元以上 sentence says: a city that counts
    signings of 5000万元 or more says 5000万元以上."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "rules.yaml").write_text(f"large_signing: {wan}\n", encoding="utf-8")
    data = SimpleNamespace(config=load_config(cfg))
    assert bd.threshold_text(SimpleNamespace(data=data, lang="zh")) == zh
    assert bd.threshold_text(SimpleNamespace(data=data, lang="en")) == en
