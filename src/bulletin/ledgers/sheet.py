"""One sheet read: Grid → located layout → row kinds → records, findings and row
accounting (SPEC §3, §6); plus the snapshot's checks across sheets.

The ledger package, in the order a sheet flows through it: ``locate`` (ledger type,
header, columns, title facts) → ``rows`` (which rows are records, totals, notes,
blank) → ``parser`` (the ledger rules, column by column, with ``normalise`` for each
value and ``findings`` for what the county must know) → here (the sheet's accounting,
its total rows checked against the rows they total, sheet-level findings).

Every non-empty row below a sheet's header ends in exactly one place (SPEC §6):
a record, a total/note row, or a rejected row (an error in a required field). The
per-sheet counts satisfy ``rows_read == records + total_note_rows + rejected_rows``,
checked here on every sheet. Rows above the header (title, 填报单位 line, header rows)
are counted separately as ``header_rows``; blank rows as ``blank_rows``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import eq, itemgetter, not_, or_

from bulletin.config import Config
from bulletin.contract import CITY, LINEAGE, RECORD_COLUMNS, Period
from bulletin.errors import AccountingError
from bulletin.ledgers import continued, plausible
from bulletin.ledgers.columns import apply_period, missing_findings
from bulletin.ledgers.explain import explain_table
from bulletin.ledgers.findings import Finding
from bulletin.ledgers.layouts import entry_for, pinned_tables
from bulletin.ledgers.locate import Layout, heading_rows, layout_of, locate_tables, next_header
from bulletin.ledgers.normalise import parse_amount, wan
from bulletin.ledgers.parser import Parser, fallback_phrase
from bulletin.ledgers.rows import find_sections, row_kinds, total_label
from bulletin.read.grid import Grid, Skipped, column_letter
from bulletin.text import norm_key, norm_keys, norm_text


@dataclass
class SheetResult:
    ledger: str
    records: list[tuple] = field(default_factory=list)  # RECORD_COLUMNS[ledger] + LINEAGE
    findings: list[dict] = field(default_factory=list)
    accounting: dict = field(default_factory=dict)
    explain: list[dict] = field(default_factory=list)  # how the table was read (EXPLAIN_COLUMNS)
    # the title lines and the region they (or the sheet/file name) name: for the checks
    # across files (bulletin.ledgers.file_checks)
    title: str = ""
    title_region: str = ""
    region_source: str = ""


@dataclass
class Snapshot:
    """Everything read from one snapshot folder."""

    # per ledger, records as tuples in RECORD_COLUMNS[ledger] + LINEAGE order
    records: dict[str, list[tuple]] = field(default_factory=lambda: {k: [] for k in RECORD_COLUMNS})
    findings: list[dict] = field(default_factory=list)
    accounting: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    explain: list[dict] = field(default_factory=list)


class TotalCheck:
    """A total row whose amounts disagree with the sum of the rows it totals: a 小计
    row totals the records since the previous 小计 (or the header); a 合计/总计 row
    totals every record of the sheet; 其中 rows are parts and are not checked. When a
    row in the range was rejected, its amount is unknown and the range is not checked
    (the rejected row is already an error)."""

    TOLERANCE = 0.01  # 万元

    def __init__(self, parser: Parser, findings: list, skip: set = frozenset()):
        self.parser, self.findings = parser, findings
        self.fields = [f for f in parser.layout.columns if parser.cfg.field_type(f) == "amount" and f not in skip]
        names = RECORD_COLUMNS[parser.ledger]
        self.at = {f: names.index(f) for f in self.fields if f in names}
        self.section_start = 0  # where the current 小计 section starts in the sheet's records

    def check(self, first_text: str, row: list, excel_row: int, region: str, sheet: list, above: int) -> None:
        """``sheet[:above]``: the records (``None`` for a rejected row) of the data rows above."""
        if first_text.startswith("其中"):
            return
        labels = {total_label(v, self.parser.cfg) for v in row if v.__class__ is str}  # 小计（3个） anywhere
        subtotal = first_text.endswith("小计") or not labels.isdisjoint({"小计", "subtotal"})
        records = sheet[self.section_start : above] if subtotal else sheet[:above]
        self.section_start = above
        if not records or None in records:
            return
        p = self.parser
        for name in self.fields:
            stated, problem = parse_amount(p.cell(row, name), p.factors[name], p.cfg)
            if stated is None or problem:
                continue
            if name not in self.at:
                continue
            at = self.at[name]
            summed = round(sum(r[at] or 0 for r in records), 4)
            if abs(stated - summed) > self.TOLERANCE:
                label = p.cfg.field_label(p.ledger, name)
                found = Finding(
                    code="total.mismatch",
                    ledger=p.ledger,
                    region=region,
                    where=p.grid,
                    source_row=excel_row,
                    field=label,
                    value=p.cell(row, name),
                    params={"label": label, "stated": wan(stated), "n": len(records), "summed": wan(summed)},
                    variant="subtotal" if subtotal else "",
                )
                self.findings.append(found.row())


def _check_out_of_province_sheet(grid: Grid, layout: Layout, result: SheetResult, cfg: Config) -> None:
    """An in-province signing in a ledger titled as out-of-province (省外)."""
    if layout.ledger != "signings":
        return
    title = norm_key(" ".join(layout.title_lines) + grid.sheet)
    if "省外" not in title:
        return
    at = {c: i for i, c in enumerate(RECORD_COLUMNS["signings"] + LINEAGE)}
    for rec in result.records:
        if rec[at["out_of_province"]] is False:
            result.findings.append(
                Finding(
                    code="signing.in_province",
                    ledger="signings",
                    region=rec[at["region"]],
                    where=grid,
                    source_row=rec[at["source_row"]],
                    field="投资方所在地",
                    value=rec[at["origin"]] or "",
                ).row()
            )


def read_sheet(grid: Grid, period: Period, cfg: Config) -> list[SheetResult | Skipped]:
    """Records, findings and accounting of each table of one sheet (one result per
    ledger type: stacked tables of one type are read as one), or why it was skipped."""
    filled = grid.filled()
    pinned = entry_for(grid.source_file, grid.sheet, cfg)
    if pinned:
        found, problems = pinned_tables(filled, grid.source_file, grid.sheet, cfg, *pinned)
        if isinstance(found, str):
            found += f"（layouts.yaml第{pinned[0]}条" + (f"：{'；'.join(problems)}）" if problems else "）")
    else:
        found = locate_tables(filled, grid.source_file, cfg, grid.sheet)
    if isinstance(found, str):
        return [Skipped(grid.source_file, grid.sheet, found, getattr(found, "ledger", ""))]
    layouts = list(found)
    results: dict[str, SheetResult] = {}
    k = 0
    while k < len(layouts):
        layout = layouts[k]
        start = layout.header_row + 1
        end = layout.end if layout.end is not None else len(filled)
        headings: set = set()
        kinds = row_kinds(grid.rows[start:end], layout, cfg, headings)
        if (
            layout.end is None
            and (below := _stacked(filled, kinds, headings, start, layout, grid=grid, cfg=cfg)) is not None
        ):
            layouts.append(below)
            kinds = kinds[: layout.end - start]
        result = _read_table(grid, filled, layout, kinds, headings, period=period, cfg=cfg)
        if layout.ledger in results:
            _merge(results[layout.ledger], result)
        else:
            results[layout.ledger] = result
        k += 1
    return list(results.values())


def _stacked(
    filled: list, kinds: list, heads: set, start: int, layout: Layout, *, grid: Grid, cfg: Config
) -> Layout | None:
    """A table stacked below this one: a header block within a few rows after a blank or
    heading row (SPEC §8.5). Sets ``layout.end``; returns the new table's layout."""
    n = len(kinds)
    breaks = map(
        or_, map(eq, map(itemgetter(0), kinds), repeat("blank")), map(heads.__contains__, map(itemgetter(1), kinds))
    )
    for i in compress(range(n), breaks):
        after = start + i
        ahead = filled[after + 1 : after + 5]
        if not any(sum(1 for v in r if v.__class__ is str) >= 2 for r in ahead):
            continue
        if i + 1 < n and kinds[i + 1][0] == "blank":
            continue  # look from the last of several blank rows
        h = next_header(filled, after, cfg)
        if h is None:
            continue
        title_rows = heading_rows(filled, h.top, start, cfg)
        below = layout_of(
            filled, h, title_rows, file_name=grid.source_file, sheet=grid.sheet, cfg=cfg, context=layout.title_lines
        )
        layout.end = title_rows[0] if title_rows else h.top
        if below.title_region is None or below.region_source.startswith(("工作表名", "文件名")):
            if layout.region_source.startswith("标题"):  # the sheet's title names the region of both
                below.title_region, below.region_source = layout.title_region, layout.region_source
        return below
    return None


