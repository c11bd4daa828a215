"""Territory: communities, their grid trees (大网格 → 支部网格 → 微网格), grid workers and households."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..models import ROLE_OF_LEVEL, Community, Grid, GridLevel, GridWorker, Household, SpecialTag, WorkerRole
from ..storage import Store
from . import data
from .common import DemoBuild, Place, chinese_number, landline, mobile, person_name


def seed_places(build: DemoBuild, store: Store) -> None:
    """The eight communities, their grids and a worker for every grid (plus liaisons)."""
    town = build.town
    for cid, name, _, share in data.COMMUNITIES:
        town.communities.append(Community(id=cid, name=name, township=data.TOWNSHIP, elderly_share_percent=share))
    for cid, _, prefix, _ in data.COMMUNITIES:
        branches, micros = _grid_shape(build, cid)
        _grid_tree(build, cid, prefix, branches, micros)
    _workers(build)
    build.write(store, communities=town.communities, grids=town.grids, workers=town.workers)


def _grid_shape(build: DemoBuild, community: str) -> tuple[Sequence[int], Sequence[int]]:
    if community == "dongcheng":
        return data.DC_BRANCHES, data.DC_MICROS
    if build.scale == "demo":
        return data.DEMO_BRANCHES, data.DEMO_MICROS
    return data.TOWNSHIP_BRANCHES, data.TOWNSHIP_MICROS_YULAN if community == "yulan" else data.TOWNSHIP_MICROS


def _grid_tree(build: DemoBuild, community: str, prefix: str, branches: Sequence[int], micros: Sequence[int]) -> None:
    assert sum(branches) == len(micros)
    town = build.town
    branch_no = 0
    micro_no = 0
    for li, n_branches in enumerate(branches, start=1):
        large = Grid(
            id=f"{prefix}-L{li}", community_id=community, level=GridLevel.LARGE, name=f"第{chinese_number(li)}大网格"
        )
        town.grids.append(large)
        for _ in range(n_branches):
            branch_no += 1
            branch = Grid(
                id=f"{prefix}-B{branch_no:02d}",
                community_id=community,
                level=GridLevel.BRANCH,
                name=f"{branch_no}号楼支部网格",
                parent_id=large.id,
            )
            town.grids.append(branch)
            for unit in range(1, micros[branch_no - 1] + 1):
                micro_no += 1
                micro = Grid(
                    id=f"{prefix}-M{micro_no:02d}",
                    community_id=community,
                    level=GridLevel.MICRO,
                    name=f"{branch_no}号楼{unit}单元微网格",
                    parent_id=branch.id,
                )
                town.grids.append(micro)
                place = Place(community, micro, str(branch_no), str(unit))
                town.micro_places.append(place)
                town.micro_by_community.setdefault(community, []).append(place)


def _workers(build: DemoBuild) -> None:
    town = build.town
    rng = build.rng
    extra: list[tuple[Grid, WorkerRole]]
    if build.scale == "demo":
        # 民情联络员: retired party members, one in each of 东城花园's large grids, one in 世纪景苑.
        extra = [
            (g, WorkerRole.LIAISON)
            for g in town.grids
            if g.level is GridLevel.LARGE and (g.community_id == "dongcheng" or g.id in data.DEMO_LIAISON_GRIDS)
        ]
        target = len(town.grids) + len(extra)
    else:
        target = data.TOWNSHIP_WORKERS
        liaisons = [g for g in town.grids if g.level is not GridLevel.MICRO]
        extra = [(g, WorkerRole.LIAISON) for g in liaisons[: data.TOWNSHIP_LIAISONS]]
        micro_and_branch = [g for g in town.grids if g.level is not GridLevel.LARGE]
        while len(town.grids) + len(extra) < target:
            g = rng.choice(micro_and_branch)
            extra.append((g, ROLE_OF_LEVEL[g.level]))
    width = 3 if target < 1000 else 4
    taken: set[str] = set()

    def unique_name(old: bool) -> str:
        for _ in range(50):
            name = person_name(rng, old=old)
            if name not in taken:
                break
        taken.add(name)
        return name

    number = 0
    for grid in town.grids:
        number += 1
        worker = GridWorker(
            id=f"w-{number:0{width}d}",
            name=unique_name(grid.level is GridLevel.MICRO),
            role=ROLE_OF_LEVEL[grid.level],
            phone=mobile(rng),
            grid_id=grid.id,
        )
        town.workers.append(worker)
        town.grid_worker[grid.id] = worker
    for grid, role in extra:
        number += 1
        worker = GridWorker(
            id=f"w-{number:0{width}d}",
            name=unique_name(role is WorkerRole.LIAISON),
            role=role,
            phone=mobile(rng),
            grid_id=grid.id,
        )
        town.workers.append(worker)
        town.grid_extra.setdefault(grid.id, []).append(worker)


def _household_counts(build: DemoBuild) -> list[int]:
    places = build.town.micro_places
    if build.scale == "demo":
        return [
            build.rng.randint(9, 11) if p.community == "dongcheng" else data.DEMO_HOUSEHOLDS_PER_MICRO for p in places
        ]
    base, extra = divmod(data.TOWNSHIP_HOUSEHOLDS, len(places))
    return [base + (1 if i < extra else 0) for i in range(len(places))]


def _special_tags(build: DemoBuild, total: int, elderly: list[int]) -> dict[int, list[SpecialTag]]:
    """Exact shares per community: living alone, childless and limited mobility among the elderly."""
    rng = build.rng
    share = data.TAG_SHARE
    tags: dict[int, list[SpecialTag]] = {}
    alone = rng.sample(elderly, min(len(elderly), round(total * share[SpecialTag.LIVING_ALONE])))
    for i in alone:
        tags.setdefault(i, []).append(SpecialTag.LIVING_ALONE)
    for i in rng.sample(sorted(alone), min(len(alone), round(total * share[SpecialTag.CHILDLESS_ELDERLY]))):
        tags[i].append(SpecialTag.CHILDLESS_ELDERLY)
    for i in rng.sample(range(total), round(total * share[SpecialTag.DISABLED])):
        tags.setdefault(i, []).append(SpecialTag.DISABLED)
    for i in rng.sample(elderly, min(len(elderly), round(total * share[SpecialTag.LIMITED_MOBILITY]))):
        tags.setdefault(i, []).append(SpecialTag.LIMITED_MOBILITY)
    return tags


def seed_households(build: DemoBuild, store: Store) -> None:
    """Households in every micro grid: 62% elderly in 东城花园, with the special tags of the report."""
    rng = build.rng
    town = build.town
    counts = _household_counts(build)
    number = 0
    for community, _, _, elderly_percent in data.COMMUNITIES:
        places = [(p, n) for p, n in zip(town.micro_places, counts, strict=True) if p.community == community]
        total = sum(n for _, n in places)
        share = elderly_percent / 100 if elderly_percent is not None else data.ASSUMED_ELDERLY
        elderly = set(rng.sample(range(total), round(total * share)))
        tags = _special_tags(build, total, sorted(elderly))
        index = 0
        for place, count in places:
            per_floor = 2 if count <= 12 else 4 if count <= 100 else 6
            floors = math.ceil(count * 1.15 / per_floor)
            rooms = sorted(rng.sample(range(floors * per_floor), count))
            grid_households = town.households_by_grid.setdefault(place.grid.id, [])
            for slot in rooms:
                number += 1
                old = index in elderly
                own_tags = tags.get(index, [])
                index += 1
                if SpecialTag.LIVING_ALONE in own_tags:
                    members = 1
                elif old:
                    members = rng.choice((1, 2, 2, 2, 3))
                else:
                    members = rng.choice((1, 2, 3, 3, 3, 4, 4, 5))
                r = rng.random()
                phone = mobile(rng) if r < 0.85 else landline(rng) if r < 0.95 else None
                household = Household(
                    id=f"h-{number:05d}",
                    grid_id=place.grid.id,
                    building=place.building,
                    unit=place.unit,
                    room=f"{slot // per_floor + 1}{slot % per_floor + 1:02d}",
                    head_name=person_name(rng, old=old),
                    phone=phone,
                    tags=own_tags,
                    members=members,
                    elderly=old,
                )
                town.households.append(household)
                grid_households.append(household)
    build.write(store, households=town.households)
