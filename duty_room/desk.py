"""The one path from a key to the store and back: every write of the dashboard goes through here.

A panel builds a form (or nothing, for a one-key step), and hands the write to ``Desk.submit``.
The write runs in a thread worker, so a slow disk or a lock held by another desk never freezes
the keys or the clock. When the worker ends, ``Desk.worker_changed`` (called by the app for
``Worker.StateChanged``) does one of three things:

* success: close the form, say what was done, redraw the list it came from, and post ``Saved``
  (the app reloads the panels on it);
* a refusal (``Refused``, a validation error, a store fault): mark the form's field, or show the
  reason in the status line; the form keeps what was typed and nothing was written;
* anything unexpected: one error line, the traceback to the log, and the dashboard runs on.

A form opened on one record (a case's step, a permit, a session, a household's visit) can be
given a ``Watch``: while it is open, each new data the app shows (``Desk.data_changed``, from
``DutyRoomApp.show``) is checked for that record, and when another desk or the command line has
changed it, the form says so at once in one line: what the record is now, and whether its save
would be refused now. What was typed stays; the save still goes through the one path above, and
acts only on the record as the form shows it (``Desk.shown``, given to the store as ``expected``):
a change the form has not shown yet (another desk's write that came in the same burst as the save
key, before the reload) is refused by the store, the form then shows it, and the next save acts on it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState

from duty_room import words
from duty_room.words import Lang
from store.errors import StoreBusyError, StoreEnvironmentError, StoreFileMissingError, StoreMissingError
from store.masking import log_reveal
from store.models import GridWorker, Household, Record, ServiceSchedule
from store.queries import Dashboard
from store.refusal import FieldsRefused, Refused
from store.storage import RecordNotFound, Store, StoreError
from widgets.choice_modal import ChoiceModal
from widgets.form import FieldSpec, FormScreen, FormTexts
from widgets.keyed_table import KeyedTable
from widgets.table_screen import TableScreen

from .config import Settings
from .presenters import Presenter, last_change

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
    """Every word a form shows besides its fields: buttons, Esc's question, the length refusal.
    ``confirm`` and ``close`` name the two buttons when 确认 / 取消 would not say what they do
    (``close`` is Esc's word too)."""

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
        example=t("form.example"),
        escape=close,
    )


def enum_field(
    key: str, title: str, enum: type[StrEnum], lang: Lang, *, value: StrEnum | None = None, placeholder: str = ""
) -> FieldSpec:
    """A choice of ``enum``'s members in their labels: ``value`` chosen, or none and ``placeholder`` (请选择)."""
    options = [(member.value, words.label(member, lang)) for member in enum]
    return FieldSpec(key, title, "choice", options, value="" if value is None else value.value, placeholder=placeholder)


def edits_over(opened: Sequence[FieldSpec], typed: Mapping[str, str], now: Sequence[FieldSpec]) -> dict[str, str]:
    """What a form that writes a whole record back saves once another desk changed the record: each
    field the officer changed since the form opened (``opened``: its fields as built then) as typed,
    every other as the record is now (``now``: the fields as they would be built on it). Another
    desk's change is kept, not written back over with what the form was opened with."""
    was = {spec.key: spec.value for spec in opened}
    current = {spec.key: spec.value for spec in now}
    return {key: current.get(key, value) if value == was.get(key) else value for key, value in typed.items()}


@dataclass
class Submission:
    """One write while it runs (``Desk.submit``): what runs, where its refusals belong, and what to say when it is done."""

    write: Callable[[], Any]  # runs in a thread; raises Refused / ValidationError / StoreError
    done: Callable[[Any], str]  # the success line, from the write's result
    form: FormScreen | ChoiceModal | None = None  # closed on success, marked on refusal
    fields: Mapping[str, str] = field(default_factory=dict)  # refusal key -> the form field it belongs to
    after: Callable[[Any], None] | None = None  # e.g. redraw the list the write came from
    saves: bool = True  # False for a read (``Desk.read``): nothing to reload


