"""A papermill engine that runs a run's notebooks on one kernel.

Starting a kernel and importing pandas, matplotlib and the package in it costs more
than most of our notebooks take to run. ``SharedKernelEngine`` starts the kernel for
the first notebook and keeps it for the next ones; ``shared_kernel()`` scopes that to
one pipeline run and shuts the kernel down at the end, whatever happened.

Each notebook still starts from an empty namespace: the engine injects a first cell,
tagged ``injected-reset`` (visible in the executed notebook, like papermill's own
``injected-parameters``), that runs ``%reset -f``. A notebook that works in the
pipeline therefore also works alone in Jupyter.

The runner may launch the kernel before the first notebook (``shared_kernel(km=…)``)
so that it boots while the runner still hashes inputs, and may ``preload`` modules:
silent ``import`` statements run while the kernel would otherwise wait for the
runner (between notebooks). Imports only fill the module cache: each notebook still
imports what it uses, and nothing of a preload is in any notebook's namespace.

Each notebook's client waits for the kernel with :func:`wait_until_ready`, not
jupyter_client's ``wait_for_ready``: that one ends by reading the IOPub channel until
it has been silent for 0.2 s — 0.2 s of both cores idle at the start of every
notebook, 0.6 s of a three-notebook run.

``on_pages`` (an engine argument of ``papermill.execute_notebook``): called with the
notebook as executed so far when the cell tagged ``bulletin-pages`` completes without
an error — the bulletin's pages are all shown then, and the runner has the PDF started
while the kernel still writes the Excel and Word files.
"""

from __future__ import annotations

import contextlib
import logging
import time
from queue import Empty

import nbformat
from nbclient.util import ensure_async, run_hook, run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger as papermill_logger

from bulletin.runner.kernel import KERNEL_ARGUMENTS, start_kernel, stop_kernel  # noqa: F401 - part of this module's API

log = logging.getLogger(__name__)

ENGINE_NAME = "bulletin-shared-kernel"
RESET_TAG = "injected-reset"
PAGES_TAG = "bulletin-pages"  # the cell after which a notebook shows nothing more (see on_pages)
RESET_SOURCE = (
    "# Injected by the pipeline: this notebook runs on a kernel shared with the run's\n"
    "# other notebooks, and starts from an empty namespace.\n%reset -f"
)


LATE_IOPUB = 0.2  # seconds without the request's status on IOPub: the subscriber was late


async def wait_until_ready(kc, timeout: float) -> None:
    """Until the kernel answers: a ``kernel_info`` request's reply on the shell channel,
    then its ``idle`` status on IOPub. That status proves the IOPub subscription is live
    (a subscriber that connects late misses what was published before: without the
    status :data:`LATE_IOPUB` seconds after the reply, the request is sent again, as
    jupyter_client starts over) and, the channel keeping its order, that whatever the
    kernel published before it (a preload's status messages) has been read and dropped
    — what jupyter_client's ``wait_for_ready`` makes sure of by reading until 0.2 s of
    silence. Raises RuntimeError when the kernel dies or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        reply = await _reply(kc.shell_channel, msg_id, "kernel_info_reply", deadline)
        if reply is not None:
            # the status follows the reply at once when the subscription is live
            if await _reply(kc.iopub_channel, msg_id, "status", min(deadline, time.monotonic() + LATE_IOPUB)):
                handle = getattr(kc, "_handle_kernel_info_reply", None)  # the protocol version, as jupyter_client
                if handle is not None:
                    handle(reply)
                return
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


async def _reply(channel, msg_id: str, msg_type: str, until: float, quiet: float | None = 1.0) -> dict | None:
    """Read ``channel`` until its message of ``msg_type`` for request ``msg_id`` (for a
    status: the ``idle`` one), dropping the others; None at ``until``, or after
    ``quiet`` seconds without any message (the request is then sent again; None: wait
    until ``until``)."""
    while (left := until - time.monotonic()) > 0:
        try:
            msg = await ensure_async(channel.get_msg(timeout=min(left, quiet or left)))
        except Empty:
            if quiet is None:
                continue
            return None
        if msg.get("parent_header", {}).get("msg_id") != msg_id or msg["msg_type"] != msg_type:
            continue
        if msg_type != "status" or msg["content"].get("execution_state") == "idle":
            return msg
    return None


class _Client(PapermillNotebookClient):
    """papermill's client, with :func:`wait_until_ready` for the kernel."""

    async def async_start_new_kernel_client(self):
        assert self.km is not None
        try:
            self.kc = self.km.client()
            await ensure_async(self.kc.start_channels())
            await wait_until_ready(self.kc, self.startup_timeout)
            await preloads_done(self.startup_timeout)
        except Exception as e:
            self.log.error("Error occurred while starting new kernel client: %s", e)
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    # papermill sets the kernel up through the synchronous wrapper, made of the base's
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


