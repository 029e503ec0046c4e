"""SPEC §11 within one sheet: figures the ledger does not support are never published
silently.

- **Units (§11.1).** When a money column's header, the group cell above it and the
  sheet's ``单位：`` line name different units, the magnitude decides: the reading whose
  median falls in the ledger type's plausible range (``rules.yaml`` ``plausible``) is
  used, with a warning naming both units; when none or several fit, the column is not
  read (error). A column with no unit anywhere whose median is far below or above the
  range is read in the unit that fits, with a warning. :func:`decide_units` runs before
  the column-wise parser and records its choice in ``Layout.unit_decided``.
- **Scale (§11.1).** One value ``scale_outlier`` times the column's median or more is an
  error for its row (:func:`apply`).
- **Hidden and struck rows (§11.5).** Counted as written, each with a warning.

The checks after the parser (:func:`apply`) change the parsed records and add the rows'
findings, so the parser (and its row-by-row oracle in the tests) stays the plain
reading of SPEC §3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from bulletin.config import Config
from bulletin.contract import RECORD_COLUMNS
from bulletin.ledgers import normalise as N
from bulletin.ledgers.findings import Finding, field_finding
from bulletin.ledgers.locate import Layout
from bulletin.read.grid import Grid, column_letter
from bulletin.text import header_unit

CANONICAL_UNITS = ("元", "万元", "亿元")
LEDGER_NAMES = {"signings": "签约项目", "projects": "项目投资", "targets": "目标任务"}


@dataclass
class Plausibility:
    """What :func:`decide_units` found for a table: the sheet's findings and the money
    fields whose column is not read (units that cannot be reconciled)."""

    findings: list[dict] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)


def plausible_range(ledger: str, cfg: Config) -> tuple[float, float] | None:
    """``(low, high)`` 万元 a record's money may plausibly be, or None (no range)."""
    spec = cfg.rules.get("plausible", {}).get(ledger)
    if not isinstance(spec, dict):
        return None
    return float(spec["low"]), float(spec["high"])


def plain_numbers(values: list, cfg: Config) -> list[float]:
    """The positive numbers of a column written without a unit of their own (a cell's
    own unit is read as written and never depends on the column's unit)."""
    out = []
    for v in values:
        if v.__class__ is float or v.__class__ is int:
            if v > 0:
                out.append(float(v))
        elif v.__class__ is str and N.cell_unit(v) is None:
            number, problem = N.parse_amount(v, 1.0, cfg)
            if problem is None and number:
                out.append(number)
    return out


def header_units(layout: Layout, name: str) -> list[str]:
    """The distinct units a money column is declared in, first the one SPEC §3.6 reads
    first: its own header (the lowest level), the group cells above, the ``单位：`` line."""
    units = []
    own = layout.column_units.get(name)
    if own:
        units.append(own)
    for level in reversed(layout.header_text.get(name, "").split("／")):
        unit = header_unit(level)
        if unit and unit not in units:
            units.append(unit)
    if layout.sheet_unit and layout.sheet_unit not in units:
        units.append(layout.sheet_unit)
    return units


# a currency other than the yuan named where a money column's unit is (SPEC §11.1): the
# column is not read, unless the text says the amounts were converted
_CURRENCY = re.compile(r"(美元|美金|欧元|港元|港币|日元|英镑|澳元|加元|韩元|卢布|新加坡元|外币)")
_CONVERTED = re.compile(r"折算|换算|转换|折合|汇率|人民币")


def foreign_currency(texts) -> str | None:
    """The foreign currency the first of ``texts`` naming one names, unless it says the
    amounts were converted (``签约额（美元已折算为人民币）``).

    >>> foreign_currency(["签约额（万美元）"]), foreign_currency(["签约金额（外资已根据汇率转换）", "单位：万元"])
    ('美元', None)
    >>> foreign_currency(["签约额（万元）", "单位：万港元"])
    '港元'
    """
    for text in texts:
        key = N.norm_key(text or "")
        m = _CURRENCY.search(key)
        if m and not _CONVERTED.search(key):
            return m.group(1)
    return None


def _foreign_columns(grid: Grid, layout: Layout, cfg: Config, out: Plausibility) -> None:
    """Money columns in a foreign currency (their header, the group cells above, the
    title lines' ``单位：``): not read, an error each."""
    unit_lines = [line for line in layout.title_lines if "单位" in line]
    for name, j in layout.columns.items():
        if cfg.field_type(name) != "amount":
            continue
        header = layout.header_text.get(name, "")
        currency = foreign_currency([*header.split("／"), *unit_lines])
        if currency is None:
            continue
        out.unread.add(name)
        label = cfg.field_label(layout.ledger, name)
        params = {"where": f"{column_letter(j)}列“{header or label}”", "currency": currency}
        out.findings.append(_finding("unit.foreign_currency", grid, layout, label, header or label, params))


