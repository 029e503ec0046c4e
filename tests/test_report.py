"""Bulletin HTML fragments (bulletin.report, bulletin.charts) on a hand-made processed
folder whose 全市 figures are the 2020 article's."""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from bulletin import charts, report

PERIOD = "2020-06"
REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
HOSTILE = "<script>alert(1)</script>"

# per-region demo figures; the sums are the article's 全市 figures
DEMO = {
    "activities": [12, 8, 6, 7, 10, 7, 12, 8],                      # 70
    "leads": [40, 28, 20, 25, 36, 24, 52, 35],
    "online_activities": [3, 2, 1, 2, 3, 2, 4, 3],
    "online_leads": [15, 10, 8, 9, 14, 8, 20, 15],                 # 99
    "signed_projects": [8, 5, 4, 5, 7, 4, 10, 7],                  # 50
    "signed_amount": [236500, 98600, 61200, 112300, 218700, 83400, 452800, 239800],
    "online_signed_projects": [2, 1, 1, 1, 2, 1, 3, 2],            # 13
    "online_signed_amount": [60000, 20000, 15000, 25000, 70000, 14400, 120000, 80000],
    "signed_amount_target": [150000, 250000, 150000, 150000, 150000, 200000, 200000, 150000],
}
TIER_DEMO = {  # projects, started, planned investment (万元), city investment rate
    "provincial_key": ([6, 5, 4, 5, 7, 5, 9, 6], [5, 4, 3, 4, 6, 3, 7, 5],
                       [52000, 38000, 30000, 41000, 60000, 35000, 78000, 46000], 0.129),
    "municipal_key": ([6, 5, 5, 5, 6, 5, 7, 6], [4, 3, 3, 3, 4, 3, 5, 4],
                      [30000, 26000, 22000, 25000, 34000, 21000, 40000, 28000], 0.137),
    "industrial": ([4, 3, 3, 3, 5, 3, 5, 4], [3, 1, 2, 2, 3, 1, 3, 2],
                   [12000, 8000, 9000, 10000, 15000, 7000, 16000, 11000], 0.143),
}
TIER_NAMES = {"provincial_key": "省百大", "municipal_key": "市百大", "industrial": "产业"}
RATE_SPREAD = [1.1, 0.8, 0.7, 1.0, 1.2, 0.9, 1.1, 1.0]


def _ratio(a, b):
    return a / b if b else None


def _light(completion, progress):
    if completion is None:
        return None
    if completion >= progress:
        return "green"
    return "yellow" if completion >= progress - 0.10 else "red"


def demo_indicators(period: str = PERIOD, overrides: dict | None = None) -> pd.DataFrame:
    """Long indicators (SPEC §4) for 全市 + 8 regions. ``overrides`` maps an indicator
    id to 8 region values (the 全市 value and the derived indicators follow)."""
    month = int(period[5:])
    progress = month / 12
    per = {k: list(v) for k, v in DEMO.items()}
    for tier, (n, started, planned, city_rate) in TIER_DEMO.items():
        per[f"{tier}_projects"] = list(n)
        per[f"{tier}_started"] = list(started)
        per[f"{tier}_planned_investment"] = list(planned)
        done = [round(p * city_rate * s) for p, s in zip(planned, RATE_SPREAD)]
        done[-1] += round(sum(planned) * city_rate) - sum(done)
        per[f"{tier}_completed_investment"] = done
        per[f"{tier}_in_statistics"] = [max(s - 1, 0) if i % 3 == 0 else s
                                        for i, s in enumerate(started)]
    for key, values in (overrides or {}).items():
        per[key] = list(values)
    rows: dict[str, dict] = {"全市": {}}
    for key, values in per.items():
        if key == "signed_amount_target" and all(v is None for v in values):
            rows["全市"][key] = None
        else:
            rows["全市"][key] = sum(v for v in values if v is not None)
        for region, v in zip(REGIONS, values):
            rows.setdefault(region, {})[key] = v
    rows["全市"]["time_progress"] = progress
    for region, r in rows.items():
        r["signed_amount_completion"] = _ratio(r["signed_amount"], r.get("signed_amount_target"))
        r["signed_light"] = _light(r["signed_amount_completion"], progress)
        for tier in TIER_DEMO:
            r[f"{tier}_start_rate"] = _ratio(r[f"{tier}_started"], r[f"{tier}_projects"])
            r[f"{tier}_investment_rate"] = _ratio(r[f"{tier}_completed_investment"],
                                                  r[f"{tier}_planned_investment"])
            r[f"{tier}_in_statistics_rate"] = _ratio(r[f"{tier}_in_statistics"],
                                                     r[f"{tier}_started"])
    ranked = sorted((r for r in REGIONS if rows[r]["signed_amount_completion"] is not None),
                    key=lambda r: -rows[r]["signed_amount_completion"])
    for i, region in enumerate(ranked, start=1):
        rows[region]["signed_completion_rank"] = i
    out = []
    for region, r in rows.items():
        for key, v in r.items():
            out.append({"period": period, "region": region, "indicator": key,
                        "value": "" if v is None else v})
    return pd.DataFrame(out)


