"""What the bulletin says where a county's figure is missing (SPEC §7, issue 10).

A county that did not submit a ledger type (``submissions.csv``: ``not_submitted``) or
whose file could not be read (``unreadable``) has empty figures for that type in
indicators.csv. Where such a figure would stand, the bulletin says why — a table cell
holds a :class:`~bulletin.report.format.Reason` (未报送, 无法读取; 无目标 for a completion,
light or rank without a target), never 0, a light or a rank; the table's note and the
paragraph of 一、总体情况 name who did not report which ledger and the unreadable files;
the 全市 sentences say which counties their figures leave out. Every word comes from the
wording files (``miss.*``).

A county that submitted a ledger without a column some figures need (SPEC §12: no
投资方所在地 in the signings, no 开复工情况 or 累计完成投资 in the projects …; the
register's ``missing``) has those figures empty too, and 全市's are taken over the
other counties: the cell says 台账缺列, the table's note names the county and the
column, and the 全市 sentence that gives such a figure says which counties it leaves
out and why (:func:`column_gaps`) — never a city figure over part of the counties
without a word, and never 未报送 for a county that did submit.
"""

from __future__ import annotations

from bulletin.contract import PUBLISHED_STATUSES, SUBMISSION_STATUSES, SUBMITTED_LEDGERS
from bulletin.indicators.compute import NEEDS_COLUMN, needs_column
from bulletin.report import format as fmt
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, sentence

SUBMITTED, NOT_SUBMITTED, UNREADABLE, NOT_THIS_PERIOD, REGION_CONFLICT, NOT_UPDATED = SUBMISSION_STATUSES
# the statuses whose figures are empty, each with its mark (miss.cell.<status>) —
# SPEC §7, §11.7 (非本期台账), §11.9 (所属县区不清); the file ones name their files
BLANK = (NOT_SUBMITTED, UNREADABLE, NOT_THIS_PERIOD, REGION_CONFLICT)
WITH_FILES = (UNREADABLE, NOT_THIS_PERIOD, REGION_CONFLICT)
TARGETS = "targets"
NEEDS_TARGET = ("signed_amount_completion", "signed_light", "signed_completion_rank")


NO_COLUMN = "no_column"  # the mark of a figure whose column the county's ledger lacks


def column_gaps(ed: Edition, ledgers, indicators=None, columns=None) -> list[tuple[str, str, list[str]]]:
    """``(ledger, column, regions)`` of each needed column that some counties' ledgers
    of ``ledgers`` lack, for the figures ``indicators``; ``None``: the columns that
    every figure of their ledger needs (a signing ledger without 投资方所在地).
    ``columns``: only these."""
    out = []
    for (ledger, column), regions in ed.data.lacking.items():
        if ledger not in ledgers or (columns is not None and column not in columns):
            continue
        if indicators is None:
            wanted = NEEDS_COLUMN[(ledger, column)] is None
        else:
            wanted = any(needs_column(i, ledger, column) for i in indicators)
        if wanted:
            out.append((ledger, column, regions))
    return out


def column_name(ed: Edition, ledger: str, column: str) -> str:
    return label(f"miss.col.{ledger}.{column}", ed.lang)


def starts_unknown(data) -> list[str]:
    """The counties whose projects ledger has no status column: whether their projects
    started is not known, so none of them is listed as not started."""
    return data.lacking.get(("projects", "status"), [])


def lacks(ed: Edition, region: str, indicator: str, ledger: str) -> str | None:
    """The column ``region``'s ledger lacks that ``indicator`` needs, or None."""
    return next((column for _, column, regions in column_gaps(ed, (ledger,), [indicator]) if region in regions), None)


def lacked(ed: Edition, subject: str, indicator: str, ledger: str) -> str | None:
    """The name of the column ``subject``'s missing ``indicator`` lacks (全市: when no
    county that reported the ledger has it), or None."""
    if ed.value(subject, indicator) is not None:
        return None
    gaps = column_gaps(ed, (ledger,), [indicator])
    if subject in ed.data.regions:
        gaps = [gap for gap in gaps if subject in gap[2]]
    return column_name(ed, ledger, gaps[0][1]) if gaps else None


