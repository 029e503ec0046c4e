"""Pinned layouts (SPEC §8.6): for a file the rules cannot read, the office writes
``layouts.yaml`` in its config folder — a file-name pattern (and optional sheet name)
with any of ``ledger``, ``header_rows``, ``columns`` (column letter or header text →
field; ``null`` leaves a column unread), ``region``, ``tier``, ``unit``::

    layouts:
      - file: "宝清县*.xlsx"        # a pattern on the file name (or its path in the month folder)
        sheet: 项目                  # optional
        ledger: projects
        header_rows: 3-4             # Excel rows of the header block (4, [3, 4] or "3-4")
        columns: {D: total_investment, 年度计划: planned_investment, F: null}
        region: 宝清县
        tier: 省百大
        unit: 亿元

What was pinned is said in the sheet's reading (``reading.csv``) and as an info finding;
a pinned value the configuration does not know (a field of another ledger, an unknown
region…) is an error finding for the sheet, and that part of the entry is not applied.
"""

from __future__ import annotations

import fnmatch
import re

from bulletin.config import Config
from bulletin.ledgers.locate import Header, header_paths, layout_of, locate_tables, match_paths
from bulletin.ledgers.normalise import match_region, match_tier
from bulletin.text import header_unit, norm_header, norm_key

_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


def entry_for(source_file: str, sheet: str, cfg: Config) -> tuple[int, dict] | None:
    """The first ``layouts.yaml`` entry (1-based number, entry) for a sheet, or None."""
    name = source_file.rsplit("/", 1)[-1]
    for k, entry in enumerate(cfg.raw.get("layouts", {}).get("layouts") or [], start=1):
        if not isinstance(entry, dict) or not entry.get("file"):
            continue
        pattern = str(entry["file"])
        if not (fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(source_file, pattern)):
            continue
        if entry.get("sheet") not in (None, "") and not fnmatch.fnmatch(sheet, str(entry["sheet"])):
            continue
        return k, entry
    return None


def _letter_index(letter: str) -> int:
    j = 0
    for ch in letter.upper():
        j = j * 26 + ord(ch) - 64
    return j - 1


