"""County ledger templates (台账填报模板): one standard workbook per ledger type, so that
the counties send ledgers the readers take as they are (``pipeline.py templates``).

Each workbook has:

* the ledger sheet: a title and a ``填报单位：…（盖章） 单位：万元 填报日期：`` line (the
  county's name in both when one is given: the readers take the region from them), then
  one header row with the first header the readers know for each field of the
  configuration (money columns with ``（万元）``), and no data rows;
* data validation on 500 rows below the header: dropdowns for 是/否, 开复工情况,
  产业链, 县区, 签约方式, 活动类型 and 项目类别 (their values are words the readers
  classify: every status either started or not, every mode online or not); dates
  between 2000 and 2099; money and counts not negative; an input message in Chinese
  on every column;
* a ``填报说明`` sheet (how to fill it in), one line per cell of column A, which the
  readers skip as a sheet of no ledger type.

A list longer than Excel's 255 characters for an inline list (a configuration with
many regions or chains) is kept on a very hidden sheet ``选项`` and referenced.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from bulletin.config import Config
from bulletin.contract import LEDGERS
from bulletin.text import norm_key

ROWS = 500  # data rows under the header that carry the validation
HEADER_ROW = 3
FIRST_DATE, LAST_DATE = 36526, 73050  # Excel serials of 2000-01-01 and 2099-12-31
MONEY_UNIT = "（万元）"
OPTIONS_SHEET = "选项"
INLINE_MAX = 255  # Excel's limit for an inline list

# Fixed dropdowns (the values are words the readers classify, SPEC §3.8–3.10).
YES_NO = ["是", "否"]
STATUSES = ["已开工", "已复工", "在建", "续建", "竣工", "已投产", "未开工", "前期手续办理中"]
MODES = ["现场签约", "集中签约", "视频签约", "网上签约", "云签约", "不见面签约"]
KINDS = ["外出招商", "小分队招商", "客商来访", "展会招商", "线上推介会", "视频连线洽谈", "云招商"]
TIERS = ["省百大项目", "市百大项目", "500万元以上产业项目"]
FIXED_LISTS = {
    "out_of_province": YES_NO,
    "in_statistics": YES_NO,
    "status": STATUSES,
    "mode": MODES,
    "kind": KINDS,
    "tier": TIERS,
}

# Input messages: what to write in each field.
PROMPTS = {
    "project": "填写项目全称，一个项目一行。",
    "investor": "填写投资方（企业）全称。",
    "origin": "投资方所在地，写到省、市，如：广东省深圳市、北京市、日本。",
    "out_of_province": "从下拉列表选择：是（省外项目）或否（省内项目）。",
    "region": "从下拉列表选择县（区）。",
    "chain": "从下拉列表选择产业链；不属于以下产业链的可直接填写（统计时归入“其他”）。",
    "signed_on": "填写日期，如 2020-06-30。",
    "amount": "填写数字，单位万元，不要带“万元”等文字。",
    "mode": "从下拉列表选择签约方式（视频、网上、云签约等计为不见面招商）。",
    "funds_in_place": "填写截至本月末实际到位的资金，数字，单位万元；尚未到位填0，留空表示未统计。",
    "held_on": "填写活动日期，如 2020-06-30。",
    "kind": "从下拉列表选择活动类型，也可直接填写（线上、视频、云等计为不见面招商）。",
    "leader": "填写带队领导姓名、职务。",
    "place": "填写活动地点（城市），线上活动填“线上”。",
    "companies": "填写对接企业，多家用顿号“、”分隔。",
    "leads": "填写形成合作线索的条数（整数），没有填 0。",
    "tier": "从下拉列表选择项目类别。",
    "total_investment": "填写项目总投资，数字，单位万元。",
    "planned_investment": "填写本年度计划投资，数字，单位万元。",
    "completed_investment": "填写年初至本月末累计完成投资，数字，单位万元；未完成填 0。",
    "status": "从下拉列表选择开复工情况。",
    "started_on": "填写开（复）工日期，如 2020-04-15；未开工不填。",
    "in_statistics": "从下拉列表选择是否入统（是/否）。",
    "lead": "填写包保（责任）领导姓名、职务。",
    "progress": "简要填写形象进度。",
    "problems": "填写存在问题，没有填“无”。",
    "signed_amount_target": "填写本年度签约额目标，数字，单位万元。",
    "signed_projects_target": "填写本年度签约项目数目标（整数）。",
    "funds_in_place_target": "填写本年度到位资金目标，数字，单位万元；未下达可不填。",
}
TITLES = {
    "signings": "招商引资签约项目台账",
    "activities": "招商引资活动台账",
    "projects": "重点项目推进情况表",
    "targets": "招商引资目标任务表",
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def resolve_region(region: str | None, cfg: Config) -> str:
    """The canonical name of ``region`` (a name or an alias), '' for none; ValueError
    naming the known regions when it is not one."""
    if not region:
        return ""
    name = cfg.region_lookup.get(norm_key(region))
    if name is None:
        raise ValueError(f"县区“{region}”不在县区名录中（{'、'.join(cfg.region_names)}）")
    return name


def header_text(cfg: Config, ledger: str, name: str) -> str:
    """The header the readers know for a field: its first alias, money with its unit."""
    text = cfg.field_label(ledger, name) if name != "region" else cfg.ledgers[ledger]["fields"]["region"][0]
    return text + MONEY_UNIT if cfg.field_type(name) == "amount" else text


def options(cfg: Config, name: str) -> list[str] | None:
    """The dropdown values of a field, or None when it has none."""
    if name == "region":
        return list(cfg.region_names)
    if name == "chain":
        return [c["name"] for c in cfg.raw["chains"]["chains"]]
    if name in FIXED_LISTS or cfg.field_type(name) == "yesno":
        return FIXED_LISTS.get(name, YES_NO)
    return None


def file_name(cfg: Config, ledger: str, region: str = "") -> str:
    label = cfg.ledger_label(ledger)
    return f"{region + '_' if region else ''}{label}台账（模板）.xlsx"


class _Lists:
    """Where a dropdown's values are written: inline when short, else a column of the
    very hidden 选项 sheet."""

    def __init__(self, wb: Workbook):
        self.wb, self.sheet, self.columns = wb, None, 0

    def formula(self, values: list[str]) -> str:
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= INLINE_MAX and not any("," in v or '"' in v for v in values):
            return inline
        if self.sheet is None:
            self.sheet = self.wb.create_sheet(OPTIONS_SHEET)
            self.sheet.sheet_state = "veryHidden"
        self.columns += 1
        col = get_column_letter(self.columns)
        for i, value in enumerate(values, 1):
            self.sheet.cell(i, self.columns, value).data_type = "s"
        return f"{quote_sheetname(OPTIONS_SHEET)}!${col}$1:${col}${len(values)}"


def _validation(cfg: Config, name: str, header: str, lists: _Lists) -> DataValidation:
    kind = cfg.field_type(name)
    values = options(cfg, name)
    prompt = PROMPTS.get(name, f"填写{header}。")
    if values is not None:
        strict = name not in ("chain", "kind")  # other chains and activity kinds may be written as they are
        dv = DataValidation(type="list", formula1=lists.formula(values), allow_blank=True)
        dv.errorStyle = "stop" if strict else "warning"
        dv.error = "请从下拉列表中选择。" if strict else "不在列表中：确认要填写列表以外的内容吗？"
    elif kind == "date":
        dv = DataValidation(
            type="date", operator="between", formula1=str(FIRST_DATE), formula2=str(LAST_DATE), allow_blank=True
        )
        dv.error = "请填写 2000 年至 2099 年之间的日期，如 2020-06-30。"
    elif kind in ("amount", "count"):
        dv = DataValidation(
            type="decimal" if kind == "amount" else "whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
        )
        dv.error = "请填写不小于 0 的数字（单位万元，不带文字）。" if kind == "amount" else "请填写不小于 0 的整数。"
    else:
        dv = DataValidation(allow_blank=True)  # any value: the input message only
    dv.promptTitle = header[:32]
    dv.prompt = prompt[:255]
    dv.showInputMessage = True
    dv.showErrorMessage = dv.type is not None
    if dv.type is not None:
        dv.errorTitle = f"{header}填写有误"[:32]
    return dv


def _instructions(wb: Workbook, cfg: Config, ledger: str, region: str, headers: dict[str, str]) -> None:
    ws = wb.create_sheet("填报说明")
    required = [headers[f] for f in cfg.ledgers[ledger].get("required", []) if f in headers]
    if ledger == "targets":
        required.append("至少一项目标")
    lines = [
        f"{cfg.ledger_label(ledger)}台账填报说明",
        f"一、本表是{cfg.ledger_label(ledger)}台账的标准模板，由{region or '各县（区）'}填报，"
        "每月报送年初至本月末的累计数，不只是当月新增。",
        "二、从第4行起逐行填写，一条记录一行；不要合并单元格，不要修改或删除第3行表头，不用的列留空。",
        "三、金额单位一律为万元，只填数字，不要带“万元”“亿元”等文字。",
        "四、日期直接输入，如 2020-06-30；带下拉箭头的列从下拉列表中选择。",
        f"五、必填栏目：{'、'.join(required)}；必填栏目为空的行不计入统计，会列入数据质量反馈表。",
        "六、如需合计行，放在所有记录之后，首列写“合计”；合计行不计入统计。",
        "七、填报人、审核人、联系电话可写在表格最后一行之下。",
        "八、各栏目填写要求：",
    ]
    lines += [f"　　{headers[f]}：{PROMPTS.get(f, '按实际填写。')}" for f in headers]
    for i, text in enumerate(lines, 1):
        ws.cell(i, 1, text).alignment = Alignment(wrap_text=False)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100


def build_template(ledger: str, region: str, cfg: Config) -> Workbook:
    """The template workbook of ``ledger`` (``region``: a canonical region name or '')
    in the configuration ``cfg``."""
    if ledger not in LEDGERS:
        raise ValueError(f"unknown ledger type {ledger!r}")
    fields = list(cfg.ledgers[ledger]["fields"])
    headers = {name: header_text(cfg, ledger, name) for name in fields}
    wb = Workbook()
    ws = wb.active
    ws.title = cfg.ledger_label(ledger)
    width = len(fields)
    ws.cell(1, 1, f"{region}{TITLES.get(ledger, cfg.ledger_label(ledger) + '台账')}").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"填报单位：{region}（盖章）    单位：万元    填报日期：")
    lists = _Lists(wb)
    for col, name in enumerate(fields, 1):
        cell = ws.cell(HEADER_ROW, col, headers[name])
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(12, 2 * len(headers[name]) + 2)
        dv = _validation(cfg, name, headers[name], lists)
        dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + ROWS}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    _instructions(wb, cfg, ledger, region, headers)
    return wb


def write_templates(out_dir: str | Path, cfg: Config, region: str | None = "") -> list[Path]:
    """Write one template per ledger type of the configuration ``cfg`` into ``out_dir``
    (``region``: a region's name or alias, or ''); return the files."""
    name = resolve_region(region, cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for ledger in LEDGERS:
        path = out / file_name(cfg, ledger, name)
        build_template(ledger, name, cfg).save(path)
        written.append(path)
    return written
