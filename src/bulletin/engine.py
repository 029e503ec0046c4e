"""A papermill engine that runs a run's notebooks on one kernel.

Starting a kernel and importing pandas, matplotlib and the package in it costs more
than most of our notebooks take to run. ``SharedKernelEngine`` starts the kernel for
the first notebook and keeps it for the next ones; ``shared_kernel()`` scopes that to
one pipeline run and shuts the kernel down at the end, whatever happened.

Each notebook still starts from an empty namespace: the engine injects a first cell,
tagged ``injected-reset`` (visible in the executed notebook, like papermill's own
``injected-parameters``), that runs ``%reset -f``. A notebook that works in the
pipeline therefore also works alone in Jupyter.
"""
from __future__ import annotations

import contextlib
import logging

import nbformat
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger as papermill_logger

log = logging.getLogger(__name__)

ENGINE_NAME = "bulletin-shared-kernel"
RESET_TAG = "injected-reset"
RESET_SOURCE = "# Injected by the pipeline: this notebook runs on a kernel shared with the run's\n" \
               "# other notebooks, and starts from an empty namespace.\n%reset -f"


class SharedKernelEngine(NBClientEngine):
    """nbclient engine whose kernel outlives one notebook (see module docstring)."""

    km = None  # the kernel manager of the current shared_kernel() scope

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        nb = nb_man.nb
        if not (nb.cells and RESET_TAG in nb.cells[0].metadata.get("tags", [])):
            cell = nbformat.v4.new_code_cell(RESET_SOURCE)
            cell.metadata["tags"] = [RESET_TAG]
            cell.metadata["papermill"] = {}
            nb.cells.insert(0, cell)
            nb_man.nb = nb
        kwargs.pop("input_path", None)
        kwargs.pop("timeout", None)
        kwargs.pop("startup_timeout", None)
        client = PapermillNotebookClient(
            nb_man, km=cls.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=papermill_logger, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, **kwargs)
        try:
            return client.execute(cleanup_kc=cls.km is None and not _scoped[0])
        finally:
            if _scoped[0] and cls.km is None:
                cls.km = client.km  # keep the kernel for the next notebook of the run
            if client.kc is not None:
                client.kc.stop_channels()


_scoped = [False]
papermill_engines.register(ENGINE_NAME, SharedKernelEngine)


@contextlib.contextmanager
def shared_kernel():
    """Within this scope, notebooks executed with ``engine_name=ENGINE_NAME`` share
    one kernel; it is shut down when the scope ends."""
    _scoped[0] = True
    try:
        yield ENGINE_NAME
    finally:
        _scoped[0] = False
        km, SharedKernelEngine.km = SharedKernelEngine.km, None
        if km is not None and km.has_kernel:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception as exc:  # noqa: BLE001 - a dead kernel is already gone
                log.info("kernel shutdown: %s", exc)
