"""One benchmark stage in a fresh process, so that its wall time and peak memory
(measured by bench/run.py with wait4) belong to that stage alone.

    python bench/stage.py calamine <snapshot>
    python bench/stage.py read <snapshot> [config_dir]
    python bench/stage.py clean <snapshot> <period> [config_dir] [workers]
    python bench/stage.py indicators <processed_period_dir> <period>
    python bench/stage.py notebook <processed_dir> <period> <out_dir>
    python bench/stage.py html <executed_bulletin.ipynb> <out.html>
    python bench/stage.py pdf <bulletin.html> <out.pdf>
Prints one line: the number of rows handled (or 0).
"""

from __future__ import annotations

import sys
from pathlib import Path


def calamine(snapshot: Path) -> int:
    """The bare read: every sheet of every workbook into Python lists, sequentially."""
    import python_calamine as pc

    rows = 0
    for path in sorted(snapshot.rglob("*.xlsx")):
        wb = pc.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows += len(wb.get_sheet_by_name(name).to_python())
        wb.close()
    return rows


def read(snapshot: Path, config_dir: str = "") -> int:
    """Our readers alone (format sniffing, zip checks, calamine, the unreadable-cell
    scan, empty-cell clean-up), sequentially: the part of read + clean before any
    ledger rule."""
    from bulletin.config import load_config
    from bulletin.read.workbook import discover, read_workbook

    cfg = load_config(config_dir or None)
    files, _ = discover(snapshot)
    return sum(len(g.rows) for path in files for g in read_workbook(path, snapshot, cfg).grids)


def notebook(processed: Path, period: str, out: Path) -> int:
    """The bulletin notebook executed by papermill in a kernel of its own (start-up,
    imports, tables, charts), as the pipeline's notebook stage does."""
    import papermill as pm

    root = Path(__file__).resolve().parent.parent
    out.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(
        str(root / "notebooks" / "bulletin.ipynb"),
        str(out / "bulletin.ipynb"),
        parameters={"period": period, "processed_dir": str(processed), "reports_dir": str(out)},
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
    )
    return 0


def clean(snapshot: Path, period: str, config_dir: str = "", workers: str = "0") -> int:
    from bulletin.config import load_config
    from bulletin.ledgers.snapshot import read_snapshot

    snap = read_snapshot(snapshot, period, load_config(config_dir or None), workers=int(workers) or None)
    return sum(a["rows_read"] for a in snap.accounting)


def indicators(folder: Path, period: str) -> int:
    from bulletin.config import load_config
    from bulletin.indicators.compute import compute
    from bulletin.store import load_tables

    return len(compute(load_tables(folder), period, load_config()))


def html(notebook: Path, out: Path) -> int:
    import nbformat

    from bulletin.publish.html_pdf import export_html

    text = export_html(nbformat.read(notebook, as_version=4))
    out.write_text(text, encoding="utf-8")
    return 0


def pdf(html_path: Path, out: Path) -> int:
    from bulletin.publish.html_pdf import render_pdf

    render_pdf(html_path.read_text(encoding="utf-8"), out, base_url=str(html_path.parent))
    return 0


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    fn = globals()[name]
    converted = [Path(a) if i < 2 and name in ("calamine", "html", "pdf") else a for i, a in enumerate(args)]
    if name in ("clean", "indicators", "read", "notebook"):
        converted[0] = Path(args[0])
    if name == "notebook":
        converted[2] = Path(args[2])
    print(fn(*converted))
