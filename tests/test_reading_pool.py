"""The reading pool when one of its processes dies (a reader over the memory limit
aborts it): the files being read then are read one by one in bounded children, the
others by a new pool, and the month is the same as read in one process, in file order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin.config import load_config
from bulletin.contract import Period
from bulletin.ledgers import snapshot
from conftest import PERIOD, SIGN_HEADER, sign_row, write_xlsx

REGIONS = ["宝清县", "饶河县", "集贤县", "友谊县", "宝山区", "尖山区", "岭东区", "四方台区"]


@pytest.fixture
def month(tmp_path):
    folder = tmp_path / PERIOD
    for k, region in enumerate(REGIONS):
        rows = [[f"{region}2020年1-6月签约项目台账"], SIGN_HEADER, *[sign_row(i, amount=100 + k) for i in (1, 2, 3)]]
        write_xlsx(folder / f"{region}招商台账.xlsx", rows)
    return folder


def _outcome(snap):
    return dict(snap.records), snap.findings, snap.accounting, [tuple(vars(s).values()) for s in snap.skipped]


def test_a_dead_reading_process_costs_only_the_files_it_was_reading(month, monkeypatch):
    cfg = load_config()
    alone = snapshot.read_snapshot(month, PERIOD, cfg, workers=1)
    killer = "饶河县招商台账.xlsx"
    real = snapshot.read_file_bounded

    def dies_on_one(path: Path, *args):  # runs in the pool's processes (forked: they have it)
        if path.name == killer:
            os._exit(134)  # as a Rust reader that hit the memory limit aborts
        return real(path, *args)

    read_alone = []

    def recorded(path, snapshot_dir, period, cfg):
        read_alone.append(path.name)
        return snapshot.read_file(path, snapshot_dir, Period.parse(period) if isinstance(period, str) else period, cfg)

    monkeypatch.setattr(snapshot, "read_file_bounded", dies_on_one)
    monkeypatch.setattr(snapshot, "_read_alone", recorded)
    pooled = snapshot.read_snapshot(month, PERIOD, cfg, workers=2)
    assert _outcome(pooled) == _outcome(alone)
    # the killer and at most the one file the other process was reading; the others by a new pool
    assert killer in read_alone and len(read_alone) <= 2, read_alone


def test_a_pool_broken_while_the_files_are_submitted_loses_no_file(month, monkeypatch):
    """The pool can break before every file is submitted (a process dies at once): then
    every file is read one by one, none dropped."""
    cfg = load_config()
    alone = snapshot.read_snapshot(month, PERIOD, cfg, workers=1)

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, *args, **kwargs):
            raise snapshot.BrokenProcessPool("a process died at once")

    read_alone = []
    real = snapshot._read_alone

    def recorded(path, *args):
        read_alone.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(snapshot, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr(snapshot, "_read_alone", recorded)
    pooled = snapshot.read_snapshot(month, PERIOD, cfg, workers=2)
    assert _outcome(pooled) == _outcome(alone)
    assert len(read_alone) == len(REGIONS)
