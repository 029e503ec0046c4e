"""Executed bulletin notebook → ``bulletin.html`` (self-contained) → ``bulletin.pdf`` (A4).

* HTML: nbconvert's :class:`~nbconvert.HTMLExporter`, in-process, with the package's
  own template ``templates/bulletin`` (extends ``basic``): no code, no prompts, no
  script, no CDN, no web font; ``<html lang="zh">`` (``"en"`` for the English
  edition; the CSS names Noto Sans CJK SC first either way) so browsers and
  WeasyPrint pick simplified-Chinese glyph shapes.
* Reproducible: the same executed outputs give the same bytes. Only cells with
  outputs are published, with ids by position (papermill's injected cell has a random
  id); the only date, the run time, comes from manifest.json through the bulletin's
  header and becomes the PDF's creation and modification date.
* PDF: WeasyPrint, in-process, from that same HTML string. The fonts come from the
  system (Noto Sans CJK SC) and are embedded (subset) in the PDF. Nothing is fetched
  from the network: the URL fetcher refuses anything but ``data:`` URLs.
* Both files are rendered to temp files in ``out_dir`` first and only then moved into
  place with :func:`os.replace`, so a failure leaves the previous bulletin untouched.
"""
from __future__ import annotations

import html as html_lib
import logging
import os
import re
import tempfile
import time
from pathlib import Path

import nbformat

from bulletin import paths
from bulletin.store import FILE_MODE

log = logging.getLogger(__name__)

TEMPLATE_NAME = "bulletin"
HTML_NAME = "bulletin.html"
PDF_NAME = "bulletin.pdf"
LANGUAGE_CODE = "zh"  # "zh-CN" is not an ISO 639-1 code: nbconvert would fall back to "en"


class PublishError(RuntimeError):
    """The notebook cannot be published (it failed, or rendering failed)."""

    def __init__(self, message: str, notebook: Path | None = None, cell: int | None = None):
        self.notebook = notebook
        self.cell = cell
        where = f" ({notebook}" + (f", cell {cell}" if cell is not None else "") + ")" \
            if notebook else ""
        super().__init__(message + where)


def _check_outputs(nb, source: Path | None) -> None:
    """Refuse a notebook with an error output; log (and later drop) stderr text."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise PublishError(
                    f"notebook cell raised {out.get('ename')}: {out.get('evalue')}",
                    source, index)
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                log.warning("cell %d wrote to stderr (not published): %s", index,
                            str(out.get("text", "")).strip()[:500])


def _html_outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get("text/html")
            if data:
                yield "".join(data) if isinstance(data, list) else data


def bulletin_title(nb) -> str:
    """The text of the first ``<h1>`` among the notebook's HTML outputs ('' if none)."""
    for text in _html_outputs(nb):
        m = re.search(r"<h1\b[^>]*>(.*?)</h1>", text, re.S)
        if m:
            return html_lib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return ""


_W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def bulletin_facts(nb) -> dict:
    """The edition's language and the run time that :func:`bulletin.report.title` put
    on the bulletin's header (``data-lang``, ``data-run-time``). The run time comes from
    the run's manifest.json, never from a clock, so the same inputs give the same bytes.

    Returns ``{"lang": "zh"|"en", "run_time": ISO text or ""}``.
    """
    for text in _html_outputs(nb):
        m = re.search(r'<header\b[^>]*class="bulletin-header"[^>]*>', text)
        if not m:
            continue
        attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', m.group(0)))
        lang = attrs.get("data-lang", LANGUAGE_CODE)
        run_time = html_lib.unescape(attrs.get("data-run-time", "")).strip()
        return {"lang": lang if lang in ("zh", "en") else LANGUAGE_CODE,
                "run_time": run_time if _W3C_DATE.match(run_time) else ""}
    return {"lang": LANGUAGE_CODE, "run_time": ""}


