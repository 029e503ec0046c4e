"""Writing the sample's cells and sheets: date and amount formats the counties use,
a worksheet written top to bottom, the per-period context of the renderers, and a
byte-stable save (fixed document properties and zip timestamps)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from bulletin.sample.plan import CUTOFF, FIXED_TIME, REPORT_DATE
from bulletin.sample.records import Activity, Project, ProjectState, Records, Signing

# ---------------------------------------------------------------------------------
# Cell formats (dates, amounts, yes/no)
# ---------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def d_iso(d: date) -> str:
    return d.isoformat()


def d_slash(d: date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def d_dot(d: date) -> str:
    return f"{d.year}.{d.month}.{d.day}"


def d_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def d_compact(d: date) -> str:
    return d.strftime("%Y%m%d")


def d_month_day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def yi(wan: float) -> float:
    """万元 → 亿元 as a cell number."""
    return round(wan / 10000, 4)


def comma(wan: float) -> str:
    return f"{wan:,.0f}" if float(wan).is_integer() else f"{wan:,}"


def full_width(wan: float) -> str:
    return str(_num(wan)).translate(FULL_WIDTH)


def with_cell_unit(wan: int, i: int) -> Any:
    """Rotate between ``1.2亿元``, ``3000万元``, a plain number and ``1.5亿``."""
    kind = i % 4
    if kind == 0:
        return f"{yi(wan):g}亿元"
    if kind == 1:
        return f"{wan}万元"
    if kind == 2:
        return wan
    return f"{yi(wan):g}亿"


def yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else (yes if value else no)


# ---------------------------------------------------------------------------------
# Sheet building
# ---------------------------------------------------------------------------------

Col = tuple[str, Callable[[int, Any], Any]]


class Sheet:
    """A worksheet written top to bottom."""

    def __init__(self, wb: Workbook, title: str):
        self.ws = wb.create_sheet(title)
        self.row = 1
        self.width = 1

    def title(self, text: str, width: int) -> None:
        self.ws.cell(self.row, 1, text)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.row += 1

    def line(self, *values: Any) -> None:
        """A line above or below the table; ``None`` leaves a cell empty."""
        for c, v in enumerate(values, 1):
            if v is not None:
                self.ws.cell(self.row, c, v)
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def header(self, names: list[str]) -> int:
        self.width = len(names)
        for c, name in enumerate(names, 1):
            self.ws.cell(self.row, c, name)
        self.row += 1
        return self.row - 1

    def header2(self, columns: list[tuple[str | None, str]]) -> None:
        """Two header rows: grouped columns under a merged group cell, the others
        merged down over both rows."""
        r, c, i = self.row, 1, 0
        while i < len(columns):
            group, name = columns[i]
            if group is None:
                self.ws.cell(r, c, name)
                self.merge(r, c, r + 1, c)
                i, c = i + 1, c + 1
                continue
            j = i
            while j < len(columns) and columns[j][0] == group:
                self.ws.cell(r + 1, c + j - i, columns[j][1])
                j += 1
            self.ws.cell(r, c, group)
            self.merge(r, c, r, c + j - i - 1)
            i, c = j, c + j - i
        self.width = len(columns)
        self.row += 2

    def record(self, values: Iterable[Any]) -> int:
        for c, v in enumerate(values, 1):
            if v is not None and v != "":
                self.ws.cell(self.row, c, v)
        self.row += 1
        return self.row - 1

    def table(self, cols: list[Col], records: list) -> list[int]:
        """Header row, then one row per record."""
        self.header([name for name, _ in cols])
        return [self.record(get(i, rec) for _, get in cols) for i, rec in enumerate(records)]

    def put(self, cols: list[Col], values: dict[str, Any]) -> int:
        """A row with values under the named columns (totals, subtotals)."""
        names = [name for name, _ in cols]
        return self.record(values.get(name) for name in names)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def widths(self, *chars: int) -> None:
        from openpyxl.utils import get_column_letter

        for c, w in enumerate(chars, 1):
            self.ws.column_dimensions[get_column_letter(c)].width = w


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def save(wb: Workbook, path: Path, period: str) -> None:
    """Save with fixed document properties and zip timestamps (byte-identical runs)."""
    when = FIXED_TIME[period]
    wb.properties.creator = "招商引资办公室"
    wb.properties.lastModifiedBy = "招商引资办公室"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # unlike save_workbook, keeps `modified`
    archive.close()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------------
# Per-region layouts
# ---------------------------------------------------------------------------------


@dataclass
class Ctx:
    period: str
    records: Records

    @property
    def month(self) -> int:
        return int(self.period[5:])

    @property
    def span(self) -> str:  # "1-6月"
        return f"1-{self.month}月"

    @property
    def reported(self) -> str:
        return d_cn(REPORT_DATE[self.period])

    def signings(self, region: str) -> list[Signing]:
        return [s for s in self.records.signings if s.region == region and s.visible_from <= CUTOFF[self.period]]

    def activities(self, region: str) -> list[Activity]:
        return [a for a in self.records.activities if a.region == region and a.held_on <= CUTOFF[self.period]]

    def projects(self, region: str, tier: str | None = None) -> list[Project]:
        return [p for p in self.records.projects if p.region == region and (tier is None or p.tier == tier)]

    def state(self, p: Project) -> ProjectState:
        return p.states[self.period]


def row_number(i: int, _rec: Any) -> int:
    return i + 1


def total(records: list, get: Callable[[Any], float | None]) -> float:
    return sum(get(r) or 0 for r in records)


def completed_cell(state: ProjectState, blank: Any = None) -> Any:
    return state.completed if state.started else blank


def note_row(sheet: Sheet, who: str = "张三", checker: str = "李四", phone: str = "0469-4600001") -> None:
    sheet.line(f"填报人：{who}    审核人：{checker}    联系电话：{phone}")


# --- traditional characters (饶河县) --------------------------------------------


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # a project dependency; only needed to write the sample

    return opencc.OpenCC("s2t")


# Variant forms OpenCC picks that a county clerk would not type.
_TRAD_FIXES = {"籤": "簽", "覈": "核", "昇": "升"}


def to_traditional(text: str) -> str:
    out = _s2t().convert(text)
    for variant, usual in _TRAD_FIXES.items():
        out = out.replace(variant, usual)
    return out
