"""The findings catalogue: every code a row of quality.csv (SPEC §5) can carry, with its
default severity, its Chinese message template and an English title for developers.

A check reports a finding by code and the values its message names
(:class:`bulletin.ledgers.findings.Finding`, :class:`bulletin.read.grid.OpenProblem`,
:class:`bulletin.ledgers.normalise.Problem`); the words are here, once. A new check is
one entry below. Templates are package data, not office-editable, and take plain
``{name}`` fields only: the values are county-supplied text, so :func:`render`
substitutes them once, as text, and refuses a template with anything else in braces
(``{x.__class__}``, ``{0}``, ``{x!r}``, ``{x:>9}``).

A code with more than one wording (a zip container or an OLE file that cannot be
opened) lists the others as named ``variants``. A code a call may report at a second
severity says so in ``also`` — a field's problem is an error in a required field and a
warning (the field emptied) in an optional one; nothing else chooses its severity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from bulletin.contract import ERROR, INFO, WARNING
from bulletin.errors import BulletinError

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class TemplateError(BulletinError, ValueError):
    """A message template with something other than plain ``{name}`` fields."""


def fields(template: str) -> set[str]:
    """The names a template takes; raises :class:`TemplateError` for any other brace.

    >>> sorted(fields("{label}“{value}”为负数，请核实"))
    ['label', 'value']
    >>> fields("{x.__class__}")
    Traceback (most recent call last):
    ...
    bulletin.findings_catalogue.TemplateError: only plain {name} fields are allowed: '{x.__class__}'
    """
    return {name for name in _parts(template)[1::2]}


@lru_cache(maxsize=1024)
def _parts(template: str) -> tuple[str, ...]:
    """Literal text and field names, alternating (a template is checked once)."""
    rest = _FIELD.sub("", template)
    if "{" in rest or "}" in rest:
        raise TemplateError(f"only plain {{name}} fields are allowed: {template!r}")
    return tuple(_FIELD.split(template))


def render(template: str, params: Mapping[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by ``str(params[name])``, in one pass
    (a value that itself holds ``{…}`` stays as written).

    >>> render("县区“{value}”不在县区名录中", {"value": "{label}"})
    '县区“{label}”不在县区名录中'
    """
    parts = _parts(template)
    if len(parts) == 1:
        return template
    try:
        return "".join([p if k % 2 == 0 else str(params[p]) for k, p in enumerate(parts)])
    except KeyError as exc:
        raise KeyError(f"{template!r} needs {sorted(set(parts[1::2]) - set(params))}") from exc


@dataclass(frozen=True)
class Entry:
    """One code: the severity it is reported at, its Chinese message, its English title;
    ``also``: the second severity a call may choose (else none); ``variants``: other
    wordings of the same finding, by name."""

    severity: str
    template: str
    title: str
    also: str = ""
    variants: Mapping[str, str] = field(default_factory=dict)

    def severities(self) -> tuple[str, ...]:
        return (self.severity, self.also) if self.also else (self.severity,)

    def wording(self, variant: str = "") -> str:
        return self.variants[variant] if variant else self.template


# A field's problem (bulletin.ledgers.findings.field_finding): an error rejects the row
# in a required field and is a warning in an optional one (the field emptied); a warning
# becomes an error when the field is required and nothing else was read from it.
FIELD = {"also": WARNING}
FIELD_WARNING = {"also": ERROR}

# What bulletin.ledgers.findings.field_finding adds to a field's message: the column's
# name before a message that does not start with it, and what happened to the row.
FIELD_PREFIX = "{field}："
NOTES = {
    "rejected": "；该行未计入统计",
    "emptied": "；该项按空值处理",
    "required": "；“{field}”为必填项，该行未计入统计",
}
RESUBMIT_XLSX = "请另存为 xlsx 后重新报送"

