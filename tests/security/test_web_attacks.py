"""Attacks through the browser's doors: stored and reflected XSS, CSRF, open redirects, path traversal,
spoofed and oversize uploads, oversize bodies, password guessing, password storage and the
production settings (`manage.py check --deploy`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang import settings as production
from xieshang.activities import services as activities
from xieshang.api.api import api
from xieshang.core.errors import AppError, ErrorCode
from xieshang.core.uploads import check_upload
from xieshang.opinions import services as opinions
from xieshang.people.models import User
from xieshang.people.services import issue_token
from xieshang.proposals import services as proposals
from xieshang.proposals.models import Attachment
from xieshang.publishing import services as publishing
from xieshang.tasks import services as tasks
from xieshang.voice import deliberation
from xieshang.voice import services as voice

from ..factories import PASSWORD
from ..proposals import walk
from ..publishing import walk as article_walk
from . import urlmap

pytestmark = pytest.mark.security

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def login(user: Any, **kw: Any) -> Client:
    client = Client(**kw)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"


def assert_escaped(response: Any) -> None:
    """The payload is on the page, but only as text."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert SCRIPT not in body
    assert "<img src=x onerror" not in body
    assert ESCAPED_SCRIPT in body


# ---------------------------------------------------------------------------- stored and reflected XSS


def test_a_script_in_every_main_text_field_is_rendered_as_text(world) -> None:  # type: ignore[no-untyped-def]
    side = world.city
    proposal = walk.draft(side, title=PAYLOAD, analysis=PAYLOAD, recommendations=PAYLOAD)
    report = opinions.create_report(
        side.member,
        side.conference,
        opinions.ReportInput(title=PAYLOAD, facts=PAYLOAD, analysis=PAYLOAD, suggestions=PAYLOAD),
    )
    message = voice.submit_message(
        side.conference, voice.MessageInput(subject=PAYLOAD, detail=PAYLOAD, place=PAYLOAD)
    )
    now = timezone.now()
    topic = deliberation.create_deliberation(
        side.staff,
        side.conference,
        deliberation.DeliberationInput(
            title=PAYLOAD,
            question=PAYLOAD,
            background=PAYLOAD,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=3),
        ),
    )
    topic = deliberation.open_deliberation(side.staff, topic)
    deliberation.post_opinion(side.member, topic, body=PAYLOAD)
    starts = now + dt.timedelta(days=1)
    activity = activities.create_activity(
        side.staff,
        side.conference,
        activities.ActivityInput(
            kind="survey",
            title=PAYLOAD,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place=PAYLOAD,
            agenda=PAYLOAD,
            half_days=1,
        ),
    )
    task = tasks.create_task(
        side.staff,
        side.conference,
        tasks.TaskInput(action=PAYLOAD, lead_unit_ids=[side.unit.pk], target=PAYLOAD, title=PAYLOAD),
    )
    article = publishing.publish_article(
        article_walk.reviewer(side),
        publishing.submit_article(
            side.staff,
            publishing.create_article(
                side.staff,
                side.conference,
                publishing.ArticleInput(title=PAYLOAD, summary=PAYLOAD, body=PAYLOAD),
            ),
        ),
    )

    pages = [
        (side.member, reverse("proposals:detail", args=[proposal.pk])),
        (side.member, reverse("opinions:detail", args=[report.pk])),
        (side.staff, reverse("voice:detail", args=[message.pk])),
        (side.staff, reverse("voice:board")),
        (side.member, reverse("voice:deliberation", args=[topic.pk])),
        (side.staff, reverse("activities:manage", args=[activity.pk])),
        (side.staff, reverse("tasks:detail", args=[task.pk])),
        (side.staff, reverse("tasks:ledger")),
        (side.staff, reverse("publishing:detail", args=[article.pk])),
        (None, reverse("public:article", args=[side.conference.code, article.pk])),
        (None, reverse("public:articles", args=[side.conference.code])),
    ]
    for user, url in pages:
        client = login(user) if user else Client()
        assert_escaped(client.get(url))


