"""The sample city's clean records (the ground truth the workbooks are written from):
signings, activities, the year's key projects with their state at the end of May and
of June, and the annual targets. ``random.Random(2020)``, a fixed call order, no hash
order, no clock: the same records every time."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from bulletin.sample.plan import (
    ACTIVITY_PLAN,
    BRANDS,
    CHAINS,
    COMPANY_SUFFIX,
    FUNDS_HEADERS,
    FUNDS_SHARES,
    IN_PROVINCE,
    INVESTMENT_RATE,
    LEADERS,
    NOT_STARTED_STATUSES,
    OFFLINE_KINDS,
    OFFLINE_MODES,
    ONLINE_KINDS,
    ONLINE_MODES,
    OUT_ORIGINS,
    PERIOD_END,
    PERIODS,
    PLANNED_RANGE,
    PROBLEMS,
    PRODUCTS,
    PROGRESS_STARTED,
    PROGRESS_WAITING,
    PROJECT_PLAN,
    REGIONS,
    SIGNING_PLAN,
    STARTED_STATUSES,
    TARGETS,
    TIERS,
    TRAVEL_PLACES,
    YI_PROJECT_REGIONS,
)


@dataclass
class Signing:
    region: str
    project: str
    investor: str
    origin: str
    out_of_province: bool
    chain: str | None
    signed_on: date | None
    amount: int  # 万元
    mode: str
    online: bool
    date_text: str | None = None  # written instead of the date (the bad row)
    bad: bool = False
    funds: int | None = None  # 到位资金 (万元), in the counties of FUNDS_HEADERS

    @property
    def visible_from(self) -> date:
        return self.signed_on or date(2020, 6, 15)


@dataclass
class Activity:
    region: str
    held_on: date
    kind: str
    leader: str
    place: str
    companies: str
    leads: int | None
    online: bool


@dataclass
class ProjectState:
    started: bool
    status: str  # "" = blank cell
    completed: int  # 万元
    in_statistics: bool | None
    progress: str


@dataclass
class Project:
    region: str
    tier: str
    name: str
    chain: str | None
    total_investment: int
    planned: int
    lead: str
    problems: str
    started_on: date | None  # None: not started by 30 June
    states: dict = field(default_factory=dict)  # period -> ProjectState
    bad: bool = False


@dataclass
class Records:
    signings: list
    activities: list
    projects: list
    targets: dict  # region -> (amount target 万元, projects target)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _split(total: int, n: int, rng: random.Random, step: int, minimum: int) -> list[int]:
    """Split ``total`` into ``n`` random positive parts, each a multiple of ``step``."""
    units, min_units = total // step, minimum // step
    assert units * step == total and units >= n * min_units
    weights = [rng.uniform(0.3, 1.7) for _ in range(n)]
    free = units - n * min_units
    parts = [min_units + int(free * w / sum(weights)) for w in weights]
    order = sorted(range(n), key=lambda i: -weights[i])
    for k in range(units - sum(parts)):
        parts[order[k % n]] += 1
    return [p * step for p in parts]


class _Namer:
    """Unique project and company names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def project(self, chain: str | None) -> str:
        while True:
            name = f"{self.rng.choice(BRANDS)}{self.rng.choice(PRODUCTS[chain])}项目"
            if name not in self.used:
                self.used.add(name)
                return name

    def company(self) -> str:
        return f"{self.rng.choice(BRANDS)}{self.rng.choice(COMPANY_SUFFIX)}"

    def companies(self, k: int) -> str:
        return "、".join(sorted({self.company() for _ in range(k)}))


def _chain_pick(rng: random.Random, with_none: bool = False) -> str | None:
    keys = list(CHAINS) + ([None] if with_none else [])
    return rng.choice(keys)


def _chain_text(rng: random.Random, chain: str | None) -> str | None:
    return None if chain is None else rng.choice(CHAINS[chain])


def _in_province_signing(rng: random.Random, namer: _Namer, region: str) -> Signing:
    """A region's one signing with an investor from the home province (not counted)."""
    chain = _chain_pick(rng)
    online = region == "岭东区"
    return Signing(
        region=region,
        project=namer.project(chain),
        investor=namer.company(),
        origin=IN_PROVINCE[region],
        out_of_province=False,
        chain=_chain_text(rng, chain),
        signed_on=_rand_date(rng, date(2020, 3, 1), date(2020, 6, 20)),
        amount=rng.randrange(2000, 20000, 100),
        mode="视频签约" if online else "现场签约",
        online=online,
    )


