"""环比 like for like, against the figures as issued (SPEC §13).

The opening paragraph compares the year-to-date figures with last month's. Last
month's figures are those of its latest issue (``issued/<n>/indicators.csv``, carried
into the run's ``issued_reference.json``) when it was issued, else as computed
(history.csv), and the sentence says which. A county missing in either month (its
signings or activities not submitted, or unreadable: its figure empty) is left out of
both sides, and the sentence names it. A year-to-date figure cannot fall by itself: when
it does (a county revised its ledger down), the sentence names the counties whose
figures fell.
"""

from __future__ import annotations

from decimal import Decimal

from bulletin.contract import Period
from bulletin.report import format as fmt
from bulletin.report.edition import Edition
from bulletin.report.labels import join, label, sentence
from bulletin.report.revision import issued_values, reference

# indicator → the key of its words in the wording files (trend.<key>, trend.<key>_same)
TREND_KEYS = {
    "signed_projects": "signed_projects",
    "signed_amount": "signed_amount",
    "signed_amount_completion": "completion",
    "activities": "activities",
}
MOM = (
    ("signed_projects", "count"),
    ("signed_amount", "money"),
    ("signed_amount_completion", "pct"),
    ("activities", "count"),
)
SUMMED = ("signed_projects", "signed_amount", "activities", "signed_amount_target")
NEEDED = ("signed_amount", "activities")  # a county without these in a month is left out


class Months:
    """This month's and last month's figures of the edition, like for like."""

    def __init__(self, ed: Edition):
        self.ed, data = ed, ed.data
        self.prev = Period.parse(data.period).previous
        ref = reference(data)
        issue = ref.get("previous") if ref.get("previous_period") == self.prev else None
        self.issued = bool(issue)
        self._old = issued_values(issue) if issue else None
        self.available = self.issued or (self.prev is not None and self.prev in data.history)
        regions = [ed.region] if ed.region else data.regions
        self.left_out = [r for r in regions if not self.complete(r)]
        self.kept = [r for r in regions if r not in self.left_out]

    def now(self, region: str, indicator: str):
        return self.ed.value(region, indicator)

    def before(self, region: str, indicator: str):
        if self._old is None:
            return self.ed.value(region, indicator, self.prev)
        value = self._old.get((region, indicator), "")
        return None if value == "" else value

    def complete(self, region: str) -> bool:
        return all(self.now(region, i) is not None and self.before(region, i) is not None for i in NEEDED)

    def figure(self, which, indicator: str):
        """The subject's figure of one month: the edition's own row when nothing is left
        out, else the sum (a completion: Σ amount / Σ target) over the counties kept."""
        if self.ed.region or not self.left_out:
            return which(self.ed.subject, indicator)
        if indicator == "signed_amount_completion":
            amount, target = self.figure(which, "signed_amount"), self.figure(which, "signed_amount_target")
            return None if amount is None or not target else amount / target
        values = [fmt.to_decimal(which(r, indicator)) for r in self.kept]
        return None if any(v is None for v in values) else sum(values, Decimal(0))

    def fell(self, indicator: str, kind: str) -> list[str]:
        """The counties kept whose figure (as shown) is lower than last month's."""
        out = []
        for r in self.kept:
            diff = fmt.change(kind, self.now(r, indicator), self.before(r, indicator), self.ed.lang)
            if diff is not None and diff < 0:
                out.append(r)
        return out


def clause(months: Months, indicator: str, kind: str) -> str:
    """One change of the subject's ``indicator`` against last month, like for like; a
    fall names the counties whose figures fell; '' when either figure is missing."""
    ed, lang = months.ed, months.ed.lang
    now, before = months.figure(months.now, indicator), months.figure(months.before, indicator)
    diff = fmt.change(kind, now, before, lang)
    if diff is None:
        return ""
    key = TREND_KEYS[indicator]
    if diff == 0:
        return label(f"trend.{key}_same", lang)
    verb = label(("trend.pp_" if kind == "pct" else "trend.") + ("up" if diff > 0 else "down"), lang)
    if kind == "money":
        text = label(f"trend.{key}", lang, verb=verb, amount=fmt.plain(diff, fmt.MONEY_PLACES[lang]))
    elif kind == "pct":
        text = label(f"trend.{key}", lang, verb=verb, points=fmt.plain(diff, 1))
    else:
        text = label(f"trend.{key}", lang, verb=verb, n=fmt.plain(diff, 0))
    if diff < 0:
        fell = months.fell(indicator, kind)
        if fell:
            text += label("trend.fell_because", lang, regions=join([ed.name(r) for r in fell], lang))
    return text


def month_on_month(ed: Edition) -> str:
    """The 环比 sentence ('' when last month is neither issued nor in history.csv, or
    the county of a county edition is missing in either month)."""
    months = Months(ed)
    if not months.available or not months.kept:
        return ""
    lang = ed.lang
    clauses = [c for c in (clause(months, i, k) for i, k in MOM) if c]
    if not clauses:
        return ""
    prev = fmt.period_span(months.prev, lang, title=True)
    head = label("trend.mom_issued" if months.issued else "trend.mom_computed", lang, prev=prev)
    if months.left_out and not ed.region:
        head += label("trend.mom_scope", lang, regions=join([ed.name(r) for r in months.left_out], lang))
    return sentence([head + label("p.comma", lang) + clauses[0], *clauses[1:]], lang)
