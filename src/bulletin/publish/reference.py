"""The office's Word style template (``reference.docx`` in the configuration folder),
opened only within the ledgers' zip limits (SPEC §14): a file from a config folder
is as untrusted as a ledger, and python-docx unpacks it whole."""

from __future__ import annotations

from pathlib import Path

from bulletin.config import Config
from bulletin.errors import ConfigError

REFERENCE = "reference.docx"


def reference_file(cfg: Config) -> Path | None:
    """``<cfg.folder>/reference.docx`` when there is one and it is safe to open (within
    ``cfg``'s limits), None when there is none; a ConfigError in Chinese (naming the
    file) when it is too large, a zip bomb or not a Word file."""
    if not cfg.folder:
        return None
    path = Path(cfg.folder) / REFERENCE
    if not path.is_file():
        return None
    from bulletin.findings_catalogue import message
    from bulletin.read.limits import MB, Limits, zip_problem

    lim = Limits.of(cfg)
    size = path.stat().st_size
    if size > lim.max_file_mb * MB:
        problem = f"文件过大（{size / MB:.0f} MB，上限 {lim.max_file_mb:.0f} MB）"
    else:
        found = zip_problem(path, lim)
        problem = message(found[0], found[2], found[1]).removesuffix("，未读取") if found else ""
    if problem:
        raise ConfigError(
            f"Word 样式模板 {path}：{problem}，未使用；请换用正常的 Word 文件，或删除它以使用默认样式", file=path
        )
    return path
