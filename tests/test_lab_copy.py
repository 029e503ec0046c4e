"""make lab's working copy of the notebooks (bulletin.runner.lab): the tracked notebooks
collect no outputs; the user's edits are never overwritten; JupyterLab's news and
update check are off by default in the installation's settings."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from bulletin import paths
from bulletin.runner import lab


@pytest.fixture
def folders(tmp_path):
    source = tmp_path / "notebooks"
    source.mkdir()
    for name in ("adhoc.ipynb", "clean.ipynb"):
        (source / name).write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
    return source, tmp_path / "work"


def test_first_use_copies_every_notebook(folders):
    source, work = folders
    lines = lab.prepare(work, source)
    assert lines == [
        "已复制：notebooks/adhoc.ipynb → work/adhoc.ipynb",
        "已复制：notebooks/clean.ipynb → work/clean.ipynb",
    ]
    assert (work / "adhoc.ipynb").read_bytes() == (source / "adhoc.ipynb").read_bytes()
    assert lab.prepare(work, source) == []  # nothing to do the second time


def test_the_users_edits_are_kept(folders):
    source, work = folders
    lab.prepare(work, source)
    (work / "adhoc.ipynb").write_text('{"cells": ["mine"]}', encoding="utf-8")
    assert lab.prepare(work, source) == []
    assert (work / "adhoc.ipynb").read_text(encoding="utf-8") == '{"cells": ["mine"]}'


def test_an_untouched_copy_follows_a_new_version(folders):
    source, work = folders
    lab.prepare(work, source)
    (source / "clean.ipynb").write_text('{"cells": ["v2"]}', encoding="utf-8")
    assert lab.prepare(work, source) == ["已更新为新版本：work/clean.ipynb"]
    assert (work / "clean.ipynb").read_text(encoding="utf-8") == '{"cells": ["v2"]}'


def test_an_edited_copy_of_a_changed_notebook_is_kept_with_a_notice(folders):
    source, work = folders
    lab.prepare(work, source)
    (work / "adhoc.ipynb").write_text('{"cells": ["mine"]}', encoding="utf-8")
    (source / "adhoc.ipynb").write_text('{"cells": ["v2"]}', encoding="utf-8")
    for _ in range(2):  # said again at each start until the user decides
        (line,) = lab.prepare(work, source)
        assert line.startswith("notebooks/adhoc.ipynb 有新版本；work/adhoc.ipynb 是您修改过的副本，未覆盖")
    assert (work / "adhoc.ipynb").read_text(encoding="utf-8") == '{"cells": ["mine"]}'
    (work / "adhoc.ipynb").unlink()  # the user takes the new version
    assert lab.prepare(work, source) == ["已复制：notebooks/adhoc.ipynb → work/adhoc.ipynb"]


def test_a_new_notebook_is_copied_on_the_next_start(folders):
    source, work = folders
    lab.prepare(work, source)
    shutil.copy(source / "adhoc.ipynb", source / "extra.ipynb")
    assert lab.prepare(work, source) == ["已复制：notebooks/extra.ipynb → work/extra.ipynb"]


def test_the_command_opens_the_working_copy_quietly(tmp_path):
    cmd = lab.command(tmp_path, ["--no-browser"])
    assert cmd[1:3] == ["-m", "jupyterlab"] and f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--LabApp.news_url=None" in cmd and cmd[-1] == "--no-browser"


def test_news_and_update_check_off_in_the_installation_settings(tmp_path):
    overrides = tmp_path / "settings" / "overrides.json"
    overrides.parent.mkdir()
    overrides.write_text(json.dumps({"@jupyterlab/notebook-extension:tracker": {"recordTiming": True}}))
    assert lab.quiet_settings(tmp_path) == overrides
    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data[lab.NOTIFICATION] == {"fetchNews": "false", "checkForUpdates": False}
    assert data["@jupyterlab/notebook-extension:tracker"] == {"recordTiming": True}  # what was there stays
    stamp = overrides.stat().st_mtime_ns
    lab.quiet_settings(tmp_path)
    assert overrides.stat().st_mtime_ns == stamp  # written once


def test_the_working_copy_is_ignored_by_git():
    if not (paths.REPO_ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    rel = (paths.WORK_DIR / "adhoc.ipynb").relative_to(paths.REPO_ROOT)
    proc = subprocess.run(["git", "check-ignore", "-q", str(rel)], cwd=paths.REPO_ROOT)
    assert proc.returncode == 0


def test_make_lab_starts_the_launcher():
    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "-m bulletin.runner.lab" in recipe and "notebooks" not in recipe.split("\n", 1)[1]


def test_without_exec_the_launcher_waits_and_passes_the_exit_code_on(monkeypatch):
    """Windows (no exec): JupyterLab runs as a child, the launcher exits with its code."""
    calls = []
    monkeypatch.setattr(lab.subprocess, "call", lambda cmd: calls.append(cmd) or 3)
    monkeypatch.setattr(lab.os, "execv", lambda *a: pytest.fail("exec on a system without it"))
    with pytest.raises(SystemExit) as exc:
        lab.launch(["python", "-m", "jupyterlab"], posix=False)
    assert exc.value.code == 3 and calls == [["python", "-m", "jupyterlab"]]
