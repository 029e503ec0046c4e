"""What the checks across files (SPEC §11.7–11.9) share: the facts of one sheet read
(its title and the region the title, sheet or file name names) and taking a sheet's records out of the count.

A record taken out moves from ``records`` to ``rejected_rows`` in its sheet's row
accounting (rows_read = records + total_note_rows + rejected_rows still holds), so
``accounting.csv`` says where every row went.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, itemgetter

from bulletin.contract import LINEAGE, RECORD_COLUMNS

# the ledgers whose records carry a date that says which year's ledger it is (SPEC §11.7)
DATED = {"signings": "signed_on", "activities": "held_on"}


@dataclass(frozen=True)
class SheetFacts:
    """One table read: where it is, its ledger type, its title lines, the region its
    title (or sheet or file name) names and where that came from."""

    source_file: str
    source_sheet: str
    ledger: str
    title: str = ""
    title_region: str = ""
    region_source: str = ""
    modified: float = 0.0  # the file's own modification time (os.stat)
    # what the checks across files need of the table's records, summed up where the
    # table is read (in the reading pool's processes, not after it in series)
    summary: RecordSummary | None = field(default=None, compare=False)

    @property
    def from_title(self) -> bool:
        """Whether ``title_region`` came from the title lines (not the sheet/file name)."""
        return self.region_source.startswith("标题")


@dataclass(frozen=True)
class RecordSummary:
    """Of one table's records as read: how many; of a dated ledger (:data:`DATED`), how
    many carry a date and the years of those dates; of a county's ledger (not the
    targets), the Excel rows of the records of each region they name."""

    records: int = 0
    dated: int = 0
    years: frozenset = frozenset()
    rows_by_region: dict = field(default_factory=dict)


def summarise(ledger: str, records: list[tuple]) -> RecordSummary:
    """The :class:`RecordSummary` of one table's records (maps in C over the records:
    this runs once per table, on every record of the month)."""
    dated, years = 0, frozenset()
    if ledger in DATED:
        values = list(map(itemgetter(column(ledger, DATED[ledger])), records))
        is_date = list(map(isinstance, values, repeat(dt.date)))
        dated = sum(is_date)
        years = frozenset(map(attrgetter("year"), compress(values, is_date)))
    by_region: dict[str, list] = {}
    if ledger != "targets" and records:
        ri, rr = column(ledger, "region"), column(ledger, "source_row")
        regions = set(map(itemgetter(ri), records))
        if len(regions) == 1:  # the common case: a county's own table
            (region,) = regions
            if region:
                by_region[region] = list(map(itemgetter(rr), records))
        else:
            grouped = defaultdict(list)
            for rec in records:
                if rec[ri]:
                    grouped[rec[ri]].append(rec[rr])
            by_region = dict(grouped)
    return RecordSummary(len(records), dated, years, by_region)


def column(ledger: str, name: str) -> int:
    """The index of ``name`` in a record tuple of ``ledger``."""
    return (RECORD_COLUMNS[ledger] + LINEAGE).index(name)


def withdraw(snap, ledger: str, file: str, sheet: str | None = None, regions=None) -> Counter:
    """Take the records of ``ledger`` from ``file`` (its ``sheet`` only, when given; of
    ``regions`` only, when given) out of the count; returns (file, sheet, region) →
    records taken out."""
    fi, si, ri = column(ledger, "source_file"), column(ledger, "source_sheet"), column(ledger, "region")
    kept, gone = [], Counter()
    for rec in snap.records[ledger]:
        if rec[fi] == file and (sheet is None or rec[si] == sheet) and (regions is None or rec[ri] in regions):
            gone[(rec[fi], rec[si], rec[ri] or "")] += 1
        else:
            kept.append(rec)
    if gone:
        snap.records[ledger] = kept
        per_sheet = Counter()
        for (file, sheet, _), n in gone.items():
            per_sheet[(file, sheet)] += n
        for acc in snap.accounting:
            n = min(per_sheet.get((acc["source_file"], acc["source_sheet"]), 0), acc["records"])
            if acc["ledger"] == ledger and n:
                acc["records"] -= n
                acc["rejected_rows"] += n
    return gone
