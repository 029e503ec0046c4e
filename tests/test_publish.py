"""bulletin.publish: executed notebook → self-contained HTML → A4 PDF."""

from __future__ import annotations

import html
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
import report_demo as demo
from bulletin import paths
from bulletin.publish import html_pdf as publish
from bulletin.publish import page as page_writer
from bulletin.publish.layout import ANNEX_TITLE_PT, title_lines

pytestmark = pytest.mark.usefixtures("drawn_for_real")  # runs compared byte for byte


NOTEBOOK = paths.NOTEBOOKS_DIR / "bulletin.ipynb"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _executed_like(doc) -> nbformat.NotebookNode:
    """A notebook as papermill leaves the bulletin notebook, without running a kernel."""
    shown = [
        new_output("display_data", data={"text/html": fragment, "text/plain": "<IPython.core.display.HTML object>"})
        for fragment in page_writer.fragments(doc)
    ]
    shown.append(new_output("stream", name="stderr", text="SomeWarning: noise\n"))
    cells = [
        new_code_cell("period = '2020-06'", metadata={"tags": ["parameters"]}),
        new_code_cell("doc = document(load(period, processed_dir or None), lang=lang, region=region)"),
        new_code_cell("for fragment in page.fragments(doc):\n    display(HTML(fragment))", outputs=shown),
        new_code_cell("xlsx = excel.write_workbook(doc, reports_dir or None)"),
    ]
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )


@pytest.fixture(scope="module")
def demo_doc(tmp_path_factory):
    return demo.doc_for(demo.write_demo_processed(tmp_path_factory.mktemp("processed")))


def assert_self_contained(page: str) -> None:
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()
    assert "url(http" not in page


def test_notebook_is_thin_and_parametrised():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "bulletin"  # the project's kernel (make setup registers it)
    first = nb.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    namespace: dict = {}
    exec(first.source, namespace)  # noqa: S102 - our own parameters cell
    assert (namespace["period"], namespace["processed_dir"], namespace["reports_dir"], namespace["lang"]) == (
        "2020-06",
        "",
        "",
        "zh",
    )
    # the model built once, its fragments displayed in order, its workbook written
    code = [c.source for c in nb.cells[1:] if c.cell_type == "code"]
    assert "doc = document(load(period, processed_dir or None, cfg), lang=lang, region=region)" in code[0]
    assert code[1].startswith("for fragment in page.fragments(doc):")
    assert code[-1].startswith("xlsx = excel.write_workbook(doc, reports_dir or None)")
    assert all(len(c.splitlines()) <= 8 for c in code)  # thin: calls and display only
    assert all(not c.get("outputs") for c in nb.cells)


def test_export_html_is_self_contained(demo_doc):
    page = publish.export_html(_executed_like(demo_doc))
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="zh">' in page
    assert "<title>双鸭山市2020年上半年招商引资和项目建设情况通报</title>" in page
    assert_self_contained(page)
    assert "150.33亿元" in page and "78.7%" in page
    assert "display(HTML" not in page and "fragments(doc)" not in page  # no code
    assert "In&nbsp;[" not in page and "Out[" not in page  # no prompts
    assert "SomeWarning" not in page  # stderr not published
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 6  # three charts, for print and for phones
    assert len(page.encode()) < 600_000


def test_export_html_is_reproducible(tmp_path):
    """Two contexts read from the same folder, with papermill's random id on the
    injected parameters cell: the same page, byte for byte; the run time comes from
    manifest.json (dcterms.created), never from the clock."""
    base = demo.write_demo_processed(tmp_path, history={"2020-05": demo.earlier_overrides()})
    pages = []
    for random_id in ("6ad1369b", "0f3c2e91"):
        nb = _executed_like(demo.doc_for(base))
        injected = new_code_cell("period = '2020-06'", metadata={"tags": ["injected-parameters"]})
        injected["id"] = random_id
        nb.cells.insert(1, injected)
        pages.append(publish.export_html(nb))
    assert pages[0] == pages[1]
    assert "6ad1369b" not in pages[0] and "injected" not in pages[0]
    created = r'content="2020-07-03T09:15:42\+08:00"'
    assert re.search(rf'<meta (?:{created} name="dcterms.created"|name="dcterms.created" {created})/?>', pages[0])
    ids = re.findall(r'\bid="([^"]+)"', pages[0])
    assert len(ids) == len(set(ids))


