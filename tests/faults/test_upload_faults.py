"""A full disk or a read-only media folder during an upload: a clear message, no half-written record,
no partial file. The faults are real OS failures, not mocks:

- full disk: a file-size limit on this process (`RLIMIT_FSIZE`, with SIGXFSZ ignored), so the write
  fails with EFBIG after the first bytes — a partial file, as a disk filling up mid-write leaves;
  and, where this process may mount file systems, a small tmpfs that fills up (ENOSPC);
- read-only media: a tmpfs mounted read-only (EROFS) where mounting is allowed, else a media folder
  whose parent is a regular file (ENOTDIR), which no user, root included, can write into.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.audit.models import AuditEvent
from xieshang.opinions.models import OpinionReport
from xieshang.proposals.models import Attachment, Proposal
from xieshang.voice.models import MessageAttachment, PublicMessage

from ..proposals import walk

NOT_SAVED = "未能保存：服务器存储空间已满或暂时不可写入"
LIMIT = 64 * 1024
PDF = b"%PDF-1.4\n" + b"0" * (300 * 1024)  # larger than the limit and than the small tmpfs


def _pdf(name: str = "调研报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def _can_mount() -> bool:
    return os.geteuid() == 0 and subprocess.run(["mount", "--version"], capture_output=True).returncode == 0


def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], check=True)


def _unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"
    return settings.MEDIA_ROOT


@pytest.fixture
def file_size_limit(media: Path) -> Iterator[Path]:
    """Writes past 64 KiB fail with EFBIG in this process, as on a disk that just filled up."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, hard))
    try:
        yield media
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def full_tmpfs(media: Path) -> Iterator[Path]:
    """The media folder on a 128 KiB tmpfs: the upload fills it (ENOSPC)."""
    if not _can_mount():
        pytest.skip("mounting a tmpfs needs root; the file-size-limit tests cover a full disk")
    _mount_tmpfs(media, "size=128k")
    try:
        yield media
    finally:
        _unmount(media)


@pytest.fixture
def read_only_media(media: Path, tmp_path: Path, settings) -> Iterator[Path]:
    """A media folder nothing can be written into: a read-only tmpfs, or a path under a regular file."""
    if _can_mount():
        _mount_tmpfs(media, "size=1m,ro")
        try:
            yield media
        finally:
            _unmount(media)
        return
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    yield settings.MEDIA_ROOT


def _member(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.city.member)
    return client


def _draft_data(**changes: object) -> dict[str, object]:
    return {
        "title": "关于优化营商环境的建议",
        "analysis": "审批环节多。",
        "recommendations": "压缩审批时限。",
        "kind": "individual",
        **changes,
    }


def _assert_refused(response, status: int = 503) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    page = response.content.decode()
    assert NOT_SAVED in page and "调研报告.pdf" in page


def test_a_new_proposal_whose_file_hits_a_full_disk_is_not_written(world, file_size_limit):
    # when: a member saves a new draft with an attachment and the disk is full mid-write
    response = _member(world).post(reverse("proposals:create"), _draft_data(attachments=[_pdf()]))
    # then: a clear message on the form; no draft, no attachment, no partial file
    _assert_refused(response)
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()
    assert _files(file_size_limit) == []


def test_a_new_proposal_whose_file_fills_the_disk_is_not_written(world, full_tmpfs):
    response = _member(world).post(reverse("proposals:create"), _draft_data(attachments=[_pdf()]))
    _assert_refused(response)
    assert not Proposal.objects.exists()
    assert _files(full_tmpfs) == []


def test_a_file_added_to_a_draft_on_a_full_disk_changes_nothing(world, file_size_limit):
    # given: a saved draft
    p = walk.draft(world.city)
    data = _draft_data(title=p.title, version=str(p.version), attachments=[_pdf()])
    # when: the member adds a file while the disk is full
    response = _member(world).post(reverse("proposals:edit", args=[p.pk]), data)
    # then: the draft is as it was, with no attachment and no trace of the attempt
    _assert_refused(response)
    p.refresh_from_db()
    assert p.version == 1
    assert not p.attachments.exists()
    assert not AuditEvent.objects.filter(target_id=p.pk, verb__in=["attach", "edit"]).exists()
    assert _files(file_size_limit) == []


def test_an_opinion_report_with_a_file_for_a_read_only_media_folder_is_not_written(world, read_only_media):
    data = {
        "title": "关于增设学校周边护学岗的建议",
        "on_behalf_kind": "member",
        "facts": "上下学高峰拥堵。",
        "suggestions": "增设护学岗。",
        "attachments": [_pdf()],
    }
    response = _member(world).post(reverse("opinions:create"), data)
    _assert_refused(response)
    assert not OpinionReport.objects.exists()
    assert _files(read_only_media) == []


def test_a_public_message_with_a_file_on_a_full_disk_is_not_written(world, file_size_limit):
    client = Client()
    client.get(reverse("voice:new", args=["city"]))
    data = {"subject": "路灯坏了", "detail": "幸福路路灯坏了。", "captcha": "42", "attachments": [_pdf()]}
    response = client.post(reverse("voice:new", args=["city"]), data)
    _assert_refused(response)
    assert not PublicMessage.objects.exists()
    assert not MessageAttachment.objects.exists()
    assert _files(file_size_limit) == []


def test_the_same_upload_succeeds_once_there_is_room_again(world, media):
    response = _member(world).post(reverse("proposals:create"), _draft_data(attachments=[_pdf()]))
    assert response.status_code == 302
    assert [f.stat().st_size for f in _files(media)] == [len(PDF)]
