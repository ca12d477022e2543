"""Deployed tasks and indicator figures in Chinese speeches, work reports and minutes (.txt, .docx, .pdf).

Rules over sentences, offline: a task is a sentence that deploys work (要/须/确保/力争/牵头/负责 …)
to a named responsible unit (a unit in subject position, 由X负责, X牵头, 督促X, 责任单位：X);
sentences whose subject is only implicit ("we") are left out because a ledger line needs a unit.
Units that only cooperate (配合/协助/参与, 会同/联合X, 在X配合下, 配合单位：X) go to `coop_units`;
"A配合B做…" makes B responsible. A figure is an Arabic number with a measure unit (%, 亿元, 个百分点 …)
after an indicator name, negative after a fall (下降/回落/减少 …), with the region it is about.
The labelling rules these follow are in bench/textintel/README.md.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from xieshang.textintel.tables import ENCODINGS, InputError


@dataclass(frozen=True)
class TaskItem:
    """A deployed task: responsible units (lead first), action, deadline, target and its sentence.

    `coop_units` are the units that only cooperate (配合/协助/参与/会同/联合 …); a unit is in one list only.
    """

    units: list[str]
    action: str
    deadline: str | None
    target: str | None
    evidence: str
    start: int
    end: int
    coop_units: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndicatorItem:
    """A figure: region, indicator, value in the unit as written (negative for a fall), period."""

    region: str
    indicator: str
    value: float
    unit: str
    period: str | None
    evidence: str
    start: int
    end: int


# -- sentences --------------------------------------------------------------------------------
_OPEN = "（(【[“‘"
_CLOSE = "）)】]”’"
_HARD_END = "。！？!?\n"
_SOFT_END = "；;"


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence; a semicolon ends one only outside brackets and quotes."""
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch == "\n":
            depth = 0
        if ch in _HARD_END or (ch in _SOFT_END and depth == 0):
            yield from _trimmed(text, start, i + (ch != "\n"))
            start = i + 1
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= 2:
        yield start, end


# -- unit gazetteer ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"suffix": [], "collective": [], "not": []}
    current = "suffix"
    raw = resources.files("xieshang.textintel").joinpath("data/units.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CUE = (
    r"(?:要|须|必须|务必|应当|应|抓紧|加快|尽快|立即|迅速|牵头|负责|具体负责|配合|协助|协同|参与|做好|抓好|落实|"
    r"在[^，。；]{2,24}?(?:配合|协助|支持|参与)下|是[^，。；]{0,12}(?:责任主体|第一责任人)|"
    r"确保|力争|争取|于\d|于[一二三四五六七八九十年本今明下]|在\d|在[一二三四五六七八九十年本今明下]|"
    r"进一步|切实|全力|持续|继续|认真|主动|积极|统筹|组织|按照|围绕|会同|联合|分别|共同|一定|"
    r"着力|全面|扎实|深入|加强|强化|推进|推动|开展|完成|建立|制定|研究|牢牢|严格|及时|定期|每月|每季度|"
    r"负总责|承担|对接|督促|指导|履行|加大|提高|提升|优化|实施|启动|安排|形成|拿出|报送|上报|梳理|"
    r"排查|整改|收集|编制|出台|召开|举办|实行|坚持|用好|聚焦|把|将|对|以|和|要在|[：:])"
)
_LEAD_IN = (
    r"(?:\s*[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、|"
    r"第[一二三四五六七八九十]+[，、]?|请|由|要求|责成|督促|同时|另外|此外|其中|会议要求|会议明确|会议强调)?\s*"
)
_JOIN = r"(?:、|和|及|与|以及|会同|联合|协同|、以及)"
# A unit name does not stop where a longer one goes on ("市住房和城乡|建设局", "县|应急管理局").
_GOES_ON = (
    r"(?![^\W\d要在把将对与和及配协会同由、，]{1,6}?"
    r"(?:局|委员会|委|办公室|办|厅|中心|公司|集团|支队|大队)(?=要|须|牵头|负责|配合|协助|参与|会同|[，、]))"
)


@lru_cache(maxsize=32)
def _unit_regex(known: tuple[str, ...]) -> re.Pattern[str]:
    gaz = _gazetteer()
    suffix = _alternation(gaz["suffix"])
    collective = _alternation(gaz["collective"])
    known_alt = _alternation(known) if known else None
    parts = []
    if known_alt:
        parts.append(f"(?:{known_alt})")
    parts.append(f"(?:{collective})(?:[\u4e00-\u9fff]{{0,4}}?(?:{suffix}))?")
    parts.append(
        f"[\u4e00-\u9fffA-Z0-9]{{0,14}}?(?:[（(][^（）()。，；]{{1,10}}[）)][\u4e00-\u9fff]{{0,8}}?)?(?:{suffix})"
    )
    return re.compile("(?:" + "|".join(parts) + ")")


