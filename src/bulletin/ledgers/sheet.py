"""Grid → typed records, findings and row accounting, for every ledger type.

Every non-empty row below a sheet's header ends in exactly one place (SPEC §6):
a record, a total/note row, or a rejected row (an error in a required field). The
per-sheet counts satisfy ``rows_read == records + total_note_rows + rejected_rows``,
checked here on every sheet. Rows above the header (title, 填报单位 line, header rows)
are counted separately as ``header_rows``; blank rows as ``blank_rows``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from bulletin.config import Config, load_config
from bulletin.contract import CITY, FINDING_CODES, LINEAGE, RECORD_COLUMNS, Period
from bulletin.errors import AccountingError
from bulletin.ledgers import normalise as N
from bulletin.ledgers.locate import Layout, locate
from bulletin.read.workbook import Grid, Skipped
from bulletin.text import norm_key, norm_keys, norm_text


@dataclass
class SheetResult:
    ledger: str
    records: list[tuple] = field(default_factory=list)  # RECORD_COLUMNS[ledger] + LINEAGE
    findings: list[dict] = field(default_factory=list)
    accounting: dict = field(default_factory=dict)


@dataclass
class Snapshot:
    """Everything read from one snapshot folder."""

    # per ledger, records as tuples in RECORD_COLUMNS[ledger] + LINEAGE order
    records: dict[str, list[tuple]] = field(default_factory=lambda: {k: [] for k in RECORD_COLUMNS})
    findings: list[dict] = field(default_factory=list)
    accounting: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def finding(
    code, severity, ledger, region, grid: Grid | None, row, field_name, value, message, source_file="", sheet=""
):
    """One row of quality.csv (:data:`bulletin.contract.FINDING_COLUMNS`); ``code`` is one
    of :data:`bulletin.contract.FINDING_CODES`."""
    assert code in FINDING_CODES, code
    return {
        "severity": severity,
        "ledger": ledger,
        "region": region or "",
        "source_file": grid.source_file if grid else source_file,
        "source_sheet": grid.sheet if grid else sheet,
        "source_row": row if row is not None else "",
        "field": field_name,
        "value": "" if value is None else N.show(value),
        "message": message,
        "code": code,
    }


def _ends_key(value, head: int = 8, tail: int = 4) -> str:
    """``norm_key`` of a cell's text, or for a long text only of its first ``head``
    and last ``tail`` characters joined by ``…``: row classification looks at exact
    short words, prefixes and suffixes only, and the short ends repeat, so they are
    cached — a unique project name is not run through OpenCC for nothing.

    >>> _ends_key("合 计"), _ends_key("填报人：张三  审核人：李四  联系电话：0469-1234567")
    ('合计', '填报人:张三…4567')
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= head + tail:
        return norm_key(text)
    return norm_key(text[:head]) + "…" + norm_key(text[-tail:])


def first_text(raw: list, layout: Layout, cfg: Config) -> str:
    """The first non-empty text of a row, passing over a region name in the region
    column (a merged region cell) and serial numbers."""
    region_col = layout.columns.get("region")
    head, tail = _row_words(cfg)[4]
    for j, value in enumerate(raw):
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            continue
        key = _ends_key(value, head, tail)
        if not key:
            continue
        if j == region_col and (key in cfg.region_lookup or key in cfg.city_keys):
            continue  # exactly a region name: 宝清县小计, 其中：宝清县 are not
        return key
    return ""


def _row_words(cfg: Config) -> tuple:
    return N.cached_table("row_words", cfg, _build_row_words)


def _build_row_words(cfg: Config) -> tuple:
    rules = cfg.rules["rows"]
    words = tuple(
        tuple(norm_key(w) for w in rules[k]) for k in ("total_exact", "total_suffix", "total_prefix", "note_prefix")
    )
    exact, suffix, prefix, note = words
    # how much of a text's ends the row classification needs (with room for spaces and brackets)
    head = max(map(len, exact + prefix + note)) + 4
    tail = max(map(len, exact + suffix)) + 2
    return (*words, (head, tail))


def kind_of_first_text(first: str, cfg: Config) -> str:
    """``total``, ``note`` or ``data``, by the key of a row's first text."""
    exact, suffix, prefix, note, _ = _row_words(cfg)
    if first:
        if first in exact or first.endswith(suffix) or first.startswith(prefix):
            return "total"
        if first.startswith(note):
            return "note"
    return "data"


NUMBER_TYPES = {int, float}


