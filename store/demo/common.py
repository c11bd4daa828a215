"""What the domain builders share: one build's random source, clock and town, and small generators."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Literal

from .. import clock
from ..models import Community, Grid, GridWorker, Household, Record
from ..storage import Store
from . import data

Scale = Literal["demo", "township"]


@dataclass(frozen=True)
class DemoSummary:
    """How many records ``build_demo`` wrote, per table."""

    communities: int
    grids: int
    workers: int
    households: int
    visit_plans: int
    visits: int
    petitions_open: int  # open cases (all live: in the day files petitions/YYYY-MM-DD.json)
    petitions_archived: int  # closed cases in petitions/archive-YYYY-MM.json
    schedules: int
    services: int
    stalls: int
    permits: int
    payments: int
    petitions_closed: int = 0  # closed or cancelled cases still live (closed < 30 days ago)
    duty: int = 0

    @property
    def petitions(self) -> int:
        return self.petitions_open + self.petitions_closed + self.petitions_archived


@dataclass
class Place:
    """A micro grid: one building unit of a community."""

    community: str
    grid: Grid
    building: str
    unit: str


@dataclass
class Town:
    """The territory the first builders make, for the domains after them."""

    communities: list[Community] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    workers: list[GridWorker] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    micro_places: list[Place] = field(default_factory=list)
    micro_by_community: dict[str, list[Place]] = field(default_factory=dict)
    grid_worker: dict[str, GridWorker] = field(default_factory=dict)  # the grid's own worker
    grid_extra: dict[str, list[GridWorker]] = field(default_factory=dict)  # liaisons and extra workers
    households_by_grid: dict[str, list[Household]] = field(default_factory=dict)


class DemoBuild:
    """One build: the scale, one random source drawn by every builder in turn, the frozen time
    of the build, the town built so far and how many records each table received.

    Every builder draws from the same ``rng`` in the order of ``DOMAIN_BUILDERS``, so a builder
    added at the end leaves every earlier one's records as they were.
    """

    def __init__(self, scale: Scale, seed: int, *, history_years: int, cases: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = clock.now()
        self.today = self.now.date()
        self.floor_now = minute(self.now)
        self.history_years = history_years
        self.cases = cases
        self.town = Town()
        self.counts = dict.fromkeys((f.name for f in fields(DemoSummary)), 0)

    def count(self, summary_field: str, n: int) -> None:
        """Add ``n`` records to a field of DemoSummary."""
        if summary_field not in self.counts:
            raise KeyError(f"{summary_field!r} is not a field of DemoSummary")
        self.counts[summary_field] += n

    def write(self, store: Store, **tables: Sequence[Record]) -> None:
        """Write each list of records in one transaction (one batch insert per file), counted
        under its keyword, a field of DemoSummary."""
        with store.transaction() as tx:
            for summary_field, records in tables.items():
                for record in records:
                    tx.put(record)
                self.count(summary_field, len(records))


# ---------------------------------------------------------------------------
# Small generators


def person_name(rng: random.Random, *, old: bool | None = None) -> str:
    if old is None:
        old = rng.random() < 0.5
    given = rng.choice(data.GIVEN_OLD if old else data.GIVEN_YOUNG)
    return rng.choice(data.SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    return f"{data.LANDLINE_AREA}-{rng.choice(data.LANDLINE_FIRST_DIGITS)}{rng.randrange(10**6):06d}"


def minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def chinese_number(n: int) -> str:
    """一 … 九十九, as in 第十二大网格."""
    digits = data.CN_NUMBERS
    if n <= 10:
        return digits[n - 1]
    if n < 20:
        return "十" + digits[n - 11]
    tens, ones = divmod(n, 10)
    return digits[tens - 1] + "十" + (digits[ones - 1] if ones else "")
