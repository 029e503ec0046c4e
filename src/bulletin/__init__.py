"""Ledger-to-bulletin pipeline (招商引资和项目建设通报).

For ad hoc analysis: ``bulletin.load(period)`` gives one processed month's cleaned
tables and indicators as DataFrames, with the history of every processed month
(see :mod:`bulletin.api`); ``bulletin.history()`` and ``bulletin.periods()`` too.
They are imported on first use, so ``import bulletin`` stays light.
"""

from __future__ import annotations

import sys

__all__ = ["load", "history", "periods"]

# jsonschema (imported by nbformat, hence by papermill and nbconvert) loads the optional
# rfc3987_syntax whenever it is installed, and that compiles 38 grammars at import: about
# 1.2 s of CPU in every process that reads a notebook (the runner, the publishing worker,
# each county's), more than a notebook takes to run. Nothing here checks IRI formats
# (nbformat validates with fastjsonschema; papermill and nbclient check no formats), so
# the package's processes do without it; a process that imported it before is left as it is.
sys.modules.setdefault("rfc3987_syntax", None)


def __getattr__(name):
    if name in __all__:
        from bulletin import api

        return getattr(api, name)
    raise AttributeError(f"module 'bulletin' has no attribute {name!r}")