def reason(ed: Edition, region: str, indicator: str, ledger: str) -> fmt.Reason | None:
    """Why ``region`` has no ``indicator``, a figure of ``ledger`` (``signings``,
    ``activities``, ``projects`` or ``targets``: the table or chart showing it says
    which); None when it has one, or there is nothing to explain."""
    data = ed.data
    if region not in data.regions or data.value(region, indicator) is not None:
        return None
    status, _ = data.status(region, ledger)
    if status in BLANK:
        return fmt.Reason(label(f"miss.cell.{status}", ed.lang))
    if lacks(ed, region, indicator, ledger) is not None:
        return fmt.Reason(label(f"miss.cell.{NO_COLUMN}", ed.lang))
    if indicator in NEEDS_TARGET and data.value(region, "signed_amount_target") is None:
        return fmt.Reason(label("miss.cell.no_target", ed.lang))
    return None


def cell(ed: Edition, region: str, indicator: str, ledger: str):
    """A table cell: the figure, or the reason it is missing."""
    why = reason(ed, region, indicator, ledger)
    return why if why is not None else ed.value(region, indicator)


def nothing_read(ed: Edition, region: str) -> fmt.Reason | None:
    """Why nothing at all of ``region`` was read (no ledger submitted; 无法读取 when a
    file of it could not be read), None when something was."""
    statuses = {ed.data.status(region, x)[0] for x in SUBMITTED_LEDGERS}
    if statuses & set(PUBLISHED_STATUSES):
        return None
    mark = next((x for x in WITH_FILES if x in statuses), NOT_SUBMITTED)
    return fmt.Reason(label(f"miss.cell.{mark}", ed.lang))


def regions_with(ed: Edition, ledger: str, status: str) -> list[str]:
    return [r for r in ed.data.regions if ed.data.status(r, ledger)[0] == status]


def ledger_names(ledgers: list[str], lang) -> str:
    return join([label(f"miss.ledger.{x}", lang) for x in ledgers], lang)


def region_items(ed: Edition, region: str, ledgers=SUBMITTED_LEDGERS) -> list[str]:
    """What ``region`` did not report: 岭东区未报送签约项目、招商活动台账 / 宝山区签约项目
    台账无法读取（宝山区6月份招商台账.xlsx）."""
    lang, data = ed.lang, ed.data
    name = ed.name(region)
    missing = [x for x in ledgers if data.status(region, x)[0] == NOT_SUBMITTED]
    with_files: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for x in ledgers:
        status, files = data.status(region, x)
        if status in WITH_FILES:
            with_files.setdefault((status, files), []).append(x)
    items = []
    if missing:
        items.append(label("miss.item.not_submitted", lang, region=name, ledgers=ledger_names(missing, lang)))
    for (status, files), kinds in with_files.items():
        shown = label("p.list", lang).join(files) or fmt.DASH
        items.append(label(f"miss.item.{status}", lang, region=name, ledgers=ledger_names(kinds, lang), files=shown))
    return items


def not_updated_items(ed: Edition, ledgers=SUBMITTED_LEDGERS) -> list[str]:
    """The counties (of the edition) whose ledgers are byte-identical to last month's
    (SPEC §11.7), those with the same ledgers together: 宝清县、饶河县签约项目、招商活动
    台账未更新（与上月台账相同）."""
    regions = [ed.region] if ed.region else ed.data.regions
    groups: dict[tuple[str, ...], list[str]] = {}
    for region in regions:
        kinds = tuple(x for x in ledgers if ed.data.status(region, x)[0] == NOT_UPDATED)
        if kinds:
            groups.setdefault(kinds, []).append(ed.name(region))
    lang = ed.lang
    return [
        label("miss.item.not_updated", lang, region=join(names, lang), ledgers=ledger_names(list(kinds), lang))
        for kinds, names in groups.items()
    ]


def not_updated_text(ed: Edition, ledgers=SUBMITTED_LEDGERS) -> str:
    """The sentence saying who is 未更新 and what their figures are ('' : nobody)."""
    found = not_updated_items(ed, ledgers)
    if not found:
        return ""
    return sentence([label("miss.not_updated", ed.lang, items=label("p.semi", ed.lang).join(found))], ed.lang)


def items(ed: Edition, ledgers=SUBMITTED_LEDGERS) -> list[str]:
    """:func:`region_items` of every region of the edition (a county edition: its own)."""
    regions = [ed.region] if ed.region else ed.data.regions
    return [i for r in regions for i in region_items(ed, r, ledgers)]


