"""Stage keys and the rerun plan of incremental runs (bulletin.runner.cache)."""

import functools
import json
import shutil

import pytest

from bulletin.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from bulletin.runner import cache
from bulletin.runner.codegraph import scan_key


def inputs(**files):
    return [{"path": p, "sha256": h} for p, h in files.items()]


BASE = {"2020-06/a.xlsx": "1", "2020-06/b.xlsx": "2", "2020-05/a.xlsx": "3", "2020-04/a.xlsx": "5"}


@functools.cache
def package_code():
    return cache.StageCode()


def keys(files=BASE, config="c", lang="zh"):
    return cache.stage_keys("2020-06", inputs(**files), config, lang, code=package_code())


def test_keys_are_stable_and_content_based():
    assert keys() == keys()
    assert keys(dict(reversed(list(BASE.items())))) == keys()  # order of files does not matter


def test_what_each_change_invalidates():
    base = keys()
    changed_ledger = keys({**BASE, "2020-06/b.xlsx": "X"})
    assert all(changed_ledger[s] != base[s] for s in cache.STAGES)
    changed_history = keys({**BASE, "2020-04/a.xlsx": "X"})
    assert changed_history["clean"] == base["clean"]
    assert all(changed_history[s] != base[s] for s in ("indicators", "bulletin", "publish"))
    # the previous month feeds clean too: a ledger re-sent unchanged is a warning there
    changed_previous = keys({**BASE, "2020-05/a.xlsx": "X"})
    assert all(changed_previous[s] != base[s] for s in cache.STAGES)
    changed_config = keys(config="other")
    assert all(changed_config[s] != base[s] for s in cache.STAGES)
    # the wording and the Word template: the bulletin and what follows it, not the data
    changed_wording = cache.stage_keys("2020-06", inputs(**BASE), "c", "zh", code=package_code(), presentation="w")
    assert changed_wording["clean"] == base["clean"] and changed_wording["indicators"] == base["indicators"]
    assert changed_wording["bulletin"] != base["bulletin"] and changed_wording["publish"] != base["publish"]
    changed_lang = keys(lang="en")
    assert changed_lang["clean"] == base["clean"] and changed_lang["indicators"] == base["indicators"]
    assert changed_lang["bulletin"] != base["bulletin"] and changed_lang["publish"] != base["publish"]
    added_file = keys({**BASE, "2020-06/c.xlsx": "4"})
    assert added_file["clean"] != base["clean"]


def output_hashes(processed, reports, stages=cache.STAGES):
    for stage in stages:
        for name in cache.OUTPUTS[stage]["processed"]:
            (processed / name).parent.mkdir(parents=True, exist_ok=True)
            (processed / name).write_text(stage)
        for name in cache.OUTPUTS[stage]["reports"]:
            (reports / name).parent.mkdir(parents=True, exist_ok=True)
            if "." in name:
                (reports / name).write_text(stage)
            else:
                (reports / name).mkdir(exist_ok=True)


def test_plan(tmp_path):
    p, r = tmp_path / "p", tmp_path / "r"
    p.mkdir()
    r.mkdir()
    k = keys()
    assert cache.plan(k, p, r) == list(cache.STAGES)  # no record
    output_hashes(p, r)
    cache.record(k, p)
    assert cache.plan(k, p, r) == []  # nothing changed
    assert cache.plan(k, p, r, force=True) == list(cache.STAGES)
    assert cache.plan(keys(lang="en"), p, r) == ["bulletin", "publish"]
    (r / "bulletin.pdf").unlink()  # an output lost: rerun it
    assert cache.plan(k, p, r) == ["publish"]


def test_carry_over_copies_the_skipped_stages_outputs(tmp_path):
    p, r = tmp_path / "p", tmp_path / "r"
    output_hashes(p, r)
    sp, sr = tmp_path / "sp", tmp_path / "sr"
    cache.carry_over(["clean", "indicators"], p, r, sp, sr)
    assert (sp / "quality.csv").read_text() == "clean" and (sp / "indicators.csv").exists()
    assert (sr / "notebooks" / "clean.ipynb").exists() and not (sr / "bulletin.pdf").exists()
    assert (p / "quality.csv").exists()  # copied, not moved


# --------------------------------------------------------------------------- code
# A stage's code is the import closure of its entry points, read from the code: edit a
# module in a copy of the package and exactly the stages that import it change.


def _copy_package(folder):
    pkg = shutil.copytree(PACKAGE_DIR, folder / "src" / "bulletin", ignore=shutil.ignore_patterns("__pycache__"))
    nbs = shutil.copytree(NOTEBOOKS_DIR, folder / "notebooks")
    return pkg, nbs


