"""The bulletin (通报) as HTML fragments, built from one processed folder.

Usage (this is all the bulletin notebook does)::

    ctx = load_context("2020-06", processed_dir)
    display(HTML(title(ctx)))
    display(HTML(overview(ctx)))
    ...

Every function below returns a self-contained HTML fragment (no scripts, no external
resources, no styles beyond class names that the publish template's CSS knows).
Numbers go through :mod:`bulletin.format`, words through :mod:`bulletin.labels`, and
every text that comes from a ledger (project names, investors, file names …) goes
through :func:`html.escape` — ledger text is data, never markup.
"""
from __future__ import annotations

import calendar
import html
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from bulletin import charts, paths
from bulletin.config import load_config
from bulletin import format as fmt
from bulletin.labels import DEFAULT_LANG, TIERS, label, tier_name
from bulletin.store import indicator_table, read_indicators, read_table

log = logging.getLogger(__name__)

WHOLE_CITY = "全市"  # the region value of the city row in indicators.csv
TOP_SIGNINGS = 10
DEFAULT_YELLOW_MARGIN = 0.10  # SPEC §4; the configured value wins


# --------------------------------------------------------------------------- context
@dataclass
class Context:
    """Everything the bulletin shows for one period, read once."""

    period: str
    city: str
    folder: Path
    table: pd.DataFrame                     # wide indicators, index = region, 全市 first
    regions: list[str]                      # region rows (without 全市), file order
    signings: pd.DataFrame | None = None
    projects: pd.DataFrame | None = None
    quality: pd.DataFrame | None = None
    accounting: pd.DataFrame | None = None
    manifest: dict | None = None
    lang: str = DEFAULT_LANG
    yellow_margin: float = DEFAULT_YELLOW_MARGIN  # lights: yellow within this of time progress
    notes: list[str] = field(default_factory=list)  # problems met while loading

    @property
    def margin_points(self) -> str:
        """The yellow margin in percentage points as a reader writes it ("10", "7.5").

        >>> Context("2020-06", "", Path("."), pd.DataFrame(), []).margin_points
        '10'
        """
        text = fmt.number(Decimal(str(self.yellow_margin)) * 100, 1)
        return text[:-2] if text.endswith(".0") else text

    def value(self, region: str, indicator: str):
        """A number (float), a light word, or None when missing/undefined."""
        if indicator not in self.table.columns or region not in self.table.index:
            return None
        v = self.table.at[region, indicator]
        return None if fmt.is_missing(v) else v

    def num(self, region: str, indicator: str) -> float | None:
        v = self.value(region, indicator)
        dec = fmt.to_decimal(v)
        return None if dec is None else float(dec)

    @property
    def rows(self) -> list[str]:
        """Table rows: 全市 first (when present), then the regions."""
        return ([WHOLE_CITY] if WHOLE_CITY in self.table.index else []) + self.regions

    @property
    def year(self) -> int:
        return fmt.parse_period(self.period)[0]

    @property
    def month(self) -> int:
        return fmt.parse_period(self.period)[1]

    @property
    def period_end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def _settings(config_dir: str | None) -> tuple[str, float]:
    """The city's name and the yellow-light margin from the configuration."""
    cfg = load_config(config_dir or None)
    margin = cfg.rules.get("lights", {}).get("yellow_margin", DEFAULT_YELLOW_MARGIN)
    return cfg.city, float(margin)


def _optional_table(path: Path, notes: list[str]) -> pd.DataFrame | None:
    if not path.exists():
        notes.append(f"missing {path.name}")
        return None
    try:
        return read_table(path)
    except Exception as exc:  # a broken optional table must not stop the bulletin
        log.warning("cannot read %s: %s", path, exc)
        notes.append(f"unreadable {path.name}: {exc}")
        return None


