"""Run a Textual program and end it right after the first write to the terminal that holds MARK.

    python -P bench/frame_stop.py MARK -m duty_room --store DIR     (or: MARK path/to/script.py)

For ``first_paint.py --instructions``: under callgrind the count then ends at the first frame's
write itself, the same from run to run. Stopped by SIGTERM once its frame was in and the terminal
had been quiet for 20 ms, the dashboard's count took in a varying part of what runs after the frame
(the rest's read in its worker, Textual's own work once a screen is shown): the same code counted
2,346 M in one run and 2,583 M in the next, 2,141 M at the write. Nothing here is part of the
program measured: the driver's ``write`` is wrapped from outside, before the program starts.
"""

from __future__ import annotations

import os
import runpy
import sys

from textual.drivers import linux_driver

MARK = sys.argv[1]
_write = linux_driver.LinuxDriver.write


def write(self: linux_driver.LinuxDriver, data: str) -> None:
    _write(self, data)
    if MARK in data:
        self.flush()
        os._exit(0)  # callgrind writes its count as the process ends


linux_driver.LinuxDriver.write = write  # type: ignore[method-assign]
if sys.argv[2] == "-m":
    sys.argv = [sys.argv[3], *sys.argv[4:]]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[2:]
    runpy.run_path(sys.argv[0], run_name="__main__")