@lru_cache(maxsize=32)
def _task_regexes(
    known: tuple[str, ...],
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    unit = _unit_regex(known).pattern
    unit_list = f"(?P<units>{unit}(?:{_JOIN}{unit}){{0,8}})"
    # A unit list at the start of a clause, followed by what it is to do.
    subject = re.compile(f"(?:^|(?<=[，,：:。；;\n]))\\s*{_LEAD_IN}{unit_list}{_GOES_ON}(?={_CUE})")
    # 由X负责 / 由X牵头, X配合 / 督促X / 责任单位：X anywhere in the sentence.
    by = re.compile(
        f"(?:由|请|责成|督促|要求|交由|委托){unit_list}(?=牵头|负责|主抓|承办|具体|抓|做|落实|组织|完成|在|于|，)"
    )
    partner = re.compile(
        f"(?:配合|会同|联合|协同|协助){unit_list}"
        "(?=做|开展|推进|推动|策划|建立|组织|落实|抓好|完成|加强|办好|实施|优化|对接|研究|制定|打造|举办|共同|"
        "进行|排查|整治|督促|指导|开发|编制|起草|搭建|清理|梳理|完善|提升|修订|解决|处理|化解|筹备|保障|检查|"
        "核查|审核|摸排|收集|调度|监测|宣传|培训|服务|办理|开通|建设|谋划|申报|争取|协调|，|。)"
    )
    labelled = re.compile(
        f"(?:牵头|责任|主责|配合|协办|主办|参与)(?:单位|部门)[:：]\\s*{unit_list}(?=[；;，,。）)\\s]|$)"
    )
    # X要在Y配合下: Y cooperates.
    under = re.compile(f"在{unit_list}的?(?=(?:配合|协助|支持|参与)下)")
    return subject, by, labelled, partner, under


_NOT_START = ("全", "我", "本", "该", "这", "那", "此", "其", "各项", "各类", "各种")
# "3月28日，县政府召开…会，…参加": the opening of minutes, not a deployment.
_NARRATIVE = re.compile(
    r"^\d{1,2}月\d{1,2}日[，,][^。]*?(?:召开|主持|参加|举行)"
    r"|^[^，,。；;：:]{4,40}(?:纪要|讲话|报告|方案|通知|意见|通报)(?:[（(][^）)]*[）)])?$"  # a title line
)
_REPORTED = re.compile(r"(?:增长|下降|回落|增加|减少|提高|降低)[^，,。；;\d]{0,3}\d")
_PAST = re.compile(r"了|已经|已|去年|上年|过去|一年来|五年来|以来|期间|回顾")
_FUTURE = re.compile(
    r"要|须|务必|确保|力争|争取|计划|将|前|年内|牵头|负责|配合|抓紧|加快|尽快|立即|督促|应|下一步|今年|明年"
)
_DEPLOY = re.compile(
    r"要|须|务必|应当|确保|力争|争取|牵头|负责|配合|协助|抓紧|加快|尽快|立即|督促|推进|落实|完成|做好|抓好|"
    r"前|年内|开展|启动|建立|制定|报送|整改|加强|强化|提升|组织"
)


def _split_units(found: str, known: tuple[str, ...]) -> list[str]:
    """Split a matched unit list at its joining words, keeping bracketed names ("各县（市、区）") whole."""
    pattern = _unit_regex(known)
    units: list[str] = []
    pos = 0
    joiner = re.compile(_JOIN)
    while pos < len(found):
        m = pattern.match(found, pos)
        if not m:
            break
        end = m.end()
        # Prefer the longest unit that is followed by a joiner or the end.
        for stop in range(len(found), m.end(), -1):
            piece = found[pos:stop]
            full = pattern.fullmatch(piece)
            if full and (stop == len(found) or joiner.match(found, stop)):
                end = stop
                break
        units.append(found[pos:end])
        j = joiner.match(found, end)
        pos = j.end() if j else end
        if not j:
            break
    return units


_NOT_UNIT_END = ("干部", "全部", "内部", "局部", "外部", "俱乐部", "大部", "细部", "背部", "地区")


# "加快两河圣山旅游景区建设", "推动城市建设": a verb and its object, not a unit in subject position.
_VERB_START = re.compile(
    r"和|与|及|加快|加强|加速|加大|推进|推动|强化|完成|实施|围绕|确保|继续|开创|保护|依法|重点|深化|建设|打造|"
    r"提升|提高|优化|完善|促进|支持|落实|做好|抓好|启动|培育|发展|创建|巩固|扩大|实现|坚持|着力|积极|大力|全力|"
    r"持续|不断|进一步|扎实|少数|部分|不少|一些|服务|开展|构建|健全|规范|整合|引导|鼓励|保障|深入|全面|争创|申报|"
    r"筹建|新建|改造|扶持|壮大|做大|做强|做优|用好|抓住|依托|利用|结合|按照|根据|通过|探索|分(?!局|行|公司|中心)|认真|充分|建强|主动|高质量|不折不扣|纵深|系统|拥有|吸引|助力|协同推进|"
    r"对|向|为|把|将|让|使|以"
)


def _is_unit(name: str) -> bool:
    gaz = _gazetteer()
    if len(name) < 2 or name in gaz["not"] or name.endswith(_NOT_UNIT_END) or _VERB_START.match(name):
        return False
    if re.search(r"向|每|\d", re.sub(r"[（(][^）)]*[）)]", "", name)):
        return False  # "每月5日前向县发改委"
    if name in gaz["collective"] or name.startswith("各"):
        return not name.startswith(("各项", "各类", "各种", "各个", "各方面"))
    if name.startswith(_NOT_START) and not name.endswith(("部门", "单位")):
        return False
    return not re.search(r"[要把将对在于是的了着由]|工作", name[:-1])


# -- deadlines and targets --------------------------------------------------------------------
_CN_DIGIT = "〇零一二三四五六七八九十两"
_DEADLINE = re.compile(
    r"(?P<full>(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|(?P<eom>底|末))(?:前|之前|以前)?)"
    r"|(?P<ym>(?P<y2>\d{4})年(?P<m2>\d{1,2})月(?:份)?(?:前|之前|以前|内))"
    r"|(?P<yend>(?P<y3>\d{4})年(?:底|末|年底)(?:前|之前|以前)?)"
    rf"|(?P<md>[\d{_CN_DIGIT}]{{1,3}}月(?:[\d{_CN_DIGIT}]{{1,3}}[日号]|底|末|中旬|上旬|下旬|份)(?:前|之前|以前|内)?)"
    rf"|(?P<mq>(?:[\d{_CN_DIGIT}]{{1,3}}月|第?[一二三四1-4]季度|上半年|下半年)(?:前|之前|以前|内|末前|底前))"
    r"|(?P<rel>(?:今年|本年度|年度|本年)?年内|(?:今年|明年|本年)?年底前|年末前|(?:今年|明年)年底|本月(?:底前|内)|"
    r"月底前|本季度内|本周内|近期|即日起|限期|(?:\d+|[一二三四五六七八九十两]+)个?(?:工作日|日|天|周|个月|月)内)"
)
_TARGET = re.compile(
    r"(?:增长|提高|提升|下降|降低|减少|达到|达|突破|超过|完成|新增|新建|建成|培育|引进|改造|控制在|保持在|"
    r"实现|新培育|新认定|净增|争创|创建|打造|培训|帮扶|覆盖)"
    r"[\u4e00-\u9fffA-Za-z（）]{0,14}?"
    r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|万亿元|亿元|万元|元|家|个|户|人次|万人|人|万千瓦时|千瓦时|万吨|吨|公里|"
    r"万平方米|平方米|万亩|亩|所|座|套|项|条|辆|张|场|次|批|期|篇|件)"
    r"(?:以上|左右|以内|以下|之内)?"
)


def _deadline(sentence: str) -> str | None:
    m = _DEADLINE.search(sentence)
    if not m:
        return None
    if m.group("full"):
        year, month = int(m.group("y")), int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else _month_end(year, month)
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else m.group(0)
    if m.group("yend"):
        return f"{int(m.group('y3')):04d}-12-31"
    return m.group(0)


def _month_end(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# -- tasks ------------------------------------------------------------------------------------
_ACTION_LEAD = re.compile(
    r"^(?:[，,：:\s]|要|须|必须|务必|应当|应|牵头|负责|具体负责|主抓|承办|配合|协助|一定要|务必要|要在|在|于)+"
)


def extract_tasks(text: str, *, units: Sequence[str] = ()) -> list[TaskItem]:
    """Return the deployed tasks of text in order; each names at least one responsible unit."""
    known = tuple(sorted({u.strip() for u in units if u.strip()}))
    subject, by, labelled, partner, under = _task_regexes(known)
    found: list[TaskItem] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if len(sentence) < 6 or not _DEPLOY.search(sentence):
            continue
        if _PAST.search(sentence) and not _FUTURE.search(sentence):
            continue
        if _NARRATIVE.match(sentence) or (_REPORTED.search(sentence) and not _FUTURE.search(sentence)):
            continue  # the opening of minutes, a title, or figures reported ("X完成…，增长11.2%")
        lists: list[_UnitList] = []
        for regex in (by, labelled, subject, partner, under):
            if regex in (partner, under) and not lists:
                continue
            for m in regex.finditer(sentence):
                split = _split_units(m.group("units"), known)
                names = [u for u in split if _is_unit(u)]
                if names and len(names) == len(split):  # "区政府在市委、市政府和…": not a list of units
                    role = _role(
                        sentence, m.start("units"), m.end("units"), regex, (by, labelled, partner, under)
                    )
                    lists.append(_UnitList(m.start("units"), m.end("units"), names, role))
        if not lists:
            continue
        leads, coops, action_at = _assign(lists)
        found.append(
            TaskItem(
                units=leads,
                action=_action(sentence, action_at.start, action_at.end),
                deadline=_deadline(sentence),
                target=(t.group(0) if (t := _TARGET.search(sentence)) else None),
                evidence=sentence,
                start=start,
                end=end,
                coop_units=coops,
            )
        )
    return found


@dataclass(frozen=True)
class _UnitList:
    start: int
    end: int
    names: list[str]
    role: str  # "lead!" (named as lead), "lead", "helper" (X配合…: lead only when no other unit), "coop"


_HELPER_AFTER = re.compile(r"(?:要|须|应|需|将)?(?:积极|主动|全力|密切|负责)?(?:配合|协助|参与)(?!下)")
_COOP_BEFORE = re.compile(r"(?:会同|联合|协同|(?:配合|协办|参与)(?:单位|部门)[:：]\s*)$")
_LEAD_AFTER = re.compile(r"(?:要|须)?(?:牵头|负责|具体负责|主抓|负总责)")


def _role(
    sentence: str, start: int, end: int, regex: re.Pattern[str], special: tuple[re.Pattern[str], ...]
) -> str:
    """The part a matched unit list plays in its sentence."""
    by, labelled, partner, under = special
    before = sentence[max(0, start - 8) : start]
    if regex is under or (regex in (labelled, partner) and _COOP_BEFORE.search(before)):
        return "coop"
    if regex is by or regex is labelled:
        return "lead!"
    if regex is partner:
        return "lead!"  # X配合Y / X协助Y: Y leads
    if _HELPER_AFTER.match(sentence, end):
        return "helper"
    return "lead!" if _LEAD_AFTER.match(sentence, end) else "lead"


def _assign(lists: list[_UnitList]) -> tuple[list[str], list[str], _UnitList]:
    """Responsible units (named leads first), cooperating units, and the list the action follows."""
    has_lead = any(item.role.startswith("lead") for item in lists)
    ranked = sorted(
        lists,
        key=lambda item: (
            {"lead!": 0, "lead": 1}.get(item.role, 2) if has_lead else 0,
            item.start,
        ),
    )
    leads: list[str] = []
    coops: list[str] = []
    for item in ranked:
        lead = item.role.startswith("lead") or (item.role == "helper" and not has_lead)
        target = leads if lead else coops
        target.extend(n for n in item.names if n not in target)
    coops = [n for n in coops if n not in leads]
    heads = [i for i in lists if i.role.startswith("lead")] or lists
    return leads, coops, min(heads, key=lambda item: item.start)


_PARTNER_CLAUSE = re.compile(r"^[^，,。；;]{2,40}?(?:配合|协助|参与)[，,]")
_UNDER_CLAUSE = re.compile(r"^[^，,。；;]{2,30}?(?:配合|协助|支持|参与)下[，,]?")


def _action(sentence: str, unit_start: int, unit_end: int) -> str:
    before = sentence[:unit_start].rstrip("由请，,：: ")
    after = _ACTION_LEAD.sub("", sentence[unit_end:])
    # "A牵头，B配合，完成X": the cooperating units' clause is not part of the action.
    after = _PARTNER_CLAUSE.sub("", after)
    after = _UNDER_CLAUSE.sub("", after)  # "A要在B配合下，完成X"
    # "X工作由A负责": the work named before the unit is the action.
    action = before if sentence[unit_start - 1 : unit_start] == "由" and len(before) >= 4 else after or before
    action = _DEADLINE.sub("", action)
    action = re.sub(r"^[，,、\s]+|[，,；;。！!\s]+$", "", action)
    action = re.sub(r"[（(](?:牵头|责任|配合)单位[:：][^）)]*[）)]", "", action)
    return action[:80] if action else sentence[:80]


# -- indicators -------------------------------------------------------------------------------
_MEASURE = (
    "个百分点",
    "万亿元",
    "万亿美元",
    "亿元",
    "万元",
    "亿美元",
    "万美元",
    "美元",
    "元",
    "%",
    "％",
    "‰",
    "亿千瓦时",
    "万千瓦时",
    "千瓦时",
    "亿千瓦",
    "万千瓦",
    "千瓦",
    "亿吨",
    "万吨标准煤",
    "吨标准煤",
    "万吨",
    "吨",
    "亿斤",
    "万斤",
    "亿立方米",
    "万立方米",
    "立方米",
    "万平方米",
    "平方米",
    "平方公里",
    "公里",
    "万亩",
    "亩",
    "万公顷",
    "公顷",
    "微克/立方米",
    "万标准箱",
    "亿人次",
    "万人次",
    "人次",
    "万人",
    "人",
    "万户",
    "户",
    "家",
    "名",
    "场次",
    "场",
    "个",
    "项",
    "所",
    "座",
    "套",
    "辆",
    "张",
    "倍",
    "万标箱",
    "万辆",
    "万台",
    "台",
    "万套",
    "万个",
    "万家",
    "万件",
    "件",
    "篇",
    "条",
    "批",
    "万头",
    "头",
    "个工作日",
    "天",
    "万次",
    "次",
    "分",
)
_FIGURE = re.compile(
    # "3%至4%", "3至4%": a range is one figure, its lower bound; "750余万人次" keeps 750.
    r"(?<![\d.A-Za-z第])(?P<num>[-−－+]?\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?:\s*(?:%|％)?\s*(?:至|到|~|～|—|－)\s*(?P<upper>\d+(?:\.\d+)?))?\s*(?:余|多)?\s*(?P<scale>万|亿)?(?:余|多)?(?P<unit>"
    + _alternation(_MEASURE)
    + r")(?![\u4e00-\u9fff]{0,1}(?:年|月|日|届|次会))"
    # "3分钟", "分别" are no scores; "7天内", "10个工作日内" are deadlines, not figures
    r"(?<!分(?=钟|之|别|类|批|级|项))(?<!天(?=内|左右内))(?<!工作日(?=内))"
)
_NEGATIVE_BEFORE = re.compile(
    r"(?:下降|回落|降低|减少|下滑|负增长|缩减|缩小|收窄|拉低|低|减|降|少收|少)(?:了)?$"
)
# "拉低全县增速2.3个百分点", "压减非刚性支出15%", "低于序时进度5.4个百分点": the fall is named before.
_NEGATIVE_GAP = re.compile(
    r"(?:下降|回落|降低|减少|下滑|缩减|缩小|收窄|拉低|压减|低于)(?P<gap>(?:增速|增幅|[^，,；;。\d增升提高至到为达占比率幅]){1,8})$"
)
_BOUND = re.compile(r"不(?:低于|少于|超过|高于)$")
_BOUNDARY = re.compile(r"[，,；;：:。！？（）()“”]")
_REGIONS = (
    r"(?:全国|全省|全市|全区|全县|全旗|全州|我省|我市|我区|我县|本市|本区|本县|[A-Z]\d*[市县区]|"
    r"(?:(?![全我本各占拉比较和与及、增亿省县])[\u4e00-\u9fff]){2,4}"
    r"(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|经开区|开发区|新区)|"
    r"(?:(?![全我本各占拉比较和与及、增亿省县])[\u4e00-\u9fff]){2,5}?(?:省|自治区|市|县(?!区)|区|旗|镇|乡|街道)"
    r"(?![级委属直长内外域]))"
)
_REGION_AT = re.compile(f"^(?:[一二三四五六七八九十]+是|其中|同时|另外)?(?P<region>{_REGIONS})")
_NOT_REGION = re.compile(
    r"(?:地区|社区|园区|小区|辖区|市区|景区|片区|城市|县区|街区|库区|矿区|保护区|城镇|城乡|乡镇|村镇)$"
    r"|^(?:老|主|新|中心|全)?城区$"
    r"|^(?:经济|高新技术产业|经济技术|工业|产业)?开发区$"
)
_PERIOD = re.compile(
    r"(?:(?:\d{4}|今|去|上|本)年)?(?:\d{1,2}\s*[-—–~至到]\s*\d{1,2}月|[1一]\s*[-—–~至到]\s*[\d一二三四五六七八九十]{1,2}月|"
    r"前?[一二三四]季度|上半年|下半年|前三季度|全年|\d{1,2}月份?)|\d{4}年|[“\"]?十[一二三四五]五[”\"]?(?:时期|期间)|今年|去年|上年"
)
_NAME_CUT = re.compile(
    r"(?:由|从|比|较|同比|环比|年均|分别|增长|下降|增加(?!值)|减少|提高|提升|降低|回落|达到|达|完成|实现|为|是|突破|"
    r"超过|占|增至|降至|增加到|提高到|控制在|保持在|居(?!民)|列(?!车)|累计|共计|共(?=\d))"
)
_NAME_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+是|其中|同时|另外|全年|累计|完成|实现|截至|截止|目前|当年|今年|去年|上年|"
    r"预计|初步核算|力争|确保|争取|年内|全市|全区|全县|全省|全国|我市|我区|我县|我省|的|和|及|、|\s)+"
)
_QUANTIFIER = re.compile(
    r"(?:(?:以上|以下|左右|以内)(?=[\u4e00-\u9fff])|(?!以上|以下|左右|以内))(?!高于|低于|分别)(?:的|[\u4e00-\u9fff])(?<![增降减提下回同比较占居排为是达和及与或至到])"
)
_COMPARISON = re.compile(r"^(?:同比)?(?P<what>(?:比|较|高于|低于)[^，。；\d]{1,10}?平均(?:水平|值)?)")
_GROWTH = re.compile(r"(?:增长|下降|增速|回落|提高|降低|增幅|增加|减少)[^，。；]{0,3}$")


def extract_indicators(text: str, *, region: str | None = None) -> list[IndicatorItem]:
    """Return the figures of text in order: region, indicator, signed value, unit and period."""
    default_region = region or _own_region(text)
    found: list[IndicatorItem] = []
    heading = (
        ""  # "（二）东岭镇。" or "东岭镇：" opening a paragraph: its region holds to the paragraph's end
    )
    previous = 0
    own_line = False
    for start, end in sentences(text):
        sentence = text[start:end]
        if "\n" in text[previous:start]:
            heading = heading if own_line else ""  # a heading on its own line holds for the next paragraph
            own_line = False
        previous = end
        named = _HEADING.fullmatch(sentence)
        if named and not _NOT_REGION.search(named.group("region")):
            heading = _own_name(named.group("region"), default_region)
            own_line = True
            continue
        if not any(ch.isdigit() for ch in sentence):
            continue
        # The sentence's subject ("河口镇要…，力争复产率达到80%") holds for its later clauses.
        subjects = _subject_regions(sentence, default_region)
        if subjects and re.match(r"[：:]", _SUBJECT_LEAD.sub("", sentence, count=1)[len(subjects[0]) :]):
            heading = subjects[0]
        current_region = subjects[0] if subjects else heading or default_region
        series: list[str] = []  # "城关镇、白沙镇…分别增长12.6%和9.8%": one region a figure, in order
        in_series = 0
        # "红石镇、青山乡…均下降10%以上", "桃源镇、石门乡要…，力争…增长10%": the figure holds for each region
        every = len(subjects) > 1
        if every:
            series = subjects
        last_name = ""
        previous_end = 0
        previous_sign = 1.0
        previous_unit = ""
        for m in _FIGURE.finditer(sentence):
            if (
                (_QUANTIFIER.match(sentence, m.end()) and not _LEVEL_AFTER.match(sentence, m.end()))
                or _CODE_NOUN.match(sentence, m.end())
                or _QUOTED.match(sentence, m.end())
            ):
                continue  # "5家停产企业", "500万元以上项目": a count of things, not a figure
            clause_start = _clause_start(sentence, m.start())
            prefix_start = max(clause_start, previous_end)
            prefix = sentence[prefix_start : m.start()]
            joined = previous_end > 0 and prefix.strip() in ("、", "和", "及", "与", "或", "")
            previous_end = m.end()
            clause = sentence[clause_start : m.start()]
            comparison = _COMPARISON.match(clause)
            listed = None if comparison else _REGION_LIST.match(_strip_period(clause))
            explicit = None if comparison else _REGION_AT.match(_strip_period(clause))
            if _FREQUENCY.search(re.split(r"[，,；;。]", sentence[: m.start()])[-1]):
                continue  # "每季度调研不少于2次": how often, not an indicator
            if listed and prefix_start == clause_start and ("分别" in clause or "均" in clause):
                series = [
                    _own_name(r, default_region) for r in re.split(r"[、和及与]", listed.group("regions"))
                ]
                in_series = 0
                every = "均" in clause and "分别" not in clause
            elif (
                explicit and not _NOT_REGION.search(explicit.group("region")) and prefix_start == clause_start
            ):
                current_region = _own_name(explicit.group("region"), default_region)
                series = []
            else:
                other = _OBJECT_REGION.search(prefix)
                if other:  # "拉低全县增速2.3个百分点": the figure is the whole area's
                    current_region = _own_name(other.group("region"), default_region)
                    series = []
            if comparison and last_name:
                name = f"{last_name}{comparison.group('what')}"
            elif comparison:
                name = comparison.group("what")
            else:
                name = _indicator_name(prefix if prefix_start > clause_start else clause) or last_name
            if not name and not clause.strip():
                name = _name_after(sentence, m.end())  # "96户、183人实现全部脱贫"
            if not name:
                continue
            last_name = name
            unit = "%" if m.group("unit") == "％" else (m.group("scale") or "") + m.group("unit")
            value = float(m.group("num").replace(",", "").replace("−", "-").replace("－", "-"))
            before = sentence[max(0, m.start() - 6) : m.start()]
            lower = comparison and (comparison.group("what").startswith("低于") or clause.endswith("低"))
            falls = _NEGATIVE_BEFORE.search(before) or lower or _NEGATIVE_GAP.search(prefix)
            if value > 0 and _BOUND.search(prefix):
                falls = None
            if value > 0 and (falls or (joined and previous_sign < 0 and unit == previous_unit)):
                value = -value
            previous_sign = -1.0 if value < 0 else 1.0
            previous_unit = unit
            if (
                unit in ("%", "个百分点")
                and _GROWTH.search(prefix)
                and not name.endswith(("率", "比重", "增速"))
            ):
                name = f"{name}增速"
            regions = [current_region]
            if series and every:
                regions = series
            elif series:
                regions = [series[in_series % len(series)]]
                in_series += 1
            period = _period(sentence[: m.start()])
            found.extend(
                IndicatorItem(
                    region=where,
                    indicator=name,
                    value=value,
                    unit=unit,
                    period=period,
                    evidence=sentence,
                    start=start,
                    end=end,
                )
                for where in regions
            )
    return found


# "控制在3.9%的较低水平", "183人实现脱贫": a level or a count doing something, not things counted.
_LEVEL_AFTER = re.compile(
    r"的(?:较|水平|高位|低位|历史|新高|新低|目标|增长|增幅|增速|降幅|下降|回落)"
    r"|(?:实现|完成|达到|受益|脱贫|参加|参与|获得)"
)


def _name_after(sentence: str, pos: int) -> str:
    """The name that follows figures at the start of a clause."""
    tail = re.split(r"[，,；;。：:（）()]", sentence[pos:], maxsplit=1)[0]
    tail = re.sub(r"^[、和及与]\s*\d+(?:\.\d+)?(?:" + _alternation(_MEASURE) + ")", "", tail)
    tail = tail.lstrip("、和及与 ")
    chinese = len(re.findall(r"[\u4e00-\u9fff]", tail))
    return tail[:16] if chinese >= 2 and not re.search(r"\d", tail) else ""


_QUOTED = re.compile(r"[”\"」』]")  # “21条”: a name, not a figure
_CODE_NOUN = re.compile(r"[0-9A-Za-z]+[\u4e00-\u9fff]")  # "4个4S店", "3个5G基站": things counted
_FREQUENCY = re.compile(r"每(?:年|半年|季度|个?季|个?月|半月|周|旬|天|日)")
_REGION_LIST = re.compile(
    f"^(?:[一二三四五六七八九十]+是|其中|同时|另外)?(?P<regions>{_REGIONS}(?:[、和及与]{_REGIONS})+)"
)
# A region that is the object of a verb: the figure after it is that region's ("拉低全县增速").
_OBJECT_REGION = re.compile(r"(?:拉低|拉高|拉动|带动)(?P<region>全(?:国|省|市|区|县|旗|州))[^，,；;\d]{0,6}$")
_HEADING = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])?\s*"
    rf"(?P<region>{_REGIONS})[。.：:]?"
)
_SUBJECT_LEAD = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])?\s*"
)


