"""What each ledger type derives from its fields, and the checks run on a row after
its fields are read: declared per ledger in :data:`RULES`, applied by the column engine
(:class:`bulletin.ledgers.parser.Parser`), which knows no ledger by name.

A :class:`Derived` names the record fields a function computes from a parse's
:class:`Table` (the columns read so far) and computes them, column at a time, for
every row; the problems it finds are noted with :meth:`Table.note`, which also marks
the rows for the slow pass. A :class:`RowCheck` marks the rows it may report on
(``suspects``, column at a time) and then, for each row not rejected, gives its finding
or ``None`` (``finding``); a check that ``rejects`` takes the row out of the statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress

from bulletin.config import Config
from bulletin.contract import TARGET_FIELDS, Period
from bulletin.ledgers import normalise as N
from bulletin.ledgers.columns import planned_starts
from bulletin.ledgers.findings import Finding, tier_problem
from bulletin.ledgers.locate import Layout
from bulletin.ledgers.status import parse_started
from bulletin.read.grid import Grid

TEXT_TYPES = {str, type(None)}


def value_of(k):
    """The cell value of a memo key (``(type, value)`` tells 1, 1.0 and True apart)."""
    return k[1] if k.__class__ is tuple else k


def typed_keys(values: list) -> list:
    """Memo keys that tell 1, 1.0 and True apart."""
    if set(map(type, values)) <= TEXT_TYPES:
        return values
    return [(v.__class__, v) for v in values]


@dataclass(kw_only=True)
class Table:
    """One parse of a table's data rows, column by column: what the engine and the
    ledger's rules share. ``cols``: field → value per row; ``slow``: 1 for a row that
    may have something to report; ``derived``: the derived fields' problems,
    ``(field, keys, {key: problem}, key → raw value)``; ``issues``, ``hidden`` and
    ``notes``: the read fields' problems, their cells that read as empty but hold a
    formula or an error value, the region's findings."""

    grid: Grid
    layout: Layout
    period: Period
    cfg: Config
    rows: list[list]
    excel_rows: list[int]
    fallbacks: list[tuple] | None  # per row (region, how it was found, tier), or None
    cols: dict[str, list] = field(default_factory=dict)
    derived: list[tuple] = field(default_factory=list)
    issues: dict[str, tuple] = field(default_factory=dict)  # field → (its keys, {key: problem})
    hidden: dict[str, dict] = field(default_factory=dict)  # field → {row: what an empty-reading cell holds}
    notes: tuple | None = None  # the region's: (keys, {key: finding arguments})

    def __post_init__(self):
        self.n = len(self.rows)
        self.slow = bytearray(self.n)
        self.none = [None] * self.n
        widest = max(self.layout.columns.values())
        self.narrow = min(map(len, self.rows)) <= widest

    def raw(self, name: str) -> list | None:
        """The cells of a field's column, or ``None`` when the table has no such column."""
        j = self.layout.columns.get(name)
        if j is None:
            return None
        if self.narrow:
            return [r[j] if j < len(r) else None for r in self.rows]
        return [r[j] for r in self.rows]

    def mark(self, values: list, bad) -> None:
        """Mark the rows whose value is in ``bad`` for the slow pass."""
        if bad:
            slow = self.slow
            for i in compress(range(len(values)), map(bad.__contains__, values)):
                slow[i] = 1

    def note(self, name: str, keys: list, bad: dict, raw_of: Callable = value_of) -> None:
        """A derived field's problems (``{key: problem}``), reported under ``name``."""
        self.mark(keys, bad)
        self.derived.append((name, keys, bad, raw_of))


def _derive(raw: list, compute: Callable) -> tuple[list, dict]:
    """(keys, result per distinct key) of a derived field."""
    keys = typed_keys(raw)
    return keys, {k: compute(value_of(k)) for k in set(keys)}


@dataclass(frozen=True)
class Derived:
    """Record fields computed from a table's columns by ``compute(table)``."""

    fields: tuple[str, ...]
    compute: Callable[[Table], None]


@dataclass(frozen=True)
class RowCheck:
    """A check on a row after its fields: ``suspects(table)`` marks the rows it may
    report on; ``finding(table, i, region)`` is row ``i``'s finding or ``None``;
    ``codes``: the finding codes it reports."""

    codes: tuple[str, ...]
    suspects: Callable[[Table], None]
    finding: Callable[[Table, int, str | None], dict | None]
    rejects: bool = False


@dataclass(frozen=True)
class LedgerRules:
    """What a ledger type derives and checks. ``city_rows``: a row whose region names
    the city itself is the city's (全市: targets); elsewhere it names no county."""

    derived: tuple[Derived, ...] = ()
    checks: tuple[RowCheck, ...] = ()
    city_rows: bool = False


# -- derived fields ------------------------------------------------------------------


def tiers(t: Table) -> None:
    """``tier`` (市级/省级…) from its column, else the section row or title above the row."""
    cfg = t.cfg
    fallback = [f[2] for f in t.fallbacks] if t.fallbacks is not None else [t.layout.title_tier] * t.n
    raw = t.raw("tier")
    if raw is None:
        t.cols["tier"] = fallback
        return
    keys, found = _derive(raw, lambda v: N.match_tier(v, cfg))
    bad = {
        k: tier_problem(value_of(k), both=N.names_both_tiers(value_of(k), cfg))
        for k, tier in found.items()
        if tier is None and not N.is_blank(value_of(k))
    }
    t.note("tier", keys, bad)
    t.cols["tier"] = [found[k] or tier for k, tier in zip(keys, fallback)]