def make_exporter(lang: str = LANGUAGE_CODE):
    """The configured in-process HTMLExporter (template ``bulletin``)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(paths.TEMPLATES_DIR)]
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_raw = True
    c.HTMLExporter.exclude_unknown = True
    c.HTMLExporter.language_code = lang
    # our fragments are built by bulletin.report with every ledger text escaped;
    # the sanitiser would strip the inline SVG charts
    c.HTMLExporter.sanitize_html = False
    return HTMLExporter(config=c)


def _published_cells(nb) -> None:
    """Keep only the cells that show something (the parameters cells, including
    papermill's injected one with its random id, show nothing), and give them ids
    by position: no random id reaches the page."""
    keep = [cell for cell in nb.cells
            if any(out.get("output_type") in ("display_data", "execute_result")
                   for out in cell.get("outputs", []))]
    for i, cell in enumerate(keep):
        cell["id"] = f"bulletin-{i:02d}"
        cell["metadata"] = {}
    nb.cells = keep


def export_html(nb, source: Path | None = None) -> str:
    """An executed notebook node → the bulletin's complete HTML page."""
    _check_outputs(nb, source)
    nb = nbformat.from_dict(nb)  # a copy: the caller's notebook is not changed
    facts = bulletin_facts(nb)
    title = bulletin_title(nb)
    _published_cells(nb)
    nb.metadata = {"title": title} if title else {}
    if facts["run_time"]:
        nb.metadata["bulletin_created"] = facts["run_time"]
    name = source.stem if source else "bulletin"
    body, _ = make_exporter(facts["lang"]).from_notebook_node(
        nb, resources={"metadata": {"name": name}})
    return body


def _offline_fetcher(url: str, *args, **kwargs):
    """WeasyPrint URL fetcher that only allows data: URLs (the page must be offline)."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"bulletin refuses to fetch {url!r}: the page must be self-contained")


def render_pdf(html: str, target: str | os.PathLike, base_url: str | None = None) -> int:
    """Write ``html`` as a PDF to ``target`` with WeasyPrint; returns the page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_offline_fetcher).render()
    document.write_pdf(target)
    return len(document.pages)


def _temp_in(folder: Path, name: str) -> Path:
    """A temporary file beside ``name``, with the mode ``open()`` would give (mkstemp's
    0600 would keep colleagues sharing the folder from reading the bulletin)."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, FILE_MODE)
    return Path(tmp)


def warm_up() -> None:
    """Import WeasyPrint and nbconvert and lay out a small Chinese page with the
    bulletin's stylesheet, so that fonts and styles are loaded before the bulletin is
    ready. The runner calls this in a background thread while the notebooks run in the
    kernel (another process), which takes the PDF's set-up off the critical path."""
    import io

    make_exporter()
    css = (paths.TEMPLATES_DIR / TEMPLATE_NAME / "bulletin.css").read_text(encoding="utf-8")
    html = (f'<html lang="zh"><head><style>{css}</style></head><body><h1>通报</h1><p>全市签约额150.33亿元。'
            '<b>78.7%</b></p><table><thead><tr><th>县区</th></tr></thead><tbody><tr><td>宝清县</td></tr>'
            '</tbody></table></body></html>')
    render_pdf(html, io.BytesIO())


def publish(executed_notebook: str | os.PathLike, out_dir: str | os.PathLike) -> dict:
    """Publish an executed bulletin notebook as ``out_dir/bulletin.html`` and
    ``out_dir/bulletin.pdf``.

    Returns ``{"html": Path, "pdf": Path, "title": str, "pages": int,
    "html_bytes": int, "pdf_bytes": int, "seconds": {"html": float, "pdf": float}}``.
    Raises :class:`PublishError` when the notebook holds an error output or rendering
    fails; the previous files in ``out_dir`` are then left as they were.
    """
    source = Path(executed_notebook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(source, as_version=4)

    t0 = time.perf_counter()
    page = export_html(nb, source)
    t1 = time.perf_counter()

    html_tmp = _temp_in(out, HTML_NAME)
    pdf_tmp = _temp_in(out, PDF_NAME)
    try:
        html_tmp.write_text(page, encoding="utf-8")
        try:
            pages = render_pdf(page, pdf_tmp, base_url=str(out.resolve()) + os.sep)
        except Exception as exc:
            raise PublishError(f"PDF rendering failed: {exc}", source) from exc
        t2 = time.perf_counter()
        html_path, pdf_path = out / HTML_NAME, out / PDF_NAME
        os.replace(html_tmp, html_path)
        os.replace(pdf_tmp, pdf_path)
    finally:
        html_tmp.unlink(missing_ok=True)
        pdf_tmp.unlink(missing_ok=True)

    result = {
        "html": html_path,
        "pdf": pdf_path,
        "title": bulletin_title(nb),
        "pages": pages,
        "html_bytes": html_path.stat().st_size,
        "pdf_bytes": pdf_path.stat().st_size,
        "seconds": {"html": round(t1 - t0, 3), "pdf": round(t2 - t1, 3)},
    }
    log.info("published %s: %s (%d bytes), %s (%d pages, %d bytes) in %.2f s + %.2f s",
             source.name, html_path, result["html_bytes"], pdf_path, pages,
             result["pdf_bytes"], t1 - t0, t2 - t1)
    return result
