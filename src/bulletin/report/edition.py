"""An edition of the bulletin: the data read once, in one language, about the city or
one county.

``Edition(data, "zh")`` is the city's bulletin; ``Edition(data, "zh", "宝清县")`` the
county's. The county is a parameter here and nowhere else: the shared sentences,
tables and charts speak about :attr:`Edition.subject` (全市 or the county) and never
ask which it is; what only a county edition says lives in :mod:`bulletin.report.county`,
and :func:`bulletin.report.build.document` decides, once, which parts an edition has.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bulletin.contract import CITY, UNKNOWN_REGION
from bulletin.report import format as fmt
from bulletin.report.labels import DEFAULT_LANG, Wording, check_lang, place, wording
from bulletin.report.load import Data


def region_key(value) -> str:
    """A record's region as the bulletin groups it: blank → 未识别县区."""
    text = "" if fmt.is_missing(value) else str(value).strip()
    return text or UNKNOWN_REGION


@dataclass(frozen=True)
class Edition:
    data: Data
    lang: str = DEFAULT_LANG
    region: str = ""  # a county's edition ('' : the city's)

    def __post_init__(self):
        check_lang(self.lang)
        if not isinstance(self.lang, Wording):  # a bare code: the wording of the data's configuration
            object.__setattr__(self, "lang", wording(str(self.lang), self.data.config))

    @property
    def subject(self) -> str:
        """The row the edition is about: the county of a county edition, else 全市."""
        return self.region or CITY

    def name(self, region) -> str:
        """A region (or 全市) as the edition names it."""
        return place(region, self.lang)

    def value(self, region: str, indicator: str, period: str | None = None):
        return self.data.value(region, indicator, period)

    def num(self, region: str, indicator: str, period: str | None = None) -> float | None:
        return self.data.num(region, indicator, period)

    def own(self, df: pd.DataFrame | None) -> pd.DataFrame | None:
        """The rows of a record table (accounting, quality, …) the edition is about:
        the county's rows in a county edition, the whole table in the city's."""
        if df is None or not self.region:
            return df
        if "region" not in df.columns:
            return df.iloc[0:0]
        return df[df["region"].map(region_key) == self.region]
