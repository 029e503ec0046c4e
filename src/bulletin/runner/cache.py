"""Incremental runs: what each stage read, so that a rerun costs only what changed.

Each stage has a key: a SHA-256 over everything its outputs depend on —

* ``clean``: the period's raw files (path and content hash) and the previous month's
  (a ledger re-sent unchanged is a warning), the configuration (its
  digest covers a ``--config-dir`` too) and the stage's code;
* ``indicators``: the clean key, the earlier snapshots that feed trends and the
  stage's code;
* ``bulletin``: the indicators key, the language and the stage's code;
* ``publish``: the bulletin key and the stage's code (with ``--per-region``, the
  county editions' code too);

and every key also covers the versions of the libraries that shape the outputs. A
stage's code is derived from the code itself, never from a hand-kept list
(:mod:`bulletin.runner.codegraph`): its notebook (``notebooks/<stage>.ipynb``) or the
module the runner calls (:data:`ENTRY_MODULES`), every package module these import,
directly or not (imports inside functions too), and the package data those modules
reach through :mod:`bulletin.paths` (templates, the packaged config). Move a function
to a new module and the new module is in the key of every stage that imports it.

A successful run records the keys in ``<processed>/<period>/stages.json``, with the
import scan of each source file by content hash, so that the next run parses only the
files that changed. The next run recomputes the keys (hashing files is cheap:
milliseconds for a month's ledgers and the package) and reruns from the first stage
whose key differs — or whose outputs are missing — copying the earlier stages' outputs
from the last good run. When no key differs, nothing runs. A key is derived from
content, never from timestamps, so the cache cannot serve a result computed from other
inputs, code or parameters. ``--force`` ignores it.

Deliberately light: no pandas, no papermill, so that a nothing-changed rerun stays
well under a second.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from importlib import metadata
from pathlib import Path

from bulletin import paths
from bulletin.contract import NOTEBOOK_STAGES, STAGES, Period
from bulletin.publish.names import stage_outputs
from bulletin.runner.codegraph import CodeGraph, files_digest, notebook_code, scan_key, scan_source

RECORD = "stages.json"

# The modules the runner itself calls for the stages that are not notebooks.
ENTRY_MODULES = {"publish": ("bulletin.publish.html_pdf",), "regions": ("bulletin.runner.regions",)}
CODE_STAGES = (*STAGES, "regions")  # regions: the county editions of --per-region

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


class StageCode:
    """The code of each stage: the files it runs and their digest.

    ``package_dir`` and ``notebooks_dir`` default to the running package's; a test
    passes a copy. ``known``: scans recorded by an earlier run (sha256 → scan)."""

    def __init__(self, package_dir: Path | None = None, notebooks_dir: Path | None = None, known: dict | None = None):
        package_dir = Path(package_dir or paths.PACKAGE_DIR)
        self.graph = CodeGraph(package_dir, {**built_scans(package_dir), **(known or {})})
        self.notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR)
        self._entries: dict[str, list[dict]] = {}
        self._digests: dict[str, str] = {}

    def notebook(self, stage: str) -> Path | None:
        return self.notebooks_dir / f"{stage}.ipynb" if stage in NOTEBOOK_STAGES else None

    def _entry_scans(self, stage: str) -> list[dict]:
        if stage not in self._entries:
            nb = self.notebook(stage)
            if nb is not None:
                code = notebook_code(nb)
                key = scan_key(hashlib.sha256(code.encode()).hexdigest(), nb.name)
                scan = self.graph.known.get(key) or scan_source(code)
                self.graph.scans[key] = scan
                self._entries[stage] = [scan]
            else:
                self._entries[stage] = [{"imports": list(ENTRY_MODULES[stage]), "paths": []}]
                if stage == "regions":  # each county edition runs the bulletin notebook, then publishes
                    self._entries[stage] += self._entry_scans("bulletin") + self._entry_scans("publish")
        return self._entries[stage]

    def modules(self, stage: str) -> set[str]:
        """The package modules ``stage`` runs (the import closure of its entry points)."""
        return self.graph.closure(self._entry_scans(stage))

    def data(self, stage: str) -> list[Path]:
        """Package data the stage's modules reach, and its notebook."""
        nb = self.notebook(stage)
        return [*self.graph.data_of(self.modules(stage), paths), *([nb] if nb else [])]

    def files(self, stage: str) -> list[Path]:
        """Every file in the stage's key (modules, then data)."""
        return [self.graph.files[m] for m in sorted(self.modules(stage))] + self.data(stage)

    def digest(self, stage: str) -> str:
        """The stage's code key: its modules' hashes and its data files'. Computed once
        per stage (a plan asks for it per edition; the code does not change meanwhile)."""
        if stage not in self._digests:
            h = hashlib.sha256()
            for module in sorted(self.modules(stage)):
                h.update(f"{module}\0{self.graph.shas[module]}\n".encode())
            h.update(files_digest(self.data(stage), self.graph.package_dir).encode())
            self._digests[stage] = h.hexdigest()
        return self._digests[stage]

    def scans(self) -> dict:
        """The scans in use, to record for the next run."""
        for stage in CODE_STAGES:
            self._entry_scans(stage)
        return dict(sorted(self.graph.scans.items()))


