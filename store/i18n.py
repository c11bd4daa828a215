"""The domain's words: enum labels, case actions, refusal reasons, validation and store faults.

Chinese first, English second. Enum members are looked up by ``<enum class>.<value>``, the rest by
key. Only what store/ itself says (or raises) lives here; the interface's own words (forms, keys,
columns, CLI lines) are in ``duty_room/words.py``, which falls back to this catalogue.
tests/test_catalogue.py keeps each key on its layer, defined once, and used.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal, TypeVar

Lang = Literal["zh", "en"]
E = TypeVar("E", bound=StrEnum)

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
    "SessionState.checked_in": ("已签到", "checked in"),  # before its start too: not 进行中
    "SessionState.done": ("已完成", "done"),
    "SessionState.cancelled": ("已取消", "cancelled"),
    "SessionPhase.checked_in": ("已签到", "checked in"),
    "SessionPhase.now": ("进行", "now"),
    "SessionPhase.ended": ("待完成", "ended"),
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
    "Recurrence.daily": ("每天", "daily"),
    "Recurrence.school_days": ("上学日", "school days"),
    "Recurrence.weekends": ("周末节假日", "weekends and holidays"),
    "Recurrence.weekly": ("每周", "weekly"),
    "PermitAction.approve": ("审核通过", "approve"),
    "PermitAction.issue": ("发证", "issue"),
    "PermitAction.suspend": ("暂停", "suspend"),
    "PermitAction.reinstate": ("恢复", "reinstate"),
    "PermitAction.renew": ("重新申请", "renew"),
    "refused.accept_not_listed": (
        "{path} 不是 manifest.json 列出的数据文件（写相对于数据目录的路径，如 petitions/2026-11-27.json）",
        "{path} is not a data file manifest.json lists (give it relative to the store, e.g. petitions/2026-11-27.json)",
    ),
    "refused.accept_not_missing": (
        "{path} 还在，不是缺失的文件；只有缺失的文件才能接受丢失（损坏的文件请从备份恢复）",
        "{path} is there, not missing; only a missing file's loss can be accepted (restore a damaged one from a backup)",
    ),
    "refused.session_unknown": ("没有这场活动：{id}", "no such session: {id}"),
    "refused.session_not_scheduled": (
        "这场活动{state}，不能再签到",
        "this session is {state}; it cannot be checked in again",
    ),
    "refused.session_other_day": (
        "只能为今天的活动签到（这场在 {day}）",
        "only today's sessions can be checked in (this one is on {day})",
    ),
    "refused.session_too_early": (
        "{start} 开始，开始前一小时内才能签到",
        "starts at {start}; check-in opens an hour before",
    ),
    "refused.session_finished": ("这场活动{state}，不能再改", "this session is {state}; it cannot change"),
    "refused.session_not_started": (
        "{start} 才开始，还不能登记完成",
        "starts at {start}; it cannot be completed before it starts",
    ),
    "refused.served_negative": ("服务人数不能是负数", "the number served cannot be negative"),
    "refused.session_over": (
        "已过结束时间 {end}，不能再签到；请按「完成」登记服务人数，迟到记录保留",
        "the session ended at {end}: too late to check in; complete it with the number served (the late mark stays)",
    ),
    "refused.served_format": (
        "服务人数请填 0 到 {most} 的整数，如 12",
        "the number served is a whole number from 0 to {most}, e.g. 12",
    ),
    "refused.cancel_needs_reason": (
        "取消须写明原因（会告知服务对象）",
        "a cancellation needs a reason (the people served are told)",
    ),
    "refused.amount_required": ("请填写金额（元），如 150", "enter the amount in yuan, e.g. 150"),
    # An amount read but not taken says why (not 看不懂): as the payment's own refusal of 0 says it.
    "refused.amount_negative": ("金额必须大于 0", "the amount must be more than 0"),
    "refused.amount_too_large": ("金额过大：最多 {most} 元", "the amount is too large: at most {most} yuan"),
    "refused.amount_format": (
        "金额「{text}」看不懂：请写元，如 150 或 75.50",
        "cannot read the amount '{text}': write yuan, e.g. 150 or 75.50",
    ),
    "refused.permit_none": ("这个摊位没有准入证申请", "this stall has no permit application"),
    "refused.permit_expired": (
        "准入证已于 {expired} 过期，须重新申请，不能直接审批或恢复",
        "the permit expired on {expired}; it must be renewed, not approved or reinstated",
    ),
    "refused.permit_move": ("准入证「{status}」时不能「{action}」", "a permit that is '{status}' cannot be '{action}'"),
    "refused.permit_needs_reason": ("暂停准入证须写明原因", "suspending a permit needs a reason"),
    "refused.permit_expiry_past": ("有效期 {expires} 已过", "the expiry date {expires} is in the past"),
    "refused.no_such_day": ("日历上没有 {day} 这一天", "there is no such day as {day}"),
    "refused.permit_expiry_format": ("有效期请写成 2026-12-31", "write the expiry date as 2026-12-31"),
    "refused.stall_taken": (
        "{stall}号摊位已有摊主，不能再申请（过期请重新申请准入证）",
        "stall {stall} has a holder; renew their permit instead",
    ),
    "refused.apply_needs_name": ("请填写申请人姓名", "the applicant's name is required"),
    "refused.release_needs_reason": ("退摊须写明原因", "releasing a spot needs a reason"),
    "refused.release_no_holder": ("{stall}号摊位本来就空着", "stall {stall} is already vacant"),
    "refused.release_owes": (
        "尚欠摊位费 ¥{owed}，结清后才能退摊",
        "¥{owed} in fees is owed; settle it before releasing the spot",
    ),
    "PermitAction.release": ("退摊", "released"),
    "refused.stall_unknown": ("没有这个摊位：{id}", "no such stall: {id}"),
    "refused.pay_no_holder": (
        "{stall}号摊位没有摊主，不能收费",
        "stall {stall} has no holder; there is nobody to pay for it",
    ),
    "refused.pay_free_stall": ("这个摊位免收摊位费", "this stall pays no fee"),
    "refused.pay_paid_up": (
        "已缴至 {period}，没有可收的月份（最多预收下个月）",
        "paid up to {period}; nothing to collect (at most next month is paid ahead)",
    ),
    "refused.pay_period_format": (
        "缴费月份请写成 2026-11（不是「{period}」）",
        "write the month as 2026-11 (not '{period}')",
    ),
    "refused.pay_future": (
        "{period} 还没到，最多预缴下个月",
        "{period} is too far ahead; at most next month can be paid",
    ),
    "refused.pay_before_holder": (
        "{period} 早于现摊主接手的月份 {since}，不是这位摊主的摊位费（年份写错了？）",
        "{period} is before the present holder took the spot ({since}); not their fee (wrong year?)",
    ),
    "refused.pay_amount": ("金额必须大于 0", "the amount must be more than 0"),
    "refused.sheet_missing": ("{path}：没有这个文件", "{path}: no such file"),
    "refused.sheet_no_csv": ("{path}：这个文件夹里没有 .csv 文件", "{path}: no .csv files in this folder"),
    "refused.sheet_unreadable": (
        "{path}：不是能读的 .xlsx 工作簿（损坏、加密或不是 Excel 文件）",
        "{path}: not a readable .xlsx workbook ({detail})",
    ),
    "refused.sheet_formula_unsaved": (
        "{path}：有公式但文件里无计算结果（由程序生成，从未在表格软件里打开存盘）；请用 Excel 或 WPS 打开、存盘后再导入",
        "{path}: has formulas with no saved result (written by a program, never saved by a spreadsheet); "
        "open and save it in Excel or WPS, then import it",
    ),
    "refused.sheet_not_regular": (
        "{path}：是链接或特殊文件，不读（导入文件夹里只读放进去的文件本身）",
        "{path}: a link or a special file, not read (from the import folder only the files put there are read)",
    ),
    "refused.sheet_encoding": (
        "{path}：既不是 UTF-8 也不是 GB18030 编码的文本，请在 Excel 里另存为「CSV UTF-8」",
        "{path}: neither UTF-8 nor GB18030 text ({detail}); save it from Excel as CSV UTF-8",
    ),
    "refused.pay_too_much": (
        "{period} 只欠 ¥{owed}，金额超出（是否重复录入？）",
        "only ¥{owed} is owed for {period}; this is more (entered twice?)",
    ),
    "refused.occupy_no_holder": (
        "{stall}号摊位没有摊主，不能标记出摊",
        "stall {stall} has no holder; it cannot be marked occupied",
    ),
    "refused.occupy_no_permit": (
        "准入证{status}，不能出摊（需有效准入证）",
        "the permit is {status}; only a valid permit may trade",
    ),
    "refused.visit_needs_note": ("民情日志须写走访情况", "the visit log entry needs a note"),
    "refused.household_unknown": ("没有这户：{id}", "no such household: {id}"),
    "refused.grid_elsewhere": ("网格「{grid}」不在所选社区", "grid {grid!r} is in {community!r}, not {chosen!r}"),
    # The case's grid's households live elsewhere: change the grid, or the building or unit.
    "refused.building_outside_grid": (
        "网格「{grid}」的住户在{places}，不在{typed}",
        "grid {grid!r} has its households in {places}, not in {typed}",
    ),
    "refused.unit_outside_grid": (
        "网格「{grid}」的住户在{places}，不在{typed}",
        "grid {grid!r} has its households in {places}, not in {typed}",
    ),
    "refused.worker_unknown": ("没有这位网格员：{id}", "no such grid worker: {id}"),
    "refused.visit_twice": ("这户今天 {at} 已走访登记过", "this household was already visited today at {at}"),
    "refused.transition": (
        "「{current}」的案件不能改为「{target}」；可以改为：{allowed}",
        "a case that is '{current}' cannot become '{target}'; allowed next: {allowed}",
    ),
    "refused.final": (
        "「{current}」的案件已终结，不能再改状态",
        "a case that is '{current}' is final; its status cannot change",
    ),
    "refused.needs_note": ("「{action}」需要填写原因", "'{action}' needs a note saying why"),
    # A refusal said of the record it is about (``Refused.about``), whose reason does not name it.
    "refused.about": ("{about}：{reason}", "{about}: {reason}"),
    "refused.action_state": ("「{current}」的案件不能「{action}」", "a case that is '{current}' cannot '{action}'"),
    "refused.needs_assignee": ("「{action}」需要选择承办人或单位", "'{action}' needs an assignee"),
    "refused.needs_rating": ("回访评价需要满意度", "a follow-up needs a satisfaction rating"),
    "refused.escalate_top": ("已在最高层级「{level}」，不能再升级", "already at the top level '{level}'"),
    "refused.supervise_not_overdue": ("案件未超期，不需督办", "the case is not overdue; nothing to supervise"),
    "refused.supervise_max": ("已红牌督办，不能再升级督办", "already on a red card"),
    "refused.extension_pending": ("已有待批的延期申请", "an extension request is already pending"),
    "refused.extension_late": (
        "已超期，延期须在期限前申请",
        "the case is overdue; extensions are asked for before the deadline",
    ),
    "refused.extension_none": ("没有待批的延期申请", "there is no pending extension request"),
    "refused.extension_days": ("延期天数须为 1 到 {limit} 个工作日", "an extension is 1 to {limit} working days"),
    "refused.merge_target": ("请指定要合并到的另一个案件编号", "name another case to merge into"),
    "refused.merge_missing": ("没有编号为 {id} 的未结案件", "no open case with id {id}"),
    "refused.merge_closed": ("{id} 是「{current}」，不能合并到它", "{id} is '{current}'; cannot merge into it"),
    "refused.merge_has_duplicates": (
        "此案件已有 {count} 个重复件，不能合并到别处",
        "this case has {count} duplicates; it cannot be merged away",
    ),
    # -- forms ------------------------------------------------------------------
    "SortOrder.urgency": ("紧急程度", "urgency"),
    "SortOrder.newest": ("最新", "newest"),
    "SortOrder.oldest": ("最早", "oldest"),
    "SortOrder.community": ("社区", "community"),
    "SortOrder.status": ("状态", "status"),
    # -- form validation ----------------------------------------------------------
    "invalid.phone": (
        "电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567",
        "not a phone number: 11-digit mobile or 0393-1234567",
    ),
    # A service line typed where a person's own phone goes (the duty log's caller may be one: caller_phone)
    "invalid.service_line.reporter": (
        "{number} 是受理渠道，不是诉求人的电话：请填写诉求人本人的手机或座机，不知道可留空",
        "{number} is a service line (the channel the case came by), not the reporter's phone: "
        "give the reporter's own mobile or landline, or leave it blank",
    ),
    "invalid.service_line.person": (
        "{number} 是热线、报警等服务号码，不是个人电话：请填写本人的手机或座机",
        "{number} is a service line, not a person's phone: give their own mobile or landline",
    ),
    "invalid.caller_phone": (
        "电话格式不对：手机 11 位（1 开头），座机带区号如 0393-1234567，或热线、报警号码如 12345、110",
        "not a phone number: 11-digit mobile, 0393-1234567, or a service line such as 12345 or 110",
    ),
    "invalid.too_long": ("太长了：最多 {} 个字", "too long: at most {} characters"),
    "invalid.required": ("必填", "required"),
    "invalid.record_id": (
        "编号只能用字母、数字和 - _ . :，以字母或数字开头（不能有空格、汉字）",
        "an id is letters, digits and - _ . : only, beginning with a letter or digit (no spaces)",
    ),
    "invalid.one_of": ("只能是 {} 之一", "one of {}"),
    "invalid.text": ("须为文字（加引号）", "must be text (in quotes)"),
    "invalid.at_least": ("不能小于 {}", "at least {}"),
    "invalid.bool": ("只能是 true 或 false", "true or false"),
    "invalid.bool_typed": ("只能是 true 或 false（写的是「{}」）", "not true or false: {!r}"),
    "invalid.number": ("须为数字", "not a number"),
    "invalid.more_than": ("须大于 {}", "more than {}"),
    "invalid.at_most": ("不能大于 {}", "at most {}"),
    "invalid.less_than": ("须小于 {}", "less than {}"),
    "invalid.control": ("含有控制字符，请删去", "contains a control character; remove it"),
    # -- panel 5: 值班记录 (duty_room/panels/dutylog.py) ------------------------------------------
    "refused.unknown_choice": ("「{v}」不是可选的值；可选：{choices}", "{v!r} is not a choice; use one of: {choices}"),
    "refused.duty_pick_incident": ("请先选中一起突发事件", "select an incident first"),
    "refused.duty_pick_entry": ("请先选中一条值班记录", "select a log entry first"),
    "weekdays": ("周一 周二 周三 周四 周五 周六 周日", "Mon Tue Wed Thu Fri Sat Sun"),
    # -- spreadsheets: import, export, template (store.workbook, duty_room.data_cli) ------------
    "sheet.rows_alike": ("（{n} 行）", " ({n} rows)"),
    "sheet.not_int": ("不是整数：{v}", "not a whole number: {v}"),
    "sheet.not_date": ("日期看不懂：{v}（写成 2026-11-28）", "cannot read the date {v} (write 2026-11-28)"),
    "sheet.no_such_day": ("日历上没有 {v} 这一天", "there is no such day as {v}"),
    "sheet.not_time": ("时间看不懂：{v}（写成 07:30）", "cannot read the time {v} (write 07:30)"),
    "sheet.not_bool": ("请填「是」或「否」：{v}", "write 是 (yes) or 否 (no): {v}"),
    "sheet.amount_negative": ("金额不能为负：{v}", "a negative amount: {v}"),
    "sheet.amount_too_large": ("金额过大：{v}（最多 {most} 元）", "amount too large: {v} (at most {most} yuan)"),
    "sheet.not_amount": (
        "金额看不懂：{v}（写元，如 150 或 75.50）",
        "not an amount: {v} (write yuan, e.g. 150 or 75.50)",
    ),
    "sheet.not_weekday": ("星期看不懂：{v}（写 周二、周四）", "cannot read the weekday {v} (write 周二、周四)"),
    "sheet.unknown_choice": ("「{v}」不是可选项；可选：{choices}", "{v!r} is not one of the choices: {choices}"),
    "sheet.unknown_ref": ("没有这个{what}「{v}」；已有：{known}", "no {what} {v!r}; known: {known}"),
    "sheet.duplicate_id": ("编号 {id} 重复（第 {row} 行已用）", "id {id} repeated (already on row {row})"),
    "sheet.duplicate_key": ("与第 {row} 行重复", "the same as row {row}"),
    "sheet.same_record": (
        "与第 {row} 行是同一条记录（{columns}相同）",
        "the same record as row {row} (the same {columns})",
    ),
    "sheet.key_taken": (
        "{column}「{v}」{within}已被本表记录 {id} 使用；要改那条记录，编号填 {id}",
        "{column} {v!r}{within} is already used by record {id} of this sheet; to change that record, give the id {id}",
    ),
    # One household an address (store/workbook.py check_addresses), as the store says it (refused.address_taken).
    # The grid by its name and the id the sheet's 所属网格 column holds; the household by its id and head.
    "sheet.address_taken": (
        "{grid}（{grid_id}）的 {address} 已登记为住户 {id}（户主 {head}）：一个地址只登记一户；要改那户，编号填 {id}",
        "{address} in {grid} ({grid_id}) is already household {id} (head {head}): one household per address; "
        "to change that household, give the id {id}",
    ),
    "sheet.address_repeated": (
        "与 {other} 是同一地址 {address}（所属网格、楼栋、单元、门牌相同）：一个地址只登记一户；"
        "同一户只留一行（编号填那户的），不同的两户请改正门牌",
        "the same address {address} as {other} (the same grid, building, unit and room): one household "
        "per address; keep one row for one household (with its id), or correct the room of the other",
    ),
    "sheet.shift_day": (
        "班次 {id} 是 {day} 的班，日期不能改；另一天的班请另起一行（编号留空）",
        "shift {id} is the shift of {day}; its day cannot change: put another day's shift on a row of its own (id blank)",
    ),
    "sheet.key_taken_within_grid": ("在同一社区、同一上级网格下", " (in one community under one parent grid)"),
    "sheet.key_taken_within_market": ("在同一社区、同一市场", " (in one community and market)"),
    "sheet.parent_cycle": ("上级网格形成循环：{path}", "the parent grids form a cycle: {path}"),
    "sheet.parent_other_community": ("上级网格属于另一个社区", "the parent grid is in another community"),
    "sheet.masked_new": (
        "这是脱敏后的值（含 *），数据里还没有它的原值：请填完整内容（脱敏导出的表只能原样导回已有的数据）",
        "a masked value (with *) with nothing stored to stand for: type it in full (a masked export "
        "can only be read back into the data it came from)",
    ),
    "sheet.masked": (
        "这是脱敏后的值（含 *），与已存数据不符：请填完整内容",
        "a masked value (with *) that does not match the stored one: type it in full",
    ),
    "sheet.missing_column": ("缺少这一列", "this column is missing"),
    "sheet.extra_columns": ("{sheet}：未识别的列已忽略：{columns}", "{sheet}: unknown columns ignored: {columns}"),
    "sheet.unknown_sheet": ("未识别的工作表「{sheet}」已忽略", "unknown sheet {sheet!r} ignored"),
    "sheet.read_as": (
        "工作表「{sheet}」按表头当作「{table}」表读入",
        "sheet {sheet!r} read as the {table} sheet, by its headers",
    ),
    "sheet.same_table": (
        "工作表「{sheet}」和「{other}」都是「{table}」表：请只留一张",
        "sheets {sheet!r} and {other!r} are both the {table} sheet: keep one",
    ),
    "sheet.pruned_ref": (
        "{sheet}!{id}: 仍指向要删除的 {ref}（--prune 不能删除仍被引用的记录）",
        "{sheet}!{id}: still points at {ref}, which --prune would delete",
    ),
    "refused.grid_unknown": ("没有网格「{id}」；已有：{known}", "no grid {id!r}; known: {known}"),
    "refused.community_unknown": ("没有社区「{id}」；已有：{known}", "no community {id!r}; known: {known}"),
    "refused.table_unknown": ("没有表「{id}」；已有：{known}", "no table {id!r}; known: {known}"),
    "refused.phone_taken": ("这个手机号已是网格员 {id} 的", "this phone number already belongs to grid worker {id}"),
    "refused.id_taken": ("编号 {id} 已被使用", "the id {id} is already used"),
    "refused.worker_has_plans": (
        "还有 {n} 条走访计划：请指定接手的网格员",
        "{n} visits are still planned: name who takes them over",
    ),
    "refused.hand_over_self": ("不能交给自己", "cannot hand over to the same worker"),
    "refused.same_grid": ("这户已在这个网格", "the household is already in this grid"),
    # One household an address (storage.Transaction._refuse_taken_addresses): whose it is, named as the
    # dashboard names them (the grid: its community and name; the household: its head, masked), no ids.
    "refused.misfiled": (
        "记录 {id} 应写在 {file} 文件中，不能写入 {given}（按其日期）",
        "record {id} belongs in the file {file}, not {given} (by its date)",
    ),
    "refused.spot_taken": (
        "{market} {number} 号已是摊位 {id}：一个市场的一个号只登记一个摊位",
        "{market} {number} is already stall {id}: one stall per number in a market",
    ),
    "refused.address_taken": (
        "{grid} 的 {address} 已登记为另一户（户主 {head}）：一个地址只登记一户",
        "{address} in {grid} is already registered to another household (head {head}): one household per address",
    ),
    # what a roster record's history says was done (store/roster.py RosterEvent; shown in details)
    "history.add": ("新增", "added"),
    "history.edit": ("修改", "changed"),
    "history.retire": ("退出名册", "retired"),
    "history.move": ("迁户", "moved"),
    "history.reinstate": ("恢复", "reinstated"),
    "history.field.kind": ("服务类型", "service"),
    "history.field.title": ("名称", "title"),
    "history.field.community_id": ("社区", "community"),
    "history.field.place": ("地点", "place"),
    "history.field.start": ("开始时间", "start"),
    "history.field.end": ("结束时间", "end"),
    "history.field.recurrence": ("重复", "repeats"),
    "history.field.weekdays": ("每周几", "weekdays"),
    "history.field.staff": ("服务人员", "staff"),
    "history.field.household_ids": ("服务对象", "households"),
    "history.field.starts_on": ("开始日期", "first day"),
    "history.field.ends_on": ("结束日期", "last day"),
    "history.field.name": ("姓名", "name"),
    "history.field.role": ("职务", "role"),
    "history.field.phone": ("电话", "phone"),
    "history.field.grid_id": ("网格", "grid"),
    "history.field.building": ("楼栋", "building"),
    "history.field.unit": ("单元", "unit"),
    "history.field.room": ("房号", "room"),
    "history.field.head_name": ("户主", "head of household"),
    "history.field.tags": ("特殊人群", "special groups"),
    "history.field.members": ("人口", "members"),
    "history.field.elderly": ("老人户", "elderly household"),
    "refused.no_change": ("没有改动（Esc 关闭）", "nothing was changed (Esc closes)"),
    "refused.changed_meanwhile": (  # one statement: the status line adds no 未更改 (SAYS_ITS_OUTCOME)
        "未保存：此件已被他人更新，请核对后再保存",
        "Not saved: changed at another desk meanwhile; check it and save again",
    ),
    "refused.plan_rule": (
        "走访间隔不对：重点户 {special} 天，其他 {others} 天（1–366，重点户不长于其他）",
        "bad visit intervals: special {special} days, others {others} days (1-366, special not longer)",
    ),
    "sheet.at_most": ("不能大于 {limit}", "at most {limit}"),
    "sheet.at_least": ("不能小于 {limit}", "at least {limit}"),
    # the models' own rules (store/models.py raises them in English), as a clerk reads them
    "model.a 大网格 (large grid) has no parent grid": (
        "大网格没有上级网格",
        "a 大网格 (large grid) has no parent grid",
    ),
    "model.a branch grid needs a parent grid": ("支部网格须填上级网格（大网格）", "a branch grid needs a parent grid"),
    "model.a micro grid needs a parent grid": ("微网格须填上级网格（支部网格）", "a micro grid needs a parent grid"),
    "model.a permit expires at most 5 years after it was applied for": (
        "有效期最长到申请日后 5 年，请核对年份",
        "a permit expires at most 5 years after it was applied for: check the year",
    ),
    "model.a session must end after it starts": ("结束时间须晚于开始时间", "a session must end after it starts"),
    "model.weekdays are distinct numbers 0 (Monday) to 6 (Sunday)": (
        "每周几不能重复",
        "weekdays are distinct numbers 0 (Monday) to 6 (Sunday)",
    ),
    "model.a weekly schedule, and only a weekly schedule, lists its weekdays": (
        "「每周」须填每周几，其他重复方式不填",
        "a weekly schedule, and only a weekly schedule, lists its weekdays",
    ),
    "model.the schedule ends before it starts": ("结束日期早于开始日期", "the schedule ends before it starts"),
    "model.a tag is listed twice": ("特殊人群填了两次", "a tag is listed twice"),
    "model.the due time is before the time the case was received": (
        "办理时限早于受理时间",
        "the due time is before the time the case was received",
    ),
    "model.an open case has no closing time": ("未结案件不应有结案时间", "an open case has no closing time"),
    "model.a closed or cancelled case needs its closing time": (
        "已结或已撤销的案件须有结案时间",
        "a closed or cancelled case needs its closing time",
    ),
    "model.a merged case, and only a merged case, names the case it duplicates": (
        "「已合并」的案件须写明并入哪个案件，其他案件不写",
        "a merged case, and only a merged case, names the case it duplicates",
    ),
    "model.a case cannot duplicate itself": ("案件不能合并到自己", "a case cannot duplicate itself"),
    "model.the visit time is not on the visit day": ("走访时间不在走访当天", "the visit time is not on the visit day"),
    "model.a cancelled session needs a reason": ("已取消的服务须写明原因", "a cancelled session needs a reason"),
    "model.a completed session records how many people were served": (
        "已完成的服务须记录服务人数",
        "a completed session records how many people were served",
    ),
    "model.a checked-in session records when": ("已签到的服务须记录签到时间", "a checked-in session records when"),
    "model.a correction changes something and says why": (
        "更正须有改动并写明原因",
        "a correction changes something and says why",
    ),
    "model.a link names the case": ("关联须写明案件编号", "a link names the case"),
    "model.the incident was known before it happened": (
        "接报时间早于事发时间",
        "the incident was known before it happened",
    ),
    "model.a report is dated before the incident was known": (
        "有报送早于接报时间",
        "a report is dated before the incident was known",
    ),
    "model.an incident has one 首报 and one 书面报告; later reports are 续报": (
        "首报和书面报告各只有一次，之后是续报",
        "an incident has one 首报 and one 书面报告; later reports are 续报",
    ),
    "model.the 终报 is the last report": ("终报须是最后一次报送", "the 终报 is the last report"),
    "model.no report is dated after the 终报": ("不能有晚于终报的报送", "no report is dated after the 终报"),
    "model.an incident is closed exactly when its 终报 is made": (
        "事件有终报才结束，结束须有终报",
        "an incident is closed exactly when its 终报 is made",
    ),
    "model.handling ended before the incident was known": (
        "处置结束时间早于接报时间",
        "handling ended before the incident was known",
    ),
    "model.an acknowledgement records both who and when": (
        "接班确认须同时记下确认人和时间",
        "an acknowledgement records both who and when",
    ),
    "model.the incoming officer acknowledges with their own account, not the outgoing one's": (
        "接班须由接班人用自己的账号确认，不能用交班人的",
        "the incoming officer acknowledges with their own account, not the outgoing one's",
    ),
    "ref.communities": ("社区", "community"),
    "ref.grids": ("网格", "grid"),
    "ref.households": ("住户", "household"),
    "ref.workers": ("网格员", "grid worker"),
    "ref.stalls": ("摊位", "stall"),
    # -- the duty room's own work: 值班表, 值班记录, 突发事件信息报送, 交接班 (store/dutylog.py) --
    "LogKind.call": ("来电", "call"),
    "LogKind.document": ("来文", "document"),
    "LogKind.visit": ("来访", "visit"),
    "LogKind.patrol": ("巡查", "patrol"),
    "LogKind.instruction": ("上级指示", "instruction"),
    "LogKind.incident": ("突发事件", "emergency"),
    "LogKind.other": ("其他", "other"),
    "IncidentCategory.natural": ("自然灾害", "natural disaster"),
    "IncidentCategory.accident": ("事故灾难", "accident"),
    "IncidentCategory.public_health": ("公共卫生事件", "public health event"),
    "IncidentCategory.social_safety": ("社会安全事件", "social safety event"),
    "IncidentLevel.i": ("特别重大(I级)", "level I (extraordinary)"),
    "IncidentLevel.ii": ("重大(II级)", "level II (major)"),
    "IncidentLevel.iii": ("较大(III级)", "level III (large)"),
    "IncidentLevel.iv": ("一般(IV级)", "level IV (ordinary)"),
    "ReportStage.phone": ("首报", "first report (phone)"),
    "ReportStage.written": ("书面报告", "written report"),
    "ReportStage.follow_up": ("续报", "follow-up report"),
    "ReportStage.final": ("终报", "final report"),
    "refused.duty_future": ("时间 {at} 还没到，不能登记", "{at} is in the future; it cannot be recorded yet"),
    "refused.duty_too_early": (
        "时间 {at} 早于上一班（{since} 起）：值班记录当班写；补记更早的，用 duty-room {command} --late",
        "{at} is before the previous shift, which began {since}: the duty log is written on shift; "
        "a late entry goes in with duty-room {command} --late",
    ),
    "refused.duty_no_shift": ("没有这个班次：{id}", "no such shift: {id}"),
    "refused.duty_entry_has_incident": (
        "值班记录 {entry} 已是突发事件 {incident} 的接报记录",
        "log entry {entry} is already how incident {incident} came in",
    ),
    "refused.duty_phone_stranger": (
        "{names} 不在本班，不能登记他的电话（只登记带班领导和值班员的）",
        "a phone for someone not on the shift: {names}",
    ),
    "refused.duty_staff_count": (
        "每班值班员一至二人（现为 {count} 人）",
        "a shift has one or two duty officers (not {count})",
    ),
    "refused.duty_twice": ("同一人不能在一个班次里出现两次", "the same person cannot be on one shift twice"),
    "refused.duty_started": (
        "班次 {shift} 已开始，不能再改起止时间",
        "shift {shift} has started; its times cannot change",
    ),
    "refused.duty_plan_over": (
        "班次 {shift} 已结束，不能再排班（过去的值班表请用导入的 值班表 补录）",
        "shift {shift} is over and cannot be planned (a past roster is brought in by import, its 值班表 sheet)",
    ),
    "refused.duty_started_people": (
        "班次 {shift} 已开始，不能重新排班；人员变动请记为换班（duty swap）",
        "shift {shift} has started and cannot be re-planned; record a change of people as a swap (duty swap)",
    ),
    "refused.duty_planned_meanwhile": (
        "未保存：{day} 的班次刚被他人排为 带班领导 {leader}，值班员 {staff}；请核对后再保存",
        "Not saved: {day}'s shift was just planned at another desk (leader {leader}, staff {staff}); check it and save again",
    ),
    "refused.duty_not_on_shift": ("{name} 不在班次 {shift} 上", "{name} is not on shift {shift}"),
    "refused.duty_shift_over": ("班次 {shift} 已结束，不能再换班", "shift {shift} is over; it cannot be swapped"),
    "refused.duty_no_entry": ("没有这条值班记录：{id}", "no such log entry: {id}"),
    "refused.duty_not_correctable": ("不能更正这些项：{fields}", "these cannot be corrected: {fields}"),
    "refused.duty_correction_reason": ("更正需写明原因", "a correction needs a reason"),
    "refused.duty_correction_empty": ("更正与原记录相同", "the correction changes nothing"),
    "refused.duty_masked_caller": (
        "来电人是脱敏后的显示（带 *），不能照抄：请输入完整的名字",
        "the caller is the masked name (with *), not one to copy: type the whole name",
    ),
    "refused.duty_already_case": ("值班记录 {id} 已转为案件 {case}", "log entry {id} already became case {case}"),
    "refused.duty_already_linked": (
        "值班记录 {id} 已关联案件 {case}",
        "log entry {id} is already linked to case {case}",
    ),
    "refused.duty_no_incident": ("没有这个突发事件：{id}", "no such incident: {id}"),
    "refused.duty_incident_closed": ("事件 {id} 已终报，不能再报", "incident {id} has had its final report"),
    "refused.duty_incident_ended": ("事件 {id} 已处置结束", "handling of incident {id} has already ended"),
    "refused.duty_report_before": (
        "报送时间早于接报时间 {at}",
        "a report cannot be dated before the incident was known ({at})",
    ),
    "refused.duty_report_order": (
        "终报时间不能早于已记录的报送 {at}",
        "the final report cannot be dated before a report already recorded ({at})",
    ),
    "refused.duty_report_twice": (
        "「{stage}」已报过，之后请续报",
        "the '{stage}' was already made; later reports are follow-ups",
    ),
    "refused.duty_handed_over": ("班次 {shift} 已交班", "shift {shift} has already been handed over"),
    "refused.duty_report_changed": (
        "交班报告已变化：{changes}，请重新核对后再交班",
        "the handover report has changed ({changes}): review it again before handing over",
    ),
    # what changed in a shift's report since it was read (store/handover.py HandoverContents.changes)
    "report_change.and": ("、", ", "),
    "report_change.entries_more": ("新增{}条记录", "log entries +{}"),
    "report_change.entries_fewer": ("减少{}条记录", "log entries -{}"),
    "report_change.incidents_more": ("新增{}起事件", "open incidents +{}"),
    "report_change.incidents_fewer": ("{}起事件已终报", "open incidents -{}"),
    "report_change.late_more": ("新增{}项迟报", "late reports +{}"),
    "report_change.late_fewer": ("减少{}项迟报", "late reports -{}"),
    "report_change.late_made": ("{}项迟报已补报", "late reports now made: {}"),
    "report_change.overdue_more": ("新增{}件超期案件", "overdue cases +{}"),
    "report_change.overdue_fewer": ("减少{}件超期案件", "overdue cases -{}"),
    "refused.duty_not_handed_over": ("班次 {shift} 还没有交班", "shift {shift} has not been handed over yet"),
    "refused.duty_acknowledged": (
        "班次 {shift} 已由 {who} 接班确认",
        "shift {shift} was already acknowledged by {who}",
    ),
    "refused.duty_own_handover": (
        "接班须由接班人用自己的账号确认（{who} 是交班人）",
        "the incoming officer acknowledges with their own account ({who} handed over)",
    ),
    # -- a shared store's access (storage.permission_problems, said by `check`) --
    "access.symlink": ("{name}：数据目录里的符号链接", "{name}: a symbolic link in the store"),
    "access.others_enter": (
        "{name}：组外的人也能进入（权限 {mode}）",
        "{name}: others (not in the group) can enter it (mode {mode})",
    ),
    "access.others_read": (
        "{name}：组外的人也能读取（权限 {mode}）",
        "{name}: others (not in the group) can read it (mode {mode})",
    ),
    "access.group_folder": (
        "{name}：组 {group} 不能在其中写入，或没有 setgid（权限 {mode}）",
        "{name}: the group {group} cannot write in it, or it is not setgid (mode {mode})",
    ),
    "access.group_file": (
        "{name}：组 {group} 不能写入（权限 {mode}）",
        "{name}: the group {group} cannot write it (mode {mode})",
    ),
    "access.wrong_group": (
        "{name}：属于组 {actual}，不是数据目录的组 {group}",
        "{name}: belongs to group {actual}, not the store's group {group}",
    ),
    "access.wrong_owner": (
        "{name}：属于 {actual}，不是数据目录的所有者 {owner}",
        "{name}: belongs to {actual}, not the store's owner {owner}",
    ),
    # -- store faults (store/errors.py; one line each, exit codes in duty_room/exits.py) --
    "fault.not_found": ("没有编号为 {id} 的记录", "no {table} record with id {id!r}"),
    "fault.not_found.petitions": ("没有这个案件：{id}", "no case {id}"),
    "fault.environment": ("{path}：{cause}（{code}）", "{path}: {cause} ({code})"),
    "fault.cause.disk_full": ("磁盘已满", "disk full"),
    "fault.cause.read_only": ("只读文件系统", "read-only filesystem"),
    "fault.cause.permission": ("无权限", "permission denied"),
    "fault.cause.not_a_file": ("不是文件（是文件夹）", "not a file (a folder)"),
    "fault.cause.not_a_folder": ("不是文件夹", "not a folder"),
    "fault.cause.io": ("读写错误", "input/output error"),
    "fault.cause.not_found": ("文件或文件夹不存在", "no such file or folder"),
    "fault.why": ("{cause}（{code}）", "{cause} ({code})"),
    "fault.read_only_store": (
        "只读：本会话不能更改 {path}（只读会话不改任何数据，也不能显示个人信息，因为那要写审计记录）",
        "read-only: {path} cannot be changed by this session (a viewer changes nothing, "
        "and cannot reveal personal data, which writes the audit log)",
    ),
    "fault.corrupt": (
        "数据文件已损坏：{path}：{detail}。文件未改动；请从备份恢复。",
        "store file is damaged: {path}: {detail}. It was not changed; restore it from a backup.",
    ),
    "fault.schema": (
        "{path} 由更新版本的 duty-room 写入（schema {schema}，本版本只能读 {reads}）；请升级 duty-room",
        "{path} was written by a newer duty-room (schema {schema}, this one reads {reads}); upgrade duty-room",
    ),
    # -- what `check` finds (store/storage.py Finding; the CLI prints them, a failed backup says one) --
    "punct.list": ("、", ", "),  # the interface's too (duty_room/words.py falls back to this catalogue)
    "repair.finished": (
        "中断的写入（第 {generation} 代）已完成",
        "an interrupted transaction (generation {generation}) was finished",
    ),
    "repair.undone": (
        "中断的写入（第 {generation} 代）已撤销",
        "an interrupted transaction (generation {generation}) was undone",
    ),
    "repair.leftover": ("删除了遗留的临时文件 {path}", "removed a leftover temp file {path}"),
    "repair.figures.payments": (
        "{path} 已写入收费合计：summary 直接读取，不再逐条校验",
        "{path}: its fee figures written: summary reads them instead of validating every payment",
    ),
    "repair.figures.petitions": (
        "{path} 已写入未结案件清单：summary 直接读取，不再逐件校验",
        "{path}: its open cases' figures written: summary reads them instead of validating every case",
    ),
    "repair.dropped": (
        "{path} 中的 {id} 已删除：它已归档在 {archive}",
        "dropped {id} from {path}: it is archived in {archive}",
    ),
    "repair.left_case": (
        "{id} 在 {path} 和 {archive} 中不一致，未改动",
        "left {id} in both {path} and {archive}: they differ",
    ),
    "repair.kept": ("住户 {id} 只保留一份，在 {path}（原在 {files}）", "kept {id} once, in {path} (it was in {files})"),
    "repair.accepted_empty": (
        "已接受 {path} 的丢失：写入一个空文件，已记入审计日志（{actor}）",
        "accepted the loss of {path}: written anew, empty; recorded in the audit log ({actor})",
    ),
    "repair.accepted_unlisted": (
        "已接受 {path} 的丢失：manifest.json 不再列出它，已记入审计日志（{actor}）",
        "accepted the loss of {path}: no longer listed in manifest.json; recorded in the audit log ({actor})",
    ),
    "repair.left_household": ("住户 {id} 在 {files} 中的几份不一致，未改动", "left {id} in {files}: the copies differ"),
    "check.not_store.missing": ("没有数据目录 {path}", "no store at {path}"),
    "check.not_store.foreign": (
        "{path} 不是 duty-room 数据目录（没有 manifest.json，也没有数据文件）",
        "{path} is not a duty-room store (no manifest.json and no data files)",
    ),
    "check.no_manifest": ("缺少 {path}：有数据文件却没有清单", "{path} is missing, though there are data files"),
    "check.damaged": ("{path} 已损坏：{detail}", "{path} is damaged: {detail}"),
    "check.schema": (
        "{path} 由更新版本写入（schema {detail}）",
        "{path} was written by a newer duty-room (schema {detail})",
    ),
    "check.environment": ("{path}：{detail}", "{path}: {detail}"),
    "check.duplicate": ("{path} 中编号 {detail} 出现两次", "{path} holds id {detail} twice"),
    "check.duplicate_across": (
        "编号 {detail} 同时在 {other} 和 {path} 中",
        "id {detail} is in both {other} and {path}",
    ),
    "check.order": (
        "{path}：案件 {detail} 的处理记录时间顺序颠倒",
        "{path}: case {detail} has history events out of time order",
    ),
    "check.journal": (
        "{path}：有中断的事务（check --repair 处理）",
        "{path}: an interrupted transaction (check --repair finishes it)",
    ),
    "check.leftover": (
        "{path}：中断写入留下的临时文件（check --repair 删除）",
        "{path}: a temp file left by an interrupted write (check --repair removes it)",
    ),
    "check.not_listed": ("{path} 不在 manifest.json 中", "{path} is not listed in manifest.json"),
    "check.missing_listed": ("manifest.json 列出的 {path} 不存在", "{path} is listed in manifest.json but missing"),
    "check.generation": (
        "{path} 的代数与 manifest.json 不符（{detail}）",
        "{path}'s generation does not match manifest.json ({detail})",
    ),
    "check.group_write": (
        "{path}：用户组不可写（共享数据目录需 chmod g+w）",
        "{path}: the group cannot write it (a shared store needs chmod g+w)",
    ),
    "check.not_a_file": ("{path} 应是文件，却是文件夹", "{path} should be a file but is a folder"),
    "check.not_a_folder": ("{path} 应是文件夹，却是文件", "{path} should be a folder but is a file"),
    "check.foreign": ("{path} 不属于数据目录", "{path} is not a store file"),
    "check.misplaced": (
        "{path}：案件 {detail} 应在 {other} 中（按编号中的受理日期）",
        "{path}: case {detail} belongs in {other} (the day of receipt its id names)",
    ),
    "check.misplaced_household": (
        "{path}：住户 {detail} 应在 {other} 中（按所属网格）",
        "{path}: household {detail} belongs in {other} (its grid's file)",
    ),
    "check.stall_spot": (
        "{path}：摊位 {detail} 与摊位 {other} 是同一个号 {address}：一个市场的一个号只登记一个摊位；"
        "核对后在导入表中按编号改正其中一个的摊位号，或删去多出的一个（import --prune）",
        "{path}: stalls {detail} and {other} have one number, {address}: one stall per number in a market; "
        "check them, then in an import sheet correct one's number by its id, or leave the extra one out (import --prune)",
    ),
    "check.household_address": (
        "{path}：住户 {detail} 与住户 {other} 是同一地址 {address}：一个地址只登记一户；"
        "核对后在导入表中按编号改正其中一户的门牌，或删去多出的一户（import --prune）",
        "{path}: households {detail} and {other} have one address, {address}: one household per address; "
        "check them, then in an import sheet correct one's room by its id, or leave the extra one out (import --prune)",
    ),
    "check.archive_index": (
        "{path}：已办结案件未记入 manifest.json 的归档索引（最早 {detail}），到期不会自动归档；"
        "下次修改该文件时自动更正",
        "{path}: closed cases missing from manifest.json's archive index (earliest {detail}) are "
        "not archived when due; the next change to the file corrects it",
    ),
    # what is wrong inside a damaged file (store/errors.py Detail; the line is fault.corrupt's)
    "damage.json": ("第{line}行第{column}列不是有效的 JSON", "not valid JSON at line {line}, column {column}"),
    "damage.json_cut": (
        "在第{line}行第{column}列处中断，内容不完整（不是有效的 JSON）",
        "not valid JSON: cut short at line {line}, column {column}",
    ),
    "damage.json_empty": ("文件是空的（不是有效的 JSON）", "not valid JSON: the file is empty"),
    "damage.json_bad": ("不是有效的 JSON", "not valid JSON"),
    "damage.not_table": ("不是 duty-room 数据文件（没有 records 表）", "not a TinyDB database with a 'records' table"),
    "damage.meta": ("_meta 表已损坏", "its _meta table is damaged"),
    "damage.meta_field": ("_meta 表的字段 {field}：{reason}", "its _meta table is damaged: field '{field}': {reason}"),
    "damage.not_manifest": ("不是 duty-room 的清单", "not a duty-room manifest"),
    "damage.manifest_field": ("清单的字段 {field}：{reason}", "not a valid manifest: field '{field}': {reason}"),
    "damage.record": ("记录 {id} 的字段 {field}：{reason}", "record '{id}', field '{field}': {reason}"),
    "damage.record_rule": ("记录 {id}：{reason}", "record '{id}': {reason}"),
    "damage.journal": (
        "事务日志已损坏（缺项或格式不对）",
        "the transaction journal is damaged (missing or malformed fields)",
    ),
    "damage.journal_checksum": (
        "事务日志已损坏（校验和不符）",
        "the transaction journal is damaged (checksum mismatch)",
    ),
    "damage.copy_differs": ("写入后副本与原文件不一致", "the copy differs from the original after writing"),
    "damage.store_check": (
        "未备份：数据目录未通过检查：{finding}",
        "not backed up: the store does not pass check: {finding}",
    ),
    "damage.copy_check": ("副本未通过检查：{finding}", "the copy does not pass check: {finding}"),
    "damage.backup_check": ("备份未通过检查：{finding}", "the backup does not pass check: {finding}"),
    # why a stored value is refused, where the forms' words (invalid.*, model.*) do not say it
    "damage.missing": ("缺少这一项", "missing"),
    "damage.extra": ("不是这种记录的字段", "not a field of this record"),
    "damage.choice": ("「{v}」不是可选的值", "'{v}' is not one of the choices"),
    "damage.value": ("值「{v}」不合要求", "the value '{v}' is not allowed"),
    "damage.choice_personal": (
        "不是可选的值（个人信息，不引用）",
        "not one of the choices (personal data, not quoted)",
    ),
    "damage.value_personal": ("值不合要求（个人信息，不引用）", "the value is not allowed (personal data, not quoted)"),
    "damage.rule": ("各项互相矛盾", "its fields contradict each other"),
    "fault.missing_listed": (
        "数据文件缺失：{path}（manifest.json 列有它）；请从备份恢复，恢复前不会写入它",
        "store file missing: {path} (listed in manifest.json); restore it from a backup: nothing is written to it until then",
    ),
    "fault.sudo_record": (
        "sudo 的记录前后不一（SUDO_USER={user}，SUDO_UID={uid} 是 {officer}），拒绝运行",
        "sudo's record is inconsistent (SUDO_USER={user}, SUDO_UID={uid}={officer}); refused",
    ),
    "fault.busy": (
        "数据目录 {path} 正被其他进程占用，已等待 {seconds} 秒；请稍后重试",
        "the store {path} is locked by another process; waited {seconds} s; try again",
    ),
    "fault.not_store.missing": ("没有数据目录 {path}", "no store at {path}"),
    "fault.not_store.empty": (
        "数据目录 {path} 还没有数据：先用 duty-room import 导入本乡镇的底册（duty-room template 生成空表），"
        "或用 duty-room restore 恢复备份",
        "the store {path} holds no data yet: import the township's workbook first (duty-room template "
        "makes one to fill in), or restore a backup (duty-room restore)",
    ),
    "fault.not_store.foreign": (
        "{path} 不是 duty-room 数据目录（没有 manifest.json）",
        "{path} is not a duty-room store (no manifest.json)",
    ),
    "fault.not_store.gone": (
        "数据目录 {path} 不见了（被移走或删除？）；放回之前不会写入",
        "the store {path} has gone (moved or deleted?); nothing is written until it is back",
    ),
    "fault.not_store.not_empty": (
        "{path} 不是空文件夹；备份和恢复只写入空文件夹或不存在的文件夹",
        "{path} is not an empty folder; a backup or a restore writes only into an empty or missing folder",
    ),
    "fault.not_store.holds_data": (
        "{path} 已有数据（{files}）；演示数据只建在空的数据目录里，--replace 删除其中的文件后重建",
        "{path} already holds data ({files}); the demo is built only into an empty store: --replace deletes its files and rebuilds it",
    ),
    "fault.backup_space": (
        "未备份：{path} 所在磁盘只剩 {free} MB，这份备份约 {size} MB，备份后须留出 {keep} MB（系统配置 backup_min_free_mb）；请删去旧备份或加大磁盘",
        "not backed up: the disk of {path} has {free} MB free, this backup takes about {size} MB, and {keep} MB must stay free after it (backup_min_free_mb in the system file); delete old backups or add space",
    ),
    "fault.clock": (
        "日期超出范围（时钟或 DUTY_ROOM_NOW 有误？）：{}",
        "date out of range (wrong clock or DUTY_ROOM_NOW?): {}",
    ),
    "invalid.invisible": ("含不可见字符 {}，请删除", "contains an invisible character {}; remove it"),
    "refused.duplicate_case": (
        "相同案件 {id} 已于 {seconds} 秒前登记，未重复登记",
        "the same case {id} was registered {seconds} s ago; not registered again",
    ),
}


_BOUNDS = {
    "greater_than_equal": ("invalid.at_least", "ge"),
    "greater_than": ("invalid.more_than", "gt"),
    "less_than_equal": ("invalid.at_most", "le"),
    "less_than": ("invalid.less_than", "lt"),
}


def validation_message(error: Mapping[str, Any], lang: Lang = "zh") -> str:
    """One pydantic error in words a duty officer understands (field-level, no jargon)."""
    known = _reason(error, lang)
    if known is not None:
        return known
    if error.get("type") == "value_error":
        ctx = error.get("ctx") or {}
        return str(ctx.get("error", error.get("msg", "")))
    return str(error.get("msg", error.get("type", "")))


def _reason(error: Mapping[str, Any], lang: Lang) -> str | None:
    """``validation_message``'s words for the errors it knows; None for the others."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and "9[56]" in str(ctx.get("pattern", "")):  # text.CallerPhone
        return t("invalid.caller_phone", lang)
    if kind == "string_pattern_mismatch" and "1[3-9]" in str(ctx.get("pattern", "")):
        from .text import is_service_number  # (text's refusals import this module)

        number = str(error.get("input") or "").strip()
        if is_service_number(number):  # 12345, 110: the channel the case came by, not the person's own phone
            whose = "reporter" if tuple(error.get("loc") or ())[-1:] == ("reporter_phone",) else "person"
            return t(f"invalid.service_line.{whose}", lang).format(number=number)
        return t("invalid.phone", lang)
    if kind == "string_pattern_mismatch" and "A-Za-z0-9_.:-" in str(ctx.get("pattern", "")):  # text.RecordId
        return t("invalid.record_id", lang)
    if kind in ("string_too_long", "too_long"):
        return t("invalid.too_long", lang).format(ctx.get("max_length", "?"))
    if kind == "literal_error" and error.get("input") not in (None, ""):  # a setting's value (lang = "fr")
        choices = [c.strip("'\"") for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")]
        return t("invalid.one_of", lang).format(("、" if lang == "zh" else ", ").join(choices))
    if kind == "string_type" and error.get("input") is not None:  # a number where text goes (a keymap's 5)
        return t("invalid.text", lang)
    if (
        kind in ("missing", "enum", "literal_error")
        or (kind == "string_type" and error.get("input") is None)
        or (kind == "string_too_short" and ctx.get("min_length") == 1)
    ):
        return t("invalid.required", lang)
    if kind in ("bool_parsing", "bool_type"):
        typed = error.get("input")  # said as read_only's is: what was written, so the typo shows
        return t("invalid.bool_typed", lang).format(typed) if isinstance(typed, str) else t("invalid.bool", lang)
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return t("invalid.number", lang)
    bound = _BOUNDS.get(kind)
    if bound is not None:  # a number's limit (a setting such as refresh_seconds, a count)
        return t(bound[0], lang).format(ctx.get(bound[1], "?"))
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        if "control character" in message:
            return t("invalid.control", lang)
        if "invisible character" in message:
            return t("invalid.invisible", lang).format(message.split("character ", 1)[1].split(" at ")[0])
        if "must not be empty" in message:
            return t("invalid.required", lang)
        if f"model.{message}" in _CATALOGUE:  # a model's own rule (store/models.py words it in English)
            return t(f"model.{message}", lang)
    return None


DAMAGED_VALUE_SHOWN = 40  # characters of a stored value a damage message quotes
# Fields whose stored value is personal data (a name, a phone, health or a fee reduction's reason):
# masked on screen to a desk that may not reveal, so a damage message names the field, never quotes it.
PERSONAL_FIELDS = frozenset(
    {
        "head_name",
        "phone",
        "phones",
        "reporter_name",
        "reporter_phone",
        "holder_name",
        "holder_phone",
        "caller",
        "tags",
        "reduction",
    }
)


def damage_reason(error: Mapping[str, Any], lang: Lang = "zh") -> str:
    """Why a stored record fails validation, for a person repairing the file: what a form would
    say where that fits a stored value (a phone, a length, a number's limit, a model's rule), else
    what is wrong with the value as stored, quoted (control characters made visible)."""
    kind = error.get("type", "")
    if kind == "missing":
        return t("damage.missing", lang)
    if kind == "extra_forbidden":
        return t("damage.extra", lang)
    loc = tuple(error.get("loc") or ())
    personal = bool(loc) and loc[0] in PERSONAL_FIELDS  # the file, the record and the field say where
    if kind in ("enum", "literal_error"):
        if personal:
            return t("damage.choice_personal", lang)
        return t("damage.choice", lang).format(v=shown_value(error.get("input")))
    known = _reason(error, lang)
    if known is not None:
        return known
    if not loc:  # a rule across the record's fields the catalogue does not word
        return t("damage.rule", lang)
    if personal:
        return t("damage.value_personal", lang)
    return t("damage.value", lang).format(v=shown_value(error.get("input")))


def shown_value(value: object) -> str:
    """A stored value quoted in a line: short, and with any control character made visible."""
    from .text import display_safe

    text = value if isinstance(value, str) else _json_text(value)
    if len(text) > DAMAGED_VALUE_SHOWN:
        text = text[: DAMAGED_VALUE_SHOWN - 1] + "…"
    return display_safe(text)


def _json_text(value: object) -> str:
    import orjson

    try:
        return orjson.dumps(value, default=repr).decode()
    except TypeError:
        return repr(value)


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


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def parse_member(enum: type[E], text: str) -> E:
    """An enum member from its stable key (`in_progress`) or either label (`处置中`, `in progress`),
    also typed in full-width letters (ｇａｓ, ＩＶ: an input method left in full-width) or brackets."""
    wanted = _folded(text)
    for member in enum:
        names = {_folded(member.value), *map(_folded, _CATALOGUE.get(f"{enum.__name__}.{member.value}", ()))}
        if wanted in names:
            return member
    from .refusal import UnknownChoice  # refusal.py imports this module

    raise UnknownChoice(enum, text)  # a ValueError; said in the reader's language


def keys() -> frozenset[str]:
    return frozenset(_CATALOGUE)
