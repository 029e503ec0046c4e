"""Configuration: the YAML files under ``config/`` (packaged defaults), optionally
extended by a user folder holding files of the same names. Lists in a user file are
appended to the defaults; mappings are merged; scalars replace.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bulletin.paths import CONFIG_DIR
from bulletin.text import norm_header, norm_key

FILES = ("ledgers", "rules", "regions", "places", "chains")


def _merge(base, extra):
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


@dataclass(frozen=True)
class Config:
    raw: dict
    digest: str
    header_map: dict = field(default_factory=dict)  # ledger -> {normalised alias: field}
    region_names: tuple = ()
    region_lookup: dict = field(default_factory=dict)  # normalised name/alias -> name
    city: str = ""
    city_keys: frozenset = frozenset()

    @property
    def ledgers(self) -> dict:
        return self.raw["ledgers"]["ledgers"]

    @property
    def rules(self) -> dict:
        return self.raw["rules"]

    def field_type(self, name: str) -> str:
        for kind, names in self.raw["ledgers"]["types"].items():
            if name in names:
                return kind
        return "text"

    def field_label(self, ledger: str, name: str) -> str:
        """A field's Chinese label for messages: its first alias."""
        if name == "region":
            return "县区"
        return self.ledgers[ledger]["fields"][name][0]

    def ledger_label(self, ledger: str) -> str:
        return self.ledgers.get(ledger, {}).get("label", ledger)


def _build(raw: dict) -> Config:
    header_map = {}
    for ledger, spec in raw["ledgers"]["ledgers"].items():
        m = {}
        for name, aliases in spec["fields"].items():
            for alias in aliases:
                m.setdefault(norm_header(alias), name)
        header_map[ledger] = m
    regions = raw["regions"]
    lookup = {}
    names = []
    for r in regions["regions"]:
        names.append(r["name"])
        for alias in [r["name"], *r.get("aliases", [])]:
            lookup[norm_key(alias)] = r["name"]
    city_keys = frozenset(norm_key(a) for a in [regions["city"], *regions.get("city_aliases", [])])
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return Config(
        raw=raw,
        digest=digest,
        header_map=header_map,
        region_names=tuple(names),
        region_lookup=lookup,
        city=regions["city"],
        city_keys=city_keys,
    )


@lru_cache(maxsize=8)
def load_config(user_dir: str | None = None) -> Config:
    """Load the packaged defaults, extended by ``user_dir`` when given."""
    raw = {}
    for name in FILES:
        with open(CONFIG_DIR / f"{name}.yaml", encoding="utf-8") as fh:
            raw[name] = yaml.safe_load(fh)
        if user_dir:
            extra = Path(user_dir) / f"{name}.yaml"
            if extra.exists():
                with open(extra, encoding="utf-8") as fh:
                    raw[name] = _merge(raw[name], yaml.safe_load(fh) or {})
    return _build(raw)
