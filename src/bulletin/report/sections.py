"""The bulletin (通报) from one processed folder: its sentences, tables and charts.

Usage (this is all the bulletin notebook does)::

    ctx = load_context("2020-06", processed_dir, lang="zh")
    display(HTML(title(ctx)))
    display(HTML(overview(ctx)))
    ...
    excel.write_workbook(ctx, reports_dir)

Two layers:

* :func:`model` builds, once per context, every **table** (:class:`Table`: columns
  with a *kind* and raw values) and **chart** (:class:`Chart`) with its number in
  document order (表1…, 图1…, 附表1…). The HTML below and the Excel workbook
  (:mod:`bulletin.excel`) both render these same tables, and every number goes
  through :func:`bulletin.format.display` / :func:`bulletin.format.excel_cell`, so the
  HTML, the PDF (printed from the HTML) and the workbook show the same figures.
* the section functions (:data:`SECTIONS`) return self-contained HTML fragments: no
  scripts, no external resources, class names that the publish template's CSS knows.

A county edition (``load_context(..., region="宝清县")``, ``pipeline.py run --per-region``)
has the same sections about one county: its own figures lead, the city's figures, its
rank and its row highlighted in the city's table give the context, and its lists (projects
not started, ledger rows to fix, largest signings) hold its own rows only.

Words come from :mod:`bulletin.labels` (``lang`` "zh" or "en"), and every text that
comes from a ledger (project names, investors, file names, regions …) goes through
:func:`html.escape` — ledger text is data, never markup.
"""

from __future__ import annotations

import calendar
import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from bulletin import paths
from bulletin.config import load_config
from bulletin.contract import CITY, TIERS, UNKNOWN_REGION, Period
from bulletin.paths import resolve_dir
from bulletin.report import charts
from bulletin.report import format as fmt
from bulletin.report.labels import DEFAULT_LANG, check_lang, join, label, place, sentence, tier_name
from bulletin.store import indicator_table, read_indicators, read_table

log = logging.getLogger(__name__)

TOP_SIGNINGS = 10


# --------------------------------------------------------------------------- context
@dataclass
class Context:
    """Everything the bulletin shows for one period, read once."""

    period: str
    city: str
    folder: Path
    table: pd.DataFrame  # wide indicators, index = region, 全市 first
    regions: list[str]  # region rows (without 全市), file order
    yellow_margin: float  # lights: yellow within this of time progress (config)
    signings: pd.DataFrame | None = None
    projects: pd.DataFrame | None = None
    quality: pd.DataFrame | None = None
    accounting: pd.DataFrame | None = None
    manifest: dict | None = None
    history: dict[str, pd.DataFrame] = field(default_factory=dict)  # period → wide table
    lang: str = DEFAULT_LANG
    notes: list[str] = field(default_factory=list)  # problems met while loading
    region: str = ""  # a county's edition ("" : the city's bulletin)
    _model: Model | None = field(default=None, repr=False)

    @property
    def subject(self) -> str:
        """The row the edition is about: the county of a county edition, else 全市."""
        return self.region or CITY

    @property
    def margin_points(self) -> str:
        """The yellow margin in percentage points as a reader writes it ("10", "7.5").

        >>> Context("2020-06", "", Path("."), pd.DataFrame(), []).margin_points
        '10'
        """
        text = fmt.number(Decimal(str(self.yellow_margin)) * 100, 1)
        return text[:-2] if text.endswith(".0") else text

    def value(self, region: str, indicator: str, period: str | None = None):
        """A number (float), a light word, or None when missing/undefined. ``period``:
        an earlier snapshot's value from history.csv."""
        table = self.table if period in (None, self.period) else self.history.get(period)
        if table is None or indicator not in table.columns or region not in table.index:
            return None
        v = table.at[region, indicator]
        return None if fmt.is_missing(v) else v

    def num(self, region: str, indicator: str, period: str | None = None) -> float | None:
        dec = fmt.to_decimal(self.value(region, indicator, period))
        return None if dec is None else float(dec)

    @property
    def rows(self) -> list[str]:
        """Table rows: 全市 first (when present), then the regions."""
        return ([CITY] if CITY in self.table.index else []) + self.regions

    @property
    def year(self) -> int:
        return Period.parse(self.period).year

    @property
    def month(self) -> int:
        return Period.parse(self.period).month

    @property
    def period_end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous_period(self) -> str | None:
        """Last month's snapshot of the same year, when history.csv holds it (环比)."""
        if self.month == 1:
            return None
        prev = f"{self.year}-{self.month - 1:02d}"
        return prev if prev in self.history else None

    @property
    def last_year_period(self) -> str | None:
        """The same month of last year, when history.csv holds it (同比)."""
        prev = f"{self.year - 1}-{self.month:02d}"
        return prev if prev in self.history else None

    @property
    def run_time(self) -> str:
        """manifest.json's run time (ISO text), '' when unknown: the only date of a run
        that the outputs show or embed (never the clock)."""
        return str((self.manifest or {}).get("run_time") or "")

    def name(self, region) -> str:
        """A region (or 全市) as the edition names it."""
        return place(region, self.lang)


def _settings(config_dir: str | None) -> tuple[str, float]:
    """The city's name and the yellow-light margin from the configuration."""
    cfg = load_config(config_dir or None)
    margin = cfg.rules["lights"]["yellow_margin"]
    return cfg.city, float(margin)


def _optional_table(path: Path, notes: list[str]) -> pd.DataFrame | None:
    if not path.exists():
        notes.append(f"missing {path.name}")
        return None
    try:
        return read_table(path)
    except Exception as exc:  # noqa: BLE001 - a broken optional table must not stop the bulletin
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable {path.name}: {exc}")
        return None


def _history(path: Path, period: str, notes: list[str]) -> dict[str, pd.DataFrame]:
    """history.csv → {period: wide table} for the snapshots other than ``period``."""
    if not path.exists():
        return {}
    try:
        long = read_indicators(path)
    except Exception as exc:  # noqa: BLE001 - a broken history file must not stop the bulletin
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable {path.name}: {exc}")
        return {}
    out = {}
    for p, block in long.groupby("period", sort=True):
        try:
            Period.parse(p)
        except ValueError:
            continue
        if p != period:
            out[p] = indicator_table(block)
    return out


def _resolve_region(region: str | None, regions: list[str], config_dir: str | None, ind_path: Path) -> str:
    """The canonical name of ``region`` ('' for the city); aliases of the configured
    registry are accepted (宝清 → 宝清县)."""
    text = "" if region is None else str(region).strip()
    if not text:
        return ""
    if text not in regions:
        from bulletin.text import norm_key

        text = load_config(config_dir or None).region_lookup.get(norm_key(text), text)
    if text not in regions:
        raise ValueError(f"region {region!r} is not a region of {ind_path} (regions: {', '.join(regions)})")
    return text