def _subject_regions(sentence: str, default: str) -> list[str]:
    """The regions a sentence opens with, followed by what they are to do ("河口镇要…", "A镇、B乡要…")."""
    head = _SUBJECT_LEAD.sub("", sentence, count=1)
    m = _REGION_LIST.match(head) or _REGION_AT.match(head)
    if not m:
        return []
    names = re.split(r"[、和及与]", m.group(m.lastgroup or 0))
    if any(_NOT_REGION.search(n) for n in names):
        return []
    after = r"(?:管委会|管理委员会|人民政府|政府|党委|党工委)?(?:要|须|应|务必|力争|确保|争取|必须|[，,：:])"
    if not re.match(after, head[m.end() :]):
        return []
    return [_own_name(n, default) for n in names]


def _own_region(text: str) -> str:
    """全X most named in the text; else the level of the units it addresses ("市发改委" → 全市)."""
    levels = Counter(
        "全" + m.group(1)
        for m in re.finditer(r"(?<![\u4e00-\u9fff])([省市县区旗])[\u4e00-\u9fff]{1,8}?(?:局|委|办|厅)", text)
    )
    if levels:  # a city's minutes may name 全省 more often than 全市; its units say whose they are
        return levels.most_common(1)[0][0]
    counts = Counter(re.findall(r"全(?:国|省|市|区|县|旗|州)", text))
    return counts.most_common(1)[0][0] if counts else ""


