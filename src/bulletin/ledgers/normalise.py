"""One small function per SPEC §3 value rule (6–13).

Each function takes the raw cell value (as the reader returns it: ``str``, ``float``,
``int``, ``bool``, ``datetime``/``date``, or ``None``) and returns ``(value, problem)``:
``problem`` is ``None`` or a :class:`Problem` whose message is Chinese and names the
value, for the county clerk who must fix it. The caller adds file, sheet, row, field.

Word lists come from ``config/rules.yaml`` and ``config/places.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bulletin.config import Config
from bulletin.findings_catalogue import Catalogued
from bulletin.text import norm_key, norm_text


@dataclass(frozen=True)
class Problem(Catalogued):
    """What a rule found wrong with a value: a code of the findings catalogue
    (:mod:`bulletin.findings_catalogue`) and the values its Chinese message names
    (``label``: the value's kind, 金额/日期/数量, which the column's name replaces in
    a finding); the severity is the catalogue's."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    variant: str = ""


def show(raw) -> str:
    """A value as a message quotes it: numbers as people write them, never in
    scientific notation (SPEC §11.10).

    >>> show(1400000.0), show(2.5e-05), show(1e19)
    ('1400000', '0.000025', '10000000000000000000')
    """
    if isinstance(raw, float) and raw == raw and abs(raw) != float("inf"):
        text = str(int(raw)) if raw.is_integer() else format(Decimal(repr(raw)), "f")
    else:
        text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def wan(amount: float) -> str:
    """An amount in 万元 as a message shows it: thousands separated, at most 4 decimals.

    >>> wan(1400000.0), wan(1234.5), wan(0.00012)
    ('1,400,000万元', '1,234.5万元', '0.0001万元')
    """
    text = f"{amount:,.4f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def is_blank(raw) -> bool:
    """``None`` or a string of white space.

    >>> is_blank("  "), is_blank(0), is_blank(None)
    (True, False, True)
    """
    return raw is None or (isinstance(raw, str) and not raw.strip())


# ---------------------------------------------------------------- amounts (rule 6)

# a comma that is not a thousands separator (6,36亿, 1,5): not followed by exactly three
# digits, or not preceded by a digit (SPEC §11.2)
_DECIMAL_COMMA = re.compile(r",(?!\d{3}(?:\D|$))|(?<!\d),|,\d{3}\d")
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(万元|亿元|元|万|亿)?$")


def unit_factor(unit: str | None, cfg: Config) -> float | None:
    """Factor from ``unit`` to 万元.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> unit_factor("亿元", cfg), unit_factor("元", cfg), unit_factor(None, cfg)
    (10000, 0.0001, None)
    """
    if not unit:
        return None
    return cfg.rules["amounts"]["units"].get(unit)


def parse_amount(raw, column_factor: float, cfg: Config):
    """An amount in 万元. ``column_factor`` converts unit-less numbers (from the header,
    the ``单位：`` line, or the default 万元); a unit in the cell wins.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_amount("1.2亿元", 1.0, cfg)
    (12000.0, None)
    >>> parse_amount("１２，５００", 1.0, cfg)
    (12500.0, None)
    >>> parse_amount(3.5, 10000, cfg)
    (35000.0, None)
    >>> parse_amount("—", 1.0, cfg)
    (None, None)
    >>> parse_amount("待定", 1.0, cfg)[1].severity
    'warning'
    >>> parse_amount(-5, 1.0, cfg)[1].severity
    'error'
    """
    if is_blank(raw):
        return None, None
    if isinstance(raw, bool):
        return None, Problem("amount.not_number", {"label": "金额", "value": raw})
    if isinstance(raw, (int, float)):
        value = float(raw) * column_factor
    else:
        text = norm_text(raw)
        if text in cfg.rules["amounts"]["missing"] or norm_key(text) in cfg.rules["amounts"]["missing"]:
            return None, None
        key = norm_key(text)
        if _DECIMAL_COMMA.search(key):
            return None, Problem("amount.decimal_comma", {"label": "金额", "value": show(raw)})
        key = key.replace(",", "")
        m = _NUMBER.match(key)
        if not m:
            return None, Problem("amount.text", {"label": "金额", "value": show(raw)})
        number = float(m.group(1))
        factor = unit_factor(m.group(2), cfg) if m.group(2) else column_factor
        value = number * factor
    if value != value or value in (float("inf"), float("-inf")):
        return None, Problem("amount.invalid", {"label": "金额", "value": show(raw)})
    if value < 0:
        return None, Problem("amount.negative", {"label": "金额", "value": show(raw)})
    limit = cfg.rules["limits"].get("max_amount", 1e12)
    if value > limit:
        return None, Problem("amount.too_large", {"label": "金额", "value": show(raw), "limit": f"{limit:,.0f}"})
    return round(value, 4), None


