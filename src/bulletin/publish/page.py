"""The bulletin's model as HTML fragments: what the bulletin notebook displays, and
nbconvert then exports as the page (:mod:`bulletin.publish.html_pdf`).

:func:`fragments` gives one self-contained fragment per part of the
:class:`~bulletin.report.document.Document` — the header (title, subtitle), each
section, the sources — with no script and no external resource, and class names that
the publish template's CSS knows. Every text from a ledger (project names, investors,
file names, regions …) goes through :func:`html.escape`: ledger text is data, never
markup.
"""

from __future__ import annotations

import html
import re

from bulletin.publish.layout import ANNEX_TITLE_PT, fit_table, title_lines
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Document, Heading, Paragraph, Section, Table
from bulletin.report.labels import label

SECTION_CLASS = {
    "overview": "overview",
    "closing": "closing",
    "imprint": "imprint",
    "signings": "signings-section",
    "projects": "projects-section",
    "problems": "problems-section",
    "annex": "annex-section",
}

# a county edition's own row in the city's tables; inline, so the HTML and the PDF show
# it without a rule in the publish template's CSS
HIGHLIGHT_STYLE = ' style="background:#fff1c2;font-weight:bold"'

PRINT_TEXT_MAX = 200  # characters of one ledger text cell that the PDF prints

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


def lines_html(lines: list[str], lang: str) -> str:
    """Lines set apart by ``<br>`` (English lines keep the space between their words, so
    the text without the tags still reads)."""
    return (" <br>" if lang == "en" else "<br>").join(html.escape(line) for line in lines)