def _build_signings(rng: random.Random, namer: _Namer) -> list[Signing]:
    out: list[Signing] = []
    for region in REGIONS:
        n, n_on, total, on_total = SIGNING_PLAN[region]
        rows: list[Signing] = []
        amounts = [(a, True) for a in _split(on_total, n_on, rng, 100, 1000)]
        amounts += [(a, False) for a in _split(total - on_total, n - n_on, rng, 100, 1000)]
        for amount, online in amounts:
            chain = _chain_pick(rng)
            if online:
                when = _rand_date(rng, date(2020, 2, 15), date(2020, 5, 20))
            elif rng.random() < 0.25:
                when = _rand_date(rng, date(2020, 1, 6), date(2020, 1, 20))
            else:
                when = _rand_date(rng, date(2020, 4, 15), date(2020, 6, 29))
            rows.append(
                Signing(
                    region=region,
                    project=namer.project(chain),
                    investor=namer.company(),
                    origin=rng.choice(OUT_ORIGINS),
                    out_of_province=True,
                    chain=_chain_text(rng, chain),
                    signed_on=when,
                    amount=amount,
                    mode=rng.choice(ONLINE_MODES if online else OFFLINE_MODES),
                    online=online,
                )
            )
        if region in IN_PROVINCE:
            rows.append(_in_province_signing(rng, namer, region))
        out.extend(rows)
    _pin_signing_dates(out)
    # the bad row (四方台区) and the signing after the period (宝清县)
    out.append(
        Signing(
            region="四方台区",
            project=namer.project("石墨及新材料"),
            investor=namer.company(),
            origin="广东省深圳市",
            out_of_province=True,
            chain="石墨新材料",
            signed_on=None,
            amount=6800,
            mode="现场签约",
            online=False,
            date_text="六月中旬",
            bad=True,
        )
    )
    out.append(
        Signing(
            region="宝清县",
            project=namer.project("现代煤电化"),
            investor=namer.company(),
            origin="北京",
            out_of_province=True,
            chain="煤电化",
            signed_on=date(2020, 7, 2),
            amount=8000,
            mode="现场签约",
            online=False,
        )
    )
    out.sort(key=lambda s: (REGIONS.index(s.region), s.visible_from, s.project))
    return out


def _fill_funds(signings: list[Signing]) -> None:
    """到位资金 of the signings of FUNDS_HEADERS' counties: a share of the amount, taken
    in turn (no draw from the main generator, so every other record stays as it was);
    饶河县 leaves its second signing blank (a partly filled column)."""
    k = 0
    for s in signings:
        if s.region in FUNDS_HEADERS and not s.bad:
            s.funds = int(round(s.amount * FUNDS_SHARES[k % len(FUNDS_SHARES)] / 100) * 100)
            k += 1
    [s for s in signings if s.region == "饶河县"][1].funds = None


def _pin_signing_dates(signings: list[Signing]) -> None:
    """Put a few signings on the period boundaries."""

    def last_offline(region: str) -> Signing:
        return [s for s in signings if s.region == region and not s.online and s.out_of_province][-1]

    last_offline("宝清县").signed_on = date(2020, 6, 30)
    last_offline("岭东区").signed_on = date(2020, 5, 31)
    last_offline("集贤县").signed_on = date(2020, 6, 30)


def _build_activities(rng: random.Random, namer: _Namer) -> list[Activity]:
    out: list[Activity] = []
    for region in REGIONS:
        n, n_on, on_leads = ACTIVITY_PLAN[region]
        leads_on = _split(on_leads, n_on, rng, 1, 1)
        rows = []
        for i in range(n):
            online = i < n_on
            if online:
                when = _rand_date(rng, date(2020, 2, 10), date(2020, 4, 30))
                place, leads = "线上", leads_on[i]
            else:
                if rng.random() < 0.25:
                    when = _rand_date(rng, date(2020, 1, 6), date(2020, 1, 20))
                else:
                    when = _rand_date(rng, date(2020, 4, 20), date(2020, 6, 29))
                place, leads = rng.choice(TRAVEL_PLACES), rng.randint(0, 4)
            rows.append(
                Activity(
                    region=region,
                    held_on=when,
                    kind=rng.choice(ONLINE_KINDS if online else OFFLINE_KINDS),
                    leader=rng.choice(LEADERS[region[-1]]),
                    place=place,
                    companies=namer.companies(rng.randint(1, 3)),
                    leads=leads,
                    online=online,
                )
            )
        rows.sort(key=lambda a: a.held_on)
        out.extend(rows)
    # boundaries and a blank leads cell
    [a for a in out if a.region == "集贤县" and not a.online][-1].held_on = date(2020, 6, 30)
    [a for a in out if a.region == "友谊县" and not a.online][0].leads = None
    out.sort(key=lambda a: (REGIONS.index(a.region), a.held_on))
    return out


def _step(region: str, fine: int) -> int:
    return 100 if region in YI_PROJECT_REGIONS else fine


def _round_to(value: float, step: int) -> int:
    return int(round(value / step)) * step


