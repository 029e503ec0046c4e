"""Does the published bulletin of a period still match the raw files and its own outputs?"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from bulletin import paths
from bulletin.errors import UsageError
from bulletin.files import sha256
from bulletin.paths import resolve_dir
from bulletin.runner.lock import owner_text, period_lock
from bulletin.runner.params import validate_period
from bulletin.runner.provenance import MANIFEST, input_files
from bulletin.runner.swap import recover


@dataclass
class Verification:
    ok: bool
    lines: list[str]
    manifest: dict


def verify(
    period: str,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reports_dir: Path | None = None,
    lock_timeout: float = 0,
) -> Verification:
    """Does the published bulletin of ``period`` still match the raw files?

    Recomputes the SHA-256 of every input listed in ``reports/<period>/manifest.json``
    (in ``raw_dir``, default: the raw folder recorded there), lists input files that
    appeared since, and rechecks the published outputs against the hashes recorded at
    publication. Finishes (rolls back) a run that was killed half-way first.
    """
    validate_period(period)
    processed_dir = resolve_dir(processed_dir, paths.PROCESSED_DIR).resolve()
    reports_dir = resolve_dir(reports_dir, paths.REPORTS_DIR).resolve()
    if not reports_dir.is_dir() or not processed_dir.is_dir():
        raise UsageError(f"找不到 {period} 的通报：{reports_dir / period} 不存在")
    with contextlib.ExitStack() as stack:
        writable = all(os.access(d, os.W_OK | os.X_OK) for d in (processed_dir, reports_dir))
        if writable:  # a colleague who may only read the folders can still verify
            previous = stack.enter_context(
                period_lock(period, processed_dir, reports_dir, lock_timeout, purpose="核验")
            )
            recovered = recover(period, processed_dir, reports_dir)
            if previous:
                recovered.insert(0, f"注意：{period} 的上一次运行{owner_text(previous)}未正常结束。")
        else:
            recovered = ["（对输出文件夹只有读权限：未加锁，也未检查被中断的运行）"]
        path = reports_dir / period / MANIFEST
        if not path.is_file():
            raise UsageError(f"找不到 {period} 通报的来源记录 {path}（通报不存在，或由旧版本生成，请重新运行）")
        man = json.loads(path.read_text(encoding="utf-8"))
        recorded = (man.get("parameters") or {}).get("raw_dir") or str(paths.RAW_DIR)
        raw = Path(raw_dir or recorded).resolve()
        lines = [
            f"通报：{reports_dir / period}（运行于 {str(man.get('run_time', '?')).replace('T', ' ')}，"
            f"代码版本 {man.get('code_version', '?')}）",
            f"原始数据：{raw}",
        ] + recovered
        problems = []
        listed = {i["path"]: i for i in man.get("inputs", [])}
        for rel, item in listed.items():
            p = raw / rel
            if not p.is_file():
                problems.append(f"缺少：{rel}")
            elif sha256(p) != item["sha256"]:
                problems.append(f"已改动：{rel}（SHA-256 与通报记录不同）")
        if (raw / period).is_dir():
            for p in input_files(period, raw):
                rel = p.relative_to(raw).as_posix()
                if rel not in listed:
                    problems.append(f"新增：{rel}（通报生成后才出现）")
        folders = {"processed": processed_dir / period, "reports": reports_dir / period}
        for item in man.get("outputs", []):
            prefix, _, rel = item["path"].partition("/")
            p = folders.get(prefix, Path("/nonexistent")) / rel
            if not p.is_file():
                problems.append(f"输出缺失：{item['path']}")
            elif sha256(p) != item["sha256"]:
                problems.append(f"输出已改动：{item['path']}")
    if problems:
        lines += ["核验未通过：已发布的通报与现在的原始数据或输出文件不一致。"] + [f"  {p}" for p in problems]
    else:
        lines.append(
            f"核验通过：{len(listed)} 个原始文件和 {len(man.get('outputs', []))} 个输出文件的 SHA-256 与通报记录一致。"
        )
    return Verification(not problems, lines, man)