def load_context(period: str, processed_dir: str | Path | None = None,
                 city: str | None = None, lang: str = DEFAULT_LANG,
                 config_dir: str | Path | None = None) -> Context:
    """Read ``<processed_dir>/<period>/`` (indicators.csv is required; record tables,
    quality.csv, accounting.csv and manifest.json are optional) into a :class:`Context`.

    ``processed_dir`` empty or None means the repository's ``data/processed``.
    The city's name and the light margin come from the configuration: ``config_dir``
    when given, else the ``config_dir`` recorded in manifest.json's parameters, else
    the packaged defaults.
    """
    fmt.parse_period(period)
    base = Path(processed_dir) if processed_dir not in (None, "") else paths.PROCESSED_DIR
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
    ctx = Context(
        period=period,
        city=city if city is not None else cfg_city,
        yellow_margin=margin,
        folder=folder,
        table=table,
        regions=[r for r in table.index if r != WHOLE_CITY],
        signings=_optional_table(folder / "signings.csv", notes),
        projects=_optional_table(folder / "projects.csv", notes),
        quality=_optional_table(folder / "quality.csv", notes),
        accounting=_optional_table(folder / "accounting.csv", notes),
        manifest=manifest,
        lang=lang,
        notes=notes,
    )
    log.info("bulletin context %s: %d regions, %d indicators from %s", period,
             len(ctx.regions), table.shape[1], folder)
    return ctx


# --------------------------------------------------------------------------- helpers
def esc(value) -> str:
    """Ledger text → safe HTML text (missing → —). A formula guard apostrophe that
    the CSV writer put in front of ``= + - @`` is taken off again for display.

    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> esc("'=SUM(A1)"), esc(None)
    ('=SUM(A1)', '—')
    """
    if fmt.is_missing(value):
        return fmt.DASH
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return html.escape(text, quote=True)


