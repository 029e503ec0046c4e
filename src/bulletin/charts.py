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
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # harmless when already set; never opens a window

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bulletin import format as fmt  # noqa: E402
from bulletin.labels import DEFAULT_LANG, TIERS, label, tier_name  # noqa: E402

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                        "Microsoft YaHei", "DejaVu Sans"],
    "axes.unicode_minus": False,
    "svg.hashsalt": "bulletin",
    "svg.fonttype": "path",
    "text.parse_math": False,  # a "$" in a label is text, not mathtext
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "xtick.color": "#444444",
    "ytick.color": "#222222",
}

LIGHT_COLOURS = {"green": "#2e9d57", "yellow": "#e3a417", "red": "#d64541"}
MISSING_COLOUR = "#b8b8b8"
TIER_COLOURS = {"provincial_key": "#1f5fa8", "municipal_key": "#5aa6dc",
                "industrial": "#f09a36"}
PROGRESS_COLOUR = "#555555"
WIDTH_IN = 6.8  # fits an A4 text column (170 mm) at 100%


def _value(x) -> float | None:
    dec = fmt.to_decimal(x)
    return None if dec is None else float(dec)


def to_svg(fig: Figure, chart_id: str, title: str = "") -> str:
    """Render ``fig`` as an SVG element ready to inline in HTML.

    The XML prolog and DOCTYPE are dropped, every ``id`` is prefixed with
    ``chart_id`` (two charts on one page must not share ids), and the root gets
    ``role="img"`` with ``aria-label`` = ``title``.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f'"#{old}"', f'"#{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
    svg = _styles_to_attributes(svg)
    attrs = (f' class="chart-svg" role="img" aria-label="{html.escape(title)}"'
             ' stroke-linejoin="round" stroke-linecap="butt"')
    svg = svg.replace("<svg ", "<svg" + attrs + " ", 1)
    return svg.strip() + "\n"


_SVG_PROPERTIES = {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-linecap",
                   "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
                   "stroke-opacity", "opacity", "stroke-miterlimit", "fill-rule"}


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


def completion_chart(regions: Sequence[str], completion: Sequence, lights: Sequence,
                     time_progress=None, lang: str = DEFAULT_LANG,
                     title: str = "") -> str:
    """Horizontal bars: each region's completion of its annual signing target (%),
    coloured by its traffic light, with a dashed line at the time progress.

    ``completion`` holds fractions (1.074 for 107.4 %) or None/NaN when the region
    has no target (drawn as a grey note instead of a bar). The first region is drawn
    at the top.
    """
    values = [_value(v) for v in completion]
    progress = _value(time_progress)
    n = len(regions)
    with rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, 0.9 + 0.34 * n))
        ax = fig.add_subplot()
        ys = list(range(n))
        top = max([v * 100 for v in values if v is not None] + [100.0, (progress or 0) * 100])
        for y, v, light in zip(ys, values, lights):
            if v is None:
                ax.text(0.5, y, label("chart.no_target", lang), va="center", ha="left",
                        color="#777777", fontsize=8)
                continue
            colour = LIGHT_COLOURS.get(str(light).strip().lower(), MISSING_COLOUR)
            ax.barh(y, v * 100, height=0.62, color=colour, zorder=2)
            ax.text(v * 100 + top * 0.01, y, fmt.pct(v), va="center", ha="left",
                    fontsize=8, color="#222222", zorder=5,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.85})
        if progress is not None:
            ax.axvline(progress * 100, color=PROGRESS_COLOUR, linestyle=(0, (4, 3)),
                       linewidth=1.1, zorder=4)
            ax.text(progress * 100, -0.75,
                    label("chart.time_progress", lang, progress=fmt.pct(progress)),
                    ha="center", va="bottom", fontsize=8, color=PROGRESS_COLOUR)
        ax.set_yticks(ys, labels=list(regions))
        ax.set_ylim(n - 0.4, -1.1)
        ax.set_xlim(0, top * 1.13)
        ax.set_xlabel(label("chart.completion_axis", lang))
        ax.xaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="y", length=0)
        fig.tight_layout(pad=0.4)
        return to_svg(fig, "chart-completion", title)


def start_rate_chart(groups: Sequence[str], rates: Mapping[str, Sequence],
                     lang: str = DEFAULT_LANG, title: str = "") -> str:
    """Grouped vertical bars: the start rate (开复工率, %) of each tier, one group per
    region (first group usually 全市).

    ``rates`` maps a tier id to one fraction (or None/NaN: no projects) per group.
    A tier with no projects in a region shows a small dash instead of a bar.
    """
    tiers = [t for t in TIERS if t in rates] + [t for t in rates if t not in TIERS]
    n, k = len(groups), len(tiers)
    width = 0.8 / max(k, 1)
    with rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, 3.1))
        ax = fig.add_subplot()
        for j, tier in enumerate(tiers):
            xs, hs, missing = [], [], []
            for i, raw in enumerate(rates[tier]):
                x = i - 0.4 + width * (j + 0.5)
                v = _value(raw)
                if v is None:
                    missing.append(x)
                else:
                    xs.append(x)
                    hs.append(v * 100)
            ax.bar(xs, hs, width=width * 0.92, color=TIER_COLOURS.get(tier, "#999999"),
                   label=tier_name(tier, lang), zorder=2)
            for x in missing:
                ax.text(x, 1.5, "—", ha="center", va="bottom", fontsize=7, color="#777777")
        ax.set_xticks(range(n), labels=list(groups))
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_ylim(0, 105)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(label("chart.start_rate_axis", lang))
        ax.yaxis.grid(True, color="#e4e4e4", linewidth=0.6, zorder=0)
        ax.tick_params(axis="x", length=0)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.13), ncol=k, frameon=False,
                  fontsize=8, handlelength=1.2, columnspacing=1.4)
        fig.tight_layout(pad=0.4)
        return to_svg(fig, "chart-start-rate", title)
