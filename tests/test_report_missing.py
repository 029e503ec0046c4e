"""The bulletin where a county's figure is missing (SPEC §7, issue 10), on the demo
processed folder with one county that did not report (岭东区), one whose only file
could not be read (宝山区) and one without a target (友谊县): every table, chart and
sentence says why — 未报送, 台账无法读取（文件名）, 无目标 — and never shows 0, a light or a
rank for them; the 全市 sentences say whom they leave out. The end-to-end run of the
pipeline (removed and encrypted files): test_completeness_e2e.py."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from bulletin.contract import SUBMISSION_COLUMNS, TIERS
from bulletin.indicators.compute import indicator_ledger
from bulletin.report import breakdown_sections, figures, leaders, missing
from bulletin.report.build import document
from bulletin.report.document import Numbers, Paragraph
from bulletin.report.edition import Edition
from bulletin.report.tables import signings_table
from report_demo import CJK, PERIOD, REGIONS, earlier_overrides, load_month, write_demo_processed

LATE, LOCKED, NO_TARGET = "岭东区", "宝山区", "友谊县"
LOCKED_FILE = "宝山区6月份招商台账.xlsx"
SUBMITTED = [r for r in REGIONS if r not in (LATE, LOCKED)]
NEEDS_TARGET = ("signed_amount_completion", "signed_light", "signed_completion_rank")
SUMMED = ["activities", "leads", "signed_projects", "signed_amount"] + [
    f"{t}_{m}"
    for t in TIERS
    for m in ("projects", "started", "planned_investment", "completed_investment", "in_statistics")
]


def _blank(long: pd.DataFrame, region: str, keep=lambda ind: False) -> pd.DataFrame:
    """The region's figures of every ledger emptied (as the indicator stage leaves a
    county that did not submit them)."""
    hit = (long["region"] == region) & long["indicator"].map(lambda i: indicator_ledger(i) is not None)
    long.loc[hit & ~long["indicator"].map(keep), "value"] = ""
    return long


@pytest.fixture(scope="module")
def late(tmp_path_factory):
    base = write_demo_processed(tmp_path_factory.mktemp("late"), history={"2020-05": earlier_overrides()})
    folder = base / PERIOD
    long = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False)
    for region in (LATE, LOCKED):
        long = _blank(long, region)
    sel = (long["region"] == NO_TARGET) & long["indicator"].isin(NEEDS_TARGET + ("signed_amount_target",))
    long.loc[sel, "value"] = ""
    # 全市 sums the six that reported (its rates are left as they are: not what is tested)
    wide = long.pivot(index="region", columns="indicator", values="value")
    for key in SUMMED:
        total = sum(float(wide.loc[r, key]) for r in SUBMITTED)
        long.loc[(long["region"] == "全市") & (long["indicator"] == key), "value"] = f"{total:g}"
    long.to_csv(folder / "indicators.csv", index=False)
    projects = pd.read_csv(folder / "projects.csv", dtype=str, keep_default_na=False)
    projects[projects["region"].isin(SUBMITTED)].to_csv(folder / "projects.csv", index=False)
    rows = []
    for region in REGIONS:
        for ledger in ("signings", "activities", "projects", "targets"):
            if region == LATE and ledger != "targets":
                rows.append([region, ledger, "not_submitted", "", "", ""])
            elif region == LOCKED and ledger != "targets":
                rows.append([region, ledger, "unreadable", LOCKED_FILE, "", "文件有密码保护"])
            elif region == NO_TARGET and ledger == "targets":
                rows.append([region, ledger, "not_submitted", "", "", ""])
            else:
                rows.append([region, ledger, "submitted", f"{region}.xlsx", "3", ""])
    pd.DataFrame(rows, columns=SUBMISSION_COLUMNS[:6]).to_csv(folder / "submissions.csv", index=False)
    return base


@pytest.fixture(scope="module")
def doc(late):
    return document(load_month(PERIOD, late))


def text_of(doc) -> str:
    return "".join(b.lead_in + b.text for b in doc.blocks(Paragraph))


def row_of(table, region: str) -> list[str]:
    r = [row[0] for row in table.rows].index(region)
    return [table.text(r, c) for c in range(1, len(table.columns))]


LIGHT_WORDS = ("绿灯", "黄灯", "红灯")


def test_tables_say_why_never_zero_a_light_or_a_rank(doc):
    t = doc.tables["signings"]
    # activities, projects, amount, target, completion, light, rank
    assert row_of(t, LATE) == ["未报送", "未报送", "未报送", "25.00", "未报送", "未报送", "未报送"]
    assert row_of(t, LOCKED) == ["无法读取", "无法读取", "无法读取", "15.00", "无法读取", "无法读取", "无法读取"]
    assert row_of(t, NO_TARGET) == ["7", "4", "8.34", "未报送", "无目标", "无目标", "无目标"]
    # 全市 = the six that reported: 12+6+10+7+12+8 activities, 236500+61200+218700+83400+452800+239800 万元
    assert row_of(t, "全市")[:3] == ["55", "40", "129.24"]
    notes = "".join(t.notes)
    assert f"{LATE}未报送招商活动、签约项目台账" in notes
    assert f"{LOCKED}招商活动、签约项目台账无法读取（{LOCKED_FILE}）" in notes and "全市合计只含已报送的县区" in notes
    assert f"{NO_TARGET}未报送年度签约额目标" in notes
    for tier in TIERS:
        tier_table = doc.tables[f"projects-{tier}"]
        assert set(row_of(tier_table, LATE)) == {"未报送"} and set(row_of(tier_table, LOCKED)) == {"无法读取"}
        assert f"{LOCKED}重点项目台账无法读取（{LOCKED_FILE}）" in "".join(tier_table.notes)
    # the data-quality table: a county of which nothing was read is there, saying why
    quality = doc.tables["quality"]
    assert row_of(quality, LATE) == ["未报送"] * 5
    shown = [row[0] for row in quality.rows if row[0] in REGIONS]
    assert shown == sorted(shown, key=REGIONS.index) and LATE in shown  # registry order


def test_the_overview_says_who_did_not_report(doc):
    overview = [b.text for b in doc.section("overview").blocks if isinstance(b, Paragraph)]
    assert overview[1].startswith(
        f"报送情况：{LATE}未报送签约项目、招商活动、重点项目台账；"
        f"{LOCKED}签约项目、招商活动、重点项目台账无法读取（{LOCKED_FILE}）。"
    )
    assert "全市数字为已报送县区之和" in overview[1]
    assert f"{NO_TARGET}未报送年度签约额目标，不计算其完成率、不亮灯、不排名" in overview[1]


def test_city_sentences_say_whom_they_leave_out(doc):
    lead = doc.summary
    assert lead.startswith(f"全市上半年（不含未报送的{LATE}、台账无法读取的{LOCKED}）共开展招商引资活动55次")
    # the city's completion says its target includes the late counties' (right after the rate)
    assert "签约额129.24亿元" in lead
    assert re.search(r"完成年度目标的\d+\.\d%（年度目标含未报送县区），超额完成年度目标", lead)
    assert f"重点项目（不含未报送的{LATE}、台账无法读取的{LOCKED}）：" in lead
    assert f"与1-5月计算结果相比（两期均不含{LATE}、{LOCKED}）" in lead  # like for like (SPEC §13)
    # 全市 provincial key projects: 6+4+7+5+9+6 of the six that reported
    assert (
        f"全市省级百大项目37个，已开复工29个，开复工率78.7%（不含未报送的{LATE}、台账无法读取的{LOCKED}）"
        in text_of(doc)
    )


def test_no_light_or_rank_is_said_of_a_missing_county(doc):
    signings = next(b.text for b in doc.section("signings").blocks if isinstance(b, Paragraph))
    for sentence_ in signings.split("。"):
        if any(w in sentence_ for w in LIGHT_WORDS) or "居前" in sentence_:
            assert LATE not in sentence_ and LOCKED not in sentence_ and NO_TARGET not in sentence_, sentence_
    assert f"{LATE}未报送签约项目台账；{LOCKED}签约项目台账无法读取（{LOCKED_FILE}），不参与排名、不亮灯。" in signings
    problems = [b.lead_in + b.text for b in doc.section("problems").blocks if isinstance(b, Paragraph)]
    assert problems[0] == (
        f"一是部分县区台账未报送或无法读取。{LATE}未报送签约项目、招商活动、重点项目台账；"
        f"{LOCKED}签约项目、招商活动、重点项目台账无法读取（{LOCKED_FILE}）。"
    )
    assert LATE not in "".join(problems[1:]) and "尚无省外签约" not in "".join(problems)


def test_the_completion_chart_says_why(late, monkeypatch):
    seen = {}

    def capture(chart, regions, completion, lights, progress, notes=None, **kw):
        seen.update(zip(regions, zip(completion, notes)))
        return ["<svg/>", "<svg/>", ""]

    monkeypatch.setattr(figures.drawing, "draw_widths", capture)
    figures.completion_chart(Edition(load_month(PERIOD, late)), Numbers("zh"))
    assert seen[LATE] == (None, "未报送") and seen[LOCKED] == (None, "无法读取")
    assert seen[NO_TARGET] == (None, "无目标")
    assert seen["宝清县"][0] == pytest.approx(452800 / 200000)


def test_the_start_rate_chart_says_why(late, monkeypatch):
    seen = {}

    def capture(chart, groups, rates, notes=None, **kw):
        seen.update(zip(groups, notes))
        return ["<svg/>", "<svg/>", ""]

    monkeypatch.setattr(figures.drawing, "draw_widths", capture)
    ed = Edition(load_month(PERIOD, late))
    figures.start_rate_chart(ed, Numbers("zh"), ed.data.rows, "t")
    assert seen[LATE] == "未报送" and seen[LOCKED] == "无法读取" and seen["全市"] == seen["宝清县"] == ""


def test_a_target_without_signings_is_zero_percent_not_no_target(tmp_path, monkeypatch):
    """A county that reported its signings, none in the period, and has a target: 0.0 %,
    a real figure, drawn as a bar (never 无目标)."""
    base = write_demo_processed(
        tmp_path, overrides={"signed_amount": [0, 98600, 61200, 112300, 218700, 83400, 452800, 239800]}
    )
    seen = {}

    def capture(chart, regions, completion, lights, progress, notes=None, **kw):
        seen.update(zip(regions, zip(completion, notes)))
        return ["<svg/>", "<svg/>", ""]

    monkeypatch.setattr(figures.drawing, "draw_widths", capture)
    ed = Edition(load_month(PERIOD, base))
    figures.completion_chart(ed, Numbers("zh"))
    assert float(seen["尖山区"][0]) == 0.0
    assert row_of(signings_table(ed, Numbers("zh")), "尖山区")[4:6] == ["0.0%", "红灯"]


def test_a_county_edition_of_a_county_that_did_not_report(late):
    data = load_month(PERIOD, late)
    county = document(data, region=LATE)
    lead = county.summary
    assert lead.startswith(
        f"上半年，{LATE}未报送签约项目、招商活动、重点项目台账，本版中相应数字标为“未报送”，不按0计。"
    )
    assert not any(w in lead for w in ("亿元", "亮", "居第", "活动" + "0次"))
    assert "本期无在库项目" not in lead  # its key projects are not known, not none
    locked = document(data, region=LOCKED).summary
    assert locked == (
        f"上半年，{LOCKED}签约项目、招商活动、重点项目台账无法读取（{LOCKED_FILE}），本版中相应数字标为“无法读取”，不按0计。"
    )
    signings = next(b.text for b in county.section("signings").blocks if isinstance(b, Paragraph))
    assert signings.startswith(f"{LATE}未报送签约项目台账，不计算完成率、不亮灯、不排名。")
    projects = [b.text for b in county.section("projects").blocks if isinstance(b, Paragraph)]
    assert projects[0] == f"{LATE}未报送重点项目台账。"
    assert set(row_of(county.tables["signings"], LATE)) - {"25.00"} == {"未报送"}
    problems = [b.lead_in + b.text for b in county.section("problems").blocks if isinstance(b, Paragraph)]
    assert problems[0] == f"一是台账未报送或无法读取。{LATE}未报送签约项目、招商活动、重点项目台账。"
    assert not any("质量良好" in p for p in problems)  # nothing was read: no quality to praise


def test_a_reporting_county_is_ranked_among_the_ranked(late):
    """Three of the eight are not ranked (not reported, unreadable, no target): a county
    edition says its rank is of the five ranked, not of 全市8个县区."""
    data = load_month(PERIOD, late)
    ranked = [r for r in REGIONS if r not in (LATE, LOCKED, NO_TARGET)]
    assert len(ranked) == 5
    lead = document(data, region=ranked[0]).summary
    assert "在参与排名的5个县区中居第" in lead
    assert "在全市" not in lead.split("居第")[0][-12:]


def test_the_english_edition_says_it_in_english(late):
    doc = document(load_month(PERIOD, late), "en")
    t = doc.tables["signings"]
    assert row_of(t, LATE)[0] == "not submitted" and row_of(t, LOCKED)[0] == "unreadable"
    assert row_of(t, NO_TARGET)[4] == "no target"
    text = text_of(doc).replace(LOCKED_FILE, "")
    assert "did not submit its signings, activities and key projects ledger" in text
    assert not CJK.search(text.replace("“", "").replace("”", "")), CJK.findall(text)[:20]


@pytest.mark.parametrize(
    "status, said",
    [
        ("not_submitted", "本期未收到年度目标任务表，各县区暂不计算签约额完成率、不亮灯、不排名"),
        ("unreadable", "年度目标任务表无法读取（2020年目标任务.xlsx），各县区暂不计算签约额完成率、不亮灯、不排名"),
    ],
)
def test_a_missing_targets_workbook_is_said(tmp_path, status, said):
    base = write_demo_processed(tmp_path, overrides={"signed_amount_target": [None] * 8})
    rows = [
        [
            r,
            x,
            status if x == "targets" else "submitted",
            "2020年目标任务.xlsx" if x == "targets" else f"{r}.xlsx",
            "",
            "",
        ]
        for r in REGIONS
        for x in ("signings", "activities", "projects", "targets")
    ]
    for row in rows:
        if row[2] == "not_submitted":
            row[3] = ""
    pd.DataFrame(rows, columns=SUBMISSION_COLUMNS[:6]).to_csv(base / PERIOD / "submissions.csv", index=False)
    doc = document(load_month(PERIOD, base))
    overview = [b.text for b in doc.section("overview").blocks if isinstance(b, Paragraph)]
    assert overview[1] == said + "。"
    assert "年度签约额目标未报送，暂不计算完成率" in doc.summary
    t = doc.tables["signings"]
    mark = "未报送" if status == "not_submitted" else "无法读取"
    assert row_of(t, "宝清县")[3:] == [mark, "无目标", "无目标", "无目标"]
    assert said in "".join(t.notes)


def test_the_marks_said_are_the_marks_used(late):
    """The overview and the notes name only the marks the figures carry."""
    ed = Edition(load_month(PERIOD, late))
    assert missing.marks(ed, [LATE]) == "“未报送”"
    assert missing.marks(ed, [LOCKED]) == "“无法读取”"
    assert missing.marks(ed, [NO_TARGET]) == ""
    assert missing.marks(ed, REGIONS) == "“未报送”或“无法读取”"
    assert "以上县区的相应数字在通报中标为“未报送”或“无法读取”，不按0计" in missing.overview_text(ed)


def test_the_funds_table_says_why_a_late_county_has_no_figures(late):
    """到位资金 (issue 14) follows the same rule: a county whose signings were not sent or
    could not be read says so in every figure, and the note names the file."""
    t = breakdown_sections.funds_table(Edition(load_month(PERIOD, late)), Numbers("zh"))
    # signings, amount, signings with funds, funds, rate (then the filling status)
    assert row_of(t, LATE)[:5] == ["未报送"] * 5
    assert row_of(t, LOCKED)[:5] == ["无法读取"] * 5
    assert f"{LOCKED}签约项目台账无法读取（{LOCKED_FILE}）" in "".join(t.notes)


def test_the_chain_and_area_tables_say_whom_they_leave_out(late):
    """The 全市 breakdowns sum the counties that reported their signings: said under them."""
    ed = Edition(load_month(PERIOD, late))
    frame = pd.DataFrame({"key": ["生态旅游"], "signed_projects": [1], "signed_amount": [1.0]})
    for what in ("chain", "area"):
        t = breakdown_sections.signings_breakdown_table(ed, Numbers("zh"), frame, what)
        assert f"注：本表为已报送县区的签约项目之和，不含未报送的{LATE}、台账无法读取的{LOCKED}。" in t.notes
    county = breakdown_sections.signings_breakdown_table(
        Edition(load_month(PERIOD, late), region=NO_TARGET), Numbers("zh"), frame, "chain"
    )
    assert not any("已报送县区" in n for n in county.notes)  # a county's own table leaves nobody out


def test_the_leader_sentence_says_whom_it_leaves_out(late):
    ed = Edition(load_month(PERIOD, late))
    frame = pd.DataFrame(
        {"region": ["尖山区"], "key": ["尖山区|王书记"], "projects": [2], "started": [1], "not_started": [1]}
    )
    text = leaders.leader_text(ed, frame, SimpleNamespace(number="表11"))
    assert text.startswith(f"全市（不含未报送的{LATE}、台账无法读取的{LOCKED}）")