def write_demo_processed(base: Path, period: str = PERIOD, overrides: dict | None = None,
                         project_name: str = HOSTILE, manifest: bool = True) -> Path:
    """Write ``base/<period>/`` as the cleaning and indicator stages would."""
    folder = base / period
    folder.mkdir(parents=True, exist_ok=True)
    demo_indicators(period, overrides).to_csv(folder / "indicators.csv", index=False)
    lineage = {"source_file": "宝清县/签约台账.xlsx", "source_sheet": "Sheet1"}
    pd.DataFrame([
        {"region": "宝清县", "project": project_name, "investor": "深圳某某集团有限公司",
         "origin": "广东省深圳市", "out_of_province": True, "chain": "现代煤电化",
         "chain_raw": "煤电化", "signed_on": "2020-05-18", "amount": 152000, "mode": "视频签约",
         "online": True, **lineage, "source_row": 5},
        {"region": "饶河县", "project": "年产10万吨优质白酒项目", "investor": "江苏某酒业公司",
         "origin": "江苏省苏州市", "out_of_province": True, "chain": "粮食和绿色食品深加工",
         "chain_raw": "绿色食品", "signed_on": "2020-03-02", "amount": 51000, "mode": "现场签约",
         "online": False, **lineage, "source_row": 6},
        {"region": "尖山区", "project": "省内项目（不计入）", "investor": "哈尔滨某公司",
         "origin": "黑龙江省哈尔滨市", "out_of_province": False, "chain": "其他",
         "chain_raw": "", "signed_on": "2020-04-01", "amount": 999999, "mode": "现场签约",
         "online": False, **lineage, "source_row": 7},
        {"region": "集贤县", "project": "下半年项目（不计入）", "investor": "北京某公司",
         "origin": "北京市", "out_of_province": True, "chain": "其他", "chain_raw": "",
         "signed_on": "2020-08-01", "amount": 888888, "mode": "现场签约", "online": False,
         **lineage, "source_row": 8},
    ]).to_csv(folder / "signings.csv", index=False)
    projects = []
    for tier in TIER_DEMO:
        for i, region in enumerate(REGIONS):
            projects.append({"region": region, "project": f"{region}{TIER_NAMES[tier]}示例项目{i + 1}",
                             "tier": tier, "planned_investment": 10000, "completed_investment": 0,
                             "status": "前期手续办理中", "started": False,
                             "problems": "用地手续未办结"})
    projects[0]["project"] = project_name
    projects[0]["problems"] = "A&B <b>审批</b>"
    pd.DataFrame(projects).to_csv(folder / "projects.csv", index=False)
    pd.DataFrame([
        {"severity": "error", "ledger": "signings", "region": "宝清县",
         "source_file": "宝清县/签约台账.xlsx", "source_sheet": "Sheet1", "source_row": 9,
         "field": "amount", "value": "-5", "message": "签约额为负数"},
        {"severity": "warning", "ledger": "projects", "region": "友谊县",
         "source_file": "友谊县/项目.xlsx", "source_sheet": "省百大", "source_row": 4,
         "field": "status", "value": "", "message": "开复工情况为空，按未开复工处理"},
    ]).to_csv(folder / "quality.csv", index=False)
    pd.DataFrame([
        {"source_file": "宝清县/签约台账.xlsx", "source_sheet": "Sheet1", "ledger": "signings",
         "region": "宝清县", "rows_read": 14, "records": 10, "total_note_rows": 3,
         "rejected_rows": 1},
        {"source_file": "友谊县/项目.xlsx", "source_sheet": "省百大", "ledger": "projects",
         "region": "友谊县", "rows_read": 8, "records": 5, "total_note_rows": 3,
         "rejected_rows": 0},
    ]).to_csv(folder / "accounting.csv", index=False)
    if manifest:
        (folder / "manifest.json").write_text(json.dumps({
            "period": period, "run_time": "2020-07-03T09:15:42+08:00",
            "code_version": "0.1.0+g1a2b3c4",
            "parameters": {"period": period, "strict": False},
            "inputs": [
                {"path": "宝清县/签约台账.xlsx", "size": 20480, "sha256": "ab" * 32},
                {"path": "友谊县/项目<1>.xlsx", "size": 9100, "sha256": "cd" * 32},
            ]}, ensure_ascii=False), encoding="utf-8")
    return base


