"""The submission register (SPEC §7): for every region of the registry and every
ledger type, did the region submit it this month?

* **submitted** — at least one sheet of that type read whose rows belong to the region
  (a sheet with a header and no rows counts, with zero records): one row per file it
  came from, with the region's records of that type in the file and, in ``missing``,
  the columns an indicator needs that the file's table lacks (``column.missing``,
  SPEC §12). Targets: a target row of the region.
* **unreadable** as well when every row of the type the region sent was rejected (no
  record, error findings on rows): "无法读取", not "no projects" (SPEC §12).
* **unreadable** — not submitted, but a file that names the region (in its name or
  folder) could not be read, or gave no ledger (encrypted, corrupt, too large, a
  hidden file, a link outside the raw folder…): one row per such file, with why. So
  is a ledger type of which a file read for the region (the county its name or the
  sheet's name names, else its read sheets' one region) has a sheet that looks like
  that type's ledger but lacks a required column
  (:class:`bulletin.ledgers.unread.NotALedger`): sent, not readable.
  A file whose name names a ledger type (``rules.yaml`` ``file_hints``: 签约, 活动,
  重点项目…) counts for that type only; the city's targets file (目标) for every
  region when it names none.
* **not_submitted** — neither: one row without a file.

Pure: a function of what the cleaning stage kept (records, accounting, findings,
skipped entries), so the indicators and the bulletin can trust it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from bulletin.config import Config
from bulletin.contract import LEDGERS, LINEAGE, RECORD_COLUMNS, SUBMISSION_COLUMNS
from bulletin.ledgers import normalise as N
from bulletin.ledgers.columns import missing_by_file
from bulletin.ledgers.file_status import settle
from bulletin.ledgers.locate import EMPTY_SHEET
from bulletin.text import norm_key

# file-level findings that mean a file (or a sheet of it) gave nothing
UNREADABLE_CODES = {
    "file.empty",
    "file.too_large",
    "file.zip_bomb",
    "file.encrypted",
    "file.corrupt",
    "file.not_table",
    "file.not_excel",
    "file.failed",
    "file.resources",
    "file.unsupported_format",
    "file.io_error",
    "sheet.unreadable",
    "sheet.too_large",
    "sheet.failed",
}
NOT_EVIDENCE = ("~$",)  # lock files are never the ledger itself


def _hinted(rel: str, cfg: Config) -> set[str]:
    """Ledger types a file's name names (``file_hints``)."""
    key = norm_key(rel)
    hints = cfg.rules.get("file_hints", {})
    return {ledger for ledger, words in hints.items() if any(norm_key(w) in key for w in words)}


def _evidence(snap, cfg: Config, copies: set[str]) -> dict[str, list[tuple[str, str, set[str]]]]:
    """Region (or "" for none named) → files that gave nothing of some ledger types:
    (file, why, the ledger types it may have held)."""
    regions_of: dict[str, set] = defaultdict(set)  # a file read → the regions of its sheets
    for a in snap.accounting:
        regions_of[a["source_file"]].add(a["region"])
    looks: list[tuple[str, str, str, str]] = []  # a sheet of a file read: a ledger lacking a required column
    why: dict[str, str] = {}
    # a file nothing was read from: the types its sheets showed to be (a header of the
    # type without a required column), unless some sheet or the file itself says nothing
    shown: dict[str, set] = defaultdict(set)
    unknown: set[str] = set()
    for f in snap.findings:
        if f["code"] in UNREADABLE_CODES and f["severity"] == "error":
            where = f"工作表“{f['source_sheet']}”" if f["source_sheet"] else ""
            why.setdefault(f["source_file"], where + f["message"])
            unknown.add(f["source_file"])
    for s in sorted(snap.skipped, key=lambda s: s.reason == EMPTY_SHEET):  # a reason before "empty"
        name = s.source_file.rsplit("/", 1)[-1]
        if s.source_file in copies or name.startswith(NOT_EVIDENCE):
            continue
        if s.source_file in regions_of:
            if s.ledger:  # other sheets read: this one is the type's ledger, not readable
                looks.append((s.source_file, s.sheet, s.ledger, f"工作表“{s.sheet}”{s.reason}"))
            continue
        why.setdefault(s.source_file, (f"工作表“{s.sheet}”" if s.sheet else "") + s.reason)
        if s.ledger:
            shown[s.source_file].add(s.ledger)
        elif s.reason != EMPTY_SHEET:
            unknown.add(s.source_file)
    out: dict[str, list] = defaultdict(list)
    for rel, sheet, ledger, reason in looks:  # the county its file, else its sheet, names, else the file's one
        named = N.find_region(rel, cfg) or N.find_region(sheet, cfg)
        regions = {named} if named else regions_of[rel] - {""}
        if len(regions) == 1:
            out[next(iter(regions))].append((rel, reason, {ledger}))
    for rel, reason in why.items():
        hinted = _hinted(rel, cfg)
        region = N.find_region(rel, cfg) or ""
        if shown[rel] and rel not in unknown:
            hinted |= shown[rel]
        elif not hinted:
            hinted = set(LEDGERS) - {"targets"} if region else set()
        out[region].append((rel, reason, hinted))
    return out


