"""Charts of the bulletin, drawn with matplotlib and returned as inline SVG text.

The charts take plain Python data (lists of names and numbers), never file paths, so
they are easy to test. Text is drawn as glyph outlines (``svg.fonttype = "path"``):
the SVG needs no font at view or print time and looks the same everywhere. The output
is deterministic (fixed ``svg.hashsalt``, no date in the metadata), so the same data
always gives the same bytes.

No pyplot: figures are plain :class:`matplotlib.figure.Figure` objects, so nothing
depends on (or changes) the interactive backend, and memory is freed with the figure.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
import time
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # harmless when already set; never opens a window

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bulletin.contract import LIGHT_COLOURS, TIERS  # noqa: E402
from bulletin.report import drawing_memo
from bulletin.report import format as fmt
from bulletin.report.labels import DEFAULT_LANG, label, tier_name  # noqa: E402

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Zen Hei",
        "Microsoft YaHei",
        "DejaVu Sans",
    ],
    "axes.unicode_minus": False,
    "svg.hashsalt": "bulletin",
    "svg.fonttype": "path",
    "text.parse_math": False,  # a "$" in a label is text, not mathtext
    "font.size": 9,
    "axes.formatter.limits": (-99, 99),  # axis numbers as people write them, never 1e6
    "axes.formatter.useoffset": False,  # nor "+1.5e3" beside the axis
    "hatch.linewidth": 0.7,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "xtick.color": "#444444",
    "ytick.color": "#222222",
}

# Colours differ in lightness and bars carry hatches, so the charts stay readable
# when the bulletin is printed in black and white.
LIGHT_STYLE = {  # face, hatch, hatch/edge colour (blue and orange: configured bands)
    "blue": ("#1f5fa8", "...", "#ffffff"),
    "green": ("#2e7d32", "", "#2e7d32"),
    "yellow": ("#f2c14e", "////", "#6b5200"),
    "orange": ("#e07b24", "\\\\", "#5a2d00"),
    "red": ("#c62828", "xxx", "#ffffff"),
}
MISSING_COLOUR = "#b8b8b8"
TIER_STYLE = {
    "provincial_key": ("#1f4e79", "", "#1f4e79"),
    "municipal_key": ("#6fa8dc", "////", "#1f4e79"),
    "industrial": ("#f6c28b", "---", "#7a4a10"),
}
PROGRESS_COLOUR = "#333333"
BAR_COLOUR = "#44617f"
WIDTH_IN = 6.8  # fits an A4 text column (170 mm) at 100%
NARROW_IN = 3.9  # a phone screen (~375 px) at 100%: the HTML shows this one on phones


def draw_widths(
    chart, *args, widths: Sequence[float] = (WIDTH_IN, NARROW_IN), png_width: float | None = None, **kwargs
) -> list[str]:
    """``[chart(*args, width=w, **kwargs) for w in widths]`` (and, with ``png_width``,
    one more: the drawing as PNG, base64, for the Word document), the first drawn here
    and the others at the same time in forked child processes when the machine has
    several cores (POSIX): matplotlib holds the GIL, so threads would not help, and a
    forked child has the parent's fonts and state, hence draws the same bytes. A child
    that fails (or no fork) means that drawing is done here instead: the result never
    depends on the fork."""
    key = drawing_memo.key(chart, args, kwargs, widths, png_width)  # the test suite's only
    kept = drawing_memo.lookup(key)
    if kept is not None:
        return kept
    variants = [dict(kwargs, width=w) for w in widths]
    if png_width:
        variants.append(dict(kwargs, width=png_width, image="png"))
    if len(variants) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        drawn = [chart(*args, **v) for v in variants]
    else:
        children = [_fork_drawing(chart, args, v) for v in variants[1:]]
        first = chart(*args, **variants[0])
        drawn = [first] + [_collect(child, chart, args, v) for child, v in zip(children, variants[1:])]
    drawing_memo.keep(key, drawn)
    return drawn


def _fork_drawing(chart, args, kwargs):
    """(pid, read end of a pipe) of a child drawing ``chart``; None if fork failed."""
    import warnings

    try:
        r, w = os.pipe()
    except OSError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
    if pid == 0:  # the child: draw, write, and leave without any clean-up of the parent's state
        code = 1
        try:
            os.close(r)
            devnull = open(os.devnull, "w")
            sys.stdout = sys.stderr = devnull  # the parent reports what the drawing says
            data = chart(*args, **kwargs).encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(w, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


CHILD_TIMEOUT = 60.0  # seconds; a drawing takes well under one


def _collect(child, chart, args, kwargs, timeout: float | None = None) -> str:
    """The child's drawing; drawn here instead if the child failed or did not finish
    within ``timeout`` (a child forked from a process with threads could in principle
    block on a lock some other thread held at the fork: it is killed, never waited for
    without end)."""
    import select
    import signal

    if child is not None:
        pid, r = child
        deadline = time.monotonic() + (CHILD_TIMEOUT if timeout is None else timeout)
        chunks, finished = [], False
        with os.fdopen(r, "rb", buffering=0) as fh:
            while (left := deadline - time.monotonic()) > 0:
                if not select.select([fh], [], [], left)[0]:
                    break
                chunk = fh.read(1 << 16)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
        if finished and os.waitstatus_to_exitcode(status) == 0:
            return b"".join(chunks).decode("utf-8")
    return chart(*args, **kwargs)


def _suffix(width: float) -> str:
    return "" if width >= WIDTH_IN else "-narrow"


def _label_inches(text: str, fontsize: float) -> float:
    """Rough width of a label: CJK characters one em, others about half."""
    import unicodedata

    ems = sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55 for ch in str(text))
    return ems * fontsize / 72


def _value(x) -> float | None:
    dec = fmt.to_decimal(x)
    return None if dec is None else float(dec)


PNG_DPI = 200  # the Word document's charts: sharp when printed at the text block's width


def to_image(fig: Figure, chart_id: str, title: str = "", image: str = "svg") -> str:
    """The figure as inline SVG (:func:`to_svg`) or, ``image="png"``, as PNG bytes in
    base64 (no date or software in its metadata: same data, same bytes)."""
    if image != "png":
        return to_svg(fig, chart_id, title)
    import base64

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def to_svg(fig: Figure, chart_id: str, title: str = "") -> str:
    """Render ``fig`` as an SVG element ready to inline in HTML.

    The XML prolog and DOCTYPE are dropped, every ``id`` is prefixed with
    ``chart_id`` (two charts on one page must not share ids), and the root gets
    ``role="img"`` with ``aria-label`` = ``title``.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _prefix_ids(svg, chart_id)
    svg = _styles_to_attributes(svg)
    attrs = (
        f' class="chart-svg" role="img" aria-label="{html.escape(title)}" stroke-linejoin="round" stroke-linecap="butt"'
    )
    svg = svg.replace("<svg ", "<svg" + attrs + " ", 1)
    return svg.strip() + "\n"


