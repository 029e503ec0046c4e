"""What reading a file gives: cell grids, the problems that kept a file or sheet from
being read, and what was skipped (with the reason). Plain data, picklable: a file may
be read in a bounded child process (:mod:`bulletin.read.limits`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.findings_catalogue import Catalogued


@dataclass
class Grid:
    """One sheet's cells. ``rows[i][j]`` is Excel row i+1, column j+1 (``None`` empty)."""

    source_file: str
    sheet: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    truncated_at: int | None = None  # Excel row where reading stopped (size limit)
    # (row, col) → what is really in a cell that reads as empty: "=formula" saved
    # without its result, or an error value such as "#DIV/0!"
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    # SPEC §11.4–5: the workbook's 1904 date system; rows hidden (or filtered out) and
    # cells struck through (0-based), from the sheet XML (bulletin.read.limits)
    date1904: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    struck: set[tuple[int, int]] = field(default_factory=set)
    delimited: bool = False  # a CSV/text table: each row holds the fields its line had (SPEC §11.2)

    def filled(self) -> list[list]:
        """The rows with each merged range's value in every cell: a copy when the sheet
        has merged ranges, else the rows themselves (read, never changed, by callers)."""
        if not self.merged:
            return self.rows
        rows = [list(r) for r in self.rows]
        width = max((len(r) for r in rows), default=0)
        for (r0, c0), (r1, c1) in self.merged:
            if r0 >= len(rows) or c0 >= len(rows[r0]):
                continue
            value = rows[r0][c0]
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                row = rows[r]
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                for c in range(c0, min(c1, width - 1) + 1):
                    row[c] = value
        return rows


@dataclass
class OpenProblem(Catalogued):
    """A file, sheet or cell that could not be read as it is; becomes a finding (its
    severity and words: the code's in :mod:`bulletin.findings_catalogue`)."""

    source_file: str
    sheet: str
    code: str
    params: dict = field(default_factory=dict)  # the values the code's message names
    variant: str = ""  # the code's other wording, by name
    row: int | None = None  # Excel row, for a cell
    column: str = ""  # the cell's column letter
    value: str = ""


@dataclass
class Skipped:
    source_file: str
    sheet: str
    reason: str
    # the ledger type a sheet not read looks like (its header has three or more of the
    # type's fields but lacks a required one: bulletin.ledgers.unread), else "": the
    # register then says the county's ledger of that type could not be read, never
    # that it was not submitted
    ledger: str = ""


@dataclass
class WorkbookRead:
    grids: list[Grid] = field(default_factory=list)
    problems: list[OpenProblem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0-based column index → Excel letters.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
