"""The bulletin where a county submitted a ledger without a column some figures need
(SPEC §12): the sample month read by the real cleaning and indicator stages after three
columns are deleted from three counties' ledgers —

* 尖山区's signings without 投资方所在地 (no signing figure can be told: every one of its
  signing figures is empty, 全市's are over the other seven);
* 宝清县's key projects without 开复工情况 (its started, start and in-statistics rates);
* 岭东区's key projects without 本年累计完成投资 (its completed investment and rate).

The 全市 figures over part of the counties must say whom they leave out and why (a
reader dividing 已开复工 by the projects must not find another rate than the one
printed, without a word), a county's cells say 台账缺列, never 未报送 for a county that
did submit, and no project of a county whose starts are not known is listed as not
started.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from bulletin.config import load_config
from bulletin.report.build import document
from bulletin.report.document import Paragraph
from bulletin.sample import write_sample
from bulletin.stages import clean_stage, indicators_stage
from report_demo import load_month

PERIOD = "2020-06"
NO_ORIGIN, NO_STATUS, NO_COMPLETED = "尖山区", "宝清县", "岭东区"
DELETE = {  # file → {sheet: header of the column deleted}
    "尖山区招商台账（6月）.xlsx": {"签约": "投资方所在地"},
    "宝清县招商台账（6月）.xlsx": {"百大及产业项目": "开复工情况"},
    "岭东区2020年6月份台账.xlsx": {s: "本年累计完成投资" for s in ("省百大", "市百大", "产业项目")},
}


def _delete_column(path, sheet: str, header: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    at = next(c.column for row in ws.iter_rows(max_row=6) for c in row if c.value == header)
    ws.delete_cols(at)
    wb.save(path)


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    root = tmp_path_factory.mktemp("gaps")
    write_sample(root / "raw")
    for name, sheets in DELETE.items():
        for sheet, header in sheets.items():
            _delete_column(root / "raw" / PERIOD / name, sheet, header)
    cfg = load_config()
    folders = {"raw_dir": root / "raw", "processed_dir": root / "processed"}
    clean_stage(PERIOD, cfg, **folders, reports_dir=root / "reports")
    indicators_stage(PERIOD, cfg, processed_dir=root / "processed")
    return load_month(PERIOD, root / "processed")


@pytest.fixture(scope="module")
def doc(month):
    return document(month)


def text_of(doc) -> str:
    return "".join(b.lead_in + b.text for b in doc.blocks(Paragraph))


def row_of(table, region: str) -> list[str]:
    r = [row[0] for row in table.rows].index(region)
    return [table.text(r, c) for c in range(1, len(table.columns))]


def test_the_register_records_the_columns_each_county_lacks(month):
    assert month.lacking == {
        ("signings", "origin"): [NO_ORIGIN],
        ("projects", "status"): [NO_STATUS],
        ("projects", "completed_investment"): [NO_COMPLETED],
    }


def test_the_city_start_rate_says_whom_it_leaves_out_and_agrees_with_its_counts(month, doc):
    text = text_of(doc)
    found = re.search(r"全市省级百大项目(\d+)个，已开复工(\d+)个，开复工率([\d.]+)%（([^）]*)）", text)
    assert found, text
    n, started, rate, scope = int(found[1]), int(found[2]), float(found[3]), found[4]
    assert scope == f"不含台账缺少“开复工情况”列的{NO_STATUS}"
    # the rate is over the counties that have the column: n less 宝清县's projects
    own = month.num(NO_STATUS, "provincial_key_projects")
    assert own and round(100 * started / (n - own), 1) == rate != round(100 * started / n, 1)
    assert f"投资完成率{month.value('全市', 'provincial_key_investment_rate') * 100:.1f}%" in text
    assert f"（不含台账缺少“累计完成投资”列的{NO_COMPLETED}）" in text
    leaders = next(p for p in text.split("。") if "包保领导（按县区计）" in p)
    assert re.search(rf"已开复工\d+个（不含台账缺少“开复工情况”列的{NO_STATUS}）", leaders)


def test_the_city_signing_figures_say_whom_they_leave_out(doc):
    lead = doc.summary
    assert re.search(rf"签约额[\d.]+亿元（不含台账缺少“投资方所在地”列的{NO_ORIGIN}）", lead), lead
    assert "（年度目标含上述县区）" in lead and "年度目标含未报送县区" not in lead
    text = text_of(doc)
    assert f"{NO_ORIGIN}签约项目台账缺少“投资方所在地”列，不参与排名、不亮灯" in text
    assert f"{NO_ORIGIN}签约项目台账缺少“投资方所在地”列，未计入" in text  # 到位资金
    assert f"{NO_ORIGIN}未报送" not in text  # it did submit


def test_cells_say_the_column_is_missing_and_notes_say_which(doc):
    t = doc.tables["signings"]
    row = row_of(t, NO_ORIGIN)
    assert row[0] != "台账缺列" and row[1:3] == ["台账缺列", "台账缺列"]  # activities are there
    assert "尖山区签约项目台账缺少“投资方所在地”列，表中需要该列的数字标为“台账缺列”" in "".join(t.notes)
    tier = doc.tables["projects-provincial_key"]
    # projects, started, start rate, planned, completed, investment rate, in statistics, rate
    assert row_of(tier, NO_STATUS)[1:3] == ["台账缺列", "台账缺列"]
    assert row_of(tier, NO_STATUS)[6:] == ["台账缺列", "台账缺列"]
    assert row_of(tier, NO_COMPLETED)[4:6] == ["台账缺列", "台账缺列"]
    notes = "".join(tier.notes)
    assert "宝清县重点项目台账缺少“开复工情况”列" in notes and "岭东区重点项目台账缺少“累计完成投资”列" in notes
    leaders = doc.tables["leader"]
    rows = [[leaders.text(r, c) for c in range(len(leaders.columns))] for r in range(len(leaders.rows))]
    # seq, county, leader, projects, started, start rate, not started, their names
    own = [row for row in rows if row[1] == NO_STATUS]
    assert own and all(row[4:7] == ["台账缺列"] * 3 and row[3] != "台账缺列" for row in own)
    assert "宝清县重点项目台账缺少“开复工情况”列" in "".join(leaders.notes)


def test_no_project_of_unknown_start_is_listed_as_not_started(month, doc):
    listed = [t for key, t in doc.tables.items() if key.startswith("not_started")]
    assert listed
    assert all(NO_STATUS not in [row[1] for row in t.rows] for t in listed)
    said = re.search(r"全市省级百大项目\d+个，已开复工.*?尚未开复工的项目(\d+)个", text_of(doc))
    started = month.num("全市", "provincial_key_started")
    known = month.num("全市", "provincial_key_projects") - month.num(NO_STATUS, "provincial_key_projects")
    assert said and int(said[1]) == known - started


def test_county_editions_say_why_and_never_say_not_submitted(month):
    origin = document(month, region=NO_ORIGIN)
    assert origin.summary.startswith(f"上半年，{NO_ORIGIN}签约项目台账缺少“投资方所在地”列")
    text = text_of(origin)
    assert "未报送" not in text and "无法判断是否省外项目" in text
    status = text_of(document(month, region=NO_STATUS))
    assert f"{NO_STATUS}省级百大项目8个，台账缺少“开复工情况”列，暂不计算开复工率" in status
    assert "已开复工0个" not in status and "开复工率—" not in status
    completed = text_of(document(month, region=NO_COMPLETED))
    assert "台账缺少“累计完成投资”列，暂不计算投资完成率" in completed
    assert "年度计划投资未填报" not in completed  # the plan is there; the completed column is not


def test_the_english_edition_says_it_too(month):
    text = text_of(document(month, "en"))
    assert "whose ledger lacks the start status column" in text
    assert "whose ledger lacks the investor location column" in text
