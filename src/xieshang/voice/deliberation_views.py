"""Online deliberation pages: staff set up, open, close, moderate and report (office pages); members,
invited experts and the public read and post (phone first). Thin adapters over deliberation.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error, status_of
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import has_role

from . import captcha, report_views, reports, selectors, throttle
from . import deliberation as svc
from .models import Deliberation, DeliberationState, Post
from .rules import can_read_board

WRONG_CAPTCHA = gettext_lazy("验证码不正确，请重新计算图中的算式。")
_INPUT = {"class": "form-control"}

# ---------------------------------------------------------------------------- forms


class DeliberationForm(forms.Form):
    """A new topic: question, background, time window, participants, linked activity."""

    title = forms.CharField(label=gettext_lazy("议题"), max_length=200, widget=forms.TextInput(_INPUT))
    question = forms.CharField(label=gettext_lazy("协商问题"), widget=forms.Textarea({**_INPUT, "rows": 3}))
    background = forms.CharField(
        label=gettext_lazy("背景材料"), required=False, widget=forms.Textarea({**_INPUT, "rows": 6})
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput({**_INPUT, "type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=forms.DateTimeInput({**_INPUT, "type": "datetime-local"})
    )
    for_members = forms.BooleanField(label=gettext_lazy("本级政协委员参与"), required=False, initial=True)
    for_public = forms.BooleanField(
        label=gettext_lazy("向公众开放（匿名署名发言，需验证码）"), required=False
    )
    experts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("特邀专家（人才库）"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple({"class": "form-select", "size": 6}),
    )
    activity_id = forms.IntegerField(
        label=gettext_lazy("关联活动编号"), required=False, min_value=1, widget=forms.NumberInput(_INPUT)
    )

    def __init__(self, *args: Any, conference_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        experts = self.fields["experts"]
        assert isinstance(experts, forms.ModelMultipleChoiceField)
        experts.queryset = svc.expert_candidates(conference_id)


class PostForm(forms.Form):
    """An opinion or a reply; the public also give a display name and answer the captcha."""

    body = forms.CharField(
        label=gettext_lazy("我的意见"), max_length=svc.BODY_MAX, widget=forms.Textarea({**_INPUT, "rows": 4})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    display_name = forms.CharField(
        label=gettext_lazy("署名"), required=False, max_length=svc.NAME_MAX, widget=forms.TextInput(_INPUT)
    )
    captcha = forms.CharField(
        label=gettext_lazy("验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput({**_INPUT, "inputmode": "numeric", "autocomplete": "off"}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("隐藏原因"), max_length=svc.REASON_MAX, widget=forms.TextInput(_INPUT)
    )


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("议政报告"), required=False, widget=forms.Textarea({**_INPUT, "rows": 16})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    final = forms.BooleanField(required=False, widget=forms.HiddenInput)


# ---------------------------------------------------------------------------- the office


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(conference_id: int) -> dict[str, Any]:
    return {
        "menu": [],
        "name": "voice",
        "tab_name": "deliberations",
        "counts": selectors.state_counts(conference_id),
    }


@login_required
def deliberation_list(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: the conference's topics; members and experts: the topics open to them."""
    conference_id = _conference_id(request)
    if can_read_board(request.user, conference_id):
        rows = svc.office_deliberations(request.user, conference_id)
        context = {"rows": rows, "can_create": has_role(request.user, conference_id, RoleKind.STAFF)}  # type: ignore[arg-type]
        return render(request, "voice/deliberation/office_list.html", {**context, **_office(conference_id)})
    return render(request, "voice/deliberation/list.html", {"rows": svc.my_deliberations(request.user)})


@login_required
def deliberation_create(request: HttpRequest) -> HttpResponse:
    """Staff set up a topic (as a draft)."""
    conference_id = _conference_id(request)
    if not has_role(request.user, conference_id, RoleKind.STAFF):  # type: ignore[arg-type]
        raise PermissionDenied
    form = DeliberationForm(request.POST or None, conference_id=conference_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            data = svc.DeliberationInput(
                title=cd["title"],
                question=cd["question"],
                background=cd["background"],
                opens_at=cd["opens_at"],
                closes_at=cd["closes_at"],
                for_members=cd["for_members"],
                for_public=cd["for_public"],
                expert_ids=[u.pk for u in cd["experts"]],
                activity_id=cd["activity_id"],
            )
            try:
                found = svc.create_deliberation(request.user, request.conference, data)  # type: ignore[arg-type, attr-defined]
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("议题已创建，开始议政后参与者即可发言。"))
                return redirect("voice:deliberation_manage", found.pk)
    return render(
        request, "voice/deliberation/create.html", {"form": form, **_office(conference_id)}, status=status
    )


def _manage_context(
    request: HttpRequest, found: Deliberation, report: ReportForm | None = None
) -> dict[str, Any]:
    return {
        "deliberation": found,
        "posts": svc.posts_for(request.user, found),
        "themes": svc.themes(found) if found.state != DeliberationState.DRAFT else [],
        "actions": [a for a, row in svc.TRANSITIONS.items() if found.state in row.sources and a != "report"],
        "labels": {a: row.label for a, row in svc.TRANSITIONS.items()},
        "report_form": report or ReportForm(initial={"summary": found.summary, "version": found.version}),
        "events": timeline("deliberation", found.pk),
        "experts": list(found.experts.all()),
        "send_form": report_views.send_form(found),
        "deliveries": reports.deliveries(found),
        "instructions": reports.instructions(found),
        "task_form": report_views.InstructionTaskForm(conference_id=found.conference_id),
        **_office(found.conference_id),
    }