def test_english_edition_page(tmp_path):
    base = demo.write_demo_processed(tmp_path)
    page = publish.export_html(_executed_like(demo.doc_for(base, lang="en")))
    assert '<html lang="en">' in page
    assert "<title>Shuangyashan: Investment Promotion and Key Projects Bulletin, H1 2020</title>" in page
    assert '"— " counter(page) " —"' in page  # the same page numbers as the Chinese edition
    assert_self_contained(page)


def test_publish_refuses_a_failed_notebook_and_keeps_the_old_files(tmp_path, demo_doc):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bulletin.html").write_text("old", encoding="utf-8")
    (out / "bulletin.pdf").write_bytes(b"old")
    nb = _executed_like(demo_doc)
    nb.cells[3].outputs = [new_output("error", ename="KeyError", evalue="'activities'", traceback=[])]
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


FORMULA = '=HYPERLINK("http://example.org","点击")'


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The bulletin notebook run twice by papermill on the same processed folder
    (demo figures, an earlier snapshot, hostile ledger text), each published:
    ``runs`` = [(reports folder, publish result, seconds)]."""
    import papermill as pm

    root = tmp_path_factory.mktemp("published")
    base = demo.write_demo_processed(
        root / "processed", project_name=FORMULA, history={"2020-05": demo.earlier_overrides()}
    )
    env = dict(os.environ)
    src = str(Path(bulletin.__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    runs = []
    try:
        for k in range(2):
            reports = root / f"reports{k}"
            executed = root / f"bulletin{k}.ipynb"
            t0 = time.perf_counter()
            pm.execute_notebook(
                str(NOTEBOOK),
                str(executed),
                kernel_name="python3",
                parameters={"period": "2020-06", "processed_dir": str(base), "reports_dir": str(reports)},
                progress_bar=False,
                cwd=str(root),
            )
            t1 = time.perf_counter()
            result = publish.publish(executed, reports / "2020-06")
            runs.append((reports / "2020-06", result, (round(t1 - t0, 2), round(time.perf_counter() - t1, 2))))
    finally:
        os.environ.clear()
        os.environ.update(env)
    print("papermill, publish seconds:", [r[2] for r in runs])
    return {"runs": runs, "doc": demo.doc_for(base), "base": base}


@pytest.mark.slow
def test_the_worker_publishes_the_same_bytes(published, tmp_path):
    """The runner's Publisher (PDF in a worker process, HTML here) writes exactly what
    publish() writes in-process."""
    reports, result, _ = published["runs"][0]
    executed = reports.parent.parent / "bulletin0.ipynb"
    with publish.Publisher() as publisher:
        ours = publisher.publish(executed, tmp_path)
    for name in ("bulletin.html", "bulletin.internal.html", "bulletin.pdf"):
        assert (tmp_path / name).read_bytes() == (reports / name).read_bytes(), name
    assert ours["pages"] == result["pages"] and ours["title"] == result["title"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.html", "bulletin.internal.html", "bulletin.pdf"]


def test_the_worker_reports_a_failed_notebook_and_keeps_the_old_files(tmp_path, demo_doc):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bulletin.pdf").write_bytes(b"old")
    nb = _executed_like(demo_doc)
    nb.cells[3].outputs = [new_output("error", ename="KeyError", evalue="'activities'", traceback=[])]
    path = tmp_path / "failed.ipynb"
    nbformat.write(nb, path)
    with publish.Publisher() as publisher:
        publisher.submit(path, out)
        with pytest.raises(publish.PublishError, match="KeyError"):
            publisher.publish(path, out)
    assert sorted(p.name for p in out.iterdir()) == ["bulletin.pdf"]
    assert (out / "bulletin.pdf").read_bytes() == b"old"


def test_the_print_page_has_the_wide_drawings_as_images(demo_doc):
    """The PDF's page: no phone drawings, the wide ones as <img> of the very same SVG."""
    import base64

    nb = _executed_like(demo_doc)
    screen, printed = publish.export_html(nb), publish.export_html(nb, medium="print")
    assert screen.count("<svg") == 6 and "<svg" not in printed
    assert 'class="chart-narrow"' not in printed
    tags = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", printed)]
    assert all(tag["class"] == "chart-svg" and tag["src"].startswith("data:image/svg+xml;base64,") for tag in tags)
    images = [(tag["alt"], tag["src"].removeprefix("data:image/svg+xml;base64,")) for tag in tags]
    ctx_charts = demo_doc.charts.values()
    assert [(alt, base64.b64decode(data).decode()) for alt, data in images] == [
        (html.escape(c.title), c.svg.strip()) for c in ctx_charts
    ]
    assert_self_contained(printed)