def load_context(
    period: str,
    processed_dir: str | Path | None = None,
    city: str | None = None,
    lang: str = DEFAULT_LANG,
    config_dir: str | Path | None = None,
    region: str | None = "",
) -> Context:
    """Read ``<processed_dir>/<period>/`` (indicators.csv is required; record tables,
    quality.csv, accounting.csv, history.csv and manifest.json are optional) into a
    :class:`Context`.

    ``processed_dir`` empty or None means the repository's ``data/processed``.
    The city's name and the light margin come from the configuration: ``config_dir``
    when given, else the ``config_dir`` recorded in manifest.json's parameters, else
    the packaged defaults.

    ``region`` (a county's name or one of its configured aliases, e.g. ``"宝清县"``):
    the county edition, the same sections about that county, the city's figures and
    the other regions as context. Empty: the city's bulletin. A name that is not a
    region row of indicators.csv is a ValueError.
    """
    Period.parse(period)
    check_lang(lang)
    base = resolve_dir(processed_dir, paths.PROCESSED_DIR)
    folder = base / period
    ind_path = folder / "indicators.csv"
    if not ind_path.exists():
        raise FileNotFoundError(f"no indicators for period {period}: {ind_path} is missing")
    long = read_indicators(ind_path)
    other = sorted(set(long["period"]) - {period})
    if other:
        raise ValueError(f"{ind_path} holds periods {other}, expected only {period}")
    table = indicator_table(long)
    notes: list[str] = []
    manifest = None
    man_path = folder / "manifest.json"
    if man_path.exists():
        try:
            manifest = json.loads(man_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s: %s", man_path, exc)
            notes.append(f"unreadable manifest.json: {exc}")
    if config_dir in (None, "") and manifest:
        config_dir = (manifest.get("parameters") or {}).get("config_dir") or None
    cfg_city, margin = _settings(str(config_dir) if config_dir else None)
    regions = [r for r in table.index if r != CITY]
    region = _resolve_region(region, regions, str(config_dir) if config_dir else None, ind_path)
    ctx = Context(
        period=period,
        city=city if city is not None else cfg_city,
        yellow_margin=margin,
        folder=folder,
        table=table,
        regions=regions,
        signings=_optional_table(folder / "signings.csv", notes),
        projects=_optional_table(folder / "projects.csv", notes),
        quality=_optional_table(folder / "quality.csv", notes),
        accounting=_optional_table(folder / "accounting.csv", notes),
        manifest=manifest,
        history=_history(folder / "history.csv", period, notes),
        lang=lang,
        notes=notes,
        region=region,
    )
    log.info(
        "bulletin context %s (%s): %d regions, %d indicators, history %s from %s",
        period,
        lang,
        len(ctx.regions),
        table.shape[1],
        sorted(ctx.history),
        folder,
    )
    return ctx


# --------------------------------------------------------------------------- model
@dataclass
class Column:
    """A table column: its header and the kind of its cells (see :func:`format.display`:
    ``money``, ``pct``, ``count``, ``seq``, ``light``, ``date``, ``size``; and the text
    kinds ``region`` (translated place name), ``text`` (ledger text), ``hash``)."""

    header: str
    kind: str
    wrap: bool = False  # long text: wraps in HTML, PDF and Excel


@dataclass
class Table:
    """One table of the bulletin, as raw values; HTML and Excel render it alike."""

    key: str
    number: str
    title: str
    sheet: str
    columns: list[Column]
    rows: list[list]
    lang: str = DEFAULT_LANG
    total_rows: int = 0  # leading rows that are totals (全市)
    notes: list[str] = field(default_factory=list)
    cls: str = ""  # CSS class: "regions", "list", "inputs"
    highlight: list[int] = field(default_factory=list)  # rows to stand out (a county edition's own row)

    @property
    def caption(self) -> str:
        return self.number + label("cap.sep", self.lang) + self.title

    def text(self, r: int, c: int) -> str:
        """The plain (unescaped) text of a cell, exactly as the HTML and PDF show it."""
        col, value = self.columns[c], self.rows[r][c]
        if col.kind == "region":
            return place(value, self.lang) if not fmt.is_missing(value) else fmt.DASH
        if col.kind in ("text", "hash"):
            return _ledger_text(value)
        return fmt.display(col.kind, value, self.lang)


@dataclass
class Chart:
    """A chart: ``svg`` sized for A4 print and desktops, ``svg_narrow`` for phones
    (the HTML shows one or the other by screen width; the PDF prints ``svg``)."""

    key: str
    number: str
    title: str
    svg: str
    lang: str = DEFAULT_LANG
    svg_narrow: str = ""

    @property
    def caption(self) -> str:
        return self.number + label("cap.sep", self.lang) + self.title


@dataclass
class Model:
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)

    def add(self, table: Table | None) -> None:
        """Add a table under its key; ``None`` (a table with nothing to show) is skipped."""
        if table is not None:
            self.tables[table.key] = table


def _ledger_text(value) -> str:
    """Ledger text for display, as the ledger has it (trimmed); missing → —.
    (:func:`bulletin.store.read_table` already took the CSV formula guard off.)

    >>> _ledger_text("=SUM(A1)"), _ledger_text(None), _ledger_text(" x ")
    ('=SUM(A1)', '—', 'x')
    """
    if fmt.is_missing(value):
        return fmt.DASH
    return str(value).strip()


def esc(value) -> str:
    """Ledger text → safe HTML text (missing → —).

    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> esc("=SUM(A1)"), esc(None)
    ('=SUM(A1)', '—')
    """
    return html.escape(_ledger_text(value), quote=True)


def model(ctx: Context) -> Model:
    """Every table and chart of the bulletin, numbered in document order (built once
    per context; the section functions and the Excel writer read it)."""
    if ctx._model is None:
        ctx._model = _build_model(ctx)
    return ctx._model


class _Numbers:
    def __init__(self, lang):
        self.lang, self.n = lang, {"table": 0, "appendix": 0, "figure": 0}

    def next(self, kind: str) -> str:
        self.n[kind] += 1
        return label(f"cap.{kind}", self.lang, n=self.n[kind])


def _build_model(ctx: Context) -> Model:
    if ctx.region:
        return _build_region_model(ctx)
    m, num = Model(), _Numbers(ctx.lang)
    chart = _monthly_chart(ctx, num)
    if chart:
        m.charts[chart.key] = chart
    m.add(_signings_table(ctx, num))
    m.charts["completion"] = _completion_chart(ctx, num)
    for tier in TIERS:
        if not ctx.num(CITY, f"{tier}_projects"):
            continue
        m.add(_projects_table(ctx, tier, num))
        m.add(_not_started_table(ctx, tier, num))
    if any(f"{t}_start_rate" in ctx.table.columns for t in TIERS):
        m.charts["start_rate"] = _start_rate_chart(ctx, num)
    m.add(_quality_table(ctx, num))
    m.add(_top_signings_table(ctx, num))
    m.add(_inputs_table(ctx, num))
    return m


# --------------------------------------------------------------------------- totals
def _total_notes(table: Table) -> list[str]:
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
    quoted = lambda names: label("p.list", table.lang).join(  # noqa: E731
        label("note.quotes", table.lang, text=n) for n in names
    )
    if rounding:
        notes.append(label("note.rounding", table.lang, columns=quoted(rounding)))
    if unallocated:
        notes.append(label("note.unallocated", table.lang, columns=quoted(unallocated)))
    return notes


# --------------------------------------------------------------------------- tables
def _signings_table(ctx: Context, num: _Numbers) -> Table:
    lang = ctx.lang
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
    rows = [
        [
            r,
            ctx.value(r, "activities"),
            ctx.value(r, "signed_projects"),
            ctx.value(r, "signed_amount"),
            ctx.value(r, "signed_amount_target"),
            ctx.value(r, "signed_amount_completion"),
            ctx.value(r, "signed_light"),
            ctx.value(r, "signed_completion_rank"),
        ]
        for r in ctx.rows
    ]
    t = Table(
        "signings",
        num.next("table"),
        label("cap.signings", lang),
        label("sheet.signings", lang),
        cols,
        rows,
        lang,
        total_rows=1 if CITY in ctx.rows else 0,
        cls="regions",
    )
    t.notes = _total_notes(t)
    return t


_TIER_METRICS = [
    ("col.projects", "count", "projects"),
    ("col.started", "count", "started"),
    ("col.start_rate", "pct", "start_rate"),
    ("col.planned", "money", "planned_investment"),
    ("col.completed", "money", "completed_investment"),
    ("col.investment_rate", "pct", "investment_rate"),
    ("col.in_statistics", "count", "in_statistics"),
    ("col.in_statistics_rate", "pct", "in_statistics_rate"),
]


def _tier_columns(lang: str) -> list[Column]:
    """The key-project metric columns shared by the city's and a county's tables."""
    return [Column(label(key, lang), kind, wrap=kind == "money") for key, kind, _ in _TIER_METRICS]


def _tier_values(ctx: Context, region: str, tier: str) -> list:
    return [ctx.value(region, f"{tier}_{ind}") for _, _, ind in _TIER_METRICS]


def _projects_table(ctx: Context, tier: str, num: _Numbers) -> Table:
    lang = ctx.lang
    cols = [Column(label("col.region", lang), "region"), *_tier_columns(lang)]
    rows = [[r, *_tier_values(ctx, r, tier)] for r in ctx.rows]
    t = Table(
        f"projects-{tier}",
        num.next("table"),
        label("cap.projects", lang, tier=tier_name(tier, lang)),
        label("sheet.projects", lang, tier=tier_name(tier, lang, short=True)),
        cols,
        rows,
        lang,
        total_rows=1 if CITY in ctx.rows else 0,
        cls="regions",
    )
    t.notes = _total_notes(t)
    return t


def _is_true(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes", "是")


def _region_order(ctx: Context):
    order = {r: i for i, r in enumerate(ctx.regions)}
    return lambda r: order.get(r, len(order))


def _not_started(ctx: Context, tier: str) -> pd.DataFrame:
    df = ctx.projects
    if df is None or df.empty or "started" not in df.columns or "tier" not in df.columns:
        return pd.DataFrame()
    df = df[(df["tier"] == tier) & ~df["started"].map(_is_true)].copy()
    if ctx.region:
        df = df[df["region"] == ctx.region]
    df["_region"] = df["region"].map(_region_order(ctx))
    return df.sort_values(["_region"], kind="stable")


def _not_started_table(ctx: Context, tier: str, num: _Numbers) -> Table | None:
    lang = ctx.lang
    df = _not_started(ctx, tier)
    if df.empty:
        return None
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.region", lang), "region"),
        Column(label("col.project", lang), "text", wrap=True),
        Column(label("col.planned", lang), "money", wrap=True),
        Column(label("col.status", lang), "text", wrap=True),
        Column(label("col.problems", lang), "text", wrap=True),
    ]
    rows = [
        [
            i,
            rec.get("region"),
            rec.get("project"),
            rec.get("planned_investment"),
            rec.get("status"),
            rec.get("problems"),
        ]
        for i, rec in enumerate(df.to_dict("records"), start=1)
    ]
    if ctx.region:  # a county's own list: no region column
        cols, rows = _without_column(cols, rows, 1)
    return Table(
        f"not_started-{tier}",
        num.next("table"),
        label("cap.not_started", lang, tier=tier_name(tier, lang)),
        label("sheet.not_started", lang, tier=tier_name(tier, lang, short=True)),
        cols,
        rows,
        lang,
        cls="list",
    )


