"""Text bars for progress columns (eighth-block characters, or ASCII where boxes cannot be drawn)."""

from __future__ import annotations

from rich.text import Text

_EIGHTHS = " ▏▎▍▌▋▊▉"


def progress_bar(ratio: float, width: int = 10, *, style: str = "", ascii_only: bool = False) -> Text:
    """A bar ``width`` cells wide filled to ``ratio`` (0-1), in ``style``, the rest dim."""
    ratio = min(max(ratio, 0.0), 1.0)
    if ascii_only:
        filled = round(ratio * width)
        return Text("#" * filled + "." * (width - filled), style=style)
    eighths = round(ratio * width * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (_EIGHTHS[part] if part else "")
    bar = Text(body, style=style)
    bar.append("░" * (width - len(body)), style="dim")
    return bar