# an id and the two ways an SVG refers to one: ``id="x"``, ``href="#x"``, ``url(#x)``
_ID_OR_REF = re.compile(r'(id="|"#|url\(#)([^")]+)([")])')
_CLOSES = {'id="': '"', '"#': '"', "url(#": ")"}


def _prefix_ids(svg: str, chart_id: str) -> str:
    """Every ``id`` of ``svg`` and every reference to one prefixed with ``chart_id``
    (two charts on one page must not share ids), in one pass over the text."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))

    def repl(m: re.Match) -> str:
        opening, name, closing = m.groups()
        if name not in ids or _CLOSES[opening] != closing:
            return m.group(0)
        return f"{opening}{chart_id}-{name}{closing}"

    return _ID_OR_REF.sub(repl, svg)


_SVG_PROPERTIES = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "stroke-miterlimit",
    "fill-rule",
}


def _styles_to_attributes(svg: str) -> str:
    """Turn matplotlib's ``style="fill: #fff; stroke: none"`` into presentation
    attributes (``fill="#fff" stroke="none"``) and drop its global ``<style>`` rule.

    Inline in HTML, the ``style`` attributes are parsed by the page's CSS engine,
    where WeasyPrint does not know SVG properties and logs a warning for each; and
    matplotlib's ``<style>*{...}</style>`` would apply to the whole HTML page. Its two
    defaults are put on the root element instead (see :func:`to_svg`).
    """
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)

    def repl(m: re.Match) -> str:
        attrs = []
        for decl in m.group(1).split(";"):
            if ":" not in decl:
                continue
            name, value = (part.strip() for part in decl.split(":", 1))
            if name not in _SVG_PROPERTIES:
                return m.group(0)  # unknown property: keep the style as it was
            attrs.append(f'{name}="{html.escape(value)}"')
        return " ".join(attrs)

    return re.sub(r'style="([^"]*)"', repl, svg)


def _bar_style(style: tuple[str, str, str]) -> dict:
    face, hatch, edge = style
    return {"facecolor": face, "hatch": hatch or None, "edgecolor": edge, "linewidth": 0.4}


def completion_chart(
    regions: Sequence[str],
    completion: Sequence,
    lights: Sequence,
    time_progress=None,
    *,
    lang: str = DEFAULT_LANG,
    title: str = "",
    width: float = WIDTH_IN,
    image: str = "svg",
    notes: Sequence[str] | None = None,
) -> str:
    """Horizontal bars: each region's completion of its annual signing target (%),
    coloured and hatched by its traffic light, with a dashed line at the time progress.

    ``completion`` holds fractions (1.074 for 107.4 %; 0 is a bar of 0.0 %) or
    None/NaN when the region has none: ``notes[i]`` (why: 未报送, 无法读取, 无目标;
    default 无目标) is drawn in grey instead of its bar. The first region is drawn at
    the top.
    """
    from matplotlib.patches import Patch

    values = [_value(v) for v in completion]
    progress = _value(time_progress)
    n = len(regions)
    with rc_context(RC):
        fig = Figure(figsize=(width, 1.25 + 0.34 * n))
        ax = fig.add_subplot()
        ys = list(range(n))
        top = max([v * 100 for v in values if v is not None] + [100.0, (progress or 0) * 100])
        seen = _completion_bars(ax, values, lights, notes, top=top, lang=lang)
        handles = [
            Patch(label=fmt.light_word(k, lang), **_bar_style(LIGHT_STYLE[k])) for k in LIGHT_COLOURS if k in seen
        ]
        if progress is not None:
            ax.axvline(progress * 100, color=PROGRESS_COLOUR, linestyle=(0, (4, 3)), linewidth=1.1, zorder=4)
            ax.text(
                progress * 100,
                -0.75,
                label("chart.time_progress", lang, progress=fmt.pct(progress)),
                ha="center",
                va="bottom",
                fontsize=8,
                color=PROGRESS_COLOUR,
                zorder=6,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
        ax.set_yticks(ys, labels=list(regions))
        ax.set_ylim(n - 0.4, -1.1)
        ax.set_xlim(0, top * 1.13)
        ax.set_xlabel(label("chart.completion_axis", lang))
        ax.xaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="y", length=0)
        if handles:
            fig.legend(
                handles=handles,
                loc="lower center",
                ncol=len(handles),
                frameon=False,
                fontsize=8,
                handlelength=1.6,
                bbox_to_anchor=(0.5, 0),
            )
            fig.tight_layout(pad=0.4, rect=(0, 0.07, 1, 1))
        else:
            fig.tight_layout(pad=0.4)
        return to_image(fig, "chart-completion" + _suffix(width), title, image)


def _completion_bars(ax, values: list, lights: Sequence, notes, *, top: float, lang: str) -> list[str]:
    """The completion chart's bars (or a region's note in grey), each labelled with its
    percentage; returns the lights drawn, in order of first appearance (the legend's)."""
    seen = []
    for y, (v, light) in enumerate(zip(values, lights)):
        if v is None:
            note = notes[y] if notes is not None else label("chart.no_target", lang)
            ax.text(0.5, y, note, va="center", ha="left", color="#555555", fontsize=8)
            continue
        key = fmt.light_key(light)
        style = LIGHT_STYLE.get(key, (MISSING_COLOUR, "", MISSING_COLOUR))
        if key and key not in seen:
            seen.append(key)
        ax.barh(y, v * 100, height=0.62, zorder=2, **_bar_style(style))
        ax.text(
            v * 100 + top * 0.01,
            y,
            fmt.pct(v),
            va="center",
            ha="left",
            fontsize=8,
            color="#111111",
            zorder=5,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
    return seen


def start_rate_chart(
    groups: Sequence[str],
    rates: Mapping[str, Sequence],
    *,
    lang: str = DEFAULT_LANG,
    title: str = "",
    width: float = WIDTH_IN,
    image: str = "svg",
    notes: Sequence[str] | None = None,
) -> str:
    """Grouped vertical bars: the start rate (开复工率, %) of each tier, one group per
    region (first group usually 全市); tiers differ in lightness and hatching.

    ``rates`` maps a tier id to one fraction (or None/NaN: no projects) per group.
    A tier with no projects in a region shows a small dash instead of a bar; a group
    with a note (``notes[i]``: why it has no figures, 未报送 / 无法读取) shows the note.
    """
    tiers = [t for t in TIERS if t in rates] + [t for t in rates if t not in TIERS]
    n, k = len(groups), len(tiers)
    bar_w = 0.8 / max(k, 1)
    with rc_context(RC):
        fig = Figure(figsize=(width, 3.2 if width >= WIDTH_IN else 3.0))
        ax = fig.add_subplot()
        for j, tier in enumerate(tiers):
            xs, hs, missing = [], [], []
            for i, raw in enumerate(rates[tier]):
                x = i - 0.4 + bar_w * (j + 0.5)
                v = _value(raw)
                if v is None:
                    missing.append(x)
                else:
                    xs.append(x)
                    hs.append(v * 100)
            style = TIER_STYLE.get(tier, (MISSING_COLOUR, "", "#444444"))
            ax.bar(xs, hs, width=bar_w * 0.92, label=tier_name(tier, lang, short=True), zorder=2, **_bar_style(style))
            for x in missing:
                if not (notes and notes[round(x)]):
                    ax.text(x, 1.5, "—", ha="center", va="bottom", fontsize=7, color="#555555")
        for i, note in enumerate(notes or []):
            if note:
                size = 7 if width >= WIDTH_IN else 5.5
                ax.text(i, 1.5, note, ha="center", va="bottom", fontsize=size, color="#555555")
        ax.set_xticks(range(n), labels=list(groups))
        room = (width - 0.8) / max(n, 1)
        if max((_label_inches(g, 9) for g in groups), default=0) > 0.9 * room:
            ax.tick_params(axis="x", labelrotation=40)
            for lab in ax.get_xticklabels():
                lab.set_horizontalalignment("right")
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_ylim(0, 105)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(label("chart.start_rate_axis", lang))
        ax.yaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="x", length=0)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 1.14),
            ncol=max(k, 1),
            frameon=False,
            fontsize=8 if width >= WIDTH_IN else 7,
            handlelength=1.6,
            columnspacing=1.4 if width >= WIDTH_IN else 0.8,
        )
        fig.tight_layout(pad=0.4)
        return to_image(fig, "chart-start-rate" + _suffix(width), title, image)


