"""`python -m duty_room`, and the `duty-room` command (pyproject's scripts)."""

import gc


def main() -> None:
    # The cyclic collector off from the first import on (cli.main says when it comes back): importing
    # click, pydantic and the store, and building the models, make no garbage worth a pass, and the
    # passes cost `summary` ~2.5% of its start (bench/cold_start.py).
    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl+C while the command was still loading: nothing done yet
        raise SystemExit(130) from None  # (cli.ExitCode.INTERRUPTED; its words are not loaded yet)
    run()


if __name__ == "__main__":
    main()
