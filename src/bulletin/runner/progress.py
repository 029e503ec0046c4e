"""Progress bars for the long steps (the county editions of ``--per-region``, the cities
of ``province``, the files of ``check``), drawn by tqdm on a terminal only: a run whose
output goes to a file, a pipe, a scheduler's log or a notebook shows none, and
``BULLETIN_PROGRESS=0`` turns them off everywhere. The bars go to stderr and vanish when
done; the Chinese lines of the run stay as they are."""

from __future__ import annotations

import os
import sys

ENV = "BULLETIN_PROGRESS"


def enabled(stream=None) -> bool:
    """Whether a bar is drawn: ``stream`` (default stderr) is a terminal and the
    variable does not say 0."""
    if os.environ.get(ENV, "").strip() == "0":
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def bar(total: int, desc: str, unit: str = "个"):
    """A tqdm bar of ``total`` steps on stderr (a disabled one when not on a terminal);
    use as a context manager and call ``update(1)`` per step."""
    import shutil

    from tqdm import tqdm

    size = shutil.get_terminal_size()  # a terminal that reports no size: 80 × 24
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not enabled(),
        leave=False,
        ncols=min(100, size.columns or 80),
        nrows=size.lines or 24,
        bar_format="{desc}：{n_fmt}/{total_fmt} {unit} |{bar}| {elapsed}<{remaining}",
    )