DEMO_LEAD = (
    "全市上半年共开展招商引资活动70次，签约省外招商引资项目50项，签约额150.33亿元，"
    "完成年度目标的107.4%，超额完成年度目标（时序进度50.0%）。"
    "不见面招商形成合作线索99条，签约项目13个，签约额40.44亿元。"
    "省、市级百大项目开复工率分别达到78.7%、64.4%，投资完成率分别为12.9%、13.7%；"
    "500万元以上产业项目开复工率56.7%，投资完成率14.3%。"
)


def _without_svg(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S)


def has_nan(text: str) -> bool:
    """"nan"/"NaN" as a word of its own (not inside "provenance")."""
    return re.search(r"(?<![a-z])nan(?![a-z])", _without_svg(text), re.I) is not None


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    base = write_demo_processed(tmp_path_factory.mktemp("processed"))
    return report.load_context(PERIOD, base)


def test_demo_lead_paragraph_is_the_articles(demo_ctx):
    text = report.lead_text(demo_ctx)
    assert text == DEMO_LEAD
    for figure in ("活动70次", "项目50项", "150.33亿元", "107.4%", "线索99条", "40.44亿元",
                   "78.7%、64.4%", "12.9%、13.7%", "56.7%", "14.3%"):
        assert figure in text
    assert report.lead(demo_ctx) == f'<p class="lead">{DEMO_LEAD}</p>'


def test_title_and_context(demo_ctx):
    assert demo_ctx.city == "双鸭山市"
    assert demo_ctx.rows[0] == "全市" and demo_ctx.regions == REGIONS
    assert report.title_text(demo_ctx) == "双鸭山市2020年上半年招商引资和项目建设情况通报"
    assert "2020年1月1日至2020年6月30日" in report.title(demo_ctx)


def test_missing_target_makes_no_completion_claim(tmp_path):
    base = write_demo_processed(tmp_path, overrides={"signed_amount_target": [None] * 8})
    ctx = report.load_context(PERIOD, base)
    text = report.lead_text(ctx)
    assert "150.33亿元" in text
    assert "完成年度目标" not in text and "超额" not in text
    assert "目标未报送" in text
    page = _without_svg(report.bulletin_html(ctx))
    assert not has_nan(page)
    assert "未报送年度签约额目标的县区" in page


