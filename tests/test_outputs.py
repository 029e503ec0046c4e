"""The registry of outputs (publish/names.py): every file a run writes is declared,
everything that lists outputs derives from it, and an incremental run carries every
declared output of the stages it does not rerun."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bulletin.contract import STAGES
from bulletin.paths import TEST_ENV
from bulletin.publish import names
from bulletin.runner import cache
from bulletin.runner.editions import LANGS

ROOTS = (names.PROCESSED, names.REPORTS)


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- the registry itself
def test_every_entry_is_well_formed():
    kinds = [o.kind for o in names.OUTPUTS]
    assert len(kinds) == len(set(kinds))  # one entry per kind
    for o in names.OUTPUTS:
        assert o.root in ROOTS and o.stage in (*STAGES, "run"), o
        assert importlib.util.find_spec(f"bulletin.{o.writer}") is not None, o  # the writer exists
        assert (names.STEM in o.file) == o.edition, o
        assert not (o.folder and o.edition), o


def test_edition_files_never_collide_across_languages():
    zh, en = (set(names.edition_files(lang).values()) for lang in LANGS)
    assert zh.isdisjoint(en)
    assert names.edition_files("en")["pdf"] == "bulletin.en.pdf"


def test_what_derives_from_it():
    assert cache.OUTPUTS["publish"]["reports"] == ["bulletin.html", "bulletin.pdf", "bulletin.internal.html"]
    assert cache.outputs("bulletin", "en")["reports"] == [
        "bulletin.en.docx",
        "bulletin.en.xlsx",
        "notebooks/bulletin.en.ipynb",
    ]
    assert set(cache.OUTPUTS["clean"]["processed"]) == {f"{t}.csv" for t in names.CLEAN_TABLES}
    assert names.listed() == ["html", "pdf", "docx", "xlsx", "internal"]  # the order the CLI names them
    assert names.listed("issued") == ["html", "pdf", "docx", "xlsx"]
    assert names.moved_by_county() == ["docx", "xlsx"]  # what the bulletin notebook writes itself
    assert not hasattr(names, "KINDS")


@pytest.mark.parametrize(
    "rel, root, kind",
    [
        ("signings.csv", "processed", "signings"),
        ("quality/宝清县_数据质量反馈_2020-06.xlsx", "reports", "quality_workbooks"),
        ("regions/宝清县/bulletin.en.pdf", "reports", "pdf"),
        ("regions/宝清县/notebooks/bulletin.ipynb", "reports", "notebook"),
        ("bulletin.en.internal.html", "reports", "internal"),
        ("manifest.json", "reports", "reports_manifest"),
        ("notes.txt", "reports", None),
        ("signings.csv", "reports", None),  # declared under the other root only
        ("quality/sub/a.xlsx", "reports", None),
        ("quality/a.csv", "reports", None),
        ("regions/宝清县/manifest.json", "reports", None),
    ],
)
def test_output_of(rel, root, kind):
    found = names.output_of(rel, root)
    assert (found.kind if found else None) == kind


def test_the_switch_to_skip_the_pdf_is_honoured_only_in_tests():
    env = {names.SKIP_ENV: "pdf, docx"}
    assert names.skipped_renders(env) == frozenset()  # a published run never skips
    assert names.skipped_renders({**env, TEST_ENV: "t"}) == {"pdf"}  # docx is not skippable
    assert "bulletin.pdf" not in cache.outputs("publish", skip=frozenset({"pdf"}))["reports"]


# --------------------------------------------------------------------------- carry-over
def declared_tree(root: Path, stages) -> None:
    """A last good run holding every declared output of ``stages`` (a folder with two files)."""
    for stage in stages:
        for kind, names_ in cache.outputs(stage).items():
            for name in names_:
                path = root / kind / name
                path.parent.mkdir(parents=True, exist_ok=True)
                if "." in Path(name).name:
                    path.write_text(f"{stage}:{name}", encoding="utf-8")
                else:
                    path.mkdir()
                    for county in ("宝清县", "饶河县"):
                        (path / f"{county}_数据质量反馈_2020-06.xlsx").write_text(county, encoding="utf-8")


@pytest.mark.parametrize("skipped", [["clean"], ["clean", "indicators"], ["clean", "indicators", "bulletin"]])
def test_carry_over_keeps_every_declared_output_of_the_skipped_stages(tmp_path, skipped):
    last = tmp_path / "last"
    declared_tree(last, STAGES)
    staged = tmp_path / "staged"
    cache.carry_over(skipped, last / "processed", last / "reports", staged / "processed", staged / "reports")
    expected = []
    for kind in ROOTS:
        for rel in files_of(last / kind):
            o = names.output_of(rel, kind)
            assert o is not None, rel
            if o.stage in skipped:
                expected.append(f"{kind}/{rel}")
                assert (staged / kind / rel).read_bytes() == (last / kind / rel).read_bytes()
    assert expected and sorted(f"{k}/{r}" for k in ROOTS for r in files_of(staged / k)) == sorted(expected)


# --------------------------------------------------------------------------- a real run
@pytest.mark.slow
def test_every_file_a_run_writes_is_declared(sample_run):
    """The session's sample run (--per-region): every file under processed/<period>/ and
    reports/<period>/ is a declared output; and every declared output of the city's
    Chinese edition, and of each county's, is there."""
    written = {
        root: files_of(folder)
        for root, folder in ((names.PROCESSED, sample_run.processed), (names.REPORTS, sample_run.reports))
    }
    undeclared = [f"{root}/{rel}" for root, rels in written.items() for rel in rels if not names.declared(rel, root)]
    assert not undeclared
    for o in names.OUTPUTS:  # and the run wrote every one (the city's Chinese edition)
        if o.folder:
            assert any(names.output_of(rel, o.root) == o for rel in written[o.root]), o
        else:
            assert o.name() in written[o.root], o
    counties = sorted(p.name for p in (sample_run.reports / names.REGIONS).iterdir())
    for county in counties:
        for name in names.edition_files().values():
            assert f"regions/{county}/{name}" in written[names.REPORTS], (county, name)


@pytest.mark.slow
def test_a_real_carry_over_keeps_every_output_of_the_skipped_stages(sample_run, tmp_path):
    """From the real run: carrying clean, indicators and bulletin over copies every file
    the run wrote for those stages (the city's edition), byte for byte, and nothing else."""
    skipped = ["clean", "indicators", "bulletin"]
    staged = {root: tmp_path / root for root in ROOTS}
    cache.carry_over(skipped, sample_run.processed, sample_run.reports, staged["processed"], staged["reports"])
    for root, folder in ((names.PROCESSED, sample_run.processed), (names.REPORTS, sample_run.reports)):
        expected = [
            rel
            for rel in files_of(folder)
            if not rel.startswith("regions/") and names.output_of(rel, root).stage in skipped
        ]
        assert files_of(staged[root]) == expected
        assert all((staged[root] / rel).read_bytes() == (folder / rel).read_bytes() for rel in expected)
