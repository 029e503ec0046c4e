"""The statistician's workbench in a real browser: JupyterLab started as ``make lab``
starts it (:mod:`bulletin.runner.lab`: the working copy of the notebooks, the same
command line) on a free port with a token, Debian's Chromium driven by Playwright (as in
tests/test_browser.py; no browser download), opens the working copy of
``notebooks/adhoc.ipynb`` on the demo data, runs all cells from the Run menu, and finds
rendered tables, no error output and no question about Jupyter news. The repository's
notebook is never opened or modified.

The demo data: the sample city's 2020-06 snapshot read and computed into a temporary
processed folder, which the working copy's parameters point to (a cell after the
``parameters`` cell, as papermill injects one — the user's own edit of the copy). The kernel is the project's kernel
``bulletin`` registered by ``make setup`` in .venv; when it is not registered (a bare
``pip install -e .[test]``), an equivalent spec running this Python is supplied in a
temporary Jupyter data folder.

Set ``BULLETIN_SCREENSHOTS=<folder>`` to keep a screenshot of the executed notebook.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bulletin.paths import NOTEBOOKS_DIR
from bulletin.runner import lab as lab_copy
from bulletin.sample import write_sample

pytestmark = [pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
KERNEL = "bulletin"
PERIOD = "2020-06"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _registered_kernel() -> Path | None:
    spec = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"
    return spec if spec.is_file() else None


def _demo_processed(root: Path) -> Path:
    """The sample city's 2020-06 processed folder (with 2020-05 in its history)."""
    from bulletin import stages

    raw, processed = root / "raw", root / "processed"
    write_sample(raw, ("2020-05", PERIOD))
    cfg = stages.stage_config()
    stages.clean_stage(PERIOD, cfg, raw_dir=raw, processed_dir=processed, reports_dir=root / "reports")
    stages.indicators_stage(PERIOD, cfg, processed_dir=processed)
    stages.history_stage(PERIOD, cfg, raw_dir=raw, processed_dir=processed)
    return processed


