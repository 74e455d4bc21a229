"""The card and the composed lines of a life-event answer (高效办成一件事). The fixed sentences are
domain.yml's responses (utter_choose_life_event, …); the merged notice is the service's.

Pure: no rasa-sdk.
"""

from __future__ import annotations

from typing import Any

from actions.api.service_client import LifeEventNotice

CARD_KEY = "life_event"
# The button under a bundle's notice that books its 综合窗口 once for the whole bundle.
BOOK_THE_WINDOW = "预约综合窗口，一次办"
ON_THE_SPOT = "即办"
OUTSIDE = "本目录外，由{handled_by}办理"
AFTER = "先办{names}"
FREE = "全部免费"
FEE_TOTAL = "合计{total}元"
FEE_BY_STANDARD = "另按标准收费：{names}"
TIME_DAYS = "约{days}个工作日"
TIME_ALL_ON_THE_SPOT = "当场办结"
TIME_WITH_CONDITIONAL = "（含按需事项最长{days}个工作日）"
WINDOW = "{hall}{window}"
BOOKING = "预约时选“{item}”，一次预约办全部"
JOIN = "、"


def fee_text(fee: dict[str, Any]) -> str:
    parts = []
    if fee.get("fixed"):
        parts.append(FEE_TOTAL.format(total=f"{fee['total_yuan']:g}"))
    if fee.get("by_standard"):
        parts.append(FEE_BY_STANDARD.format(names=JOIN.join(p["item_name"] for p in fee["by_standard"])))
    return "；".join(parts) or FREE


def time_text(time: dict[str, Any]) -> str:
    days, longest = time["promised_days"], time["promised_days_with_conditional"]
    text = TIME_DAYS.format(days=days) if days else TIME_ALL_ON_THE_SPOT
    return text + (TIME_WITH_CONDITIONAL.format(days=longest) if longest > days else "")


def life_event_card(notice: LifeEventNotice) -> dict[str, Any]:
    """The web chat's card (service/static/js/life_event_card.js): steps, materials, cost, window."""
    names = {step["key"]: step["name"] for step in notice.steps}
    window = notice.window
    return {CARD_KEY: {
        "code": notice.code,
        "name": notice.name,
        "notice_no": notice.notice_no,
        "steps": [
            {
                "no": step["no"],
                "name": step["name"],
                "where": OUTSIDE.format(handled_by=step["handled_by"]) if not step["in_catalogue"] else "",
                "after": AFTER.format(names=JOIN.join(names[k] for k in step["after"])) if step["after"] else "",
                "when": step["when"] or "",
            }
            for step in notice.steps
        ],
        "materials": [
            {"name": m["name"], "used_by": JOIN.join(m["used_by"])} for m in notice.materials
        ],
        "fee": fee_text(notice.fee),
        "time": time_text(notice.time),
        "window": WINDOW.format(hall=window["hall_name"], window=window["window_name"]) if window else "",
        "booking": BOOKING.format(item=window["booking_item_name"])
        if window and window.get("booking_item_name") else "",
    }}