def _own_name(name: str, default: str) -> str:
    """The speaker's own area under its name: 我区/本区/全区 in a district's report are the district."""
    if not default:
        return name
    if name in ("我省", "我市", "我区", "我县", "本市", "本区", "本县"):
        return default
    if len(name) == 2 and name[0] in "全我本" and not default.startswith("全") and default.endswith(name[1]):
        return default
    return name


def _clause_start(sentence: str, pos: int) -> int:
    for i in range(pos - 1, -1, -1):
        if _BOUNDARY.match(sentence[i]):
            return i + 1
    return 0


def _strip_period(clause: str) -> str:
    return re.sub(r"^(?:" + _PERIOD.pattern + r")[，,]?", "", clause.strip())


def _indicator_name(prefix: str) -> str:
    name = _strip_period(prefix)
    region = _REGION_AT.match(name)
    if region and not _NOT_REGION.search(region.group("region")):
        name = name[region.end() :]
    name = _NAME_LEAD.sub("", name)
    cut = _NAME_CUT.search(name)
    if cut:
        rest = name[cut.end() :]
        name = name[: cut.start()]
        if len(name.strip("仅只已还共约近超 ")) < 2 and cut.group(0) in ("完成", "达到", "达", "占"):
            name = rest  # "仅完成年度任务的38%": the figure is a share of the yearly task
    name = re.sub(r"(?:" + _PERIOD.pattern + r")$", "", name)
    name = name.strip("的和及、 \t")
    if len(re.findall(r"[\u4e00-\u9fff]", name)) < 2 or len(name) > 24:
        return ""
    return name


