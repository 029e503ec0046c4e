"""Every piece of reader-facing text of the bulletin, keyed by id, in one place.

The bulletin is published in simplified Chinese (``"zh"``); an English edition
(``"en"``, for the provincial platform's foreign-investment desk) renders from the
same data with the same keys. Sentence templates use ``str.format`` fields with
English names; punctuation that differs between the languages (``，`` / ``, ``) is a
label too (``p.*``), so the sentence-building code in :mod:`bulletin.report` is
the same for both editions.

Place names (the city, its regions, ``全市``) are translated by :func:`place`: the
city's and the regions' English names come from the configuration (regions.yaml); a
name without an English form is shown as written. Ledger text (project names, investors, messages) is never translated.

>>> label("tier.provincial_key")
'省级百大项目'
>>> label("light.red"), label("light.red", "en")
('红灯', 'red')
>>> place("宝清县", "en"), place("宝清县"), place("某新区", "en")
('Baoqing County', '宝清县', '某新区')
"""

from __future__ import annotations

import string

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")

ZH: dict[str, str] = {
    # --- document ---------------------------------------------------------------
    "doc.title": "{city}{period}招商引资和项目建设情况通报",
    "doc.subtitle": "统计期间：{start}至{end}（年初至本月末累计）",
    "doc.whole_city": "全市",
    # --- punctuation and joining ------------------------------------------------------
    "p.comma": "，",
    "p.semi": "；",
    "p.stop": "。",
    "p.list": "、",
    "p.space": "",
    "p.paren": "（{text}）",
    "p.item": "{name}（{value}）",
    "num.1": "一",
    "num.2": "二",
    "num.3": "三",
    "num.4": "四",
    "num.5": "五",
    "num.6": "六",
    "num.7": "七",
    "num.8": "八",
    "num.9": "九",
    "num.10": "十",
    # --- period labels (see format.period_label / period_span) ---------------------
    "period.title": "{year}年{span}",
    "period.title.month": "1月",
    "period.title.range": "1-{month}月",
    "period.title.half": "上半年",
    "period.title.full": "全年",
    "period.span.month": "1月",
    "period.span.range": "1-{month}月",
    "period.span.half": "上半年",
    "period.span.full": "全年",
    "period.date": "{year}年{month}月{day}日",
    "period.month_only": "{month}月",
    # --- tiers ------------------------------------------------------------------
    "tier.provincial_key": "省级百大项目",
    "tier.municipal_key": "市级百大项目",
    "tier.industrial": "500万元以上产业项目",
    "tier_short.provincial_key": "省级百大",
    "tier_short.municipal_key": "市级百大",
    "tier_short.industrial": "500万元以上产业",
    # --- traffic lights -----------------------------------------------------------
    "light.green": "绿灯",
    "light.yellow": "黄灯",
    "light.red": "红灯",
    # --- section headings ---------------------------------------------------------
    "sec.overview": "一、总体情况",
    "sec.signings": "二、各县区招商引资完成情况",
    "sec.projects": "三、重点项目建设情况",
    "sec.problems": "四、存在问题",
    "sec.tier": "（{n}）{tier}",
    "sec.appendix": "附表",
    "sec.sources": "数据来源与说明",
    # --- table and figure captions ---------------------------------------------------
    "cap.table": "表{n}",
    "cap.appendix": "附表{n}",
    "cap.figure": "图{n}",
    "cap.sep": "　",
    "cap.signings": "各县区招商引资完成情况",
    "cap.projects": "{tier}推进情况（分县区）",
    "cap.not_started": "{tier}尚未开复工项目",
    "cap.quality": "各县区台账数据质量情况",
    "cap.top_signings": "签约额居前的省外招商引资项目（前{n}项）",
    "cap.inputs": "本期使用的台账文件",
    "fig.monthly": "全市签约额逐月累计",
    "fig.completion": "各县区签约额完成年度目标情况",
    "fig.start_rate": "各县区重点项目开复工率",
    "sheet.about": "说明",
    "sheet.signings": "招商引资完成情况",
    "sheet.projects": "{tier}",
    "sheet.not_started": "{tier}未开工",
    "sheet.quality": "数据质量",
    "sheet.top_signings": "重点签约项目",
    "sheet.inputs": "台账文件",
    # --- table headers ------------------------------------------------------------
    "col.seq": "序号",
    "col.region": "县区",
    "col.activities": "招商活动（次）",
    "col.signed_projects": "签约项目数",
    "col.signed_amount": "签约额（亿元）",
    "col.target": "年度目标（亿元）",
    "col.completion": "完成年度目标",
    "col.light": "红绿灯",
    "col.rank": "排名",
    "col.projects": "项目数",
    "col.started": "开复工数",
    "col.start_rate": "开复工率",
    "col.planned": "年度计划投资（亿元）",
    "col.completed": "累计完成投资（亿元）",
    "col.investment_rate": "投资完成率",
    "col.in_statistics": "入统数",
    "col.in_statistics_rate": "入统率",
    "col.project": "项目名称",
    "col.investor": "投资方",
    "col.origin": "投资方所在地",
    "col.amount": "签约额（亿元）",
    "col.signed_on": "签约日期",
    "col.mode": "签约方式",
    "col.status": "开复工情况",
    "col.problems": "存在问题",
    "col.rows_read": "读取行数",
    "col.records": "有效记录",
    "col.rejected": "退回行数",
    "col.errors": "错误",
    "col.warnings": "警告",
    "col.file": "文件",
    "col.size": "大小",
    "col.sha256": "SHA-256 校验值",
    "mode.online": "不见面",
    "mode.offline": "见面",
    "region.unknown": "未识别县区",
    # --- 一、总体情况 -------------------------------------------------------------------
    "lead.prefix": "全市{span}",
    "lead.activities": "共开展招商引资活动{activities}次",
    "lead.signed": "签约省外招商引资项目{projects}项，签约额{amount}亿元",
    "lead.completion_over": "完成年度目标的{completion}，超额完成年度目标（时序进度{progress}）",
    "lead.completion_ahead": "完成年度目标的{completion}，快于时序进度（时序进度{progress}）",
    "lead.completion_behind": "完成年度目标的{completion}，落后时序进度{gap}个百分点（时序进度{progress}）",
    "lead.no_target": "年度签约额目标未报送，暂不计算完成率",
    "lead.online_intro": "不见面招商",
    "lead.online_leads": "形成合作线索{leads}条",
    "lead.online_signed": "签约项目{projects}个，签约额{amount}亿元",
    "lead.key_pair_start": "省、市级百大项目开复工率分别达到{p}、{m}",
    "lead.key_pair_invest": "投资完成率分别为{p}、{m}",
    "lead.tier_start": "{tier}开复工率{rate}",
    "lead.tier_invest": "投资完成率{rate}",
    "lead.tier_invest_of": "{tier}投资完成率{rate}",
    "lead.tier_no_projects": "{tier}本期无在库项目",
    "lead.tier_no_plan": "年度计划投资未填报，暂不计算投资完成率",
    "lead.no_data": "本期暂无可用数据。",
    # 环比 / 同比 (a period's figures against an earlier snapshot)
    "trend.mom": "与{prev}相比",
    "trend.yoy": "与上年同期相比",
    "trend.up": "增加",
    "trend.down": "减少",
    "trend.pp_up": "提高",
    "trend.pp_down": "降低",
    "trend.grow": "增长{rate}",
    "trend.fall": "下降{rate}",
    "trend.signed_projects": "签约省外项目{verb}{n}项",
    "trend.signed_projects_same": "签约省外项目数持平",
    "trend.signed_amount": "签约额{verb}{amount}亿元",
    "trend.signed_amount_same": "签约额持平",
    "trend.completion": "完成年度目标的比例{verb}{points}个百分点",
    "trend.completion_same": "完成年度目标的比例持平",
    "trend.activities": "招商引资活动{verb}{n}次",
    "trend.activities_same": "招商引资活动次数持平",
    "trend.growth": "（{change}）",
    # --- 二、各县区 ------------------------------------------------------------------------
    "sig.overall": "从各县区看，",
    "sig.top": "完成年度目标比例居前的是{items}",
    "sig.bottom": "居后的是{items}",
    "sig.green": "{regions}达到或快于时序进度，亮绿灯",
    "sig.yellow": "{regions}落后于时序进度{margin}个百分点以内，亮黄灯",
    "sig.red": "{regions}落后于时序进度，亮红灯",
    "sig.no_signings": "{regions}本期尚无省外签约项目",
    "sig.no_target_regions": "{regions}未报送年度签约额目标，不参与排名",
    "sig.no_targets": "各县区年度签约额目标未报送，暂不排名、不亮灯",
    "sig.none": "本期各县区均无签约数据",
    # --- 三、重点项目 ----------------------------------------------------------------------
    "prj.count": "全市{tier}{n}个，已开复工{started}个，开复工率{rate}",
    "prj.investment": "年度计划投资{planned}亿元，累计完成投资{completed}亿元，投资完成率{rate}",
    "prj.no_plan": "年度计划投资未填报，暂不计算投资完成率",
    "prj.in_statistics": "已开复工项目中入统{n}个，入统率{rate}",
    "prj.no_started": "暂无开复工项目，不计算入统率",
    "prj.none": "本期全市无{tier}（项目清单中无此类项目），不计算开复工率、投资完成率和入统率。",
    "prj.by_region": "分县区看，",
    "prj.range": "{what}最高的是{best}，最低的是{worst}",
    "prj.not_started": "尚未开复工的项目{n}个，见{table}",
    "prj.all_started": "项目已全部开复工",
    "what.start_rate": "开复工率",
    "what.investment_rate": "投资完成率",
    "what.in_statistics_rate": "入统率",
    # --- 四、存在问题 ------------------------------------------------------------------------
    "prob.ordinal": "{n}是",
    "prob.lag.title": "部分县区签约进度滞后",
    "prob.lag.red": "{items}签约额完成年度目标的比例落后于时序进度（{progress}）{margin}个百分点以上，亮红灯",
    "prob.lag.yellow": "{items}落后于时序进度{margin}个百分点以内，亮黄灯",
    "prob.lag.none_signed": "{regions}本期尚无省外签约项目",
    "prob.start.title": "开复工率偏低",
    "prob.invest.title": "投资完成率偏低",
    "prob.stat.title": "入统率偏低",
    "prob.tiers": "{names}项目",
    "prob.rates": "{tiers}{what}分别为{rates}",
    "prob.rate_one": "{tier}{what}为{rate}",
    "prob.below_progress": "均低于时序进度（{progress}）",
    "prob.some_below_progress": "{tiers}低于时序进度（{progress}）",
    "prob.lowest_tier": "其中{tier}最低",
    "prob.lowest_regions": "分县区看，{items}",
    "prob.lowest_item": "{tier}{what}最低的是{regions}（{rate}）",
    "prob.quality.title": "台账数据质量有待提高",
    "prob.quality.rows": "本期读取台账数据行{rows}行，退回{rejected}行（未计入统计）",
    "prob.quality.regions": "{items}的台账存在待核实问题，已反馈相关县区核实更正",
    "prob.quality.item": "{region}（{counts}）",
    "prob.quality.errors": "错误{n}条",
    "prob.quality.warnings": "警告{n}条",
    "prob.quality.clean": "台账数据质量良好",
    "prob.quality.no_open": "各县区台账均未发现待核实问题",
    "prob.none": "本期未发现需要特别关注的问题。",
    # --- sources / notes ------------------------------------------------------------
    "src.notes": (
        "说明：金额由万元折算为亿元，保留两位小数；比率保留一位小数；均四舍五入。"
        "签约项目为签约日期在统计期间内的省外招商引资项目；重点项目为本年度项目清单截至本月末的情况。"
        "时序进度为本月数除以12。红绿灯：完成年度目标的比例不低于时序进度为绿灯，落后不超过"
        "{margin}个百分点为黄灯，其余为红灯。入统率为已开复工项目中入统项目的比例。"
        "“—”表示无数据或分母为零。"
    ),
    "src.accounting": (
        "本期共读取台账工作表{sheets}张、数据行{rows}行，其中形成记录{records}条，"
        "合计、备注等非记录行{other}行，退回{rejected}行。"
    ),
    "src.quality": "数据质量检查发现错误{errors}条、警告{warnings}条，已反馈各县区核实更正。",
    "src.quality_clean": "数据质量检查未发现错误或警告。",
    "src.code_version": "程序版本：{version}",
    "src.run_time": "数据处理时间：{time}",
    "src.no_manifest": "未找到本期数据处理记录（manifest.json）。",
    "src.generated": "本通报由台账数据自动生成。",
    "src.ledger_text": "项目名称、投资方等台账内容按报送原文显示。",
    "note.rounding": "注：{columns}的合计数按未经舍入的数据计算，与各县区之和的差异系四舍五入所致。",
    "note.unallocated": "注：{columns}的全市数含未分解到县区的数据，与各县区之和不等。",
    "note.quotes": "“{text}”",
    # --- charts -------------------------------------------------------------------------
    "chart.completion_axis": "完成年度目标的比例（%）",
    "chart.time_progress": "时序进度 {progress}",
    "chart.no_target": "无目标",
    "chart.start_rate_axis": "开复工率（%）",
    "chart.no_projects": "无项目",
    "chart.amount_axis": "累计签约额（亿元）",
    "chart.no_snapshot": "无数据",
    "chart.target_path": "按时序进度应完成",
    "chart.last_year": "上年同期",
    "chart.this_year": "本年累计",
    # --- Excel --------------------------------------------------------------------------------
    "xl.title": "标题",
    "xl.period": "统计期间",
    "xl.units": "金额单位为亿元（保留两位小数），比率保留一位小数，与通报 HTML、PDF 一致。",
    "xl.tables": "工作表",
    # --- county edition (load_context(..., region=...)) ------------------------------
    "lead.prefix_region": "{region}{span}",
    "lead.light": "亮{light}",
    "lead.rank": "在全市{n}个县区中居第{rank}位",
    "fig.monthly_region": "{region}签约额逐月累计",
    "fig.start_rate_region": "{region}与全市重点项目开复工率",
    "sec.signings_region": "二、招商引资完成情况及在全市位次",
    "cap.region_projects": "{region}重点项目推进情况",
    "sheet.region_projects": "重点项目",
    "cap.quality_rows": "{region}台账待核实问题清单",
    "sheet.quality_rows": "待核实问题",
    "col.tier": "项目类别",
    "col.severity": "类别",
    "col.sheet": "工作表",
    "col.row": "行号",
    "col.field": "字段",
    "col.value": "填报内容",
    "col.message": "问题说明",
    "sev.error": "错误",
    "sev.warning": "警告",
    "rsig.none": "本期{region}无签约数据",
    "rsig.no_signings": "{region}本期尚无省外签约项目",
    "rsig.signed": "{region}签约省外招商引资项目{projects}项，签约额{amount}亿元",
    "rsig.share": "占全市签约额的{share}",
    "rsig.no_target": "未报送年度签约额目标，不参与排名、不亮灯",
    "rsig.completion": "完成年度目标的{completion}",
    "rsig.city": "全市完成年度目标的{completion}（时序进度{progress}）",
    "rprj.count": "{region}{tier}{n}个，已开复工{started}个，开复工率{rate}",
    "rprj.compare": "（全市{city}）",
    "rprj.compare_rank": "（全市{city}，居{n}个县区第{rank}位）",
    "rprj.none": "本期{region}无{tier}，不计算开复工率、投资完成率和入统率。",
    "rprob.city_value": "全市{rate}",
    "rprob.below_city": "低于全市水平的有{items}",
    "rprob.lag.title": "签约进度滞后",
    "rprob.lag.none": "本期尚无省外签约项目",
    "rprob.lag": "签约额完成年度目标的{completion}，落后于时序进度（{progress}）{gap}个百分点，亮{light}",
    "rprob.quality.open": "{counts}，需核实更正的行见{table}",
    "rprob.quality.no_open": "未发现待核实问题",
    "rsrc.edition": "本通报为{city}通报的{region}版，与全市通报使用同一批台账数据和同一计算口径。",
    "rsrc.accounting": (
        "本期共读取{region}台账工作表{sheets}张、数据行{rows}行，其中形成记录{records}条，"
        "合计、备注等非记录行{other}行，退回{rejected}行。"
    ),
    "rsrc.quality": "数据质量检查发现{region}台账错误{errors}条、警告{warnings}条，请核实更正。",
    "rsrc.quality_clean": "数据质量检查未发现{region}台账错误或警告。",
    # --- misc ----------------------------------------------------------------------------
    "list.empty": "本期无。",
    "yes": "是",
    "no": "否",
}