CATALOGUE: dict[str, Entry] = {
    # ------------------------------------------------------------- files and sheets (read)
    "file.empty": Entry(ERROR, "文件为空（没有任何内容），请重新报送", "the file has 0 bytes"),
    "file.too_large": Entry(
        ERROR,
        "文件过大（{size_mb} MB），超过读取上限，未读取",
        "the file, or its unpacked content, exceeds the size limit",
        variants={
            "unpacked": "文件解压后过大（{size_mb} MB，上限 {limit_mb} MB），未读取",
            "html": "网页格式的表格文件过大（{size_mb} MB，上限 {limit_mb} MB），未读取；请另存为 xlsx 后报送",
        },
    ),
    "file.zip_bomb": Entry(
        ERROR,
        "文件内部数据压缩比异常（{ratio}倍），疑似恶意文件，未读取",
        "an entry of the zip container is compressed beyond the allowed ratio",
    ),
    "file.encrypted": Entry(
        ERROR,
        "文件设置了密码（已加密），无法读取，请取消密码后重新报送",
        "the workbook has a password (or is an OLE file calamine cannot open)",
        variants={"ole": "文件已加密或不是有效的Excel文件，无法读取，请取消密码或另存为xlsx后重新报送"},
    ),
    "file.corrupt": Entry(
        ERROR,
        "文件已损坏或不是有效的Excel文件，无法打开，请重新保存后报送",
        "the file cannot be opened as a workbook",
        variants={
            "zip": "文件已损坏（不完整或不是有效的压缩包），无法打开，请重新保存后报送",
            "unknown": "文件不是有效的Excel文件（已损坏或是其他格式），无法打开，请另存为xlsx后重新报送",
        },
    ),
    "file.not_table": Entry(
        ERROR, "文件扩展名为表格，但内容不是表格（也不是网页表格），无法读取", "an HTML-like file holds no table"
    ),
    "file.not_excel": Entry(
        ERROR,
        "文件是压缩包或 Word 等其他文档，不是 Excel 工作簿，无法读取",
        "the content is neither a workbook, HTML nor CSV",
        variants={"ole": "文件是 Word、PowerPoint 等其他文档，不是 Excel 工作簿，无法读取"},
    ),
    "sheet.unreadable": Entry(
        ERROR,
        "工作表内容无法读取（文件可能已损坏）",
        "one sheet of an open workbook cannot be read",
        variants={"csv_line": "文件第 {line} 行的格式无法识别（{error}），该行及以后未读取"},
    ),
    "sheet.truncated": Entry(
        ERROR,
        "工作表超过{max_rows}行的读取上限，第{row}行及以后未读取",
        "the sheet is longer than the row limit; the rest was not read",
    ),
    "sheet.too_large": Entry(
        ERROR,
        "工作表的数据范围过大（{what}），超过读取上限（{max_cells} 个单元格），未读取；"
        "可能是很远的行列中有内容或格式，请删除多余的行列后另存再报送",
        "the sheet's cells span more than the cell limit; it was not read",
        variants={
            "csv": "文件的数据范围过大（超过 {max_cells} 个单元格的读取上限），未读取；请拆分后报送",
            "html": "表格范围过大（{rows}行×{cols}列，超过 {max_cells} 个单元格的上限），未读取",
        },
    ),
    "sheet.failed": Entry(
        ERROR,
        "处理工作表时出错（{error}），该工作表未计入统计；请核实表格内容，或与市招商部门联系",
        "reading or normalising one sheet raised; the sheet was not counted",
    ),
    "file.failed": Entry(
        ERROR,
        "读取文件时出错（{error}），该文件未计入统计；请另存为 xlsx 后重新报送，或与市招商部门联系",
        "reading or normalising the file raised; the file was not counted",
    ),
    "file.resources": Entry(
        ERROR,
        "读取该文件时读取程序异常退出（文件可能已损坏），未读取；" + RESUBMIT_XLSX,
        "reading the file needed more memory or time than allowed; not read",
        variants={
            "time": "读取该文件超过 {seconds} 秒仍未完成，已停止读取（文件可能过大或已损坏），" + RESUBMIT_XLSX,
            "memory": "读取该文件需要超过 {memory_mb} MB 内存（数据范围异常大，或文件已损坏），未读取；"
            "请删除多余的行列、另存为 xlsx 后重新报送",
        },
    ),
    "file.unsupported_format": Entry(
        ERROR,
        "文件是 Excel 二进制工作簿（xlsb），暂不支持，请另存为 xlsx 后报送",
        "a workbook format the pipeline cannot read (xlsb, …)",
        variants={"xml2003": "文件是 Excel 2003 XML 表格格式，暂不支持，请另存为 xlsx 后报送"},
    ),
    "file.io_error": Entry(
        ERROR,
        "操作系统无法读取该文件（{error}），未读取",
        "the operating system could not read the file (permissions, I/O)",
    ),
    "file.duplicate_copy": Entry(
        INFO,
        "文件与“{original}”内容完全相同（同一文件报送了两次），只读取“{original}”",
        "byte-identical to another file of the month: read once",
    ),
    "file.same_as_last_month": Entry(
        WARNING,
        "文件与上月（{previous}）报送的“{file}”完全相同，可能重复报送了上月的台账，请核实本月台账是否已更新",
        "byte-identical to a file of the previous month's snapshot",
    ),
    "cell.too_long": Entry(
        ERROR,
        "单元格内容有 {length} 个字符，超过 Excel 单元格 {limit} 个字符的上限，只读取了前 {limit} 个字符，请核实",
        "a cell longer than Excel's 32,767 characters; the rest was cut",
    ),
    "text.control_chars": Entry(
        WARNING,
        "单元格中有不可见的控制字符或文字方向控制符（{names}），已删除；请核实该单元格的内容",
        "control characters or bidi overrides removed from a cell or name",
        variants={
            "more": "另有 {n} 个单元格含不可见的控制字符，均已删除",
            "sheet_name": "工作表名称中有不可见的控制字符（{names}），已删除",
            "file_name": "文件名中有不可见的控制字符或文字方向控制符（{names}），输出中已删除，请核实文件名",
        },
    ),
    # ------------------------------------------------------------- layout (ledgers.locate)
    "header.ambiguous": Entry(
        ERROR,
        "{columns}都对应“{label}”，无法确定读取哪一列，两列均未读取；该项按空值处理"
        "（请删除或改名其中一列，或在layouts.yaml中指定）",
        "two columns map to one field: the field is read from neither (SPEC §8.2)",
        variants={
            "required": "{columns}都对应“{label}”，无法确定读取哪一列，两列均未读取；本表各行因缺少必填项未计入统计"
            "（请删除或改名其中一列，或在layouts.yaml中指定）"
        },
    ),
    "header.month_detail_only": Entry(
        WARNING,
        "只有逐月的“{label}”（{column}列等），没有累计列；逐月数不相加，“{label}”按空值处理，请增加1-N月累计列",
        "a field only as month-by-month columns, no year-to-date column: not read",
    ),
    "column.missing": Entry(
        INFO,
        "本表没有{named}栏目，{empty}，不按0计；请在台账中增加该栏目",
        "a column an indicator needs (status, completed, 入统, origin) is not in the table: "
        "the county's indicators that need it are empty (SPEC §12)",
        variants={
            "ambiguous": "本表{named}栏目有两列以上，无法确定读取哪一列，{empty}，不按0计；请在台账中增加该栏目",
            "month_detail": "本表只有逐月的{named}，没有累计列，{empty}，不按0计；请在台账中增加该栏目",
        },
    ),
    # the description is the one reading.csv shows (bulletin.ledgers.layouts)
    "layout.override": Entry(INFO, "{description}", "the sheet was read as pinned in layouts.yaml (SPEC §8.6)"),
    "layout.invalid": Entry(
        ERROR,
        "layouts.yaml的设定有误，未采用：{problem}",
        "a layouts.yaml entry that matches the file names an unknown field, ledger, column…",
    ),
    "unit.default": Entry(
        WARNING,
        "“{header}”未注明金额单位（表头、单元格和“单位：”行均无），按万元计，请核实",
        "a money column carries no unit anywhere; 万元 was assumed",
    ),
    "unit.conflict": Entry(
        WARNING,
        "{where}的金额单位不一致（{said}）；本列中位数{median}{readings}，按{unit}读取在{scope}内，"
        "已按{unit}计，请核实并统一单位",
        "header and 单位 line name different units; the one whose median is plausible was used",
    ),
    "unit.magnitude": Entry(
        WARNING,
        "{where}未注明金额单位，本列中位数{median}，按{default}计明显{off}（{scope}），"
        "已按{unit}读取（中位数为{median_read}），请核实并在表头注明单位",
        "a money column without unit far outside the plausible range: read in the unit that fits",
    ),
    "unit.foreign_currency": Entry(
        ERROR,
        "{where}的金额是外币（{currency}），通报按人民币统计，本列金额未采用（按空值处理），"
        "请按汇率折算为人民币后重新报送",
        "a money column in a foreign currency: the column is not read (no exchange rate is guessed)",
    ),
    "unit.unresolved": Entry(
        ERROR,
        "{where}未注明金额单位，本列中位数{median}，按任何单位读取都不在{scope}内，"
        "本列金额未采用（按空值处理），请注明单位并核实数字",
        "a money column's unit cannot be told by magnitude: the column is not read",
        variants={
            "none_fits": "{where}的金额单位不一致（{said}）；本列中位数{median}{readings}，均不在{scope}内，"
            "无法判断单位，本列金额未采用（按空值处理），请统一单位后重新报送",
            "all_fit": "{where}的金额单位不一致（{said}）；本列中位数{median}{readings}，都在{scope}内，"
            "无法判断单位，本列金额未采用（按空值处理），请统一单位后重新报送",
        },
    ),
    # ------------------------------------------------------------- cells (ledgers.normalise)
    # {label}: the column as the county wrote it (金额, 日期, 数量 outside a table)
    "amount.not_number": Entry(ERROR, "{label}“{value}”不是数字", "a money cell holds a yes/no value", **FIELD),
    "amount.text": Entry(
        WARNING,
        "{label}“{value}”不是数字，按空值处理，请填写数字（如 3000 或 1.2亿元）",
        "a money cell holds text that is not a number",
        **FIELD_WARNING,
    ),
    "amount.invalid": Entry(ERROR, "{label}“{value}”不是有效数字", "a money cell is not a finite number", **FIELD),
    "amount.negative": Entry(ERROR, "{label}“{value}”为负数，请核实", "a money cell is negative", **FIELD),
    "amount.too_large": Entry(
        ERROR,
        "{label}“{value}”大得不合常理（超过 {limit} 万元），请核实单位和数字",
        "a money cell exceeds the sane bound (limits.max_amount 万元)",
        **FIELD,
    ),
    "amount.decimal_comma": Entry(
        ERROR,
        "{label}“{value}”中的逗号不是千位分隔符（逗号后应恰为三位数字），无法判断是小数点还是笔误，请核实",
        "a comma that is no thousands separator (6,36亿, 1,5): not read",
        **FIELD,
    ),
    "amount.scale_outlier": Entry(
        ERROR,
        "{label}“{value}”（{amount}）是本列中位数{median}的{times}倍，与本列其他数值相差过大，"
        "疑似单位填错（如按元填写），请核实",
        "a value 1,000 times its column's median or more (plausible.scale_outlier), or below a 1,000th",
        variants={
            "below": "{label}“{value}”（{amount}）不到本列中位数{median}的{times}分之一，与本列其他数值相差过大，"
            "疑似单位填错（如按亿元填写），请核实"
        },
        **FIELD,
    ),
    "amount.unit_unresolved": Entry(
        ERROR,
        "{label}：本列金额单位无法确定（见表头行的错误），本列金额未采用；“{label}”为必填项，该行未计入统计",
        "the row's money column is not read (unit.unresolved): a required field rejects it",
    ),
    "count.too_large": Entry(
        WARNING,
        "{label}“{value}”大得不合常理，按空值处理，请核实",
        "a count cell exceeds the sane bound (limits.max_count)",
        **FIELD_WARNING,
    ),
    "count.not_integer": Entry(
        WARNING, "{label}“{value}”不是整数，按空值处理", "a count cell is not a whole number", **FIELD_WARNING
    ),
    "count.invalid": Entry(
        WARNING,
        "{label}“{value}”应为非负整数，按空值处理",
        "a count cell is negative or fractional",
        variants={"comma": "{label}“{value}”中的逗号不是千位分隔符，按空值处理，请核实"},
        **FIELD_WARNING,
    ),
    "date.invalid": Entry(
        ERROR, "{label}“{value}”无法识别，请填写为{year}-06-15格式", "a date cell cannot be read as a date", **FIELD
    ),
    "yesno.invalid": Entry(
        WARNING, "“{value}”应填写“是”或“否”，按未知处理", "a yes/no cell is neither yes nor no", **FIELD_WARNING
    ),
    "status.unknown": Entry(
        WARNING,
        "开复工情况“{value}”无法判断是否已开复工，按未开复工统计，请写明“已开工”“未开工”等",
        "a start status with no word of a started or a not-started state: counted as not started",
        **FIELD_WARNING,
    ),
    "status.blank": Entry(
        WARNING,
        "开复工情况未填写，按未开复工统计",
        "a project has no start status; counted as not started",
        **FIELD_WARNING,
    ),
    "origin.blank": Entry(
        WARNING,
        "投资方所在地未填写，按省内项目处理（不计入省外签约）",
        "a signing has no investor origin; counted as in-province",
        **FIELD_WARNING,
    ),
    "origin.unknown": Entry(
        WARNING,
        "投资方所在地“{value}”无法判断省内外，按省内项目处理（不计入省外签约）",
        "an investor origin names no known place; counted as in-province",
        **FIELD_WARNING,
    ),
    "out_of_province.invalid": Entry(
        WARNING,
        "是否省外“{value}”无法识别，按省内项目处理（不计入省外签约）",
        "the 是否省外 cell is neither yes nor no",
        variants={"by_origin": "是否省外“{value}”无法识别，已按投资方所在地判断"},
        **FIELD_WARNING,
    ),
    "cell.formula_without_value": Entry(
        ERROR,
        "单元格是公式“{value}”，文件中没有保存计算结果，无法读取（请在Excel中打开、重新计算并保存后报送）",
        "a formula cell saved without its computed value",
        **FIELD,
    ),
    "cell.error_value": Entry(
        ERROR,
        "单元格为错误值“{value}”（公式计算出错），无法读取，请修正后报送",
        "a cell holds an Excel error value (#DIV/0! …)",
        **FIELD,
    ),
    "tier.unknown": Entry(
        ERROR,
        "项目类别“{value}”无法识别，应为省百大、市百大或500万元以上产业项目",
        "a project's tier names none of the three tiers (or both lists at once)",
        variants={
            "both": "项目类别“{value}”同时写了省百大和市百大，无法判断按哪一类统计，请只填写一类（省百大或市百大）"
        },
        **FIELD,
    ),
    # ------------------------------------------------------------- rows (ledgers.parser, sheet)
    "required.missing": Entry(
        ERROR,
        "必填项“{label}”未填写；该行未计入统计",
        "a required field is empty: the row is rejected",
        variants={
            "tier": "必填项“{label}”未填写（表头或标题中也未注明）；该行未计入统计",
            "ambiguous": "必填项“{label}”未填写（表头中有两列都对应此项，均未读取，见表头的错误）；该行未计入统计",
        },
    ),
    "target.missing": Entry(
        ERROR, "目标值未填写；该行未计入统计", "a targets row has no target value: the row is rejected"
    ),
    "region.unknown_fallback": Entry(
        WARNING,
        "县区“{value}”不在县区名录中，已按{phrase}认定为{region}",
        "the region cell names no known region; the title's region was used",
    ),
    "region.unknown": Entry(
        ERROR,
        "县区“{value}”不在县区名录中，无法确定所属县区；该行未计入统计",
        "the region cell names no known region: the row is rejected",
    ),
    "region.missing": Entry(
        ERROR,
        "无法确定所属县区（无县区列，分组行、标题、填报单位、工作表名和文件名中也未注明）；该行未计入统计",
        "no region anywhere (column, title, file name): the row is rejected",
    ),
    "project.completed_over_planned": Entry(
        WARNING,
        "累计完成投资（{completed}）超过年度计划投资（{planned}），请核实",
        "completed investment exceeds the year's planned investment",
    ),
    "date.after_period": Entry(
        WARNING,
        "{label}{date}晚于本期截止日{end}，未计入本期",
        "a dated record after the period's end, not counted this period",
    ),
    "date.before_year": Entry(
        INFO,
        "{label}{date}早于本年，未计入本年累计",
        "a dated record before 1 January of the period's year, not counted",
    ),
    "total.mismatch": Entry(
        WARNING,
        "合计行{label}为{stated}，与其上{n}行之和{summed}不一致，请核实（统计以各行数据为准）",
        "a total row disagrees with the sum of the rows it totals",
        variants={"subtotal": "小计行{label}为{stated}，与其上{n}行之和{summed}不一致，请核实（统计以各行数据为准）"},
    ),
    "row.hidden": Entry(
        WARNING,
        "第{row}行是隐藏行（或被筛选隐藏），其数据已按台账计入统计，请核实该行是否应保留",
        "a record's row is hidden or filtered out: counted, the county confirms",
    ),
    "row.struck": Entry(
        WARNING,
        "第{row}行的文字全部带删除线，其数据已按台账计入统计；如该行已作废，请从台账中删除后重新报送",
        "every text cell of a record's row is struck through: counted, the county confirms",
    ),
    "row.shifted_fields": Entry(
        ERROR,
        "第{row}行有{n}个字段，比表头的{width}个多，数据已错位（可能是数字中的逗号未加引号，如63,600），"
        "该行未计入统计；请将数字中的千位逗号去掉或给该字段加引号后重新报送",
        "a CSV row with more fields than its header (an unquoted comma): rejected",
    ),
    "signing.in_province": Entry(
        WARNING,
        "该表为省外签约项目台账，但此项目按投资方所在地（或是否省外栏）判定为省内项目，未计入省外签约，请核实",
        "an in-province signing in a ledger titled out-of-province",
    ),
    # ------------------------------------------------------------- across files (snapshot)
    "row.merged_project": Entry(
        WARNING,
        "{label}与第{top}行是同一个合并单元格，视为同一个项目，并入第{top}行计入"
        "（项目数只计一次；与第{top}行合并的数字只计一次，本行单独填写的数字与第{top}行相加）",
        "a project name merged down over rows: the rows are one project, joined into the first",
    ),
    "project.duplicate": Entry(
        WARNING, "项目“{project}”与{where}重复填报，请核实是否重复统计", "the same project reported in two places"
    ),
    "record.duplicate_file": Entry(
        WARNING,
        "{what}“{name}”与{where}的记录相同（同一记录在两个文件中重复填报），只统计一次：计入{where}，本行不重复计入",
        "the same record, same figures, in two files: counted once",
    ),
    "record.conflict": Entry(
        ERROR,
        "{what}“{name}”在{where}也有填报，但数据不同（{diffs}）；按文件名排序计入排在后面的{where}，本行未计入，"
        "请核实后更正",
        "the same record with different figures in two files: the last file's row counts",
    ),
    # ------------------------------------------------------------- which file counts (SPEC §11.7-11.9)
    "file.other_period": Entry(
        ERROR,
        "文件标注为{shown}，与本期（{span}）不符（见{where}），疑似不是本期台账；"
        "该表{n}条记录未计入统计，相应数字暂缺，请报送本期台账",
        "the file name or title declares another period: the sheet's records are not counted",
        variants={
            "sheet": "工作表标注为{shown}，与本期（{span}）不符（见{where}），疑似以前月份留在文件中的工作表；"
            "该表{n}条记录未计入统计（同一文件中本期的工作表照常统计），如属本期请修改后重新报送"
        },
    ),
    "ledger.other_year": Entry(
        ERROR,
        "台账日期均为{shown}，疑似上年台账；该表{n}条记录未计入统计，相应数字暂缺，请报送{year}年台账",
        "no dated record of the sheet falls in the reporting year: not counted",
    ),
    "file.region_conflict": Entry(
        ERROR,
        "文件名为{by_name}，表格标题为{by_title}（疑似沿用了其他县区的表格），无法确定台账属于哪个县区；"
        "该表{n}条记录未计入任何县区，请核实后修改标题或县区列并重新报送",
        "file name, title or rows name different counties: the rows are credited to none",
    ),
    "file.region_other_rows": Entry(
        ERROR,
        "{where}为{named}，但{rows}的县区为{other}（疑似沿用了其他县区的台账）；"
        "这{n}行未计入{other}，也未计入{named}，请核实后重新报送",
        "rows of a county's file name another county: those rows are not counted",
    ),
    "file.version_superseded": Entry(
        WARNING,
        "“{old}”与“{new}”是{what}的两个版本（{why}），按较新的“{new}”计入，"
        "“{old}”的{n}条记录未计入（两个版本不相加）；如“{old}”才是最新版本，请删除另一个文件后重新运行",
        "an older version of a ledger beside a newer one: only the newer counts",
    ),
    "target.duplicate_region": Entry(
        ERROR,
        "目标任务表中{region}有{n}行（第{rows}行），无法确定以哪一行为准；"
        "{region}暂无年度目标，不计算完成率、不亮灯、不排名，请核实后重新报送目标任务表",
        "two rows for one county in one targets table: no target for that county",
    ),
}

