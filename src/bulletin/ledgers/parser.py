"""The ledger rules applied to a located sheet's data rows, column by column: cells →
typed records and the findings of the rows that have anything to report (SPEC §3
rules 4–13, §6)."""

from __future__ import annotations

import datetime as dt

from bulletin.config import Config
from bulletin.contract import CITY, ERROR, INFO, RECORD_COLUMNS, TARGET_FIELDS, WARNING, Period
from bulletin.ledgers import normalise as N
from bulletin.ledgers.columns import planned_starts
from bulletin.ledgers.findings import field_finding, finding, tier_problem, unreadable_problem
from bulletin.ledgers.locate import Layout
from bulletin.read.grid import Grid

TEXT_TYPES = {str, type(None)}
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


MISSING_REGION = (
    "region.missing",
    ERROR,
    "",
    None,
    "无法确定所属县区（无县区列，分组行、标题、填报单位、工作表名和文件名中也未注明）；该行未计入统计",
)


def fallback_phrase(source: str) -> str:
    """How a finding names where a row's region came from, by ``Layout.region_source``."""
    if source.startswith("工作表名"):
        return "工作表名"
    if source.startswith("layouts"):
        return "layouts.yaml的设定"
    return "表头标题/文件名"


def _value_of(k):
    """The cell value of a memo key (``(type, value)`` tells 1, 1.0 and True apart)."""
    return k[1] if k.__class__ is tuple else k


def _typed(values: list) -> list:
    """Memo keys that tell 1, 1.0 and True apart."""
    if set(map(type, values)) <= TEXT_TYPES:
        return values
    return [(v.__class__, v) for v in values]


