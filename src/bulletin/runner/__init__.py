"""Orchestration of a run: parameters, lock, incremental plan, notebooks on one kernel,
publishing, county editions, the all-or-nothing swap of outputs, verification, and the
command line's Chinese words. Light on purpose: nothing here imports pandas.
"""
