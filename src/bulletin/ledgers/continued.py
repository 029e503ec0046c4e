"""One project over several rows (SPEC §3.2): a project name in a cell merged down over
rows that each name another investor, phase or part.

A merged range's value belongs to every cell of the range, so each of those rows reads
as a record of the same project: the project would count once per row, and a figure
merged over the rows (the project's one 签约额) once per row too — a joint signing of
100万元 by two investors published as two projects and 200万元. The rows under the
first one of the range are its continuation: joined into the first row's record, they
are not records of their own.

* A figure (签约额, 到位资金, the projects' investments) in a cell merged with the first
  row's counts once; one written in the continuation row's own cell (each investor's
  share, each phase's investment) is added to the first row's.
* The investors and their places named in the continuation rows are joined to the
  first row's (``甲公司、乙公司``); the project is out of the province when one of its
  investors is (as ``上海、哈尔滨`` reads; a 是否省外 column, when there is one, is the
  first row's); every other field is the first row's.
* The continuation row is not a record: in the accounting a row not counted on its
  own, with a warning naming the row it was joined to (``row.merged_project``).

Rows rejected on their own (an error) are left as they are. Activities have no project
column. Region and tier merged down over many projects are not affected: only the
project column's merges make rows one project.
"""

from __future__ import annotations

from bulletin.config import Config
from bulletin.contract import RECORD_COLUMNS
from bulletin.ledgers.findings import Finding
from bulletin.ledgers.locate import Layout
from bulletin.read.grid import Grid

ADDED = {
    "signings": ("amount", "funds_in_place"),
    "projects": ("total_investment", "planned_investment", "completed_investment"),
}
JOINED = {"signings": ("investor", "origin")}
SEPARATOR = "、"


def _first_rows(grid: Grid, cols: set[int]) -> dict[int, dict[int, int]]:
    """Column (of ``cols``) → row → the first row of the merged range over that cell,
    for the cells under ranges that span rows (one pass over the ranges; the ranges of
    one column do not overlap, so this is at most the sheet's rows per column)."""
    out: dict[int, dict[int, int]] = {col: {} for col in cols}
    for (r0, c0), (r1, c1) in grid.merged:
        if r1 > r0:
            for col in cols:
                if c0 <= col <= c1:
                    out[col].update(dict.fromkeys(range(r0, r1 + 1), r0))
    return out


def continuations(grid: Grid, layout: Layout, data: list[int]) -> dict[int, int]:
    """Index (into ``data``, the table's data rows) of each continuation row → index of
    the first row of its project."""
    col = layout.columns.get("project")
    if not grid.merged or col is None or layout.ledger not in ADDED:
        return {}
    at = {row: k for k, row in enumerate(data)}
    # a range starting on a heading or total row (not in ``at``) is not one project's
    return {
        at[row]: at[first]
        for row, first in _first_rows(grid, {col})[col].items()
        if row != first and row in at and first in at
    }


def join(
    grid: Grid, layout: Layout, data: list[int], records: list, row_findings: dict, *, region: str, cfg: Config
) -> None:
    """Join each continuation row's record into its first row's (see the module
    docstring), in place: the continuation's record becomes None, with a warning."""
    pairs = continuations(grid, layout, data)
    if not pairs:
        return
    ledger = layout.ledger
    names = RECORD_COLUMNS[ledger]
    fields = [n for n in (*ADDED[ledger], *JOINED.get(ledger, ())) if layout.columns.get(n) is not None]
    first_rows = _first_rows(grid, {layout.columns[n] for n in fields})

    def own_cell(name: str, a: int, b: int) -> bool:  # rows a and b of the field: not one merged cell
        merged = first_rows[layout.columns[name]]
        return merged.get(a) is None or merged.get(a) != merged.get(b)

    for k, first in sorted(pairs.items()):
        top, row = records[first], records[k]
        if top is None or row is None:
            continue
        joined = list(top)
        for name in ADDED[ledger]:
            i = names.index(name)
            if name not in fields or row[i] is None or not own_cell(name, data[first], data[k]):
                continue
            joined[i] = row[i] if joined[i] is None else round(joined[i] + row[i], 4)
        for name in JOINED.get(ledger, ()):
            i = names.index(name)
            if name not in fields or not row[i] or not own_cell(name, data[first], data[k]):
                continue
            parts = joined[i].split(SEPARATOR) if joined[i] else []
            joined[i] = SEPARATOR.join(parts + [p for p in row[i].split(SEPARATOR) if p not in parts])
            if name == "origin" and layout.columns.get("out_of_province") is None:
                # out of the province when any investor is (as 上海、哈尔滨 reads)
                at = names.index("out_of_province")
                if joined[at] is not None and row[at] is not None:
                    joined[at] = joined[at] or row[at]
        records[first], records[k] = tuple(joined), None
        found = Finding(
            code="row.merged_project",
            ledger=ledger,
            region=top[names.index("region")] or region,
            where=grid,
            source_row=data[k] + 1,
            field=cfg.field_label(ledger, "project"),
            value=row[names.index("project")],
            params={"top": data[first] + 1, "label": cfg.field_label(ledger, "project")},
        )
        row_findings.setdefault(k, []).append(found.row())