def cell_unit(raw) -> str | None:
    """The money unit written in an amount cell itself, if any.

    >>> cell_unit("3000万元"), cell_unit("1.2亿"), cell_unit("3000"), cell_unit(3000)
    ('万元', '亿', None, None)
    """
    if not isinstance(raw, str):
        return None
    m = _NUMBER.match(norm_key(raw).replace(",", ""))
    return m.group(2) if m else None


def parse_count(raw, cfg: Config):
    """A non-negative whole count (leads, target numbers).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_count("12条", cfg)
    (12, None)
    >>> parse_count(3.0, cfg)
    (3, None)
    >>> parse_count("若干", cfg)[1].severity
    'warning'
    """
    if is_blank(raw):
        return None, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        key = norm_key(raw)
        if _DECIMAL_COMMA.search(key):
            return None, Problem("count.invalid", {"label": "数量", "value": show(raw)}, "comma")
        key = key.replace(",", "")
        if key in cfg.rules["amounts"]["missing"]:
            return None, None
        m = re.match(r"^(\d+(?:\.0+)?)(条|个|项|家|次|人)?$", key)
        if not m:
            return None, Problem("count.not_integer", {"label": "数量", "value": show(raw)})
        value = float(m.group(1))
    if value != value or value in (float("inf"), float("-inf")) or value < 0 or not value.is_integer():
        return None, Problem("count.invalid", {"label": "数量", "value": show(raw)})
    if value > cfg.rules["limits"].get("max_count", 1e9):
        return None, Problem("count.too_large", {"label": "数量", "value": show(raw)})
    return int(value), None


# ------------------------------------------------------ rows that are not records (rule 3)


def row_words(cfg: Config) -> tuple:
    """The row words of rules.yaml, normalised: (total exact, total suffixes, total
    prefixes, note prefixes, (head, tail) lengths a first text is classified by)."""
    return cached_table("row_words", cfg, _build_row_words)


def _build_row_words(cfg: Config) -> tuple:
    rules = cfg.rules["rows"]
    words = tuple(
        tuple(norm_key(w) for w in rules[k]) for k in ("total_exact", "total_suffix", "total_prefix", "note_prefix")
    )
    exact, suffix, prefix, note = words
    # how much of a text's ends the row classification needs (with room for spaces and brackets)
    head = max(map(len, exact + prefix + note)) + 4
    tail = max(map(len, exact + suffix)) + 2
    return (*words, (head, tail))


def kind_of_first_text(first: str, cfg: Config) -> str:
    """``total``, ``note`` or ``data``, by the key (``norm_key``) of a row's first text
    (SPEC §3.3; word lists in rules.yaml ``rows``).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> [kind_of_first_text(k, cfg) for k in ["合计", "宝清县小计", "其中:线上", "填报人:张三", "甲项目"]]
    ['total', 'total', 'total', 'note', 'data']
    """
    exact, suffix, prefix, note, _ = row_words(cfg)
    if first:
        if first in exact or first.endswith(suffix) or first.startswith(prefix):
            return "total"
        if first.startswith(note):
            return "note"
    return "data"


# ------------------------------------------------------------------ yes/no (rule 8)


def parse_yesno(raw, cfg: Config):
    """是/√/已入统/Y/1 → True; 否/×/未入统/N/0 → False; blank → None. An answer with a
    remark after it reads as the answer (是（6月入统）, 否，计划7月入统); nothing but a yes
    word's state not reached yet is no (待入统, 暂未纳统, 正在申请入统). Anything else
    (是/否 left from a template, 6月入统): None, with a warning.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_yesno("√", cfg), parse_yesno("未入统", cfg), parse_yesno(None, cfg)
    ((True, None), (False, None), (None, None))
    >>> [parse_yesno(s, cfg)[0] for s in ("是（6月入统）", "否，计划7月入统", "待入统", "正在申请入统")]
    [True, False, False, False]
    >>> [parse_yesno(s, cfg)[1].severity for s in ("也许", "6月入统", "是/否", "在建，未入统")]
    ['warning', 'warning', 'warning', 'warning']
    """
    if is_blank(raw):
        return None, None
    if isinstance(raw, bool):
        return raw, None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    key = norm_key(raw)
    yes, no, not_yet = _yesno_words(cfg)
    head = _REMARK.split(key, maxsplit=1)[0]  # the answer before a remark
    for k in (key, head):
        if k in yes:
            return True, None
        if k in no:
            return False, None
    if not_yet.fullmatch(key):  # 待入统, 暂未纳统, 正在申请入统: nothing but a state not reached
        return False, None
    return None, Problem("yesno.invalid", {"value": show(raw)})


