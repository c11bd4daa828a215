"""The form, choice, list and detail screens: not imported before the first frame (their Textual
classes and CSS cost start-up time), but here, when the first of them opens. Imported after
``localize_bindings`` ran, their keys are given the interface's words as they arrive: a form's Footer
said ``^s Confirm`` on a Chinese dashboard. Code that opens one imports it from here."""

from widgets.choice_modal import ChoiceModal
from widgets.detail import DetailScreen, UnrevealingDetailScreen
from widgets.form import FormScreen
from widgets.table_screen import TableScreen

from .localize import localize_classes_imported_since

localize_classes_imported_since()

__all__ = ["ChoiceModal", "DetailScreen", "FormScreen", "TableScreen", "UnrevealingDetailScreen"]
