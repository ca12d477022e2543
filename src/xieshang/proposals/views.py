"""Proposal pages: thin adapters over services and selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal with its actions and timeline."""
    proposal = selectors.get_proposal(request.user, pk)
    return render(request, "proposals/detail.html", {"proposal": proposal})
