"""The fonts WeasyPrint may read: the stylesheet's ``@font-face … local()`` faces are
loaded by WeasyPrint as ``file:`` URLs through the page's URL fetcher, which refuses
everything else (:func:`bulletin.publish.html_pdf.render_pdf`). Without this, every
``local()`` face failed silently and the PDF fell back to the family names after it.
"""

from __future__ import annotations

import os
import subprocess

FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc")


def installed_font(url: str) -> bool:
    """Whether ``url`` is a ``file:`` URL of a font file that fontconfig knows (what
    WeasyPrint loads for the stylesheet's ``@font-face … local()``); nothing else on
    the disk is ever read into the page.

    >>> installed_font("file:///etc/passwd"), installed_font("https://x/y.ttf")
    (False, False)
    """
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "file" or not parts.path.lower().endswith(FONT_SUFFIXES):
        return False
    path = os.path.realpath(unquote(parts.path))
    return path in _font_files()


_font_list: list = []


def _font_files() -> frozenset:
    if not _font_list:
        try:
            out = subprocess.run(
                ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        _font_list.append(frozenset(os.path.realpath(line) for line in out.splitlines() if line))
    return _font_list[0]
