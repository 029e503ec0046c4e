"""The chart of the signings by industry chain (三、招商引资结构): what it shows
(:func:`chain_chart`, a numbered :class:`~bulletin.report.document.Chart`) and its
drawing (:func:`chain_bars`, matplotlib, in the style of :mod:`bulletin.report.drawing`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

from bulletin.report import drawing
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Numbers
from bulletin.report.edition import Edition
from bulletin.report.labels import DEFAULT_LANG, label


def chain_bars(
    names: Sequence[str],
    projects: Sequence,
    amounts: Sequence,
    rest: Sequence[bool],
    *,
    lang: str = DEFAULT_LANG,
    title: str = "",
    width: float = drawing.WIDTH_IN,
    image: str = "svg",
) -> str:
    """Horizontal bars, first name at the top: each chain's signed amount (万元, shown in
    the edition's unit) labelled with the amount and the count; a chain without a
    signing gets a note instead of a bar, the rest (``rest`` True: 其他) a grey bar."""
    divisor = float(fmt.MONEY_DIVISOR[lang])
    values = [None if fmt.to_decimal(a) is None else float(fmt.to_decimal(a)) / divisor for a in amounts]
    n = len(names)
    top = max([v for v in values if v is not None] + [0.01])
    with rc_context(drawing.RC):
        fig = Figure(figsize=(width, 0.9 + 0.34 * n))
        ax = fig.add_subplot()
        for y, (v, raw, count, grey) in enumerate(zip(values, amounts, projects, rest)):
            if v is None or not v:
                ax.text(
                    top * 0.01, y, label("chart.chain_none", lang), va="center", ha="left", fontsize=8, color="#555555"
                )
                continue
            colour = drawing.MISSING_COLOUR if grey else drawing.BAR_COLOUR
            ax.barh(y, v, height=0.62, color=colour, zorder=2)
            text = label("chart.chain_value", lang, amount=fmt.money(raw, lang), projects=fmt.count(count))
            ax.text(v + top * 0.01, y, text, va="center", ha="left", fontsize=8, color="#111111", zorder=5)
        ax.set_yticks(range(n), labels=list(names))
        ax.set_ylim(n - 0.4, -0.6)
        ax.set_xlim(0, top * 1.3)
        ax.set_xlabel(label("chart.chain_axis", lang))
        ax.xaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="y", length=0)
        fig.tight_layout(pad=0.4)
        suffix = "" if width >= drawing.WIDTH_IN else "-narrow"
        return drawing.to_image(fig, "chart-chain" + suffix, title, image)


def chain_chart(ed: Edition, num: Numbers, df: pd.DataFrame, other: str, name_of) -> Chart | None:
    """图: the subject's signed amount by chain (``df``: the chain rows of breakdowns.csv;
    ``other``: the key of the rest; ``name_of(key, lang)``: a key's name)."""
    if df is None or df.empty:
        return None
    title = label("fig.chain", ed.lang, subject=ed.name(ed.subject))
    svg, narrow, png = drawing.draw_widths(
        chain_bars,
        [name_of(k, ed.lang) for k in df["key"]],
        list(df["signed_projects"]),
        list(df["signed_amount"]),
        [k == other for k in df["key"]],
        lang=ed.lang,
        title=title,
        widths=(drawing.WIDTH_IN, drawing.NARROW_IN),
        png_width=drawing.WIDTH_IN,
    )
    return Chart("chain", num.next("figure"), title, svg, ed.lang, narrow, png)
