"""The ledger rules applied to a located sheet's data rows, column by column: cells →
typed records and the findings of the rows that have anything to report (SPEC §3
rules 4–13, §6)."""

from __future__ import annotations

import datetime as dt

from bulletin.config import Config
from bulletin.contract import CITY, ERROR, RECORD_COLUMNS, Period
from bulletin.ledgers import normalise as N
from bulletin.ledgers.dates import parse_date
from bulletin.ledgers.derived import RULES, Table, typed_keys, value_of
from bulletin.ledgers.findings import Finding, field_finding, required_unread, unreadable_problem
from bulletin.ledgers.locate import Layout
from bulletin.read.grid import Grid

INF = float("inf")

# Normalised values shared by every sheet of a read, keyed by (config, kind, unit
# factor or year): the normalisers are pure functions of the raw value and these keys.
# Cleared by ``clear_caches`` at the start of each snapshot read to bound memory.
VALUE_CACHES: dict[tuple, dict] = {}


def clear_caches() -> None:
    VALUE_CACHES.clear()


def as_text(value) -> str:
    """A text field's value from a cell that is not text (a number, a date).

    >>> as_text(12.0), as_text(dt.date(2020, 6, 30)), as_text(" a ")
    ('12', '2020-06-30', 'a')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()


# a row's region finding: (code, the finding's region, the cell's value, message values)
MISSING_REGION = ("region.missing", "", None, {})


def fallback_phrase(source: str) -> str:
    """How a finding names where a row's region came from, by ``Layout.region_source``."""
    if source.startswith("工作表名"):
        return "工作表名"
    if source.startswith("layouts"):
        return "layouts.yaml的设定"
    return "表头标题/文件名"


