"""The bulletin's tables (:class:`~bulletin.report.document.Table`), built from the data.

Each builder takes the edition and the document's :class:`Numbers` (a table is
numbered when it is made, in document order) and returns a table, or None when it
would be empty. The lists of one county (its projects not started, its largest
signings, its ledger rows to fix) are asked for with ``region=``: the builder then
keeps that county's rows and drops the region column.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from bulletin.contract import CITY, ERROR, LINEAGE, SEVERITY_ORDER, UNKNOWN_REGION, WARNING
from bulletin.report import format as fmt
from bulletin.report import missing
from bulletin.report.document import Column, Numbers, Table
from bulletin.report.edition import Edition, region_key
from bulletin.report.labels import label, tier_name

TOP_SIGNINGS = 10

# The key-project metric columns shared by the city's and a county's tables:
# (header label, kind, indicator suffix).
TIER_METRICS = [
    ("col.projects", "count", "projects"),
    ("col.started", "count", "started"),
    ("col.start_rate", "pct", "start_rate"),
    ("col.planned", "money", "planned_investment"),
    ("col.completed", "money", "completed_investment"),
    ("col.investment_rate", "pct", "investment_rate"),
    ("col.in_statistics", "count", "in_statistics"),
    ("col.in_statistics_rate", "pct", "in_statistics_rate"),
]
QUALITY_COUNTS = ["rows_read", "records", "rejected_rows", "errors", "warnings"]


def is_true(v) -> bool:
    """A yes/no cell of a processed table read back as text or bool.

    >>> is_true("True"), is_true(True), is_true("False"), is_true(None)
    (True, True, False, False)
    """
    return str(v).strip().lower() in ("true", "1", "yes", "是")


def without_column(cols: list[Column], rows: list[list], index: int) -> tuple[list[Column], list[list]]:
    return (
        [c for i, c in enumerate(cols) if i != index],
        [[v for i, v in enumerate(row) if i != index] for row in rows],
    )


# --------------------------------------------------------------------------- totals
def total_notes(table: Table) -> list[str]:
    """Explain where a total row differs from the sum of the shown rows below it:
    by rounding (the total is computed from unrounded data), or because the city
    figure holds data not allocated to a region."""
    if not table.total_rows or len(table.rows) <= table.total_rows + 1:
        return []
    rounding, unallocated = [], []
    parts = table.rows[table.total_rows :]
    for c, col in enumerate(table.columns):
        if col.kind not in ("money", "count"):
            continue
        total_raw = fmt.to_decimal(table.rows[0][c])
        raw = [fmt.to_decimal(r[c]) for r in parts]
        if total_raw is None or all(v is None for v in raw):
            continue
        shown_total = fmt.shown(col.kind, total_raw, table.lang)
        shown_sum = sum((fmt.shown(col.kind, v, table.lang) or 0) for v in raw if v is not None)
        if shown_total == shown_sum:
            continue
        raw_sum = sum(v for v in raw if v is not None)
        if abs(raw_sum - total_raw) <= Decimal("1e-4") * max(Decimal(1), abs(total_raw)):
            rounding.append(col.header)
        else:
            unallocated.append(col.header)
    notes = []
    sep = label("p.list", table.lang)
    quoted = lambda names: sep.join(label("note.quotes", table.lang, text=n) for n in names)  # noqa: E731
    if rounding:
        notes.append(label("note.rounding", table.lang, columns=quoted(rounding)))
    if unallocated:
        notes.append(label("note.unallocated", table.lang, columns=quoted(unallocated)))
    return notes


# --------------------------------------------------------------------------- regions
def signings_table(ed: Edition, num: Numbers) -> Table:
    """表: every region's activities, signings, target, completion, light and rank,
    全市 first; a county edition's own row highlighted."""
    lang, data = ed.lang, ed.data
    cols = [
        Column(label("col.region", lang), "region"),
        Column(label("col.activities", lang), "count"),
        Column(label("col.signed_projects", lang), "count"),
        Column(label("col.signed_amount", lang), "money"),
        Column(label("col.target", lang), "money"),
        Column(label("col.completion", lang), "pct"),
        Column(label("col.light", lang), "light"),
        Column(label("col.rank", lang), "count"),
    ]
    indicators = [
        "activities",
        "signed_projects",
        "signed_amount",
        "signed_amount_target",
        "signed_amount_completion",
        "signed_light",
        "signed_completion_rank",
    ]
    ledgers = ["activities", "signings", "signings", "targets", "signings", "signings", "signings"]
    rows = [[r, *[missing.cell(ed, r, ind, x) for ind, x in zip(indicators, ledgers)]] for r in data.rows]
    t = Table(
        "signings",
        num.next("table", "signings"),
        label("cap.signings", lang),
        label("sheet.signings", lang),
        cols,
        rows,
        lang,
        total_rows=1 if CITY in data.rows else 0,
        cls="regions",
        highlight=[i for i, r in enumerate(data.rows) if ed.region and r == ed.region],
    )
    t.notes = total_notes(t) + missing_notes(ed, ("activities", "signings"), targets=True, indicators=indicators)
    return t


