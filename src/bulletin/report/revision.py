"""修订说明 (SPEC §13): after an issue, a bulletin whose published figures differ from
the issued ones says which, old → new, and why (which input files changed); its title
carries （修订）.

The issued figures come from ``issued_reference.json`` in the processed folder, written
by the run (:func:`bulletin.runner.issue.write_reference`): the latest issue of this
period (its indicators and its inputs' hashes) and of the previous month (for 环比 as
issued: :mod:`bulletin.report.compare`). Without that file (a month processed before,
the workbench) there is nothing issued to compare with.

"Published" figures are those the bulletin shows (:data:`PUBLISHED`), compared as the
bulletin shows them (:func:`bulletin.report.format.display`): a change in the tenth
decimal of a 万元 amount that the bulletin rounds away is no revision.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from bulletin.contract import CITY, ISSUED_REFERENCE, TIERS
from bulletin.report import format as fmt
from bulletin.report.document import Column, Paragraph, Section, Table
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label
from bulletin.report.load import Data

log = logging.getLogger(__name__)

# the figures the bulletin shows, with the kind it shows them as
_SIGNINGS = {
    "signed_projects": "count",
    "signed_amount": "money",
    "signed_amount_target": "money",
    "signed_amount_completion": "pct",
    "signed_light": "light",
    "signed_completion_rank": "count",
    "activities": "count",
    "leads": "count",
    "online_activities": "count",
    "online_leads": "count",
    "online_signed_projects": "count",
    "online_signed_amount": "money",
    "large_signed_projects": "count",
    "large_signed_amount": "money",
    "funds_in_place": "money",
    "funds_in_place_rate": "pct",
}
_MEASURES = {
    "projects": "count",
    "started": "count",
    "start_rate": "pct",
    "planned_investment": "money",
    "completed_investment": "money",
    "investment_rate": "pct",
    "in_statistics": "count",
    "in_statistics_rate": "pct",
}
PUBLISHED: dict[str, str] = {
    **_SIGNINGS,
    **{f"{tier}_{m}": kind for tier in TIERS for m, kind in _MEASURES.items()},
}


def reference(data: Data) -> dict:
    """``issued_reference.json`` of the data's folder ({} when there is none)."""
    try:
        ref = json.loads((data.folder / ISSUED_REFERENCE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("unreadable %s: %s", data.folder / ISSUED_REFERENCE, exc)
        return {}
    return ref if isinstance(ref, dict) else {}


def issued_values(issue: dict | None) -> dict[tuple[str, str], str]:
    """(region, indicator) → value (text, '' when empty) of an issue in the reference."""
    return {(r, i): v for r, i, v in (issue or {}).get("indicators") or []}


@dataclass
class Change:
    region: str
    indicator: str
    old: str  # as the bulletin shows it
    new: str


def indicator_name(indicator: str, lang) -> str:
    """An indicator as the 修订说明 names it (money with its display unit)."""
    for tier in TIERS:
        if indicator.startswith(tier + "_"):
            measure = indicator[len(tier) + 1 :]
            name = label(f"rev.measure.{measure}", lang, tier=label(f"tier.{tier}", lang))
            break
    else:
        name = label(f"rev.ind.{indicator}", lang)
    return name + (label("rev.yuan", lang) if PUBLISHED[indicator] == "money" else "")


def changes(ed: Edition) -> list[Change]:
    """The published figures of the edition that differ from the latest issue of the
    period, as shown (全市 first, then the regions in order; a county edition: 全市 and
    the county). [] when the period was never issued."""
    issue = reference(ed.data).get("this")
    if not issue:
        return []
    old = issued_values(issue)
    regions = [CITY, ed.region] if ed.region else ed.data.rows
    out = []
    for region in regions:
        for indicator, kind in PUBLISHED.items():
            before = old.get((region, indicator), "")
            now = ed.value(region, indicator)
            if not before and now is None and (region, indicator) not in old:
                continue  # neither issue nor now has it
            shown_old, shown_new = fmt.display(kind, before or None, ed.lang), fmt.display(kind, now, ed.lang)
            if shown_old != shown_new:
                out.append(Change(region, indicator, shown_old, shown_new))
    return out


def input_changes(data: Data, issue: dict) -> dict[str, list[str]]:
    """Input files added, removed and changed since the issue (manifest hashes)."""
    before = {i["path"]: i["sha256"] for i in issue.get("inputs") or [] if isinstance(i, dict)}
    now = {i["path"]: i["sha256"] for i in (data.manifest or {}).get("inputs") or [] if isinstance(i, dict)}
    return {
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
        "changed": sorted(p for p in set(now) & set(before) if now[p] != before[p]),
    }


def title(ed: Edition, text: str) -> str:
    """The title, with （修订） when the edition revises an issued figure."""
    return label("doc.revised", ed.lang, title=text) if changes(ed) else text


def section(ed: Edition) -> Section | None:
    """修订说明: which figures changed, old → new (a table), and which input files
    changed; None when nothing the bulletin shows differs from the issue."""
    found = changes(ed)
    if not found:
        return None
    lang, issue = ed.lang, reference(ed.data)["this"]
    sec = Section("revision", label("sec.revision", lang))
    sec.add(
        Paragraph(
            label(
                "rev.intro",
                lang,
                date=fmt.date_text(str(issue.get("issued_at") or "")[:10], lang),
                n=issue.get("number", "?"),
                count=len(found),
            )
        )
    )
    sec.add(
        Table(
            key="revision",
            number=label("rev.table_number", lang),
            title=label("rev.caption", lang),
            sheet=label("rev.sheet", lang),
            columns=[
                Column(label("rev.col.region", lang), "region"),
                Column(label("rev.col.indicator", lang), "text", wrap=True),
                Column(label("rev.col.old", lang), "text"),
                Column(label("rev.col.new", lang), "text"),
            ],
            rows=[[c.region, indicator_name(c.indicator, lang), c.old, c.new] for c in found],
            lang=lang,
            cls="list",
        )
    )
    files = input_changes(ed.data, issue)
    items = [label(f"rev.{k}", lang, files=join(v, lang)) for k, v in files.items() if v]
    sec.add(
        Paragraph(
            label("rev.inputs", lang, items=label("p.semi", lang).join(items))
            if items
            else label("rev.no_inputs", lang)
        )
    )
    return sec
