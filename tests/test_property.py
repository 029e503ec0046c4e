"""Round trip: random signings records, rendered into a workbook with a random but
SPEC-conforming layout, read back unchanged, with the row accounting intact."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from bulletin.config import load_config
from conftest import Sheet, read, write_xlsx

CFG = load_config()
ALIASES = CFG.ledgers["signings"]["fields"]
EPOCH = dt.date(1899, 12, 30)
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")

REGIONS = {r["name"]: [r["name"], *r.get("aliases", [])] for r in CFG.raw["regions"]["regions"]}
TRADITIONAL = {
    "宝清县": "寶清縣",
    "四方台区": "四方臺區",
    "岭东区": "嶺東區",
    "饶河县": "饒河縣",
    "友谊县": "友誼縣",
    "集贤县": "集賢縣",
}
ORIGINS = [
    ("北京", True),
    ("广东省深圳市", True),
    ("黑龙江省哈尔滨市", False),
    ("日本东京", True),
    ("佳木斯", False),
    ("上海市宝山区", True),
    ("香港", True),
    ("浙江杭州", True),
    ("本市", False),
    ("吉林省长春市", True),
]
MODES = [
    ("视频签约", True),
    ("云签约", True),
    ("网上签约", True),
    ("现场签约", False),
    ("集中签约", False),
    (None, False),
]
WORDS = ["石墨", "绿色食品", "煤化工", "汉麻", "生态旅游", "寶清", "新能源", "物流园", "大豆", "光伏", "饲料", "Tech"]
INVESTORS = ["北京某某公司", "深圳市华远集团", "黑龙江农垦", "哈尔滨龙江实业", "Acme Ltd", "日本丸红"]

dates = st.dates(dt.date(2020, 1, 1), dt.date(2020, 6, 30))
record = st.fixed_dictionaries(
    {
        "region": st.sampled_from(sorted(REGIONS)),
        "words": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        "investor": st.sampled_from(INVESTORS),
        # amount in 万元 × 10^4 (≤4 decimals), 200–100,000 万元: plausible, and no amount
        # 1,000 times another (SPEC §11.1)
        "amount_k": st.integers(200 * 10**4, 10**9),
        "signed_on": dates,
        "origin": st.sampled_from(ORIGINS),
        "mode": st.sampled_from(MODES),
    }
)
DATE_FORMS = ["cell", "serial", "iso", "slash", "dot", "cn", "compact", "compact_int", "md"]


def render_date(day: dt.date, form: str):
    return {
        "cell": dt.datetime(day.year, day.month, day.day),
        "serial": (day - EPOCH).days,
        "iso": day.isoformat(),
        "slash": f"{day.year}/{day.month}/{day.day}",
        "dot": f"{day.year}.{day.month}.{day.day}",
        "cn": f"{day.year}年{day.month}月{day.day}日",
        "compact": day.strftime("%Y%m%d"),
        "compact_int": int(day.strftime("%Y%m%d")),
        "md": f"{day.month}月{day.day}日",
    }[form]


def render_amount(k: int, unit: str, form: str, with_unit: bool):
    """k/10^4 万元 written in ``unit`` as a number cell or text."""
    value = Decimal(k) / Decimal(10**4) / (Decimal(10**4) if unit == "亿元" else 1)
    if form == "number" and not with_unit:
        return float(value)
    text = format(value.normalize(), ",f" if form == "commas" else "f")
    if form == "fullwidth":
        text = text.translate(FULL_WIDTH)
    if with_unit:
        text += unit if form != "short" or unit == "万元" else "亿"
    return text


@st.composite
def layouts(draw):
    return {
        "records": draw(st.lists(record, min_size=1, max_size=8)),
        "region_in_column": draw(st.booleans()),
        "title_region_form": draw(st.sampled_from(["name", "alias", "traditional"])),
        "offset": draw(st.integers(0, 5)),
        "title": draw(st.booleans()),
        "unit_line": draw(st.booleans()),
        "serial_column": draw(st.booleans()),
        "investor_column": draw(st.booleans()),
        "order_seed": draw(st.permutations(range(8))),
        "aliases": {
            f: draw(st.sampled_from(ALIASES[f]))
            for f in ("project", "investor", "origin", "region", "signed_on", "amount", "mode")
        },
        "amount_prefix": draw(st.sampled_from(["", "2020年", "1-6月", "2020年1-6月"])),
        "unit": draw(st.sampled_from(["万元", "亿元"])),
        "unit_source": draw(st.sampled_from(["header", "line", "cell"])),
        "amount_forms": draw(
            st.lists(st.sampled_from(["number", "text", "commas", "fullwidth", "short"]), min_size=8, max_size=8)
        ),
        "date_forms": draw(st.lists(st.sampled_from(DATE_FORMS), min_size=8, max_size=8)),
        "region_forms": draw(st.lists(st.sampled_from(["name", "alias", "traditional"]), min_size=8, max_size=8)),
        "total_row": draw(st.sampled_from([None, "合计", "小计", "总计", "全市合计"])),
        "notes": draw(
            st.lists(
                st.sampled_from(
                    [
                        "填报人：张三",
                        "审核人：李四  联系电话：0469-1234567",
                        "注：金额为协议投资额",
                        "说明：1-6月累计",
                        "备注",
                    ]
                ),
                max_size=3,
            )
        ),
        "blank_after": draw(st.lists(st.integers(0, 8), max_size=3)),
        "merge_title": draw(st.booleans()),
        "merge_regions": draw(st.booleans()),  # region cells merged down over their projects
    }


def region_text(region: str, form: str) -> str:
    if form == "alias":
        return REGIONS[region][-1]
    if form == "traditional":
        return TRADITIONAL.get(region, region)
    return region


def build(lay) -> tuple[list, list, list, dict]:
    """(rows, merged ranges, expected records, expected accounting counts)."""
    recs = lay["records"]
    if not lay["region_in_column"]:
        for r in recs[1:]:
            r["region"] = recs[0]["region"]
    elif lay["merge_regions"]:
        recs.sort(key=lambda r: r["region"])
    for i, r in enumerate(recs, 1):
        r["project"] = "".join(r["words"]) + f"{i}号项目"
    columns = ["project", "origin", "signed_on", "amount", "mode"]
    if lay["investor_column"]:
        columns.append("investor")
    if lay["region_in_column"]:
        columns.append("region")
    columns = sorted(
        columns,
        key=lambda c: lay["order_seed"][
            ["project", "origin", "signed_on", "amount", "mode", "investor", "region", "serial"].index(c)
        ],
    )
    if lay["serial_column"]:
        columns.insert(0, "serial")

    unit, source = lay["unit"], lay["unit_source"]
    header = []
    for c in columns:
        if c == "serial":
            header.append("序号")
            continue
        h = lay["aliases"][c]
        if c == "amount":
            h = lay["amount_prefix"] + h + (f"（{unit}）" if source == "header" else "")
        header.append(h)

    above = []
    where = "" if lay["region_in_column"] else region_text(recs[0]["region"], lay["title_region_form"])
    if lay["title"] or (not lay["region_in_column"] and not lay["unit_line"]):
        above.append([f"{where}2020年1-6月招商引资签约项目台账"])
    if lay["unit_line"] or source == "line":
        unit_text = f"单位：{unit}" if source == "line" else ""
        above.append([f"填报单位：{where or '双鸭山市商务局'}（盖章）    {unit_text}    填报日期：2020年7月3日"])
    offset = max(lay["offset"], len(above))
    rows = [[None]] * (offset - len(above)) + above + [header]
    last = get_column_letter(len(columns))
    merges = [
        f"A{r}:{last}{r}" for r in range(offset - len(above) + 1, offset + 1) if lay["merge_title"] and len(columns) > 1
    ]

    expected, blanks, run_start = [], 0, None
    for i, r in enumerate(recs):
        cells = {
            "serial": i + 1,
            "project": r["project"],
            "investor": r["investor"],
            "origin": r["origin"][0],
            "signed_on": render_date(r["signed_on"], lay["date_forms"][i]),
            "amount": render_amount(r["amount_k"], unit, lay["amount_forms"][i], with_unit=source == "cell"),
            "mode": r["mode"][0],
            "region": region_text(r["region"], lay["region_forms"][i]),
        }
        row = [cells[c] for c in columns]
        if lay["region_in_column"] and lay["merge_regions"]:
            j = columns.index("region")
            if i > 0 and recs[i - 1]["region"] == r["region"]:
                row[j] = None  # covered by the merged cell above
            else:
                run_start = len(rows) + 1
            if i + 1 == len(recs) or recs[i + 1]["region"] != r["region"]:
                if len(rows) + 1 > run_start:
                    col = get_column_letter(j + 1)
                    merges.append(f"{col}{run_start}:{col}{len(rows) + 1}")
        rows.append(row)
        expected.append(
            {
                "region": r["region"],
                "project": r["project"],
                "amount": r["amount_k"] / 10**4,
                "signed_on": r["signed_on"],
                "out_of_province": r["origin"][1],
                "online": r["mode"][1],
            }
        )
        for _ in range(lay["blank_after"].count(i)):
            rows.append([None] * len(columns))
            blanks += 1
    totals = 0
    if lay["total_row"]:
        total = [None] * len(columns)
        total[0] = lay["total_row"]
        j = columns.index("amount")
        if j != 0:
            total[j] = render_amount(sum(r["amount_k"] for r in recs), unit, "number", source == "cell")
        rows.append(total)
        totals = 1
    for note in lay["notes"]:
        rows.append([note])
    counts = {
        "rows_read": len(recs) + totals + len(lay["notes"]),
        "records": len(recs),
        "total_note_rows": totals + len(lay["notes"]),
        "rejected_rows": 0,
        "blank_rows": blanks,
    }
    return rows, merges, expected, counts


def read_back(rows, merges):
    """The sheet written as a county's workbook of a month folder, read by the pipeline."""
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "2020-06"
        write_xlsx(snap / "台账.xlsx", Sheet(rows, merges=merges))
        return read(snap)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(layouts())
