"""Reads of research topics and forums, limited to what the actor may see: a conference's topics to its
staff and leaders; a forum to the host's and the invited conferences' staff and leaders, each invited
conference seeing only its own submission."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xieshang.activities.models import Activity
from xieshang.conferences.models import Conference, HandlingUnit
from xieshang.people.models import Member, RoleKind
from xieshang.people.selectors import conference_ids, talent_pool
from xieshang.proposals.models import Proposal

from . import topics_workflow as workflow
from .models import Forum, ForumSubmission, ResearchTopic, TopicState, TopicTask
from .topics_rules import actor_roles, can_host_forum

OFFICE_ROLES = (RoleKind.STAFF, RoleKind.LEADER)


def _office_ids(user: Any) -> set[int]:
    return conference_ids(user, *OFFICE_ROLES) if user.is_authenticated else set()


# ---------------------------------------------------------------------------- topics


def office_topics(user: Any, conference_id: int) -> QuerySet[ResearchTopic]:
    """Every topic of a conference where the user is staff or a leader (otherwise none)."""
    if conference_id not in _office_ids(user):
        return ResearchTopic.objects.none()
    return ResearchTopic.objects.filter(conference_id=conference_id).select_related("lead_committee")


def get_topic(user: Any, topic_id: int) -> ResearchTopic:
    """One topic of a conference where the user is staff or a leader, or 404."""
    topic = (
        ResearchTopic.objects.select_related("conference", "lead_committee", "origin_proposal", "report")
        .filter(pk=topic_id, conference_id__in=_office_ids(user))
        .first()
    )
    if topic is None:
        raise Http404
    return topic


def filter_topics(
    qs: QuerySet[ResearchTopic], *, q: str = "", state: str = "", kind: str = "", year: int | None = None
) -> QuerySet[ResearchTopic]:
    """Narrow the list by search words (title, background, proposer, committee), state, kind and year."""
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(background__icontains=word)
            | Q(proposer_name__icontains=word)
            | Q(lead_committee__name__icontains=word)
        )
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-updated_at", "-id")


def state_counts(user: Any, conference_id: int) -> dict[str, int]:
    """How many topics of the conference are in each state."""
    counts = dict.fromkeys(TopicState.values, 0)
    for state in office_topics(user, conference_id).values_list("state", flat=True):
        counts[state] += 1
    return counts


def available_actions(user: Any, topic: ResearchTopic) -> list[str]:
    """The workflow actions this user may take on the topic now, in table order."""
    roles = actor_roles(user, topic)
    return [
        action
        for action, row in workflow.TRANSITIONS.items()
        if topic.state in row.sources and row.roles & roles
    ]


def topic_parts(topic: ResearchTopic) -> dict[str, Any]:
    """Everything the detail page shows beside the topic itself."""
    return {
        "group": list(topic.group.select_related("user").order_by("role", "id")),
        "partners": list(topic.partners.all()),
        "milestones": list(topic.milestones.select_related("activity")),
        "drafts": list(topic.drafts.select_related("author").order_by("-number")),
        "transmissions": list(topic.transmissions.all()),
        "instructions": list(topic.instructions.all()),
        "follow_ups": list(
            TopicTask.objects.filter(topic=topic).select_related("task", "instruction").order_by("id")
        ),
    }


def get_draft_file(user: Any, topic_id: int, draft_id: int) -> Any:
    """A draft with a file, of a topic the user may read, or 404."""
    topic = get_topic(user, topic_id)
    draft = topic.drafts.filter(pk=draft_id).exclude(file="").first()
    if draft is None:
        raise Http404
    return draft


def group_candidates(conference_id: int, q: str = "") -> QuerySet[Member]:
    """Members of the conference for the topic group, searched in the talent pool by expertise,
    workplace, name, sector, party or committee."""
    return talent_pool([conference_id], q=q)


def activity_choices(conference_id: int) -> QuerySet[Activity]:
    """Activities a milestone may link to: the conference's own and those it joins (not cancelled),
    newest first."""
    return (
        Activity.objects.filter(Q(conference_id=conference_id) | Q(participants__id=conference_id))
        .exclude(state="cancelled")
        .distinct()
        .order_by("-starts_at")
    )


def proposal_choices(conference_id: int) -> QuerySet[Proposal]:
    """Proposals of the conference that a topic may start from (not drafts)."""
    return (
        Proposal.objects.filter(conference_id=conference_id)
        .exclude(state__in=["draft", "submitted"])
        .order_by("-id")
    )


def search_proposals(conference_id: int, q: str, limit: int = 10) -> list[Proposal]:
    """Proposals of the conference whose subject holds every search word, newest first."""
    qs = proposal_choices(conference_id)
    for word in q.split()[:5]:
        qs = qs.filter(title__icontains=word)
    return list(qs[:limit])


def get_proposal(user: Any, conference_id: int, proposal_id: int) -> Proposal:
    """A proposal of the conference a topic may start from, for its staff, or 404."""
    if conference_id not in conference_ids(user, RoleKind.STAFF):
        raise Http404
    proposal = proposal_choices(conference_id).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


def unit_choices(conference_id: int) -> QuerySet[HandlingUnit]:
    """Handling units serving the conference (for follow-up tasks)."""
    return HandlingUnit.objects.filter(conferences__id=conference_id, is_active=True).order_by("name")


# ---------------------------------------------------------------------------- forums


def forums(user: Any, conference_id: int) -> QuerySet[Forum]:
    """Forums the conference hosts or is invited to, when the user is its staff or a leader."""
    if conference_id not in _office_ids(user):
        return Forum.objects.none()
    return (
        Forum.objects.filter(Q(conference_id=conference_id) | Q(invitations__conference_id=conference_id))
        .select_related("conference")
        .distinct()
        .order_by("-held_on", "-id")
    )


def get_forum(user: Any, forum_id: int) -> Forum:
    """A forum the user's conference hosts or is invited to (as staff or a leader), or 404."""
    ids = _office_ids(user)
    forum = (
        Forum.objects.select_related("conference")
        .filter(pk=forum_id)
        .filter(Q(conference_id__in=ids) | Q(invitations__conference_id__in=ids))
        .distinct()
        .first()
    )
    if forum is None:
        raise Http404
    return forum


