"""The bulletin's model, built once: :func:`document` → :class:`Document`.

Usage (this is what the bulletin notebook does)::

    cfg = month_config("2020-06", processed_dir)       # bulletin.config: loaded once, here
    data = load("2020-06", processed_dir, cfg)         # bulletin.report.load: Data.config
    doc = document(data, lang="zh", region="")          # the city's bulletin
    for fragment in page.fragments(doc): display(HTML(fragment))   # bulletin.publish.page
    excel.write_workbook(doc, reports_dir)              # bulletin.publish.excel

The document in order: title and subtitle; 一、总体情况 (opening paragraph with the
亿元以上 signings, monthly chart); 二、各县区 (sentences, the signings table, the
completion chart); 三、招商引资结构 (by chain, by origin area, funds in place:
:mod:`bulletin.report.breakdown_sections`); 四、重点项目 (per tier a heading, a paragraph, its
table and its projects not started; the start-rate chart; the projects per 包保领导:
:mod:`bulletin.report.leaders`);
五、存在问题 (numbered problems, the data-quality table); 六、下一步工作要求 (the
office's text, :mod:`bulletin.report.requirements`; left out when empty); 附表 (the
largest signings); 数据来源与说明 (definitions, row accounting, input files,
provenance). Tables and charts are numbered as they are made, in that order.

The edition — language and county — is the parameter of :func:`document`: a county
edition (``region="宝清县"``) has the same sections about one county, its own figures
leading, the city's and the other regions' as context, its lists holding its own rows.
Which parts an edition has is decided here and only here.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from bulletin.contract import CITY, TIERS
from bulletin.errors import WordingError
from bulletin.report import (
    breakdown_sections,
    county,
    figures,
    leaders,
    lights,
    missing,
    requirements,
    revision,
    sentences,
    tables,
)
from bulletin.report import format as fmt
from bulletin.report.document import (
    ANNEX,
    ANNEX_TABLES,
    DEFAULT_ANNEX,
    Document,
    Heading,
    Masthead,
    Numbers,
    Paragraph,
    Section,
    Table,
    annex_group,
)
from bulletin.report.edition import Edition
from bulletin.report.labels import DEFAULT_LANG, label, render_pattern, wording
from bulletin.report.load import Data

log = logging.getLogger(__name__)


def document(data: Data, lang: str = DEFAULT_LANG, region: str | None = "") -> Document:
    """The bulletin of ``data`` in ``lang``: the city's, or (``region``: a county's name
    or one of its configured aliases) that county's edition. Its words come from the
    wording files of ``lang`` (packaged, or the run's configuration folder's)."""
    lang = wording(lang, data.config)
    ed = Edition(data, lang, data.resolve_region(region))
    num = Numbers(lang, annex=annex_setting(data))
    lead = county.county_lead_text(ed) if ed.region else sentences.lead_text(ed)
    summary = sentences.with_trend(ed, breakdown_sections.with_large(ed, lead))
    doc = Document(
        period=data.period,
        lang=lang,
        region=ed.region,
        title=revision.title(ed, title(ed)),  # （修订） after an issue whose figures changed
        subtitle=sentences.subtitle_text(ed),
        run_time=data.run_time,
        summary=summary,
        notes=label(
            "src.notes",
            lang,
            lights=lights.explanation(data.definitions, lang),
            in_statistics=lights.in_statistics_note(data.definitions, lang),
        ),
        masthead=masthead(ed),
        config=data.config,
    )
    doc.sections.append(revision.section(ed))  # 修订说明 (SPEC §13), None when nothing changed
    doc.sections = [s for s in doc.sections if s is not None]
    doc.sections.append(overview(ed, num, summary))
    doc.sections.append(signings(ed, num))
    doc.sections.append(breakdown_sections.structure(ed, num))
    doc.sections.append(projects(ed, num))
    leaders.add_leaders(doc.sections[-1], ed, num, len(TIERS) + 1)
    doc.sections.append(problems(ed, num))
    doc.sections.extend(next_steps(ed))
    doc.sections.append(closing(ed, doc))
    place_annexes(doc, num)
    doc.sections.append(imprint(ed, doc))
    doc.sections.append(sources(ed, num, doc))
    log.info(
        "bulletin %s (%s%s): %d tables, %d charts",
        data.period,
        lang,
        f", {ed.region}" if ed.region else "",
        len(doc.tables),
        len(doc.charts),
    )
    return doc


# --------------------------------------------------------------------------- the document's own details
def _setting(data: Data, key: str) -> str:
    value = (data.document or {}).get(key)
    return "" if value is None or value is False else str(value).strip()


def _day(text: str, lang: str) -> str:
    """A date of document.yaml as the document writes it (2020年7月10日); text that is
    not an ISO date is shown as written."""
    shown = fmt.date_text(text, lang)
    return text if shown == fmt.DASH else shown


def title(ed: Edition) -> str:
    """The title: document.yaml's pattern (``title``; the English edition ``title_en``)
    with {{ city }}, {{ year }}, {{ period_name }}, else the wording's doc.title."""
    pattern = _setting(ed.data, "title_en" if ed.lang == "en" else "title")
    if not pattern:
        return sentences.title_text(ed)
    fields = {
        "city": ed.name(ed.region or ed.data.city),
        "year": ed.data.year,
        "period_name": fmt.period_span(ed.data.period, ed.lang, title=True),
        "period": fmt.period_label(ed.data.period, ed.lang),
    }
    try:
        return render_pattern(pattern, **fields)
    except Exception as exc:  # noqa: BLE001 - jinja2's errors, said in Chinese with the file named
        known = "、".join("{{ " + k + " }}" for k in fields)
        raise WordingError(
            f"document.yaml 的 title：{exc}；可用的是 {known}", file="document.yaml", field="title"
        ) from exc


