"""Friends of the conference (政协之友): staff open light accounts; a friend signs in and sees only their
culture projects, the archive's solicitations (and contributes items), their contributions and their
awards; every other page refuses them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.people.models import Role, RoleKind, User
from xieshang.publishing import archive, culture, friends
from xieshang.publishing.models import ArchiveItem, Friend

from ..conftest import Side

PHONE = "13812345678"


def _friend(side: Side, phone: str = PHONE, name: str = "周墨香") -> tuple[Friend, str]:
    return friends.create_friend(
        side.staff, side.conference, friends.FriendInput(name, phone, "书法", "市书协会员")
    )


def _login(username: str, password: str) -> Client | None:
    """A client signed in through the login form (django-axes needs the request), or None if refused."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client if response.status_code == 302 else None


def _signed_in(friend: Friend, password: str) -> Client:
    client = _login(friend.user.username, password)
    assert client is not None
    return client


# ---------------------------------------------------------------------------- accounts


def test_staff_open_a_light_account_holding_only_the_friend_role(world):
    friend, password = _friend(world.city)
    user = friend.user
    assert user.username == PHONE and user.display_name == "周墨香" and user.phone == PHONE
    assert list(Role.objects.filter(user=user).values_list("conference_id", "kind")) == [
        (world.city.conference.pk, RoleKind.FRIEND)
    ]
    assert len(password) == 12 and user.check_password(password)
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize("who", ["member", "leader", "unit_user", "county_staff", "outsider"])
def test_only_staff_of_the_conference_add_friends(world, who):
    actor = {
        "member": world.city.member,
        "leader": world.city.leader,
        "unit_user": world.city.unit_user,
        "county_staff": world.county.staff,
        "outsider": world.outsider,
    }[who]
    with pytest.raises(AppError) as refused:
        friends.create_friend(actor, world.city.conference, friends.FriendInput("某人", PHONE))
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not User.objects.filter(username=PHONE).exists()


def test_a_bad_or_taken_phone_is_refused_and_nothing_is_created(world):
    for phone in ["12345", "2381234567a", ""]:
        with pytest.raises(AppError) as refused:
            friends.create_friend(world.city.staff, world.city.conference, friends.FriendInput("某人", phone))
        assert refused.value.fields == {"phone": "请填写11位手机号码。"}
    _friend(world.city)
    with pytest.raises(AppError) as taken:
        _friend(world.county)
    assert taken.value.code == ErrorCode.DUPLICATE and taken.value.fields == {"phone": "该手机号已有账号。"}
    assert Friend.objects.count() == 1 and User.objects.filter(username=PHONE).count() == 1


def test_the_page_adds_a_friend_and_shows_the_password_once(world):
    client = Client()
    client.force_login(world.city.staff)
    response = client.post(
        reverse("publishing:friends"),
        {"name": "钱非遗", "phone": "139 0000 0002", "expertise": "剪纸"},
        follow=True,
    )
    friend = Friend.objects.get()
    page = response.content.decode()
    assert friend.phone == "13900000002" and "初始密码" in page and "仅显示这一次" in page
    again = client.get(reverse("publishing:friend", args=[friend.pk])).content.decode()
    assert "初始密码" not in again
    bad = client.post(reverse("publishing:friends"), {"name": "", "phone": "1"})
    assert bad.status_code == 400 and Friend.objects.count() == 1


def test_a_stopped_friend_cannot_sign_in_and_a_restored_one_can(world):
    friend, password = _friend(world.city)
    friends.set_friend_active(world.city.staff, friend, active=False)
    assert _login(PHONE, password) is None
    assert not Role.objects.filter(user=friend.user).exists()
    friends.set_friend_active(world.city.staff, friend, active=True)
    fresh = friends.reset_password(world.city.staff, friend)
    assert _login(PHONE, fresh) is not None
    with pytest.raises(AppError):
        friends.set_friend_active(world.city.member, friend, active=False)


def test_another_conference_never_sees_a_friend(world):
    friend, _password = _friend(world.city)
    client = Client()
    client.force_login(world.county.staff)
    assert client.get(reverse("publishing:friend", args=[friend.pk])).status_code == 404
    assert client.post(reverse("publishing:friend_account", args=[friend.pk, "reset"])).status_code == 404
    assert not friends.office_friends(world.county.staff, world.city.conference.pk).exists()


# ---------------------------------------------------------------------------- what a friend sees


def test_a_friend_lands_on_their_own_page_with_projects_solicitations_and_awards(world):
    side = world.city
    friend, password = _friend(side)
    mine = culture.create_project(
        side.staff, side.conference, culture.ProjectInput("书法进乡村", "calligraphy", 2026), [friend.user]
    )
    culture.create_project(side.staff, side.conference, culture.ProjectInput("别人的讲座", "lecture", 2026))
    archive.open_solicitation(
        side.staff, side.conference, topic="老字号记忆", deadline=today() + dt.timedelta(days=30)
    )
    award = culture.create_award(side.staff, side.conference, culture.AwardInput("文化公益奖", 2026))
    culture.nominate(side.member, award, project=mine, reason="书法公益课三十场。")
    culture.set_jurors(side.staff, award, [side.leader])
    culture.open_scoring(side.staff, award)
    culture.score_nomination(side.leader, award.nominations.get(), 93)
    culture.decide_results(side.staff, award)
    culture.publish_results(side.staff, award)

    client = _signed_in(friend, password)
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("publishing:friend_home")
    page = client.get(reverse("publishing:friend_home")).content.decode()
    assert "书法进乡村" in page and "别人的讲座" not in page
    assert "老字号记忆" in page
    assert "2026年度文化公益奖" in page


