"""Every URL pattern of the project and every operation of the API, with their arguments filled in.

The URL patterns come from the URLconf and the operations from the OpenAPI document, so a new page or
endpoint is enumerated without touching this module. Filling in its arguments needs an entry in
REGISTRY (or a namespace-wide default in DEFAULTS): a pattern nobody can fill is reported by name, so
the developer who added it is told to add it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespaced name, its full route and the names of its arguments."""

    name: str
    route: str
    kwargs: tuple[str, ...]
    namespace: str


@dataclass(frozen=True)
class Obj:
    """An argument that points at one object of the city conference (a key of fixtures.build_city)."""

    key: str


@dataclass(frozen=True)
class Fixed:
    """An argument that is not an object of the city conference (a year, an action, a list's name)."""

    value: Any


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            # An unnamed pattern (the admin's catch-alls) is known by its route.
            name = entry.name or f"<{route}>"
            full = f"{namespace}:{name}" if namespace else name
            yield Route(full, route, tuple(entry.pattern.regex.groupindex), namespace)


def all_routes() -> list[Route]:
    """Every pattern of the root URLconf, recursively, in URLconf order."""
    return list(_walk(get_resolver(), "/", ""))


# Arguments by URL name. Obj("x") is the pk of the city's object x; Fixed(v) is a literal value.
REGISTRY: dict[str, dict[str, Obj | Fixed]] = {
    # opinions
    "opinions:detail": {"pk": Obj("report")},
    "opinions:edit": {"pk": Obj("report")},
    "opinions:act": {"pk": Obj("report"), "action": Fixed("adopt")},
    "opinions:feedback": {"pk": Obj("instruction")},
    "opinions:attachment": {"pk": Obj("report_attachment")},
    "opinions:worklist": {"name": Fixed("pending")},
    "opinions:issue": {"pk": Obj("opinion_issue")},
    "opinions:issue_docx": {"pk": Obj("opinion_issue")},
    # activities
    "activities:outreach_to_proposal": {"pk": Obj("outreach")},
    "activities:detail": {"pk": Obj("activity")},
    "activities:respond": {"pk": Obj("activity")},
    "activities:leave": {"pk": Obj("activity")},
    "activities:checkin_qr": {"pk": Obj("activity"), "code": Obj("activity_code")},
    "activities:document": {"pk": Obj("activity_document")},
    "activities:manage": {"pk": Obj("activity")},
    "activities:edit": {"pk": Obj("activity")},
    "activities:act": {"pk": Obj("activity"), "action": Fixed("cancel")},
    "activities:invite": {"pk": Obj("activity")},
    "activities:mark": {"pk": Obj("activity")},
    "activities:speech": {"pk": Obj("activity")},
    "activities:outcome": {"pk": Obj("activity")},
    "activities:qr": {"pk": Obj("activity")},
    "activities:attendance_xlsx": {"pk": Obj("activity")},
    "activities:signin_pdf": {"pk": Obj("activity")},
    "activities:decide_leave": {"pk": Obj("leave")},
    # proposals
    "proposals:detail": {"pk": Obj("proposal")},
    "proposals:edit": {"pk": Obj("proposal")},
    "proposals:act": {"pk": Obj("assigned_proposal"), "action": Fixed("close")},
    "proposals:reply_form_docx": {"pk": Obj("assigned_proposal")},
    "proposals:assignment_act": {"pk": Obj("assignment"), "action": Fixed("remind")},
    "proposals:evaluate": {"pk": Obj("reply")},
    "proposals:letter_file": {"pk": Obj("reply")},
    "proposals:attachment": {"pk": Obj("proposal_attachment")},
    "proposals:attachment_delete": {"pk": Obj("proposal_attachment")},
    "proposals:decide_reassignment": {"pk": Obj("reassignment")},
    "proposals:decide_extension": {"pk": Obj("extension")},
    "proposals:worklist": {"name": Fixed("review")},
    "proposals:export_xlsx": {"name": Fixed("review")},
    "proposals:compilation_docx": {"pk": Obj("session")},
    # duty
    "duty:card": {"year": Fixed(2026)},
    "duty:card_docx": {"year": Fixed(2026)},
    "duty:card_pdf": {"year": Fixed(2026)},
    "duty:member_card": {"user_id": Obj("member"), "year": Fixed(2026)},
    "duty:member_card_docx": {"user_id": Obj("member"), "year": Fixed(2026)},
    "duty:member_card_pdf": {"user_id": Obj("member"), "year": Fixed(2026)},
    # deployed tasks
    "tasks:checklist": {"pk": Obj("checklist")},
    "tasks:source": {"pk": Obj("source")},
    "tasks:detail": {"pk": Obj("task")},
    "tasks:act": {"pk": Obj("task"), "action": Fixed("remind")},
    "tasks:report_file": {"pk": Obj("progress")},
    # indicators
    "indicators:dashboard": {"pk": Obj("indicator")},
    "indicators:export": {"pk": Obj("indicator")},
    "indicators:from_document": {"document_id": Obj("source")},
    # publishing
    "publishing:detail": {"pk": Obj("article")},
    "publishing:edit": {"pk": Obj("article")},
    "publishing:act": {"pk": Obj("article"), "action": Fixed("archive")},
    "publishing:issue": {"pk": Obj("journal_issue")},
    "publishing:issue_docx": {"pk": Obj("journal_issue")},
    "publishing:issue_pdf": {"pk": Obj("journal_issue")},
    "publishing:archive_item": {"pk": Obj("archive_item")},
    "publishing:archive_act": {"pk": Obj("archive_item"), "action": Fixed("unpublish")},
    "publishing:archive_place": {"pk": Obj("archive_item")},
    "publishing:archive_file": {"pk": Obj("archive_item")},
    "publishing:archive_volume_docx": {"pk": Obj("volume")},
    "publishing:archive_volume_pdf": {"pk": Obj("volume")},
    "publishing:archive_edit": {"pk": Obj("archive_item")},
    "publishing:culture_project": {"pk": Obj("culture_project")},
    "publishing:culture_project_edit": {"pk": Obj("culture_project")},
    "publishing:culture_project_public": {"pk": Obj("culture_project")},
    "publishing:award": {"pk": Obj("award")},
    "publishing:award_settings": {"pk": Obj("award")},
    "publishing:award_jurors": {"pk": Obj("award")},
    "publishing:award_act": {"pk": Obj("award"), "action": Fixed("decide")},
    "publishing:award_nominate_office": {"pk": Obj("award")},
    "publishing:culture_nominate": {"pk": Obj("award")},
    "publishing:culture_withdraw": {"pk": Obj("award"), "nomination_id": Obj("nomination")},
    "publishing:award_score": {"pk": Obj("award")},
    "publishing:friend": {"pk": Obj("friend")},
    "publishing:friend_account": {"pk": Obj("friend"), "action": Fixed("disable")},
    # voice
    "voice:adopt": {"pk": Obj("lead")},
    "voice:convert": {"pk": Obj("lead")},
    "voice:detail": {"pk": Obj("message")},
    "voice:act": {"pk": Obj("message"), "action": Fixed("close")},
    "voice:attachment": {"pk": Obj("message_attachment")},
    "voice:new": {"code": Fixed("city")},
    "voice:submitted": {"code": Fixed("city")},
    "voice:answers": {"code": Fixed("city")},
    "voice:deliberation": {"pk": Obj("deliberation")},
    "voice:deliberation_post": {"pk": Obj("deliberation")},
    "voice:deliberation_manage": {"pk": Obj("deliberation")},
    "voice:deliberation_act": {"pk": Obj("deliberation"), "action": Fixed("close")},
    "voice:deliberation_support": {"pk": Obj("post")},
    "voice:deliberation_hide": {"pk": Obj("post")},
    "voice:deliberation_report": {"pk": Obj("deliberation")},
    "voice:deliberation_report_send": {"pk": Obj("deliberation")},
    "voice:deliberation_report_instruct": {"pk": Obj("deliberation")},
    "voice:deliberation_instruction_task": {
        "pk": Obj("deliberation"),
        "instruction_pk": Obj("deliberation_instruction"),
    },
    "voice:survey_manage": {"pk": Obj("survey")},
    "voice:survey_edit": {"pk": Obj("survey")},
    "voice:survey_question_add": {"pk": Obj("survey")},
    "voice:survey_question_delete": {"pk": Obj("survey_question")},
    "voice:survey_jumps": {"pk": Obj("survey_question")},
    "voice:survey_act": {"pk": Obj("survey"), "action": Fixed("close")},
    "voice:survey_results": {"pk": Obj("survey")},
    "voice:survey_export": {"pk": Obj("survey")},
    "voice:survey_answer": {"pk": Obj("survey")},
    # research: study
    "research:study_member": {"user_id": Obj("member")},
    "research:study_plan": {"pk": Obj("study_plan")},
    "research:study_plan_edit": {"pk": Obj("study_plan")},
    "research:study_material_add": {"pk": Obj("study_plan")},
    "research:study_session_add": {"pk": Obj("study_plan")},
    "research:study_material_file": {"pk": Obj("study_material")},
    "research:study_material_delete": {"pk": Obj("study_material")},
    "research:study_session_delete": {"pk": Obj("study_session")},
    "research:study_question_edit": {"pk": Obj("question")},
    "research:study_question_active": {"pk": Obj("question")},
    "research:study_quiz": {"pk": Obj("quiz")},
    "research:study_quiz_edit": {"pk": Obj("quiz")},
    "research:study_quiz_act": {"pk": Obj("quiz"), "action": Fixed("close")},
    "research:study_quiz_start": {"pk": Obj("quiz")},
    "research:study_quiz_results": {"pk": Obj("quiz")},
    "research:study_quiz_results_xlsx": {"pk": Obj("quiz")},
    "research:study_attempt": {"pk": Obj("attempt")},
    "research:study_paper": {"pk": Obj("paper")},
    "research:study_paper_edit": {"pk": Obj("paper")},
    "research:study_paper_review": {"pk": Obj("paper"), "action": Fixed("accept")},
    "research:study_paper_file": {"pk": Obj("paper")},
    # research: topics and forums
    "research:topic": {"pk": Obj("topic")},
    "research:topic_edit": {"pk": Obj("topic")},
    "research:topic_report_docx": {"pk": Obj("topic")},
    "research:topic_draft_file": {"pk": Obj("topic"), "draft_id": Obj("topic_draft")},
    "research:topic_act": {"pk": Obj("topic"), "name": Fixed("close")},
    "research:forum": {"pk": Obj("forum")},
    "research:forum_docx": {"pk": Obj("forum")},
    "research:forum_pdf": {"pk": Obj("forum")},
    "research:forum_file": {"pk": Obj("forum"), "submission_id": Obj("forum_submission")},
    "research:forum_act": {"pk": Obj("forum"), "name": Fixed("close")},
    # the public portal (public pages; the conference is the city's)
    "public:detail": {"pk": Obj("published_proposal")},
    "public:article": {"code": Fixed("city"), "pk": Obj("article")},
    "public:report": {"code": Fixed("city"), "pk": Obj("public_report")},
    "public:issue": {"code": Fixed("city"), "pk": Obj("journal_issue")},
    "public:archive_item": {"code": Fixed("city"), "pk": Obj("public_archive_item")},
    "public:archive_file": {"code": Fixed("city"), "pk": Obj("public_archive_item")},
    "public:award": {"code": Fixed("city"), "pk": Obj("award")},
    "public:survey": {"code": Fixed("city"), "pk": Obj("survey")},
    "public:survey_done": {"code": Fixed("city"), "pk": Obj("survey")},
}