def test_a_script_in_a_search_is_echoed_as_text(world) -> None:  # type: ignore[no-untyped-def]
    assert_escaped(login(world.city.staff).get(reverse("search"), {"q": PAYLOAD}))
    assert_escaped(Client().get(reverse("public:search", args=["city"]), {"q": PAYLOAD}))


# ---------------------------------------------------------------------------- CSRF


def test_every_form_refuses_a_post_without_the_csrf_token(world) -> None:  # type: ignore[no-untyped-def]
    """Every page pattern (the API has its own check below), posted by a signed-in user without a token."""
    client = login(world.city.admin, enforce_csrf_checks=True)
    accepted = []
    for route in urlmap.all_routes():
        if route.namespace in ("api", "admin") and route.name != "admin:login":
            continue
        path, _ = urlmap.fill(route, _AnyObject())
        response = client.post(path, {"title": "x"})
        if response.status_code != 403:
            accepted.append((path, response.status_code))
    assert accepted == []


def test_the_login_and_the_admin_refuse_a_post_without_the_csrf_token(world) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": world.city.staff.username, "password": PASSWORD}
    assert client.post(reverse("login"), credentials).status_code == 403
    assert client.post(reverse("admin:login"), credentials).status_code == 403


def test_every_api_write_by_session_needs_the_csrf_token_but_not_by_bearer_token(world) -> None:  # type: ignore[no-untyped-def]
    """The session is sent by the browser on its own, so it needs the token; a bearer token is not
    (a page of another site cannot add the header), which is why the API is exempt from the
    middleware and SessionAuth checks the token itself."""
    client = login(world.city.staff, enforce_csrf_checks=True)
    schema = api.get_openapi_schema()
    writes = [
        (method, path)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method != "get" and any("SessionAuth" in s for s in op.get("security", []))
    ]
    assert len(writes) > 50
    missing = []
    for method, path in writes:
        concrete = _api_path(path)
        response = getattr(client, method)(concrete, "{}", content_type="application/json")
        if response.status_code != 403:
            missing.append((method, concrete, response.status_code))
    assert missing == []

    bearer = Client(enforce_csrf_checks=True).post(
        "/api/v1/notifications/read",
        "{}",
        content_type="application/json",
        headers={"Authorization": _token(client, world.city.staff)},
    )
    assert bearer.status_code == 200, bearer.content


class _AnyObject(dict[str, Any]):
    """Object arguments for the CSRF sweep: the middleware refuses before any object is looked up."""

    def __missing__(self, key: str) -> int:
        return 1


def _api_path(path: str) -> str:
    out = path
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        name = out[start + 1 : end]
        out = (
            out[:start]
            + ("city" if name == "code" else "accept" if name == "action" else "1")
            + out[end + 1 :]
        )
    return out


# ---------------------------------------------------------------------------- open redirects

OFF_SITE = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "https:evil.example",
    "/\\evil.example",
]


def _stays_on_site(response: Any) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_sends_the_user_off_site(world, target) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(
        f"{reverse('login')}?next={target}",
        {"username": world.city.staff.username, "password": PASSWORD, "next": target},
    )
    assert _stays_on_site(response), response.get("Location")


@pytest.mark.parametrize("target", OFF_SITE)
def test_pages_taking_a_next_address_never_send_the_user_off_site(world, target) -> None:  # type: ignore[no-untyped-def]
    client = login(world.city.staff)
    for url in (reverse("switch_conference"), reverse("notify:read")):
        response = client.post(f"{url}?next={target}", {"next": target})
        assert _stays_on_site(response), (url, response.get("Location"))
    response = client.post(f"{reverse('logout')}?next={target}", {"next": target})
    assert _stays_on_site(response), response.get("Location")


# ---------------------------------------------------------------------------- path traversal

TRAVERSALS = [
    "../settings.py",
    "..%2fsettings.py",
    "..%2F..%2Fsrc%2Fxieshang%2Fsettings.py",
    "%2e%2e/%2e%2e/pyproject.toml",
    "....//....//pyproject.toml",
    "..%5c..%5cpyproject.toml",
    "%252e%252e%252fpyproject.toml",
]


