"""到位资金 against a target (issue 23): the targets table's 到位资金目标 column (its
aliases in config/ledgers.yaml), the indicators ``funds_in_place_target`` and
``funds_in_place_completion`` per county and 全市 (hand-computed), and the bulletin's
资金到位情况 sentence and table."""

from __future__ import annotations

import pandas as pd
import pytest

from bulletin.config import load_config
from bulletin.contract import CITY
from bulletin.indicators import catalog
from bulletin.indicators.compute import compute
from bulletin.report import breakdown_sections, funds_target
from bulletin.report.document import Numbers
from bulletin.report.edition import Edition
from bulletin.store import indicator_table, write_csv, write_tables
from conftest import PERIOD, Sheet, read, write_xlsx
from report_demo import load_month

SIGN = ["序号", "项目名称", "投资方所在地", "签约日期", "签约额（万元）", "到位资金（万元）", "签约方式"]


def _month(raw, funds_header: str = "到位资金目标（亿元）", city_row: bool = False):
    """宝清县 and 饶河县 send signings with 到位资金; 集贤县 sends none; the targets table
    gives 宝清县 1.5 亿 and 集贤县 0.8 亿 of funds (集贤县 no signing target), 饶河县 none."""
    write_xlsx(
        raw / "宝清县签约台账.xlsx",
        Sheet(
            [
                SIGN,
                [1, "甲", "上海市", "2020-03-01", 20000, 5000, "现场签约"],
                [2, "乙", "北京市", "2020-05-01", 8000, 1000, "现场签约"],
                [3, "丙", "哈尔滨市", "2020-04-01", 9000, 900, "现场签约"],  # in province: not counted
            ],
            title="签约",
        ),
    )
    write_xlsx(
        raw / "饶河县签约台账.xlsx",
        Sheet([SIGN, [1, "丁", "江苏苏州", "2020-04-10", 10000, 2000, "视频签约"]], title="签约"),
    )
    rows = [
        ["县区", "签约额目标（万元）", funds_header],
        ["宝清县", 100000, 1.5],
        ["饶河县", 50000, None],
        ["集贤县", None, 0.8],
    ]
    if city_row:
        rows.append(["全市", 300000, 3])
    write_xlsx(raw / "2020年目标任务表.xlsx", Sheet(rows, title="目标"))
    res = read(raw)
    return res, compute(res.tables, PERIOD, load_config())


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    return _month(tmp_path_factory.mktemp("raw") / PERIOD)


def test_the_targets_column_is_read_in_wan_yuan(month):
    res, _ = month
    t = res["targets"].set_index("region")
    assert t.loc["宝清县", "funds_in_place_target"] == 15000 and t.loc["集贤县", "funds_in_place_target"] == 8000
    assert pd.isna(t.loc["饶河县", "funds_in_place_target"])
    # 集贤县's row has a funds target only: it is a target row, not target.missing
    assert "target.missing" not in set(res.findings["code"])


def test_funds_target_and_completion_by_hand(month):
    _, long = month
    w = indicator_table(long)
    # 宝清县: funds 5000 + 1000 (丙 is in province) = 6000 against 15000
    assert w.loc["宝清县", "funds_in_place"] == 6000 and w.loc["宝清县", "funds_in_place_target"] == 15000
    assert w.loc["宝清县", "funds_in_place_completion"] == pytest.approx(6000 / 15000)
    # 饶河县: funds 2000, no target → both empty, never 0
    assert w.loc["饶河县", "funds_in_place"] == 2000
    assert pd.isna(w.loc["饶河县", "funds_in_place_target"]) and pd.isna(w.loc["饶河县", "funds_in_place_completion"])
    # 集贤县: a target but no signings ledger → no funds figure, so no completion
    assert w.loc["集贤县", "funds_in_place_target"] == 8000 and pd.isna(w.loc["集贤县", "funds_in_place_completion"])
    # 全市: no 全市 row in the table → the regions' targets summed, 15000 + 8000
    assert w.loc[CITY, "funds_in_place_target"] == 23000
    assert w.loc[CITY, "funds_in_place_completion"] == pytest.approx(8000 / 23000)
    assert catalog.label("funds_in_place_completion") == "到位资金完成年度目标"


@pytest.mark.parametrize("header", ["资金到位目标（万元）", "实际到位资金目标（万元）"])
def test_the_other_headers_and_a_city_row(tmp_path, header):
    res, long = _month(tmp_path / "raw" / PERIOD, header, city_row=True)
    w = indicator_table(long)
    assert w.loc["宝清县", "funds_in_place_target"] == 1.5  # 万元 as the header says
    assert w.loc[CITY, "funds_in_place_target"] == 3  # the table's own 全市 row wins
    assert w.loc[CITY, "funds_in_place_completion"] == pytest.approx(8000 / 3)


def test_no_target_column_leaves_both_empty(tmp_path):
    raw = tmp_path / "raw" / PERIOD
    write_xlsx(raw / "签约.xlsx", Sheet([SIGN, [1, "甲", "上海市", "2020-03-01", 20000, 5000, "现场签约"]]))
    write_xlsx(raw / "目标.xlsx", Sheet([["县区", "签约额目标（万元）"], ["宝清县", 100000]]))
    long = compute(read(raw).tables, PERIOD, load_config())
    rows = long[long.indicator.isin(["funds_in_place_target", "funds_in_place_completion"])]
    assert len(rows) == 2 * 9 and set(rows["value"]) == {""}


def _edition(month, tmp_path, lang="zh", region="") -> Edition:
    res, long = month
    folder = tmp_path / PERIOD
    write_tables(res.tables, folder)
    write_csv(long, folder / "indicators.csv")
    data = load_month(PERIOD, tmp_path)
    return Edition(data, lang, region)


def test_the_bulletin_says_the_completion(month, tmp_path):
    ed = _edition(month, tmp_path)
    text = breakdown_sections.funds_text(ed)
    # 全市: funds 8000 of 38000 signed (21.1%), 0.80 亿 of the 2.30 亿 target = 34.8%
    assert text.startswith("全市签约项目到位资金0.80亿元，资金到位率21.1%，完成年度到位资金目标（2.30亿元）的34.8%；")
    table = breakdown_sections.funds_table(ed, Numbers("zh"))
    headers = [c.header for c in table.columns]
    assert headers[-3:] == ["到位资金目标（亿元）", "完成到位资金目标", "填报情况"]
    shown = {
        table.text(i, 0): (table.text(i, len(headers) - 3), table.text(i, len(headers) - 2))
        for i in range(len(table.rows))
    }
    assert shown["全市"] == ("2.30", "34.8%")
    assert shown["宝清县"] == ("1.50", "40.0%")
    assert shown["饶河县"] == ("—", "—")
    assert shown["集贤县"][0] == "0.80" and shown["集贤县"][1] != "0.0%"  # not submitted: never 0
    # where the funds are a lower bound (a county left some blank), so is the completion
    assert funds_target.clause(ed, CITY, lower=True) == "完成年度到位资金目标（2.30亿元）的至少34.8%"
    county = Edition(ed.data, "zh", "宝清县")
    assert "完成年度到位资金目标（1.50亿元）的40.0%" in breakdown_sections.funds_text(county)
    en = breakdown_sections.funds_text(Edition(ed.data, "en"))
    assert "21.1% of the amount signed, 34.8% of the annual funds-in-place target (CNY 0.230 bn)" in en  # 23000 万元
