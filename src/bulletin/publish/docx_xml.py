"""The Word file's low-level XML (:mod:`bulletin.publish.docx`): elements in the
schema's order, text Word can hold, paragraph styles by id, and table cells' text."""

from __future__ import annotations

import copy
import re


def qn(tag: str) -> str:
    """``"w:p"`` → the element's Clark name."""
    from docx.oxml.ns import qn as clark

    return clark(tag)


def el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), str(v))
    return e


# the schema's order of the children of w:rPr and w:pPr (Word refuses a document whose
# children are out of order)
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
).split()
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()


def set_child(parent, tag: str, order: list[str], **attrs):
    """Replace ``parent``'s child ``w:<tag>`` by one with ``attrs``, at its place in the
    schema's ``order``; returns it."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    new = el(f"w:{tag}", **attrs)
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1 :]}
    for i, child in enumerate(parent):
        if child.tag in later:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    r"""Text as a Word document can hold it: characters XML forbids (control characters
    a ledger may carry) are dropped.

    >>> xml_text("甲\x00乙\x1b丙\t丁")
    '甲乙丙\t丁'
    """
    return _NOT_XML.sub("", text)


def set_style(doc, paragraph, name: str) -> None:
    """A paragraph's style by name, its id looked up once per document (python-docx
    looks the name up among all styles at every assignment: most of the writer's time)."""
    ids = doc.__dict__.setdefault("_bulletin_style_ids", {})
    if name not in ids:
        ids[name] = doc.styles[name].style_id
    paragraph._p.style = ids[name]


def cell_text(doc, cell, text: str, align=None, *, bold: bool = False, fill: str | None = None, size=None) -> None:
    """A cell's text ("\n": a line break, as the header's computed lines); ``size``: the
    table's own font size when it is not the style's.

    The first cell of each look (alignment, weight, fill, size) in a document is written
    through python-docx; the others get copies of its paragraph, run and shading
    properties, and their text: the same XML, without python-docx's per-element schema
    look-ups (most of the Word file's time)."""
    looks = doc.__dict__.setdefault("_bulletin_cell_looks", {})
    look = (align, bold, fill, size)
    if look not in looks:
        looks[look] = _cell_text_through_docx(doc, cell, text, align, bold=bold, fill=fill, size=size)
        return
    ppr, rpr, shd = looks[look]
    tc = cell._tc
    p = tc.p_lst[0]
    p.append(copy.deepcopy(ppr))
    r = p.add_r()
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    text = xml_text(text)
    if text and not _RUN_SPECIAL.search(text):
        r.add_t(text)  # what python-docx writes for text without tabs and breaks
    elif text:
        r.text = text  # python-docx makes "\n" a w:br, "\t" a w:tab, keeps edge spaces
    if shd is not None:
        tc.get_or_add_tcPr().append(copy.deepcopy(shd))


_RUN_SPECIAL = re.compile("[\t\n\r]")


def _cell_text_through_docx(doc, cell, text: str, align=None, *, bold=False, fill=None, size=None) -> tuple:
    """:func:`_cell_text` with python-docx; returns the look's (w:pPr, w:rPr or None,
    w:shd or None), copies to give the other cells of that look."""
    p = cell.paragraphs[0]
    set_style(doc, p, "表格文字")
    run = p.add_run(xml_text(text))  # python-docx makes "\n" a w:br
    if size is not None:
        set_child(run._r.get_or_add_rPr(), "sz", RPR_ORDER, val=round(size * 2))
    if bold:
        run.bold = True
    if align is not None:
        p.alignment = align
    shd = None
    if fill:
        tcpr = cell._tc.get_or_add_tcPr()
        shd = el("w:shd", val="clear", color="auto", fill=fill)
        tcpr.append(shd)
    rpr = run._r.rPr
    return (
        copy.deepcopy(p._p.pPr),
        None if rpr is None else copy.deepcopy(rpr),
        None if shd is None else copy.deepcopy(shd),
    )
