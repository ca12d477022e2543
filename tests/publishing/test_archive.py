"""The cultural-historical archive: the item workflow by role and conference, the portal's reading
view and its search, safe uploads, a volume compiled into .docx, and solicitation deadlines."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.publishing import archive
from xieshang.publishing.models import ArchiveItem, ArchiveItemState

from ..conftest import Side

S = ArchiveItemState
PDF = b"%PDF-1.4\n% archive test\n"


def _item(side: Side, title: str = "老城区码头的变迁", **kw: object) -> ArchiveItem:
    data = archive.ItemInput(
        title=title,
        kind=str(kw.pop("kind", "memoir")),
        text="一九五六年，码头改建。\n老船工回忆当年的号子。",
        period=str(kw.pop("period", "1950年代")),
        place=str(kw.pop("place", "东关码头")),
        people=str(kw.pop("people", "王大顺，李桂兰")),
        subjects=str(kw.pop("subjects", "航运、城市变迁")),
    )
    return archive.submit_item(side.member, side.conference, data, **kw)  # type: ignore[arg-type]


def _published(side: Side, title: str = "老城区码头的变迁", **kw: object) -> ArchiveItem:
    item = archive.review_item(side.staff, _item(side, title, **kw))
    return archive.publish_item(side.staff, item)


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# ---------------------------------------------------------------------------- workflow


def test_the_state_table_names_only_known_states_and_roles():
    for action, row in archive.TRANSITIONS.items():
        assert row.sources <= set(S.values), action
        assert row.targets <= set(S.values), action
        assert row.roles == {"staff"}, action


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("review", S.SUBMITTED, S.REVIEWED),
        ("publish", S.REVIEWED, S.PUBLISHED),
        ("reject", S.SUBMITTED, S.REJECTED),
        ("reject", S.REVIEWED, S.REJECTED),
        ("unpublish", S.PUBLISHED, S.REVIEWED),
    ],
)
def test_staff_of_the_conference_take_every_transition_and_nobody_else_does(world, action, start, end):
    # given an item in the start state
    item = _item(world.city)
    path = {S.REVIEWED: ["review"], S.PUBLISHED: ["review", "publish"]}.get(start, [])
    for step in path:
        item = archive.ACTIONS[step](world.city.staff, item)
    assert item.state == start
    # then members, leaders, another conference's staff and outsiders are refused
    for user in [world.city.member, world.city.leader, world.county.staff, world.outsider]:
        with pytest.raises(AppError) as refused:
            archive.ACTIONS[action](user, item)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED, user
    # and the staff of its own conference succeed
    item = archive.ACTIONS[action](world.city.staff, item)
    assert item.state == end
    assert ArchiveItem.objects.get(pk=item.pk).state == end


def test_an_action_from_the_wrong_state_is_refused(world):
    item = _item(world.city)
    with pytest.raises(AppError) as refused:
        archive.publish_item(world.city.staff, item)
    assert refused.value.code == ErrorCode.INVALID_STATE
    rejected = archive.reject_item(world.city.staff, item)
    with pytest.raises(AppError):
        archive.review_item(world.city.staff, rejected)


def test_a_stale_version_is_refused(world):
    item = _item(world.city)
    with pytest.raises(AppError) as refused:
        archive.review_item(world.city.staff, item, version=item.version + 1)
    assert refused.value.code == ErrorCode.STALE_VERSION


def test_members_and_staff_submit_but_not_units_or_other_conferences(world):
    assert _item(world.city).contributor == world.city.member
    data = archive.ItemInput(title="回忆录", kind="memoir", contributor_name="政协之友张老")
    by_staff = archive.submit_item(world.city.staff, world.city.conference, data)
    assert by_staff.contributor_name == "政协之友张老"
    by_member = archive.submit_item(world.city.member, world.city.conference, data)
    assert by_member.contributor_name == ""  # only staff record another contributor
    for user in [world.city.unit_user, world.county.member, world.outsider]:
        with pytest.raises(AppError) as refused:
            archive.submit_item(user, world.city.conference, data)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED


def test_the_office_pages_show_one_conference_only(world):
    item = _item(world.city)
    assert (
        _client(world.city.staff).get(reverse("publishing:archive_item", args=[item.pk])).status_code == 200
    )
    assert (
        _client(world.county.staff).get(reverse("publishing:archive_item", args=[item.pk])).status_code == 404
    )
    page = _client(world.county.staff).get(reverse("publishing:archive")).content.decode()
    assert item.title not in page
    response = _client(world.county.staff).post(reverse("publishing:archive_act", args=[item.pk, "review"]))
    assert response.status_code == 404
    assert ArchiveItem.objects.get(pk=item.pk).state == S.SUBMITTED


def test_staff_review_and_publish_through_the_pages(world):
    item = _item(world.city)
    client = _client(world.city.staff)
    for action in ["review", "publish"]:
        response = client.post(
            reverse("publishing:archive_act", args=[item.pk, action]), {"version": item.version}
        )
        assert response.status_code == 302
        item.refresh_from_db()
    assert item.state == S.PUBLISHED
    page = client.get(reverse("publishing:archive_item", args=[item.pk])).content.decode()
    assert 'data-testid="archive-act-unpublish"' in page and 'data-testid="on-portal"' in page


def test_a_member_submits_through_the_form_with_a_file(world):
    client = _client(world.city.member)
    assert client.get(reverse("publishing:archive_new")).status_code == 200
    upload = SimpleUploadedFile("码头.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("publishing:archive_new"),
        {"title": "码头口述", "kind": "oral_history", "text": "口述正文", "file": upload},
    )
    assert response.status_code == 302
    item = ArchiveItem.objects.get(title="码头口述")
    assert item.original_name == "码头.pdf" and item.file.name.endswith(".pdf")
    assert _client(world.city.member).get(reverse("publishing:archive")).status_code == 403


# ---------------------------------------------------------------------------- portal


def test_only_published_items_of_the_conference_are_on_the_portal(client, world):
    published = _published(world.city, "已发布的码头回忆")
    submitted = _item(world.city, "待审的码头回忆")
    reviewed = archive.review_item(world.city.staff, _item(world.city, "已审未发布的码头回忆"))
    rejected = archive.reject_item(world.city.staff, _item(world.city, "不予采用的码头回忆"))
    county = _published(world.county, "县里的码头回忆")
    page = client.get(reverse("public:archive", args=["city"]) + "?place=码头").content.decode()
    assert "已发布的码头回忆" in page
    for hidden in [submitted, reviewed, rejected, county]:
        assert hidden.title not in page
        url = reverse("public:archive_item", args=["city", hidden.pk])
        assert client.get(url).status_code == 404, hidden.title
    assert client.get(reverse("public:archive_item", args=["city", published.pk])).status_code == 200
    # taking it down removes it at once
    archive.unpublish_item(world.city.staff, published)
    assert client.get(reverse("public:archive_item", args=["city", published.pk])).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["people=李桂兰", "place=东关", "period=1950", "subjects=航运", "q=东关"],
)
def test_a_published_item_is_found_by_person_place_period_and_subject(client, world, query):
    _published(world.city, "东关码头的号子")
    _published(world.city, "纺织厂的女工", people="赵红", place="城西", period="1970年代", subjects="工业")
    page = client.get(reverse("public:archive", args=["city"]) + "?" + query).content.decode()
    assert "东关码头的号子" in page
    assert "纺织厂的女工" not in page


def test_the_portal_nav_links_to_the_archive(client, world):
    page = client.get(reverse("public:conference", args=["city"])).content.decode()
    assert reverse("public:archive", args=["city"]) in page


# ---------------------------------------------------------------------------- uploads


def test_a_file_of_a_wrong_type_is_refused(world):
    exe = SimpleUploadedFile("回忆.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(AppError) as refused:
        _item(world.city, upload=exe)
    assert refused.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED and "file" in refused.value.fields
    liar = SimpleUploadedFile("照片.jpg", b"not a jpeg at all", content_type="image/jpeg")
    with pytest.raises(AppError) as refused:
        _item(world.city, upload=liar)
    assert refused.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED
    assert not ArchiveItem.objects.exists()


def test_an_oversized_file_is_refused(world):
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (archive.ARCHIVE_MAX_MB * 1024 * 1024))
    with pytest.raises(AppError) as refused:
        _item(world.city, upload=big)
    assert refused.value.code == ErrorCode.FILE_TOO_LARGE


def test_a_name_with_dot_dot_is_stored_under_a_safe_random_name(world, settings):
    upload = SimpleUploadedFile("../../../etc/passwd.txt", "码头的老照片说明".encode())
    item = _published(world.city, upload=upload)
    stored = Path(item.file.path).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert stored.is_relative_to(media / "archive")
    assert "passwd" not in item.file.name and ".." not in item.file.name
    assert item.original_name == "passwd.txt"
    response = Client().get(reverse("public:archive_file", args=["city", item.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == "码头的老照片说明".encode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- the book


def test_a_volume_compiles_into_a_docx_with_the_items_titles(world):
    staff = world.city.staff
    collection = archive.create_collection(staff, world.city.conference, title="示范文史")
    volume = archive.create_volume(staff, collection, title="码头记忆")
    assert volume.number == 1 and archive.create_volume(staff, collection).number == 2
    first = _published(world.city, "东关码头的号子")
    second = archive.review_item(staff, _item(world.city, "老船工的回忆"))
    pending = _item(world.city, "尚未审稿的稿件")
    for item in [first, second]:
        archive.place_item(staff, item, volume)
    with pytest.raises(AppError):
        archive.place_item(staff, pending, volume)
    with pytest.raises(AppError):
        archive.place_item(world.county.staff, first, volume)
    response = _client(staff).get(reverse("publishing:archive_volume_docx", args=[volume.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "示范文史" in text and "第1辑" in text and "码头记忆" in text
    assert text.count("东关码头的号子") == 2 and text.count("老船工的回忆") == 2  # contents and body
    assert "尚未审稿的稿件" not in text and "老船工回忆当年的号子。" in text
    assert (
        _client(world.county.staff)
        .get(reverse("publishing:archive_volume_docx", args=[volume.pk]))
        .status_code
        == 404
    )
    assert archive.publish_volume(staff, volume).state == "published"


# ---------------------------------------------------------------------------- solicitations


def test_no_submissions_to_a_closed_or_past_deadline_solicitation(world):
    staff = world.city.staff
    campaign = archive.open_solicitation(
        staff, world.city.conference, topic="三线建设亲历记", deadline=today() + dt.timedelta(days=30)
    )
    assert _item(world.city, solicitation=campaign).solicitation == campaign
    campaign.deadline = today() - dt.timedelta(days=1)
    campaign.save(update_fields=["deadline"])
    with pytest.raises(AppError) as refused:
        _item(world.city, solicitation=campaign)
    assert refused.value.code == ErrorCode.WINDOW_CLOSED
    campaign.deadline = today()
    campaign.save(update_fields=["deadline"])
    _item(world.city, solicitation=campaign)  # the deadline day itself still counts
    archive.close_solicitation(staff, campaign)
    with pytest.raises(AppError) as refused:
        _item(world.city, solicitation=campaign)
    assert refused.value.code == ErrorCode.WINDOW_CLOSED
    assert campaign.items.count() == 2


def test_a_solicitation_of_another_conference_takes_no_submissions(world):
    campaign = archive.open_solicitation(
        world.county.staff, world.county.conference, topic="县志补遗", deadline=today()
    )
    with pytest.raises(AppError) as refused:
        _item(world.city, solicitation=campaign)
    assert refused.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError):
        archive.open_solicitation(
            world.city.member, world.city.conference, topic="无权发起", deadline=today()
        )


def test_staff_set_up_a_collection_volume_and_campaign_through_the_pages(world):
    client = _client(world.city.staff)
    url = reverse("publishing:archive_setup")
    assert (
        client.post(url, {"form": "collection", "c-title": "示范文史", "c-description": ""}).status_code
        == 302
    )
    collection = archive.collections(world.city.staff, world.city.conference.pk).get()
    assert (
        client.post(url, {"form": "volume", "v-collection": collection.pk, "v-title": "码头记忆"}).status_code
        == 302
    )
    deadline = (today() + dt.timedelta(days=10)).isoformat()
    response = client.post(url, {"form": "solicitation", "s-topic": "三线建设", "s-deadline": deadline})
    assert response.status_code == 302
    past = client.post(url, {"form": "solicitation", "s-topic": "过期", "s-deadline": "2000-01-01"})
    assert past.status_code == 400 and "截止日期不能早于今天" in past.content.decode()
    page = client.get(url).content.decode()
    assert "示范文史" in page and "码头记忆" in page and "三线建设" in page
    volume = collection.volumes.get()
    item = archive.review_item(world.city.staff, _item(world.city))
    response = client.post(reverse("publishing:archive_place", args=[item.pk]), {"volume": volume.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.volume == volume
    # another conference's staff see none of it
    other = _client(world.county.staff).get(url).content.decode()
    assert "示范文史" not in other and "三线建设" not in other


def test_the_portal_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(12):
        _published(world.city, f"码头回忆之{n}")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public:archive", args=["city"]))
    assert response.content.decode().count('data-testid="archive-item-') == 12