def test_no_file_url_serves_a_file_outside_the_uploads(world) -> None:  # type: ignore[no-untyped-def]
    """Static and media prefixes and every file-serving pattern, with `../` in raw and encoded forms."""
    client = login(world.city.admin)
    secrets_on_disk = [b"SECRET_KEY", b"[project]", b"root:x:0:0"]
    bases = ["/static/", "/media/", "/static/vendor/", "/public/city/archive/1/file/"]
    for route in urlmap.all_routes():
        if route.name.endswith(("_file", ":attachment", ":document", "letter_file")):
            bases.append(urlmap.fill(route, _AnyObject())[0])
    for base in bases:
        for attack in [*TRAVERSALS, "../../../../../../etc/passwd"]:
            response = client.get(base + attack)
            assert response.status_code in (301, 302, 400, 403, 404), (base + attack, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert not any(s in body for s in secrets_on_disk), base + attack


def test_an_uploaded_file_name_cannot_climb_out_of_the_upload_folder(world, settings) -> None:  # type: ignore[no-untyped-def]
    proposal = walk.draft(world.city)
    upload = SimpleUploadedFile("../../../../tmp/evil.pdf", b"%PDF-1.4 x", content_type="application/pdf")

    attachment = proposals.add_attachment(world.city.member, proposal, upload)

    stored = Path(Attachment.objects.get(pk=attachment.pk).file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert attachment.original_name == "evil.pdf"


# ---------------------------------------------------------------------------- spoofed and oversize uploads

SPOOFS = [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "内容与扩展名不符"),  # a Windows program
    ("report.pdf", b"<html><script>alert(1)</script></html>", "内容与扩展名不符"),
    (
        "photo.jpg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        "内容与扩展名不符",
    ),
    ("chart.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "不支持"),
    ("page.html", b"<html><script>alert(1)</script></html>", "不支持"),
    ("notes.txt", b"MZ\x00\x00binary\x00", "不是文本文件"),
    ("run.exe", b"MZ\x90\x00", "不支持"),
    ("letter.docx", b"%PDF-1.4 not a zip", "内容与扩展名不符"),
]


@pytest.mark.parametrize(("name", "content", "message"), SPOOFS)
def test_a_file_lying_about_its_type_is_refused_in_chinese(name, content, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AppError) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert refused.value.code in (ErrorCode.FILE_TYPE_NOT_ALLOWED, ErrorCode.INVALID_INPUT)
    assert message in refused.value.message


def test_an_oversize_file_is_refused_in_chinese(settings) -> None:  # type: ignore[no-untyped-def]
    settings.XIESHANG_MAX_UPLOAD_MB = 1
    bomb = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"\x00" * (1024 * 1024 + 1))

    with pytest.raises(AppError) as refused:
        check_upload(bomb)

    assert refused.value.code == ErrorCode.FILE_TOO_LARGE
    assert "上限" in refused.value.message


def test_a_spoofed_upload_through_the_api_is_refused_and_stores_nothing(world) -> None:  # type: ignore[no-untyped-def]
    proposal = walk.draft(world.city)
    client = login(world.city.member)
    token = _token(client, world.city.member)
    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00fake program", content_type="application/pdf")

    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/attachments", {"file": fake}, headers={"Authorization": token}
    )

    assert response.status_code in (400, 422), response.content
    assert "内容与扩展名不符" in response.json()["message"] + str(response.json().get("fields", ""))
    assert not Attachment.objects.filter(proposal=proposal).exists()


def _token(client: Client, user: User) -> str:
    return f"Bearer {issue_token(user, 'attack')}"


# ---------------------------------------------------------------------------- oversize bodies


def test_a_form_body_beyond_the_memory_limit_is_a_clean_400(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world.city.member)
    body = "title=" + "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        reverse("proposals:create"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code in (400, 413)


def test_a_json_body_beyond_the_memory_limit_is_a_clean_400(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world.city.member)
    body = '{"title": "' + "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'

    response = client.post(
        "/api/v1/proposals",
        body,
        content_type="application/json",
        headers={"Authorization": _token(client, world.city.member)},
    )

    assert response.status_code in (400, 413), response.status_code


