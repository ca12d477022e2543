"""Each page renders for its role; the pages deny what a role may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieshang.notify.models import Notification
from xieshang.proposals import services

from ..proposals import walk


def test_the_login_page_renders_in_chinese_without_a_session(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_pages_that_need_a_login_send_anonymous_visitors_to_it(client, world):
    p = walk.draft(world.city)
    for url in [reverse("home"), reverse("proposals:mine"), reverse("proposals:detail", args=[p.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_member_sees_a_home_of_what_needs_them_and_the_bottom_bar(world, as_user):
    p = walk.draft(world.city, title="关于改善社区养老服务的建议")
    services.invite_cosigners(world.city.member, p, [world.city.member2.pk], version=p.version)
    services.submit_proposal(world.city.member, p)
    page = as_user(world.city.member2).get(reverse("home")).content.decode()
    assert 'data-testid="tabbar"' in page
    assert "关于改善社区养老服务的建议" in page  # an invitation to answer
    for label in ["首页", "提案", "社情民意", "活动", "我的"]:
        assert label in page


@pytest.mark.parametrize("name", ["proposals:mine", "proposals:create", "me", "opinions", "activities"])
def test_the_member_places_render(world, as_user, name):
    response = as_user(world.city.member).get(reverse(name))
    assert response.status_code == 200


def test_me_shows_the_members_own_proposal_count(world, as_user):
    walk.draft(world.city)
    walk.draft(world.city, title="第二件")
    page = as_user(world.city.member).get(reverse("me")).content.decode()
    assert 'data-testid="my-proposal-count"' in page
    assert ">2<" in page


def test_home_sends_staff_units_and_leaders_to_their_desks(world, as_user):
    assert as_user(world.city.staff).get(reverse("home"))["Location"] == reverse("proposals:work")
    assert as_user(world.city.unit_user).get(reverse("home"))["Location"] == reverse("proposals:unit_inbox")
    assert as_user(world.city.leader).get(reverse("home"))["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    "name",
    ["to_review", "to_assign", "due_soon", "overdue", "to_evaluate", "to_close", "requests", "key", "all"],
)
def test_every_work_list_renders_for_staff(world, as_user, name):
    walk.under_review(world.city)
    response = as_user(world.city.staff).get(reverse("proposals:worklist", args=[name]))
    assert response.status_code == 200
    assert 'data-testid="work-menu"' in response.content.decode()


def test_the_review_list_counts_and_filters(world, as_user):
    walk.under_review(world.city, title="关于加装电梯的建议")
    walk.under_review(world.city, title="关于校园安全的建议")
    staff = as_user(world.city.staff)
    page = staff.get(reverse("proposals:worklist", args=["to_review"])).content.decode()
    assert "关于加装电梯的建议" in page and "关于校园安全的建议" in page
    page = staff.get(reverse("proposals:worklist", args=["to_review"]), {"q": "电梯"}).content.decode()
    assert "关于加装电梯的建议" in page and "关于校园安全的建议" not in page
    assert "q=%E7%94%B5%E6%A2%AF" in page  # the export link keeps the filter


def test_the_work_lists_filter_by_unit_key_year_and_sort(world, as_user):
    p = walk.assigned(world.city, co=False, title="交办给发改局的提案")
    walk.under_review(world.city, title="尚未交办的提案")
    staff = as_user(world.city.staff)
    url = reverse("proposals:worklist", args=["all"])
    page = staff.get(url, {"unit": world.city.unit.pk, "year": 2026, "sort": "-number"}).content.decode()
    assert p.title in page and "尚未交办的提案" not in page
    page = staff.get(url, {"key": "1"}).content.decode()
    assert p.title not in page
    assert staff.get(url, {"year": "not-a-year", "state": "bogus"}).status_code == 200


def test_the_unit_inbox_lists_assignments_with_due_dates(world, as_user):
    p = walk.assigned(world.city)
    page = as_user(world.city.unit_user).get(reverse("proposals:unit_inbox")).content.decode()
    assert p.title in page
    assert walk.lead_assignment(p).due_on.strftime("%Y-%m-%d") in page


def test_the_dashboard_renders_for_a_leader_with_charts(world, as_user):
    walk.evaluated(world.city)
    response = as_user(world.city.leader).get(reverse("dashboard"), {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "满意率" in page
    assert "vendor/echarts/echarts.min.js" in page


def test_the_sessions_page_offers_the_compilation(world, as_user):
    page = as_user(world.city.staff).get(reverse("proposals:sessions")).content.decode()
    assert reverse("proposals:compilation_docx", args=[world.city.session.pk]) in page


def test_search_finds_by_title_and_number_only_what_the_user_may_see(world, as_user):
    p = walk.accepted(world.city, title="关于发展夜间经济的建议")
    walk.accepted(world.county, title="关于发展夜间经济的县级建议")
    page = as_user(world.city.staff).get(reverse("search"), {"q": "夜间经济"}).content.decode()
    assert p.title in page and "县级建议" not in page
    page = as_user(world.city.staff).get(reverse("search"), {"q": p.number_label}).content.decode()
    assert p.title in page
    page = as_user(world.city.member2).get(reverse("search"), {"q": "夜间经济"}).content.decode()
    assert p.title not in page


def test_notifications_list_and_mark_read(world, as_user):
    note = Notification.objects.create(user=world.city.member, title="您的提案已立案", url="/")
    client = as_user(world.city.member)
    page = client.get(reverse("notify:list")).content.decode()
    assert "您的提案已立案" in page and 'data-testid="unread-count"' in page
    assert client.get(reverse("notify:read")).status_code == 405
    client.post(reverse("notify:read"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_public_portal_shows_published_proposals_and_their_letters_without_login(client, world):
    p = walk.evaluated(world.city, title="关于公开发布的提案")
    hidden = walk.accepted(world.city, title="未公开的提案")
    services.set_published(world.city.staff, p, published=True)
    page = client.get(reverse("public:list")).content.decode()
    assert p.title in page and hidden.title not in page
    page = client.get(reverse("public:detail", args=[p.pk])).content.decode()
    assert "经研究，我局已将加装电梯纳入年度计划。" in page
    assert client.get(reverse("public:detail", args=[hidden.pk])).status_code == 404


def test_the_conference_switcher_changes_the_current_conference(world, as_user):
    from tests.factories import give_role

    give_role(world.city.staff, world.county.conference, "staff")
    walk.under_review(world.county, title="县里的提案")
    client = as_user(world.city.staff)
    assert "县里的提案" not in client.get(reverse("proposals:worklist", args=["to_review"])).content.decode()
    client.post(reverse("switch_conference"), {"conference": world.county.conference.pk})
    assert "县里的提案" in client.get(reverse("proposals:worklist", args=["to_review"])).content.decode()
    response = client.post(
        reverse("switch_conference"), {"conference": 99999, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


# ---------------------------------------------------------------------------- denials


def test_a_member_cannot_open_the_staff_lists_or_the_unit_inbox(world, as_user):
    client = as_user(world.city.member)
    assert client.get(reverse("proposals:worklist", args=["to_review"])).status_code == 403
    assert client.get(reverse("proposals:export_xlsx", args=["to_review"])).status_code == 403
    assert client.get(reverse("proposals:unit_inbox")).status_code == 403
    assert client.get(reverse("dashboard")).status_code == 403
    assert "无权" in client.get(reverse("dashboard")).content.decode()


def test_county_staff_cannot_see_a_city_proposal(world, as_user):
    p = walk.accepted(world.city)
    client = as_user(world.county.staff)
    response = client.get(reverse("proposals:detail", args=[p.pk]))
    assert response.status_code == 404
    assert "找不到" in response.content.decode()
    response = client.post(reverse("proposals:act", args=[p.pk, "assign"]), {"unit_0": world.county.unit.pk})
    assert response.status_code == 404


def test_a_unit_cannot_see_a_proposal_not_assigned_to_it(world, as_user):
    mine = walk.assigned(world.city, co=False)
    other = walk.accepted(world.city, title="另一件提案")
    client = as_user(world.city.unit_user)
    assert client.get(reverse("proposals:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("proposals:detail", args=[other.pk])).status_code == 404
    assert as_user(world.city.unit2_user).get(reverse("proposals:detail", args=[mine.pk])).status_code == 404


def test_a_member_cannot_accept_a_proposal_by_posting_the_form(world, as_user):
    p = walk.under_review(world.city)
    response = as_user(world.city.member).post(
        reverse("proposals:act", args=[p.pk, "accept"]), {"version": p.version}
    )
    assert response.status_code == 403
    assert "没有执行此操作的权限" in response.content.decode()
    p.refresh_from_db()
    assert p.state == "under_review"


def test_actions_refuse_get_and_unknown_names(world, as_user):
    p = walk.under_review(world.city)
    client = as_user(world.city.staff)
    assert client.get(reverse("proposals:act", args=[p.pk, "accept"])).status_code == 405
    assert client.post(reverse("proposals:act", args=[p.pk, "explode"])).status_code == 404


def test_a_members_own_draft_is_hidden_from_staff(world, as_user):
    p = walk.draft(world.city)
    assert as_user(world.city.staff).get(reverse("proposals:detail", args=[p.pk])).status_code == 404
