"""Finding construction: one row of quality.csv (SPEC §5) per thing a county must
know about its ledger, with a stable code (:data:`bulletin.contract.FINDING_CODES`)
beside the Chinese message that names the value (the row's file, sheet, row and field
are columns of the finding)."""

from __future__ import annotations

from bulletin.contract import ERROR, FINDING_CODES, WARNING
from bulletin.ledgers.normalise import Problem, show
from bulletin.read.grid import Grid


def finding(
    code, severity, ledger, region, grid: Grid | None, row, field_name, value, message, source_file="", sheet=""
):
    """One row of quality.csv (:data:`bulletin.contract.FINDING_COLUMNS`); ``code`` is one
    of :data:`bulletin.contract.FINDING_CODES`."""
    assert code in FINDING_CODES, code
    return {
        "severity": severity,
        "ledger": ledger,
        "region": region or "",
        "source_file": grid.source_file if grid else source_file,
        "source_sheet": grid.sheet if grid else sheet,
        "source_row": row if row is not None else "",
        "field": field_name,
        "value": "" if value is None else show(value),
        "message": message,
        "code": code,
    }


# generic value words of the normalisers' messages, replaced by the column's own label
GENERIC = ("日期“", "金额“", "数量“")


def field_finding(
    problem: Problem, required: bool, *, ledger: str, region, grid: Grid, row: int, label: str, raw
) -> tuple[dict, bool]:
    """A field's problem as a finding naming the column as the county wrote it, and
    whether it rejects the row: an error in a required field rejects it; an error in an
    optional field empties the field, with a warning.

    >>> grid = Grid("宝清县.xlsx", "Sheet1", [])
    >>> f, fatal = field_finding(Problem(ERROR, "金额“-5”为负数，请核实", "amount.negative"), False,
    ...                          ledger="signings", region="宝清县", grid=grid, row=4, label="签约额", raw=-5)
    >>> fatal, f["severity"], f["message"], f["code"]
    (False, 'warning', '签约额“-5”为负数，请核实；该项按空值处理', 'amount.negative')
    """
    severity, message = problem.severity, problem.message
    for generic in GENERIC:
        if message.startswith(generic):  # name the column as the county wrote it
            message = label + message[len(generic) - 1 :]
            break
    else:
        if not message.startswith(label):
            message = f"{label}：{message}"
    fatal = False
    if severity == ERROR:
        if required:
            fatal = True
            message += "；该行未计入统计"
        else:
            severity = WARNING
            message += "；该项按空值处理"
    return finding(problem.code, severity, ledger, region, grid, row, label, raw, message), fatal


def unreadable_problem(hidden: str) -> Problem:
    """What a field's cell that reads as empty really holds: a formula saved without
    its result, or an Excel error value."""
    if hidden.startswith("="):
        return Problem(
            ERROR,
            f"单元格是公式“{show(hidden)}”，文件中没有保存计算结果，无法读取（请在Excel中打开、重新计算并保存后报送）",
            "cell.formula_without_value",
        )
    return Problem(ERROR, f"单元格为错误值“{show(hidden)}”（公式计算出错），无法读取，请修正后报送", "cell.error_value")


def tier_problem(raw) -> Problem:
    return Problem(ERROR, f"项目类别“{show(raw)}”无法识别，应为省百大、市百大或500万元以上产业项目", "tier.unknown")
