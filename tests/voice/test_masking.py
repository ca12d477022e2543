"""Phone and ID numbers are masked in everything shown publicly."""

from __future__ import annotations

import pytest

from xieshang.voice.masking import mask_personal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请联系13812341234谢谢", "请联系138****1234谢谢"),
        ("电话：15900001111。", "电话：159****1111。"),
        ("身份证430102199001011234", "身份证430102********1234"),
        ("身份证43010219900101123X号", "身份证430102********123X号"),
        ("座机0731-84112233不变", "座机0731-84112233不变"),
        ("订单号123456789012345678901很长", "订单号123456789012345678901很长"),
        ("金额12345678元", "金额12345678元"),
        ("", ""),
    ],
)
def test_mobiles_and_id_numbers_are_masked(text, expected):  # type: ignore[no-untyped-def]
    assert mask_personal(text) == expected


def test_two_numbers_in_one_text_are_both_masked():
    assert mask_personal("甲13800000000乙13911112222") == "甲138****0000乙139****2222"
