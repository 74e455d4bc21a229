"""What a work order is filled with from the citizen's words: type, topic, summary, phone, place, item.

Used by the bot before it confirms a handoff (so it only asks for what is missing) and by the
agents' assist panel. The agent can correct every field; corrections are kept as events.
"""

import re

from sqlalchemy.orm import Session

from common.personal_data import MOBILE
from service.catalogue.search import get_search_index, is_confident
from service.core.privacy import mask_personal_data
from service.tickets.schemas import DraftOut, ItemRef
from service.triage.classifier import get_classifier
from service.triage.schemas import Topic

SUMMARY_CHARS = 60
# A place as citizens name it: a name ending in a road, estate, village, landmark… with an optional
# position after it ("东湖路和建设路交叉口", "锦绣花园3栋", "人民医院门口").
_PLACE_NAME = r"[\u4e00-\u9fa5A-Za-z0-9]{1,12}?"
_PLACE_SUFFIX = (
    r"(?:大道|路|街|巷|弄|胡同|小区|花园|家园|公寓|大厦|广场|公园|市场|商场|超市|医院|学校|小学|中学|"
    r"幼儿园|车站|高铁站|火车站|汽车站|地铁站|公交站|村|镇|乡|社区|工地|码头|景区|菜场|店|厂|银行)"
)
_PLACE_TAIL = r"(?:(?:和|与)" + _PLACE_NAME + _PLACE_SUFFIX + r")?(?:[0-9一二三四五六七八九十]+(?:号楼|号|栋|幢|单元|楼))*" \
    r"(?:交叉口|路口|门口|附近|旁边|对面|后面|东门|西门|南门|北门|门前|里面)?"
_PLACE = re.compile(_PLACE_NAME + _PLACE_SUFFIX + _PLACE_TAIL)
# Words that often precede a place but are not part of it.
_PLACE_LEAD = re.compile(r"^.*(?:在|到|从|去|往|于)|^(?:我们|我家|那个|这个|就是)+")
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def extract_phone(text: str) -> str | None:
    match = MOBILE.search(text)
    return match.group(0) if match else None


def extract_place(text: str) -> str | None:
    """The first place-like phrase, or None; a hint for the agent, who checks it."""
    for match in _PLACE.finditer(text):
        place = _PLACE_LEAD.sub("", match.group(0))
        if len(place) >= 3:
            return place
    return None


def summarise(text: str, *, title: str = "") -> str:
    """The title, or the first sentence cut to SUMMARY_CHARS; ID and phone numbers masked."""
    if title.strip():
        return mask_personal_data(title.strip())[:SUMMARY_CHARS]
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip() or text.strip()
    first = mask_personal_data(first)
    return first if len(first) <= SUMMARY_CHARS else first[: SUMMARY_CHARS - 1] + "…"


def related_item(session: Session, text: str) -> ItemRef | None:
    """The service item the words are clearly about (a complaint about 营业执照 goes to its department)."""
    hits = get_search_index(session).search(text, limit=3)
    return ItemRef(code=hits[0].code, name=hits[0].name) if is_confident(hits) else None


def draft_ticket(session: Session, *, content: str, title: str = "") -> DraftOut:
    triage = get_classifier().classify(content=content, title=title)
    item = related_item(session, f"{title} {content}".strip())
    return DraftOut(
        type=triage.type,
        topic=Topic(l1=triage.l1, l2=triage.l2),
        confidence=triage.confidence,
        summary=summarise(content, title=title),
        phone=extract_phone(f"{title} {content}"),
        place=extract_place(f"{title}，{content}"),
        item=item,
    )