def missing_notes(ed: Edition, ledgers: tuple[str, ...], targets: bool = False, indicators=None) -> list[str]:
    """Who is marked 未报送 / 无法读取 in a table of ``ledgers`` (with the files), whose
    ledger lacks a column the table's ``indicators`` need, and (``targets``) who has no
    target."""
    notes = [missing.table_note(ed, ledgers, indicators)]
    if targets:
        text = missing.targets_text(ed, every_region=True)
        notes.append(label("miss.note", ed.lang, text=text) if text else None)
    return [n for n in notes if n]


def tier_columns(lang: str) -> list[Column]:
    return [Column(label(key, lang), kind, wrap=kind == "money") for key, kind, _ in TIER_METRICS]


def tier_values(ed: Edition, region: str, tier: str) -> list:
    return [missing.cell(ed, region, f"{tier}_{ind}", "projects") for _, _, ind in TIER_METRICS]


def projects_table(ed: Edition, tier: str, num: Numbers) -> Table:
    """表: one tier's key projects by region, 全市 first."""
    lang = ed.lang
    cols = [Column(label("col.region", lang), "region"), *tier_columns(lang)]
    rows = [[r, *tier_values(ed, r, tier)] for r in ed.data.rows]
    t = Table(
        f"projects-{tier}",
        num.next("table", f"projects-{tier}"),
        label("cap.projects", lang, tier=tier_name(tier, lang)),
        label("sheet.projects", lang, tier=tier_name(tier, lang, short=True)),
        cols,
        rows,
        lang,
        total_rows=1 if CITY in ed.data.rows else 0,
        cls="regions",
    )
    metrics = [f"{tier}_{ind}" for _, _, ind in TIER_METRICS]
    t.notes = total_notes(t) + missing_notes(ed, ("projects",), indicators=metrics)
    return t


def tiers_table(ed: Edition, tiers: list[str], num: Numbers) -> Table:
    """表: one region's key projects, one row per tier."""
    lang, r = ed.lang, ed.subject
    cols = [Column(label("col.tier", lang), "text"), *tier_columns(lang)]
    rows = [[tier_name(tier, lang), *tier_values(ed, r, tier)] for tier in tiers]
    return Table(
        "region_projects",
        num.next("table", "region_projects"),
        label("cap.region_projects", lang, region=ed.name(r)),
        label("sheet.region_projects", lang),
        cols,
        rows,
        lang,
        cls="regions",
    )


# --------------------------------------------------------------------------- lists
def not_started(data, tier: str, region: str = "") -> pd.DataFrame:
    """The tier's projects not started (of ``region`` only, when given), registry order;
    never those of a county whose ledger has no status column (not known to have
    started or not: SPEC §12)."""
    df = data.projects
    if df is None or df.empty or "started" not in df.columns or "tier" not in df.columns:
        return pd.DataFrame()
    unknown = missing.starts_unknown(data)
    df = df[(df["tier"] == tier) & ~df["started"].map(is_true) & ~df["region"].isin(unknown)].copy()
    if region:
        df = df[df["region"] == region]
    df["_region"] = df["region"].map(data.region_order())
    return df.sort_values(["_region"], kind="stable")