def _merge(into: SheetResult, other: SheetResult) -> None:
    into.records.extend(other.records)
    into.findings.extend(other.findings)
    into.explain.extend(other.explain)
    a, b = into.accounting, other.accounting
    for key in ("rows_read", "records", "total_note_rows", "rejected_rows", "blank_rows", "header_rows"):
        a[key] += b[key]
    if a["region"] != b["region"]:
        a["region"] = CITY if a["region"] and b["region"] else a["region"] or b["region"]


def _fallbacks(kinds: list, sections: dict, layout: Layout) -> list[tuple] | None:
    """Per data row, ``(region, how it was found, tier)`` from the section rows above it
    (a heading resets the headings of its level and below), else the title's."""
    if not sections:
        return None
    base = (layout.title_region, fallback_phrase(layout.region_source), layout.title_tier)
    stack: list = []  # sections in force, outermost first
    out = []
    for i, (kind, _) in enumerate(kinds):
        if kind == "section":
            sec = sections[i]
            while stack and stack[-1].level >= sec.level:
                stack.pop()
            stack.append(sec)
        elif kind == "data":
            region = next((x.region for x in reversed(stack) if x.region), None)
            tier = next((x.tier for x in reversed(stack) if x.tier), None)
            out.append((region or base[0], "分组标题行" if region else base[1], tier or base[2]))
    return out