def _first_candidates(rows: list) -> list:
    """Per row, its first value that is not a number, as (value, column), or ``None``
    (no such value). Column by column: a serial-number column and a text column
    settle most rows in two passes over lists instead of a loop over each row's cells."""
    firsts: list = [None] * len(rows)
    pending = range(len(rows))
    j = 0
    while pending:
        col = [rows[i][j] if j < len(rows[i]) else END for i in pending]
        types = set(map(type, col))
        if types <= NUMBER_TYPES | {type(None)}:
            pass  # the whole column is passed over
        elif not types & (NUMBER_TYPES | {type(None), _End}):
            for i, v in zip(pending, col):
                firsts[i] = (v, j)
            break
        else:
            rest = []
            for i, v in zip(pending, col):
                if v is None or v.__class__ is int or v.__class__ is float:
                    rest.append(i)
                elif v is not END:
                    firsts[i] = (v, j)
            pending = rest
        j += 1
    return firsts


class _End:
    """Past a row's last cell."""


END = _End()


def row_kinds(rows: list, layout: Layout, cfg: Config) -> list[tuple[str, str]]:
    """``(kind, first_text(row))`` of many rows at once — kind ``blank``, ``total``,
    ``note`` or ``data`` — with the ends of the rows' first texts normalised in one
    batch (``norm_keys``) instead of one OpenCC call per row, and each distinct first
    text classified once. Rows where the quick answer could differ (a non-text first
    value, an empty key, a region name in the region column) take ``first_text``
    itself."""
    head, tail = _row_words(cfg)[4]
    firsts = _first_candidates(rows)
    ends: dict = {}  # text → (its head, its tail or None)
    for first in firsts:
        if first is not None:
            v = first[0]
            if v.__class__ is str and v not in ends:
                ends[v] = (v, None) if len(v) <= head + tail else (v[:head], v[-tail:])
    parts = list({p for pair in ends.values() for p in pair if p is not None})
    keyed = dict(zip(parts, norm_keys(parts)))

    def classify(first: str) -> tuple[str, str]:
        return kind_of_first_text(first, cfg), first

    kinds = {v: classify(keyed[h] if t is None else keyed[h] + "…" + keyed[t]) for v, (h, t) in ends.items()}
    region_col = layout.columns.get("region")
    regions, cities = cfg.region_lookup, cfg.city_keys
    out = []
    for raw, first in zip(rows, firsts):
        if first is not None:
            v, j = first
            kind = kinds.get(v) if v.__class__ is str else None
            if kind is not None and kind[1] and (j != region_col or (kind[1] not in regions and kind[1] not in cities)):
                out.append(kind)
                continue
        elif all(x is None for x in raw):
            out.append(("blank", ""))
            continue
        out.append(classify(first_text(raw, layout, cfg)))
    return out


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


def unreadable_problem(hidden: str) -> N.Problem:
    """What a field's cell that reads as empty really holds: a formula saved without
    its result, or an Excel error value."""
    if hidden.startswith("="):
        return N.Problem(
            N.ERROR,
            f"单元格是公式“{N.show(hidden)}”，文件中没有保存计算结果，无法读取（请在Excel中打开、"
            "重新计算并保存后报送）",
            "cell.formula_without_value",
        )
    return N.Problem(
        N.ERROR, f"单元格为错误值“{N.show(hidden)}”（公式计算出错），无法读取，请修正后报送", "cell.error_value"
    )


