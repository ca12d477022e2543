"""Demo data: a questionnaire with answers, through the services like the rest of the demo."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from xieshang.conferences.models import Conference
from xieshang.people.models import User

from . import survey as svc
from .models import Deliberation, Survey

A = svc.AnswerInput
SUGGESTIONS = [
    "希望社区日间照料中心延长开放时间，周末也能照顾老人。",
    "社区食堂价格再优惠一些，给高龄老人送餐上门。",
    "老年助餐点太少，建议每个社区至少一个助餐点。",
    "上门护理服务要规范收费，公布服务清单。",
    "护理人员流动大，建议加强培训和待遇保障。",
    "老旧小区没有电梯，老人下楼难，建议加快加装电梯。",
    "加装电梯资金分摊难，希望政府加大补贴力度。",
    "希望社区卫生服务中心提供家庭医生上门服务。",
    "家庭医生签约后很少联系，建议定期随访。",
    "智能手机用不来，办事挂号希望保留人工窗口。",
    "建议开设老年人智能手机使用培训班。",
    "社区文体活动室太小，希望增加老年活动场地。",
]
MEMBER_NOTES = [
    "建议把养老服务纳入年度重点协商议题。",
    "可以组织委员到先进地区考察社区嵌入式养老。",
    "",
]


def _window(days_before: int, days_after: int) -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now - dt.timedelta(days=days_before), now + dt.timedelta(days=days_after)


def _elderly_care(conference: Conference, staff: User) -> Survey:
    opens_at, closes_at = _window(3, 14)
    topic = Deliberation.objects.filter(conference=conference).first()
    survey = svc.create_survey(
        staff,
        conference,
        svc.SurveyInput(
            title="社区养老服务需求问卷调查",
            intro=(
                "为做好“推进社区居家养老服务”专题协商，市政协开展本次问卷调查，约需 3 分钟。"
                "问卷匿名，结果仅用于调研。"
            ),
            opens_at=opens_at,
            closes_at=closes_at,
            for_members=True,
            for_public=True,
            deliberation_id=topic.pk if topic else None,
        ),
    )
    q1 = svc.add_question(
        staff,
        survey,
        svc.QuestionInput("single", "您家中是否有 60 岁以上的老人？", choices=["有", "没有"]),
    )
    svc.add_question(
        staff,
        survey,
        svc.QuestionInput(
            "multiple",
            "老人最需要哪些社区养老服务？（最多选 3 项）",
            choices=["助餐送餐", "日间照料", "上门护理", "医疗康复", "文体活动", "精神慰藉"],
            max_choices=3,
        ),
    )
    svc.add_question(
        staff,
        survey,
        svc.QuestionInput(
            "scale", "您对所在社区养老服务的满意度", scale_max=5, low_label="很不满意", high_label="很满意"
        ),
    )
    q4 = svc.add_question(
        staff,
        survey,
        svc.QuestionInput("single", "您愿意为社区养老服务付费吗？", choices=["愿意", "视价格而定", "不愿意"]),
    )
    svc.add_question(
        staff,
        survey,
        svc.QuestionInput("text", "您对社区养老服务还有哪些意见建议？", required=False, text_limit=500),
    )
    # Households without elderly people skip the needs and satisfaction questions.
    svc.set_jumps(staff, q1, {q1.choices.get(label="没有").pk: str(q4.pk)})
    survey.refresh_from_db()
    return svc.open_survey(staff, survey)


def _answers(survey: Survey, rng: random.Random, text: str) -> dict[int, svc.AnswerInput]:
    q1, q2, q3, q4, q5 = svc.questions_of(survey)
    options = list(q2.choices.all())
    weights = [5, 4, 3, 4, 1, 2]
    has_elder = rng.random() < 0.8
    answers = {q1.pk: A(choice_ids=[q1.choices.all()[0 if has_elder else 1].pk])}
    if has_elder:
        chosen: set[int] = set()
        while len(chosen) < rng.randint(1, 3):
            chosen.add(rng.choices(options, weights=weights)[0].pk)
        answers[q2.pk] = A(choice_ids=sorted(chosen))
        answers[q3.pk] = A(scale=rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0])
    answers[q4.pk] = A(choice_ids=[rng.choices(list(q4.choices.all()), weights=[4, 5, 1])[0].pk])
    if text:
        answers[q5.pk] = A(text=text)
    return answers


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """A questionnaire sent to members and the public, with some answers; the first member (the demo
    login) has still to answer it."""
    if Survey.objects.filter(conference=conference).exists():
        return
    rng = random.Random(2026)
    survey = _elderly_care(conference, staff)
    for member in members[1:19]:
        svc.submit_response(member, survey, _answers(survey, rng, rng.choice(MEMBER_NOTES)))
    public = AnonymousUser()
    for i in range(30):
        text = SUGGESTIONS[i % len(SUGGESTIONS)] if i < 24 else ""
        svc.submit_response(public, survey, _answers(survey, rng, text), client=f"demo-{i}")
