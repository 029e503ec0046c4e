"""Text normalisation shared by every comparison (SPEC §3.13 and the header rules of §2).

Text is kept as written for display; it is *compared* after trimming, NFKC
(full-width → half-width) and traditional → simplified (OpenCC ``t2s``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
# A unit in brackets, after NFKC turned （） into () and ［］ into []; 〔〕 and 【】 stay
# (``总投资额[亿元]``, ``签约额〔万元〕``, ``总投资(单位:亿元)``).
_UNITS = r"(?:单位:)?(?:万元|亿元|元|个|条|家|项|次|%|人|万|亿|天|年|月|日)"
_UNIT_IN_BRACKETS = re.compile(rf"\({_UNITS}\)|\[{_UNITS}\]|〔{_UNITS}〕|【{_UNITS}】")
_MONEY_UNIT = re.compile(r"[(\[〔【](?:单位:)?(万元|亿元|元)[)\]〕】]")
# Any other bracketed note (``签约金额（外资已根据汇率转换）``, ``县（市、区）``) is no part of
# the field's name, unless it names a part of the field (``签约额（其中：不见面）``).
_NOTE_IN_BRACKETS = re.compile(r"\((?!其中)[^()]*\)|\[(?!其中)[^\[\]]*\]|〔(?!其中)[^〔〕]*〕|【(?!其中)[^【】]*】")
_LEADING_YEAR = re.compile(r"^\d{4}年(?:度)?")
_LEADING_MONTHS = re.compile(r"^\d{1,2}(?:-|—|–|－|~|～|至|到)\d{1,2}月(?:份)?")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "―": "-"})


@lru_cache(maxsize=200_000)
def norm_text(value: object) -> str:
    """Trim, NFKC and traditional→simplified; ``None`` becomes ``""``.

    >>> norm_text("  寶清縣 ")
    '宝清县'
    >>> norm_text("１２，５００")
    '12,500'
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return ""
    if not text.isascii():
        text = _T2S.convert(text)
    return text


def simplified(value: object) -> str:
    """Traditional → simplified (OpenCC ``t2s``) and trimmed, nothing else: for display
    (SPEC §10: the bulletin shows simplified text; full-width punctuation stays).

    >>> simplified(" 東升大豆蛋白提取項目 未開工 ")
    '东升大豆蛋白提取项目 未开工'
    """
    text = "" if value is None else str(value).strip()
    return _T2S.convert(text) if text and not text.isascii() else text


@lru_cache(maxsize=200_000)
def norm_key(value: object) -> str:
    """``norm_text`` without any white space, lower-cased: the form used to compare.

    >>> norm_key(" 签约 日期\\n")
    '签约日期'
    """
    return "".join(norm_text(value).split()).lower()  # str.split's white space is re's \s


# Joins texts for one OpenCC call: a private-use character, in no OpenCC dictionary
# entry, so no conversion can match across it; not white space, so not removed.
_BATCH_SEP = "\ue000"


def norm_keys(values: list[str]) -> list[str]:
    """``norm_key`` of many strings at once: NFKC, OpenCC, white space removal and
    lower-casing each run once over the texts joined by a separator. None of them acts
    across the separator (a non-white-space, caseless starter in no OpenCC dictionary
    entry; OpenCC converts by longest dictionary match and leaves ASCII alone), so each
    part is what ``norm_key`` gives alone — tests/test_fast_path.py checks this.

    >>> norm_keys(["合 计", "寶清縣", "abc"])
    ['合计', '宝清县', 'abc']
    """
    if not values:
        return []
    joined = _BATCH_SEP.join(values)
    if joined.count(_BATCH_SEP) == len(values) - 1:
        text = joined
        if not unicodedata.is_normalized("NFKC", joined):
            # only the texts that need it: one such character sends normalize() down
            # its slow path over the whole joined string
            text = _BATCH_SEP.join(
                v if unicodedata.is_normalized("NFKC", v) else unicodedata.normalize("NFKC", v) for v in values
            )
        if not text.isascii():
            text = _T2S.convert(text)
        parts = "".join(text.split()).lower().split(_BATCH_SEP)
        if len(parts) == len(values):
            return parts
    return [norm_key(v) for v in values]  # a separator in the texts: one by one


@lru_cache(maxsize=50_000)
def norm_header(value: object) -> str:
    """Header text as compared with field aliases (SPEC §2): ``norm_key``, then drop a
    unit in brackets, a leading year and a leading month range.

    >>> norm_header("2020年计划投资（万元）")
    '计划投资'
    >>> norm_header("1—6月累计完成投资\\n(亿元)")
    '累计完成投资'
    >>> norm_header("簽約額(億元)")
    '签约额'
    >>> norm_header("签约金额（外资已根据汇率转换）"), norm_header("总投资额[亿元]"), norm_header("隶 属")
    ('签约金额', '总投资额', '隶属')
    >>> norm_header("县（市、区）"), norm_header("签约额（其中：不见面）")
    ('县', '签约额(其中:不见面)')
    """
    return _header_of_key(norm_key(value))