_REMARK = re.compile(r"[(\[,;:、]")  # (norm_key text: （，；： are folded to ( , ; :)


def _yesno_words(cfg: Config) -> tuple[frozenset, frozenset, re.Pattern]:
    """(yes words, no words, a pattern of a yes word's state not reached yet) over
    ``norm_key`` text."""

    def build(c: Config):
        yes, no = (frozenset(norm_key(w) for w in c.rules[k]) for k in ("yes_words", "no_words"))
        words = alternatives(c.rules["not_yet_words"])
        states = alternatives(w for w in yes if len(w) > 1 and not w.isascii())  # 入统, 已入库 …
        # {1,3}, not +: words from a config folder (a and aa) must not make it backtrack
        return yes, no, re.compile(f"(?:暂|尚|还|仍)?(?:{words}){{1,3}}(?:{states})")

    return cached_table("yesno", cfg, build)


def alternatives(words) -> str:
    """A regular expression's alternation of ``words`` as ``norm_key`` text, longest
    first (each matched as written); one that never matches for no words."""
    return "|".join(sorted(map(re.escape, {norm_key(w) for w in words}), key=len, reverse=True)) or "(?!)"


# ----------------------------------------------------------------- online (rule 10)


def is_online(raw, cfg: Config) -> bool:
    """不见面 (online) when the mode/kind text contains one of the online words.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> is_online("视频连线签约", cfg), is_online("现场签约", cfg), is_online(None, cfg), is_online("赴云南招商", cfg)
    (True, False, False, False)
    """
    if is_blank(raw):
        return False
    key = norm_key(raw)
    for place in cfg.rules.get("online_not", []):  # 赴云南招商 is not 云招商
        key = key.replace(norm_key(place), "")
    return any(w in key for w in cfg.rules["online"])


# --------------------------------------------------------- out of province (rule 11)


_TABLES: dict[tuple, object] = {}


def cached_table(kind: str, cfg: Config, build):
    """A lookup table built once per configuration (keyed by its digest, which covers
    a user's config folder) — never from the packaged defaults alone."""
    key = (kind, cfg.digest)
    if key not in _TABLES:
        _TABLES[key] = build(cfg)
    return _TABLES[key]


def _place_tables(cfg: Config):
    return cached_table("places", cfg, _build_place_tables)


def _build_place_tables(cfg: Config):
    places = cfg.raw["places"]
    home = [norm_key(x) for x in places["home_province_aliases"]]
    other_prov = []
    for names in places["provinces"].values():
        other_prov += [norm_key(n) for n in names]
    home_cities = [norm_key(x) for x in places["home_cities"]]
    countries = [norm_key(x) for x in places["countries"]]
    outside = [norm_key(x) for x in places.get("out_of_province_words", [])]
    by_len = lambda xs: tuple(sorted(set(xs), key=len, reverse=True))  # noqa: E731
    return by_len(home), by_len(other_prov), by_len(home_cities), by_len(countries), by_len(outside)


def origin_out_of_province(raw, cfg: Config):
    """Out of province from the investor's origin: province-level names first
    (上海市宝山区 is Shanghai), then cities, then countries.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> origin_out_of_province("广东省深圳市", cfg)
    (True, None)
    >>> origin_out_of_province("黑龙江省佳木斯市", cfg)
    (False, None)
    >>> origin_out_of_province("日本东京", cfg)
    (True, None)
    >>> origin_out_of_province("外省客商", cfg), origin_out_of_province("黑龙江省外贸集团", cfg)
    ((True, None), (False, None))
    >>> origin_out_of_province("某地", cfg)[1].severity
    'warning'
    """
    home, other, home_cities, countries, outside = _place_tables(cfg)
    if is_blank(raw):
        return False, Problem("origin.blank")
    key = norm_key(raw)
    if any(h in key for h in home):
        return False, None
    if any(o in key for o in other):
        return True, None
    if any(h in key for h in home_cities):
        return False, None
    if any(c in key for c in countries) or any(w in key for w in outside):
        return True, None
    return False, Problem("origin.unknown", {"value": show(raw)})


def parse_out_of_province(flag, origin, has_flag_column: bool, cfg: Config):
    """SPEC rule 11: the flag column when present, else the origin.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_out_of_province("省外", None, True, cfg)
    (True, None)
    >>> parse_out_of_province(None, "北京", False, cfg)
    (True, None)
    """
    if has_flag_column and not is_blank(flag):
        value, problem = parse_yesno(flag, cfg)
        if value is not None:
            return value, None
        out, _ = origin_out_of_province(origin, cfg) if not is_blank(origin) else (None, None)
        if out is not None:
            return out, Problem("out_of_province.invalid", {"value": show(flag)}, "by_origin")
        return False, Problem("out_of_province.invalid", {"value": show(flag)})
    return origin_out_of_province(origin, cfg)


