"""A project's start status → started (开复工, SPEC rule 9 and §12): how a clerk's
sentence in the 开复工情况 column is read (see :func:`parse_started`)."""

from __future__ import annotations

import re

from bulletin.config import Config
from bulletin.contract import Period
from bulletin.ledgers.normalise import Problem, alternatives, cached_table, is_blank, parse_yesno, show
from bulletin.text import norm_key


def parse_started(raw, cfg: Config, period: Period | None = None):
    """Started (开复工) when the status affirms a started state (已开工, 已于5月复工,
    正在施工, 施工中) not stopped after it, or else names a started state and no
    negation. A later stage said not to be reached yet (未竣工, 未投产, 待验收) says
    nothing of the start and is passed over; a compound that names a document or a
    date (施工图, 施工许可, 开工时间) is no state. A start in a month after ``period``'s
    (7月开工 in a June report) is a plan: not started. A status with no word of either
    kind is not started, with a warning (SPEC rule 9, §12).

    >>> from bulletin.config import load_config
    >>> cfg = load_config()
    >>> parse_started("已开工", cfg)[0], parse_started("未开工", cfg)[0], parse_started("前期手续办理中", cfg)[0]
    (True, False, False)
    >>> parse_started("续建（已复工）", cfg)[0], parse_started(1, cfg)[0], parse_started("否", cfg)[0]
    (True, True, False)
    >>> parse_started(None, cfg)
    (False, Problem(code='status.blank', params={}, variant=''))
    >>> parse_started("施工中", cfg)[0], parse_started("开工准备", cfg)[0], parse_started("土地已摘牌", cfg)[1].code
    (True, False, 'status.unknown')
    >>> [parse_started(s, cfg)[0] for s in ("已开工，待验收", "续建，未竣工", "计划8月开工", "在建，预计年底竣工")]
    [True, True, False, True]
    >>> parse_started("未完工", cfg)[1].code, parse_started("已完成施工图设计", cfg)[1].code
    ('status.unknown', 'status.unknown')
    >>> june = Period.parse("2020-06")
    >>> [parse_started(s, cfg, june)[0] for s in ("7月开工", "3月开工", "2021年3月开工", "2019年9月开工")]
    [False, True, False, True]
    """
    if is_blank(raw):
        return False, Problem("status.blank")
    if isinstance(raw, bool):
        return raw, None
    yes, _ = parse_yesno(raw, cfg)
    if yes is not None:  # a 是否开复工 column: 是/否, √/×, 1/0
        return yes, None
    words = cfg.rules["status"]
    not_yet, no_state, affirmed, stopped = _status_patterns(cfg)
    key = no_state.sub("", not_yet.sub("", norm_key(raw)))
    if period is not None and any(_after(year, month, period) for year, month in _MONTH_START.findall(key)):
        return False, None  # 7月开工 in June, 2021年3月开工 in 2020: a plan
    said = list(affirmed.finditer(key))
    if said:  # 已开工: started, unless stopped after it (已开工，现停工)
        return stopped.search(key, said[-1].end()) is None, None
    started = any(w in key for w in words["started"])
    negated = any(w in key for w in words["not_started"])
    if not started and not negated:  # no word of either: not a guess without a word
        return False, Problem("status.unknown", {"value": show(raw)})
    return started and not negated, None


# a start dated by its month: 7月开工, 2021年3月份复工, 7月15日动工 (not 1-7月: a span)
_MONTH_START = re.compile(
    r"(?:(\d{4})年)?(?<![\d\-~至到])(\d{1,2})月(?:份)?(?:\d{1,2}[日号])?(?:开工|复工|动工|开复工)"
)


def _after(year: str, month: str, period: Period) -> bool:
    """Whether a start dated (year or the period's) month falls after the period."""
    return (int(year) if year else period.year, int(month)) > (period.year, period.month)


def _status_patterns(cfg: Config) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(a later stage not reached yet, a compound that is no state, a started state
    affirmed, a stop) over ``norm_key`` text; see :func:`parse_started`."""

    def build(c: Config):
        s = c.rules["status"]
        later, started = alternatives(s["later_stages"]), alternatives(s["started"])
        no = alternatives(s["not_yet"])
        plans = alternatives(s["plans"])
        # 未竣工, 待验收; 预计年底竣工, 计划10月投产 (a plan for a later stage, in one clause)
        not_yet = re.compile(
            f"(?:尚|还|仍|暂)?(?:{no})(?:全部|全面|完全)?(?:{later})|(?:{plans})[^,，;；。、]{{0,10}}?(?:{later})"
        )
        no_state = re.compile(alternatives(s["not_a_state"]))
        stops = "".join(sorted({w[0] for w in s["not_yet"]} | {w[0] for w in s["stopped"]}))
        not_started = alternatives(s["not_started"])
        affirmed = re.compile(
            f"(?:(?:{alternatives(s['affirm'])})[^,，;；。、{re.escape(stops)}]{{0,12}}?(?:{started})(?!{not_started})"
            f"|(?:{started})中)"
        )
        return not_yet, no_state, affirmed, re.compile(alternatives(s["stopped"]))

    return cached_table("status", cfg, build)
