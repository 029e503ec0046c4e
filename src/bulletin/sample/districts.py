"""The four districts' workbooks, each in its own layout (see the package docstring's
layout map): 尖山区, 岭东区, 四方台区, 宝山区."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook

from bulletin.sample.cells import (
    Col,
    Ctx,
    Sheet,
    comma,
    d_cn,
    d_dot,
    d_iso,
    d_slash,
    new_workbook,
    note_row,
    row_number,
    serial,
    total,
    with_cell_unit,
    yes_no,
    yi,
)
from bulletin.sample.plan import FUNDS_HEADERS, TIER_WORDS, TIERS

# --- 尖山区 ------------------------------------------------------------------------


def render_jianshan(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "尖山区", new_workbook()
    signings = ctx.signings(region)
    sh = Sheet(wb, "签约")
    cols: list[Col] = [
        ("序号", row_number),
        ("项目名称", lambda i, s: s.project),
        ("投资方", lambda i, s: s.investor),
        ("投资方所在地", lambda i, s: s.origin),
        ("所属县区", lambda i, s: region),
        ("产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: s.signed_on),
        ("签约额", lambda i, s: with_cell_unit(s.amount, i)),
        ("签约方式", lambda i, s: s.mode),
        (FUNDS_HEADERS[region], lambda i, s: s.funds),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(f"填报单位：{region}（盖章）    单位：万元    填报日期：{ctx.reported}")
    sh.table(cols, signings)
    funds_total = total(signings, lambda s: s.funds)
    sh.put(cols, {"序号": "合计", "签约额": total(signings, lambda s: s.amount), FUNDS_HEADERS[region]: funds_total})
    online = [s for s in signings if s.online]
    sh.put(cols, {"序号": "其中：不见面招商", "签约额": total(online, lambda s: s.amount)})
    note_row(sh)
    sh.widths(6, 30, 24, 14, 10, 14, 12, 12, 12, 12)

    acts = ctx.activities(region)
    sh = Sheet(wb, "活动")
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
    sh.table(cols, acts)
    sh.put(cols, {"序号": "合计", "形成合作线索": total(acts, lambda a: a.leads)})

    projects = ctx.projects(region)
    projects = projects[:3] + [p for p in projects if p.bad] + [p for p in projects[3:] if not p.bad]
    sh = Sheet(wb, "项目")
    cols = [
        ("序号", row_number),
        ("项目名称", lambda i, p: p.name),
        ("项目类别", lambda i, p: TIER_WORDS["long"][p.tier]),
        ("所属县区", lambda i, p: region),
        ("产业链", lambda i, p: p.chain),
        ("总投资", lambda i, p: p.total_investment),
        ("年度计划投资", lambda i, p: p.planned),
        ("累计完成投资", lambda i, p: ctx.state(p).completed),
        ("开复工情况", lambda i, p: ctx.state(p).status),
        ("开工时间", lambda i, p: p.started_on if ctx.state(p).started else None),
        ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目推进情况表", len(cols))
    sh.line(f"填报单位：{region}发展和改革局    单位：万元    填报日期：{ctx.reported}")
    sh.table(cols, projects)
    sh.line("注：投资额单位为万元；开工时间为2020年开（复）工时间。")
    wb.create_sheet("Sheet4")
    return [(f"{region}招商台账（{ctx.month}月）.xlsx", wb)]


# --- 岭东区 ------------------------------------------------------------------------


def render_lingdong(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "岭东区", new_workbook()
    unit_line = f"填报单位：{region}（盖章）    单位：万元    填报日期：{ctx.reported}"
    signings = ctx.signings(region)
    sh = Sheet(wb, "Sheet1")
    cols: list[Col] = [
        ("签约项目名称", lambda i, s: s.project),
        ("投资主体", lambda i, s: s.investor),
        ("是否省外", lambda i, s: yes_no(s.out_of_province, "是", "否")),
        ("产业类别", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_iso(s.signed_on)),
        ("签约金额", lambda i, s: comma(s.amount)),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.title(f"2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(unit_line)
    sh.table(cols, signings)
    sh.put(cols, {"签约项目名称": "合计", "签约金额": comma(total(signings, lambda s: s.amount))})
    sh.line("审核人：李四")

    acts = ctx.activities(region)
    sh = Sheet(wb, "Sheet2")
    cols = [
        ("活动时间", lambda i, a: d_slash(a.held_on)),
        ("招商方式", lambda i, a: a.kind),
        ("牵头领导", lambda i, a: a.leader),
        ("目的地", lambda i, a: a.place),
        ("洽谈企业", lambda i, a: a.companies),
        ("合作线索", lambda i, a: a.leads),
    ]
    sh.title(f"2020年{ctx.span}招商活动开展情况", len(cols))
    sh.line(f"填报单位：{region}经济合作促进局")
    sh.table(cols, acts)

    for tier, sheet_name in [("provincial_key", "省百大"), ("municipal_key", "市百大"), ("industrial", "产业项目")]:
        sh = Sheet(wb, sheet_name)
        cols = [
            ("序号", row_number),
            ("项目名称", lambda i, p: p.name),
            ("所属产业", lambda i, p: p.chain),
            ("项目总投资", lambda i, p: comma(p.total_investment)),
            ("本年计划投资", lambda i, p: comma(p.planned)),
            ("本年累计完成投资", lambda i, p: comma(ctx.state(p).completed)),
            ("项目状态", lambda i, p: ctx.state(p).status),
            ("开复工时间", lambda i, p: d_iso(p.started_on) if ctx.state(p).started else None),
            ("是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "√", "×")),
            ("责任领导", lambda i, p: p.lead),
            ("进展情况", lambda i, p: ctx.state(p).progress),
            ("存在问题", lambda i, p: p.problems),
        ]
        sh.title(f"{region}2020年{TIER_WORDS['long'][tier]}推进情况表", len(cols))
        sh.line(*([None] * (len(cols) - 1)), "单位：万元")
        projects = ctx.projects(region, tier)
        sh.table(cols, projects)
        sh.put(
            cols,
            {
                "序号": "合计",
                "本年计划投资": comma(total(projects, lambda p: p.planned)),
                "本年累计完成投资": comma(total(projects, lambda p: ctx.state(p).completed)),
            },
        )
    return [(f"{region}2020年{ctx.month}月份台账.xlsx", wb)]


# --- 四方台区 ----------------------------------------------------------------------


def render_sifangtai(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "四方台区", new_workbook()
    signings = ctx.signings(region)
    sh = Sheet(wb, "Sheet1")
    cols: list[Col] = [
        ("序号", row_number),
        ("项目", lambda i, s: s.project),
        ("投资方名称", lambda i, s: s.investor),
        ("来源地", lambda i, s: s.origin),
        ("所属产业链", lambda i, s: s.chain),
        ("签约时间", lambda i, s: s.date_text or d_dot(s.signed_on)),
        ("签约投资额", lambda i, s: yi(s.amount)),
        ("签约形式", lambda i, s: s.mode),
    ]
    sh.title(f"{region}2020年{ctx.span}招商引资签约项目台账", len(cols))
    sh.line(*([None] * (len(cols) - 1)), "单位：亿元")
    sh.header([name for name, _ in cols])
    half = (len(signings) + 1) // 2
    for i, s in enumerate(signings):
        if i == half:
            sh.blank()
        sh.record(get(i, s) for _, get in cols)
    sh.put(cols, {"序号": "合计", "签约投资额": yi(total(signings, lambda s: s.amount))})

    acts = ctx.activities(region)
    sh = Sheet(wb, "Sheet2")
    cols = [
        ("序号", row_number),
        ("日期", lambda i, a: a.held_on),
        ("类型", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("城市", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("线索数", lambda i, a: a.leads),
    ]
    sh.title(f"{region}2020年{ctx.span}招商活动台账", len(cols))
    sh.table(cols, acts)
    note_row(sh, "王五", "赵六", "0469-4600003")

    sh = Sheet(wb, "Sheet3")
    cols = [
        ("序号", row_number),
        ("项目级别", lambda i, p: TIER_WORDS["level"][p.tier]),
        ("项目名称", lambda i, p: p.name),
        ("产业链", lambda i, p: p.chain),
        ("计划总投资", lambda i, p: yi(p.total_investment)),
        ("当年计划投资", lambda i, p: yi(p.planned)),
        ("完成投资", lambda i, p: yi(ctx.state(p).completed)),
        ("开工情况", lambda i, p: ctx.state(p).status),
        ("开工日期", lambda i, p: d_dot(p.started_on) if ctx.state(p).started else None),
        ("入统情况", lambda i, p: yes_no(ctx.state(p).in_statistics, "已入统", "未入统")),
        ("包保领导", lambda i, p: p.lead),
        ("形象进度", lambda i, p: ctx.state(p).progress),
        ("存在问题", lambda i, p: p.problems),
    ]
    sh.title(f"{region}2020年重点项目建设台账", len(cols))
    sh.line(f"填报日期：{ctx.reported}", *([None] * (len(cols) - 2)), "单位：亿元")
    sh.header([name for name, _ in cols])
    seq = 0
    for tier in TIERS:
        for p in ctx.projects(region, tier):
            sh.record(get(seq, p) for _, get in cols)
            seq += 1
        if tier != TIERS[-1]:
            sh.blank()
    wb.create_sheet("填报说明")
    notes = wb["填报说明"]
    for r, text in enumerate(
        [
            "填报说明",
            "一、本台账由各县（区）经济合作促进局于每月3日前报送市招商引资工作领导小组办公室。",
            "二、签约项目以正式签订的投资协议为准，框架协议不计入。",
            "三、重点项目按年初确定的项目清单逐项填报，不得增减。",
            "四、如有疑问请联系市经合局综合科。",
        ],
        1,
    ):
        notes.cell(r, 1, text)
    return [(f"附件2-招商引资工作台账（{ctx.span}）.xlsx", wb)]


# --- 宝山区 ------------------------------------------------------------------------


def render_baoshan(ctx: Ctx) -> list[tuple[str, Workbook]]:
    region, wb = "宝山区", new_workbook()
    signings = ctx.signings(region)
    sh = Sheet(wb, "签约项目")
    cols: list[Col] = [
        ("项目名称", lambda i, s: s.project),
        ("签约单位", lambda i, s: s.investor),
        ("省内/省外", lambda i, s: "省外" if s.out_of_province else "省内"),
        ("县区", lambda i, s: region),
        ("所属产业链", lambda i, s: s.chain),
        ("签约日期", lambda i, s: d_cn(s.signed_on)),
        ("签约额（万元）", lambda i, s: s.amount),
        ("签约方式", lambda i, s: s.mode),
    ]
    sh.table(cols, signings)
    sh.put(cols, {"项目名称": "合计", "签约额（万元）": total(signings, lambda s: s.amount)})

    acts = ctx.activities(region)
    sh = Sheet(wb, "招商活动")
    cols = [
        ("县区", lambda i, a: region),
        ("日期", lambda i, a: serial(a.held_on)),
        ("活动形式", lambda i, a: a.kind),
        ("带队领导", lambda i, a: a.leader),
        ("地点", lambda i, a: a.place),
        ("对接企业", lambda i, a: a.companies),
        ("形成线索", lambda i, a: a.leads),
    ]
    sh.table(cols, acts)

    sh = Sheet(wb, "附表2")
    columns: list[tuple[str | None, str, Callable]] = [
        (None, "序号", row_number),
        (None, "项目名称", lambda i, p: p.name),
        (None, "项目类别", lambda i, p: TIER_WORDS["short"][p.tier]),
        (None, "县区", lambda i, p: region),
        (None, "产业链", lambda i, p: p.chain),
        (None, "总投资（万元）", lambda i, p: p.total_investment),
        ("投资情况", "2020年计划投资（万元）", lambda i, p: p.planned),
        ("投资情况", f"{ctx.span}累计完成投资（万元）", lambda i, p: ctx.state(p).completed),
        ("建设进展", "建设状态", lambda i, p: ctx.state(p).status),
        ("建设进展", "开工时间", lambda i, p: p.started_on if ctx.state(p).started else None),
        ("建设进展", "形象进度", lambda i, p: ctx.state(p).progress),
        (None, "是否入统", lambda i, p: yes_no(ctx.state(p).in_statistics, "是", "否")),
        (None, "包保领导", lambda i, p: p.lead),
    ]
    sh.title(f"{region}2020年重点项目推进情况", len(columns))
    sh.header2([(g, n) for g, n, _ in columns])
    for i, p in enumerate(ctx.projects(region)):
        sh.record(get(i, p) for _, _, get in columns)
    note_row(sh, "孙七", "周八", "0469-4600004")
    return [(f"{region}{ctx.month}月份招商台账.xlsx", wb)]
