"""WeasyPrint copies the fonts a stylesheet's ``@font-face`` names (~90 MB for the
CJK ones) into a folder of its own under the temp folder. The processes that render
PDFs end without Python's clean-up (``os._exit``: the PDF worker, a pool's worker
process), so that folder must be removed on purpose, or every run leaves it behind."""

from __future__ import annotations

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from bulletin.publish import html_pdf

FONT_PAGE = (
    '<style>@font-face { font-family: "X"; src: local("Noto Sans CJK SC"), local("NotoSansCJKsc-Regular") }'
    'p { font-family: "X" }</style><p>通报</p>'
)


def _render_in(folder: str) -> list[str]:
    tempfile.tempdir = folder
    html_pdf.render_pdf(FONT_PAGE, Path(folder) / "out.pdf")
    html_pdf.render_pdf(FONT_PAGE, Path(folder) / "again.pdf")  # the same fonts: copied once
    return sorted(p.name for p in Path(folder).glob("weasyprint-*"))


def test_a_pool_process_removes_its_font_copies_when_it_ends(tmp_path):
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:
        during = pool.submit(_render_in, str(tmp_path)).result()
    assert len(during) == 1  # one folder for the process's renders
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("weasyprint-*"))


def test_the_pdf_worker_leaves_nothing_in_the_temp_folder(tmp_path, monkeypatch):
    """The worker warms up (a page with the bulletin's fonts) before it reads its job;
    here the job fails, and its temp folder is gone all the same."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    failed = new_output("error", ename="ZeroDivisionError", evalue="x")
    nb = new_notebook(cells=[new_code_cell("1/0", outputs=[failed])])
    path = tmp_path / "failed.ipynb"
    nbformat.write(nb, path)
    with html_pdf.Publisher() as publisher:
        worker_tmp = Path(publisher._tmp)
        assert worker_tmp.parent == tmp_path
        with pytest.raises(html_pdf.PublishError):
            publisher.publish(path, tmp_path / "out")
    assert not worker_tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failed.ipynb", "out"]
