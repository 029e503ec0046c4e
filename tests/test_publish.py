"""bulletin.publish: executed notebook → self-contained HTML → A4 PDF."""
from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import bulletin
from bulletin import paths, publish, report

_spec = importlib.util.spec_from_file_location(
    "_bulletin_demo_data", Path(__file__).with_name("test_report.py"))
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)

NOTEBOOK = paths.NOTEBOOKS_DIR / "bulletin.ipynb"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _executed_like(ctx) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it, without running a kernel."""
    cells = [new_code_cell("period = '2020-06'", metadata={"tags": ["parameters"]})]
    for name in report.SECTIONS:
        cells.append(new_code_cell(
            f"display(HTML(report.{name}(ctx)))",
            outputs=[new_output("display_data", data={
                "text/html": getattr(report, name)(ctx),
                "text/plain": "<IPython.core.display.HTML object>"})]))
    cells[1].outputs.append(new_output("stream", name="stderr", text="SomeWarning: noise\n"))
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                              "display_name": "Python 3",
                                                              "language": "python"}})


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    base = demo.write_demo_processed(tmp_path_factory.mktemp("processed"))
    return report.load_context(demo.PERIOD, base)


def assert_self_contained(page: str) -> None:
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()
    assert "url(http" not in page


def test_notebook_is_thin_and_parametrised():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    first = nb.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    namespace: dict = {}
    exec(first.source, namespace)  # noqa: S102 - our own parameters cell
    assert (namespace["period"], namespace["processed_dir"], namespace["reports_dir"]) \
        == ("2020-06", "", "")
    for cell in nb.cells[2:]:
        assert re.fullmatch(r"display\(HTML\(report\.\w+\(ctx\)\)\)", cell.source.strip())
        assert cell.source.strip().split(".")[1].split("(")[0] in report.SECTIONS
    assert all(not c.get("outputs") for c in nb.cells)


def test_export_html_is_self_contained(demo_ctx):
    page = publish.export_html(_executed_like(demo_ctx))
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="zh">' in page
    assert "<title>双鸭山市2020年上半年招商引资和项目建设情况通报</title>" in page
    assert_self_contained(page)
    assert "150.33亿元" in page and "78.7%" in page
    assert "display(HTML" not in page and "report." not in page  # no code
    assert "In&nbsp;[" not in page and "Out[" not in page         # no prompts
    assert "SomeWarning" not in page                              # stderr not published
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 2
    assert len(page.encode()) < 400_000


def test_publish_refuses_a_failed_notebook_and_keeps_the_old_files(tmp_path, demo_ctx):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bulletin.html").write_text("old", encoding="utf-8")
    (out / "bulletin.pdf").write_bytes(b"old")
    nb = _executed_like(demo_ctx)
    nb.cells[3].outputs = [new_output("error", ename="KeyError", evalue="'activities'",
                                      traceback=[])]
    path = tmp_path / "failed.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(publish.PublishError, match="KeyError") as info:
        publish.publish(path, out)
    assert info.value.cell == 3
    assert (out / "bulletin.html").read_text(encoding="utf-8") == "old"
    assert (out / "bulletin.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["bulletin.html", "bulletin.pdf"]


def test_pdf_fetches_nothing():
    with pytest.raises(ValueError, match="refuses"):
        publish._offline_fetcher("https://example.org/x.css")


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return exe


@pytest.mark.slow
def test_papermill_then_publish_end_to_end(tmp_path, monkeypatch, caplog):
    import papermill as pm

    base = demo.write_demo_processed(tmp_path / "processed")
    # the kernel must import this checkout's bulletin package
    src = str(Path(bulletin.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (src, os.environ.get("PYTHONPATH", "")) if p))
    executed = tmp_path / "bulletin.ipynb"
    t0 = time.perf_counter()
    pm.execute_notebook(str(NOTEBOOK), str(executed), kernel_name="python3",
                        parameters={"period": "2020-06", "processed_dir": str(base),
                                    "reports_dir": str(tmp_path / "reports")},
                        progress_bar=False, cwd=str(tmp_path))
    t1 = time.perf_counter()
    out = tmp_path / "reports" / "2020-06"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = publish.publish(executed, out)
    t2 = time.perf_counter()
    print(f"papermill {t1 - t0:.2f} s, publish {t2 - t1:.2f} s ({result['seconds']})")

    assert result["html"] == out / "bulletin.html" and result["pdf"] == out / "bulletin.pdf"
    assert sorted(p.name for p in out.iterdir()) == ["bulletin.html", "bulletin.pdf"]
    page = result["html"].read_text(encoding="utf-8")
    assert_self_contained(page)
    assert '<html lang="zh">' in page
    assert "150.33亿元" in page and "78.7%" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "ctx = report.load_context" not in page
    # CSS and SVG are understood by WeasyPrint (no "Ignored …" warnings)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")
            and "HarfBuzz" not in r.getMessage()] == []

    text = subprocess.run([_tool("pdftotext"), "-layout", str(result["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "150.33亿元" in flat and "78.7%" in flat
    assert "招商引资和项目建设情况通报" in flat
    assert f"第1页共{result['pages']}页" in flat

    fonts = subprocess.run([_tool("pdffonts"), str(result["pdf"])],
                           capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto" in line and "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # emb column

    info = subprocess.run([_tool("pdfinfo"), str(result["pdf"])],
                          capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert "Title:" in info and "招商引资和项目建设情况通报" in info