@pytest.mark.parametrize("medium", ["screen", "internal", "print"])
def test_the_page_is_nbconverts_page_without_its_re_spelling(demo_doc, monkeypatch, medium):
    """The exporter skips nbconvert's accessibility pass (BeautifulSoup) when it has
    nothing to do: the page then parses to what the stock exporter writes, and
    re-spelled by BeautifulSoup it is the stock exporter's page, byte for byte."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = _executed_like(demo_doc)
    page = publish.export_html(nb, medium=medium)
    monkeypatch.setitem(publish._exporters, "zh", HTMLExporter(config=publish.make_exporter().config))
    stock = publish.export_html(nb, medium=medium)
    assert stock != page  # the stock exporter did re-spell its page
    assert str(BeautifulSoup(page, features="html.parser")) == stock


def test_an_image_without_alt_still_gets_nbconverts_alt(demo_doc, caplog):
    nb = _executed_like(demo_doc)
    nb.cells[2].outputs.insert(0, new_output("display_data", data={"text/html": '<p><img src="data:,"></p>'}))
    page = publish.export_html(nb)
    from bulletin.publish.exporter import needs_soup

    assert '<img alt="No description has been provided for this image" src="data:,"/>' in page
    assert not needs_soup('<p><img alt="" src="data:,"></p><img class="x" alt="y">')
    assert needs_soup('<div class="jp-Notebook">')


@pytest.mark.slow
def test_outputs_are_reproducible(published):
    """The same processed inputs give byte-identical HTML, PDF, Word and Excel files."""
    (a, ra, _), (b, rb, _) = published["runs"]
    names = ["bulletin.docx", "bulletin.html", "bulletin.internal.html", "bulletin.pdf", "bulletin.xlsx"]
    assert sorted(p.name for p in a.iterdir()) == names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.slow
def test_pdf_dates_come_from_the_manifest(published):
    from pypdf import PdfReader

    info = PdfReader(published["runs"][0][0] / "bulletin.pdf").metadata
    assert info["/CreationDate"].startswith("D:20200703091542+08")
    assert info["/ModDate"] == info["/CreationDate"]
    assert "招商引资和项目建设情况通报" in info["/Title"]


@pytest.mark.slow
def test_published_page_is_offline_and_escaped(published, caplog):
    out, result, _ = published["runs"][0]
    page = result["html"].read_text(encoding="utf-8")
    assert_self_contained(page)
    assert '<html lang="zh">' in page
    assert "150.33亿元" in page and "78.7%" in page
    shown = '<div class="cell">=HYPERLINK("http://example.org","点击")</div>'
    assert shown in page.replace("&quot;", '"')  # as text
    assert 'href="http://example.org"' not in page and "<a " not in page
    assert "doc = document(" not in page and "xlsx = excel" not in page
    # the Excel writer's Path is not shown, nothing but the bulletin is published
    assert "PosixPath" not in page and "bulletin.xlsx" not in page


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return exe


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.mark.slow
def test_pdf_is_a4_numbered_and_embeds_its_cjk_fonts(published):
    """The 公文 page: "— n —" at the foot of every page (no running header), the fonts
    embedded (where they stand: tests/test_document.py)."""
    pdf = published["runs"][0][1]["pdf"]
    pages = _pdf_pages(pdf)
    n = len(pages)
    assert n == published["runs"][0][1]["pages"] >= 3
    title = published["doc"].title
    for i, page in enumerate(pages, start=1):
        flat = re.sub(r"\s+", "", page)
        assert flat.endswith(f"—{i}—"), (i, flat[-20:])
        assert (i == 1) == flat.startswith(title)  # the title on the first page only
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "公文" in line]  # the stylesheet's @font-face faces
    faces = {re.sub(r"^\w+\+|-Bold$", "", line.split()[0]) for line in cjk}
    assert {"公文仿宋", "公文黑体", "公文标题"} <= faces, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # emb column
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and "Title:" in info


def _html_tables(page: str) -> dict[str, list[list[str]]]:
    """caption → rows of cell texts (header row first) of every table in the page."""
    out = {}
    for m in re.finditer(r"<table\b([^>]*)>(.*?)</table>", page, re.S):
        label = re.search(r'aria-label="([^"]*)"', m.group(1)).group(1)
        rows = []
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(2), re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        out[html.unescape(label)] = rows
    return out


@pytest.mark.slow
def test_figures_agree_across_html_pdf_and_excel(published):
    """Every table cell: the HTML shows the model's text, the Excel cell shows the same
    (value through its number format), and the PDF (pdftotext) has the same figures on
    the row's line."""
    from bulletin.publish import excel

    out, result, _ = published["runs"][0]
    tables = {t.key: t for t in published["doc"].issued_tables}
    html_tables = _html_tables(result["html"].read_text(encoding="utf-8"))
    sheets = excel.read_cells(out / "bulletin.xlsx")
    pdf_lines = [line.split() for page in _pdf_pages(result["pdf"]) for line in page.splitlines()]
    flat_lines = ["".join(t) for t in pdf_lines]
    checked = 0
    for table in tables.values():
        expected = [[table.text(r, c) for c in range(len(table.columns))] for r in range(len(table.rows))]
        keep = [c for c, col in enumerate(table.columns) if col.kind != "hash"]
        # HTML
        rows = html_tables[table.caption]
        assert rows[0] == [c.header for c in table.columns]
        assert [[r[c] for c in keep] for r in rows[1:]] == [[r[c] for c in keep] for r in expected]
        # Excel: caption, header, rows
        sheet = next(v for k, v in sheets.items() if v and v[0][0] == table.caption)
        assert sheet[1][: len(table.columns)] == [c.header for c in table.columns]
        body = [r[: len(table.columns)] for r in sheet[2 : 2 + len(table.rows)]]
        assert body == expected, table.caption
        # PDF: the row's figures on its (first) line, after the table's caption
        # (an 附件 has its title, in lines broken between phrases, instead of a caption)
        # (and a table of an 附件 with several, its title alone)
        anchor = table.printed_caption or title_lines(table.title, "zh", ANNEX_TITLE_PT)[0]
        start = flat_lines.index(re.sub(r"\s+", "", anchor))
        lines = pdf_lines[start:]
        for row in expected:
            figures = [row[c] for c, col in enumerate(table.columns) if col.kind in ("money", "pct", "count", "light")]
            if table.cls == "regions":
                line = next(t for t in lines if t and t[0] == row[0])
                assert line[1:] == row[1:], (table.caption, line)
            elif table.cls == "list":
                line = next(t for t in lines if t[:2] == row[:2])
                assert all(f in line for f in figures), (table.caption, line)
            checked += len(figures)
    assert checked > 200
    # the lead's figures are in all three
    for figure in ("150.33亿元", "107.4%", "40.44亿元", "78.7%"):
        assert figure in re.sub(r"\s+", "", "".join(_pdf_pages(result["pdf"])))
        assert figure in result["html"].read_text(encoding="utf-8")
    about = next(iter(sheets.values()))
    assert any("150.33亿元" in cell for row in about for cell in row)


