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


def _ranges_of(grid: Grid, col: int) -> list[tuple[int, int]]:
    """The (first, last) rows of the merged ranges of column ``col`` that span rows."""
    return [(r0, r1) for (r0, c0), (r1, c1) in grid.merged if c0 <= col <= c1 and r1 > r0]


def _same_cell(grid: Grid, a: int, b: int, col: int) -> bool:
    """Whether rows ``a`` and ``b`` of column ``col`` are one merged cell."""
    return any(r0 <= min(a, b) and max(a, b) <= r1 and c0 <= col <= c1 for (r0, c0), (r1, c1) in grid.merged)


def continuations(grid: Grid, layout: Layout, data: list[int]) -> dict[int, int]:
    """Index (into ``data``, the table's data rows) of each continuation row → index of
    the first row of its project."""
    col = layout.columns.get("project")
    if not grid.merged or col is None or layout.ledger not in ADDED:
        return {}
    at = {row: k for k, row in enumerate(data)}
    out = {}
    for first, last in _ranges_of(grid, col):
        if first not in at:
            continue  # the range starts on a heading or total row: not one project's
        for row in range(first + 1, last + 1):
            if row in at:
                out[at[row]] = at[first]
    return out


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
    for k, first in sorted(pairs.items()):
        top, row = records[first], records[k]
        if top is None or row is None:
            continue
        joined = list(top)
        for name in ADDED[ledger]:
            col, i = layout.columns.get(name), names.index(name)
            if col is None or row[i] is None or _same_cell(grid, data[first], data[k], col):
                continue
            joined[i] = row[i] if joined[i] is None else round(joined[i] + row[i], 4)
        for name in JOINED.get(ledger, ()):
            col, i = layout.columns.get(name), names.index(name)
            if col is None or not row[i] or _same_cell(grid, data[first], data[k], col):
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
