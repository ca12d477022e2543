"""The publishing office's pages: thin adapters over services and selectors (parse, call, render).

Every write is a POST; a refused write (AppError) re-renders the page with the message beside the form
that failed.
"""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error
from xieshang.opinions import selectors as opinion_selectors
from xieshang.opinions import services as opinion_services

from . import exports, forms, selectors, services
from .models import Article, ArticleState, JournalIssue
from .rules import can_manage_journals, can_use_office, can_write_articles

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 25
EDIT_FIELDS = ["title", "kind", "summary", "body"]

# ---------------------------------------------------------------------------- helpers


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference = getattr(request, "conference", None)
    if conference is None or not can_use_office(request.user, conference.pk):
        raise PermissionDenied
    return int(conference.pk)


def _context(request: HttpRequest, conference_id: int, tab: str) -> dict[str, Any]:
    """The office layout's menu stays the proposal office's; publishing has its own tabs."""
    counts = selectors.state_counts(request.user, conference_id)
    tabs = [(state, label, counts[state]) for state, label in ArticleState.choices]
    return {"menu": [], "name": "publishing", "tabs": tabs, "tab_name": tab}


# ---------------------------------------------------------------------------- articles


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """The conference's articles: search, filter by kind and state, sort, page."""
    conference_id = _office(request)
    form = forms.ArticleFilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_articles(
        selectors.office_articles(request.user, conference_id),
        q=cd.get("q") or "",
        kind=cd.get("kind") or "",
        state=cd.get("state") or "",
        sort=cd.get("sort") or "",
    )
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_write": can_write_articles(request.user, conference_id),
        **_context(request, conference_id, cd.get("state") or "all"),
    }
    return render(request, "publishing/articles.html", context)


def _input(cd: dict[str, Any]) -> services.ArticleInput:
    return services.ArticleInput(title=cd["title"], kind=cd["kind"], summary=cd["summary"], body=cd["body"])


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Staff write a new draft."""
    conference_id = _office(request)
    if not can_write_articles(request.user, conference_id):
        raise PermissionDenied
    form = forms.ArticleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                article = services.create_article(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    _input(form.cleaned_data),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect("publishing:detail", article.pk)
    context = {"form": form, **_context(request, conference_id, "")}
    return render(request, "publishing/form.html", context, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a draft or an article under review; the change is kept as a tracked revision."""
    article = selectors.get_article(request.user, pk)
    if "edit" not in selectors.available_actions(request.user, article):
        raise PermissionDenied
    initial = {name: getattr(article, name) for name in EDIT_FIELDS} | {"version": article.version}
    form = forms.ArticleForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                revision = services.update_article(
                    request.user,  # type: ignore[arg-type]
                    article,
                    _input(cd),
                    note=cd.get("note") or "",
                    version=cd.get("version"),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("修改已保存。") if revision else _("已保存。"))
                return redirect("publishing:detail", article.pk)
    context = {"form": form, "article": article, **_context(request, article.conference_id, "")}
    return render(request, "publishing/form.html", context, status=status)


FORM_ACTIONS = {"return", "publish", "set_cover"}


def _action_form(action: str, article: Article, data: Any = None, files: Any = None) -> djforms.Form:
    kw: dict[str, Any] = {"auto_id": f"id_{action}_%s", "initial": {"version": article.version}}
    if action == "return":
        return forms.ReasonForm(data, **kw)
    if action == "publish":
        return forms.PublishForm(data, **kw)
    if action == "set_cover":
        return forms.CoverForm(data, files, **kw)
    if action in {"submit", "archive", "reopen", "delete"}:
        return forms.VersionForm(data, **kw)
    raise Http404


