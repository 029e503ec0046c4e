"""Row kinds (SPEC §3.3): which rows below a header are records, and which are total,
note or blank rows — by the first text of the row (a region name in the region column
and serial numbers passed over), classified against the word lists of
``config/rules.yaml`` (``rows``)."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from dataclasses import dataclass

from bulletin.config import Config
from bulletin.ledgers.locate import Layout
from bulletin.ledgers.normalise import cached_table, kind_of_first_text, match_region, match_tier, row_words
from bulletin.text import norm_key, norm_keys


def _ends_key(value, head: int = 8, tail: int = 4) -> str:
    """``norm_key`` of a cell's text, or for a long text only of its first ``head``
    and last ``tail`` characters joined by ``…``: row classification looks at exact
    short words, prefixes and suffixes only, and the short ends repeat, so they are
    cached — a unique project name is not run through OpenCC for nothing.

    >>> _ends_key("合 计"), _ends_key("填报人：张三  审核人：李四  联系电话：0469-1234567")
    ('合计', '填报人:张三…4567')
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= head + tail:
        return norm_key(text)
    return norm_key(text[:head]) + "…" + norm_key(text[-tail:])


def first_text(raw: list, layout: Layout, cfg: Config) -> str:
    """The first non-empty text of a row, passing over a region name in the region
    column (a merged region cell) and serial numbers."""
    region_col = layout.columns.get("region")
    head, tail = row_words(cfg)[4]
    for j, value in enumerate(raw):
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            continue
        key = _ends_key(value, head, tail)
        if not key:
            continue
        if j == region_col and (key in cfg.region_lookup or key in cfg.city_keys):
            continue  # exactly a region name: 宝清县小计, 其中：宝清县 are not
        return key
    return ""


NUMBER_TYPES = {int, float}
_PASSED = frozenset({int, float, type(None)})

# what a total label may carry after its word (SPEC §11.3): a count or a unit, bracketed
# or not (合计（5个）, 合计5项, 合计（万元）), then the punctuation around it
_LABEL_PUNCT = str.maketrans("", "", ":、.,;_-/ ")
_LABEL_TAIL = (
    re.compile(r"\((?:共|计)?\d*(?:个|项|家|条|次|万元|亿元|元)?\)$"),  # 合计（5个）, 合计（万元）, 合计（）
    re.compile(r"共?\d+(?:个|项|家|条|次)?$|(?:万元|亿元|元)$"),  # 合计5个, 合计万元
)


def total_label(value, cfg: Config) -> str:
    """The total word a text cell is (SPEC §11.3), or ``""``.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> [total_label(v, cfg) for v in ["合计：", "合计（5个）", "总 计", "合计（万元）", "Total", "合计甲"]]
    ['合计', '合计', '总计', '合计', 'total', '']
    """
    if value.__class__ is not str or len(value) > 20:
        return ""
    words = cached_table("total_labels", cfg, lambda c: frozenset(_bare(w) for w in c.rules["rows"]["total_labels"]))
    key = _bare(value)
    return key if key in words else ""


def _bare(text: str) -> str:
    key = norm_key(text).translate(_LABEL_PUNCT)
    for tail in _LABEL_TAIL:
        key = tail.sub("", key, count=1)
    return key.replace("(", "").replace(")", "")


# traditional forms of the characters a total label ends in (a raw text is searched
# before it is normalised)
_VARIANTS = {"计": "計", "总": "總", "数": "數", "汇": "匯彙"}


def _anchor(cfg: Config) -> tuple[re.Pattern, re.Pattern, tuple[str, ...]]:
    """What a raw text, lower-cased, must contain to be a total label: the last character
    of a label (in either script), or an ASCII label (also full-width). As one pattern,
    and as its two halves (the characters' class, the words) for the scan of many texts:
    an alternation that starts with a class is several times slower than the class."""

    def build(c):
        chars, words = set(), set()
        for word in (_bare(w) for w in c.rules["rows"]["total_labels"]):
            if word.isascii():
                words |= {word, "".join(chr(ord(ch) + 0xFEE0) for ch in word if ch.isalnum())}
            elif word:
                chars |= {word[-1], *_VARIANTS.get(word[-1], "")}
        words.discard("")
        klass = [f"[{''.join(sorted(chars))}]"] if chars else []
        whole = re.compile("|".join(klass + sorted(map(re.escape, words))) or "(?!)")
        return whole, re.compile(klass[0] if klass else "(?!)"), tuple(sorted(words))

    return cached_table("total_anchor", cfg, build)


