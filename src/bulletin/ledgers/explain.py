"""How a sheet was read (SPEC §8.7), in Chinese, for the statistician who wonders why
a figure looks wrong: per table, the ledger type, the title and header rows, each
column's field (and the columns not read), where the region, tier and unit came from,
the section rows, and what became of the data rows.

``explain_table`` makes the rows of ``reading.csv`` (:data:`EXPLAIN_COLUMNS`) while a
table is read; ``render`` lays them out for the terminal (``pipeline.py check
--explain``); the county quality workbook shows the same rows as a sheet.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from pathlib import Path

from bulletin.config import Config
from bulletin.contract import EXPLAIN_COLUMNS
from bulletin.ledgers.columns import NEEDED, WHAT_IS_EMPTY, missing_columns, month_end
from bulletin.ledgers.locate import Layout
from bulletin.read.grid import column_letter
from bulletin.text import short

TOPICS = ("台账类型", "设定", "标题", "表头", "列", "缺少栏目", "县区", "项目类别", "金额单位", "分组行", "数据行")


def _rows(lines: list[int]) -> str:
    """Excel row numbers (1-based) of 0-based rows, ranges joined: 第2–3行、第5行."""
    if not lines:
        return ""
    parts, start, prev = [], lines[0], lines[0]
    for r in [*lines[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        parts.append(f"第{start + 1}行" if start == prev else f"第{start + 1}–{prev + 1}行")
        if r is not None:
            start = prev = r
    return "、".join(parts)


def _column_line(layout: Layout, j: int, cfg: Config) -> str:
    text = short(layout.column_text[j], 40)
    by_column = {c: name for name, c in layout.columns.items()}
    if j in by_column:
        name = by_column[j]
        label = cfg.field_label(layout.ledger, name)
        if cfg.field_type(name) == "amount":
            unit = layout.column_units.get(name) or layout.sheet_unit or cfg.rules["amounts"]["default_unit"]
            label += f"（{unit}）"
        if month_end(layout.column_text[j]) and name in layout.month_detail.values():
            label += "（逐月序列中本期的1-N月累计列）"
        return f"“{text}” → {label}"
    for name, cols in layout.ambiguous.items():
        if j in cols:
            others = "、".join(f"{column_letter(c)}列" for c in cols if c != j)
            return f"“{text}” → 与{others}都对应“{cfg.field_label(layout.ledger, name)}”，均未读取（错误）"
    if j in layout.merged_columns:
        return f"“{text}” → 与{column_letter(layout.merged_columns[j])}列是同一个合并表头，未读取"
    if j in layout.month_detail:
        return f"“{text}” → 逐月明细（{cfg.field_label(layout.ledger, layout.month_detail[j])}），未读取"
    return f"“{text}” → 未使用"


def explain_table(
    layout: Layout, kinds: list, sections: dict, first: int, counts: dict, *, region: str, cfg: Config, source_file: str
) -> list[dict]:
    """The rows of ``reading.csv`` for one table (``kinds`` of its rows from ``first``)."""
    out = []

    def add(topic, detail, column=""):
        out.append(
            dict(
                zip(
                    EXPLAIN_COLUMNS,
                    (source_file, layout.sheet_name, region or "", layout.ledger, topic, column, detail),
                )
            )
        )

    add("台账类型", f"{cfg.ledger_label(layout.ledger)}台账")
    if layout.override:
        add("设定", layout.override)
    if layout.title_rows:
        add("标题", f"{_rows(layout.title_rows)}：{short('  '.join(layout.title_lines), 60)}")
    block = layout.header_rows
    add("表头", _rows(block) + ("（多层表头：上层分组与下层栏目合并读取）" if len(block) > 1 else ""))
    for j in sorted(layout.column_text):
        add("列", _column_line(layout, j, cfg), column_letter(j))
    for key in missing_columns(layout, cfg):
        fields = "或".join(f"“{cfg.field_label(layout.ledger, f)}”" for f in NEEDED[layout.ledger][key])
        add("缺少栏目", f"{fields}：{WHAT_IS_EMPTY[(layout.ledger, key)]}，不按0计")
    add("县区", _region_line(layout, sections))
    if layout.ledger == "projects":
        add("项目类别", _tier_line(layout, sections, cfg))
    for how, names in _units(layout, cfg).items():
        add("金额单位", f"{'、'.join(cfg.field_label(layout.ledger, n) for n in names)}：{how}")
    tier_labels = {k: v[0] for k, v in cfg.rules["tiers"].items()}
    for i in sorted(sections):
        s = sections[i]
        sets = [x for x in (tier_labels.get(s.tier), s.region) if x]
        add("分组行", f"{_rows([s.row])}“{short(s.text, 30)}”" + (f"：以下各行为{'、'.join(sets)}" if sets else ""))
    last = first + len(kinds)
    rows = f"{_rows([first])[:-1]}–{last}行" if kinds else "无"
    add(
        "数据行",
        f"{rows}：有效记录{counts['records']}条，合计/备注/分组行{counts['total_note']}行，"
        f"退回{counts['rejected']}行，空行{counts['blank']}行",
    )
    return out


def _region_line(layout: Layout, sections: dict) -> str:
    """Where the table's rows take their region from."""
    regions = [s for s in sections.values() if s.region]
    fallback = f"{layout.title_region}，来自{layout.region_source}" if layout.title_region else ""
    if "region" in layout.columns:
        j = layout.columns["region"]
        detail = f"来自{column_letter(j)}列“{short(layout.column_text[j], 20)}”"
        if regions:
            detail += "；该列为空的行按其上的分组行"
        elif fallback:
            detail += f"；该列为空的行按{fallback}"
        return detail
    if regions:
        return "来自分组行（见下）" + (f"；分组行之前的行按{fallback}" if fallback else "")
    if fallback:
        return fallback
    return "无法确定（无县区列，分组行、标题、工作表名和文件名均未注明）；本表各行未计入统计"


