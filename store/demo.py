"""Demo and benchmark data for 孟轲乡 (华龙区): communities, grids, households, visits, cases,
一老一小 services and market stalls.

Figures follow the source report: 东城花园社区 has 5 大网格, 11 支部网格 and 28 微网格 and 62%
elderly residents; 玉兰社区's 商业街 has 25 stalls opened in July 2022 that have brought in
over 100,000 yuan, with fee reductions for disabled people and veterans; 锦华社区 runs a weekend
market. All people, phone numbers and cases are invented.

Everything is generated from ``random.Random(seed)`` and times relative to ``clock.now()``, so a
frozen clock (``clock.freeze``) and a seed give the same store every time. Records are written
through the Store API only, a few transactions in all, and stamped with the store's actor.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from . import clock
from .deadlines import DeadlineRules
from .lifecycle import Action, apply_action, apply_status, find_step
from .models import (
    ALL_MODELS,
    Category,
    Channel,
    Community,
    DutyShift,
    FeeReduction,
    Grid,
    GridLevel,
    GridWorker,
    Household,
    Level,
    PermitEvent,
    PermitStatus,
    Petition,
    PetitionStatus,
    Priority,
    Recurrence,
    Satisfaction,
    ServiceKind,
    ServiceSchedule,
    ServiceSession,
    SessionState,
    SpecialTag,
    Stall,
    StallPayment,
    StallPermit,
    Visit,
    VisitPlan,
    WorkerRole,
)
from .schedule import day_sessions
from .storage import ARCHIVE_AFTER, MANIFEST, Store, Transaction, archive_partition

__all__ = ["COMMUNITIES", "TOWNSHIP", "DemoSummary", "build_demo"]

S = PetitionStatus
TOWNSHIP = "孟轲乡"
DEFAULT_SEED = 20241128


@dataclass(frozen=True)
class DemoSummary:
    """How many records ``build_demo`` wrote, per table."""

    communities: int
    grids: int
    workers: int
    households: int
    visit_plans: int
    visits: int
    petitions_open: int  # open cases (all in petitions.json)
    petitions_archived: int  # closed cases in petitions/archive-YEAR.json
    schedules: int
    services: int
    stalls: int
    permits: int
    payments: int
    petitions_closed: int = 0  # closed or cancelled cases still in petitions.json (closed < 30 days ago)
    duty: int = 0

    @property
    def petitions(self) -> int:
        return self.petitions_open + self.petitions_closed + self.petitions_archived


# ---------------------------------------------------------------------------
# Fixed facts

# (id, name, grid id prefix, elderly share stored on the record)
COMMUNITIES: tuple[tuple[str, str, str, int | None], ...] = (
    ("yulan", "玉兰社区", "yl", None),
    ("dongcheng", "东城花园社区", "dc", 62),
    ("shiji", "世纪景苑社区", "sj", None),
    ("dengfeng", "登峰社区", "df", None),
    ("dingxiang", "丁香社区", "dx", None),
    ("jinhua", "锦华社区", "jh", None),
    ("huaqing", "华清社区", "hq", None),
    ("mingrixing", "明日星城社区", "mr", None),
)
# Elderly share used to generate households where the report gives none.
_ASSUMED_ELDERLY = 0.38

# 东城花园: 5 large grids with 3,2,2,2,2 branch grids; 11 branch grids with 28 micro grids.
_DC_BRANCHES = (3, 2, 2, 2, 2)
_DC_MICROS = (3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2)

_CN_NUMBERS = "一二三四五六七八九十"

# Special tags: share of all households (东城花园); living alone, childless and limited mobility
# are drawn among the elderly.
_TAG_SHARE = {
    SpecialTag.LIVING_ALONE: 0.08,
    SpecialTag.DISABLED: 0.04,
    SpecialTag.LIMITED_MOBILITY: 0.05,
    SpecialTag.CHILDLESS_ELDERLY: 0.02,
}

_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许"
    "傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
    "江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN_OLD = (
    "建国", "秀英", "桂兰", "淑珍", "玉梅", "凤英", "德明", "志强", "国庆", "春生", "文华", "桂芝",
    "秀兰", "玉珍", "建华", "振华", "保国", "凤兰", "素芳", "金花", "长林", "福生", "俊峰", "学文",
    "桂荣", "玉兰", "秀珍", "国华", "卫东", "红旗", "援朝", "爱华", "淑英", "宝山", "庆林", "广田",
)
_GIVEN_YOUNG = (
    "浩然", "子涵", "欣怡", "宇航", "梓萱", "俊杰", "思雨", "佳怡", "晓东", "海涛", "丽娟", "志刚",
    "晓燕", "雪梅", "婷婷", "文博", "一鸣", "静怡", "凯", "磊", "敏", "静", "伟", "芳", "娜", "强",
    "军", "洋", "勇", "艳", "杰", "涛", "超", "霞", "鹏", "丹", "楠", "倩", "亮", "明", "辉", "燕",
)
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "198", "199",
)

# The duty room's own staff: they accept, dispatch and follow up cases.
_DUTY_LEADERS = ("李建国", "马志远", "郭红梅")
_DUTY_STAFF = ("王丽娟", "张海涛", "刘晓燕", "陈志刚", "赵雪梅", "孙卫东", "周静", "杨帆")

_UNITS = ("综合执法队", "派出所", "市场监管所", "物业公司", "三位一体实践中心", "社区居委会")

_VISIT_NOTES = (
    "入户了解家庭情况，无异常",
    "已提醒燃气安全，检查灶具软管无老化",
    "宣传反诈知识，发放宣传单",
    "居民反映楼道灯不亮，已上报物业",
    "了解居民对小区停车管理的意见",
    "提醒电动车不要在楼道充电",
    "更新家庭成员信息",
    "居民反映楼上漏水，已联系物业查看",
    "宣传垃圾分类，居民表示支持",
    "告知冬季供暖报修电话",
    "家中无人，已留网格员联系卡",
    "询问孩子入学政策，已解答",
)
_ELDERLY_NOTES = (
    "老人身体状况良好，已提醒燃气安全",
    "老人血压偏高，已联系社区医生上门",
    "帮老人更换灯泡，检查门窗",
    "老人想参加智能手机课堂，已登记",
    "子女已电话联系，老人生活正常",
    "提醒老人警惕保健品推销骗局",
    "协助老人预约入户送餐",
)
_TAG_NOTES = {
    SpecialTag.LIVING_ALONE: ("独居老人精神状态良好，约定每日电话问候", "检查独居老人家中烟感报警器，工作正常"),
    SpecialTag.DISABLED: ("了解残疾人两项补贴发放情况，已到账", "协助办理残疾人证年审"),
    SpecialTag.LIMITED_MOBILITY: ("老人腿脚不便，已代为取药", "协助联系居家护理上门服务"),
    SpecialTag.CHILDLESS_ELDERLY: ("孤寡老人生活正常，送去米面油", "陪老人聊天，了解冬季取暖情况"),
}

_DUE = {
    Priority.EMERGENCY: timedelta(hours=2),
    Priority.URGENT: timedelta(hours=24),
    Priority.NORMAL: timedelta(days=5),
    Priority.COMPLEX: timedelta(days=15),
}
# How fast cases move: a factor on the typical gaps below.
_PACE = {Priority.EMERGENCY: 0.06, Priority.URGENT: 0.3, Priority.NORMAL: 1.0, Priority.COMPLEX: 2.0}
# Typical minutes before each action, for a normal case.
_GAP = {
    "accept": (5, 90),
    "dispatch": (10, 180),
    "start": (60, 1440),
    "return": (120, 1440),
    "redispatch": (30, 480),
    "resolve": (240, 4320),
    "follow_up": (240, 2880),
    "redo": (60, 1440),
    "reopen": (1440, 7200),
    "cancel": (30, 1440),
}

# Status paths from NEW (each step is checked against lifecycle.TRANSITIONS).
A, D, IP, RT, RS, CL, CN = S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.RESOLVED, S.CLOSED, S.CANCELLED
PATHS: dict[str, tuple[PetitionStatus, ...]] = {
    "new": (),
    "accepted": (A,),
    "dispatched": (A, D),
    "redispatched": (A, D, RT, D),
    "in_progress": (A, D, IP),
    "returned": (A, D, RT),
    "returned_ip": (A, D, IP, RT),
    "resolved": (A, D, IP, RS),
    "redo": (A, D, IP, RS, IP),
    "closed": (A, D, IP, RS, CL),
    "closed_redo": (A, D, IP, RS, IP, RS, CL),
    "closed_returned": (A, D, RT, D, IP, RS, CL),
    "reopened": (A, D, IP, RS, CL, IP),
    "cancel_new": (CN,),
    "cancel_acc": (A, CN),
    "cancel_ret": (A, D, RT, CN),
}

_C, _P = Category, Priority


@dataclass(frozen=True)
class _Case:
    """A demo case. ``when`` is 'overdue', 'today' or 'later' for open cases, or days since closing."""

    title: str
    category: Category
    channel: Channel
    priority: Priority
    level: Level
    community: str
    assignee: str  # "" = the micro grid's worker
    path: str
    when: str | int
    resolution: str
    description: str = ""
    first_assignee: str = ""  # the unit that returned the case, if any


_G = "grid"  # placeholder: the grid worker of the case's grid
_CASES: tuple[_Case, ...] = (
    _Case("{b}号楼下水道堵塞污水外溢", _C.INFRASTRUCTURE, Channel.GRID_REPORT, _P.URGENT, Level.BUILDING,
          "dongcheng", "物业公司", "in_progress", "overdue", "已调专业疏通车，污水清理消杀完毕",
          "单元门口污水横流，已持续两天，居民出行困难"),
    _Case("{b}号楼{u}单元燃气管道老化阀门漏气", _C.GAS, Channel.HOTLINE, _P.EMERGENCY, Level.BUILDING,
          "dongcheng", "燃气公司抢修班", "dispatched", "today", "已关阀更换阀门，复检无泄漏",
          "楼道内闻到明显燃气味，居民已开窗通风"),
    _Case("{b}号楼楼道私拉电线给电动车充电", _C.PUBLIC_SECURITY, Channel.TALK_POINT, _P.URGENT, Level.COMMUNITY,
          "shiji", "", "accepted", "overdue", "已拆除私拉电线，引导至集中充电点",
          "一楼住户从窗户拉线到楼道，存在火灾隐患"),
    _Case("物业费上涨未公示引发纠纷", _C.PROPERTY, Channel.COUNCIL, _P.NORMAL, Level.COMMUNITY,
          "yulan", "三位一体实践中心", "in_progress", "later", "召开协商议事会，物业公示收费依据",
          "多名业主在协商议事厅反映物业费调整未经公示"),
    _Case("楼上夜间噪音扰民", _C.NEIGHBOUR, Channel.MAILBOX, _P.NORMAL, Level.BUILDING,
          "huaqing", _G, "resolved", "today", "银龄调解员上门调解，双方达成谅解"),
    _Case("商业街入口占道经营堵塞通道", _C.STREET_VENDING, Channel.ONLINE, _P.NORMAL, Level.TOWNSHIP,
          "yulan", "综合执法队", "returned", "overdue", "已劝离占道摊贩，引导入规定摊位",
          "晚高峰摊贩占用消防通道", first_assignee="综合执法队"),
    _Case("小区绿地私搭乱建彩钢房", _C.ILLEGAL_BUILDING, Channel.GRID_REPORT, _P.COMPLEX, Level.TOWNSHIP,
          "mingrixing", "综合执法队", "in_progress", "later", "已下达限期拆除通知书"),
    _Case("垃圾清运不及时，垃圾桶满溢", _C.SANITATION, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "jinhua", "信原物业", "closed", 3, "增加清运频次至每日两次"),
    _Case("小区主干道路灯不亮", _C.INFRASTRUCTURE, Channel.ONLINE, _P.NORMAL, Level.COMMUNITY,
          "dengfeng", "物业公司", "dispatched", "overdue", "更换路灯灯头6个"),
    _Case("独居老人求助：家中水管爆裂", _C.INFRASTRUCTURE, Channel.HOTLINE, _P.EMERGENCY, Level.BUILDING,
          "dongcheng", _G, "resolved", "overdue", "网格员关闭总阀，物业更换水管",
          "老人独自在家，厨房进水"),
    _Case("{b}号楼[red]楼顶[/]漏水", _C.INFRASTRUCTURE, Channel.MAILBOX, _P.NORMAL, Level.COMMUNITY,
          "dongcheng", "物业公司", "new", "later", "",
          "顶层住户反映雨后屋内渗水，[bold]墙皮脱落[/bold]"),
    _Case("老人赡养问题家庭矛盾调解", _C.FAMILY, Channel.HOME_VISIT, _P.COMPLEX, Level.COMMUNITY,
          "dengfeng", "社区居委会", "in_progress", "later", "银龄调解队茶桌议事，子女签订赡养协议"),
    _Case("电梯频繁故障困人", _C.INFRASTRUCTURE, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "mingrixing", "物业公司", "closed_redo", 6, "更换电梯控制主板并通过特检"),
    _Case("宠物犬未拴绳吓到儿童", _C.NEIGHBOUR, Channel.TALK_POINT, _P.NORMAL, Level.BUILDING,
          "huaqing", _G, "closed", 9, "上门宣传文明养宠，犬主承诺拴绳"),
    _Case("外卖电动车在楼道停放", _C.PUBLIC_SECURITY, Channel.ONLINE, _P.NORMAL, Level.BUILDING,
          "jinhua", "", "new", "today", ""),
    _Case("要求增设老年助餐点", _C.CONVENIENCE, Channel.COUNCIL, _P.COMPLEX, Level.COMMUNITY,
          "shiji", "", "accepted", "later", "依托日间照料中心开设助餐点"),
    _Case("小区门口流动摊贩夜间烧烤油烟扰民", _C.STREET_VENDING, Channel.HOTLINE, _P.NORMAL, Level.TOWNSHIP,
          "yulan", "综合执法队", "closed_returned", 12, "联合执法清理夜间烧烤摊点",
          first_assignee="物业公司"),
    _Case("有陌生人冒充燃气公司上门推销", _C.PUBLIC_SECURITY, Channel.GRID_REPORT, _P.URGENT, Level.COMMUNITY,
          "dongcheng", "派出所", "closed", 15, "民警已处置，社区发布防骗提示"),
    _Case("周末市集有商贩缺斤少两", _C.OTHER, Channel.ONLINE, _P.NORMAL, Level.COMMUNITY,
          "jinhua", "市场监管所", "closed", 20, "已检定电子秤，对商贩批评教育"),
    _Case("高空抛物砸坏车辆", _C.PUBLIC_SECURITY, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "dingxiang", "派出所", "reopened", "overdue", "调取监控锁定楼层，上门教育"),
    _Case("维修基金使用申请进度查询", _C.PROPERTY, Channel.COUNCIL, _P.NORMAL, Level.COMMUNITY,
          "yulan", "三位一体实践中心", "resolved", "later", "维修基金代办窗口已答复进度"),
    _Case("楼道堆放杂物堵塞消防通道", _C.PUBLIC_SECURITY, Channel.GRID_REPORT, _P.NORMAL, Level.BUILDING,
          "dongcheng", _G, "dispatched", "today", "组织党员志愿者清理楼道"),
    _Case("化粪池满溢异味大", _C.SANITATION, Channel.TALK_POINT, _P.URGENT, Level.COMMUNITY,
          "huaqing", "物业公司", "returned_ip", "overdue", "已抽排化粪池",
          first_assignee="物业公司"),
    _Case("残疾人补贴申领咨询", _C.CONVENIENCE, Channel.HOME_VISIT, _P.NORMAL, Level.COMMUNITY,
          "dengfeng", "社区居委会", "closed", 5, "协助线上申领，补贴已到账"),
    _Case("车位被长期占用", _C.PROPERTY, Channel.ONLINE, _P.NORMAL, Level.BUILDING,
          "mingrixing", "", "cancel_acc", 2, ""),
    _Case("自来水水压低，高层无法用水", _C.INFRASTRUCTURE, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "shiji", "物业公司", "in_progress", "today", "二次供水加压泵已维修"),
    _Case("小区健身器材损坏", _C.INFRASTRUCTURE, Channel.MAILBOX, _P.NORMAL, Level.COMMUNITY,
          "dingxiang", "", "accepted", "overdue", "更换损坏的漫步机"),
    _Case("广场舞音响音量过大", _C.NEIGHBOUR, Channel.TALK_POINT, _P.NORMAL, Level.COMMUNITY,
          "shiji", "社区居委会", "closed", 1, "与舞蹈队协商限定音量和时段"),
    _Case("一楼住户违规扩建院墙", _C.ILLEGAL_BUILDING, Channel.GRID_REPORT, _P.COMPLEX, Level.TOWNSHIP,
          "dongcheng", "综合执法队", "returned", "later", "",
          first_assignee="综合执法队"),
    _Case("共享单车乱停放堵塞人行道", _C.OTHER, Channel.ONLINE, _P.NORMAL, Level.COMMUNITY,
          "jinhua", "", "cancel_new", 0, ""),
    _Case("放学路段车辆乱停影响学生安全", _C.PUBLIC_SECURITY, Channel.COUNCIL, _P.NORMAL, Level.COMMUNITY,
          "yulan", "派出所", "redispatched", "today", "护学岗增派辅警疏导",
          first_assignee="综合执法队"),
    _Case("独居老人多日未出门，邻居担心", _C.CONVENIENCE, Channel.HOME_VISIT, _P.EMERGENCY, Level.BUILDING,
          "dongcheng", _G, "closed", 4, "网格员上门确认老人安好，已联系子女"),
    _Case("供暖温度不达标，室温不足16度", _C.INFRASTRUCTURE, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "mingrixing", "物业公司", "redo", "overdue", "排查管网，清洗暖气片"),
    _Case("老旧树木枝干断裂存在隐患", _C.INFRASTRUCTURE, Channel.GRID_REPORT, _P.URGENT, Level.BUILDING,
          "dingxiang", "物业公司", "resolved", "overdue", "修剪断枝并加固"),
    _Case("邻居装修占用公共楼道", _C.NEIGHBOUR, Channel.MAILBOX, _P.NORMAL, Level.BUILDING,
          "huaqing", "", "cancel_ret", 8, "", first_assignee="物业公司"),
    _Case("物业报修无人上门", _C.PROPERTY, Channel.COUNCIL, _P.NORMAL, Level.COMMUNITY,
          "yulan", "三位一体实践中心", "closed", 18, "三位一体实践中心督促物业限时上门维修"),
    _Case("建议增设电动车集中充电桩", _C.CONVENIENCE, Channel.COUNCIL, _P.COMPLEX, Level.COMMUNITY,
          "dongcheng", "三位一体实践中心", "in_progress", "later", "选址两处，安装充电桩40个"),
    _Case("老人接到可疑电话被要求转账", _C.PUBLIC_SECURITY, Channel.HOTLINE, _P.URGENT, Level.COMMUNITY,
          "dengfeng", "派出所", "closed", 25, "民警及时劝阻，未造成损失"),
)

# Older cases, closed long ago: they go to the archive.
_ARCHIVED_DAYS = (35, 48, 61, 77, 95, 120, 150, 183, 220, 260, 300, 365)

_CANCEL_NOTES = ("居民已自行解决，申请撤销", "重复诉求，已合并办理", "诉求人撤回")
_RETURN_NOTES = ("属地不符，申请退回", "权属不清，退回重新派单", "职能交叉，应由其他部门处置")


# ---------------------------------------------------------------------------
# Small generators


def _name(rng: random.Random, *, old: bool | None = None) -> str:
    if old is None:
        old = rng.random() < 0.5
    given = rng.choice(_GIVEN_OLD if old else _GIVEN_YOUNG)
    return rng.choice(_SURNAMES) + given


def _mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _landline(rng: random.Random) -> str:
    return f"0393-{rng.choice('4568')}{rng.randrange(10**6):06d}"


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


class _Moment:
    """Stands in for a Transaction in lifecycle.apply_status, which only reads ``tx.now``."""

    def __init__(self, now: datetime):
        self.now = now


# ---------------------------------------------------------------------------


@dataclass
class _Place:
    community: str
    grid: Grid
    building: str
    unit: str


class _Builder:
    def __init__(self, scale: str, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = clock.now()
        self.today = self.now.date()
        self.floor_now = _minute(self.now)
        self.communities: list[Community] = []
        self.grids: list[Grid] = []
        self.workers: list[GridWorker] = []
        self.households: list[Household] = []
        self.micro_places: list[_Place] = []
        self.grid_worker: dict[str, GridWorker] = {}  # the grid's own worker
        self.grid_extra: dict[str, list[GridWorker]] = {}
        self.households_by_grid: dict[str, list[Household]] = {}
        self.micro_by_community: dict[str, list[_Place]] = {}
        self._worker_names: set[str] = set()

    # -- people and places ---------------------------------------------

    def _unique_name(self, *, old: bool | None = None) -> str:
        for _ in range(50):
            name = _name(self.rng, old=old)
            if name not in self._worker_names:
                break
        self._worker_names.add(name)
        return name

    def build_communities(self) -> None:
        for cid, name, _, share in COMMUNITIES:
            self.communities.append(Community(id=cid, name=name, township=TOWNSHIP, elderly_share_percent=share))

    def _tree(self, community: str, prefix: str, branches: Sequence[int], micros: Sequence[int]) -> None:
        assert sum(branches) == len(micros)
        branch_no = 0
        micro_no = 0
        for li, n_branches in enumerate(branches, start=1):
            large = Grid(id=f"{prefix}-L{li}", community_id=community, level=GridLevel.LARGE,
                         name=f"第{_cn(li)}大网格")
            self.grids.append(large)
            for _ in range(n_branches):
                branch_no += 1
                branch = Grid(id=f"{prefix}-B{branch_no:02d}", community_id=community, level=GridLevel.BRANCH,
                              name=f"{branch_no}号楼支部网格", parent_id=large.id)
                self.grids.append(branch)
                for unit in range(1, micros[branch_no - 1] + 1):
                    micro_no += 1
                    micro = Grid(id=f"{prefix}-M{micro_no:02d}",
                                 community_id=community, level=GridLevel.MICRO,
                                 name=f"{branch_no}号楼{unit}单元微网格", parent_id=branch.id)
                    self.grids.append(micro)
                    place = _Place(community, micro, str(branch_no), str(unit))
                    self.micro_places.append(place)
                    self.micro_by_community.setdefault(community, []).append(place)

    def build_grids(self) -> None:
        for cid, _, prefix, _ in COMMUNITIES:
            if cid == "dongcheng":
                self._tree(cid, prefix, _DC_BRANCHES, _DC_MICROS)
            elif self.scale == "demo":
                self._tree(cid, prefix, (2,), (1, 1))
            else:
                # 7 communities share the other 337 of the township's 381 grids:
                # 4 large, 10 branch and 34 micro grids each (玉兰 has one more).
                micros = [4, 4, 4, 4, 3, 3, 3, 3, 3, 3]
                if cid == "yulan":
                    micros[4] = 4
                self._tree(cid, prefix, (3, 3, 2, 2), micros)

    def build_workers(self) -> None:
        roles = {GridLevel.LARGE: WorkerRole.GRID_CHIEF, GridLevel.BRANCH: WorkerRole.GRID_WORKER,
                 GridLevel.MICRO: WorkerRole.MICRO_WORKER}
        extra: list[tuple[Grid, WorkerRole]] = []
        if self.scale == "demo":
            # 民情联络员: retired party members, one in each of 东城花园's large grids, one in 世纪景苑.
            extra = [(g, WorkerRole.LIAISON) for g in self.grids
                     if g.level is GridLevel.LARGE and (g.community_id == "dongcheng" or g.id == "sj-L1")]
            target = len(self.grids) + len(extra)
        else:
            target = 984
            liaisons = [g for g in self.grids if g.level is not GridLevel.MICRO]
            extra = [(g, WorkerRole.LIAISON) for g in liaisons[:80]]
            micro_and_branch = [g for g in self.grids if g.level is not GridLevel.LARGE]
            while len(self.grids) + len(extra) < target:
                g = self.rng.choice(micro_and_branch)
                extra.append((g, roles[g.level]))
        width = 3 if target < 1000 else 4
        number = 0
        for grid in self.grids:
            number += 1
            worker = GridWorker(id=f"w-{number:0{width}d}", name=self._unique_name(old=grid.level is GridLevel.MICRO),
                                role=roles[grid.level], phone=_mobile(self.rng), grid_id=grid.id)
            self.workers.append(worker)
            self.grid_worker[grid.id] = worker
        for grid, role in extra:
            number += 1
            worker = GridWorker(id=f"w-{number:0{width}d}", name=self._unique_name(old=role is WorkerRole.LIAISON),
                                role=role, phone=_mobile(self.rng), grid_id=grid.id)
            self.workers.append(worker)
            self.grid_extra.setdefault(grid.id, []).append(worker)

    def _household_count(self) -> list[int]:
        places = self.micro_places
        if self.scale == "demo":
            return [self.rng.randint(9, 11) if p.community == "dongcheng" else 10 for p in places]
        base, extra = divmod(40_000, len(places))
        return [base + (1 if i < extra else 0) for i in range(len(places))]

    def build_households(self) -> None:
        rng = self.rng
        counts = self._household_count()
        number = 0
        for community, *_ in COMMUNITIES:
            places = [(p, n) for p, n in zip(self.micro_places, counts, strict=True) if p.community == community]
            total = sum(n for _, n in places)
            # Exact shares per community: 62% elderly in 东城花园, then the tag shares of all households.
            share = 0.62 if community == "dongcheng" else _ASSUMED_ELDERLY
            elderly = set(rng.sample(range(total), round(total * share)))
            elderly_list = sorted(elderly)
            alone = rng.sample(elderly_list, min(len(elderly_list), round(total * _TAG_SHARE[SpecialTag.LIVING_ALONE])))
            tags: dict[int, list[SpecialTag]] = {}
            for i in alone:
                tags.setdefault(i, []).append(SpecialTag.LIVING_ALONE)
            for i in rng.sample(sorted(alone), min(len(alone), round(total * _TAG_SHARE[SpecialTag.CHILDLESS_ELDERLY]))):
                tags[i].append(SpecialTag.CHILDLESS_ELDERLY)
            for i in rng.sample(range(total), round(total * _TAG_SHARE[SpecialTag.DISABLED])):
                tags.setdefault(i, []).append(SpecialTag.DISABLED)
            for i in rng.sample(elderly_list, min(len(elderly_list), round(total * _TAG_SHARE[SpecialTag.LIMITED_MOBILITY]))):
                tags.setdefault(i, []).append(SpecialTag.LIMITED_MOBILITY)
            index = 0
            for place, count in places:
                per_floor = 2 if count <= 12 else 4 if count <= 100 else 6
                floors = math.ceil(count * 1.15 / per_floor)
                rooms = sorted(rng.sample(range(floors * per_floor), count))
                grid_households = self.households_by_grid.setdefault(place.grid.id, [])
                for slot in rooms:
                    number += 1
                    old = index in elderly
                    own_tags = tags.get(index, [])
                    index += 1
                    if SpecialTag.LIVING_ALONE in own_tags:
                        members = 1
                    elif old:
                        members = rng.choice((1, 2, 2, 2, 3))
                    else:
                        members = rng.choice((1, 2, 3, 3, 3, 4, 4, 5))
                    r = rng.random()
                    phone = _mobile(rng) if r < 0.85 else _landline(rng) if r < 0.95 else None
                    household = Household(
                        id=f"h-{number:05d}", grid_id=place.grid.id, building=place.building, unit=place.unit,
                        room=f"{slot // per_floor + 1}{slot % per_floor + 1:02d}", head_name=_name(rng, old=old),
                        phone=phone, tags=own_tags, members=members, elderly=old,
                    )
                    self.households.append(household)
                    grid_households.append(household)

    # -- visits ----------------------------------------------------------

    def _note(self, household: Household) -> str:
        rng = self.rng
        if household.tags and rng.random() < 0.6:
            return rng.choice(_TAG_NOTES[rng.choice(household.tags)])
        if household.elderly and rng.random() < 0.6:
            return rng.choice(_ELDERLY_NOTES)
        return rng.choice(_VISIT_NOTES)

    def _visitor(self, grid_id: str) -> GridWorker:
        extra = [w for w in self.grid_extra.get(grid_id, ()) if w.role is not WorkerRole.LIAISON]
        if extra and self.rng.random() < 0.4:
            return self.rng.choice(extra)
        return self.grid_worker[grid_id]

    def build_visits(self) -> tuple[list[VisitPlan], list[Visit]]:
        rng = self.rng
        plans: list[VisitPlan] = []
        visits: list[Visit] = []
        today = self.today
        stamp = today.strftime("%Y%m%d")
        # Today's plans: each micro grid's worker plans about 6 households (all special-tag ones in 东城花园).
        for place in self.micro_places:
            households = self.households_by_grid[place.grid.id]
            worker = self.grid_worker[place.grid.id]
            if self.scale == "demo" and place.community == "dongcheng":
                tagged = [h for h in households if h.tags]
                others = [h for h in households if not h.tags]
                chosen = tagged + rng.sample(others, max(0, min(len(others), 6 - len(tagged))))
            else:
                want = 3 if self.scale == "demo" else 5
                chosen = rng.sample(households, min(want, len(households)))
            chosen.sort(key=lambda h: h.id)
            for household in chosen:
                plans.append(VisitPlan(id=f"vp-{stamp}-{len(plans) + 1:04d}", day=today, grid_id=place.grid.id,
                                       household_id=household.id, worker_id=worker.id, tags=household.tags))
        # About half of today's plans are done, between 08:00 and now.
        start = clock.at(today, 8)
        span = int((self.floor_now - start).total_seconds() // 60)
        done: list[tuple[datetime, VisitPlan]] = []
        if span >= 1:
            by_grid: dict[str, list[VisitPlan]] = {}
            for plan in plans:
                by_grid.setdefault(plan.grid_id, []).append(plan)
            for grid_plans in by_grid.values():
                # One worker, one visit at a time: distinct minutes, in plan order.
                k = min(span, sum(1 for _ in grid_plans if rng.random() < 0.5))
                minutes = sorted(rng.sample(range(span), k))
                for minute, plan in zip(minutes, rng.sample(grid_plans, k), strict=True):
                    done.append((start + timedelta(minutes=minute), plan))
        done.sort(key=lambda item: (item[0], item[1].id))
        by_id = {h.id: h for h in self.households}
        day_visits = []
        for at, plan in done:
            day_visits.append(Visit(id=f"v-{stamp}-{len(day_visits) + 1:04d}", day=today, at=at, grid_id=plan.grid_id,
                                    household_id=plan.household_id, worker_id=plan.worker_id,
                                    note=self._note(by_id[plan.household_id])))
        # History: a few visits per grid on each of the previous days.
        history_days = 6 if self.scale == "demo" else 30
        for back in range(history_days, 0, -1):
            day = today - timedelta(days=back)
            day_stamp = day.strftime("%Y%m%d")
            items: list[tuple[datetime, str, Household, GridWorker]] = []
            if self.scale == "demo":
                for place in self.micro_places:
                    households = self.households_by_grid[place.grid.id]
                    for household in rng.sample(households, rng.randint(2, 4)):
                        minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
                        items.append((clock.at(day, minute // 60, minute % 60), place.grid.id, household,
                                      self.grid_worker[place.grid.id]))
            else:
                for _ in range(rng.randint(1400, 1600)):
                    place = rng.choice(self.micro_places)
                    household = rng.choice(self.households_by_grid[place.grid.id])
                    minute = rng.randrange(8 * 60, 18 * 60)
                    items.append((clock.at(day, minute // 60, minute % 60), place.grid.id, household,
                                  self._visitor(place.grid.id)))
            items.sort(key=lambda item: (item[0], item[2].id))
            for n, (at, grid_id, household, worker) in enumerate(items, start=1):
                visits.append(Visit(id=f"v-{day_stamp}-{n:04d}", day=day, at=at, grid_id=grid_id,
                                    household_id=household.id, worker_id=worker.id, note=self._note(household)))
        visits.extend(day_visits)
        return plans, visits

    # -- cases -------------------------------------------------------------

    def _gaps(self, steps: Sequence[str], priority: Priority) -> list[int]:
        pace = _PACE[priority]
        return [max(1, round(self.rng.uniform(*_GAP[action]) * pace)) for action in steps]

    def _petition(
        self,
        *,
        title: str,
        category: Category,
        channel: Channel,
        priority: Priority,
        level: Level,
        place: _Place,
        path: Sequence[PetitionStatus],
        created_at: datetime,
        latest: datetime,
        assignee: str,
        first_assignee: str,
        resolution: str,
        description: str = "",
        satisfaction: Satisfaction | None = None,
    ) -> Petition:
        """A case received at ``created_at`` and walked along ``path``, every event before ``latest``."""
        rng = self.rng
        steps = []
        status = S.NEW
        for target in path:
            step = find_step(status, target)
            steps.append(step)
            status = target
        gaps = self._gaps([step.action for step in steps], priority)
        room = int((latest - created_at).total_seconds() // 60)
        if sum(gaps) > room:
            scale = room / sum(gaps)
            gaps = [max(1, int(g * scale)) for g in gaps]
            while sum(gaps) > room and max(gaps) > 1:
                gaps[gaps.index(max(gaps))] -= 1
        if sum(gaps) > room:
            raise ValueError(f"no room for {len(steps)} steps between {created_at} and {latest}")
        reporter_name, reporter_phone = self._reporter(channel, place)
        final_assignee = assignee if D in path else ""
        if first_assignee and RT in path and not any(s is D for s in path[path.index(RT):]):
            final_assignee = first_assignee  # returned and not (yet) dispatched again
        petition = Petition(
            id="pending", title=title, description=description, channel=channel, category=category,
            priority=priority, level=level, community_id=place.community, grid_id=place.grid.id,
            reporter_name=reporter_name, reporter_phone=reporter_phone, assignee=final_assignee,
            created_at=created_at, due_at=created_at + _DUE[priority],
        )
        at = created_at
        handler = first_assignee or assignee
        for step, gap in zip(steps, gaps, strict=True):
            at = at + timedelta(minutes=gap)
            actor = rng.choice(_DUTY_STAFF)
            note = self._event_note(step.action, handler, resolution)
            if step.action == "redispatch":
                handler = assignee
                note = f"改派{assignee}"
            sat = None
            if step.to is S.CLOSED:
                # A closing follow-up is satisfied or basically so; 不满意 sends the case back (redo).
                sat = satisfaction or rng.choices((Satisfaction.SATISFIED, Satisfaction.BASICALLY), (82, 18))[0]
            elif step.action == "redo":
                sat = Satisfaction.UNSATISFIED  # recorded as an unsatisfied follow-up: 回访不满意，发回重办
            petition = apply_status(petition, step.to, actor=actor, tx=_Moment(at),  # type: ignore[arg-type]
                                    note=note, satisfaction=sat)
        return petition

    def _event_note(self, action: str, handler: str, resolution: str) -> str:
        rng = self.rng
        match action:
            case "accept":
                return "已受理，登记入册"
            case "dispatch":
                return f"派{handler}办理"
            case "start":
                return f"{handler}已到场处置"
            case "resolve":
                return resolution or "已处置完毕"
            case "follow_up":
                return "电话回访诉求人"
            case "return":
                return rng.choice(_RETURN_NOTES)
            case "redo":
                return "回访不满意，发回重办"
            case "reopen":
                return "问题复发，诉求人要求重新处理"
            case "cancel":
                return rng.choice(_CANCEL_NOTES)
        return ""

    def _reporter(self, channel: Channel, place: _Place) -> tuple[str, str | None]:
        rng = self.rng
        if channel is Channel.GRID_REPORT:
            worker = self.grid_worker[place.grid.id]
            return worker.name, worker.phone
        if channel is Channel.MAILBOX and rng.random() < 0.5:
            return "", None  # anonymous letter
        name = _name(rng)
        return name, (_mobile(rng) if rng.random() < 0.9 else None)

    def _case_place(self, community: str) -> _Place:
        return self.rng.choice(self.micro_by_community[community])

    def _assignee(self, assignee: str, place: _Place) -> str:
        return self.grid_worker[place.grid.id].name if assignee == _G else assignee

    def build_demo_petitions(self) -> list[Petition]:
        rng = self.rng
        now = self.floor_now
        end_of_day = clock.end_of_day(self.today)
        made: list[Petition] = []
        for case in _CASES:
            place = self._case_place(case.community)
            delta = _DUE[case.priority]
            minutes = int(delta.total_seconds() // 60)
            latest = now - timedelta(minutes=1)
            if isinstance(case.when, int):
                # Closed or cancelled ``when`` days ago: build backwards from the closing time.
                path = PATHS[case.path]
                closed = now - timedelta(days=case.when, minutes=rng.randint(30, 600))
                total = sum(_GAP[find_step(s0, s1).action][1] for s0, s1 in zip((S.NEW, *path), path)) * _PACE[case.priority]
                created = _minute(closed - timedelta(minutes=total * rng.uniform(0.4, 0.8)))
                latest = closed
            elif case.when == "overdue":
                over = {Priority.EMERGENCY: (20, 90), Priority.URGENT: (120, 1800),
                        Priority.NORMAL: (1440, 4320), Priority.COMPLEX: (1440, 5760)}[case.priority]
                created = now - delta - timedelta(minutes=rng.randint(*over))
            elif case.when == "today":
                left = int((end_of_day - now).total_seconds() // 60)
                ahead = max(1, min(int(left * rng.uniform(0.2, 0.8)), int(minutes * 0.6)))
                created = now + timedelta(minutes=ahead) - delta
            else:  # later than today
                created = now - timedelta(minutes=int(minutes * rng.uniform(0.1, 0.5)))
                if created + delta < end_of_day and case.priority in (Priority.NORMAL, Priority.COMPLEX):
                    created = end_of_day - delta + timedelta(hours=rng.randint(2, 30))
                    created = min(created, now - timedelta(minutes=30))
            made.append(self._petition(
                title=case.title.format(b=place.building, u=place.unit), category=case.category,
                channel=case.channel, priority=case.priority, level=case.level, place=place,
                path=PATHS[case.path], created_at=created, latest=latest,
                assignee=self._assignee(case.assignee, place), first_assignee=case.first_assignee,
                resolution=case.resolution, description=case.description,
            ))
        # A dozen older cases, closed long ago, for the archive.
        closing_paths = ("closed", "closed", "closed", "closed_returned", "closed_redo", "cancel_acc")
        for i, days in enumerate(_ARCHIVED_DAYS):
            case = _CASES[(i * 7) % len(_CASES)]
            place = self._case_place(COMMUNITIES[i % len(COMMUNITIES)][0])
            path = PATHS[closing_paths[i % len(closing_paths)]]
            closed = now - timedelta(days=days, minutes=rng.randint(0, 600))
            created = closed - timedelta(days=rng.randint(1, 8), minutes=rng.randint(0, 600))
            made.append(self._petition(
                title=case.title.format(b=place.building, u=place.unit), category=case.category,
                channel=rng.choice(list(Channel)), priority=case.priority, level=case.level, place=place,
                path=path, created_at=created, latest=closed,
                assignee=self._assignee(case.assignee or "社区居委会", place), first_assignee="物业公司",
                resolution=case.resolution,
            ))
        return self._casework(self._number(made))

    def _casework(self, petitions: list[Petition]) -> list[Petition]:
        """A duplicate report merged into its original (合并), and the most overdue case chased (督办)."""
        now = self.floor_now
        by_id = {p.id: p for p in petitions}
        working = [p for p in petitions if p.status in (S.DISPATCHED, S.IN_PROGRESS) and p.due_at < now]
        original = max(working, key=lambda p: p.created_at)
        duplicate = Petition(
            id="pending", title=original.title, description="同一问题，邻居通过12345热线再次反映。",
            channel=Channel.HOTLINE, category=original.category, priority=original.priority, level=original.level,
            community_id=original.community_id, grid_id=original.grid_id, reporter_name="周桂兰",
            reporter_phone="13938451207", created_at=now - timedelta(minutes=50),
            due_at=now - timedelta(minutes=50) + _DUE[original.priority],
        )
        today_prefix = f"MK{now:%y%m%d}-"
        sequence = 1 + sum(p.id.startswith(today_prefix) for p in petitions)
        duplicate = duplicate.model_copy(update={"id": f"{today_prefix}{sequence:03d}"})
        duplicate = apply_action(duplicate, Action.MERGE, actor=_DUTY_STAFF[0], now=now - timedelta(minutes=40),
                                 duplicate_of=original.id, note="与原件为同一诉求，合并办理")
        by_id[original.id] = original.model_copy(update={"duplicates": [duplicate.id]})
        most_overdue = min(working, key=lambda p: p.due_at)
        by_id[most_overdue.id] = apply_action(by_id[most_overdue.id], Action.SUPERVISE, actor=_DUTY_STAFF[1],
                                              now=now - timedelta(minutes=20), note="超期未办结，黄牌督办")
        return [*by_id.values(), duplicate]

    def build_township_petitions(self) -> list[Petition]:
        rng = self.rng
        now = self.floor_now
        first = now - timedelta(days=3 * 365)
        span = int((now - first).total_seconds() // 60)
        created_list = sorted(first + timedelta(minutes=rng.randrange(span)) for _ in range(20_000))
        open_paths = ("new", "accepted", "accepted", "dispatched", "dispatched", "redispatched", "in_progress",
                      "in_progress", "in_progress", "returned", "resolved", "resolved", "redo", "reopened")
        closed_paths = ("closed",) * 14 + ("closed_returned", "closed_redo", "cancel_new", "cancel_acc", "cancel_ret")
        priorities = (Priority.EMERGENCY, Priority.URGENT, Priority.NORMAL, Priority.COMPLEX)
        channels = list(Channel)
        made = []
        for created in created_list:
            case = rng.choice(_CASES)
            place = rng.choice(self.micro_places)
            priority = rng.choices(priorities, (4, 26, 60, 10))[0]
            age_days = (now - created).total_seconds() / 86400
            is_open = age_days < 0.25 or rng.random() < 0.95 * math.exp(-age_days / 18)
            path_key = rng.choice(open_paths if is_open else closed_paths)
            if now - created < timedelta(hours=2):
                path_key = "new"
            path = PATHS[path_key]
            assignee = self._assignee(case.assignee or rng.choice(_UNITS), place)
            made.append(self._petition(
                title=case.title.format(b=place.building, u=place.unit), category=case.category,
                channel=rng.choice(channels), priority=priority, level=case.level, place=place,
                path=path, created_at=created, latest=now - timedelta(minutes=1),
                assignee=assignee, first_assignee=rng.choice(_UNITS) if RT in path else "",
                resolution=case.resolution,
            ))
        return self._casework(self._number(made))

    @staticmethod
    def _number(petitions: list[Petition]) -> list[Petition]:
        """Ids MK + yymmdd of receipt + a three-digit sequence for that day."""
        petitions = sorted(petitions, key=lambda p: p.created_at)
        counters: dict[str, int] = {}
        numbered = []
        for petition in petitions:
            day = petition.created_at.strftime("%y%m%d")
            counters[day] = counters.get(day, 0) + 1
            numbered.append(petition.model_copy(update={"id": f"MK{day}-{counters[day]:03d}"}))
        return numbered

    # -- 一老一小 services ------------------------------------------------

    def build_services(self) -> tuple[list[ServiceSchedule], list[ServiceSession]]:
        """The recurring schedules, and today's sessions as the duty room recorded them so far."""
        rng = self.rng
        today = self.today

        def elderly_of(community: str, count: int, prefer: Sequence[SpecialTag]) -> list[str]:
            pool = [h for p in self.micro_by_community[community] for h in self.households_by_grid[p.grid.id]
                    if h.elderly]
            first = [h for h in pool if any(t in h.tags for t in prefer)][:count]
            rest = [h for h in pool if not any(t in h.tags for t in prefer)]
            return [h.id for h in (first + rest)[:count]]

        K = ServiceKind
        # (kind, title, community, place, start, end, staff, when) — when: all / school / weekend
        plan: list[tuple[ServiceKind, str, str, str, time, time, list[str], list[str], str]] = [
            (K.MEAL_DELIVERY, "入户送餐（早餐）", "dongcheng", "东城花园日间照料中心", time(7, 0), time(8, 0),
             ["刘桂芝", "物业管家 陈晨"], elderly_of("dongcheng", 8, (SpecialTag.LIVING_ALONE,)), "all"),
            (K.SCHOOL_GUARD, "护学岗（上学）", "yulan", "玉兰小学东门", time(7, 10), time(8, 0),
             ["民警 赵刚", "辅警 孙磊", "志愿者 王秀英"], [], "school"),
            (K.HOME_CARE, "居家护理：测血压、助浴", "dongcheng", "东城花园社区入户", time(7, 30), time(8, 30),
             ["护理员 黄丽", "护理员 吴敏"],
             elderly_of("dongcheng", 5, (SpecialTag.LIMITED_MOBILITY, SpecialTag.DISABLED)), "all"),
            (K.ERRANDS, "跑腿代购：买菜、取药", "shiji", "世纪景苑日间照料中心", time(8, 30), time(9, 20),
             ["志愿者 郑凯"], elderly_of("shiji", 4, (SpecialTag.LIMITED_MOBILITY,)), "all"),
            (K.SPORTS, "羽毛球（银发球友教练）", "shiji", "世纪景苑室内活动场地", time(9, 0), time(10, 30),
             ["银发球友 高德明", "银发球友 林国华"], [], "weekend"),
            (K.ART_TROUPE, "夕阳红艺术团排练", "shiji", "世纪景苑党群服务中心多功能厅", time(9, 0), time(11, 0),
             ["团长 何秀兰"], [], "all"),
            (K.SCIENCE, "社区科普馆开放日", "dongcheng", "东城花园社区科普馆", time(9, 0), time(11, 30),
             ["讲解员 罗文博"], [], "weekend"),
            (K.CLASS, "智能手机与反诈课堂", "dongcheng", "东城花园党群服务中心", time(10, 0), time(11, 0),
             ["民警 赵刚", "志愿者 梁晓东"], [], "all"),
            (K.MEAL_DELIVERY, "入户送餐（午餐）", "dongcheng", "东城花园日间照料中心", time(11, 0), time(12, 30),
             ["刘桂芝", "物业管家 陈晨"],
             elderly_of("dongcheng", 12, (SpecialTag.LIVING_ALONE, SpecialTag.CHILDLESS_ELDERLY)), "all"),
            (K.MEAL_DELIVERY, "入户送餐（午餐）", "shiji", "世纪景苑日间照料中心", time(11, 0), time(12, 30),
             ["志愿者 宋玉梅"], elderly_of("shiji", 6, (SpecialTag.LIVING_ALONE,)), "all"),
            (K.ERRANDS, "跑腿代购：代缴水电费", "dongcheng", "东城花园社区入户", time(14, 0), time(15, 0),
             ["志愿者 郑凯"], elderly_of("dongcheng", 4, (SpecialTag.LIMITED_MOBILITY,)), "all"),
            (K.CALLIGRAPHY, "银龄书画社创作交流", "dengfeng", "登峰社区书画室", time(14, 30), time(16, 30),
             ["社长 唐振华"], [], "all"),
            (K.HOME_CARE, "居家护理：康复训练", "dengfeng", "登峰社区入户", time(15, 0), time(16, 30),
             ["护理员 黄丽"], elderly_of("dengfeng", 3, (SpecialTag.LIMITED_MOBILITY,)), "all"),
            (K.SPORTS, "乒乓球（银发球友教练）", "shiji", "世纪景苑室内活动场地", time(15, 0), time(16, 30),
             ["银发球友 冯建国"], [], "weekend"),
            (K.CHILDREN_FORUM, "儿童座谈会：我心中的社区", "dengfeng", "登峰社区党群服务中心", time(15, 0),
             time(16, 0), ["教师志愿者 许静怡"], [], "weekend"),
            (K.SCHOOL_GUARD, "护学岗（放学）", "yulan", "玉兰小学东门", time(16, 20), time(17, 10),
             ["民警 赵刚", "辅警 孙磊", "志愿者 王秀英"], [], "school"),
            (K.AFTER_SCHOOL, "四点半小课堂", "yulan", "玉兰社区党群服务中心二楼", time(16, 30), time(18, 0),
             ["教师志愿者 许静怡", "公益小达人 韩雪"], [], "school"),
            (K.SCIENCE, "青少年科普讲座", "dongcheng", "东城花园社区科普馆", time(16, 30), time(17, 30),
             ["讲解员 罗文博"], [], "school"),
            (K.SPORTS, "乒乓球（银发球友教练）", "shiji", "世纪景苑室内活动场地", time(17, 30), time(19, 0),
             ["银发球友 冯建国"], [], "school"),
            (K.CHILDREN_FORUM, "儿童座谈会：我心中的社区", "dengfeng", "登峰社区党群服务中心", time(18, 30),
             time(19, 30), ["教师志愿者 许静怡"], [], "school"),
        ]
        recurrence = {"all": Recurrence.DAILY, "school": Recurrence.SCHOOL_DAYS, "weekend": Recurrence.WEEKENDS}
        schedules = []
        for i, (kind, title, community, place, start, end, staff, households, when) in enumerate(plan, start=1):
            weekly = {"calligraphy": [1, 3, 5]}.get(kind.value)  # 银龄书画社 meets Tue, Thu, Sat
            schedules.append(ServiceSchedule(
                id=f"sc-{i:02d}", kind=kind, title=title, community_id=community, place=place, start=start, end=end,
                recurrence=Recurrence.WEEKLY if weekly else recurrence[when], weekdays=weekly or [],
                staff=staff, household_ids=households, starts_on=date(2024, 3, 1),
            ))
        now = self.now
        now_t = now.time()
        today_sessions = day_sessions(schedules, [], today, DeadlineRules())

        def cancelled(session: ServiceSession) -> bool:
            return session.kind is K.HOME_CARE and session.community_id == "dengfeng"

        # The last session that should have finished by now is left unchecked: it shows as late.
        past = [s for s in today_sessions if s.end <= now_t and not cancelled(s)]
        late = max(past, key=lambda s: (s.end, s.id)) if past else None
        sessions = []
        for session in today_sessions:
            fields: dict[str, object] = {}
            if cancelled(session):
                fields = {"state": SessionState.CANCELLED, "cancel_reason": "护理员临时生病，已电话告知老人改至明天"}
            elif session is late or session.start > now_t:
                continue  # nothing recorded yet
            else:
                start = clock.at(today, session.start.hour, session.start.minute)
                fields = {"checked_in_at": min(start + timedelta(minutes=rng.randint(0, 8)), now)}
                if session.end <= now_t:
                    served = len(session.household_ids) if session.household_ids else rng.randint(8, 30)
                    fields.update(state=SessionState.DONE, served=served,
                                  done_at=clock.at(today, session.end.hour, session.end.minute))
                else:
                    fields.update(state=SessionState.CHECKED_IN)
            sessions.append(session.model_copy(update=fields))
        return schedules, sessions

    def build_duty(self) -> list[DutyShift]:
        staff = self.rng.sample(_DUTY_STAFF, 3)
        return [DutyShift(id=f"duty-{self.today:%Y%m%d}", day=self.today, leader=self.rng.choice(_DUTY_LEADERS),
                          staff=staff)]

    # -- market stalls ------------------------------------------------------

    def _monthly_payments(self, stall_id: str, amount: int, first: tuple[int, int], last: tuple[int, int],
                          collector: str) -> list[StallPayment]:
        """One payment a month from ``first`` to ``last`` (inclusive), early in the month, none in the future."""
        payments = []
        y, m = first
        while (y, m) <= last:
            paid = clock.at(date(y, m, self.rng.randint(1, 10)), self.rng.randint(9, 16), self.rng.randrange(60))
            if paid < self.now:
                payments.append(StallPayment(id=f"pay-{stall_id}-{y}-{m:02d}", stall_id=stall_id, period=f"{y}-{m:02d}",
                                             amount_fen=amount, paid_at=paid, collector=collector))
            y, m = _month_add(y, m, 1)
        return payments

    def build_market(self) -> tuple[list[Stall], list[StallPermit], list[StallPayment]]:
        rng = self.rng
        today = self.today
        stalls: list[Stall] = []
        permits: list[StallPermit] = []
        payments: list[StallPayment] = []
        goods = ("小吃", "水果", "日用品", "图书", "手机贴膜", "电子产品回收", "蔬菜", "烤红薯", "修鞋配钥匙",
                 "童装", "饰品", "鲜花绿植", "文具", "缝补改衣", "豆腐脑", "烧饼", "糖葫芦", "袜子鞋垫",
                 "玩具", "熟食", "杂粮", "手工艺品", "小家电维修", "日用品", "水果")
        vacant = {12: 5, 23: 14}  # stall number -> vacated this many months ago
        reductions = {7: FeeReduction.DISABLED, 16: FeeReduction.VETERAN}
        permit_status = {3: PermitStatus.APPLIED, 9: PermitStatus.APPROVED, 20: PermitStatus.SUSPENDED,
                         14: PermitStatus.EXPIRED}
        arrears = {20: 3, 14: 2, 5: 1}  # months behind
        this_month = (today.year, today.month)
        opened = (2022, 7)
        for number in range(1, 26):
            stall_id = f"yl-{number:02d}"
            fee = (10_000, 12_000, 15_000)[number % 3]  # small, medium, large spot
            reduction = reductions.get(number, FeeReduction.NONE)
            held = number not in vacant
            status = permit_status.get(number, PermitStatus.VALID)
            holder = _name(rng) if held else ""
            occupied = held and status is PermitStatus.VALID and rng.random() < 0.85
            start = _month_add(*opened, 0 if number <= 18 else number - 18)
            stalls.append(Stall(
                id=stall_id, market="玉兰商业街", community_id="yulan", number=number,
                goods=goods[number - 1] if held else "", holder_name=holder,
                holder_phone=_mobile(rng) if held else None, reduction=reduction, monthly_fee_fen=fee,
                occupied_on=today if occupied else None, held_since=date(*start, 1) if held else None,
            ))
            if held:
                applied = date(*start, 1) - timedelta(days=rng.randint(5, 20))
                expires: date | None = date(today.year, 12, 31)
                if status is PermitStatus.APPLIED:
                    applied, expires = today - timedelta(days=rng.randint(1, 6)), None
                elif status is PermitStatus.APPROVED:
                    applied = today - timedelta(days=rng.randint(10, 20))
                elif status is PermitStatus.EXPIRED:
                    y, m = _month_add(*this_month, -2)
                    expires = date(y, m, 1) - timedelta(days=1)
                permits.append(StallPermit(
                    id=f"pm-{stall_id}", stall_id=stall_id, holder_name=holder, status=status, applied_on=applied,
                    expires_on=expires, reviewed_by="" if status is PermitStatus.APPLIED else "三位一体实践中心",
                    history=_permit_history(applied, status, self.now),
                ))
            last = _month_add(*this_month, -vacant[number]) if number in vacant else this_month
            behind = arrears.get(number, 0)
            amount = fee * {FeeReduction.NONE: 100, FeeReduction.DISABLED: 50, FeeReduction.VETERAN: 70}[reduction] // 100
            owed_from = _month_add(*this_month, -behind) if behind else _month_add(*this_month, 1)
            payments += self._monthly_payments(stall_id, amount, start, min(last, _month_add(*owed_from, -1)),
                                               "物业财务 王会计")
        # 锦华社区's weekend market with 信原物业.
        weekend = today.weekday() >= 5
        weekend_goods = ("美食", "美食", "生活用品", "生活用品", "图书", "电子产品回收", "手工艺品", "农副产品")
        for number, kind in enumerate(weekend_goods, start=1):
            stall_id = f"jh-{number:02d}"
            holder = _name(rng)
            fee = 3_000 if kind == "电子产品回收" else 6_000  # 30 / 60 元 a month for the weekend spots
            reduction = FeeReduction.VETERAN if number == 4 else FeeReduction.NONE
            applied = today - timedelta(days=rng.randint(120, 400))
            stalls.append(Stall(
                id=stall_id, market="锦华周末便民市集", community_id="jinhua", number=number, goods=kind,
                holder_name=holder, holder_phone=_mobile(rng), monthly_fee_fen=fee, reduction=reduction,
                occupied_on=today if weekend and rng.random() < 0.9 else None, held_since=applied,
            ))
            permits.append(StallPermit(
                id=f"pm-{stall_id}", stall_id=stall_id, holder_name=holder, status=PermitStatus.VALID,
                applied_on=applied, expires_on=date(today.year, 12, 31), reviewed_by="锦华社区居委会",
                history=_permit_history(applied, PermitStatus.VALID, self.now),
            ))
            amount = fee * (70 if reduction is FeeReduction.VETERAN else 100) // 100
            last_paid = _month_add(*this_month, -2) if number == 6 else this_month  # stall 6 owes last month
            payments += self._monthly_payments(stall_id, amount, _month_add(applied.year, applied.month, 1),
                                               last_paid, "信原物业 李出纳")
        return stalls, permits, payments


