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
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from bulletin.contract import LIGHT_COLOURS, Period
from bulletin.report.labels import DEFAULT_LANG, label

DASH = "—"
WAN_PER_YI = Decimal(10000)
# Values are first snapped to this many decimals (half up) to remove binary-float
# noise such as 0.78649999999999998 before the displayed rounding.
_SNAP = Decimal("1e-9")
# Room for any figure a ledger can hold (the default 28 digits fail to snap 1e20 to 1e-9).
_WIDE = Context(prec=80)


class Reason(str):
    """Why a figure is missing, shown where the figure would stand (未报送, 无法读取, 无目标):
    text in every writer, never a number, a light or a rank.

    >>> r = Reason("未报送"); display("money", r), display("light", r), excel_cell("pct", r), shown("count", r)
    ('未报送', '未报送', ('未报送', None), None)
    >>> to_decimal(r) is None, is_missing(r)
    (True, False)
    """

    __slots__ = ()


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
    return dec.quantize(_SNAP, rounding=ROUND_HALF_UP, context=_WIDE)


def number(value, places: int = 2) -> str:
    """A decimal number with ``places`` decimals, rounded half up.

    >>> number(2.675), number(-0.005), number(3, 0), number(float("nan"))
    ('2.68', '-0.01', '3', '—')
    >>> number(1.4e6), number(1e20, 0), number(2.5e-7, 7)  # never scientific notation
    ('1400000.00', '100000000000000000000', '0.0000003')
    """
    dec = to_decimal(value)
    if dec is None:
        return DASH
    quant = Decimal(1).scaleb(-places)
    out = dec.quantize(quant, rounding=ROUND_HALF_UP, context=_WIDE)
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
    """A light (``green``/``yellow``/``red``, and ``blue``/``orange`` of configured bands)
    → 绿灯/黄灯/红灯…; anything else → ``—``.

    >>> light_word("green"), light_word("yellow"), light_word("red"), light_word(None)
    ('绿灯', '黄灯', '红灯', '—')
    """
    key = light_key(light)
    return label("light." + key, lang) if key else DASH


def light_key(light) -> str | None:
    """A light colour of :data:`bulletin.contract.LIGHT_COLOURS` (trimmed, lower case) or None.

    >>> light_key(" Red "), light_key("blue"), light_key("purple"), light_key(Reason("red"))
    ('red', 'blue', None, None)
    """
    if isinstance(light, str) and not isinstance(light, Reason) and light.strip().lower() in LIGHT_COLOURS:
        return light.strip().lower()
    return None


def _month_fields(month: int, lang: str = DEFAULT_LANG) -> dict:
    name = label(f"month.{month}", lang)
    return {"month": month, "month_name": name, "month_abbr": name[:3]}


def _span(period: str, lang: str, kind: str) -> str:
    month = Period.parse(period).month
    if month == 6:
        return label(f"period.{kind}.half", lang)
    if month == 12:
        return label(f"period.{kind}.full", lang)
    if month == 1:
        return label(f"period.{kind}.month", lang)
    return label(f"period.{kind}.range", lang, **_month_fields(month, lang))


def period_span(period: str, lang: str = DEFAULT_LANG, title: bool = False) -> str:
    """The year-to-date span without the year, as used inside sentences
    (``title=True``: as a noun, the way a title or a comparison names it).

    >>> [period_span(p) for p in ("2020-01", "2020-05", "2020-06", "2020-12")]
    ['1月', '1-5月', '上半年', '全年']
    >>> period_span("2020-05", "en"), period_span("2020-05", "en", title=True)
    ('In January–May', 'January–May')
    """
    return _span(period, lang, "title" if title else "span")


def period_label(period: str, lang: str = DEFAULT_LANG) -> str:
    """The period as a bulletin title names it.

    >>> [period_label(p) for p in ("2020-01", "2020-05", "2020-06", "2020-12")]
    ['2020年1月', '2020年1-5月', '2020年上半年', '2020年全年']
    >>> period_label("2020-06", "en"), period_label("2020-12", "en")
    ('H1 2020', 'Full Year 2020')
    """
    year = Period.parse(period).year
    return label("period.title", lang, year=year, span=_span(period, lang, "title"))


def month_label(month: int, lang: str = DEFAULT_LANG) -> str:
    """A month on a chart axis: ``6月`` / ``Jun``.

    >>> month_label(6), month_label(6, "en")
    ('6月', 'Jun')
    """
    return label("period.month_only", lang, **_month_fields(month, lang))


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
    return label("period.date", lang, year=value.year, day=value.day, **_month_fields(value.month, lang))


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


# --------------------------------------------------------------------------- money by edition
# The Chinese edition shows 亿元 with 2 decimals; the English edition CNY billion with
# 3 decimals: the same digits (150.33 亿元 = 15.033 billion), never a second rounding.
MONEY_PLACES = {"zh": 2, "en": 3}
MONEY_DIVISOR = {"zh": Decimal(10_000), "en": Decimal(100_000)}  # 万元 per display unit


def money(amount_wan, lang: str = DEFAULT_LANG) -> str:
    """万元 → the edition's money text (亿元, 2 decimals / CNY billion, 3 decimals).

    >>> money(1503300), money(1503300, "en"), money(1503250, "en"), money(None)
    ('150.33', '15.033', '15.033', '—')
    """
    dec = to_decimal(amount_wan)
    if dec is None:
        return DASH
    return number(dec / MONEY_DIVISOR[lang], MONEY_PLACES[lang])