def _header_rows(value) -> list[int] | None:
    """0-based rows of ``header_rows``: 4, [3, 4] or "3-4" (Excel rows)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return [value - 1]
    if isinstance(value, list) and value and all(isinstance(v, int) and v > 0 for v in value):
        return list(range(min(value) - 1, max(value)))
    if isinstance(value, str) and (m := re.fullmatch(r"\s*(\d+)\s*[-–—~至]\s*(\d+)\s*", value)):
        lo, hi = sorted(int(x) for x in m.groups())
        return list(range(lo - 1, hi)) if lo > 0 else None
    return None


def pinned_tables(rows: list[list], source_file: str, sheet: str, cfg: Config, number: int, entry: dict):
    """The sheet's tables read as the entry pins them: ``(layouts or a reason, problems)``
    — problems: Chinese descriptions of the parts of the entry that could not be applied."""
    problems: list[str] = []
    ledger = entry.get("ledger")
    if ledger is not None and ledger not in cfg.ledgers:
        problems.append(f"ledger“{ledger}”不是台账类型（可用：{'、'.join(cfg.ledgers)}）")
        ledger = None
    block = None
    if entry.get("header_rows") is not None:
        block = _header_rows(entry["header_rows"])
        if block is None or block[-1] >= len(rows):
            problems.append(f"header_rows“{entry['header_rows']}”不是本表的行号")
            block = None
    if block is not None:
        keys, texts, merged = header_paths(rows, block[0], block[-1], norm_header)
        names = [ledger] if ledger else list(cfg.header_map)
        best = None
        for name in names:
            found, months = match_paths(keys, merged, cfg.header_map[name])
            score = len(found)
            if best is None or score > best.score:
                best = Header(block[-1], block[0], name, found, keys, texts, merged, months, score)
        title_rows = [r for r in range(block[0]) if any(v is not None for v in rows[r])]
        layouts = [layout_of(rows, best, title_rows, file_name=source_file, sheet=sheet, cfg=cfg)]
    else:
        found = locate_tables(rows, source_file, cfg, sheet, ledger=ledger)
        if isinstance(found, str) and not entry.get("columns"):
            return found, problems
        layouts = found if not isinstance(found, str) else []
        if not layouts:
            return found, problems
    for lay in layouts:
        _pin(lay, rows, entry, cfg, problems)
        lay.override = (
            f"按layouts.yaml第{number}条（文件“{entry['file']}”"
            + (f"，工作表“{entry['sheet']}”）" if entry.get("sheet") else "）")
            + "读取："
            + "，".join(_described(entry))
        )
        lay.override_problems = problems
    return layouts, problems


def _described(entry: dict) -> list[str]:
    out = []
    for key, label in (
        ("ledger", "台账类型"),
        ("header_rows", "表头行"),
        ("region", "县区"),
        ("tier", "项目类别"),
        ("unit", "单位"),
    ):
        if entry.get(key) not in (None, ""):
            out.append(f"{label} {entry[key]}")
    if entry.get("columns"):
        out.append("列 " + "、".join(f"{k}→{v if v else '不读取'}" for k, v in entry["columns"].items()))
    return out


def _pin(lay, rows, entry: dict, cfg: Config, problems: list[str]) -> None:
    fields = cfg.ledgers[lay.ledger]["fields"]
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append("columns应为“列字母或表头文字: 字段”的对照")
        columns = {}
    for where, name in columns.items():
        where = str(where).strip()
        if _LETTERS.match(where):
            j = _letter_index(where)
        else:
            wanted = norm_header(where)
            hits = [
                c
                for c, t in lay.column_text.items()
                if norm_header(t.split("／")[-1]) == wanted or norm_header(t.replace("／", "")) == wanted
            ]
            if len(hits) != 1:
                problems.append(f"columns中的表头“{where}”在表头中{'找不到' if not hits else '出现了多次'}")
                continue
            j = hits[0]
        if name in (None, ""):
            for f in [f for f, c in lay.columns.items() if c == j]:
                del lay.columns[f]
            for f, cols in list(lay.ambiguous.items()):
                if j in cols:
                    cols.remove(j)
                    if len(cols) == 1:
                        lay.columns[f] = cols[0]
                        del lay.ambiguous[f]
            lay.column_text.setdefault(j, where)
            continue
        if name not in fields:
            problems.append(f"字段“{name}”不是{cfg.ledger_label(lay.ledger)}台账的字段（可用：{'、'.join(fields)}）")
            continue
        for f in [f for f, c in lay.columns.items() if c == j or f == name]:
            del lay.columns[f]
        lay.ambiguous.pop(name, None)
        lay.columns[name] = j
        lay.column_text.setdefault(j, where)
        lay.column_units.pop(name, None)
        for raw in reversed(lay.column_text[j].split("／")):  # the unit in its own header stays (SPEC §11.1)
            if unit := header_unit(raw):
                lay.column_units[name] = unit
                break
    lay.column_units = {f: u for f, u in lay.column_units.items() if f in lay.columns}
    lay.header_text = {f: lay.column_text.get(j, "") for f, j in lay.columns.items()}
    if entry.get("region") not in (None, ""):
        region = match_region(entry["region"], cfg)
        if region and region != cfg.city:
            lay.title_region, lay.region_source = region, "layouts.yaml的设定"
        else:
            problems.append(f"县区“{entry['region']}”不在县区名录中")
    if entry.get("tier") not in (None, ""):
        tier = entry["tier"] if entry["tier"] in cfg.rules["tiers"] else match_tier(entry["tier"], cfg)
        if tier:
            lay.title_tier, lay.tier_source = tier, "layouts.yaml的设定"
        else:
            problems.append(f"项目类别“{entry['tier']}”无法识别")
    if entry.get("unit") not in (None, ""):
        unit = norm_key(entry["unit"])
        if unit in cfg.rules["amounts"]["units"]:
            lay.sheet_unit, lay.unit_source = unit, "layouts.yaml的设定"
        else:
            problems.append(f"单位“{entry['unit']}”无法识别（可用：{'、'.join(cfg.rules['amounts']['units'])}）")
