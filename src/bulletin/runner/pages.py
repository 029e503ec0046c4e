"""Publishing the HTML pages of an edition without its PDF: what a run does under the
test suite's switch ``BULLETIN_SKIP_RENDER=pdf`` (:func:`bulletin.publish.names.skipped_renders`,
honoured only while a test runs). The pages are those :mod:`bulletin.publish.html_pdf`
writes (the same export, the same bytes); only the PDF is left out.
"""

from __future__ import annotations

import os
from pathlib import Path

from bulletin.publish.names import edition_files


def publish_pages(executed_notebook: str | os.PathLike, out_dir: str | os.PathLike) -> dict[str, Path]:
    """``bulletin.html`` and ``bulletin.internal.html`` of the executed notebook in
    ``out_dir`` (the English edition: ``bulletin.en.*``); each written to a temp file
    first, then moved into place. Returns kind → path."""
    import nbformat

    from bulletin.publish.html_pdf import INTERNAL, bulletin_facts, export_html

    source, out = Path(executed_notebook), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(source, as_version=4)
    names = edition_files(bulletin_facts(nb)["lang"])
    written = {}
    for kind, medium in (("html", "screen"), ("internal", INTERNAL)):
        final = out / names[kind]
        tmp = final.with_name(f".{final.name}.tmp")
        tmp.write_text(export_html(nb, source, medium), encoding="utf-8")
        os.replace(tmp, final)
        written[kind] = final
    return written
