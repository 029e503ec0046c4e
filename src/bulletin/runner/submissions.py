"""The submission register on the terminal (SPEC §7): who did not report, whose ledger
could not be read, who sent no targets — said at the end of every run, and the reason
``--require-all`` refuses to publish. Reads ``submissions.csv`` with the csv module
(the runner never imports pandas)."""

from __future__ import annotations

import csv
from pathlib import Path

from bulletin.config import Config
from bulletin.contract import LEDGERS, PUBLISHED_STATUSES, SUBMITTED_LEDGERS
from bulletin.text import short

REGISTER = "submissions.csv"
RULE = "=" * 60
# what a file-level status says after the ledger names (SPEC §7, §11.7, §11.9)
FILE_STATUS = {"unreadable": "无法读取", "not_this_period": "非本期台账", "region_conflict": "所属县区不清"}
NOT_UPDATED = "not_updated"


def read_register(folder: Path) -> list[dict]:
    """The rows of ``<folder>/submissions.csv`` ([] when the month has none)."""
    try:
        with open(Path(folder) / REGISTER, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        return []


def incomplete(rows: list[dict]) -> list[dict]:
    """Rows of a county ledger (signings, activities, projects) not submitted or
    unreadable: what ``--require-all`` refuses."""
    return [r for r in rows if r["ledger"] in SUBMITTED_LEDGERS and r["status"] not in PUBLISHED_STATUSES]


def _names(ledgers: list[str], labels: dict[str, str]) -> str:
    return "、".join(labels.get(x, x) for x in ledgers)


def region_lines(rows: list[dict], labels: dict[str, str]) -> list[str]:
    """One line per region with a type not submitted or unreadable, registry order."""
    regions: dict[str, dict] = {}
    for r in rows:
        if r["status"] == "submitted":
            continue
        entry = regions.setdefault(r["region"], {"missing": [], "unreadable": {}, "stale": []})
        if r["status"] == "not_submitted":
            entry["missing"].append(r["ledger"])
        elif r["status"] == NOT_UPDATED:
            entry["stale"] += [] if r["ledger"] in entry["stale"] else [r["ledger"]]
        else:
            key = (r["status"], r["source_file"], r["reason"])
            entry["unreadable"].setdefault(key, []).append(r["ledger"])
    lines = []
    for region, entry in regions.items():
        parts = []
        ledgers = [x for x in entry["missing"] if x != "targets"]
        if ledgers:
            parts.append(f"未报送{_names(ledgers, labels)}台账")
        for (status, source, reason), ledgers in entry["unreadable"].items():
            what = "目标任务" if ledgers == ["targets"] else f"{_names(ledgers, labels)}台账"
            parts.append(f"{what}{FILE_STATUS.get(status, '无法读取')}（{source}：{short(reason, 80)}）")
        if entry["stale"]:
            parts.append(f"{_names(entry['stale'], labels)}台账未更新（与上月台账相同）")
        if "targets" in entry["missing"]:
            parts.append("未报送目标任务（无完成率、红绿灯和排名）")
        lines.append(f"  {region}：" + "；".join(parts))
    return lines


def block(rows: list[dict], period: str, labels: dict[str, str], refused: bool = False) -> list[str]:
    """The terminal block: every region complete in one line, else a framed list of
    who is missing what and what that does to the figures — or, when ``--require-all``
    ``refused`` to publish, what to do next."""
    if not rows:
        return []
    regions = list(dict.fromkeys(r["region"] for r in rows))
    lines = region_lines(rows, labels)
    if not lines:
        kinds = _names([x for x in LEDGERS if x != "targets"], labels)
        return [f"报送情况（{period}）：{len(regions)} 个县区的{kinds}台账和目标任务均已报送。"]
    late = {r["region"] for r in incomplete(rows)}
    out = [RULE, f"报送情况（{period}）：{len(regions) - len(late)}/{len(regions)} 个县区三类台账齐全"]
    out += lines
    if any(r["status"] == NOT_UPDATED for r in rows):
        out.append("  未更新：报送的台账与上月完全相同，数字按其台账计入通报并标明“未更新（与上月台账相同）”；")
        out.append("  请督促以上县区报送本月台账后重新运行。")
    if late and refused:
        out.append(
            "  等台账齐全后重新运行即可发布；不加 --require-all 则照常发布"
            "（以上县区的相应数字在通报中标为“未报送”或“无法读取”，不按 0 计）。"
        )
    elif late:
        out.append("  以上县区缺报的数字在 indicators.csv 中为空、在通报中标为“未报送”“无法读取”等（不按 0 计），")
        out.append("  全市合计只含已报送的县区；")
        out.append("  等台账齐全后重新运行即可更新；要求台账齐全才发布：加 --require-all。")
    out.append(RULE)
    return out


def labels_of(cfg: Config) -> dict[str, str]:
    """The configured name of each ledger type."""
    return {k: cfg.ledger_label(k) for k in LEDGERS}
