"""Reply quality: relevance, completeness, concreteness and timeliness, each with its reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from xieshang.textintel import segment

# A sentence asks for something when it carries one of these markers.
_REQUEST = re.compile(
    r"希望|建议|要求|请求|恳请|恳求|呼吁|请|能否|可否|是否|何时|什么时候|为什么|为何|怎么|如何|[?？]"
)
# Concrete replies name measures taken, figures, dates and who is responsible.
_CONCRETE = {
    "措施": re.compile(
        r"已(?:经)?(?:完成|责令|安排|协调|督促|要求|组织|启动|开展|下发|拆除|整改|维修|修复|清理|立案|查处|处理|约谈|更换|落实)"
        r"|将(?:于|在)?|责令|限期|整改|拆除|维修|修复|清理|立案|查处|罚款|约谈"
    ),
    "数字": re.compile(
        r"\d+(?:\.\d+)?\s*(?:元|万元|亿元|米|公里|平方米|亩|户|人|个|台|辆|天|小时|%|％|栋|处|条|吨)"
    ),
    "日期": re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|\d{1,2}月底|\d{1,2}月份|年底|月底前|日前|工作日"),
    "责任人": re.compile(
        r"负责人|联系人|联系电话|电话[:：]?\s*\d|\d{7,}|[\u4e00-\u9fff]{1,3}(?:先生|女士|同志|科长|主任|局长|队长)"
    ),
}
_BOILERPLATE = re.compile(
    r"感谢您?对我们工作的(?:信任|支持|关心)|已收悉|现(?:将|就)?.{0,12}答复如下|您好|网友"
)

# Working rule: a message should be answered within 15 days; after 60 days the reply is late.
ON_TIME_DAYS = 15
LATE_DAYS = 60


@dataclass
class ReplyScore:
    """Scores in [0, 1] (timeliness None when dates are missing) with the reasons for each."""

    relevance: float
    completeness: float
    concreteness: float
    timeliness: float | None
    reasons: dict[str, list[str]] = field(default_factory=dict)

    @property
    def overall(self) -> float:
        """Return the mean of the available scores."""
        parts = [self.relevance, self.completeness, self.concreteness]
        if self.timeliness is not None:
            parts.append(self.timeliness)
        return round(sum(parts) / len(parts), 4)


def recommendations(question: str) -> list[str]:
    """Return the sentences of a proposal or message that ask for something."""
    found = [s for s in segment.sentences(question) if _REQUEST.search(s) and len(s) >= 6]
    return found or segment.sentences(question)[-1:]


def _covered(keys: list[str], reply_words: set[str], reply: str) -> list[str]:
    return [k for k in keys if k in reply_words or k in reply]


def score_reply(
    question: str, reply: str, asked: datetime | None = None, replied: datetime | None = None
) -> ReplyScore:
    """Score a reply against its question; every score comes with human-readable reasons."""
    reasons: dict[str, list[str]] = {}
    reply_words = set(segment.words(reply))

    keys = segment.keywords(question, k=10)
    hit = _covered(keys, reply_words, reply)
    relevance = len(hit) / len(keys) if keys else 0.0
    missed = [k for k in keys if k not in hit]
    reasons["relevance"] = [f"回复提及问题要点：{'、'.join(hit) or '无'}"]
    if missed:
        reasons["relevance"].append(f"未提及：{'、'.join(missed)}")

    asks = recommendations(question)
    answered = 0
    reasons["completeness"] = []
    for ask in asks:
        ask_keys = segment.keywords(ask, k=5)
        # Answered when the reply takes up at least two in five of the request's key words.
        ok = bool(ask_keys) and len(_covered(ask_keys, reply_words, reply)) * 5 >= 2 * len(ask_keys)
        answered += ok
        mark = "已回应" if ok else "未回应"
        reasons["completeness"].append(f"{mark}：{ask[:40]}")
    completeness = answered / len(asks) if asks else 0.0

    found: dict[str, list[str]] = {}
    for kind, pattern in _CONCRETE.items():
        matches = sorted({m.group(0) for m in pattern.finditer(reply)})
        if matches:
            found[kind] = matches[:4]
    body = _BOILERPLATE.sub("", reply)
    # Four kinds of evidence, and a reply of fewer than 60 characters beyond the formulas is thin.
    concreteness = len(found) / len(_CONCRETE) * min(1.0, len(body) / 60)
    reasons["concreteness"] = [f"{kind}：{'、'.join(v)}" for kind, v in found.items()]
    absent = [kind for kind in _CONCRETE if kind not in found]
    if absent:
        reasons["concreteness"].append(f"缺少：{'、'.join(absent)}")
    if len(body) < 60:
        reasons["concreteness"].append(f"除套话外仅 {len(body)} 字")

    timeliness: float | None = None
    if asked is not None and replied is not None:
        days = (replied - asked).total_seconds() / 86400
        if days < 0:
            timeliness = 0.0
            reasons["timeliness"] = [f"答复时间早于提出时间（{days:.1f} 天），日期有误"]
        else:
            timeliness = (
                1.0
                if days <= ON_TIME_DAYS
                else max(0.0, 1 - (days - ON_TIME_DAYS) / (LATE_DAYS - ON_TIME_DAYS))
            )
            reasons["timeliness"] = [
                f"用时 {days:.1f} 天（{ON_TIME_DAYS} 天内为按时，{LATE_DAYS} 天以上为超期）"
            ]
    else:
        reasons["timeliness"] = ["缺少提出或答复日期"]
    return ReplyScore(
        relevance=round(relevance, 4),
        completeness=round(completeness, 4),
        concreteness=round(concreteness, 4),
        timeliness=None if timeliness is None else round(timeliness, 4),
        reasons=reasons,
    )