def _region_key(value) -> str:
    text = "" if fmt.is_missing(value) else str(value).strip()
    return text or UNKNOWN_REGION


def _quality_counts(ctx: Context) -> pd.DataFrame | None:
    """Per region: rows read, records, rejected rows, errors, warnings (registry
    order, then any other region, then 未识别县区)."""
    acc, q = ctx.accounting, ctx.quality
    if acc is None and q is None:
        return None
    counts: dict[str, dict[str, int]] = {}

    def row(region):
        return counts.setdefault(
            _region_key(region), {"rows_read": 0, "records": 0, "rejected_rows": 0, "errors": 0, "warnings": 0}
        )

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
    order = _region_order(ctx)
    names = sorted(counts, key=lambda r: (r == UNKNOWN_REGION, order(r)))
    return pd.DataFrame([{"region": r, **counts[r]} for r in names])


def _quality_table(ctx: Context, num: _Numbers) -> Table | None:
    lang = ctx.lang
    df = _quality_counts(ctx)
    if df is None or df.empty:
        return None
    keys = ["rows_read", "records", "rejected_rows", "errors", "warnings"]
    cols = [
        Column(label("col.region", lang), "region"),
        Column(label("col.rows_read", lang), "count"),
        Column(label("col.records", lang), "count"),
        Column(label("col.rejected", lang), "count"),
        Column(label("col.errors", lang), "count"),
        Column(label("col.warnings", lang), "count"),
    ]
    rows = [[CITY, *[int(df[k].sum()) for k in keys]]]
    rows += [[rec["region"], *[rec[k] for k in keys]] for rec in df.to_dict("records")]
    t = Table(
        "quality",
        num.next("table"),
        label("cap.quality", lang),
        label("sheet.quality", lang),
        cols,
        rows,
        lang,
        total_rows=1,
        cls="regions",
    )
    t.notes = _total_notes(t)
    return t


def _top_signings(ctx: Context, n: int = TOP_SIGNINGS) -> pd.DataFrame:
    df = ctx.signings
    if df is None or df.empty or "amount" not in df.columns:
        return pd.DataFrame()
    df = df.copy()
    if ctx.region and "region" in df.columns:
        df = df[df["region"] == ctx.region]
    if "out_of_province" in df.columns:
        df = df[df["out_of_province"].map(_is_true)]
    if "signed_on" in df.columns:
        on = pd.to_datetime(df["signed_on"], errors="coerce")
        df = df[(on >= pd.Timestamp(ctx.year, 1, 1)) & (on <= pd.Timestamp(ctx.period_end))]
    df["_amount"] = pd.to_numeric(df["amount"], errors="coerce")
    return df.sort_values("_amount", ascending=False, kind="stable").head(n)


def _top_signings_table(ctx: Context, num: _Numbers) -> Table | None:
    lang = ctx.lang
    df = _top_signings(ctx)
    if df.empty:
        return None
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.region", lang), "region"),
        Column(label("col.project", lang), "text", wrap=True),
        Column(label("col.investor", lang), "text", wrap=True),
        Column(label("col.origin", lang), "text", wrap=True),
        Column(label("col.amount", lang), "money"),
        Column(label("col.signed_on", lang), "date"),
        Column(label("col.mode", lang), "text"),
    ]
    rows = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        mode = label("mode.online" if _is_true(rec.get("online")) else "mode.offline", lang)
        rows.append(
            [
                i,
                rec.get("region"),
                rec.get("project"),
                rec.get("investor"),
                rec.get("origin"),
                rec.get("amount"),
                rec.get("signed_on"),
                mode,
            ]
        )
    if ctx.region:  # a county's own list: no region column
        cols, rows = _without_column(cols, rows, 1)
    return Table(
        "top_signings",
        num.next("appendix"),
        label("cap.top_signings", lang, n=len(rows)),
        label("sheet.top_signings", lang),
        cols,
        rows,
        lang,
        cls="list",
    )


def _inputs_table(ctx: Context, num: _Numbers) -> Table | None:
    lang = ctx.lang
    inputs = (ctx.manifest or {}).get("inputs") or []
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


# --------------------------------------------------------------------------- charts
WIDTHS = (charts.WIDTH_IN, charts.NARROW_IN)  # print/desktop, phone (drawn at the same time)


def _monthly_chart(ctx: Context, num: _Numbers) -> Chart | None:
    """图: the city's (a county edition: the county's) cumulative signed amount at each
    month's snapshot of this year."""
    c = ctx.subject
    if ctx.value(c, "signed_amount") is None:
        return None
    months = list(range(1, ctx.month + 1))
    periods = [f"{ctx.year}-{m:02d}" for m in months]
    amounts = [ctx.value(c, "signed_amount", p) for p in periods]
    target = ctx.num(c, "signed_amount_target")
    path = [target * m / 12 for m in months] if target else None
    last = ctx.last_year_period
    last_year = ctx.value(c, "signed_amount", last) if last else None
    title = (
        label("fig.monthly_region", ctx.lang, region=ctx.name(ctx.region))
        if ctx.region
        else label("fig.monthly", ctx.lang)
    )
    svg, narrow = charts.draw_widths(
        charts.monthly_chart, months, amounts, path, last_year, lang=ctx.lang, title=title, widths=WIDTHS
    )
    return Chart("monthly", num.next("figure"), title, svg, ctx.lang, narrow)


def _completion_chart(ctx: Context, num: _Numbers) -> Chart:
    title = label("fig.completion", ctx.lang)
    rows = ctx.rows
    svg, narrow = charts.draw_widths(
        charts.completion_chart,
        [ctx.name(r) for r in rows],
        [ctx.value(r, "signed_amount_completion") for r in rows],
        [ctx.value(r, "signed_light") for r in rows],
        ctx.value(CITY, "time_progress"),
        lang=ctx.lang,
        title=title,
        widths=WIDTHS,
    )
    return Chart("completion", num.next("figure"), title, svg, ctx.lang, narrow)


def _start_rate_chart(ctx: Context, num: _Numbers, rows: list[str] | None = None) -> Chart:
    """The regions' start rates by tier (``rows``: a county edition's 全市 and county)."""
    title = (
        label("fig.start_rate_region", ctx.lang, region=ctx.name(ctx.region))
        if ctx.region
        else label("fig.start_rate", ctx.lang)
    )
    rows = rows or ctx.rows
    tiers = [t for t in TIERS if ctx.num(CITY, f"{t}_projects")] or list(TIERS)
    svg, narrow = charts.draw_widths(
        charts.start_rate_chart,
        [ctx.name(r) for r in rows],
        {t: [ctx.value(r, f"{t}_start_rate") for r in rows] for t in tiers},
        lang=ctx.lang,
        title=title,
        widths=WIDTHS,
    )
    return Chart("start_rate", num.next("figure"), title, svg, ctx.lang, narrow)


