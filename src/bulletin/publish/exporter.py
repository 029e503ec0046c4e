"""nbconvert's :class:`~nbconvert.HTMLExporter` without its accessibility pass when
that pass has nothing to do (see :func:`exporter_class`); used by
:mod:`bulletin.publish.html_pdf`."""

from __future__ import annotations

import re

_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ALT_ATTR = re.compile(r"\salt\s*=", re.I)


def needs_soup(html: str) -> bool:
    """Whether nbconvert's accessibility pass would change ``html``: an ``<img>``
    without ``alt`` or a JupyterLab cell (``jp-*`` classes, which the ``classic``
    layout of our template never writes)."""
    return "jp-Notebook" in html or any(not _ALT_ATTR.search(tag) for tag in _IMG_TAG.findall(html))


def exporter_class():
    """:class:`~nbconvert.HTMLExporter` without its accessibility pass when the pass has
    nothing to do. That pass (nbconvert 7) parses the whole page with BeautifulSoup to
    give ``alt`` to an ``<img>`` without one and ``tabindex`` to JupyterLab cells, and
    writes the page out again: a fifth of a second per page, three pages per run. Our
    template lays cells out the classic way (no ``jp-*`` cell) and every chart image has
    its ``alt``, so the pass only re-spells the markup (``<meta/>``, lower-case SVG
    attribute names, entities as characters): a page that parses to the same tree.
    The steps before the pass are :meth:`HTMLExporter.from_notebook_node`'s own; a
    page the pass would change still goes through it."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BulletinExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            if needs_soup(html):
                return accessible(self, html), resources
            return html, resources

    return BulletinExporter


def accessible(exporter, html: str) -> str:
    """nbconvert's accessibility pass (:meth:`HTMLExporter.from_notebook_node`, 7.x)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    missing_alt = 0
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
        missing_alt += 1
    if missing_alt:
        exporter.log.warning("Alternative text is missing on %s image(s).", missing_alt)
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)
