"""The bulletin's charts (:class:`~bulletin.report.document.Chart`) from the data: what
each chart shows; :mod:`bulletin.report.drawing` draws them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bulletin.contract import CITY, TIERS
from bulletin.indicators.compute import monthly_signings
from bulletin.report import drawing, missing
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Numbers
from bulletin.report.edition import Edition
from bulletin.report.labels import label

log = logging.getLogger(__name__)

WIDTHS = (drawing.WIDTH_IN, drawing.NARROW_IN)  # print/desktop, phone (drawn at the same time)
PNG_WIDTH = drawing.WIDTH_IN  # the Word document's picture, drawn at the same time too


@dataclass(frozen=True)
class MonthlySeries:
    """Figure 1's data: the subject's year-to-date figures at the end of each month
    1 … the period's month. The signings (``signed_projects``, ``signed_amount``) come
    from the records' own signing dates (every month); ``activities`` and ``started``
    (key projects started, all tiers) from the month snapshots of history.csv where
    they exist (the period's own: indicators.csv), else None — absent, never 0."""

    months: list[int]
    signed_projects: list
    signed_amount: list
    activities: list
    started: list
    from_records: bool  # False: no signings.csv, the signings from the snapshots too


def _snapshot(ed: Edition, indicator: str, month: int):
    data = ed.data
    return data.num(ed.subject, indicator, f"{data.year}-{month:02d}")


def _started(ed: Edition, month: int):
    values = [ed.data.num(ed.subject, f"{t}_started", f"{ed.data.year}-{month:02d}") for t in TIERS]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _from_records(ed: Edition) -> tuple[list, list] | None:
    """The signings series from the records, when they give the period's own figures
    (signed_projects, signed_amount of indicators.csv) — else None: records that do not
    add up to the published figure are not shown beside it."""
    records = ed.own(ed.data.signings)
    if records is None or not {"signed_on", "amount", "out_of_province"} <= set(records.columns):
        return None
    counts, amounts = (list(x) for x in zip(*monthly_signings(records, ed.data.period)))
    n, amount = ed.num(ed.subject, "signed_projects"), ed.num(ed.subject, "signed_amount")
    if n is None or amount is None or counts[-1] != n or abs(amounts[-1] - amount) > 0.005:
        log.warning("figure 1 of %s: the signings records do not give indicators.csv's figures", ed.subject)
        return None
    return counts, amounts


def monthly_series(ed: Edition) -> MonthlySeries:
    """The subject's :class:`MonthlySeries` (a county edition: the county's records)."""
    data = ed.data
    months = list(range(1, data.month + 1))
    found = _from_records(ed)
    if found:
        counts, amounts = found
    else:
        counts = [_snapshot(ed, "signed_projects", m) for m in months]
        amounts = [_snapshot(ed, "signed_amount", m) for m in months]
    return MonthlySeries(
        months,
        counts,
        amounts,
        [_snapshot(ed, "activities", m) for m in months],
        [_started(ed, m) for m in months],
        from_records=found is not None,
    )


def monthly_chart(ed: Edition, num: Numbers, title: str) -> Chart | None:
    """图: the subject's cumulative signed amount at the end of each month of this year
    (:func:`monthly_series`), with the target at time progress and last year's same
    month."""
    data, c = ed.data, ed.subject
    if data.value(c, "signed_amount") is None:
        return None
    series = monthly_series(ed)
    months, amounts = series.months, series.signed_amount
    target = data.num(c, "signed_amount_target")
    path = [target * m / 12 for m in months] if target else None
    last = data.last_year_period
    last_year = data.value(c, "signed_amount", last) if last else None
    svg, narrow, png = drawing.draw_widths(
        drawing.monthly_chart,
        months,
        amounts,
        path,
        last_year,
        lang=ed.lang,
        title=title,
        widths=WIDTHS,
        png_width=PNG_WIDTH,
    )
    return Chart("monthly", num.next("figure"), title, svg, ed.lang, narrow, png)


def completion_chart(ed: Edition, num: Numbers) -> Chart:
    """图: every region's completion of its signing target, by light, and time progress;
    where a region has no completion, why (未报送, 无法读取, 无目标) in place of its bar."""
    data, title = ed.data, label("fig.completion", ed.lang)
    rows = data.rows
    completion = [missing.cell(ed, r, "signed_amount_completion", "signings") for r in rows]
    notes = [
        str(v)
        if isinstance(v, fmt.Reason)
        else label("chart.no_target" if data.value(r, "signed_amount_target") is None else "chart.no_snapshot", ed.lang)
        for r, v in zip(rows, completion)
    ]
    svg, narrow, png = drawing.draw_widths(
        drawing.completion_chart,
        [ed.name(r) for r in rows],
        [None if isinstance(v, fmt.Reason) else v for v in completion],
        [data.value(r, "signed_light") for r in rows],
        data.value(CITY, "time_progress"),
        notes=notes,
        lang=ed.lang,
        title=title,
        widths=WIDTHS,
        png_width=PNG_WIDTH,
    )
    return Chart("completion", num.next("figure"), title, svg, ed.lang, narrow, png)


def start_rate_chart(ed: Edition, num: Numbers, rows: list[str], title: str) -> Chart | None:
    """图: the start rates of the tiers the city has, for ``rows`` (regions or 全市);
    None when indicators.csv has no start rate at all."""
    data = ed.data
    if not any(data.has(f"{t}_start_rate") for t in TIERS):
        return None
    tiers = [t for t in TIERS if data.num(CITY, f"{t}_projects")] or list(TIERS)
    svg, narrow, png = drawing.draw_widths(
        drawing.start_rate_chart,
        [ed.name(r) for r in rows],
        {t: [data.value(r, f"{t}_start_rate") for r in rows] for t in tiers},
        notes=[str(missing.reason(ed, r, f"{tiers[0]}_projects", "projects") or "") for r in rows],
        lang=ed.lang,
        title=title,
        widths=WIDTHS,
        png_width=PNG_WIDTH,
    )
    return Chart("start_rate", num.next("figure"), title, svg, ed.lang, narrow, png)
