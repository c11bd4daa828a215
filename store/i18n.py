"""The one catalogue of every word duty-room shows: Chinese first, English second.

Enum members are looked up by ``<enum class key>.<value>``; UI strings by their key.
Kept in store/ (plain data, no Textual) because the CLI and the dashboard both speak it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, TypeVar

Lang = Literal["zh", "en"]
E = TypeVar("E", bound=StrEnum)
LANGS: tuple[Lang, ...] = ("zh", "en")

_CATALOGUE: dict[str, tuple[str, str]] = {
    # -- enums ---------------------------------------------------------------
    "GridLevel.large": ("大网格", "large grid"),
    "GridLevel.branch": ("支部网格", "branch grid"),
    "GridLevel.micro": ("微网格", "micro-grid"),
    "WorkerRole.grid_chief": ("网格长", "grid chief"),
    "WorkerRole.grid_worker": ("网格员", "grid worker"),
    "WorkerRole.micro_worker": ("微网格员", "micro-grid worker"),
    "WorkerRole.liaison": ("民情联络员", "liaison"),
    "SpecialTag.living_alone": ("独居", "living alone"),
    "SpecialTag.disabled": ("残疾", "disabled"),
    "SpecialTag.limited_mobility": ("行动不便", "limited mobility"),
    "SpecialTag.childless_elderly": ("孤寡", "childless elderly"),
    "Channel.mailbox": ("民情信箱", "mailbox"),
    "Channel.talk_point": ("群言亭", "talk point"),
    "Channel.council": ("协商议事厅", "council hall"),
    "Channel.home_visit": ("入户走访", "home visit"),
    "Channel.grid_report": ("网格员上报", "grid report"),
    "Channel.hotline": ("12345热线", "12345 hotline"),
    "Channel.online": ("线上", "online"),
    "Category.property": ("物业纠纷", "property dispute"),
    "Category.family": ("家庭矛盾", "family conflict"),
    "Category.neighbour": ("邻里纠纷", "neighbour dispute"),
    "Category.infrastructure": ("基础设施", "infrastructure"),
    "Category.gas": ("燃气安全", "gas safety"),
    "Category.sanitation": ("环境卫生", "sanitation"),
    "Category.street_vending": ("占道经营", "street vending"),
    "Category.illegal_building": ("违法建设", "illegal building"),
    "Category.public_security": ("治安", "public security"),
    "Category.convenience": ("便民服务", "convenience"),
    "Category.other": ("其他", "other"),
    "Priority.emergency": ("紧急", "emergency"),
    "Priority.urgent": ("加急", "urgent"),
    "Priority.normal": ("一般", "normal"),
    "Priority.complex": ("复杂", "complex"),
    "PetitionStatus.new": ("待受理", "new"),
    "PetitionStatus.accepted": ("已受理", "accepted"),
    "PetitionStatus.dispatched": ("已派单", "dispatched"),
    "PetitionStatus.in_progress": ("处置中", "in progress"),
    "PetitionStatus.returned": ("已退回", "returned"),
    "PetitionStatus.resolved": ("已办结", "resolved"),
    "PetitionStatus.closed": ("已回访", "closed"),
    "PetitionStatus.cancelled": ("已撤销", "cancelled"),
    "Level.building": ("楼栋", "building"),
    "Level.community": ("社区", "community"),
    "Level.township": ("乡镇", "township"),
    "Satisfaction.satisfied": ("满意", "satisfied"),
    "Satisfaction.basically": ("基本满意", "mostly satisfied"),
    "Satisfaction.unsatisfied": ("不满意", "unsatisfied"),
    "Audience.elderly": ("一老", "elderly"),
    "Audience.children": ("一小", "children"),
    "audience.short.elderly": ("老", "S"),
    "audience.short.children": ("小", "C"),
    "ServiceKind.meal_delivery": ("入户送餐", "meal delivery"),
    "ServiceKind.home_care": ("居家护理", "home care"),
    "ServiceKind.errands": ("跑腿代购", "errands"),
    "ServiceKind.art_troupe": ("夕阳红艺术团", "art troupe"),
    "ServiceKind.calligraphy": ("银龄书画社", "calligraphy club"),
    "ServiceKind.class": ("老年课堂", "class"),
    "ServiceKind.after_school": ("四点半小课堂", "after-school class"),
    "ServiceKind.school_guard": ("护学岗", "school-gate post"),
    "ServiceKind.sports": ("运动时段", "sports slot"),
    "ServiceKind.science": ("科普馆", "science museum"),
    "ServiceKind.children_forum": ("儿童座谈会", "children's forum"),
    "SessionState.scheduled": ("未开始", "scheduled"),
    "SessionState.checked_in": ("进行中", "checked in"),
    "SessionState.done": ("已完成", "done"),
    "SessionState.cancelled": ("已取消", "cancelled"),
    "SessionPhase.now": ("进行", "now"),
    "SessionPhase.next": ("将至", "next"),
    "SessionPhase.later": ("稍后", "pending"),
    "SessionPhase.late": ("迟到", "late"),
    "SessionPhase.done": ("完成", "done"),
    "SessionPhase.cancelled": ("取消", "off"),
    "PermitStatus.applied": ("申请中", "applied"),
    "PermitStatus.approved": ("已批准", "approved"),
    "PermitStatus.valid": ("有效", "valid"),
    "PermitStatus.suspended": ("暂停", "suspended"),
    "PermitStatus.expired": ("过期", "expired"),
    "FeeReduction.none": ("", ""),
    "FeeReduction.disabled": ("残疾人减免", "disabled reduction"),
    "FeeReduction.veteran": ("退役军人减免", "veteran reduction"),
    # -- petition actions (store.lifecycle Step.action) -----------------------
    "action.accept": ("受理", "accept"),
    "action.dispatch": ("派单", "dispatch"),
    "action.redispatch": ("重派", "re-dispatch"),
    "action.start": ("开始处置", "start"),
    "action.return": ("退回", "return"),
    "action.resolve": ("办结", "resolve"),
    "action.follow_up": ("回访评价", "follow up"),
    "action.redo": ("重办", "redo"),
    "action.reopen": ("重开", "reopen"),
    "action.cancel": ("撤销", "cancel"),
    "action.create": ("登记", "register"),
    "action.merge": ("合并", "merge"),
    "action.escalate": ("升级", "escalate"),
    "action.supervise": ("督办", "supervise"),
    "action.extend_request": ("申请延期", "request extension"),
    "action.extend_grant": ("批准延期", "grant extension"),
    "action.extend_deny": ("驳回延期", "deny extension"),
    "action.reveal": ("查看个人信息", "reveal personal data"),
    "PetitionStatus.merged": ("已合并", "merged"),
    "Supervision.none": ("", ""),
    "Supervision.yellow": ("黄牌督办", "yellow card"),
    "Supervision.red": ("红牌督办", "red card"),
    # -- refusals (store.lifecycle.IllegalTransition) ---------------------------
    "refused.transition": (
        "「{current}」的案件不能改为「{target}」；可以改为：{allowed}",
        "a case that is '{current}' cannot become '{target}'; allowed next: {allowed}",
    ),
    "refused.final": ("「{current}」的案件已终结，不能再改状态", "a case that is '{current}' is final; its status cannot change"),
    "refused.needs_note": ("「{action}」需要填写原因", "'{action}' needs a note saying why"),
    "refused.action_state": ("「{current}」的案件不能「{action}」", "a case that is '{current}' cannot '{action}'"),
    "refused.needs_assignee": ("「{action}」需要选择承办人或单位", "'{action}' needs an assignee"),
    "refused.needs_rating": ("回访评价需要满意度", "a follow-up needs a satisfaction rating"),
    "refused.escalate_top": ("已在最高层级「{level}」，不能再升级", "already at the top level '{level}'"),
    "refused.supervise_not_overdue": ("案件未超期，不需督办", "the case is not overdue; nothing to supervise"),
    "refused.supervise_max": ("已红牌督办，不能再升级督办", "already on a red card"),
    "refused.extension_pending": ("已有待批的延期申请", "an extension request is already pending"),
    "refused.extension_late": ("已超期，延期须在期限前申请", "the case is overdue; extensions are asked for before the deadline"),
    "refused.extension_none": ("没有待批的延期申请", "there is no pending extension request"),
    "refused.extension_days": ("延期天数须为 1 到 {limit} 个工作日", "an extension is 1 to {limit} working days"),
    "refused.merge_target": ("请指定要合并到的另一个案件编号", "name another case to merge into"),
    "refused.merge_missing": ("没有编号为 {id} 的未结案件", "no open case with id {id}"),
    "refused.merge_closed": ("{id} 是「{current}」，不能合并到它", "{id} is '{current}'; cannot merge into it"),
    "refused.merge_has_duplicates": ("此案件已有 {count} 个重复件，不能合并到别处", "this case has {count} duplicates; it cannot be merged away"),
    # -- forms ------------------------------------------------------------------
    "form.assignee": ("承办人 / 单位（输入筛选，↑↓选择）", "Assignee (type to filter, ↑↓ to pick)"),
    "form.type_to_filter": ("输入姓名、网格或单位筛选", "type a name, grid or unit"),
    "form.no_match": ("没有匹配项", "no match"),
    "form.choose": ("请选择", "choose"),
    "form.grid_filter": ("输入社区或网格名筛选（可不填）", "type a community or grid (optional)"),
    "form.satisfaction": ("满意度", "Satisfaction"),
    "form.solved": ("问题是否解决", "Solved?"),
    "form.yes": ("已解决", "yes"),
    "form.no": ("未解决", "no"),
    "form.days": ("延期工作日数", "Extra working days"),
    "form.duplicate_of": ("合并到（原件编号，输入筛选）", "Merge into (type to filter)"),
    "intake.heading": ("登记民情诉求", "Register a petition"),
    "intake.hint": ("Tab 切换字段，Enter 或 Ctrl+S 提交，Esc 放弃；全部有效才会保存", "Tab moves, Enter or Ctrl+S submits, Esc abandons; nothing is saved until every field is valid"),
    "intake.title": ("诉求（一句话）", "Subject (one line)"),
    "intake.building": ("楼栋", "Building"),
    "intake.unit": ("单元", "Unit"),
    "intake.grid_elsewhere": ("这个网格不在所选社区", "this grid is not in the chosen community"),
    "intake.saved": ("已登记 {id}，时限 {due}", "Registered {id}, due {due}"),
    "case.done": ("{id}：{action}完成", "{id}: {action} done"),
    "filter.placeholder": ("筛选：文字，或 status:处置中 cat:燃气 grid:3号楼 who:执法 lvl:社区；Esc 清除", "filter: text, or status:in_progress cat:gas grid:3 who:police lvl:community; Esc clears"),
    "filter.shown": ("筛选：{shown}/{total}", "filter: {shown}/{total}"),
    "sort.label": ("排序：{}", "sort: {}"),
    "SortOrder.urgency": ("紧急程度", "urgency"),
    "SortOrder.newest": ("最新", "newest"),
    "SortOrder.oldest": ("最早", "oldest"),
    "SortOrder.community": ("社区", "community"),
    "SortOrder.status": ("状态", "status"),
    "metrics.line": ("响应率 {r}  解决率 {s}  满意率 {f}", "response {r}  solved {s}  satisfied {f}"),
    "metrics.window.today": ("今日", "today"),
    "metrics.window.7d": ("7天", "7d"),
    "metrics.window.30d": ("30天", "30d"),
    # -- form validation ----------------------------------------------------------
    "invalid.phone": ("电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567", "not a phone number: 11-digit mobile or 0393-1234567"),
    "invalid.too_long": ("太长了：最多 {} 个字", "too long: at most {} characters"),
    "invalid.required": ("必填", "required"),
    "invalid.control": ("含有控制字符，请删去", "contains a control character; remove it"),
    # -- dashboard -------------------------------------------------------------
    "app.title": ("值班室", "Duty room"),
    "header.on_duty": ("值班", "on duty"),
    "header.on_duty_more": ("等{}人", " (team of {})"),
    "header.open": ("未结", "open"),
    "header.overdue": ("超期", "overdue"),
    "header.due_today": ("今日到期", "due today"),
    "header.visits": ("走访", "visits"),
    "header.late": ("迟到", "late"),
    "header.arrears": ("欠费", "arrears"),
    "weekdays": ("周一 周二 周三 周四 周五 周六 周日", "Mon Tue Wed Thu Fri Sat Sun"),
    "panel.petitions": ("民情诉求", "Petitions"),
    "panel.visits": ("网格走访", "Visits"),
    "panel.services": ("一老一小", "Services"),
    "panel.stalls": ("摊位", "Stalls"),
    "col.id": ("编号", "ID"),
    "col.status": ("状态", "Status"),
    "col.category": ("类别", "Category"),
    "col.title": ("诉求", "Subject"),
    "col.grid": ("网格", "Grid"),
    "col.community": ("社区", "Community"),
    "col.age": ("已过", "Age"),
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
    "col.arrears": ("欠费", "Arrears"),
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
    "stall.no_holder": ("(空位)", "(vacant)"),
    "money.yuan": ("¥{}", "¥{}"),
    "summary.petitions": ("未结{open} 超期{overdue} 今日到期{due_today}", "{open} open, {overdue} overdue, {due_today} due today"),
    "summary.visits": ("已访{visited}/{planned} 重点未访{special}", "{visited}/{planned} done, {special} alerts"),
    "summary.services": ("进行{now} 迟到{late} 完成{done}/{total}", "{now} now {late} late {done}/{total} done"),
    "summary.stalls": ("出摊{occupied}/{total} 欠费{arrears}户", "{occupied}/{total} out, {arrears} owe"),
    "legend": ("红=独居 黄=残疾 蓝=行动不便 绿=孤寡", "red=alone yellow=disabled blue=mobility green=childless"),
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
    "key.panel.detail": ("详情", "Detail"),
    "key.panel.refresh": ("刷新", "Refresh"),
    "key.petition.status": ("改状态", "Status"),
    "key.petition.new": ("登记", "New"),
    "key.petition.filter": ("筛选", "Filter"),
    "key.petition.sort": ("排序", "Sort"),
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
    "key.petition.reopen": ("重开", "Reopen"),
    "key.petition.extend_request": ("申请延期", "Ask extension"),
    "key.petition.extend_grant": ("批准延期", "Grant extension"),
    "key.petition.extend_deny": ("驳回延期", "Deny extension"),
    "key.form.cancel": ("取消", "Cancel"),
    "key.form.submit": ("提交", "Submit"),
    "key.filter.close": ("清除筛选", "Clear filter"),
    "key.table.down": ("下移", "Down"),
    "key.table.up": ("上移", "Up"),
    "key.detail.close": ("关闭", "Close"),
    "key.detail.reveal": ("显示个人信息", "Reveal"),
    "key.modal.cancel": ("取消", "Cancel"),
    "cmd.change_status": ("更改案件状态", "Change case status"),
    "cmd.change_status.help": ("为选中的诉求选择下一个状态", "Choose the next status for the selected petition"),
    "cmd.focus": ("转到面板：{}", "Go to panel: {}"),
    "cmd.zoom": ("放大 / 还原当前面板", "Zoom / restore the current panel"),
    "cmd.refresh": ("立即刷新数据", "Reload data now"),
    # -- status modal and detail -------------------------------------------------
    "modal.status.title": ("更改状态：{}", "Change status: {}"),
    "modal.status.current": ("当前状态：{}", "Current status: {}"),
    "modal.status.none": ("此案件已终结，没有可用的下一步。", "This case is final; there is no next step."),
    "modal.note": ("备注（可选）", "Note (optional)"),
    "modal.note.required": ("备注（必填：请说明原因）", "Note (required: say why)"),
    "modal.confirm": ("确认", "Confirm"),
    "modal.cancel": ("取消", "Cancel"),
    "modal.close": ("关闭", "Close"),
    "status.changed": ("{id} 已改为「{status}」", "{id} is now '{status}'"),
    "status.refused": ("未更改：{}", "Not changed: {}"),
    "detail.history": ("办理记录", "History"),
    "detail.reporter": ("反映人", "Reporter"),
    "detail.phone": ("电话", "Phone"),
    "detail.channel": ("渠道", "Channel"),
    "detail.priority": ("紧急程度", "Priority"),
    "detail.created": ("受理时间", "Received"),
    "detail.description": ("内容", "Description"),
    "detail.households": ("服务对象", "Households"),
    "detail.staff": ("人员", "Staff"),
    "detail.workers": ("网格队伍", "Grid team"),
    "detail.unvisited": ("今日未访", "Not yet visited today"),
    "detail.payments": ("缴费记录", "Payments"),
    "detail.masked_hint": ("个人信息已脱敏；按 {key} 显示（将记录在案）", "Personal data masked; press {key} to reveal (logged)"),
    "detail.revealed": ("已显示个人信息（已记录）", "Personal data revealed (logged)"),
    "detail.reveal_denied": ("无权查看未脱敏信息", "Not permitted to see unmasked data"),
    "summary.red": ("独居老人今日未访", "living-alone not yet visited"),
    "readonly.refused": ("只读模式：不能更改，也不能显示个人信息", "read-only: nothing can be changed or revealed"),
    "readonly.badge": ("只读", "read-only"),
    "store.empty": ("数据目录 {} 中没有数据。运行 `duty-room demo --run` 打开演示乡镇。", "No data in {}. Run `duty-room demo --run` to open the demo township."),
    "live.updated": ("已更新", "updated"),
    "empty.none": ("无", "none"),
}


def validation_message(error: dict, lang: Lang = "zh") -> str:
    """One pydantic error in words a duty officer understands (field-level, no jargon)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and "1[3-9]" in str(ctx.get("pattern", "")):
        return t("invalid.phone", lang)
    if kind in ("string_too_long", "too_long"):
        return t("invalid.too_long", lang).format(ctx.get("max_length", "?"))
    if kind in ("missing", "enum", "literal_error") or (kind == "string_type" and error.get("input") is None):
        return t("invalid.required", lang)
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        if "control character" in message:
            return t("invalid.control", lang)
        if "must not be empty" in message:
            return t("invalid.required", lang)
        return message
    return str(error.get("msg", kind))


def t(key: str, lang: Lang = "zh") -> str:
    """The text for ``key``; a missing key shows itself so the gap is visible, never a crash."""
    pair = _CATALOGUE.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def label(member: StrEnum, lang: Lang = "zh") -> str:
    return t(f"{type(member).__name__}.{member.value}", lang)


def all_labels() -> dict[str, list[str]]:
    """Every catalogue key with both its words, for matching what a person types."""
    return {key: [zh, en] for key, (zh, en) in _CATALOGUE.items()}


def parse_member(enum: type[E], text: str) -> E:
    """An enum member from its stable key (`in_progress`) or either label (`处置中`, `in progress`)."""
    wanted = text.strip().casefold()
    for member in enum:
        names = {member.value.casefold(), *(word.casefold() for word in _CATALOGUE.get(f"{enum.__name__}.{member.value}", ()))}
        if wanted in names:
            return member
    choices = ", ".join(f"{m.value} ({label(m)})" for m in enum)
    raise ValueError(f"unknown {enum.__name__} {text!r}; use one of: {choices}")


def keys() -> frozenset[str]:
    return frozenset(_CATALOGUE)