# A fault of the machine or the store's folder met by a write: reported, nothing was written (the
# store's rule), which a form says (未保存：…) as the status line says 未更改：…
WRITE_FAULTS = (StoreEnvironmentError, StoreBusyError, StoreMissingError, StoreFileMissingError)

FormHandler = Callable[[FormScreen, dict[str, str]], None]
ChoiceHandler = Callable[[ChoiceModal, tuple[str, str]], None]

R = TypeVar("R")


@dataclass(frozen=True)
class Watch(Generic[R]):
    """The one record a form was opened on, followed while the form is open.

    ``seen`` is the record as the form was built on it (its state in the subtitle, its steps, its
    defaults); ``find`` gives the record as new data has it (None: no longer there). When the two
    differ (in ``part`` of it, if the form depends on no more), the form's line says ``state`` of
    the new one and, if ``check`` refuses it now (the check the panel made before opening the form),
    that saving will be refused; a subtitle that described the record is written anew
    (``subtitle``), and ``renew`` brings a form that offers choices up to date (the steps legal
    now). What was typed is kept.

    ``notice`` says the whole line instead (from the record as seen, as now, and whether the save
    would be refused), for a form whose record is not one desk's (a shift's handover report: another
    desk's entry, a report falling due). With ``adopt`` the new record becomes the one seen (``renew``
    took it, the form shows it): the next change is judged, and said, against it.

    ``shown`` is the record as the form shows it now: the one it was opened on until new data was
    judged, then that one (said in the notice if it changed what the form depends on). A save acts
    on it and on nothing newer (``Desk.shown``, the store's ``expected``).

    With ``slow`` ``find`` reads the store itself (a shift's whole hand-over report: tens of ms on a
    township's store), so it runs in a thread worker, never on the event loop; of the finds begun for
    a burst of changes only the newest one's record is judged and shown (``Desk.renew_in_worker``).
    """

    seen: R | None  # None: the form was opened on its absence (a household not yet visited today)
    find: Callable[[Dashboard], R | None]
    state: Callable[[R], str]  # the record now, in a few words: 现为「处置中」，承办：综合执法队
    check: Callable[[R], object] | None = None  # raises Refused when the form's save would be refused
    subtitle: Callable[[R], str] | None = None  # the form's subtitle for the record now (当前状态：处置中)
    renew: Callable[[R], None] | None = None
    part: Callable[[R], object] | None = None  # what of the record the form depends on (default: all of it)
    notice: Callable[[R | None, R, bool], str] | None = None  # the form's line: (seen, now, refused)
    adopt: bool = False  # the new record becomes the one seen
    shown: R | None = None  # the record as the form shows it, once new data was judged (None: ``seen``)
    slow: bool = False  # find reads the store: run it in a worker

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
    """A ``Watch``'s ``find`` for a record the store keeps: as the store has it now, None once it is
    gone (a case archived, a worker retired)."""

    def find(_: Dashboard) -> S | None:
        try:
            return store.get(model, record_id)
        except RecordNotFound:
            return None

    return find


def roster_watch(desk: Desk, record: Roster, names: Mapping[str, str], **more: Any) -> Watch[Roster]:
    """A form on a roster record (a grid worker, a household, a schedule) follows it: another desk's
    change says what it was (``last_change``, ids by their ``names``); gone, the form says so."""
    state = lambda now: last_change(desk.present, now, names)  # noqa: E731
    return Watch(record, stored(desk.store, type(record), record.id), state, **more)


Followed = FormScreen | ChoiceModal  # a screen that can say what changed under it (``show_notice``)


def remapped_keys(app: App[Any], keymap: Mapping[str, str]) -> dict[str, str]:
    """Each binding id a keymap moved, with its (first) key as the Footer shows it: what hints that
    name a key (a border's "Esc 返回", "按 p 显示", the palette's keys) say instead of the default."""
    shown = {}
    for binding_id, keys in keymap.items():
        first = keys.split(",")[0].strip()
        if first:
            shown[binding_id] = app.get_key_display(Binding(first, ""))
    return shown