def total_labels(rows: list, cfg: Config) -> set:
    """The cell values of ``rows`` that are total labels (each distinct text that may be
    one checked once)."""
    if not rows:
        return set()
    values = list(set().union(*rows))
    texts = list(itertools.compress(values, map(operator.is_, map(type, values), itertools.repeat(str))))
    # one scan over the texts joined (cells hold no NUL) finds the few with an anchor
    # (``total_label`` refuses the long ones)
    joined = "\0".join(texts)
    lowered = joined.lower()
    whole, chars, words = _anchor(cfg)
    if len(lowered) != len(joined):  # (a few letters lower to two characters: İ)
        return {v for v in texts if whole.search(v.lower()) and total_label(v, cfg)}
    at = {m.start() for m in chars.finditer(lowered)}
    for word in words:
        if word in lowered:
            at.update(m.start() for m in re.finditer(re.escape(word), lowered))
    found = set()
    for a in at:
        end = joined.find("\0", a)
        found.add(joined[joined.rfind("\0", 0, a) + 1 : end if end >= 0 else len(joined)])
    return {v for v in found if total_label(v, cfg)}


def _first_candidates(rows: list) -> tuple[list, list]:
    """Per row, its first value that is not a number and that value's column, or
    ``None`` and ``None`` (no such value). Column by column: a serial-number column and
    a text column settle most rows in two passes over lists instead of a loop over each
    row's cells."""
    n = len(rows)
    values: list = [None] * n
    columns: list = [None] * n
    pending: list | range = range(n)
    shortest = min(map(len, rows), default=0)
    j = 0
    while pending:
        if j >= shortest:
            col = [rows[i][j] if j < len(rows[i]) else END for i in pending]
        else:
            col = list(map(operator.itemgetter(j), rows if len(pending) == n else map(rows.__getitem__, pending)))
        types = set(map(type, col))
        if types <= _PASSED:
            pass  # the whole column is passed over
        elif not types & _PASSED and _End not in types:
            if len(col) == n:  # every row's first value is in this column
                return col, [j] * n
            for i, v in zip(pending, col):
                values[i], columns[i] = v, j
            break
        else:
            skip = list(map(_PASSED.__contains__, map(type, col)))
            for i, v in itertools.compress(zip(pending, col), map(operator.not_, skip)):
                if v is not END:
                    values[i], columns[i] = v, j
            pending = list(itertools.compress(pending, skip))
        j += 1
    return values, columns


def word_keys(keys: list[str], cfg: Config) -> set[str]:
    """The keys that ``kind_of_first_text`` may find a row word in (it says ``data`` of
    every other key): those equal to or starting with a total or note word, or ending
    with a total word. Two scans over the keys joined by NUL (keys hold none) instead of
    a call per key — most first texts are distinct project names.

    >>> from bulletin.config import load_config
    >>> sorted(word_keys(["合计", "宝清县小计", "填报人:张三", "甲项目", "乙"], load_config()))
    ['合计', '填报人:张三', '宝清县小计']
    """
    starts, ends = cached_table("row_word_scans", cfg, _row_word_scans)
    joined = "\0" + "\0".join(keys) + "\0"
    found = set(starts.findall(joined))
    found.update(k[::-1] for k in ends.findall(joined[::-1]))
    return found


def _row_word_scans(cfg: Config) -> tuple[re.Pattern, re.Pattern]:
    """(keys starting with a row word, reversed keys starting with a reversed suffix),
    each key matched whole after its NUL."""
    exact, suffix, prefix, note, _ = row_words(cfg)

    def scan(words) -> re.Pattern:
        alternatives = "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True)) or "(?!)"
        return re.compile(f"\0((?:{alternatives})[^\0]*)")

    return scan(exact + prefix + note), scan(w[::-1] for w in exact + suffix)


class _End:
    """Past a row's last cell."""


END = _End()


# first values whose text is ``str(value)`` and that equal no value of another type
# among first values (numbers are passed over): they are classified by value
_BY_VALUE = {str, bool, dt.date, dt.datetime, dt.time, dt.timedelta}


