"""The bulletin's model as an editable Word document in the 公文 layout of GB/T 9704-2012:
``<reports_dir>/<period>/bulletin.docx`` (the English edition ``bulletin.en.docx``).

Written with python-docx from the same :class:`~bulletin.report.document.Document` as
the HTML and the workbook, so that the office can edit it before issuing (a leader's
remark, a sentence of emphasis) and restyle it in Word or WPS:

* A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a 156 × 225 mm text
  block; 22 lines (a line grid, ``w:docGrid`` of 28.95 pt, and exact 28.95 pt line
  spacing) of 28 characters (16 pt characters condensed by 0.25 pt: Word's character
  grid is not used, LibreOffice spreads every character and table cell to it);
* named paragraph styles the office can change once for the whole document —
  ``公文标题`` (2号 方正小标宋简体), ``Normal`` (3号 仿宋_GB2312, first line indented two
  characters, 28.95 pt lines), ``Heading 1`` (一、 黑体), ``Heading 2`` (（一） 楷体_GB2312),
  ``表题`` (captions), ``表格文字`` (table text, 五号) — each with the East Asian font
  set (``w:eastAsia``) so that Word and WPS pick the Chinese face, and a Latin face
  for digits (Times New Roman);
* page numbers 4号 “— 1 —” at the foot, odd pages right, even pages left (a PAGE
  field in different odd and even footers);
* tables as real Word tables, the header row repeated on every page and no row split
  across pages, numbers right-aligned; charts as PNG images;
* 发文字号, 主送机关, 发文机关署名, 成文日期 and 版记 (抄送, 印发机关和印发日期) from
  ``document.yaml`` when they are set (an empty field is left out), and an optional red
  header (红头): the issuing office's mark in red and a red rule.

A style template the office keeps (``reference.docx`` in the configuration folder):
its styles are used as they are, the layout above is only applied to what it lacks.
The issued edition holds no provenance (no program version, no file list): that is in
the internal edition (``bulletin.internal.html``) and manifest.json.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import math
from pathlib import Path

from bulletin import paths
from bulletin.files import atomic_write
from bulletin.paths import resolve_dir
from bulletin.publish.docx_xml import PPR_ORDER, RPR_ORDER, cell_text, el, qn, set_child, set_style, xml_text
from bulletin.publish.layout import ANNEX_TITLE_PT, EN_STYLES, fit_table, title_lines
from bulletin.publish.names import edition_files
from bulletin.publish.page import mark_size
from bulletin.publish.reference import reference_file
from bulletin.report import format as fmt
from bulletin.report.document import Chart, Document, Heading, Paragraph, Table
from bulletin.report.labels import label

log = logging.getLogger(__name__)

# GB/T 9704-2012: page and text block (mm)
PAGE_W, PAGE_H = 210, 297
TOP, LEFT, BLOCK_W, BLOCK_H = 37, 28, 156, 225
RIGHT, BOTTOM = PAGE_W - LEFT - BLOCK_W, PAGE_H - TOP - BLOCK_H  # 26, 35
LINES, CHARS = 22, 28
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 五号
CHART_MAX_H = 72  # mm: a chart's height at most (bulletin.css: figure.chart img max-height)
LINE_PITCH_TWIPS = int(BLOCK_H / 25.4 * 1440 / LINES)  # 579: 22 lines in 225 mm
LINE_PT = LINE_PITCH_TWIPS / 20  # 28.95 pt
# 28 characters in 156 mm: 16 pt characters condensed by 0.25 pt (w:spacing, twentieths)
CONDENSE_TWIPS = math.floor((BLOCK_W / 25.4 * 72 / CHARS - BODY_PT) * 20)  # -5: 28 × 15.75 pt ≤ 156 mm

FONTS = {  # style → (East Asian face, Latin face)
    "title": ("方正小标宋简体", "Times New Roman"),
    "body": ("仿宋_GB2312", "Times New Roman"),
    "h1": ("黑体", "Times New Roman"),
    "h2": ("楷体_GB2312", "Times New Roman"),
    "page": ("宋体", "Times New Roman"),
}
RED = "FF0000"
LIGHT_FILL = {"green": "C8E6C9", "yellow": "FFF0B3", "red": "FFCDD2", "blue": "BBDEFB", "orange": "FFE0B2"}
NUMERIC = ("money", "pct", "count", "seq", "size")

REFERENCE = "reference.docx"


def docx_name(lang: str) -> str:
    """``bulletin.docx`` / ``bulletin.en.docx``: editions never overwrite each other."""
    return edition_files(lang)["docx"]


def document_path(reports_dir, period: str, region: str = "", lang: str = "zh") -> Path:
    base = resolve_dir(reports_dir, paths.REPORTS_DIR) / period
    return (base / "regions" / region if region else base) / docx_name(lang)


# --------------------------------------------------------------------------- low-level XML
# (elements, text, paragraph styles and table cells: bulletin.publish.docx_xml)
def _rpr(element):
    return element if element.tag == qn("w:rPr") else element.get_or_add_rPr()


def set_fonts(element, east: str, latin: str, size: float | None = None, bold: bool | None = None, color=None):
    """The fonts of a style, a run or a w:rPr: East Asian (``w:eastAsia``) and Latin faces,
    size, weight, colour."""
    rpr = _rpr(element)
    set_child(rpr, "rFonts", RPR_ORDER, ascii=latin, hAnsi=latin, cs=latin, eastAsia=east)
    if bold is not None:
        set_child(rpr, "b", RPR_ORDER, val="1" if bold else "0")
        set_child(rpr, "bCs", RPR_ORDER, val="1" if bold else "0")
    if color:
        set_child(rpr, "color", RPR_ORDER, val=color)
    if size is not None:
        set_child(rpr, "sz", RPR_ORDER, val=round(size * 2))
        set_child(rpr, "szCs", RPR_ORDER, val=round(size * 2))


def _indent_chars(pf_element, first: int = 0, left: int = 0, right: int = 0) -> None:
    """Indents in characters (``w:firstLineChars`` etc., hundredths of a character), with
    the same in twips for applications that ignore character units."""
    ppr = pf_element.get_or_add_pPr()
    twips = BODY_PT * 20
    attrs = {}
    if first:
        attrs.update(firstLine=first * twips, firstLineChars=first * 100)
    if left:
        attrs.update(left=left * twips, leftChars=left * 100)
    if right:
        attrs.update(right=right * twips, rightChars=right * 100)
    if attrs or ppr.find(qn("w:ind")) is not None:
        set_child(ppr, "ind", PPR_ORDER, **(attrs or {"firstLine": 0, "firstLineChars": 0}))


def _page_field(paragraph) -> None:
    """“— PAGE —”: a PAGE field between two 一字线 (em dashes)."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = el("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(el("w:fldChar", fldCharType=kind))
    paragraph.add_run(" —")