def _read_table(
    grid: Grid, filled: list, layout: Layout, kinds: list, headings: set, *, period: Period, cfg: Config
) -> SheetResult:
    """Records, findings and accounting of one table of a sheet."""
    apply_period(layout, period, cfg)  # month series: the period's column (SPEC §12)
    result = SheetResult(layout.ledger)
    result.title, result.title_region = "  ".join(layout.title_lines), layout.title_region or ""
    result.region_source = layout.region_source
    region = layout.title_region or ""
    first = layout.header_row + 1
    result.findings.extend(_header_findings(grid, layout, region, cfg))
    result.findings.extend(_column_findings(grid, layout, region, cfg))
    header_rows = len(layout.title_rows) + sum(
        1 for r in grid.rows[layout.header_top : layout.header_row + 1] if any(v is not None for v in r)
    )
    sections = find_sections(filled[first:], kinds, first, layout, cfg, headings)
    is_data = list(map(eq, map(itemgetter(0), kinds), repeat("data")))
    data = list(compress(range(first, first + len(kinds)), is_data))
    data_rows, excel_rows = list(map(filled.__getitem__, data)), [i + 1 for i in data]
    plaus = plausible.decide_units(grid, layout, data_rows, excel_rows, cfg)  # SPEC §11.1
    result.findings.extend(plaus.findings)
    parser = Parser(grid, layout, period, cfg)
    totals = TotalCheck(parser, result.findings, skip=plaus.unread)
    records, row_findings = parser.parse(
        data_rows, excel_rows, _fallbacks(kinds, sections, layout)
    )  # a record is None for a rejected row
    plausible.apply(parser, plaus, data_rows, excel_rows, records, row_findings)
    continued.join(grid, layout, data, records, row_findings, region=region, cfg=cfg)  # SPEC §3.2
    others = [(i, kind, text) for i, (kind, text) in compress(enumerate(kinds, start=first), map(not_, is_data))]
    _interleave(result.findings, row_findings, others, data=data, totals=totals, records=records, filled=filled)
    counts = Counter()
    counts["blank"] = sum(1 for _, kind, _ in others if kind == "blank")
    counts["total_note"] = len(others) - counts["blank"]
    result.records.extend(records if None not in records else (r for r in records if r is not None))
    counts["records"] = len(result.records)
    counts["rejected"] = len(records) - counts["records"]
    counts["read"] = len(kinds) - counts["blank"]
    _check_out_of_province_sheet(grid, layout, result, cfg)
    result.findings.extend(_unit_findings(parser, plaus.unread, region))
    if counts["read"] != counts["records"] + counts["total_note"] + counts["rejected"]:
        raise AccountingError(
            f"{grid.source_file}/{grid.sheet}: {dict(counts)}", file=grid.source_file, sheet=grid.sheet
        )
    result.accounting = _accounting(grid, layout, result.records, region, counts) | {"header_rows": header_rows}
    result.explain = explain_table(
        layout,
        kinds,
        sections,
        first,
        counts,
        region=result.accounting["region"],
        cfg=cfg,
        source_file=grid.source_file,
    )
    return result


def _interleave(
    sheet_findings: list, row_findings: dict, others: list, *, data: list, totals: TotalCheck, records, filled
) -> None:
    """The rows' findings into the sheet's, in row order, each total row's check after
    the findings of the rows above it."""
    flagged = sorted(row_findings)  # data rows (indexes into ``data``) with findings
    done = 0  # flagged rows whose findings are in; a total row's check goes after the rows above it
    region = totals.parser.layout.title_region or ""
    for i, kind, text in others:
        if kind == "total":
            above = bisect.bisect_left(data, i)
            upto = bisect.bisect_left(flagged, above)
            for k in flagged[done:upto]:
                sheet_findings.extend(row_findings[k])
            done = upto
            totals.check(text, filled[i], i + 1, region, records, above)
        elif kind == "section":
            totals.section_start = bisect.bisect_left(data, i)
    for k in flagged[done:]:
        sheet_findings.extend(row_findings[k])