def row_kinds(rows: list, layout: Layout, cfg: Config, headings: set | None = None) -> list[tuple[str, str]]:
    """``(kind, first_text(row))`` of many rows at once — kind ``blank``, ``total``,
    ``note`` or ``data`` — with the ends of the rows' first texts normalised in one
    batch (``norm_keys``) instead of one OpenCC call per row, and each distinct first
    value classified once. Rows where the quick answer could differ (no first value,
    an empty key, a region name in the region column) take ``first_text`` itself.
    ``headings``, when given, receives the first texts of data rows that may be heading
    rows (``heading_candidate``), each distinct text checked once."""
    values, columns = _first_candidates(rows)
    kinds, data_texts = _kinds_by_value(values, cfg)
    out = list(map(kinds.get, values))  # None: no first value, or one of another type
    region_col = layout.columns.get("region")
    regions, cities = cfg.region_lookup, cfg.city_keys
    firsts, keys = list(kinds), list(map(operator.itemgetter(1), kinds.values()))
    empty = set(itertools.compress(firsts, map(operator.not_, keys)))
    named = set()
    if region_col is not None:
        named.update(
            itertools.compress(
                firsts, map(operator.or_, map(regions.__contains__, keys), map(cities.__contains__, keys))
            )
        )
    todo = [i for i, kind in enumerate(out) if kind is None] if None in out else []
    if empty or named:
        todo += [i for i, v in enumerate(values) if v in empty or (v in named and columns[i] == region_col)]
    for i in todo:  # the quick answer could differ: the row's own first text
        raw = rows[i]
        if values[i] is None and all(x is None for x in raw):
            out[i] = ("blank", "")
        else:
            first = first_text(raw, layout, cfg)
            out[i] = (kind_of_first_text(first, cfg), first)
    labels = total_labels(rows, cfg)
    if labels:  # a total label anywhere in a row (SPEC §11.3): 合计： in the project column
        for i in itertools.compress(range(len(rows)), map(operator.not_, map(labels.isdisjoint, rows))):
            if out[i][0] == "data":
                out[i] = ("total", out[i][1])
    if headings is not None:
        headings.update(heading_candidates(list(data_texts), cfg))
        # the data rows' own first texts, as the rule has it: only when there are fewer
        # distinct first texts than rows (so not a table whose rows all start with a
        # distinct text — a region name in the region column is passed over then)
        if operator.countOf(map(type, kinds), str) < len(rows):
            if set(map(type, kinds)) - {str}:  # a date, True…: by the row, as first_text's
                todo += [i for i, v in enumerate(values) if v is not None and v.__class__ is not str]
            if todo:  # and the rows that took first_text itself
                headings.update(heading_candidates([out[i][1] for i in set(todo) if out[i][0] == "data"], cfg))
    return out


def _kinds_by_value(values: list, cfg: Config) -> tuple[dict, set]:
    """``(kind, key)`` of each distinct first value of a type in ``_BY_VALUE``: the ends
    of their texts normalised in one batch, only the keys a row word may be found in
    (``word_keys``) classified by ``kind_of_first_text``; and the keys of the text
    values that are ``data``. Over the distinct values with ``map`` and ``compress``
    (most are distinct project names: a loop per value was half the time)."""
    head, tail = row_words(cfg)[4]
    distinct = set(values)
    distinct.discard(None)
    firsts = list(itertools.compress(distinct, map(operator.is_, map(type, distinct), itertools.repeat(str))))
    shown = firsts
    if len(firsts) < len(distinct):  # a date, True…: by its text
        others = [v for v in distinct if v.__class__ is not str and v.__class__ in _BY_VALUE]
        firsts, shown = firsts + others, firsts + list(map(str, others))
    longer = list(map((head + tail).__lt__, map(len, shown)))
    shorter = list(map(operator.not_, longer))
    heads = list(map(operator.itemgetter(slice(None, head)), itertools.compress(shown, longer)))
    tails = list(map(operator.itemgetter(slice(-tail, None)), itertools.compress(shown, longer)))
    parts = list(set(itertools.compress(shown, shorter)).union(heads, tails))
    keyed = dict(zip(parts, norm_keys(parts)))
    keys = list(map(keyed.__getitem__, itertools.compress(shown, shorter)))
    keys += map(
        operator.add,
        map(operator.add, map(keyed.__getitem__, heads), itertools.repeat("…")),
        map(keyed.__getitem__, tails),
    )
    firsts = list(itertools.compress(firsts, shorter)) + list(itertools.compress(firsts, longer))  # as keys
    kinds = dict(zip(firsts, zip(itertools.repeat("data"), keys)))
    worded = word_keys(keys, cfg)
    words = set()  # keys that are not data (the kind is the key's)
    for v in itertools.compress(firsts, map(worded.__contains__, keys)):
        key = kinds[v][1]
        kinds[v] = (kind := kind_of_first_text(key, cfg), key)
        if kind != "data":
            words.add(key)
    texts = set(itertools.compress(keys, map(operator.is_, map(type, firsts), itertools.repeat(str))))
    return kinds, texts - words


# ------------------------------------------------------------------ section rows (SPEC §8.3)

NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^(?:[{NUMERALS}]+[、.]|\([{NUMERALS}]+\)|第[{NUMERALS}]+(?:部分|类|批))")
_NUMBERING_ONLY = re.compile(rf"^(?:[{NUMERALS}]+[、.]?|\([{NUMERALS}]+\))$")
_COUNT = re.compile(r"\(?(?:共|计)?\d+(?:个|项|家)\)?$")
# a key opening with a numbering, a key closing with a colon or a bracket (reversed)
_OPENS = re.compile(rf"\0((?:[{NUMERALS}(]|第[{NUMERALS}])[^\0]*)")
_CLOSES = re.compile(r"\0([:)][^\0]*)")


@dataclass(frozen=True)
class Section:
    """A heading row inside a table: what it sets for the rows below it."""

    row: int  # 0-based row of the sheet
    text: str  # the heading as written
    level: int  # 0 第一部分, 1 一、, 2 （一）, 3 unnumbered (宝清县：)
    tier: str | None = None
    region: str | None = None


def _tier_words(cfg: Config) -> frozenset:
    def build(c):
        words = {norm_key(w) for w in c.rules["tiers"]["provincial_key"] + c.rules["tiers"]["municipal_key"]}
        words |= {norm_key(w) for w in c.rules["tiers"]["industrial"]}
        return frozenset(words | {w + "项目" for w in words})

    return cached_table("tier_words", cfg, build)


def heading_candidates(keys: list[str], cfg: Config) -> set[str]:
    """The first texts (``norm_key``, the ends of a long text) that may open a heading
    row (each checked on its whole row after): numbered (一、 （一） 第一部分), ending in
    a colon, or a tier or region name alone (with a count: 省百大项目（12个））.

    >>> from bulletin.config import load_config
    >>> sorted(heading_candidates(["一、省百大", "(二)新建", "第一部分", "宝清县:", "第01市项目", "甲"], load_config()))
    ['(二)新建', '一、省百大', '宝清县:', '第一部分']
    """
    tiers, regions = _tier_words(cfg), cfg.region_lookup
    if len(keys) > 64:  # the few keys a rule below may hold, by two scans over the keys joined
        joined = "\0" + "\0".join(keys) + "\0"
        found = set(_OPENS.findall(joined))
        found.update(k[::-1] for k in _CLOSES.findall(joined[::-1]))
        found.update(tiers.intersection(keys), regions.keys() & set(keys))
        keys = found
    out = set()
    for key in keys:
        if not key:
            continue
        c, last = key[0], key[-1]
        if (
            c in NUMERALS
            or c == "("
            or last == ":"
            or (c == "第" and key[1:2] in NUMERALS)
            or key in regions
            or key in tiers
            or (last == ")" and ((bare := _COUNT.sub("", key)) in tiers or bare in regions))
        ):
            out.add(key)
    return out


def section_of(raw: list, index: int, layout: Layout, cfg: Config) -> Section | None:
    """The row as a heading (its only text is a heading; numbers — a heading's own
    subtotals — and a numbering cell may stand beside it), or None."""
    texts = {v for v in raw if v is not None and not isinstance(v, (int, float))}
    if any(not isinstance(v, str) for v in texts):
        return None  # a date: a data row
    keys = {v: norm_key(v) for v in texts}
    words = [v for v, k in keys.items() if k and not _NUMBERING_ONLY.match(k)]
    if len(words) != 1:
        return None
    text = words[0]
    key = keys[text]
    m = _HEADING.match(key)
    level = 3
    if m:
        level = 0 if key.startswith("第") else 2 if key.startswith("(") else 1
        key = key[m.end() :]
    colon = key.endswith(":")
    bare = _COUNT.sub("", key.rstrip(":"))
    tier = region = None
    if m:
        tier = match_tier(bare, cfg)
        region = (cfg.region_lookup.get(bare) or match_region(bare, cfg)) if bare else None
        if region == cfg.city:
            region = None
    else:
        tier = next(
            iter(k for k in cfg.rules["tiers"] if bare in _tier_words(cfg) and match_tier(bare, cfg) == k), None
        )
        region = cfg.region_lookup.get(bare)
        if not (tier or region):
            return None
        cells = [j for j, v in enumerate(raw) if v == text]
        if not colon and region and cells == [layout.columns.get("region")]:
            return None  # a region cell of an otherwise empty row
    return Section(index, text, level, tier, region)


def find_sections(
    rows: list, kinds: list, start: int, layout: Layout, cfg: Config, candidates: set
) -> dict[int, Section]:
    """Heading rows among the data rows (``kinds`` of ``rows``, the sheet's rows from
    ``start``; ``candidates``: the first texts that may open one): marked ``section``
    in ``kinds``; returned by position in ``rows``."""
    if not candidates:
        return {}
    out = {}
    for i, (kind, first) in enumerate(kinds):
        if kind == "data" and first in candidates and (section := section_of(rows[i], start + i, layout, cfg)):
            out[i] = section
            kinds[i] = ("section", first)
    return out
