"""The one path from a key to the store and back: every write of the dashboard goes through here.

``Desk.submit`` runs the write in a thread worker, so a lock held by another desk never freezes the
keys. When it ends, success closes the form, says so and posts ``Saved``; a refusal marks the form
(what was typed stays); a bug is one line. A form given a ``Watch`` says at once when another desk
changes its record, and its save acts only on the record as shown (``Desk.shown``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from pydantic import ValidationError
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState

from duty_room import words
from duty_room.words import Lang
from store import storage
from store.errors import (
    StoreBusyError,
    StoreCorruptError,
    StoreEnvironmentError,
    StoreFileMissingError,
    StoreMissingError,
    StoreSchemaError,
)
from store.masking import log_reveal
from store.models import Community, Grid, GridWorker, Household, Record, ServiceSchedule
from store.queries import Dashboard
from store.refusal import FieldsRefused, Refused
from store.storage import RecordNotFound, Store, StoreError
from widgets.keyed_table import KeyedTable
from widgets.specs import FieldSpec, FormTexts

from .config import Settings
from .presenters import Presenter, last_change
from .terminal import keys_in_ascii

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.choice_modal import ChoiceModal
    from widgets.form import FormScreen
    from widgets.table_screen import TableScreen

log = logging.getLogger("duty_room")

DESK_GROUP = "desk"  # worker group of writes


def field_errors(error: ValidationError, lang: Lang) -> dict[str, str]:
    """A validation error as {field: reason in words}, for marking a form inline."""
    out: dict[str, str] = {}
    for item in error.errors():
        key = str(item["loc"][0]) if item["loc"] else ""
        out.setdefault(key, words.validation_message(item, lang))
    return out


def form_texts(lang: Lang, title: str, subtitle: str = "", *, confirm: str = "", close: str = "") -> FormTexts:
    """Every word a form shows besides its fields. ``confirm`` and ``close`` name the buttons when
    确认 / 取消 would not say what they do; Esc is named as the close button is when that says 返回 /
    Back (``form.back``), else 取消 / Cancel."""

    def t(key: str) -> str:
        return words.t(key, lang)

    return FormTexts(
        title,
        confirm or t("modal.confirm"),
        close or t("modal.cancel"),
        subtitle,
        t("form.no_match"),
        discard_question=t("form.discard_question"),
        discard=t("form.discard"),
        keep_editing=t("form.keep_editing"),
        too_long=t("invalid.too_long"),
        no_choice=t("form.no_choice"),
        example=t("form.example"),
        back=close == t("form.back"),
    )


def enum_field(
    key: str, title: str, enum: type[StrEnum], lang: Lang, *, value: StrEnum | None = None, placeholder: str = ""
) -> FieldSpec:
    """A choice of ``enum``'s members in their labels: ``value`` chosen, or none and ``placeholder`` (请选择)."""
    options = [(member.value, words.label(member, lang)) for member in enum]
    return FieldSpec(key, title, "choice", options, value="" if value is None else value.value, placeholder=placeholder)


def edits_over(opened: Sequence[FieldSpec], typed: Mapping[str, str], now: Sequence[FieldSpec]) -> dict[str, str]:
    """A whole record's form saved after another desk changed the record: the fields the officer
    changed as typed, every other as the record is now, so the other desk's change is not undone."""
    was = {spec.key: spec.value for spec in opened}
    current = {spec.key: spec.value for spec in now}
    return {key: current.get(key, value) if value == was.get(key) else value for key, value in typed.items()}


@dataclass(eq=False, repr=False)  # never compared or shown: fewer methods to compile
class Submission:
    """One write while it runs (``Desk.submit``)."""

    write: Callable[[], Any]  # runs in a thread; raises Refused / ValidationError / StoreError
    done: Callable[[Any], str] = lambda _: ""  # the success line, from the write's result (a read's: none)
    form: FormScreen | ChoiceModal | None = None  # closed on success, marked on refusal
    fields: Mapping[str, str] = field(default_factory=dict)  # refusal key -> the form field it belongs to
    after: Callable[[Any], None] | None = None  # e.g. redraw the list the write came from
    saves: bool = True  # False for a read (``Desk.read``): nothing to reload
    failed: Callable[[], None] = lambda: None  # a read refused: after its reason is said (a list stops loading)