# --------------------------------------------------------------------------- styles and page
def _style(doc, name: str, base: str | None = None, paragraph: bool = True):
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    try:
        return styles[name], False
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH if paragraph else WD_STYLE_TYPE.CHARACTER)
        if base:
            style.base_style = styles[base]
        return style, True


def _paragraph_style(style, fonts, size, align=None, *, first_chars=0, line_pt=LINE_PT, bold=False, keep_next=False):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    set_fonts(style.element, *fonts, size=size, bold=bold)
    if size == BODY_PT:  # 28 characters a line
        set_child(style.element.get_or_add_rPr(), "spacing", RPR_ORDER, val=CONDENSE_TWIPS)
    if not line_pt:  # tables, captions, pictures: their own line height, not the body's grid
        set_child(style.element.get_or_add_pPr(), "snapToGrid", PPR_ORDER, val="0")
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next
    pf.widow_control = True
    if first_chars:
        _indent_chars(style.element, first=first_chars)
    else:  # not the body's two-character indent (inherited from Normal)
        set_child(style.element.get_or_add_pPr(), "ind", PPR_ORDER, firstLine=0, firstLineChars=0)


def setup_styles(doc, keep_existing: bool = False, lang: str = "zh") -> None:
    """The 公文 styles (see the module docstring; the English edition: its PDF's sizes).
    ``keep_existing``: a style the office's template already has is left as it is."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Pt

    specs = [
        ("Normal", None, FONTS["body"], BODY_PT, A.JUSTIFY, 2, LINE_PT, False, False),
        ("公文标题", "Normal", FONTS["title"], TITLE_PT, A.CENTER, 0, 35, False, True),
        ("Heading 1", "Normal", FONTS["h1"], BODY_PT, A.JUSTIFY, 2, LINE_PT, False, True),
        ("Heading 2", "Normal", FONTS["h2"], BODY_PT, A.JUSTIFY, 2, LINE_PT, False, True),
        ("表题", "Normal", FONTS["h1"], 14, A.CENTER, 0, 0, False, True),
        ("表格文字", "Normal", FONTS["body"], TABLE_PT, None, 0, 0, False, False),
        ("表注", "Normal", FONTS["body"], TABLE_PT, A.LEFT, 0, 0, False, False),
        ("版记", "Normal", FONTS["body"], 14, A.LEFT, 0, LINE_PT, False, False),
        ("页码", "Normal", FONTS["page"], PAGE_NUMBER_PT, None, 0, 0, False, False),
    ]
    for name, base, fonts, size, align, first, line, bold, keep in specs:
        if lang == "en" and name in EN_STYLES:
            size, first, line, bold = EN_STYLES[name]
        style, new = _style(doc, name, base)
        if keep_existing and not new:
            continue
        _paragraph_style(style, fonts, size, align, first_chars=first, line_pt=line, bold=bold, keep_next=keep)
        if name.startswith("Heading"):
            from docx.shared import RGBColor

            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = lang == "en" and name == "Heading 2"
            style.font.bold = lang == "en" and name == "Heading 1"
        if lang == "en" and name in ("Normal", "Heading 1", "Heading 2"):
            style.paragraph_format.space_after = Pt(6)
    # the document's defaults: the body's faces and size, East Asian text in Chinese
    rpr = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None and not keep_existing:
        set_fonts(rpr, *FONTS["body"], size=EN_STYLES["Normal"][0] if lang == "en" else BODY_PT)
        set_child(rpr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN")


def setup_page(doc, lang: str = "zh") -> None:
    """A4, the GB/T 9704 margins, the 22 × 28 grid (the English edition: none, its lines
    are 1.5 of its 12 pt), odd and even footers with the page number."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(15)
    # the number's line 7 mm below the text block: its bottom ~23 mm above the page edge
    section.footer_distance = Mm(BOTTOM - 7 - 5)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = el("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines" if lang != "en" else "default")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS if lang != "en" else 360))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.style = doc.styles["页码"]
        p.alignment = align
        # 单页码居右空一字，双页码居左空一字
        _indent_chars(p._p, **{side: 1})
        _page_field(p)


