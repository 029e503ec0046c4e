"""Not this period's ledger (SPEC §11.4 second half, §11.7).

* A file whose name, or a sheet whose title, declares another period than the run's
  (``1-5月``, ``5月份``, ``2020年5月``, ``上半年`` …, in a June run of 2020: the period
  ends in another month or another year) is not this month's ledger.
* A sheet whose name declares another period (``5月签约``) and whose title declares
  none, in a file with another sheet of the same ledger type: last month's sheet kept
  in the workbook beside this month's (counting both would count a project twice).
  The name alone of a file's only sheet of its type is not enough: a clerk who copies
  last month's workbook often leaves its tab named as it was.
* A signings or activities sheet whose dated records all fall outside the reporting
  year (every date 2019 in a 2020 run) is last year's ledger. Key projects are not
  judged by their dates: a 续建 project started last year is this year's project.

Either way the sheet's records are taken out of the count (an error naming the file
and what it declares), and the register gives the county ``not_this_period`` for that
ledger type when it has no other file of it: the figures are empty, never 0, red or a
rank (:mod:`bulletin.ledgers.file_status`). The year's targets are not checked (the
city sends them once a year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from bulletin.contract import Period
from bulletin.ledgers.file_facts import SheetFacts, column, withdraw
from bulletin.ledgers.findings import Finding
from bulletin.text import norm_text

_NO_DAY = r"(?!\s*\d{1,2}\s*[日号])"  # 2020年7月3日 is a date written down, not a period
_YEAR = r"(?:(?<!\d)(\d{4})\s*年\s*(?:度\s*)?)?"
_RANGE = re.compile(_YEAR + r"(?<!\d)(\d{1,2})\s*(?:月\s*)?[-－—–~～至到]\s*(\d{1,2})\s*月" + _NO_DAY)
_MONTH = re.compile(_YEAR + r"(?<!\d)(\d{1,2})\s*月(?:份)?" + _NO_DAY)
_WORDS = {
    "上半年": (1, 6),
    "一季度": (1, 3),
    "二季度": (4, 6),
    "前三季度": (1, 9),
    "三季度": (7, 9),
    "四季度": (10, 12),
}
_WORD = re.compile(_YEAR + "(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")")
DATED = {"signings": "signed_on", "activities": "held_on"}


def declared(text: str, default_year: int) -> list[tuple[int, int, int, str]]:
    """The periods a title or file name declares: (year, first month, last month, as
    written out).

    >>> declared("宝清县2020年1-5月招商台账.xlsx", 2020)
    [(2020, 1, 5, '2020年1-5月')]
    >>> declared("岭东区5月份台账  填报日期：2020年7月3日", 2020)
    [(2020, 5, 5, '2020年5月')]
    >>> declared("友谊县2020年上半年招商引资台账", 2020)
    [(2020, 1, 6, '2020年上半年')]
    >>> declared("2020年招商引资目标任务表", 2020)
    []
    """
    text = norm_text(text)
    out = []
    for pattern in (_RANGE, _WORD, _MONTH):
        for m in pattern.finditer(text):
            year = int(m.group(1)) if m.group(1) else default_year
            if pattern is _WORD:
                first, last = _WORDS[m.group(2)]
                shown = f"{year}年{m.group(2)}"
            else:
                first, last = int(m.group(2)), int(m.group(3) if pattern is _RANGE else m.group(2))
                shown = f"{year}年{first}-{last}月" if pattern is _RANGE else f"{year}年{last}月"
            if 1 <= first <= last <= 12:
                out.append((year, first, last, shown))
        text = pattern.sub(" ", text)  # a range's months are not single months too
    return out


def other_period(text: str, period: Period) -> str:
    """How ``text`` declares a period other than ``period`` ('' when it declares none,
    or this one): the period ends in another month or another year."""
    for year, _, last, shown in declared(text, period.year):
        if (year, last) != (period.year, period.month):
            return shown
    return ""


def _span(period: Period) -> str:
    return f"{period.year}年{period.month}月" if period.month == 1 else f"{period.year}年1-{period.month}月"


def _years(years: set[int]) -> str:
    return "、".join(str(y) for y in sorted(years)) + "年"


def check_periods(snap, sheets: list[SheetFacts], period: Period) -> None:
    """Take the records of sheets that are not this period's out of the count, with an
    error each (codes ``file.other_period``, ``ledger.other_year``)."""
    rejected = {}  # sheet → (what it declares, where)
    for facts in sheets:
        if facts.ledger == "targets":
            continue
        name = facts.source_file.rsplit("/", 1)[-1]
        shown = other_period(name, period) or other_period(facts.title, period)
        if shown:
            rejected[facts] = (shown, "文件名" if other_period(name, period) else "标题")
    for facts in _stale_sheets(sheets, period):
        rejected.setdefault(facts, (other_period(facts.source_sheet, period), "工作表名"))
    # a file that keeps a sheet of the ledger: the county's figures are not missing
    kept = {(f.source_file, f.ledger) for f in sheets if f not in rejected}
    for facts, (shown, where) in rejected.items():
        variant = "sheet" if (facts.source_file, facts.ledger) in kept else ""
        _reject(snap, facts, "file.other_period", shown, where, period, variant=variant)
    by_sheet: dict[tuple, list] = defaultdict(list)
    for ledger, field in DATED.items():
        at, fi, si = column(ledger, field), column(ledger, "source_file"), column(ledger, "source_sheet")
        for rec in snap.records[ledger]:
            by_sheet[(ledger, rec[fi], rec[si])].append(rec[at])
    for facts in sheets:
        dates = by_sheet.get((facts.ledger, facts.source_file, facts.source_sheet))
        if not dates:
            continue
        years = {d.year for d in dates if isinstance(d, dt.date)}
        if years and period.year not in years and 2 * sum(isinstance(d, dt.date) for d in dates) >= len(dates):
            _reject(snap, facts, "ledger.other_year", _years(years), "", period)


def _stale_sheets(sheets: list[SheetFacts], period: Period) -> list[SheetFacts]:
    """The sheets whose name declares another period, whose title declares none, and
    whose file has another sheet of their ledger type (see the module docstring)."""
    by_file: dict[tuple[str, str], list[SheetFacts]] = defaultdict(list)
    for facts in sheets:
        if facts.ledger != "targets":
            by_file[(facts.source_file, facts.ledger)].append(facts)
    out = []
    for group in by_file.values():
        if len({f.source_sheet for f in group}) < 2:
            continue
        name = group[0].source_file.rsplit("/", 1)[-1]
        out += [
            f
            for f in group
            if other_period(f.source_sheet, period)
            and not declared(f.title, period.year)
            and not other_period(name, period)  # the whole file is another period's already
        ]
    return out


def _reject(snap, facts: SheetFacts, code: str, shown: str, where: str, period: Period, *, variant: str = "") -> None:
    gone = withdraw(snap, facts.ledger, facts.source_file, facts.source_sheet)
    by_region = {region: n for (_, _, region), n in gone.items()} or {facts.title_region: 0}
    for region, n in by_region.items():
        snap.findings.append(_finding(facts, code, shown, where, period, region=region, n=n, variant=variant))


def _finding(
    facts: SheetFacts, code: str, shown: str, where: str, period: Period, *, region: str, n: int, variant: str = ""
) -> dict:
    params = {"shown": shown, "span": _span(period), "where": where, "n": n, "year": period.year}
    return Finding(
        code=code,
        ledger=facts.ledger,
        region=region,
        where=facts,
        value=shown,
        quote=False,
        params=params,
        variant=variant,
    ).row()
