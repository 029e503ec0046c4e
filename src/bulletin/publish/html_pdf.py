"""Executed bulletin notebook → ``bulletin.html`` (self-contained) → ``bulletin.pdf`` (A4),
and the internal edition ``bulletin.internal.html`` (the English edition: ``bulletin.en.*``).

* HTML: nbconvert's :class:`~nbconvert.HTMLExporter`, in-process, with the package's
  own template ``templates/bulletin`` (extends ``basic``): no code, no prompts, no
  script, no CDN, no web font; ``<html lang="zh">`` (``"en"`` for the English
  edition; the CSS names Noto Sans CJK SC first either way) so browsers and
  WeasyPrint pick simplified-Chinese glyph shapes.
* Reproducible: the same executed outputs give the same bytes. Only cells with
  outputs are published, with ids by position (papermill's injected cell has a random
  id); the only date, the run time, comes from manifest.json through the bulletin's
  header and becomes the PDF's creation and modification date.
* PDF: WeasyPrint, from the same notebook and template, without the phone drawings of
  the charts (``.chart-narrow``, which print never shows) and with the wide drawings
  as ``<img>`` of the same SVG (see :func:`_for_print`): together a third less time.
  The page is laid out as a 公文 (GB/T 9704-2012: see ``templates/bulletin/bulletin.css``);
  the fonts come from the system — the office's 仿宋_GB2312, 方正小标宋简体, 黑体,
  楷体_GB2312 when installed, else Noto Serif CJK SC, Noto Sans CJK SC, AR PL UKai CN —
  and are embedded (subset) in the PDF. Nothing is fetched from the network: the URL fetcher refuses anything but
  ``data:`` URLs.
* Both files are rendered to temp files in ``out_dir`` first and only then moved into
  place with :func:`os.replace`, so a failure leaves the previous bulletin untouched.
* :func:`publish` does it all in-process. The runner uses a :class:`Publisher`
  instead: a worker process, started with the run, loads WeasyPrint, nbconvert and
  the fonts while the kernel executes the notebooks, then renders the PDF while the
  runner exports the HTML page — two cores instead of one.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from bulletin import collector, paths
from bulletin.errors import PublishError
from bulletin.paths import FILE_MODE
from bulletin.publish.exporter import exporter_class
from bulletin.publish.fonts import font_config, fonts_lock, installed_font, release_fonts
from bulletin.publish.names import edition_files

log = logging.getLogger(__name__)

TEMPLATE_NAME = "bulletin"
LANGUAGE_CODE = "zh"  # "zh-CN" is not an ISO 639-1 code: nbconvert would fall back to "en"
INTERNAL = "internal"  # the output metadata ({"bulletin": "internal"}) of the internal edition's annex


def edition_names(lang: str = "zh") -> dict[str, str]:
    """The files this module writes for an edition (see :mod:`bulletin.publish.names`).

    >>> edition_names("en")["pdf"], edition_names()["internal"]
    ('bulletin.en.pdf', 'bulletin.internal.html')
    """
    files = edition_files(lang)
    return {kind: files[kind] for kind in ("html", "internal", "pdf")}


def _check_outputs(nb, source: Path | None, warn: bool = True) -> None:
    """Refuse a notebook with an error output; log (and later drop) stderr text."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise PublishError(f"notebook cell raised {out.get('ename')}: {out.get('evalue')}", source, index)
            if warn and out.get("output_type") == "stream" and out.get("name") == "stderr":
                log.warning(
                    "cell %d wrote to stderr (not published): %s", index, str(out.get("text", "")).strip()[:500]
                )


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
        return {
            "lang": lang if lang in ("zh", "en") else LANGUAGE_CODE,
            "run_time": run_time if _W3C_DATE.match(run_time) else "",
        }
    return {"lang": LANGUAGE_CODE, "run_time": ""}


_exporters: dict = {}
_exporters_lock = threading.Lock()


def exporter(lang: str = LANGUAGE_CODE):
    """The process's exporter for ``lang`` (made once: compiling the templates costs
    more than exporting the bulletin with them)."""
    with _exporters_lock:
        if lang not in _exporters:
            _exporters[lang] = make_exporter(lang)
        return _exporters[lang]


