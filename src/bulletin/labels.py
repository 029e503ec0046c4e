"""Every piece of reader-facing text of the bulletin, keyed by id.

The bulletin is published in simplified Chinese. All labels, table headers, tier
names and sentence templates live in :data:`LABELS` under a language code, so an
English edition only needs an ``"en"`` dict with the same keys (and ``lang="en"`` in
the callers). Sentence templates use ``str.format`` fields with English names.

>>> label("tier.provincial_key")
'省级百大项目'
>>> label("light.red")
'红灯'
"""
from __future__ import annotations

DEFAULT_LANG = "zh"

TIERS = ("provincial_key", "municipal_key", "industrial")

ZH: dict[str, str] = {
    # --- document ---------------------------------------------------------------
    "doc.title": "{city}{period}招商引资和项目建设情况通报",
    "doc.subtitle": "统计期间：{start}至{end}（年初至本月末累计）",
    "doc.whole_city": "全市",
    # --- period labels (see format.period_label / period_span) ---------------------
    "period.half": "上半年",
    "period.full": "全年",
    "period.month": "{month}月",
    "period.range": "1-{month}月",
    "period.year": "{year}年",
    "period.date": "{year}年{month}月{day}日",
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
    # --- indicators (names as a statistician writes them) -------------------------
    "ind.activities": "招商引资活动（次）",
    "ind.leads": "形成合作线索（条）",
    "ind.signed_projects": "签约省外项目数",
    "ind.signed_amount": "签约额",
    "ind.signed_amount_target": "年度签约额目标",
    "ind.signed_amount_completion": "完成年度目标",
    "ind.time_progress": "时序进度",
    "ind.signed_light": "红绿灯",
    "ind.signed_completion_rank": "排名",
    # --- section headings ---------------------------------------------------------
    "sec.overview": "一、总体情况",
    "sec.signings": "二、各县区招商引资签约情况",
    "sec.projects": "三、重点项目建设情况",
    "sec.attention": "四、需要关注的问题",
    "sec.lists": "附：项目清单",
    "sec.sources": "数据来源与说明",
    # --- table captions -----------------------------------------------------------
    "cap.signings": "表1　各县区签约省外招商引资项目情况",
    "cap.projects": "表{n}　{tier}推进情况",
    "cap.top_signings": "签约额居前的省外招商引资项目（前{n}项）",
    "cap.not_started": "尚未开复工的省、市级百大项目",
    "cap.inputs": "本期使用的台账文件",
    "fig.completion": "图1　各县区签约额完成年度目标情况",
    "fig.start_rate": "图2　各县区重点项目开复工率",
    # --- table headers ------------------------------------------------------------
    "col.seq": "序号",
    "col.region": "县区",
    "col.signed_projects": "签约项目数",
    "col.signed_amount": "签约额（亿元）",
    "col.target": "年度目标（亿元）",
    "col.completion": "完成率",
    "col.light": "红绿灯",
    "col.rank": "排名",
    "col.projects": "项目数",
    "col.started": "开复工数",
    "col.start_rate": "开复工率",
    "col.planned": "年度计划投资（亿元）",
    "col.completed": "累计完成投资（亿元）",
    "col.investment_rate": "投资完成率",
    "col.in_statistics_rate": "入统率",
    "col.project": "项目名称",
    "col.investor": "投资方",
    "col.origin": "投资方所在地",
    "col.signed_on": "签约日期",
    "col.mode": "签约方式",
    "col.tier": "项目类别",
    "col.status": "开复工情况",
    "col.problems": "存在问题",
    "col.file": "文件",
    "col.size": "大小",
    "col.sha256": "SHA-256 校验值",
    "mode.online": "不见面",
    "mode.offline": "见面",
    # --- lead paragraph -------------------------------------------------------------
    "lead.prefix": "全市{span}",
    "lead.activities": "共开展招商引资活动{activities}次",
    "lead.signed": "签约省外招商引资项目{projects}项，签约额{amount}亿元",
    "lead.completion_over": "完成年度目标的{completion}，超额完成年度目标（时序进度{progress}）",
    "lead.completion_ahead": "完成年度目标的{completion}，快于时序进度（时序进度{progress}）",
    "lead.completion_behind": "完成年度目标的{completion}，落后时序进度{gap}个百分点（时序进度{progress}）",
    "lead.completion_no_progress": "完成年度目标的{completion}",
    "lead.no_target": "年度签约额目标未报送，暂不计算完成率",
    "lead.online_intro": "不见面招商",
    "lead.online_leads": "形成合作线索{leads}条",
    "lead.online_signed": "签约项目{projects}个，签约额{amount}亿元",
    "lead.key_pair_start": "省、市级百大项目开复工率分别达到{p}、{m}",
    "lead.key_pair_invest": "投资完成率分别为{p}、{m}",
    "lead.tier_start": "{tier}开复工率{rate}",
    "lead.tier_invest": "投资完成率{rate}",
    "lead.tier_no_projects": "{tier}本期无在库项目",
    "lead.tier_no_plan": "年度计划投资未填报，暂不计算投资完成率",
    "lead.no_data": "本期暂无可用数据。",
    # --- attention paragraph ----------------------------------------------------------
    "att.red": "签约额完成率落后时序进度{margin}个百分点以上（红灯）的县区：{regions}。",
    "att.yellow": "落后时序进度但在{margin}个百分点以内（黄灯）的县区：{regions}。",
    "att.no_target": "未报送年度签约额目标的县区：{regions}。",
    "att.low_start": "{tier}开复工率低于全市平均水平（{city_rate}）的县区：{regions}。",
    "att.low_stat": "{tier}入统率低于全市平均水平（{city_rate}）的县区：{regions}。",
    "att.none": "本期各县区签约进度均不慢于时序进度，重点项目推进总体正常。",
    # --- sources / notes ------------------------------------------------------------
    "src.notes": (
        "说明：金额由万元折算为亿元，保留两位小数；比率保留一位小数（四舍五入）。"
        "签约项目为签约日期在统计期间内的省外招商引资项目；重点项目为本年度项目清单截至本月末的情况。"
        "红绿灯：完成率不低于时序进度为绿灯，落后不超过{margin}个百分点为黄灯，其余为红灯。"
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
    "src.none": "无",
    # --- charts -------------------------------------------------------------------------
    "chart.completion_axis": "完成年度目标（%）",
    "chart.time_progress": "时序进度 {progress}",
    "chart.no_target": "无目标",
    "chart.start_rate_axis": "开复工率（%）",
    "chart.no_projects": "无项目",
    # --- misc ----------------------------------------------------------------------------
    "list.empty": "本期无。",
    "yes": "是",
    "no": "否",
}

LABELS: dict[str, dict[str, str]] = {"zh": ZH}


def label(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """The text for ``key`` in ``lang``, with ``fields`` filled in.

    >>> label("doc.title", city="双鸭山市", period="2020年上半年")
    '双鸭山市2020年上半年招商引资和项目建设情况通报'
    """
    text = LABELS[lang][key]
    return text.format(**fields) if fields else text


def tier_name(tier: str, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """The Chinese name of a tier id.

    >>> tier_name("industrial")
    '500万元以上产业项目'
    """
    return label(("tier_short." if short else "tier.") + tier, lang)