def _permit_history(applied: date, status: PermitStatus, now: datetime) -> list[PermitEvent]:
    """The review steps that led to ``status`` (申请 → 审核 → 发证 → …), dated plausibly."""
    steps = {
        PermitStatus.APPLIED: [],
        PermitStatus.APPROVED: [("approve", PermitStatus.APPLIED, PermitStatus.APPROVED)],
        PermitStatus.VALID: [("approve", PermitStatus.APPLIED, PermitStatus.APPROVED),
                             ("issue", PermitStatus.APPROVED, PermitStatus.VALID)],
        PermitStatus.SUSPENDED: [("approve", PermitStatus.APPLIED, PermitStatus.APPROVED),
                                 ("issue", PermitStatus.APPROVED, PermitStatus.VALID),
                                 ("suspend", PermitStatus.VALID, PermitStatus.SUSPENDED)],
        PermitStatus.EXPIRED: [("approve", PermitStatus.APPLIED, PermitStatus.APPROVED),
                               ("issue", PermitStatus.APPROVED, PermitStatus.VALID)],
    }[status]
    start = clock.at(applied, 9, 0)
    events = [PermitEvent(at=start, actor="摊主", action="apply", to_status=PermitStatus.APPLIED)]
    for n, (action, before, after) in enumerate(steps, start=1):
        moment = min(start + timedelta(days=3 * n), now)
        note = "占道超出划线范围，整改后恢复" if action == "suspend" else ""
        events.append(PermitEvent(at=moment, actor="三位一体实践中心", action=action, from_status=before,
                                  to_status=after, note=note))
    return events