def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """For a message handler: an error in it is one line (``App.report_error``) and the dashboard runs on.

    (An exception that reaches Textual's message loop stops that widget's loop for good.)
    """

    @functools.wraps(handler)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported, never swallowed silently
            report = getattr(self.app, "report_error", None)
            if report is None:
                raise
            report(error)
            return None

    return run


class Saved(Message):
    """A write reached the store: ``result`` is what the store returned (the saved record).

    Posted to the app, which reloads the panels; tests assert on it.
    """

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
        self.present = Presenter(self.lang, remapped=remapped_keys(app, settings.keymap))
        self.ascii = ascii_only
        self.data: Dashboard | None = None  # the last data shown, set by the app
        # The rest of the dashboard after the first frame's (Dashboard.complete) could not be read:
        # the panels waiting for it say so instead of 读取中 (the status line says why). Set by the app.
        self.unread = False
        self._forms: dict[FormScreen, FormHandler] = {}
        self._choices: dict[ChoiceModal, ChoiceHandler] = {}
        self._in_flight: set[Followed] = set()
        self._submissions: dict[Worker[Any], Submission] = {}  # writes running, by their worker
        self._watches: dict[Followed, Watch[Any]] = {}  # open forms that follow their record
        self._renewing: dict[Followed, Worker[Any]] = {}  # a slow watch's find running, the newest per screen

    @property
    def busy(self) -> bool:
        """A write (or a slow read) is running: keys typed meanwhile wait for its result."""
        return bool(self._submissions)

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
        return self.open_form(FormScreen(fields, texts), on_submit, watch=watch)

    def open_form(self, form: FormScreen, on_submit: FormHandler, *, watch: Watch[Any] | None = None) -> FormScreen:
        """Show ``form``; its Enter goes to ``on_submit``. With ``watch``, it follows its record (``Watch``)."""
        self._forms[form] = on_submit
        if watch is not None:
            self._watches[form] = watch
        self.app.push_screen(form, lambda _: self._forget(form))
        return form

    def choose(self, modal: ChoiceModal, chosen: ChoiceHandler, *, watch: Watch[Any] | None = None) -> None:
        """Show a choice of steps (a modal that stays open until its write is done, ``keep_open``);
        ``chosen`` takes each confirmed answer, as a form's handler its values. With ``watch``, it
        follows its record."""
        self._choices[modal] = chosen
        if watch is not None:
            self._watches[modal] = watch
        self.app.push_screen(modal, lambda _: self._forget(modal))

    def _forget(self, screen: Followed) -> None:
        if isinstance(screen, ChoiceModal):
            self._choices.pop(screen, None)
        else:
            self._forms.pop(screen, None)
        self._in_flight.discard(screen)
        self._watches.pop(screen, None)
        self._renewing.pop(screen, None)

    def shown(self, screen: Followed) -> Any:
        """The record ``screen`` shows now (``Watch.shown``): what its save acts on, given to the
        store as ``expected`` (changed since, the store refuses). None for a screen that follows nothing."""
        watch = self._watches.get(screen)
        return watch.on_screen if watch is not None else None

    # -- records changed under an open form ----------------------------------------------

    def data_changed(self, data: Dashboard) -> None:
        """New data from the store (another desk's write, the command line's): every open form whose
        record it changed says so. A form whose own write is running is judged when the write ends
        (its own change is not another desk's)."""
        for screen, watch in list(self._watches.items()):
            if screen not in self._in_flight:
                try:
                    self._judge(screen, watch, data)
                except Exception as error:  # noqa: BLE001 - a bug in one panel's watch: said, the others judged
                    self.report_error(error)

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
        """A slow watch's ``find`` in a thread worker: the event loop only starts it and shows its result.

        Each new data begins one; a result that newer data overtook while it was read (another desk
        wrote meanwhile) is dropped, the newest one's judged when it ends (``worker_changed``): the form
        shows only the newest record, never an older one after it."""
        worker = self.app.run_worker(
            lambda: watch.find(data),  # (not a partial: Textual describes a worker by its repr, the data's whole)
            thread=True,
            group=DESK_GROUP,
            exit_on_error=False,
            name="renew",
            description="renew",
        )
        self._renewing[screen] = worker

    def _renewed(self, worker: Worker[Any], state: WorkerState) -> None:
        """A slow watch's find has ended: judge its form on it, if it is the newest begun for that form."""
        screen = next((s for s, w in self._renewing.items() if w is worker), None)
        if screen is None:  # overtaken by a newer one, or its form closed: nothing to show
            return
        del self._renewing[screen]
        watch = self._watches.get(screen)
        if watch is None or screen in self._in_flight or state is not WorkerState.SUCCESS:
            # Closed; its own write running (judged when it ends); a store fault (the status line
            # names the file, the form is judged on the next data).
            if state is WorkerState.ERROR and not isinstance(worker.error, StoreError):
                self.report_error(worker.error)  # type: ignore[arg-type]
            return
        try:
            self._judged(screen, watch, worker.result)
        except Exception as error:  # noqa: BLE001 - a bug in one panel's watch: said, the dashboard runs on
            self.report_error(error)

    def _judged(self, screen: Followed, watch: Watch[Any], now: Any) -> None:
        if now is not None and screen in self._watches:
            # What the form shows from now on (what its save acts on): said below if it changed what
            # the form depends on; the same in all of that, it is what the form shows already.
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

    def form_submitted(self, form: FormScreen, values: dict[str, str]) -> None:
        """A form's Enter: ignored while its write is still running (no payment typed twice)."""
        handler = self._forms.get(form)
        if handler is not None and form not in self._in_flight:
            handler(form, values)

    def choice_confirmed(self, modal: ChoiceModal, answer: tuple[str, str]) -> None:
        """A choice modal's confirm: as a form's Enter (ignored while its write is still running)."""
        handler = self._choices.get(modal)
        if handler is not None and modal not in self._in_flight:
            handler(modal, answer)

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
        """Run ``write`` in a thread worker (a ``Submission``); ``worker_changed`` takes the result."""
        submission = Submission(write, done, form, fields or {}, after, saves)
        if self.read_only:
            self.refuse(self.t("readonly.refused"), submission.form)
            return
        if submission.form is not None:
            self._in_flight.add(submission.form)
        worker = self.app.run_worker(submission.write, thread=True, group=DESK_GROUP, exit_on_error=False, name="write")
        self._submissions[worker] = submission

    def read(self, read: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """A read that can take longer than a frame (two weeks of a township's visit log), in a
        thread worker: the clock and the screen run on, and keys typed meanwhile wait for ``then``
        (``busy``), as they would have typed slowly. A fault is one refusal line."""
        worker = self.app.run_worker(read, thread=True, group=DESK_GROUP, exit_on_error=False, name="read")
        self._submissions[worker] = Submission(read, done=lambda _: "", after=then, saves=False)

    def worker_changed(self, worker: Worker[Any], state: WorkerState) -> None:
        """``state`` is the one the message announced: by the time it is handled the worker may be further on."""
        if state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        if worker.name == "renew":
            self._renewed(worker, state)
            return
        submission = self._submissions.pop(worker, None)
        if submission is None:  # a reload, the store watcher: not a write
            return
        form = submission.form
        if form is not None:
            self._in_flight.discard(form)
        if state is WorkerState.SUCCESS:
            if form is not None:
                self._watches.pop(form, None)  # closing: data with its own write must not flag it
            if form is not None and form.is_attached:
                form.dismiss(None)
            message = submission.done(worker.result)
            if message:
                self.say(message)
            if submission.after is not None:
                submission.after(worker.result)
            if submission.saves:
                self.app.post_message(Saved(worker.result, message))
        elif state is WorkerState.ERROR:
            self.refuse(worker.error, form, fields=submission.fields)
            watch = self._watches.get(form) if form is not None else None
            if form is not None and watch is not None and self.data is not None:
                self._judge(form, watch, self.data)  # data that came while the write ran

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
        # Words that say nothing was changed (未保存：…, 文件未改动, 数据未改动) get no 未更改 before them.
        said_once = isinstance(error, (Refused, StoreError)) and error.says_its_outcome
        if isinstance(error, ValidationError):
            errors = field_errors(error, self.lang)
            message = next(iter(errors.values()), "")
        elif isinstance(error, FieldsRefused):  # every bad field at once, already in words
            errors = error.errors
            message = next(iter(errors.values()), "")
        elif isinstance(error, Refused):
            message = error.message(self.lang)
            field = field or (fields or {}).get(error.key, "")
        elif isinstance(error, StoreError):  # disk full, read-only, busy…: one line naming the path
            message = error.message(self.lang)
            if form is not None and isinstance(error, WRITE_FAULTS):  # a form has no 未更改 before it
                message = self.t("form.not_saved").format(message)
        elif isinstance(error, ValueError):
            message = str(error)
        elif isinstance(error, str):
            message = error
        else:  # a bug, not a refusal: say so in one line, keep the dashboard running
            log.error("write failed", exc_info=error)
            message = self.t("desk.unexpected").format(type(error).__name__)
            said_once = True  # 数据未改动 (nothing was changed)
        if isinstance(form, ChoiceModal) and form.is_attached:
            form.show_error(message)
        elif isinstance(form, FormScreen) and form.is_attached:
            if not errors and field:
                errors = {field: message}
            known = {spec.key for spec in form.fields}
            beside = {key: text for key, text in errors.items() if key in known}
            # A reason that belongs to no field of this form is shown on the form as a whole.
            form.show_errors(beside, "" if beside and len(beside) == len(errors) else message)
        elif said_once:  # 未保存：… is said once, not after 未更改
            self.app.notify(message, severity="warning", timeout=8)
        elif isinstance(error, Refused) and error.about:  # the record first: MK… 未更改：…
            said = self.t("status.refused_about").format(about=error.about, reason=error.reason(self.lang))
            self.app.notify(said, severity="warning", timeout=8)
        else:
            self.app.notify(self.t("status.refused").format(message), severity="warning", timeout=8)

    def say(self, message: str) -> None:
        self.app.notify(message)

    # -- lists ---------------------------------------------------------------------------

    def report_error(self, error: Exception) -> None:
        """An error (in a worker, say) said in one line by the app, which runs on."""
        report = getattr(self.app, "report_error", None)
        if report is None:
            raise error
        report(error)

    def select_new(self, panel: str, key: str) -> None:
        """Put panel ``panel``'s cursor on row ``key``, a record just created, once it is on screen
        (after the reload that brings it, wherever it sorts), as a form that adds a row should."""
        for table in self.app.query(f"#{panel}-table").results(KeyedTable):
            table.select_key(key)

    def open_list(self, screen: TableScreen, on_close: Callable[[], None]) -> None:
        screen.set_class(self.ascii, "ascii")
        self.app.push_screen(screen, lambda _: on_close())

    # -- personal data -------------------------------------------------------------------

    def reveal(self, subject: str, then: Callable[[], None]) -> None:
        """Unmask ``subject`` for a permitted user; the attempt, granted or not, is logged first."""
        allowed = self.settings.may_reveal(self.store.actor)  # the system config's rule, never the caller's

        def write() -> bool:
            log_reveal(self.store, subject, ["name", "phone"], allowed)
            return allowed

        def after(granted: bool) -> None:
            if granted:
                then()
            else:
                self.app.notify(self.t("detail.reveal_denied"), severity="warning")

        self.submit(write, done=lambda _: "", after=after)
