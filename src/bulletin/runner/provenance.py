"""Provenance of a run: the input files with their SHA-256, the code version, the
parameters and the run time (``manifest.json``), and the outputs hashes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from bulletin import paths
from bulletin.files import sha256
from bulletin.text import readable_name


def code_version() -> str:
    """``git describe`` of the repo when available, else the package version."""
    try:
        out = subprocess.run(
            ["git", "-C", str(paths.REPO_ROOT), "describe", "--always", "--dirty", "--tags"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import version

    return version("bulletin")


def input_files(period: str, raw_dir: Path) -> list[Path]:
    """Every raw file a run of ``period`` reads: its snapshot and the earlier ones
    that feed trends."""
    from bulletin.read.workbook import discover

    files = []
    for p in [*paths.history_periods(period, raw_dir), period]:
        files += discover(raw_dir / p)[0]
    return files


def inputs(period: str, raw_dir: Path) -> list[dict]:
    """``[{path, size, sha256}]`` of the input files, paths relative to the raw folder."""
    return [
        {"path": readable_name(p.relative_to(raw_dir).as_posix()), "size": p.stat().st_size, "sha256": sha256(p)}
        for p in input_files(period, raw_dir)
    ]


def run_time() -> str:
    """Now, in local time to the second; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) fixes it, so two runs can be compared byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now()
    return when.astimezone().isoformat(timespec="seconds")


def manifest(period: str, raw_dir: Path, parameters: dict) -> dict:
    """Provenance of a run: input files (relative to the raw folder) with SHA-256."""
    return {
        "period": period,
        "run_time": run_time(),
        "code_version": code_version(),
        "parameters": parameters,
        "inputs": inputs(period, raw_dir),
    }


def output_hashes(processed: Path, reports: Path) -> list[dict]:
    """SHA-256 of every output file, as ``processed/<file>`` and ``reports/<file>``."""
    out = []
    for prefix, folder in (("processed", processed), ("reports", reports)):
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder).as_posix()
            if p.is_file() and not (prefix == "reports" and rel == MANIFEST):
                out.append({"path": f"{prefix}/{rel}", "sha256": sha256(p)})
    return out


MANIFEST = "manifest.json"