def not_started_table(ed: Edition, tier: str, num: Numbers, region: str = "") -> Table | None:
    """表: the tier's projects not yet started, by name and region."""
    lang = ed.lang
    df = not_started(ed.data, tier, region)
    if df.empty:
        return None
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.region", lang), "region"),
        Column(label("col.project", lang), "ledger", wrap=True),
        Column(label("col.planned", lang), "money", wrap=True),
        Column(label("col.status", lang), "ledger", wrap=True),
        Column(label("col.problems", lang), "ledger", wrap=True),
    ]
    fields = ["region", "project", "planned_investment", "status", "problems"]
    rows = [[i, *[rec.get(f) for f in fields]] for i, rec in enumerate(df.to_dict("records"), start=1)]
    if region:  # one county's own list: no region column
        cols, rows = without_column(cols, rows, 1)
    return Table(
        f"not_started-{tier}",
        num.next("table", f"not_started-{tier}"),
        label("cap.not_started", lang, tier=tier_name(tier, lang)),
        label("sheet.not_started", lang, tier=tier_name(tier, lang, short=True)),
        cols,
        rows,
        lang,
        cls="list",
    )


def top_signings(data, n: int = TOP_SIGNINGS, region: str = "") -> pd.DataFrame:
    """The largest out-of-province signings of the period (of ``region`` only)."""
    df = data.signings
    if df is None or df.empty or "amount" not in df.columns:
        return pd.DataFrame()
    df = df.copy()
    if region and "region" in df.columns:
        df = df[df["region"] == region]
    if df.empty:  # (a county without signings: an empty mask below would select columns)
        return pd.DataFrame()
    if "out_of_province" in df.columns:
        df = df[df["out_of_province"].map(is_true)]
    if "signed_on" in df.columns:
        on = pd.to_datetime(df["signed_on"], errors="coerce")
        df = df[(on >= pd.Timestamp(data.year, 1, 1)) & (on <= pd.Timestamp(data.period_end))]
    df["_amount"] = pd.to_numeric(df["amount"], errors="coerce")
    return df.sort_values("_amount", ascending=False, kind="stable").head(n)


def top_signings_table(ed: Edition, num: Numbers, region: str = "") -> Table | None:
    """附表: the largest out-of-province signings of the period."""
    lang = ed.lang
    df = top_signings(ed.data, region=region)
    if df.empty:
        return None
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.region", lang), "region"),
        Column(label("col.project", lang), "ledger", wrap=True),
        Column(label("col.investor", lang), "ledger", wrap=True),
        Column(label("col.origin", lang), "ledger", wrap=True),
        Column(label("col.amount", lang), "money"),
        Column(label("col.signed_on", lang), "date"),
        Column(label("col.mode", lang), "text"),
    ]
    rows = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        mode = label("mode.online" if is_true(rec.get("online")) else "mode.offline", lang)
        fields = ["region", "project", "investor", "origin", "amount", "signed_on"]
        rows.append([i, *[rec.get(f) for f in fields], mode])
    if region:  # one county's own list: no region column
        cols, rows = without_column(cols, rows, 1)
    return Table(
        "top_signings",
        num.next("table", "top_signings"),
        label("cap.top_signings", lang, n=len(rows)),
        label("sheet.top_signings", lang),
        cols,
        rows,
        lang,
        cls="list",
    )


def inputs_table(ed: Edition, num: Numbers) -> Table | None:
    """附表: the ledger files read, with size and SHA-256 (manifest.json)."""
    lang = ed.lang
    inputs = (ed.data.manifest or {}).get("inputs") or []
    if not inputs:
        return None
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.file", lang), "text", wrap=True),
        Column(label("col.size", lang), "size"),
        Column(label("col.sha256", lang), "hash"),
    ]
    rows = [[i, item.get("path"), item.get("size"), item.get("sha256")] for i, item in enumerate(inputs, start=1)]
    return Table(
        "inputs",
        num.next("appendix"),
        label("cap.inputs", lang),
        label("sheet.inputs", lang),
        cols,
        rows,
        lang,
        cls="inputs",
    )


