"""`python -m duty_room`, and the `duty-room` command (pyproject's scripts)."""

import gc


def main() -> None:
    # The cyclic collector off from the first import on (cli.main says when it comes back): importing
    # click, pydantic and the store, and building the models, make no garbage worth a pass, and the
    # passes cost `summary` ~2.5% of its start (bench/cold_start.py).
    gc.disable()
    from .stop_signals import install

    install()  # SIGTERM and SIGHUP from here on end the command as Ctrl+C does (stop_signals.py)
    try:
        from .cli import main as run
    except KeyboardInterrupt as exc:  # Ctrl+C, SIGTERM or SIGHUP while still loading: nothing done yet
        # (cli's ExitCode INTERRUPTED, HUNG_UP, TERMINATED: 128 + the signal; its words are not loaded yet)
        raise SystemExit(128 + getattr(exc, "signum", 2)) from None
    run()


if __name__ == "__main__":
    main()
