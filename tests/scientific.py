"""What a reader sees in the outputs of a run, and the numbers in it written in
scientific notation (``1.4e+06``), which no output may contain (issue 23).

Not a test module: test_end_to_end.py (the sample run) and test_no_scientific.py (a
bulletin of huge and tiny figures) use it."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl

# a number with an exponent, standing alone (not inside a file hash or a word)
SCIENTIFIC = re.compile(r"(?<![A-Za-z0-9_.])[+-]?\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z0-9_])")


def html_text(path: Path) -> str:
    """The text of an HTML file: no scripts, styles, inline SVG drawings or tags."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", text)


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in d.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    """Every text cell, and every number cell that Excel would show in General format
    (a number with a number format is shown by that format, never with an exponent)."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str):
                    out.append(v)
                elif isinstance(v, float) and cell.number_format == "General" and (abs(v) >= 1e11 or 0 < abs(v) < 1e-9):
                    out.append(repr(v))  # Excel's General shows these as 1.4E+11
    return "\n".join(out)


def csv_text(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return "\n".join(",".join(row) for row in csv.reader(fh))


def output_texts(*folders: Path) -> Iterator[tuple[Path, str]]:
    """(file, its text) for every html, docx, xlsx and csv file under ``folders``."""
    readers = {".html": html_text, ".docx": docx_text, ".xlsx": xlsx_text, ".csv": csv_text}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in readers:
                yield path, readers[path.suffix](path)


def scientific(*folders: Path) -> dict[str, list[str]]:
    """File → the numbers in scientific notation in it (empty: none anywhere). The
    program's version that the internal edition names is not a number, even when it is
    a commit id such as ``84e6884``."""
    from bulletin.runner.provenance import code_version

    version = code_version()
    found = {}
    for path, text in output_texts(*folders):
        hits = SCIENTIFIC.findall(text.replace(version, " ") if version else text)
        if hits:
            found[str(path)] = hits[:5]
    return found