def _notebook_copy(folder: Path, processed: Path) -> tuple[Path, int]:
    """The working copy of adhoc.ipynb in ``folder`` (as make lab makes it), given a
    parameters cell for the demo data after its own; returns the copy and its number
    of non-empty code cells."""
    assert "已复制：notebooks/adhoc.ipynb → work/adhoc.ipynb" in lab_copy.prepare(folder, NOTEBOOKS_DIR)
    path = folder / "adhoc.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL  # opens on the project's kernel
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    injected = {
        "cell_type": "code",
        "execution_count": None,
        "id": "injected-parameters",
        "metadata": {"tags": ["injected-parameters"]},
        "outputs": [],
        "source": [f"period = {PERIOD!r}\n", f"processed_dir = {str(processed)!r}\n"],
    }
    nb["cells"].insert(at + 1, injected)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    return path, len(code)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port with a token, its Jupyter folders temporary."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    pytest.importorskip("jupyterlab")
    root = tmp_path_factory.mktemp("lab")
    work = root / "work"
    work.mkdir()
    processed = _demo_processed(root / "demo")
    notebook, cells = _notebook_copy(work, processed)
    env = dict(os.environ)
    for var, name in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ]:
        env[var] = str(root / name)
    # as make lab: the installation's defaults and command line keep Jupyter news and the update check away
    lab_copy.quiet_settings()
    if _registered_kernel() is None:
        spec = root / "data" / "kernels" / KERNEL
        spec.mkdir(parents=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "招商通报 (bulletin)", "language": "python"}), encoding="utf-8"
        )
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root / "data"), env.get("JUPYTER_PATH")]))
    port, token = _free_port(), secrets.token_hex(16)
    log = open(root / "lab.log", "w", encoding="utf-8")  # noqa: SIM115 - open while the server runs
    proc = subprocess.Popen(
        lab_copy.command(work, [
            "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--LabApp.extension_manager=readonly",
        ]),
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (root / "lab.log").read_text(encoding="utf-8")[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 2 minutes"
                time.sleep(0.5)
        yield dict(url=f"http://127.0.0.1:{port}", token=token, notebook=notebook, cells=cells, root=root)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def ran(lab):
    """adhoc.ipynb opened in Chromium, Run ▸ Run All Cells, until every cell ran."""
    sync_api = pytest.importorskip("playwright.sync_api")
    seen = {"console": [], "page_errors": [], "requests": []}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: seen["console"].append((m.type, m.text)))
            page.on("pageerror", lambda e: seen["page_errors"].append(str(e)))
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.goto(f"{lab['url']}/lab/tree/{lab['notebook'].name}?token={lab['token']}")
            page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
            # the project's kernel is up and connected: the status bar says so
            page.wait_for_selector(".jp-StatusBar-TextItem:has-text('(bulletin) | Idle')", timeout=120_000)
            seen["kernel"] = page.locator(".jp-NotebookPanel .jp-KernelName").first.inner_text()
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # every non-empty code cell has its execution number and none is running
            try:
                page.wait_for_function(
                    """(n) => {
                        const prompts = [...document.querySelectorAll(
                            '.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
                        const done = prompts.filter(t => /\\[\\d+\\]/.test(t)).length;
                        return !prompts.some(t => t.includes('*')) && done >= n;
                    }""",
                    arg=lab["cells"],
                    timeout=180_000,
                )
            except sync_api.TimeoutError:
                shot = Path(os.environ.get("BULLETIN_SCREENSHOTS") or lab["root"]) / "lab-timeout.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot), full_page=True)
                prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
                raise AssertionError(f"the cells did not all run: {prompts}; see {shot}") from None
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=60_000)  # fmt: skip
            out = ".jp-NotebookPanel .jp-OutputArea-output"
            seen["tables"] = page.locator(f"{out} table").count()
            seen["table_text"] = page.locator(f"{out} table").first.inner_text()
            seen["errors"] = page.locator(f"{out}[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
            seen["prompts"] = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
            seen["news"] = page.get_by_text("Jupyter news").count()  # JupyterLab's question, when it asks
            seen["news_text"] = page.get_by_text("Jupyter news").all_inner_texts()
            seen["body"] = page.locator("body").inner_text()
            shots = os.environ.get("BULLETIN_SCREENSHOTS")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(shots) / "lab-adhoc.png"), full_page=True)
        finally:
            browser.close()
    return seen


def test_the_notebook_opens_on_the_projects_kernel(ran):
    assert "bulletin" in ran["kernel"]


def test_all_cells_run_and_render_tables(ran, lab):
    numbers = [p for p in ran["prompts"] if any(ch.isdigit() for ch in p)]
    assert len(numbers) == lab["cells"]
    assert ran["tables"] >= 4  # the month summary, 产业链, 逐月累计, 开复工率, 未开工项目
    assert "签约额（亿元）" in ran["table_text"] or "全市" in ran["table_text"]


def test_no_error_output(ran):
    assert ran["errors"] == []
    assert ran["page_errors"] == []


def test_the_browser_talks_to_the_local_server_only(ran, lab):
    others = [u for u in ran["requests"] if not u.startswith((lab["url"], "data:", "blob:", "ws://127.0.0.1"))]
    assert others == []


def test_the_repository_notebook_is_untouched(lab):
    nb = json.loads((NOTEBOOKS_DIR / "adhoc.ipynb").read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert all(c.get("execution_count") is None for c in nb["cells"] if c["cell_type"] == "code")


def test_no_question_about_jupyter_news(ran, lab):
    assert ran["news"] == 0, ran["news_text"]
    assert "notified about official Jupyter news" not in ran["body"]
    log = (lab["root"] / "lab.log").read_text(encoding="utf-8")
    assert "announcements" not in log.lower()  # the server fetched no news feed either