def monthly_chart(
    months: Sequence[int],
    amounts: Sequence,
    target_path: Sequence | None = None,
    last_year=None,
    *,
    lang: str = DEFAULT_LANG,
    title: str = "",
    width: float = WIDTH_IN,
    image: str = "svg",
) -> str:
    """Bars: the city's cumulative signed amount at the end of each month of the year
    so far (``amounts`` in 万元, None where no snapshot of that month exists, drawn as
    "no data", never as zero); an optional dashed line of the annual target at time
    progress (``target_path``, 万元 per month) and a marker for last year's same
    month (``last_year``, 万元). Values are labelled in the edition's money unit.
    """
    from matplotlib.patches import Patch

    values = [_value(v) for v in amounts]
    divisor = float(fmt.MONEY_DIVISOR[lang])
    xs = list(range(len(months)))
    shown_vals = [None if v is None else v / divisor for v in values]
    path = [None if v is None else _value(v) for v in (target_path or [])]
    path = [None if v is None else v / divisor for v in path]
    ly = _value(last_year)
    ly = None if ly is None else ly / divisor
    top = max(
        [v for v in shown_vals if v is not None]
        + [v for v in path if v is not None]
        + ([ly] if ly is not None else [])
        + [0.01]
    )
    with rc_context(RC):
        fig = Figure(figsize=(width, 2.9))
        ax = fig.add_subplot()
        handles = []
        bx = [x for x, v in zip(xs, shown_vals) if v is not None]
        bh = [v for v in shown_vals if v is not None]
        ax.bar(bx, bh, width=0.6, color=BAR_COLOUR, zorder=2)
        handles.append(Patch(color=BAR_COLOUR, label=label("chart.this_year", lang)))
        _monthly_values(ax, xs, shown_vals, values, top=top, lang=lang)
        handles += _monthly_lines(ax, xs, path, ly, lang=lang)
        ax.set_xticks(xs, labels=[fmt.month_label(m, lang) for m in months])
        ax.set_xlim(-0.6, max(len(months), 6) - 0.4)
        ax.set_ylim(0, top * 1.18)
        ax.set_ylabel(label("chart.amount_axis", lang))
        ax.yaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="x", length=0)
        ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=8, handlelength=1.8)
        fig.tight_layout(pad=0.4)
        return to_image(fig, "chart-monthly" + _suffix(width), title, image)


