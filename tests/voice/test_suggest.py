"""The committee and members a public message suits, learnt from the committees, the proposals their
members wrote and the members' expertise (talent pool); measured on a small hand-made set, and shown
on the triage board and the message page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from xieshang.conferences.models import Committee
from xieshang.core import intelcache
from xieshang.people.models import Member, RoleKind
from xieshang.proposals.models import Proposal
from xieshang.voice import intel, services

from ..factories import UserFactory, give_role

# (committee, member name, expertise, proposal titles with a line of recommendations)
PROFILES = [
    (
        "教育文化卫生体育委员会",
        "张教授",
        "学前教育、义务教育",
        [
            ("关于增加普惠性幼儿园学位的建议", "新建小区配建幼儿园，扩大普惠学位供给。"),
            ("关于减轻中小学生课业负担的建议", "规范校外培训，落实课后服务。"),
            ("关于改善农村学校办学条件的建议", "补齐乡村学校教师和校舍短板。"),
        ],
    ),
    (
        "人口资源环境委员会",
        "李工",
        "水污染防治、生态环境",
        [
            ("关于加强城区河道黑臭水体治理的建议", "截污纳管，清淤疏浚，建立河长巡查。"),
            ("关于推进垃圾分类的建议", "完善分类收运体系，厨余垃圾就地处理。"),
            ("关于治理工业园区废气排放的建议", "安装在线监测，严查超标排放。"),
        ],
    ),
    (
        "经济委员会",
        "王会计",
        "金融、民营企业",
        [
            ("关于缓解小微企业融资难的建议", "设立担保基金，降低贷款门槛。"),
            ("关于优化营商环境的建议", "压缩审批时限，推行一网通办。"),
            ("关于支持民营企业技术创新的建议", "研发费用加计扣除，奖励专利转化。"),
        ],
    ),
]

# New messages and the committee a person would route each to (hand-judged).
MESSAGES = [
    ("小区附近幼儿园太少，孩子入园难", "我们小区三千多户，附近只有一家幼儿园，学位严重不足。", 0),
    ("学校作业太多，孩子每天写到十一点", "希望减轻中小学生课业负担，多开展课后服务。", 0),
    ("河道发黑发臭，夏天没法开窗", "小区旁边的河道常年黑臭，有污水直排。", 1),
    ("垃圾分类后厨余垃圾没人收", "垃圾分类桶摆了，但是收运车辆混装。", 1),
    ("工业园区晚上排放废气", "每天夜里闻到刺鼻气味，怀疑工厂偷排废气。", 1),
    ("小企业贷款太难了", "我们是小微企业，银行贷款门槛高，融资难。", 2),
    ("办营业执照跑了好几趟", "希望优化营商环境，审批一网通办。", 2),
    ("农村学校老师太少", "乡村学校缺老师，校舍也很旧，办学条件差。", 0),
]


def _world(world: Any) -> list[tuple[Committee, Any]]:
    city = world.city
    made = []
    for committee_name, name, expertise, proposals in PROFILES:
        committee = Committee.objects.create(conference=city.conference, name=committee_name)
        user = UserFactory(display_name=name)
        give_role(user, city.conference, RoleKind.MEMBER)
        Member.objects.filter(user=user, conference=city.conference).update(
            committee=committee, expertise=expertise
        )
        for title, recommendations in proposals:
            Proposal.objects.create(
                conference=city.conference,
                session=city.session,
                title=title,
                recommendations=recommendations,
                proposer=user,
                state="accepted",
            )
        made.append((committee, user))
    # a draft is not on record: it teaches nothing
    Proposal.objects.create(
        conference=city.conference,
        session=city.session,
        title="关于幼儿园的建议",
        proposer=made[2][1],
        state="draft",
    )
    return made


def test_the_hand_made_set_is_routed_to_the_right_committee_and_member(world):  # type: ignore[no-untyped-def]
    made = _world(world)
    texts = [intel.text_of(subject, detail) for subject, detail, _ in MESSAGES]
    found = intel.suggest_fits_batch(world.city.conference.pk, texts)
    right_committee = sum(
        1
        for s, (_, _, want) in zip(found, MESSAGES, strict=True)
        if s.committees and s.committees[0].target == made[want][0]
    )
    right_member = sum(
        1
        for s, (_, _, want) in zip(found, MESSAGES, strict=True)
        if s.members and s.members[0].target == made[want][1]
    )
    assert right_committee == len(MESSAGES), [
        (m[0], [c.target.name for c in s.committees]) for s, m in zip(found, MESSAGES, strict=True)
    ]
    assert right_member >= len(MESSAGES) - 1
    for s in found:
        assert 1 <= len(s.members) <= 3 and len(s.committees) == 1
        assert all(0 < f.confidence <= 1 for f in [*s.members, *s.committees])


def test_nothing_is_suggested_for_an_unrelated_text_or_another_conference(world):  # type: ignore[no-untyped-def]
    _world(world)
    nothing = intel.suggest_fits(world.city.conference.pk, intel.text_of("你好", "谢谢"))
    assert nothing.committees == [] and nothing.members == []
    county = intel.suggest_fits(world.county.conference.pk, intel.text_of(*MESSAGES[0][:2]))
    assert county.committees == [] and county.members == []
    assert intel.suggest_fits_batch(world.city.conference.pk, ["", " "]) == [
        intel.Suits([], []),
        intel.Suits([], []),
    ]


def test_expertise_alone_suits_a_member_without_proposals(world):  # type: ignore[no-untyped-def]
    _world(world)
    doctor = UserFactory(display_name="赵医生")
    give_role(doctor, world.city.conference, RoleKind.MEMBER)
    Member.objects.filter(user=doctor).update(expertise="儿科医疗、公共卫生、医院管理")
    found = intel.suggest_fits(
        world.city.conference.pk, intel.text_of("儿科医院看病排队太久", "儿科医疗资源不足")
    )
    assert found.members[0].target == doctor


def test_the_board_and_the_message_page_show_the_suggestion(world):  # type: ignore[no-untyped-def]
    made = _world(world)
    subject, detail, want = MESSAGES[2]
    message = services.submit_message(
        world.city.conference, services.MessageInput(subject=subject, detail=detail)
    )
    staff = Client()
    staff.force_login(world.city.staff)
    board = staff.get(reverse("voice:board")).content.decode()
    assert f'data-testid="suits-{message.pk}"' in board and made[want][0].name in board
    page = staff.get(reverse("voice:detail", args=[message.pk])).content.decode()
    assert 'data-testid="suggested-committee"' in page and made[want][0].name in page
    assert str(made[want][1]) in page


@pytest.mark.django_db(transaction=True)
def test_over_many_rows_the_worker_builds_the_suggestions_and_the_pages_wait_for_none(  # type: ignore[no-untyped-def]
    world, settings, tmp_path
):
    settings.XIESHANG_INTEL_BACKGROUND_ROWS = 0  # every object counts as large: only the worker builds
    settings.XIESHANG_INTEL_DIR = tmp_path / "intel"
    intelcache.clear()
    made = _world(world)
    subject, detail, want = MESSAGES[2]
    message = services.submit_message(
        world.city.conference, services.MessageInput(subject=subject, detail=detail)
    )
    staff = Client()
    staff.force_login(world.city.staff)
    board = staff.get(reverse("voice:board")).content.decode()
    assert 'data-testid="intel-pending"' in board and made[want][0].name not in board
    page = staff.get(reverse("voice:detail", args=[message.pk])).content.decode()
    assert 'data-testid="intel-pending"' in page
    topics = staff.get(reverse("voice:hot_topics")).content.decode()
    assert 'data-testid="topics-pending"' in topics

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # one pass of the worker built everything the pages asked for (the routers, with no forwarding or
    # category on record yet, were built in the request: nothing to learn from is quick to learn)
    assert sorted(p.name.split("-")[0].removeprefix("xieshang.") for p in (tmp_path / "intel").iterdir()) == [
        "proposals.intel.similar_index_spec",
        "voice.intel.fit_indexes_spec",
        "voice.intel.leader_topics_spec",
        "voice.intel.similar_index_spec",
    ]
    intelcache.clear()  # a new web process: it loads what the worker persisted, builds nothing
    board = staff.get(reverse("voice:board")).content.decode()
    assert 'data-testid="intel-pending"' not in board and made[want][0].name in board
    page = staff.get(reverse("voice:detail", args=[message.pk])).content.decode()
    assert 'data-testid="intel-pending"' not in page and made[want][0].name in page
    intelcache.clear()
