"""交接班 at township scale: the handover generated beside the dashboard's own read, and a log write
beside plain TinyDB.

    python bench/handover.py [--rounds 20] [--years 3] [--store DIR]

On a copy of the township-scale store (bench/common.py; the shared one is left as it is) the duty
room's demo week is seeded, plus a busy shift (60 log entries, three open incidents) and --years
of past duty logs (30 entries a day, filed by month), so the figures show what years of logs cost.

* handover_report: the whole handover of the shift on duty (log, cases received / closed / overdue,
  late sessions, unvisited special households, incidents and late reports, arrears), cold (a fresh
  Store, as the CLI runs it) and warm (a running dashboard's cache), beside ``dashboard()`` — the
  dashboard's whole refresh read — in the same state;
* the Markdown and XLSX renderings of it;
* log_entry: one 值班记录 line written (flock, re-read, validate, atomic replace, manifest), beside a
  plain TinyDB insert into a copy of the same month file.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import DEFAULT_TOWNSHIP, median_ms, timed, township_store
from tinydb import TinyDB

from duty_room.handover_export import render_markdown, render_xlsx
from store import clock
from store.demo.duty import seed_duty_room
from store.duty_models import DutyLogEntry, IncidentCategory, LogKind
from store.dutylog import log_entry, open_incident, shift_at
from store.handover import handover_report
from store.queries import dashboard
from store.storage import RECORDS, Store


def line(name: str, ours: list[float], base_name: str, base: list[float]) -> None:
    o, b = median_ms(ours), median_ms(base)
    print(f"{name:<40} {o:8.1f} ms   {base_name:<40} {b:8.1f} ms   ratio {o / b:5.2f}")


def past_logs(store: Store, years: int) -> int:
    """30 entries a day for ``years`` before this month, one transaction per month."""
    today = clock.today()
    first = today.replace(day=1)
    day = first - timedelta(days=365 * years)
    written = 0
    while day < first:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        with store.transaction() as tx:
            while day < min(month_end, first):
                for n in range(30):
                    moment = clock.at(day, 8 + n // 3, (n * 7) % 60)
                    tx.put(
                        DutyLogEntry(
                            id=f"ZB{moment:%y%m%d}-{n + 1:03d}",
                            at=moment,
                            kind=LogKind.CALL,
                            caller="张三",
                            content=f"历史来电 {n}",
                            action_taken="已处理",
                        )
                    )
                    written += 1
                day += timedelta(days=1)
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument(
        "--store", type=Path, default=DEFAULT_TOWNSHIP, help="the township-scale store to copy (built if missing)"
    )
    args = parser.parse_args()
    source = township_store(args.store)
    with tempfile.TemporaryDirectory(prefix="duty-handover-") as tmp:
        root = Path(tmp) / "store"
        shutil.copytree(source.root, root)
        store = Store(root, actor="bench")
        now = clock.now()
        started = time.perf_counter()
        if shift_at(store, now) is None:  # a township store built today has its week of shifts already
            seed_duty_room(store, now.date())
        history = past_logs(store, args.years)
        shift = shift_at(store, now)
        assert shift is not None
        for n in range(60):  # a busy shift, written as the CLI would: one transaction each
            log_entry(
                store,
                kind=LogKind.CALL,
                content=f"来电 {n}：楼道灯不亮",
                caller="李四",
                phone="13812341234",
                at=max(shift.starts_at, now - timedelta(minutes=5 * (60 - n))),
            )
        for n in range(2):
            open_incident(
                store, title=f"突发事件 {n}", category=IncidentCategory.ACCIDENT, known_at=now - timedelta(hours=3 + n)
            )
        print(
            f"seeded: the demo week, 60 entries this shift, 3 open incidents, {history:,} past entries over "
            f"{args.years} years ({time.perf_counter() - started:.1f} s)"
        )

        report = handover_report(store, now)
        print(
            f"handover of {report.shift.id}: {len(report.entries)} entries, {len(report.open_cases)} open cases "
            f"({len(report.overdue)} overdue), {len(report.received)} received, {len(report.incidents)} incidents, "
            f"{len(report.late_reports)} late reports, {len(report.arrears)} stalls in arrears"
        )

        cold = timed(lambda: handover_report(Store(root), now), max(3, args.rounds // 4))
        cold_base = timed(lambda: dashboard(Store(root), now), max(3, args.rounds // 4))
        line("handover_report, cold (fresh Store)", cold, "dashboard(), cold", cold_base)
        warm = timed(lambda: handover_report(store, now), args.rounds)
        warm_base = timed(lambda: dashboard(store, now), args.rounds)
        line("handover_report, warm", warm, "dashboard(), warm", warm_base)
        line("render_markdown", timed(lambda: render_markdown(report), args.rounds), "dashboard(), warm", warm_base)
        line(
            "render_xlsx", timed(lambda: render_xlsx(report), max(3, args.rounds // 4)), "dashboard(), warm", warm_base
        )

        # This month's file, and a full past month's (30 a day): a write costs one month, not the years.
        last_month = clock.at(now.date().replace(day=1) - timedelta(days=1), 12)
        for name, when in (("this month", None), ("a full month (backdated)", last_month)):
            month = f"{(when or now):%Y-%m}"
            late = lambda when=when: log_entry(store, kind=LogKind.CALL, content="来电：测试写入", at=when, late=True)  # noqa: E731
            writes = timed(late, args.rounds)
            copy = Path(tmp) / f"copy-{month}.json"
            shutil.copy(store.path_for(DutyLogEntry, month), copy)
            db = TinyDB(copy)
            table = db.table(RECORDS)
            record = next(iter(table.all()))
            plain = timed(lambda: table.insert({**record, "id": f"x{time.perf_counter_ns()}"}), args.rounds)  # noqa: B023  (timed runs it in this iteration)
            db.close()
            line(f"log_entry, {name}", writes, "plain TinyDB insert, same file", plain)
            print(
                f"  (duty_log/{month}.json holds {len(store.all(DutyLogEntry, month)):,} entries; "
                f"{len(store.partitions(DutyLogEntry))} month files in all)"
            )


if __name__ == "__main__":
    main()