# ------------------------------------------------------------------ chains (rule 12)


def _chain_table(cfg: Config):
    return cached_table("chains", cfg, _build_chain_table)


def _build_chain_table(cfg: Config):
    rows = []
    for chain in cfg.raw["chains"]["chains"]:
        for alias in [chain["name"], *chain.get("aliases", [])]:
            rows.append((norm_key(alias), chain["name"]))
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True)), cfg.raw["chains"]["other"]


def match_chain(raw, cfg: Config):
    """Canonical chain name, or ``其他`` (the caller keeps the original text).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> match_chain("煤电化", cfg), match_chain("石墨新材料", cfg), match_chain("机器人", cfg)
    ('现代煤电化', '石墨及新材料', '其他')
    >>> match_chain(None, cfg) is None
    True
    """
    if is_blank(raw):
        return None
    key = norm_key(raw)
    table, other = _chain_table(cfg)
    for alias, name in table:
        if key == alias:
            return name
    for alias, name in table:
        if alias in key:
            return name
    return other


# ----------------------------------------------------------- tier, region (rules 4–5)


def match_tier(raw, cfg: Config) -> str | None:
    """Tier id named in a cell or a title.

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> match_tier("省级百大项目", cfg), match_tier("岭东区2020年市百大项目推进情况表", cfg)
    ('provincial_key', 'municipal_key')
    >>> match_tier("500万元以上产业项目", cfg), match_tier("2020年省市百大项目推进情况表", cfg)
    ('industrial', None)
    >>> match_tier("省百大、市百大", cfg), match_tier("省级百大项目", cfg)
    (None, 'provincial_key')
    """
    if is_blank(raw):
        return None
    key = norm_key(raw)
    if names_both_tiers(key, cfg):
        return None
    tiers = cfg.rules["tiers"]
    for tier in ("provincial_key", "municipal_key"):
        if any(norm_key(w) in key for w in tiers[tier]):
            return tier
    if any(norm_key(w) in key for w in tiers["industrial"]):
        return "industrial"
    return None


def names_both_tiers(raw, cfg: Config) -> bool:
    """Whether a cell or title names the provincial and the municipal list at once
    (省市百大, 省百大、市百大): no tier can be told from it."""
    key = norm_key(raw)
    if any(norm_key(w) in key for w in cfg.rules["tier_both"]):
        return True
    tiers = cfg.rules["tiers"]
    rest = re.sub(alternatives(tiers["provincial_key"]), "\0", key)  # each provincial word out
    return rest != key and any(norm_key(w) in rest for w in tiers["municipal_key"])


def match_region(raw, cfg: Config) -> str | None:
    """Canonical region for a cell that names exactly one region (or the city:
    returns the city name).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> match_region("寶清縣", cfg), match_region("宝清", cfg), match_region(" 饶河县 ", cfg)
    ('宝清县', '宝清县', '饶河县')
    >>> match_region("全市", cfg)
    '双鸭山市'
    >>> match_region("宝清县七星泡镇", cfg), match_region("宝清县、饶河县", cfg), match_region("某某县", cfg)
    ('宝清县', None, None)
    """
    if is_blank(raw):
        return None
    key = norm_key(raw)
    if key in cfg.region_lookup:
        return cfg.region_lookup[key]
    if key in cfg.city_keys:
        return cfg.city
    named = {name for alias, name in cfg.region_lookup.items() if alias in key}
    return named.pop() if len(named) == 1 else None  # 宝清县七星泡镇; not 宝清县、饶河县


def find_region(text, cfg: Config) -> str | None:
    """The region named somewhere inside a longer text (title, 填报单位 line, file name).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> find_region("填报单位：宝清县（盖章）  单位：万元", cfg)
    '宝清县'
    >>> find_region("双鸭山市2020年签约项目台账", cfg) is None
    True
    """
    if is_blank(text):
        return None
    key = norm_key(text)
    for alias in sorted(cfg.region_lookup, key=len, reverse=True):
        if alias in key:
            return cfg.region_lookup[alias]
    return None


def find_unit(text) -> str | None:
    """A ``单位：亿元`` declaration in a line above the header.

    >>> find_unit("填报单位：宝清县（盖章）  单位：亿元  填报日期：2020年7月3日")
    '亿元'
    >>> find_unit("填报单位：宝清县") is None
    True
    """
    if is_blank(text):
        return None
    m = re.search(r"(?:^|[^报填])单位[:：]?(万元|亿元|元)", norm_key(text))
    return m.group(1) if m else None
