"""What the checks across files (SPEC §11.7–11.9) share: the facts of one sheet read
(its title and the region the title, sheet or file name names) and taking a sheet's records out of the count.

A record taken out moves from ``records`` to ``rejected_rows`` in its sheet's row
accounting (rows_read = records + total_note_rows + rejected_rows still holds), so
``accounting.csv`` says where every row went.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bulletin.contract import LINEAGE, RECORD_COLUMNS


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

    @property
    def from_title(self) -> bool:
        """Whether ``title_region`` came from the title lines (not the sheet/file name)."""
        return self.region_source.startswith("标题")


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
