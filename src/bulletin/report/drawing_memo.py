"""Drawings reused, for the test suite only.

The suite builds the bulletin of one demo folder many times over, in its own processes
(tests/report_demo.py ``doc_for``) and in the pipeline runs it starts (most of them on
the sample city's unchanged month), and its charts are most of a bulletin's own time
(~1.1 s of CPU for the four charts' three drawings each). A chart draws the same bytes
from the same arguments (tests/test_charts.py, which draws for real), so
:func:`bulletin.report.drawing.draw_widths` hands back the drawings it made before for
the very same chart function, arguments and drawing code:

* within :func:`reusing_drawings`, those made in this process;
* with ``$BULLETIN_TEST_DRAWINGS`` naming a folder — the test session's own, which
  tests/conftest.py makes empty at the start of each session — those any process of
  the session made, kept there as JSON. Honoured only while a test runs
  (``$PYTEST_CURRENT_TEST``, as the test suite's ``BULLETIN_SKIP_RENDER``): a run
  outside the test suite draws every chart, and never reads or writes that folder.

The key is a SHA-256 of the pickled chart function's name, its arguments and the source
of the modules that draw (an edited drawing module is a new key); an argument that
cannot be pickled means the chart is drawn as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from contextlib import contextmanager
from pathlib import Path

from bulletin.paths import suite_switch

FOLDER_ENV = "BULLETIN_TEST_DRAWINGS"  # the test session's folder of drawings (see above)
MAX_KEPT = 256  # charts kept in memory; past that the store starts again
drawn: dict[bytes, tuple[str, ...]] = {}  # key → drawings, this process's
_on = [False]
_sources: dict[str, bytes] = {}  # module name → digest of its source


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


def _folder() -> Path | None:
    folder = suite_switch(FOLDER_ENV)
    return Path(folder) if folder else None


def _source_digest(module_name: str) -> bytes:
    if module_name not in _sources:
        path = getattr(sys.modules.get(module_name), "__file__", None)
        _sources[module_name] = hashlib.sha256(Path(path).read_bytes()).digest() if path else b""
    return _sources[module_name]


def key(chart, args, kwargs, widths, png_width) -> bytes | None:
    """The key of a chart's drawings while reuse is on; None otherwise, or when an
    argument cannot be pickled (that chart is then drawn as usual)."""
    if not _on[0] and _folder() is None:
        return None
    code = [_source_digest(name) for name in sorted({chart.__module__, "bulletin.report.drawing"})]
    try:
        data = pickle.dumps((chart.__module__, chart.__qualname__, code, args, kwargs, tuple(widths), png_width), 5)
    except Exception:  # noqa: BLE001 - anything unpicklable is simply not reused
        return None
    return hashlib.sha256(data).digest()


def lookup(key: bytes | None) -> list[str] | None:
    """The drawings kept under ``key`` (this process's, else the session folder's), or None."""
    if key is None:
        return None
    if key in drawn:
        return list(drawn[key])
    folder = _folder()
    if folder is None:
        return None
    try:
        found = json.loads((folder / f"{key.hex()}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(found, list) and all(isinstance(d, str) for d in found)):
        return None
    return found


def keep(key: bytes | None, drawings: list[str]) -> None:
    """Keep ``drawings`` under ``key`` (from :func:`key`; None keeps nothing): in this
    process, and in the session folder when there is one (written whole, then renamed)."""
    if key is None:
        return
    if len(drawn) >= MAX_KEPT:
        drawn.clear()
    drawn[key] = tuple(drawings)
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key.hex()}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(list(drawings)), encoding="utf-8")
        os.replace(tmp, folder / f"{key.hex()}.json")
    except OSError:
        pass  # a drawing not kept is drawn again
