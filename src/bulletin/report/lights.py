"""The lights in words, from the bands the city configured (``rules.yaml`` ``lights``,
:func:`bulletin.definitions.describe_bands`): any number of bands and colours. Each band
is said by the shape of its range — how far behind (or ahead of) time progress it
reaches — with the patterns ``band.*`` of the wording files, so the explanation of the
lights, the sentences naming the counties on each light and the 存在问题 on lagging
counties all say the configured bands, never a fixed green/yellow/red.
"""

from __future__ import annotations

from bulletin import definitions as defs
from bulletin.report import format as fmt
from bulletin.report.labels import label


def points(value: float) -> str:
    """Percentage points as a reader writes them.

    >>> points(10.0), points(7.5), points(-10.0)
    ('10', '7.5', '10')
    """
    text = fmt.number(abs(value), 1)
    return text[:-2] if text.endswith(".0") else text


def range_text(band: dict, lang) -> str:
    """How far from time progress a band (one item of :func:`describe_bands`) reaches.

    >>> [range_text(b, "zh") for b in defs.describe_bands(defs.DEFAULT)]
    ['达到或快于时序进度', '落后于时序进度10个百分点以内', '落后于时序进度10个百分点以上']
    >>> four = defs.parse_bands({"bands": [{"light": "blue", "below": -10}, {"light": "green", "below": 10},
    ...                                    {"light": "yellow", "below": 30}, {"light": "red"}]})
    >>> [range_text(b, "zh") for b in defs.describe_bands(four)]  # doctest: +NORMALIZE_WHITESPACE
    ['快于时序进度10个百分点及以上', '快于时序进度不足10个百分点或落后不超过10个百分点',
     '落后于时序进度10至30个百分点', '落后于时序进度30个百分点以上']
    """
    low, high = band["behind_more_than"], band["behind_at_most"]
    if low is None:  # the best band
        if high == 0:
            return label("band.at_or_ahead", lang)
        key = "band.ahead_at_least" if high < 0 else "band.behind_at_most_top"
        return label(key, lang, points=points(high))
    if high is None:  # the last band
        if low == 0:
            return label("band.behind", lang)
        key = "band.behind_over" if low > 0 else "band.below_ahead"
        return label(key, lang, points=points(low))
    if low >= 0:
        if low == 0:
            return label("band.behind_within", lang, points=points(high))
        return label("band.behind_between", lang, low=points(low), high=points(high))
    if high > 0:
        return label("band.around", lang, ahead=points(low), behind=points(high))
    if high == 0:
        return label("band.even_ahead_below", lang, ahead=points(low))
    return label("band.ahead_between", lang, low=points(high), high=points(low))


def band_of(definitions: defs.Definitions, light) -> dict | None:
    key = fmt.light_key(light)
    return next((b for b in defs.describe_bands(definitions) if b["light"] == key), None)


def behind(definitions: defs.Definitions, light) -> bool:
    """Whether every completion on ``light`` is behind time progress (a lagging light:
    yellow and red of the default bands).

    >>> [behind(defs.DEFAULT, x) for x in ("green", "yellow", "red", None)]
    [False, True, True, False]
    """
    band = band_of(definitions, light)
    return band is not None and band["behind_more_than"] is not None and band["behind_more_than"] >= 0


def explanation(definitions: defs.Definitions, lang) -> str:
    """The lights of the notes (口径说明): 达到或快于时序进度为绿灯，…

    >>> explanation(defs.DEFAULT, "zh")
    '达到或快于时序进度为绿灯，落后于时序进度10个百分点以内为黄灯，落后于时序进度10个百分点以上为红灯'
    """
    items = [
        label("band.note_item", lang, range=range_text(b, lang), light=fmt.light_word(b["light"], lang))
        for b in defs.describe_bands(definitions)
    ]
    return label("p.comma", lang).join(items)


def in_statistics_note(definitions: defs.Definitions, lang) -> str:
    """What the in-statistics rate is divided by (``in_statistics.denominator``)."""
    return label(f"stat.{definitions.in_statistics}", lang)