def targets_text(ed: Edition, every_region: bool = False) -> str:
    """Who sent no annual target (the targets workbook missing, unreadable, or a county
    not in it): no completion, light or rank for them. A county edition speaks of the
    county only, unless ``every_region`` (a table of every region)."""
    lang, all_regions = ed.lang, ed.data.regions
    regions = [ed.region] if ed.region and not every_region else all_regions
    unread = regions_with(ed, TARGETS, UNREADABLE)
    none = regions_with(ed, TARGETS, NOT_SUBMITTED)
    if unread and set(unread) == set(all_regions) and len(regions) > 1:
        files = sorted({f for r in unread for f in ed.data.status(r, TARGETS)[1]})
        return label("miss.targets_unreadable", lang, files=label("p.list", lang).join(files) or fmt.DASH)
    if none and set(none) == set(all_regions) and len(regions) > 1:
        return label("miss.targets_none", lang)
    names = [ed.name(r) for r in regions if r in unread or r in none]
    return label("miss.targets_some", lang, regions=join(names, lang)) if names else ""


def marks(ed: Edition, regions, ledgers=SUBMITTED_LEDGERS) -> str:
    """The marks the figures of ``regions``' ``ledgers`` carry: “未报送”, “无法读取”, or
    both (“未报送”或“无法读取”) — only those that occur."""
    lang = ed.lang
    statuses = {ed.data.status(r, x)[0] for r in regions for x in ledgers}
    used = [label("miss.mark", lang, mark=label(f"miss.cell.{x}", lang)) for x in BLANK if x in statuses]
    if len(used) < 2:
        return "".join(used)
    return label("miss.marks_or", lang, a=label("p.list", lang).join(used[:-1]), b=used[-1])


def overview_text(ed: Edition) -> str:
    """The paragraph of 一、总体情况 on who did not report (a county edition: the county);
    '' when every ledger came in."""
    lang, out = ed.lang, []
    found = [] if ed.region else items(ed)  # a county edition's lead says it
    if found:
        consequence = label("miss.consequence", lang, marks=marks(ed, ed.data.regions))
        out.append(sentence([label("miss.intro", lang) + label("p.semi", lang).join(found)], lang, sep="p.semi"))
        out.append(sentence([consequence], lang))
    if not ed.region:
        out.append(not_updated_text(ed))
    targets = targets_text(ed)
    if targets:
        out.append(sentence([targets], lang))
    return "".join(out).strip()


def table_note(ed: Edition, ledgers: tuple[str, ...], indicators=None) -> str | None:
    """The note under a table of the regions' figures of ``ledgers``: who is marked
    未报送 / 无法读取 (with the files) and that 全市 sums the others, and whose ledger
    lacks a column the table's ``indicators`` need (None: a column every figure of
    ``ledgers`` needs: :func:`column_note`); None when all came in."""
    lang = ed.lang
    regions = ed.data.regions
    found = [i for r in regions for i in region_items(ed, r, ledgers)]
    resent = [] if ed.region else not_updated_items(ed, ledgers)
    stale = label("miss.note_not_updated", lang, items=label("p.semi", lang).join(resent)) if resent else ""
    gaps = column_note(ed, ledgers, indicators)
    if not found:
        return (stale + gaps) or None
    note = label("miss.table_note", lang, items=label("p.semi", lang).join(found), marks=marks(ed, regions, ledgers))
    return note + stale + gaps


def column_note(ed: Edition, ledgers, indicators=None) -> str:
    """注：尖山区签约项目台账缺少“投资方所在地”列，表中需要该列的数字标为“台账缺列” … ('' :
    no county's ledger lacks a column the table's ``indicators`` need; ``None``: the
    columns every figure of ``ledgers`` needs, as :func:`column_gaps`)."""
    lang, items = ed.lang, []
    for ledger, column, regions in column_gaps(ed, ledgers, indicators):
        names = join([ed.name(r) for r in regions], lang)
        what = label(f"miss.ledger.{ledger}", lang)
        items.append(
            label(f"miss.item.{NO_COLUMN}", lang, region=names, ledger=what, column=column_name(ed, ledger, column))
        )
    if not items:
        return ""
    mark = label(f"miss.cell.{NO_COLUMN}", lang)
    return label("miss.table_note_columns", lang, items=label("p.semi", lang).join(items), mark=mark)


def coverage(ed: Edition, *ledgers: str, indicators=None, submitted: bool = True, columns=None) -> str:
    """（不含未报送的岭东区、台账无法读取的宝山区） after a 全市 figure of ``ledgers``; ''
    when every county reported them (or the edition is a county's). ``indicators``:
    the figures the sentence gives, for the counties whose ledger lacks a column they
    need (:func:`column_gaps`); ``submitted=False``: those counties alone (the clause
    follows one that already named who did not report); ``columns``: only those."""
    items = coverage_items(ed, *ledgers, indicators=indicators, submitted=submitted, columns=columns)
    return label("miss.coverage", ed.lang, items=items) if items else ""