class Parser:
    """The ledger rules applied to the data rows of a located sheet, column by column.

    Each distinct value of a column is normalised once (ledgers repeat the same
    regions, origins, modes, statuses and dates row after row; the normalisers are
    pure functions of the value). Records are assembled from the columns; the rows
    that have anything to report — a problem in a field, a region to infer, a
    missing required value, a date outside the period… — get their findings
    assembled from the same column results, in the order a statistician checks a
    row: its region, the fields in plan order, the derived fields (tier, started,
    out of province), the required fields, the ledger's row checks (the targets
    rule, the statistician's checks). An error in a required field rejects the row;
    an error in an optional field empties it, with a warning. What a ledger type
    derives and checks is declared in :data:`bulletin.ledgers.derived.RULES`; the
    engine here knows no ledger by name."""

    def __init__(self, grid: Grid, layout: Layout, period: Period, cfg: Config):
        self.grid, self.layout, self.period, self.cfg = grid, layout, period, cfg
        self.ledger = layout.ledger
        self.rules = RULES[self.ledger]
        self.required = set(cfg.ledgers[self.ledger]["required"])
        self.factors = {}
        self.default_unit_fields = []
        self.defaulted = set()  # default-unit columns where a bare number was read
        self.kinds = {name: cfg.field_type(name) for name in layout.columns if name != "region"}
        self.required_labels = [(n, cfg.field_label(self.ledger, n)) for n in sorted(self.required) if n != "region"]
        for name in layout.columns:
            if cfg.field_type(name) == "amount":
                factor, default = layout.factor(name, cfg)
                self.factors[name] = factor
                if default:
                    self.default_unit_fields.append(name)
        self.unit_unseen = set(self.default_unit_fields)
        year, date1904 = period.year, grid.date1904
        normalisers = {
            "count": lambda raw: N.parse_count(raw, cfg),
            "date": lambda raw: parse_date(raw, year, cfg, date1904),
            "yesno": lambda raw: N.parse_yesno(raw, cfg),
            "text": lambda raw: (as_text(raw), None),
        }
        self.plan = []  # (field, kind, column, cache of normalised values, normaliser)
        for name, kind in self.kinds.items():
            if kind == "amount":
                factor = self.factors[name]
                fn = (lambda factor: lambda raw: N.parse_amount(raw, factor, cfg))(factor)  # noqa: B023 - bound
                cache = VALUE_CACHES.setdefault((cfg.digest, kind, factor), {})
            else:
                fn = normalisers[kind]
                cache = VALUE_CACHES.setdefault((cfg.digest, kind, year, date1904), {})
            self.plan.append((name, kind, layout.columns[name], cache, fn))

    def cell(self, row: list, name: str):
        j = self.layout.columns.get(name)
        return row[j] if j is not None and j < len(row) else None

    def report(self, findings: list, region, excel_row: int, name: str, raw, problem: N.Problem) -> bool:
        """Add a field's problem to ``findings``; True when it rejects the row."""
        label = self.cfg.field_label(self.ledger, name)
        found, fatal = field_finding(
            problem,
            required=name in self.required,
            ledger=self.ledger,
            region=region,
            grid=self.grid,
            row=excel_row,
            label=label,
            raw=raw,
        )
        findings.append(found)
        return fatal

    def parse(
        self, rows: list[list], excel_rows: list[int], fallbacks: list[tuple] | None = None
    ) -> tuple[list, dict[int, list]]:
        """``(records, findings)`` of many data rows: per row its record — a tuple in
        ``RECORD_COLUMNS`` + ``LINEAGE`` order — or ``None`` when the row is rejected;
        and, by row index, the findings of the rows that have any, in check order.
        ``fallbacks``: per row, ``(region, how it was found, tier)`` for the rows whose
        region or tier columns say nothing (from the section rows above them);
        default: the layout's title region and tier for every row."""
        if not rows:
            return [], {}
        t = Table(
            grid=self.grid,
            layout=self.layout,
            period=self.period,
            cfg=self.cfg,
            rows=rows,
            excel_rows=excel_rows,
            fallbacks=fallbacks,
        )
        for name, kind, j, cache, normalise in self.plan:
            self._column(t, name, kind, j, cache, normalise)
        for derived in self.rules.derived:
            derived.compute(t)
        self._regions(t)
        self._suspects(t)
        n, none = t.n, t.none
        lineage = [[self.grid.source_file] * n, [self.grid.sheet] * n, excel_rows]
        records = list(zip(*[t.cols.get(c, none) for c in RECORD_COLUMNS[self.ledger]], *lineage))
        by_row = {}
        if any(t.slow):
            for i in [i for i in range(n) if t.slow[i]]:
                fatal, findings = self._row(t, i)
                if fatal:
                    records[i] = None
                if findings:
                    by_row[i] = findings
        return records, by_row

    def _column(self, t: Table, name: str, kind: str, j: int, cache: dict, normalise) -> None:
        """One field's column normalised into ``t.cols``, each distinct value once; its
        problems into ``t.issues``, its cells that read as empty but are not into
        ``t.hidden``."""
        raw = t.raw(name)
        keys = raw if bool not in set(map(type, raw)) else [(bool, v) if v.__class__ is bool else v for v in raw]
        distinct = set(keys)
        # the common cells, without a normaliser call: text, and a plain number
        # in an amount column (what parse_amount does with it)
        if kind == "text":
            values = {k: k.strip() for k in distinct if k.__class__ is str}
        elif kind == "amount":
            factor = self.factors[name]
            top = self.cfg.rules["limits"].get("max_amount", INF) / factor  # beyond: parse_amount's error
            values = {
                k: round(float(k) * factor, 4)
                for k in distinct
                if (k.__class__ is float or k.__class__ is int) and 0 <= k <= top
            }
        else:
            values = {}
        plain = bool(values)  # values read without a unit of their own, if amounts
        problems = {}
        for k in distinct.difference(values):
            if k is None:
                values[k] = "" if kind == "text" else None
                continue
            v = value_of(k)
            try:
                value, problem = cache[k]
            except KeyError:
                value, problem = cache[k] = normalise(v)
            values[k] = value
            if problem is not None:
                problems[k] = problem
            elif value is not None and not plain and name in self.unit_unseen and N.cell_unit(v) is None:
                plain = True
        if problems:
            t.mark(keys, problems)
            t.issues[name] = (keys, problems)
        unreadable = self.grid.unreadable
        if None in values and unreadable:
            at = {}
            for i, k in enumerate(keys):
                if k is None and (t.excel_rows[i] - 1, j) in unreadable:
                    at[i] = unreadable[(t.excel_rows[i] - 1, j)]
                    t.slow[i] = 1
            if at:
                t.hidden[name] = at
        if plain and name in self.unit_unseen:
            self.defaulted.add(name)  # a bare number read in the default unit
            self.unit_unseen.discard(name)
        t.cols[name] = list(map(values.__getitem__, keys))

    def _regions(self, t: Table) -> None:
        """The region of each row: from the region column, else the row's fallback (a
        section row above it, the title, the sheet or file name); False when it cannot
        be told (the row is rejected). Notes into ``t.notes``: (keys, {key: finding
        arguments})."""
        cfg, city_rows, raw = self.cfg, self.rules.city_rows, t.raw("region")

        def resolve(k, fallback, phrase):  # (region or False, finding arguments or None)
            v = value_of(k)
            if N.is_blank(v):
                return (fallback, None) if fallback else (False, MISSING_REGION)
            region = N.match_region(v, cfg)
            if region == cfg.city:
                region = CITY if city_rows else None
            if region:
                return region, None
            if fallback:
                params = {"value": N.show(v), "phrase": phrase, "region": fallback}
                return fallback, ("region.unknown_fallback", fallback, v, params)
            return False, ("region.unknown", "", v, {"value": N.show(v)})

        if t.fallbacks is None:  # one fallback for the whole table
            fallback, phrase = self.layout.title_region, fallback_phrase(self.layout.region_source)
            keys = typed_keys(raw) if raw is not None else t.none
            found = {k: resolve(k, fallback, phrase) for k in set(keys)}
        else:  # per row, from the section rows above it
            keys = list(zip(typed_keys(raw) if raw is not None else t.none, t.fallbacks))
            found = {k: resolve(k[0], k[1][0], k[1][1]) for k in set(keys)}
        bad = {k: note for k, (_, note) in found.items() if note is not None}
        if len(found) == 1:
            t.cols["region"] = [next(iter(found.values()))[0]] * t.n
        else:
            regions = {k: region for k, (region, _) in found.items()}
            t.cols["region"] = [regions[k] for k in keys]
        if bad:
            t.notes = (keys, bad)
            t.mark(keys, bad)

    def _suspects(self, t: Table) -> None:
        """Mark the rows a required field or a row check may report on."""
        for name, _ in self.required_labels:
            values = t.cols.get(name)
            if values is None:
                t.slow[:] = b"\x01" * t.n
                break
            if None in values or "" in values:
                t.mark(values, {None, ""})
        for check in self.rules.checks:
            check.suspects(t)

    def _row(self, t: Table, i: int) -> tuple[bool, list]:
        """Whether row ``i`` is rejected, and its findings, from the column results."""
        findings = []
        excel_row, region = t.excel_rows[i], t.cols["region"][i]
        if t.notes is not None:
            note = t.notes[1].get(t.notes[0][i])
            if note is not None:
                code, where, raw, params = note
                found = Finding(
                    code=code,
                    ledger=self.ledger,
                    region=where,
                    where=self.grid,
                    source_row=excel_row,
                    field="县区",
                    value=raw,
                    params=params,
                )
                findings.append(found.row())
        fatal = region is False
        if fatal:
            region = None
        for name, *_ in self.plan:
            at = t.hidden.get(name)
            if at is not None and i in at:
                fatal |= self.report(findings, region, excel_row, name, at[i], unreadable_problem(at[i]))
                continue
            issue = t.issues.get(name)
            if issue is not None:
                k = issue[0][i]
                problem = issue[1].get(k)
                if problem is not None:
                    fatal |= self.report(findings, region, excel_row, name, value_of(k), problem)
        for name, keys, bad, raw_of in t.derived:
            k = keys[i]
            problem = bad.get(k)
            if problem is not None:
                fatal |= self.report(findings, region, excel_row, name, raw_of(k), problem)
        fatal |= self._required(t, i, region, findings)
        for check in self.rules.checks:
            if fatal:
                break
            found = check.finding(t, i, region)
            if found is not None:
                findings.append(found)
                fatal |= check.rejects
        return fatal, findings

    def _required(self, t: Table, i: int, region, findings: list) -> bool:
        """The required fields of row ``i`` left empty; True when one rejects the row."""
        fatal = False
        for name, label in self.required_labels:
            value = t.cols[name][i] if name in t.cols else None
            if value not in (None, "") or any(f["field"] == label and f["severity"] == ERROR for f in findings):
                continue
            fatal = True
            # a value that was written but not understood (待定, abc): one error, not two
            written = [f for f in findings if f["field"] == label]
            if written:
                required_unread(written[0])
                continue
            variant = "tier" if name == "tier" else ""
            if name in self.layout.ambiguous:  # two columns of the field: read from neither
                variant = "ambiguous"
            found = Finding(
                code="required.missing",
                ledger=self.ledger,
                region=region,
                where=self.grid,
                source_row=t.excel_rows[i],
                field=label,
                params={"label": label},
                variant=variant,
            )
            findings.append(found.row())
        return fatal