def register(snap, cfg: Config) -> list[dict]:
    """Rows of submissions.csv (:data:`bulletin.contract.SUBMISSION_COLUMNS`): regions
    in registry order, ledger types in :data:`bulletin.contract.LEDGERS` order."""
    regions = list(cfg.region_names)
    copies = {f["source_file"] for f in snap.findings if f["code"] == "file.duplicate_copy"}
    evidence = _evidence(snap, cfg, copies)
    submitted: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for ledger in LEDGERS:
        names = RECORD_COLUMNS[ledger] + LINEAGE
        ri, fi = names.index("region"), names.index("source_file")
        for rec in snap.records[ledger]:
            submitted[(rec[ri], ledger)][rec[fi]] += 1
    for acc in snap.accounting:  # a sheet with a header and no rows
        if acc["ledger"] != "targets":
            submitted[(acc["region"], acc["ledger"])][acc["source_file"]] += 0
    rejected: dict[tuple[str, str], set] = defaultdict(set)
    for f in snap.findings:  # a sheet whose rows were all rejected
        if f["source_row"] not in ("", None) and f["ledger"] in LEDGERS and f["ledger"] != "targets":
            submitted[(f["region"], f["ledger"])][f["source_file"]] += 0
            if f["severity"] == "error":
                rejected[(f["region"], f["ledger"])].add((f["source_file"], f["source_sheet"], f["source_row"]))
    missing = missing_by_file(snap.findings, cfg)
    rows = []
    for region in regions:
        for ledger in LEDGERS:
            files = submitted.get((region, ledger))
            if files and not any(files.values()) and rejected.get((region, ledger)):
                # every row of the type rejected: unreadable, not "no projects" (SPEC §12)
                n = len(rejected[(region, ledger)])
                why = f"全部{n}行均因错误被退回，未计入统计（见问题清单）"
                rows.extend([region, ledger, "unreadable", rel, "", why, ""] for rel in sorted(files))
                continue
            if files:
                for rel in sorted(files):
                    gaps = ";".join(sorted(missing.get((rel, ledger), ())))
                    rows.append([region, ledger, "submitted", rel, files[rel], "", gaps])
                continue
            candidates = evidence.get(region, []) + (evidence.get("", []) if ledger == "targets" else [])
            found = [(rel, why) for rel, why, hinted in candidates if ledger in hinted]
            if found:
                rows.extend([region, ledger, "unreadable", rel, "", why, ""] for rel, why in sorted(found))
            else:
                rows.append([region, ledger, "not_submitted", "", "", "", ""])
    return settle([dict(zip(SUBMISSION_COLUMNS, r)) for r in rows], snap.findings)
