"""``python -m bulletin.runner.kernel_main -f <connection file>``: the run's notebook
kernel — ipykernel as ``ipykernel_launcher`` starts it, without its debugger. Nothing
debugs a run's kernel, and importing debugpy is about a sixth of the kernel's start-up
(~0.1 s), on the critical path of a cold run: the kernel boots while the runner plans,
and the first notebook waits for it. ipykernel runs without a debugger wherever
debugpy cannot be imported (``kernel_info`` then says ``debugger: false``); JupyterLab's
kernel (``make lab``) keeps it.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    # as ipykernel_launcher: the working folder leaves sys.path while ipykernel loads
    # (InteractiveShellApp.init_path puts it back)
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.modules.setdefault("debugpy", None)  # an import of debugpy fails: ipykernel goes without it
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
