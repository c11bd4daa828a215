"""The dashboard's panels, one module each, in the order of their keys (1-5)."""

from .base import DeskPanel
from .dutylog import DutyLogPanel
from .petitions import PetitionsPanel
from .services import ServicesPanel
from .stalls import StallsPanel
from .visits import VisitsPanel

PANEL_TYPES: tuple[type[DeskPanel], ...] = (PetitionsPanel, VisitsPanel, ServicesPanel, StallsPanel, DutyLogPanel)

__all__ = ["PANEL_TYPES", "DeskPanel", "DutyLogPanel", "PetitionsPanel", "ServicesPanel", "StallsPanel", "VisitsPanel"]
