"""``make lab``: JupyterLab for the statistician, on a working copy of the notebooks.

The tracked notebooks (``notebooks/``) never collect outputs: JupyterLab opens
``work/`` (ignored by git), where each ``notebooks/*.ipynb`` is copied on first use.
A copy the user has edited is never overwritten; a copy the user has not touched
follows a newer version of its notebook (``work/.copied.json`` records what was
copied), and a copy that was edited while its notebook changed is kept with a notice.

JupyterLab's news and update check are off (JupyterLab's "Announcements"
documentation): in the page, the Notification settings ``fetchNews: "false"`` and
``checkForUpdates: false`` are the defaults of this installation — its application
settings' ``overrides.json`` (``<sys.prefix>/share/jupyter/lab/settings/``, i.e. the
project's .venv), so JupyterLab asks no question about Jupyter news (a user may still
opt in from Settings ▸ Notifications); on the server's command line,
``--LabApp.news_url=None`` (no news feed) and
``--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate`` (no version check):
nothing to click away, no request leaves the machine.

``python -m bulletin.runner.lab [JupyterLab options]`` prepares the copy and starts
JupyterLab in its place (the Makefile's ``lab`` target).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bulletin import paths
from bulletin.files import sha256

NOTIFICATION = "@jupyterlab/apputils-extension:notification"
QUIET_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}
RECORD = ".copied.json"  # notebook name → SHA-256 of the version last copied into work/
QUIET = (  # no news feed (no question about it on the page), no update check
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)


def _read_record(work: Path) -> dict[str, str]:
    try:
        data = json.loads((work / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def prepare(work: Path | None = None, source: Path | None = None) -> list[str]:
    """Copy each ``source/*.ipynb`` into ``work`` unless the user's copy is there
    (see the module docstring); returns what was done, in Chinese, one line each."""
    work = Path(work or paths.WORK_DIR)
    source = Path(source or paths.NOTEBOOKS_DIR)
    work.mkdir(parents=True, exist_ok=True)
    record = _read_record(work)
    lines = []
    for src in sorted(source.glob("*.ipynb")):
        name, new = src.name, sha256(src)
        dst = work / name
        if dst.exists():
            mine = sha256(dst)
            if mine == new or record.get(name) == new:  # the same notebook, or edits of the current one
                record[name] = new
                continue
            if mine != record.get(name):  # edited by the user while the notebook changed
                lines.append(
                    f"{source.name}/{name} 有新版本；{work.name}/{name} 是您修改过的副本，未覆盖"
                    f"（要用新版本：删除或改名 {work.name}/{name}，再运行 make lab）"
                )
                continue
            lines.append(f"已更新为新版本：{work.name}/{name}")
        else:
            lines.append(f"已复制：{source.name}/{name} → {work.name}/{name}")
        shutil.copyfile(src, dst)
        record[name] = new
    (work / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return lines


def quiet_settings(app_dir: Path | None = None) -> Path:
    """Make JupyterLab's news and update check off by default in this installation
    (``overrides.json`` of its application settings, merged with what is there);
    returns the file."""
    if app_dir is None:
        from jupyterlab.commands import get_app_dir

        app_dir = Path(get_app_dir())
    path = Path(app_dir) / "settings" / "overrides.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data = data if isinstance(data, dict) else {}
    wanted = {**data, NOTIFICATION: {**(data.get(NOTIFICATION) or {}), **QUIET_SETTINGS}}
    if wanted != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(wanted, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def command(work: Path | None = None, args=()) -> list[str]:
    """The JupyterLab command line: this Python's JupyterLab on ``work``, quiet."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={work or paths.WORK_DIR}", *QUIET, *args]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quiet_settings()
    for line in prepare():
        print(line, flush=True)
    print(
        f"JupyterLab 打开的是笔记本的工作副本 {paths.WORK_DIR}（不纳入 git）；notebooks/ 中的原件不会被修改。",
        flush=True,
    )
    if not any(paths.PROCESSED_DIR.glob("20*-*")):
        print("提示：还没有任何月份的处理结果；adhoc.ipynb 要先有数据：make bulletin", flush=True)
    launch(command(paths.WORK_DIR, argv))


def launch(cmd: list[str], posix: bool = os.name == "posix") -> None:
    """Start JupyterLab: in this process's place on POSIX (Ctrl-C and signals reach it).
    Windows has no exec (``os.execv`` there starts a new process and returns to the
    console at once): wait for JupyterLab instead and exit with its exit code."""
    if posix:
        os.execv(cmd[0], cmd)
    try:
        code = subprocess.call(cmd)
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
