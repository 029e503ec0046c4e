"""到位资金 against the year's target (the targets table's 到位资金目标, where the office
sets one): a clause for the 资金到位情况 sentence and two columns for its table.

The figures are indicators.csv's ``funds_in_place_target`` and
``funds_in_place_completion`` (:func:`bulletin.indicators.compute.add_funds_target`);
nothing here computes one. Without any target in the month the sentence and the table
are as they were.
"""

from __future__ import annotations

from bulletin.report import format as fmt
from bulletin.report import missing
from bulletin.report.document import Column, Table
from bulletin.report.edition import Edition
from bulletin.report.labels import label


def has_targets(ed: Edition) -> bool:
    """Whether any row (全市 or a county) has a 到位资金 target this month."""
    return ed.data.has("funds_in_place_target") and any(
        ed.value(r, "funds_in_place_target") is not None for r in ed.data.rows
    )


def clause(ed: Edition, region: str, lower: bool) -> str:
    """完成年度到位资金目标（20.00亿元）的88.9% (``lower``: 至少…, the funds being a lower
    bound); '' without a target or a completion."""
    target, completion = ed.value(region, "funds_in_place_target"), ed.value(region, "funds_in_place_completion")
    if target is None or completion is None:
        return ""
    key = "funds.target_lower" if lower else "funds.target"
    return label(key, ed.lang, target=fmt.money(target, ed.lang), completion=fmt.pct(completion))


def with_clause(ed: Edition, text: str, region: str, lower: bool) -> str:
    """``text`` (the funds sentence's first clause) followed by :func:`clause`."""
    more = clause(ed, region, lower)
    return text + label("p.comma", ed.lang) + more if more else text


def add_columns(ed: Edition, table: Table) -> Table:
    """The funds table with 到位资金目标 and 完成目标 before its last column (how each
    county reported), when any row has a target; a county without one shows —."""
    if not has_targets(ed):
        return table
    lang = ed.lang
    at = len(table.columns) - 1
    table.columns[at:at] = [
        Column(label("col.funds_target", lang), "money", wrap=True),
        Column(label("col.funds_completion", lang), "pct", wrap=True),
    ]
    for row in table.rows:
        region = row[0]
        target = ed.value(region, "funds_in_place_target")
        done = missing.cell(ed, region, "funds_in_place_completion", "signings") if target is not None else None
        row[at:at] = [target, done]
    return table
