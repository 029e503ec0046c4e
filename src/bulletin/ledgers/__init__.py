"""Ledgers: cell grids → typed records, findings and row accounting, per ledger type.

locate / layouts (where each table is and what its columns are) → rows (which rows are
records) → parser with normalise (the SPEC rules, column by column) → findings, sheet
(one sheet, its accounting), explain (how it was read); across files: duplicates,
register (who submitted what); snapshot: the cleaning stage over a month folder.
"""