def tier_problem(raw) -> N.Problem:
    return N.Problem(
        N.ERROR, f"项目类别“{N.show(raw)}”无法识别，应为省百大、市百大或500万元以上产业项目", "tier.unknown"
    )


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
        year = period.year
        normalisers = {
            "count": lambda raw: N.parse_count(raw, cfg),
            "date": lambda raw: N.parse_date(raw, year, cfg),
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
                cache = VALUE_CACHES.setdefault((cfg.digest, kind, year), {})
            self.plan.append((name, kind, layout.columns[name], cache, fn))

    def cell(self, row: list, name: str):
        j = self.layout.columns.get(name)
        return row[j] if j is not None and j < len(row) else None

    def report(self, findings: list, region, excel_row: int, name: str, raw, problem: N.Problem) -> bool:
        """Record a field's problem as a finding; True when it rejects the row (an
        error in a required field). An error in an optional field empties it, with a
        warning."""
        ledger = self.ledger
        label = self.cfg.field_label(ledger, name)
        severity = problem.severity
        message = problem.message
        for generic in ("日期“", "金额“", "数量“"):
            if message.startswith(generic):  # name the column as the county wrote it
                message = label + message[len(generic) - 1 :]
                break
        else:
            if not message.startswith(label):
                message = f"{label}：{message}"
        fatal = False
        if severity == N.ERROR:
            if name in self.required:
                fatal = True
                message += "；该行未计入统计"
            else:
                severity = N.WARNING
                message += "；该项按空值处理"
        findings.append(finding(problem.code, severity, ledger, region, self.grid, excel_row, label, raw, message))
        return fatal

    def parse(self, rows: list[list], excel_rows: list[int]) -> tuple[list, dict[int, list]]:
        """``(records, findings)`` of many data rows: per row its record — a tuple in
        ``RECORD_COLUMNS`` + ``LINEAGE`` order — or ``None`` when the row is rejected;
        and, by row index, the findings of the rows that have any, in check order."""
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
                values = {
                    k: round(float(k) * factor, 4)
                    for k in distinct
                    if (k.__class__ is float or k.__class__ is int) and 0 <= k < INF
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
                title_tier = self.layout.title_tier
                cols["tier"] = [found[k] or title_tier for k in keys]
            else:
                cols["tier"] = [self.layout.title_tier] * n
            status_raw = raw_column("status")
            keys, found = derive(status_raw or none, lambda v: N.parse_started(v, cfg))
            if status_raw is not None:
                bad = {k: problem for k, (_, problem) in found.items() if problem is not None}
                mark(keys, bad)
                derived.append(("status", keys, bad, _value_of))
            cols["started"] = [found[k][0] for k in keys]
            self._chains(cols, n)
        elif ledger == "signings":
            has_flag = "out_of_province" in columns
            flag, origin = raw_column("out_of_province") or none, raw_column("origin") or none
            keys = list(zip(_typed(flag), _typed(origin)))
            found = {k: N.parse_out_of_province(_value_of(k[0]), _value_of(k[1]), has_flag, cfg) for k in set(keys)}
            bad = {k: problem for k, (_, problem) in found.items() if problem is not None}
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

        # the region: from the region column, else the title/file name; False when it
        # cannot be told (the row is rejected). Notes: (keys, {key: finding arguments})
        region_raw = raw_column("region")
        fallback = self.layout.title_region
        missing = (
            "region.missing",
            N.ERROR,
            "",
            None,
            "无法确定所属县区（无县区列，标题、填报单位和文件名中也未注明）；该行未计入统计",
        )
        if region_raw is None:
            cols["region"] = [fallback or False] * n
            notes = None if fallback else ([0] * n, {0: missing})
        else:
            keys = _typed(region_raw)
            found, bad = {}, {}
            for k in set(keys):
                v = _value_of(k)
                if N.is_blank(v):
                    region = fallback or False
                    if not fallback:
                        bad[k] = missing
                else:
                    region = N.match_region(v, cfg)
                    if region == cfg.city:
                        region = CITY if ledger == "targets" else None
                    if not region and fallback:
                        region = fallback
                        bad[k] = (
                            "region.unknown_fallback",
                            N.WARNING,
                            fallback,
                            v,
                            f"县区“{N.show(v)}”不在县区名录中，已按表头标题/文件名认定为{fallback}",
                        )
                    elif not region:
                        region = False
                        bad[k] = (
                            "region.unknown",
                            N.ERROR,
                            "",
                            v,
                            f"县区“{N.show(v)}”不在县区名录中，无法确定所属县区；该行未计入统计",
                        )
                found[k] = region
            notes = (keys, bad) if bad else None
            cols["region"] = [found[k] for k in keys]
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
            for i, (a, b) in enumerate(
                zip(cols.get("signed_amount_target", none), cols.get("signed_projects_target", none))
            ):
                if a is None and b is None:
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
            if value in (None, "") and not any(f["field"] == label and f["severity"] == N.ERROR for f in findings):
                fatal = True
                # a value that was written but not understood (待定, abc): one error, not two
                written = [f for f in findings if f["field"] == label]
                if written:
                    written[0].update(
                        severity=N.ERROR, message=f"{written[0]['message']}；“{label}”为必填项，该行未计入统计"
                    )
                    continue
                extra = "（表头或标题中也未注明）" if name == "tier" else ""
                findings.append(
                    finding(
                        "required.missing",
                        N.ERROR,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        label,
                        None,
                        f"必填项“{label}”未填写{extra}；该行未计入统计",
                    )
                )
        if (
            ledger == "targets"
            and not fatal
            and all(
                cols[name][i] is None for name in ("signed_amount_target", "signed_projects_target") if name in cols
            )
        ):
            findings.append(
                finding(
                    "target.missing",
                    N.ERROR,
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
                        N.WARNING,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        "累计完成投资",
                        done,
                        f"累计完成投资（{done:g}万元）超过年度计划投资（{planned:g}万元），请核实",
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
                        N.WARNING,
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
                        N.INFO,
                        ledger,
                        region,
                        grid,
                        excel_row,
                        label,
                        day.isoformat(),
                        f"{label}{day.isoformat()}早于本年，未计入本年累计",
                    )
                )


class _TotalCheck:
    """A total row whose amounts disagree with the sum of the rows it totals: a 小计
    row totals the records since the previous 小计 (or the header); a 合计/总计 row
    totals every record of the sheet; 其中 rows are parts and are not checked. When a
    row in the range was rejected, its amount is unknown and the range is not checked
    (the rejected row is already an error)."""

    TOLERANCE = 0.01  # 万元

    def __init__(self, parser: Parser, findings: list):
        self.parser, self.findings = parser, findings
        self.fields = [f for f in parser.layout.columns if parser.cfg.field_type(f) == "amount"]
        names = RECORD_COLUMNS[parser.ledger]
        self.at = {f: names.index(f) for f in self.fields if f in names}
        self.section_start = 0  # where the current 小计 section starts in the sheet's records

    def check(self, first_text: str, row: list, excel_row: int, region: str, sheet: list, above: int) -> None:
        """``sheet[:above]``: the records (``None`` for a rejected row) of the data rows above."""
        if first_text.startswith("其中"):
            return
        subtotal = first_text.endswith("小计")
        records = sheet[self.section_start : above] if subtotal else sheet[:above]
        self.section_start = above
        if not records or None in records:
            return
        p = self.parser
        for name in self.fields:
            stated, problem = N.parse_amount(p.cell(row, name), p.factors[name], p.cfg)
            if stated is None or problem:
                continue
            if name not in self.at:
                continue
            at = self.at[name]
            summed = round(sum(r[at] or 0 for r in records), 4)
            if abs(stated - summed) > self.TOLERANCE:
                label = p.cfg.field_label(p.ledger, name)
                self.findings.append(
                    finding(
                        "total.mismatch",
                        N.WARNING,
                        p.ledger,
                        region,
                        p.grid,
                        excel_row,
                        label,
                        p.cell(row, name),
                        f"{'小计' if subtotal else '合计'}行{label}为{stated:g}万元，与其上{len(records)}行之和"
                        f"{summed:g}万元不一致，请核实（统计以各行数据为准）",
                    )
                )


def _check_out_of_province_sheet(grid: Grid, layout: Layout, result: SheetResult, cfg: Config) -> None:
    """An in-province signing in a ledger titled as out-of-province (省外)."""
    if layout.ledger != "signings":
        return
    title = norm_key(" ".join(layout.title_lines) + grid.sheet)
    if "省外" not in title:
        return
    at = {c: i for i, c in enumerate(RECORD_COLUMNS["signings"] + LINEAGE)}
    for rec in result.records:
        if rec[at["out_of_province"]] is False:
            result.findings.append(
                finding(
                    "signing.in_province",
                    N.WARNING,
                    "signings",
                    rec[at["region"]],
                    grid,
                    rec[at["source_row"]],
                    "投资方所在地",
                    rec[at["origin"]] or "",
                    "该表为省外签约项目台账，但此项目按投资方所在地（或是否省外栏）"
                    "判定为省内项目，未计入省外签约，请核实",
                )
            )


def read_sheet(grid: Grid, period: Period, cfg: Config | None = None) -> SheetResult | Skipped:
    """Records, findings and accounting of one sheet, or why it was skipped."""
    cfg = cfg or load_config()
    filled = grid.filled()
    layout = locate(filled, grid.source_file, cfg)
    if isinstance(layout, str):
        return Skipped(grid.source_file, grid.sheet, layout)
    parser = Parser(grid, layout, period, cfg)
    result = SheetResult(layout.ledger)
    sheet_findings = result.findings
    region = layout.title_region or ""
    for name, text in layout.duplicate_columns:
        label = cfg.field_label(layout.ledger, name)
        sheet_findings.append(
            finding(
                "header.duplicate_column",
                N.INFO,
                layout.ledger,
                region,
                grid,
                layout.header_row + 1,
                label,
                text,
                f"表头“{text}”与前面的“{layout.header_text[name]}”重复，仅读取前一列",
            )
        )
    if grid.truncated_at:
        sheet_findings.append(
            finding(
                "sheet.truncated",
                N.ERROR,
                layout.ledger,
                region,
                grid,
                grid.truncated_at,
                "",
                "",
                f"工作表超过{cfg.rules['limits']['max_rows']}行的读取上限，第{grid.truncated_at}行及以后未读取",
            )
        )
    counts = Counter()
    totals = _TotalCheck(parser, sheet_findings)
    header_rows = sum(1 for r in grid.rows[: layout.header_row + 1] if any(v is not None for v in r))
    first = layout.header_row + 1
    kinds = row_kinds(grid.rows[first : len(filled)], layout, cfg)
    data = [i for i, (kind, _) in enumerate(kinds, start=first) if kind == "data"]
    records, row_findings = parser.parse([filled[i] for i in data], [i + 1 for i in data])  # None: rejected
    others = [(i, kind, text) for i, (kind, text) in enumerate(kinds, start=first) if kind != "data"]
    flagged = sorted(row_findings)  # data rows (indexes into ``data``) with findings
    done = 0  # flagged rows whose findings are in; a total row's check goes after the rows above it
    for i, kind, text in others:
        if kind == "total":
            above = bisect.bisect_left(data, i)
            upto = bisect.bisect_left(flagged, above)
            for k in flagged[done:upto]:
                sheet_findings.extend(row_findings[k])
            done = upto
            totals.check(text, filled[i], i + 1, region, records, above)
    for k in flagged[done:]:
        sheet_findings.extend(row_findings[k])
    counts["blank"] = sum(1 for _, kind, _ in others if kind == "blank")
    counts["total_note"] = len(others) - counts["blank"]
    result.records.extend(r for r in records if r is not None)
    counts["records"] = len(result.records)
    counts["rejected"] = len(records) - counts["records"]
    counts["read"] = len(kinds) - counts["blank"]
    _check_out_of_province_sheet(grid, layout, result, cfg)
    for name in parser.default_unit_fields:
        if name not in parser.defaulted:  # every value carried its own unit
            continue
        label = cfg.field_label(layout.ledger, name)
        sheet_findings.append(
            finding(
                "unit.default",
                N.WARNING,
                layout.ledger,
                region,
                grid,
                layout.header_row + 1,
                label,
                layout.header_text[name],
                f"“{layout.header_text[name]}”未注明金额单位（表头、单元格和“单位：”行均无），按万元计，请核实",
            )
        )
    if counts["read"] != counts["records"] + counts["total_note"] + counts["rejected"]:
        raise AccountingError(f"{grid.source_file}/{grid.sheet}: {dict(counts)}")
    at = RECORD_COLUMNS[layout.ledger].index("region")
    regions = Counter(r[at] for r in result.records if r[at])
    result.accounting = {
        "source_file": grid.source_file,
        "source_sheet": grid.sheet,
        "ledger": layout.ledger,
        # the sheet's region: from its title/file, else its records' one region; a sheet
        # whose records span several regions (a city-wide targets table) is the city's
        "region": region or (next(iter(regions)) if len(regions) == 1 else CITY if regions else ""),
        "rows_read": counts["read"],
        "records": counts["records"],
        "total_note_rows": counts["total_note"],
        "rejected_rows": counts["rejected"],
        "blank_rows": counts["blank"],
        "header_rows": header_rows,
    }
    return result


def cross_checks(snapshot: Snapshot, cfg: Config | None = None) -> None:
    """Checks across rows and files: the same project reported twice."""
    cfg = cfg or load_config()
    for ledger in ("signings", "projects"):
        names = RECORD_COLUMNS[ledger] + LINEAGE
        project = names.index("project")
        tier = names.index("tier") if ledger == "projects" else None
        seen: dict[tuple, tuple] = {}
        records = snapshot.records[ledger]
        for values, name in zip(records, norm_keys([v[project] for v in records])):
            key = (name, values[tier] if tier is not None else None)
            if not key[0]:
                continue
            first = seen.setdefault(key, values)
            if first is values:
                continue
            rec, first = dict(zip(names, values)), dict(zip(names, first))
            where = f"{first['source_file']}“{first['source_sheet']}”第{first['source_row']}行（{first['region']}）"
            snapshot.findings.append(
                {
                    "severity": N.WARNING,
                    "ledger": ledger,
                    "region": rec["region"],
                    "source_file": rec["source_file"],
                    "source_sheet": rec["source_sheet"],
                    "source_row": rec["source_row"],
                    "field": cfg.field_label(ledger, "project"),
                    "value": norm_text(rec["project"]),
                    "message": f"项目“{norm_text(rec['project'])}”与{where}重复填报，请核实是否重复统计",
                    "code": "project.duplicate",
                }
            )