class SharedKernelEngine(NBClientEngine):
    """nbclient engine whose kernel outlives one notebook (see module docstring)."""

    km = None  # the kernel manager of the current shared_kernel() scope

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
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
        save, complete = nb_man.save, nb_man.cell_complete
        nb_man.save = _throttled(save)
        nb_man.cell_complete = _pages_hook(complete, kwargs.pop("on_pages", None), nb_man)
        client = _Client(
            nb_man,
            km=cls.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=papermill_logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        try:
            return client.execute(cleanup_kc=cls.km is None and not _scoped[0])
        finally:
            nb_man.cell_complete = complete
            nb_man.save = save  # papermill's last save (notebook complete or failed) always writes
            if _scoped[0] and cls.km is None:
                cls.km = client.km  # keep the kernel for the next notebook of the run
            if client.kc is not None:
                client.kc.stop_channels()


SAVE_EVERY = 1.0  # seconds between the in-progress saves of an executing notebook


def _throttled(save):
    """papermill saves the whole output notebook when each cell starts and completes (a
    bulletin with its charts: ~0.5 MB, ~15 ms a save, ~0.4 s a run). In progress, a save
    at most every ``SAVE_EVERY`` seconds is enough to see where a long run is; the save
    at the end — the audit trail, with a failed cell's error — is papermill's own,
    restored before it."""
    import time

    last = [float("-inf")]

    def save_now_and_then(**kwargs):
        now = time.monotonic()
        if now - last[0] >= SAVE_EVERY:
            save(**kwargs)
            last[0] = time.monotonic()

    return save_now_and_then


def _pages_hook(cell_complete, on_pages, nb_man):
    """papermill's ``cell_complete``, then ``on_pages(nb)`` once the cell tagged
    :data:`PAGES_TAG` completed without an error output."""
    if on_pages is None:
        return cell_complete

    def complete_then_pages(cell, *args, **kwargs):
        out = cell_complete(cell, *args, **kwargs)
        failed = (cell.get("metadata", {}).get("papermill") or {}).get("status") == "failed"
        ok = not failed and not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if ok and PAGES_TAG in cell.get("metadata", {}).get("tags", []):
            on_pages(nb_man.nb)
        return out

    return complete_then_pages


_scoped = [False]
_preloader: list = []  # the client that sends preload code (one per scope)
_pending: list = []  # the message ids of the preloads whose replies have not come yet
papermill_engines.register(ENGINE_NAME, SharedKernelEngine)


def preload(code: str) -> None:
    """Queue ``code`` on the scope's kernel, silently (no output, no history, no
    execution count): for imports the next notebooks will make. Its errors are ignored
    here; the notebook that needs the module then fails on its own import, visibly.
    Does nothing when no kernel runs."""
    km = SharedKernelEngine.km
    if km is None or not km.has_kernel:
        return
    if not _preloader:
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
        kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
        _preloader.append(kc)
    _pending.append(_preloader[0].execute(code, silent=True, store_history=False, allow_stdin=False))


async def preloads_done(timeout: float) -> None:
    """Until the kernel has run the preloads queued so far (their replies, in the order
    sent, on the preloader's shell channel). A notebook's reset cell must come after
    them: the preloader's socket and the notebook client's are two peers of the
    kernel's, and a preload that reached it late would leave its names in the
    notebook's namespace. The kernel runs one request at a time, so waiting costs
    nothing it would not."""
    deadline = time.monotonic() + timeout
    for msg_id in _pending if _preloader else ():
        await _reply(_preloader[0].shell_channel, msg_id, "execute_reply", deadline, quiet=None)
    _pending.clear()  # (a kernel that died: the notebook fails on its own)


@contextlib.contextmanager
def shared_kernel(km=None):
    """Within this scope, notebooks executed with ``engine_name=ENGINE_NAME`` share
    one kernel; it is shut down when the scope ends. ``km``: the manager of a kernel
    already launched (:func:`start_kernel`) for them; without it, the first notebook
    starts one."""
    _scoped[0] = True
    try:
        SharedKernelEngine.km = km
        yield ENGINE_NAME
    finally:
        _scoped[0] = False
        km, SharedKernelEngine.km = SharedKernelEngine.km, None
        _pending.clear()
        while _preloader:
            try:
                _preloader.pop().stop_channels()
            except Exception as exc:  # noqa: BLE001
                log.info("preload client: %s", exc)
        stop_kernel(km)
