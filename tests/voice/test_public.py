"""The public's pages: submitting with good and bad input, the captcha, the rate limit, tracking by
code (and nothing else visible), and the published answers list."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.voice import services
from xieshang.voice.models import MessageAttachment, MessageState, PublicMessage

from . import walk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(client: Client, code: str = "city") -> str:
    response = client.get(reverse("voice:new", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def _post(client: Client, code: str = "city", **fields):  # type: ignore[no-untyped-def]
    _form(client, code)
    data = {"subject": "路灯坏了", "detail": "幸福路路灯坏了，请联系13812341234", "captcha": "42", **fields}
    return client.post(reverse("voice:new", args=[code]), data)


def test_a_citizen_submits_and_gets_a_tracking_code(world):
    client = Client()
    # given the form, with an inline SVG captcha served by this site
    page = _form(client)
    assert "<svg" in page and "captcha-image" in page
    # when a citizen submits with the right answer
    response = _post(client, contact_phone="13812341234", contact_name="张三")
    # then a code is shown once and the message is stored for the conference
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    message = PublicMessage.objects.get()
    assert message.tracking_code in done
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", message.tracking_code)
    assert message.conference == world.city.conference and message.state == MessageState.RECEIVED
    assert message.client_hash and message.contact_name == "张三"


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"subject": "   "}, "subject", "主题不能为空"),
        ({"detail": ""}, "detail", "留言内容不能为空"),
        ({"detail": "长" * 5001}, "detail", "不能超过 5000 字"),
        ({"subject": "题" * 201}, "subject", "不能超过 200 字"),
        ({"contact_email": "not-an-email"}, "contact_email", "电子邮箱格式不正确"),
        ({"captcha": "41"}, "captcha", "验证码不正确"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(world, fields, field, text):  # type: ignore[no-untyped-def]
    response = _post(Client(), **fields)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not PublicMessage.objects.exists()


def test_a_captcha_is_used_once(world):
    client = Client()
    assert _post(client).status_code == 302
    # when the same answer is posted again without drawing a new question
    response = client.post(
        reverse("voice:new", args=["city"]), {"subject": "a", "detail": "b", "captcha": "42"}
    )
    # then it is refused
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert PublicMessage.objects.count() == 1


def test_script_tags_are_stored_as_text_and_shown_escaped(world):
    client = Client()
    _post(client, subject="<script>alert(1)</script>", detail="<b>粗</b><script>x()</script>")
    message = PublicMessage.objects.get()
    assert message.subject == "<script>alert(1)</script>"
    page = client.post(reverse("voice:track"), {"code": message.tracking_code}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_wrong_file_type_and_oversized_files_are_refused(world):
    client = Client()
    exe = SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 10)
    response = _post(client, attachments=[exe])
    assert response.status_code == 400 and "不支持“.exe”类型的文件" in response.content.decode()
    fake = SimpleUploadedFile("photo.png", b"GIF89a" + b"\x00" * 10)
    response = _post(client, attachments=[fake])
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (6 * 1024 * 1024))
    response = _post(client, attachments=[big])
    assert response.status_code == 400 and "超过 5 MB" in response.content.decode()
    assert not PublicMessage.objects.exists()
    ok = SimpleUploadedFile("photo.png", PNG)
    assert _post(client, attachments=[ok]).status_code == 302
    assert MessageAttachment.objects.get().original_name == "photo.png"


def test_submissions_past_the_hourly_limit_are_refused(world, settings):
    settings.XIESHANG_VOICE_SUBMIT_PER_HOUR = 3
    client = Client()
    for i in range(3):
        assert _post(client, subject=f"第{i}条").status_code == 302
    response = _post(client, subject="第4条")
    assert response.status_code == 429
    assert "每个网络地址每小时最多提交 3 条留言" in response.content.decode()
    assert PublicMessage.objects.count() == 3
    # another address is not affected
    assert _post(Client(REMOTE_ADDR="10.0.0.9"), subject="别处").status_code == 302


def test_tracking_shows_only_the_public_fields_of_that_message(world):
    message = services.submit_message(
        world.city.conference,
        services.MessageInput(
            subject="反映13812341234的问题",
            detail="我的身份证430102199001011234，电话13812341234",
            contact_name="李四秘密",
            contact_phone="13999998888",
            contact_email="secret@example.cn",
        ),
    )
    other = walk.submit(world.city, "另一条不该看到", "别人的留言")
    services.answer_message(world.city.staff, message, reply="已处理，请拨打13700001111咨询")
    page = Client().post(reverse("voice:track"), {"code": message.tracking_code.lower()}).content.decode()
    assert "138****1234" in page and "430102********1234" in page and "137****1111" in page
    for secret in (
        "13812341234",
        "430102199001011234",
        "李四秘密",
        "13999998888",
        "secret@example.cn",
        "13700001111",
    ):
        assert secret not in page
    assert other.subject not in page and other.tracking_code not in page
    assert "已答复" in page


def test_a_wrong_code_gets_the_same_clear_message(world):
    walk.submit(world.city)
    client = Client()
    wrong = client.post(reverse("voice:track"), {"code": "ABCDEFGHJK"})
    empty = client.post(reverse("voice:track"), {"code": ""})
    assert wrong.status_code == empty.status_code == 200
    assert "查询码不正确或不存在" in wrong.content.decode()
    assert "查询码不正确或不存在" in empty.content.decode()


def test_published_answers_are_listed_masked_and_unpublished_ones_are_not(world):
    shown = walk.submit(world.city, "公开的", "电话13812341234")
    hidden = walk.submit(world.city, "不公开的", "内容")
    services.answer_message(world.city.staff, shown, reply="答复A")
    services.answer_message(world.city.staff, hidden, reply="答复B", publish=False)
    page = Client().get(reverse("voice:answers", args=["city"])).content.decode()
    assert "公开的" in page and "138****1234" in page and "答复A" in page
    assert "不公开的" not in page and "答复B" not in page
    county = Client().get(reverse("voice:answers", args=["county"])).content.decode()
    assert "答复A" not in county
