"""The lines and button titles the catalogue answers compose. The fixed sentences are domain.yml's
responses (utter_choose_*, utter_aspect_answer, utter_refer_*); the notices are the service's.

Pure: no rasa-sdk.
"""

from __future__ import annotations

# The way out when none of the offered items is the matter: a person answers (12345 咨询).
NONE_OF_THESE = "都不是，转人工咨询"
ALL_SITUATIONS = "不确定，看全部情形的材料"
SHOW_FULL_NOTICE = "查看完整一次性告知"
NO_THANKS = "不用了"
# A referral's level when the reference directory names none.
ANY_LEVEL = "相关"


def item_option(name: str, department: str) -> str:
    """A likely item as a button title: "居民身份证换领（公安局）"."""
    return f"{name}（{department}）"


def handler_note_line(note: str) -> str:
    """The handling office's note as a line of utter_handled_elsewhere, "" when it has none."""
    return f"\n提示：{note}" if note else ""