@pytest.fixture(scope="module")
def copy_scans(tmp_path_factory):
    """The scans of an unedited copy of the package (a full parse, made once per module).
    Scans are keyed by each file's content (scan_key): a test's own copy reuses them for
    the files it has not edited, as a run reuses the scans it recorded, and parses
    again every file it edits."""
    pkg, nbs = _copy_package(tmp_path_factory.mktemp("pristine"))
    return cache.StageCode(pkg, nbs).scans()


@pytest.fixture
def copy(tmp_path, copy_scans):
    """A copy of the package and the notebooks, and the stage code digests of it."""
    pkg, nbs = _copy_package(tmp_path)

    known = dict(copy_scans)

    def digests():
        code = cache.StageCode(pkg, nbs, known=known)
        known.update(code.scans())  # as a run records them: only edited files are parsed again
        return {stage: code.digest(stage) for stage in cache.CODE_STAGES}

    return pkg, nbs, digests


def changed(before, after):
    return sorted(s for s in cache.CODE_STAGES if before[s] != after[s])


def edit(path, text="\n# an edit\n"):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_a_copy_has_the_same_code_digests_as_the_package(copy):
    _, _, digests = copy
    code = package_code()
    assert digests() == {stage: code.digest(stage) for stage in cache.CODE_STAGES}


@pytest.mark.parametrize(
    "module, stages",
    [
        ("report/drawing.py", ["bulletin", "regions"]),  # the presentation only
        ("publish/html_pdf.py", ["publish", "regions"]),
        # stages.py imports it for both notebooks; the bulletin's Figure 1 counts the signings
        # of each month with its selection (compute.monthly_signings)
        ("indicators/compute.py", ["bulletin", "clean", "indicators", "regions"]),
        ("ledgers/normalise.py", ["clean", "indicators"]),
        ("contract.py", sorted(cache.CODE_STAGES)),  # every stage reads the contract
        ("runner/regions.py", ["regions"]),
        ("api.py", []),  # ad hoc analysis: no stage imports it
    ],
)
def test_an_edited_module_changes_the_stages_that_import_it(copy, module, stages):
    pkg, _, digests = copy
    before = digests()
    edit(pkg / module)
    assert changed(before, digests()) == stages


def test_a_module_moved_out_is_followed(copy):
    """The day someone moves code into a new module, the stages that import it (here
    through an import inside a function) cover the new module, with no list to update."""
    pkg, _, digests = copy
    (pkg / "report" / "drawing.py").write_text("def ink():\n    return 'black'\n", encoding="utf-8")
    edit(
        pkg / "report" / "drawing.py",
        "\n\ndef _ink():\n    from bulletin.report.drawing import ink\n\n    return ink()\n",
    )
    before = digests()
    edit(pkg / "report" / "drawing.py")
    assert changed(before, digests()) == ["bulletin", "regions"]
    code = cache.StageCode(pkg, copy[1])
    assert "bulletin.report.drawing" in code.modules("bulletin")
    assert "bulletin.report.drawing" not in code.modules("clean")


def test_relative_imports_and_package_data_are_followed(copy):
    pkg, _, digests = copy
    (pkg / "report" / "wording.py").write_text("X = 1\n", encoding="utf-8")
    edit(pkg / "report" / "format.py", "\nfrom . import wording  # noqa\n")
    before = digests()
    edit(pkg / "report" / "wording.py")
    assert changed(before, digests()) == ["bulletin", "regions"]
    edit(pkg / "templates" / "bulletin" / "screen.css", "\n/* an edit */\n")  # reached through paths.TEMPLATES_DIR
    after = digests()
    edit(pkg / "config" / "rules.yaml")  # reached through paths.CONFIG_DIR (config.py)
    assert changed(before, after) == ["bulletin", "publish", "regions"]
    assert changed(after, digests()) == ["bulletin", "clean", "indicators", "regions"]