# Arguments that every pattern of a namespace fills the same way: namespace → argument → value.
DEFAULTS: dict[str, dict[str, Obj | Fixed]] = {
    "public": {"code": Fixed("city")},
    # The admin's object pages: any id will do, nobody of the test world passes the admin's gate.
    "admin": {
        "object_id": Fixed("1"),
        "content_type_id": Fixed("1"),
        "app_label": Fixed("audit"),
        "url": Fixed("nowhere/"),
        "id": Fixed("1"),
    },
}


class Unfilled(LookupError):
    """A pattern whose arguments neither REGISTRY nor DEFAULTS can fill."""


def arguments(route: Route) -> dict[str, Obj | Fixed]:
    """How to fill each argument of `route`, or Unfilled naming what is missing."""
    given = dict(DEFAULTS.get(route.namespace, {}))
    given.update(REGISTRY.get(route.name, {}))
    missing = [k for k in route.kwargs if k not in given]
    if missing:
        raise Unfilled(f"{route.name} ({route.route}): add its arguments {missing} to REGISTRY in {__name__}")
    return {k: given[k] for k in route.kwargs}


def fill(route: Route, objects: dict[str, Any]) -> tuple[str, bool]:
    """The concrete path of `route` and whether it points at an object of the city conference."""
    path = route.route
    points_at_object = False
    for name, value in arguments(route).items():
        if isinstance(value, Obj):
            points_at_object = True
            text = str(objects[value.key])
        else:
            text = str(value.value)
        path = substitute(path, name, text)
    return path.replace("^", "").removesuffix("$"), points_at_object


def substitute(route: str, name: str, text: str) -> str:
    """Put `text` where the converter `<…:name>` or the regex group `(?P<name>…)` is."""
    start = route.find(f":{name}>")
    if start == -1:
        start = route.find(f"<{name}>")
    if start != -1:
        open_at = route.rfind("<", 0, start + 1)
        close_at = route.index(">", start)
        return route[:open_at] + text + route[close_at + 1 :]
    group = route.find(f"(?P<{name}>")
    depth, end = 0, group
    for end in range(group, len(route)):
        depth += {"(": 1, ")": -1}.get(route[end], 0)
        if depth == 0:
            break
    return route[:group] + text + route[end + 1 :]
