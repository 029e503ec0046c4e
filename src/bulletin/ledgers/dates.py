"""Dates (SPEC rule 7, §11.4): a cell → a date — date cells, Excel serial numbers in
either date system, and the ways dates are written out."""

from __future__ import annotations

import datetime as dt
import re

from bulletin.config import Config
from bulletin.ledgers.normalise import Problem, is_blank, show
from bulletin.text import dash_fold, norm_key

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)
# a time part (``2020-06-30 00:00:00``) has lost its space to norm_key
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"  # a time of day after the date: passed over
_YMD = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?:t?{_TIME}|[.。])?$")
_CN_YMD = re.compile(rf"^(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})(?:[日号]{_TIME}?)?[.。]?$")
_CN_MD = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date_problem(raw, year: int) -> Problem:
    return Problem("date.invalid", {"label": "日期", "value": show(raw), "year": year})


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(raw, year: int, cfg: Config, date1904: bool = False):
    """A date; ``year`` (the period's) completes ``6月30日``; ``date1904``: a serial
    number counts days from 1904-01-01 (a workbook in the 1904 date system, SPEC §11.4).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_date("2020.6.30", 2020, cfg)
    (datetime.date(2020, 6, 30), None)
    >>> parse_date("6月30日", 2020, cfg)
    (datetime.date(2020, 6, 30), None)
    >>> parse_date("2020年06月30日 10:00", 2020, cfg)[0], parse_date("2020.6.30.", 2020, cfg)[0]
    (datetime.date(2020, 6, 30), datetime.date(2020, 6, 30))
    >>> parse_date(43982, 2020, cfg)
    (datetime.date(2020, 5, 31), None)
    >>> parse_date(42520, 2020, cfg, date1904=True)
    (datetime.date(2020, 5, 31), None)
    >>> parse_date(20200630, 2020, cfg)
    (datetime.date(2020, 6, 30), None)
    >>> parse_date("六月中旬", 2020, cfg)[1].message
    '日期“六月中旬”无法识别，请填写为2020-06-15格式'
    """
    if is_blank(raw):
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    lo, hi = cfg.rules["dates"]["serial_min_year"], cfg.rules["dates"]["serial_max_year"]
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 19000101 <= raw <= 21001231:
            m = _COMPACT.match(str(int(raw)))
            d = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return (d, None) if d else (None, _date_problem(raw, year))
        try:
            d = (_EPOCH_1904 if date1904 else _EXCEL_EPOCH) + dt.timedelta(days=int(raw))
        except (OverflowError, ValueError):
            return None, _date_problem(raw, year)
        if lo <= d.year <= hi:
            return d, None
        return None, _date_problem(raw, year)
    text = dash_fold(norm_key(raw))
    for pattern in (_YMD, _CN_YMD, _COMPACT):
        m = pattern.match(text)
        if m:
            d = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d and lo <= d.year <= hi:
                return d, None
            return None, _date_problem(raw, year)
    m = _CN_MD.match(text)
    if m:
        d = _make_date(year, int(m.group(1)), int(m.group(2)))
        return (d, None) if d else (None, _date_problem(raw, year))
    if re.fullmatch(r"\d+(\.\d+)?", text):
        value, problem = parse_date(float(text), year, cfg, date1904)
        return value, problem and _date_problem(raw, year)  # name the value as written
    return None, _date_problem(raw, year)
