"""Revised copies (SPEC §11.8): two files of one county and ledger type are versions of
one ledger, not two ledgers, when their records mostly overlap (at least half of the
smaller file's project names — activity date, kind and place; for targets the
counties — are equal after normalisation) or a file's name says it is a revision
(修改, 修订, 调整, 更正, 最新, （2）, -副本). The newer one counts — the one whose name
says so first, then the file's own modification time, then the name that sorts last —
with a warning naming both (``file.version_superseded``); the older one's records are
taken out of the count, never summed with the newer's. This comes before the
per-record rule of SPEC §7 (:func:`bulletin.ledgers.duplicates.dedupe_records`), which
then only sees files that are not versions of each other.

Targets: two tables of targets are versions by the same rule (a ``（调整后）`` table
replaces the old one); two rows for one county in the table that counts are an error
(``target.duplicate_region``): that county has no target (no completion, light or rank).
"""

from __future__ import annotations

import re
from collections import defaultdict

from bulletin.config import Config
from bulletin.contract import CITY
from bulletin.ledgers.duplicates import KEYS
from bulletin.ledgers.file_facts import SheetFacts, column, withdraw
from bulletin.ledgers.findings import Finding
from bulletin.text import norm_key, norm_keys

MARKER = re.compile(r"修改|修订|调整|更正|最新|[（(]\s*\d{1,2}\s*[）)]|副本|copy", re.IGNORECASE)
OVERLAP = 0.5


def marker(rel: str) -> str:
    """The revision word of a file's name ('' for none).

    >>> marker("宝清县招商台账（修改）.xlsx"), marker("目标任务表（调整后）.xlsx"), marker("宝清县.xlsx")
    ('修改', '调整', '')
    """
    m = MARKER.search(norm_key(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
    return m.group(0) if m else ""


def _keys(ledger: str, records: list[tuple]) -> list:
    if ledger == "targets":
        return [r[column(ledger, "region")] for r in records]
    columns = []
    for k in KEYS[ledger]:
        values = [r[column(ledger, k)] for r in records]
        columns.append(values if k == "held_on" else norm_keys(["" if v is None else str(v) for v in values]))
    return list(zip(*columns))


def _age(rel: str, modified: dict[str, float]) -> tuple:
    """How new a file is: a revision word in its name first, then its modification
    time, then its name sorting last."""
    return bool(marker(rel)), modified.get(rel, 0.0), rel.rsplit("/", 1)[-1], rel


def _newest(files: list[str], modified: dict[str, float]) -> str:
    return max(files, key=lambda f: _age(f, modified))


def _groups(keys: dict[str, set]) -> list[list[str]]:
    """Files that are versions of one another (connected by overlap or a marker)."""
    files = sorted(keys)
    parent = {f: f for f in files}

    def root(f):
        while parent[f] != f:
            f = parent[f]
        return f

    for i, a in enumerate(files):
        for b in files[i + 1 :]:
            small = min(len(keys[a]), len(keys[b]))
            overlap = small and len(keys[a] & keys[b]) >= OVERLAP * small
            if overlap or marker(a) or marker(b):
                parent[root(a)] = root(b)
    groups = defaultdict(list)
    for f in files:
        groups[root(f)].append(f)
    return [g for g in groups.values() if len(g) > 1]


def _why(old: str, new: str, keys: dict[str, set]) -> str:
    if marker(new):
        return f"文件名注明“{marker(new)}”"
    small = min(len(keys[old]), len(keys[new])) or 1
    return f"两个文件的记录有{round(100 * len(keys[old] & keys[new]) / small)}%相同"


def pick_versions(snap, sheets: list[SheetFacts], cfg: Config) -> None:
    """Keep the newest version of each ledger per county (see module docstring)."""
    modified = {f.source_file: f.modified for f in sheets}
    for ledger in ("signings", "activities", "projects"):
        fi, ri = column(ledger, "source_file"), column(ledger, "region")
        by: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for rec in snap.records[ledger]:
            by[rec[ri]][rec[fi]].append(rec)
        for region, files in by.items():
            if len(files) < 2:
                continue
            keys = {f: set(_keys(ledger, recs)) for f, recs in files.items()}
            for group in _groups(keys):
                new = _newest(group, modified)
                for old in (f for f in group if f != new):
                    withdraw(snap, ledger, old, regions={region})
                    what = f"{region}的{cfg.ledger_label(ledger)}台账"
                    snap.findings.append(
                        _superseded(
                            ledger, region, old=old, new=new, what=what, why=_why(old, new, keys), n=len(files[old])
                        )
                    )
    _target_versions(snap, modified)
    _duplicate_targets(snap)


def _superseded(ledger: str, region: str, *, old: str, new: str, what: str, why: str, n: int) -> dict:
    params = {"old": old, "new": new, "what": what, "why": why, "n": n}
    return Finding(
        code="file.version_superseded",
        ledger=ledger,
        region=region,
        where=(old, ""),
        value=new,
        quote=False,
        params=params,
    ).row()


def _target_versions(snap, modified: dict[str, float]) -> None:
    """Targets tables that are versions of one another: each county's row of the newest
    table that has one counts (a county's own, newer targets file replaces its row of
    the city's table, not the whole table); one warning per table replaced (全市)."""
    fi, ri = column("targets", "source_file"), column("targets", "region")
    regions: dict[str, set] = defaultdict(set)
    for rec in snap.records["targets"]:
        regions[rec[fi]].add(rec[ri])
    for group in _groups(regions) if len(regions) > 1 else []:
        order = sorted(group, key=lambda f: _age(f, modified), reverse=True)
        covered: set = set()
        for old in order:
            replaced = regions[old] & covered
            covered |= regions[old]
            if not replaced:
                continue
            withdraw(snap, "targets", old, regions=replaced)
            new = order[0]
            why = _why(old, new, regions)
            snap.findings.append(
                _superseded("targets", CITY, old=old, new=new, what="年度目标任务表", why=why, n=len(replaced))
            )


def _duplicate_targets(snap) -> None:
    """Two rows for one county in one targets table: no target for that county."""
    fi, ri, rr = (column("targets", x) for x in ("source_file", "region", "source_row"))
    rows: dict[tuple, list] = defaultdict(list)
    for rec in snap.records["targets"]:
        rows[(rec[fi], rec[ri])].append(rec)
    for (file, region), recs in rows.items():
        if len(recs) < 2:
            continue
        withdraw(snap, "targets", file, regions={region})
        found = Finding(
            code="target.duplicate_region",
            ledger="targets",
            region=region,
            where=(file, recs[0][column("targets", "source_sheet")]),
            source_row=recs[1][rr],
            value=region,
            quote=False,
            params={"region": region, "n": len(recs), "rows": "、".join(str(r[rr]) for r in recs)},
        )
        snap.findings.append(found.row())
