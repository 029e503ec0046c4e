"""Synthetic province-scale snapshots for the benchmark (not test data).

A province is 13 cities × 10 regions = 130 region workbooks, each with a signings, an
activities and a projects sheet in a realistic layout (title line, 填报单位 line,
units in headers, mixed date forms, a total row and a note row per sheet). Row counts
are split evenly so that the whole snapshot holds ``total_rows`` ledger rows.
Written with openpyxl's write-only mode; deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import yaml

CITIES = 13
REGIONS_PER_CITY = 10
ORIGINS = [
    "广东省深圳市",
    "北京",
    "上海市",
    "江苏苏州",
    "浙江杭州",
    "哈尔滨市",
    "黑龙江省佳木斯市",
    "香港",
    "日本东京",
    "成都",
]
CHAINS = ["煤电化", "绿色食品", "石墨新材料", "旅游", "汉麻", "数字经济"]
TIERS = ["省百大项目", "市百大项目", "500万元以上产业项目"]
STATUS = ["已开工", "复工", "在建", "续建", "未开工", "前期手续办理中"]


def region_names() -> list[tuple[str, str]]:
    """(city, region) names; the synthetic regions are registered by ``config_for``."""
    return [
        (f"第{c + 1:02d}市", f"第{c + 1:02d}市{r + 1:02d}县") for c in range(CITIES) for r in range(REGIONS_PER_CITY)
    ]


def config_for(folder: Path) -> Path:
    """A user config dir registering the synthetic regions (appended to the defaults)."""
    folder.mkdir(parents=True, exist_ok=True)
    regions = [{"name": r, "aliases": []} for _, r in region_names()]
    (folder / "regions.yaml").write_text(yaml.safe_dump({"regions": regions}, allow_unicode=True), encoding="utf-8")
    return folder


def _date(rng: random.Random, year: int, month: int):
    d = dt.date(year, rng.randint(1, month), rng.randint(1, 28))
    form = rng.randrange(4)
    if form == 0:
        return d
    if form == 1:
        return d.isoformat()
    if form == 2:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.year}/{d.month}/{d.day}"


def _sheet(wb, title_line, header, rows, region):
    ws = wb.create_sheet()
    ws.append([title_line])
    ws.append([f"填报单位：{region}（盖章）", None, None, "填报日期：2020年7月3日"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计"])
    ws.append(["填报人：张三  审核人：李四  联系电话：0469-1234567"])


def write_snapshot(raw_dir: Path, period: str = "2020-06", total_rows: int = 200_000, seed: int = 1) -> list[Path]:
    """Write ``raw_dir/<period>/<city>/<region>.xlsx`` holding ``total_rows`` rows."""
    rng = random.Random(seed)
    year, month = int(period[:4]), int(period[5:])
    names = region_names()
    per_region = total_rows // len(names)
    files = []
    for city, region in names:
        n_sign = per_region * 4 // 10
        n_act = per_region * 3 // 10
        n_proj = per_region - n_sign - n_act
        wb = openpyxl.Workbook(write_only=True)
        _sheet(
            wb,
            f"{region}{year}年1-{month}月招商引资签约项目台账",
            ["序号", "项目名称", "投资方", "投资方所在地", "产业链", "签约日期", "签约额（万元）", "签约方式"],
            [
                [
                    i + 1,
                    f"{region}签约项目{i}",
                    f"投资公司{rng.randrange(1000)}",
                    rng.choice(ORIGINS),
                    rng.choice(CHAINS),
                    _date(rng, year, month),
                    round(rng.uniform(100, 50000), 2),
                    rng.choice(["现场签约", "视频签约", "线上签约"]),
                ]
                for i in range(n_sign)
            ],
            region,
        )
        _sheet(
            wb,
            f"{region}{year}年招商活动台账",
            ["序号", "活动日期", "活动类型", "带队领导", "活动地点", "形成合作线索"],
            [
                [
                    i + 1,
                    _date(rng, year, month),
                    rng.choice(["外出招商", "视频推介", "云招商", "客商来访"]),
                    "张县长",
                    rng.choice(ORIGINS),
                    rng.randrange(5),
                ]
                for i in range(n_act)
            ],
            region,
        )
        _sheet(
            wb,
            f"{region}{year}年重点项目推进情况表",
            [
                "序号",
                "项目名称",
                "项目类别",
                "产业链",
                "总投资（万元）",
                f"{year}年计划投资（万元）",
                f"1-{month}月累计完成投资（万元）",
                "开复工情况",
                "是否入统",
            ],
            [
                [
                    i + 1,
                    f"{region}重点项目{i}",
                    rng.choice(TIERS),
                    rng.choice(CHAINS),
                    100000,
                    round(rng.uniform(1000, 80000), 1),
                    round(rng.uniform(0, 10000), 1),
                    rng.choice(STATUS),
                    rng.choice(["是", "否"]),
                ]
                for i in range(n_proj)
            ],
            region,
        )
        path = raw_dir / period / city / f"{region}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        files.append(path)
    return files