def decide_units(grid: Grid, layout: Layout, rows: list[list], excel_rows: list[int], cfg: Config) -> Plausibility:
    """Reconcile each money column's units by magnitude (SPEC §11.1) over its data
    ``rows``; the chosen unit goes to ``layout.unit_decided``. A column in a foreign
    currency is not read."""
    out = Plausibility()
    _foreign_columns(grid, layout, cfg, out)
    bounds = plausible_range(layout.ledger, cfg)
    if bounds is None or not rows:
        return out
    low, high = bounds
    rules = cfg.rules["plausible"]
    factors = cfg.rules["amounts"]["units"]
    for name, j in layout.columns.items():
        if cfg.field_type(name) != "amount" or name in out.unread:
            continue
        units = header_units(layout, name)
        if len(units) < 2 and units:
            continue
        numbers = plain_numbers([r[j] if j < len(r) else None for r in rows], cfg)
        if not numbers:
            continue
        mid = median(numbers)
        label = cfg.field_label(layout.ledger, name)
        header = layout.header_text.get(name, label)
        where = f"{column_letter(j)}列“{header}”"
        scope = f"{LEDGER_NAMES.get(layout.ledger, '')}合理范围{N.wan(low)}至{N.wan(high)}"
        if units:
            fits = [u for u in units if low <= mid * factors[u] <= high]
            readings = "、".join(f"按{u}为{N.wan(mid * factors[u])}" for u in units)
            said = "，".join(f"{_source(layout, name, u)}为{u}" for u in units)
            params = {"where": where, "said": said, "median": N.show(mid), "readings": readings, "scope": scope}
            if len(fits) == 1:
                layout.unit_decided[name] = fits[0]
                out.findings.append(_finding("unit.conflict", grid, layout, label, header, {**params, "unit": fits[0]}))
            else:
                out.unread.add(name)
                variant = "none_fits" if not fits else "all_fit"
                out.findings.append(_finding("unit.unresolved", grid, layout, label, header, params, variant=variant))
            continue
        default = cfg.rules["amounts"]["default_unit"]
        if (
            mid * factors[default] >= low * rules["no_unit_below"]
            and mid * factors[default] <= high * rules["no_unit_above"]
        ):
            continue
        fits = [u for u in CANONICAL_UNITS if u in factors and low <= mid * factors[u] <= high]
        if len(fits) == 1:
            layout.unit_decided[name] = fits[0]
            params = {
                "where": where,
                "median": N.show(mid),
                "default": default,
                "off": "过小" if mid * factors[default] < low else "过大",
                "scope": scope,
                "unit": fits[0],
                "median_read": N.wan(mid * factors[fits[0]]),
            }
            out.findings.append(_finding("unit.magnitude", grid, layout, label, header, params))
        else:
            out.unread.add(name)
            params = {"where": where, "median": N.show(mid), "scope": scope}
            out.findings.append(_finding("unit.unresolved", grid, layout, label, header, params))
    return out


def _source(layout: Layout, name: str, unit: str) -> str:
    """Where a column's unit is declared, in words."""
    if layout.column_units.get(name) == unit:
        return "表头"
    if unit in {header_unit(level) for level in layout.header_text.get(name, "").split("／")}:
        return "上层表头"
    return "“单位：”行" if not layout.unit_source.startswith("layouts") else "layouts.yaml的设定"


def _finding(code, grid, layout, label, header, params, *, variant="") -> dict:
    return Finding(
        code=code,
        ledger=layout.ledger,
        region=layout.title_region,
        where=grid,
        source_row=layout.header_row + 1,
        field=label,
        value=header,
        params=params,
        variant=variant,
    ).row()


def apply(parser, plaus: Plausibility, rows: list[list], excel_rows: list[int], records: list, by_row: dict) -> None:
    """After the parser: the columns not read emptied (a required one rejects its rows),
    values far off their column's scale (an error for the row), hidden and struck-through
    rows (a warning each). Changes ``records`` (``None``: rejected) and ``by_row`` (row
    index → its findings) in place."""
    cfg, layout, grid = parser.cfg, parser.layout, parser.grid
    names = RECORD_COLUMNS[layout.ledger]
    for name in [n for n in layout.columns if cfg.field_type(n) == "amount" and n in names]:
        at = names.index(name)
        required = name in parser.required
        if name in plaus.unread:
            _unread(parser, name, at, required=required, records=records, excel_rows=excel_rows, by_row=by_row)
        else:
            _outliers(parser, name, at, rows=rows, excel_rows=excel_rows, records=records, by_row=by_row)
    if grid.hidden_rows or grid.struck:
        _hidden_or_struck(parser, records, excel_rows, by_row)
    if grid.delimited:
        _shifted(parser, records, excel_rows, by_row)