# Faults of the machine or the store's folder: nothing was written, which a form says (未保存：…).
WRITE_FAULTS = (StoreEnvironmentError, StoreBusyError, StoreMissingError, StoreFileMissingError)
# A store file that a look finds damaged or gone, and that reads again once mended.
DAMAGE = (StoreCorruptError, StoreFileMissingError, StoreSchemaError)

FormHandler: TypeAlias = "Callable[[FormScreen, dict[str, str]], None]"
ChoiceHandler: TypeAlias = "Callable[[ChoiceModal, tuple[str, str]], None]"

R = TypeVar("R")


@dataclass(frozen=True, eq=False, repr=False)  # never compared or shown: fewer methods to compile
class Watch(Generic[R]):
    """The one record a form was opened on, followed while the form is open.

    When ``find`` on new data differs from ``seen`` (in ``part`` of it), the form's line says its
    ``state`` and whether ``check`` refuses it now; ``subtitle`` and ``renew`` bring the form up to
    date. What was typed is kept. A save acts on ``shown`` and nothing newer (the store's ``expected``).
    """

    seen: R | None  # None: the form was opened on its absence (a household not yet visited today)
    find: Callable[[Dashboard], R | None]
    state: Callable[[R], str]  # the record now, in a few words: 现为「处置中」，承办：综合执法队
    check: Callable[[R], object] | None = None  # the panel's opening check: raises Refused
    subtitle: Callable[[R], str] | None = None
    renew: Callable[[R], None] | None = None  # e.g. the steps legal now
    part: Callable[[R], object] | None = None  # what of the record the form depends on (default: all of it)
    # the whole line (seen, now, refused), for a record not one desk's
    notice: Callable[[R | None, R, bool], str] | None = None
    adopt: bool = False  # the new record becomes the one seen: the next change is judged against it
    shown: R | None = None  # the record as the form shows it, once new data was judged (None: ``seen``)
    slow: bool = False  # find reads the store (tens of ms): run it in a worker, show only the newest

    @property
    def on_screen(self) -> R | None:
        return self.seen if self.shown is None else self.shown

    def changed(self, now: R | None) -> bool:
        if now is None or self.seen is None or self.part is None:
            return now != self.seen
        return self.part(now) != self.part(self.seen)


S = TypeVar("S", bound=Record)
Roster = TypeVar("Roster", GridWorker, Household, ServiceSchedule)


def stored(store: Store, model: type[S], record_id: str) -> Callable[[Dashboard], S | None]:
    """A ``Watch``'s ``find`` for a stored record: None once it is gone (archived, retired)."""

    def find(_: Dashboard) -> S | None:
        try:
            return store.get(model, record_id)
        except RecordNotFound:
            return None

    return find


def roster_watch(desk: Desk, record: Roster, names: Mapping[str, str], **more: Any) -> Watch[Roster]:
    """A form on a roster record follows it: another desk's change is said by ``last_change``."""
    state = lambda now: last_change(desk.present, now, names)  # noqa: E731
    return Watch(record, stored(desk.store, type(record), record.id), state, **more)


def names_of(*groups: Iterable[Community | Grid | GridWorker]) -> dict[str, str]:
    """Names by id: what a history line says for an id (a move's grids, the worker its plans went
    to, a schedule's community)."""
    return {record.id: record.name for group in groups for record in group}


Followed: TypeAlias = "FormScreen | ChoiceModal"  # a screen that can say what changed under it (``show_notice``)


def keys_of(written: str) -> frozenset[str]:
    """The keys of ``written`` ("/, a": a Binding's or a keymap's), spelled as Bindings and key events are ("slash")."""
    bindings = [Binding(key.strip(), "") for key in written.split(",") if key.strip()]
    return frozenset(b.key for b in Binding.make_bindings(bindings))


def remapped_keys(app: App[Any], keymap: Mapping[str, str]) -> dict[str, str]:
    """Each binding id a keymap moved, with its first key as the Footer shows it: for hints that name a key."""
    firsts = {binding_id: keys.split(",")[0].strip() for binding_id, keys in keymap.items()}
    return {binding_id: app.get_key_display(Binding(first, "")) for binding_id, first in firsts.items() if first}


def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """For a message handler: an error in it is one line and the dashboard runs on (one that reaches
    Textual's message loop stops that widget's loop for good)."""

    @functools.wraps(handler)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported, never swallowed silently
            report_error(self.app, error)
            return None

    return run


def report_error(app: App[Any], error: BaseException) -> None:
    """An error said in one line by the app, which runs on (raised in an app that cannot say it)."""
    report = getattr(app, "report_error", None)
    if report is None:
        raise error
    report(error)


