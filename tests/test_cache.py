"""Stage keys and the rerun plan of incremental runs (bulletin.cache)."""

from bulletin.runner import cache


def inputs(**files):
    return [{"path": p, "sha256": h} for p, h in files.items()]


BASE = {"2020-06/a.xlsx": "1", "2020-06/b.xlsx": "2", "2020-05/a.xlsx": "3"}


def keys(files=BASE, config="c", lang="zh"):
    return cache.stage_keys("2020-06", inputs(**files), config, lang)


def test_keys_are_stable_and_content_based():
    assert keys() == keys()
    assert keys(dict(reversed(list(BASE.items())))) == keys()  # order of files does not matter


def test_what_each_change_invalidates():
    base = keys()
    changed_ledger = keys({**BASE, "2020-06/b.xlsx": "X"})
    assert all(changed_ledger[s] != base[s] for s in cache.STAGES)
    changed_history = keys({**BASE, "2020-05/a.xlsx": "X"})
    assert changed_history["clean"] == base["clean"]
    assert all(changed_history[s] != base[s] for s in ("indicators", "bulletin", "publish"))
    changed_config = keys(config="other")
    assert all(changed_config[s] != base[s] for s in cache.STAGES)
    changed_lang = keys(lang="en")
    assert changed_lang["clean"] == base["clean"] and changed_lang["indicators"] == base["indicators"]
    assert changed_lang["bulletin"] != base["bulletin"] and changed_lang["publish"] != base["publish"]
    added_file = keys({**BASE, "2020-06/c.xlsx": "4"})
    assert added_file["clean"] != base["clean"]


def output_hashes(processed, reports, stages=cache.STAGES):
    for stage in stages:
        for name in cache.OUTPUTS[stage]["processed"]:
            (processed / name).parent.mkdir(parents=True, exist_ok=True)
            (processed / name).write_text(stage)
        for name in cache.OUTPUTS[stage]["reports"]:
            (reports / name).parent.mkdir(parents=True, exist_ok=True)
            if "." in name:
                (reports / name).write_text(stage)
            else:
                (reports / name).mkdir(exist_ok=True)


def test_plan(tmp_path):
    p, r = tmp_path / "p", tmp_path / "r"
    p.mkdir()
    r.mkdir()
    k = keys()
    assert cache.plan(k, p, r) == list(cache.STAGES)  # no record
    output_hashes(p, r)
    cache.record(k, p)
    assert cache.plan(k, p, r) == []  # nothing changed
    assert cache.plan(k, p, r, force=True) == list(cache.STAGES)
    assert cache.plan(keys(lang="en"), p, r) == ["bulletin", "publish"]
    (r / "bulletin.pdf").unlink()  # an output lost: rerun it
    assert cache.plan(k, p, r) == ["publish"]


def test_carry_over_copies_the_skipped_stages_outputs(tmp_path):
    p, r = tmp_path / "p", tmp_path / "r"
    output_hashes(p, r)
    sp, sr = tmp_path / "sp", tmp_path / "sr"
    cache.carry_over(["clean", "indicators"], p, r, sp, sr)
    assert (sp / "quality.csv").read_text() == "clean" and (sp / "indicators.csv").exists()
    assert (sr / "notebooks" / "clean.ipynb").exists() and not (sr / "bulletin.pdf").exists()
    assert (p / "quality.csv").exists()  # copied, not moved
