"""What keeps a cold run and a large read fast (issue 24 item 7; figures in bench/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys


def test_a_process_that_reads_notebooks_compiles_no_uri_grammars():
    """The runner and the publishing worker import papermill, nbformat and nbconvert;
    jsonschema under them would load rfc3987_syntax (38 grammars compiled at import,
    ~1.2 s of CPU a process). The package keeps it out, and notebooks still validate."""
    code = (
        "import sys, bulletin.publish.html_pdf, papermill, nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "print(sorted(m for m in ('rfc3987_syntax', 'lark') if sys.modules.get(m)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
