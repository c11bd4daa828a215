"""Panel 4, 摊位: the market's numbered spots, permits (准入证) and stall fees. Money is integer fen;
typed yuan are parsed as text by ``yuan_to_fen``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from duty_room.words import label, sentence
from store import clock
from store.market import (
    FeeRules,
    FeeTotals,
    PermitAction,
    StallView,
    apply_for_stall,
    change_permit,
    check_permit_move,
    end_of_year,
    fen_to_yuan,
    holders_payments,
    money,
    next_permit_action,
    payable,
    rate_changes,
    record_payment,
    releasable,
    release_stall,
    set_occupied,
    typed_period,
    yuan_to_fen,
)
from store.masking import mask_name, mask_phone
from store.models import FeeReduction, PermitEvent, PermitStatus, Stall, StallPayment, StallPermit, StallRate
from store.queries import Dashboard
from store.refusal import FieldsRefused, Refused, refused_about, said_of
from store.text import max_chars, typed_day
from widgets.keyed_table import Column, Row
from widgets.specs import DetailContent, FieldSpec

from ..desk import Watch
from ..presenters import Presenter, literal
from .base import DeskPanel

if TYPE_CHECKING:  # the screens are imported when the first opens, not before the first frame (widgets/specs.py)
    from widgets.form import FormScreen


# The payment form's refusals, each beside the field it is about.
PAYMENT_FIELDS = dict.fromkeys(
    ("amount_required", "amount_format", "amount_negative", "amount_too_large", "pay_amount", "pay_too_much"), "amount"
) | dict.fromkeys(("pay_period_format", "pay_future", "pay_before_holder"), "period")


class StallsPanel(DeskPanel):
    """摊位: who holds each spot, the permit's state, today's occupancy and arrears."""

    NAME = "stalls"
    NUMBER = 4
    GROUP = "stalls"
    # Payment is y (收费): p means "reveal personal data" on every screen that has it.
    KEYS = (("a", "advance"), ("s", "suspend"), ("y", "pay"), ("m", "occupancy"), ("x", "release"))
    QUIET = frozenset({"release"})  # rarer: in `?` help and the palette, not the Footer (80 columns)

    @classmethod
    def columns(cls, p: Presenter) -> Sequence[str | Column]:
        return stall_columns(p)

    def render_data(self, data: Dashboard) -> int:
        p = self.desk.present
        return self.show(
            stall_summary(p, data.stalls),
            lambda: [stall_row(p, v) for v in data.stalls],
            detail=fees_line(p, data.fees, self.desk.settings.fees),
        )

    def view(self, key: str | None) -> StallView | None:
        return next((s for s in self.data.stalls if s.stall.id == key), None) if self.data and key else None

    def selected_stall(self) -> StallView | None:
        return self.view(self.table.cursor_key)

    def selected_subject(self) -> str:
        view = self.selected_stall()
        return f"{view.stall.market} {view.stall.number}" if view is not None else ""

    def detail_content(self, key: str, *, reveal: bool) -> DetailContent | None:
        view = self.view(key)
        if view is None:
            return None
        payments = holders_payments(view.stall, self.desk.store.all_partitions(StallPayment))
        return stall_detail(self.desk.present, view, payments, reveal=reveal)

    def action_step(self, name: str) -> None:
        view = self.selected_stall()
        if view is None:  # no spot recorded yet: said, not a key gone dead
            self.desk.refuse(self.t("stalls.pick_spot"))
            return
        stall = view.stall
        spot = f"{stall.market} {stall.number}"
        today = clock.now().date()
        if name == "occupancy":
            occupied = not view.occupied
            self.desk.submit(
                # The spot as the panel shows it: changed since by another desk, refused.
                said_of(spot, lambda: set_occupied(self.desk.store, stall.id, occupied, expected=stall)),
                lambda _: self.t("stall.marked_occupied" if occupied else "stall.marked_vacant").format(spot),
            )
            return
        with refused_about(spot):  # a step refused before its form opens names the spot under the cursor
            if name == "pay":
                self.ask_payment(view, spot, today)
            elif name == "advance":
                if view.permit is None or not stall.holder_name:  # a vacant spot: a new holder applies
                    self.ask_application(view, spot)
                    return
                action = next_permit_action(view.permit, today)
                if action is None:
                    raise Refused("permit_move", action=PermitAction.APPROVE, status=view.permit_status or "—")
                self.ask_permit(view, action, spot, today)
            elif name == "suspend":
                self.ask_permit(view, PermitAction.SUSPEND, spot, today)
            elif name == "release":
                self.ask_release(view, spot)

    # -- forms ------------------------------------------------------------------------------

    def ask_release(self, view: StallView, spot: str) -> None:
        """退摊: refused at once when there is nobody to release or fees are owed; else ask why."""
        desk = self.desk
        releasable(view)

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            shown: StallView = desk.shown(form)  # the spot as the form shows it: changed since, refused
            self.desk.submit(
                lambda: release_stall(
                    desk.store, view.stall.id, values.get("reason", ""), desk.settings.fees, expected=shown.stall
                ),
                lambda _: self.t("stall.released").format(spot),
                form,
                {"release_needs_reason": "reason"},
            )

        desk.ask(
            self.t("stall.release_title").format(spot),
            [FieldSpec("reason", self.t("form.release_reason"), max_length=max_chars(PermitEvent, "note"))],
            submitted,
            subtitle=self.t("stall.release_hint"),
            # The store compares the whole spot (expected=shown.stall), occupancy included: 退摊 empties it.
            watch=self.stall_watch(view, lambda v: (v.stall, v.arrears_fen), releasable),
        )

    def ask_application(self, view: StallView, spot: str) -> None:
        """申请: who takes the spot, what they sell, and any fee reduction they are entitled to."""
        desk, t = self.desk, self.t
        if view.stall.holder_name:
            raise Refused("permit_none")

        def vacant(now: StallView) -> None:
            if now.stall.holder_name:
                raise Refused("stall_taken", stall=now.stall.number)

        reductions = [
            (r.value, t("empty.none" if r is FeeReduction.NONE else f"reduction.short.{r.value}")) for r in FeeReduction
        ]
        fields = [
            FieldSpec("holder_name", t("form.holder_name"), max_length=max_chars(StallPermit, "holder_name")),
            FieldSpec("holder_phone", t("form.holder_phone"), example="138xxxxxxxx"),
            FieldSpec("goods", t("form.goods"), max_length=max_chars(Stall, "goods")),
            FieldSpec("reduction", t("form.reduction"), "choice", reductions, value=FeeReduction.NONE.value),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            shown: StallView = desk.shown(form)  # the spot as the form shows it: changed since, refused
            self.desk.submit(
                lambda: apply_for_stall(
                    desk.store,
                    view.stall.id,
                    holder_name=values.get("holder_name", ""),
                    holder_phone=values.get("holder_phone", "").strip() or None,
                    goods=values.get("goods", ""),
                    reduction=FeeReduction(values.get("reduction") or FeeReduction.NONE.value),
                    expected=shown.stall,
                    rules=desk.settings.fees,
                ),
                lambda permit: t("stall.applied_done").format(spot=spot, name=mask_name(permit.holder_name)),
                form,
                {"apply_needs_name": "holder_name"},
            )

        desk.ask(
            t("stall.apply_title").format(spot),
            fields,
            submitted,
            watch=self.stall_watch(view, lambda v: v.stall, vacant),  # as the store compares it (expected=)
        )

    def ask_permit(self, view: StallView, action: PermitAction, spot: str, today: date) -> None:
        """The step's form, once the permit's state allows the step: else refused before a reason is typed."""
        desk, t = self.desk, self.t
        check_permit_move(view.permit, action, today)
        fields = []
        if action is PermitAction.APPROVE:
            fields.append(
                FieldSpec("expires", t("form.expires"), value=f"{end_of_year(today)}", example=f"{end_of_year(today)}")
            )
        why = t("form.suspend_reason") if action is PermitAction.SUSPEND else t("modal.note")
        fields.append(FieldSpec("note", why, max_length=max_chars(PermitEvent, "note")))

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            expires = None
            if action is PermitAction.APPROVE:
                try:
                    expires = typed_day(values.get("expires", ""), "permit_expiry_format")
                except Refused as wrong:
                    raise FieldsRefused({"expires": wrong.message(desk.lang)}) from None
            shown: StallView = desk.shown(form)  # the permit as the form shows it: changed since, refused
            self.desk.submit(
                lambda: change_permit(
                    desk.store,
                    view.stall.id,
                    action,
                    note=values.get("note", ""),
                    expires_on=expires,
                    expected=shown.permit,
                ),
                lambda _: t("stall.permit_done").format(spot=spot, action=sentence(label(action, desk.lang))),
                form,
                {"permit_needs_reason": "note", "permit_expiry_past": "expires", "expires_on": "expires"},
            )

        def permit_now(now: StallView) -> str:
            status = label(now.permit_status, desk.lang) if now.permit_status else t("empty.none")
            return t("stall.permit_now").format(status)

        desk.ask(
            f"{sentence(label(action, desk.lang))} · {spot}",
            fields,
            submitted,
            subtitle=permit_now(view),
            watch=self.stall_watch(
                view,
                lambda v: (v.permit, v.permit_status),
                lambda now: check_permit_move(now.permit, action, today),
                permit_now,
            ),
        )

    def ask_payment(self, view: StallView, spot: str, today: date) -> None:
        desk, t = self.desk, self.t
        period, left = payable(view, today)
        fields = [
            FieldSpec("period", t("form.period"), value=period, example="2026-11"),
            FieldSpec("amount", t("form.amount"), value=fen_to_yuan(left, cents="auto"), example="150"),
            FieldSpec(
                "collector",
                t("form.collector"),
                value=desk.store.actor,
                max_length=max_chars(StallPayment, "collector"),
            ),
        ]

        def submitted(form: FormScreen, values: dict[str, str]) -> None:
            # Both typed fields judged at once: a month and an amount both mistyped were said one a save.
            errors: dict[str, str] = {}
            for key, read in (("period", typed_period), ("amount", yuan_to_fen)):
                try:
                    read(values.get(key, ""))
                except Refused as refused:
                    errors[key] = refused.message(desk.lang)
            if errors:
                raise FieldsRefused(errors)
            self.desk.submit(
                # typed yuan are read as text, never a float: amount_format if not money
                lambda: record_payment(
                    desk.store,
                    view.stall.id,
                    values.get("period", "").strip(),
                    yuan_to_fen(values.get("amount", "")),
                    values.get("collector", "").strip() or desk.store.actor,
                    desk.settings.fees,
                ),
                lambda payment: t("stall.paid").format(
                    spot=spot, period=payment.period, amount=fen_to_yuan(payment.amount_fen)
                ),
                form,
                PAYMENT_FIELDS,
            )

        def owed(now: StallView) -> str:
            # 减免后 only where a reduction makes the fee less: it said so of every spot
            reduced = now.due_fen != now.stall.monthly_fee_fen
            arrears, months = fen_to_yuan(now.arrears_fen), " ".join(now.unpaid_periods[:6])
            owes = t("stall.owes").format(arrears=arrears, months=months) if months else t("stall.owes_nothing")
            return t("stall.pay_subtitle" if reduced else "stall.pay_subtitle_full").format(
                due=fen_to_yuan(now.due_fen), owes=owes
            )

        desk.ask(
            t("stall.pay_title").format(spot),
            fields,
            submitted,
            subtitle=owed(view),
            watch=self.stall_watch(
                view,
                lambda v: (v.stall.holder_name, v.due_fen, dict(v.due_by_month), dict(v.paid_fen)),
                lambda now: payable(now, today),
                owed,
            ),
        )

    def stall_watch(
        self,
        view: StallView,
        part: Callable[[StallView], object],
        check: Callable[[StallView], object],
        subtitle: Callable[[StallView], str] | None = None,
    ) -> Watch[StallView]:
        """A spot's form follows the spot (``part``: the holder, the permit, the payments). A form
        whose save gives the store the spot itself (申请, 退摊) follows all of it, today's occupancy
        too, so a save refused as changed always has its change on the form."""
        t = self.t

        def state(now: StallView) -> str:
            holder = mask_name(now.stall.holder_name) if now.stall.holder_name else t("stall.no_holder")
            status = now.permit_status if now.stall.holder_name else None  # a vacant spot's old permit is history
            permit = label(status, self.desk.lang) if status is not None else t("empty.none")
            arrears = fen_to_yuan(now.arrears_fen, cents="auto")
            line = t("overtaken.stall").format(holder=holder, permit=permit, arrears=arrears)
            if not now.stall.holder_name:  # a vacant spot is never marked occupied
                return line
            return t("overtaken.stall_open" if now.occupied else "overtaken.stall_empty").format(line)

        return Watch(
            view,
            lambda data: next((v for v in data.stalls if v.stall.id == view.stall.id), None),
            state,
            check,
            subtitle,
            part=part,
        )


# -- words and rows ------------------------------------------------------------------------------------


HOLDER = 4  # the holder's column in ``stall_columns``


def stall_columns(p: Presenter) -> list[str | Column]:
    # Most decisive first; money is never cut. Narrow, the goods, then the holder give way to the fee.
    return [
        *(p.t(k) for k in ("col.stall", "col.permit", "col.arrears", "col.today")),
        Column(p.t("col.holder"), shrink=True, min_width=4, drop=2),
        p.t("col.fee_due"),
        Column(p.t("col.goods"), shrink=True, min_width=4, drop=1),
    ]


def stall_row(p: Presenter, view: StallView) -> Row:
    stall = view.stall
    holder = mask_name(stall.holder_name) if stall.holder_name else p.t("stall.no_holder")
    # 空位 is a label, not a name: never cut (it was, to (空…); where it does not fit, the column is left out.
    whole = frozenset() if stall.holder_name else frozenset({HOLDER})
    permit = Text("")
    if view.permit_status is not None and stall.holder_name:  # a vacant spot's old permit is history
        bad = view.permit_status in (PermitStatus.SUSPENDED, PermitStatus.EXPIRED)
        waiting = view.permit_status in (PermitStatus.APPLIED, PermitStatus.APPROVED)
        permit = Text(label(view.permit_status, p.lang), style="bold red" if bad else "cyan" if waiting else "")
    arrears = Text(money(view.arrears_fen), style="bold red") if view.arrears_fen else Text("")
    fee = Text(fen_to_yuan(view.due_fen, cents="auto") if view.due_fen else "-", justify="right")
    if stall.reduction is not FeeReduction.NONE:  # why is the holder's: their detail says, revealed
        fee.append(p.t("reduction.mark"), style="bold magenta")
    today = Text(p.t("stall.occupied"), style="bold green") if view.occupied else Text(p.t("stall.vacant"), style="dim")
    return Row(
        stall.id,
        (
            literal(f"{stall.market[:1]}{stall.number:02d}", style="bold"),
            permit,
            arrears,
            today,
            literal(holder, style="dim" if not stall.holder_name else ""),
            fee,
            literal(stall.goods),  # a shrinking column: cut to the panel's width
        ),
        whole=whole,
    )


def stall_summary(p: Presenter, stalls: list[StallView]) -> Text:
    return p.summary_line(
        4,
        "panel.stalls",
        p.t("summary.stalls").format(
            occupied=sum(v.occupied for v in stalls),
            total=len(stalls),
            arrears=sum(v.arrears_fen > 0 for v in stalls),
        ),
        alarm=False,
    )


def fees_line(p: Presenter, totals: FeeTotals, rules: FeeRules) -> list[Text]:
    """收费 本月¥2,686 今年¥32,504 累计¥153,992 · 减免 残疾人50% 退役军人30%, and its shorter versions
    (``FitLine``): the reductions give way first, then the words shorten, then the total; no amount is cut."""

    amounts = {"month": money(totals.month_fen), "year": money(totals.year_fen), "total": money(totals.to_date_fen)}
    full = Text(p.t("fees.line").format(**amounts))
    reductions = " ".join(
        f"{p.t('reduction.short.' + r.value)}{rules.percent_off(r)}%"
        for r in FeeReduction
        if r is not FeeReduction.NONE
    )
    full.append(f"  {p.t('fees.reductions')} {reductions}", style="dim")
    return [full, *(Text(p.t(key).format(**amounts)) for key in ("fees.line", "fees.short", "fees.this_year"))]


def rate_lines(p: Presenter, rates: Sequence[StallRate], *, reveal: bool) -> list[Text]:
    """A stall's rate history, oldest first, one line a rate, in columns that line up in terminal cells."""
    cells = [
        (
            p.t("stall.rate_from").format(rate.from_month),
            f"¥{fen_to_yuan(rate.monthly_fee_fen)}",
            f"¥{fen_to_yuan(rate.due_fen)}",
            ""
            if rate.reduction is FeeReduction.NONE
            else label(rate.reduction, p.lang)
            if reveal
            else p.t("reduction.masked"),
        )
        for rate in rates
    ]
    since, fee, due = (max(cell_len(line[i]) for line in cells) for i in range(3))
    return [
        literal(
            f"{pad(start, since)}  {pad(fen, fee, right=True)} → {pad(owed, due, right=True)}  {reduction}".rstrip()
        )
        for start, fen, owed, reduction in cells
    ]