# --------------------------------------------------------------------------- HTML helpers
def _cell(content: str, cls: str = "", tag: str = "td", attrs: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<{tag}{c}{attrs}>{content}</{tag}>"


def _light_html(light, lang: str) -> str:
    key = fmt.light_key(light)
    if key is None:
        return fmt.DASH
    return (
        f'<span class="light light-{key}"><span class="light-mark" aria-hidden="true">'
        f"</span>{html.escape(fmt.light_word(key, lang))}</span>"
    )


_HEADER_CLASS = {
    "money": "num",
    "pct": "num",
    "count": "num",
    "seq": "num seq",
    "size": "num",
    "region": "region",
    "light": "light-col",
    "date": "date",
    "hash": "hash",
}


# a county edition's own row in the city's tables; inline, so the HTML and the PDF show
# it without a rule in the publish template's CSS
HIGHLIGHT_STYLE = ' style="background:#fff1c2;font-weight:bold"'

PRINT_TEXT_MAX = 200  # characters of one ledger text cell that the PDF prints


def _long_text_html(text: str) -> str:
    """A ledger text cell. Over :data:`PRINT_TEXT_MAX` characters, the page holds the
    whole text for the screen and its beginning with "…" for print (the PDF would
    otherwise lay out pages of it); the Excel sheet has it all."""
    if len(text) <= PRINT_TEXT_MAX:
        return f'<div class="cell">{html.escape(text)}</div>'
    return (
        f'<div class="cell"><span class="screen-only">{html.escape(text)}</span>'
        f'<span class="print-only">{html.escape(text[:PRINT_TEXT_MAX])}…</span></div>'
    )


def table_html(table: Table) -> str:
    """A :class:`Table` as HTML: caption above, a horizontally scrollable box (phones),
    numbers right-aligned, the total row bold, notes below."""
    head = []
    for col in table.columns:
        cls = "text wrap" if col.wrap else _HEADER_CLASS.get(col.kind, "plain" if col.kind == "text" else col.kind)
        head.append(_cell(html.escape(col.header), cls, "th", ' scope="col"'))
    body = []
    for r, values in enumerate(table.rows):
        cells = []
        for c, col in enumerate(table.columns):
            text = table.text(r, c)
            if col.kind == "region":
                cells.append(_cell(html.escape(text), "region", "th", ' scope="row"'))
            elif col.kind == "light":
                cells.append(_cell(_light_html(values[c], table.lang), "light-col"))
            elif col.kind == "hash":
                full = html.escape(text)
                short = html.escape(text[:12])
                cells.append(
                    _cell(
                        (
                            f'<span class="hash-short" title="{full}">{short}…</span>'
                            f'<span class="hash-full">{full}</span>'
                        )
                        if text != fmt.DASH
                        else text,
                        "hash",
                    )
                )
            elif col.kind in fmt.NUMERIC_KINDS or col.kind == "size":
                cells.append(_cell(html.escape(text), "num"))
            elif col.wrap:  # ledger text: wraps anywhere
                cells.append(_cell(_long_text_html(text), "text"))
            else:
                cells.append(_cell(html.escape(text), "plain" if col.kind == "text" else col.kind))
        tr = '<tr class="total">' if r < table.total_rows else "<tr>"
        if r in table.highlight:
            tr = '<tr class="highlight">'
            cells = [re.sub(r"^<(td|th)\b", rf"<\1{HIGHLIGHT_STYLE}", cell) for cell in cells]
        body.append(tr + "".join(cells) + "</tr>")
    notes = "".join(f'<p class="table-note">{html.escape(n)}</p>' for n in table.notes)
    cap = html.escape(table.caption)
    return (
        f'<div class="table-block table-{table.cls}" id="{html.escape(table.key)}">'
        f'<p class="caption">{cap}</p>'
        f'<div class="table-scroll"><table class="{table.cls}" aria-label="{cap}">'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"</table></div>{notes}</div>"
    )


def chart_html(chart: Chart | None) -> str:
    if chart is None:
        return ""
    narrow = f'<div class="chart-narrow">{chart.svg_narrow}</div>' if chart.svg_narrow else ""
    return (
        f'<figure class="chart" id="figure-{chart.key}"><div class="chart-wide">{chart.svg}'
        f"</div>{narrow}<figcaption>{html.escape(chart.caption)}</figcaption></figure>"
    )


def _section(heading: str, inner: str, cls: str) -> str:
    return f'<section class="{cls}"><h2>{html.escape(heading)}</h2>{inner}</section>'


def _p(text: str, cls: str = "") -> str:
    if not text:
        return ""
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{html.escape(text.strip())}</p>"


def _completion_items(ctx: Context, regions: list[str]) -> str:
    """The regions with their completion rates: 宝清县123.4%、饶河县99.0%."""
    return join([_pct_item(ctx, r, ctx.value(r, "signed_amount_completion")) for r in regions], ctx.lang)


def _pct_item(ctx: Context, region: str, value) -> str:
    return label("p.item", ctx.lang, name=ctx.name(region), value=fmt.pct(value))


# --------------------------------------------------------------------------- title
def title_text(ctx: Context) -> str:
    """The bulletin's title as plain text, e.g. 双鸭山市2020年上半年招商引资和项目建设情况通报."""
    return label(
        "doc.title",
        ctx.lang,
        city=place(ctx.region or ctx.city, ctx.lang),
        period=fmt.period_label(ctx.period, ctx.lang),
    )


def title(ctx: Context) -> str:
    """The bulletin's heading and the statistics period below it. The header carries
    the edition's language and the run time (from manifest.json) for the publisher:
    the HTML ``lang`` and the PDF's creation date come from there, never from a clock."""
    start = fmt.date_text(date(ctx.year, 1, 1), ctx.lang)
    end = fmt.date_text(ctx.period_end, ctx.lang)
    subtitle = label("doc.subtitle", ctx.lang, start=start, end=end)
    run_time = html.escape(ctx.run_time, quote=True)
    return (
        f'<header class="bulletin-header" data-lang="{ctx.lang}" '
        f'data-run-time="{run_time}"><h1 class="bulletin-title">'
        f"{html.escape(title_text(ctx))}</h1>"
        f'<p class="subtitle">{html.escape(subtitle)}</p></header>'
    )


# --------------------------------------------------------------------------- 一、总体情况
def _completion_clause(ctx: Context) -> str:
    lang = ctx.lang
    completion = ctx.num(ctx.subject, "signed_amount_completion")
    target = ctx.num(ctx.subject, "signed_amount_target")
    if completion is None or not target:
        return label("lead.no_target", lang)
    progress = ctx.num(CITY, "time_progress")
    if progress is None:
        progress = ctx.month / 12
    done, prog = fmt.pct(completion), fmt.pct(progress)
    # compare the figures as printed, so the sentence agrees with its own numbers
    done_d = Decimal(fmt.pct_number(completion))
    prog_d = Decimal(fmt.pct_number(progress))
    if done_d >= 100:
        return label("lead.completion_over", lang, completion=done, progress=prog)
    if done_d >= prog_d:
        return label("lead.completion_ahead", lang, completion=done, progress=prog)
    return label("lead.completion_behind", lang, completion=done, progress=prog, gap=f"{prog_d - done_d:f}")


def _tier_clause(ctx: Context, tier: str) -> str:
    lang = ctx.lang
    name = tier_name(tier, lang)
    n = ctx.num(ctx.subject, f"{tier}_projects")
    if not n:
        return label("lead.tier_no_projects", lang, tier=name)
    out = label("lead.tier_start", lang, tier=name, rate=fmt.pct(ctx.num(ctx.subject, f"{tier}_start_rate")))
    inv = ctx.num(ctx.subject, f"{tier}_investment_rate")
    comma = label("p.comma", lang)
    if inv is None:
        return out + comma + label("lead.tier_no_plan", lang)
    return out + comma + label("lead.tier_invest", lang, rate=fmt.pct(inv))


def _key_projects_sentence(ctx: Context) -> str:
    lang = ctx.lang
    c = ctx.subject
    comma = label("p.comma", lang)
    pair = ("provincial_key", "municipal_key")
    if not any(f"{t}_projects" in ctx.table.columns for t in TIERS):
        return ""
    complete = all(ctx.num(c, f"{t}_projects") and ctx.num(c, f"{t}_start_rate") is not None for t in pair)
    parts = []
    if complete:
        s = label(
            "lead.key_pair_start",
            lang,
            p=fmt.pct(ctx.num(c, "provincial_key_start_rate")),
            m=fmt.pct(ctx.num(c, "municipal_key_start_rate")),
        )
        inv = [ctx.num(c, f"{t}_investment_rate") for t in pair]
        if all(v is not None for v in inv):
            s += comma + label("lead.key_pair_invest", lang, p=fmt.pct(inv[0]), m=fmt.pct(inv[1]))
        else:
            for t, v in zip(pair, inv):
                if v is None:
                    s += comma + tier_name(t, lang) + label("p.space", lang) + label("lead.tier_no_plan", lang)
                else:
                    s += comma + label("lead.tier_invest_of", lang, tier=tier_name(t, lang), rate=fmt.pct(v))
        parts.append(s)
    else:
        parts.extend(_tier_clause(ctx, t) for t in pair)
    parts.append(_tier_clause(ctx, "industrial"))
    return sentence(parts, lang, sep="p.semi")


def lead_text(ctx: Context) -> str:
    """The opening paragraph's year-to-date figures, written the way the city's reports
    write them (plain text; every figure formatted by :mod:`bulletin.format`). A county
    edition gives the county's figures, its light and its rank among the regions."""
    lang, c = ctx.lang, ctx.subject
    comma = label("p.comma", lang)
    sentences = []

    clauses = []
    if ctx.value(c, "activities") is not None:
        clauses.append(label("lead.activities", lang, activities=fmt.count(ctx.value(c, "activities"))))
    if ctx.value(c, "signed_projects") is not None or ctx.value(c, "signed_amount") is not None:
        clauses.append(
            label(
                "lead.signed",
                lang,
                projects=fmt.count(ctx.value(c, "signed_projects")),
                amount=fmt.money(ctx.value(c, "signed_amount"), lang),
            )
        )
        clauses.append(_completion_clause(ctx))
        if ctx.region:
            clauses.append(_light_rank_clause(ctx))
    if clauses:
        if ctx.region:
            prefix = label(
                "lead.prefix_region", lang, span=fmt.period_span(ctx.period, lang), region=ctx.name(ctx.region)
            )
        else:
            prefix = label("lead.prefix", lang, span=fmt.period_span(ctx.period, lang))
        sentences.append(sentence([prefix + comma.join(x for x in clauses if x)], lang))

    online = []
    if ctx.value(c, "online_leads") is not None:
        online.append(label("lead.online_leads", lang, leads=fmt.count(ctx.value(c, "online_leads"))))
    if ctx.value(c, "online_signed_projects") is not None or ctx.value(c, "online_signed_amount") is not None:
        online.append(
            label(
                "lead.online_signed",
                lang,
                projects=fmt.count(ctx.value(c, "online_signed_projects")),
                amount=fmt.money(ctx.value(c, "online_signed_amount"), lang),
            )
        )
    if online:
        sentences.append(sentence([label("lead.online_intro", lang) + comma.join(online)], lang))

    key = _key_projects_sentence(ctx)
    if key:
        sentences.append(key)
    return "".join(sentences).strip() or label("lead.no_data", lang)


def _trend_clause(ctx: Context, indicator: str, kind: str, earlier: str, with_growth: bool) -> str:
    """One change of the city's (a county edition: the county's) ``indicator`` against
    the snapshot ``earlier``, computed from the figures as shown; '' when either figure
    is missing."""
    lang = ctx.lang
    now, before = ctx.value(ctx.subject, indicator), ctx.value(ctx.subject, indicator, earlier)
    diff = fmt.change(kind, now, before, lang)
    if diff is None:
        return ""
    key = {
        "signed_projects": "signed_projects",
        "signed_amount": "signed_amount",
        "signed_amount_completion": "completion",
        "activities": "activities",
    }[indicator]
    if diff == 0:
        return label(f"trend.{key}_same", lang)
    verb = label(("trend.pp_" if kind == "pct" else "trend.") + ("up" if diff > 0 else "down"), lang)
    if kind == "money":
        text = label(f"trend.{key}", lang, verb=verb, amount=fmt.plain(diff, fmt.MONEY_PLACES[lang]))
    elif kind == "pct":
        text = label(f"trend.{key}", lang, verb=verb, points=fmt.plain(diff, 1))
    else:
        text = label(f"trend.{key}", lang, verb=verb, n=fmt.plain(diff, 0))
    if with_growth:
        rate = fmt.growth(fmt.shown(kind, now, lang), fmt.shown(kind, before, lang))
        if rate is not None:
            word = label("trend.grow" if diff > 0 else "trend.fall", lang, rate=rate)
            text += label("trend.growth", lang, change=word)
    return text


def trend_text(ctx: Context) -> str:
    """环比 (against last month's snapshot) and 同比 (against last year's same month)
    sentences; '' when history.csv holds neither snapshot."""
    lang = ctx.lang
    out = []
    prev = ctx.previous_period
    if prev:
        clauses = [
            _trend_clause(ctx, ind, kind, prev, False)
            for ind, kind in (
                ("signed_projects", "count"),
                ("signed_amount", "money"),
                ("signed_amount_completion", "pct"),
                ("activities", "count"),
            )
        ]
        clauses = [c for c in clauses if c]
        if clauses:
            head = label("trend.mom", lang, prev=fmt.period_span(prev, lang, title=True))
            out.append(sentence([head + label("p.comma", lang) + clauses[0], *clauses[1:]], lang))
    last = ctx.last_year_period
    if last:
        clauses = [
            _trend_clause(ctx, ind, kind, last, True)
            for ind, kind in (("signed_projects", "count"), ("signed_amount", "money"), ("activities", "count"))
        ]
        clauses = [c for c in clauses if c]
        if clauses:
            head = label("trend.yoy", lang)
            out.append(sentence([head + label("p.comma", lang) + clauses[0], *clauses[1:]], lang))
    return "".join(out).strip()


def lead(ctx: Context) -> str:
    """The opening paragraph as HTML: year-to-date figures, then 环比/同比."""
    text = lead_text(ctx)
    trend = trend_text(ctx)
    if trend:
        text += label("p.space", ctx.lang) + trend
    return f'<p class="lead">{html.escape(text)}</p>'


def overview(ctx: Context) -> str:
    """Section 一: the opening paragraph and the monthly cumulative chart."""
    return _section(
        label("sec.overview", ctx.lang), lead(ctx) + chart_html(model(ctx).charts.get("monthly")), "overview"
    )


# --------------------------------------------------------------------------- 二、各县区
def _lights(ctx: Context, light: str) -> list[str]:
    return [r for r in ctx.regions if fmt.light_key(ctx.value(r, "signed_light")) == light]


def _ranked(ctx: Context) -> list[str]:
    """Regions with a rank, best first (ties in registry order)."""
    have = [
        r
        for r in ctx.regions
        if ctx.num(r, "signed_completion_rank") is not None and ctx.num(r, "signed_amount_completion") is not None
    ]
    return sorted(have, key=lambda r: ctx.num(r, "signed_completion_rank"))


def _no_signings(ctx: Context) -> list[str]:
    return [r for r in ctx.regions if ctx.num(r, "signed_projects") == 0]


def signings_text(ctx: Context) -> str:
    """The sentences of section 二: leaders and laggards, the regions on each light,
    the regions without a signing and those without a target."""
    if ctx.region:
        return region_signings_text(ctx)
    lang = ctx.lang
    if not ctx.regions or all(ctx.value(r, "signed_amount") is None for r in ctx.regions):
        return sentence([label("sig.none", lang)], lang)
    out = []
    ranked = _ranked(ctx)
    if ranked:
        n_top = 3 if len(ranked) >= 6 else 1
        n_bottom = 2 if len(ranked) >= 6 else (1 if len(ranked) >= 2 else 0)
        clauses = [label("sig.top", lang, items=_completion_items(ctx, ranked[:n_top]))]
        if n_bottom:
            clauses.append(label("sig.bottom", lang, items=_completion_items(ctx, ranked[-n_bottom:])))
        out.append(sentence([label("sig.overall", lang) + clauses[0], *clauses[1:]], lang))
        lights = []
        for light in ("green", "yellow", "red"):
            rs = _lights(ctx, light)
            if rs:
                lights.append(
                    label(f"sig.{light}", lang, regions=join([ctx.name(r) for r in rs], lang), margin=ctx.margin_points)
                )
        out.append(sentence(lights, lang, sep="p.semi"))
    else:
        out.append(sentence([label("sig.no_targets", lang)], lang))
    none = _no_signings(ctx)
    if none:
        out.append(sentence([label("sig.no_signings", lang, regions=join([ctx.name(r) for r in none], lang))], lang))
    if ranked:
        missing = [r for r in ctx.regions if r not in ranked]
        if missing:
            out.append(
                sentence(
                    [label("sig.no_target_regions", lang, regions=join([ctx.name(r) for r in missing], lang))], lang
                )
            )
    return "".join(out).strip()


def signings_section(ctx: Context) -> str:
    """Section 二: leaders and laggards, the per-region table, the completion chart."""
    m = model(ctx)
    return _section(
        label("sec.signings_region" if ctx.region else "sec.signings", ctx.lang),
        _p(signings_text(ctx)) + table_html(m.tables["signings"]) + chart_html(m.charts.get("completion")),
        "signings-section",
    )


# --------------------------------------------------------------------------- 三、重点项目
def _extremes(ctx: Context, tier: str, what: str) -> tuple[list[str], list[str], str, str] | None:
    """Regions with the highest and the lowest shown ``tier`` rate (ties together)."""
    vals = {r: ctx.num(r, f"{tier}_{what}") for r in ctx.regions}
    vals = {r: Decimal(fmt.pct_number(v)) for r, v in vals.items() if v is not None}
    if len(vals) < 2:
        return None
    hi, lo = max(vals.values()), min(vals.values())
    if hi == lo:
        return None
    best = [r for r, v in vals.items() if v == hi]
    worst = [r for r, v in vals.items() if v == lo]
    return best, worst, f"{hi:f}%", f"{lo:f}%"


def _lowest(ctx: Context, tier: str, what: str) -> tuple[list[str], str] | None:
    vals = {r: ctx.num(r, f"{tier}_{what}") for r in ctx.regions}
    vals = {r: Decimal(fmt.pct_number(v)) for r, v in vals.items() if v is not None}
    if not vals:
        return None
    lo = min(vals.values())
    return [r for r, v in vals.items() if v == lo], f"{lo:f}%"


def tier_text(ctx: Context, tier: str, not_started_table: Table | None = None) -> str:
    """The paragraph of one tier in section 三."""
    if ctx.region:
        return region_tier_text(ctx, tier, not_started_table)
    lang, c = ctx.lang, CITY
    name = tier_name(tier, lang)
    n = ctx.num(c, f"{tier}_projects")
    if not n:
        return label("prj.none", lang, tier=name).strip()
    v = lambda ind: ctx.value(c, f"{tier}_{ind}")  # noqa: E731
    clauses = [
        label(
            "prj.count", lang, tier=name, n=fmt.count(n), started=fmt.count(v("started")), rate=fmt.pct(v("start_rate"))
        )
    ]
    clauses += _tier_clauses(ctx, c, tier, lambda what: fmt.pct(v(what)))
    out = [sentence(clauses, lang, sep="p.semi")]
    ranges = []
    for what in ("start_rate", "investment_rate", "in_statistics_rate"):
        ext = _extremes(ctx, tier, what)
        if ext:
            best, worst, hi, lo = ext
            ranges.append(
                label(
                    "prj.range",
                    lang,
                    what=label(f"what.{what}", lang),
                    best=label("p.item", lang, name=join([ctx.name(r) for r in best], lang), value=hi),
                    worst=label("p.item", lang, name=join([ctx.name(r) for r in worst], lang), value=lo),
                )
            )
    if ranges:
        ranges[0] = label("prj.by_region", lang) + ranges[0]
        out.append(sentence(ranges, lang, sep="p.semi"))
    out.append(_not_started_sentence(ctx, c, tier, n, not_started_table))
    return "".join(out).strip()


def _tier_clauses(ctx: Context, who: str, tier: str, rate) -> list[str]:
    """The investment and in-statistics clauses of a tier's paragraph (city or county);
    ``rate(what)`` is how a rate is written (the county's adds the city's and its rank)."""
    lang = ctx.lang
    v = lambda ind: ctx.value(who, f"{tier}_{ind}")  # noqa: E731
    clauses = []
    if v("investment_rate") is None:
        clauses.append(label("prj.no_plan", lang))
    else:
        clauses.append(
            label(
                "prj.investment",
                lang,
                planned=fmt.money(v("planned_investment"), lang),
                completed=fmt.money(v("completed_investment"), lang),
                rate=rate("investment_rate"),
            )
        )
    if not ctx.num(who, f"{tier}_started"):
        clauses.append(label("prj.no_started", lang))
    elif v("in_statistics_rate") is not None:
        clauses.append(
            label("prj.in_statistics", lang, n=fmt.count(v("in_statistics")), rate=rate("in_statistics_rate"))
        )
    return clauses


def _not_started_sentence(ctx: Context, who: str, tier: str, n, not_started_table: Table | None) -> str:
    """How many of a tier's projects have not started (see the table), or that all have."""
    not_started = len(not_started_table.rows) if not_started_table is not None else 0
    if not_started:
        return sentence([label("prj.not_started", ctx.lang, n=not_started, table=not_started_table.number)], ctx.lang)
    if ctx.num(who, f"{tier}_started") == n:
        return sentence([label("prj.all_started", ctx.lang)], ctx.lang)
    return ""


def projects_section(ctx: Context) -> str:
    """Section 三: per tier a paragraph, the per-region table and the projects not
    yet started (by name and region); then the start-rate chart."""
    lang = ctx.lang
    m = model(ctx)
    parts = [table_html(m.tables["region_projects"])] if "region_projects" in m.tables else []
    for i, tier in enumerate(TIERS, start=1):
        heading = label("sec.tier", lang, n=label(f"num.{i}", lang), tier=tier_name(tier, lang))
        if lang == "en":
            heading = heading[:4] + heading[4:5].upper() + heading[5:]
        ns = m.tables.get(f"not_started-{tier}")
        parts.append(f"<h3>{html.escape(heading)}</h3>" + _p(tier_text(ctx, tier, ns)))
        if f"projects-{tier}" in m.tables:
            parts.append(table_html(m.tables[f"projects-{tier}"]))
        if ns is not None:
            parts.append(table_html(ns))
    parts.append(chart_html(m.charts.get("start_rate")))
    return _section(label("sec.projects", lang), "".join(parts), "projects-section")


# --------------------------------------------------------------------------- 四、存在问题
def _tiers_with(ctx: Context, what: str) -> list[tuple[str, float]]:
    c = ctx.subject
    return [
        (t, ctx.num(c, f"{t}_{what}"))
        for t in TIERS
        if ctx.num(c, f"{t}_projects") and ctx.num(c, f"{t}_{what}") is not None
    ]


def _rates_clause(ctx: Context, what: str, tiers: list[tuple[str, float]]) -> str:
    lang = ctx.lang
    what_text = label(f"what.{what}", lang)
    if len(tiers) == 1:
        t, v = tiers[0]
        return label("prob.rate_one", lang, tier=tier_name(t, lang), what=what_text, rate=fmt.pct(v))
    names = label("prob.tiers", lang, names=join([tier_name(t, lang, short=True) for t, _ in tiers], lang))
    return label("prob.rates", lang, tiers=names, what=what_text, rates=join([fmt.pct(v) for _, v in tiers], lang))


def _lowest_regions_clause(ctx: Context, what: str, tiers: list[tuple[str, float]]) -> str:
    lang = ctx.lang
    items = []
    for t, _ in tiers:
        low = _lowest(ctx, t, what)
        if low and len(ctx.regions) > 1:
            regions, rate = low
            items.append(
                label(
                    "prob.lowest_item",
                    lang,
                    tier=tier_name(t, lang),
                    what=label(f"what.{what}", lang),
                    regions=join([ctx.name(r) for r in regions], lang),
                    rate=rate,
                )
            )
    return label("prob.lowest_regions", lang, items=label("p.comma", lang).join(items)) if items else ""


def _rate_problem(ctx: Context, what: str, title_key: str) -> tuple[str, str] | None:
    """开复工率/投资完成率/入统率偏低: the tiers' city rates, the lowest tier, the lowest
    region of each tier. Raised when a rate is below 100 % (investment: below time
    progress)."""
    lang = ctx.lang
    tiers = _tiers_with(ctx, what)
    if not tiers:
        return None
    progress = ctx.num(CITY, "time_progress") or ctx.month / 12
    shown = {t: Decimal(fmt.pct_number(v)) for t, v in tiers}
    limit = Decimal(fmt.pct_number(progress)) if what == "investment_rate" else Decimal(100)
    below = [t for t, _ in tiers if shown[t] < limit]
    if not below:
        return None
    clauses = [_rates_clause(ctx, what, tiers)]
    if what == "investment_rate":
        if len(below) == len(tiers) and len(tiers) > 1:
            clauses.append(label("prob.below_progress", lang, progress=fmt.pct(progress)))
        else:
            clauses.append(
                label(
                    "prob.some_below_progress",
                    lang,
                    tiers=join([tier_name(t, lang) for t in below], lang),
                    progress=fmt.pct(progress),
                )
            )
    if len(tiers) > 1:
        low = min(shown.values())
        lowest = [t for t, _ in tiers if shown[t] == low]
        if len(lowest) == 1:
            clauses.append(label("prob.lowest_tier", lang, tier=tier_name(lowest[0], lang)))
    body = sentence(clauses, lang)
    if ctx.region:
        return label(title_key, lang), body + _below_city_sentence(ctx, what, tiers)
    regions = _lowest_regions_clause(ctx, what, [(t, v) for t, v in tiers if t in below])
    if regions:
        body += sentence([regions], lang)
    return label(title_key, lang), body


def _lag_problem(ctx: Context) -> tuple[str, str] | None:
    if ctx.region:
        return _region_lag_problem(ctx)
    lang = ctx.lang
    progress = ctx.num(CITY, "time_progress") or ctx.month / 12
    clauses = []
    red, yellow = _lights(ctx, "red"), _lights(ctx, "yellow")
    if red:
        clauses.append(
            label(
                "prob.lag.red",
                lang,
                items=_completion_items(ctx, red),
                progress=fmt.pct(progress),
                margin=ctx.margin_points,
            )
        )
    if yellow:
        clauses.append(label("prob.lag.yellow", lang, items=_completion_items(ctx, yellow), margin=ctx.margin_points))
    none = _no_signings(ctx)
    if none:
        clauses.append(label("prob.lag.none_signed", lang, regions=join([ctx.name(r) for r in none], lang)))
    if not clauses:
        return None
    return label("prob.lag.title", lang), sentence(clauses, lang, sep="p.semi")


def _quality_problem(ctx: Context) -> tuple[str, str, bool] | None:
    """The data-quality state: rows read and rejected, regions with open findings.
    The third item says whether it is a problem (else it is stated as good)."""
    if ctx.region:
        return _region_quality_problem(ctx)
    lang = ctx.lang
    counts = _quality_counts(ctx)
    if counts is None:
        return None
    rows, rejected = int(counts["rows_read"].sum()), int(counts["rejected_rows"].sum())
    clauses = []
    if ctx.accounting is not None:
        clauses.append(label("prob.quality.rows", lang, rows=rows, rejected=rejected))
    open_items = []
    for rec in counts.to_dict("records"):
        parts = []
        if rec["errors"]:
            parts.append(label("prob.quality.errors", lang, n=rec["errors"]))
        if rec["warnings"]:
            parts.append(label("prob.quality.warnings", lang, n=rec["warnings"]))
        if parts:
            open_items.append(
                label(
                    "prob.quality.item", lang, region=ctx.name(rec["region"]), counts=label("p.list", lang).join(parts)
                )
            )
    if open_items:
        clauses.append(label("prob.quality.regions", lang, items=join(open_items, lang)))
    else:
        clauses.append(label("prob.quality.no_open", lang))
    bad = bool(open_items or rejected)
    title_key = "prob.quality.title" if bad else "prob.quality.clean"
    return label(title_key, lang), sentence(clauses, lang, sep="p.semi"), bad


def problems_items(ctx: Context) -> list[tuple[str, str]]:
    """The numbered problems of section 四 as (heading, text), in order: signing
    lag, start rates, investment completion, in-statistics rates, data quality."""
    items = []
    for item in (
        _lag_problem(ctx),
        _rate_problem(ctx, "start_rate", "prob.start.title"),
        _rate_problem(ctx, "investment_rate", "prob.invest.title"),
        _rate_problem(ctx, "in_statistics_rate", "prob.stat.title"),
    ):
        if item:
            items.append(item)
    q = _quality_problem(ctx)
    if q and q[2]:
        items.append(q[:2])
    return items


def problems_text(ctx: Context) -> list[str]:
    """Section 四 as plain paragraphs (一是…。二是…。), the quality state last."""
    lang = ctx.lang
    out = []
    for i, (head, body) in enumerate(problems_items(ctx), start=1):
        ordinal = label("prob.ordinal", lang, n=label(f"num.{i}", lang))
        out.append((ordinal + sentence([head], lang) + body).strip())
    q = _quality_problem(ctx)
    if q and not q[2]:
        out.append((sentence([q[0]], lang) + q[1]).strip())
    if not out:
        out.append(label("prob.none", lang).strip())
    return out


def problems(ctx: Context) -> str:
    """Section 四 (存在问题), generated from the data, with the data-quality table."""
    lang = ctx.lang
    paras = []
    for i, (head, body) in enumerate(problems_items(ctx), start=1):
        ordinal = label("prob.ordinal", lang, n=label(f"num.{i}", lang))
        paras.append(
            f'<p class="problem"><strong>{html.escape(ordinal + sentence([head], lang))}'
            f"</strong>{html.escape(body.strip())}</p>"
        )
    q = _quality_problem(ctx)
    if q and not q[2]:
        paras.append(
            f'<p class="problem"><strong>{html.escape(sentence([q[0]], lang))}</strong>{html.escape(q[1].strip())}</p>'
        )
    if not paras:
        paras.append(_p(label("prob.none", lang)))
    table = model(ctx).tables.get("quality_rows" if ctx.region else "quality")
    return _section(
        label("sec.problems", lang), "".join(paras) + (table_html(table) if table else ""), "problems-section"
    )


# --------------------------------------------------------------------------- appendix, footer
def appendix(ctx: Context) -> str:
    """附表: the largest out-of-province signings of the period."""
    table = model(ctx).tables.get("top_signings")
    inner = table_html(table) if table else _p(label("list.empty", ctx.lang), "empty")
    return _section(label("sec.appendix", ctx.lang), inner, "appendix-section")


def _sum(df: pd.DataFrame, col: str) -> int:
    return int(pd.to_numeric(df[col], errors="coerce").fillna(0).sum()) if col in df else 0


def footer(ctx: Context) -> str:
    """数据来源与说明: notes, row accounting, quality counts, input files with their
    SHA-256, the code version and the run time (from manifest.json)."""
    lang = ctx.lang
    parts = [_p(label("src.notes", lang, margin=ctx.margin_points), "notes")]
    # a county edition: the county's own sheets and findings, said so
    pre, where = "src.", {}
    if ctx.region:
        pre, where = "rsrc.", {"region": ctx.name(ctx.region)}
        parts.append(_p(label("rsrc.edition", lang, city=place(ctx.city, lang), **where)))
    acc = _own_rows(ctx, ctx.accounting)
    if acc is not None and not acc.empty:
        parts.append(
            _p(
                label(
                    pre + "accounting",
                    lang,
                    sheets=len(acc),
                    rows=_sum(acc, "rows_read"),
                    records=_sum(acc, "records"),
                    other=_sum(acc, "total_note_rows"),
                    rejected=_sum(acc, "rejected_rows"),
                    **where,
                )
            )
        )
    q = _own_rows(ctx, ctx.quality)
    if q is not None:
        sev = q["severity"].str.strip().str.lower() if "severity" in q else pd.Series([])
        errors, warnings = int((sev == "error").sum()), int((sev == "warning").sum())
        parts.append(
            _p(
                label(pre + "quality", lang, errors=errors, warnings=warnings, **where)
                if errors or warnings
                else label(pre + "quality_clean", lang, **where)
            )
        )
    if lang != "zh":
        parts.append(_p(label("src.ledger_text", lang)))
    man = ctx.manifest
    if man is None:
        parts.append(_p(label("src.no_manifest", lang), "provenance"))
    else:
        table = model(ctx).tables.get("inputs")
        if table is not None:
            parts.append(table_html(table))
        prov = [
            label("src.code_version", lang, version=str(man.get("code_version") or fmt.DASH)),
            label("src.run_time", lang, time=fmt.datetime_text(man.get("run_time"))),
        ]
        parts.append('<p class="provenance">' + "　".join(html.escape(p) for p in prov) + "</p>")
    parts.append(_p(label("src.generated", lang), "provenance"))
    return f'<footer class="sources"><h2>{html.escape(label("sec.sources", lang))}</h2>' + "".join(parts) + "</footer>"


# --------------------------------------------------------------------------- county edition
# ``load_context(..., region="宝清县")``: the same sections about one county. Its own
# figures lead; the city's figures and the other regions are the context (its row is
# highlighted in the city's signings table, its rank is said in words).
def _without_column(cols: list[Column], rows: list[list], index: int) -> tuple[list[Column], list[list]]:
    return (
        [c for i, c in enumerate(cols) if i != index],
        [[v for i, v in enumerate(row) if i != index] for row in rows],
    )


def _own_rows(ctx: Context, df: pd.DataFrame | None) -> pd.DataFrame | None:
    """A county edition's rows of a record table (accounting, quality); the table itself
    for the city's bulletin."""
    if df is None or not ctx.region:
        return df
    if "region" not in df.columns:
        return df.iloc[0:0]
    return df[df["region"].map(_region_key) == ctx.region]


def _rank_among(ctx: Context, indicator: str) -> tuple[int, int] | None:
    """(rank, out of) of the county by a rate as shown (highest first; ties share a rank)
    among the regions that have the rate; None when the county has none."""
    vals = {r: ctx.num(r, indicator) for r in ctx.regions}
    vals = {r: Decimal(fmt.pct_number(v)) for r, v in vals.items() if v is not None}
    if ctx.region not in vals:
        return None
    mine = vals[ctx.region]
    return 1 + sum(1 for v in vals.values() if v > mine), len(vals)


def _signed_rank(ctx: Context) -> tuple[int, int] | None:
    """The county's rank by completion of its signing target (indicators.csv), of how many."""
    rank = ctx.num(ctx.region, "signed_completion_rank")
    ranked = _ranked(ctx)
    if rank is None or ctx.region not in ranked:
        return None
    return int(rank), len(ranked)


def _light_rank_clause(ctx: Context) -> str:
    """亮绿灯，在全市8个县区中排第2位 ('' without target)."""
    lang = ctx.lang
    parts = []
    key = fmt.light_key(ctx.value(ctx.region, "signed_light"))
    if key:
        parts.append(label("lead.light", lang, light=fmt.light_word(key, lang)))
    rank = _signed_rank(ctx)
    if rank:
        parts.append(label("lead.rank", lang, rank=rank[0], n=rank[1]))
    return label("p.comma", lang).join(parts)


def _build_region_model(ctx: Context) -> Model:
    """The county edition's tables and charts, in its document order."""
    m, num = Model(), _Numbers(ctx.lang)
    chart = _monthly_chart(ctx, num)
    if chart:
        m.charts[chart.key] = chart
    t = _signings_table(ctx, num)
    t.highlight = [i for i, r in enumerate(ctx.rows) if r == ctx.region]
    m.add(t)
    m.charts["completion"] = _completion_chart(ctx, num)
    tiers = [tier for tier in TIERS if ctx.num(CITY, f"{tier}_projects")]
    if tiers:
        m.add(_region_projects_table(ctx, tiers, num))
    for tier in tiers:
        m.add(_not_started_table(ctx, tier, num))
    if any(f"{t}_start_rate" in ctx.table.columns for t in TIERS):
        m.charts["start_rate"] = _start_rate_chart(ctx, num, [CITY, ctx.region])
    m.add(_quality_rows_table(ctx, num))
    m.add(_top_signings_table(ctx, num))
    m.add(_inputs_table(ctx, num))
    return m


def _region_projects_table(ctx: Context, tiers: list[str], num: _Numbers) -> Table:
    """The county's key projects, one row per tier (the city's tiers)."""
    lang, r = ctx.lang, ctx.region
    cols = [Column(label("col.tier", lang), "text"), *_tier_columns(lang)]
    rows = [[tier_name(tier, lang), *_tier_values(ctx, r, tier)] for tier in tiers]
    return Table(
        "region_projects",
        num.next("table"),
        label("cap.region_projects", lang, region=ctx.name(r)),
        label("sheet.region_projects", lang),
        cols,
        rows,
        lang,
        cls="regions",
    )


_SEVERITY_ORDER = {"error": 0, "warning": 1}


def _quality_rows_table(ctx: Context, num: _Numbers) -> Table | None:
    """The county's findings, errors first: the rows to correct, with file, sheet and
    Excel row (ledger text, shown as reported)."""
    lang = ctx.lang
    q = _own_rows(ctx, ctx.quality)
    if q is None or q.empty or "severity" not in q.columns:
        return None
    q = q.copy()
    q["_sev"] = q["severity"].astype(str).str.strip().str.lower()
    q = q[q["_sev"].isin(list(_SEVERITY_ORDER))]
    if q.empty:
        return None
    q = q.sort_values("_sev", key=lambda s: s.map(_SEVERITY_ORDER), kind="stable")
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
    rows = [
        [
            i,
            label(f"sev.{rec['_sev']}", lang),
            rec.get("source_file"),
            rec.get("source_sheet"),
            rec.get("source_row"),
            rec.get("field"),
            rec.get("value"),
            rec.get("message"),
        ]
        for i, rec in enumerate(q.to_dict("records"), start=1)
    ]
    return Table(
        "quality_rows",
        num.next("table"),
        label("cap.quality_rows", lang, region=ctx.name(ctx.region)),
        label("sheet.quality_rows", lang),
        cols,
        rows,
        lang,
        cls="list",
    )


def region_signings_text(ctx: Context) -> str:
    """Section 二 of a county edition: the county's signings, its share of the city's,
    its completion, rank and light; then the city's completion and leaders."""
    lang, r = ctx.lang, ctx.region
    name = ctx.name(r)
    comma = label("p.comma", lang)
    if ctx.value(r, "signed_amount") is None and ctx.value(r, "signed_projects") is None:
        return sentence([label("rsig.none", lang, region=name)], lang)
    out = []
    if ctx.num(r, "signed_projects") == 0:
        first = label("rsig.no_signings", lang, region=name)
    else:
        first = label(
            "rsig.signed",
            lang,
            region=name,
            projects=fmt.count(ctx.value(r, "signed_projects")),
            amount=fmt.money(ctx.value(r, "signed_amount"), lang),
        )
        city_amount, amount = ctx.num(CITY, "signed_amount"), ctx.num(r, "signed_amount")
        if city_amount and amount is not None:
            first += comma + label("rsig.share", lang, share=fmt.pct(amount / city_amount))
    clauses = [first]
    rank = _signed_rank(ctx)
    completion = ctx.value(r, "signed_amount_completion")
    if completion is None or not ctx.num(r, "signed_amount_target"):
        clauses.append(label("rsig.no_target", lang))
    else:
        clause = label("rsig.completion", lang, completion=fmt.pct(completion))
        if rank:
            clause += comma + label("lead.rank", lang, rank=rank[0], n=rank[1])
        key = fmt.light_key(ctx.value(r, "signed_light"))
        if key:
            clause += comma + label("lead.light", lang, light=fmt.light_word(key, lang))
        clauses.append(clause)
    out.append(sentence(clauses, lang, sep="p.semi"))
    city = ctx.value(CITY, "signed_amount_completion")
    if city is not None and ctx.num(CITY, "signed_amount_target"):
        progress = ctx.num(CITY, "time_progress") or ctx.month / 12
        context = [label("rsig.city", lang, completion=fmt.pct(city), progress=fmt.pct(progress))]
        ranked = _ranked(ctx)
        if len(ranked) >= 2:
            top = ranked[: 3 if len(ranked) >= 6 else 1]
            context.append(
                label(
                    "sig.top",
                    lang,
                    items=join([_pct_item(ctx, x, ctx.value(x, "signed_amount_completion")) for x in top], lang),
                )
            )
        out.append(sentence(context, lang))
    return "".join(out).strip()


def _compared(ctx: Context, tier: str, what: str) -> str:
    """A county's rate with the city's and its rank: 75.0%（全市78.7%，居8个县区第3位）."""
    lang = ctx.lang
    mine = ctx.value(ctx.region, f"{tier}_{what}")
    text = fmt.pct(mine)
    city = ctx.value(CITY, f"{tier}_{what}")
    if mine is None or city is None:
        return text
    rank = _rank_among(ctx, f"{tier}_{what}")
    if rank and rank[1] > 1:
        return text + label("rprj.compare_rank", lang, city=fmt.pct(city), rank=rank[0], n=rank[1])
    return text + label("rprj.compare", lang, city=fmt.pct(city))


def region_tier_text(ctx: Context, tier: str, not_started_table: Table | None = None) -> str:
    """The paragraph of one tier in section 三 of a county edition: the county's
    projects, start, investment and in-statistics rates against the city's, with ranks."""
    lang, r = ctx.lang, ctx.region
    name, region = tier_name(tier, lang), ctx.name(r)
    n = ctx.num(r, f"{tier}_projects")
    if not n:
        return label("rprj.none", lang, tier=name, region=region).strip()
    v = lambda ind: ctx.value(r, f"{tier}_{ind}")  # noqa: E731
    clauses = [
        label(
            "rprj.count",
            lang,
            region=region,
            tier=name,
            n=fmt.count(n),
            started=fmt.count(v("started")),
            rate=_compared(ctx, tier, "start_rate"),
        )
    ]
    clauses += _tier_clauses(ctx, r, tier, lambda what: _compared(ctx, tier, what))
    out = [sentence(clauses, lang, sep="p.semi"), _not_started_sentence(ctx, r, tier, n, not_started_table)]
    return "".join(out).strip()


def _below_city_sentence(ctx: Context, what: str, tiers: list[tuple[str, float]]) -> str:
    """The county's tiers whose rate (as shown) is below the city's."""
    lang = ctx.lang
    items = []
    for t, v in tiers:
        city = ctx.num(CITY, f"{t}_{what}")
        if city is not None and Decimal(fmt.pct_number(v)) < Decimal(fmt.pct_number(city)):
            items.append(
                label(
                    "p.item", lang, name=tier_name(t, lang), value=label("rprob.city_value", lang, rate=fmt.pct(city))
                )
            )
    return sentence([label("rprob.below_city", lang, items=join(items, lang))], lang) if items else ""


def _region_lag_problem(ctx: Context) -> tuple[str, str] | None:
    """签约进度滞后: the county's light is yellow or red, or it has no signing yet."""
    lang, r = ctx.lang, ctx.region
    if ctx.num(r, "signed_projects") == 0:
        return label("rprob.lag.title", lang), sentence([label("rprob.lag.none", lang)], lang)
    key = fmt.light_key(ctx.value(r, "signed_light"))
    completion = ctx.value(r, "signed_amount_completion")
    if key not in ("yellow", "red") or completion is None:
        return None
    progress = ctx.num(CITY, "time_progress") or ctx.month / 12
    gap = Decimal(fmt.pct_number(progress)) - Decimal(fmt.pct_number(completion))
    clauses = [
        label(
            "rprob.lag",
            lang,
            completion=fmt.pct(completion),
            progress=fmt.pct(progress),
            gap=f"{gap:f}",
            light=fmt.light_word(key, lang),
        )
    ]
    rank = _signed_rank(ctx)
    if rank:
        clauses.append(label("lead.rank", lang, rank=rank[0], n=rank[1]))
    return label("rprob.lag.title", lang), sentence(clauses, lang)


def _region_quality_problem(ctx: Context) -> tuple[str, str, bool] | None:
    """The county's data quality: its rows read and rejected, its open findings and
    where they are listed."""
    lang = ctx.lang
    counts = _quality_counts(ctx)
    if counts is None:
        return None
    mine = counts[counts["region"] == ctx.region]
    rec = (
        mine.iloc[0].to_dict()
        if not mine.empty
        else {"rows_read": 0, "records": 0, "rejected_rows": 0, "errors": 0, "warnings": 0}
    )
    rows, rejected = int(rec["rows_read"]), int(rec["rejected_rows"])
    clauses = []
    if ctx.accounting is not None:
        clauses.append(label("prob.quality.rows", lang, rows=rows, rejected=rejected))
    parts = []
    if rec["errors"]:
        parts.append(label("prob.quality.errors", lang, n=int(rec["errors"])))
    if rec["warnings"]:
        parts.append(label("prob.quality.warnings", lang, n=int(rec["warnings"])))
    table = model(ctx).tables.get("quality_rows")
    if parts:
        counts_text = label("p.list", lang).join(parts)
        clauses.append(
            label("rprob.quality.open", lang, counts=counts_text, table=table.number)
            if table is not None
            else counts_text
        )
    else:
        clauses.append(label("rprob.quality.no_open", lang))
    bad = bool(parts or rejected)
    title_key = "prob.quality.title" if bad else "prob.quality.clean"
    return label(title_key, lang), sentence(clauses, lang, sep="p.semi"), bad


# --------------------------------------------------------------------------- whole
SECTIONS = ("title", "overview", "signings_section", "projects_section", "problems", "appendix", "footer")


def bulletin_html(ctx: Context) -> str:
    """All sections in order (what the notebook displays, cell by cell)."""
    return "\n".join(globals()[name](ctx) for name in SECTIONS)


def plain_text(ctx: Context) -> str:
    """The bulletin's sentences as plain text (for checks and quick reading)."""
    parts = [title_text(ctx), lead_text(ctx), trend_text(ctx), signings_text(ctx)]
    m = model(ctx)
    parts += [tier_text(ctx, t, m.tables.get(f"not_started-{t}")) for t in TIERS]
    parts += problems_text(ctx)
    return "\n".join(p for p in parts if p)
