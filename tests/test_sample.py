"""The sample generator: article figures, determinism, and the mess it must contain."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from bulletin.sample import PERIODS, REGIONS, write_sample
from bulletin.sample.records import build_records
from sample_figures import CITY, TIERS, expected_figures

ADDITIVE = [
    "activities",
    "leads",
    "online_activities",
    "online_leads",
    "signed_projects",
    "signed_amount",
    "online_signed_projects",
    "online_signed_amount",
    "signed_amount_target",
] + [
    f"{t}_{k}"
    for t in TIERS
    for k in ("projects", "started", "planned_investment", "completed_investment", "in_statistics")
]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("raw")
    return root, write_sample(root)


def _rows(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _column(rows: list[list], header: str) -> list:
    """Values below the first row that holds ``header``."""
    for i, row in enumerate(rows):
        if header in row:
            c = row.index(header)
            return [r[c] for r in rows[i + 1 :] if c < len(r)]
    return []


def _find(written, name_part: str, period: str = "2020-06") -> Path:
    root, files = written
    hits = [f for f in files if f.parent.is_relative_to(root / period) and name_part in f.name]
    assert len(hits) == 1, hits
    return hits[0]


# --- figures ----------------------------------------------------------------------


def test_city_figures_match_the_article():
    city = expected_figures("2020-06")[CITY]
    assert city["activities"] == 70
    assert city["online_leads"] == 99
    assert city["leads"] > 99  # in-person activities have leads too
    assert city["signed_projects"] == 50
    assert city["signed_amount"] == 1503300.0
    assert city["online_signed_projects"] == 13
    assert city["online_signed_amount"] == 404400.0
    assert city["signed_amount_target"] < 1503300.0  # 超额完成年度预计目标

    assert (city["provincial_key_projects"], city["provincial_key_started"]) == (47, 37)
    assert (city["municipal_key_projects"], city["municipal_key_started"]) == (45, 29)
    assert (city["industrial_projects"], city["industrial_started"]) == (30, 17)
    assert round(37 / 47, 3) == 0.787 and round(29 / 45, 3) == 0.644 and round(17 / 30, 3) == 0.567
    for tier, rate in [("provincial_key", 0.129), ("municipal_key", 0.137), ("industrial", 0.143)]:
        ratio = city[f"{tier}_completed_investment"] / city[f"{tier}_planned_investment"]
        assert round(ratio, 3) == rate
        assert abs(ratio - rate) < 0.0003  # well away from a rounding boundary
        assert 0 < city[f"{tier}_in_statistics"] < city[f"{tier}_started"]


def test_regions_add_up_to_the_city():
    for period in PERIODS:
        figures = expected_figures(period)
        assert set(figures) == {CITY, *REGIONS}
        for key in ADDITIVE:
            total = sum(figures[r][key] for r in REGIONS)
            assert figures[CITY][key] == pytest.approx(total, abs=1e-6), key


def test_every_region_has_everything_and_the_lights_are_mixed():
    figures = expected_figures("2020-06")
    lights = {}
    for region in REGIONS:
        f = figures[region]
        assert f["activities"] > 0 and f["signed_projects"] > 0
        assert all(f[f"{t}_projects"] > 0 for t in TIERS)
        completion = f["signed_amount"] / f["signed_amount_target"]
        lights[region] = "green" if completion >= 0.5 else "yellow" if completion >= 0.4 else "red"
        assert min(abs(completion - 0.5), abs(completion - 0.4)) > 0.02  # no boundary cases
    values = list(lights.values())
    assert values.count("yellow") >= 1 and values.count("red") >= 2 and "green" in values


def test_may_is_not_ahead_of_june():
    may, june = expected_figures("2020-05"), expected_figures("2020-06")
    for region in [CITY, *REGIONS]:
        for key in ADDITIVE:
            assert may[region][key] <= june[region][key], (region, key)
        assert may[region]["signed_amount_target"] == june[region]["signed_amount_target"]
    for tier in TIERS:
        assert may[CITY][f"{tier}_started"] < june[CITY][f"{tier}_started"]
        assert may[CITY][f"{tier}_projects"] == june[CITY][f"{tier}_projects"]
    assert may[CITY]["signed_projects"] < 50 and may[CITY]["activities"] < 70


def test_unknown_period_is_refused():
    with pytest.raises(ValueError):
        expected_figures("2020-07")


# --- files ------------------------------------------------------------------------


def test_files_are_byte_identical_across_runs(written, tmp_path):
    root, files = written
    again = write_sample(tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(root) for p in files]
    for first, second in zip(files, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_layout_of_the_snapshot(written):
    root, files = written
    for period in PERIODS:
        names = [f.relative_to(root / period).as_posix() for f in files if f.is_relative_to(root / period)]
        assert any("/" in n for n in names)  # sub-folders
        assert any(
            not any(r[:2] in n for r in REGIONS) for n in names if "目标" not in n
        )  # a file named without a region
        assert f"宝清县招商台账（{int(period[5:])}月）.xlsx" in names


def test_files_open_with_openpyxl_and_calamine(written):
    _, files = written
    for path in files:
        wb = openpyxl.load_workbook(path)
        cal = CalamineWorkbook.from_path(str(path))
        assert cal.sheet_names == wb.sheetnames
        for name in cal.sheet_names:
            cal.get_sheet_by_name(name).to_python()


def test_merged_cells_in_data_rows_and_headers(written):
    merged_values = set()
    for path in written[1]:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for rng in ws.merged_cells.ranges:
                value = ws.cell(rng.min_row, rng.min_col).value
                if rng.max_row > rng.min_row and rng.min_row > 3:
                    merged_values.add(("down", value))
                if rng.max_col > rng.min_col and rng.min_row > 1:
                    merged_values.add(("across", value))
    assert ("down", "宝清县") in merged_values  # region cell merged down over its projects
    assert ("down", "省百大项目") in merged_values  # tier cell merged down
    assert ("across", "签约情况") in merged_values  # two-row header group


def test_traditional_characters(written):
    sheets = _rows(_find(written, "饒河縣"))
    headers = {v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)}
    assert {"簽約額", "開復工情況", "是否入統", "項目類別"} <= headers
    assert "饒河縣" in headers and "500萬元以上產業項目" in headers
    opencc = pytest.importorskip("opencc")
    t2s = opencc.OpenCC("t2s")
    assert t2s.convert("簽約額") == "签约额" and t2s.convert("饒河縣") == "饶河县"


def test_deliberately_bad_rows(written):
    sifangtai = _rows(_find(written, "附件2"))
    assert "六月中旬" in _column(sifangtai["Sheet1"], "签约时间")
    may = _rows(_find(written, "附件2", "2020-05"))
    assert "六月中旬" not in _column(may["Sheet1"], "签约时间")
    baoqing = _column(_rows(_find(written, "宝清县"))["招商签约"], "签约日期")
    assert {"2020/7/2", datetime(2020, 7, 2)} & set(baoqing)  # after the period
    jianshan = _rows(_find(written, "尖山区"))
    assert -3000 in _column(jianshan["项目"], "年度计划投资")


def test_messy_values_are_present(written):
    root, files = written
    cells = set()
    for path in files:
        if path.is_relative_to(root / "2020-06"):
            for rows in _rows(path).values():
                cells.update(v for row in rows for v in row if isinstance(v, str))
    for origin in [
        "广东省深圳市",
        "北京",
        "上海市",
        "江苏苏州",
        "成都",
        "香港",
        "日本",
        "哈尔滨市",
        "黑龙江省佳木斯市",
    ]:
        assert origin in cells, origin
    for word in [
        "是",
        "否",
        "√",
        "×",
        "已入统",
        "未入统",
        "已开工",
        "复工",
        "在建",
        "续建",
        "未开工",
        "前期手续办理中",
        "拟开工",
        "煤电化",
        "绿色食品",
        "石墨新材料",
        "旅游",
        "汉麻",
        "数字经济",
        "合计",
        "其中：不见面招商",
        "20200630",
        "6月30日",
    ]:
        assert word in cells, word
    for pattern in [
        r"2020-\d\d-\d\d",
        r"2020/\d{1,2}/\d{1,2}",
        r"2020\.\d{1,2}\.\d{1,2}",
        r"2020年\d{1,2}月\d{1,2}日",
        r"2020\d{4}",
        r"\d{1,2}月\d{1,2}日",
    ]:
        assert any(re.fullmatch(pattern, c) for c in cells), pattern
    assert any(c.endswith("小计") for c in cells)
    assert any(c.startswith("填报人：") for c in cells)
    assert any("," in c and c.replace(",", "").isdigit() for c in cells)  # 12,500
    assert any(c and all("０" <= ch <= "９" for ch in c) for c in cells)  # １２５００
    assert any(c.endswith("万元") and c[:-2].isdigit() for c in cells)  # 3000万元
    assert any(c.endswith("亿元") for c in cells)


def test_records_are_built_once_and_deterministically():
    first = build_records()
    build_records.cache_clear()
    second = build_records()
    assert first == second and first is not second
    assert build_records() is second


def test_the_tests_know_the_sample_city():
    """The tests' own copy of the city's regions and periods is the generator's."""
    import sample_figures

    assert sample_figures.REGIONS == REGIONS and sample_figures.PERIODS == PERIODS


def test_funds_in_place_in_some_counties_not_all():
    """到位资金 (SPEC §9): three counties' ledgers carry the column, one of them with a
    blank cell; the others have no such column."""
    from bulletin.sample.plan import FUNDS_HEADERS

    records = build_records()
    filled = {s.region for s in records.signings if s.funds is not None}
    assert filled == set(FUNDS_HEADERS) and 0 < len(filled) < len(REGIONS)
    raohe = [s for s in records.signings if s.region == "饶河县"]
    assert sum(s.funds is None for s in raohe) == 1
    assert all(0 < s.funds < s.amount for s in records.signings if s.funds is not None)
    figures = expected_figures("2020-06")
    assert [r for r in REGIONS if "funds_in_place" in figures[r]] == [r for r in REGIONS if r in FUNDS_HEADERS]
