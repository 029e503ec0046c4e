"""The definitions a city sets (SPEC §9), read from the configuration and checked when
it loads (:attr:`bulletin.config.Config.definitions`): a broken definition is a
configuration error before any notebook runs, never a failed cell.

* **Light bands** (``rules.yaml`` ``lights``): any number of bands by percentage points
  below time progress. Default, as SPEC §4: green at or above time progress, yellow
  within ``yellow_margin`` (10 points) below it, red further below. A city lists its own
  ``bands`` (from the best light down; the last band, without ``below``, takes the rest).
* **In-statistics denominator** (``in_statistics``): ``started`` (入统率 = started
  projects marked in statistics / started projects; default) or ``new_started``
  (the same over the started projects whose status names a ``new_started`` word, 新开工).
* **Completion ranking** (``ranking.ties``): equal completions share a rank;
  ``competition`` ranks 1, 2, 2, 4 (default), ``dense`` 1, 2, 2, 3.
* **Large signings** (``large_signing``, 万元): 亿元以上 = at least 10,000 万元.
* **Origin areas** (``places.yaml`` ``areas``): each area lists provinces of
  ``places.yaml``; ``area_foreign`` for a country, ``area_other`` for any other
  province, ``area_unknown`` for an out-of-province signing whose origin names no place.
* **Leaders** (breakdown by 包保领导): ``leader_tiers``, the tiers of the year's key
  projects counted (all three by default), and ``leader_blank``, the key of those
  with no leader.

Light on purpose (no pandas, no config import): the configuration module imports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bulletin.contract import LIGHT_COLOURS, TIERS
from bulletin.errors import BulletinError
from bulletin.text import norm_key

RANK_TIES = ("competition", "dense")
DENOMINATORS = ("started", "new_started")
_EPS = 1e-12  # a completion exactly at a threshold is not pushed down by float noise


@dataclass(frozen=True)
class Band:
    """One light: completion ≥ time progress − ``below`` percentage points (``below``
    negative: ahead of time progress); ``below`` None for the last band (the rest)."""

    light: str
    below: float | None


@dataclass(frozen=True)
class Definitions:
    bands: tuple[Band, ...]
    in_statistics: str = "started"
    new_started_words: tuple[str, ...] = ("新开工",)
    rank_ties: str = "competition"
    large_signing: float = 10000.0
    areas: tuple[tuple[str, tuple[str, ...]], ...] = ()
    area_foreign: str = "境外"
    area_other: str = "其他地区"
    area_unknown: str = "来源地不详"
    leader_blank: str = "未明确包保领导"
    leader_tiers: tuple[str, ...] = TIERS

    @property
    def area_keys(self) -> tuple[str, ...]:
        """Every key of the origin breakdown that is always listed, in order."""
        return (*(name for name, _ in self.areas), self.area_foreign, self.area_other)


class DefinitionError(BulletinError, ValueError):
    """A definition in the configuration that cannot be used (message in Chinese);
    ``file`` and ``field``: the configuration file and the key, e.g. ``rules.yaml`` and
    ``lights.bands``."""


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DefinitionError(f"{where}应为数字，而不是“{value}”", **_place(where))
    return float(value)


def _place(where: str) -> dict:
    """``file`` and ``field`` of a definition named as ``rules.yaml lights.bands …``.

    >>> _place("rules.yaml lights.bands 第2档（yellow）的 below ")
    {'file': 'rules.yaml', 'field': 'lights.bands'}
    """
    file, _, rest = where.strip().partition(" ")
    return {"file": file, "field": rest.split(" ")[0] or None}


def parse_bands(lights: dict) -> tuple[Band, ...]:
    """The bands of ``rules.yaml``'s ``lights``: its ``bands`` list when given, else the
    three SPEC lights with ``yellow_margin``.

    >>> parse_bands({"yellow_margin": 0.1})
    (Band(light='green', below=0.0), Band(light='yellow', below=10.0), Band(light='red', below=None))
    >>> [b.below for b in parse_bands({"bands": [{"light": "green", "below": 10},
    ...                                         {"light": "yellow", "below": 30}, {"light": "red"}]})]
    [10.0, 30.0, None]
    """
    lights = lights or {}
    spec = lights.get("bands")
    if spec is None:
        margin = _number(lights.get("yellow_margin", 0.10), "rules.yaml lights.yellow_margin ")
        spec = [{"light": "green", "below": 0}, {"light": "yellow", "below": round(margin * 100, 9)}, {"light": "red"}]
    where = "rules.yaml lights.bands"
    if not isinstance(spec, list) or len(spec) < 2:
        raise DefinitionError(f"{where} 应列出至少两档灯色（最后一档不设 below）", **_place(where))
    bands = []
    for i, item in enumerate(spec, start=1):
        if not isinstance(item, dict) or "light" not in item:
            raise DefinitionError(
                f"{where} 第{i}档应写为 {{light: 灯色, below: 落后时序进度的百分点}}", **_place(where)
            )
        light = str(item["light"]).strip().lower()
        if light not in LIGHT_COLOURS:
            raise DefinitionError(
                f"{where} 第{i}档灯色“{item['light']}”无法识别，可用：{'、'.join(LIGHT_COLOURS)}", **_place(where)
            )
        last = i == len(spec)
        below = item.get("below")
        if last and below is not None:
            raise DefinitionError(f"{where} 最后一档（{light}）不设 below：它包括其余所有情况", **_place(where))
        if not last:
            below = _number(below, f"{where} 第{i}档（{light}）的 below ")
            if bands and below <= bands[-1].below:
                raise DefinitionError(
                    f"{where} 各档 below 应逐档增大（第{i}档 {below:g} 不大于上一档）", **_place(where)
                )
        bands.append(Band(light, below))
    names = [b.light for b in bands]
    if len(set(names)) != len(names):
        raise DefinitionError(f"{where} 灯色重复：{'、'.join(names)}", **_place(where))
    return tuple(bands)


def parse(raw: dict) -> Definitions:
    """The definitions of a configuration (the raw YAML of every file, merged)."""
    rules, places = raw.get("rules") or {}, raw.get("places") or {}
    bands = parse_bands(rules.get("lights"))
    stat = rules.get("in_statistics") or {}
    denominator = str(stat.get("denominator", "started")).strip()
    if denominator not in DENOMINATORS:
        raise DefinitionError(
            f"rules.yaml in_statistics.denominator 应为 {' 或 '.join(DENOMINATORS)}，而不是“{denominator}”",
            file="rules.yaml",
            field="in_statistics.denominator",
        )
    words = tuple(norm_key(w) for w in stat.get("new_started", ["新开工"]) if norm_key(w))
    if denominator == "new_started" and not words:
        raise DefinitionError(
            "rules.yaml in_statistics.new_started 应列出表示新开工的词（如 新开工）",
            file="rules.yaml",
            field="in_statistics.new_started",
        )
    ties = str((rules.get("ranking") or {}).get("ties", "competition")).strip()
    if ties not in RANK_TIES:
        raise DefinitionError(
            f"rules.yaml ranking.ties 应为 {' 或 '.join(RANK_TIES)}，而不是“{ties}”",
            file="rules.yaml",
            field="ranking.ties",
        )
    large = _number(rules.get("large_signing", 10000), "rules.yaml large_signing ")
    provinces = set((places.get("provinces") or {}).keys())
    areas, seen = [], {}
    for name, members in (places.get("areas") or {}).items():
        members = tuple(str(m) for m in (members or []))
        for m in members:
            if m not in provinces:
                raise DefinitionError(
                    f"places.yaml areas.{name} 中的“{m}”不是 provinces 中的省份",
                    file="places.yaml",
                    field=f"areas.{name}",
                )
            if m in seen:
                raise DefinitionError(
                    f"places.yaml 中“{m}”同时属于 {seen[m]} 和 {name}", file="places.yaml", field=f"areas.{name}"
                )
            seen[m] = name
        areas.append((str(name), members))
    names = dict(
        area_foreign=str(places.get("area_foreign", "境外")),
        area_other=str(places.get("area_other", "其他地区")),
        area_unknown=str(places.get("area_unknown", "来源地不详")),
    )
    keys = [a for a, _ in areas] + list(names.values())
    if len(set(keys)) != len(keys):
        raise DefinitionError(f"places.yaml 来源地区域名称重复：{'、'.join(keys)}", file="places.yaml", field="areas")
    leader_tiers = tuple(str(t) for t in rules.get("leader_tiers", TIERS))
    unknown = [t for t in leader_tiers if t not in TIERS]
    if unknown or not leader_tiers:
        raise DefinitionError(
            f"rules.yaml leader_tiers 应为 {'、'.join(TIERS)} 中的一个或几个，而不是“{'、'.join(unknown)}”",
            file="rules.yaml",
            field="leader_tiers",
        )
    return Definitions(
        bands=bands,
        leader_tiers=leader_tiers,
        in_statistics=denominator,
        new_started_words=words,
        rank_ties=ties,
        large_signing=large,
        areas=tuple(areas),
        leader_blank=str(rules.get("leader_blank", "未明确包保领导")),
        **names,
    )


DEFAULT = Definitions(bands=parse_bands({"yellow_margin": 0.10}))


# --------------------------------------------------------------------------- uses
def light(completion, time_progress, bands) -> str | None:
    """The light of a completion (a fraction) at ``time_progress``; None without a
    completion. ``bands``: :class:`Band` s, or a number (the yellow margin as a fraction,
    the three SPEC lights).

    >>> light(0.6, 0.5, 0.1), light(0.45, 0.5, 0.1), light(0.2, 0.5, 0.1)
    ('green', 'yellow', 'red')
    >>> four = parse_bands({"bands": [{"light": "blue", "below": -10}, {"light": "green", "below": 10},
    ...                               {"light": "yellow", "below": 30}, {"light": "red"}]})
    >>> [light(c, 0.5, four) for c in (0.6, 0.45, 0.2, 0.19)]
    ['blue', 'green', 'yellow', 'red']
    >>> light(None, 0.5, four) is None
    True
    """
    if completion is None or (isinstance(completion, float) and math.isnan(completion)):
        return None
    if not isinstance(bands, tuple):
        bands = parse_bands({"yellow_margin": bands})
    for band in bands:
        if band.below is None or completion + _EPS >= time_progress - band.below / 100:
            return band.light
    return bands[-1].light


def describe_bands(bands) -> list[dict]:
    """The bands in config terms, for the text that explains the lights: per band, the
    light and how far behind time progress it reaches, in percentage points
    (``behind_more_than`` exclusive, ``behind_at_most`` inclusive; None: no limit;
    negative: ahead of time progress).

    >>> describe_bands(DEFAULT.bands)  # doctest: +NORMALIZE_WHITESPACE
    [{'light': 'green', 'behind_more_than': None, 'behind_at_most': 0.0},
     {'light': 'yellow', 'behind_more_than': 0.0, 'behind_at_most': 10.0},
     {'light': 'red', 'behind_more_than': 10.0, 'behind_at_most': None}]
    """
    if isinstance(bands, Definitions):
        bands = bands.bands
    out, previous = [], None
    for band in bands:
        out.append({"light": band.light, "behind_more_than": previous, "behind_at_most": band.below})
        previous = band.below
    return out


def rank(values: dict, ties: str = "competition") -> dict:
    """Rank of each key by its value, 1 = highest; None values get no rank. Values
    equal to 12 decimals share a rank: ``competition`` 1, 2, 2, 4; ``dense`` 1, 2, 2, 3.

    >>> rank({"a": 0.5, "b": 0.3, "c": 0.3, "d": 0.1, "e": None})
    {'a': 1, 'b': 2, 'c': 2, 'd': 4, 'e': None}
    >>> rank({"a": 0.5, "b": 0.3, "c": 0.3, "d": 0.1}, "dense")
    {'a': 1, 'b': 2, 'c': 2, 'd': 3}
    >>> rank({"a": 0.1 + 0.2, "b": 0.3})
    {'a': 1, 'b': 1}
    """
    if ties not in RANK_TIES:
        raise DefinitionError(f"ranking.ties 应为 {' 或 '.join(RANK_TIES)}，而不是“{ties}”", field="ranking.ties")
    keyed = {k: round(float(v), 12) for k, v in values.items() if v is not None and not math.isnan(v)}
    ordered = sorted(keyed.values(), reverse=True)
    distinct = sorted(set(ordered), reverse=True)
    out = {}
    for k in values:
        if k not in keyed:
            out[k] = None
        elif ties == "dense":
            out[k] = 1 + distinct.index(keyed[k])
        else:
            out[k] = 1 + ordered.index(keyed[k])
    return out


def is_new_start(status, definitions: Definitions = DEFAULT) -> bool:
    """Whether a project's status text names a new start (新开工) — only meaningful
    for a started project (the caller combines it with ``started``).

    >>> is_new_start("新开工"), is_new_start("續建"), is_new_start(None)
    (True, False, False)
    """
    key = norm_key(status) if status is not None else ""
    return bool(key) and any(w in key for w in definitions.new_started_words)