def make_exporter(lang: str = LANGUAGE_CODE):
    """The configured in-process HTMLExporter (template ``bulletin``; see
    :func:`bulletin.publish.exporter.exporter_class`)."""
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
    return exporter_class()(config=c)


def _is_internal(out) -> bool:
    return (out.get("metadata") or {}).get("bulletin") == INTERNAL


def _published_cells(nb, internal: bool = False) -> None:
    """Keep only the cells that show something (the parameters cells, including
    papermill's injected one with its random id, show nothing), and give them ids
    by position: no random id reaches the page. Outputs marked internal (the
    provenance annex) are kept only for the internal edition."""
    if not internal:
        for cell in nb.cells:
            if cell.get("outputs"):
                cell["outputs"] = [out for out in cell["outputs"] if not _is_internal(out)]
    keep = [
        cell
        for cell in nb.cells
        if any(out.get("output_type") in ("display_data", "execute_result") for out in cell.get("outputs", []))
    ]
    for i, cell in enumerate(keep):
        cell["id"] = f"bulletin-{i:02d}"
        cell["metadata"] = {}
    nb.cells = keep


_NARROW_CHART = re.compile(r'<div class="chart-narrow">.*?</div>', re.S)
_WIDE_CHART = re.compile(r'<div class="chart-wide">\s*(<svg\b.*?</svg>)\s*</div>', re.S)


def _chart_image(m: re.Match) -> str:
    svg = m.group(1)
    label = re.search(r'aria-label="([^"]*)"', svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<div class="chart-wide"><img class="chart-svg" alt="{label.group(1) if label else ""}" '
        f'src="data:image/svg+xml;base64,{data}"></div>'
    )


def _for_print(nb) -> None:
    """The charts of the print page: the phone drawings dropped (``.chart-narrow`` is
    never shown in print, but WeasyPrint lays out a hidden inline SVG anyway), the wide
    ones as ``<img>`` of the same SVG (a ``data:`` URL): WeasyPrint then draws each
    chart as one vector image instead of styling its thousands of elements as part of
    the page. (An SVG holds no ``</div>``: matplotlib writes no such text, and
    :mod:`charts` escapes the one text it adds, the ``aria-label``.)"""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"] = _WIDE_CHART.sub(_chart_image, _NARROW_CHART.sub("", text))


def export_html(nb, source: Path | None = None, medium: str = "screen") -> str:
    """An executed notebook node → the bulletin's complete HTML page (the issued
    document); ``medium="print"``: the page the PDF is rendered from (the same without
    the phone drawings); ``medium="internal"``: the internal edition (with the annex of
    input files, hashes and program version)."""
    _check_outputs(nb, source, warn=medium == "screen")
    nb = nbformat.from_dict(nb)  # a copy: the caller's notebook is not changed
    facts = bulletin_facts(nb)
    title = bulletin_title(nb)
    _published_cells(nb, internal=medium == INTERNAL)
    if medium == "print":
        _for_print(nb)
    nb.metadata = {"title": title} if title else {}
    if facts["run_time"]:
        nb.metadata["bulletin_created"] = facts["run_time"]
    name = source.stem if source else "bulletin"
    body, _ = exporter(facts["lang"]).from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


def _offline_fetcher(url: str, *args, **kwargs):
    """WeasyPrint URL fetcher that only allows data: URLs (the page must be offline)."""
    return _fetcher()(url)


_fetchers: list = []


def _fetcher():
    """A WeasyPrint :class:`~weasyprint.urls.URLFetcher` that fetches ``data:`` URLs
    (the print page's charts) and the installed fonts the stylesheet names
    (:func:`installed_font`), and refuses anything else (WeasyPrint then leaves the
    resource out, with a warning)."""
    if not _fetchers:
        from weasyprint.urls import URLFetcher

        class OfflineFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if not (url.startswith("data:") or installed_font(url)):
                    raise ValueError(f"bulletin refuses to fetch {url!r}: the page must be self-contained")
                return super().fetch(url, headers)

        _fetchers.append(OfflineFetcher(allowed_protocols=["data", "file"]))
    return _fetchers[0]