# What each stage writes, relative to <processed>/<period>/ and <reports>/<period>/ (the
# Chinese edition's names), derived from the registry of outputs (publish/names.py).
# --per-region also writes reports/<period>/regions/ with the publish stage: its key
# covers per_region, so a run without the flag after one with it republishes.
OUTPUTS = {stage: stage_outputs(stage) for stage in STAGES}


def _digest(*parts) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # a file name's undecodable bytes


@functools.cache
def _versions() -> dict:
    """The installed versions of :data:`LIBRARIES` (read once per process: a plan keys
    every edition with them)."""
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def stage_keys(
    period: str,
    inputs: list[dict],
    config_digest: str,
    lang: str = "zh",
    per_region: bool = False,
    *,
    code: StageCode | None = None,
    presentation: str = "",
) -> dict[str, str]:
    """The four stage keys. ``inputs`` are manifest entries (path relative to the raw
    folder, sha256); the period's own files feed clean, the others only indicators.
    ``config_digest`` feeds clean (and through it everything after); ``presentation``
    (the wording and Word template's digest) only the bulletin and what follows it.
    ``code``: the stages' code (default: this package's, scanned afresh)."""
    code = code or StageCode()
    # the previous month's files feed clean too (a file re-sent unchanged is a warning)
    previous = Period.parse(period).previous
    mine = (f"{period}/",) + ((f"{previous}/",) if previous else ())
    own = sorted((i["path"], i["sha256"]) for i in inputs if i["path"].startswith(mine))
    earlier = sorted((i["path"], i["sha256"]) for i in inputs if not i["path"].startswith(f"{period}/"))
    versions = _versions()
    keys = {"clean": _digest("clean", period, own, config_digest, code.digest("clean"), versions)}
    keys["indicators"] = _digest("indicators", keys["clean"], earlier, code.digest("indicators"))
    keys["bulletin"] = _digest(
        "bulletin", keys["indicators"], lang, config_digest, presentation, code.digest("bulletin")
    )
    keys["publish"] = _digest(
        "publish",
        keys["bulletin"],
        code.digest("publish"),
        per_region,
        code.digest("regions") if per_region else None,
    )
    return keys


def _read_record(processed_period: Path) -> dict:
    try:
        data = json.loads((processed_period / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recorded(processed_period: Path) -> dict:
    """The stage keys of the last good run of the period ({} when none)."""
    keys = _read_record(processed_period).get("keys", {})
    return keys if isinstance(keys, dict) else {}


# The scans of the package as built (``make bytecode``): beside its bytecode, git-ignored.
BUILT_SCANS = Path("__pycache__") / "stage-code-scans.json"


def _is_scan(scan) -> bool:
    """A scan as :func:`bulletin.runner.codegraph.scan_source` gives it: lists of names."""
    if not isinstance(scan, dict) or "imports" not in scan:
        return False
    lists = [scan.get(k, []) for k in ("imports", "top", "named", "paths")]
    return all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists)


def _scans(data) -> dict:
    """The well-formed scans of ``data`` read from a file (scan key → scan); anything
    else is left out, and its file is then scanned again."""
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and _is_scan(v)}