def _monthly_values(ax, xs: list, shown: list, values: list, *, top: float, lang: str) -> None:
    """Each month's value above its bar, or "no data" where no snapshot exists."""
    for x, v, raw in zip(xs, shown, values):
        if v is None:
            ax.text(
                x,
                top * 0.02,
                label("chart.no_snapshot", lang),
                ha="center",
                va="bottom",
                fontsize=7,
                color="#555555",
            )
        else:
            ax.text(
                x,
                v + top * 0.015,
                fmt.money(raw, lang),
                ha="center",
                va="bottom",
                fontsize=8,
                color="#111111",
                zorder=5,
            )


def _monthly_lines(ax, xs: list, path: list, ly, *, lang: str) -> list:
    """The target at time progress (dashed, when any) and last year's marker (when
    known); returns their legend handles."""
    from matplotlib.lines import Line2D

    handles = []
    if any(v is not None for v in path):
        px = [x for x, v in zip(xs, path) if v is not None]
        pv = [v for v in path if v is not None]
        ax.plot(
            px,
            pv,
            color=PROGRESS_COLOUR,
            linestyle=(0, (4, 3)),
            linewidth=1.1,
            marker="o",
            markersize=3,
            markerfacecolor="white",
            zorder=4,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=PROGRESS_COLOUR,
                linestyle=(0, (4, 3)),
                marker="o",
                markersize=3,
                markerfacecolor="white",
                label=label("chart.target_path", lang),
            )
        )
    if ly is not None and xs:
        ax.plot([xs[-1] + 0.38], [ly], marker="<", markersize=7, color="#111111", linestyle="none", zorder=5)
        handles.append(
            Line2D(
                [],
                [],
                marker="<",
                markersize=7,
                color="#111111",
                linestyle="none",
                label=label("chart.last_year", lang),
            )
        )
    return handles
