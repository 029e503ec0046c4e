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
from bulletin.runner.issue import is_archived, verify_issued
from bulletin.runner.lock import owner_text, period_lock
from bulletin.runner.params import validate_period
from bulletin.runner.provenance import MANIFEST, input_files
from bulletin.runner.swap import recover
from bulletin.text import readable_name


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
    appeared since, rechecks the published outputs against the hashes recorded at
    publication and lists files of the published folders that were not there then. A
    damaged manifest is a failed verification with its reason, never a crash.
    Finishes (rolls back) a run that was killed half-way first.
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
        try:
            man = json.loads(path.read_text(encoding="utf-8"))
            listed = {i["path"]: i for i in man["inputs"]}
            outputs = [(o["path"], o["sha256"]) for o in man.get("outputs", [])]
            recorded = (man.get("parameters") or {}).get("raw_dir") or str(paths.RAW_DIR)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = "不是有效的 JSON" if isinstance(exc, ValueError) else "缺少或填错了必要的项目"
            return Verification(
                False,
                [
                    f"通报：{reports_dir / period}",
                    *recovered,
                    f"核验未通过：来源记录 {path} 已损坏（{detail}），无法核验通报与原始数据是否一致；"
                    f"请重新运行 {period}（pipeline.py run --period {period} --force）",
                ],
                {},
            )
        raw = Path(raw_dir or recorded).resolve()
        lines = [
            f"通报：{reports_dir / period}（运行于 {str(man.get('run_time', '?')).replace('T', ' ')}，"
            f"代码版本 {man.get('code_version', '?')}）",
            f"原始数据：{raw}",
        ] + recovered
        problems = []
        # the manifest names a file as it is shown (readable_name): found by that name
        present = {readable_name(p.relative_to(raw).as_posix()): p for p in input_files(period, raw)}
        for rel, item in listed.items():
            p = present.get(rel, raw / rel)
            if not p.is_file():
                problems.append(f"缺少：{rel}")
            elif sha256(p) != item["sha256"]:
                problems.append(f"已改动：{rel}（SHA-256 与通报记录不同）")
        problems += [f"新增：{rel}（通报生成后才出现）" for rel in present if rel not in listed]
        problems += output_problems(outputs, {"processed": processed_dir / period, "reports": reports_dir / period})
        issued, issued_problems = verify_issued(reports_dir / period)  # issued/<n>/ (SPEC §13)
        problems += issued_problems
    if issued:
        lines.append(f"印发件：{issued} 个文件已核对（{reports_dir / period / 'issued'}）")
    if problems:
        lines += ["核验未通过：已发布的通报与现在的原始数据或输出文件不一致。"] + [f"  {p}" for p in problems]
    else:
        lines.append(f"核验通过：{len(listed)} 个原始文件和 {len(outputs)} 个输出文件的 SHA-256 与通报记录一致。")
    return Verification(not problems, lines, man)


def output_problems(outputs: list[tuple[str, str]], folders: dict[str, Path]) -> list[str]:
    """The published outputs (``prefix/rel``, sha256) missing or changed, and the files of
    the published folders that were not there at publication (archives aside)."""
    problems = []
    for name, digest in outputs:
        prefix, _, rel = name.partition("/")
        p = folders.get(prefix, Path("/nonexistent")) / rel
        if not p.is_file():
            problems.append(f"输出缺失：{name}")
        elif sha256(p) != digest:
            problems.append(f"输出已改动：{name}")
    known = {name for name, _ in outputs} | {f"reports/{MANIFEST}"}
    for prefix, folder in folders.items():
        for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
            name = f"{prefix}/{p.relative_to(folder).as_posix()}"
            if (p.is_file() or p.is_symlink()) and name not in known and not archived(prefix, p, folder):
                problems.append(f"多余文件：{name}（通报发布时没有这个文件）")
    return problems


def archived(prefix: str, path: Path, folder: Path) -> bool:
    """A file of reports/<period>/issued/ or superseded/: not the run's output, checked
    by :func:`bulletin.runner.issue.verify_issued` instead."""
    return prefix == "reports" and is_archived(path.relative_to(folder).as_posix())