# --------------------------------------------------------------------------- content
def _para(doc, text: str, style: str = "Normal", align=None, indent: dict | None = None, bold_lead: str = ""):
    p = doc.add_paragraph()
    set_style(doc, p, style)
    if bold_lead:
        p.add_run(xml_text(bold_lead)).bold = True
    if text:
        p.add_run(xml_text(text))
    if align is not None:
        p.alignment = align
    if indent is not None:
        _indent_chars(p._p, **indent)
    return p


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(el("w:cantSplit", val="true"))  # (the schema's order: cantSplit, …, tblHeader)
    trpr.append(el("w:tblHeader", val="true"))


def add_table(doc, table: Table, keep_rows: int = 0) -> None:
    """A caption (表1　…) and a real Word table: header row repeated on each page, no row
    split, numbers right-aligned, the total row bold, lights on a fill of their colour.
    ``keep_rows``: the header row and that many first rows stay on one page with what
    is above them (an 附件's number and title: bulletin.css does the same)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Mm

    if table.printed_caption:  # an 附件's only table: none, the 附件's title is above it
        _para(doc, table.printed_caption, "表题")
    fit = fit_table(table)  # widths, header lines and size as the PDF has them
    size = fit.size if fit.size != TABLE_PT else None
    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = [Mm(w) for w in fit.widths]
    rows = [row.cells for row in t.rows]  # python-docx rebuilds a row's cells at each access
    for c in range(len(table.columns)):
        t.columns[c].width = widths[c]  # the grid (LibreOffice reads it)
        for cells in rows:
            cells[c].width = widths[c]  # the cells (Word reads them)
        cell_text(doc, rows[0][c], "\n".join(fit.headers[c]), A.CENTER, bold=True, size=size)
    _repeat_header(t.rows[0])
    for r, values in enumerate(table.rows):
        cells = rows[r + 1]
        t.rows[r + 1]._tr.get_or_add_trPr().append(el("w:cantSplit", val="true"))
        for c, col in enumerate(table.columns):
            text = table.text(r, c)
            align = A.RIGHT if col.kind in NUMERIC else (A.CENTER if col.kind == "light" else A.LEFT)
            fill = LIGHT_FILL.get(fmt.light_key(values[c]) or "") if col.kind == "light" else None
            bold = r < table.total_rows or r in table.highlight
            cell_text(doc, cells[c], text, align, bold=bold, fill=fill, size=size)
    for cells in rows[: min(keep_rows, len(table.rows))]:  # the header and rows 1…n-1: each with the next
        for cell in cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
    for note in table.notes:
        _para(doc, note, "表注")


def add_chart(doc, chart: Chart) -> None:
    """The chart as a PNG image across the text block, its caption below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm

    if not chart.png:
        return
    p = doc.add_paragraph()
    set_style(doc, p, "表格文字")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True
    png = base64.b64decode(chart.png)
    w, h = int.from_bytes(png[16:20], "big") or 1, int.from_bytes(png[20:24], "big")  # the PNG's IHDR
    width = min(BLOCK_W - 6, CHART_MAX_H * w / max(h, 1))  # at most 72 mm high, as in the PDF
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width))
    _para(doc, chart.caption, "表题")


