"""The four counties' workbooks, each in its own layout (see the package docstring's
layout map): 集贤县, 友谊县, 宝清县, 饶河县 (traditional characters), and the city's
目标任务表."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook

from bulletin.sample.cells import (
    Col,
    Ctx,
    Sheet,
    completed_cell,
    d_cn,
    d_compact,
    d_iso,
    d_month_day,
    d_slash,
    full_width,
    new_workbook,
    note_row,
    row_number,
    serial,
    to_traditional,
    total,
    yes_no,
    yi,
)
from bulletin.sample.plan import FUNDS_HEADERS, REGIONS, TARGETS, TIER_WORDS, TIERS

# --- 集贤县 ------------------------------------------------------------------------


def _jixian_projects(ctx: Ctx, region: str, unit_line: str) -> Workbook:
    """集贤县's key projects workbook: one table, a 小计 row after each tier, then 合计."""
    wb = new_workbook()
    sh = Sheet(wb, "重点项目")
    cols = [
        ("序号", row_number),
        ("类别", lambda i, p: TIER_WORDS["short"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("所在县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: completed_cell(ctx.state(p))),
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
                "年度计划投资": total(projects, lambda p: p.planned),
                "累计完成投资": total(projects, lambda p: ctx.state(p).completed),
            },
        )
    sh.put(
        cols,
        {
            "序号": "合计",
            "年度计划投资": total(everything, lambda p: p.planned),
            "累计完成投资": total(everything, lambda p: ctx.state(p).completed),
        },
    )
    return wb


def render_jixian(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, files = "集贤县", []
    unit_line = f"填报单位：{region}经济合作促进局    填报日期：{ctx.reported}"

    wb = new_workbook()
    signings = ctx.signings(region)
    sh = Sheet(wb, "签约台账")
    columns: list[tuple[str | None, str, Callable]] = [
        (None, "序号", row_number),
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
    sh.record(["合计", None, None, None, None, None, None, yi(total(signings, lambda s: s.amount)), None])
    files.append((f"{region}/{region}签约项目台账（{ctx.month}月）.xlsx", wb))

    wb = new_workbook()
    acts = ctx.activities(region)
    sh = Sheet(wb, "活动")
    cols: list[Col] = [
        ("序号", row_number),
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
    sh.put(cols, {"序号": "合计", "形成合作线索": total(acts, lambda a: a.leads)})
    note_row(sh, "吴九", "郑十", "0469-4600005")
    files.append((f"{region}/{region}招商活动台账.xlsx", wb))

    files.append((f"{region}/{region}重点项目台账（{ctx.month}月）.xlsx", _jixian_projects(ctx, region, unit_line)))
    return files


# --- 友谊县 ------------------------------------------------------------------------


def render_youyi(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "友谊县", new_workbook()
    signings = ctx.signings(region)
    # one signing of an industry that is not one of the city's chains
    odd = next(s for s in signings if s.out_of_province)
    sh = Sheet(wb, "签约")
    cols: list[Col] = [
        ("签约项目", lambda i, s: s.project),
        ("签约企业", lambda i, s: s.investor),
        ("企业所在地", lambda i, s: s.origin),
        ("地区", lambda i, s: "友谊"),
        ("所属产业", lambda i, s: "数字经济" if s is odd else s.chain),
        ("签约时间", lambda i, s: serial(s.signed_on) if i % 3 == 1 else s.signed_on),
        ("协议投资额", lambda i, s: full_width(s.amount)),
        ("签约形式", lambda i, s: s.mode),
    ]
    sh.table(cols, signings)

    acts = ctx.activities(region)
    sh = Sheet(wb, "活动")
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
        sh = Sheet(wb, f"附表{k}")
        cols = [
            ("项目名称", lambda i, p: p.name),
            ("产业链", lambda i, p: p.chain),
            ("总投资", lambda i, p: p.total_investment),
            ("计划投资", lambda i, p: p.planned),
            ("累计完成投资", lambda i, p: completed_cell(ctx.state(p), "—" if i % 2 else None)),
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


def _baoqing_projects(ctx: Ctx, wb: Workbook, region: str) -> None:
    """宝清县's key projects sheet: the county and the tier as merged cells, then 合计."""
    sh = Sheet(wb, "百大及产业项目")
    cols = [
        ("县区", lambda i, p: region),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("序号", row_number),
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
            "年度计划投资": total(projects, lambda p: p.planned),
            f"{ctx.span}累计完成投资": total(projects, lambda p: ctx.state(p).completed),
        },
    )


def render_baoqing(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "宝清县", new_workbook()
    signings = ctx.signings(region)
    sh = Sheet(wb, "招商签约")
    cols: list[Col] = [
        ("序号", row_number),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("省外项目", lambda i, s: yes_no(s.out_of_province, "是", "否")),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_slash(s.signed_on) if i % 2 else s.signed_on),
        ("签约金额", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
        (FUNDS_HEADERS[region], lambda i, s: s.funds),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(f"填报单位：{region}（盖章）  单位：万元  填报日期：{ctx.reported}")
    sh.table(cols, signings)
    sh.put(cols, {"序号": "合计", "签约金额": total(signings, lambda s: s.amount)})
    sh.put(
        cols,
        {"序号": "其中：省外项目", "签约金额": total([s for s in signings if s.out_of_province], lambda s: s.amount)},
    )
    sh.put(cols, {"序号": "其中：不见面招商", "签约金额": total([s for s in signings if s.online], lambda s: s.amount)})
    note_row(sh, "钱一", "冯二", "0469-4600007")

    acts = ctx.activities(region)
    sh = Sheet(wb, "招商活动")
    cols = [
        ("序号", row_number),
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

    _baoqing_projects(ctx, wb, region)
    return [(f"{region}招商台账（{ctx.month}月）.xlsx", wb)]


def render_raohe(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "饶河县", new_workbook()
    unit_line = f"填报单位：{region}经济合作促进局    单位：万元    填报日期：{ctx.reported}"
    signings = ctx.signings(region)
    sh = Sheet(wb, "签约")
    cols: list[Col] = [
        ("序号", row_number),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_cn(s.signed_on)),
        ("签约额", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
        (FUNDS_HEADERS[region], lambda i, s: s.funds),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, signings)
    sh.put(cols, {"序号": "合计", "签约额": total(signings, lambda s: s.amount)})
    note_row(sh, "褚三", "卫四", "0469-4600008")

    acts = ctx.activities(region)
    sh = Sheet(wb, "活动")
    cols = [
        ("序号", row_number),
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

    sh = Sheet(wb, "项目")
    cols = [
        ("序号", row_number),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("所属县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: completed_cell(ctx.state(p))),
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
        ws.title = to_traditional(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = to_traditional(cell.value)
    return [(f"{region}/{to_traditional(f'{region}招商台账（{ctx.month}月）')}.xlsx", wb)]


# --- 目标任务表 --------------------------------------------------------------------

TARGET_NAMES = {"集贤县": "集贤", "饶河县": "饶河"}  # short aliases in the targets file


def render_targets(ctx: Ctx) -> list[tuple[str, Workbook]]:
    wb = new_workbook()
    sh = Sheet(wb, "目标任务")
    sh.title("2020年各县（区）招商引资目标任务表", 3)
    sh.header(["县区", "签约额目标（亿元）", "签约项目数目标"])
    for region in REGIONS:
        amount, count = TARGETS[region]
        sh.record([TARGET_NAMES.get(region, region), amount, count])
    sh.record(["全市合计", sum(t[0] for t in TARGETS.values()), sum(t[1] for t in TARGETS.values())])
    sh.line("注：签约额目标为年度预计目标，签约项目仅统计省外项目。")
    return [("2020年招商引资目标任务表.xlsx", wb)]