def test_round_trip(lay):
    rows, merges, expected, counts = build(lay)
    res = read_back(rows, merges)
    got = res["signings"]
    assert len(got) == len(expected), (rows, res.findings.to_dict("records"))
    for (_, g), e in zip(got.iterrows(), expected):
        assert g["region"] == e["region"]
        assert g["project"] == e["project"]
        assert abs(g["amount"] - e["amount"]) < 1e-4, (g["amount"], e["amount"])
        assert g["signed_on"] == e["signed_on"]
        assert g["out_of_province"] is e["out_of_province"]
        assert g["online"] is e["online"]
    acc = res["accounting"].iloc[0]
    assert {k: acc[k] for k in counts} == counts
    assert res.errors().empty, res.errors().to_dict("records")
    assert res.warnings().empty, res.warnings().to_dict("records")


# ------------------------------------------- group headers, section rows, stacked tables (SPEC §8)

TIER_TEXT = {"provincial_key": "省百大项目", "municipal_key": "市级百大项目", "industrial": "500万元以上产业项目"}
NUMBERS = "一二三"
project = st.fixed_dictionaries(
    {
        "tier": st.sampled_from(sorted(TIER_TEXT)),
        # 万元, in the plausible range and within a factor 500 of each other (SPEC §11.1)
        "total": st.integers(100, 50_000),
        "planned": st.integers(100, 50_000),
        "done": st.one_of(st.just(0), st.integers(100, 50_000)),
        "status": st.sampled_from([("在建", True), ("未开工", False), ("续建", True), ("前期手续", False)]),
    }
)