def add_imprint(doc, blocks) -> None:
    """版记: 抄送 and 印发 between two black rules (GB/T 9704: 版记 at the end), kept
    together on one page."""
    if not blocks:
        return
    start = len(doc.paragraphs)
    _rule(doc, "000000", 8)
    add_blocks(doc, blocks)
    _rule(doc, "000000", 8)
    for p in doc.paragraphs[start:-1]:
        p.paragraph_format.keep_with_next = True


ANNEX_KEPT_ROWS = 5  # an 附件 opens with its number, title, header row and first five rows


def add_blocks(doc, blocks, keep_rows: int = 0) -> None:
    for block in blocks:
        if isinstance(block, Table):
            add_table(doc, block, keep_rows)
        elif isinstance(block, Chart):
            add_chart(doc, block)
        elif isinstance(block, Heading):
            _para(doc, block.text, "Heading 2")
        elif isinstance(block, Paragraph):
            add_paragraph(doc, block)


def add_annex_head(doc, section, first: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    if first:
        doc.add_page_break()
    else:
        _para(doc, "", "Normal")
    _para(doc, section.heading, "Heading 1", A.LEFT, indent={})
    lang = "en" if section.title.isascii() else "zh"
    title = _para(doc, "\n".join(title_lines(section.title, lang, ANNEX_TITLE_PT)), "公文标题")
    for run in title.runs:
        set_fonts(run._r, *FONTS["title"], size=ANNEX_TITLE_PT)
    _para(doc, "", "表格文字").paragraph_format.keep_with_next = True


def add_paragraph(doc, p: Paragraph) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    if p.style == "annex_list":  # 附件：1.…; the next items under the first's title
        para = _para(doc, p.lead_in + p.text, "Normal", A.LEFT, indent={"first": 2} if p.lead_in else {"left": 5})
        para.paragraph_format.keep_with_next = True  # the end of the text stays with the date
    elif p.style == "signature":
        _para(doc, p.text, "Normal", A.RIGHT, indent={"right": 4}).paragraph_format.keep_with_next = True
    elif p.style == "notes":  # 说明: its last lines go with the 附件说明 and the date (never alone)
        _para(doc, p.text.strip()).paragraph_format.keep_with_next = True
    elif p.style == "date":
        _para(doc, p.text, "Normal", A.RIGHT, indent={"right": 4})
    elif p.style == "copy_to":
        _para(doc, p.text, "版记", indent={"left": 1, "right": 1})
    elif p.style == "printed":  # 印发机关 left, 印发日期 right (a right tab at the block's edge)
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm, Pt

        para = _para(doc, "", "版记", indent={"left": 1, "right": 1})
        para.paragraph_format.tab_stops.add_tab_stop(Mm(BLOCK_W) - Pt(2 * 14), WD_TAB_ALIGNMENT.RIGHT)
        para.add_run(xml_text(p.lead_in + ("\t" + p.text if p.text else "")))
    elif p.style == "empty":
        _para(doc, p.text)
    else:
        _para(doc, p.text.strip(), bold_lead=p.lead_in)


def _rule(doc, color: str = RED, size: int = 12):
    """A horizontal rule (a paragraph's bottom border) across the text block."""
    p = doc.add_paragraph()
    set_style(doc, p, "表格文字")
    borders = set_child(p._p.get_or_add_pPr(), "pBdr", PPR_ORDER)
    borders.append(el("w:bottom", val="single", sz=size, space=1, color=color))
    return p


def add_masthead(doc, d: Document) -> None:
    """版头: the red header (when asked for), 发文字号, then the title, the statistics
    period and the recipients (主送机关)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Pt

    m = d.masthead
    if m.red_header and m.mark:
        p = _para(doc, m.mark, "公文标题", A.CENTER)
        size = mark_size(m.mark)
        p.paragraph_format.line_spacing = Pt(size * 1.4)
        for run in p.runs:
            set_fonts(run._r, FONTS["title"][0], FONTS["title"][1], size=size, color=RED)
        _para(doc, "", "Normal")
    if m.doc_number:
        _para(doc, m.doc_number, "Normal", A.CENTER, indent={})
    if m.red_header and m.mark:
        _rule(doc)
    if m.red_header or m.doc_number:
        _para(doc, "", "Normal")
    _para(doc, "\n".join(title_lines(d.title, d.lang)), "公文标题")  # balanced, between phrases
    sub = _para(doc, d.subtitle, "Normal", A.CENTER, indent={})
    for run in sub.runs:
        set_fonts(run._r, *FONTS["h2"], size=13)
    _para(doc, "", "Normal")
    if m.recipients:
        _para(doc, label("doc.recipients", d.lang, names=m.recipients), "Normal", A.LEFT, indent={})


def build_docx(d: Document, reference: Path | None = None):
    """The Word document (python-docx, not yet saved) of an issued edition."""
    from docx import Document as new_docx

    doc = new_docx(str(reference)) if reference else new_docx()
    if reference:  # an office template: keep its styles, start from an empty body
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    setup_styles(doc, keep_existing=bool(reference), lang=d.lang)
    setup_page(doc, d.lang)
    add_masthead(doc, d)
    first = next((s for s in d.issued() if s.annex), None)
    for section in d.issued():
        if section.annex:  # 附件: the first on a new page; 附件1 top left (黑体), its title centred
            add_annex_head(doc, section, section is first)
        elif section.heading:
            _para(doc, section.heading, "Heading 1")
        if section.key == "imprint":
            add_imprint(doc, section.blocks)
        else:
            add_blocks(doc, section.blocks, ANNEX_KEPT_ROWS if section.annex else 0)
    props = doc.core_properties
    props.title = xml_text(d.title)
    props.author = d.masthead.issuer or "bulletin"
    props.last_modified_by = props.author
    props.language = "zh-CN" if d.lang == "zh" else "en"
    stamp = _stamp(d)
    props.created = props.modified = stamp
    props.revision = 1
    return doc


def _stamp(d: Document) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(d.run_time).replace(tzinfo=None)
    except ValueError:
        return dt.datetime(int(d.period[:4]), int(d.period[5:7]), 1)


def docx_bytes(doc, stamp: dt.datetime) -> bytes:
    """The saved document, with a fixed time in its zip entries: same model, same bytes."""
    import zipfile

    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_document(d: Document, reports_dir: str | Path | None = None) -> Path:
    """Write the edition's Word document atomically, reproducibly; returns its path."""
    path = document_path(reports_dir, d.period, d.region, d.lang)
    # the configuration the edition was built with: its folder's reference.docx
    doc = build_docx(d, reference_file(d.config))
    atomic_write(path, docx_bytes(doc, _stamp(d)))
    log.info("wrote %s", path)
    return path
