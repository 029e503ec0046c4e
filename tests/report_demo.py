"""A hand-made processed folder for the bulletin's tests, whose 全市 figures are the 2020
article's: ``write_demo_processed(tmp_path)`` writes ``<tmp_path>/2020-06/`` as the
cleaning and indicator stages would (indicators.csv, the record tables, quality.csv,
accounting.csv, optionally history.csv and manifest.json).

Not a test module: the report, publish and Excel tests import it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from bulletin.config import month_config
from bulletin.report.build import document
from bulletin.report.document import Document
from bulletin.report.drawing_memo import reusing_drawings
from bulletin.report.edition import Edition
from bulletin.report.load import Data, load

PERIOD = "2020-06"
REGIONS = ["尖山区", "岭东区", "四方台区", "宝山区", "集贤县", "友谊县", "宝清县", "饶河县"]
HOSTILE = "<script>alert(1)</script>"

# per-region demo figures; the sums are the article's 全市 figures
DEMO = {
    "activities": [12, 8, 6, 7, 10, 7, 12, 8],  # 70
    "leads": [40, 28, 20, 25, 36, 24, 52, 35],
    "online_activities": [3, 2, 1, 2, 3, 2, 4, 3],
    "online_leads": [15, 10, 8, 9, 14, 8, 20, 15],  # 99
    "signed_projects": [8, 5, 4, 5, 7, 4, 10, 7],  # 50
    "signed_amount": [236500, 98600, 61200, 112300, 218700, 83400, 452800, 239800],
    "online_signed_projects": [2, 1, 1, 1, 2, 1, 3, 2],  # 13
    "online_signed_amount": [60000, 20000, 15000, 25000, 70000, 14400, 120000, 80000],
    "signed_amount_target": [150000, 250000, 150000, 150000, 150000, 200000, 200000, 150000],
}
TIER_DEMO = {  # projects, started, planned investment (万元), city investment rate
    "provincial_key": (
        [6, 5, 4, 5, 7, 5, 9, 6],
        [5, 4, 3, 4, 6, 3, 7, 5],
        [52000, 38000, 30000, 41000, 60000, 35000, 78000, 46000],
        0.129,
    ),
    "municipal_key": (
        [6, 5, 5, 5, 6, 5, 7, 6],
        [4, 3, 3, 3, 4, 3, 5, 4],
        [30000, 26000, 22000, 25000, 34000, 21000, 40000, 28000],
        0.137,
    ),
    "industrial": (
        [4, 3, 3, 3, 5, 3, 5, 4],
        [3, 1, 2, 2, 3, 1, 3, 2],
        [12000, 8000, 9000, 10000, 15000, 7000, 16000, 11000],
        0.143,
    ),
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
        per[f"{tier}_in_statistics"] = [max(s - 1, 0) if i % 3 == 0 else s for i, s in enumerate(started)]
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
    for r in rows.values():
        r["signed_amount_completion"] = _ratio(r["signed_amount"], r.get("signed_amount_target"))
        r["signed_light"] = _light(r["signed_amount_completion"], progress)
        for tier in TIER_DEMO:
            r[f"{tier}_start_rate"] = _ratio(r[f"{tier}_started"], r[f"{tier}_projects"])
            r[f"{tier}_investment_rate"] = _ratio(r[f"{tier}_completed_investment"], r[f"{tier}_planned_investment"])
            r[f"{tier}_in_statistics_rate"] = _ratio(r[f"{tier}_in_statistics"], r[f"{tier}_started"])
    ranked = sorted(
        (r for r in REGIONS if rows[r]["signed_amount_completion"] is not None),
        key=lambda r: -rows[r]["signed_amount_completion"],
    )
    for i, region in enumerate(ranked, start=1):
        rows[region]["signed_completion_rank"] = i
    out = []
    for region, r in rows.items():
        for key, v in r.items():
            out.append({"period": period, "region": region, "indicator": key, "value": "" if v is None else v})
    return pd.DataFrame(out)


def earlier_overrides(overrides: dict | None = None) -> dict:
    """An earlier snapshot of the demo: fewer activities and signings."""
    per = {k: list(v) for k, v in DEMO.items()}
    per.update(overrides or {})
    return {
        "activities": [a - 1 for a in per["activities"]],
        "signed_projects": [max(n - 2, 0) for n in per["signed_projects"]],
        "signed_amount": [round(a * 0.66) for a in per["signed_amount"]],
    }


def write_demo_processed(
    base: Path,
    period: str = PERIOD,
    overrides: dict | None = None,
    project_name: str = HOSTILE,
    manifest: bool = True,
    history: dict[str, dict] | None = None,
) -> Path:
    """Write ``base/<period>/`` as the cleaning and indicator stages would.
    ``history`` maps earlier snapshot periods to their overrides (history.csv)."""
    folder = base / period
    folder.mkdir(parents=True, exist_ok=True)
    current = demo_indicators(period, overrides)
    current.to_csv(folder / "indicators.csv", index=False)
    if history is not None:
        blocks = [demo_indicators(p, {**(overrides or {}), **o}) for p, o in sorted(history.items())]
        pd.concat([*blocks, current]).to_csv(folder / "history.csv", index=False)
    lineage = {"source_file": "宝清县/签约台账.xlsx", "source_sheet": "Sheet1"}
    pd.DataFrame(
        [
            {
                "region": "宝清县",
                "project": project_name,
                "investor": "深圳某某集团有限公司",
                "origin": "广东省深圳市",
                "out_of_province": True,
                "chain": "现代煤电化",
                "chain_raw": "煤电化",
                "signed_on": "2020-05-18",
                "amount": 152000,
                "mode": "视频签约",
                "online": True,
                **lineage,
                "source_row": 5,
            },
            {
                "region": "饶河县",
                "project": "年产10万吨优质白酒项目",
                "investor": "江苏某酒业公司",
                "origin": "江苏省苏州市",
                "out_of_province": True,
                "chain": "粮食和绿色食品深加工",
                "chain_raw": "绿色食品",
                "signed_on": "2020-03-02",
                "amount": 51000,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 6,
            },
            {
                "region": "尖山区",
                "project": "省内项目（不计入）",
                "investor": "哈尔滨某公司",
                "origin": "黑龙江省哈尔滨市",
                "out_of_province": False,
                "chain": "其他",
                "chain_raw": "",
                "signed_on": "2020-04-01",
                "amount": 999999,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 7,
            },
            {
                "region": "集贤县",
                "project": "下半年项目（不计入）",
                "investor": "北京某公司",
                "origin": "北京市",
                "out_of_province": True,
                "chain": "其他",
                "chain_raw": "",
                "signed_on": "2020-08-01",
                "amount": 888888,
                "mode": "现场签约",
                "online": False,
                **lineage,
                "source_row": 8,
            },
        ]
    ).to_csv(folder / "signings.csv", index=False)
    projects = []
    for tier in TIER_DEMO:
        for i, region in enumerate(REGIONS):
            projects.append(
                {
                    "region": region,
                    "project": f"{region}{TIER_NAMES[tier]}示例项目{i + 1}",
                    "tier": tier,
                    "planned_investment": 10000,
                    "completed_investment": 0,
                    "status": "前期手续办理中",
                    "started": False,
                    "problems": "用地手续未办结",
                    "source_file": f"{region}/项目.xlsx",
                    "source_sheet": TIER_NAMES[tier],
                    "source_row": i + 4,
                }
            )
    projects[0]["project"] = project_name
    projects[0]["problems"] = "A&B <b>审批</b>"
    pd.DataFrame(projects).to_csv(folder / "projects.csv", index=False)
    pd.DataFrame(
        [
            {
                "severity": "error",
                "ledger": "signings",
                "region": "宝清县",
                "source_file": "宝清县/签约台账.xlsx",
                "source_sheet": "Sheet1",
                "source_row": 9,
                "field": "amount",
                "value": "-5",
                "message": "签约额为负数",
            },
            {
                "severity": "warning",
                "ledger": "projects",
                "region": "友谊县",
                "source_file": "友谊县/项目.xlsx",
                "source_sheet": "省百大",
                "source_row": 4,
                "field": "status",
                "value": "",
                "message": "开复工情况为空，按未开复工处理",
            },
        ]
    ).to_csv(folder / "quality.csv", index=False)
    pd.DataFrame(
        [
            {
                "source_file": "宝清县/签约台账.xlsx",
                "source_sheet": "Sheet1",
                "ledger": "signings",
                "region": "宝清县",
                "rows_read": 14,
                "records": 10,
                "total_note_rows": 3,
                "rejected_rows": 1,
            },
            {
                "source_file": "友谊县/项目.xlsx",
                "source_sheet": "省百大",
                "ledger": "projects",
                "region": "友谊县",
                "rows_read": 8,
                "records": 5,
                "total_note_rows": 3,
                "rejected_rows": 0,
            },
        ]
    ).to_csv(folder / "accounting.csv", index=False)
    if manifest:
        (folder / "manifest.json").write_text(
            json.dumps(
                {
                    "period": period,
                    "run_time": "2020-07-03T09:15:42+08:00",
                    "code_version": "0.1.0+g1a2b3c4",
                    "parameters": {"period": period, "strict": False},
                    "inputs": [
                        {"path": "宝清县/签约台账.xlsx", "size": 20480, "sha256": "ab" * 32},
                        {"path": "友谊县/项目<1>.xlsx", "size": 9100, "sha256": "cd" * 32},
                    ],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return base


DEMO_LEAD = (
    "全市上半年共开展招商引资活动70次，签约省外招商引资项目50项，签约额150.33亿元，"
    "完成年度目标的107.4%，超额完成年度目标（时序进度50.0%）。"
    "不见面招商形成合作线索99条，签约项目13个，签约额40.44亿元。"
    "省、市级百大项目开复工率分别达到78.7%、64.4%，投资完成率分别为12.9%、13.7%；"
    "500万元以上产业项目开复工率56.7%，投资完成率14.3%。"
)


def without_svg(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S)


def has_nan(text: str) -> bool:
    """ "nan"/"NaN" as a word of its own (not inside "provenance")."""
    return re.search(r"(?<![a-z])nan(?![a-z])", without_svg(text), re.I) is not None


CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def load_month(period: str, base: Path, config_dir="", city: str | None = None) -> Data:
    """:func:`bulletin.report.load.load` of ``<base>/<period>`` with the configuration the
    bulletin notebook gives it (:func:`bulletin.config.month_config`: ``config_dir``,
    else the one manifest.json records, else the office's folder or the packaged one)."""
    return load(period, base, month_config(period, base, config_dir), city=city)


def edition(base: Path, period: str = PERIOD, lang: str = "zh", region: str = "", **load_kw) -> Edition:
    """An edition of the processed folder ``base`` (no charts drawn: for the sentences)."""
    data = load_month(period, base, **load_kw)
    return Edition(data, lang, data.resolve_region(region))


def ed_for(tmp_path: Path, period: str = PERIOD, lang: str = "zh", region: str = "", **kwargs) -> Edition:
    """Write the demo (``kwargs``: see :func:`write_demo_processed`) and take an edition of it."""
    return edition(write_demo_processed(tmp_path, period=period, **kwargs), period, lang, region)


def doc_for(base: Path, period: str = PERIOD, lang: str = "zh", region: str = "", **load_kw) -> Document:
    """The whole bulletin model of the processed folder ``base``. A chart drawn before in
    this process with the very same arguments is reused, not drawn again
    (``drawing.reusing_drawings``): the suite builds the demo folder's bulletin many
    times, and tests/test_charts.py draws for real."""
    with reusing_drawings():
        return document(load_month(period, base, **load_kw), lang, region)
