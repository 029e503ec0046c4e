#!/usr/bin/env python
"""Before/after equivalence of a refactoring: same inputs, same outputs.

    .venv/bin/python scripts/equivalence.py capture OUT    # run this checkout on fixed inputs
    .venv/bin/python scripts/equivalence.py compare A B    # exit 1 when A and B differ

``capture`` builds fixed inputs (the sample city's two months, two synthetic
snapshots from bench/synth.py) in a temporary folder, runs ``pipeline.py run`` on them
from *this* checkout — the city bulletin with ``--per-region`` in Chinese, then the
English edition — and writes into OUT:

* every processed CSV (``manifest.json`` and ``stages.json`` hold run times, hashes and
  the code version, and are left out), byte for byte;
* every quality workbook and bulletin.xlsx, as the text of their cells (a workbook's
  zip holds no content that a reader sees beyond its cells and styles);
* the text of every bulletin.html (the city's, each county's, the English one).

The code version (``git describe``) is masked in the HTML and workbook texts: it is
the one line that must differ between two commits. The synthetic workbooks are
re-packed with a fixed time in their zip entries, so that their bytes (sizes and
hashes shown in the bulletin's list of input files) are the same in every capture.

Run it on the commit before a refactoring (e.g. in ``git worktree add``) and after it,
then ``compare``. Nothing here imports the package: only its command line is used, so
the script runs unchanged on both sides of a reshaping.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SYNTH = [("synth-a", 3000, 7), ("synth-b", 6000, 11)]


def _run(*args: str, env: dict | None = None) -> None:
    out = subprocess.run(
        [PY, str(ROOT / "pipeline.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1593500000", **(env or {})},
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"pipeline.py {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")


def _mask(text: str, version: str) -> str:
    if version:
        text = text.replace(version, "<version>")
    return text


def _pin(path: Path) -> None:
    """Re-pack a workbook with a fixed time in its zip entries and document properties
    (same cells, same bytes in every capture)."""
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-06-30T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2020, 6, 30, 0, 0, 0)), content)
    path.write_bytes(data.getvalue())


def _html_text(path: Path, version: str) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
    text = re.sub(r"<img[^>]*>|<svg.*?</svg>", "[图]", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = _mask(html.unescape(text), version)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


def _xlsx_text(path: Path, version: str) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"## {ws.title} {ws.dimensions} merged={sorted(map(str, ws.merged_cells.ranges))}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    lines.append(f"{c.coordinate}\t{c.data_type}\t{c.value!r}\t{c.number_format}")
    return _mask("\n".join(lines), version) + "\n"


def _collect(processed: Path, reports: Path, out: Path, tag: str) -> None:
    for p in sorted(processed.rglob("*")):
        rel = p.relative_to(processed)
        if p.is_file() and p.name not in ("manifest.json", "stages.json") and not rel.parts[0].startswith("."):
            dst = out / tag / "processed" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dst)
    for p in sorted(reports.rglob("*")):
        rel = p.relative_to(reports)
        if not p.is_file() or rel.parts[0].startswith("."):
            continue
        dst = out / tag / "reports" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        man = reports / rel.parts[0] / "manifest.json"
        version = json.loads(man.read_text(encoding="utf-8")).get("code_version", "") if man.exists() else ""
        if p.suffix == ".xlsx":
            dst.with_suffix(".xlsx.txt").write_text(_xlsx_text(p, version), encoding="utf-8")
        elif p.suffix == ".html":
            dst.with_suffix(".html.txt").write_text(_html_text(p, version), encoding="utf-8")


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="equiv-") as tmp:
        work = Path(tmp)
        raw = work / "raw"
        _run("sample", "--raw-dir", str(raw))
        for lang in ("zh", "en"):
            processed, reports = work / f"processed-{lang}", work / f"reports-{lang}"
            extra = ["--per-region"] if lang == "zh" else []
            for period in ("2020-05", "2020-06"):
                _run(
                    "run",
                    "--period",
                    period,
                    "--raw-dir",
                    str(raw),
                    "--processed-dir",
                    str(processed),
                    "--reports-dir",
                    str(reports),
                    "--lang",
                    lang,
                    *extra,
                )
            _collect(processed, reports, out, f"sample-{lang}")
        sys.path.insert(0, str(ROOT / "bench"))
        from synth import config_for, write_snapshot

        for name, rows, seed in SYNTH:
            sraw = work / name / "raw"
            for path in write_snapshot(sraw, "2020-06", rows, seed):
                _pin(path)
            cfg = config_for(work / name / "cfg")
            processed, reports = work / name / "processed", work / name / "reports"
            _run(
                "run",
                "--period",
                "2020-06",
                "--raw-dir",
                str(sraw),
                "--processed-dir",
                str(processed),
                "--reports-dir",
                str(reports),
                "--config-dir",
                str(cfg),
            )
            _collect(processed, reports, out, name)
    n = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"captured {n} files into {out}")


def _added_columns(a: Path, b: Path) -> list[str] | None:
    """The columns B adds to CSV A when every column of A is unchanged in B, else None."""
    import csv

    with open(a, encoding="utf-8", newline="") as fa, open(b, encoding="utf-8", newline="") as fb:
        ra, rb = list(csv.DictReader(fa)), list(csv.DictReader(fb))
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        cols_a, cols_b = next(csv.reader(fa)), next(csv.reader(fb))
    extra = [c for c in cols_b if c not in cols_a]
    if not extra or [c for c in cols_b if c in cols_a] != cols_a or len(ra) != len(rb):
        return None
    same = all({c: x[c] for c in cols_a} == {c: y[c] for c in cols_a} for x, y in zip(ra, rb))
    return extra if same else None


def compare(a: Path, b: Path) -> int:
    left = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    problems = [f"only in {a}: {p}" for p in sorted(left - right)]
    problems += [f"only in {b}: {p}" for p in sorted(right - left)]
    added: dict[str, set] = {}
    for rel in sorted(left & right):
        if filecmp.cmp(a / rel, b / rel, shallow=False):
            continue
        extra = _added_columns(a / rel, b / rel) if rel.suffix == ".csv" else None
        if extra:
            added.setdefault(", ".join(extra), set()).add(rel.name)
        else:
            problems.append(f"differs: {rel}")
    for columns, names in added.items():
        print(f"same but for added columns ({columns}): {', '.join(sorted(names))}")
    for line in problems:
        print(line)
    same = len(left & right) - sum(1 for p in problems if p.startswith("differs"))
    digest = hashlib.sha256(b"".join((a / r).read_bytes() for r in sorted(left))).hexdigest()[:12]
    print(f"{same} of {len(left | right)} files identical (A digest {digest})")
    return 1 if problems else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("capture").add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "capture":
        capture(args.out)
    else:
        sys.exit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
