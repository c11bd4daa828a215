"""The new write paths under several processes: a payment, a check-in or a visit is never lost
or doubled when two desks press the key at the same moment.

Each worker is a fresh interpreter (as in test_multiprocess) that retries nothing: it makes its one
call and prints what the store answered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from store.models import (
    Community,
    Grid,
    GridWorker,
    Household,
    ServiceSchedule,
    ServiceSession,
    SessionState,
    Stall,
    StallPayment,
    StallPermit,
    Visit,
)
from store.storage import Store

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
WORKERS = 6


def build(root: Path) -> Store:
    store = Store(root, actor="setup")
    with store.transaction() as tx:
        tx.put(Community(id="c1", name="玉兰社区", township="孟轲乡"))
        tx.put(Grid(id="g1", community_id="c1", level="large", name="第一大网格"))
        tx.put(GridWorker(id="w1", name="王秀兰", role="grid_worker", phone="13912345678", grid_id="g1"))
        for i in range(WORKERS):
            tx.put(Household(id=f"h{i}", grid_id="g1", building="1", unit="1", room=f"{i + 1:02d}", head_name="张三"))
        tx.put(
            Stall(id="st1", market="玉兰商业街", community_id="c1", number=1, holder_name="赵六", monthly_fee_fen=15000)
        )
        tx.put(StallPermit(id="pm1", stall_id="st1", holder_name="赵六", status="valid", applied_on=date(2026, 1, 5)))
        tx.put(
            ServiceSchedule(
                id="sc1",
                kind="meal_delivery",
                title="入户送餐",
                community_id="c1",
                place="日间照料中心",
                start=time(9),
                end=time(11),
                recurrence="daily",
            )
        )
    return store


def worker_main(root: str, what: str, arg: str) -> None:
    """Run in a child process: one call, then print 'ok' or the refusal key."""
    from store.deadlines import DeadlineRules
    from store.market import record_payment
    from store.refusal import Refused
    from store.schedule import SessionRef, check_in
    from store.visiting import record_visit

    store = Store(root, actor=f"desk-{os.getpid()}")
    try:
        if what == "pay":
            record_payment(store, "st1", "2026-11", 15000, "王会计")
        elif what == "check_in":
            check_in(store, SessionRef(date(2026, 11, 28), "sc1.20261128"), DeadlineRules())
        elif what == "visit":
            record_visit(store, arg, "w1", "入户走访，一切正常")
    except Refused as exc:
        print(exc.key)
        return
    print("ok")


def race(root: Path, what: str, args: list[str]) -> list[str]:
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import test_fieldwork_concurrency as m; "
        "from store import clock; clock.freeze('2026-11-28T09:05:00+08:00'); m.worker_main(*sys.argv[1:])"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(root), what, arg], stdout=subprocess.PIPE, text=True)
        for arg in args
    ]
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        outputs.append(out.strip())
    return outputs


def test_the_same_month_paid_at_once_by_several_desks_is_recorded_once(tmp_path: Path, frozen_clock: str) -> None:
    store = build(tmp_path / "s")
    answers = race(store.root, "pay", ["-"] * WORKERS)
    assert sorted(answers) == ["ok"] + ["pay_too_much"] * (WORKERS - 1)
    [payment] = store.all(StallPayment, "2026")
    assert payment.amount_fen == 15000


def test_one_check_in_wins_the_others_are_refused(tmp_path: Path, frozen_clock: str) -> None:
    store = build(tmp_path / "s")
    answers = race(store.root, "check_in", ["-"] * WORKERS)
    assert sorted(answers) == ["ok"] + ["session_not_scheduled"] * (WORKERS - 1)
    [session] = store.all(ServiceSession, "2026-11-28")
    assert session.state is SessionState.CHECKED_IN and session.updated_by.startswith("desk-")


def test_visits_logged_at_once_for_different_households_are_all_kept(tmp_path: Path, frozen_clock: str) -> None:
    store = build(tmp_path / "s")
    answers = race(store.root, "visit", [f"h{i}" for i in range(WORKERS)])
    assert answers == ["ok"] * WORKERS
    assert sorted(v.household_id for v in store.all(Visit, "2026-11-28")) == [f"h{i}" for i in range(WORKERS)]
