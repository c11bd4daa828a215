"""The facts of the demo township 孟轲乡 (华龙区), as tables: no code but the shapes that hold them.

Figures follow the source report: 东城花园社区 has 5 大网格, 11 支部网格 and 28 微网格 and 62%
elderly residents; 玉兰社区's 商业街 has 25 stalls opened in July 2022 that have brought in
over 100,000 yuan, with fee reductions for disabled people and veterans; 锦华社区 runs a weekend
market with 信原物业. All people, phone numbers and cases are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from ..duty_models import LogKind
from ..models import (
    Category,
    Channel,
    FeeReduction,
    Level,
    PermitStatus,
    PetitionStatus,
    Priority,
    ServiceKind,
    SpecialTag,
)

TOWNSHIP = "孟轲乡"
DEFAULT_SEED = 20241128

# ---------------------------------------------------------------------------
# Territory

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
ASSUMED_ELDERLY = 0.38

# Grid trees: branch grids per large grid, micro grids per branch grid.
# 东城花园: 5 large grids with 3,2,2,2,2 branch grids; 11 branch grids with 28 micro grids.
DC_BRANCHES = (3, 2, 2, 2, 2)
DC_MICROS = (3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2)
# The demo's other communities: one large grid, two branches, one micro grid each.
DEMO_BRANCHES = (2,)
DEMO_MICROS = (1, 1)
# Township scale: 7 communities share the other 337 of the township's 381 grids, 4 large,
# 10 branch and 34 micro grids each (玉兰 has one more micro grid).
TOWNSHIP_BRANCHES = (3, 3, 2, 2)
TOWNSHIP_MICROS = (4, 4, 4, 4, 3, 3, 3, 3, 3, 3)
TOWNSHIP_MICROS_YULAN = (4, 4, 4, 4, 4, 3, 3, 3, 3, 3)

TOWNSHIP_WORKERS = 984
TOWNSHIP_LIAISONS = 80  # 民情联络员, on large and branch grids
TOWNSHIP_HOUSEHOLDS = 40_000
DEMO_HOUSEHOLDS_PER_MICRO = 10  # 东城花园: 9 to 11
DEMO_LIAISON_GRIDS = ("sj-L1",)  # besides each of 东城花园's large grids

# Special tags: share of all households (东城花园); living alone, childless and limited mobility
# are drawn among the elderly.
TAG_SHARE = {
    SpecialTag.LIVING_ALONE: 0.08,
    SpecialTag.DISABLED: 0.04,
    SpecialTag.LIMITED_MOBILITY: 0.05,
    SpecialTag.CHILDLESS_ELDERLY: 0.02,
}

CN_NUMBERS = "一二三四五六七八九十"

# ---------------------------------------------------------------------------
# People

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许"
    "傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
    "江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_OLD = (
    "建国",
    "秀英",
    "桂兰",
    "淑珍",
    "玉梅",
    "凤英",
    "德明",
    "志强",
    "国庆",
    "春生",
    "文华",
    "桂芝",
    "秀兰",
    "玉珍",
    "建华",
    "振华",
    "保国",
    "凤兰",
    "素芳",
    "金花",
    "长林",
    "福生",
    "俊峰",
    "学文",
    "桂荣",
    "玉兰",
    "秀珍",
    "国华",
    "卫东",
    "红旗",
    "援朝",
    "爱华",
    "淑英",
    "宝山",
    "庆林",
    "广田",
)
GIVEN_YOUNG = (
    "浩然",
    "子涵",
    "欣怡",
    "宇航",
    "梓萱",
    "俊杰",
    "思雨",
    "佳怡",
    "晓东",
    "海涛",
    "丽娟",
    "志刚",
    "晓燕",
    "雪梅",
    "婷婷",
    "文博",
    "一鸣",
    "静怡",
    "凯",
    "磊",
    "敏",
    "静",
    "伟",
    "芳",
    "娜",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "超",
    "霞",
    "鹏",
    "丹",
    "楠",
    "倩",
    "亮",
    "明",
    "辉",
    "燕",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
LANDLINE_AREA = "0393"  # 濮阳
LANDLINE_FIRST_DIGITS = "4568"

# The duty room's own staff: they accept, dispatch and follow up cases.
DUTY_LEADERS = ("李建国", "马志远", "郭红梅")
DUTY_STAFF = ("王丽娟", "张海涛", "刘晓燕", "陈志刚", "赵雪梅", "孙卫东", "周静", "杨帆")
DUTY_STAFF_PER_DAY = 3

# ---------------------------------------------------------------------------
# The duty room's week (值班记录): shifts with their phones, the current shift's log, one incident.
# The names are the duty room's own staff above, with their phones; the source reports name no duty
# roster except the township's correspondent 刘晓宇, who takes the eighth turn here (杨帆's).

DUTY_ROOM_LEADERS = tuple(zip(DUTY_LEADERS, ("13903931001", "13903931002", "13903931003"), strict=True))
DUTY_ROOM_STAFF = tuple(zip((*DUTY_STAFF[:7], "刘晓宇"), (f"1370393201{n}" for n in range(1, 9)), strict=True))
COUNTY_DUTY = "华龙区应急管理局值班室"

# (hours before now, kind, source, caller, content, action taken, reported to)
DUTY_LOG_ENTRIES = (
    (
        9.0,
        LogKind.INSTRUCTION,
        "区委办公室",
        "",
        "寒潮蓝色预警：今夜至明天最低气温-8℃，做好独居老人防寒和燃气安全提醒",
        "已转各社区书记，要求今日走访独居老人",
        "带班领导",
    ),
    (
        6.5,
        LogKind.CALL,
        "",
        "张桂英",
        "玉兰社区12号楼2单元暖气不热，家中有卧床老人",
        "已联系物业公司维修，约定下午两点上门",
        "",
    ),
    (
        4.0,
        LogKind.DOCUMENT,
        "区民政局",
        "",
        "关于开展冬季困难群众走访慰问的通知（华民〔2026〕41号）",
        "已登记并呈带班领导阅示",
        "带班领导",
    ),
    (1.5, LogKind.CALL, "", "王建军", "东城花园3号楼门口井盖松动，夜间有行人绊倒风险", "已通知综合执法队设置警示", ""),
)
# The log above reaches back 9 hours: a shift this long shows it as written.
DUTY_LOG_SPAN = timedelta(hours=10)

# ---------------------------------------------------------------------------
# Fieldwork: visit plans and the 民情日志

VISIT_NOTES = (
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
ELDERLY_NOTES = (
    "老人身体状况良好，已提醒燃气安全",
    "老人血压偏高，已联系社区医生上门",
    "帮老人更换灯泡，检查门窗",
    "老人想参加智能手机课堂，已登记",
    "子女已电话联系，老人生活正常",
    "提醒老人警惕保健品推销骗局",
    "协助老人预约入户送餐",
)
TAG_NOTES = {
    SpecialTag.LIVING_ALONE: ("独居老人精神状态良好，约定每日电话问候", "检查独居老人家中烟感报警器，工作正常"),
    SpecialTag.DISABLED: ("了解残疾人两项补贴发放情况，已到账", "协助办理残疾人证年审"),
    SpecialTag.LIMITED_MOBILITY: ("老人腿脚不便，已代为取药", "协助联系居家护理上门服务"),
    SpecialTag.CHILDLESS_ELDERLY: ("孤寡老人生活正常，送去米面油", "陪老人聊天，了解冬季取暖情况"),
}
DEMO_PLANS_PER_MICRO = 3  # 东城花园 plans all its special-tag households, topped up to 6
DEMO_DONGCHENG_PLANS = 6
TOWNSHIP_PLANS_PER_MICRO = 5
DEMO_VISIT_HISTORY_DAYS = 6
TOWNSHIP_VISIT_HISTORY_DAYS = 30
TOWNSHIP_VISITS_PER_DAY = (1400, 1600)

# ---------------------------------------------------------------------------
# Casework: petitions (民情诉求)

S = PetitionStatus
DUE = {
    Priority.EMERGENCY: timedelta(hours=2),
    Priority.URGENT: timedelta(hours=24),
    Priority.NORMAL: timedelta(days=5),
    Priority.COMPLEX: timedelta(days=15),
}
# How fast cases move: a factor on the typical gaps below.
PACE = {Priority.EMERGENCY: 0.06, Priority.URGENT: 0.3, Priority.NORMAL: 1.0, Priority.COMPLEX: 2.0}
# Typical minutes before each action, for a normal case.
GAP = {
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
# Minutes past the deadline of a demo case that is overdue now.
OVERDUE_BY = {
    Priority.EMERGENCY: (20, 90),
    Priority.URGENT: (120, 1800),
    Priority.NORMAL: (1440, 4320),
    Priority.COMPLEX: (1440, 5760),
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

UNITS = ("综合执法队", "派出所", "市场监管所", "物业公司", "三位一体实践中心", "社区居委会")
CANCEL_NOTES = ("居民已自行解决，申请撤销", "重复诉求，已合并办理", "诉求人撤回")
RETURN_NOTES = ("属地不符，申请退回", "权属不清，退回重新派单", "职能交叉，应由其他部门处置")


@dataclass(frozen=True)
class Case:
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


GRID = "grid"  # as an assignee: the grid worker of the case's grid
_C, _P = Category, Priority
CASES: tuple[Case, ...] = (
    Case(
        "{b}号楼下水道堵塞污水外溢",
        _C.INFRASTRUCTURE,
        Channel.GRID_REPORT,
        _P.URGENT,
        Level.BUILDING,
        "dongcheng",
        "物业公司",
        "in_progress",
        "overdue",
        "已调专业疏通车，污水清理消杀完毕",
        "单元门口污水横流，已持续两天，居民出行困难",
    ),
    Case(
        "{b}号楼{u}单元燃气管道老化阀门漏气",
        _C.GAS,
        Channel.HOTLINE,
        _P.EMERGENCY,
        Level.BUILDING,
        "dongcheng",
        "燃气公司抢修班",
        "dispatched",
        "today",
        "已关阀更换阀门，复检无泄漏",
        "楼道内闻到明显燃气味，居民已开窗通风",
    ),
    Case(
        "{b}号楼楼道私拉电线给电动车充电",
        _C.PUBLIC_SECURITY,
        Channel.TALK_POINT,
        _P.URGENT,
        Level.COMMUNITY,
        "shiji",
        "",
        "accepted",
        "overdue",
        "已拆除私拉电线，引导至集中充电点",
        "一楼住户从窗户拉线到楼道，存在火灾隐患",
    ),
    Case(
        "物业费上涨未公示引发纠纷",
        _C.PROPERTY,
        Channel.COUNCIL,
        _P.NORMAL,
        Level.COMMUNITY,
        "yulan",
        "三位一体实践中心",
        "in_progress",
        "later",
        "召开协商议事会，物业公示收费依据",
        "多名业主在协商议事厅反映物业费调整未经公示",
    ),
    Case(
        "楼上夜间噪音扰民",
        _C.NEIGHBOUR,
        Channel.MAILBOX,
        _P.NORMAL,
        Level.BUILDING,
        "huaqing",
        GRID,
        "resolved",
        "today",
        "银龄调解员上门调解，双方达成谅解",
        description="楼上住户连续多晚十一点后拖动家具、走路声大，影响老人和孩子休息",
    ),
    Case(
        "商业街入口占道经营堵塞通道",
        _C.STREET_VENDING,
        Channel.ONLINE,
        _P.NORMAL,
        Level.TOWNSHIP,
        "yulan",
        "综合执法队",
        "returned",
        "overdue",
        "已劝离占道摊贩，引导入规定摊位",
        "晚高峰摊贩占用消防通道",
        first_assignee="综合执法队",
    ),
    Case(
        "小区绿地私搭乱建彩钢房",
        _C.ILLEGAL_BUILDING,
        Channel.GRID_REPORT,
        _P.COMPLEX,
        Level.TOWNSHIP,
        "mingrixing",
        "综合执法队",
        "in_progress",
        "later",
        "已下达限期拆除通知书",
        description="中心绿地东侧有住户私自搭建彩钢房堆放杂物，占用公共绿地约20平方米",
    ),
    Case(
        "垃圾清运不及时，垃圾桶满溢",
        _C.SANITATION,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "jinhua",
        "信原物业",
        "closed",
        3,
        "增加清运频次至每日两次",
        description="小区东门垃圾桶连续两天未清运，垃圾外溢，气味大，招苍蝇",
    ),
    Case(
        "小区主干道路灯不亮",
        _C.INFRASTRUCTURE,
        Channel.ONLINE,
        _P.NORMAL,
        Level.COMMUNITY,
        "dengfeng",
        "物业公司",
        "dispatched",
        "overdue",
        "更换路灯灯头6个",
        description="小区主干道北段6盏路灯不亮已一周，夜间老人出行不便",
    ),
    Case(
        "独居老人求助：家中水管爆裂",
        _C.INFRASTRUCTURE,
        Channel.HOTLINE,
        _P.EMERGENCY,
        Level.BUILDING,
        "dongcheng",
        GRID,
        "resolved",
        "overdue",
        "网格员关闭总阀，物业更换水管",
        "老人独自在家，厨房进水",
    ),
    Case(
        "{b}号楼楼顶漏水",
        _C.INFRASTRUCTURE,
        Channel.MAILBOX,
        _P.NORMAL,
        Level.COMMUNITY,
        "dongcheng",
        "物业公司",
        "new",
        "later",
        "",
        "顶层住户反映雨后屋内渗水，墙皮脱落",
    ),
    Case(
        "老人赡养问题家庭矛盾调解",
        _C.FAMILY,
        Channel.HOME_VISIT,
        _P.COMPLEX,
        Level.COMMUNITY,
        "dengfeng",
        "社区居委会",
        "in_progress",
        "later",
        "银龄调解队茶桌议事，子女签订赡养协议",
        description="八旬老人反映子女互相推诿赡养责任，生活费和看护无人承担",
    ),
    Case(
        "电梯频繁故障困人",
        _C.INFRASTRUCTURE,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "mingrixing",
        "物业公司",
        "closed_redo",
        6,
        "更换电梯控制主板并通过特检",
        description="本月电梯三次停运，其中一次困人二十分钟，居民担心安全",
    ),
    Case(
        "宠物犬未拴绳吓到儿童",
        _C.NEIGHBOUR,
        Channel.TALK_POINT,
        _P.NORMAL,
        Level.BUILDING,
        "huaqing",
        GRID,
        "closed",
        9,
        "上门宣传文明养宠，犬主承诺拴绳",
        description="傍晚有居民遛大型犬未拴绳，扑向玩耍的儿童，家长很担心",
    ),
    Case(
        "外卖电动车在楼道停放",
        _C.PUBLIC_SECURITY,
        Channel.ONLINE,
        _P.NORMAL,
        Level.BUILDING,
        "jinhua",
        "",
        "new",
        "today",
        "",
        description="外卖骑手把电动车推进楼道停放充电，堵住楼梯口",
    ),
    Case(
        "要求增设老年助餐点",
        _C.CONVENIENCE,
        Channel.COUNCIL,
        _P.COMPLEX,
        Level.COMMUNITY,
        "shiji",
        "",
        "accepted",
        "later",
        "依托日间照料中心开设助餐点",
        description="小区老年人多，子女上班后中午吃饭难，希望就近开设助餐点",
    ),
    Case(
        "小区门口流动摊贩夜间烧烤油烟扰民",
        _C.STREET_VENDING,
        Channel.HOTLINE,
        _P.NORMAL,
        Level.TOWNSHIP,
        "yulan",
        "综合执法队",
        "closed_returned",
        12,
        "联合执法清理夜间烧烤摊点",
        description="夜里十点后小区门口烧烤摊油烟飘进低层住户家中，还有喧哗",
        first_assignee="物业公司",
    ),
    Case(
        "有陌生人冒充燃气公司上门推销",
        _C.PUBLIC_SECURITY,
        Channel.GRID_REPORT,
        _P.URGENT,
        Level.COMMUNITY,
        "dongcheng",
        "派出所",
        "closed",
        15,
        "民警已处置，社区发布防骗提示",
        description="有人自称燃气公司员工上门检查，推销高价报警器和软管",
    ),
    Case(
        "周末市集有商贩缺斤少两",
        _C.OTHER,
        Channel.ONLINE,
        _P.NORMAL,
        Level.COMMUNITY,
        "jinhua",
        "市场监管所",
        "closed",
        20,
        "已检定电子秤，对商贩批评教育",
        description="居民在周末市集买菜回家复秤，少了近二两",
    ),
    Case(
        "高空抛物砸坏车辆",
        _C.PUBLIC_SECURITY,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "dingxiang",
        "派出所",
        "reopened",
        "overdue",
        "调取监控锁定楼层，上门教育",
        description="楼下停放车辆被高空坠落的花盆砸坏前挡风玻璃，未找到责任人",
    ),
    Case(
        "维修基金使用申请进度查询",
        _C.PROPERTY,
        Channel.COUNCIL,
        _P.NORMAL,
        Level.COMMUNITY,
        "yulan",
        "三位一体实践中心",
        "resolved",
        "later",
        "维修基金代办窗口已答复进度",
        description="业主询问外墙维修动用维修基金的申请办到哪一步了",
    ),
    Case(
        "楼道堆放杂物堵塞消防通道",
        _C.PUBLIC_SECURITY,
        Channel.GRID_REPORT,
        _P.NORMAL,
        Level.BUILDING,
        "dongcheng",
        GRID,
        "dispatched",
        "today",
        "组织党员志愿者清理楼道",
        description="多个楼层楼道堆放纸箱、旧家具，消防通道不畅",
    ),
    Case(
        "化粪池满溢异味大",
        _C.SANITATION,
        Channel.TALK_POINT,
        _P.URGENT,
        Level.COMMUNITY,
        "huaqing",
        "物业公司",
        "returned_ip",
        "overdue",
        "已抽排化粪池",
        first_assignee="物业公司",
        description="小区南侧化粪池满溢，污水流到路面，气味很大",
    ),
    Case(
        "残疾人补贴申领咨询",
        _C.CONVENIENCE,
        Channel.HOME_VISIT,
        _P.NORMAL,
        Level.COMMUNITY,
        "dengfeng",
        "社区居委会",
        "closed",
        5,
        "协助线上申领，补贴已到账",
        description="肢体残疾居民咨询两项补贴如何申领、需要哪些材料",
    ),
    Case(
        "车位被长期占用",
        _C.PROPERTY,
        Channel.ONLINE,
        _P.NORMAL,
        Level.BUILDING,
        "mingrixing",
        "",
        "cancel_acc",
        2,
        "",
        description="业主购买的车位被他人车辆长期占用，联系不上车主",
    ),
    Case(
        "自来水水压低，高层无法用水",
        _C.INFRASTRUCTURE,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "shiji",
        "物业公司",
        "in_progress",
        "today",
        "二次供水加压泵已维修",
        description="高层住户早晚用水高峰时水龙头出水很小，十五楼以上基本无水",
    ),
    Case(
        "小区健身器材损坏",
        _C.INFRASTRUCTURE,
        Channel.MAILBOX,
        _P.NORMAL,
        Level.COMMUNITY,
        "dingxiang",
        "",
        "accepted",
        "overdue",
        "更换损坏的漫步机",
        description="小区广场的漫步机踏板断裂，老人锻炼时险些摔倒",
    ),
    Case(
        "广场舞音响音量过大",
        _C.NEIGHBOUR,
        Channel.TALK_POINT,
        _P.NORMAL,
        Level.COMMUNITY,
        "shiji",
        "社区居委会",
        "closed",
        1,
        "与舞蹈队协商限定音量和时段",
        description="晚饭后广场舞音响音量过大，临街楼栋住户无法休息",
    ),
    Case(
        "一楼住户违规扩建院墙",
        _C.ILLEGAL_BUILDING,
        Channel.GRID_REPORT,
        _P.COMPLEX,
        Level.TOWNSHIP,
        "dongcheng",
        "综合执法队",
        "returned",
        "later",
        "",
        first_assignee="综合执法队",
        description="一楼住户将院墙向外扩建约一米，占用公共通道",
    ),
    Case(
        "共享单车乱停放堵塞人行道",
        _C.OTHER,
        Channel.ONLINE,
        _P.NORMAL,
        Level.COMMUNITY,
        "jinhua",
        "",
        "cancel_new",
        0,
        "",
        description="小区门口人行道停满共享单车，行人只能走机动车道",
    ),
    Case(
        "放学路段车辆乱停影响学生安全",
        _C.PUBLIC_SECURITY,
        Channel.COUNCIL,
        _P.NORMAL,
        Level.COMMUNITY,
        "yulan",
        "派出所",
        "redispatched",
        "today",
        "护学岗增派辅警疏导",
        first_assignee="综合执法队",
        description="放学时校门口道路两侧车辆乱停，学生只能在车流中穿行",
    ),
    Case(
        "独居老人多日未出门，邻居担心",
        _C.CONVENIENCE,
        Channel.HOME_VISIT,
        _P.EMERGENCY,
        Level.BUILDING,
        "dongcheng",
        GRID,
        "closed",
        4,
        "网格员上门确认老人安好，已联系子女",
        description="邻居发现独居老人家中连续三天没有动静，敲门无人应",
    ),
    Case(
        "供暖温度不达标，室温不足16度",
        _C.INFRASTRUCTURE,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "mingrixing",
        "物业公司",
        "redo",
        "overdue",
        "排查管网，清洗暖气片",
        description="供暖季开始后多户室温只有十四五度，家中老人孩子受冻",
    ),
    Case(
        "老旧树木枝干断裂存在隐患",
        _C.INFRASTRUCTURE,
        Channel.GRID_REPORT,
        _P.URGENT,
        Level.BUILDING,
        "dingxiang",
        "物业公司",
        "resolved",
        "overdue",
        "修剪断枝并加固",
        description="小区内一棵老杨树枝干开裂，下方是儿童游乐区",
    ),
    Case(
        "邻居装修占用公共楼道",
        _C.NEIGHBOUR,
        Channel.MAILBOX,
        _P.NORMAL,
        Level.BUILDING,
        "huaqing",
        "",
        "cancel_ret",
        8,
        "",
        first_assignee="物业公司",
        description="邻居装修材料长期堆放在公共楼道，影响通行",
    ),
    Case(
        "物业报修无人上门",
        _C.PROPERTY,
        Channel.COUNCIL,
        _P.NORMAL,
        Level.COMMUNITY,
        "yulan",
        "三位一体实践中心",
        "closed",
        18,
        "三位一体实践中心督促物业限时上门维修",
        description="家中水管报修一周，物业一直没有派人上门",
    ),
    Case(
        "建议增设电动车集中充电桩",
        _C.CONVENIENCE,
        Channel.COUNCIL,
        _P.COMPLEX,
        Level.COMMUNITY,
        "dongcheng",
        "三位一体实践中心",
        "in_progress",
        "later",
        "选址两处，安装充电桩40个",
        description="小区电动车多、充电难，建议增设集中充电桩，杜绝飞线充电",
    ),
    Case(
        "老人接到可疑电话被要求转账",
        _C.PUBLIC_SECURITY,
        Channel.HOTLINE,
        _P.URGENT,
        Level.COMMUNITY,
        "dengfeng",
        "派出所",
        "closed",
        25,
        "民警及时劝阻，未造成损失",
        description="老人接到自称“公检法”的电话，被要求把存款转到“安全账户”",
    ),
)

# Older demo cases, closed this many days ago: they go to the archive.
ARCHIVED_DAYS = (35, 48, 61, 77, 95, 120, 150, 183, 220, 260, 300, 365)
ARCHIVED_PATHS = ("closed", "closed", "closed", "closed_returned", "closed_redo", "cancel_acc")

# The duplicate report merged into its original (合并) and the chase of the most overdue case (督办).
DUPLICATE_DESCRIPTION = "同一问题，邻居通过12345热线再次反映。"
DUPLICATE_REPORTER = ("周桂兰", "13938451207")
DUPLICATE_MINUTES_AGO = (50, 40)  # received, merged
MERGE_NOTE = "与原件为同一诉求，合并办理"
SUPERVISE_MINUTES_AGO = 20
SUPERVISE_NOTE = "超期未办结，黄牌督办"

# Township scale: 20,000 cases over three years (the 1× store); --history-years and --cases scale it.
TOWNSHIP_HISTORY_YEARS = 3
TOWNSHIP_CASES = 20_000
TOWNSHIP_OPEN_PATHS = (
    "new",
    "accepted",
    "accepted",
    "dispatched",
    "dispatched",
    "redispatched",
    "in_progress",
    "in_progress",
    "in_progress",
    "returned",
    "resolved",
    "resolved",
    "redo",
    "reopened",
)
TOWNSHIP_CLOSED_PATHS = ("closed",) * 14 + ("closed_returned", "closed_redo", "cancel_new", "cancel_acc", "cancel_ret")
TOWNSHIP_PRIORITIES = ((Priority.EMERGENCY, 4), (Priority.URGENT, 26), (Priority.NORMAL, 60), (Priority.COMPLEX, 10))
OPEN_DECAY_DAYS = 18  # the chance a case is still open falls by e with every 18 days of age

# ---------------------------------------------------------------------------
# Services: 一老一小


@dataclass(frozen=True)
class ServicePlan:
    """A recurring 一老一小 service. ``when``: 'all' days, 'school' days or 'weekend'; ``weekdays``
    (0 = Monday) makes it weekly. ``elderly`` households of the community are served, those with
    one of the ``prefer`` tags first."""

    kind: ServiceKind
    title: str
    community: str
    place: str
    start: time
    end: time
    staff: tuple[str, ...]
    when: str
    elderly: int = 0
    prefer: tuple[SpecialTag, ...] = ()
    weekdays: tuple[int, ...] = ()


_K, _T = ServiceKind, SpecialTag
SERVICES: tuple[ServicePlan, ...] = (
    ServicePlan(
        _K.MEAL_DELIVERY,
        "入户送餐（早餐）",
        "dongcheng",
        "东城花园日间照料中心",
        time(7, 0),
        time(8, 0),
        ("刘桂芝", "物业管家 陈晨"),
        "all",
        8,
        (_T.LIVING_ALONE,),
    ),
    ServicePlan(
        _K.SCHOOL_GUARD,
        "护学岗（上学）",
        "yulan",
        "玉兰小学东门",
        time(7, 10),
        time(8, 0),
        ("民警 赵刚", "辅警 孙磊", "志愿者 王秀英"),
        "school",
    ),
    ServicePlan(
        _K.HOME_CARE,
        "居家护理：测血压、助浴",
        "dongcheng",
        "东城花园社区入户",
        time(7, 30),
        time(8, 30),
        ("护理员 黄丽", "护理员 吴敏"),
        "all",
        5,
        (_T.LIMITED_MOBILITY, _T.DISABLED),
    ),
    ServicePlan(
        _K.ERRANDS,
        "跑腿代购：买菜、取药",
        "shiji",
        "世纪景苑日间照料中心",
        time(8, 30),
        time(9, 20),
        ("志愿者 郑凯",),
        "all",
        4,
        (_T.LIMITED_MOBILITY,),
    ),
    ServicePlan(
        _K.SPORTS,
        "羽毛球（银发球友教练）",
        "shiji",
        "世纪景苑室内活动场地",
        time(9, 0),
        time(10, 30),
        ("银发球友 高德明", "银发球友 林国华"),
        "weekend",
    ),
    ServicePlan(
        _K.ART_TROUPE,
        "夕阳红艺术团排练",
        "shiji",
        "世纪景苑党群服务中心多功能厅",
        time(9, 0),
        time(11, 0),
        ("团长 何秀兰",),
        "all",
    ),
    ServicePlan(
        _K.SCIENCE,
        "社区科普馆开放日",
        "dongcheng",
        "东城花园社区科普馆",
        time(9, 0),
        time(11, 30),
        ("讲解员 罗文博",),
        "weekend",
    ),
    ServicePlan(
        _K.CLASS,
        "智能手机与反诈课堂",
        "dongcheng",
        "东城花园党群服务中心",
        time(10, 0),
        time(11, 0),
        ("民警 赵刚", "志愿者 梁晓东"),
        "all",
    ),
    ServicePlan(
        _K.MEAL_DELIVERY,
        "入户送餐（午餐）",
        "dongcheng",
        "东城花园日间照料中心",
        time(11, 0),
        time(12, 30),
        ("刘桂芝", "物业管家 陈晨"),
        "all",
        12,
        (_T.LIVING_ALONE, _T.CHILDLESS_ELDERLY),
    ),
    ServicePlan(
        _K.MEAL_DELIVERY,
        "入户送餐（午餐）",
        "shiji",
        "世纪景苑日间照料中心",
        time(11, 0),
        time(12, 30),
        ("志愿者 宋玉梅",),
        "all",
        6,
        (_T.LIVING_ALONE,),
    ),
    ServicePlan(
        _K.ERRANDS,
        "跑腿代购：代缴水电费",
        "dongcheng",
        "东城花园社区入户",
        time(14, 0),
        time(15, 0),
        ("志愿者 郑凯",),
        "all",
        4,
        (_T.LIMITED_MOBILITY,),
    ),
    ServicePlan(
        _K.CALLIGRAPHY,
        "银龄书画社创作交流",
        "dengfeng",
        "登峰社区书画室",
        time(14, 30),
        time(16, 30),
        ("社长 唐振华",),
        "all",
        weekdays=(1, 3, 5),
    ),  # meets Tue, Thu, Sat
    ServicePlan(
        _K.HOME_CARE,
        "居家护理：康复训练",
        "dengfeng",
        "登峰社区入户",
        time(15, 0),
        time(16, 30),
        ("护理员 黄丽",),
        "all",
        3,
        (_T.LIMITED_MOBILITY,),
    ),
    ServicePlan(
        _K.SPORTS,
        "乒乓球（银发球友教练）",
        "shiji",
        "世纪景苑室内活动场地",
        time(15, 0),
        time(16, 30),
        ("银发球友 冯建国",),
        "weekend",
    ),
    ServicePlan(
        _K.CHILDREN_FORUM,
        "儿童座谈会：我心中的社区",
        "dengfeng",
        "登峰社区党群服务中心",
        time(15, 0),
        time(16, 0),
        ("教师志愿者 许静怡",),
        "weekend",
    ),
    ServicePlan(
        _K.SCHOOL_GUARD,
        "护学岗（放学）",
        "yulan",
        "玉兰小学东门",
        time(16, 20),
        time(17, 10),
        ("民警 赵刚", "辅警 孙磊", "志愿者 王秀英"),
        "school",
    ),
    ServicePlan(
        _K.AFTER_SCHOOL,
        "四点半小课堂",
        "yulan",
        "玉兰社区党群服务中心二楼",
        time(16, 30),
        time(18, 0),
        ("教师志愿者 许静怡", "公益小达人 韩雪"),
        "school",
    ),
    ServicePlan(
        _K.SCIENCE,
        "青少年科普讲座",
        "dongcheng",
        "东城花园社区科普馆",
        time(16, 30),
        time(17, 30),
        ("讲解员 罗文博",),
        "school",
    ),
    ServicePlan(
        _K.SPORTS,
        "乒乓球（银发球友教练）",
        "shiji",
        "世纪景苑室内活动场地",
        time(17, 30),
        time(19, 0),
        ("银发球友 冯建国",),
        "school",
    ),
    ServicePlan(
        _K.CHILDREN_FORUM,
        "儿童座谈会：我心中的社区",
        "dengfeng",
        "登峰社区党群服务中心",
        time(18, 30),
        time(19, 30),
        ("教师志愿者 许静怡",),
        "school",
    ),
)
SERVICES_START = date(2024, 3, 1)
# Today's recorded sessions: 登峰's home care was called off; everything else that is over was done,
# except the last one due by now, left unchecked so it shows as late.
CANCELLED_SESSION = (ServiceKind.HOME_CARE, "dengfeng", "护理员临时生病，已电话告知老人改至明天")
CHECK_IN_MINUTES = (0, 8)
SERVED_WALK_IN = (8, 30)  # people at a session without a household list

# ---------------------------------------------------------------------------
# Market: 玉兰商业街 and 锦华周末便民市集

YULAN_MARKET = "玉兰商业街"
YULAN_OPENED = (2022, 7)
YULAN_FIRST_WAVE = 18  # stalls 1-18 opened in July 2022, the rest one a month after
YULAN_GOODS = (
    "小吃",
    "水果",
    "日用品",
    "图书",
    "手机贴膜",
    "电子产品回收",
    "蔬菜",
    "烤红薯",
    "修鞋配钥匙",
    "童装",
    "饰品",
    "鲜花绿植",
    "文具",
    "缝补改衣",
    "豆腐脑",
    "烧饼",
    "糖葫芦",
    "袜子鞋垫",
    "玩具",
    "熟食",
    "杂粮",
    "手工艺品",
    "小家电维修",
    "日用品",
    "水果",
)
YULAN_FEES_FEN = (10_000, 12_000, 15_000)  # small, medium, large spot, by stall number mod 3
YULAN_VACANT = {12: 5, 23: 14}  # stall number -> vacated this many months ago
YULAN_REDUCTIONS = {7: FeeReduction.DISABLED, 16: FeeReduction.VETERAN}
YULAN_PERMITS = {
    3: PermitStatus.APPLIED,
    9: PermitStatus.APPROVED,
    20: PermitStatus.SUSPENDED,
    14: PermitStatus.EXPIRED,
}  # the others are valid
YULAN_ARREARS = {20: 3, 14: 2, 5: 1}  # months behind
YULAN_OCCUPIED_SHARE = 0.85
REVIEW_OFFICE = "三位一体实践中心"  # reviews the stall permits
YULAN_COLLECTOR = "物业财务 王会计"
REDUCED_SHARE = {FeeReduction.NONE: 100, FeeReduction.DISABLED: 50, FeeReduction.VETERAN: 70}  # percent paid

WEEKEND_MARKET = "锦华周末便民市集"
WEEKEND_GOODS = ("美食", "美食", "生活用品", "生活用品", "图书", "电子产品回收", "手工艺品", "农副产品")
WEEKEND_FEE_FEN = 6_000  # 60 元 a month for a weekend spot
WEEKEND_RECYCLING_FEE_FEN = 3_000  # 30 元 for 电子产品回收
WEEKEND_VETERAN_STALL = 4
WEEKEND_BEHIND_STALL = 6  # owes last month
WEEKEND_OCCUPIED_SHARE = 0.9
WEEKEND_REVIEWER = "锦华社区居委会"
WEEKEND_COLLECTOR = "信原物业 李出纳"
SUSPEND_NOTE = "占道超出划线范围，整改后恢复"
