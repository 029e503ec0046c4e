"""The bulletin's charts (:class:`~bulletin.report.document.Chart`) from the data: what
each chart shows; :mod:`bulletin.report.charts` draws them."""

from __future__ import annotations

from bulletin.contract import CITY, TIERS
from bulletin.report import charts, missing
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Numbers
from bulletin.report.edition import Edition
from bulletin.report.labels import label

WIDTHS = (charts.WIDTH_IN, charts.NARROW_IN)  # print/desktop, phone (drawn at the same time)
PNG_WIDTH = charts.WIDTH_IN  # the Word document's picture, drawn at the same time too


def monthly_chart(ed: Edition, num: Numbers, title: str) -> Chart | None:
    """图: the subject's cumulative signed amount at each month's snapshot of this year,
    with the target at time progress and last year's same month."""
    data, c = ed.data, ed.subject
    if data.value(c, "signed_amount") is None:
        return None
    months = list(range(1, data.month + 1))
    amounts = [data.value(c, "signed_amount", f"{data.year}-{m:02d}") for m in months]
    target = data.num(c, "signed_amount_target")
    path = [target * m / 12 for m in months] if target else None
    last = data.last_year_period
    last_year = data.value(c, "signed_amount", last) if last else None
    svg, narrow, png = charts.draw_widths(
        charts.monthly_chart,
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
    svg, narrow, png = charts.draw_widths(
        charts.completion_chart,
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
    svg, narrow, png = charts.draw_widths(
        charts.start_rate_chart,
        [ed.name(r) for r in rows],
        {t: [data.value(r, f"{t}_start_rate") for r in rows] for t in tiers},
        notes=[str(missing.reason(ed, r, f"{tiers[0]}_projects", "projects") or "") for r in rows],
        lang=ed.lang,
        title=title,
        widths=WIDTHS,
        png_width=PNG_WIDTH,
    )
    return Chart("start_rate", num.next("figure"), title, svg, ed.lang, narrow, png)
