"""A store of closed cases written straight to yearly archives (no demo builder): for measuring
`check` on a history far larger than the demo's. Used by tests/test_check.py and bench/check_memory.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import orjson

from store import storage
from store.models import Petition, PetitionEvent, PetitionStatus


def closed_case(closed: datetime, description_repeats: int) -> dict[str, object]:
    """One closed hotline case with an eight-event history, as JSON (the id is set per copy)."""
    return Petition(
        id="X",
        title="小区路灯损坏多日无人维修",
        description="居民反映小区东门路灯损坏，夜间出行不便。" * description_repeats,
        channel="hotline",
        category="infrastructure",
        community_id="dongcheng",
        status=PetitionStatus.CLOSED,
        created_at=closed - timedelta(days=3),
        due_at=closed,
        closed_at=closed,
        reporter_name="李小明",
        reporter_phone="13812341234",
        assignee="综合执法队",
        history=[
            PetitionEvent(
                at=closed - timedelta(days=3, hours=-i),
                actor="duty-officer",
                action="accept",
                note="已联系物业公司处理",
            )
            for i in range(8)
        ],
    ).model_dump(mode="json")


def write_archives(
    folder: Path, cases_per_year: dict[int, int], *, description_repeats: int = 4, log: bool = False
) -> int:
    """``folder`` becomes a store holding only ``petitions/archive-<year>.json`` files with that many
    closed cases each, and its manifest. Returns the bytes written."""
    (folder / "petitions").mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    total = 0
    for year, cases in cases_per_year.items():
        template = closed_case(datetime.fromisoformat(f"{year}-06-15T10:00:00+08:00"), description_repeats)
        records = {str(i + 1): {**template, "id": f"MK{year % 100:02d}0101-{i:06d}"} for i in range(cases)}
        meta = {"1": {"schema": storage.SCHEMA_VERSION, "generation": 1, "table": "petitions"}}
        payload = orjson.dumps({"records": records, "_meta": meta})
        (folder / "petitions" / f"archive-{year}.json").write_bytes(payload)
        files[f"petitions/archive-{year}.json"] = 1
        total += len(payload)
        del records, payload
        if log:
            print(f"  archive-{year}: {cases} cases", flush=True)
    (folder / "manifest.json").write_bytes(
        orjson.dumps({"schema": storage.SCHEMA_VERSION, "generation": 1, "files": files})
    )
    return total