def test_behind_and_ahead_of_time_progress(tmp_path):
    targets = [300000] * 8  # 1503300 / 2400000 = 62.6 % vs 50.0 %
    ctx = report.load_context(PERIOD, write_demo_processed(
        tmp_path / "a", overrides={"signed_amount_target": targets}))
    assert "完成年度目标的62.6%，快于时序进度（时序进度50.0%）" in report.lead_text(ctx)
    targets = [400000] * 8  # 47.0 % vs 50.0 %
    ctx = report.load_context(PERIOD, write_demo_processed(
        tmp_path / "b", overrides={"signed_amount_target": targets}))
    assert "完成年度目标的47.0%，落后时序进度3.0个百分点（时序进度50.0%）" in report.lead_text(ctx)


def test_tier_without_projects_has_no_rate(tmp_path):
    zero = [0] * 8
    base = write_demo_processed(tmp_path, overrides={
        "industrial_projects": zero, "industrial_started": zero,
        "industrial_planned_investment": zero, "industrial_completed_investment": zero,
        "industrial_in_statistics": zero})
    ctx = report.load_context(PERIOD, base)
    text = report.lead_text(ctx)
    assert "500万元以上产业项目本期无在库项目" in text
    assert not has_nan(text) and "56.7%" not in text
    table = report.projects_table(ctx, "industrial")
    assert not has_nan(table)
    assert "0.0%" not in table
    assert "—" in table
    assert not has_nan(report.bulletin_html(ctx))


def test_key_tier_without_projects_falls_back_to_per_tier_clauses(tmp_path):
    zero = [0] * 8
    base = write_demo_processed(tmp_path, overrides={
        "provincial_key_projects": zero, "provincial_key_started": zero,
        "provincial_key_planned_investment": zero, "provincial_key_completed_investment": zero,
        "provincial_key_in_statistics": zero})
    text = report.lead_text(report.load_context(PERIOD, base))
    assert "省级百大项目本期无在库项目；市级百大项目开复工率64.4%，投资完成率13.7%" in text


def test_hostile_ledger_text_is_escaped(demo_ctx):
    page = report.bulletin_html(demo_ctx)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>审批</b>" not in page and "A&amp;B &lt;b&gt;审批&lt;/b&gt;" in page
    assert "友谊县/项目&lt;1&gt;.xlsx" in page


def test_signings_table(demo_ctx):
    table = report.signings_table(demo_ctx)
    assert table.index("全市") < table.index("尖山区") < table.index("饶河县")
    assert "签约额（亿元）" in table and "年度目标（亿元）" in table
    assert '<td class="num">150.33</td>' in table and '<td class="num">140.00</td>' in table
    assert '<td class="num">107.4%</td>' in table
    # 岭东区 98600 / 250000 = 39.4 % < 50 % - 10 → red, ranked last
    row = table[table.index("岭东区"):].split("</tr>")[0]
    assert 'class="light light-red"' in row and "红灯" in row and ">8<" in row
    assert "黄灯" in table and "绿灯" in table


def test_projects_tables(demo_ctx):
    table = report.projects_table(demo_ctx, "provincial_key")
    assert "表2　省级百大项目推进情况" in table
    for header in ("开复工率", "年度计划投资（亿元）", "累计完成投资（亿元）", "投资完成率", "入统率"):
        assert header in table
    city_row = table[table.index("全市"):].split("</tr>")[0]
    assert ">47<" in city_row and ">37<" in city_row and "78.7%" in city_row
    assert "38.00" in city_row and "12.9%" in city_row


def test_lists_filter_period_and_province(demo_ctx):
    top = report.top_signings(demo_ctx)
    assert "年产10万吨优质白酒项目" in top and "15.20" in top
    assert "不计入" not in top
    assert top.index("15.20") < top.index("5.10")
    assert "不见面" in top
    assert "省级百大" in report.not_started(demo_ctx)


def test_attention(demo_ctx):
    text = report.attention(demo_ctx)
    assert "（红灯）的县区：岭东区" in text
    assert "四方台区、友谊县" in text