def _cn(n: int) -> str:
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + _CN_NUMBERS[n - 11]
    tens, ones = divmod(n, 10)
    return _CN_NUMBERS[tens - 1] + "十" + (_CN_NUMBERS[ones - 1] if ones else "")


# ---------------------------------------------------------------------------
# The store side


def _store_files(store: Store) -> list[str]:
    """The store's data files that exist (manifest excluded)."""
    found = []
    for model in ALL_MODELS:
        if store.path_for(model).exists():
            found.append(store.relative(store.path_for(model)))
        found.extend(f"{model.table}/{p}.json" for p in store.partitions(model))
    return found


def _clear(store: Store) -> None:
    """Delete the store's files (only the ones of the store layout; ``.lock`` is kept)."""
    with store.lock():
        (store.root / MANIFEST).unlink(missing_ok=True)
        for model in ALL_MODELS:
            store.path_for(model).unlink(missing_ok=True)
            folder = store.root / model.table
            if folder.is_dir():
                for path in folder.glob("*.json"):
                    path.unlink()
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _put_all(tx: Transaction, records: Sequence[object]) -> None:
    for record in records:
        tx.put(record)  # type: ignore[arg-type]


def build_demo(
    store: Store,
    *,
    scale: Literal["demo", "township"] = "demo",
    seed: int = DEFAULT_SEED,
    replace: bool = False,
) -> DemoSummary:
    """Fill an empty store with 孟轲乡's demo data and return how many records were written.

    ``scale="demo"`` is the small, hand-shaped data set of the README (well under a second);
    ``scale="township"`` is a benchmark: 381 grids, 984 workers, 40,000 households, 20,000 cases
    over three years and ~1,500 visits a day for 30 days (a few minutes).

    Raises ValueError if the store already holds data, unless ``replace=True``, which deletes the
    store's files first.
    """
    if scale not in ("demo", "township"):
        raise ValueError(f"unknown scale {scale!r}: use 'demo' or 'township'")
    if replace:
        _clear(store)
    else:
        existing = _store_files(store)
        if existing:
            shown = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
            raise ValueError(
                f"the store {store.root} already holds data ({shown}); the demo is only built into an "
                "empty store. Pass replace=True to delete the existing store files and rebuild."
            )

    b = _Builder(scale, seed)
    b.build_communities()
    b.build_grids()
    b.build_workers()
    duty = b.build_duty()
    with store.transaction() as tx:
        _put_all(tx, b.communities)
        _put_all(tx, b.grids)
        _put_all(tx, b.workers)
        _put_all(tx, duty)

    b.build_households()
    with store.transaction() as tx:
        _put_all(tx, b.households)

    plans, visits = b.build_visits()
    with store.transaction() as tx:
        _put_all(tx, plans)
        _put_all(tx, visits)
    n_plans, n_visits = len(plans), len(visits)
    del plans, visits

    petitions = b.build_demo_petitions() if scale == "demo" else b.build_township_petitions()
    cutoff = b.now - ARCHIVE_AFTER
    opened = closed = archived = 0
    with store.transaction() as tx:
        for petition in petitions:
            if petition.closed_at is not None and petition.closed_at < cutoff:
                tx.put(petition, partition=archive_partition(petition))
                archived += 1
            else:
                tx.put(petition)
                if petition.status.is_open:
                    opened += 1
                else:
                    closed += 1
    del petitions

    schedules, services = b.build_services()
    stalls, permits, payments = b.build_market()
    with store.transaction() as tx:
        _put_all(tx, schedules)
        _put_all(tx, services)
    with store.transaction() as tx:
        _put_all(tx, stalls)
        _put_all(tx, permits)
        _put_all(tx, payments)

    return DemoSummary(
        communities=len(b.communities),
        grids=len(b.grids),
        workers=len(b.workers),
        households=len(b.households),
        visit_plans=n_plans,
        visits=n_visits,
        petitions_open=opened,
        petitions_archived=archived,
        schedules=len(schedules),
        services=len(services),
        stalls=len(stalls),
        permits=len(permits),
        payments=len(payments),
        petitions_closed=closed,
        duty=len(duty),
    )
