"""docs/SPEC.md is the contract the code cites: every "§N" or "§N.M" that the package,
pipeline.py, the notebooks, the docs or the tests cite is a section (``## N.``) or an
item (``M.`` under section N) of docs/SPEC.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin.paths import REPO_ROOT

SPEC = REPO_ROOT / "docs" / "SPEC.md"
CITE = re.compile(r"§\s?(\d+)(?:\.(\d+))?")
WHERE = ["src", "notebooks", "docs", "tests", "pipeline.py", "README.md"]
SUFFIXES = {".py", ".md", ".ipynb", ".yaml", ".j2", ".tpl", ".html"}


def spec_places(text: str) -> set[tuple[int, int | None]]:
    """The sections and items of a SPEC text.

    >>> sorted(spec_places("## 3. Rules\\n1. **A**\\n2. B\\n## 4. More\\ntext\\n"))
    [(3, None), (3, 1), (3, 2), (4, None)]
    """
    places: set[tuple[int, int | None]] = set()
    section = None
    for line in text.splitlines():
        m = re.match(r"## (\d+)\. ", line)
        if m:
            section = int(m.group(1))
            places.add((section, None))
            continue
        m = re.match(r"(\d+)\. ", line)
        if m and section is not None:
            places.add((section, int(m.group(1))))
    return places


def citations() -> list[tuple[str, int, int | None]]:
    found = []
    for root in WHERE:
        path = REPO_ROOT / root
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.suffix in SUFFIXES]
        for f in sorted(files):
            if f == SPEC or "/.ipynb_checkpoints/" in str(f) or f == Path(__file__):
                continue
            text = f.read_text(encoding="utf-8", errors="replace")
            for m in CITE.finditer(text):
                item = int(m.group(2)) if m.group(2) else None
                found.append((str(f.relative_to(REPO_ROOT)), int(m.group(1)), item))
    return found


def test_the_spec_is_in_the_repository():
    assert SPEC.exists()
    places = spec_places(SPEC.read_text(encoding="utf-8"))
    assert {(n, None) for n in range(1, 15)} <= places


def test_every_cited_section_exists():
    places = spec_places(SPEC.read_text(encoding="utf-8"))
    cited = citations()
    assert len(cited) > 50  # the code does cite it
    missing = sorted({f"{f}: §{n}{'' if m is None else f'.{m}'}" for f, n, m in cited if (n, m) not in places})
    assert not missing, missing


@pytest.mark.parametrize("cite", ["§15", "§3.14"])
def test_a_section_that_does_not_exist_is_caught(cite):
    places = spec_places(SPEC.read_text(encoding="utf-8"))
    m = CITE.search(cite)
    assert (int(m.group(1)), int(m.group(2)) if m.group(2) else None) not in places
