"""The shared-kernel papermill engine: one kernel per run, an empty namespace per
notebook, the kernel shut down when the run ends — also when a cell fails."""

import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from bulletin.runner.engine import RESET_TAG, SharedKernelEngine, shared_kernel

pytestmark = pytest.mark.slow


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("x = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


def outputs(nb):
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_one_kernel_per_run_and_a_fresh_namespace_per_notebook(tmp_path):
    src = notebook(tmp_path / "a.ipynb", "import os\nprint('pid', os.getpid(), 'leftover' in dir())\nleftover = x")
    with shared_kernel() as engine:
        runs = [
            pm.execute_notebook(
                str(src),
                str(tmp_path / f"o{i}.ipynb"),
                parameters={"x": i},
                engine_name=engine,
                kernel_name="python3",
                progress_bar=False,
            )
            for i in range(3)
        ]
        km = SharedKernelEngine.km
        assert km is not None and km.has_kernel
    pids = {outputs(nb).split()[1] for nb in runs}
    assert len(pids) == 1  # the same kernel
    assert all("False" in outputs(nb) for nb in runs)  # nothing left from the previous one
    assert all(nb.cells[0].metadata["tags"] == [RESET_TAG] for nb in runs)
    assert SharedKernelEngine.km is None and not km.has_kernel  # shut down at the end


def test_kernel_shut_down_when_a_cell_fails(tmp_path):
    good = notebook(tmp_path / "good.ipynb", "y = 1")
    bad = notebook(tmp_path / "bad.ipynb", "1 / 0")
    with pytest.raises(PapermillExecutionError):
        with shared_kernel() as engine:
            pm.execute_notebook(
                str(good), str(tmp_path / "g.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
            )
            km = SharedKernelEngine.km
            pm.execute_notebook(
                str(bad), str(tmp_path / "b.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
            )
    assert not km.has_kernel and SharedKernelEngine.km is None


def test_a_kernel_launched_ahead_runs_the_notebooks_and_preloads_leave_no_names(tmp_path):
    """The runner launches the kernel before the first notebook and queues silent
    imports on it: the notebooks run on that kernel, a preload leaves nothing in their
    namespace (nor an execution count), and the kernel is shut down at the end."""
    from bulletin.runner.engine import preload, start_kernel

    first = notebook(tmp_path / "a.ipynb", "import os, sys\nprint('pid', os.getpid())")
    second = notebook(
        tmp_path / "b.ipynb", "import os, sys\nprint('pid', os.getpid(), 'json' in sys.modules, 'json' in dir())"
    )
    km = start_kernel("python3", cwd=str(tmp_path))
    pid = km.provisioner.process.pid
    with shared_kernel(km=km) as engine:
        a = pm.execute_notebook(
            str(first), str(tmp_path / "oa.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
        )
        preload("import json as _preloaded_json, json")
        b = pm.execute_notebook(
            str(second), str(tmp_path / "ob.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
        )
    assert outputs(a).split()[1] == outputs(b).split()[1]  # one kernel
    assert outputs(b).split()[2:] == ["True", "False"]  # module loaded, no name left
    counts = [c.execution_count for c in b.cells if c.cell_type == "code"]
    assert counts == sorted(counts) and counts[0] == [c.execution_count for c in a.cells][-1] + 1
    assert not km.has_kernel and pid


def test_in_progress_saves_are_few_and_the_last_one_is_complete(tmp_path, monkeypatch):
    """A notebook of many quick cells is not written after every cell; the executed
    notebook on disk still holds every output, and a failing one its error."""
    import papermill.iorw

    writes = []
    real = papermill.iorw.write_ipynb
    monkeypatch.setattr("papermill.engines.write_ipynb", lambda nb, path: (writes.append(path), real(nb, path)))
    src = notebook(tmp_path / "many.ipynb", *[f"print({i})" for i in range(30)])
    with shared_kernel() as engine:
        pm.execute_notebook(
            str(src), str(tmp_path / "o.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
        )
    assert 1 <= len(writes) < 10  # not 2 per cell
    saved = nbformat.read(tmp_path / "o.ipynb", as_version=4)
    assert outputs(saved).split() == [str(i) for i in range(30)]

    bad = notebook(tmp_path / "bad.ipynb", *[f"print({i})" for i in range(5)], "1 / 0")
    with pytest.raises(PapermillExecutionError):
        with shared_kernel() as engine:
            pm.execute_notebook(
                str(bad), str(tmp_path / "b.ipynb"), engine_name=engine, kernel_name="python3", progress_bar=False
            )
    saved = nbformat.read(tmp_path / "b.ipynb", as_version=4)
    assert "ZeroDivisionError" in str(saved.cells) and outputs(saved).split()[:5] == [str(i) for i in range(5)]


def test_on_pages_sees_the_pages_cell_done_and_nothing_after_it(tmp_path):
    """``on_pages`` (the runner starts the PDF from it) is called once, when the cell
    tagged bulletin-pages has completed: its output is there, the later cell's not yet;
    a pages cell that fails calls nothing."""
    from bulletin.runner.engine import PAGES_TAG

    def tagged(path, *sources):
        notebook(path, *sources)
        nb = nbformat.read(path, as_version=4)
        nb.cells[2].metadata["tags"] = [PAGES_TAG]
        nbformat.write(nb, path)
        return path

    seen = []
    src = tagged(tmp_path / "a.ipynb", "print('head')", "print('pages')", "print('files')")
    bad = tagged(tmp_path / "b.ipynb", "print('head')", "1 / 0", "print('files')")
    with shared_kernel() as engine:
        done = pm.execute_notebook(
            str(src),
            str(tmp_path / "o.ipynb"),
            engine_name=engine,
            kernel_name="python3",
            progress_bar=False,
            on_pages=lambda nb: seen.append(outputs(nb).split()),
        )
        with pytest.raises(PapermillExecutionError):
            pm.execute_notebook(
                str(bad),
                str(tmp_path / "b-out.ipynb"),
                engine_name=engine,
                kernel_name="python3",
                progress_bar=False,
                on_pages=lambda nb: seen.append("failed pages"),
            )
    assert seen == [["head", "pages"]]
    assert outputs(done).split() == ["head", "pages", "files"]


def test_the_runs_kernel_runs_without_a_debugger_and_imports_from_its_folder(tmp_path, monkeypatch):
    """The run's kernelspec (runner/kernel.py) starts ``bulletin.runner.kernel_main``:
    ipykernel without debugpy (start-up), the working folder importable as under
    ``ipykernel_launcher``."""
    from bulletin.runner.kernel import KERNEL_NAME, kernel_env

    monkeypatch.setenv("JUPYTER_PATH", "")
    kernel_env(tmp_path / "kernel")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "local_module.py").write_text("VALUE = 42\n", encoding="utf-8")
    src = notebook(
        tmp_path / "k.ipynb",
        "import sys, local_module\nprint('debugpy', sys.modules.get('debugpy', 'absent'), local_module.VALUE)",
    )
    with shared_kernel() as engine:
        nb = pm.execute_notebook(
            str(src), str(tmp_path / "out.ipynb"), engine_name=engine, kernel_name=KERNEL_NAME,
            progress_bar=False, cwd=str(tmp_path / "work"),
        )  # fmt: skip
    assert outputs(nb).split() == ["debugpy", "None", "42"]