def _cell(content: str, cls: str = "", tag: str = "td", attrs: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<{tag}{c}{attrs}>{content}</{tag}>"


def light_html(light, lang: str) -> str:
    if isinstance(light, fmt.Reason):  # no light, and why (未报送, 无法读取, 无目标)
        return html.escape(light)
    key = fmt.light_key(light)
    if key is None:
        return fmt.DASH
    return (
        f'<span class="light light-{key}"><span class="light-mark" aria-hidden="true">'
        f"</span>{html.escape(fmt.light_word(key, lang))}</span>"
    )


def long_text_html(text: str) -> str:
    """A ledger text cell. Over :data:`PRINT_TEXT_MAX` characters, the page holds the
    whole text for the screen and its beginning with "…" for print (the PDF would
    otherwise lay out pages of it); the Excel sheet has it all."""
    if len(text) <= PRINT_TEXT_MAX:
        return f'<div class="cell">{html.escape(text)}</div>'
    return (
        f'<div class="cell"><span class="screen-only">{html.escape(text)}</span>'
        f'<span class="print-only">{html.escape(text[:PRINT_TEXT_MAX])}…</span></div>'
    )


def _hash_html(text: str) -> str:
    if text == fmt.DASH:
        return text
    full, short = html.escape(text), html.escape(text[:12])
    return f'<span class="hash-short" title="{full}">{short}…</span><span class="hash-full">{full}</span>'


def table_html(table: Table) -> str:
    """A :class:`Table` as HTML: caption above, a horizontally scrollable box (phones),
    numbers right-aligned, the total row bold, notes below. Print sets it as
    :func:`~bulletin.publish.layout.fit_table` says (as the Word document does): the
    column widths (``<col style="--w: …">``), the header cells' lines (``<br>``
    between words, never inside one) and the font size (``--print-size``)."""
    fit = fit_table(table)
    head = []
    for col, lines in zip(table.columns, fit.headers):
        plain = col.kind in ("text", "ledger")
        cls = "text wrap" if col.wrap else _HEADER_CLASS.get(col.kind, "plain" if plain else col.kind)
        head.append(_cell(lines_html(lines, table.lang), cls, "th", ' scope="col"'))
    cols = "".join(f'<col style="--w: {share:.2f}%">' for share in fit.shares)
    body = []
    for r, values in enumerate(table.rows):
        cells = []
        for c, col in enumerate(table.columns):
            text = table.text(r, c)
            if col.kind == "region":
                cells.append(_cell(html.escape(text), "region", "th", ' scope="row"'))
            elif col.kind == "light":
                cells.append(_cell(light_html(values[c], table.lang), "light-col"))
            elif col.kind == "hash":
                cells.append(_cell(_hash_html(text), "hash"))
            elif col.kind in fmt.NUMERIC_KINDS or col.kind == "size":
                cells.append(_cell(html.escape(text), "num"))
            elif col.wrap:  # ledger text: wraps anywhere
                cells.append(_cell(long_text_html(text), "text"))
            else:
                cells.append(_cell(html.escape(text), "plain" if col.kind in ("text", "ledger") else col.kind))
        tr = '<tr class="total">' if r < table.total_rows else "<tr>"
        if r in table.highlight:
            tr = '<tr class="highlight">'
            cells = [re.sub(r"^<(td|th)\b", rf"<\1{HIGHLIGHT_STYLE}", cell) for cell in cells]
        body.append(tr + "".join(cells) + "</tr>")
    notes = "".join(f'<p class="table-note">{html.escape(n)}</p>' for n in table.notes)
    cap = html.escape(table.caption)
    printed = table.printed_caption  # an 附件's only table: none, the 附件's title is above it
    shown = f'<p class="caption">{html.escape(printed)}</p>' if printed else ""
    return (
        f'<div class="table-block table-{table.cls}" id="{html.escape(table.key)}">'
        f"{shown}"
        f'<div class="table-scroll"><table class="{table.cls}" aria-label="{cap}" style="--print-size: {fit.size}pt">'
        f"<colgroup>{cols}</colgroup><thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody>"
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


def paragraph_html(p: Paragraph) -> str:
    if p.style == "printed":  # 版记: 印发机关 on the left, 印发日期 on the right
        return (
            f'<p class="printed"><span class="printed-by">{html.escape(p.lead_in)}</span>'
            f'<span class="printed-on">{html.escape(p.text)}</span></p>'
        )
    if p.style == "lead":
        return f'<p class="lead">{html.escape(p.text)}</p>'
    if p.style == "annex_list":  # 附件说明: 附件：1.…, the next ones under the first's title
        lead = f'<span class="annex-lead">{html.escape(p.lead_in)}</span>' if p.lead_in else ""
        return f'<p class="annex-list{" first" if p.lead_in else ""}">{lead}{html.escape(p.text)}</p>'
    if p.lead_in:
        return f'<p class="{p.style}"><strong>{html.escape(p.lead_in)}</strong>{html.escape(p.text.strip())}</p>'
    c = f' class="{p.style}"' if p.style else ""
    return f"<p{c}>{html.escape(p.text.strip())}</p>"


def block_html(block) -> str:
    if isinstance(block, Table):
        return table_html(block)
    if isinstance(block, Chart):
        return chart_html(block)
    if isinstance(block, Heading):
        return f"<h3>{html.escape(block.text)}</h3>"
    return paragraph_html(block)


def mark_size(mark: str) -> int:
    """The red header's font size (pt) that keeps the issuing office's mark on one line
    of the 156 mm text block (at most 36 pt).

    >>> mark_size("双鸭山市商务局文件"), mark_size("双鸭山市招商引资工作领导小组办公室文件")
    (36, 23)
    """
    return max(12, min(36, int(440 / max(len(mark), 1))))


def header_html(doc: Document) -> str:
    """The document's head: the red header and 发文字号 (when set in document.yaml), the
    title, the statistics period and the recipients (主送机关). The header carries the
    edition's language and the run time (from manifest.json) for the publisher: the
    HTML ``lang`` and the PDF's creation date come from there, never from a clock."""
    m = doc.masthead
    run_time = html.escape(doc.run_time, quote=True)
    parts = []
    if m.red_header and m.mark:
        parts.append(f'<p class="red-mark" style="--mark-size: {mark_size(m.mark)}pt">{html.escape(m.mark)}</p>')
    if m.doc_number:
        parts.append(f'<p class="doc-number">{html.escape(m.doc_number)}</p>')
    if m.red_header and m.mark:
        parts.append('<hr class="red-rule">')
    lines = title_lines(doc.title, doc.lang)  # balanced, broken between phrases only
    parts.append(f'<h1 class="bulletin-title">{lines_html(lines, doc.lang)}</h1>')
    parts.append(f'<p class="subtitle">{html.escape(doc.subtitle)}</p>')
    if m.recipients:
        text = label("doc.recipients", doc.lang, names=m.recipients)
        parts.append(f'<p class="recipients">{html.escape(text)}</p>')
    return (
        f'<header class="bulletin-header" data-lang="{doc.lang}" data-run-time="{run_time}">'
        + "".join(parts)
        + "</header>"
    )


def section_html(section: Section, first_annex: bool = False) -> str:
    """A section; '' when it has nothing to show. The first 附件 starts a new page (in
    print), the others follow it."""
    inner = "".join(block_html(b) for b in section.blocks)
    if not inner:
        return ""
    heading = f"<h2>{html.escape(section.heading)}</h2>" if section.heading else ""
    if section.annex:  # 附件1 at the top left, its title centred, on a page of its own
        lang = "en" if section.title.isascii() else "zh"
        lines = title_lines(section.title, lang, ANNEX_TITLE_PT)
        title = f'<p class="annex-title">{lines_html(lines, lang)}</p>'
        number = f'<h2 class="annex-number">{html.escape(section.heading)}</h2>'
        cls = "annex-section first" if first_annex else "annex-section"
        return f'<section class="{cls}">{number}{title}{inner}</section>'
    if section.internal:
        return f'<footer class="sources internal">{heading}{inner}</footer>'
    cls = SECTION_CLASS.get(section.key, f"{section.key}-section")
    return f'<section class="{cls}">{heading}{inner}</section>'


def fragments(doc: Document, internal: bool = False) -> list[str]:
    """The issued document in parts, in order — the head, then each section (one
    ``display(HTML(...))`` each in the notebook); ``internal=True``: the internal
    edition's annex (files, hashes, program version), shown after them and published
    only in ``bulletin.internal.html``."""
    if internal:
        parts = [section_html(s) for s in doc.sections if s.internal]
    else:
        first = next((s for s in doc.issued() if s.annex), None)
        parts = [header_html(doc), *[section_html(s, s is first) for s in doc.issued()]]
    return [p for p in parts if p]


def page_html(doc: Document, internal: bool = False) -> str:
    """The issued document's fragments in order (``internal``: with the internal annex)."""
    return "\n".join(fragments(doc) + (fragments(doc, internal=True) if internal else []))
