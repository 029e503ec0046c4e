"""Whose ledger (SPEC §11.9): a file whose name or title names one county and whose
title or rows name another — a template reused from a neighbour — is never credited
to either silently.

* File name and title name two counties, and the rows carry no region of their own
  (they fell back to the title's county): nobody can tell whose rows they are. Error
  for the file (``file.region_conflict``); the sheet's records count for no county.
  When the rows carry the file name's county themselves, they count for it (the title
  is a leftover of the template).
* The county named by the file name or title differs from the county the rows name
  (region column): those rows are not counted (``file.region_other_rows``), error
  naming the file, the county it names, the rows and the county they name.

The file's county (file name first: the clerk who sent it) gets the finding, and
the register says 台账所属县区不清 for a county left without figures
(:mod:`bulletin.ledgers.file_status`). The findings of the rows taken out (a date
after the period, an amount to check…) go to that county too: they are about the
file its clerk sent, not about the county the rows name, whose own ledger they are
not (``_to_sender``). Targets tables are city-wide and not checked.
"""

from __future__ import annotations

from collections import defaultdict

from bulletin.config import Config
from bulletin.contract import CITY
from bulletin.ledgers import normalise as N
from bulletin.ledgers.file_facts import SheetFacts, column, withdraw
from bulletin.ledgers.findings import Finding


def _rows(rows: list) -> str:
    rows = sorted(rows)
    shown = "、".join(str(r) for r in rows[:8]) + ("等" if len(rows) > 8 else "")
    return f"第{shown}行"


def _rows_by_sheet(snap) -> dict[tuple, dict[str, list]]:
    """(ledger, file, sheet) → region → the Excel rows of its records."""
    out: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for ledger, records in snap.records.items():
        if ledger == "targets":
            continue
        fi, si = column(ledger, "source_file"), column(ledger, "source_sheet")
        ri, rr = column(ledger, "region"), column(ledger, "source_row")
        for rec in records:
            if rec[ri]:
                out[(ledger, rec[fi], rec[si])][rec[ri]].append(rec[rr])
    return out


def check_owner(snap, sheets: list[SheetFacts], cfg: Config) -> None:
    """See the module docstring; adjusts ``snap`` in place."""
    rows_of = _rows_by_sheet(snap)
    for facts in sheets:
        if facts.ledger == "targets" or facts.region_source.startswith("layouts"):
            continue
        by_name = N.find_region(facts.source_file, cfg)
        by_title = facts.title_region if facts.region_source.startswith(("标题", "工作表名")) else None
        if by_name == CITY:
            by_name = None
        key = (facts.source_file, facts.source_sheet)
        rows = rows_of.get((facts.ledger, *key), {})
        if by_name and by_title and by_name != by_title and set(rows) != {by_name}:
            gone = withdraw(snap, facts.ledger, *key)
            _to_sender(snap, facts, by_name)
            params = {"by_name": by_name, "by_title": by_title, "n": sum(gone.values())}
            found = Finding(
                code="file.region_conflict",
                ledger=facts.ledger,
                region=by_name,
                where=facts,
                value=by_title,
                quote=False,
                params=params,
            )
            snap.findings.append(found.row())
            continue
        named = by_name or by_title
        others = {r: at for r, at in rows.items() if named and r != named}
        if not others:
            continue
        withdraw(snap, facts.ledger, *key, regions=set(others))
        _to_sender(snap, facts, named, set(others))
        for other, at in others.items():
            where = "文件名" if by_name else "表格标题"
            params = {"where": where, "named": named, "rows": _rows(at), "other": other, "n": len(at)}
            found = Finding(
                code="file.region_other_rows",
                ledger=facts.ledger,
                region=named,
                where=facts,
                value=other,
                quote=False,
                params=params,
            )
            snap.findings.append(found.row())


def _to_sender(snap, facts: SheetFacts, sender: str, regions: set | None = None) -> None:
    """The findings of the sheet's rows (of ``regions`` only, when given) go to the
    county that sent the file."""
    for f in snap.findings:
        if (
            f["source_file"] == facts.source_file
            and f["source_sheet"] == facts.source_sheet
            and f["ledger"] == facts.ledger
            and f["region"] != sender
            and (regions is None or f["region"] in regions)
        ):
            f["region"] = sender
