"""Demo data for study, through the services like the rest of the demo."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.activities import services as activities
from xieshang.conferences.models import Conference
from xieshang.people.models import User

from . import study_services as study
from .models import Audience, Question, QuizMode

# (kind, text, options, correct indexes, explanation, tags)
QUESTIONS: list[tuple[str, str, list[str], list[int], str, str]] = [
    (
        "single",
        "中国人民政治协商会议是什么性质的组织？",
        ["国家权力机关", "中国人民爱国统一战线的组织", "国家行政机关", "社会团体"],
        [1],
        "政协章程总纲：中国人民政治协商会议是中国人民爱国统一战线的组织，是中国共产党领导的多党合作和政治协商的重要机构。",
        "政协章程,理论",
    ),
    (
        "multiple",
        "人民政协的主要职能包括哪些？",
        ["政治协商", "民主监督", "参政议政", "行政审批"],
        [0, 1, 2],
        "人民政协的主要职能是政治协商、民主监督、参政议政。",
        "政协章程,职能",
    ),
    (
        "true_false",
        "提案是政协委员和参加政协的各党派、人民团体向政协全体会议或常务委员会提出的书面意见和建议。",
        [],
        [0],
        "这是提案工作条例对提案的定义。",
        "提案",
    ),
    (
        "single",
        "政协委员对提案办理结果不满意时，可以怎么做？",
        [
            "重新提交同一提案",
            "提出意见，由提案委员会协商承办单位重新办理",
            "直接向法院起诉",
            "不能再提出意见",
        ],
        [1],
        "委员对办理结果不满意的，可以提出意见，提案委员会协商承办单位重新办理。",
        "提案",
    ),
    (
        "multiple",
        "社情民意信息应当做到哪些？",
        ["反映情况真实", "问题具体", "建议可行", "篇幅越长越好"],
        [0, 1, 2],
        "社情民意信息贵在真、实、新、短。",
        "社情民意",
    ),
    (
        "true_false",
        "政协委员可以不经请假缺席全体会议。",
        [],
        [1],
        "委员因故不能出席会议，应当事先请假。",
        "履职",
    ),
    (
        "single",
        "“协商于决策之前和决策实施之中”体现的是哪一原则？",
        ["事后监督", "协商在前", "先决策后协商", "只协商不决策"],
        [1],
        "把协商民主贯穿履行职能全过程，坚持协商于决策之前和决策实施之中。",
        "理论,协商民主",
    ),
    (
        "multiple",
        "委员履职档案通常记录哪些内容？",
        ["出席会议和活动", "提交提案和社情民意信息", "参加学习", "个人收入"],
        [0, 1, 2],
        "履职档案记录委员出席会议活动、提交提案和信息、参加学习等履职情况。",
        "履职",
    ),
]

READING = (
    "学习辅导要点\n\n"
    "一、准确把握人民政协的性质定位。\n"
    "二、深刻理解专门协商机构的职能作用。\n"
    "三、结合履职实践，提高建言资政和凝聚共识的能力。\n"
)


def _session(conference: Conference, staff: User, members: Sequence[User]) -> int:
    """A study session held today (through activities): most invited members checked in."""
    now = timezone.now()
    held = activities.create_activity(
        staff,
        conference,
        activities.ActivityInput(
            kind="study_session",
            title="学习贯彻政协章程专题读书会",
            starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(hours=2),
            place="市政协机关二楼学习室",
            agenda="一、集中学习政协章程；二、委员交流学习体会；三、布置年度学习任务。",
        ),
    )
    invited = list(members[:10])
    activities.invite_members(staff, held, [m.pk for m in invited])
    held = activities.publish_activity(staff, held)
    for member in invited[:7]:
        activities.check_in_by_code(member, held.checkin_code)
    activities.close_activity(staff, held)
    return held.pk


def seed(conference: Conference, staff: User, members: Sequence[User], leader: User) -> None:
    """A study plan with materials, a quiz some members took, and a paper."""
    rng = random.Random(6)
    year = timezone.localdate().year
    plan = study.create_plan(
        staff,
        conference,
        study.PlanInput(
            title=f"{year}年度委员学习计划",
            year=year,
            audience=Audience.MEMBERS,
            description="全年组织委员集中学习四次，围绕政协章程、协商民主理论和履职能力，开展读书活动、知识测验和学习论文交流。",
        ),
    )
    study.create_plan(
        staff,
        conference,
        study.PlanInput(
            title=f"{year}年度常委会学习计划",
            year=year,
            audience=Audience.STANDING_COMMITTEE,
            description="常委会会议前安排专题学习。",
        ),
    )
    study.add_material(
        staff,
        plan,
        title="学习辅导要点",
        upload=SimpleUploadedFile("学习辅导要点.txt", READING.encode(), content_type="text/plain"),
    )
    study.add_material(
        staff,
        plan,
        title="中国人民政治协商会议章程（节选）",
        text="中国人民政治协商会议是中国人民爱国统一战线的组织，是中国共产党领导的多党合作和政治协商的重要机构，"
        "是我国政治生活中发扬社会主义民主的重要形式，是国家治理体系的重要组成部分，是具有中国特色的制度安排。",
    )
    study.add_material(
        staff,
        plan,
        title="政协提案工作条例",
        text="学习提案的提出、审查、交办、办理和反馈各环节要求。",
        link="https://www.cppcc.gov.cn/",
    )
    study.link_session(staff, plan, _session(conference, staff, members))

    questions: list[Question] = [
        study.create_question(
            staff,
            conference,
            study.QuestionInput(
                kind=kind, text=text, options=options, answer=answer, explanation=explanation, tags=tags
            ),
        )
        for kind, text, options, answer, explanation, tags in QUESTIONS
    ]
    now = timezone.now()
    quiz = study.publish_quiz(
        staff,
        study.create_quiz(
            staff,
            conference,
            study.QuizInput(
                title="政协章程知识测验",
                description="共 8 题，60 分合格，可作答两次；交卷后显示每题解析。",
                plan_id=plan.pk,
                opens_at=now - dt.timedelta(days=3),
                closes_at=now + dt.timedelta(days=14),
                pass_mark=60,
                attempts_allowed=2,
                question_ids=[q.pk for q in questions],
            ),
        ),
    )
    study.publish_quiz(
        staff,
        study.create_quiz(
            staff,
            conference,
            study.QuizInput(
                title="履职知识随机测验",
                description="每次从题库中随机抽取 5 题。",
                plan_id=plan.pk,
                mode=QuizMode.RANDOM,
                draw_count=5,
                opens_at=now - dt.timedelta(days=1),
                closes_at=now + dt.timedelta(days=30),
                pass_mark=80,
                attempts_allowed=3,
                question_ids=[q.pk for q in questions],
            ),
        ),
    )
    # Members 2–9 took the fixed quiz (the demo member, the first, is left to try it); each answers
    # each question right with their own likelihood, so the results have a spread.
    for member in members[1:9]:
        skill = rng.uniform(0.3, 1.0)
        attempt = study.start_attempt(member, quiz)
        answers = {}
        for question in questions:
            if rng.random() < skill:
                answers[question.pk] = list(question.answer)
            else:
                answers[question.pk] = [rng.randrange(len(question.options))]
        study.submit_attempt(member, attempt, answers)

    accepted = study.submit_paper(
        members[1],
        conference,
        study.PaperInput(
            title="在专门协商机构建设中提升委员履职能力的思考",
            body="一、认清定位，增强履职的政治自觉。\n二、加强学习，提高建言资政的质量。\n"
            "三、深入调研，做到协商于决策之前。",
            plan_id=plan.pk,
        ),
    )
    study.review_paper(staff, accepted, "accept", reason="观点鲜明，结合实际，予以采用。")
    returned = study.submit_paper(
        members[2],
        conference,
        study.PaperInput(title="学习政协章程的体会", body="通过学习，我进一步认识到……", plan_id=plan.pk),
    )
    study.review_paper(staff, returned, "return", reason="请结合本人履职实例，补充第二部分。")
    study.submit_paper(
        members[3],
        conference,
        study.PaperInput(
            title="发挥界别优势，助推营商环境优化",
            body="作为经济界委员，我围绕优化营商环境开展调研，形成以下认识……",
            plan_id=plan.pk,
        ),
    )