def render_pdf(html: str, target: str | os.PathLike, base_url: str | None = None) -> int:
    """Write ``html`` as a PDF to ``target`` with WeasyPrint; returns the page count.
    A chart that would leave the page before it a third empty is moved after the next
    paragraph and the page laid out again (:mod:`bulletin.publish.floats`). The cyclic
    garbage collector is paused meanwhile (:mod:`bulletin.collector`): a fifth of the
    CPU of the sample's PDF."""
    from weasyprint import HTML

    from bulletin.publish.floats import float_charts

    with fonts_lock, collector.paused():
        fonts = font_config()
        document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render(font_config=fonts)
        moved = float_charts(html, document)
        if moved is not None:
            document = HTML(string=moved, base_url=base_url, url_fetcher=_fetcher()).render(font_config=fonts)
        document.write_pdf(target)
        return len(document.pages)


def _temp_in(folder: Path, name: str) -> Path:
    """A temporary file beside ``name``, with the mode ``open()`` would give (mkstemp's
    0600 would keep colleagues sharing the folder from reading the bulletin)."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, FILE_MODE)
    return Path(tmp)


def warm_up(lang: str = LANGUAGE_CODE, pdf: bool = True) -> None:
    """Import nbconvert (and WeasyPrint), compile the template for ``lang`` and lay out a
    small Chinese page with the bulletin's stylesheet, so that fonts and styles are
    loaded before the bulletin is ready. ``pdf=False``: the HTML side only."""
    import io

    from nbformat.v4 import new_code_cell, new_notebook, new_output

    # a first export compiles the templates and nbconvert's CSS selectors (most of
    # the cost of exporting the bulletin)
    fragment = (
        '<header class="bulletin-header" data-lang="' + lang + '"><h1 class="bulletin-title">通报</h1>'
        "</header><p>全市签约额150.33亿元。<b>78.7%</b></p><table><thead><tr><th>县区</th></tr></thead>"
        "<tbody><tr><td>宝清县</td></tr></tbody></table>"
    )
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output("display_data", data={"text/html": fragment})])])
    html = export_html(nb, medium="print")
    if pdf:
        render_pdf(html, io.BytesIO())


def _render_pdf_file(nb, source: Path, out: Path, tmp: Path | None = None) -> tuple[Path, int]:
    """The print page of ``nb`` rendered to a temp file in ``out`` (or ``tmp``):
    (temp path, pages)."""
    tmp = tmp or _temp_in(out, edition_names(bulletin_facts(nb)["lang"])["pdf"])
    try:
        page = export_html(nb, source, medium="print")
        log.info("print page exported")
        pages = render_pdf(page, tmp, base_url=str(out.resolve()) + os.sep)
    except PublishError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise PublishError(f"PDF rendering failed: {exc}", source) from exc
    return tmp, pages


def _write_html_files(nb, source: Path, out: Path) -> dict[str, Path]:
    """The issued page and the internal edition's page of ``nb`` written to temp files
    in ``out``: {"html": temp, "internal": temp}."""
    names = edition_names(bulletin_facts(nb)["lang"])
    tmps: dict[str, Path] = {}
    try:
        for kind, medium in (("html", "screen"), ("internal", INTERNAL)):
            page = export_html(nb, source, medium)
            tmps[kind] = _temp_in(out, names[kind])
            tmps[kind].write_text(page, encoding="utf-8")
    except BaseException:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise
    return tmps


def _result(source: Path, nb, paths_: dict[str, Path], pages: int, seconds: dict) -> dict:
    html_path, pdf_path = paths_["html"], paths_["pdf"]
    result = {
        "html": html_path,
        "internal": paths_["internal"],
        "pdf": pdf_path,
        "title": bulletin_title(nb),
        "pages": pages,
        "html_bytes": html_path.stat().st_size,
        "pdf_bytes": pdf_path.stat().st_size,
        "seconds": seconds,
    }
    log.info(
        "published %s: %s (%d bytes), %s (%d pages, %d bytes) in %.2f s + %.2f s",
        source.name,
        html_path,
        result["html_bytes"],
        pdf_path,
        pages,
        result["pdf_bytes"],
        seconds["html"],
        seconds["pdf"],
    )
    return result


def publish(executed_notebook: str | os.PathLike, out_dir: str | os.PathLike) -> dict:
    """Publish an executed bulletin notebook as ``out_dir/bulletin.html``,
    ``bulletin.internal.html`` and ``bulletin.pdf`` (the English edition:
    ``bulletin.en.*``), in this process.

    Returns ``{"html": Path, "internal": Path, "pdf": Path, "title": str, "pages": int,
    "html_bytes": int, "pdf_bytes": int, "seconds": {"html": float, "pdf": float}}``.
    Raises :class:`PublishError` when the notebook holds an error output or rendering
    fails; the previous files in ``out_dir`` are then left as they were.
    """
    source = Path(executed_notebook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(source, as_version=4)

    t0 = time.perf_counter()
    tmps = _write_html_files(nb, source, out)
    t1 = time.perf_counter()
    try:
        tmps["pdf"], pages = _render_pdf_file(nb, source, out)
    except BaseException:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise
    t2 = time.perf_counter()
    moved = _move_in(out, tmps, bulletin_facts(nb)["lang"])
    return _result(source, nb, moved, pages, {"html": round(t1 - t0, 3), "pdf": round(t2 - t1, 3)})


def _move_in(out: Path, tmps: dict[str, Path], lang: str) -> dict[str, Path]:
    names = edition_names(lang)
    final = {kind: out / names[kind] for kind in tmps}
    try:
        for kind, tmp in tmps.items():
            os.replace(tmp, final[kind])
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
    return final


# --------------------------------------------------------------------------- worker
WORKER_NICENESS = 5


class Publisher:
    """Publishing on two cores, for the runner.

    Creating it starts a worker process (``python -m bulletin.publish --worker``) that
    loads WeasyPrint, nbconvert and the fonts at once, at a lower priority, while the
    runner's kernel executes the notebooks. :meth:`publish` then has the worker render
    the PDF while this process exports and writes the HTML page (loading nbconvert
    then: the PDF takes longer anyway, and loading it earlier would compete with the
    runner's own work); both files are moved into place only when both succeeded.
    The worker serves one bulletin and exits; it dies with this process (Linux
    ``PR_SET_PDEATHSIG``; elsewhere it exits when its stdin closes).
    """

    def __init__(self, lang: str = LANGUAGE_CODE, verbose: bool = False, tmp: str | os.PathLike | None = None):
        """``tmp``: the worker's temporary folder (created here; removed by :meth:`close`),
        by default a new one in the system's."""
        self.lang = lang
        cmd = [sys.executable, "-m", "bulletin.publish.html_pdf", "--worker", "--lang", lang]
        if verbose:
            cmd.append("--verbose")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(paths.PACKAGE_DIR.parent), env.get("PYTHONPATH")]))
        # the worker's temp folder, removed by close() however the worker ended: WeasyPrint
        # copies the fonts there (~90 MB), and a killed worker cannot remove them itself
        if tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="bulletin-pdf-worker-")
        else:
            os.mkdir(tmp)
            self._tmp = str(tmp)
        env["TMPDIR"] = self._tmp
        # stdout is our private channel: a worker holding the runner's stdout open
        # would keep a reader of the runner's output waiting
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, encoding="utf-8"
        )
        self._job = None

    def submit(self, executed_notebook: str | os.PathLike, out_dir: str | os.PathLike) -> None:
        """Have the worker start on the PDF (as soon as the notebook is saved: the
        runner still has its kernel to shut down). ``executed_notebook`` may be a copy
        of the notebook made while it still ran, once its pages were complete: then
        :meth:`publish` checks that the finished notebook shows the same."""
        if self._job is not None:
            return
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        # the temp file is named here, so that it is removed even when the worker is not
        self._job = (Path(executed_notebook), out, time.perf_counter(), _temp_in(out, edition_names(self.lang)["pdf"]))
        try:
            self.proc.stdin.write(
                json.dumps({"notebook": str(self._job[0]), "out": str(out), "pdf": str(self._job[3])}) + "\n"
            )
            self.proc.stdin.flush()
        except OSError:
            pass  # the worker is gone: its exit is reported by publish()

    def publish(self, executed_notebook: str | os.PathLike, out_dir: str | os.PathLike) -> dict:
        """Like :func:`publish`, on two processes."""
        self.submit(executed_notebook, out_dir)
        submitted, out, t0, pdf_tmp = self._job
        source = Path(executed_notebook)
        if out != Path(out_dir):
            raise ValueError("a Publisher publishes into the folder it was given with submit()")
        tmps: dict[str, Path] = {}
        try:
            nb = nbformat.read(source, as_version=4)
            early = submitted != source and _outputs(nbformat.read(submitted, as_version=4)) != _outputs(nb)
            if early:  # the notebook showed more after the copy the PDF was started from
                log.warning("the bulletin changed after its pages were complete: PDF rendered again")
                self.close()
            tmps = _write_html_files(nb, source, out)
            t1 = time.perf_counter()
            reply = {"ok": True, "pages": _render_pdf_file(nb, source, out, pdf_tmp)[1]} if early else self._reply()
            t2 = time.perf_counter()
            if not reply.get("ok"):
                raise PublishError(reply.get("message", "PDF rendering failed"), source, reply.get("cell"))
        except BaseException:
            self.close()  # the worker may still be writing the PDF
            pdf_tmp.unlink(missing_ok=True)
            for tmp in tmps.values():
                tmp.unlink(missing_ok=True)
            raise
        return _result(
            source,
            nb,
            _move_in(out, {**tmps, "pdf": pdf_tmp}, bulletin_facts(nb)["lang"]),
            reply["pages"],
            {"html": round(t1 - t0, 3), "pdf": round(t2 - t0, 3)},
        )

    def _reply(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise PublishError(f"PDF worker exited (code {code}) before rendering the PDF")
        return json.loads(line)

    def close(self) -> None:
        """Stop the worker (at once, if it still works); a PDF it did not deliver is
        removed."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self._tmp, ignore_errors=True)
        if self._job is not None:
            self._job[3].unlink(missing_ok=True)  # moved into place already when published
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _outputs(nb) -> list:
    """Every cell's outputs: what a notebook shows."""
    return [cell.get("outputs", []) for cell in nb.cells]


def _die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the process that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _worker(lang: str, verbose: bool) -> None:
    """``python -m bulletin.publish --worker``: warm up, then render the PDF of the one
    job read from stdin (``{"notebook", "out"}``), reply one JSON line on stdout
    (``{"ok", "pdf", "pages"}`` or ``{"ok": false, "message", "cell"}``) and exit."""
    _die_with_parent()
    os.nice(WORKER_NICENESS)  # the kernel and the runner first: they are on the critical path
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    if not verbose:
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        warm_up(lang)
    except Exception as exc:  # noqa: BLE001 - rendering then loads it itself
        log.info("PDF warm-up skipped: %s", exc)
    line = sys.stdin.readline()
    if not line:
        release_fonts()
        os._exit(0)  # the runner stopped before publishing
    job = json.loads(line)
    try:
        source = Path(job["notebook"])
        log.info("job: %s", source)
        nb = nbformat.read(source, as_version=4)
        tmp, pages = _render_pdf_file(nb, source, Path(job["out"]), Path(job["pdf"]))
        reply = {"ok": True, "pdf": str(tmp), "pages": pages}
    except PublishError as exc:
        reply = {"ok": False, "message": exc.message, "cell": exc.cell}
    except Exception as exc:  # noqa: BLE001 - reported to the runner, which fails the stage
        reply = {"ok": False, "message": f"{type(exc).__name__}: {exc}", "cell": None}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    release_fonts()
    os._exit(0)  # nothing else to tear down: skip the interpreter's slow clean-up


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="bulletin publishing worker (used by the runner)")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--lang", default=LANGUAGE_CODE)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    _worker(args.lang, args.verbose)