# code → English title (tests and tools match codes, never message text)
FINDING_CODES = {code: entry.title for code, entry in CATALOGUE.items()}


def entry(code: str) -> Entry:
    """The catalogue's entry of ``code``; an unregistered code is a programming error."""
    if code not in CATALOGUE:
        raise KeyError(f"finding code {code!r} is not in bulletin.findings_catalogue.CATALOGUE")
    return CATALOGUE[code]


def severity_of(code: str, chosen: str = "") -> str:
    """The severity ``code`` is reported at: its default, or ``chosen`` when the
    catalogue allows that one for the code.

    >>> severity_of("amount.negative"), severity_of("amount.negative", "warning")
    ('error', 'warning')
    >>> severity_of("file.empty", "warning")
    Traceback (most recent call last):
    ...
    ValueError: file.empty is reported as error only, not warning
    """
    e = CATALOGUE.get(code) or entry(code)
    if not chosen or chosen == e.severity:
        return e.severity
    if chosen not in e.severities():
        raise ValueError(f"{code} is reported as {' or '.join(e.severities())} only, not {chosen}")
    return chosen


def message(code: str, params: Mapping[str, object] | None = None, variant: str = "") -> str:
    """The Chinese message of ``code`` (its ``variant`` wording) with ``params`` filled in.

    >>> message("amount.negative", {"label": "签约额", "value": "-5"})
    '签约额“-5”为负数，请核实'
    """
    return render(entry(code).wording(variant), params or {})


class Catalogued:
    """Mixin of a problem that carries ``code``, ``params`` and ``variant``: its
    severity and its Chinese message, both the catalogue's."""

    code: str
    params: Mapping[str, object]
    variant: str

    @property
    def severity(self) -> str:
        return severity_of(self.code)

    @property
    def message(self) -> str:
        return message(self.code, self.params, self.variant)