def _accounting(grid: Grid, layout: Layout, records: list, region: str, counts: Counter) -> dict:
    """The sheet's row of accounting.csv (without ``header_rows``)."""
    at = RECORD_COLUMNS[layout.ledger].index("region")
    regions = Counter(filter(None, map(itemgetter(at), records)))
    return {
        "source_file": grid.source_file,
        "source_sheet": grid.sheet,
        "ledger": layout.ledger,
        # the sheet's region: from its title/file, else its records' one region; a sheet
        # whose records span several regions (a city-wide targets table) is the city's
        "region": region or (next(iter(regions)) if len(regions) == 1 else CITY if regions else ""),
        "rows_read": counts["read"],
        "records": counts["records"],
        "total_note_rows": counts["total_note"],
        "rejected_rows": counts["rejected"],
        "blank_rows": counts["blank"],
    }


def _unit_findings(parser: Parser, unread: set, region: str) -> list[dict]:
    """A default-unit amount column where a bare number was read: 按万元计, please check."""
    out = []
    layout, cfg = parser.layout, parser.cfg
    for name in parser.default_unit_fields:
        if name not in parser.defaulted or name in unread:  # every value carried its own unit
            continue
        label = cfg.field_label(layout.ledger, name)
        found = Finding(
            code="unit.default",
            ledger=layout.ledger,
            region=region,
            where=parser.grid,
            source_row=layout.header_row + 1,
            field=label,
            value=layout.header_text[name],
            params={"header": layout.header_text[name]},
        )
        out.append(found.row())
    return out


def _header_findings(grid: Grid, layout: Layout, region: str, cfg: Config) -> list[dict]:
    """The table's layout as overridden (layouts.yaml) and its ambiguous header columns."""
    out = []
    at = {"ledger": layout.ledger, "region": region, "where": grid, "source_row": layout.header_row + 1}
    if layout.override:
        out.append(Finding(code="layout.override", **at, params={"description": layout.override}).row())
    for problem in layout.override_problems:
        out.append(Finding(code="layout.invalid", **at, params={"problem": problem}).row())
    for name, cols in layout.ambiguous.items():
        label = cfg.field_label(layout.ledger, name)
        named = "、".join(f"{column_letter(j)}列“{layout.column_text[j]}”" for j in cols)
        required = name in cfg.ledgers[layout.ledger]["required"]
        found = Finding(
            code="header.ambiguous",
            **at,
            field=label,
            value="；".join(layout.column_text[j] for j in cols),
            params={"columns": named, "label": label},
            variant="required" if required else "",
        )
        out.append(found.row())
    return out


def _column_findings(grid: Grid, layout: Layout, region: str, cfg: Config) -> list[dict]:
    """The columns the table lacks, a month series without its running total, and the
    rows beyond the read limit."""
    out = missing_findings(layout, grid, region, cfg)
    detailed = {}
    for j, name in layout.month_detail.items():
        detailed.setdefault(name, []).append(j)
    for name, cols in detailed.items():
        if name in layout.columns or name in layout.ambiguous:
            continue
        label = cfg.field_label(layout.ledger, name)
        found = Finding(
            code="header.month_detail_only",
            ledger=layout.ledger,
            region=region,
            where=grid,
            source_row=layout.header_row + 1,
            field=label,
            value="；".join(layout.column_text[j] for j in cols),
            params={"label": label, "column": column_letter(cols[0])},
        )
        out.append(found.row())
    if grid.truncated_at and layout.end is None:
        found = Finding(
            code="sheet.truncated",
            ledger=layout.ledger,
            region=region,
            where=grid,
            source_row=grid.truncated_at,
            params={"max_rows": cfg.rules["limits"]["max_rows"], "row": grid.truncated_at},
        )
        out.append(found.row())
    return out


def cross_checks(snapshot: Snapshot, cfg: Config) -> None:
    """Checks across rows and files: the same project reported twice."""
    for ledger in ("signings", "projects"):
        names = RECORD_COLUMNS[ledger] + LINEAGE
        project = names.index("project")
        tier = names.index("tier") if ledger == "projects" else None
        seen: dict[tuple, tuple] = {}
        records = snapshot.records[ledger]
        for values, name in zip(records, norm_keys([v[project] for v in records])):
            key = (name, values[tier] if tier is not None else None)
            if not key[0]:
                continue
            first = seen.setdefault(key, values)
            if first is values:
                continue
            rec, first = dict(zip(names, values)), dict(zip(names, first))
            where = f"{first['source_file']}“{first['source_sheet']}”第{first['source_row']}行（{first['region']}）"
            found = Finding(
                code="project.duplicate",
                ledger=ledger,
                region=rec["region"],
                where=(rec["source_file"], rec["source_sheet"]),
                source_row=rec["source_row"],
                field=cfg.field_label(ledger, "project"),
                value=norm_text(rec["project"]),
                quote=False,
                params={"project": norm_text(rec["project"]), "where": where},
            )
            snapshot.findings.append(found.row())