def masthead(ed: Edition) -> Masthead:
    """document.yaml's details; an empty field is left out. The date defaults to the day
    of the run (manifest.json's run time, never the clock)."""
    data, lang = ed.data, ed.lang
    issuer = _setting(data, "issuer")
    date = _setting(data, "date") or (data.run_time[:10] if data.run_time else data.period_end.isoformat())
    red = bool((data.document or {}).get("red_header"))
    mark = _setting(data, "red_header_text") or (label("doc.mark", lang, issuer=issuer) if issuer else "")
    return Masthead(
        issuer=issuer,
        doc_number=_setting(data, "doc_number"),
        recipients=_setting(data, "recipients"),
        date=_day(date, lang),
        copy_to=_setting(data, "copy_to"),
        printed_by=_setting(data, "printed_by"),
        printed_on=_day(_setting(data, "printed_on"), lang) if _setting(data, "printed_on") else "",
        red_header=red,
        mark=mark if red else "",
    )


def overview(ed: Edition, num: Numbers, summary: str) -> Section:
    """一、总体情况: the opening paragraph, who did not report (SPEC §7), and the monthly
    cumulative chart."""
    sec = Section("overview", label("sec.overview", ed.lang))
    sec.add(Paragraph(summary, "lead"))
    sec.add(Paragraph(missing.overview_text(ed)))  # who did not report which ledger ('' : all did)
    title = (
        label("fig.monthly_region", ed.lang, region=ed.name(ed.region)) if ed.region else label("fig.monthly", ed.lang)
    )
    sec.add(figures.monthly_chart(ed, num, title))
    return sec


def signings(ed: Edition, num: Numbers) -> Section:
    """二、各县区: leaders and laggards (a county: its standing), the per-region table
    and the completion chart."""
    heading = label("sec.signings_region" if ed.region else "sec.signings", ed.lang)
    sec = Section("signings", heading)
    sec.add(Paragraph(county.signings_text(ed) if ed.region else sentences.signings_text(ed)))
    sec.add(Paragraph(requirements.light_actions_text(ed)))  # 表扬/约谈 (document.yaml light_actions)
    sec.add(tables.signings_table(ed, num))
    sec.add(figures.completion_chart(ed, num))
    sec.add(tables.top_signings_table(ed, num, region=ed.region))  # the largest signings (附件 by default)
    return sec


def projects(ed: Edition, num: Numbers) -> Section:
    """四、重点项目: per tier a heading, a paragraph, the tier's table (the city's) and
    its projects not started; a county edition opens with its tiers in one table."""
    data, lang = ed.data, ed.lang
    sec = Section("projects", label("sec.projects", lang))
    tiers = [t for t in TIERS if data.num(CITY, f"{t}_projects")]
    if ed.region and tiers:
        sec.add(tables.tiers_table(ed, tiers, num))
    for i, tier in enumerate(TIERS, start=1):
        table = tables.projects_table(ed, tier, num) if tier in tiers and not ed.region else None
        ns = tables.not_started_table(ed, tier, num, region=ed.region) if tier in tiers else None
        text = county.tier_text(ed, tier, ns) if ed.region else sentences.tier_text(ed, tier, ns)
        sec.add(Heading(sentences.tier_heading(ed, i, tier)))
        sec.add(Paragraph(text))
        sec.add(table)
        sec.add(ns)
    rows = [CITY, ed.region] if ed.region else data.rows
    title = (
        label("fig.start_rate_region", lang, region=ed.name(ed.region)) if ed.region else label("fig.start_rate", lang)
    )
    sec.add(figures.start_rate_chart(ed, num, rows, title))
    return sec


