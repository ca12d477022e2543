"""Writes about people: API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from .models import ApiToken, User, hash_token

# Recording every use would write on every API call; a token's last use is kept to this precision.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


def issue_token(user: User, name: str = "") -> str:
    """Create an API token for the user; only its digest is stored, the clear key is returned once."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=hash_token(key), name=name.strip()[:60])
    return key


def revoke_token(user: User, key: str) -> bool:
    """Delete the user's token with this key; whether one was deleted."""
    deleted, _ = ApiToken.objects.filter(user=user, digest=hash_token(key)).delete()
    return bool(deleted)


def authenticate_token(key: str) -> User | None:
    """The active user owning this token key, or None; notes when the token was last used."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