def test_footer_provenance(demo_ctx):
    foot = report.footer(demo_ctx)
    assert "abababababab…" in foot and "ab" * 32 in foot
    assert "0.1.0+g1a2b3c4" in foot and "2020-07-03 09:15" in foot
    assert "错误1条、警告1条" in foot
    assert "数据行22行" in foot and "退回1行" in foot


def test_missing_optional_files(tmp_path):
    base = write_demo_processed(tmp_path, manifest=False)
    for name in ("signings.csv", "projects.csv", "quality.csv", "accounting.csv"):
        (base / PERIOD / name).unlink()
    ctx = report.load_context(PERIOD, base)
    page = report.bulletin_html(ctx)
    assert "未找到本期数据处理记录" in page and "本期无。" in page
    assert report.lead_text(ctx) == DEMO_LEAD


def test_load_context_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        report.load_context(PERIOD, tmp_path)
    with pytest.raises(ValueError):
        report.load_context("2020-13", tmp_path)
    write_demo_processed(tmp_path, period="2020-05")
    (tmp_path / "2020-06").mkdir()
    (tmp_path / "2020-05" / "indicators.csv").rename(tmp_path / "2020-06" / "indicators.csv")
    with pytest.raises(ValueError, match="2020-05"):
        report.load_context(PERIOD, tmp_path)


def test_other_periods_are_named_right(tmp_path):
    ctx = report.load_context("2020-05", write_demo_processed(tmp_path, period="2020-05"))
    assert report.title_text(ctx) == "双鸭山市2020年1-5月招商引资和项目建设情况通报"
    assert report.lead_text(ctx).startswith("全市1-5月共开展招商引资活动70次")
    assert "时序进度41.7%" in report.lead_text(ctx)


# ------------------------------------------------------------------------- charts
def test_charts_are_deterministic_inline_svg_without_missing_glyphs(demo_ctx):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = report.completion_chart(demo_ctx) + report.start_rate_chart(demo_ctx)
    glyph_warnings = [str(w.message) for w in caught
                      if "glyph" in str(w.message).lower() or "font" in str(w.message).lower()]
    assert glyph_warnings == []
    assert first == report.completion_chart(demo_ctx) + report.start_rate_chart(demo_ctx)
    assert first.count("<svg") == 2 and "<?xml" not in first and "DOCTYPE" not in first
    assert "<metadata>" not in first and "<script" not in first
    assert not re.search(r'(?:href|src)="(?:https?:)?//', first)
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids))  # two charts on one page: no clashing ids
    assert all(i.startswith(("chart-completion-", "chart-start-rate-")) for i in ids)
    assert "图1　各县区签约额完成年度目标情况" in first


def test_chart_handles_missing_values():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = charts.completion_chart(["全市", "甲$x$县"], [None, float("nan")], [None, ""], None)
        svg2 = charts.start_rate_chart(["全市"], {"industrial": [None]})
    assert [str(w.message) for w in caught if "glyph" in str(w.message).lower()] == []
    assert svg.startswith("<svg") and svg2.startswith("<svg")


def test_light_margin_and_city_come_from_the_configuration(tmp_path):
    base = write_demo_processed(tmp_path / "processed")
    user = tmp_path / "config"
    user.mkdir()
    (user / "rules.yaml").write_text("lights:\n  yellow_margin: 0.05\n", encoding="utf-8")
    ctx = report.load_context(PERIOD, base, config_dir=user)
    assert ctx.yellow_margin == 0.05 and ctx.margin_points == "5"
    assert "落后不超过5个百分点为黄灯" in report.footer(ctx)
    assert "落后时序进度5个百分点以上（红灯）" in report.attention(ctx)
    # without an explicit folder, the run's recorded config_dir is used
    manifest = base / PERIOD / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["parameters"]["config_dir"] = str(user)
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert report.load_context(PERIOD, base).margin_points == "5"
    assert report.load_context(PERIOD, base, city="某市").city == "某市"
