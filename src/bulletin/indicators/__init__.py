"""Indicators: pure functions of the typed record tables (SPEC §4, §7, §9).

compute (indicators.csv), compute_breakdowns (breakdowns.csv), catalog (Chinese names of the ids).
"""
