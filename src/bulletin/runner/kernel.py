"""Launching and stopping the run's notebook kernel. Light on purpose (jupyter_client
only, no papermill): the runner launches the kernel before anything else it imports,
so that the kernel boots while the runner hashes the inputs (see :mod:`bulletin.engine`,
whose shared-kernel engine then runs the notebooks on it)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from jupyter_core.utils import run_sync

log = logging.getLogger(__name__)

# what nbclient passes to a kernel it starts itself: no IPython history file on disk
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


def start_kernel(kernel_name: str, cwd: str | None = None):
    """Launch a kernel and return its manager without waiting for it to be ready (the
    first notebook's client waits)."""
    from jupyter_client import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=kernel_name)
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS), cwd=cwd)
    return km


def stop_kernel(km) -> None:
    """Shut a kernel down at once (a dead kernel is already gone)."""
    if km is not None and km.has_kernel:
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception as exc:  # noqa: BLE001
            log.info("kernel shutdown: %s", exc)


KERNEL_NAME = "bulletin-python"


def kernel_env(tmp: Path) -> None:
    """A kernelspec that runs this very interpreter, whatever else is installed."""
    spec = tmp / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "bulletin.runner.kernel_main",  # ipykernel without its debugger
                    "-f",
                    "{connection_file}",
                    "--IPKernelApp.log_level=CRITICAL",
                ],
                "display_name": "bulletin",
                "language": "python",
                "env": {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"},
            }
        ),
        encoding="utf-8",
    )
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(tmp), os.environ.get("JUPYTER_PATH")]))
