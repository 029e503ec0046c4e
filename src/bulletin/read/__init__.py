"""Reading: every entry of a month folder → cell grids (or the problem naming the file).

discover (which entries are read, and why not the others) → formats (what a file is,
by content) → limits (what one file may cost, checked first) → workbook (one file →
:class:`~bulletin.read.grid.Grid` per sheet). No ledger knowledge here.
"""
