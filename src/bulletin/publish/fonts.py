"""The fonts WeasyPrint may read: the stylesheet's ``@font-face … local()`` faces are
loaded by WeasyPrint as ``file:`` URLs through the page's URL fetcher, which refuses
everything else (:func:`bulletin.publish.html_pdf.render_pdf`). Without this, every
``local()`` face failed silently and the PDF fell back to the family names after it.

And the process's font configuration (:func:`font_config`): WeasyPrint copies each
``@font-face`` font file into a folder of its own under the temp folder (~90 MB for
the CJK faces) and has fontconfig scan it; one configuration per process does that
once, not at every render, and :func:`release_fonts` removes the copies when the
process ends — WeasyPrint's own clean-up never runs in a process that ends with
``os._exit`` (the PDF worker, a pool's worker process), which left them behind at
every run.
"""

from __future__ import annotations

import os
import subprocess
import threading

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


_configs: dict = {}  # process id → WeasyPrint FontConfiguration (a forked child makes its own)
fonts_lock = threading.Lock()  # one render at a time uses a configuration


def font_config():
    """This process's WeasyPrint ``FontConfiguration``: the stylesheet's fonts are
    loaded into it by the first render (the PDF worker's warm-up, while the kernel
    works) and reused by the next ones. Its folder is removed when the process ends."""
    pid = os.getpid()
    if pid not in _configs:
        from multiprocessing import util

        from weasyprint.text.fonts import FontConfiguration

        _configs[pid] = FontConfiguration()
        # at exit: of the interpreter, and of a pool's worker process (which skips atexit)
        util.Finalize(None, release_fonts, exitpriority=10)
    return _configs[pid]


def release_fonts() -> None:
    """Remove the copies of the fonts this process's renders made (WeasyPrint's own
    clean-up, ``FontConfiguration.__del__``); a configuration inherited from the parent
    process is the parent's to remove."""
    config = _configs.pop(os.getpid(), None)
    if config is not None:
        config.__del__()