def _build_projects(rng: random.Random, namer: _Namer) -> list[Project]:
    out: list[Project] = []
    for region in REGIONS:
        for tier in TIERS:
            n, n_started = PROJECT_PLAN[region][tier]
            low, high = PLANNED_RANGE[tier]
            for i in range(n):
                chain = _chain_pick(rng, with_none=tier != "industrial")
                planned = _round_to(rng.uniform(low, high), _step(region, 10))
                started_on = None
                if i < n_started:
                    started_on = (
                        _rand_date(rng, date(2020, 3, 15), date(2020, 5, 31))
                        if rng.random() < 0.7
                        else _rand_date(rng, date(2020, 6, 1), date(2020, 6, 28))
                    )
                out.append(
                    Project(
                        region=region,
                        tier=tier,
                        name=namer.project(chain),
                        chain=_chain_text(rng, chain),
                        total_investment=_round_to(planned * rng.uniform(1.2, 4.0), 100),
                        planned=planned,
                        lead=rng.choice(LEADERS[region[-1]]),
                        problems=rng.choice(PROBLEMS),
                        started_on=started_on,
                    )
                )
    for tier in TIERS:
        _set_completed(rng, [p for p in out if p.tier == tier], INVESTMENT_RATE[tier])
    for p in out:
        _set_states(rng, p)
    _pin_project_quirks(out)
    bad = Project(
        region="尖山区",
        tier="provincial_key",
        name=namer.project("现代煤电化"),
        chain="煤电化",
        total_investment=50000,
        planned=-3000,
        lead="李区长",
        problems="无",
        started_on=None,
        bad=True,
    )
    bad.states = {p: ProjectState(False, "前期手续办理中", 0, None, "办理前期手续") for p in PERIODS}
    out.append(bad)
    return out


def _set_completed(rng: random.Random, projects: list[Project], rate: float) -> None:
    """Give started projects completed investments summing to rate × planned."""
    goal = round(rate * sum(p.planned for p in projects))
    started = [p for p in projects if p.started_on]
    weights = [p.planned * rng.uniform(0.6, 1.4) for p in started]
    done = [_round_to(goal * w / sum(weights), _step(p.region, 1)) for p, w in zip(started, weights)]
    fixable = max((i for i, p in enumerate(started) if p.region not in YI_PROJECT_REGIONS), key=lambda i: done[i])
    done[fixable] += goal - sum(done)
    for p, value in zip(started, done):
        assert 0 < value <= p.planned
        p.states["2020-06"] = ProjectState(True, "", value, None, "")


def _set_states(rng: random.Random, p: Project) -> None:
    """The project's status, completed investment and 入统 at the end of May and June."""
    june = p.states.get("2020-06")
    if june is None:  # not started by 30 June
        status = rng.choice(NOT_STARTED_STATUSES)
        in_stats = rng.choice([False, None])
        state = ProjectState(False, status, 0, in_stats, rng.choice(PROGRESS_WAITING))
        p.states = {"2020-05": state, "2020-06": state}
        return
    june.status = rng.choice(STARTED_STATUSES)
    june.in_statistics = rng.random() < 0.82
    june.progress = rng.choice(PROGRESS_STARTED)
    if p.started_on <= PERIOD_END["2020-05"]:
        may = ProjectState(
            True,
            june.status,
            _round_to(june.completed * rng.uniform(0.55, 0.85), _step(p.region, 1)),
            june.in_statistics and p.started_on <= date(2020, 5, 10),
            rng.choice(PROGRESS_STARTED),
        )
    else:
        may = ProjectState(
            False,
            rng.choice(["拟开工", "前期手续办理中", "未开工"]),
            0,
            rng.choice([False, None]),
            rng.choice(PROGRESS_WAITING),
        )
    p.states["2020-05"] = may


def _pin_project_quirks(projects: list[Project]) -> None:
    """Make sure every tier has a started project outside statistics; one blank status."""
    for tier in TIERS:
        started = [p for p in projects if p.tier == tier and p.started_on]
        if all(p.states["2020-06"].in_statistics for p in started):
            started[len(started) // 2].states["2020-06"].in_statistics = False
            started[len(started) // 2].states["2020-05"].in_statistics = False
    waiting = [p for p in projects if p.region == "友谊县" and not p.started_on]
    june = waiting[0].states["2020-06"]
    waiting[0].states["2020-06"] = ProjectState(False, "", 0, None, june.progress)
    waiting[0].states["2020-05"] = ProjectState(False, "前期手续办理中", 0, None, june.progress)


@lru_cache(maxsize=1)
def build_records() -> Records:
    rng = random.Random(2020)
    namer = _Namer(rng)
    signings = _build_signings(rng, namer)
    _fill_funds(signings)
    activities = _build_activities(rng, namer)
    projects = _build_projects(rng, namer)
    targets = {r: (TARGETS[r][0] * 10000, TARGETS[r][1]) for r in REGIONS}
    return Records(signings, activities, projects, targets)