def coverage_items(ed: Edition, *ledgers: str, indicators=None, submitted: bool = True, columns=None) -> str:
    """未报送的岭东区、台账无法读取的宝山区、台账缺少“投资方所在地”列的尖山区 ('' : none
    left out); see :func:`coverage`."""
    if ed.region:
        return ""
    lang = ed.lang
    parts, seen = [], set()
    for status in BLANK if submitted else ():
        found = [
            r for r in ed.data.regions if r not in seen and any(ed.data.status(r, x)[0] == status for x in ledgers)
        ]
        seen.update(found)
        if found:
            parts.append(label(f"miss.cov.{status}", lang, regions=join([ed.name(r) for r in found], lang)))
    for ledger, column, regions in column_gaps(ed, ledgers, indicators, columns):
        names = [ed.name(r) for r in regions]
        parts.append(
            label(f"miss.cov.{NO_COLUMN}", lang, column=column_name(ed, ledger, column), regions=join(names, lang))
        )
    return label("p.list", lang).join(parts)


def gap_items(ed: Edition, region: str, ledgers=SUBMITTED_LEDGERS) -> list[str]:
    """尖山区签约项目台账缺少“投资方所在地”列: ``region``'s ledgers of ``ledgers`` that lack
    a column every figure of their type needs (so the county has none of them)."""
    lang, out = ed.lang, []
    for ledger, column, regions in column_gaps(ed, ledgers):
        if region in regions:
            what = label(f"miss.ledger.{ledger}", lang)
            name = column_name(ed, ledger, column)
            out.append(label(f"miss.item.{NO_COLUMN}", lang, region=ed.name(region), ledger=what, column=name))
    return out


def ledger_text(ed: Edition, region: str, ledger: str) -> str:
    """A county's sentence where its figures of ``ledger`` would be ('' when it
    reported them): 岭东区未报送签约项目台账，不计算完成率、不亮灯、不排名; 尖山区签约项目
    台账缺少“投资方所在地”列，不计算完成率、不亮灯、不排名."""
    found = region_items(ed, region, (ledger,)) or gap_items(ed, region, (ledger,))
    if not found:
        return ""
    text = label("p.semi", ed.lang).join(found)
    if ledger == "signings":
        text += label("p.comma", ed.lang) + label("miss.no_standing", ed.lang)
    return text


def signings_sentence(ed: Edition) -> str:
    """The city's section 二: the counties without signing figures, not ranked, no light."""
    regions = [ed.region] if ed.region else ed.data.regions
    found = items(ed, ("signings",)) + [i for r in regions for i in gap_items(ed, r, ("signings",))]
    if not found:
        return ""
    return sentence(
        [label("p.semi", ed.lang).join(found) + label("p.comma", ed.lang) + label("miss.not_ranked", ed.lang)], ed.lang
    )


def county_lead(ed: Edition) -> str:
    """A county edition's opening when the county did not report a ledger: what it did
    not report and that its figures are marked so ('' when it reported all)."""
    gaps = gap_items(ed, ed.region)
    found = region_items(ed, ed.region) + gaps
    stale = not_updated_text(ed)
    if not found:
        return stale
    lang = ed.lang
    span = fmt.period_span(ed.data.period, lang)
    head = label("miss.county_lead", lang, span=span, items=label("p.semi", lang).join(found))
    statuses = {ed.data.status(ed.region, x)[0] for x in SUBMITTED_LEDGERS} | ({NO_COLUMN} if gaps else set())
    marks = join([label(f"miss.cell.{x}", lang) for x in (*BLANK, NO_COLUMN) if x in statuses], lang)
    marks = label("miss.county_marks", lang, marks=marks)
    return sentence([head, marks], lang) + stale


def city_scope(ed: Edition) -> str:
    """The completion's scope when counties' signings are missing, or lack a column
    every signing figure needs: the target is the whole city's ('' when every county
    reported its signings in full)."""
    if coverage(ed, "signings", columns=()):
        return label("miss.target_scope", ed.lang)
    return label("miss.target_scope_gap", ed.lang) if coverage(ed, "signings", submitted=False) else ""


def problem(ed: Edition) -> tuple[str, str] | None:
    """四、存在问题: 部分县区台账未报送或无法读取 (a county edition: its own), with who
    and which files; None when every ledger came in."""
    found = items(ed)
    if not found:
        return None
    key = "miss.problem.region" if ed.region else "miss.problem.title"
    return label(key, ed.lang), sentence([label("p.semi", ed.lang).join(found)], ed.lang)
