"""The interface's words (the dashboard and the CLI): Chinese first, English second. ``t`` looks a
key up here, then in the domain's (store/i18n.py), so UI code asks one place.
"""

from __future__ import annotations

from enum import StrEnum

from store import i18n
from store.i18n import Lang, label, parse_member, validation_message

__all__ = ["Lang", "all_labels", "cell", "keys", "label", "parse_member", "sentence", "t", "validation_message"]

UI_WORDS: dict[str, tuple[str, str]] = {
    # An enum member's word in a table cell where its label would widen the table past the screen
    # (English words are about twice as wide); the label is said in full elsewhere.
    "cell.PetitionStatus.dispatched": ("已派单", "assigned"),
    "cell.PetitionStatus.in_progress": ("处置中", "ongoing"),
    "cell.Level.building": ("楼栋", "block"),
    "cell.Level.community": ("社区", "comm."),
    "cell.Level.township": ("乡镇", "town"),
    "cell.Category.property": ("物业纠纷", "property"),
    "cell.Category.family": ("家庭矛盾", "family"),
    "cell.Category.neighbour": ("邻里纠纷", "neighbour"),
    "cell.Category.infrastructure": ("基础设施", "facility"),
    "cell.Category.gas": ("燃气安全", "gas"),
    "cell.Category.sanitation": ("环境卫生", "hygiene"),
    "cell.Category.street_vending": ("占道经营", "vending"),
    "cell.Category.illegal_building": ("违法建设", "building"),
    "cell.Category.public_security": ("治安", "security"),
    "cell.Category.convenience": ("便民服务", "services"),
    "cell.Satisfaction.satisfied": ("满意", "good"),
    "cell.Satisfaction.basically": ("基本满意", "fair"),
    "cell.Satisfaction.unsatisfied": ("不满意", "poor"),
    "cell.ReportStage.phone": ("首报", "first"),
    "cell.ReportStage.written": ("书面", "written"),
    "cell.ReportStage.follow_up": ("续报", "update"),
    "cell.ReportStage.final": ("终报", "final"),
    # A count of special households by group: one character each, so they are told apart without
    # colour (the first of the colour key's short words: 独居 残疾 行动不便 孤寡).
    "mark.SpecialTag.living_alone": ("独", "A"),
    "mark.SpecialTag.disabled": ("残", "D"),
    "mark.SpecialTag.limited_mobility": ("行", "M"),
    "mark.SpecialTag.childless_elderly": ("孤", "C"),
    "cell.SpecialTag.living_alone": ("独居", "alone"),
    "cell.SpecialTag.limited_mobility": ("行动不便", "mobility"),
    "cell.SpecialTag.childless_elderly": ("孤寡", "childless"),
    "cell.SessionPhase.checked_in": ("已签到", "ready"),  # checked in before its start
    "audience.short.elderly": ("老", "S"),
    "audience.short.children": ("小", "C"),
    # -- refusals (store.lifecycle.IllegalTransition) ---------------------------
    "stall.apply_title": ("摊位申请 · {}", "Application · {}"),
    "stall.applied_done": (
        "{spot}：{name} 的申请已登记，待审核",
        "{spot}: Application by {name} registered, awaiting review",
    ),
    "form.holder_name": ("申请人（摊主）", "Applicant (holder)"),
    "form.holder_phone": ("联系电话", "Phone"),
    "form.goods": ("经营品类", "Goods"),
    "form.reduction": ("摊位费减免", "Fee reduction"),
    "stall.release_title": ("退摊 · {}", "Release · {}"),
    "stall.release_hint": (
        "摊主退出，准入证今日终止，摊位空出可重新申请",
        "the holder leaves; the permit ends today and the spot is free for a new application",
    ),
    "stall.released": ("{} 已退摊，摊位空出", "{} released; the spot is vacant"),
    "form.release_reason": ("退摊原因（必填）", "Reason (required)"),
    "key.stalls.release": ("退摊", "Release"),
    "col.address": ("门牌", "Address"),
    "col.head": ("户主", "Head"),
    "col.tags": ("重点人群", "Groups"),
    "col.visitor": ("走访人", "Visitor"),
    "col.today": ("今日", "Today"),
    "col.note": ("民情日志", "Log"),
    "col.role": ("职务", "Role"),
    "col.name": ("姓名", "Name"),
    "col.phone": ("电话", "Phone"),
    "col.households": ("户数", "Homes"),
    "col.last_visit": ("最近走访", "Last visit"),
    "col.fee_due": ("月费", "Fee"),
    "visits.out": ("出勤{out}/{total}人", "{out}/{total} workers out"),
    "visits.sorted_least": ("按进度最慢排序", "slowest first"),
    "visits.sorted_least.short": ("最慢在前", "slowest first"),
    "visits.special_only": ("只看重点户未访", "unvisited special homes only"),
    "visits.special_only.short": ("重点户未访", "special unvisited"),
    "visits.done_at": ("已访{}", "done {}"),
    "visits.waiting": ("待访", "to visit"),
    "visits.not_planned": ("今日未排", "not planned"),
    "visits.progress": ("今日已访 {visited}/{planned}", "today {visited}/{planned} visited"),
    "households.title": ("住户", "households"),
    "households.visited": ("{} 已登记走访（{}）", "{} visit logged ({})"),
    "roster.title": ("{} 网格一表全清", "{} grid roster"),
    "roster.summary": ("{community}：{grids}个网格 {people}人", "{community}: {grids} grids, {people} people"),
    "workers.title": ("今日出勤：网格员走访", "Who is out today"),
    "workers.summary": (
        "今日已走访 {out}/{total} 人，尚无走访记录 {idle} 人（黄色）",
        "{out}/{total} have logged visits today; {idle} have not (yellow)",
    ),
    "workers.none_yet": ("尚未走访", "none yet"),
    "list.close": ("{key} 返回", "{key} Back"),
    "services.served_short": (" {}人", " {}"),
    "services.next": ("下一场 {when} {title}", "next {when} {title}"),
    "services.none_next": ("近一周没有安排", "nothing scheduled this week"),
    "services.only": ("只看{}", "{} only"),
    "services.checked_in": ("签到", "Checked in"),
    "services.served": ("服务人数", "Served"),
    "services.reason": ("取消原因", "Reason"),
    "services.cancelled_at": ("取消于", "Cancelled at"),
    "services.checked_in_done": ("{} 已签到", "{} checked in"),
    "services.completed": ("{} 已完成，服务 {} 人", "{} done, {} served"),
    "services.cancelled": ("{} 已取消", "{} cancelled"),
    "services.complete_title": ("完成 · {}", "Complete · {}"),
    # Closed with 返回, never 取消, which an officer would read as cancelling the session.
    "services.cancel_title": ("取消本场服务 · {}", "Cancel this session · {}"),
    "services.cancel_confirm": ("确认取消本场", "Cancel the session"),
    "detail.updated_by": ("最后更改", "Last change by"),
    "reduction.mark": ("减", "R"),
    "reduction.masked": ("减免 **", "reduced, **"),
    "reduction.short.disabled": ("残疾人", "disabled"),
    "reduction.short.veteran": ("退役军人", "veterans"),
    "fees.line": ("收费 本月{month} 今年{year} 累计{total}", "collected: month {month}, year {year}, to date {total}"),
    "fees.short": ("收费 月{month} 年{year} 累计{total}", "fees: mo {month}, yr {year}, all {total}"),
    "fees.this_year": ("收费 本月{month} 今年{year}", "fees: month {month}, year {year}"),
    "fees.reductions": ("减免", "reductions"),
    "stall.expires": ("有效期至", "Expires"),
    "stall.permit_history": ("准入证审核", "Permit review"),
    "stall.rates": ("收费标准变更", "Rate history"),
    "stall.rate_from": ("{}起", "from {}"),
    "stall.applied": ("申请", "apply"),
    "stall.marked_occupied": ("{} 已标记出摊", "{} marked occupied"),
    "stall.marked_vacant": ("{} 已标记空摊", "{} marked vacant"),
    "stall.permit_done": ("{spot}：准入证已{action}", "{spot}: {action} done"),
    "stall.permit_now": ("准入证现为「{}」", "Permit is now '{}'"),
    "stall.pay_title": ("收摊位费 · {}", "Record payment · {}"),
    "stall.pay_subtitle": ("月费 ¥{due}（减免后）· {owes}", "¥{due}/month after reduction · {owes}"),
    "stall.pay_subtitle_full": ("月费 ¥{due} · {owes}", "¥{due}/month · {owes}"),
    "stall.owes": ("欠费 ¥{arrears}：{months}", "owes ¥{arrears}: {months}"),
    "stall.owes_nothing": ("不欠费", "nothing owed"),
    "stall.paid": ("{spot}：{period} 收费 ¥{amount}", "{spot}: ¥{amount} paid for {period}"),
    "form.visitor": ("走访人（输入筛选，↑↓选择）", "Visited by (type to filter, ↑↓ to pick)"),
    "form.visit_note": ("民情日志（走访情况，必填）", "Log entry (what you found, required)"),
    "form.served": ("服务人数", "People served"),
    "form.cancel_reason": ("取消原因（必填，会告知服务对象）", "Reason (required; people are told)"),
    "form.expires": ("有效期至（年-月-日）", "Valid until (YYYY-MM-DD)"),
    "form.suspend_reason": ("暂停原因（必填）", "Reason (required)"),
    "form.period": ("缴费月份（年-月）", "Month paid for (YYYY-MM)"),
    "form.amount": ("金额（元）", "Amount (yuan)"),
    "form.collector": ("收费人", "Collected by"),
    "key.visits.roster": ("一表全清", "Roster"),
    "key.visits.workers": ("出勤", "Who's out"),
    "key.visits.sort": ("最慢优先", "Slowest"),
    "key.visits.special": ("重点未访", "Unvisited"),
    "key.services.check_in": ("签到", "Check in"),
    "key.services.complete": ("完成", "Complete"),
    "key.services.cancel": ("取消", "Cancel"),
    "key.services.audience": ("老/小", "Old/young"),
    "key.stalls.advance": ("审批", "Approve"),
    "key.stalls.suspend": ("暂停", "Suspend"),
    "key.stalls.pay": ("收费", "Payment"),
    "key.stalls.occupancy": ("出摊/空", "Occupy"),
    "key.list.close": ("返回", "Back"),
    "key.list.visit": ("走访登记", "Log visit"),
    "key.list.petition": ("登记诉求", "Raise petition"),
    "key.list.special": ("只看重点户未访", "Special unvisited only"),
    "key.list.reveal": ("显示个人信息", "Reveal"),
    "key.list.reopen": ("重开", "Reopen"),
    "ended.title": ("已结案件（近30天）", "Cases ended in the last 30 days"),
    "ended.summary": (
        "{} 件：已回访、已撤销、已合并；更早的已归档（duty-room petition show 编号）",
        "{}: closed, cancelled or merged; older ones are archived (duty-room petition show ID)",
    ),
    # -- forms ------------------------------------------------------------------
    "form.assignee": ("承办人 / 单位（输入筛选，↑↓选择）", "Assignee (type to filter, ↑↓ to pick)"),
    "form.type_to_filter": ("输入姓名、网格或单位筛选", "type a name, grid or unit"),
    "form.no_match": ("没有匹配项", "no match"),
    "form.no_choice": ("没有与“{}”相符的选项：请从列表中选择", 'nothing matches "{}": choose from the list'),
    "form.choose": ("请选择", "choose"),
    "form.grid_filter": ("输入社区或网格名筛选（可不填）", "type a community or grid (optional)"),
    "form.satisfaction": ("满意度", "Satisfaction"),
    "form.solved": ("问题是否解决", "Solved?"),
    "form.yes": ("已解决", "yes"),
    "form.no": ("未解决", "no"),
    "form.days": ("延期工作日数", "Extra working days"),
    "form.duplicate_of": ("合并到（原件编号，输入筛选，↑↓选择）", "Merge into (type to filter, ↑↓ to pick)"),
    "intake.heading": ("登记民情诉求", "Register a petition"),
    "intake.hint": (
        "{next} 切换字段，Enter 或 {submit} 提交，{cancel} 放弃；全部有效才会保存",
        "{next} moves, Enter or {submit} submits, {cancel} abandons; nothing is saved until every field is valid",
    ),
    "intake.title": ("诉求（一句话）", "Subject (one line)"),
    "intake.saved": ("已登记 {id}，时限 {due}", "Registered {id}, due {due}"),
    "case.done": ("{id}：{action}完成", "{id}: {action} done"),
    # 升级 says where the case goes: in its form (after the status) and once done.
    "case.escalate_to": ("；升级：{level} → {to}", "; escalate: {level} → {to}"),
    "case.escalated": ("，{level} → {to}", ", {level} → {to}"),
    "history.solved": ("已解决", "solved"),
    "history.unsolved": ("未解决", "not solved"),
    "case.supervise_to": ("；督办：{}", "; supervision: {}"),
    "case.supervised": ("，{}", ", {}"),
    "case.sent_back": ("，不满意，发回重办：现为「{}」", ", unsatisfied: sent back to be redone, now {}"),
    "filter.placeholder": (
        "筛选：文字，或 status:处置中 cat:燃气 grid:3号楼 who:执法 lvl:社区；{close} 清除",
        "filter: text, or status:in_progress cat:gas grid:3 who:police lvl:community; {close} clears",
    ),
    "filter.shown": ("筛选：{shown}/{total}", "filter: {shown}/{total}"),
    "filter.unknown": ("没有{field}「{value}」", "no {field} {value!r}"),
    "sort.label": ("排序：{}", "sort: {}"),
    # The nine figures must fit an 80-column panel (76 cells) at 100% everywhere: hence resp. / satisf.
    "metrics.line": (
        "{windows}  响应率 {r}  解决率 {s}  满意率 {f}",
        "{windows}  resp. {r}  solved {s}  satisf. {f}",
    ),
    "metrics.window.today": ("今日", "today"),
    "metrics.window.7d": ("7天", "7d"),
    "metrics.window.30d": ("30天", "30d"),
    # roster forms: panel 2's 一表全清 and household list, panel 3's schedules (store/roster.py)
    "form.worker_phone": ("手机（11 位，或带区号的座机）", "Phone (11-digit mobile, or landline with area code)"),
    "form.phone_keep": ("不改请留空（现为 {}）", "leave empty to keep {}"),
    "form.worker_grid": ("所属网格（输入筛选，↑↓选择）", "Grid (type to filter, ↑↓ to pick)"),
    "form.type_to_filter_grid": ("输入社区或网格名筛选", "type a community or grid"),
    "form.type_to_filter_case": ("输入编号或诉求筛选", "type a case ID or subject"),
    "form.hand_over_to": ("接手走访计划的网格员（输入筛选，↑↓选择）", "Visits go to (type to filter, ↑↓ to pick)"),
    "form.move_to": ("迁到网格（输入筛选，↑↓选择）", "Move to grid (type to filter, ↑↓ to pick)"),
    "form.special_every": (
        "重点户：超过几天未访就排（1–366）",
        "Special households: plan when not visited for N days (1-366)",
    ),
    "form.others_every": (
        "其他户：超过几天未访就排（1–366）",
        "Other households: plan when not visited for N days (1-366)",
    ),
    "form.kind": ("服务类型", "Service"),
    "form.schedule_title": ("名称", "Title"),
    "form.start": ("开始时间", "Starts"),
    "form.end": ("结束时间", "Ends"),
    "form.recurrence": ("重复", "Repeats"),
    "form.weekdays": ("每周几（「每周」时填）", "Weekdays (weekly only)"),
    "form.staff": ("服务人员（用顿号分隔，可不填）", "Staff (separated by 、, optional)"),
    "form.starts_on": ("开始日期（可不填）", "First day (optional)"),
    "form.ends_on": ("结束日期（可不填）", "Last day (optional)"),
    "invalid.days": ("请填 1 到 {most} 的整数天数", "a whole number of days from 1 to {most}"),
    "visits.pick_grid": (
        "请先选中一个网格（不是社区或人员那一行）",
        "select a grid first (not a community or a person)",
    ),
    "visits.pick_worker": ("请先选中一位网格员（不是网格那一行）", "select a grid worker first (not a grid)"),
    "petitions.pick_case": ("没有选中的案件", "no case selected"),
    "services.pick_session": ("没有选中的场次", "no session selected"),
    "stalls.pick_spot": ("没有选中的摊位", "no spot selected"),
    "visits.add_worker_title": ("添加网格员 · {}", "Add a grid worker · {}"),
    "visits.edit_worker_title": ("修改网格员 · {}", "Change a grid worker · {}"),
    "visits.worker_added": ("已添加{role} {name}（{grid}）", "{role} {name} added ({grid})"),
    "visits.worker_edited": ("网格员 {name} 已修改", "Grid worker {name} changed"),
    "visits.retire_title": ("退出名册 · {}", "Retire from the roster · {}"),
    "visits.retire_plans": (
        "今日起还有 {n} 条走访计划，须交给接手的网格员；过去的走访记录保留",
        "{n} visits are planned from today: choose who takes them over; past visits stay as they are",
    ),
    "visits.retire_no_plans": (
        "今日起没有走访计划，可直接退出；过去的走访记录保留",
        "no visits planned from today; past visits stay as they are",
    ),
    "visits.worker_retired": (
        "{name} 已退出名册，{n} 条走访计划交给 {to}",
        "{name} retired; {n} planned visits handed to {to}",
    ),
    "visits.worker_retired_none": ("{name} 已退出名册", "{name} retired from the roster"),
    # A grid in a picker: its community, its name and its level (东城花园社区 1号楼1单元（微网格）).
    "visits.grid_option": ("{community} {grid}（{level}）", "{community} {grid} ({level})"),
    "visits.move_title": ("迁到其他网格 · {}", "Move to another grid · {}"),
    "visits.move_hint": (
        "现属 {grid}；今日起的走访计划改由新网格的走访人负责",
        "now in {grid}; visits planned from today go to the new grid's visitor",
    ),
    "visits.household_moved": ("{address} 已迁到 {grid}", "{address} moved to {grid}"),
    "visits.household_moved_plans": (
        "{address} 已迁到 {grid}，{n} 条走访计划随迁",
        "{address} moved to {grid}; {n} planned visits went along",
    ),
    "visits.household_moved_dropped": (
        "{address} 已迁到 {grid}；新网格没有走访人，{n} 条走访计划已取消",
        "{address} moved to {grid}; nobody visits there, so {n} planned visits were dropped",
    ),
    "visits.plan_title": ("排明日走访 · {}", "Plan tomorrow's visits · {}"),
    "visits.plan_hint": (
        "{day}：超过间隔天数未访的住户排入计划（含下级网格），已排的不变",
        "{day}: households not visited within the interval are planned (grids below included); plans already made stay",
    ),
    "visits.planned": ("{grid}：{day} 新排走访 {n} 户", "{grid}: {n} visits planned for {day}"),
    "visits.planned_none": ("{grid}：{day} 没有需要新排走访的住户", "{grid}: Nothing new to plan for {day}"),
    "services.add_title": ("新增一老一小服务安排", "New 一老一小 service schedule"),
    "services.edit_title": ("修改服务安排 · {}", "Change the schedule · {}"),
    "services.edit_hint": (
        "改动从下一场起生效；已签到、完成或取消的场次不变",
        "changes apply from the next session; sessions checked in, done or cancelled stay",
    ),
    "services.one_off": (
        "{session} 是单次活动，没有重复安排可改；按 {key} 新增安排",
        "{session} is a one-off session: no schedule to change; {key} adds one",
    ),
    "services.schedule_added": ("已新增服务安排「{}」", "Schedule '{}' added"),
    "services.schedule_changed": ("服务安排「{}」已修改", "Schedule '{}' changed"),
    "services.changes": ("安排改动记录", "Schedule changes"),
    # -- dashboard -------------------------------------------------------------
    "app.title": ("值班室", "Duty room"),
    "header.township": ("{}值班室", "{} duty room"),  # the township's name, then the words: 孟轲乡值班室
    "header.on_duty": ("值班:{}", "on duty: {}"),  # a compact colon: the header is full at 80 columns
    "header.on_duty_more": ("等{}人", " (team of {})"),
    "header.open": ("未结", "open"),
    "header.overdue": ("超期", "overdue"),
    "header.due_today": ("今日到期", "due today"),
    "header.visits": ("走访", "visits"),
    # Sessions late now that nobody has checked in (panel 3 says it too, beside 今日迟到: the day's).
    "header.late": ("迟到未签", "absent"),
    "header.arrears": ("欠费", "arrears"),
    "header.report_due": ("{stage} {due}前", "{stage} due {due}"),
    "header.report_late": ("{stage}超时（应于{due}）", "{stage} late (due {due})"),
    "header.report_late_short": ("{stage}超时", "{stage} late"),  # at 80 columns: panel 5 says when it was due
    "header.handover": (" 交班{}", " handover {}"),
    # -- panel 5: 值班记录 (duty_room/panels/dutylog.py) ------------------------------------------
    "key.panel.5": ("值班记录", "Duty log"),
    "key.duty.log": ("记录", "Log"),
    "key.duty.incident": ("突发事件", "Incident"),
    "key.duty.report": ("报送", "Report"),
    "key.duty.handover": ("交接班", "Handover"),
    "key.duty.correct": ("更正", "Correct"),
    "duty.correct_title": ("更正值班记录 · {}", "Correct log entry · {}"),
    "duty.form.correction_reason": ("更正原因（必填）", "Reason for the correction (required)"),
    "duty.form.masked_hint": (
        "来电人、电话：不改则保留，清空即删除",
        "caller, phone: kept as shown, emptied to remove",
    ),
    "intake.masked_hint": (
        "反映人、电话已脱敏：不改则保留，清空即不填",
        "reporter, phone masked: kept as shown, emptied to leave out",
    ),
    "duty.form.cleared": ("清空：保存时删除（原为 {}）", "empty: removed on save (was {})"),
    "duty.form.masked_typed": (
        "这是脱敏后的显示，不能在上面改：请清空后输入完整的新内容",
        "This is the masked value, not one to edit: empty the field and type the new one whole",
    ),
    "duty.corrected": ("已更正 {}", "Corrected {}"),
    "overtaken.entry": ("{who} 已于 {at} {what}", "{what} by {who} at {at}"),
    "duty.col.kind": ("类别", "Kind"),
    "duty.col.from": ("来源", "From"),
    "duty.col.content": ("内容", "Content"),
    "duty.col.action": ("处理/报送", "Action / report"),
    "duty.see_incident": ("见事件 {}", "see {}"),  # an incident's log line: followed in its reports
    "duty.no_action": ("尚未处理", "nothing yet"),
    "duty.summary.leader": ("带班:{}", "leader {}"),
    "duty.summary.entries": ("记录{}", "entries {}"),
    "duty.summary.incidents": ("事件{}", "incidents {}"),
    "duty.summary.handover": ("交班{}", "handover {}"),
    "duty.summary.awaiting": ("待接班", "to take over"),
    "duty.summary.gap": (" ", "  "),
    "duty.late": ("报送超时{}", "late reports {}"),
    "duty.no_incident": ("无未结突发事件", "no open incident"),
    "duty.next_due": ("下一报送：{id} {stage} {at}（剩{left}）", "next report: {id} {stage} at {at} (in {left})"),
    "duty.next_due_short": ("下一报送：{stage} {at}（剩{left}）", "next report: {stage} at {at} (in {left})"),
    "duty.next_due_at": ("下一报送：{stage} {at}", "next report: {stage} at {at}"),
    "duty.next_late": (
        "报送超时：{id} {stage} 应于 {at}（已超{left}）",
        "report late: {id} {stage} due {at} ({left} late)",
    ),
    "duty.next_late_short": (
        "报送超时：{stage} 应于 {at}（已超{left}）",
        "report late: {stage} due {at} ({left} late)",
    ),
    "duty.next_late_at": ("报送超时：{stage} 应于 {at}", "report late: {stage} due {at}"),
    "duty.no_report_due": ("待处置结束后终报", "final report after handling ends"),
    "duty.row.due_in": ("{stage} {due}前", "{stage} by {due}"),
    "duty.row.due_late": ("{stage}超时 {due}", "{stage} late {due}"),  # a cell: whole in a third of the screen
    "duty.form.content": ("内容（来电、来文、来访说了什么，巡查见到什么）", "Content (what was said, sent or seen)"),
    "duty.form.source": ("来源单位", "From (unit or sender)"),
    "duty.form.caller": ("来电/来访人", "Caller / visitor"),
    "duty.form.action": ("处理情况", "Action taken"),
    "duty.recorded_by": ("记录人", "Recorded by"),  # the account that wrote a log entry, and when
    "duty.form.reported_to": ("已报告（向谁）", "Reported to"),
    "duty.form.title": ("事件名称", "Incident"),
    "duty.form.category": ("事件类别", "Category"),
    "duty.form.level": ("级别", "Level"),
    "duty.form.report_to": ("报送对象", "Reported to"),
    "duty.form.stage": ("报送类别", "Report"),
    "duty.form.report_by": ("报送人", "Reported by"),
    "duty.form.entry_at": ("时间（来电、来文、来访）", "Came in at"),
    "duty.form.report_at": ("报送时间", "Reported at"),
    "duty.form.time_now": ("空着即现在；或写 HH:MM、YYYY-MM-DD HH:MM", "empty: now; or HH:MM, YYYY-MM-DD HH:MM"),
    "duty.form.handover_notes": ("交班说明（遗留问题、需跟进事项）", "Handover notes (open matters to follow up)"),
    "duty.form.ack_notes": ("接班说明", "Notes on taking over"),
    "duty.log_title": ("值班记录：登记", "Duty log: new entry"),
    "duty.logged": ("已记录 {}", "Logged {}"),
    "duty.incident_title": ("突发事件：接报", "Incident: new"),
    "duty.incident_opened": ("已登记突发事件 {}，首报计时开始", "Incident {} opened; the first-report clock runs"),
    "duty.report_title": ("报送：{id} {title}", "Report: {id} {title}"),
    "duty.report_title_due": ("{id} {title}：{stage} 应于 {due} 前", "{id} {title}: {stage} due by {due}"),
    "duty.report_title_late": ("{id} {title}：{stage} 应于 {due}，已超时", "{id} {title}: {stage} was due {due}, late"),
    "duty.reported": ("{id} {stage}已记录", "{id}: {stage} recorded"),
    "duty.handover_title": ("交班：{}", "Hand over: {}"),
    "duty.handover_summary": (
        "本班记录{entries}条；受理{received}件、办结{closed}件、超期{overdue}件；迟到服务{late_sessions}场；重点户未访{unvisited}户；未结事件{incidents}起、本班已终报{closed_incidents}起，报送超时{late}项；欠费摊位{arrears}个",
        "log entries {entries}; cases received {received}, closed {closed}, overdue {overdue}; late sessions {late_sessions}; special households unvisited {unvisited}; open incidents {incidents}, closed this shift {closed_incidents}, late reports {late}; stalls in arrears {arrears}",
    ),
    "duty.report_confirm": (
        "上面已是最新的交班报告：核对无误，再确认一次即交班",
        "Report above is current: review it, then confirm again to hand over",
    ),
    "duty.report_changed": ("交班报告有变：{}，上面已更新，核对后再交班", "Report changed: {} (shown above)"),
    "duty.report_updated": (
        "交班报告已按最新数据更新，核对后再交班",
        "Report brought up to date above: review, then save",
    ),
    # {}: the shift by its start (11-28 08:00): its whole span left 80 columns no room for who and when
    "duty.handed_over": ("已交班：班次 {}，等待接班人确认", "Shift {} handed over, to be taken over"),
    # what the incoming officer takes over: who handed it over, when, and their 遗留问题
    "duty.ack_subtitle": (
        "交班人 {who}（{at}）；{counts}；交班说明：{notes}",
        "Handed over by {who} at {at}; {counts}; notes: {notes}",
    ),
    # What a hand-over's record lists, as the 接班 form says it (from the record: no report built)
    "duty.ack_counts": (
        "交班时：记录{entries}条，未结事件{incidents}起，报送超时{late}项，超期案件{overdue}件",
        "the record: {entries} log entries, {incidents} open incidents, {late} late reports, {overdue} overdue cases",
    ),
    "duty.ack_title": ("接班确认：{}", "Take over: {}"),
    "duty.acknowledged": ("已接班：班次 {}", "Shift {} taken over"),
    # an incident's category in its row's 类别, as short as a log line's kind (来电, 上级指示)
    "duty.category.natural": ("自然灾害", "disaster"),
    "duty.category.accident": ("事故灾难", "accident"),
    "duty.category.public_health": ("公共卫生", "health"),
    "duty.category.social_safety": ("社会安全", "security"),
    "duty.level.i": ("特别重大", "level I"),
    "duty.level.ii": ("重大", "level II"),
    "duty.level.iii": ("较大", "level III"),
    "duty.level.iv": ("一般", "level IV"),
    "duty.event.correct": ("更正", "corrected"),
    "duty.event.link": ("关联案件", "linked to case"),
    "duty.event.petition": ("转为案件", "became case"),
    "duty.changed": ("{field}：{value}", "{field}: {value}"),
    "duty.changed_from": ("{field}：{before} → {after}", "{field}: {before} → {after}"),
    "duty.occurred_at": ("事发时间", "Occurred at"),
    "duty.known_at": ("接报时间", "Known at"),
    "duty.reports": ("已报送", "Reports made"),
    "duty.owed": ("待报送", "Reports owed"),
    "key.duty.plan": ("排班", "Shifts"),
    "key.duty.export": ("导出交接班", "Export a handover"),
    "duty.nothing_to_export": ("近三天没有已交班的班次可导出", "no shift handed over in the last three days to export"),
    "duty.form.day": ("日期", "Day"),
    "duty.form.day_format": ("日期写成 2026-12-02", "write the day as 2026-12-02"),
    "duty.form.leader": ("带班领导", "Leader on duty"),
    "duty.form.staff": ("值班员（一至二人，用顿号分开）", "Duty officers (one or two, separated by 、)"),
    "duty.plan_title": ("值班表：排班", "Roster: plan a shift"),
    "duty.planned": ("已排班 {}", "Planned {}"),
    "duty.form.export": (
        "导出交接班（可选：.md 发消息用，.xlsx 值班记录簿）",
        "Export the handover (optional: .md to send, .xlsx for the log book)",
    ),
    "duty.form.export_kind": ("文件名以 .md 或 .xlsx 结尾", "the file name ends in .md or .xlsx"),
    "duty.exported": ("已导出到 {}", "Exported to {}"),
    "duty.export_failed": (
        "导出失败：{why}，{path}；交接班已记录（班次 {shift}），等待接班人确认",
        "Export failed: {why}, {path}; shift {shift} handed over, to be taken over",
    ),
    "duty.export_again": ("；按 {} 再次导出", "; {} exports it again"),
    "duty.already_handed": (  # `h` on a shift handed over ({state}: who handed over, or took over, and when)
        "班次 {shift}：{state}；导出副本按 {key}",
        "Shift {shift}: {state}; {key} exports a copy",
    ),
    "duty.export_title": ("导出交接班：{}", "Export the handover: {}"),
    "duty.export_subtitle": (
        "{}。导出交班时记录的内容，交班后的记录另列",
        "{}: the copy lists what was handed over, and what was logged after it apart",
    ),
    "duty.form.export_again": (
        "导出到（.md 发消息用，.xlsx 值班记录簿）",
        "Export to (.md to send, .xlsx for the log book)",
    ),
    "duty.export_not_written": ("未能导出：{why}，{path}", "Not exported: {why}, {path}"),
    "screenshot.saved": ("已保存截图：{}", "Screenshot saved: {}"),
    "screenshot.failed": ("截图未保存：{why}，{path}", "Screenshot not saved: {why}, {path}"),
    "panel.petitions": ("民情诉求", "Petitions"),
    "panel.visits": ("网格走访", "Visits"),
    "panel.services": ("一老一小", "Services"),
    "panel.stalls": ("摊位", "Stalls"),
    "panel.dutylog": ("值班记录", "Duty log"),
    "col.id": ("编号", "ID"),
    "col.status": ("状态", "Status"),
    "col.category": ("类别", "Category"),
    "col.title": ("诉求", "Subject"),
    "col.grid": ("网格", "Grid"),
    "col.community": ("社区", "Community"),
    "col.age": ("已过", "Age"),
    "col.ended": ("结束于", "Ended"),
    "col.rating": ("评价", "Rating"),
    "col.due": ("时限", "Due"),
    "col.level": ("层级", "Level"),
    "col.assignee": ("承办", "Assignee"),
    "col.progress": ("进度", "Progress"),
    "col.visited": ("已访", "Done"),
    "col.unvisited_special": ("重点", "Alert"),
    "col.time": ("时间", "Time"),
    "col.service": ("服务", "Service"),
    "col.place": ("地点", "Place"),
    "col.state": ("状态", "State"),
    "col.stall": ("摊位", "Stall"),
    "col.holder": ("摊主", "Holder"),
    "col.goods": ("经营", "Goods"),
    "col.permit": ("准入证", "Permit"),
    "col.arrears": ("欠费", "Owed"),  # a heading in a third of the screen: no wider than its ¥ amounts
    "col.fee": ("摊位费/月", "Fee/month"),
    "due.overdue": ("超期{}", "{} late"),
    "due.left": ("剩{}", "{} left"),
    "due.done": ("—", "—"),
    "age.minutes": ("{}分", "{}m"),
    "age.hours": ("{}时", "{}h"),
    "age.under_hour": ("<1时", "<1h"),
    "age.days": ("{}天", "{}d"),
    "stall.occupied": ("出摊", "open"),
    "stall.vacant": ("空", "empty"),
    # No brackets in Chinese: a holder's name here is always masked (何**), so 空位 is no name.
    "stall.no_holder": ("空位", "(vacant)"),
    "summary.petitions": (
        "未结{open} 超期{overdue} 今日到期{due_today}",
        "{open} open, {overdue} overdue, {due_today} due today",
    ),
    "summary.visits": ("已访{visited}/{planned} 重点未访{special}", "{visited}/{planned} done, {special} alerts"),
    # 迟到未签 (absent): late now, nobody checked in, the header's count; 今日迟到: the day's, kept once checked in
    "summary.services": ("进行{now} 迟到未签{late} 完成{done}/{total}", "{now} now {late} absent {done}/{total} done"),
    "summary.services_late_today": (
        "进行{now} 今日迟到{today} 完成{done}/{total}",
        "{now} now {today} late today {done}/{total} done",
    ),
    "summary.services_late_today_short": (
        "今日迟到{today} 完成{done}/{total}",
        "{today} late today {done}/{total} done",
    ),
    "summary.services_late_both": (
        "进行{now} 迟到未签{late} 今日迟到{today} 完成{done}/{total}",
        "{now} now {late} absent ({today} late today) {done}/{total} done",
    ),
    "summary.services_late_both_short": ("迟到未签{late} 今日迟到{today}", "{late} absent ({today} late today)"),
    "summary.loading": ("读取中…", "loading…"),  # a panel not in the first frame, until its data is read
    "summary.unread": ("未能读取", "could not be read"),  # ...or when that read failed (the status line says why)
    "summary.stalls": ("出摊{occupied}/{total} 欠费{arrears}户", "{occupied}/{total} out, {arrears} owe"),
    # -- keys and commands -------------------------------------------------------
    "key.app.quit": ("退出", "Quit"),
    "key.app.help": ("帮助", "Help"),
    "key.app.palette": ("命令", "Commands"),
    "key.panel.next": ("下一面板", "Next panel"),
    "key.panel.previous": ("上一面板", "Previous panel"),
    "key.panel.1": ("诉求", "Petitions"),
    "key.panel.2": ("走访", "Visits"),
    "key.panel.3": ("一老一小", "Services"),
    "key.panel.4": ("摊位", "Stalls"),
    "key.panel.zoom": ("放大", "Zoom"),
    "zoomed.restore": ("还原", "Restore"),
    "key.panel.detail": ("详情", "Open"),
    "key.panel.refresh": ("刷新", "Refresh"),
    "key.petition.status": ("改状态", "Status"),
    "key.petition.new": ("登记", "New"),
    "key.petition.filter": ("筛选", "Filter"),
    "key.petition.sort": ("排序", "Sort"),
    "key.petition.ended": ("已结案件", "Ended cases"),
    "key.petition.accept": ("受理", "Accept"),
    "key.petition.dispatch": ("派单", "Dispatch"),
    "key.petition.start": ("处置", "Start"),
    "key.petition.resolve": ("办结", "Resolve"),
    "key.petition.follow_up": ("回访", "Follow up"),
    "key.petition.escalate": ("升级", "Escalate"),
    "key.petition.return": ("退回", "Return"),
    "key.petition.supervise": ("督办", "Supervise"),
    "key.petition.merge": ("合并", "Merge"),
    "key.petition.cancel": ("撤销", "Cancel case"),
    "key.petition.redo": ("重办", "Redo"),
    "key.petition.extend_request": ("申请延期", "Ask extension"),
    "key.petition.extend_grant": ("批准延期", "Grant extension"),
    "key.petition.extend_deny": ("驳回延期", "Deny extension"),
    "key.form.cancel": ("取消", "Cancel"),
    "key.form.submit": ("提交", "Submit"),
    "key.filter.close": ("清除筛选", "Clear filter"),
    "key.filter.rows": ("回到列表", "To the rows"),
    "key.table.down": ("下移", "Down"),
    "key.table.cursor_down": ("下移", "Down"),
    "key.table.cursor_up": ("上移", "Up"),
    "key.table.page_down": ("下一页", "Page down"),
    "key.table.page_up": ("上一页", "Page up"),
    "key.table.first": ("第一行", "First row"),
    "key.table.last": ("最后一行", "Last row"),
    "key.table.left": ("左移", "Scroll left"),
    "key.table.right": ("右移", "Scroll right"),
    "key.form.next": ("下一项", "Next field"),
    "key.form.previous": ("上一项", "Previous field"),
    "key.modal.next": ("下一项", "Next"),
    "key.modal.previous": ("上一项", "Previous"),
    "key.table.up": ("上移", "Up"),
    "key.detail.close": ("关闭", "Close"),
    "key.detail.reveal": ("显示个人信息", "Reveal"),
    "key.modal.cancel": ("取消", "Cancel"),
    "cmd.change_status": ("更改案件状态", "Change case status"),
    "cmd.change_status.help": ("为选中的诉求选择下一个状态", "Choose the next status for the selected petition"),
    # A case's step in the palette, as a command: `cancel · MK…` read as a raw action name.
    "cmd.step.accept": ("受理", "Accept"),
    "cmd.step.dispatch": ("派单", "Dispatch"),
    "cmd.step.redispatch": ("重派", "Re-dispatch"),
    "cmd.step.start": ("开始处置", "Start"),
    "cmd.step.return": ("退回", "Return"),
    "cmd.step.resolve": ("办结", "Resolve"),
    "cmd.step.follow_up": ("回访评价", "Follow up"),
    "cmd.step.redo": ("重办", "Redo"),
    "cmd.step.cancel": ("撤销", "Withdraw the case"),
    "cmd.step.merge": ("合并", "Merge"),
    "cmd.step.escalate": ("升级", "Escalate"),
    "cmd.step.supervise": ("督办", "Supervise"),
    "cmd.step.extend_request": ("申请延期", "Ask extension"),
    "cmd.step.extend_grant": ("批准延期", "Grant extension"),
    "cmd.step.extend_deny": ("驳回延期", "Deny extension"),
    "cmd.focus": ("转到面板：{}", "Go to panel: {}"),
    "cmd.filter": ("筛选案件", "Filter the cases"),
    "cmd.sort": ("切换案件排序", "Change the order of the cases"),
    "cmd.zoom": ("放大 / 还原当前面板", "Zoom / restore the current panel"),
    "cmd.refresh": ("立即刷新数据", "Reload data now"),
    "key.visits.plan": ("排明日走访", "Plan tomorrow"),
    "key.services.add_schedule": ("新增", "New"),
    "key.services.edit_schedule": ("修改", "Edit"),
    "key.list.add_worker": ("添加人员", "Add worker"),
    "key.list.edit_worker": ("修改", "Edit"),
    "key.list.retire_worker": ("退出名册", "Retire"),
    "key.list.plan": ("排明日走访", "Plan tomorrow"),
    "key.list.move_household": ("迁户", "Move"),
    # -- status modal and detail -------------------------------------------------
    "modal.status.title": ("更改状态：{}", "Change status: {}"),
    "modal.status.current": ("当前状态：{}", "Current status: {}"),
    "modal.status.none": ("此案件已终结，没有可用的下一步。", "This case is final; there is no next step."),
    # -- a form whose record another desk changed while it was open (desk.Watch) --------
    "form.overtaken": ("此件已被他人更新：{}", "Changed elsewhere: {}"),
    "form.overtaken_refused": ("此件已被他人更新：{}，保存将被拒绝", "Changed elsewhere: {}; cannot be saved"),
    "form.overtaken_gone": (
        "此件已被他人更新，已不在当前列表中，保存将被拒绝",
        "Changed elsewhere and no longer listed; cannot be saved",
    ),
    "overtaken.now": ("现为「{}」", "now '{}'"),
    "overtaken.case_assignee": ("现为「{status}」，承办：{assignee}", "now '{status}' ({assignee})"),
    "overtaken.stall": (
        "摊主 {holder}，准入证「{permit}」，欠费 ¥{arrears}",
        "{holder}, permit '{permit}', owes ¥{arrears}",
    ),
    "overtaken.stall_open": ("{}，今日出摊", "{}, open today"),
    "overtaken.stall_empty": ("{}，今日未出摊", "{}, not open today"),
    "overtaken.visited": ("今天 {} 已有走访登记", "visited today at {}"),
    "overtaken.reported": ("已报送{}", "reported ({})"),
    "overtaken.handed_over": ("{who} 已于 {at} 交班", "handed over by {who} at {at}"),
    "overtaken.acknowledged": ("{who} 已于 {at} 接班确认", "taken over by {who} at {at}"),
    "modal.note": ("备注（可选）", "Note (optional)"),
    "modal.note.required": ("备注（必填：请说明原因）", "Note (required: say why)"),
    "modal.confirm": ("确认", "Confirm"),
    "modal.cancel": ("取消", "Cancel"),
    "form.back": ("返回", "Back"),  # closes a form whose own step is a 取消
    # A case's 撤销: in English "cancel · MK…" with Confirm / Cancel read as closing the form, so its
    # title and button say what it does and Back closes it (Chinese keeps 确认 / 取消).
    "petition.cancel_title": ("撤销 · {id} {title}", "Withdraw the case · {id} {title}"),
    "petition.cancel_confirm": ("确认", "Withdraw the case"),
    "petition.cancel_close": ("取消", "Back"),
    "status.changed": ("{id} 已改为「{status}」", "{id} is now '{status}'"),
    "status.refused": ("未更改：{}", "Not changed: {}"),
    "status.refused_about": ("{about} 未更改：{reason}", "{about} not changed: {reason}"),  # the record first
    "form.not_saved": ("未保存：{}", "Not saved: {}"),  # a store fault on a form: nothing was written
    "detail.history": ("办理记录", "History"),
    "detail.reporter": ("反映人", "Reporter"),
    "detail.changes": ("变更记录", "Changes"),
    "detail.channel": ("渠道", "Channel"),
    "detail.priority": ("紧急程度", "Priority"),
    "detail.created": ("受理时间", "Received"),
    "detail.description": ("内容", "Description"),
    "detail.households": ("服务对象", "Households"),
    # Where a case is below its grid (store/visiting.py: case_address), in its detail and `petition show`.
    "address.building": ("楼栋", "Building"),
    "address.unit": ("单元", "Unit"),
    "address.household": ("住户（走访中登记）", "Household (raised on a visit)"),
    "detail.staff": ("人员", "Staff"),
    "detail.payments": ("缴费记录", "Payments"),
    "detail.masked_hint": (
        "个人信息已脱敏；按 {key} 显示（将记录在案）",
        "Personal data masked; press {key} to reveal (logged)",
    ),
    "detail.masked": ("个人信息已脱敏", "Personal data masked"),
    "detail.revealed": ("已显示个人信息（已记录）", "Personal data revealed (logged)"),
    "detail.reveal_denied": ("无权查看未脱敏信息", "Not permitted to see unmasked data"),
    "summary.red": ("独居老人今日未访", "living-alone not yet visited"),
    "desk.lock_wait": (
        "另一处正在写入，等它写完再保存（最多等 {seconds} 秒）…",
        "another desk is writing: saving once it is done (waiting up to {seconds} s)…",
    ),
    # a key (Esc) typed meanwhile: the save is under way, lands or is refused whole; the key acts after it
    "desk.lock_wait_keys": (
        "另一处正在写入，这次保存已在等它（最多等 {seconds} 秒），不能中途取消；按下的键（如 Esc）等这次保存有了结果再生效",
        "another desk is writing; this save waits for it (up to {seconds} s) and cannot be cancelled: keys pressed (Esc too) act once it is saved or refused",
    ),
    "readonly.refused": ("只读模式：不能更改，也不能显示个人信息", "Read-only: nothing can be changed or revealed"),
    "readonly.badge": ("只读", "read-only"),
    "config.security_key": (
        "{key} 是安全设置，只能由 {system}（root 所有）设置，{source} 不能设置它",
        "{key} is a security setting: only {system} (owned by root) may set it, not {source}",
    ),
    "config.environment": ("环境变量", "the environment"),  # who may not set a key: {source} above
    "config.office_key": (
        "{key} 是各席位共用的办公规则，只能由 {system}（root 所有）设置，{source} 不能设置它",
        "{key} is an office rule every desk shares: only {system} (owned by root) may set it, not {source}",
    ),
    "config.bad": ("配置有误：{where}：{why}", "bad configuration: {where}: {why}"),
    "config.not_toml": (
        "配置有误：{where}：第 {line} 行第 {column} 列写法不对（不是有效的 TOML）",
        "bad configuration: {where}: not valid TOML at line {line}, column {column} ({detail})",
    ),
    "config.not_utf8": ("配置有误：{where}：不是 UTF-8 文本", "bad configuration: {where}: not UTF-8 text"),
    "config.unknown_env": (
        "注意：环境变量 {names} 不是设置项，未读取",
        "note: the environment variable {names} is not a setting and was not read",
    ),
    "config.unknown_key": (
        "配置有误：{where}：没有 {name} 这个设置项",
        "bad configuration: {where}: unknown key {name!r}",
    ),
    "config.not_json": ("配置有误：{where}：不是 JSON：{value}", "bad configuration: {where}: not JSON: {value!r}"),
    "config.not_bool": (
        "配置有误：{where}：只能是 true 或 false（写的是「{value}」）",
        "bad configuration: {where}: not true or false: {value!r}",
    ),
    "config.clock": (
        "DUTY_ROOM_NOW：时钟不能由用户设置，请取消这个环境变量",
        "DUTY_ROOM_NOW: the clock cannot be set by a user; unset it",
    ),
    "config.untrusted": (
        "{path} 不可信（{why}）：系统配置必须属于 root 且只有 root 能写；拒绝运行",
        "{path} is not trusted ({why}): the system config must belong to root and be writable by root only; refused",
    ),
    "config.store_pinned": (
        "以服务账号 {account} 运行时数据目录固定为 {store}，不能用 --store 改变",
        "run as the service account {account}, the store is fixed at {store}; --store cannot change it",
    ),
    "config.no_store": (
        "{system} 设置了服务账号，但没有设置 store（数据目录）",
        "{system} names a service account but no store",
    ),
    "config.no_service_account": (
        "配置有误：{system}：service_account「{account}」不是本机账号",
        "bad configuration: {system}: service_account {account!r} is no account on this machine",
    ),
    "config.use_sudo": (
        "数据由服务账号 {account} 保管：请用 `sudo -u {account} duty-room …`（或经 SSH 登录）",
        "the store is kept by the service account {account}: use `sudo -u {account} duty-room …` (or log in over SSH)",
    ),
    # a [keymap] key that another binding already uses, or that a text field takes (duty_room/keymap.py)
    "config.keymap_taken": (
        '配置有误：[keymap] {binding} = "{keys}"：{key} 在{where}中已用于 {other}',
        'bad configuration: [keymap] {binding} = "{keys}": {key} already belongs to {other} in {where}',
    ),
    "config.keymap_typed": (
        '配置有误：[keymap] {binding} = "{keys}"：在{where}中按 {key} 是往输入框里打字，{binding} 就用不上了',
        'bad configuration: [keymap] {binding} = "{keys}": in {where}, {key} is typed into the text field, '
        "so {binding} would never act",
    ),
    "config.keymap_field_key": (
        '配置有误：[keymap] {binding} = "{keys}"：在{where}中 {key} 由输入框或按钮自己使用，{binding} 就用不上了',
        'bad configuration: [keymap] {binding} = "{keys}": in {where}, the field or button in focus takes {key} '
        "itself, so {binding} would never act",
    ),
    "config.keymap_textual": ("Textual 自带的「{}」", "Textual's own '{}'"),
    "config.keymap_unknown": (
        "配置有误：[keymap] 没有叫 {} 的按键（README 列有全部按键编号）",
        "bad configuration: [keymap] no binding is called {} (README lists every binding id)",
    ),
    "config.keymap_meant": ("；是不是 {}？", "; did you mean {}?"),
    "config.keymap_more": ("（另有 {} 处冲突）", " (and {} more)"),
    "keymap.where.panel": ("「{}」面板", "the {} panel"),
    "keymap.where.everywhere": ("所有界面", "every screen"),
    "keymap.where.roster": ("一表全清名单", "the roster"),
    "keymap.where.households": ("住户列表", "a grid's household list"),
    "keymap.where.ended": ("已结案件列表", "the ended cases list"),
    "keymap.where.list": ("列表", "a list"),
    "keymap.where.detail": ("详情", "a detail"),
    "keymap.where.discard": ("「放弃已填写的内容？」的询问", "the discard question"),
    "keymap.where.filter": ("案件筛选框", "the case filter"),
    "keymap.where.form": ("表单", "a form"),
    "keymap.where.choice": ("选择对话框", "a choice dialog"),
    "whoami.actor": ("操作人", "actor"),
    "whoami.by_os_account": ("本机账号（用户数据库）", "OS account (password database)"),
    "whoami.by_uid": (
        "本机用户编号 {uid}，用户数据库中没有这个账号",
        "OS user id {uid}, which the password database does not know",
    ),
    "whoami.by_sudo": (
        "sudo 的记录（SUDO_UID），以服务账号 {account} 运行",
        "sudo's record (SUDO_UID), run as the service account {account}",
    ),
    "whoami.service_itself": (
        "服务账号 {account} 本身（没有 sudo 记录）",
        "the service account {account} itself (no sudo record)",
    ),
    "whoami.reveal": ("查看个人信息", "reveal"),
    "whoami.store": ("数据目录", "store"),
    "whoami.exports": ("导出文件夹", "exports"),
    "whoami.imports": ("导入文件夹", "imports"),
    "whoami.backups": ("备份文件夹", "backups"),
    "whoami.sources": ("配置来源", "config sources"),
    "whoami.allowed": ("允许", "allowed"),
    "whoami.refused": ("不允许", "refused"),
    "whoami.yes": ("是", "yes"),
    "whoami.no": ("否", "no"),
    "whoami.defaults": ("（无配置文件，使用默认值）", "(no config file: defaults)"),
    "whoami.from_system": ("系统配置 {}", "system {}"),
    "whoami.from_user": ("用户配置 {}", "user {}"),
    "whoami.from_environment": ("环境变量 {}", "environment {}"),
    "whoami.from_command_line": ("命令行 {}", "command line {}"),
    "whoami.read_only_system": ("系统配置 {} 中 read_only = true", "read_only = true in {}"),
    "whoami.read_only_asked": (
        "本人要求（--read-only、DUTY_ROOM_READ_ONLY 或用户配置）",
        "asked for (--read-only, DUTY_ROOM_READ_ONLY or the user config)",
    ),
    "whoami.not_listed": ("不在 reveal_users 中，也不属于 {groups}", "not in reveal_users nor in {groups}"),
    "whoami.viewer_cannot": ("只读会话不能写审计记录", "a read-only session cannot write the audit"),
    "store.empty": (
        "数据目录 {} 中没有数据。运行 `duty-room demo --run` 打开演示乡镇。",
        "No data in {}. Run `duty-room demo --run` to open the demo township.",
    ),
    "empty.none": ("无", "none"),
    "desk.unexpected": (
        "内部错误（{}），已记入日志；数据未改动，可继续工作",
        "Internal error ({}), logged; nothing was changed, carry on",
    ),
    # A fault that lasts: which file first, then what it means, then what to do (the middle gives way first).
    "store.damaged_banner": ("存储文件有问题：{}", "Store file problem: {}"),
    "store.damaged_refused": ("相关的写入会被拒绝", "writes that need it are refused"),
    "store.unreadable_banner": ("存储读不出：{}", "Store unreadable: {}"),
    "store.unreadable_refused": (
        "画面停在最后读到的数据，相关的写入会被拒绝",
        "the screen keeps the last data read, and writes that need it are refused",
    ),
    "keys.dropped": ("界面未就绪，已忽略 {} 个按键", "The screen was not ready: {} keys ignored"),
    # the models' own rules (store/models.py raises them in English), as a clerk reads them
    "import.failed": ("发现 {n} 处错误，未写入任何数据", "errors found: {n}; nothing was written"),
    "import.sheet": (
        "{sheet}：新增 {new}，更新 {changed}，未变 {same}",
        "{sheet}: {new} new, {changed} changed, {same} unchanged",
    ),
    "import.missing": (
        "{sheet}：{n} 条已存记录不在文件中（未删除，--prune 才删除）：{ids}",
        "{sheet}: {n} stored records are not in the file (kept; --prune deletes them): {ids}",
    ),
    "import.pruned": ("{sheet}：已删除 {n} 条", "{sheet}: {n} deleted"),
    "import.dry_run": ("检查通过（--dry-run，未写入）", "all rows valid (--dry-run: nothing written)"),
    "import.done": ("已导入，共写入 {n} 条", "imported: {n} records written"),
    "import.nothing": ("已导入：没有变化", "imported: nothing changed"),
    "import.outside_folder": (
        "以服务账号 {account} 运行时，只能导入 {folder} 中的文件：先把文件放进去，再写文件名（如 底册.xlsx），不能写「{given}」",
        "run as the service account {account}, files are imported from {folder} only: put the file there, then give its name (e.g. roster.xlsx), not '{given}'",
    ),
    "import.unreadable": (
        "{path}：服务账号 {account} 读不到（权限 {mode}）；放进 {folder} 的文件要让它能读：chmod -R {bits} {path}（这个文件夹只有你和服务账号进得去）",
        "{path}: the service account {account} cannot read it (mode {mode}); what is put in {folder} must be readable to it: chmod -R {bits} {path} (only you and the service account can enter that folder)",
    ),
    "import.no_own_folder": (
        "以服务账号 {account} 运行时，只能导入你自己的导入文件夹 {folder} 中的文件，但它还没有建；请管理员运行：install -d -o {officer} -g {group} -m 2750 {folder}",
        "run as the service account {account}, files are imported from your own import folder {folder} only, and it has not been made; ask the admin to run: install -d -o {officer} -g {group} -m 2750 {folder}",
    ),
    "form.example": ("如 {}", "e.g. {}"),
    "export.done": ("已导出 {n} 张表到 {path}", "exported {n} sheets to {path}"),
    "export.masked": ("个人信息已脱敏", "personal data masked"),
    "export.unmasked": ("个人信息未脱敏（已记录）", "personal data unmasked (logged)"),
    "template.done": ("已生成模板 {path}", "template written to {path}"),
    "export.no_acl": (
        "未导出：{folder} 所在的文件系统不支持 ACL，含未脱敏个人信息的文件无法只让你一人读取（{path} 已删除）；请加 --mask 导出，或请管理员给该文件系统开启 acl",
        "not exported: the filesystem of {folder} has no ACLs, so a file holding unmasked personal data cannot be made readable by you alone ({path} removed); export with --mask, or ask the admin to enable acl on that filesystem",
    ),
    "export.outside_folder": (
        "以服务账号 {account} 运行时，导出的文件只能写在 {folder} 中：写文件名即可（如 交接班.md），不能写「{given}」",
        "run as the service account {account}, exports are written in {folder} only: give a file name (e.g. handover.md), not '{given}'",
    ),
    "sheets.no_stdout": (
        "工作簿不能写到标准输出（-）：请给 .xlsx 文件名，或写 CSV 的文件夹名",
        "a workbook cannot go to standard output (-): give an .xlsx file name, or a folder name for CSV files",
    ),
    "sheets.not_xlsx": (
        "{path}：工作簿只能写成 .xlsx（如 {suggest}）；写 CSV 请给不带扩展名的文件夹名",
        "{path}: a workbook is written as .xlsx only (e.g. {suggest}); for CSV files give a folder name without an extension",
    ),
    "calendar.uncovered": (
        "警告：节假日日历没有 {years} 年的数据（未来 60 天内），这些年份只按周末计算；请升级 chinese-calendar 或在配置 [deadlines] holidays / makeup_workdays 中填写",
        "warning: the holiday calendar has no data for {years} (within the next 60 days): only weekends count there; upgrade chinese-calendar or list the days in the config's [deadlines] holidays / makeup_workdays",
    ),
    # -- the duty room's own work: 值班表, 值班记录, 突发事件信息报送, 交接班 (store/dutylog.py) --
    "duty.shift": ("值班", "shift"),
    "duty.leader": ("带班领导", "leader on duty"),
    "duty.staff": ("值班员", "duty officers"),
    "duty.handover_at": ("交班", "handover"),
    "duty.next_shift": ("下一班", "next shift"),
    "duty.swaps": ("换班", "swaps"),
    "duty.swap.replaced": ("被替换人", "Replaced"),
    "duty.swap.by": ("替班人", "Taken by"),
    "duty.swap.asked_by": ("申请人", "Asked by"),
    "duty.swap.approved_by": ("批准人", "Approved by"),
    "duty.swap.note": ("备注", "Note"),
    "duty.swap_line": (
        "{replaced}→{by}（{asked_by}申请，{approved_by}批准）",
        "{replaced}→{by} (asked by {asked_by}, approved by {approved_by})",
    ),
    "duty.none": ("今日未排班", "no shift on the roster"),
    "duty.report_late": ("报送超时", "report late"),
    "duty.late_by": ("超时{}", "{} late"),
    "duty.report_made_late": ("迟报：应于 {due}，超时{late}", "late: due {due}, {late} late"),
    "handover.title": ("交接班记录", "Shift handover"),
    "handover.shift": ("班次", "Shift"),
    "handover.generated": ("生成于", "Generated"),
    "handover.from": ("来源", "From"),
    "handover.reported_to": ("已报告", "Reported to"),
    "handover.cases_linked": ("案件", "Cases"),
    "handover.incidents": ("突发事件", "Incidents"),
    "handover.closed_incidents": ("本班已终报事件", "Incidents closed this shift"),
    "handover.next_due": ("下次报送", "Next report due"),
    "handover.late_reports": ("迟报", "Late reports"),
    "handover.received": ("本班受理", "Received this shift"),
    "handover.closed": ("本班办结/回访", "Closed this shift"),
    "handover.overdue": ("超期未办", "Overdue"),
    "handover.open": ("未结案件", "Open cases"),
    "handover.services": ("一老一小迟到", "Late 一老一小 sessions"),
    "late.still": ("未签到，已迟{minutes}分钟", "not checked in, {minutes} min late"),
    "late.checked_in": ("{at}签到，迟{minutes}分钟", "checked in {at}, {minutes} min late"),
    "late.done": ("未签到，{at}完成，迟{minutes}分钟", "not checked in, completed {at}, {minutes} min late"),
    "late.cancelled": ("未签到，{at}取消，迟{minutes}分钟", "not checked in, cancelled {at}, {minutes} min late"),
    "late.staff": ("负责：{staff}", "staff: {staff}"),
    "summary.late_today": ("今日迟到", "late today"),
    "handover.unvisited": ("重点户今日未访", "Special households not yet visited today"),
    "handover.arrears": ("摊位欠费", "Stalls in arrears"),
    "handover.notes": ("交班说明 / 遗留问题", "Outgoing officer's notes / open matters"),
    "handover.outgoing": ("交班人", "Handed over by"),
    "handover.incoming": ("接班人", "Acknowledged by"),
    "handover.incoming_notes": ("接班说明", "Incoming officer's notes"),
    "handover.not_handed": ("尚未交班", "not handed over yet"),
    "handover.not_acked": ("尚未接班确认", "not acknowledged yet"),
    "handover.count": ("共 {} 条", "{} in all"),
    "handover.more": ("另有 {} 件", "{} more"),
    "handover.made_at": ("实报 {}", "made {}"),
    "handover.not_made": ("未报", "not made"),
    "handover.due": ("期限", "Due"),
    "handover.title_col": ("事项", "Subject"),
    # A shift already handed over, exported later: what was handed over, what it is now, what came after.
    "handover.handed_at": ("交班于", "Handed over"),
    "handover.exported_at": ("导出于", "Exported"),
    # The note of a later export names the sections at its end that are there (handover_export.as_recorded_note).
    "handover.as_recorded": (
        "以下为交班时交接的内容（按交班记录）；「现状」为导出时的情况{after}{corrected}。",
        "Below is what was handed over, as the handover record lists it; 'now' is as at this export.{after}{corrected}",
    ),
    "handover.as_recorded_after": (
        "；交班后本班次内的记录另列于文末「交班后记录」",
        " What the shift logged after the handover is listed apart at the end (Logged after the handover).",
    ),
    "handover.as_recorded_corrected": (
        "；交班后对所列值班记录的更正另列于文末「交班后更正」",
        " Corrections made after the handover to the log entries listed are listed apart at the end"
        " (Corrected after the handover).",
    ),
    "handover.now": ("现状：{}", "now: {}"),
    "handover.now_col": ("现状（导出时）", "Now (at export)"),
    "handover.final_made": ("已终报 {}", "final report made {}"),
    "handover.after": ("交班后记录", "Logged after the handover"),
    "handover.after_note": (
        "{start} 交班后至 {end} 本班次内的记录，不在交接内容之内。",
        "Logged in this shift after the handover, {start} to {end}: not part of what was handed over.",
    ),
    "handover.after_log": ("交班后值班记录", "Log entries after the handover"),
    "handover.after_received": ("交班后受理", "Received after the handover"),
    "handover.after_closed": ("交班后办结/回访", "Closed after the handover"),
    "handover.after_reports": ("交班后报送", "Reports made after the handover"),
    # A log entry the handover listed, corrected since: listed as handed over, the correction said apart.
    "handover.corrected": ("交班后更正", "Corrected after the handover"),
    "handover.corrected_note": (
        "交班后对上面「值班记录」所列记录的更正，不在交接内容之内；上面为交班时的内容。",
        "Corrections made after the handover to entries listed in the log above: not part of what was handed"
        " over; the log above is as it was handed over.",
    ),
    "handover.corrected_mark": ("（交班后已更正）", " (corrected after the handover)"),
    "handover.correction": (
        "{id} {at} {who} 更正：{changes}（{why}）",
        "{id} {at} corrected by {who}: {changes} ({why})",
    ),
    "duty.hm": ("{h}小时{m}分", "{h} h {m} min"),
    "handover.stall_no": ("{market} {number:02d}号", "{market} no. {number:02d}"),
    "punct.open": ("（", " ("),
    "punct.close": ("）", ")"),
    "punct.colon": ("：", ": "),
    "punct.comma": ("，", ", "),
    "punct.semi": ("；", "; "),
    "punct.then": ("；", ". "),  # between two things done, said in one status line (已交班…；已导出到…)
    "punct.stop": ("。", ". "),  # between two sentences in one line (a write's 已记录, then a fault)
    "duty.m": ("{m}分钟", "{m} min"),
    # -- store faults (store/errors.py; one line each, exit codes in duty_room/exits.py) --
    "check.error": ("错误", "error"),
    "check.warning": ("提示", "warning"),
    "check.more": ("……另有 {} 条", "… and {} more"),
    "check.bad": ("发现 {errors} 个错误：{path}", "errors found in {path}: {errors}"),
    "check.repaired": ("已修复：{}", "repaired: {}"),
    "check.accept_needs_repair": (
        "--accept-missing 要与 --repair 一起用：check --repair --accept-missing 文件",
        "--accept-missing goes with --repair: check --repair --accept-missing FILE",
    ),
    "check.ok": (
        "ok: {files} 个文件，{records} 条记录，第 {generation} 代",
        "ok: {files} files, {records} records, generation {generation}",
    ),
    "backup.done": (
        "已备份 {files} 个文件（{size} MB，第 {generation} 代）到 {path}，已校验",
        "backed up {files} files ({size} MB, generation {generation}) to {path}, verified",
    ),
    "backup.pruned": (
        "经 sudo 所做的备份只留最新 {keep} 份（系统配置 backup_keep），已删去较早的：{names}",
        "backups taken through sudo: the newest {keep} are kept (backup_keep in the system file); deleted the older: {names}",
    ),
    "backup.outside_folder": (
        "以服务账号 {account} 运行时，备份只能写在 {folder} 中：写文件夹名即可（如 {example}），不能写「{given}」",
        "run as the service account {account}, backups are written in {folder} only: give a folder name (e.g. {example}), not '{given}'",
    ),
    "backup.cron_name": (
        "「{given}」是每日自动备份用的名字（日期）：经 sudo 的备份请另起名，如 {example}",
        "'{given}' is a name the daily backup takes (a date): through sudo give another name, e.g. {example}",
    ),
    "restore.outside_folder": (
        "以服务账号 {account} 运行时，只能从 {folder} 中的备份恢复：写备份的文件夹名即可（如 {example}），不能写「{given}」",
        "run as the service account {account}, backups are restored from {folder} only: give the backup's folder name (e.g. {example}), not '{given}'",
    ),
    "restore.done": (
        "已恢复 {files} 个文件（第 {generation} 代）到 {path}，已校验",
        "restored {files} files (generation {generation}) into {path}, verified",
    ),
    "demo.township_only": (
        "--history-years 和 --cases 只用于 --scale township",
        "--history-years and --cases need --scale township",
    ),
    # Click's own usage errors, said in words (duty_room/usage.py); then where the usage is explained.
    "cli.lock_wait": (
        "另一处正在写入，等它写完（最多等 {seconds} 秒）…",
        "another desk is writing: waiting for it (up to {seconds} s)…",
    ),
    # One line each, duty-room: before it, within 80 columns (tests/test_stop_signals.py)
    "cli.interrupted": (
        "已中断（Ctrl+C）：写入整笔完成或全无；duty-room check 可核对",
        "interrupted (Ctrl+C): writes are whole or none; see duty-room check",
    ),
    "cli.terminated": (
        "已终止（SIGTERM）：写入整笔完成或全无；duty-room check 可核对",
        "terminated (SIGTERM): writes are whole or none; see duty-room check",
    ),
    "cli.no_terminal": (
        "仪表板要在终端里打开（ssh 请加 -t；只看摘要：duty-room summary）",
        "the dashboard needs a terminal (ssh -t; a digest: duty-room summary)",
    ),
    "cli.hung_up": (
        "连接已断开（SIGHUP）：写入整笔完成或全无；duty-room check 可核对",
        "link dropped (SIGHUP): writes are whole or none; see duty-room check",
    ),
    "cli.usage.help": ("（用法：{}）", " (usage: {})"),
    "cli.usage.missing_option": ("缺少选项 {}", "missing option {}"),
    "cli.usage.missing_argument": ("缺少参数 {}", "missing argument {}"),
    "cli.usage.no_such_option": ("没有选项 {}", "no such option {}"),
    "cli.usage.did_you_mean": ("（是不是 {}？）", " (did you mean {}?)"),
    "cli.usage.no_such_command": ("没有命令 {name}；可用：{known}", "no such command {name}; known: {known}"),
    "cli.usage.needs_value": ("选项 {} 需要一个值", "option {} needs a value"),
    "cli.usage.takes_no_value": ("选项 {} 不带值", "option {} takes no value"),
    "cli.usage.extra": ("多余的参数：{}", "unexpected extra argument: {}"),
    "cli.usage.choice": ("{name} 只能是 {choices} 之一", "{name} must be one of {choices}"),
    "cli.usage.whole": ("{} 须为整数", "{} must be a whole number"),
    "cli.usage.whole_at_least": ("{name} 须为不小于 {min} 的整数", "{name} must be a whole number, at least {min}"),
    "cli.usage.whole_between": (
        "{name} 须为 {min} 到 {max} 的整数",
        "{name} must be a whole number from {min} to {max}",
    ),
    "cli.usage.number": ("{} 须为数字", "{} must be a number"),
    "cli.usage.date": ("{name} 须为日期（{shape}）", "{name} must be a date ({shape})"),
    "cli.usage.bad_value": ("{} 的值不对", "bad value for {}"),
    "cli.usage.empty": ("{} 不能为空", "{} cannot be empty"),
    "cli.usage.got": ("（输入的是「{}」）", " (got '{}')"),
    "cli.usage.other": ("用法不对：{}", "usage: {}"),
    # `duty-room demo`: what was built, one line, the counts in words.
    "demo.built.demo": (
        "已在 {path} 建好演示数据（{seconds} 秒）：{communities} 个社区、{grids} 个网格、{workers} 名网格员、"
        "{households} 户居民、{open} 件未结案件和 {ended} 件已结案件、{services} 项一老一小服务、{stalls} 个摊位",
        "built demo store in {path} ({seconds} s): {communities} communities, {grids} grids, {workers} grid workers, "
        "{households} households, {open} open cases and {ended} ended, {services} services for the old and the young, "
        "{stalls} stalls",
    ),
    "demo.built.township": (
        "已在 {path} 建好乡镇规模数据（{seconds} 秒）：{communities} 个社区、{grids} 个网格、{workers} 名网格员、"
        "{households} 户居民、{open} 件未结案件和 {ended} 件已结案件、{services} 项一老一小服务、{stalls} 个摊位",
        "built township store in {path} ({seconds} s): {communities} communities, {grids} grids, "
        "{workers} grid workers, {households} households, {open} open cases and {ended} ended, "
        "{services} services for the old and the young, {stalls} stalls",
    ),
    "demo.not_as_service": (
        "演示数据不能以服务账号 {} 建立：请建在自己的库里（duty-room --store 文件夹 demo）",
        "demo is not run as the service account {}: build it in a store of your own (duty-room --store DIR demo)",
    ),
    "demo.real_data": (
        "{path} 看起来是真实数据（{signs}）；确要删除请加 --yes-delete-real-data",
        "{path} looks like real data ({signs}); add --yes-delete-real-data to delete it",
    ),
    # -- forms: discard question, F1 help, case detail (issue 10) --
    "form.discard_question": ("放弃已填写的内容？", "Discard what you typed?"),
    "form.discard": ("放弃", "Discard"),
    "form.keep_editing": ("继续填写", "Keep editing"),
    "key.app.help_f1": ("帮助", "Help"),
    "key.app.close_help": ("关闭帮助", "Close help"),
    "help.page": ("第 {page}/{pages} 页", "page {page}/{pages}"),
    "help.next": ("{key} 下一页", "{key} next page"),
    "help.close": ("{key} 关闭", "{key} close"),
    "key.screen.help": ("帮助", "Help"),
    "key.discard.yes": ("放弃", "Discard"),
    "key.discard.no": ("继续填写", "Keep editing"),
    "key.discard.previous": ("上一项", "Previous"),
    "key.discard.next": ("下一项", "Next"),
    "detail.supervision": ("督办", "Supervision"),
    "detail.duplicate_of": ("合并到", "Merged into"),
    "detail.duplicates": ("重复件", "Duplicates"),
    # -- store speed: a list loading, check's day-file findings (issue 13) --
    "list.loading": ("正在读取……", "Loading…"),
    "history.plans_to": ("（{n} 条走访计划转给 {to}）", " ({n} planned visits handed to {to})"),
    "history.plans_dropped": (
        "（{n} 条走访计划取消：新网格无人走访）",
        " ({n} planned visits dropped: nobody visits the new grid)",
    ),
    "history.imported": ("（表格导入）", " (spreadsheet import)"),  # zh needs no space before （
    "visits.members": ("人口", "Members"),
    "visits.elderly": ("老人户", "elderly household"),
    "visits.recent": ("近 {n} 天民情日志", "Visit log, last {n} days"),
    # -- petition CLI errors (issue 10: errors follow --lang) --
    "cli.bad_time": (
        "时间格式不对：{v}（写成 HH:MM 或 YYYY-MM-DD HH:MM）",
        "not a time: {v!r} (use HH:MM or YYYY-MM-DD HH:MM)",
    ),
    "cli.phone_pair": ("--phone 要写成 姓名=号码，而不是 {v}", "--phone takes NAME=NUMBER, not {v!r}"),
    "cli.set_pair": ("--set 要写成 项=新内容，而不是 {v}", "--set takes FIELD=VALUE, not {v!r}"),
    "cli.give_and_ack": (
        "--give 和 --ack 由交班人、接班人分别执行",
        "--give and --ack are made by two people: run them separately",
    ),
    "cli.nothing_to_ack": ("没有等待接班确认的交班", "no handover is waiting to be taken over"),
    "cli.xlsx_needs_out": ("--format xlsx 需要 --out 文件名", "--format xlsx needs --out FILE"),
    "cli.format_mismatch": (
        "文件名与 --format {fmt} 不符，应以 .{fmt} 结尾；或去掉 --format（格式看文件名）",
        "the name does not match --format {fmt}, which needs a .{fmt} file; or leave --format out (the name says the format)",
    ),
    "cli.cannot_write": ("不能写入 {path}：{why}", "cannot write {path}: {why}"),
    "cli.may_not_reveal": (
        "{actor} 无权查看未脱敏的个人信息（这次尝试已记录）",
        "{actor} may not see unmasked personal data (the attempt was logged)",
    ),
}


