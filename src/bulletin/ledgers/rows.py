"""Row kinds (SPEC §3.3): which rows below a header are records, and which are total,
note or blank rows — by the first text of the row (a region name in the region column
and serial numbers passed over), classified against the word lists of
``config/rules.yaml`` (``rows``)."""

from __future__ import annotations

from bulletin.config import Config
from bulletin.ledgers.locate import Layout
from bulletin.ledgers.normalise import cached_table
from bulletin.text import norm_key, norm_keys


def _ends_key(value, head: int = 8, tail: int = 4) -> str:
    """``norm_key`` of a cell's text, or for a long text only of its first ``head``
    and last ``tail`` characters joined by ``…``: row classification looks at exact
    short words, prefixes and suffixes only, and the short ends repeat, so they are
    cached — a unique project name is not run through OpenCC for nothing.

    >>> _ends_key("合 计"), _ends_key("填报人：张三  审核人：李四  联系电话：0469-1234567")
    ('合计', '填报人:张三…4567')
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= head + tail:
        return norm_key(text)
    return norm_key(text[:head]) + "…" + norm_key(text[-tail:])


def first_text(raw: list, layout: Layout, cfg: Config) -> str:
    """The first non-empty text of a row, passing over a region name in the region
    column (a merged region cell) and serial numbers."""
    region_col = layout.columns.get("region")
    head, tail = _row_words(cfg)[4]
    for j, value in enumerate(raw):
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            continue
        key = _ends_key(value, head, tail)
        if not key:
            continue
        if j == region_col and (key in cfg.region_lookup or key in cfg.city_keys):
            continue  # exactly a region name: 宝清县小计, 其中：宝清县 are not
        return key
    return ""


def _row_words(cfg: Config) -> tuple:
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
    """``total``, ``note`` or ``data``, by the key of a row's first text."""
    exact, suffix, prefix, note, _ = _row_words(cfg)
    if first:
        if first in exact or first.endswith(suffix) or first.startswith(prefix):
            return "total"
        if first.startswith(note):
            return "note"
    return "data"


NUMBER_TYPES = {int, float}


def _first_candidates(rows: list) -> list:
    """Per row, its first value that is not a number, as (value, column), or ``None``
    (no such value). Column by column: a serial-number column and a text column
    settle most rows in two passes over lists instead of a loop over each row's cells."""
    firsts: list = [None] * len(rows)
    pending = range(len(rows))
    j = 0
    while pending:
        col = [rows[i][j] if j < len(rows[i]) else END for i in pending]
        types = set(map(type, col))
        if types <= NUMBER_TYPES | {type(None)}:
            pass  # the whole column is passed over
        elif not types & (NUMBER_TYPES | {type(None), _End}):
            for i, v in zip(pending, col):
                firsts[i] = (v, j)
            break
        else:
            rest = []
            for i, v in zip(pending, col):
                if v is None or v.__class__ is int or v.__class__ is float:
                    rest.append(i)
                elif v is not END:
                    firsts[i] = (v, j)
            pending = rest
        j += 1
    return firsts


class _End:
    """Past a row's last cell."""


END = _End()


def row_kinds(rows: list, layout: Layout, cfg: Config) -> list[tuple[str, str]]:
    """``(kind, first_text(row))`` of many rows at once — kind ``blank``, ``total``,
    ``note`` or ``data`` — with the ends of the rows' first texts normalised in one
    batch (``norm_keys``) instead of one OpenCC call per row, and each distinct first
    text classified once. Rows where the quick answer could differ (a non-text first
    value, an empty key, a region name in the region column) take ``first_text``
    itself."""
    head, tail = _row_words(cfg)[4]
    firsts = _first_candidates(rows)
    ends: dict = {}  # text → (its head, its tail or None)
    for first in firsts:
        if first is not None:
            v = first[0]
            if v.__class__ is str and v not in ends:
                ends[v] = (v, None) if len(v) <= head + tail else (v[:head], v[-tail:])
    parts = list({p for pair in ends.values() for p in pair if p is not None})
    keyed = dict(zip(parts, norm_keys(parts)))

    def classify(first: str) -> tuple[str, str]:
        return kind_of_first_text(first, cfg), first

    kinds = {v: classify(keyed[h] if t is None else keyed[h] + "…" + keyed[t]) for v, (h, t) in ends.items()}
    region_col = layout.columns.get("region")
    regions, cities = cfg.region_lookup, cfg.city_keys
    out = []
    for raw, first in zip(rows, firsts):
        if first is not None:
            v, j = first
            kind = kinds.get(v) if v.__class__ is str else None
            if kind is not None and kind[1] and (j != region_col or (kind[1] not in regions and kind[1] not in cities)):
                out.append(kind)
                continue
        elif all(x is None for x in raw):
            out.append(("blank", ""))
            continue
        out.append(classify(first_text(raw, layout, cfg)))
    return out