class Parser:
    """The ledger rules applied to the data rows of a located sheet, column by column.

    Each distinct value of a column is normalised once (ledgers repeat the same
    regions, origins, modes, statuses and dates row after row; the normalisers are
    pure functions of the value). Records are assembled from the columns; the rows
    that have anything to report — a problem in a field, a region to infer, a
    missing required value, a date outside the period… — get their findings
    assembled from the same column results, in the order a statistician checks a
    row: its region, the fields in plan order, the derived fields (tier, started,
    out of province), the required fields, the targets rule, the statistician's
    checks. An error in a required field rejects the row; an error in an optional
    field empties it, with a warning."""

    def __init__(self, grid: Grid, layout: Layout, period: Period, cfg: Config):
        self.grid, self.layout, self.period, self.cfg = grid, layout, period, cfg
        self.ledger = layout.ledger
        self.required = set(cfg.ledgers[self.ledger]["required"])
        self.factors = {}
        self.default_unit_fields = []
        self.defaulted = set()  # default-unit columns where a bare number was read
        self.kinds = {name: cfg.field_type(name) for name in layout.columns if name != "region"}
        self.period_start, self.period_end = period.start, period.end
        self.required_labels = [(n, cfg.field_label(self.ledger, n)) for n in sorted(self.required) if n != "region"]
        self.date_field = {"signings": "signed_on", "activities": "held_on"}.get(self.ledger)
        self.date_label = cfg.field_label(self.ledger, self.date_field) if self.date_field else ""
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
            "date": lambda raw: N.parse_date(raw, year, cfg, date1904),
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
            problem, name in self.required, self.ledger, region, self.grid, excel_row, label, raw
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
        n = len(rows)
        if not n:
            return [], {}
        cfg, ledger, columns = self.cfg, self.ledger, self.layout.columns
        slow = bytearray(n)  # 1: the row may have something to report
        widest = max(columns.values())
        narrow = min(map(len, rows)) <= widest

        def raw_column(name):
            j = columns.get(name)
            if j is None:
                return None
            if narrow:
                return [r[j] if j < len(r) else None for r in rows]
            return [r[j] for r in rows]

        def mark(values, bad):
            if bad:
                for i, v in enumerate(values):
                    if v in bad:
                        slow[i] = 1

        cols: dict[str, list] = {}
        issues: dict[str, tuple] = {}  # field → (its keys, {key: problem}) of a column with problems
        hidden: dict[str, dict] = {}  # field → {row: what an empty-reading cell really holds}
        unreadable = self.grid.unreadable
        for name, kind, j, cache, normalise in self.plan:
            raw = raw_column(name)
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
                v = _value_of(k)
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
                mark(keys, problems)
                issues[name] = (keys, problems)
            if None in values and unreadable:
                at = {}
                for i, k in enumerate(keys):
                    if k is None and (excel_rows[i] - 1, j) in unreadable:
                        at[i] = unreadable[(excel_rows[i] - 1, j)]
                        slow[i] = 1
                if at:
                    hidden[name] = at
            if plain and name in self.unit_unseen:
                self.defaulted.add(name)  # a bare number read in the default unit
                self.unit_unseen.discard(name)
            cols[name] = list(map(values.__getitem__, keys))

        def derive(raw, compute):  # (keys, result per distinct key) of a derived field
            keys = _typed(raw)
            return keys, {k: compute(_value_of(k)) for k in set(keys)}

        # derived fields, with their problems: (field, keys, {key: problem}, key → raw value)
        derived = []
        none = [None] * n
        if ledger == "projects":
            tiers = [f[2] for f in fallbacks] if fallbacks is not None else [self.layout.title_tier] * n
            tier_raw = raw_column("tier")
            if tier_raw is not None:
                keys, found = derive(tier_raw, lambda v: N.match_tier(v, cfg))
                bad = {
                    k: tier_problem(_value_of(k))
                    for k, tier in found.items()
                    if tier is None and not N.is_blank(_value_of(k))
                }
                mark(keys, bad)
                derived.append(("tier", keys, bad, _value_of))
                cols["tier"] = [found[k] or tier for k, tier in zip(keys, tiers)]
            else:
                cols["tier"] = tiers
            status_raw = raw_column("status")
            keys, found = derive(status_raw or none, lambda v: N.parse_started(v, cfg))
            if status_raw is not None:
                bad = {k: problem for k, (_, problem) in found.items() if problem is not None}
                mark(keys, bad)
                derived.append(("status", keys, bad, _value_of))
            cols["started"] = [found[k][0] for k in keys]
            if status_raw is not None:  # 新开工 in a plan table (SPEC §12)
                cols["started"] = planned_starts(
                    status_raw,
                    cols["started"],
                    cols.get("started_on"),
                    self.period_end,
                    cfg,
                    header=self.layout.header_text.get("status", ""),
                )
            self._chains(cols, n)
        elif ledger == "signings":
            has_flag = "out_of_province" in columns
            flag, origin = raw_column("out_of_province") or none, raw_column("origin") or none
            keys = list(zip(_typed(flag), _typed(origin)))
            found = {k: N.parse_out_of_province(_value_of(k[0]), _value_of(k[1]), has_flag, cfg) for k in set(keys)}
            bad = {k: problem for k, (_, problem) in found.items() if problem is not None}
            if not has_flag and "origin" not in columns:
                bad = {}  # no column to tell: one column.missing finding, no row warnings
            mark(keys, bad)
            if has_flag:
                derived.append(("out_of_province", keys, bad, lambda k: _value_of(k[0])))
            else:
                derived.append(("origin", keys, bad, lambda k: _value_of(k[1])))
            cols["out_of_province"] = [found[k][0] for k in keys]
            keys, found = derive(raw_column("mode") or none, lambda v: N.is_online(v, cfg))
            cols["online"] = [found[k] for k in keys]
            self._chains(cols, n)
        elif ledger == "activities":
            keys, found = derive(raw_column("kind") or none, lambda v: N.is_online(v, cfg))
            cols["online"] = [found[k] for k in keys]

        # the region: from the region column, else the row's fallback (a section row
        # above it, the title, the sheet or file name); False when it cannot be told (the
        # row is rejected). Notes: (keys, {key: finding arguments})
        region_raw = raw_column("region")

        def resolve(k, fallback, phrase):  # (region or False, finding arguments or None)
            v = _value_of(k)
            if N.is_blank(v):
                return (fallback, None) if fallback else (False, MISSING_REGION)
            region = N.match_region(v, cfg)
            if region == cfg.city:
                region = CITY if ledger == "targets" else None
            if region:
                return region, None
            if fallback:
                message = f"县区“{N.show(v)}”不在县区名录中，已按{phrase}认定为{fallback}"
                return fallback, ("region.unknown_fallback", WARNING, fallback, v, message)
            message = f"县区“{N.show(v)}”不在县区名录中，无法确定所属县区；该行未计入统计"
            return False, ("region.unknown", ERROR, "", v, message)

        if fallbacks is None:  # one fallback for the whole table
            fallback, phrase = self.layout.title_region, fallback_phrase(self.layout.region_source)
            keys = _typed(region_raw) if region_raw is not None else none
            found = {k: resolve(k, fallback, phrase) for k in set(keys)}
        else:  # per row, from the section rows above it
            keys = list(zip(_typed(region_raw) if region_raw is not None else none, fallbacks))
            found = {k: resolve(k[0], k[1][0], k[1][1]) for k in set(keys)}
        bad = {k: note for k, (_, note) in found.items() if note is not None}
        notes = (keys, bad) if bad else None
        if len(found) == 1:
            cols["region"] = [next(iter(found.values()))[0]] * n
        else:
            regions = {k: region for k, (region, _) in found.items()}
            cols["region"] = [regions[k] for k in keys]
        if notes:
            mark(*notes)

        # required fields, the targets rule and the statistician's checks
        for name, _ in self.required_labels:
            values = cols.get(name)
            if values is None:
                slow[:] = b"\x01" * n
                break
            if None in values or "" in values:
                mark(values, {None, ""})
        if ledger == "targets":
            for i, values in enumerate(zip(*(cols.get(name, none) for name in TARGET_FIELDS))):
                if all(v is None for v in values):
                    slow[i] = 1
        if ledger == "projects" and "planned_investment" in cols and "completed_investment" in cols:
            for i in [
                i
                for i, (planned, done) in enumerate(zip(cols["planned_investment"], cols["completed_investment"]))
                if planned is not None and done is not None and done > planned
            ]:
                slow[i] = 1
        if self.date_field in cols:
            start, end = self.period_start, self.period_end
            days = cols[self.date_field]
            mark(days, {day for day in set(days) if day and (day > end or day < start)})

        names = RECORD_COLUMNS[ledger]
        lineage = [[self.grid.source_file] * n, [self.grid.sheet] * n, excel_rows]
        records = list(zip(*[cols.get(c, none) for c in names], *lineage))
        by_row = {}
        if any(slow):
            plan = [name for name, *_ in self.plan]
            for i in [i for i in range(n) if slow[i]]:
                findings = []
                fatal = self._row(i, excel_rows[i], cols, plan, issues, hidden, derived, notes, findings)
                if fatal:
                    records[i] = None
                if findings:
                    by_row[i] = findings
        return records, by_row

    def _row(self, i, excel_row, cols, plan, issues, hidden, derived, notes, findings) -> bool:
        """The findings of row ``i``, from the column results; True when it is rejected."""
        ledger, grid = self.ledger, self.grid
        region = cols["region"][i]
        if notes is not None:
            note = notes[1].get(notes[0][i])
            if note is not None:
                code, severity, where, raw, message = note
                findings.append(finding(code, severity, ledger, where, grid, excel_row, "县区", raw, message))
        fatal = region is False
        if fatal:
            region = None
        for name in plan:
            at = hidden.get(name)
            if at is not None and i in at:
                fatal |= self.report(findings, region, excel_row, name, at[i], unreadable_problem(at[i]))
                continue
            issue = issues.get(name)
            if issue is not None:
                k = issue[0][i]
                problem = issue[1].get(k)
                if problem is not None:
                    fatal |= self.report(findings, region, excel_row, name, _value_of(k), problem)
        for name, keys, bad, raw_of in derived:
            k = keys[i]
            problem = bad.get(k)
            if problem is not None:
                fatal |= self.report(findings, region, excel_row, name, raw_of(k), problem)
        for name, label in self.required_labels:
            value = cols[name][i] if name in cols else None
            if value in (None, "") and not any(f["field"] == label and f["severity"] == ERROR for f in findings):
                fatal = True
                # a value that was written but not understood (待定, abc): one error, not two
                written = [f for f in findings if f["field"] == label]
                if written:
                    written[0].update(
                        severity=ERROR, message=f"{written[0]['message']}；“{label}”为必填项，该行未计入统计"
                    )
                    continue
                extra = "（表头或标题中也未注明）" if name == "tier" else ""
                if name in self.layout.ambiguous:  # two columns of the field: read from neither
                    extra = "（表头中有两列都对应此项，均未读取，见表头的错误）"
                findings.append(
                    finding(
                        "required.missing",
                        ERROR,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        label,
                        None,
                        f"必填项“{label}”未填写{extra}；该行未计入统计",
                    )
                )
        if ledger == "targets" and not fatal and all(cols[name][i] is None for name in TARGET_FIELDS if name in cols):
            findings.append(
                finding(
                    "target.missing",
                    ERROR,
                    ledger,
                    region,
                    grid,
                    excel_row,
                    "签约额目标",
                    None,
                    "目标值未填写；该行未计入统计",
                )
            )
            fatal = True
        if not fatal:
            self._checks(i, cols, region, excel_row, findings)
        return fatal

    def _chains(self, cols: dict, n: int) -> None:
        """``chain_raw`` as written (stripped) and the canonical ``chain``."""
        chain = cols.get("chain") or [""] * n
        found = {v: N.match_chain(v, self.cfg) or "" for v in set(chain)}
        cols["chain_raw"] = chain
        cols["chain"] = [found[v] for v in chain]

    def _checks(self, i, cols, region, excel_row, findings):
        """What a statistician would catch by eye in one row."""
        ledger, grid = self.ledger, self.grid
        if ledger == "projects" and "planned_investment" in cols and "completed_investment" in cols:
            planned, done = cols["planned_investment"][i], cols["completed_investment"][i]
            if planned is not None and done is not None and done > planned:
                findings.append(
                    finding(
                        "project.completed_over_planned",
                        WARNING,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        "累计完成投资",
                        done,
                        f"累计完成投资（{N.wan(done)}）超过年度计划投资（{N.wan(planned)}），请核实",
                    )
                )
        date_field = self.date_field
        day = cols[date_field][i] if date_field in cols else None
        if day:
            label = self.date_label
            if day > self.period_end:
                findings.append(
                    finding(
                        "date.after_period",
                        WARNING,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        label,
                        day.isoformat(),
                        f"{label}{day.isoformat()}晚于本期截止日{self.period_end.isoformat()}，未计入本期",
                    )
                )
            elif day < self.period_start:
                findings.append(
                    finding(
                        "date.before_year",
                        INFO,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        label,
                        day.isoformat(),
                        f"{label}{day.isoformat()}早于本年，未计入本年累计",
                    )
                )
