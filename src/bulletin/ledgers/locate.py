"""Find a sheet's tables: each one's ledger type, header block, field columns and
title facts (SPEC §3.1–3.6, §8.1–8.2, §8.4–8.5).

A header block is one to three rows. Its lowest row is the header row (data start
below it); the rows above belong to the block when they are header rows too: a cell
spanning into the lower row (a vertical merge), a single header standing above an
empty cell, or a group cell spanning several columns over their sub-headers. Each
column's header is the path of its texts from the top of the block down; it matches a
field by the group joined with the sub-header (``计划投资`` + ``年度计划`` → 年度计划投资,
``签约情况`` + ``时间`` → 签约时间), else the sub-header alone (``总投资``). A group cell
over sub-headers is never a field of its own; a unit in any level of the path
(``计划投资（亿元）``) applies to the column, the lowest level winning.

A table's header is the lowest row of a run of rows that match at least two field
aliases of one ledger type including its required fields (except those a title may
supply). Two columns that map to one field are ambiguous: the field is read from
neither and the sheet gets an error (month-by-month detail, ``6月完成投资``, maps to
no field and is no ambiguity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin.config import Config
from bulletin.contract import TARGET_FIELDS
from bulletin.ledgers.normalise import (
    cached_table,
    find_region,
    find_unit,
    kind_of_first_text,
    match_tier,
    unit_factor,
)
from bulletin.ledgers.unread import not_a_ledger
from bulletin.text import header_unit, norm_header, norm_headers, norm_key, norm_text, short

# Required fields a title line can stand in for.
TITLE_SUPPLIED = {"projects": {"tier"}}
MAX_BLOCK = 3  # header rows in one block
# sub-headers that name the group's own total (签约额 over 合计 | 其中：线上)
GENERIC_SUBS = {"合计", "小计", "总计", "总额", "金额", "数额", "合计数", "小计数"}
# month-by-month detail: 6月完成投资, 本月完成投资
MONTH_DETAIL = re.compile(r"^(?:\d{1,2}|本|当|上)月份?(.+)$")


EMPTY_SHEET = "空工作表"  # the reason a sheet without any content is not read


@dataclass
class Layout:
    ledger: str
    header_row: int  # 0-based index of the (lowest) header row
    columns: dict[str, int]  # field → 0-based column
    header_text: dict[str, str]  # field → header as written (group／sub-header)
    column_units: dict[str, str] = field(default_factory=dict)  # field → unit in its header
    title_lines: list[str] = field(default_factory=list)
    title_region: str | None = None  # the rows' region when no column or section names one
    title_tier: str | None = None
    sheet_unit: str | None = None
    header_top: int | None = None  # 0-based first row of the header block
    title_rows: list[int] = field(default_factory=list)  # 0-based rows of the title lines
    end: int | None = None  # 0-based row where the table ends (exclusive); None: the sheet's end
    column_text: dict[int, str] = field(default_factory=dict)  # every header column → its text
    merged_columns: dict[int, int] = field(default_factory=dict)  # column → the column its header spans from
    ambiguous: dict[str, list[int]] = field(default_factory=dict)  # field → its columns (read from none)
    month_detail: dict[int, str] = field(default_factory=dict)  # column → the field it details by month
    region_source: str = ""  # where title_region came from: 标题, 工作表名, 文件名, layouts.yaml
    tier_source: str = ""
    unit_source: str = ""
    override: str = ""  # the layouts.yaml entry applied, described
    override_problems: list[str] = field(default_factory=list)  # parts of the entry not applied
    sheet_name: str = ""
    unit_decided: dict[str, str] = field(default_factory=dict)  # field → unit chosen by magnitude (plausible.py)

    def __post_init__(self):
        if self.header_top is None:
            self.header_top = self.header_row

    def factor(self, name: str, cfg: Config) -> tuple[float, bool]:
        """Unit factor for a money column and whether it was the default."""
        unit = self.unit_decided.get(name) or self.column_units.get(name) or self.sheet_unit
        if unit:
            return unit_factor(unit, cfg), False
        return unit_factor(cfg.rules["amounts"]["default_unit"], cfg), True

    @property
    def header_rows(self) -> list[int]:
        return list(range(self.header_top, self.header_row + 1))


def _all_aliases(cfg: Config) -> frozenset:
    """Every normalised header alias of every ledger type."""
    return cached_table("all_aliases", cfg, lambda c: frozenset(k for m in c.header_map.values() for k in m))


def _is_text(v) -> bool:
    return v.__class__ is str


def _extends(upper: list, lower: list, key, aliases) -> bool:
    """Is ``upper`` a header row of the block whose top row is ``lower``?"""
    if any(v is not None and not _is_text(v) for row in (upper, lower) for v in row):
        return False  # header rows hold text only
    texts = [j for j, v in enumerate(upper) if _is_text(v)]
    if not texts or not _sub_header_row(upper, lower, key, aliases):
        return False
    lower_texts = [j for j, v in enumerate(lower) if _is_text(v)]
    width = len(lower)
    for j in texts:
        below = lower[j] if j < width else None
        if _is_text(below) and key(below) == key(upper[j]):
            return True  # a cell spanning both rows
        if below is None and key(upper[j]) in aliases:
            return True  # a single header above an empty cell
        if _is_text(below) and not key(below) and key(upper[j]) in aliases:
            return True  # a unit alone (（亿元）) below a header
        if _is_text(below) and key(below) not in aliases:
            if any(c in aliases for c in _candidates([key(upper[j]), key(below)])):
                return True  # a group cell, not merged, over a short sub-header
    # a group cell spanning several columns over distinct sub-headers, narrower than the table
    j = 0
    while j < len(upper):
        k = j
        while k + 1 < len(upper) and _is_text(upper[j]) and upper[k + 1] == upper[j]:
            k += 1
        if k > j:
            subs = {lower[c] for c in range(j, k + 1) if c < width and _is_text(lower[c]) and lower[c] != upper[j]}
            if len(subs) >= 2 and not set(lower_texts) <= set(range(j, k + 1)):
                return True
        j = k + 1
    return False


def _sub_header_row(upper: list, lower: list, key, aliases) -> bool:
    """Does ``lower`` hold header cells (not a heading or a data row below a header)?
    One of its texts continues a cell above, is a unit alone, a field alias on its own
    or joined with the cell above, or stands under a group cell."""
    for j, v in enumerate(lower):
        if not _is_text(v):
            continue
        above = upper[j] if j < len(upper) else None
        k = key(v)
        if not k or k in aliases or (_is_text(above) and key(above) == k):
            return True
        if _is_text(above) and (_under_group(upper, j) or any(c in aliases for c in _candidates([key(above), k]))):
            return True
    return False


def _candidates(path: list[str]) -> list[str]:
    """The keys a column's header path may match, best first.

    >>> _candidates(["计划投资", "年度计划"])[-2:]
    ['年度计划投资', '年度计划']
    >>> _candidates(["签约情况", "时间"])[:2]
    ['签约情况时间', '签约时间']
    """
    sub = path[-1]
    if len(path) == 1:
        return [sub] if sub else []
    group = path[-2]
    if not sub:
        return []  # a group over sub-headers, above a column without one: no field
    out = [group + sub]
    if group.endswith("情况"):
        out.append(group.removesuffix("情况") + sub)
    out.append(sub + group)
    for k in range(min(len(sub), len(group)) - 1, 0, -1):
        if sub.endswith(group[:k]):
            out.append(sub + group[k:])
            break
    if sub in GENERIC_SUBS:
        out.append(group)
    out.append(sub)
    if len(path) > 2:
        out += [c for c in _candidates([path[0], sub]) if c not in out]
    return out


def _block(rows: list[list], i: int, key, aliases, floor: int = 0) -> int:
    """The top row of the header block whose lowest row is ``i``."""
    top = i
    while top > floor and i - top + 1 < MAX_BLOCK and _extends(rows[top - 1], rows[top], key, aliases):
        top -= 1
    return top


def header_paths(rows: list[list], top: int, i: int, key) -> tuple[dict[int, list], dict[int, list], dict[int, int]]:
    """Per column of the block: its normalised header path (top down), the texts as
    written, and the columns whose whole header is the previous column's (one cell
    merged across). Under a group cell over sub-headers, a column without a
    sub-header of its own ends its path with ``""`` (it is no field)."""
    width = max(len(r) for r in rows[top : i + 1])
    keys: dict[int, list] = {}
    texts: dict[int, list] = {}
    for j in range(width):
        path, raw = [], []
        for r in range(top, i + 1):
            v = rows[r][j] if j < len(rows[r]) else None
            if _is_text(v):
                if raw and v == raw[-1]:
                    continue  # the same cell spanning rows
                k = key(v)
                if k or not path:  # a unit alone (（亿元）) is no level of the path
                    path.append(k)
                raw.append(v)
            elif v is None and raw and r > top and _under_group(rows[r - 1], j) and _has_subs(rows[r], rows[r - 1], j):
                path.append("")
        if raw:
            keys[j], texts[j] = path, raw
    merged = {}
    for j in sorted(texts):
        if j - 1 in texts and texts[j] == texts[j - 1] and keys[j] == keys[j - 1]:
            merged[j] = merged.get(j - 1, j - 1)
    return keys, texts, merged


def _under_group(row: list, j: int) -> bool:
    """Is the cell of column ``j`` in ``row`` part of a text spanning several columns?"""
    v = row[j] if j < len(row) else None
    return _is_text(v) and ((j > 0 and row[j - 1] == v) or (j + 1 < len(row) and row[j + 1] == v))


def _has_subs(row: list, above: list, j: int) -> bool:
    """Does the group cell above column ``j`` stand over sub-headers in ``row``?"""
    v = above[j]
    lo = hi = j
    while lo > 0 and above[lo - 1] == v:
        lo -= 1
    while hi + 1 < len(above) and above[hi + 1] == v:
        hi += 1
    return any(_is_text(row[c]) and row[c] != v for c in range(lo, min(hi, len(row) - 1) + 1))


def match_paths(keys: dict[int, list], merged: dict[int, int], header_map: dict) -> tuple[dict[str, list[int]], dict]:
    """Field → every column matching it; column → month-detailed field."""
    found: dict[str, list[int]] = {}
    months = {}
    for j, path in keys.items():
        if j in merged:
            continue
        for cand in _candidates(path):
            name = header_map.get(cand)
            if name is not None:
                found.setdefault(name, []).append(j)
                break
        else:
            for cand in _candidates(path):
                m = MONTH_DETAIL.match(cand)
                if m and header_map.get(m.group(1)):
                    months[j] = header_map[m.group(1)]
                    break
    return found, months


def _qualifies(ledger: str, found: dict, cfg: Config) -> bool:
    if len(found) < 2:
        return False
    required = set(cfg.ledgers[ledger]["required"]) - TITLE_SUPPLIED.get(ledger, set())
    if not required <= set(found):
        return False
    return ledger != "targets" or bool(set(TARGET_FIELDS) & set(found))


@dataclass
class Header:
    """A header block found in a sheet: where, which ledger, which columns."""

    row: int
    top: int
    ledger: str
    found: dict[str, list[int]]
    keys: dict[int, list]
    texts: dict[int, list]
    merged: dict[int, int]
    months: dict[int, str]
    score: float


def header_at(rows: list[list], i: int, cfg: Config, key=norm_header, floor: int = 0, ledger: str | None = None):
    """The best ledger header whose lowest row is ``i``, or None."""
    aliases = _all_aliases(cfg)
    # a header row holds an alias, or stands below a row that does (a sub-header row)
    if not any(_is_text(v) and key(v) in aliases for r in (rows[i], rows[i - 1] if i > floor else ()) for v in r):
        return None
    top = _block(rows, i, key, aliases, floor)
    keys, texts, merged = header_paths(rows, top, i, key)
    if sum(1 for p in keys.values() if any(c in aliases for c in _candidates(p))) < 2:
        return None
    best = None
    for name, header_map in cfg.header_map.items():
        if ledger and name != ledger:
            continue
        found, months = match_paths(keys, merged, header_map)
        if not ledger and not _qualifies(name, found, cfg):
            continue
        score = len(found) / len(cfg.ledgers[name]["fields"]) + len(found)
        if best is None or score > best.score:
            best = Header(i, top, name, found, keys, texts, merged, months, score)
    return best


def _title_of(rows: list[list], top: int, floor: int) -> list[int]:
    """The title lines of a table whose header block starts at ``top``: every non-empty
    row above it down from ``floor`` (the first table), as ``locate`` has always read."""
    return [r for r in range(floor, top) if any(v is not None for v in rows[r])]


def layout_of(
    rows: list[list],
    h: Header,
    title_rows: list[int],
    *,
    file_name: str,
    sheet: str,
    cfg: Config,
    context: list[str] = (),
) -> Layout:
    """The table's layout from its header block and title lines (``context``: title
    lines of the sheet above an earlier table, for a table stacked below it)."""
    title_lines = []
    for r in title_rows:
        texts = [norm_text(v) for v in rows[r] if v is not None]
        line = "  ".join(dict.fromkeys(t for t in texts if t))
        if line:
            title_lines.append(line)
    title = "  ".join(title_lines)
    outer = "  ".join(context)
    lines = [*title_lines, *context]  # to name the one line a fact came from
    columns = {name: cols[0] for name, cols in h.found.items() if len(cols) == 1}
    ambiguous = {name: cols for name, cols in h.found.items() if len(cols) > 1}
    text = {j: "／".join(norm_text(t) for t in h.texts[j]) for j in h.texts}
    lay = Layout(
        ledger=h.ledger,
        header_row=h.row,
        columns=columns,
        header_text={name: text[j] for name, j in columns.items()},
        title_lines=title_lines,
        header_top=h.top,
        title_rows=title_rows,
        column_text=text,
        merged_columns=h.merged,
        ambiguous=ambiguous,
        month_detail=h.months,
        sheet_name=sheet,
    )
    if (region := find_region(title, cfg) or find_region(outer, cfg)) is not None:
        line = next((x for x in lines if find_region(x, cfg) == region), title)
        lay.title_region, lay.region_source = region, f"标题“{short(line, 40)}”"
    else:
        sheet_region = cfg.region_lookup.get(norm_key(sheet)) if sheet else None
        if sheet_region:
            lay.title_region, lay.region_source = sheet_region, f"工作表名“{sheet}”"
        elif file_name and (region := find_region(file_name, cfg)):
            lay.title_region, lay.region_source = region, f"文件名“{file_name}”"
    if (tier := match_tier(title, cfg) or match_tier(outer, cfg)) is not None:
        line = next((x for x in lines if match_tier(x, cfg) == tier), title)
        lay.title_tier, lay.tier_source = tier, f"标题“{short(line, 40)}”"
    if (unit := find_unit(title) or find_unit(outer)) is not None:
        lay.sheet_unit, lay.unit_source = unit, f"表头上方的“单位：{unit}”"
    for name, j in columns.items():
        for raw in reversed(h.texts[j]):  # the lowest level's unit wins
            if unit := header_unit(raw):
                lay.column_units[name] = unit
                break
    return lay


def find_headers(
    rows: list[list], start: int, stop: int, cfg: Config, floor: int = 0, ledger: str | None = None
) -> list[Header]:
    """The header blocks whose lowest row lies in ``rows[start:stop]``: of each run of
    consecutive qualifying rows, the lowest (data start below it)."""
    texts = list({v for row in rows[max(floor, start - MAX_BLOCK) : stop] for v in row if _is_text(v)})
    key = dict(zip(texts, norm_headers(texts))).__getitem__
    aliases = _all_aliases(cfg)
    stop = min(stop, len(rows))
    lo = max(floor, start - 1)
    named = [any(v.__class__ is str and key(v) in aliases for v in rows[r]) for r in range(lo, stop)]
    found = [
        h
        for i in range(start, stop)
        if (named[i - lo] or (i > lo and named[i - lo - 1])) and (h := header_at(rows, i, cfg, key, floor, ledger))
    ]
    out: list[Header] = []
    for h in found:
        if out and h.top <= out[-1].row + 1:
            if h.score >= out[-1].score:
                out[-1] = h  # the same block, or a header row directly below: one header
            continue
        out.append(h)
    return out


def locate_tables(
    rows: list[list], file_name: str, cfg: Config, sheet: str = "", ledger: str | None = None
) -> list[Layout] | str:
    """The layouts of the tables whose header lies in the sheet's first
    ``header_search_rows`` rows, or a Chinese reason why the sheet is not a ledger.
    Tables further down are found by ``next_table`` while the rows are read."""
    limit = cfg.rules["limits"]["header_search_rows"]
    headers = find_headers(rows, 0, limit, cfg, ledger=ledger)
    if not headers:
        if not any(any(v is not None for v in r) for r in rows):
            return EMPTY_SHEET
        return not_a_ledger(rows, cfg, limit)  # a summary table, or which fields were not found
    layouts = []
    context: list[str] = []
    for k, h in enumerate(headers):
        if k == 0:
            title_rows = _title_of(rows, h.top, 0)
        else:
            title_rows = heading_rows(rows, h.top, headers[k - 1].row + 1, cfg)
        lay = layout_of(rows, h, title_rows, file_name=file_name, sheet=sheet, cfg=cfg, context=context)
        if k == 0:
            context = lay.title_lines
        if layouts:
            layouts[-1].end = title_rows[0] if title_rows else h.top
        layouts.append(lay)
    return layouts


def heading_rows(rows: list[list], top: int, floor: int, cfg: Config) -> list[int]:
    """The heading lines of a table stacked below another: the rows of a single text
    directly above its header block (blank rows between are passed over), at most
    three; a total or note row (合计, 填报人：…) ends the table above, it is no heading."""
    out = []
    r = top - 1
    while r >= floor and len(out) < 3:
        values = [v for v in rows[r] if v is not None]
        if not values:
            r -= 1
            continue
        if len(set(values)) != 1 or not _is_text(values[0]) or kind_of_first_text(norm_key(values[0]), cfg) != "data":
            break
        out.append(r)
        r -= 1
    return sorted(out)


def locate(rows: list[list], file_name: str, cfg: Config) -> Layout | str:
    """The sheet's first table's layout, or a Chinese reason why it is not a ledger."""
    found = locate_tables(rows, file_name, cfg)
    return found if isinstance(found, str) else found[0]


def next_header(rows: list[list], after: int, cfg: Config) -> Header | None:
    """A header block in the few rows after a break (a blank, heading, total or note row
    at ``after``): the start of a table stacked below, or None."""
    found = find_headers(rows, after + 1, after + 1 + MAX_BLOCK + 1, cfg, floor=after + 1)
    return found[0] if found else None
