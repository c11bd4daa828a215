"""Demo and benchmark data for 孟轲乡 (华龙区): communities, grids, households, visits, cases,
一老一小 services and market stalls.

The facts are tables in ``data``; each domain has one builder module that turns them into
records and writes them through the Store API, a transaction or a few each, stamped with the
store's actor:

    territory   communities, grids, workers (``seed_places``) and households (``seed_households``)
    duty        today's duty roster; the duty room's week: shifts, the log, an incident
    fieldwork   visit plans and visits (民情日志)
    casework    petitions, the archive included
    services    一老一小 schedules and today's sessions
    market      stalls, permits and fee payments

Everything is drawn from one ``random.Random(seed)`` and dated relative to ``clock.now()``, so
a frozen clock (``clock.freeze``) and a seed give the same store every time.

Extension point: ``DOMAIN_BUILDERS`` lists the builders in the order they run; each is called
as ``builder(build, store)`` with the ``DemoBuild`` (scale, ``rng``, ``now``/``today``, the
``town`` built so far). A new domain is one more entry at the end — entries before it then
draw the same random numbers and write the same records. A builder that takes a store or
transaction and a date fits in with a two-line adapter, e.g.::

    def _duty_log(build: DemoBuild, store: Store) -> None:
        seed_duty_room(store, build.today)

To report its count, add a field (default 0) to ``DemoSummary`` and call ``build.count``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import StoreHoldsDataError
from ..models import ALL_MODELS
from ..storage import Store
from ..text import MAX_HISTORY_YEARS
from . import casework, duty, fieldwork, market, services, territory
from .common import DemoBuild, DemoSummary, Scale
from .data import COMMUNITIES, DEFAULT_SEED, PATHS, TOWNSHIP, TOWNSHIP_CASES, TOWNSHIP_HISTORY_YEARS

__all__ = [
    "COMMUNITIES",
    "DEFAULT_SEED",
    "DOMAIN_BUILDERS",
    "MAX_HISTORY_YEARS",
    "PATHS",
    "TOWNSHIP",
    "DemoBuild",
    "DemoSummary",
    "DomainBuilder",
    "build_demo",
]

DomainBuilder = Callable[[DemoBuild, Store], None]

# The order is the order of random draws: append, don't insert, or every later domain changes.
# Households come after the duty roster only because the first version drew them in that order.
DOMAIN_BUILDERS: tuple[DomainBuilder, ...] = (
    territory.seed_places,
    duty.seed_duty_roster,
    territory.seed_households,
    fieldwork.seed_visits,
    casework.seed_petitions,
    services.seed_services,
    market.seed_market,
    duty.seed_duty_log,
)


def build_demo(
    store: Store,
    *,
    scale: Scale = "demo",
    seed: int = DEFAULT_SEED,
    replace: bool = False,
    history_years: int | None = None,
    cases: int | None = None,
) -> DemoSummary:
    """Fill an empty store with 孟轲乡's demo data and return how many records were written.

    ``scale="demo"`` is the small, hand-shaped data set of the README (well under a second);
    ``scale="township"`` is a benchmark: 381 grids, 984 workers, 40,000 households, 20,000 cases
    over three years and ~1,500 visits a day for 30 days (well under a minute).

    ``history_years`` and ``cases`` (township only) lengthen the case history: ``cases``
    defaults to the 1× rate (20,000 per three years) over ``history_years`` (default 3), so
    ``history_years=30`` is the 10× history store of 200,000 cases, with as many open cases as
    the 1× store; ``cases`` alone packs more cases into the same years.

    Raises ValueError for a bad argument, StoreHoldsDataError if the store already holds data, unless
    ``replace=True``, which has the store delete its own files first (a folder that does not
    look like a store is refused with a StoreError).
    """
    if scale not in ("demo", "township"):
        raise ValueError(f"unknown scale {scale!r}: use 'demo' or 'township'")
    if scale == "demo" and (history_years is not None or cases is not None):
        raise ValueError("history_years and cases apply to scale='township' only")
    years = TOWNSHIP_HISTORY_YEARS if history_years is None else history_years
    if not 1 <= years <= MAX_HISTORY_YEARS:
        raise ValueError(f"history_years must be between 1 and {MAX_HISTORY_YEARS}, not {years}")
    if cases is None:
        cases = round(TOWNSHIP_CASES * years / TOWNSHIP_HISTORY_YEARS)
    if cases < 1:
        raise ValueError(f"cases must be at least 1, not {cases}")

    if replace:
        store.clear()
    else:
        existing = _store_files(store)
        if existing:
            raise StoreHoldsDataError(store.root, existing)

    build = DemoBuild(scale, seed, history_years=years, cases=cases)
    for builder in DOMAIN_BUILDERS:
        builder(build, store)
    return DemoSummary(**build.counts)


def _store_files(store: Store) -> list[str]:
    """The store's data files that exist (manifest excluded)."""
    found = []
    for model in ALL_MODELS:
        if store.path_for(model).exists():
            found.append(store.relative(store.path_for(model)))
        found.extend(f"{model.table}/{p}.json" for p in store.partitions(model))
    return found