def _period(before: str) -> str | None:
    found = list(_PERIOD.finditer(before))
    return found[-1].group(0).strip('“”"') if found else None


# -- both -------------------------------------------------------------------------------------
def extract(
    text: str, *, units: Sequence[str] = (), region: str | None = None
) -> list[TaskItem | IndicatorItem]:
    """Return tasks and figures in text order; `units` are preferred unit names, `region` the speaker's."""
    items: list[TaskItem | IndicatorItem] = [
        *extract_tasks(text, units=units),
        *extract_indicators(text, region=region),
    ]
    items.sort(key=lambda item: (item.start, isinstance(item, IndicatorItem)))
    return items


# -- documents ---------------------------------------------------------------------------------
MAX_BYTES = 20 * 1024 * 1024
SCANNED_PDF = "该 PDF 没有可提取的文字（可能是扫描件），请上传文字版或 .txt/.docx"


def read_document(path: str | Path) -> str:
    """Return the text of a .txt, .docx or .pdf file; raise InputError for anything unusable."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"找不到文件 / file not found: {file}")
    size = file.stat().st_size
    if size == 0:
        raise InputError(f"文件为空 / the file is empty: {file}")
    if size > MAX_BYTES:
        raise InputError(
            f"文件过大（{size / 1024 / 1024:.0f} MB，上限 {MAX_BYTES // 1024 // 1024} MB），请拆分后上传 / "
            f"file too large: {file}"
        )
    suffix = file.suffix.lower()
    if suffix == ".docx":
        text = _docx(file)
    elif suffix == ".pdf":
        text = _pdf(file)
    elif suffix in (".doc", ".wps", ".xls", ".xlsx", ".ppt", ".pptx"):
        raise InputError(f"不支持的文件类型 {suffix}，请另存为 .docx 或 .txt / unsupported file type: {file}")
    else:
        text = _plain(file.read_bytes(), file)
    if not text.strip():
        raise InputError(f"文件没有文字内容 / the file has no text: {file}")
    return text


def _plain(raw: bytes, file: Path) -> str:
    if b"\x00" in raw:
        raise _binary(file)
    text = None
    for encoding in ("utf-8-sig", *ENCODINGS):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise _binary(file)
    # GB18030 decodes almost any bytes; control and private-use characters betray a binary file.
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    if odd > max(3, len(text) // 100):
        raise _binary(file)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary(file: Path) -> InputError:
    return InputError(
        f"无法识别为文字文件，请上传 UTF-8/GB18030 的 .txt、.docx 或 .pdf / not a text document: {file}"
    )


def _docx(file: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(file))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InputError(
            f"无法打开 .docx 文件（文件损坏或不是 Word 文档）/ cannot open {file}: {error}"
        ) from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(file: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(file))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError, KeyError) as error:
        raise InputError(f"无法打开 PDF 文件（文件损坏或已加密）/ cannot open {file}: {error}") from error
    text = "\n".join(pages)
    if len("".join(text.split())) < 10:
        raise InputError(SCANNED_PDF)
    return text