def visible_submissions(user: Any, forum: Forum) -> QuerySet[ForumSubmission]:
    """All submissions for the host's people; for an invited conference's people only their own."""
    qs = forum.submissions.select_related("conference", "topic", "submitted_by").order_by(
        "conference_id", "id"
    )
    ids = _office_ids(user)
    if forum.conference_id in ids:
        return qs
    return qs.filter(conference_id__in=ids)


def proceedings(forum: Forum) -> QuerySet[ForumSubmission]:
    """Every submission in the order printed: the host first, then the invited in invitation order."""
    return forum.submissions.select_related("conference", "topic").order_by("conference_id", "id")


def submitting_conferences(user: Any, forum: Forum) -> list[Conference]:
    """The user's conferences that take part in the forum and where the user is staff."""
    ids = conference_ids(user, RoleKind.STAFF) if user.is_authenticated else set()
    taking_part = {forum.conference_id, *forum.invitations.values_list("conference_id", flat=True)}
    return list(Conference.objects.filter(pk__in=ids & taking_part).order_by("id"))


def invitable_conferences(forum: Forum) -> QuerySet[Conference]:
    """Conferences the host may still invite: any other, not yet invited."""
    invited = forum.invitations.values_list("conference_id", flat=True)
    return Conference.objects.exclude(pk=forum.conference_id).exclude(pk__in=invited).order_by("level", "id")


def reportable_topics(conference_id: int) -> QuerySet[ResearchTopic]:
    """Topics of a conference with a submitted report, for a forum submission."""
    return ResearchTopic.objects.filter(conference_id=conference_id, report__isnull=False).order_by(
        "-year", "-id"
    )


def is_host(user: Any, forum: Forum) -> bool:
    """Whether the user is staff or a leader of the host conference."""
    return forum.conference_id in _office_ids(user)


def can_compile(user: Any, forum: Forum) -> bool:
    """The host's staff compile the proceedings."""
    return can_host_forum(user, forum)


def get_submission_file(user: Any, forum_id: int, submission_id: int) -> ForumSubmission:
    """A submission's uploaded file that the user may see, or 404."""
    forum = get_forum(user, forum_id)
    submission = visible_submissions(user, forum).filter(pk=submission_id).exclude(file="").first()
    if submission is None:
        raise Http404
    return submission