def test_too_many_form_fields_is_a_clean_400(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world.city.member)
    body = "&".join(f"f{i}=1" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.post(
        reverse("proposals:create"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400


# ---------------------------------------------------------------------------- password guessing


def test_guessing_passwords_locks_the_account_with_a_chinese_message_even_for_the_right_one(
    world, settings
) -> None:  # type: ignore[no-untyped-def]
    username = world.city.staff.username
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": username, "password": "wrong-guess"})
        assert response.status_code in (200, 429)

    locked = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_guessing_through_the_api_locks_out_too(world, settings) -> None:  # type: ignore[no-untyped-def]
    username = world.city.staff.username
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token", {"username": username, "password": "nope"}, content_type="application/json"
        )

    locked = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )

    assert locked.status_code == 429
    assert "锁定" in locked.json()["message"]


# ---------------------------------------------------------------------------- password storage


def test_passwords_are_stored_with_argon2_by_the_production_settings(db, settings) -> None:  # type: ignore[no-untyped-def]
    """The tests speed hashing up (tests/conftest.py); the production list is the settings module's."""
    assert production.PASSWORD_HASHERS[0] == "xieshang.people.hashers.Argon2Hasher"
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS

    user = User.objects.create_user(username="argon", password="a-long-enough-password")

    # Argon2id with OWASP's minimum parameters: 19 MiB, 2 iterations, 1 lane
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("a-long-enough-password")


def test_a_hash_made_with_django_s_heavier_argon2_defaults_still_logs_in_and_is_remade(db, settings) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = make_password("a-long-enough-password", hasher=Argon2PasswordHasher())
    assert "$m=102400,t=2,p=8$" in old
    user = User.objects.create_user(username="argon-old", password="x")
    User.objects.filter(pk=user.pk).update(password=old)
    user.refresh_from_db()

    assert user.check_password("a-long-enough-password")  # verified, then re-hashed and saved
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password


# ---------------------------------------------------------------------------- production settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "zx.example.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://zx.example.gov.cn",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
    "DJANGO_SSL_REDIRECT": "1",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}

PRODUCTION_SCRIPT = """
import io, json, django
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.test.utils import setup_test_environment
out = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    check = "clean"
except SystemCheckError as error:
    check = str(error)
setup_test_environment()
client = Client(HTTP_HOST="zx.example.gov.cn")
plain = client.get("/login/")
secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
cookie = secure.cookies.get("csrftoken")
from django.conf import settings
print(json.dumps({
    "check": check,
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "frame": secure.get("X-Frame-Options", ""), "nosniff": secure.get("X-Content-Type-Options", ""),
    "referrer": secure.get("Referrer-Policy", ""),
    "csrf_secure": bool(cookie and cookie["secure"]),
    "session_secure": settings.SESSION_COOKIE_SECURE, "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


@pytest.fixture(scope="module")
def production_run(tmp_path_factory: Any) -> dict[str, Any]:
    """`manage.py check --deploy --fail-level WARNING` and two requests, in a process started with the
    production environment (the test process's settings are the development ones)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "XIESHANG_"))}
    env.update(PRODUCTION_ENV)
    env.update(
        DJANGO_SETTINGS_MODULE="xieshang.settings",
        XIESHANG_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_manage_py_check_deploy_is_clean_with_the_production_environment(production_run) -> None:  # type: ignore[no-untyped-def]
    assert production_run["check"] == "clean"


def test_production_answers_with_secure_headers_and_cookies(production_run) -> None:  # type: ignore[no-untyped-def]
    seen = production_run

    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://zx.example.gov.cn/")
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["frame"] == "DENY" and seen["nosniff"] == "nosniff" and seen["referrer"] == "same-origin"
    assert seen["csrf_secure"] and seen["session_secure"] and seen["session_httponly"]


def test_the_development_defaults_still_serve_plain_http() -> None:
    """`make demo` serves http://127.0.0.1:8000: nothing forces HTTPS unless configured."""
    assert production.SECURE_SSL_REDIRECT is False or "DJANGO_SSL_REDIRECT" in os.environ
    assert production.SECURE_HSTS_SECONDS == 0 or "DJANGO_HSTS_SECONDS" in os.environ