@pytest.mark.slow
def test_long_tables_repeat_their_header_and_never_split_a_row(tmp_path):
    """A not-started list over several pages: every page with its rows starts with the
    header row, and each row is whole on one page."""
    base = demo.write_demo_processed(tmp_path)
    rows = [
        {
            "region": demo.REGIONS[i % 8],
            "project": f"清单{i:03d}",
            "tier": "municipal_key",
            "planned_investment": 10000 + i,
            "completed_investment": 0,
            "status": "前期手续办理中",
            "started": False,
            "problems": "用地手续未办结，环评批复尚在办理，" * (1 + i % 3),
        }
        for i in range(90)
    ]
    import pandas as pd

    pd.DataFrame(rows).to_csv(base / demo.PERIOD / "projects.csv", index=False)
    pdf = tmp_path / "long.pdf"
    publish.render_pdf(publish.export_html(_executed_like(demo.doc_for(base))), pdf)
    pages = _pdf_pages(pdf)
    seen = []
    for page in pages:
        names = re.findall(r"清单(\d{3})", page)
        if not names:
            continue
        assert re.search(r"序号\s+县区\s+项目名称", page), page[:300]
        seen += names
    assert sorted(seen) == [f"{i:03d}" for i in range(90)]  # each row once: never split
    assert len([p for p in pages if "清单0" in p]) >= 2