def _staff_topic(request: HttpRequest, pk: int) -> Deliberation:
    found = svc.get_deliberation(request.user, pk)
    if not svc.is_staff(request.user, found):
        raise Http404
    return found


@login_required
def deliberation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the topic, all posts (hidden ones marked), the themes, the report and the timeline."""
    found = _staff_topic(request, pk)
    return render(request, "voice/deliberation/manage.html", _manage_context(request, found))


@login_required
@require_POST
def deliberation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff open or close a topic, or save (and finish) its report."""
    found = _staff_topic(request, pk)
    user: Any = request.user
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        if action == "open":
            svc.open_deliberation(user, found, version=version)
            messages.success(request, _("已开始议政。"))
        elif action == "close":
            svc.close_deliberation(user, found, version=version)
            messages.success(request, _("已结束议政，已按主题生成议政报告初稿，请修改完善。"))
        elif action == "report":
            form = ReportForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "voice/deliberation/manage.html",
                    _manage_context(request, found, form),
                    status=400,
                )
            svc.save_report(
                user,
                found,
                summary=form.cleaned_data["summary"],
                final=form.cleaned_data["final"],
                version=form.cleaned_data["version"],
            )
            messages.success(
                request, _("已形成议政报告。") if form.cleaned_data["final"] else _("报告已保存。")
            )
        else:
            raise Http404
    except AppError as error:
        messages.error(request, error.message)
        return redirect("voice:deliberation_manage", found.pk)
    return redirect("voice:deliberation_manage", found.pk)


# ---------------------------------------------------------------------------- participants


def _page(
    request: HttpRequest, found: Deliberation, form: PostForm | None = None, status: int = 200
) -> HttpResponse:
    posts = svc.posts_for(request.user, found)
    as_user = svc.can_post_as_user(request.user, found)
    replies: dict[int, list[Post]] = {}
    for post in posts:
        if post.parent_id:
            replies.setdefault(post.parent_id, []).append(post)
    context: dict[str, Any] = {
        "deliberation": found,
        "opinions": [(p, replies.get(p.pk, [])) for p in posts if not p.parent_id],
        "count": sum(1 for p in posts if not p.hidden),
        "can_post": svc.can_post(request.user, found),
        "as_user": as_user,
        "can_support": as_user and found.state == DeliberationState.OPEN,
        "is_moderator": svc.is_staff(request.user, found),
        "supported": svc.supported_ids(request.user, found),
        "form": form or PostForm(),
        "hide_form": HideForm(),
    }
    if context["can_post"] and not as_user:
        context["captcha_svg"] = captcha.new_challenge(request.session)
    return render(request, "voice/deliberation/detail.html", context, status=status)


def deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    """The topic as participants see it: question, background, opinions with replies and supports."""
    return _page(request, svc.get_deliberation(request.user, pk))


@require_POST
def deliberation_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Post an opinion or a reply; the public name themselves and answer the captcha."""
    found = svc.get_deliberation(request.user, pk)
    form = PostForm(request.POST)
    if not form.is_valid():
        return _page(request, found, form, status=400)
    cd = form.cleaned_data
    as_user = svc.can_post_as_user(request.user, found)
    if not as_user and found.for_public and not captcha.check(request.session, cd["captcha"]):
        form.add_error("captcha", str(WRONG_CAPTCHA))
        return _page(request, found, form, status=400)
    try:
        svc.post_opinion(
            request.user,
            found,
            body=cd["body"],
            parent_id=cd["parent"],
            display_name=cd["display_name"],
            client="" if as_user else throttle.client_hash(request),
        )
    except AppError as error:
        return _page(request, found, form, status=apply_error(form, error, "body"))
    messages.success(request, _("发言成功。"))
    return redirect("voice:deliberation", found.pk)


def _url(post: Post) -> str:
    return reverse("voice:deliberation", args=[post.deliberation_id])


def _post(request: HttpRequest, pk: int) -> Post:
    post = Post.objects.filter(pk=pk).select_related("deliberation").first()
    if post is None:
        raise Http404
    svc.get_deliberation(request.user, post.deliberation_id)
    return post


@login_required
@require_POST
def deliberation_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support someone else's opinion, once."""
    post = _post(request, pk)
    try:
        svc.support_post(request.user, post)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("voice:deliberation", post.deliberation_id)
    return redirect(f"{_url(post)}#post-{post.pk}")


@login_required
@require_POST
def deliberation_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides a post with a reason."""
    post = _post(request, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写隐藏原因。"))
        return redirect("voice:deliberation", post.deliberation_id)
    try:
        svc.hide_post(request.user, post, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except AppError as error:
        if status_of(error) == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("已隐藏该发言。"))
    return redirect(f"{_url(post)}#post-{post.pk}")
