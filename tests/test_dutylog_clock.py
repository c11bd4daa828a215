"""Properties of the incident reporting clock (store.dutylog.report_slots), for any limits and any reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings, strategies as st

from store.clock import TZ
from store.duty_models import Incident, IncidentReport, ReportStage
from store.dutylog import DutyRules, ReportLimits, incident_clock, report_slots

MINUTE = timedelta(minutes=1)

limits = st.builds(
    lambda phone, extra, follow, final: ReportLimits(
        phone_minutes=phone, written_minutes=phone + extra, follow_up_minutes=follow, final_minutes=final
    ),
    st.integers(1, 180),
    st.integers(0, 600),
    st.integers(1, 24 * 60),
    st.integers(1, 3 * 24 * 60),
)
# Any minute of 2026, so due times cross midnight, month ends and the year's end.
known_times = st.integers(0, 365 * 24 * 60 - 1).map(lambda m: datetime(2026, 1, 1, tzinfo=TZ) + m * MINUTE)


@st.composite
def incidents(draw: st.DrawFn) -> Incident:
    known = draw(known_times)
    stages = []
    if draw(st.booleans()):
        stages.append(ReportStage.PHONE)
    if draw(st.booleans()):
        stages.append(ReportStage.WRITTEN)
    stages += [ReportStage.FOLLOW_UP] * draw(st.integers(0, 4))
    stages = draw(st.permutations(stages))
    final = draw(st.booleans())
    gaps = draw(st.lists(st.integers(0, 600), min_size=len(stages) + 1, max_size=len(stages) + 1))
    reports, moment = [], known
    for stage, gap in zip([*stages, ReportStage.FINAL] if final else stages, gaps, strict=False):
        moment += gap * MINUTE
        reports.append(IncidentReport(stage=stage, at=moment, to="区应急局", by="值班员", recorded_by="duty"))
    # Recorded in any order (a phone report written down late), except that the 终报 closes the record.
    recorded = draw(st.permutations(reports[:-1] if final else reports))
    reports = [*recorded, reports[-1]] if final else list(recorded)
    ended = None
    if final:
        ended = moment - draw(st.integers(0, 600)) * MINUTE
        ended = max(ended, known)
    elif draw(st.booleans()):
        ended = moment + draw(st.integers(0, 600)) * MINUTE
    return Incident(
        id="SJ260101-01",
        title="事件",
        category="accident",
        occurred_at=known,
        known_at=known,
        ended_at=ended,
        closed_at=moment if final else None,
        reports=reports,
    )


@settings(max_examples=300, deadline=None)
@given(incidents(), limits)
def test_each_report_is_judged_by_its_own_limit(incident: Incident, limit: ReportLimits) -> None:
    rules = DutyRules(reports=limit)
    slots = report_slots(incident, rules)
    made = [s for s in slots if s.report is not None]
    assert [s.report for s in made] == sorted(incident.reports, key=lambda r: r.at)  # every report, once, by time
    previous = None
    for slot in made:
        expected = {
            ReportStage.PHONE: incident.known_at + limit.phone_minutes * MINUTE,
            ReportStage.WRITTEN: incident.known_at + limit.written_minutes * MINUTE,
            ReportStage.FOLLOW_UP: None if previous is None else previous + limit.follow_up_minutes * MINUTE,
            ReportStage.FINAL: None if incident.ended_at is None else incident.ended_at + limit.final_minutes * MINUTE,
        }[slot.stage]
        assert slot.due == expected  # exact minutes, whatever the date: across midnight and month ends alike
        assert slot.late(slot.report.at + timedelta(days=30)) == (expected is not None and slot.report.at > expected)
        previous = slot.report.at


@settings(max_examples=300, deadline=None)
@given(incidents(), limits)
def test_what_is_owed(incident: Incident, limit: ReportLimits) -> None:
    rules = DutyRules(reports=limit)
    owed = [s for s in report_slots(incident, rules) if s.report is None]
    stages = [r.stage for r in incident.reports]
    if not incident.is_open:
        assert owed == []  # the 终报 closes the account
        return
    owed_stages = {s.stage for s in owed}
    assert (ReportStage.PHONE in owed_stages) == (ReportStage.PHONE not in stages)
    assert (ReportStage.WRITTEN in owed_stages) == (ReportStage.WRITTEN not in stages)
    # After the end of handling the 终报 is owed; before it, once the written report is in, a 续报.
    assert (ReportStage.FINAL in owed_stages) == (incident.ended_at is not None)
    assert (ReportStage.FOLLOW_UP in owed_stages) == (incident.ended_at is None and ReportStage.WRITTEN in stages)
    for slot in owed:
        assert slot.due is not None and slot.due > incident.known_at
        if slot.stage is ReportStage.FOLLOW_UP:
            assert slot.due == max(r.at for r in incident.reports) + limit.follow_up_minutes * MINUTE


@settings(max_examples=200, deadline=None)
@given(incidents(), limits, st.integers(0, 3 * 24 * 60), st.integers(0, 3 * 24 * 60))
def test_late_stays_late_and_the_next_due_comes_first(incident: Incident, limit: ReportLimits, a: int, b: int) -> None:
    rules = DutyRules(reports=limit)
    base = max((r.at for r in incident.reports), default=incident.known_at)
    earlier, later = base + min(a, b) * MINUTE, base + max(a, b) * MINUTE
    before, after = incident_clock(incident, earlier, rules), incident_clock(incident, later, rules)
    assert {s.stage for s in before.late} <= {s.stage for s in after.late}  # time only adds lateness
    if after.next is not None:
        assert all(after.next.due <= s.due for s in after.owed)
        assert after.due_in == after.next.due - later
        assert (after.due_in < timedelta(0)) == bool(after.late)
