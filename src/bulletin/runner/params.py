"""Every parameter of a run checked before anything runs or is written (exit 2 on a bad one)."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from bulletin import paths
from bulletin.config import Config
from bulletin.contract import Period
from bulletin.errors import ConfigError, UsageError
from bulletin.paths import resolve_dir
from bulletin.text import short

_PERIOD = re.compile(r"[0-9]{4}-[0-9]{2}")


def normalise_period(period: str) -> str:
    """The one spelling of a period, which names its folders: NFKC (full-width digits and
    hyphen, as a Chinese input method types them) and without surrounding blanks; a
    UsageError when that is not a valid ``YYYY-MM``.

    >>> normalise_period(" ２０２０－０６ "), normalise_period("2020-06\\n")
    ('2020-06', '2020-06')
    """
    text = unicodedata.normalize("NFKC", str(period)).strip()
    if not _PERIOD.fullmatch(text) or not Period.is_valid(text):
        raise UsageError(f"期间“{period}”格式不正确，应为 YYYY-MM，例如 2020-06")
    return text


def validate_period(period: str) -> str:
    """``period`` if it is a valid ``YYYY-MM`` in its one spelling (ASCII digits, no
    blanks: :func:`normalise_period` gives it), else a UsageError in Chinese: a period
    names folders, so ``"2020-06 "`` never becomes a second folder of June."""
    if normalise_period(period) != period:
        raise UsageError(f"期间“{period}”含有空格或全角字符，应写作 {normalise_period(period)}")
    return period


def check_snapshot(snapshot: Path, period: str) -> None:
    """The month folder holds at least one file to read (SPEC §7: an empty month is a
    usage error, exit 2, never a failed notebook)."""
    from bulletin.read.discover import discover

    files, skipped = discover(snapshot)
    if files:
        return
    others = ""
    if skipped:
        names = "、".join(s.source_file for s in skipped[:3]) + (" 等" if len(skipped) > 3 else "")
        others = f"（其中的 {len(skipped)} 个文件都不是可读取的表格：{names}）"
    raise UsageError(
        f"原始数据文件夹 {snapshot} 中没有台账文件{others}；请把各县区报送的 {period} 台账放入该文件夹后再运行"
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_parameters(
    period: str,
    *,
    raw_dir=None,
    processed_dir=None,
    reports_dir=None,
    config_dir=None,
    timeout: int | None = 600,
    lang: str = "zh",
) -> tuple[Path, Path, Path, Path | None, Config]:
    """Every parameter checked before anything runs or is written; returns the resolved
    folders (raw, processed, reports, config) and the configuration, loaded once here.
    Raises :class:`UsageError`."""
    validate_period(period)
    raw_dir = resolve_dir(raw_dir, paths.RAW_DIR).resolve()
    processed_dir = resolve_dir(processed_dir, paths.PROCESSED_DIR).resolve()
    reports_dir = resolve_dir(reports_dir, paths.REPORTS_DIR).resolve()
    snapshot = raw_dir / period
    if not snapshot.is_dir():
        raise UsageError(f"找不到原始数据文件夹 {snapshot}（应为 <raw-dir>/{period}/，存放当月各县区报送的台账）")
    config_dir = check_config_dir(config_dir)
    cfg = checked_config(config_dir)
    if lang in ("zh", "en"):
        check_presentation(cfg, lang)
    if timeout is not None and (not isinstance(timeout, int) or timeout < 1):
        raise UsageError(f"超时时间“{timeout}”不正确，应为正整数（秒）")
    if lang not in ("zh", "en"):
        raise UsageError(f"语言“{lang}”不正确，应为 zh 或 en")
    for name, folder in (("处理结果", processed_dir), ("报告", reports_dir)):
        if _inside(folder, raw_dir):
            raise UsageError(f"{name}文件夹 {folder} 位于原始数据文件夹 {raw_dir} 之内；原始数据只读，请另选文件夹")
        if _inside(raw_dir, folder / period):
            raise UsageError(f"原始数据文件夹 {raw_dir} 位于输出文件夹 {folder / period} 之内，请另选文件夹")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{name}文件夹 {folder} 已存在但不是文件夹")
    if processed_dir == reports_dir:
        raise UsageError(f"处理结果文件夹和报告文件夹不能相同（{processed_dir}）")
    check_snapshot(snapshot, period)
    for folder in (processed_dir, reports_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"无法创建输出文件夹 {folder}：{exc.strerror or exc}") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"没有写入输出文件夹 {folder} 的权限")
    return raw_dir, processed_dir, reports_dir, config_dir, cfg


def check_config_dir(config_dir=None) -> Path | None:
    """The configuration folder of a run, resolved and checked: ``config_dir`` when
    given, else the office's config folder (``$BULLETIN_CONFIG_DIR``, else ``config/``
    at the repo root) when it exists, else None (the packaged defaults); its
    configuration is loaded by :func:`checked_config`. Raises :class:`UsageError` in
    Chinese."""
    if config_dir not in (None, ""):
        config_dir = Path(config_dir).resolve()
        if not config_dir.is_dir():
            raise UsageError(f"找不到配置文件夹 {config_dir}")
    else:
        office = paths.office_config_dir()
        if os.environ.get(paths.CONFIG_ENV, "").strip() and not office.is_dir():
            raise UsageError(f"找不到配置文件夹 {office}（环境变量 {paths.CONFIG_ENV} 所指）")
        config_dir = office.resolve() if office.is_dir() else None
    return config_dir


def check_presentation(cfg: Config, lang: str) -> None:
    """The folder's wording of ``lang`` (sandboxed templates, known names) and its Word
    style template load, before any notebook runs (WordingError, ConfigError)."""
    from bulletin.publish.reference import reference_file
    from bulletin.report.labels import wording

    wording(lang, cfg)
    reference_file(cfg)


def checked_config(config_dir: Path | None) -> Config:
    """The configuration of ``config_dir`` (a folder checked by :func:`check_config_dir`;
    None: the packaged defaults), loaded: the one place a run loads it. A broken
    one is a UsageError naming the folder, before any notebook runs."""
    from bulletin.config import load_config

    try:
        return load_config(str(config_dir) if config_dir else None)
    except ConfigError:  # already in Chinese, naming the file
        raise
    except Exception as exc:  # noqa: BLE001 - YAML syntax, wrong shape, unreadable file
        where = f"配置文件夹 {config_dir} 中的" if config_dir else "内置"
        detail = " ".join(str(exc).split())
        raise UsageError(f"{where}配置文件有误，无法读取：{type(exc).__name__}: {short(detail, 300)}") from None