# --------------------------------------------------------------------------- data quality
def quality_counts(data) -> pd.DataFrame | None:
    """Per region: rows read, records, rejected rows, errors, warnings (registry
    order, then any other region, then 未识别县区)."""
    acc, q = data.accounting, data.quality
    if acc is None and q is None:
        return None
    counts: dict[str, dict[str, int]] = {}

    def row(region):
        return counts.setdefault(region_key(region), dict.fromkeys(QUALITY_COUNTS, 0))

    if acc is not None and not acc.empty:
        for rec in acc.to_dict("records"):
            r = row(rec.get("region"))
            for k in ("rows_read", "records", "rejected_rows"):
                v = fmt.to_decimal(rec.get(k))
                r[k] += int(v) if v is not None else 0
    if q is not None and not q.empty and "severity" in q.columns:
        for rec in q.to_dict("records"):
            sev = str(rec.get("severity") or "").strip().lower()
            if sev in ("error", "warning"):
                row(rec.get("region"))[sev + "s"] += 1
    order = data.region_order()
    names = sorted(counts, key=lambda r: (r == UNKNOWN_REGION, r == CITY, order(r)))
    return pd.DataFrame([{"region": r, **counts[r]} for r in names])


def sheets_of(ed: Edition, region: str) -> str:
    """Whose sheets a quality row counts: a region, or 市级汇总表 for the city-wide sheets
    (the targets workbook): never a second 全市 under the 全市 total."""
    return label("region.city_sheets", ed.lang) if region == CITY else region


def quality_table(ed: Edition, num: Numbers) -> Table | None:
    """表: rows read, records, rejected rows, errors and warnings by region."""
    lang = ed.lang
    df = quality_counts(ed.data)
    if df is None or df.empty:
        return None
    cols = [
        Column(label("col.region", lang), "region"),
        Column(label("col.rows_read", lang), "count"),
        Column(label("col.records", lang), "count"),
        Column(label("col.rejected", lang), "count"),
        Column(label("col.errors", lang), "count"),
        Column(label("col.warnings", lang), "count"),
    ]
    rows = [[CITY, *[int(df[k].sum()) for k in QUALITY_COUNTS]]]
    rows += [[sheets_of(ed, rec["region"]), *[rec[k] for k in QUALITY_COUNTS]] for rec in df.to_dict("records")]
    # a county of which nothing was read at all: said so (未报送), never left out unnoticed
    absent = [r for r in ed.data.regions if r not in set(df["region"]) and missing.nothing_read(ed, r)]
    if absent:
        order = ed.data.region_order()
        rows += [[r, *[missing.nothing_read(ed, r)] * len(QUALITY_COUNTS)] for r in absent]
        city_sheets = label("region.city_sheets", lang)
        rows[1:] = sorted(rows[1:], key=lambda row: (row[0] == UNKNOWN_REGION, row[0] == city_sheets, order(row[0])))
    t = Table(
        "quality",
        num.next("table", "quality"),
        label("cap.quality", lang),
        label("sheet.quality", lang),
        cols,
        rows,
        lang,
        total_rows=1,
        cls="regions",
    )
    t.notes = total_notes(t)
    return t


def findings_table(ed: Edition, num: Numbers) -> Table | None:
    """表: the edition's findings, errors first: the rows to correct, with file, sheet
    and Excel row (ledger text, shown as reported)."""
    lang = ed.lang
    q = ed.own(ed.data.quality)
    if q is None or q.empty or "severity" not in q.columns:
        return None
    q = q.copy()
    q["_sev"] = q["severity"].astype(str).str.strip().str.lower()
    q = q[q["_sev"].isin((ERROR, WARNING))]  # the rows a county must fix or check
    if q.empty:
        return None
    q = q.sort_values("_sev", key=lambda s: s.map(SEVERITY_ORDER), kind="stable")
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.severity", lang), "text"),
        Column(label("col.file", lang), "text", wrap=True),
        Column(label("col.sheet", lang), "text", wrap=True),
        Column(label("col.row", lang), "count"),
        Column(label("col.field", lang), "text"),
        Column(label("col.value", lang), "text", wrap=True),
        Column(label("col.message", lang), "text", wrap=True),
    ]
    fields = [*LINEAGE, "field", "value", "message"]
    rows = [
        [i, label(f"sev.{rec['_sev']}", lang), *[rec.get(f) for f in fields]]
        for i, rec in enumerate(q.to_dict("records"), start=1)
    ]
    return Table(
        "quality_rows",
        num.next("table", "quality_rows"),
        label("cap.quality_rows", lang, region=ed.name(ed.subject)),
        label("sheet.quality_rows", lang),
        cols,
        rows,
        lang,
        cls="list",
    )