def problems(ed: Edition, num: Numbers) -> Section:
    """五、存在问题, generated from the data, with the data-quality table (a county: its
    ledger rows to fix)."""
    sec = Section("problems", label("sec.problems", ed.lang))
    if ed.region:
        table = tables.findings_table(ed, num)
        paragraphs = county.county_problems(ed, table)
    else:
        table = tables.quality_table(ed, num)
        paragraphs = sentences.city_problems(ed)
    for p in paragraphs:
        sec.add(p)
    sec.add(table)
    return sec


def next_steps(ed: Edition) -> list[Section]:
    """六、下一步工作要求: the office's text from the wording files (``next.text``, one
    paragraph per line); no section when the office left it empty."""
    paragraphs = requirements.next_steps_paragraphs(ed)
    if not paragraphs:
        return []
    sec = Section("next_steps", label("sec.next_steps", ed.lang))
    for text in paragraphs:
        sec.add(Paragraph(text))
    return [sec]


# --------------------------------------------------------------------------- placement: the body and 附件
def annex_setting(data: Data) -> tuple[str, ...]:
    """document.yaml's ``annex``: the tables (by id, :data:`ANNEX_TABLES`) printed as
    附件 after the text instead of in it; absent: :data:`DEFAULT_ANNEX`, ``[]``: none.
    An unknown id is an error naming it (a typo would otherwise move nothing)."""
    value = (data.document or {}).get("annex")
    if value is None:
        return DEFAULT_ANNEX
    ids = [value] if isinstance(value, str) else value if isinstance(value, list) else [value]
    unknown = [str(i) for i in ids if str(i) not in ANNEX_TABLES]
    if unknown:
        known = "、".join(ANNEX_TABLES)
        raise WordingError(
            f"document.yaml 的 annex：未知的表 {'、'.join(unknown)}；可用的是 {known}",
            file="document.yaml",
            field="annex",
        )
    return tuple(str(i) for i in ids)


def _with_sentence(text: str, sentence: str, lang: str) -> str:
    """``text`` with ``sentence`` added before its first sentence that names an 附件
    (so the annexes are named in their order), else at its end.

    >>> _with_sentence("甲。尚未开复工的见附件3。", "乙详见附件2。", "zh")
    '甲。乙详见附件2。尚未开复工的见附件3。'
    """
    text, gap = text.rstrip(), " " if lang == "en" else ""
    pattern = re.escape(label("cap.annex", lang, n=0)).replace("0", r"\d+")
    m = re.search(pattern, text)
    if m is None:
        return text + gap + sentence
    if lang == "en":
        k = text.rfind(". ", 0, m.start())
        start = k + 2 if k >= 0 else 0
    else:
        start = text.rfind("。", 0, m.start()) + 1
    return text[:start] + sentence + (gap if start < len(text) else "") + text[start:].lstrip()


def place_annexes(doc: Document, num: Numbers) -> None:
    """Move the tables numbered as 附件 out of the text into sections of their own, in
    their numbers' order, after the closing (署名, 日期) and before the 版记; where the
    text does not yet name an annex, a line says where it is (详见附件1); the closing
    lists them (附件说明, GB/T 9704-2012 7.3.3)."""
    annexes: list[Table] = []
    for section in doc.sections:
        blocks = []
        for block in section.blocks:
            if not (isinstance(block, Table) and block.key in num.annexed):
                blocks.append(block)
                continue
            block.annex = True
            annexes.append(block)
            named = any(isinstance(b, Paragraph) and block.number in b.text for b in section.blocks)
            if not named:  # said at the end of the paragraph before, else on its own
                see = label("annex.see", doc.lang, table=block.number, title=block.title)
                last = blocks[-1] if blocks else None
                if isinstance(last, Paragraph) and last.style in ("", "problem") and last.text.rstrip()[-1:] in "。.":
                    blocks[-1] = Paragraph(_with_sentence(last.text, see, doc.lang), last.style, last.lead_in)
                else:
                    blocks.append(Paragraph(see))
        section.blocks = blocks
    if not annexes:
        return
    groups: dict[str, list[Table]] = {}  # by 附件 number, in the numbers' order
    for t in annexes:
        groups.setdefault(t.number, []).append(t)
    closing = doc.section("closing")
    at = next((i for i, b in enumerate(closing.blocks) if b.style in ("signature", "date")), len(closing.blocks))
    ordered = sorted(groups.items(), key=lambda item: int(re.sub(r"\D", "", item[0]) or 0))
    for i, (number, group) in enumerate(ordered):
        title = annex_title(group, doc.lang)
        text = label("annex.list_item", doc.lang, n=i + 1, title=title)
        closing.blocks.insert(at + i, Paragraph(text, "annex_list", label("annex.list", doc.lang) if i == 0 else ""))
        for t in group:
            t.annex_part = len(group) > 1
        doc.sections.append(Section(ANNEX, number, list(group), title=title))


