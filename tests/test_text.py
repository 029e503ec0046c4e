"""bulletin.text: the one normalisation every comparison goes through (SPEC §2 header
rules, §3.13 text)."""

from __future__ import annotations

import doctest

import pytest

from bulletin import text
from bulletin.text import dash_fold, header_unit, norm_header, norm_headers, norm_key, norm_keys, norm_text, short


def test_doctests():
    assert doctest.testmod(text).failed == 0


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  寶清縣 ", "宝清县"),  # traditional → simplified, trimmed
        ("１２，５００", "12,500"),  # full-width digits and comma → half-width
        ("（万元）", "(万元)"),  # full-width brackets
        (3000, "3000"),
        ("签约 日期", "签约 日期"),  # inner space kept for display
        ("ABC", "ABC"),  # case kept
    ],
)
def test_norm_text(raw, expected):
    assert norm_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (" 签约 日期\n", "签约日期"),  # every white space removed
        ("签约\u3000日期", "签约日期"),  # ideographic space
        ("簽約日期", "签约日期"),
        ("ABC", "abc"),  # lower-cased
        (None, ""),
    ],
)
def test_norm_key(raw, expected):
    assert norm_key(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("签约额（万元）", "签约额"),
        ("签约额(亿元)", "签约额"),
        ("形成合作线索（条）", "形成合作线索"),
        ("2020年计划投资（万元）", "计划投资"),  # leading year
        ("2020年度计划投资", "计划投资"),
        ("1-6月累计完成投资", "累计完成投资"),  # leading month range, any dash
        ("1—6月累计完成投资", "累计完成投资"),
        ("1至6月累计完成投资", "累计完成投资"),
        ("2020年1-6月累计完成投资（亿元）", "累计完成投资"),  # year and months
        ("签约\n日期", "签约日期"),  # a line break inside a header
        ("簽約額(億元)", "签约额"),
        ("总投资（说明）", "总投资"),  # a note, not a unit: dropped too (SPEC §12)
        ("6月完成投资", "6月完成投资"),  # one month is not a range: kept
    ],
)
def test_norm_header(raw, expected):
    assert norm_header(raw) == expected


def test_norm_headers_is_norm_header_of_each():
    values = ["签约额（万元）", "2020年计划投资", "簽約日期", "", "1-6月累计完成投资"]
    assert norm_headers(values) == [norm_header(v) for v in values]
    assert norm_keys(values) == [norm_key(v) for v in values]


@pytest.mark.parametrize(
    "raw, unit",
    [
        ("签约额（亿元）", "亿元"),
        ("签约额(万元)", "万元"),
        ("金额（元）", "元"),
        ("签约额", None),
        ("形成线索（条）", None),  # a count unit is no money unit
        (None, None),
    ],
)
def test_header_unit(raw, unit):
    assert header_unit(raw) == unit


def test_dash_fold_and_short():
    assert dash_fold("1—6月、1–6月、1－6月") == "1-6月、1-6月、1-6月"
    assert short("abc", 5) == "abc"
    assert short("abcdef", 3) == "abc…"
    assert short(12345, 2) == "12…"
