"""Ledger-to-bulletin pipeline (招商引资和项目建设通报).

For ad hoc analysis: ``bulletin.load(period)`` gives one processed month's cleaned
tables and indicators as DataFrames, with the history of every processed month
(see :mod:`bulletin.api`); ``bulletin.history()`` and ``bulletin.periods()`` too.
They are imported on first use, so ``import bulletin`` stays light.
"""

from __future__ import annotations

__all__ = ["load", "history", "periods"]


def __getattr__(name):
    if name in __all__:
        from bulletin import api

        return getattr(api, name)
    raise AttributeError(f"module 'bulletin' has no attribute {name!r}")