EN: dict[str, str] = {
    "doc.title": "{city}: Investment Promotion and Key Projects Bulletin, {period}",
    "doc.subtitle": "Reporting period: {start} to {end} (year to date)",
    "doc.whole_city": "City total",
    "p.comma": ", ",
    "p.semi": "; ",
    "p.stop": ". ",
    "p.list": ", ",
    "p.space": " ",
    "p.paren": " ({text})",
    "p.item": "{name} ({value})",
    "num.1": "1",
    "num.2": "2",
    "num.3": "3",
    "num.4": "4",
    "num.5": "5",
    "num.6": "6",
    "num.7": "7",
    "num.8": "8",
    "num.9": "9",
    "num.10": "10",
    "period.title": "{span} {year}",
    "period.title.month": "January",
    "period.title.range": "January–{month_name}",
    "period.title.half": "H1",
    "period.title.full": "Full Year",
    "period.span.month": "In January",
    "period.span.range": "In January–{month_name}",
    "period.span.half": "In the first half of the year",
    "period.span.full": "In the full year",
    "period.date": "{day} {month_name} {year}",
    "period.month_only": "{month_abbr}",
    "tier.provincial_key": "provincial key projects",
    "tier.municipal_key": "municipal key projects",
    "tier.industrial": "industrial projects over CNY 5 million",
    "tier_short.provincial_key": "provincial key",
    "tier_short.municipal_key": "municipal key",
    "tier_short.industrial": "industrial (≥ CNY 5 mn)",
    "light.green": "green",
    "light.yellow": "yellow",
    "light.red": "red",
    "sec.overview": "1. Overview",
    "sec.signings": "2. Investment promotion by district and county",
    "sec.projects": "3. Key project construction",
    "sec.problems": "4. Problems",
    "sec.tier": "3.{n} {tier}",
    "sec.appendix": "Annex tables",
    "sec.sources": "Sources and notes",
    "cap.table": "Table {n}",
    "cap.appendix": "Annex table {n}",
    "cap.figure": "Figure {n}",
    "cap.sep": ". ",
    "cap.signings": "Signings and annual targets by district and county",
    "cap.projects": "Progress of {tier} by district and county",
    "cap.not_started": "Not yet started: {tier}",
    "cap.quality": "Ledger data quality by district and county",
    "cap.top_signings": "Largest out-of-province signings (top {n})",
    "cap.inputs": "Ledger files used",
    "fig.monthly": "Cumulative signed amount by month, city total",
    "fig.completion": "Completion of the annual signing target by district and county",
    "fig.start_rate": "Start rate of key projects by district and county",
    "sheet.about": "About",
    "sheet.signings": "Signings by region",
    "sheet.projects": "{tier}",
    "sheet.not_started": "{tier} not started",
    "sheet.quality": "Data quality",
    "sheet.top_signings": "Largest signings",
    "sheet.inputs": "Ledger files",
    "col.seq": "No.",
    "col.region": "District/county",
    "col.activities": "Events",
    "col.signed_projects": "Projects signed",
    "col.signed_amount": "Signed amount (CNY bn)",
    "col.target": "Annual target (CNY bn)",
    "col.completion": "Target completion",
    "col.light": "Light",
    "col.rank": "Rank",
    "col.projects": "Projects",
    "col.started": "Started",
    "col.start_rate": "Start rate",
    "col.planned": "Planned investment (CNY bn)",
    "col.completed": "Completed investment (CNY bn)",
    "col.investment_rate": "Investment rate",
    "col.in_statistics": "In statistics",
    "col.in_statistics_rate": "In-statistics rate",
    "col.project": "Project",
    "col.investor": "Investor",
    "col.origin": "Investor's location",
    "col.amount": "Amount (CNY bn)",
    "col.signed_on": "Signed on",
    "col.mode": "Mode",
    "col.status": "Status",
    "col.problems": "Problems",
    "col.rows_read": "Rows read",
    "col.records": "Records",
    "col.rejected": "Rows rejected",
    "col.errors": "Errors",
    "col.warnings": "Warnings",
    "col.file": "File",
    "col.size": "Size",
    "col.sha256": "SHA-256",
    "mode.online": "online",
    "mode.offline": "in person",
    "region.unknown": "Unidentified region",
    "lead.prefix": "{span}, the city ",
    "lead.activities": "held {activities} investment promotion events",
    "lead.signed": "signed {projects} out-of-province projects worth CNY {amount} billion",
    "lead.completion_over": "{completion} of the annual target, exceeding it (time progress {progress})",
    "lead.completion_ahead": "{completion} of the annual target, ahead of time progress ({progress})",
    "lead.completion_behind": (
        "{completion} of the annual target, {gap} percentage points behind time progress ({progress})"
    ),
    "lead.no_target": "the annual signing target has not been reported, so no completion is computed",
    "lead.online_intro": "Online (contact-free) promotion ",
    "lead.online_leads": "produced {leads} cooperation leads",
    "lead.online_signed": "{projects} projects signed worth CNY {amount} billion",
    "lead.key_pair_start": "Provincial and municipal key projects reached start rates of {p} and {m}",
    "lead.key_pair_invest": "investment completion rates of {p} and {m}",
    "lead.tier_start": "the start rate of {tier} was {rate}",
    "lead.tier_invest": "investment completion {rate}",
    "lead.tier_invest_of": "investment completion of {tier} {rate}",
    "lead.tier_no_projects": "there were no {tier} this period",
    "lead.tier_no_plan": "no planned investment reported, so no investment completion rate",
    "lead.no_data": "No data is available for this period.",
    "trend.mom": "Compared with {prev}",
    "trend.yoy": "Compared with the same period last year",
    "trend.up": "up",
    "trend.down": "down",
    "trend.pp_up": "up",
    "trend.pp_down": "down",
    "trend.grow": "+{rate}",
    "trend.fall": "−{rate}",
    "trend.signed_projects": "out-of-province signings {verb} {n}",
    "trend.signed_projects_same": "out-of-province signings unchanged",
    "trend.signed_amount": "the signed amount {verb} CNY {amount} billion",
    "trend.signed_amount_same": "the signed amount unchanged",
    "trend.completion": "target completion {verb} {points} percentage points",
    "trend.completion_same": "target completion unchanged",
    "trend.activities": "promotion events {verb} {n}",
    "trend.activities_same": "promotion events unchanged",
    "trend.growth": " ({change})",
    "sig.overall": "By district and county: ",
    "sig.top": "the highest target completion was in {items}",
    "sig.bottom": "the lowest in {items}",
    "sig.green": "Green light (at or ahead of time progress): {regions}",
    "sig.yellow": "yellow light (less than {margin} percentage points behind time progress): {regions}",
    "sig.red": "red light (behind time progress): {regions}",
    "sig.no_signings": "No out-of-province signing yet: {regions}",
    "sig.no_target_regions": "No annual target reported (not ranked): {regions}",
    "sig.no_targets": "no annual targets have been reported, so there are no ranks or lights",
    "sig.none": "no district or county has signing data this period",
    "prj.count": "The city has {n} {tier}, of which {started} have started (start rate {rate})",
    "prj.investment": (
        "planned investment for the year is CNY {planned} billion, completed "
        "CNY {completed} billion (investment rate {rate})"
    ),
    "prj.no_plan": "no planned investment reported, so no investment completion rate",
    "prj.in_statistics": "{n} of the started projects are in the statistics (rate {rate})",
    "prj.no_started": "none has started, so there is no in-statistics rate",
    "prj.none": (
        "The city has no {tier} this period (none on the project list), so no start, "
        "investment or in-statistics rate is computed. "
    ),
    "prj.by_region": "By district and county, ",
    "prj.range": "the {what} is highest in {best} and lowest in {worst}",
    "prj.not_started": "{n} projects have not started yet, see {table}",
    "prj.all_started": "all projects have started",
    "what.start_rate": "start rate",
    "what.investment_rate": "investment completion rate",
    "what.in_statistics_rate": "in-statistics rate",
    "prob.ordinal": "({n}) ",
    "prob.lag.title": "Some districts and counties lag behind on signings",
    "prob.lag.red": (
        "red light, target completion more than {margin} percentage points behind time progress ({progress}): {items}"
    ),
    "prob.lag.yellow": "yellow light, less than {margin} percentage points behind: {items}",
    "prob.lag.none_signed": "no out-of-province signing yet: {regions}",
    "prob.start.title": "Start rates are low",
    "prob.invest.title": "Investment completion is low",
    "prob.stat.title": "In-statistics rates are low",
    "prob.tiers": "{names} projects",
    "prob.rates": "{what} of {tiers}: {rates}",
    "prob.rate_one": "{what} of {tier}: {rate}",
    "prob.below_progress": "all below time progress ({progress})",
    "prob.some_below_progress": "{tiers} below time progress ({progress})",
    "prob.lowest_tier": "{tier} being the lowest",
    "prob.lowest_regions": "by district and county, {items}",
    "prob.lowest_item": "the lowest {what} of {tier} is in {regions} ({rate})",
    "prob.quality.title": "Ledger data quality needs improvement",
    "prob.quality.rows": "{rows} ledger rows were read this period and {rejected} rejected (not counted)",
    "prob.quality.regions": ("the ledgers of {items} have open findings, which have been sent back for correction"),
    "prob.quality.item": "{region} ({counts})",
    "prob.quality.errors": "errors: {n}",
    "prob.quality.warnings": "warnings: {n}",
    "prob.quality.clean": "Ledger data quality is good",
    "prob.quality.no_open": "no district or county has open findings",
    "prob.none": "No particular problem was found this period. ",
    "src.notes": (
        "Notes: amounts are converted from CNY 10,000 to CNY billion with three decimals "
        "(the same digits as the Chinese edition in CNY 100 million); rates have one decimal; "
        "rounding is half up. Signings are out-of-province projects signed within the period; "
        "key projects are this year's list as of the end of the month. Time progress is the "
        "month divided by 12. Lights: green when target completion is at or above time "
        "progress, yellow when less than {margin} percentage points behind, red otherwise. "
        "The in-statistics rate is the share of started projects entered in the statistics. "
        "“—” means no data or a zero denominator."
    ),
    "src.accounting": (
        "{sheets} ledger sheets with {rows} data rows were read: {records} records, {other} "
        "total or note rows, {rejected} rows rejected."
    ),
    "src.quality": (
        "The data-quality check found {errors} errors and {warnings} warnings, which "
        "have been sent back to the districts and counties."
    ),
    "src.quality_clean": "The data-quality check found no errors or warnings.",
    "src.code_version": "Code version: {version}",
    "src.run_time": "Processed: {time}",
    "src.no_manifest": "No processing record (manifest.json) was found for this period.",
    "src.generated": "This bulletin is generated automatically from the ledgers.",
    "src.ledger_text": "Project names, investors and other ledger text are shown as reported (in Chinese).",
    "note.rounding": (
        "Note: the totals of {columns} are computed from unrounded data; the "
        "difference from the sum of the rows is due to rounding."
    ),
    "note.unallocated": (
        "Note: the city totals of {columns} include data not allocated to a "
        "district or county, so they differ from the sum of the rows."
    ),
    "note.quotes": "“{text}”",
    "chart.completion_axis": "Annual target completion (%)",
    "chart.time_progress": "Time progress {progress}",
    "chart.no_target": "no target",
    "chart.start_rate_axis": "Start rate (%)",
    "chart.no_projects": "no projects",
    "chart.amount_axis": "Cumulative signed amount (CNY bn)",
    "chart.no_snapshot": "no data",
    "chart.target_path": "Target at time progress",
    "chart.last_year": "Same period last year",
    "chart.this_year": "This year, cumulative",
    "xl.title": "Title",
    "xl.period": "Period",
    "xl.units": ("Amounts in CNY billion (three decimals), rates with one decimal, as in the HTML and PDF bulletin."),
    "xl.tables": "Sheets",
    "lead.prefix_region": "{span}, {region} ",
    "lead.light": "{light} light",
    "lead.rank": "ranking {rank} of {n} districts and counties",
    "fig.monthly_region": "Cumulative signed amount by month, {region}",
    "fig.start_rate_region": "Start rate of key projects, {region} and the city",
    "sec.signings_region": "2. Investment promotion and rank in the city",
    "cap.region_projects": "Progress of key projects, {region}",
    "sheet.region_projects": "Key projects",
    "cap.quality_rows": "Ledger rows to check, {region}",
    "sheet.quality_rows": "Rows to check",
    "col.tier": "Category",
    "col.severity": "Severity",
    "col.sheet": "Sheet",
    "col.row": "Row",
    "col.field": "Field",
    "col.value": "Value as reported",
    "col.message": "Problem",
    "sev.error": "error",
    "sev.warning": "warning",
    "rsig.none": "{region} has no signing data this period",
    "rsig.no_signings": "{region} has no out-of-province signing yet",
    "rsig.signed": "{region} signed {projects} out-of-province projects worth CNY {amount} billion",
    "rsig.share": "{share} of the city's signed amount",
    "rsig.no_target": "no annual target has been reported, so there is no rank or light",
    "rsig.completion": "target completion {completion}",
    "rsig.city": "The city as a whole reached {completion} of its annual target (time progress {progress})",
    "rprj.count": "{region} has {n} {tier}, of which {started} have started (start rate {rate})",
    "rprj.compare": "; city {city}",
    "rprj.compare_rank": "; city {city}, rank {rank} of {n}",
    "rprj.none": ("{region} has no {tier} this period, so no start, investment or in-statistics rate is computed. "),
    "rprob.city_value": "city {rate}",
    "rprob.below_city": "below the city's rate: {items}",
    "rprob.lag.title": "Signings lag behind",
    "rprob.lag.none": "no out-of-province signing yet",
    "rprob.lag": (
        "target completion is {completion}, {gap} percentage points behind time progress ({progress}), {light} light"
    ),
    "rprob.quality.open": "{counts}; the rows to correct are listed in {table}",
    "rprob.quality.no_open": "no open findings",
    "rsrc.edition": (
        "This is the {region} edition of the {city} bulletin, from the same ledgers "
        "and with the same definitions as the city's bulletin."
    ),
    "rsrc.accounting": (
        "{sheets} ledger sheets of {region} with {rows} data rows were read: {records} records, "
        "{other} total or note rows, {rejected} rows rejected."
    ),
    "rsrc.quality": (
        "The data-quality check found {errors} errors and {warnings} warnings in the "
        "ledgers of {region}, to be corrected."
    ),
    "rsrc.quality_clean": "The data-quality check found no errors or warnings in the ledgers of {region}.",
    "list.empty": "None this period.",
    "yes": "yes",
    "no": "no",
}