def sentence(text: str) -> str:
    """``text`` as the start of a sentence or a title: an English first letter capitalised."""
    return text[:1].upper() + text[1:]


def in_lang(pair: tuple[str, str], lang: Lang) -> str:
    """The word of a (Chinese, English) pair in ``lang``."""
    return pair[0] if lang == "zh" else pair[1]


def t(key: str, lang: Lang = "zh") -> str:
    """The text for ``key``; a missing key shows itself so the gap is visible, never a crash."""
    pair = UI_WORDS.get(key)
    return i18n.t(key, lang) if pair is None else in_lang(pair, lang)


def cell(member: StrEnum, lang: Lang = "zh") -> str:
    """``member``'s word in a table cell: its short form where it has one (``cell.`` above), else its label."""
    pair = UI_WORDS.get(f"cell.{type(member).__name__}.{member.value}")
    return label(member, lang) if pair is None else in_lang(pair, lang)


# What a reveal showed, as its history event keeps it: the dashboard's keys and the CLI's.
_REVEALED = {
    "name": "history.field.name",
    "reporter_name": "history.field.name",
    "phone": "history.field.phone",
    "reporter_phone": "history.field.phone",
    "household.head_name": "history.field.head_name",
}


def follow_up_said(satisfaction: StrEnum | None, solved: bool | None, lang: Lang = "zh") -> str:
    """What a 回访评价 step heard, as its history line says it: ``不满意、未解决`` ("" for any other step)."""
    said = [label(satisfaction, lang)] if satisfaction is not None else []
    if solved is not None:
        said.append(t("history.solved" if solved else "history.unsolved", lang))
    return t("punct.list", lang).join(said)


def history_note(action: str, note: str, lang: Lang = "zh") -> str:
    """A case history step's note; a reveal's is the fields it showed, stored as keys: said in words."""
    if action != "reveal":
        return note
    shown = dict.fromkeys(t(_REVEALED[key], lang) if key in _REVEALED else key for key in note.split(", "))
    return t("punct.list", lang).join(shown)


def all_labels() -> dict[str, list[str]]:
    """Every key with both its words, for matching what a person types (a member's cell words too)."""
    labels = i18n.all_labels() | {key: [zh, en] for key, (zh, en) in UI_WORDS.items()}
    for key, (zh, en) in UI_WORDS.items():
        if key.startswith("cell."):
            member = key.removeprefix("cell.")
            labels[member] = [*labels.get(member, []), zh, en]
    return labels


def keys() -> frozenset[str]:
    return i18n.keys() | frozenset(UI_WORDS)
