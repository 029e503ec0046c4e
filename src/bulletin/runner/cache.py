"""Incremental runs: what each stage read, so that a rerun costs only what changed.

Each stage has a key: a SHA-256 over everything its outputs depend on —

* ``clean``: the period's raw files (path and content hash), the configuration (its
  digest covers a ``--config-dir`` too), the reader code and ``clean.ipynb``;
* ``indicators``: the clean key, the earlier snapshots that feed trends, the indicator
  code and ``indicators.ipynb``;
* ``bulletin``: the indicators key, the language, the presentation code and
  ``bulletin.ipynb``;
* ``publish``: the bulletin key, ``publish.py`` and the templates;

and every key also covers the versions of the libraries that shape the outputs. A
successful run records the keys in ``<processed>/<period>/stages.json``. The next run
recomputes them (hashing files is cheap: milliseconds for a month's ledgers) and
reruns from the first stage whose key differs — or whose outputs are missing — copying
the earlier stages' outputs from the last good run. When no key differs, nothing runs.
A key is derived from content, never from timestamps, so the cache cannot serve a
result computed from other inputs, code or parameters. ``--force`` ignores it.

Deliberately light: no pandas, no papermill, so that a nothing-changed rerun stays
well under a second.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib import metadata
from pathlib import Path

from bulletin.contract import STAGES
from bulletin.paths import NOTEBOOKS_DIR, PACKAGE_DIR, TEMPLATES_DIR

RECORD = "stages.json"

_READER = [
    "text.py",
    "config.py",
    "ledgers/normalise.py",
    "read/workbook.py",
    "ledgers/locate.py",
    "ledgers/sheet.py",
    "ledgers/snapshot.py",
    "publish/quality.py",
    "store.py",
    "stages.py",
    "paths.py",
]
_REPORT = sorted(p.relative_to(PACKAGE_DIR).as_posix() for p in (PACKAGE_DIR / "report").glob("*.py"))
CODE = {
    "clean": [*_READER, NOTEBOOKS_DIR / "clean.ipynb"],
    "indicators": [*_READER, "indicators/compute.py", NOTEBOOKS_DIR / "indicators.ipynb"],
    "bulletin": [
        *_REPORT,  # every module of bulletin.report
        "publish/page.py",
        "publish/excel.py",
        "publish/quality.py",
        "store.py",
        "config.py",
        "api.py",
        NOTEBOOKS_DIR / "bulletin.ipynb",
    ],
    "publish": ["publish/html_pdf.py", TEMPLATES_DIR],
    "regions": ["runner/regions.py"],  # with --per-region: the county bulletins, rendered with publish
}
LIBRARIES = (
    "pandas",
    "openpyxl",
    "python-calamine",
    "opencc",
    "matplotlib",
    "nbconvert",
    "weasyprint",
    "papermill",
    "bulletin",
)

# What each stage writes, relative to <processed>/<period>/ and <reports>/<period>/.
OUTPUTS = {
    "clean": {
        "processed": [
            "signings.csv",
            "activities.csv",
            "projects.csv",
            "targets.csv",
            "quality.csv",
            "accounting.csv",
            "skipped.csv",
        ],
        "reports": ["quality", "notebooks/clean.ipynb"],
    },
    "indicators": {"processed": ["indicators.csv", "history.csv"], "reports": ["notebooks/indicators.ipynb"]},
    "bulletin": {"processed": [], "reports": ["notebooks/bulletin.ipynb", "bulletin.xlsx"]},
    "publish": {"processed": [], "reports": ["bulletin.html", "bulletin.pdf"]},
}
# --per-region also writes reports/<period>/regions/ with the publish stage: its key
# covers per_region, so a run without the flag after one with it republishes.


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _code_hash(items) -> str:
    h = hashlib.sha256()
    for item in items:
        path = item if isinstance(item, Path) else PACKAGE_DIR / item
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes() if f.exists() else b"<missing>")
    return h.hexdigest()


def _versions() -> dict:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def stage_keys(
    period: str, inputs: list[dict], config_digest: str, lang: str = "zh", per_region: bool = False
) -> dict[str, str]:
    """The four stage keys. ``inputs`` are manifest entries (path relative to the raw
    folder, sha256); the period's own files feed clean, the others only indicators."""
    own = sorted((i["path"], i["sha256"]) for i in inputs if i["path"].startswith(f"{period}/"))
    earlier = sorted((i["path"], i["sha256"]) for i in inputs if not i["path"].startswith(f"{period}/"))
    versions = _versions()
    keys = {"clean": _digest("clean", period, own, config_digest, _code_hash(CODE["clean"]), versions)}
    keys["indicators"] = _digest("indicators", keys["clean"], earlier, _code_hash(CODE["indicators"]))
    keys["bulletin"] = _digest("bulletin", keys["indicators"], lang, config_digest, _code_hash(CODE["bulletin"]))
    keys["publish"] = _digest(
        "publish",
        keys["bulletin"],
        _code_hash(CODE["publish"]),
        per_region,
        _code_hash(CODE["regions"]) if per_region else None,
    )
    return keys


def recorded(processed_period: Path) -> dict:
    try:
        return json.loads((processed_period / RECORD).read_text(encoding="utf-8")).get("keys", {})
    except (OSError, ValueError):
        return {}


def _outputs_present(stage: str, processed_period: Path, reports_period: Path) -> bool:
    return all((processed_period / name).exists() for name in OUTPUTS[stage]["processed"]) and all(
        (reports_period / name).exists() for name in OUTPUTS[stage]["reports"]
    )


def plan(keys: dict, processed_period: Path, reports_period: Path, force: bool = False) -> list[str]:
    """The stages to run: all with ``force`` or no record; else from the first stage
    whose key changed or whose outputs are missing; ``[]`` when nothing changed."""
    old = {} if force else recorded(processed_period)
    for i, stage in enumerate(STAGES):
        if old.get(stage) != keys[stage] or not _outputs_present(stage, processed_period, reports_period):
            return list(STAGES[i:])
    return []


def carry_over(
    skipped: list[str], processed_period: Path, reports_period: Path, staged_processed: Path, staged_reports: Path
) -> None:
    """Copy the outputs of the stages that are not rerun from the last good run into
    the staging folders (copies, never links: the last good run stays untouched)."""
    for stage in skipped:
        for kind, src_root, dst_root in (
            ("processed", processed_period, staged_processed),
            ("reports", reports_period, staged_reports),
        ):
            for name in OUTPUTS[stage][kind]:
                src, dst = src_root / name, dst_root / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                if src.is_dir():
                    shutil.copytree(src, dst, dirs_exist_ok=True)
                else:
                    shutil.copy2(src, dst)


def record(keys: dict, processed_period: Path) -> None:
    (processed_period / RECORD).write_text(json.dumps({"keys": keys}, indent=2) + "\n", encoding="utf-8")