def norm_headers(values: list[str]) -> list[str]:
    """``norm_header`` of many strings, keyed in one batch (``norm_keys``)."""
    return [_header_of_key(k) for k in norm_keys(values)]


def _header_of_key(key: str) -> str:
    if "(" in key or "[" in key or "〔" in key or "【" in key:
        key = _UNIT_IN_BRACKETS.sub("", key)
        plain = _NOTE_IN_BRACKETS.sub("", key)
        key = plain or key  # a note alone (（备注）) stays as written
    if key[:1].isdigit():  # what \d matches is a digit
        for _ in range(2):  # "2020年1-6月…" has both
            key = _LEADING_YEAR.sub("", key)
            key = _LEADING_MONTHS.sub("", key)
    return key


def has_note(value: object) -> bool:
    """Does a header carry a bracketed note that is not a unit (dropped when matching)?

    >>> has_note("签约额（线上）"), has_note("签约额（万元）"), has_note("签约额")
    (True, False, False)
    """
    key = norm_key(value)
    return _NOTE_IN_BRACKETS.search(_UNIT_IN_BRACKETS.sub("", key)) is not None


def header_unit(value: object) -> str | None:
    """The money unit named in a header's brackets, if any.

    >>> header_unit("签约额（亿元）")
    '亿元'
    >>> header_unit("总投资额[亿元]"), header_unit("签约额〔万元〕"), header_unit("总投资（单位：亿元）")
    ('亿元', '万元', '亿元')
    >>> header_unit("签约额") is None
    True
    """
    m = _MONEY_UNIT.search(norm_key(value))
    return m.group(1) if m else None


def dash_fold(text: str) -> str:
    """Fold the dash variants counties type into ``-``."""
    return text.translate(_DASHES)


def short(text: object, limit: int = 500) -> str:
    """A message cut to ``limit`` characters (with …), for the terminal and findings.

    >>> short("abcdef", 3)
    'abc…'
    """
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


# Characters no output may carry (issue 10): C0 controls other than tab and line
# breaks (NUL …), DEL and the C1 controls, the bidirectional overrides, embeddings and
# isolates (U+202A–202E, U+2066–2069) and marks (U+200E, U+200F, U+061C), lone
# surrogates and the non-characters U+FFFE/U+FFFF. Invisible in a cell, they reorder
# or hide what a reader sees ("宝清县\u202e…") or break a CSV, XML or PDF writer.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def has_controls(text: str) -> bool:
    """Does ``text`` hold a character :func:`strip_controls` removes?

    >>> has_controls("宝清县"), has_controls("a\\nb"), has_controls("a\\x00b"), has_controls("\\u202e宝清")
    (False, False, True, True)
    """
    return not text.isprintable() and _CONTROLS.search(text) is not None


def strip_controls(value):
    """``value`` without control characters and bidirectional overrides (tab, line
    feed and carriage return stay); anything that is not text is returned as is.

    >>> strip_controls("宝\\x00清\\u202e县\\n"), strip_controls(5)
    ('宝清县\\n', 5)
    """
    if value.__class__ is not str or value.isprintable():
        return value
    if _ESCAPED.search(value):  # a file name's undecodable bytes: shown decoded, not removed
        value = readable_name(value)
    return _CONTROLS.sub("", value)


_ESCAPED = re.compile("[\udc80-\udcff]")


def readable_name(name: str) -> str:
    """A file name as the office reads it. A name that is not valid UTF-8 (GBK bytes, as
    unzipping a Windows zip gives) reaches Python with its bytes as surrogate escapes;
    each such part of the path is decoded as GB18030, else its bytes are shown escaped.

    >>> import os
    >>> readable_name(os.fsdecode("县/宝清县.xlsx".encode("gbk"))), readable_name("宝清县.xlsx")
    ('县/宝清县.xlsx', '宝清县.xlsx')
    >>> readable_name(os.fsdecode(b"\\xff\\xff.csv"))
    '\\\\xff\\\\xff.csv'
    """
    if not _ESCAPED.search(name):
        return name
    parts = []
    for part in name.split("/"):
        try:
            raw = part.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte
            parts.append(part.encode("utf-8", "backslashreplace").decode("ascii"))
            continue
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(raw.decode("gb18030"))
            except UnicodeDecodeError:
                parts.append(raw.decode("utf-8", "backslashreplace"))
    return "/".join(parts)


def control_names(text: str) -> str:
    """The removed characters of ``text`` as code points, for a finding.

    >>> control_names("a\\x00b\\u202ec\\x00")
    'U+0000、U+202E'
    """
    return "、".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(_CONTROLS.findall(text)))