def built_scans(package_dir: Path | None = None) -> dict:
    """The import scans ``make bytecode`` wrote for the package (scan key → scan; a key
    holds the file's SHA-256, so a file edited since is scanned again), or {} when
    there are none or they cannot be read: a cold run then scans the package itself
    (~0.3 s)."""
    try:
        data = json.loads((Path(package_dir or paths.PACKAGE_DIR) / BUILT_SCANS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return _scans(data)


def write_built_scans(package_dir: Path | None = None) -> Path:
    """Scan the package and the stage notebooks and write the scans beside its bytecode
    (``make bytecode``); returns the file."""
    package_dir = Path(package_dir or paths.PACKAGE_DIR)
    target = package_dir / BUILT_SCANS
    target.parent.mkdir(exist_ok=True)
    text = json.dumps(StageCode(package_dir).scans(), sort_keys=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    return target


def recorded_scans(processed_period: Path) -> dict:
    """The import scans the last good run recorded (sha256 → scan), for
    :class:`StageCode`'s ``known``."""
    return _scans(_read_record(processed_period).get("code_scans"))


def outputs(stage: str, lang: str = "zh", skip: frozenset = frozenset()) -> dict[str, list[str]]:
    """What ``stage`` writes for an edition in ``lang`` (the English edition's files are
    ``bulletin.en.*``): every output the registry declares for the stage
    (:mod:`bulletin.publish.names`), but the kinds in ``skip`` (the test suite's switch)."""
    return stage_outputs(stage, lang, skip)


def _outputs_present(stage: str, processed_period: Path, reports_period: Path, lang: str, skip: frozenset) -> bool:
    out = outputs(stage, lang, skip)
    return all((processed_period / name).exists() for name in out["processed"]) and all(
        (reports_period / name).exists() for name in out["reports"]
    )


def plan(
    keys: dict,
    processed_period: Path,
    reports_period: Path,
    force: bool = False,
    lang: str = "zh",
    *,
    skip: frozenset = frozenset(),
) -> list[str]:
    """The stages to run: all with ``force`` or no record; else from the first stage
    whose key changed or whose outputs are missing (but the kinds in ``skip``, which a
    run under the test suite's switch does not render); ``[]`` when nothing changed."""
    old = {} if force else recorded(processed_period)
    for i, stage in enumerate(STAGES):
        present = _outputs_present(stage, processed_period, reports_period, lang, skip)
        if old.get(stage) != keys[stage] or not present:
            return list(STAGES[i:])
    return []


def carry_over(
    skipped: list[str],
    processed_period: Path,
    reports_period: Path,
    staged_processed: Path,
    staged_reports: Path,
    lang: str = "zh",
) -> None:
    """Copy the outputs of the stages that are not rerun from the last good run into
    the staging folders (copies, never links: the last good run stays untouched):
    every output the registry declares for those stages, so a new output is carried
    as soon as it is declared (and a test fails on one that is not)."""
    for stage in skipped:
        for kind, src_root, dst_root in (
            ("processed", processed_period, staged_processed),
            ("reports", reports_period, staged_reports),
        ):
            for name in outputs(stage, lang)[kind]:
                src, dst = src_root / name, dst_root / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                if src.is_dir():
                    shutil.copytree(src, dst, dirs_exist_ok=True)
                else:
                    shutil.copy2(src, dst)


def record(keys: dict, processed_period: Path, code: StageCode | None = None) -> None:
    """Write ``stages.json``: the keys, and the import scans of ``code`` (if given)."""
    data = {"keys": keys, **({"code_scans": code.scans()} if code is not None else {})}
    (processed_period / RECORD).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