class Saved(Message):
    """A write reached the store (``result``: the saved record); the app reloads the panels."""

    def __init__(self, result: Any, message: str) -> None:
        super().__init__()
        self.result = result
        self.message = message


class Desk:
    """What every panel needs from the app: the store, settings, words, data, and the submit path."""

    def __init__(self, app: App[Any], store: Store, settings: Settings, *, ascii_only: bool) -> None:
        self.app = app
        self.store = store
        self.settings = settings
        self.lang: Lang = settings.lang
        # Personal data is offered unmasked (p, in the Footer and hints) only where a reveal would be granted.
        self.reveals = settings.reveals_to(store.actor)
        self.present = Presenter(self.lang, remapped=remapped_keys(app, settings.keymap), reveals=self.reveals)
        self.ascii = ascii_only
        self.data: Dashboard | None = None  # the last data shown (``set_data``)
        self.unread = False  # the rest after the first frame could not be read: panels say so, not 读取中
        self._unshown_write: int | None = None  # the store's generation after this desk's last write, not yet shown
        self._handlers: dict[Followed, Callable[..., None]] = {}  # open forms and choices: what takes their answer
        self._in_flight: set[Followed] = set()
        self._waiting: dict[Followed, str] = {}  # forms whose save waits for the lock: their notice before
        self._lock_said = False  # a write waits for another process's lock, and the desk said so
        store.on_lock_wait = self._lock_busy
        self._submissions: dict[Worker[Any], Submission] = {}  # writes running, by their worker
        self._watches: dict[Followed, Watch[Any]] = {}  # open forms that follow their record
        self._renewing: dict[Followed, Worker[Any]] = {}  # a slow watch's find running, the newest per screen
        self._lists: set[TableScreen] = set()  # lists open (``open_list``): typed keys wait for their rows
        self.refused_damage = ""  # the damaged store file the refusal being said names (status.py: goes once mended)

    @property
    def busy(self) -> bool:
        """Something a typed key may act on is still coming: the rest after the first frame, a list's
        rows, a write or a slow read, the data with this desk's last write. Typed keys wait for it."""
        filling = self.data is not None and not self.data.complete and not self.unread
        listing = (screen := self.app.screen) in self._lists and not screen.shown
        return filling or listing or bool(self._submissions) or self._unshown_write is not None

    def set_data(self, data: Dashboard) -> None:
        """``data`` is the dashboard's now: what panels and forms read, and what may release the keys."""
        self.data = data
        if data.complete:
            self.unread = False
        if self._unshown_write is not None and data.generation >= self._unshown_write:
            self._unshown_write = None  # not a reload begun before the write

    def wrote(self) -> None:
        """A write reached the store (``Saved``): keys typed next wait for data with it on screen, as a
        reload begun before the write may finish after it."""
        try:
            self._unshown_write = self.store.generation()
        except StoreError:
            self._unshown_write = -1  # the reload will say what is wrong; any data releases the keys

    @property
    def read_only(self) -> bool:
        return self.settings.read_only

    def t(self, key: str) -> str:
        return words.t(key, self.lang)

    # -- forms -------------------------------------------------------------------------

    def ask(
        self,
        title: str,
        fields: list[FieldSpec],
        on_submit: FormHandler,
        subtitle: str = "",
        *,
        watch: Watch[Any] | None = None,
        confirm: str = "",
        close: str = "",
    ) -> FormScreen:
        texts = form_texts(self.lang, title, subtitle, confirm=confirm, close=close)
        return self.open_form(fields, texts, on_submit, watch=watch)

    def open_form(
        self, fields: list[FieldSpec], texts: FormTexts, on_submit: FormHandler, *, watch: Watch[Any] | None = None
    ) -> FormScreen:
        """Show a form of ``fields``; its Enter goes to ``on_submit``. With ``watch``, it follows its record (``Watch``)."""
        from .screens import FormScreen  # (imported when the first form opens)

        if self.ascii:  # a picker's label names its keys (↑↓选择): their ASCII names, as the Footer's
            fields = [replace(spec, label=keys_in_ascii(spec.label)) for spec in fields]
        form = FormScreen(fields, texts)
        self._show(form, on_submit, watch)
        return form

    def choose(self, modal: ChoiceModal, chosen: ChoiceHandler, *, watch: Watch[Any] | None = None) -> None:
        """Show a choice of steps; ``chosen`` takes each confirmed answer, as a form's handler its values."""
        self._show(modal, chosen, watch)

    def _show(self, screen: Followed, handler: FormHandler | ChoiceHandler, watch: Watch[Any] | None) -> None:
        self._handlers[screen] = handler
        if watch is not None:
            self._watches[screen] = watch
        self.app.push_screen(screen, lambda _: self._forget(screen))

    def _forget(self, screen: Followed) -> None:
        self._handlers.pop(screen, None)
        self._in_flight.discard(screen)
        self._watches.pop(screen, None)
        self._renewing.pop(screen, None)

    def shown(self, screen: Followed) -> Any:
        """The record ``screen`` shows now: what its save acts on, the store's ``expected``."""
        watch = self._watches.get(screen)
        return watch.on_screen if watch is not None else None

    # -- records changed under an open form ----------------------------------------------

    def data_changed(self, data: Dashboard) -> None:
        """Every open form whose record new data changed says so; one whose own write is running is
        judged when it ends (its own change is not another desk's)."""
        for screen, watch in list(self._watches.items()):
            if screen not in self._in_flight:
                try:
                    self._judge(screen, watch, data)
                except Exception as error:  # noqa: BLE001 - a bug in one panel's watch: said, the others judged
                    report_error(self.app, error)

    def _judge(self, screen: Followed, watch: Watch[Any], data: Dashboard) -> None:
        if watch.slow:
            self.renew_in_worker(screen, watch, data)
            return
        try:
            now = watch.find(data)
        except StoreError:  # the status line names the file; the form is judged on the next data
            return
        self._judged(screen, watch, now)

    def renew_in_worker(self, screen: Followed, watch: Watch[Any], data: Dashboard) -> None:
        """A slow watch's ``find`` in a thread worker; a result newer data overtook is dropped, so the
        form never shows an older record after a newer one."""
        worker = self.app.run_worker(
            lambda: watch.find(data),  # not a partial: Textual describes a worker by its repr, all the data
            thread=True,
            group=DESK_GROUP,
            exit_on_error=False,
            name="renew",
            description="renew",
        )
        self._renewing[screen] = worker

    def _renewed(self, worker: Worker[Any], state: WorkerState) -> None:
        screen = next((s for s, w in self._renewing.items() if w is worker), None)
        if screen is None:  # overtaken by a newer one, or its form closed
            return
        del self._renewing[screen]
        watch = self._watches.get(screen)
        if watch is None or screen in self._in_flight or state is not WorkerState.SUCCESS:
            # A store fault is named by the status line; the form is judged on the next data.
            if state is WorkerState.ERROR and not isinstance(worker.error, StoreError):
                report_error(self.app, worker.error)  # type: ignore[arg-type]
            return
        try:
            self._judged(screen, watch, worker.result)
        except Exception as error:  # noqa: BLE001 - a bug in one panel's watch: said, the dashboard runs on
            report_error(self.app, error)

    def _judged(self, screen: Followed, watch: Watch[Any], now: Any) -> None:
        if now is not None and screen in self._watches:
            # What its save acts on from now on: said below if it changed what the form depends on.
            self._watches[screen] = replace(watch, shown=now)
        if not watch.changed(now):
            return
        if now is None:
            screen.show_notice(self.t("form.overtaken_gone"))
            return
        refused = False
        if watch.check is not None:
            try:
                watch.check(now)
            except Refused:
                refused = True
        if watch.subtitle is not None:
            screen.show_subtitle(watch.subtitle(now))
        if watch.renew is not None:
            watch.renew(now)
        if watch.notice is not None:
            screen.show_notice(watch.notice(watch.seen, now, refused))
        else:
            line = self.t("form.overtaken_refused" if refused else "form.overtaken")
            screen.show_notice(line.format(watch.state(now)))
        if watch.adopt and screen in self._watches:
            self._watches[screen] = replace(watch, seen=now, shown=now)

    def answered(self, screen: Followed, answer: dict[str, str] | tuple[str, str]) -> None:
        """A form's values or a choice's answer: ignored while its write is still running (no payment
        saved twice). A handler refuses them before any write by raising ``FieldsRefused``."""
        handler = self._handlers.get(screen)
        if handler is not None and screen not in self._in_flight:
            try:
                handler(screen, answer)
            except FieldsRefused as refused:  # the handler's own check: each reason beside its field
                self.refuse(refused, screen)

    # -- writing -----------------------------------------------------------------------

    def submit(
        self,
        write: Callable[[], Any],
        done: Callable[[Any], str],
        form: FormScreen | ChoiceModal | None = None,
        fields: Mapping[str, str] | None = None,
        *,
        after: Callable[[Any], None] | None = None,
        saves: bool = True,
    ) -> None:
        """Run ``write`` in a thread worker; ``worker_changed`` takes the result."""
        submission = Submission(write, done, form, fields or {}, after, saves)
        if self.read_only and saves:  # (a write that saves nothing in the store, a hand-over's copy, a viewer may make)
            self.refuse(self.t("readonly.refused"), submission.form)
            return
        if submission.form is not None:
            self._in_flight.add(submission.form)
        worker = self.app.run_worker(submission.write, thread=True, group=DESK_GROUP, exit_on_error=False, name="write")
        self._submissions[worker] = submission

    def read(self, read: Callable[[], R], then: Callable[[R], None], failed: Callable[[], None] = lambda: None) -> None:
        """A read longer than a frame, in a thread worker; keys typed meanwhile wait for ``then`` (or,
        refused, its reason said, for ``failed``). What it read goes to ``then``, not in the worker:
        Textual's pool thread keeps the last worker it ran (a closed list's rows, for every collection)."""
        box: list[R] = []
        worker = self.app.run_worker(lambda: box.append(read()), thread=True, group=DESK_GROUP, exit_on_error=False)
        self._submissions[worker] = Submission(read, after=lambda _: then(box.pop()), saves=False, failed=failed)

    def worker_changed(self, worker: Worker[Any], state: WorkerState) -> None:
        """``state`` is the one the message announced: the worker may be further on by now."""
        if state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        if worker.name == "renew":
            self._renewed(worker, state)
            return
        submission = self._submissions.pop(worker, None)
        if submission is None:  # a reload, the store watcher: not a write
            return
        form = submission.form
        if not any(s.saves or s.form for s in self._submissions.values()):
            self._lock_said = False  # no write left to wait: held keys go on as the write left things
        if form is not None:
            self._in_flight.discard(form)
            if form in self._waiting:  # the wait is over: the notice it had, if any
                notice = self._waiting.pop(form)
                if form.is_attached:
                    form.show_notice(notice)
        if state is WorkerState.SUCCESS:
            if form is not None:
                self._watches.pop(form, None)  # closing: data with its own write must not flag it
            if form is not None and form.is_attached:
                form.dismiss(None)
            message = submission.done(worker.result)
            if message:
                self.app.notify(message)
            if submission.after is not None:
                submission.after(worker.result)
            if submission.saves:
                self.app.post_message(Saved(worker.result, message))
        elif state is WorkerState.ERROR:
            self.refuse(worker.error, form, fields=submission.fields)
            submission.failed()
            watch = self._watches.get(form) if form is not None else None
            if form is not None and watch is not None and self.data is not None:
                self._judge(form, watch, self.data)  # data that came while the write ran

    def _lock_busy(self) -> None:
        """The store, in a write's thread: another process holds the lock, and the write waits for
        it (up to 15 s, then 存储繁忙). Said on the forms being saved, so a save that seems to do
        nothing is not taken for a hang; what the wait ends in replaces it."""
        with contextlib.suppress(Exception):  # saying so must never stop the write
            if threading.current_thread() is threading.main_thread():
                self._say_lock_wait()
            else:
                self.app.call_from_thread(self._say_lock_wait)

    @property
    def lock_waiting(self) -> bool:
        """A write waits for another process's lock (said on its form): keys typed meanwhile wait
        for it, however long, as they wait for any write; the store gives up after 15 s."""
        return self._lock_said and bool(self._submissions)

    def key_held_in_lock_wait(self) -> None:
        """A key (Esc, most likely) typed while the save waits for the lock: the save is under way
        and lands or is refused whole, so the key cannot cancel it; the form says the key acts once
        the save has ended (saved: the form closed; refused: on the form, its reason shown)."""
        line = self.t("desk.lock_wait_keys").format(seconds=round(storage.LOCK_TIMEOUT_SECONDS))
        for form in self._in_flight:
            if form.is_attached:
                form.show_notice(line)

    def _say_lock_wait(self) -> None:
        self._lock_said = True
        line = self.t("desk.lock_wait").format(seconds=round(storage.LOCK_TIMEOUT_SECONDS))
        forms = [form for form in self._in_flight if form.is_attached]
        from .screens import ChoiceModal  # (a form is open: its modules are loaded)

        for form in forms:
            self._waiting.setdefault(form, form.notice)
            form.show_notice(line)
            # The last try's refusal (未保存：…请稍后重试) is not this try's: what this one ends in replaces it.
            if isinstance(form, ChoiceModal):
                form.show_error("")
            else:
                form.show_errors({})
        if not forms:
            self.app.notify(line)

    def refuse(
        self,
        error: BaseException | str | None,
        form: FormScreen | ChoiceModal | None = None,
        field: str = "",
        *,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        """Show why nothing was written: beside the form's field, on the form, or in the status line."""
        errors: dict[str, str] = {}
        # Words that say nothing was changed (未保存：…) get no 未更改 before them.
        said_once = isinstance(error, (Refused, StoreError)) and error.says_its_outcome
        # A stored field's error, beside its field (``fields``: its name on the form).
        if isinstance(error, ValidationError):
            errors = {(fields or {}).get(key, key): text for key, text in field_errors(error, self.lang).items()}
            message = next(iter(errors.values()), "")
        elif isinstance(error, FieldsRefused):  # every bad field at once, already in words
            errors = error.errors
            message = next(iter(errors.values()), "")
        elif isinstance(error, Refused):
            message = error.message(self.lang)
            field = field or (fields or {}).get(error.key, "")
        elif isinstance(error, StoreError):  # disk full, read-only, busy…: one line naming the path
            # A fault of the machine (a permission, a full disk) keeps the whole path, for whoever mends it.
            message = error.message(self.lang) if isinstance(error, StoreEnvironmentError) else self.store_words(error)
            if form is not None and isinstance(error, WRITE_FAULTS):  # a form has no 未更改 before it
                message = self.t("form.not_saved").format(message)
        elif isinstance(error, ValueError):
            message = str(error)
        elif isinstance(error, str):
            message = error
        else:  # a bug, not a refusal
            log.error("write failed", exc_info=error)
            message = self.t("desk.unexpected").format(type(error).__name__)
            said_once = True  # 数据未改动
        from .screens import ChoiceModal, FormScreen  # (after the first frame)

        if isinstance(form, ChoiceModal) and form.is_attached:
            form.show_error(message)
            return
        if isinstance(form, FormScreen) and form.is_attached:
            if not errors and field:
                errors = {field: message}
            known = {spec.key for spec in form.fields}
            beside = {key: text for key, text in errors.items() if key in known}
            # A reason of no field here is shown on the form as a whole.
            form.show_errors(beside, "" if beside and len(beside) == len(errors) else message)
            return
        if isinstance(error, DAMAGE):
            self.refused_damage = str(error.path).replace(f"{self.store.root}{os.sep}", "")
        if said_once:
            said = message
        elif isinstance(error, Refused) and error.about:  # the record first: MK… 未更改：…
            said = self.t("status.refused_about").format(about=error.about, reason=error.reason(self.lang))
        else:
            said = self.t("status.refused").format(message)
        self.app.notify(said, severity="warning", timeout=8)

    def store_words(self, error: StoreError) -> str:
        """``error`` in words, a store file named from the store's folder (petitions/2026-11-27.json):
        a whole path left the status line no room for the file's name, nor for what is wrong with it."""
        return error.message(self.lang).replace(f"{self.store.root}{os.sep}", "")

    # -- lists ---------------------------------------------------------------------------

    def select_new(self, panel: str, key: str) -> None:
        """Put panel ``panel``'s cursor on the record just created, once the reload brings it."""
        for table in self.app.query(f"#{panel}-table").results(KeyedTable):
            table.select_key(key)

    def open_list(self, screen: TableScreen, on_close: Callable[[], None]) -> None:
        screen.set_class(self.ascii, "ascii")
        self._lists.add(screen)

        def closed(_: None) -> None:
            self._lists.discard(screen)
            on_close()

        self.app.push_screen(screen, closed)

    # -- personal data -------------------------------------------------------------------

    def reveal(self, subject: str, then: Callable[[], None]) -> None:
        """Unmask ``subject`` for a permitted user; the attempt, granted or not, is logged first."""
        allowed = self.reveals  # the system config's rule (Settings.reveals_to), never the user's

        def write() -> bool:
            log_reveal(self.store, subject, None, allowed)  # what a reveal on subject unmasks
            return allowed

        def after(granted: bool) -> None:
            if granted:
                then()
            else:
                self.app.notify(self.t("detail.reveal_denied"), severity="warning")

        self.submit(write, done=lambda _: "", after=after)