def test_published_files_follow_the_umask_like_open(tmp_path):
    """mkstemp makes 0600 files: colleagues sharing the folder could not read the bulletin."""
    from bulletin.publish.html_pdf import _temp_in
    from bulletin.store import FILE_MODE

    tmp = _temp_in(tmp_path, "bulletin.html")
    mask = os.umask(0)
    os.umask(mask)
    assert tmp.stat().st_mode & 0o777 == FILE_MODE == 0o666 & ~mask


@pytest.mark.slow
def test_a_pdf_started_from_a_copy_made_while_the_notebook_ran(published, tmp_path):
    """The runner has the worker start on the PDF from a copy of the notebook made when
    its pages were complete. The same outputs give the same bytes; a finished notebook
    that shows something the copy did not gets its PDF rendered again from itself."""
    reports, result, _ = published["runs"][0]
    executed = reports.parent.parent / "bulletin0.ipynb"
    copy = tmp_path / "copy.ipynb"
    shutil.copy(executed, copy)
    with publish.Publisher() as publisher:
        publisher.submit(copy, tmp_path / "same")
        publisher.publish(executed, tmp_path / "same")
    assert (tmp_path / "same" / "bulletin.pdf").read_bytes() == (reports / "bulletin.pdf").read_bytes()

    nb = nbformat.read(executed, as_version=4)
    cell = next(c for c in nb.cells if len(c.get("outputs", [])) > 2)
    issued = [o for o in cell.outputs if o.get("metadata", {}).get("bulletin") != publish.INTERNAL]
    cell.outputs.remove(issued[-1])  # the copy lacks the last section the PDF shows
    nbformat.write(nb, copy)
    with publish.Publisher() as publisher:
        publisher.submit(copy, tmp_path / "more")
        publisher.publish(executed, tmp_path / "more")
    assert (tmp_path / "more" / "bulletin.pdf").read_bytes() == (reports / "bulletin.pdf").read_bytes()


def test_weasyprint_accepts_every_rule_of_the_stylesheet(tmp_path, caplog):
    """No ``Ignored …`` warning for the bulletin's stylesheet in print (a rule WeasyPrint
    rejects is noise in every run's log, and hides one that matters)."""
    import logging

    css = (paths.PACKAGE_DIR / "templates" / "bulletin" / "bulletin.css").read_text(encoding="utf-8")
    cell = '<table><tr><td class="text"><span class="cell">甲</span></td></tr></table>'
    page = f"<html><head><style>{css}</style></head><body>{cell}</body></html>"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        publish.render_pdf(page, tmp_path / "x.pdf")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
