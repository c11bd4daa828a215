"""Township-scale import: a workbook with 40,000 households into an empty store.

Builds a fresh township store (the baseline: `duty-room demo --scale township`'s build, timed in
this run), exports its tables to one .xlsx (unmasked, as a permitted account would), imports that
into an empty store, then imports it again (nothing changes, nothing is written). Prints each time
beside the build time.

    python bench/import_township.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import build_demo

from store.sheetfiles import read_tables, write_xlsx
from store.storage import Store
from store.workbook import SHEETS, export_sheets, import_tables


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="duty-room-import-"))
    work.mkdir(parents=True, exist_ok=True)
    source, target, workbook = work / "township", work / "imported", work / "township.xlsx"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)

    started = time.perf_counter()
    summary = build_demo(Store(source, actor="bench"), scale="township")
    build_s = time.perf_counter() - started
    print(
        f"duty-room demo --scale township (baseline): {build_s:.1f} s  "
        f"({summary.grids} grids, {summary.workers} workers, {summary.households} households, "
        f"{summary.petitions} petitions, {summary.visits} visits)",
        flush=True,
    )

    started = time.perf_counter()
    sheets = export_sheets(Store(source), SHEETS, masked=False)
    write_xlsx(workbook, sheets)
    export_s = time.perf_counter() - started
    rows = {s.name: len(s.rows) for s in sheets}
    print(f"export to .xlsx: {export_s:.1f} s = {export_s / build_s:.2f}x the build  rows: {rows}", flush=True)

    timings = {}
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        tables = read_tables(workbook)
        read_s = time.perf_counter() - started
        report = import_tables(Store(target, actor="bench"), tables)
        total_s = time.perf_counter() - started
        assert not report.errors, report.errors[:5]
        timings[attempt] = total_s
        print(
            f"{attempt}: {total_s:.1f} s (reading the workbook {read_s:.1f} s) = {total_s / build_s:.2f}x the "
            f"build; {report.changes} records written",
            flush=True,
        )
    households = next(r for r in report.sheets if r.spec.key == "households")
    assert households.unchanged == summary.households
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
