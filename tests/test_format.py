"""bulletin.format: every number a reader sees (and bulletin.labels)."""

from __future__ import annotations

import doctest
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from bulletin.report import format as fmt
from bulletin.report import labels


@pytest.mark.parametrize("module", [fmt, labels])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    "fraction, text",
    [
        (0.7865, "78.7%"),  # half up, not to even, not binary-float 0.78649999…
        (0.78649999999999998, "78.7%"),
        (0.7864999, "78.6%"),
        (0.0005, "0.1%"),
        (0.00049, "0.0%"),
        (37 / 47, "78.7%"),
        (29 / 45, "64.4%"),
        (17 / 30, "56.7%"),
        (1503300 / 1400000, "107.4%"),
        (0.5, "50.0%"),
        (1, "100.0%"),
        (0, "0.0%"),
        (-0.0004, "0.0%"),  # no "-0.0%"
        ("0.125", "12.5%"),
        (np.float64(0.129), "12.9%"),
    ],
)
def test_pct_half_up(fraction, text):
    assert fmt.pct(fraction) == text


@pytest.mark.parametrize(
    "wan, text",
    [
        (1503300, "150.33"),
        (1503250, "150.33"),  # 150.325 亿 → 150.33 (half up)
        (1503249.99, "150.32"),
        (1503250.0, "150.33"),
        (404400, "40.44"),
        (0.4, "0.00"),
        (50, "0.01"),  # 0.005 亿 → 0.01
        (0, "0.00"),
        ("1,503,300", "150.33"),
        (np.int64(1503300), "150.33"),
        (12345678.9, "1234.57"),
    ],
)
def test_yi_half_up(wan, text):
    assert fmt.yi(wan) == text


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, "", "  ", math.inf, "abc"])
def test_missing_is_a_dash(missing):
    assert fmt.yi(missing) == "—"
    assert fmt.pct(missing) == "—"
    assert fmt.count(missing) == "—"
    assert fmt.number(missing) == "—"


def test_count():
    assert fmt.count(70) == "70"
    assert fmt.count(70.0) == "70"
    assert fmt.count("13") == "13"
    assert fmt.count(np.float64(99.0)) == "99"


def test_decimal_snapping_removes_float_noise():
    assert fmt.to_decimal(0.1 + 0.2) == Decimal("0.300000000")
    assert fmt.pct(0.1 + 0.2) == "30.0%"
    assert fmt.number(2.675) == "2.68"  # float 2.67499999… shown as written


@pytest.mark.parametrize(
    "light, word",
    [
        ("green", "绿灯"),
        ("yellow", "黄灯"),
        ("red", "红灯"),
        (" Red ", "红灯"),
        ("", "—"),
        (None, "—"),
        (float("nan"), "—"),
        ("blue", "蓝灯"),  # a configured band's colour
        ("purple", "—"),
    ],
)
def test_light_word(light, word):
    assert fmt.light_word(light) == word


@pytest.mark.parametrize(
    "period, label, span",
    [
        ("2020-01", "2020年1月", "1月"),
        ("2020-02", "2020年1-2月", "1-2月"),
        ("2020-05", "2020年1-5月", "1-5月"),
        ("2020-06", "2020年上半年", "上半年"),
        ("2020-11", "2020年1-11月", "1-11月"),
        ("2020-12", "2020年全年", "全年"),
    ],
)
def test_period_label(period, label, span):
    assert fmt.period_label(period) == label
    assert fmt.period_span(period) == span


@pytest.mark.parametrize("bad", ["2020-13", "2020-00", "2020-6", "202006", "", "2020年6月"])
def test_bad_period(bad):
    with pytest.raises(ValueError):
        fmt.period_label(bad)


def test_dates_and_sizes():
    assert fmt.date_text("2020-06-30") == "2020年6月30日"
    assert fmt.date_text("not a date") == "—"
    assert fmt.datetime_text("2020-07-03T09:15:42") == "2020-07-03 09:15"
    assert fmt.file_size(20480) == "20.0 KB"


@pytest.mark.parametrize(
    "period, label, span, title",
    [
        ("2020-01", "January 2020", "In January", "January"),
        ("2020-05", "January–May 2020", "In January–May", "January–May"),
        ("2020-06", "H1 2020", "In the first half of the year", "H1"),
        ("2020-12", "Full Year 2020", "In the full year", "Full Year"),
    ],
)
def test_period_label_en(period, label, span, title):
    assert fmt.period_label(period, "en") == label
    assert fmt.period_span(period, "en") == span
    assert fmt.period_span(period, "en", title=True) == title


@pytest.mark.parametrize(
    "kind, value, lang, text, excel",
    [
        ("money", 1503300, "zh", "150.33", (150.33, "0.00")),
        ("money", 1503250, "zh", "150.33", (150.33, "0.00")),  # half up
        ("money", 1503300, "en", "15.033", (15.033, "0.000")),  # the same digits in billions
        ("pct", 0.7865, "zh", "78.7%", (0.787, "0.0%")),
        ("pct", 37 / 47, "zh", "78.7%", (0.787, "0.0%")),
        ("count", 70.0, "zh", "70", (70, "0")),
        ("pct", None, "zh", "—", ("—", None)),
        ("money", float("nan"), "zh", "—", ("—", None)),
        ("light", "yellow", "zh", "黄灯", ("黄灯", None)),
        ("light", "yellow", "en", "yellow", ("yellow", None)),
        ("date", "2020-06-30", "en", "30 June 2020", ("30 June 2020", None)),
    ],
)
def test_one_formatter_for_html_pdf_and_excel(kind, value, lang, text, excel):
    assert fmt.display(kind, value, lang) == text
    assert fmt.excel_cell(kind, value, lang) == excel
    # what Excel shows for that cell is the HTML text
    assert fmt.excel_text(*fmt.excel_cell(kind, value, lang)) == text


def test_changes_are_computed_from_the_shown_figures():
    # 150.33 − 99.80 = 50.53 although the raw difference 50.5349 would round to 50.53 too;
    # 1.005 − 0.994 (shown 1.01 and 0.99) → 0.02, not the raw 0.011 → 0.01
    assert fmt.change("money", 10050, 9940) == Decimal("0.02")
    assert fmt.change("pct", 0.7865, 0.5) == Decimal("28.7")
    assert fmt.change("count", 3, 5) == Decimal("-2")
    assert fmt.plain(Decimal("-2"), 0) == "2"
    assert fmt.growth(150, 100) == "50.0%" and fmt.growth(1, 0) is None


def test_month_labels():
    assert [fmt.month_label(m) for m in (1, 12)] == ["1月", "12月"]
    assert [fmt.month_label(m, "en") for m in (1, 12)] == ["Jan", "Dec"]