def _detail_context(
    request: HttpRequest, article: Article, bound: dict[str, djforms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = selectors.available_actions(request.user, article)
    return {
        "article": article,
        "actions": actions,
        "action_forms": {a: bound.get(a) or _action_form(a, article) for a in actions if a in FORM_ACTIONS},
        "revisions": selectors.revisions_with_diff(article),
        "events": timeline("article", article.pk),
        "is_public": selectors.public_articles(article.conference_id).filter(pk=article.pk).exists(),
        **_context(request, article.conference_id, ""),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One article: its text, state, tracked changes, timeline and the actions allowed to this user."""
    article = selectors.get_article(request.user, pk)
    return render(request, "publishing/detail.html", _detail_context(request, article))


def _run(action: str, request: HttpRequest, article: Article, form: djforms.Form) -> str:
    """Call the service of `action` with the form's data; returns the success message."""
    user: Any = request.user
    cd = form.cleaned_data
    version = cd.get("version")
    if action == "submit":
        services.submit_article(user, article, version=version)
        return _("已提交审核。")
    if action == "return":
        services.return_article(user, article, reason=cd["reason"], version=version)
        return _("已退回修改。")
    if action == "publish":
        services.publish_article(user, article, publish_at=cd.get("publish_at"), version=version)
        return _("已审核发布。")
    if action == "archive":
        services.archive_article(user, article, version=version)
        return _("已从门户撤下。")
    if action == "reopen":
        services.reopen_article(user, article, version=version)
        return _("已转为草稿。")
    if action == "set_cover":
        services.set_cover(user, article, cd["cover"], version=version)
        return _("题图已上传。")
    if action == "delete":
        services.delete_article(user, article, version=version)
        return _("已删除。")
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action from the detail page."""
    article = selectors.get_article(request.user, pk)
    if action not in selectors.available_actions(request.user, article):
        raise PermissionDenied
    form = _action_form(action, article, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message = _run(action, request, article, form)
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, message)
            if action == "delete":
                return redirect("publishing:articles")
            return redirect("publishing:detail", article.pk)
    article = selectors.get_article(request.user, pk)
    return render(
        request, "publishing/detail.html", _detail_context(request, article, {action: form}), status=status
    )


# ---------------------------------------------------------------------------- journals and issues


@login_required
def journal_list(request: HttpRequest) -> HttpResponse:
    """The conference's journals and their issues; staff add a journal or open the next issue."""
    conference_id = _office(request)
    can_manage = can_manage_journals(request.user, conference_id)
    journals = selectors.journals(request.user, conference_id)
    journal_form = forms.JournalForm(request.POST if request.POST.get("form") == "journal" else None)
    issue_form = forms.IssueForm(
        request.POST if request.POST.get("form") == "issue" else None,
        journals=journals,
        initial={"year": today().year},
    )
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        status = 400
        user: Any = request.user
        try:
            if journal_form.is_bound and journal_form.is_valid():
                cd = journal_form.cleaned_data
                services.create_journal(user, request.conference, name=cd["name"], kind=cd["kind"])  # type: ignore[attr-defined]
                messages.success(request, _("刊物已添加。"))
                return redirect("publishing:journals")
            if issue_form.is_bound and issue_form.is_valid():
                cd = issue_form.cleaned_data
                issue = services.create_issue(user, cd["journal"], year=cd["year"], title=cd["title"])
                messages.success(request, _("已新建%(label)s。") % {"label": issue.label})
                return redirect("publishing:issue", issue.pk)
        except AppError as error:
            status = apply_error(journal_form if journal_form.is_bound else issue_form, error)
    context = {
        "journals": journals,
        "issues": selectors.office_issues(request.user, conference_id),
        "journal_form": journal_form,
        "issue_form": issue_form,
        "can_manage": can_manage,
        **_context(request, conference_id, "journals"),
    }
    return render(request, "publishing/journals.html", context, status=status)


ISSUE_ACTIONS = {"add", "remove", "up", "down", "publish", "withdraw"}


def _issue_action(request: HttpRequest, issue: JournalIssue, action: str, form: forms.ItemForm) -> str:
    user: Any = request.user
    version = form.cleaned_data.get("version")
    item_id = int(request.POST.get("item") or 0)
    if action == "add":
        cd = form.cleaned_data
        services.add_item(
            user,
            issue,
            article_id=cd.get("article"),
            proposal_id=cd.get("proposal"),
            report_id=cd.get("report"),
        )
        return _("已编入本期。")
    if action == "remove":
        services.remove_item(user, issue, item_id, version=version)
        return _("已移出本期。")
    if action in {"up", "down"}:
        services.move_item(user, issue, item_id, up=action == "up", version=version)
        return _("顺序已调整。")
    if action == "publish":
        services.publish_issue(user, issue, version=version)
        return _("本期已出版，门户可见。")
    services.withdraw_issue(user, issue, version=version)
    return _("本期已撤回编辑，门户不再显示。")


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue: its items in order; staff compose it, publish it or withdraw it."""
    issue = selectors.get_issue(request.user, pk)
    can_manage = can_manage_journals(request.user, issue.conference_id)
    candidates = selectors.candidates(issue.conference_id)
    form = forms.ItemForm(request.POST or None, candidates=candidates, initial={"version": issue.version})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not can_manage or action not in ISSUE_ACTIONS:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                message = _issue_action(request, issue, action, form)
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, message)
                return redirect("publishing:issue", issue.pk)
        issue = selectors.get_issue(request.user, pk)
    context = {
        "issue": issue,
        "items": selectors.issue_items(issue),
        "form": form,
        "can_manage": can_manage,
        **_context(request, issue.conference_id, "journals"),
    }
    return render(request, "publishing/issue.html", context, status=status)


def _filename(issue: JournalIssue, ext: str) -> str:
    return f"{issue.journal.name}-{issue.year}年第{issue.number}期.{ext}"


@login_required
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue in its print layout (.docx)."""
    issue = selectors.get_issue(request.user, pk)
    response = HttpResponse(exports.issue_docx(issue, selectors.issue_items(issue)), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, _filename(issue, "docx"))
    return response


@login_required
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue in its print layout (.pdf, Chinese fonts embedded)."""
    issue = selectors.get_issue(request.user, pk)
    response = HttpResponse(
        exports.issue_pdf(issue, selectors.issue_items(issue)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(True, _filename(issue, "pdf"))
    return response


# ---------------------------------------------------------------------------- opinion reports on the portal


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The conference's adopted opinion reports; staff choose which the portal shows."""
    conference_id = _office(request)
    can_manage = can_manage_journals(request.user, conference_id)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        report = opinion_selectors.get_report(request.user, int(request.POST.get("report") or 0))
        try:
            updated = opinion_services.set_public(
                request.user,  # type: ignore[arg-type]
                report,
                public=request.POST.get("public") == "1",
            )
        except AppError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已在门户公开。") if updated.is_public else _("已从门户撤下。"))
        return redirect("publishing:reports")
    qs = opinion_selectors.visible_reports(request.user, conference_id).filter(state="adopted")
    context = {
        "page": Paginator(qs.order_by("-decided_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "can_manage": can_manage,
        **_context(request, conference_id, "reports"),
    }
    return render(request, "publishing/reports.html", context)
