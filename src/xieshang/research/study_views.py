"""Pages of the study part of research."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/coming_soon.html", {"title": _("study")})
