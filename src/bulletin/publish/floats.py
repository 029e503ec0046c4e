"""Charts that float: a chart is kept whole on a page, so one that does not fit below
the text before it would leave that page's foot blank. :func:`float_charts` finds such
charts in a laid-out WeasyPrint document (a chart that opens a page while the page
before is more than :data:`BLANK_SHARE` empty) and gives the page again with each
moved after the paragraph that follows it (passing a heading on the way; never past a
table or another chart), so the text fills the gap — what a typesetter does with a
figure. The PDF is laid out a second time only then.
"""

from __future__ import annotations

import re

from bulletin.publish.layout import text_ems

BLANK_SHARE = 0.25  # a page left more than this empty before a chart: move the chart (the aim: never a third)
_FIGURE = re.compile(r'<figure class="chart" id="([^"]+)">.*?</figure>', re.S)
# what may follow a chart: headings (passed) and a plain paragraph (the chart goes after it)
_NEXT = re.compile(
    r'\s*(?:</?(?:div|section)\b[^>]*>\s*|<h[23]\b[^>]*>.*?</h[23]>\s*)*<p(?: class="(?:lead|problem)")?>', re.S
)


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _page_use(page) -> tuple[float, float, list[tuple[str, float]]]:
    """(height of the text block, the height its content uses, [(chart id, its top)])
    of one laid-out page; the page number (a margin box) is not content."""
    box = page._page_box
    top = box.content_box_y()
    used, charts = 0.0, []
    for child in box.children:
        if type(child).__name__ == "MarginBox":
            continue
        for b in _boxes(child):
            tag = getattr(b, "element_tag", None)
            if tag == "figure" and b.element is not None and b.element.get("id"):
                charts.append((b.element.get("id"), b.position_y - top))
            if type(b).__name__ == "LineBox" or tag in ("img", "tr", "hr"):
                used = max(used, b.position_y + b.margin_height() - top)
    return box.height, used, charts


def stranded_charts(document) -> list[tuple[str, float, float]]:
    """The charts that open a page after a page left more than :data:`BLANK_SHARE`
    empty: (chart id, the blank at the foot of the page before, the chart's height), in
    CSS px."""
    pages = [_page_use(p) for p in document.pages]
    out = []
    for page, before, (height, _, charts) in zip(document.pages[1:], pages, pages[1:]):
        first = min(charts, key=lambda c: c[1], default=None)
        if first and first[1] < 2 and before[1] < height * (1 - BLANK_SHARE):
            out.append((first[0], height - before[1], _chart_height(page, first[0])))
    return out


def _chart_height(page, chart_id: str) -> float:
    for b in _boxes(page._page_box):
        if getattr(b, "element_tag", None) == "figure" and b.element is not None and b.element.get("id") == chart_id:
            return b.margin_height()
    return 0.0


LINE_PX = 28.95 * 4 / 3  # a line of the text (28.95 pt) in CSS px
LINE_EMS = 28  # characters of a line


def _text_height(fragment: str) -> float:
    """About how high the headings and the paragraph of ``fragment`` are set (px)."""
    lines = 0
    for m in re.finditer(r"<(h[23]|p)\b[^>]*>(.*?)</\1>", fragment, re.S):
        text = re.sub(r"<[^>]+>", "", m.group(2))
        lines += max(1, -(-(text_ems(text) + 2) // LINE_EMS))
    return lines * LINE_PX


def move_after_next_paragraph(html: str, chart_id: str, gap: float = 0.0, height: float = 0.0) -> str:
    """``html`` with the chart ``chart_id`` moved after the paragraph that follows it
    (passing headings); unchanged when a table or another chart comes first, or when
    the text would not fill the ``gap`` and the chart still not fit after it."""
    m = next((m for m in _FIGURE.finditer(html) if m.group(1) == chart_id), None)
    if m is None:
        return html
    nxt = _NEXT.match(html, m.end())
    if nxt is None:
        return html
    end = html.find("</p>", nxt.end())
    if end < 0:
        return html
    end += len("</p>")
    text = _text_height(html[m.end() : end])
    if gap and not (text >= gap or text + height <= gap):
        return html
    return html[: m.start()] + html[m.end() : end] + m.group(0) + html[end:]


def float_charts(html: str, document) -> str | None:
    """The page with its stranded charts moved (:func:`stranded_charts`), or None when
    none is."""
    moved = html
    for chart_id, gap, height in stranded_charts(document):
        moved = move_after_next_paragraph(moved, chart_id, gap, height)
    return moved if moved != html else None
