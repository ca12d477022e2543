"""Helpers for the page tests: a client signed in as someone, and the proposal page's version."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from xieshang.people.models import User
from xieshang.proposals.models import Proposal


@pytest.fixture
def as_user(db: None) -> Callable[[User], Client]:
    """A fresh client signed in as `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def version(p: Proposal) -> int:
    """The proposal's current version, as a form would carry it."""
    return Proposal.objects.get(pk=p.pk).version


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded files of the page tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
