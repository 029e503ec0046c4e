"""四、重点项目, its last part: the key projects per 包保领导 (issue 14, SPEC §9) — one row
per county and leader (the same title, 王书记, in two counties is two people), with the
names of the projects not yet started; a county without a status column has its
leaders' starts marked 台账缺列 and left out of the city's started figure, said so
(SPEC §12). A county edition has its own leaders. Every word comes from
``wording/<lang>/breakdowns.yaml``.
"""

from __future__ import annotations

import pandas as pd

from bulletin.report import format as fmt
from bulletin.report import missing
from bulletin.report.breakdown_sections import config_of, frame, leader_key, name_of, who
from bulletin.report.document import Column, Heading, Numbers, Paragraph, Section, Table, display_text
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, sentence, tier_name
from bulletin.report.tables import is_true

MOST = 5  # leaders named for the most projects not started (more of them tied: none named)


# --------------------------------------------------------------------------- 四、重点项目: 包保领导
def leader_frame(ed: Edition) -> pd.DataFrame | None:
    """The leader rows of breakdowns.csv, one per county and leader (a county edition:
    its own), registry order, with the names of the projects not yet started."""
    df = frame(ed, "leader", ed.region or "")
    if df is None:
        return None
    order = ed.data.region_order()
    df = df.assign(_o=df["region"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    d = config_of(ed).definitions
    names: dict[tuple[str, str], list[str]] = {}
    p = ed.data.projects
    if p is not None and not p.empty and {"tier", "started", "lead", "region"} <= set(p.columns):
        unknown = missing.starts_unknown(ed.data)
        p = p[p["tier"].isin(d.leader_tiers) & ~p["started"].map(is_true) & ~p["region"].isin(unknown)]
        for rec in p.to_dict("records"):
            names.setdefault((rec["region"], leader_key(rec["lead"], d.leader_blank)), []).append(
                display_text(rec.get("project"))
            )
    df["not_started"] = df["projects"] - df["started"]
    df["names"] = [names.get((r, k), []) for r, k in zip(df["region"], df["key"])]
    return df.reset_index(drop=True)


def leader_table(ed: Edition, num: Numbers, df: pd.DataFrame) -> Table:
    """表: per county and 包保领导 the key projects, those started, the start rate, those
    not started and their names."""
    lang = ed.lang
    cols = [
        Column(label("col.seq", lang), "seq"),
        Column(label("col.region", lang), "region"),
        Column(label("col.leader", lang), "text"),
        Column(label("col.leader_projects", lang), "count"),
        Column(label("col.started", lang), "count"),
        Column(label("col.start_rate", lang), "pct"),
        Column(label("col.not_started_n", lang), "count"),
        Column(label("col.not_started_names", lang), "ledger", wrap=True),
    ]
    rows = []
    unknown = missing.starts_unknown(ed.data)
    why = fmt.Reason(label(f"miss.cell.{missing.NO_COLUMN}", lang))
    for i, rec in enumerate(df.to_dict("records"), start=1):
        names = label("p.list", lang).join(rec["names"]) if rec["names"] else None
        starts = [rec["started"], rec["start_rate"], rec["not_started"]]
        rows.append(
            [
                i,
                rec["region"],
                name_of(rec["key"], lang),
                rec["projects"],
                *([why] * 3 if rec["region"] in unknown else starts),
                names,
            ]
        )
    if ed.region:
        cols, rows = cols[:1] + cols[2:], [r[:1] + r[2:] for r in rows]
    started = [f"{t}_started" for t in config_of(ed).definitions.leader_tiers]
    gaps = missing.column_note(ed, ("projects",), started)
    notes = ([] if ed.region else [label("note.leader", lang)]) + ([gaps] if gaps else [])
    return Table(
        "leader",
        num.next("table", "leader"),
        label("cap.leader", lang, subject=ed.name(ed.subject)),
        label("sheet.leader", lang),
        cols,
        rows,
        lang,
        notes=notes,
        cls="list",
    )


def leader_text(ed: Edition, df: pd.DataFrame, table: Table) -> str:
    """How many projects and leaders, how many have every project started, who has the
    most projects not started (when few share it), the projects without a leader, and
    where the table is."""
    lang = ed.lang
    d = config_of(ed).definitions
    named = df[df["key"] != d.leader_blank]
    tiers = join([tier_name(t, lang) for t in d.leader_tiers], lang)
    key = "leader.lead_region" if ed.region else "leader.lead"
    no_status = missing.lacked(ed, ed.subject, f"{d.leader_tiers[0]}_started", "projects") if ed.region else None
    if no_status:  # the county's ledger has no status column: its starts are not known (SPEC §12)
        key = "leader.lead_region_no_status"
    parts = [
        label(
            key,
            lang,
            subject=who(ed) + missing.coverage(ed, "projects"),
            tiers=tiers,
            projects=fmt.count(df["projects"].sum()),
            leaders=fmt.count(len(named)),
            started=fmt.count(df["started"].sum()),
            column=no_status or "",
        )
        # the started figure leaves out the counties whose ledger has no status column
        + missing.coverage(ed, "projects", indicators=[f"{t}_started" for t in d.leader_tiers], submitted=False)
    ]

    done = named[(named["projects"] > 0) & (named["started"] >= named["projects"])]
    if len(done):
        parts.append(label("leader.all_started", lang, leaders=fmt.count(len(done))))
    most = named["not_started"].max() if len(named) else 0
    worst = named[named["not_started"] == most] if most and most > 0 else named.iloc[0:0]
    if 0 < len(worst) <= MOST:
        items = [
            r["key"] if ed.region else label("leader.item", lang, region=ed.name(r["region"]), leader=r["key"])
            for r in worst.to_dict("records")
        ]
        parts.append(label("leader.most_not_started", lang, items=join(items, lang), n=fmt.count(most)))
    blank = df[df["key"] == d.leader_blank]
    if len(blank):
        parts.append(label("leader.blank", lang, projects=fmt.count(blank["projects"].sum())))
    parts.append(label("leader.see", lang, table=table.number))
    return sentence(parts, lang, sep="p.semi")


def add_leaders(sec: Section, ed: Edition, num: Numbers, n: int) -> None:
    """Append the 包保领导 part to the key-projects section ``sec`` as its ``n``-th
    sub-section: heading, sentence, table."""
    df = leader_frame(ed)
    if df is None or df.empty:
        return
    table = leader_table(ed, num, df)
    heading = label("sec.tier", ed.lang, n=label(f"num.{n}", ed.lang), tier=label("sub.leader", ed.lang))
    sec.add(Heading(heading))
    sec.add(Paragraph(leader_text(ed, df, table)))
    sec.add(table)
