"""Duplicates across files (SPEC §7).

* Byte-identical files (same SHA-256) of one month are read once: the copies are
  listed as skipped, naming the file they duplicate (:func:`identical_files`) —
  unless their names name different counties (one county sent another's file).
* A file byte-identical to one of the previous month's snapshot gets a warning: a
  county re-sent last month's ledger (:func:`same_as_previous`).
* The same record in two different files (same ledger type and region; the same
  normalised project name — and tier, for key projects — or the same activity date,
  kind and place) counts once. With the same figures it is a warning naming both
  places; with different figures an error naming both rows. Either way the row of the
  file that sorts last by name counts (the office decides which file is right), and
  the finding says which one it was (:func:`dedupe_records`). A row that does not
  count moves from ``records`` to ``rejected_rows`` in its sheet's accounting. Two
  files that are versions of one ledger (SPEC §11.8) never get here together: the
  older version was taken out before (:mod:`bulletin.ledgers.versions`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path

from bulletin.config import Config
from bulletin.contract import LINEAGE, RECORD_COLUMNS
from bulletin.files import sha256
from bulletin.ledgers import normalise as N
from bulletin.ledgers.findings import Finding
from bulletin.text import norm_keys

# what makes two records the same record, and the figures that must agree
KEYS = {
    "signings": ("project",),
    "activities": ("held_on", "kind", "place"),
    "projects": ("project", "tier"),
}
FIGURES = {
    "signings": ("signed_on", "amount", "out_of_province", "online"),
    "activities": ("leads", "online"),
    "projects": ("total_investment", "planned_investment", "completed_investment", "started", "in_statistics"),
}
DERIVED_LABELS = {"online": "是否不见面", "started": "是否开复工", "out_of_province": "是否省外", "tier": "项目类别"}


def _hashes(paths: list[Path]) -> dict[Path, str]:
    """SHA-256 of the files that share their size with another one (only those can be
    identical)."""
    sizes = Counter(p.stat().st_size for p in paths)
    return {p: sha256(p) for p in paths if sizes[p.stat().st_size] > 1}


def _original_first(rel: str) -> tuple:
    """The file kept of identical ones: the shallowest, shortest name (``x(1).xlsx`` and
    ``x - 副本.xlsx`` are the copies), then by name."""
    parts = rel.split("/")
    return (len(parts), len(parts[-1]), rel)


def identical_files(files: list[Path], snapshot: Path, cfg: Config) -> dict[Path, Path]:
    """Copy → the file it duplicates, for byte-identical files of one month. Files whose
    names name different counties are never copies of each other: one county sent
    another's file, and both are read, so that the county whose file it is keeps it
    and the other's is told apart by the checks across files (its name and its
    titles disagree: 所属县区不清), whichever name sorts first."""
    groups: dict[tuple, list[Path]] = defaultdict(list)
    for path, digest in _hashes(files).items():
        groups[(digest, N.find_region(path.relative_to(snapshot).as_posix(), cfg))].append(path)
    copies = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda p: _original_first(p.relative_to(snapshot).as_posix()))
        copies.update(dict.fromkeys(group[1:], group[0]))
    return copies


def same_as_previous(files: list[Path], previous: list[Path], previous_dir: Path) -> dict[Path, str]:
    """File of this month → the previous month's file (relative to its folder) with
    the same bytes."""
    sizes = {p.stat().st_size for p in previous}
    mine = [p for p in files if p.stat().st_size in sizes]
    if not mine:
        return {}
    theirs = {}
    for p in previous:
        if p.stat().st_size in {q.stat().st_size for q in mine}:
            theirs.setdefault(sha256(p), p.relative_to(previous_dir).as_posix())
    return {p: theirs[d] for p in mine if (d := sha256(p)) in theirs}


# --------------------------------------------------------------------------- records
def _by_name(rel: str) -> tuple[str, str]:
    """Files sort by their name, then by their folder."""
    return rel.rsplit("/", 1)[-1], rel


def _shown(value) -> str:
    """A field's value as the duplicate finding quotes it: a number with every digit it
    has, never in scientific notation (``:g`` kept six digits: 1234567 and 1234568
    both read 1.23457e+06, two different figures shown as the same).

    >>> _shown(1234567.0), _shown(152000.5), _shown(63600.0), _shown(None), _shown(True)
    ('1234567', '152000.5', '63600', '空', '是')
    """
    if value is None or value == "":
        return "空"
    if value is True or value is False:
        return "是" if value else "否"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, float):
        return N.show(value)
    return str(value)


def _label(cfg: Config, ledger: str, name: str) -> str:
    if name in DERIVED_LABELS:
        return DERIVED_LABELS[name]
    try:
        return cfg.field_label(ledger, name)
    except (KeyError, TypeError):
        return name


def _where(rec: dict) -> str:
    return f"“{rec['source_file']}”“{rec['source_sheet']}”第{rec['source_row']}行"


def dedupe_records(snap, cfg: Config) -> None:
    """Keep one of the same record reported in two files (see module docstring);
    adjusts ``snap.records``, ``snap.accounting`` and ``snap.findings`` in place."""
    dropped: Counter = Counter()  # (file, sheet, ledger) → rows that no longer count
    for ledger, keys in KEYS.items():
        names = RECORD_COLUMNS[ledger] + LINEAGE
        records = snap.records[ledger]
        at = {n: names.index(n) for n in names}
        pairs = set(zip(map(itemgetter(at["region"]), records), map(itemgetter(at["source_file"]), records)))
        several = {region for region, n in Counter(region for region, _ in pairs).items() if n > 1}
        if not several:
            continue
        candidates = [i for i, r in enumerate(records) if r[at["region"]] in several]
        columns = []
        for key in keys:
            values = [records[i][at[key]] for i in candidates]
            if ledger == "activities" and key == "held_on":
                columns.append(values)
            else:
                columns.append(norm_keys(["" if v is None else str(v) for v in values]))
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, *key in zip(candidates, *columns):
            groups[(records[i][at["region"]], *key)].append(i)
        drop = set()
        for members in groups.values():
            files = {records[i][at["source_file"]] for i in members}
            if len(files) < 2:
                continue
            last = max(files, key=_by_name)
            winner = dict(zip(names, records[next(i for i in members if records[i][at["source_file"]] == last)]))
            for i in members:
                if records[i][at["source_file"]] == last:
                    continue
                rec = dict(zip(names, records[i]))
                drop.add(i)
                dropped[(rec["source_file"], rec["source_sheet"], ledger)] += 1
                snap.findings.append(_duplicate_finding(cfg, ledger, rec, winner))
        if drop:
            snap.records[ledger] = [r for i, r in enumerate(records) if i not in drop]
    for acc in snap.accounting:
        n = dropped.pop((acc["source_file"], acc["source_sheet"], acc["ledger"]), 0)
        n = min(n, acc["records"])
        acc["records"] -= n
        acc["rejected_rows"] += n


def _duplicate_finding(cfg: Config, ledger: str, rec: dict, winner: dict) -> dict:
    key = KEYS[ledger][0]
    what = cfg.ledger_label(ledger)
    name = _shown(rec[key]) if ledger != "activities" else f"{_shown(rec['held_on'])} {rec['kind'] or ''}".strip()
    label = _label(cfg, ledger, key)
    diffs = [
        f"{_label(cfg, ledger, f)}：本行 {_shown(rec[f])}，该行 {_shown(winner[f])}"
        for f in FIGURES[ledger]
        if rec[f] != winner[f]
    ]
    params = {"what": what, "name": name, "where": _where(winner), "diffs": "；".join(diffs)}
    return Finding(
        code="record.conflict" if diffs else "record.duplicate_file",
        ledger=ledger,
        region=rec["region"],
        where=(rec["source_file"], rec["source_sheet"]),
        source_row=rec["source_row"],
        field=label,
        value=name,
        quote=False,
        params=params,
    ).row()
