"""Which columns a located table has, once the run's period is known (SPEC §12):

* **Month series** (``1月计划投资``, ``1-2月完成投资`` … ``1-12月完成投资``): of the
  columns of one field, a column without a month range wins; else the range ending in
  the month the field's ``month_series`` rule names (``period``: the run's month, so
  ``1-6月完成投资`` for 2020-06; ``year``: ``1-12月计划投资``, the annual plan). The
  others are month-by-month detail. A series never makes a field ambiguous.
* **Missing columns**: a county's ledger without the column an indicator needs (the
  status, completed investment, 入统, origin or 是否省外 column) gives an ``info``
  finding ``column.missing`` naming it; the submission register carries the fields
  per file (``missing``), and the indicators that need them are empty for the county.
"""

from __future__ import annotations

import re
from itertools import compress

from bulletin.config import Config
from bulletin.contract import Period
from bulletin.ledgers.findings import Finding
from bulletin.read.grid import Grid
from bulletin.text import dash_fold, has_note, header_unit, norm_key

# 2020年1-6月完成投资, 1至6月…, 1～6月份…: (first month, last month)
MONTH_RANGE = re.compile(r"^(?:\d{4}年度?)?(\d{1,2})(?:-|~|至|到)(\d{1,2})月份?")
ONE_MONTH = re.compile(r"^(?:\d{4}年度?)?1月份?(?!\d)")

# The columns an indicator needs, per ledger: a name (a field's, its label is the
# finding's field) → the fields any one of which is enough.
NEEDED = {
    "signings": {"origin": ("origin", "out_of_province")},
    "projects": {
        "status": ("status",),
        "completed_investment": ("completed_investment",),
        "in_statistics": ("in_statistics",),
    },
    "activities": {"leads": ("leads",)},
}


def month_end(text: str) -> int | None:
    """The last month of a year-to-date range a header starts with (the top level of
    a multi-level header first), or None.

    >>> month_end("1-6月完成投资"), month_end("2020年1—12月计划投资"), month_end("完成投资"), month_end("5-6月完成投资")
    (6, 12, None, None)
    """
    for level in text.split("／"):
        m = MONTH_RANGE.match(dash_fold(norm_key(level)))
        if m:
            return int(m.group(2)) if int(m.group(1)) == 1 else None
    return None


def apply_period(layout, period: Period, cfg: Config) -> None:
    """Resolve the month series of ``layout`` (a :class:`bulletin.ledgers.locate.Layout`)
    for ``period``: each field read from one column, the series' other columns listed
    as month-by-month detail (``layout.month_detail``)."""
    rules = cfg.ledgers[layout.ledger].get("month_series") or {}
    for name in list(layout.ambiguous):
        cols = layout.ambiguous[name]
        plain = [j for j in cols if not has_note(layout.column_text[j].replace("／", ""))]
        if len(plain) == 1 and len(cols) > 1:
            # 签约额 beside 签约额（线上）: the header as written wins over one that only
            # matches once its note is dropped; the other is not read
            del layout.ambiguous[name]
            _use(layout, name, plain[0])
            continue
        ends = {j: month_end(layout.column_text[j]) for j in cols}
        if all(e is None for e in ends.values()):
            continue  # two plain columns: a real ambiguity
        plain = [j for j in cols if ends[j] is None]
        if plain:
            chosen = plain
        else:
            want = 12 if rules.get(name) == "year" else period.month
            chosen = [j for j in cols if ends[j] == want]
            if not chosen and want == 1:  # January: 1月完成投资 is the year to date
                chosen = [j for j, f in layout.month_detail.items() if f == name and _one_month(layout, j)]
        for j in cols:
            if j not in chosen:
                layout.month_detail[j] = name
        del layout.ambiguous[name]
        if len(chosen) > 1:
            layout.ambiguous[name] = chosen
        elif chosen:
            _use(layout, name, chosen[0])


def _one_month(layout, j: int) -> bool:
    return any(ONE_MONTH.match(norm_key(t)) for t in layout.column_text[j].split("／"))


def _use(layout, name: str, j: int) -> None:
    layout.month_detail.pop(j, None)
    layout.columns[name] = j
    layout.header_text[name] = layout.column_text[j]
    for raw in reversed(layout.column_text[j].split("／")):  # the lowest level's unit wins
        if unit := header_unit(raw):
            layout.column_units[name] = unit
            break


def missing_columns(layout, cfg: Config) -> list[str]:
    """The needed columns (:data:`NEEDED`) the table does not read: absent, ambiguous
    or only month by month."""
    return [key for key, fields in NEEDED.get(layout.ledger, {}).items() if not set(fields) & set(layout.columns)]


