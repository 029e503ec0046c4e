"""The shared-kernel papermill engine: one kernel per run, an empty namespace per
notebook, the kernel shut down when the run ends — also when a cell fails."""
import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from bulletin.engine import RESET_TAG, SharedKernelEngine, shared_kernel

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
        runs = [pm.execute_notebook(str(src), str(tmp_path / f"o{i}.ipynb"), parameters={"x": i},
                                    engine_name=engine, kernel_name="python3", progress_bar=False)
                for i in range(3)]
        km = SharedKernelEngine.km
        assert km is not None and km.has_kernel
    pids = {outputs(nb).split()[1] for nb in runs}
    assert len(pids) == 1                                     # the same kernel
    assert all("False" in outputs(nb) for nb in runs)         # nothing left from the previous one
    assert all(nb.cells[0].metadata["tags"] == [RESET_TAG] for nb in runs)
    assert SharedKernelEngine.km is None and not km.has_kernel  # shut down at the end


def test_kernel_shut_down_when_a_cell_fails(tmp_path):
    good = notebook(tmp_path / "good.ipynb", "y = 1")
    bad = notebook(tmp_path / "bad.ipynb", "1 / 0")
    with pytest.raises(PapermillExecutionError):
        with shared_kernel() as engine:
            pm.execute_notebook(str(good), str(tmp_path / "g.ipynb"), engine_name=engine,
                                kernel_name="python3", progress_bar=False)
            km = SharedKernelEngine.km
            pm.execute_notebook(str(bad), str(tmp_path / "b.ipynb"), engine_name=engine,
                                kernel_name="python3", progress_bar=False)
    assert not km.has_kernel and SharedKernelEngine.km is None