def annex_title(tables: list[Table], lang: str) -> str:
    """An 附件's title: its table's, or for several the wording's annex.group.<group>
    (the structure's without the funds table, a county's: annex.group.structure_signings)."""
    if len(tables) == 1:
        return tables[0].title
    group = annex_group(tables[0].key)
    if group == "structure" and not any(t.key == "funds" for t in tables):
        group = "structure_signings"
    return label(f"annex.group.{group}", lang)


def closing(ed: Edition, doc: Document) -> Section:
    """The end of the text: the definitions (说明), what a county edition is, then the
    issuing office (发文机关署名) and the date (成文日期)."""
    lang = ed.lang
    sec = Section("closing", "")
    sec.add(Paragraph(doc.notes, "notes"))
    if ed.region:
        sec.add(Paragraph(county.edition_line(ed), "notes"))
    if lang != "zh":
        sec.add(Paragraph(label("src.ledger_text", lang), "notes"))
    m = doc.masthead
    if m.issuer:
        sec.add(Paragraph(m.issuer, "signature"))
    sec.add(Paragraph(m.date, "date"))
    return sec


def imprint(ed: Edition, doc: Document) -> Section:
    """版记: 抄送, 印发机关 and 印发日期 (only those set in document.yaml)."""
    m, lang = doc.masthead, ed.lang
    sec = Section("imprint", "")
    if m.copy_to:
        sec.add(Paragraph(label("imprint.copy_to", lang, names=m.copy_to), "copy_to"))
    if m.printed_by or m.printed_on:
        on = label("imprint.printed_on", lang, printed_on=m.printed_on) if m.printed_on else ""
        sec.add(Paragraph(on, "printed", m.printed_by))
    return sec


def _sum(df: pd.DataFrame, col: str) -> int:
    return int(pd.to_numeric(df[col], errors="coerce").fillna(0).sum()) if col in df else 0


def sources(ed: Edition, num: Numbers, doc: Document) -> Section:
    """The internal edition's annex (never in the issued document): row accounting and
    quality counts (a county: its own, said so), the input files with their SHA-256,
    the code version and the run time."""
    data, lang = ed.data, ed.lang
    sec = Section("sources", label("sec.internal", lang), internal=True)
    sec.add(Paragraph(label("src.internal", lang), "notes"))
    pre, where = "src.", {}
    if ed.region:
        pre, where = "rsrc.", {"region": ed.name(ed.region)}
    acc = ed.own(data.accounting)
    if acc is not None and not acc.empty:
        counts = {
            "sheets": len(acc),
            "rows": _sum(acc, "rows_read"),
            "records": _sum(acc, "records"),
            "other": _sum(acc, "total_note_rows"),
            "rejected": _sum(acc, "rejected_rows"),
        }
        sec.add(Paragraph(label(pre + "accounting", lang, **counts, **where)))
    q = ed.own(data.quality)
    if q is not None:
        sev = q["severity"].str.strip().str.lower() if "severity" in q else pd.Series([])
        errors, warnings = int((sev == "error").sum()), int((sev == "warning").sum())
        if errors or warnings:
            sec.add(Paragraph(label(pre + "quality", lang, errors=errors, warnings=warnings, **where)))
        else:
            sec.add(Paragraph(label(pre + "quality_clean", lang, **where)))
    man = data.manifest
    if man is None:
        sec.add(Paragraph(label("src.no_manifest", lang), "provenance"))
    else:
        sec.add(tables.inputs_table(ed, num))
        doc.provenance = [
            label("src.code_version", lang, version=str(man.get("code_version") or fmt.DASH)),
            label("src.run_time", lang, time=fmt.datetime_text(man.get("run_time"))),
        ]
        sec.add(Paragraph(label("p.gap", lang).join(doc.provenance), "provenance"))
    sec.add(Paragraph(label("src.generated", lang), "provenance"))
    return sec
