"""Deployed tasks and indicator figures in Chinese speeches, work reports and minutes (.txt, .docx, .pdf).

Rules over sentences, offline: a task is a sentence that deploys work (要/须/确保/力争/牵头/负责 …)
to a named responsible unit (a unit in subject position, 由X负责, X牵头, 督促X, 责任单位：X);
sentences whose subject is only implicit ("we") are left out because a ledger line needs a unit.
A figure is an Arabic number with a measure unit (%, 亿元, 家 …) that follows an indicator name.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from xieshang.textintel.tables import ENCODINGS, InputError


@dataclass(frozen=True)
class TaskItem:
    """A deployed task: responsible units (lead first), action, deadline, target and its sentence."""

    units: list[str]
    action: str
    deadline: str | None
    target: str | None
    evidence: str
    start: int
    end: int


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
    r"(?:要|须|必须|务必|应当|应|抓紧|加快|尽快|立即|迅速|牵头|负责|具体负责|配合|协助|协同|做好|抓好|落实|"
    r"确保|力争|争取|于\d|于[一二三四五六七八九十年本今明下]|在\d|在[一二三四五六七八九十年本今明下]|"
    r"进一步|切实|全力|持续|继续|认真|主动|积极|统筹|组织|按照|围绕|会同|联合|分别|共同|一定|"
    r"着力|全面|扎实|深入|加强|强化|推进|推动|开展|完成|建立|制定|研究|牢牢|严格|及时|定期|每月|每季度|"
    r"负总责|承担|对接|督促|指导|履行|加大|提高|提升|优化|建设|实施|启动|安排|形成|拿出|报送|上报|梳理|"
    r"排查|整改|收集|编制|出台|召开|举办|实行|坚持|用好|聚焦|把|将|对|以|和|要在|[：:])"
)
_LEAD_IN = (
    r"(?:\s*[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、|"
    r"第[一二三四五六七八九十]+[，、]?|请|由|要求|责成|督促|同时|另外|此外|其中|会议要求|会议明确|会议强调)?\s*"
)
_JOIN = r"(?:、|和|及|与|以及|会同|联合|协同|、以及)"


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
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    unit = _unit_regex(known).pattern
    unit_list = f"(?P<units>{unit}(?:{_JOIN}{unit}){{0,8}})"
    # A unit list at the start of a clause, followed by what it is to do.
    subject = re.compile(f"(?:^|(?<=[，,：:。；;\n]))\\s*{_LEAD_IN}{unit_list}(?={_CUE})")
    # 由X负责 / 由X牵头, X配合 / 督促X / 责任单位：X anywhere in the sentence.
    by = re.compile(
        f"(?:由|请|责成|督促|要求|交由|委托){unit_list}(?=牵头|负责|主抓|承办|具体|抓|做|落实|组织|完成|在|于|，)"
    )
    partner = re.compile(
        f"(?:配合|会同|联合|协同|协助){unit_list}(?=做好|开展|推进|策划|建立|组织|落实|抓好|完成|，|。)"
    )
    labelled = re.compile(f"(?:牵头|责任|主责|配合|协办|主办)(?:单位|部门)[:：]\\s*{unit_list}")
    return subject, by, labelled, partner


_NOT_START = ("全", "我", "本", "该", "这", "那", "此", "其", "各项", "各类", "各种")
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


def _is_unit(name: str) -> bool:
    gaz = _gazetteer()
    if len(name) < 2 or name in gaz["not"]:
        return False
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
    subject, by, labelled, partner = _task_regexes(known)
    found: list[TaskItem] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if len(sentence) < 6 or not _DEPLOY.search(sentence):
            continue
        if _PAST.search(sentence) and not _FUTURE.search(sentence):
            continue
        lists: list[tuple[int, int, list[str], bool]] = []
        for regex, lead in ((by, True), (labelled, False), (subject, False), (partner, False)):
            if regex is partner and not lists:
                continue
            for m in regex.finditer(sentence):
                names = [u for u in _split_units(m.group("units"), known) if _is_unit(u)]
                if names:
                    is_lead = lead or sentence[m.end("units") : m.end("units") + 2] in ("牵头", "负责")
                    lists.append((m.start("units"), m.end("units"), names, is_lead))
        if not lists:
            continue
        lists.sort(key=lambda item: (not item[3], item[0]))
        ordered: list[str] = []
        for _, _, names, _ in lists:
            ordered.extend(n for n in names if n not in ordered)
        first = min(lists, key=lambda item: item[0])
        found.append(
            TaskItem(
                units=ordered,
                action=_action(sentence, first[0], first[1]),
                deadline=_deadline(sentence),
                target=(t.group(0) if (t := _TARGET.search(sentence)) else None),
                evidence=sentence,
                start=start,
                end=end,
            )
        )
    return found


_PARTNER_CLAUSE = re.compile(r"^[^，,。；;]{2,40}?(?:配合|协助)[，,]")


def _action(sentence: str, unit_start: int, unit_end: int) -> str:
    before = sentence[:unit_start].rstrip("由请，,：: ")
    after = _ACTION_LEAD.sub("", sentence[unit_end:])
    # "A牵头，B配合，完成X": the cooperating units' clause is not part of the action.
    after = _PARTNER_CLAUSE.sub("", after)
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
    "万千瓦",
    "千瓦",
    "万吨",
    "吨",
    "万平方米",
    "平方米",
    "平方公里",
    "公里",
    "万亩",
    "亩",
    "公顷",
    "万人次",
    "人次",
    "万人",
    "人",
    "万户",
    "户",
    "家",
    "名",
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
)
_FIGURE = re.compile(
    r"(?<![\d.A-Za-z第])(?P<num>[-−－+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>"
    + _alternation(_MEASURE)
    + r")(?![\u4e00-\u9fff]{0,1}(?:年|月|日|届|次会))"
)
_NEGATIVE_BEFORE = re.compile(r"(?:下降|回落|降低|减少|下滑|负增长|缩减|缩小|收窄|低|减|降)(?:了)?$")
_BOUNDARY = re.compile(r"[，,；;：:。！？（）()“”]")
_REGIONS = (
    r"(?:全国|全省|全市|全区|全县|全旗|全州|我省|我市|我区|我县|本市|本区|本县|[A-Z]\d*[市县区]|"
    r"[\u4e00-\u9fff]{2,5}?(?:省|自治区|市|县|区|旗|镇|乡|街道))"
)
_REGION_AT = re.compile(f"^(?:[一二三四五六七八九十]+是|其中|同时|另外)?(?P<region>{_REGIONS})")
_NOT_REGION = re.compile(
    r"(?:地区|城区|社区|园区|小区|辖区|市区|景区|片区|新城区|开发区|城市|县区|街区|库区|矿区|保护区)$"
)
_PERIOD = re.compile(
    r"(?:(?:\d{4}|今|去|上|本)年)?(?:\d{1,2}\s*[-—–~至到]\s*\d{1,2}月|[1一]\s*[-—–~至到]\s*[\d一二三四五六七八九十]{1,2}月|"
    r"前?[一二三四]季度|上半年|下半年|前三季度|全年|\d{1,2}月份?)|\d{4}年|[“\"]?十[一二三四五]五[”\"]?(?:时期|期间)|今年|去年|上年"
)
_NAME_CUT = re.compile(
    r"(?:由|从|比|较|同比|环比|年均|分别|增长|下降|增加(?!值)|减少|提高|提升|降低|回落|达到|达|完成|实现|为|是|突破|"
    r"超过|占|增至|降至|增加到|提高到|控制在|保持在|居|列|累计|共计|共)"
)
_NAME_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+是|其中|同时|另外|全年|累计|完成|实现|截至|截止|目前|当年|今年|去年|上年|"
    r"预计|初步核算|力争|确保|争取|年内|全市|全区|全县|全省|全国|我市|我区|我县|我省|的|和|及|、|\s)+"
)
_QUANTIFIER = re.compile(
    r"(?:(?:以上|以下|左右|以内)(?=[\u4e00-\u9fff])|(?!以上|以下|左右|以内))(?:的|[\u4e00-\u9fff])(?<![增降减提下回同比较占居排为是达高低分])"
)
_COMPARISON = re.compile(r"^(?:同比)?(?P<what>(?:比|较|高于|低于)[^，。；\d]{1,10}?平均(?:水平|值)?)")
_GROWTH = re.compile(r"(?:增长|下降|增速|回落|提高|降低|增幅|增加|减少)[^，。；]{0,3}$")


def extract_indicators(text: str, *, region: str | None = None) -> list[IndicatorItem]:
    """Return the figures of text in order: region, indicator, signed value, unit and period."""
    default_region = region or _own_region(text)
    found: list[IndicatorItem] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if not any(ch.isdigit() for ch in sentence):
            continue
        current_region = default_region
        last_name = ""
        previous_end = 0
        for m in _FIGURE.finditer(sentence):
            if _QUANTIFIER.match(sentence, m.end()):
                continue  # "5家停产企业", "500万元以上项目": a count of things, not a figure
            clause_start = _clause_start(sentence, m.start())
            prefix_start = max(clause_start, previous_end)
            prefix = sentence[prefix_start : m.start()]
            previous_end = m.end()
            clause = sentence[clause_start : m.start()]
            comparison = _COMPARISON.match(clause)
            explicit = None if comparison else _REGION_AT.match(_strip_period(clause))
            if explicit and not _NOT_REGION.search(explicit.group("region")):
                current_region = _own_name(explicit.group("region"), default_region)
            if comparison and last_name:
                name = f"{last_name}{comparison.group('what')}"
            elif comparison:
                name = comparison.group("what")
            else:
                name = _indicator_name(prefix if prefix_start > clause_start else clause) or last_name
            if not name:
                continue
            last_name = name
            unit = "%" if m.group("unit") == "％" else m.group("unit")
            value = float(m.group("num").replace(",", "").replace("−", "-").replace("－", "-"))
            before = sentence[max(0, m.start() - 6) : m.start()]
            lower = comparison and (comparison.group("what").startswith("低于") or clause.endswith("低"))
            if value > 0 and (_NEGATIVE_BEFORE.search(before) or lower):
                value = -value
            if (
                unit in ("%", "个百分点")
                and _GROWTH.search(prefix)
                and not name.endswith(("率", "比重", "增速"))
            ):
                name = f"{name}增速"
            found.append(
                IndicatorItem(
                    region=current_region,
                    indicator=name,
                    value=value,
                    unit=unit,
                    period=_period(sentence[: m.start()]),
                    evidence=sentence,
                    start=start,
                    end=end,
                )
            )
    return found


def _own_region(text: str) -> str:
    counts = Counter(re.findall(r"全(?:国|省|市|区|县|旗|州)", text))
    return counts.most_common(1)[0][0] if counts else ""


def _own_name(name: str, default: str) -> str:
    if name in ("我省", "我市", "我区", "我县", "本市", "本区", "本县") and default:
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
        name = name[: cut.start()]
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
