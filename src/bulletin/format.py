"""The one place where numbers become the text a reader sees.

Rules (the way the city's statistics office writes them):

* money is stored in 万元 and shown in 亿元 with 2 decimals: ``yi(1503300) == "150.33"``;
* rates are fractions shown as percent with 1 decimal: ``pct(0.787) == "78.7%"``;
* rounding is *half up* on the decimal value a person would write down (``0.7865`` →
  ``78.7%``, never banker's rounding and never a binary-float surprise);
* anything missing (``None``, NaN, empty text) is shown as ``—``, never ``nan``.

>>> yi(1503300), pct(37 / 47), count(70.0), yi(None)
('150.33', '78.7%', '70', '—')
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bulletin.labels import DEFAULT_LANG, label

DASH = "—"
WAN_PER_YI = Decimal(10000)
# Values are first snapped to this many decimals (half up) to remove binary-float
# noise such as 0.78649999999999998 before the displayed rounding.
_SNAP = Decimal("1e-9")


def is_missing(value) -> bool:
    """True for None, NaN (float or pandas NA), and empty/blank text.

    >>> is_missing(float("nan")), is_missing(""), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        # pandas.NA raises on bool(); treat it as missing
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return True


def to_decimal(value) -> Decimal | None:
    """A number (int, float, numeric text) as a Decimal snapped to 1e-9, or None.

    ``str(float)`` gives the shortest text that round-trips, so ``0.7865`` becomes
    ``Decimal("0.7865")`` and not ``0.78649999…``.

    >>> to_decimal(0.7865), to_decimal("1,503,300"), to_decimal("abc")
    (Decimal('0.786500000'), Decimal('1503300.000000000'), None)
    """
    if is_missing(value):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    try:
        dec = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not dec.is_finite():
        return None
    return dec.quantize(_SNAP, rounding=ROUND_HALF_UP)


def number(value, places: int = 2) -> str:
    """A decimal number with ``places`` decimals, rounded half up.

    >>> number(2.675), number(-0.005), number(3, 0), number(float("nan"))
    ('2.68', '-0.01', '3', '—')
    """
    dec = to_decimal(value)
    if dec is None:
        return DASH
    quant = Decimal(1).scaleb(-places)
    out = dec.quantize(quant, rounding=ROUND_HALF_UP)
    if out == 0:
        out = abs(out)  # no "-0.00"
    return f"{out:f}"


def yi(amount_wan, places: int = 2) -> str:
    """万元 → 亿元 text with 2 decimals (half up).

    >>> yi(1503300), yi(1503250), yi(404400), yi(0), yi("")
    ('150.33', '150.33', '40.44', '0.00', '—')
    """
    dec = to_decimal(amount_wan)
    if dec is None:
        return DASH
    return number(dec / WAN_PER_YI, places)


def pct(fraction, places: int = 1) -> str:
    """A fraction as percent text with 1 decimal (half up).

    >>> pct(0.7865), pct(29 / 45), pct(1.07378), pct(0), pct(None)
    ('78.7%', '64.4%', '107.4%', '0.0%', '—')
    """
    dec = to_decimal(fraction)
    if dec is None:
        return DASH
    return number(dec * 100, places) + "%"


def pct_number(fraction, places: int = 1) -> str:
    """Like :func:`pct` without the percent sign (for "个百分点" and axis labels).

    >>> pct_number(0.5)
    '50.0'
    """
    dec = to_decimal(fraction)
    return DASH if dec is None else number(dec * 100, places)


def count(value) -> str:
    """A count (projects, activities, ranks) as an integer.

    >>> count(70.0), count("13"), count(None)
    ('70', '13', '—')
    """
    return number(value, 0)


def light_word(light, lang: str = DEFAULT_LANG) -> str:
    """``green``/``yellow``/``red`` → 绿灯/黄灯/红灯; anything else → ``—``.

    >>> light_word("green"), light_word("yellow"), light_word("red"), light_word(None)
    ('绿灯', '黄灯', '红灯', '—')
    """
    if isinstance(light, str) and light.strip().lower() in ("green", "yellow", "red"):
        return label("light." + light.strip().lower(), lang)
    return DASH


_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(period: str) -> tuple[int, int]:
    """``"2020-06"`` → ``(2020, 6)``; anything else raises ValueError.

    >>> parse_period("2020-06")
    (2020, 6)
    """
    m = _PERIOD.match(str(period).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return int(m.group(1)), int(m.group(2))


def period_span(period: str, lang: str = DEFAULT_LANG) -> str:
    """The year-to-date span without the year, as used inside sentences.

    >>> [period_span(p) for p in ("2020-01", "2020-05", "2020-06", "2020-12")]
    ['1月', '1-5月', '上半年', '全年']
    """
    _, month = parse_period(period)
    if month == 6:
        return label("period.half", lang)
    if month == 12:
        return label("period.full", lang)
    if month == 1:
        return label("period.month", lang, month=1)
    return label("period.range", lang, month=month)


def period_label(period: str, lang: str = DEFAULT_LANG) -> str:
    """The period as a bulletin title names it.

    >>> [period_label(p) for p in ("2020-01", "2020-05", "2020-06", "2020-12")]
    ['2020年1月', '2020年1-5月', '2020年上半年', '2020年全年']
    """
    year, _ = parse_period(period)
    return label("period.year", lang, year=year) + period_span(period, lang)


def date_text(value, lang: str = DEFAULT_LANG) -> str:
    """A date (or ISO text) as ``2020年6月30日``; unparseable or missing → ``—``.

    >>> date_text("2020-06-30"), date_text(date(2020, 1, 5)), date_text("")
    ('2020年6月30日', '2020年1月5日', '—')
    """
    if is_missing(value):
        return DASH
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return DASH
    return label("period.date", lang, year=value.year, month=value.month, day=value.day)


def datetime_text(value) -> str:
    """An ISO timestamp as ``2020-07-03 09:15`` (local time as recorded).

    >>> datetime_text("2020-07-03T09:15:42.123+08:00"), datetime_text(None)
    ('2020-07-03 09:15', '—')
    """
    if is_missing(value):
        return DASH
    try:
        ts = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)
    return ts.strftime("%Y-%m-%d %H:%M")


def file_size(n_bytes) -> str:
    """Byte count as KB/MB with 1 decimal.

    >>> file_size(512), file_size(20480), file_size(3 * 1024 * 1024), file_size(None)
    ('512 B', '20.0 KB', '3.0 MB', '—')
    """
    dec = to_decimal(n_bytes)
    if dec is None:
        return DASH
    if dec < 1024:
        return f"{number(dec, 0)} B"
    if dec < 1024 * 1024:
        return f"{number(dec / 1024, 1)} KB"
    return f"{number(dec / (1024 * 1024), 1)} MB"