def _cell(content: str, cls: str = "", tag: str = "td", attrs: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<{tag}{c}{attrs}>{content}</{tag}>"


def _table(headers: list[tuple[str, str]], rows: list[list[str]], caption: str = "",
           row_classes: list[str] | None = None, cls: str = "") -> str:
    """headers: (escaped text, class); rows: lists of already-built ``<td>`` cells."""
    head = "".join(_cell(text, c, "th", ' scope="col"') for text, c in headers)
    body = []
    for i, cells in enumerate(rows):
        rc = row_classes[i] if row_classes else ""
        tr = f'<tr class="{rc}">' if rc else "<tr>"
        body.append(tr + "".join(cells) + "</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    klass = f' class="{cls}"' if cls else ""
    wrap = f"table-scroll table-{cls}" if cls else "table-scroll"
    return (f'<div class="{wrap}"><table{klass}>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _light_html(light, lang: str) -> str:
    word = fmt.light_word(light, lang)
    if word == fmt.DASH:
        return fmt.DASH
    key = str(light).strip().lower()
    return (f'<span class="light light-{key}"><span class="light-mark" aria-hidden="true">'
            f"</span>{word}</span>")


def _section(heading: str, inner: str, cls: str) -> str:
    return f'<section class="{cls}"><h2>{heading}</h2>{inner}</section>'


def _num(text: str) -> str:
    return _cell(text, "num")


def _region_cell(region: str) -> str:
    return _cell(esc(region), "region", "th", ' scope="row"')


# --------------------------------------------------------------------------- title
def title_text(ctx: Context) -> str:
    """The bulletin's title as plain text, e.g. 双鸭山市2020年上半年招商引资和项目建设情况通报."""
    return label("doc.title", ctx.lang, city=ctx.city,
                 period=fmt.period_label(ctx.period, ctx.lang))


def title(ctx: Context) -> str:
    """The bulletin's heading and the statistics period below it."""
    start = fmt.date_text(date(ctx.year, 1, 1), ctx.lang)
    end = fmt.date_text(ctx.period_end, ctx.lang)
    subtitle = label("doc.subtitle", ctx.lang, start=start, end=end)
    return (f'<header class="bulletin-header"><h1 class="bulletin-title">'
            f"{html.escape(title_text(ctx))}</h1>"
            f'<p class="subtitle">{html.escape(subtitle)}</p></header>')


# --------------------------------------------------------------------------- lead
def _completion_clause(ctx: Context) -> str:
    lang = ctx.lang
    completion = ctx.num(WHOLE_CITY, "signed_amount_completion")
    target = ctx.num(WHOLE_CITY, "signed_amount_target")
    if completion is None or not target:
        return label("lead.no_target", lang)
    progress = ctx.num(WHOLE_CITY, "time_progress")
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
    return label("lead.completion_behind", lang, completion=done, progress=prog,
                 gap=f"{prog_d - done_d:f}")


def _tier_clause(ctx: Context, tier: str) -> str:
    lang = ctx.lang
    name = tier_name(tier, lang)
    n = ctx.num(WHOLE_CITY, f"{tier}_projects")
    if not n:
        return label("lead.tier_no_projects", lang, tier=name)
    out = label("lead.tier_start", lang, tier=name,
                rate=fmt.pct(ctx.num(WHOLE_CITY, f"{tier}_start_rate")))
    inv = ctx.num(WHOLE_CITY, f"{tier}_investment_rate")
    if inv is None:
        return out + "，" + label("lead.tier_no_plan", lang)
    return out + "，" + label("lead.tier_invest", lang, rate=fmt.pct(inv))


def _key_projects_sentence(ctx: Context) -> str:
    lang = ctx.lang
    c = WHOLE_CITY
    pair = ("provincial_key", "municipal_key")
    if not any(f"{t}_projects" in ctx.table.columns for t in TIERS):
        return ""
    complete = all(ctx.num(c, f"{t}_projects") and ctx.num(c, f"{t}_start_rate") is not None
                   for t in pair)
    parts = []
    if complete:
        s = label("lead.key_pair_start", lang,
                  p=fmt.pct(ctx.num(c, "provincial_key_start_rate")),
                  m=fmt.pct(ctx.num(c, "municipal_key_start_rate")))
        inv = [ctx.num(c, f"{t}_investment_rate") for t in pair]
        if all(v is not None for v in inv):
            s += "，" + label("lead.key_pair_invest", lang, p=fmt.pct(inv[0]), m=fmt.pct(inv[1]))
        else:
            for t, v in zip(pair, inv):
                if v is None:
                    s += "，" + tier_name(t, lang) + label("lead.tier_no_plan", lang)
                else:
                    s += "，" + tier_name(t, lang) + label("lead.tier_invest", lang,
                                                           rate=fmt.pct(v))
        parts.append(s)
    else:
        parts.extend(_tier_clause(ctx, t) for t in pair)
    parts.append(_tier_clause(ctx, "industrial"))
    return "；".join(parts) + "。"


def lead_text(ctx: Context) -> str:
    """The opening paragraph, written the way the city's reports write it (plain
    text; every figure formatted by :mod:`bulletin.format`)."""
    lang, c = ctx.lang, WHOLE_CITY
    sentences = []

    clauses = []
    if ctx.value(c, "activities") is not None:
        clauses.append(label("lead.activities", lang,
                             activities=fmt.count(ctx.value(c, "activities"))))
    if ctx.value(c, "signed_projects") is not None or ctx.value(c, "signed_amount") is not None:
        clauses.append(label("lead.signed", lang,
                             projects=fmt.count(ctx.value(c, "signed_projects")),
                             amount=fmt.yi(ctx.value(c, "signed_amount"))))
        clauses.append(_completion_clause(ctx))
    if clauses:
        sentences.append(label("lead.prefix", lang, span=fmt.period_span(ctx.period, lang))
                         + "，".join(clauses) + "。")

    online = []
    if ctx.value(c, "online_leads") is not None:
        online.append(label("lead.online_leads", lang,
                            leads=fmt.count(ctx.value(c, "online_leads"))))
    if ctx.value(c, "online_signed_projects") is not None \
            or ctx.value(c, "online_signed_amount") is not None:
        online.append(label("lead.online_signed", lang,
                            projects=fmt.count(ctx.value(c, "online_signed_projects")),
                            amount=fmt.yi(ctx.value(c, "online_signed_amount"))))
    if online:
        sentences.append(label("lead.online_intro", lang) + "，".join(online) + "。")

    key = _key_projects_sentence(ctx)
    if key:
        sentences.append(key)
    return "".join(sentences) or label("lead.no_data", lang)


def lead(ctx: Context) -> str:
    """The opening paragraph as HTML."""
    return f'<p class="lead">{html.escape(lead_text(ctx))}</p>'


def overview(ctx: Context) -> str:
    """Section 一: the opening paragraph under its heading."""
    return _section(label("sec.overview", ctx.lang), lead(ctx), "overview")


# --------------------------------------------------------------------------- signings
def signings_table(ctx: Context) -> str:
    """表1: signings, target, completion, light and rank per region; 全市 first."""
    lang = ctx.lang
    headers = [(label("col.region", lang), "region"),
               (label("col.signed_projects", lang), "num"),
               (label("col.signed_amount", lang), "num"),
               (label("col.target", lang), "num"),
               (label("col.completion", lang), "num"),
               (label("col.light", lang), "light-col"),
               (label("col.rank", lang), "num")]
    rows, classes = [], []
    for r in ctx.rows:
        rows.append([
            _region_cell(r),
            _num(fmt.count(ctx.value(r, "signed_projects"))),
            _num(fmt.yi(ctx.value(r, "signed_amount"))),
            _num(fmt.yi(ctx.value(r, "signed_amount_target"))),
            _num(fmt.pct(ctx.value(r, "signed_amount_completion"))),
            _cell(_light_html(ctx.value(r, "signed_light"), lang), "light-col"),
            _num(fmt.count(ctx.value(r, "signed_completion_rank"))),
        ])
        classes.append("total" if r == WHOLE_CITY else "")
    return _table(headers, rows, html.escape(label("cap.signings", lang)), classes,
                  "signings")


def completion_chart(ctx: Context) -> str:
    """图1 as an HTML figure with inline SVG."""
    cap = label("fig.completion", ctx.lang)
    rows = ctx.rows
    svg = charts.completion_chart(
        rows,
        [ctx.value(r, "signed_amount_completion") for r in rows],
        [ctx.value(r, "signed_light") for r in rows],
        ctx.value(WHOLE_CITY, "time_progress"),
        lang=ctx.lang, title=cap)
    return f'<figure class="chart">{svg}<figcaption>{html.escape(cap)}</figcaption></figure>'


def signings_section(ctx: Context) -> str:
    """Section 二: 表1 and 图1."""
    return _section(label("sec.signings", ctx.lang),
                    signings_table(ctx) + completion_chart(ctx), "signings-section")


# --------------------------------------------------------------------------- projects
def projects_table(ctx: Context, tier: str, number: int | None = None) -> str:
    """One key-project tier per region: counts, start rate, investment, 入统率."""
    lang = ctx.lang
    n = number if number is not None else 2 + list(TIERS).index(tier)
    headers = [(label("col.region", lang), "region"),
               (label("col.projects", lang), "num"),
               (label("col.started", lang), "num"),
               (label("col.start_rate", lang), "num"),
               (label("col.planned", lang), "num"),
               (label("col.completed", lang), "num"),
               (label("col.investment_rate", lang), "num"),
               (label("col.in_statistics_rate", lang), "num")]
    rows, classes = [], []
    for r in ctx.rows:
        v = lambda ind: ctx.value(r, f"{tier}_{ind}")  # noqa: E731
        rows.append([
            _region_cell(r),
            _num(fmt.count(v("projects"))),
            _num(fmt.count(v("started"))),
            _num(fmt.pct(v("start_rate"))),
            _num(fmt.yi(v("planned_investment"))),
            _num(fmt.yi(v("completed_investment"))),
            _num(fmt.pct(v("investment_rate"))),
            _num(fmt.pct(v("in_statistics_rate"))),
        ])
        classes.append("total" if r == WHOLE_CITY else "")
    cap = label("cap.projects", lang, n=n, tier=tier_name(tier, lang))
    return _table(headers, rows, html.escape(cap), classes, "projects")


def start_rate_chart(ctx: Context) -> str:
    """图2 as an HTML figure with inline SVG."""
    cap = label("fig.start_rate", ctx.lang)
    rows = ctx.rows
    svg = charts.start_rate_chart(
        rows, {t: [ctx.value(r, f"{t}_start_rate") for r in rows] for t in TIERS},
        lang=ctx.lang, title=cap)
    return f'<figure class="chart">{svg}<figcaption>{html.escape(cap)}</figcaption></figure>'


def projects_section(ctx: Context) -> str:
    """Section 三: one table per tier, then 图2."""
    tables = "".join(projects_table(ctx, t, i + 2) for i, t in enumerate(TIERS))
    return _section(label("sec.projects", ctx.lang), tables + start_rate_chart(ctx),
                    "projects-section")


# --------------------------------------------------------------------------- attention
def _join_regions(names: list[str]) -> str:
    return "、".join(esc(n) for n in names)


def attention(ctx: Context) -> str:
    """Section 四: the regions behind schedule, and below the city's rates."""
    lang, c = ctx.lang, WHOLE_CITY
    items = []
    for light, key in (("red", "att.red"), ("yellow", "att.yellow")):
        names = [r for r in ctx.regions
                 if str(ctx.value(r, "signed_light") or "").lower() == light]
        if names:
            items.append(label(key, lang, regions=_join_regions(names),
                               margin=ctx.margin_points))
    if "signed_amount_target" in ctx.table.columns:
        names = [r for r in ctx.regions if not ctx.num(r, "signed_amount_target")]
        if names:
            items.append(label("att.no_target", lang, regions=_join_regions(names)))
    for tier in TIERS:
        for ind, key in (("start_rate", "att.low_start"),
                         ("in_statistics_rate", "att.low_stat")):
            city_rate = ctx.num(c, f"{tier}_{ind}")
            if city_rate is None:
                continue
            city_text = Decimal(fmt.pct_number(city_rate))
            names = [r for r in ctx.regions
                     if ctx.num(r, f"{tier}_{ind}") is not None
                     and Decimal(fmt.pct_number(ctx.num(r, f"{tier}_{ind}"))) < city_text]
            if names:
                items.append(label(key, lang, tier=tier_name(tier, lang),
                                   city_rate=fmt.pct(city_rate),
                                   regions=_join_regions(names)))
    if not items:
        items.append(html.escape(label("att.none", lang)))
    body = "<ul class=\"attention\">" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    return _section(label("sec.attention", lang), body, "attention-section")


# --------------------------------------------------------------------------- lists
def _is_true(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes", "是")


def top_signings(ctx: Context, n: int = TOP_SIGNINGS) -> str:
    """The ``n`` largest out-of-province signings of the period (from signings.csv)."""
    lang = ctx.lang
    cap = html.escape(label("cap.top_signings", lang, n=n))
    df = ctx.signings
    if df is None or df.empty or "amount" not in df.columns:
        return f'<h3>{cap}</h3><p class="empty">{label("list.empty", lang)}</p>'
    df = df.copy()
    if "out_of_province" in df.columns:
        df = df[df["out_of_province"].map(_is_true)]
    if "signed_on" in df.columns:
        on = pd.to_datetime(df["signed_on"], errors="coerce")
        df = df[(on >= pd.Timestamp(ctx.year, 1, 1)) & (on <= pd.Timestamp(ctx.period_end))]
    df["_amount"] = pd.to_numeric(df["amount"], errors="coerce")
    df = df.sort_values("_amount", ascending=False, kind="stable").head(n)
    if df.empty:
        return f'<h3>{cap}</h3><p class="empty">{label("list.empty", lang)}</p>'
    headers = [(label("col.seq", lang), "num"), (label("col.region", lang), "region"),
               (label("col.project", lang), "text"), (label("col.investor", lang), "text"),
               (label("col.origin", lang), "text"),
               (label("col.signed_amount", lang), "num"),
               (label("col.signed_on", lang), "date"), (label("col.mode", lang), "mode")]
    rows = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        mode = label("mode.online" if _is_true(rec.get("online")) else "mode.offline", lang)
        rows.append([_num(str(i)), _cell(esc(rec.get("region"))),
                     _cell(esc(rec.get("project")), "text"),
                     _cell(esc(rec.get("investor")), "text"),
                     _cell(esc(rec.get("origin"))),
                     _num(fmt.yi(rec.get("amount"))),
                     _cell(fmt.date_text(rec.get("signed_on"), lang), "date"),
                     _cell(mode)])
    return _table(headers, rows, cap, cls="list")


def not_started(ctx: Context) -> str:
    """Provincial and municipal key projects not yet started (from projects.csv)."""
    lang = ctx.lang
    cap = html.escape(label("cap.not_started", lang))
    df = ctx.projects
    if df is None or df.empty or "started" not in df.columns:
        return f'<h3>{cap}</h3><p class="empty">{label("list.empty", lang)}</p>'
    df = df[df["tier"].isin(["provincial_key", "municipal_key"])
            & ~df["started"].map(_is_true)].copy()
    if df.empty:
        return f'<h3>{cap}</h3><p class="empty">{label("list.empty", lang)}</p>'
    order = {r: i for i, r in enumerate(ctx.regions)}
    df["_tier"] = df["tier"].map({"provincial_key": 0, "municipal_key": 1})
    df["_region"] = df["region"].map(lambda r: order.get(r, len(order)))
    df = df.sort_values(["_tier", "_region"], kind="stable")
    headers = [(label("col.seq", lang), "num"), (label("col.region", lang), "region"),
               (label("col.tier", lang), "text"), (label("col.project", lang), "text"),
               (label("col.planned", lang), "num wrap"), (label("col.status", lang), "text"),
               (label("col.problems", lang), "text")]
    rows = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        rows.append([_num(str(i)), _cell(esc(rec.get("region"))),
                     _cell(html.escape(tier_name(rec["tier"], lang, short=True))),
                     _cell(esc(rec.get("project")), "text"),
                     _num(fmt.yi(rec.get("planned_investment"))),
                     _cell(esc(rec.get("status")), "text"),
                     _cell(esc(rec.get("problems")), "text")])
    return _table(headers, rows, cap, cls="list")


def lists(ctx: Context) -> str:
    """附: the top signings and the key projects not yet started."""
    return _section(label("sec.lists", ctx.lang), top_signings(ctx) + not_started(ctx),
                    "lists-section")


# --------------------------------------------------------------------------- footer
def _sum(df: pd.DataFrame, col: str) -> int:
    return int(pd.to_numeric(df[col], errors="coerce").fillna(0).sum()) if col in df else 0


def footer(ctx: Context) -> str:
    """数据来源与说明: notes, row accounting, quality counts, input files with their
    SHA-256, the code version and the run time."""
    lang = ctx.lang
    notes = label("src.notes", lang, margin=ctx.margin_points)
    parts = [f'<p class="notes">{html.escape(notes)}</p>']
    acc = ctx.accounting
    if acc is not None and not acc.empty:
        parts.append("<p>" + html.escape(label(
            "src.accounting", lang, sheets=len(acc), rows=_sum(acc, "rows_read"),
            records=_sum(acc, "records"), other=_sum(acc, "total_note_rows"),
            rejected=_sum(acc, "rejected_rows"))) + "</p>")
    q = ctx.quality
    if q is not None:
        sev = q["severity"].str.strip().str.lower() if "severity" in q else pd.Series([])
        errors, warnings = int((sev == "error").sum()), int((sev == "warning").sum())
        text = (label("src.quality", lang, errors=errors, warnings=warnings)
                if errors or warnings else label("src.quality_clean", lang))
        parts.append(f"<p>{html.escape(text)}</p>")
    man = ctx.manifest
    if man is None:
        parts.append(f'<p class="provenance">{html.escape(label("src.no_manifest", lang))}</p>')
    else:
        inputs = man.get("inputs") or []
        if inputs:
            headers = [(label("col.seq", lang), "num"), (label("col.file", lang), "text"),
                       (label("col.size", lang), "num"), (label("col.sha256", lang), "hash")]
            rows = []
            for i, item in enumerate(inputs, start=1):
                digest = str(item.get("sha256") or "")
                short = html.escape(digest[:12])
                full = html.escape(digest)
                hash_html = (f'<span class="hash-short" title="{full}">{short}…</span>'
                             f'<span class="hash-full">{full}</span>') if digest else fmt.DASH
                rows.append([_num(str(i)), _cell(esc(item.get("path")), "text"),
                             _num(fmt.file_size(item.get("size"))),
                             _cell(hash_html, "hash")])
            parts.append(_table(headers, rows, html.escape(label("cap.inputs", lang)),
                                cls="inputs"))
        prov = [label("src.code_version", lang, version=str(man.get("code_version") or fmt.DASH)),
                label("src.run_time", lang, time=fmt.datetime_text(man.get("run_time")))]
        parts.append('<p class="provenance">' + "　".join(html.escape(p) for p in prov)
                     + "</p>")
    parts.append(f'<p class="provenance">{html.escape(label("src.generated", lang))}</p>')
    return (f'<footer class="sources"><h2>{html.escape(label("sec.sources", lang))}</h2>'
            + "".join(parts) + "</footer>")


# --------------------------------------------------------------------------- whole
SECTIONS = ("title", "overview", "signings_section", "projects_section", "attention",
            "lists", "footer")


def bulletin_html(ctx: Context) -> str:
    """All sections in order (what the notebook displays, cell by cell)."""
    return "\n".join(globals()[name](ctx) for name in SECTIONS)