def test_a_friend_contributes_to_a_solicitation_through_the_archive(world):
    side = world.city
    friend, password = _friend(side)
    solicitation = archive.open_solicitation(
        side.staff, side.conference, topic="老字号记忆", deadline=today() + dt.timedelta(days=30)
    )
    client = _signed_in(friend, password)
    assert client.get(reverse("publishing:archive_new")).status_code == 200
    response = client.post(
        reverse("publishing:archive_new"),
        {
            "kind": "memoir",
            "title": "祖父的酱园",
            "text": "酱园开在西大街。",
            "solicitation": solicitation.pk,
            "contributor_name": "冒名者",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("publishing:friend_home")
    item = ArchiveItem.objects.get()
    assert item.contributor == friend.user and item.solicitation == solicitation
    assert item.contributor_name == "" and archive.contributor_label(item) == "周墨香"
    assert "祖父的酱园" in client.get(reverse("publishing:friend_home")).content.decode()
    # the friend cannot review it, nor read the office's copy
    assert client.get(reverse("publishing:archive_item", args=[item.pk])).status_code == 404
    with pytest.raises(AppError):
        archive.review_item(friend.user, item)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("memoir.exe", b"MZ\x90\x00", "不支持"),
        ("../../etc/passwd.pdf", b"%PDF-1.4\n", None),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024), "超过"),
        ("fake.pdf", b"<html>", "不符"),
    ],
)
def test_a_friends_upload_is_checked_like_anyone_elses(world, name, content, message):
    side = world.city
    friend, _password = _friend(side)
    upload = SimpleUploadedFile(name, content)
    data = archive.ItemInput(title="老照片", kind="photo")
    if message is None:
        item = archive.submit_item(friend.user, side.conference, data, upload=upload)
        assert item.original_name == "passwd.pdf" and ".." not in item.file.name
        assert item.file.name.startswith("archive/")
        return
    with pytest.raises(AppError) as refused:
        archive.submit_item(friend.user, side.conference, data, upload=upload)
    assert message in refused.value.fields["file"]
    assert not ArchiveItem.objects.exists()


# ---------------------------------------------------------------------------- what a friend may not do


def test_a_friend_is_refused_everything_else(world):
    friend, password = _friend(world.city)
    client = _signed_in(friend, password)
    refused_pages = [
        reverse("proposals:mine"),
        reverse("proposals:create"),
        reverse("proposals:work"),
        reverse("duty:record"),
        reverse("duty:ranking"),
        reverse("dashboard"),
        reverse("publishing:articles"),
        reverse("publishing:archive"),
        reverse("publishing:culture"),
        reverse("publishing:awards"),
        reverse("publishing:friends"),
        reverse("activities:office"),
        reverse("opinions:work"),
        reverse("tasks:ledger"),
    ]
    let_in = [
        (url, status) for url in refused_pages if (status := client.get(url).status_code) not in {403, 404}
    ]
    assert let_in == []


def test_a_friend_neither_nominates_nor_judges_nor_plans(world):
    side = world.city
    friend, _password = _friend(side)
    award = culture.create_award(side.staff, side.conference, culture.AwardInput("文化公益奖", 2026))
    with pytest.raises(AppError) as refused:
        culture.nominate(friend.user, award, person=side.member, reason="理由")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(AppError):
        culture.create_project(friend.user, side.conference, culture.ProjectInput("x", "lecture", 2026))
    with pytest.raises(AppError):
        friends.create_friend(friend.user, side.conference, friends.FriendInput("y", "13700000000"))
    client = Client()
    client.force_login(friend.user)
    assert client.get(reverse("publishing:culture_nominate", args=[award.pk])).status_code == 404
    assert client.get(reverse("publishing:award_score", args=[award.pk])).status_code == 404


def test_a_member_is_refused_the_friend_page(world):
    client = Client()
    client.force_login(world.city.member)
    assert client.get(reverse("publishing:friend_home")).status_code == 403


def test_a_friend_sitting_on_a_jury_scores_through_the_jury_page(world):
    side = world.city
    friend, password = _friend(side)
    award = culture.create_award(side.staff, side.conference, culture.AwardInput("文化公益奖", 2026))
    nomination = culture.nominate(side.member, award, person=side.member2, reason="理由")
    culture.set_jurors(side.staff, award, [friend.user])
    culture.open_scoring(side.staff, award)
    client = _signed_in(friend, password)
    url = reverse("publishing:award_score", args=[award.pk])
    assert client.post(url, {"nomination": nomination.pk, "value": "86"}).status_code == 302
    assert nomination.scores.get().value == 86