def missing_label(ledger: str, key: str, cfg: Config) -> str:
    """The Chinese name of a needed column (the finding's field)."""
    return cfg.field_label(ledger, key)


def missing_key(ledger: str, label: str, cfg: Config) -> str | None:
    """The needed column a ``column.missing`` finding's field names."""
    return next((k for k in NEEDED.get(ledger, {}) if missing_label(ledger, k, cfg) == label), None)


WHAT_IS_EMPTY = {
    (
        "signings",
        "origin",
    ): "无法判断哪些签约项目为省外项目，本县区省外签约项目数、签约额、完成率、红绿灯和排名均不计算（为空）",
    ("projects", "status"): "本县区开复工项目数、开复工率和入统率均不计算（为空）",
    ("projects", "completed_investment"): "本县区累计完成投资和投资完成率均不计算（为空）",
    ("projects", "in_statistics"): "本县区入统项目数和入统率均不计算（为空）",
    ("activities", "leads"): "本县区形成合作线索数不计算（为空）",
}


def missing_findings(layout, grid: Grid, region: str, cfg: Config) -> list[dict]:
    """An ``info`` finding per needed column the table does not read."""
    out = []
    for key in missing_columns(layout, cfg):
        label = missing_label(layout.ledger, key, cfg)
        fields = NEEDED[layout.ledger][key]
        named = "或".join(f"“{cfg.field_label(layout.ledger, f)}”" for f in fields)
        if any(f in layout.ambiguous for f in fields):
            variant = "ambiguous"
        elif any(f in layout.month_detail.values() for f in fields):
            variant = "month_detail"
        else:
            variant = ""
        found = Finding(
            code="column.missing",
            ledger=layout.ledger,
            region=region,
            where=grid,  # the table's, not a row's (the header rows are the county's own)
            field=label,
            value="",
            params={"named": named, "empty": WHAT_IS_EMPTY[(layout.ledger, key)]},
            variant=variant,
        )
        out.append(found.row())
    return out


def missing_by_file(findings: list[dict], cfg: Config) -> dict[tuple[str, str], set[str]]:
    """(file, ledger) → the needed columns one of its tables of that type lacks, from
    the ``column.missing`` findings: every region whose rows the file holds lacks them
    (a table's rows may name other regions than its title)."""
    out: dict[tuple[str, str], set[str]] = {}
    for f in findings:
        if f["code"] == "column.missing" and (key := missing_key(f["ledger"], f["field"], cfg)):
            out.setdefault((f["source_file"], f["ledger"]), set()).add(key)
    return out


def planned_starts(
    statuses: list, started: list, started_on: list | None, period_end, cfg: Config, *, header: str = ""
) -> list:
    """``started`` with the planned new starts (SPEC §12) not started: a status naming
    one of ``status.planned_start`` (新开工, without 已) in a plan table — its status
    column's ``header`` does not report the start (建设阶段, 项目状态: no 开工 in it) —
    with no 开工时间 up to the period's end. In a column that reports the start
    (开复工情况, 开工情况, 是否开复工) 新开工 is started, unless its 开工时间 is after the
    period's end.

    >>> import datetime as dt
    >>> from bulletin.config import load_config
    >>> end, cfg = dt.date(2020, 6, 30), load_config()
    >>> planned_starts(["新开工", "新开工", "已新开工", "在建"], [True] * 4, [None, dt.date(2020, 3, 1), None, None],
    ...                end, cfg, header="建设阶段")
    [False, True, True, True]
    >>> planned_starts(["新开工", "新开工"], [True] * 2, [None, dt.date(2020, 8, 1)], end, cfg, header="开复工情况")
    [True, False]
    """
    words = [norm_key(w) for w in cfg.rules["status"].get("planned_start", [])]
    if not words:
        return started
    reports_start = any(w in norm_key(header or "") for w in ("开工", "复工"))  # 开复工情况, 开工情况, 是否开复工
    dates = started_on or [None] * len(started)
    out = list(started)
    planned = set()  # the statuses that name a planned start, each distinct one looked at once
    for status in set(statuses):
        if status.__class__ is str and "已" not in (key := norm_key(status)) and any(w in key for w in words):
            planned.add(status)
    for i in compress(range(len(out)), map(planned.__contains__, statuses)) if planned else ():
        if out[i]:
            on = dates[i]
            out[i] = (on is None or on <= period_end) if reports_start else (on is not None and on <= period_end)
    return out