def _tier_line(layout: Layout, sections: dict, cfg: Config) -> str:
    """Where a projects table's rows take their tier (项目类别) from."""
    tiers = [s for s in sections.values() if s.tier]
    tier_labels = {k: v[0] for k, v in cfg.rules["tiers"].items()}
    title_tier = f"{tier_labels[layout.title_tier]}，来自{layout.tier_source}" if layout.title_tier else ""
    if "tier" in layout.columns:
        j = layout.columns["tier"]
        return f"来自{column_letter(j)}列“{short(layout.column_text[j], 20)}”"
    if tiers:
        return "来自分组行（见下）" + (f"；分组行之前的行按{title_tier}" if title_tier else "")
    if title_tier:
        return title_tier
    return "无法确定（无项目类别列，分组行和标题均未注明）；本表各行未计入统计"


def _units(layout: Layout, cfg: Config) -> dict[str, list]:
    """How each amount column's unit was found → the columns."""
    units: dict[str, list] = {}
    default = cfg.rules["amounts"]["default_unit"]
    for name in [n for n in layout.columns if cfg.field_type(n) == "amount"]:
        if unit := layout.unit_decided.get(name):  # SPEC §11.1, see the sheet's finding
            units.setdefault(f"{unit}，按数值大小判定（见问题清单）", []).append(name)
            continue
        if unit := layout.column_units.get(name):
            how = f"{unit}，来自表头“{short(layout.header_text[name], 30)}”"
            units.setdefault(how, []).append(name)
            continue
        how = (
            f"{layout.sheet_unit}，来自{layout.unit_source}"
            if layout.sheet_unit
            else f"表头和单位行均未注明，按{default}（单元格自带单位的以单元格为准）"
        )
        units.setdefault(how, []).append(name)
    return units


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(explain: list[dict], skipped: list[dict] = ()) -> str:
    """The reading of each sheet for the terminal: one block per file and sheet."""
    lines = []
    by_sheet: dict[tuple, list] = {}
    for row in explain:
        by_sheet.setdefault((row["source_file"], row["source_sheet"]), []).append(row)
    for row in skipped:
        by_sheet.setdefault((row["source_file"], row["source_sheet"]), []).append(
            {"topic": "未读取", "column": "", "detail": row["reason"], "ledger": ""}
        )
    for (file, sheet), rows in by_sheet.items():
        lines.append(f"{file}  工作表“{sheet}”" if sheet else file)
        ledger = None
        for row in rows:
            if row["topic"] == "台账类型" and ledger is not None:
                lines.append("  ----")
            ledger = row.get("ledger")
            if row["topic"] == "列":
                lines.append(f"    {row['column']:>3}  {row['detail']}")
                continue
            label = f"{row['topic']}："
            lines.append(f"  {label}{' ' * max(0, 10 - _width(label))}{row['detail']}")
            if row["topic"] == "表头":
                lines.append("  列：")
        lines.append("")
    return "\n".join(lines)


def _matches(source_file: str, pattern: str) -> bool:
    """Does a file (its path in the month folder) match ``pattern``: ``*`` (every file),
    its path or name, a glob, or a part of its name."""
    name = source_file.rsplit("/", 1)[-1]
    if pattern in ("*", "", source_file, name):
        return True
    pattern = pattern.replace("\\", "/")
    return (
        fnmatch.fnmatch(source_file, pattern)
        or fnmatch.fnmatch(name, pattern)
        or pattern.rsplit("/", 1)[-1] == name
        or pattern in source_file
    )


def explain_folder(processed: Path, pattern: str = "*") -> str:
    """The terminal text of how each sheet of the files matching ``pattern`` was read,
    from a month's processed tables (``reading.csv``, ``skipped.csv``)."""
    import csv

    def rows(name):
        path = processed / name
        if not path.exists():
            return []
        with open(path, encoding="utf-8", newline="") as fh:
            return [r for r in csv.DictReader(fh) if _matches(r["source_file"], pattern)]

    explain, skipped = rows("reading.csv"), rows("skipped.csv")
    if not explain and not skipped:
        return f"没有与“{pattern}”相符的文件。"
    return render(explain, skipped)