# --------------------------------------------------------------------------- cell kinds
# A table cell is (kind, raw value). One function turns it into the text of the HTML
# and PDF, another into the value and number format of the Excel cell, so the three
# show the same figures.
NUMERIC_KINDS = ("money", "pct", "count", "seq")
EXCEL_FORMATS = {"count": "0", "seq": "0", "pct": "0.0%"}


def display(kind: str, value, lang: str = DEFAULT_LANG) -> str:
    """The text a reader sees for a cell of ``kind`` (text kinds are returned as
    plain text, not yet escaped).

    >>> display("money", 1503300), display("pct", 0.7865), display("count", 70.0)
    ('150.33', '78.7%', '70')
    >>> display("light", "red"), display("date", "2020-06-30", "en"), display("text", None)
    ('红灯', '30 June 2020', '—')
    """
    if isinstance(value, Reason):
        return str(value)
    if kind == "money":
        return money(value, lang)
    if kind == "pct":
        return pct(value)
    if kind in ("count", "seq"):
        return count(value)
    if kind == "light":
        return light_word(value, lang)
    if kind == "date":
        return date_text(value, lang)
    if kind == "size":
        return file_size(value)
    if is_missing(value):
        return DASH
    return str(value).strip()


def shown(kind: str, value, lang: str = DEFAULT_LANG) -> Decimal | None:
    """The number a reader sees in a numeric cell, as a Decimal (None when ``—``);
    a percentage as its fraction.

    >>> shown("money", 1503250), shown("pct", 0.7865), shown("count", "13")
    (Decimal('150.33'), Decimal('0.787'), Decimal('13'))
    """
    text = display(kind, value, lang)
    if text == DASH or isinstance(value, Reason):
        return None
    if kind == "pct":
        return Decimal(text.rstrip("%")) / 100
    return Decimal(text)


def excel_cell(kind: str, value, lang: str = DEFAULT_LANG) -> tuple[object, str | None]:
    """``(value, number_format)`` of the Excel cell for a table cell: numbers are the
    figures *as shown* (rounded half up like the HTML), so a statistician copying the
    sheet gets exactly the bulletin's numbers; missing numbers stay ``—`` (text).

    >>> excel_cell("money", 1503250), excel_cell("pct", 0.7865), excel_cell("count", 70.0)
    ((150.33, '0.00'), (0.787, '0.0%'), (70, '0'))
    >>> excel_cell("money", 1503250, "en"), excel_cell("pct", None), excel_cell("light", "red")
    ((15.033, '0.000'), ('—', None), ('红灯', None))
    """
    if isinstance(value, Reason):
        return str(value), None
    if kind in NUMERIC_KINDS:
        dec = shown(kind, value, lang)
        if dec is None:
            return DASH, None
        if kind == "money":
            return float(dec), "0." + "0" * MONEY_PLACES[lang]
        if kind == "pct":
            return float(dec), EXCEL_FORMATS["pct"]
        return int(dec), EXCEL_FORMATS[kind]
    return display(kind, value, lang), None


def excel_text(value, number_format: str | None) -> str:
    """What Excel shows for a cell written by :func:`excel_cell` (for tests and checks).

    >>> excel_text(150.33, "0.00"), excel_text(0.787, "0.0%"), excel_text(70, "0")
    ('150.33', '78.7%', '70')
    """
    if number_format is None or isinstance(value, str):
        return str(value)
    if number_format.endswith("%"):
        places = len(number_format.split(".")[1]) - 1 if "." in number_format else 0
        return pct(value, places)
    places = len(number_format.split(".")[1]) if "." in number_format else 0
    return number(value, places)


def change(kind: str, now, before, lang: str = DEFAULT_LANG) -> Decimal | None:
    """``now − before`` computed from the figures *as shown* (so a sentence's change
    agrees with the two figures a reader can compare); rates in percentage points.

    >>> change("money", 1503300, 998000), change("pct", 1.0738, 0.7129), change("count", 50, 32)
    (Decimal('50.53'), Decimal('36.1'), Decimal('18'))
    >>> change("count", None, 3) is None
    True
    """
    if kind == "pct":
        a, b = pct_number(now), pct_number(before)
        return None if DASH in (a, b) else Decimal(a) - Decimal(b)
    a, b = shown(kind, now, lang), shown(kind, before, lang)
    if a is None or b is None:
        return None
    return a - b


def growth(now, before) -> str | None:
    """Growth rate text (``"50.6%"``, unsigned) of ``now`` over ``before``; None when
    ``before`` is zero or missing.

    >>> growth(150, 100), growth(50, 100), growth(3, 0)
    ('50.0%', '50.0%', None)
    """
    a, b = to_decimal(now), to_decimal(before)
    if a is None or b is None or b == 0:
        return None
    return pct(abs(a - b) / abs(b))


def plain(dec: Decimal | None, places: int | None = None) -> str:
    """A Decimal as plain text without a sign (for "增加 50.53"); ``—`` for None.

    >>> plain(Decimal("-50.530")), plain(Decimal("3.10"), 1), plain(None)
    ('50.530', '3.1', '—')
    """
    if dec is None:
        return DASH
    return number(abs(dec), places) if places is not None else f"{abs(dec):f}"
