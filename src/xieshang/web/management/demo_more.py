"""Demo data beyond proposals: activities with attendance, opinion reports in a journal issue, and
deployed tasks from a speech. Everything goes through the apps' own services, like the proposals."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from xieshang.activities import services as activities
from xieshang.conferences.models import Conference
from xieshang.opinions import services as opinions
from xieshang.people.models import User
from xieshang.publishing import archive
from xieshang.publishing import services as publishing
from xieshang.tasks import services as tasks
from xieshang.voice import services as voice

SPEECH = """在全市政协重点工作推进会上的讲话（摘要）

同志们：今年是“十五五”规划开局之年，市政协要围绕中心、服务大局，把协商成果转化为工作实效。
一、关于营商环境。由市发展和改革委员会牵头，市市场监督管理局配合，2026年6月底前完成涉企审批事项清单梳理，审批时限压缩30%以上。
二、关于教育民生。市教育局要在9月底前实现义务教育学校课后服务全覆盖，新增课后服务课程200门以上。
三、关于城市更新。市住房和城乡建设局负责，年底前完成老旧小区加装电梯100部。
四、关于卫生健康。市卫生健康委员会要加快县域医共体建设，年底前实现基层检查检验结果互认。
去年全市地区生产总值增长5.6%，规上工业增加值增长7.1%，固定资产投资下降2.3%。
"""

REPORTS = [
    (
        "关于农村留守老人助餐服务缺口的情况反映",
        "部分乡镇助餐点只提供午餐，行动不便老人无法取餐。",
        "建议推广“中央厨房＋配送”模式，给予运营补贴。",
    ),
    (
        "关于电动自行车充电难的情况反映",
        "老旧小区缺少集中充电设施，居民飞线充电隐患突出。",
        "建议将充电设施纳入老旧小区改造清单，明确物业管理责任。",
    ),
    (
        "关于中小企业招工难的情况反映",
        "制造业企业一线岗位缺口大，青年求职者意愿低。",
        "建议开展校企订单培养，提高技能补贴标准。",
    ),
    (
        "关于城区学校周边交通拥堵的情况反映",
        "上下学高峰学校周边道路拥堵，家长违停严重。",
        "建议设置临时停车区，错峰放学，增派交通协管员。",
    ),
]


def seed_activities(conference: Conference, staff: User, members: Sequence[User], rng: random.Random) -> None:
    """A consultation held today and closed (present, late, absent), and one to come with invitations."""
    now = timezone.now()
    held = activities.create_activity(
        staff,
        conference,
        activities.ActivityInput(
            kind="thematic_consultation",
            title="“优化营商环境”专题协商会",
            starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(hours=2),
            place="市政协三楼会议室",
            agenda="一、听取市发展改革委情况通报；二、委员协商发言；三、形成协商意见。",
        ),
    )
    invited = list(members[:12])
    activities.invite_members(staff, held, [m.pk for m in invited])
    held = activities.publish_activity(staff, held)
    for member in invited[: rng.randint(8, 10)]:
        activities.check_in_by_code(member, held.checkin_code)
    activities.record_speech(
        staff,
        held,
        invited[0].pk,
        kind="spoken",
        title="关于压缩涉企审批时限的建议",
        text="建议推行“一件事一次办”。",
    )
    activities.close_activity(staff, held)

    coming = activities.create_activity(
        staff,
        conference,
        activities.ActivityInput(
            kind="inspection",
            title="老旧小区改造项目视察",
            starts_at=now + dt.timedelta(days=3, hours=1),
            ends_at=now + dt.timedelta(days=3, hours=4),
            place="城东街道幸福里小区",
            agenda="实地察看加装电梯和管网改造进展，听取区政府情况介绍。",
        ),
    )
    activities.invite_members(staff, coming, [m.pk for m in members[:15]])
    activities.publish_activity(staff, coming)


def seed_opinions(conference: Conference, staff: User, members: Sequence[User], year: int) -> None:
    """Reports in every step: submitted, being edited, adopted into issue 1 with an instruction, declined."""
    made = []
    for (title, facts, suggestions), member in zip(REPORTS, members, strict=False):
        report = opinions.create_report(
            member, conference, opinions.ReportInput(title=title, facts=facts, suggestions=suggestions)
        )
        made.append(opinions.submit_report(member, report))
    adopted = opinions.claim_report(staff, made[0])
    adopted = opinions.adopt_report(staff, adopted, new_issue_year=year)
    opinions.record_instruction(
        staff,
        adopted,
        opinions.InstructionInput(
            leader_name="市委副书记", level="city", text="请市民政局研究落实，扩大助餐服务覆盖面。"
        ),
    )
    opinions.claim_report(staff, made[1])
    opinions.decline_report(staff, opinions.claim_report(staff, made[2]), reason="相关情况已有部门专项调研。")


def seed_tasks(conference: Conference, staff: User, contacts: dict[int, User]) -> None:
    """A speech turned into a confirmed ledger; one unit has already reported progress."""
    document = tasks.create_source(
        staff,
        conference,
        tasks.SourceInput(title="在全市政协重点工作推进会上的讲话", speaker="市政协主席", text=SPEECH),
    )
    decisions = []
    for line in document.lines.all():
        lead = [u.pk for u in line.units.all()]
        if lead:
            decisions.append(
                tasks.LineDecision(
                    line.pk, "confirm", action=line.action, lead_unit_ids=lead, due_on=line.due_on
                )
            )
        else:
            decisions.append(tasks.LineDecision(line.pk, "drop"))
    created = tasks.confirm_ledger(staff, document, decisions)
    for task in created[:1]:
        owner = task.owners.first()
        contact = contacts.get(owner.unit_id) if owner else None
        if contact is not None:
            tasks.report_progress(
                contact, task, tasks.ProgressInput(text="已完成审批事项清单初稿，正在征求意见。", percent=40)
            )


ARTICLES = [
    (
        "news",
        "市政协召开“优化营商环境”专题协商会",
        "委员们围绕压缩涉企审批时限、降低融资成本等建言献策。",
        "市政协今天召开“优化营商环境”专题协商会。\n市发展改革委通报了全市营商环境建设情况，"
        "十余位委员作了协商发言，提出了推行“一件事一次办”、扩大首贷续贷中心覆盖面等建议。",
    ),
    (
        "notice",
        "关于征集2027年度提案线索的通知",
        "欢迎社会各界通过门户网站提出建议。",
        "为做好明年全会提案工作，现向社会各界征集提案线索。\n请于12月31日前通过门户网站“群众建言”栏目提交。",
    ),
]


def seed_publishing(conference: Conference, staff: User, leader: User) -> None:
    """Two published articles and a published issue of the conference magazine."""
    articles = []
    for kind, title, summary, body in ARTICLES:
        article = publishing.create_article(
            staff, conference, publishing.ArticleInput(title=title, kind=kind, summary=summary, body=body)
        )
        article = publishing.submit_article(staff, article)
        articles.append(publishing.publish_article(leader, article))
    journal = publishing.create_journal(staff, conference, name="江州政协")
    issue = publishing.create_issue(staff, journal, title="2026年第1期")
    for article in articles:
        publishing.add_item(staff, issue, article_id=article.pk)
    publishing.publish_issue(staff, issue)


MESSAGES = [
    (
        "幸福路小区门口路灯坏了一个月",
        "幸福路12号小区门口两盏路灯坏了一个多月，晚上很黑，老人出行不便。",
        "城东街道",
    ),
    ("建议增加城东片区公交班次", "早高峰城东片区到市中心的公交车间隔太长，经常挤不上车。", "城东片区"),
    (
        "老旧小区加装电梯费用分摊难",
        "我们单元想装电梯，但低楼层住户不同意，能否出台费用分摊指导意见？",
        "城西街道",
    ),
    ("学校周边早餐摊点卫生问题", "实验小学门口早餐摊点多，卫生状况堪忧，希望加强管理。", "城南街道"),
]


def seed_voice(
    conference: Conference, staff: User, members: Sequence[User], contacts: dict[int, User]
) -> None:
    """Suggestions from the public in several steps: new, forwarded, answered publicly, a proposal lead."""
    made = [
        voice.submit_message(conference, voice.MessageInput(subject=s, detail=d, place=p))
        for s, d, p in MESSAGES
    ]
    unit_id = next(iter(contacts)) if contacts else None
    if unit_id is not None:
        voice.forward_message(
            staff,
            made[1],
            unit_id=unit_id,
            due_on=timezone.localdate() + dt.timedelta(days=15),
            note="请核实办理",
        )
    voice.answer_message(staff, made[0], reply="已转城东街道，路灯已于本周修复，感谢您的反映。")
    voice.mark_lead(staff, made[2], member_id=members[0].pk, note="可作为提案线索")


ARCHIVE = [
    (
        "oral_history",
        "我所经历的江州老城区改造",
        "上世纪八十年代，老城区的棚户区改造从西门街开始，居民自发组织了改造委员会……",
        "1980年代",
        "西门街",
        "王德明,李秀英",
        "城市建设,口述史",
    ),
    (
        "memoir",
        "回忆江州第一所民办中学的创办",
        "1993年春，几位退休教师在旧仓库里办起了江州第一所民办中学……",
        "1990年代",
        "城南",
        "陈启元",
        "教育,民办学校",
    ),
]


def seed_archive(conference: Conference, staff: User, members: Sequence[User]) -> None:
    """A series with a first volume holding two published oral histories and memoirs."""
    series = archive.create_collection(
        staff, conference, title="江州文史资料", description="江州市政协文史丛书"
    )
    volume = archive.create_volume(staff, series, title="第一辑 城市记忆")
    for (kind, title, text, period, place, people, subjects), member in zip(ARCHIVE, members, strict=False):
        item = archive.submit_item(
            member,
            conference,
            archive.ItemInput(
                title=title,
                kind=kind,
                text=text,
                period=period,
                place=place,
                people=people,
                subjects=subjects,
            ),
        )
        item = archive.review_item(staff, item)
        item = archive.publish_item(staff, item)
        archive.place_item(staff, item, volume)