def pad(text: str, cells: int, *, right: bool = False) -> str:
    """``text`` filled with spaces to ``cells`` terminal cells, on the right (or the left)."""
    fill = " " * (cells - cell_len(text))
    return fill + text if right else text + fill


def fee_and_due(fee_fen: int, due_fen: int) -> str:
    """The fee and, where a reduction makes it less, what the holder owes: ``¥300.00 → ¥150.00``."""
    return f"¥{fen_to_yuan(fee_fen)}" + (f" → ¥{fen_to_yuan(due_fen)}" if due_fen != fee_fen else "")


def stall_detail(p: Presenter, view: StallView, payments: list[StallPayment], *, reveal: bool) -> DetailContent:
    stall = view.stall
    holder = stall.holder_name if reveal else mask_name(stall.holder_name)
    phone = (stall.holder_phone or "") if reveal else mask_phone(stall.holder_phone)
    reduction = ""
    if stall.reduction is not FeeReduction.NONE:  # a disability is health data (store/masking.py)
        reduction = f" ({label(stall.reduction, p.lang) if reveal else p.t('reduction.masked')})"
    fields = [
        (p.t("col.stall"), literal(f"{stall.market} {stall.number}")),
        (p.t("col.holder"), literal(holder or p.t("stall.no_holder"))),
        (p.t("col.phone"), literal(phone or p.t("empty.none"))),
        (p.t("col.goods"), literal(stall.goods)),
        (p.t("col.permit"), Text(label(view.permit_status, p.lang) if view.permit_status else p.t("empty.none"))),
        (p.t("col.fee"), Text(f"{fee_and_due(stall.monthly_fee_fen, view.due_fen)}{reduction}")),
        (p.t("col.arrears"), Text(f"¥{fen_to_yuan(view.arrears_fen)} " + " ".join(view.unpaid_periods))),
    ]
    if view.permit is not None and view.permit.expires_on:
        fields.append((p.t("stall.expires"), Text(f"{view.permit.expires_on}")))
    sections = []
    if view.permit is not None and view.permit.history:
        sections.append(
            (
                p.t("stall.permit_history"),
                [
                    literal(
                        f"{e.at:%Y-%m-%d} {p.t('PermitAction.' + e.action) if e.action != 'apply' else p.t('stall.applied')} "
                        f"→ {label(e.to_status, p.lang)}  [{e.actor}] {e.note}"
                    )
                    for e in view.permit.history
                ],
            )
        )
    if len(rates := rate_changes(stall.rates)) > 1:  # (one stored before they were left out)
        sections.append((p.t("stall.rates"), rate_lines(p, rates, reveal=reveal)))
    recent = sorted(payments, key=lambda pay: pay.paid_at, reverse=True)[:6]
    if recent:
        amounts = [f"¥{fen_to_yuan(pay.amount_fen)}" for pay in recent]
        width = max(cell_len(amount) for amount in amounts)  # ¥70.00 under ¥100.00: the dates in one column
        sections.append(
            (
                p.t("detail.payments"),
                [
                    literal(f"{pay.period}  {pad(amount, width, right=True)}  {pay.paid_at:%Y-%m-%d}  {pay.collector}")
                    for pay, amount in zip(recent, amounts, strict=True)
                ],
            )
        )
    # p only where a holder or a reduction is: a vacant spot that never had one has nothing masked
    personal = bool(stall.holder_name or stall.holder_phone or reduction) or any(
        rate.reduction is not FeeReduction.NONE for rate in stall.rates
    )
    subject = f"stalls:{stall.id}" if personal else ""
    return p.detail(f"{stall.market} {stall.number}", fields, sections, subject=subject, reveal=reveal)
