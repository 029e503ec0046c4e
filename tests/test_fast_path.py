"""The package reads a sheet's data rows column-wise (``row_kinds``, ``Parser.parse``):
on any grid it must give exactly what the row-by-row oracle (tests/oracle_rows.py:
``row_kind``, ``first_text``, ``RowParser.parse``) gives — the same records, the same
findings in the same order with the same codes and messages, the same unit
bookkeeping. Checked on the sample ledgers and on random grids of awkward cell values
under each ledger type's header."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.config import load_config
from bulletin.contract import LINEAGE, RECORD_COLUMNS, Period
from bulletin.ledgers.locate import locate
from bulletin.ledgers.parser import Parser
from bulletin.ledgers.rows import first_text, row_kinds
from bulletin.ledgers.sheet import SheetResult, read_sheet
from bulletin.read.workbook import Grid, read_workbook
from bulletin.sample import write_sample
from bulletin.text import norm_key, norm_keys
from oracle_rows import RowParser, row_kind

CFG = load_config()
PERIOD = Period.parse("2020-06")


def _located(grid: Grid, cfg):
    """(filled rows, layout, first row below the header), or None."""
    filled = grid.filled()
    layout = locate(filled, grid.source_file, cfg)
    if isinstance(layout, str):
        return None
    return filled, layout, layout.header_row + 1


def row_by_row(grid: Grid, period=PERIOD, cfg=CFG):
    if (located := _located(grid, cfg)) is None:
        return None
    filled, layout, first = located
    parser = RowParser(grid, layout, period, cfg)
    kinds, parsed = [], []
    order = RECORD_COLUMNS[layout.ledger] + LINEAGE
    for i in range(first, len(filled)):
        kind = row_kind(grid.rows[i], layout, cfg)
        kinds.append((kind, first_text(grid.rows[i], layout, cfg) if kind != "blank" else ""))
        if kind == "data":
            record, findings = parser.parse(filled[i], i + 1)
            parsed.append((None if record is None else tuple(record[c] for c in order), findings))
    return kinds, parsed, parser.defaulted


def column_wise(grid: Grid, period=PERIOD, cfg=CFG):
    if (located := _located(grid, cfg)) is None:
        return None
    filled, layout, first = located
    parser = Parser(grid, layout, period, cfg)
    kinds = row_kinds(grid.rows[first : len(filled)], layout, cfg)
    data = [i for i, (k, _) in enumerate(kinds, start=first) if k == "data"]
    records, findings = parser.parse([filled[i] for i in data], [i + 1 for i in data])
    parsed = [(r, findings.get(k, [])) for k, r in enumerate(records)]
    return kinds, parsed, parser.defaulted


def same(grid: Grid, period=PERIOD, cfg=CFG):
    slow, fast = row_by_row(grid, period, cfg), column_wise(grid, period, cfg)
    if slow is None:
        assert fast is None
        return
    assert fast[0] == slow[0]  # row kinds and first texts
    assert len(fast[1]) == len(slow[1])
    for (fr, ff), (sr, sf) in zip(fast[1], slow[1]):
        assert fr == sr
        assert ff == sf
    assert fast[2] == slow[2]


def test_norm_keys_is_norm_key_of_each():
    texts = [
        "合 计",
        "寶清縣小計",
        "乾隆年間",
        "頭髮",
        "乾燥",
        "著名",
        "註：",
        "ＡＢＣ１２３",
        "　全角　",
        "",
        "Straße",
        "一隻",
        "麵條與鐘錶",
        "x\ue000y",
    ]
    assert norm_keys(texts) == [norm_key(t) for t in texts]
    assert norm_keys([]) == []


# traditional characters with context-dependent conversions, full-width forms,
# combining marks, white space of every kind, final sigma, the batch separator
ALPHABET = list("乾隆坤燥著名頭髮後來皇后干麵條鐘錶一隻身檯裏面寶清縣小計總合其中註說明製表單位負責人發展計劃瞭解於")
ALPHABET += list("ＡＢＣａｂｃ１２３，．（）：　 \t\n\u3000\u00a0ΣσΑaZz09-_/") + [
    "\u0301",
    "\u0308",
    "\ue000",
    "\u212b",
    "\ufb01",
]


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12), max_size=20))
def test_norm_keys_is_norm_key_of_each_random(texts):
    assert norm_keys(texts) == [norm_key(t) for t in texts]


@pytest.fixture(scope="module")
def sample_grids(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw")
    write_sample(root)
    grids = []
    for month in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(month.rglob("*")):
            if path.is_file():
                grids.extend((month.name, g) for g in read_workbook(path, month, CFG).grids)
    return grids


def test_sample_sheets_read_the_same_both_ways(sample_grids):
    assert len(sample_grids) > 20
    for month, grid in sample_grids:
        same(grid, Period.parse(month))


HEADERS = {
    "signings": [
        "序号",
        "所属县区",
        "项目名称",
        "投资方",
        "投资方所在地",
        "是否省外",
        "产业链",
        "签约日期",
        "签约额（万元）",
        "签约方式",
    ],
    "projects": [
        "序号",
        "县区",
        "项目名称",
        "项目类别",
        "产业链",
        "总投资",
        "2020年计划投资（亿元）",
        "累计完成投资",
        "开复工情况",
        "开工时间",
        "是否入统",
    ],
    "activities": ["序号", "县区", "活动日期", "活动类型", "带队领导", "活动地点", "形成合作线索"],
    "targets": ["县区", "签约额目标（亿元）", "签约项目数目标"],
}
VALUES = [
    None,
    None,
    None,
    "",
    " ",
    "宝清县",
    "寶清縣",
    "全市",
    "双鸭山市",
    "某某县",
    "宝清县、饶河县",
    "合计",
    "小计",
    "宝清县小计",
    "其中：",
    "填报人：张三",
    "说明",
    "注：单位万元",
    "项目甲",
    "项目甲 ",
    "說明書印刷項目",
    0,
    1,
    1.0,
    2.5,
    -3,
    True,
    False,
    1e12,
    "1,234.5",
    "12亿元",
    "500万元",
    "待定",
    "—",
    "abc",
    dt.date(2020, 3, 1),
    dt.datetime(2020, 7, 9),
    dt.date(2019, 12, 31),
    43900,
    43900.0,
    "2020.6.1",
    "2020年3月",
    "6月10日",
    "是",
    "否",
    "√",
    "省外",
    "省内",
    "北京",
    "黑龙江省哈尔滨市",
    "香港",
    "视频签约",
    "现场签约",
    "云南考察",
    "已开工",
    "未开工",
    "续建（已复工）",
    "省百大项目",
    "市百大",
    "500万元以上产业项目",
    "其他",
    "煤电化",
    "石墨新材料",
    "#DIV/0!",
]
# values that only one check notices, several times over so that they are drawn often
EDGES = [dt.date(2019, 12, 31), dt.date(2020, 7, 1), "2020-12-01", 999999, 30000.0, 0.123456, None, ""] * 8


# a clean row per ledger type; the random grids change a few of its cells
CLEAN = {
    "signings": [1, "宝清县", "项目甲", "某公司", "北京", "是", "煤电化", dt.date(2020, 3, 1), 1200.5, "视频签约"],
    "projects": [1, "宝清县", "项目乙", "省百大项目", "石墨新材料", 80000, 2.5, 1000, "已开工", "2020-03-15", "是"],
    "activities": [1, "宝清县", "2020-05-06", "外出招商", "张县长", "深圳", 3],
    "targets": ["宝清县", 12.5, 20],
}


@st.composite
def grids(draw):
    ledger = draw(st.sampled_from(sorted(HEADERS)))
    header = HEADERS[ledger]
    title = draw(st.sampled_from(["宝清县2020年台账", "2020年市百大项目推进情况表", "台账", "饶河县重点项目"]))
    rows = [[title] + [None] * (len(header) - 1), list(header)]
    n = draw(st.integers(1, 12))
    for _ in range(n):
        row = list(CLEAN[ledger])
        for _ in range(draw(st.integers(0, 2))):
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(VALUES + EDGES))
        if draw(st.integers(0, 9)) == 0:
            row = row[:-2]
        rows.append(row)
    unreadable = {}
    if draw(st.booleans()):
        r = draw(st.integers(2, len(rows) - 1))
        c = draw(st.integers(0, len(header) - 1))
        if c < len(rows[r]):
            rows[r][c] = None
            unreadable[(r, c)] = draw(st.sampled_from(["=SUM(A1:A2)", "#DIV/0!"]))
    return Grid("宝清县.xlsx", "Sheet1", rows, [], None, unreadable)


@settings(
    max_examples=600,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(grids())
def test_random_grids_read_the_same_both_ways(grid):
    same(grid)


def _in_row_order(grid, result) -> None:
    """The findings of rows below the header (not the sheet's own, which name the
    header row) are in row order."""
    header = locate(grid.filled(), grid.source_file, CFG).header_row + 1
    rows = [f["source_row"] for f in result.findings if f["source_row"] > header]
    assert rows == sorted(rows), rows


def test_sample_sheet_findings_are_in_row_order(sample_grids):
    """Row findings and total-row checks interleave by row, as a reader scans the sheet."""
    checked = 0
    for month, grid in sample_grids:
        results = read_sheet(grid, Period.parse(month), CFG)
        for result in results:
            if isinstance(result, SheetResult) and not grid.truncated_at:
                _in_row_order(grid, result)
                checked += 1
    assert checked > 20


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    grids(), st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["合计", "小计", "其中：", "说明"])), max_size=4)
)
def test_random_sheet_findings_are_in_row_order(grid, extra):
    for at, word in extra:  # total and note rows among the data rows
        row = [None, word] + [None] * (len(grid.rows[1]) - 2)
        row[-1] = 1.0
        grid.rows.insert(min(2 + at, len(grid.rows)), row)
    for result in read_sheet(grid, PERIOD, CFG):
        if isinstance(result, SheetResult):
            _in_row_order(grid, result)