def started(t: Table) -> None:
    """``started`` from the status column; 新开工 in a plan table (SPEC §12)."""
    cfg = t.cfg
    raw = t.raw("status")
    keys, found = _derive(raw or t.none, lambda v: parse_started(v, cfg, t.period))
    if raw is not None:
        t.note("status", keys, {k: problem for k, (_, problem) in found.items() if problem is not None})
    t.cols["started"] = [found[k][0] for k in keys]
    if raw is not None:
        t.cols["started"] = planned_starts(
            raw,
            t.cols["started"],
            t.cols.get("started_on"),
            t.period.end,
            cfg,
            header=t.layout.header_text.get("status", ""),
        )


def chains(t: Table) -> None:
    """``chain_raw`` as written (stripped) and the canonical ``chain``."""
    chain = t.cols.get("chain") or [""] * t.n
    found = {v: N.match_chain(v, t.cfg) or "" for v in set(chain)}
    t.cols["chain_raw"] = chain
    t.cols["chain"] = [found[v] for v in chain]


def out_of_province(t: Table) -> None:
    """``out_of_province`` from its yes/no column, else from the investor's origin."""
    cfg, columns = t.cfg, t.layout.columns
    has_flag = "out_of_province" in columns
    flag, origin = t.raw("out_of_province") or t.none, t.raw("origin") or t.none
    keys = list(zip(typed_keys(flag), typed_keys(origin)))
    found = {k: N.parse_out_of_province(value_of(k[0]), value_of(k[1]), has_flag, cfg) for k in set(keys)}
    bad = {k: problem for k, (_, problem) in found.items() if problem is not None}
    if not has_flag and "origin" not in columns:
        bad = {}  # no column to tell: one column.missing finding, no row warnings
    if has_flag:
        t.note("out_of_province", keys, bad, lambda k: value_of(k[0]))
    else:
        t.note("origin", keys, bad, lambda k: value_of(k[1]))
    t.cols["out_of_province"] = [found[k][0] for k in keys]


def online_from(column: str) -> Callable[[Table], None]:
    """``online`` (线上) from the words of ``column`` (签约方式, 活动形式)."""

    def online(t: Table) -> None:
        keys, found = _derive(t.raw(column) or t.none, lambda v: N.is_online(v, t.cfg))
        t.cols["online"] = [found[k] for k in keys]

    return online


# -- checks on a row after its fields ------------------------------------------------


def _no_target(t: Table) -> None:
    for i, values in enumerate(zip(*(t.cols.get(name, t.none) for name in TARGET_FIELDS))):
        if all(v is None for v in values):
            t.slow[i] = 1


def _no_target_finding(t: Table, i: int, region) -> dict | None:
    if not all(t.cols[name][i] is None for name in TARGET_FIELDS if name in t.cols):
        return None
    return Finding(
        code="target.missing",
        ledger=t.layout.ledger,
        region=region,
        where=t.grid,
        source_row=t.excel_rows[i],
        field="签约额目标",
    ).row()


def _over_planned(t: Table) -> None:
    cols = t.cols
    if "planned_investment" in cols and "completed_investment" in cols:
        for i, (planned, done) in enumerate(zip(cols["planned_investment"], cols["completed_investment"])):
            if planned is not None and done is not None and done > planned:
                t.slow[i] = 1


def _over_planned_finding(t: Table, i: int, region) -> dict | None:
    cols = t.cols
    if "planned_investment" not in cols or "completed_investment" not in cols:
        return None
    planned, done = cols["planned_investment"][i], cols["completed_investment"][i]
    if planned is None or done is None or done <= planned:
        return None
    return Finding(
        code="project.completed_over_planned",
        ledger=t.layout.ledger,
        region=region,
        where=t.grid,
        source_row=t.excel_rows[i],
        field="累计完成投资",
        value=done,
        params={"completed": N.wan(done), "planned": N.wan(planned)},
    ).row()


def in_period(date_field: str) -> RowCheck:
    """A dated row (签约日期, 活动日期) after the period's end (not counted in it) or
    before the year (not counted in the year's total)."""

    def suspects(t: Table) -> None:
        if date_field in t.cols:
            start, end = t.period.start, t.period.end
            days = t.cols[date_field]
            t.mark(days, {day for day in set(days) if day and (day > end or day < start)})

    def check(t: Table, i: int, region) -> dict | None:
        day = t.cols[date_field][i] if date_field in t.cols else None
        if not day:
            return None
        label, end = t.cfg.field_label(t.layout.ledger, date_field), t.period.end
        if day > end:
            code = "date.after_period"
        elif day < t.period.start:
            code = "date.before_year"
        else:
            return None
        return Finding(
            code=code,
            ledger=t.layout.ledger,
            region=region,
            where=t.grid,
            source_row=t.excel_rows[i],
            field=label,
            value=day.isoformat(),
            params={"label": label, "date": day.isoformat(), "end": end.isoformat()},
        ).row()

    return RowCheck(("date.after_period", "date.before_year"), suspects, check)


NO_TARGET = RowCheck(("target.missing",), _no_target, _no_target_finding, rejects=True)
OVER_PLANNED = RowCheck(("project.completed_over_planned",), _over_planned, _over_planned_finding)

RULES: dict[str, LedgerRules] = {
    "projects": LedgerRules(
        derived=(
            Derived(("tier",), tiers),
            Derived(("started",), started),
            Derived(("chain_raw", "chain"), chains),
        ),
        checks=(OVER_PLANNED,),
    ),
    "signings": LedgerRules(
        derived=(
            Derived(("out_of_province",), out_of_province),
            Derived(("online",), online_from("mode")),
            Derived(("chain_raw", "chain"), chains),
        ),
        checks=(in_period("signed_on"),),
    ),
    "activities": LedgerRules(derived=(Derived(("online",), online_from("kind")),), checks=(in_period("held_on"),)),
    "targets": LedgerRules(checks=(NO_TARGET,), city_rows=True),
}