# The month names of the English edition (the Chinese one writes numbers).
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Place names that are wording rather than configuration. The English names of the city
# and its regions are configuration (regions.yaml: ``city_en``, each region's ``en``).
PLACES_EN: dict[str, str] = {
    "全市": "City total",
    "未识别县区": "Unidentified region",
}
_place_names: dict[str, str] | None = None  # the configuration's English names in use


def use_place_names(names: dict[str, str] | None) -> None:
    """The English names of the city and its regions for :func:`place`: those of the
    configuration the bulletin is rendered with (``report.load_context`` sets them;
    None: the configuration in use, :func:`bulletin.config.load_config`)."""
    global _place_names
    _place_names = dict(names) if names is not None else None


LABELS: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


def check_lang(lang: str) -> str:
    """``lang`` if it is a language of the bulletin, else ValueError.

    >>> check_lang("en")
    'en'
    """
    if lang not in LABELS:
        raise ValueError(f"language must be one of {sorted(LABELS)}, got {lang!r}")
    return lang


def label(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """The text for ``key`` in ``lang``, with ``fields`` filled in.

    >>> label("doc.title", city="双鸭山市", period="2020年上半年")
    '双鸭山市2020年上半年招商引资和项目建设情况通报'
    """
    text = LABELS[check_lang(lang)][key]
    return text.format(**fields) if fields else text


def fields_of(template: str) -> set[str]:
    """The ``str.format`` field names of a template (used to check the editions agree).

    >>> sorted(fields_of("{a}和{b}"))
    ['a', 'b']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def tier_name(tier: str, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """The name of a tier id.

    >>> tier_name("industrial"), tier_name("industrial", "en", short=True)
    ('500万元以上产业项目', 'industrial (≥ CNY 5 mn)')
    """
    return label(("tier_short." if short else "tier.") + tier, lang)


def place(name, lang: str = DEFAULT_LANG) -> str:
    """A place name (the city, ``全市``, a region) in ``lang``; unknown names as written."""
    text = "" if name is None else str(name)
    if lang == "zh":
        return text
    names = _place_names
    if names is None:
        from bulletin.config import load_config

        names = load_config().english
    key = text.strip()
    return PLACES_EN.get(key) or names.get(key, text)


def join(items, lang: str = DEFAULT_LANG) -> str:
    """Items as a list in running text: ``甲、乙、丙`` / ``A, B and C``.

    >>> join(["甲", "乙", "丙"]), join(["A", "B", "C"], "en"), join(["A"], "en")
    ('甲、乙、丙', 'A, B and C', 'A')
    """
    items = [str(i) for i in items]
    if lang == "en" and len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return label("p.list", lang).join(items)


def sentence(clauses, lang: str = DEFAULT_LANG, sep: str = "p.comma") -> str:
    """Clauses joined into one sentence with its full stop ('' when there are none).

    English sentences start with a capital letter.

    >>> sentence(["甲", "乙"]), sentence(["a b", "c"], "en")
    ('甲，乙。', 'A b, c. ')
    """
    clauses = [c for c in clauses if c]
    if not clauses:
        return ""
    text = label(sep, lang).join(clauses)
    if lang == "en":
        text = text.strip()
        text = text[:1].upper() + text[1:]
        return text + ". "
    return text + label("p.stop", lang)
