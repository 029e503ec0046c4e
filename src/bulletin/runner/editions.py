"""Editions side by side in ``reports/<period>/``: a run makes one, the others stay.

A run writes its edition (the city's bulletin in its language, and with
``--per-region`` the county editions) into a staging folder that replaces
``reports/<period>/`` as a whole. The other editions of the last good run — the other
language's ``bulletin.en.*``, the county editions of a run with ``--per-region`` — are
copied into the staging folder first, *if their inputs did not change*: each edition's
key (the publish stage's key it would have now: raw files, configuration, wording,
code, language) is recorded in ``editions.json``, and an edition whose recorded key
differs from its key now is left out (it would show figures the data no longer
gives): :func:`bulletin.runner.issue.carry_archives` then moves it to
``superseded/<time>/`` (never deleted: SPEC §13), and the run says so.

Deliberately light (no pandas): the runner imports it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bulletin.publish.names import edition_files

RECORD = "editions.json"
LANGS = ("zh", "en")
REGIONS = "regions"


def edition_name(lang: str, per_region: bool = False) -> str:
    """``zh``, ``en``: the city's editions; ``regions.zh``, ``regions.en``: the counties'."""
    return f"{REGIONS}.{lang}" if per_region else str(lang)


def all_editions() -> list[tuple[str, str, bool]]:
    """(name, lang, per_region) of every edition a reports folder may hold."""
    return [(edition_name(lang, pr), lang, pr) for lang in LANGS for pr in (False, True)]


def made_by(lang: str, per_region: bool) -> set[str]:
    """The editions a run makes."""
    return {edition_name(lang)} | ({edition_name(lang, True)} if per_region else set())


def files_of(name: str, folder: Path) -> list[Path]:
    """The files of edition ``name`` in the reports folder ``folder`` (relative paths)."""
    per_region = name.startswith(REGIONS + ".")
    lang = name.split(".", 1)[1] if per_region else name
    names = list(edition_files(lang).values())
    if not per_region:
        return [Path(n) for n in names if (folder / n).is_file()]
    out = []
    for county in sorted(p for p in (folder / REGIONS).glob("*") if p.is_dir()):
        out += [county.relative_to(folder) / n for n in names if (county / n).is_file()]
    return out


def read_record(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in (data.get("editions") or {}).items()}


def keep_others(previous: Path, staged: Path, made: set[str], current: dict[str, str]) -> tuple[list[str], list[str]]:
    """Copy into ``staged`` the editions of ``previous`` that this run did not make and
    whose inputs are unchanged (recorded key == ``current`` key); write the new record.
    Returns (kept, dropped) edition names (the dropped ones are set aside, not deleted,
    by :func:`bulletin.runner.issue.carry_archives`)."""
    old = read_record(previous)
    record = {name: current[name] for name in made}
    kept, dropped = [], []
    for name, key in sorted(old.items()):
        if name in made:
            continue
        if current.get(name) != key:
            if files_of(name, previous):
                dropped.append(name)
            continue
        for rel in files_of(name, previous):
            dst = staged / rel
            if dst.exists():  # made by this run after all: never replaced by an old copy
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(previous / rel, dst)
        record[name] = key
        kept.append(name)
    (staged / RECORD).write_text(json.dumps({"editions": record}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return kept, dropped


def describe(names: list[str]) -> str:
    """Editions as the run's messages name them (Chinese)."""
    words = {
        "zh": "中文版通报",
        "en": "英文版通报",
        "regions.zh": "各县区通报（中文）",
        "regions.en": "各县区通报（英文）",
    }
    return "、".join(words.get(n, n) for n in names)
