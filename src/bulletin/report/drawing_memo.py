"""Drawings reused within one process, for the test suite (``reusing_drawings``).

The suite builds the bulletin of one demo folder many times over (tests/report_demo.py
``doc_for``), and its charts are most of that time (~1.4 s of CPU a bulletin). A chart
draws the same bytes from the same arguments (tests/test_charts.py, which draws for
real), so within :func:`reusing_drawings` :func:`bulletin.report.drawing.draw_widths`
hands back the drawings it made before for the very same chart function and
arguments. A run draws each chart once and never turns it on.
"""

from __future__ import annotations

import hashlib
import pickle
from contextlib import contextmanager

MAX_KEPT = 256  # charts kept; past that the store starts again
drawn: dict[bytes, tuple[str, ...]] = {}  # key → drawings
_on = [False]


@contextmanager
def reusing_drawings():
    """Within the block, a chart asked for again with the very same arguments gets the
    drawings made the first time in this process instead of being drawn again."""
    was = _on[0]
    _on[0] = True
    try:
        yield
    finally:
        _on[0] = was


def key(chart, args, kwargs, widths, png_width) -> bytes | None:
    """A digest of the chart function and everything it is given, while reuse is on;
    None otherwise, or when an argument cannot be pickled (that chart is then drawn as
    usual)."""
    if not _on[0]:
        return None
    try:
        data = pickle.dumps((chart.__module__, chart.__qualname__, args, kwargs, tuple(widths), png_width), 5)
    except Exception:  # noqa: BLE001 - anything unpicklable is simply not reused
        return None
    return hashlib.sha256(data).digest()


def keep(key: bytes | None, drawings: list[str]) -> None:
    """Keep ``drawings`` under ``key`` (from :func:`key`; None keeps nothing)."""
    if key is None:
        return
    if len(drawn) >= MAX_KEPT:
        drawn.clear()
    drawn[key] = tuple(drawings)
