"""The public portal: proposals and replies that staff published, readable without login."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from xieshang.proposals import selectors

PAGE_SIZE = 20


def proposal_list(request: HttpRequest) -> HttpResponse:
    """Published proposals, newest first, with a title search."""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.published_proposals()
    if q:
        qs = qs.filter(title__icontains=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/public/list.html", {"page": page, "q": q})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published proposal with its reply letters."""
    proposal = selectors.get_published_proposal(pk)
    letters = selectors.published_letters(proposal)
    return render(request, "web/public/detail.html", {"proposal": proposal, "letters": letters})


urlpatterns = [
    path("", proposal_list, name="list"),
    path("<int:pk>/", proposal_detail, name="detail"),
]