@st.composite
def sheets(draw):
    return {
        "projects": draw(st.lists(project, min_size=1, max_size=8)),
        "group": draw(st.booleans()),  # 计划投资（unit） over 总投资 | 年度计划
        "unit": draw(st.sampled_from(["万元", "亿元"])),
        "sections": draw(st.booleans()),  # tier by section rows, else a tier column
        "numbering": draw(st.sampled_from(["一、", "（一）", ""])),
        "counts": draw(st.booleans()),  # （3个） after the heading
        "merge_headings": draw(st.booleans()),
        "activities": draw(st.integers(0, 6)),  # a table of activities stacked above
        "blanks": draw(st.integers(0, 2)),
        "heading": draw(st.booleans()),  # 二、重点项目 above the projects' header
    }


def _amount(wan: int, unit: str):
    return wan / 10**4 if unit == "亿元" else wan


def build_sheet(lay):
    """(rows, merges, expected projects, expected activities count, expected accounting)."""
    projects, unit = lay["projects"], lay["unit"]
    if lay["sections"]:
        projects.sort(key=lambda p: sorted(TIER_TEXT).index(p["tier"]))
    width = 7 if not lay["sections"] else 6
    rows, merges = [["宝清县2020年招商引资和项目建设情况"]], []
    acc = {}
    n_act = lay["activities"]
    if n_act:
        rows.append(["一、招商活动情况"])
        rows.append(["序号", "活动日期", "活动类型", "活动地点"])
        rows += [[i, f"2020-0{1 + i % 6}-0{1 + i % 9}", "外出招商", "深圳"] for i in range(1, n_act + 1)]
        acc["activities"] = {"header_rows": 3, "rows_read": n_act}
        rows += [[None]] * max(lay["blanks"], 0 if lay["heading"] else 1)
    top = len(rows)
    if lay["heading"]:
        rows.append(["二、重点项目情况"])
    tier_cols = [] if lay["sections"] else ["项目类别"]
    if lay["group"]:
        upper = [
            "序号",
            "项目名称",
            *tier_cols,
            f"计划投资（{unit}）",
            f"计划投资（{unit}）",
            f"累计完成投资（{unit}）",
            "开复工情况",
        ]
        lower = [None, None, *[None] * len(tier_cols), "总投资", "年度计划", None, None]
        r = len(rows) + 1
        g = 2 + len(tier_cols)  # 0-based column of the group
        letters = "ABCDEFG"
        merges.append(f"{letters[g]}{r}:{letters[g + 1]}{r}")
        merges += [f"{letters[c]}{r}:{letters[c]}{r + 1}" for c in range(len(upper)) if c not in (g, g + 1)]
        rows += [upper, lower]
        block = 2
    else:
        rows.append(
            [
                "序号",
                "项目名称",
                *tier_cols,
                f"总投资（{unit}）",
                f"年度计划投资（{unit}）",
                f"累计完成投资（{unit}）",
                "开复工情况",
            ]
        )
        block = 1
    sections = 0
    last_tier = None
    for i, p in enumerate(projects, 1):
        if lay["sections"] and p["tier"] != last_tier:
            k = sorted(TIER_TEXT).index(p["tier"])
            number = {"一、": f"{NUMBERS[k]}、", "（一）": f"（{NUMBERS[k]}）", "": ""}[lay["numbering"]]
            count = sum(1 for q in projects if q["tier"] == p["tier"])
            rows.append([number + TIER_TEXT[p["tier"]] + (f"（{count}个）" if lay["counts"] else "")])
            if lay["merge_headings"]:
                merges.append(f"A{len(rows)}:F{len(rows)}")
            sections += 1
            last_tier = p["tier"]
        tier = [] if lay["sections"] else [TIER_TEXT[p["tier"]]]
        rows.append(
            [i, f"项目{i}", *tier, _amount(p["total"], unit), _amount(p["planned"], unit), _amount(p["done"], unit)]
            + [p["status"][0]]
        )
    header_rows = (len(rows[:top]) if not n_act else 0) + lay["heading"] + block
    if not n_act:
        header_rows = 1 + lay["heading"] + block
    acc["projects"] = {
        "header_rows": header_rows,
        "rows_read": len(projects) + sections,
        "records": len(projects),
        "total_note_rows": sections,
    }
    assert width
    return rows, merges, projects, acc


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sheets())
def test_round_trip_groups_sections_and_stacked_tables(lay):
    rows, merges, projects, acc = build_sheet(lay)
    res = read_back(rows, merges)
    got = res["projects"]
    assert len(got) == len(projects), (rows, res.findings.to_dict("records"))
    for (_, g), p in zip(got.iterrows(), projects):
        assert g["region"] == "宝清县"
        assert g["tier"] == p["tier"]
        assert abs(g["total_investment"] - p["total"]) < 1e-4
        assert abs(g["planned_investment"] - p["planned"]) < 1e-4
        assert abs(g["completed_investment"] - p["done"]) < 1e-4
        assert g["started"] is p["status"][1]
    assert res.errors().empty, res.errors().to_dict("records")
    accounting = res["accounting"].set_index("ledger")
    for ledger, counts in acc.items():
        assert {k: accounting.loc[ledger, k] for k in counts} == counts, (ledger, rows)
    assert len(res["activities"]) == lay["activities"]
    nonempty = sum(1 for r in rows if any(v is not None for v in r))
    assert int(accounting["header_rows"].sum() + accounting["rows_read"].sum()) == nonempty
