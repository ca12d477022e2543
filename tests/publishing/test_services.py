"""Editorial rules beyond the state table: four eyes, tracked changes, audit, notifications, issue
numbering and composition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xieshang.audit.models import AuditEvent
from xieshang.core.errors import AppError, ErrorCode
from xieshang.notify.models import Notification
from xieshang.opinions import services as opinion_services
from xieshang.proposals import services as proposal_services
from xieshang.publishing import services
from xieshang.publishing.models import Article, JournalIssue
from xieshang.publishing.services import ArticleInput

from ..opinions import walk as opinion_walk
from ..proposals import walk as proposal_walk
from . import walk


def test_the_author_cannot_publish_their_own_article(world):
    # given staff who wrote an article and sent it for review
    article = walk.review(world.city)
    # when the author tries to publish it, then they are refused with the four-eyes message
    with pytest.raises(AppError) as caught:
        services.publish_article(world.city.staff, article)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    assert "自己撰写" in caught.value.message
    # and another staff member or a leader may
    services.publish_article(world.city.leader, article)
    assert Article.objects.get(pk=article.pk).state == "published"


def test_every_step_is_audited_with_its_states(world):
    article = walk.archived(world.city)
    events = list(AuditEvent.objects.filter(target_type="article", target_id=article.pk).order_by("id"))
    assert [(e.verb, e.from_state, e.to_state) for e in events] == [
        ("create", "", "draft"),
        ("submit", "draft", "review"),
        ("publish", "review", "published"),
        ("archive", "published", "archived"),
    ]
    assert all(e.conference_id == world.city.conference.pk for e in events)


def test_an_edit_keeps_a_revision_with_a_tracked_diff(world):
    from xieshang.publishing.selectors import revisions_with_diff

    article = walk.review(world.city)
    reviewer = walk.reviewer(world.city)
    data = ArticleInput(
        title=article.title, summary=article.summary, body=article.body.replace("营商环境", "法治化营商环境")
    )
    revision = services.update_article(reviewer, article, data, note="规范表述")
    assert revision is not None and revision.editor == reviewer
    rows = revisions_with_diff(article)
    assert len(rows) == 1 and [c["field"] for c in rows[0]["changes"]] == ["body"]
    assert "<ins>法治化</ins>" in rows[0]["changes"][0]["diff"]
    # saving the same text again records nothing
    same = Article.objects.get(pk=article.pk)
    assert services.update_article(reviewer, same, data) is None


def test_an_edit_with_a_stale_version_is_refused(world):
    article = walk.draft(world.city)
    services.update_article(
        world.city.staff, article, ArticleInput(title="第一次修改"), version=article.version
    )
    with pytest.raises(AppError) as caught:
        services.update_article(
            world.city.staff, article, ArticleInput(title="第二次修改"), version=article.version
        )
    assert caught.value.code == ErrorCode.STALE_VERSION


def test_bad_input_is_refused_field_by_field(world):
    for data, field in [
        (ArticleInput(title=""), "title"),
        (ArticleInput(title="标题", kind="blog"), "kind"),
        (ArticleInput(title="x" * 201), "title"),
        (ArticleInput(title="标题", body="有\x00字符"), "body"),
    ]:
        with pytest.raises(AppError) as caught:
            services.create_article(world.city.staff, world.city.conference, data)
        assert field in caught.value.fields
    empty = services.create_article(world.city.staff, world.city.conference, ArticleInput(title="空文章"))
    with pytest.raises(AppError) as caught:
        services.submit_article(world.city.staff, empty)
    assert "body" in caught.value.fields


def test_only_staff_write_articles(world):
    for user in [world.city.member, world.city.leader, world.city.unit_user, world.county.staff]:
        with pytest.raises(AppError) as caught:
            services.create_article(user, world.city.conference, ArticleInput(title="标题"))
        assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_reviewers_and_the_author_are_notified_after_commit(world, django_capture_on_commit_callbacks):
    article = walk.draft(world.city)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_article(world.city.staff, article)
    notified = set(Notification.objects.filter(verb="article_submitted").values_list("user_id", flat=True))
    assert world.city.leader.pk in notified and world.city.staff.pk not in notified
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(world.city.leader, article)
    assert Notification.objects.filter(verb="article_published", user=world.city.staff).exists()


def test_a_time_already_past_publishes_at_once(world):
    article = services.publish_article(
        walk.reviewer(world.city), walk.review(world.city), publish_at=timezone.now() - dt.timedelta(days=3)
    )
    assert abs((article.publish_at - timezone.now()).total_seconds()) < 60


def test_issues_are_numbered_per_journal_and_year(world):
    staff = world.city.staff
    magazine = services.create_journal(staff, world.city.conference, name="《示范市政协》")
    bulletin = services.create_journal(staff, world.city.conference, name="政协信息", kind="bulletin")
    year = timezone.localdate().year
    numbers = [
        services.create_issue(staff, magazine, year=year).number,
        services.create_issue(staff, magazine, year=year).number,
        services.create_issue(staff, bulletin, year=year).number,
        services.create_issue(staff, magazine, year=year - 1).number,
        services.create_issue(staff, magazine, year=year).number,
    ]
    assert numbers == [1, 2, 1, 1, 3]
    assert magazine.name == "示范市政协" and str(magazine) == "《示范市政协》"
    county = services.create_journal(world.county.staff, world.county.conference, name="示范市政协")
    assert services.create_issue(world.county.staff, county, year=year).number == 1


def test_journals_are_managed_by_their_own_staff_only(world):
    journal = services.create_journal(world.city.staff, world.city.conference, name="政协信息")
    with pytest.raises(AppError):
        services.create_journal(world.city.staff, world.city.conference, name="政协信息")
    for user in [world.county.staff, world.city.leader, world.city.member]:
        with pytest.raises(AppError) as caught:
            services.create_issue(user, journal)
        assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_an_issue_is_composed_of_public_pieces_of_its_own_conference(world):
    staff = world.city.staff
    issue = services.create_issue(
        staff, services.create_journal(staff, world.city.conference, name="政协信息")
    )
    article = walk.published(world.city)
    proposal = proposal_walk.evaluated(world.city)
    proposal_services.set_published(staff, proposal, published=True)
    report = opinion_walk.adopted(world.city)
    opinion_services.set_public(staff, report, public=True)
    services.add_item(staff, issue, article_id=article.pk)
    services.add_item(staff, issue, proposal_id=proposal.pk)
    services.add_item(staff, issue, report_id=report.pk)
    assert [i.position for i in issue.items.order_by("position")] == [1, 2, 3]
    refused = [
        {"article_id": walk.draft(world.city).pk},
        {"article_id": walk.published(world.county).pk},
        {"proposal_id": proposal_walk.accepted(world.city).pk},
        {"report_id": opinion_walk.adopted(world.city).pk},
        {"article_id": article.pk, "proposal_id": proposal.pk},
        {},
    ]
    for kwargs in refused:
        with pytest.raises(AppError) as caught:
            services.add_item(staff, issue, **kwargs)
        assert caught.value.code == ErrorCode.INVALID_INPUT, kwargs
    with pytest.raises(AppError) as caught:
        services.add_item(staff, issue, article_id=article.pk)
    assert caught.value.code == ErrorCode.DUPLICATE
    # reorder: the report moves up above the proposal
    last = issue.items.get(report=report)
    services.move_item(staff, issue, last.pk, up=True)
    assert [i.report_id is not None for i in issue.items.order_by("position")] == [False, True, False]
    # an article printed in an issue cannot be deleted
    services.archive_article(staff, article)
    with pytest.raises(AppError) as caught:
        services.delete_article(staff, Article.objects.get(pk=article.pk))
    assert caught.value.code == ErrorCode.INVALID_STATE


def test_an_issue_needs_content_to_be_published_and_is_then_frozen(world):
    staff = world.city.staff
    issue = services.create_issue(
        staff, services.create_journal(staff, world.city.conference, name="政协信息")
    )
    with pytest.raises(AppError) as caught:
        services.publish_issue(staff, issue)
    assert caught.value.code == ErrorCode.INVALID_STATE
    services.add_item(staff, issue, article_id=walk.published(world.city).pk)
    issue = services.publish_issue(staff, issue)
    assert issue.state == JournalIssue.State.PUBLISHED and issue.published_on is not None
    with pytest.raises(AppError) as caught:
        services.add_item(staff, issue, article_id=walk.published(world.city, title="另一篇").pk)
    assert caught.value.code == ErrorCode.INVALID_STATE
