"""Every file a run writes, declared once: the registry of outputs (no dependencies:
the runner uses it without loading the writers).

An :class:`Output` says which stage writes a file, under which root (``processed``:
``<processed>/<period>/``; ``reports``: ``<reports>/<period>/``), who writes it, and
whether it belongs to an edition. From :data:`OUTPUTS` derive the file names of an
edition (:func:`edition_files`), each stage's outputs and the incremental runs'
carry-over (:func:`stage_outputs`, used by :mod:`bulletin.runner.cache`), the files a
county edition rendered outside a run moves into its folder (:func:`moved_by_county`),
the files the command line names after a run (:func:`listed`), and the check that a
run wrote nothing undeclared (:func:`output_of`). **A new output is one more entry
here**; ``tests/test_outputs.py`` fails on a file a run writes that is not declared.

Editions never overwrite each other: the Chinese edition is ``bulletin.*``, the
English edition ``bulletin.en.*`` in the same folder; a county's edition has the same
names in ``regions/<county>/``.

>>> edition_files("en")["docx"], edition_files()["notebook"]
('bulletin.en.docx', 'notebooks/bulletin.ipynb')
>>> stage_outputs("publish", "en")["reports"]
['bulletin.en.html', 'bulletin.en.pdf', 'bulletin.en.internal.html']
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from bulletin.contract import ISSUED_REFERENCE
from bulletin.paths import suite_switch

PROCESSED, REPORTS = "processed", "reports"
REGIONS = "regions"  # reports/<period>/regions/<county>/: the county editions (--per-region)
STEM = "{stem}"  # in an edition's file name: bulletin (zh) or bulletin.<lang>


@dataclass(frozen=True)
class Output:
    """One file (or folder) a run writes.

    ``stage``: the stage that writes it (``contract.STAGES``), or ``"run"`` for the
    runner's own records, written at the end of every run. ``writer``: the module that
    writes it, named within the package (``publish.html_pdf``: a full dotted name here
    would put the module in the code key of every stage that imports this one).
    ``edition``: one per edition (``{stem}`` in ``file``: city or county,
    zh or en; a county's in ``regions/<county>/``). ``folder``: a folder whose files
    the writer names (``pattern``). ``listed``: named on the terminal after a run
    (``"issued"``: the issued document, the city's and the counties'; ``"internal"``:
    the city's internal edition). ``notebook_writes``: the bulletin notebook writes it
    under its ``reports_dir`` (a county edition rendered elsewhere moves it in)."""

    kind: str
    file: str
    root: str
    stage: str
    writer: str
    edition: bool = False
    folder: bool = False
    pattern: str = "*"
    listed: str = ""
    notebook_writes: bool = False
    skippable: bool = False  # the test suite may ask a run not to render it (SKIP_ENV)

    def name(self, lang: str = "zh") -> str:
        return self.file.replace(STEM, stem(lang))


def _table(name: str, stage: str, writer: str) -> Output:
    return Output(name, f"{name}.csv", PROCESSED, stage, writer)


CLEAN_TABLES = (
    "signings",
    "activities",
    "projects",
    "targets",
    "quality",
    "accounting",
    "skipped",
    "reading",
    "submissions",
)

OUTPUTS: tuple[Output, ...] = (
    # clean: the cleaned tables, the counties' quality workbooks, the executed notebook
    *(_table(name, "clean", "stages") for name in CLEAN_TABLES),
    Output("quality_workbooks", "quality", REPORTS, "clean", "publish.quality", folder=True, pattern="*.xlsx"),
    Output("clean_notebook", "notebooks/clean.ipynb", REPORTS, "clean", "runner.notebook"),
    # indicators
    _table("indicators", "indicators", "stages"),
    _table("breakdowns", "indicators", "stages"),
    _table("history", "indicators", "stages"),
    Output("indicators_notebook", "notebooks/indicators.ipynb", REPORTS, "indicators", "runner.notebook"),
    # bulletin and publish: one set per edition, in the order the command line names them
    Output("html", f"{STEM}.html", REPORTS, "publish", "publish.html_pdf", edition=True, listed="issued"),
    Output("pdf", f"{STEM}.pdf", REPORTS, "publish", "publish.html_pdf", edition=True, listed="issued", skippable=True),
    Output(
        "docx",
        f"{STEM}.docx",
        REPORTS,
        "bulletin",
        "publish.docx",
        edition=True,
        listed="issued",
        notebook_writes=True,
    ),
    Output(
        "xlsx",
        f"{STEM}.xlsx",
        REPORTS,
        "bulletin",
        "publish.excel",
        edition=True,
        listed="issued",
        notebook_writes=True,
    ),
    Output(
        "internal",
        f"{STEM}.internal.html",
        REPORTS,
        "publish",
        "publish.html_pdf",
        edition=True,
        listed="internal",
    ),
    Output("notebook", f"notebooks/{STEM}.ipynb", REPORTS, "bulletin", "runner.notebook", edition=True),
    # the runner's records of the run
    Output("processed_manifest", "manifest.json", PROCESSED, "run", "runner.provenance"),
    Output("stage_keys", "stages.json", PROCESSED, "run", "runner.cache"),
    Output("reports_manifest", "manifest.json", REPORTS, "run", "runner.provenance"),
    Output("editions", "editions.json", REPORTS, "run", "runner.editions"),
    # the latest issues this run compares with (修订说明, 环比 as issued: SPEC §13)
    Output("issued_reference", ISSUED_REFERENCE, PROCESSED, "run", "runner.issue"),
)


def stem(lang: str = "zh") -> str:
    return "bulletin" if str(lang) == "zh" else f"bulletin.{lang}"


def edition_outputs() -> list[Output]:
    return [o for o in OUTPUTS if o.edition]


def edition_files(lang: str = "zh") -> dict[str, str]:
    """kind → file name (relative to the edition's folder): the issued document in HTML,
    PDF and Word, the workbook, the internal edition (HTML with the provenance annex)
    and the executed notebook."""
    return {o.kind: o.name(lang) for o in edition_outputs()}


def stage_outputs(stage: str, lang: str = "zh", skip: frozenset = frozenset()) -> dict[str, list[str]]:
    """What ``stage`` writes for the city's edition in ``lang``, relative to
    ``<processed>/<period>/`` and ``<reports>/<period>/`` (a folder by its name);
    ``skip``: kinds the run does not render (:func:`skipped_renders`)."""
    out: dict[str, list[str]] = {PROCESSED: [], REPORTS: []}
    for o in OUTPUTS:
        if o.stage == stage and o.kind not in skip:
            out[o.root].append(o.name(lang))
    return out


def moved_by_county() -> list[str]:
    """The kinds the bulletin notebook writes under its ``reports_dir``: a county edition
    rendered outside a run's layout moves them into the county's folder."""
    return [o.kind for o in edition_outputs() if o.notebook_writes]


def listed(which: str = "") -> list[str]:
    """The kinds the command line names after a run: ``"issued"`` (also the counties'),
    or every listed kind (the city's, with its internal edition) when ``which`` is empty."""
    return [o.kind for o in edition_outputs() if o.listed and (not which or o.listed == which)]


SKIP_ENV = "BULLETIN_SKIP_RENDER"  # e.g. "pdf": the test suite's switch (see skipped_renders)


def skipped_renders(environ=None) -> frozenset[str]:
    """The kinds a run does not render, by ``$BULLETIN_SKIP_RENDER`` (comma-separated;
    only skippable kinds count: ``pdf``) — honoured only while a test runs
    (``$PYTEST_CURRENT_TEST`` set), so a published bulletin always has its PDF: outside
    the test suite the variable is ignored (the runner says so).

    >>> sorted(skipped_renders({"BULLETIN_SKIP_RENDER": "pdf,html", "PYTEST_CURRENT_TEST": "t"}))
    ['pdf']
    >>> skipped_renders({"BULLETIN_SKIP_RENDER": "pdf"})
    frozenset()
    """
    asked = {k.strip() for k in suite_switch(SKIP_ENV, environ).split(",")}
    return frozenset(o.kind for o in OUTPUTS if o.skippable and o.kind in asked)


def output_of(rel: str, root: str) -> Output | None:
    """The declared output that ``rel`` is (a file path relative to
    ``<root>/<period>/``, with ``/``), in any edition and language — a county's edition
    files under ``regions/<county>/``, the files of a declared folder by its pattern —
    or None: a file no entry declares."""
    parts = rel.split("/")
    if root == REPORTS and len(parts) > 2 and parts[0] == REGIONS:
        inner = "/".join(parts[2:])
        return next((o for o in edition_outputs() if o.root == REPORTS and _matches(o, inner)), None)
    return next((o for o in OUTPUTS if o.root == root and _matches(o, rel)), None)


def declared(rel: str, root: str) -> bool:
    """Whether ``rel`` is a declared output (:func:`output_of`)."""
    return output_of(rel, root) is not None


def _matches(o: Output, rel: str) -> bool:
    if o.folder:
        head, _, name = rel.partition("/")
        return head == o.file and "/" not in name and fnmatch.fnmatchcase(name, o.pattern)
    if not o.edition:
        return rel == o.file
    prefix, _, suffix = o.file.partition(STEM)
    if not (rel.startswith(prefix) and rel.endswith(suffix)):
        return False
    middle = rel[len(prefix) : len(rel) - len(suffix)]
    return middle == "bulletin" or (middle.startswith("bulletin.") and middle[9:].isalpha())
