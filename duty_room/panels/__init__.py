"""The dashboard's panels, one module each, in the order of their keys (1-4)."""

from .base import DeskPanel
from .petitions import PetitionsPanel
from .services import ServicesPanel
from .stalls import StallsPanel
from .visits import VisitsPanel

PANEL_TYPES: tuple[type[DeskPanel], ...] = (PetitionsPanel, VisitsPanel, ServicesPanel, StallsPanel)

__all__ = ["PANEL_TYPES", "DeskPanel", "PetitionsPanel", "ServicesPanel", "StallsPanel", "VisitsPanel"]
