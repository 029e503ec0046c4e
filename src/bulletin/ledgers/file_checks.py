"""The checks across files of SPEC §11.7–11.9, run by the cleaning stage
(:func:`bulletin.ledgers.snapshot.read_snapshot`) once every file is read, before the
per-record rule of SPEC §7:

1. not this period's ledger (:mod:`bulletin.ledgers.period_check`);
2. whose ledger (:mod:`bulletin.ledgers.whose`);
3. revised copies and targets versions (:mod:`bulletin.ledgers.versions`).

And, last, :func:`route_findings`: every finding reaches a county — a finding that
names no region takes the region of its sheet (its title, sheet or file name, or its
rows' one county), or of its file; a city-wide file's (the targets table's) goes to
the city (全市), whose feedback workbook the office reads.
"""

from __future__ import annotations

from collections import defaultdict

from bulletin.config import Config
from bulletin.contract import CITY, Period
from bulletin.ledgers import normalise as N
from bulletin.ledgers.file_facts import SheetFacts
from bulletin.ledgers.period_check import check_periods
from bulletin.ledgers.versions import pick_versions
from bulletin.ledgers.whose import check_owner


def across_files(snap, sheets: list[SheetFacts], period: Period, cfg: Config, *, resent=frozenset()) -> None:
    """Run the checks of the module docstring on ``snap`` (in place). ``resent``: the
    files byte-identical to last month's — 未更新, published as they are (SPEC §11.7), so
    the period their names and titles declare (last month's) is not held against them."""
    check_periods(snap, [s for s in sheets if s.source_file not in resent], period)
    check_owner(snap, sheets, cfg)
    pick_versions(snap, sheets, cfg)


def route_findings(snap, cfg: Config) -> None:
    """Give every finding without a region the region of its sheet or file (see the
    module docstring); one whose file names none and whose sheets span several
    counties, or that no sheet was read from, goes to the city. A sheet whose rows
    name no region at all is the city's too (its rows are in the city's workbook)."""
    by_sheet: dict[tuple[str, str], set] = defaultdict(set)
    by_file: dict[str, set] = defaultdict(set)
    for acc in snap.accounting:
        acc["region"] = region = acc["region"] or N.find_region(acc["source_file"], cfg) or CITY
        by_sheet[(acc["source_file"], acc["source_sheet"])].add(region)
        by_file[acc["source_file"]].add(region)

    def one(regions: set) -> str:
        return next(iter(regions)) if len(regions) == 1 else CITY

    for f in snap.findings:
        if f["region"]:
            continue
        file = f["source_file"]
        named = N.find_region(file, cfg) if file else None
        if named:
            f["region"] = named
        elif (file, f["source_sheet"]) in by_sheet:
            f["region"] = one(by_sheet[(file, f["source_sheet"])])
        else:
            f["region"] = one(by_file.get(file, set()))