def test_a_notebook_cell_is_an_entry_point(copy):
    pkg, nbs, digests = copy
    before = digests()
    nb = json.loads((nbs / "indicators.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["%matplotlib inline\n", "from bulletin.report import drawing\n"],
        }
    )
    (nbs / "indicators.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert changed(before, digests()) == ["indicators"]
    before = digests()
    edit(pkg / "report" / "drawing.py")
    assert changed(before, digests()) == ["bulletin", "indicators", "regions"]


def test_an_edit_reruns_the_stages_that_import_it_and_not_the_others(copy, tmp_path):
    """The plan of a rerun after an edit: the edited stage and the ones after it."""
    pkg, nbs, _ = copy
    p, r = tmp_path / "p", tmp_path / "r"
    output_hashes(p, r)

    def plan():
        code = cache.StageCode(pkg, nbs, known=cache.recorded_scans(p))
        return cache.plan(cache.stage_keys("2020-06", inputs(**BASE), "c", code=code), p, r), code

    todo, code = plan()
    assert todo == list(cache.STAGES)
    cache.record(cache.stage_keys("2020-06", inputs(**BASE), "c", code=code), p, code)
    assert plan()[0] == []
    edit(pkg / "report" / "labels.py")
    assert plan()[0] == ["bulletin", "publish"]
    edit(pkg / "publish" / "html_pdf.py")
    assert plan()[0] == ["bulletin", "publish"]  # still from bulletin: nothing recorded since


def test_recorded_scans_are_reused_only_for_unchanged_content(copy, tmp_path):
    pkg, nbs, digests = copy
    code = cache.StageCode(pkg, nbs)
    scans = code.scans()
    key = scan_key(code.graph.shas["bulletin.report.drawing"], "bulletin.report.drawing")
    assert key in scans
    # a scan recorded for this content is used as is (here: a made-up one) …
    fake = {**scans, key: {"imports": ["bulletin.api"], "top": [], "named": [], "paths": []}}
    assert "bulletin.api" in cache.StageCode(pkg, nbs, known=fake).modules("bulletin")
    # … and an edited file is scanned again, whatever was recorded
    edit(pkg / "report" / "drawing.py")
    assert "bulletin.api" not in cache.StageCode(pkg, nbs, known=fake).modules("bulletin")


def test_recorded_scans_spare_every_parse(monkeypatch):
    """With the scans recorded by an earlier run, no source file is parsed again to
    tell a stage's code (the speed of it is in bench/, not a timed test)."""
    scans = cache.StageCode().scans()
    expected = {stage: cache.StageCode(known=scans).digest(stage) for stage in cache.CODE_STAGES}

    def parse(*args, **kwargs):
        raise AssertionError("a source file was parsed although its scan was recorded")

    from bulletin.runner import codegraph

    monkeypatch.setattr(codegraph, "scan_source", parse)
    monkeypatch.setattr(cache, "scan_source", parse)
    code = cache.StageCode(known=scans)
    assert {stage: code.digest(stage) for stage in cache.CODE_STAGES} == expected


def test_the_scans_written_at_build_time_give_the_same_digests(copy):
    """``make bytecode`` writes the package's scans beside its bytecode; a run then
    parses no unchanged file, and its digests are those of a scan of its own."""
    pkg, nbs, digests = copy
    fresh = digests()
    target = cache.write_built_scans(pkg)
    assert target == pkg / cache.BUILT_SCANS and cache.built_scans(pkg)
    built = cache.StageCode(pkg, nbs)
    assert {stage: built.digest(stage) for stage in cache.CODE_STAGES} == fresh
    assert set(cache.built_scans(pkg)) <= set(built.scans())  # what a run records includes them


def test_a_build_time_scan_is_used_only_for_unchanged_content(copy):
    pkg, nbs, _ = copy
    cache.write_built_scans(pkg)
    built = cache.built_scans(pkg)
    code = cache.StageCode(pkg, nbs)
    key = scan_key(code.graph.shas["bulletin.report.drawing"], "bulletin.report.drawing")
    fake = {**built, key: {"imports": ["bulletin.api"], "top": [], "named": [], "paths": []}}
    (pkg / cache.BUILT_SCANS).write_text(json.dumps(fake), encoding="utf-8")
    assert "bulletin.api" in cache.StageCode(pkg, nbs).modules("bulletin")  # proof that the file is read
    edit(pkg / "report" / "drawing.py")  # edited after the build: scanned again
    assert "bulletin.api" not in cache.StageCode(pkg, nbs).modules("bulletin")


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"k": "not a scan"}', '{"k": {"imports": 3}}'])
def test_an_unreadable_build_time_scan_file_is_ignored(copy, content):
    pkg, nbs, digests = copy
    fresh = digests()
    (pkg / cache.BUILT_SCANS).parent.mkdir(exist_ok=True)
    (pkg / cache.BUILT_SCANS).write_text(content, encoding="utf-8")
    assert cache.built_scans(pkg) == {}
    code = cache.StageCode(pkg, nbs)
    assert {stage: code.digest(stage) for stage in cache.CODE_STAGES} == fresh


def test_a_malformed_recorded_scan_is_scanned_again(copy, tmp_path):
    """The last run's record is in the processed folder: a scan there that is not a scan
    (a hand edit, a half-written file) is left out, never followed."""
    pkg, nbs, digests = copy
    fresh = digests()
    code = cache.StageCode(pkg, nbs)
    key = scan_key(code.graph.shas["bulletin.report.drawing"], "bulletin.report.drawing")
    folder = tmp_path / "processed"
    folder.mkdir()
    junk = {key: {"imports": [3]}, "other": "not a scan"}
    (folder / cache.RECORD).write_text(json.dumps({"code_scans": junk}), encoding="utf-8")
    assert cache.recorded_scans(folder) == {}
    again = cache.StageCode(pkg, nbs, known=cache.recorded_scans(folder))
    assert {stage: again.digest(stage) for stage in cache.CODE_STAGES} == fresh