def _region(parser, record) -> str:
    return record[RECORD_COLUMNS[parser.ledger].index("region")] if record is not None else ""


def _unread(parser, name, at, *, required, records, excel_rows, by_row) -> None:
    label = parser.cfg.field_label(parser.ledger, name)
    for i, rec in enumerate(records):
        if rec is None or rec[at] is None:
            continue
        if required:
            by_row.setdefault(i, []).append(
                Finding(
                    code="amount.unit_unresolved",
                    ledger=parser.ledger,
                    region=_region(parser, rec),
                    where=parser.grid,
                    source_row=excel_rows[i],
                    field=label,
                    value=rec[at],
                    params={"label": label},
                ).row()
            )
            records[i] = None
        else:
            records[i] = rec[:at] + (None,) + rec[at + 1 :]


# the money fields a value far BELOW its column's median is an error in too (a figure in
# 亿元 written in a 万元 column): a project's size or a signing's amount; not the
# completed investment or the funds in place, which are small early in the year
BELOW_TOO = {("signings", "amount"), ("projects", "total_investment"), ("targets", "signed_amount_target")}


def _outliers(parser, name, at, *, rows, excel_rows, records, by_row) -> None:
    values = [r[at] for r in records if r is not None and r[at]]
    if len(values) < 3:
        return
    scale = parser.cfg.rules["plausible"]["scale_outlier"]
    if max(values) < scale * min(values):
        return  # no value can be that far off the median
    mid = median(values)
    label = parser.cfg.field_label(parser.ledger, name)
    required = name in parser.required
    below = (parser.ledger, name) in BELOW_TOO
    for i, rec in enumerate(records):
        if rec is None or not rec[at]:
            continue
        if rec[at] >= scale * mid:
            variant, times = "", rec[at] / mid
        elif below and rec[at] * scale <= mid:
            variant, times = "below", mid / rec[at]
        else:
            continue
        raw = parser.cell(rows[i], name)
        params = {"label": "金额", "value": N.show(raw), "amount": N.wan(rec[at]), "median": N.wan(mid)}
        problem = N.Problem("amount.scale_outlier", {**params, "times": f"{times:,.0f}"}, variant)
        found, fatal = field_finding(
            problem,
            required=required,
            ledger=parser.ledger,
            region=_region(parser, rec),
            grid=parser.grid,
            row=excel_rows[i],
            label=label,
            raw=raw,
        )
        by_row.setdefault(i, []).append(found)
        records[i] = None if fatal else rec[:at] + (None,) + rec[at + 1 :]


def _hidden_or_struck(parser, records, excel_rows, by_row) -> None:
    grid = parser.grid
    for i, excel_row in enumerate(excel_rows):
        r = excel_row - 1
        row = grid.rows[r] if r < len(grid.rows) else []
        if r in grid.hidden_rows:
            code = "row.hidden"
        else:
            texts = [j for j, v in enumerate(row) if v.__class__ is str]
            if not texts or not all((r, j) in grid.struck for j in texts):
                continue
            code = "row.struck"
        text = next((v for v in row if v.__class__ is str), "")
        found = Finding(
            code=code,
            ledger=parser.ledger,
            region=_region(parser, records[i]),
            where=grid,
            source_row=excel_row,
            value=text,
            params={"row": excel_row},
        )
        by_row.setdefault(i, []).append(found.row())


def _shifted(parser, records, excel_rows, by_row) -> None:
    """A CSV line with more fields than its header (an unquoted ``63,600``): its fields
    are shifted, so none is read by position (SPEC §11.2)."""
    grid, layout = parser.grid, parser.layout
    width = len(grid.rows[layout.header_row])
    for i, excel_row in enumerate(excel_rows):
        n = len(grid.rows[excel_row - 1])
        if n <= width:
            continue
        row = grid.rows[excel_row - 1]
        text = next((v for v in row if v.__class__ is str), "")
        found = Finding(
            code="row.shifted_fields",
            ledger=parser.ledger,
            region=_region(parser, records[i]),
            where=grid,
            source_row=excel_row,
            value=text,
            params={"row": excel_row, "n": n, "width": width},
        )
        by_row.setdefault(i, []).append(found.row())
        records[i] = None
