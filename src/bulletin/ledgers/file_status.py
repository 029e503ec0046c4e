"""The register's word on files the checks across files judged (SPEC §11.7, §11.9).

:func:`settle` refines the rows of the submission register
(:func:`bulletin.ledgers.register.register`) from the findings of those checks:

* ``not_this_period`` — the county's only files of a ledger type are not this
  period's (``file.other_period``, ``ledger.other_year``): its figures of that type are
  empty, and the bulletin says 非本期台账 where they would stand.
* ``region_conflict`` — the county's only file of the type names two counties (file
  name and title, or title and rows: ``file.region_conflict``): its rows are credited to
  neither; empty figures, 台账所属县区不清.
* ``unreadable`` — the county has two rows in one targets table
  (``target.duplicate_region``): it sent a target, which cannot be read; the bulletin
  says 目标无法读取 with the reason, not 未报送.
* ``not_updated`` — every file the county's figures of a type come from is
  byte-identical to one of last month's snapshot (``file.same_as_last_month``): the
  figures are published (ledgers are cumulative) and marked 未更新（与上月台账相同）.

Pure: a function of the register rows and the findings.
"""

from __future__ import annotations

from collections import defaultdict

from bulletin.contract import SUBMISSION_STATUSES

SUBMITTED, NOT_SUBMITTED, UNREADABLE, NOT_THIS_PERIOD, REGION_CONFLICT, NOT_UPDATED = SUBMISSION_STATUSES
# codes of findings whose file's records of a ledger type were taken out of the count
REJECTING = {
    "file.other_period": NOT_THIS_PERIOD,
    "ledger.other_year": NOT_THIS_PERIOD,
    "file.region_conflict": REGION_CONFLICT,
    "file.region_other_rows": REGION_CONFLICT,
    # two rows for the county in one targets table: its target cannot be read (not "not sent")
    "target.duplicate_region": UNREADABLE,
}
RESENT = "file.same_as_last_month"
RESENT_REASON = "与上月台账相同"


def _rejected(findings: list[dict]) -> tuple[dict, dict]:
    """(ledger, file) → (status, reason) of the files taken out, and (ledger, file) →
    the regions their findings name."""
    rejected: dict[tuple[str, str], tuple[str, str]] = {}
    regions: dict[tuple[str, str], set] = defaultdict(set)
    for f in findings:
        status = REJECTING.get(f["code"])
        if status and f["ledger"]:
            key = (f["ledger"], f["source_file"])
            rejected.setdefault(key, (status, f["message"]))
            if f["region"]:
                regions[key].add(f["region"])
    return rejected, regions


def settle(rows: list[dict], findings: list[dict]) -> list[dict]:
    """The register ``rows`` (one dict per region × ledger × file, in order) with the
    statuses of the module docstring."""
    rejected, named = _rejected(findings)
    resent = {f["source_file"] for f in findings if f["code"] == RESENT}
    if not rejected and not resent:
        return rows
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["region"], r["ledger"]), []).append(r)
    out = []
    for (region, ledger), group in groups.items():
        if group[0]["status"] == SUBMITTED:
            kept = [r for r in group if not ((ledger, r["source_file"]) in rejected and not r["records"])]
            if kept and ledger != "targets" and all(r["source_file"] in resent for r in kept):
                kept = [{**r, "status": NOT_UPDATED, "reason": RESENT_REASON} for r in kept]
            files = [] if kept else [r["source_file"] for r in group]
        else:
            kept = group
            files = [file for (lg, file) in rejected if lg == ledger and region in named[(lg, file)]]
            if files:
                kept = []
        if kept:
            out.extend(kept)
            continue
        for file in sorted(files):
            status, reason = rejected[(ledger, file)]
            out.append({**group[0], "status": status, "source_file": file, "records": "", "reason": reason})
    return out
