"""The one-time notice (一次性告知): everything a citizen needs for one item, in one answer.

Built from the item alone (pure: no database access), so the same catalogue always gives the
same notice and the same notice number.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from service.catalogue.models import (
    Item,
    Material,
    MaterialForm,
    MaterialSource,
    Necessity,
    Origin,
    Unpublished,
    material_facts,
)
from service.catalogue.schemas import (
    Aspects,
    DepartmentOut,
    FeeOut,
    HandledByOut,
    Notice,
    NoticeItem,
    NoticeMaterial,
    OnlineOut,
    RelatedItemOut,
    SituationOut,
    TimeLimitOut,
    WaivedMaterial,
)
from service.core import templates as t

_JSON_DICT = TypeAdapter(dict[str, Any])


@dataclass(frozen=True)
class Contact:
    place: str
    hours: str
    phone: str
    complaint_phone: str


def contact_for(item: Item) -> Contact:
    """Where to go: the item's own values, else whoever handles it elsewhere, else the department."""
    elsewhere = item.handled_by if not item.handled_here and item.handled_by else {}
    department = item.department
    return Contact(
        place=item.place or elsewhere.get("address") or department.window,
        hours=item.hours or elsewhere.get("hours") or department.hours,
        phone=item.phone or elsewhere.get("phone") or department.phone,
        complaint_phone=item.complaint_phone or department.complaint_phone,
    )


def materials_for(item: Item, situation_key: str | None) -> list[Material]:
    """必要 and 容缺 materials always; 情形 materials only for the chosen situation (all if none)."""
    return [
        m
        for m in item.materials
        if m.necessity is not Necessity.SITUATIONAL
        or situation_key is None
        or any(s.key == situation_key for s in m.situations)
    ]


def checklist_for(item: Item, situation_key: str | None) -> list[Material]:
    """What the citizen brings: the situation's materials but those shared (免提交); 容缺 ones stay."""
    return [m for m in materials_for(item, situation_key) if m.source is not MaterialSource.SHARED]


def unpublished(item: Item, fact: Unpublished) -> bool:
    """The item's source does not publish this fact (an imported export): say so, never guess."""
    return fact in (item.unpublished or ())


def time_limit_lines(item: Item) -> list[str]:
    if unpublished(item, Unpublished.LEGAL_DAYS):
        legal = t.TIME_LEGAL_UNPUBLISHED
    else:
        legal = t.TIME_LEGAL.format(days=item.legal_days) if item.legal_days else t.TIME_LEGAL_NONE
    if unpublished(item, Unpublished.PROMISED_DAYS):
        promised = t.TIME_PROMISED_UNPUBLISHED
    else:
        promised = t.TIME_PROMISED.format(days=item.promised_days) if item.promised_days else t.TIME_ON_THE_SPOT
    lines = [legal, promised]
    if item.time_limit_note:
        lines.append(t.TIME_NOTE.format(note=item.time_limit_note))
    return lines


def _material_line(no: int, material: Material, *, show_situations: bool) -> str:
    if material.form is None:  # an imported item's material: only its name is published
        return t.MATERIAL_LINE_DETAILS_UNPUBLISHED.format(no=no, name=material.name)
    count_template = t.MATERIAL_COUNT_BOTH if material.form is MaterialForm.BOTH else t.MATERIAL_COUNT
    line = t.MATERIAL_LINE.format(
        no=no,
        name=material.name,
        form=material.form.value,
        count_text=count_template.format(count=material.count),
        media=material.media.value,
    )
    marks = []
    if show_situations and material.necessity is Necessity.SITUATIONAL:
        names = t.SITUATION_JOIN.join(s.name for s in material.situations)
        marks.append(t.MARK_SITUATIONS.format(situations=names))
    if material.necessity is Necessity.WAIVABLE:
        marks.append(t.MARK_WAIVABLE)
    if material.source is MaterialSource.SHARED:
        marks.append(t.MARK_SHARED)
    elif material.source is MaterialSource.ISSUED:
        marks.append(t.MARK_ISSUED)
    if material.note:
        marks.append(t.MARK_NOTE.format(note=material.note))
    if material.sample:
        marks.append(t.MARK_SAMPLE.format(sample=material.sample))
    return line + (" " + "".join(marks) if marks else "")


def _numbered(lines: list[str]) -> str:
    return t.LINE_JOIN.join(t.NUMBERED_LINE.format(no=i, text=text) for i, text in enumerate(lines, 1))


def _section(title: str, lines: list[str]) -> str:
    return t.LINE_JOIN.join([title, *lines])


def _online_lines(item: Item) -> list[str]:
    lines = [
        t.ONLINE_YES.format(where=item.online_where) if item.online_available else t.ONLINE_NO
    ]
    if item.online_note:
        lines.append(t.ONLINE_NOTE.format(note=item.online_note))
    if item.booking_where:
        lines.append(t.BOOKING_ONLINE.format(where=item.booking_where))
    if item.courier is not None:
        lines.append(t.COURIER_YES if item.courier else t.COURIER_NO)
    if unpublished(item, Unpublished.VISITS):
        lines.append(t.VISITS_UNPUBLISHED)
    else:
        lines.append(t.VISITS_ZERO if item.visits == 0 else t.VISITS_N.format(visits=item.visits))
    return lines


def _listed(item: Item, values: list[str], fact: Unpublished) -> list[str]:
    """The item's lines, or the one line saying its source does not publish them."""
    return values if values or not unpublished(item, fact) else [t.UNPUBLISHED_LINE]


def _aspects(item: Item, contact: Contact) -> Aspects:
    fee = t.FEE_AMOUNT.format(amount=item.fee_amount)
    if item.fee_basis:
        fee += t.ASPECT_FEE_BASIS.format(basis=item.fee_basis)
    location = [
        t.PLACE_LINE.format(place=contact.place),
        t.HOURS_LINE.format(hours=contact.hours),
        t.PHONE_LINE.format(phone=contact.phone),
    ]
    return Aspects(
        conditions=t.ASPECT_CONDITIONS.format(
            item_name=item.name, lines=_numbered(_listed(item, item.conditions, Unpublished.CONDITIONS))
        ),
        fee=t.ASPECT_FEE.format(item_name=item.name, fee=fee),
        time_limit=t.ASPECT_TIME_LIMIT.format(
            item_name=item.name, lines=t.ASPECT_PART_JOIN.join(time_limit_lines(item))
        ),
        location=t.ASPECT_LOCATION.format(item_name=item.name, lines=t.ASPECT_PART_JOIN.join(location)),
        process=t.ASPECT_PROCESS.format(
            item_name=item.name, steps=t.PROCESS_JOIN.join(_listed(item, item.process, Unpublished.PROCESS))
        ),
        online=t.ASPECT_ONLINE.format(
            item_name=item.name, lines=t.ASPECT_PART_JOIN.join(_online_lines(item))
        ),
    )


def guide_facts(item: Item) -> dict[str, Any]:
    """The elements every view of an item's guide shows alike (detail page and notice)."""
    contact = contact_for(item)
    promised = None if unpublished(item, Unpublished.PROMISED_DAYS) else item.promised_days
    return dict(
        process=list(item.process),
        time_limit=TimeLimitOut(
            legal_days=None if unpublished(item, Unpublished.LEGAL_DAYS) else item.legal_days,
            promised_days=promised,
            on_the_spot=promised == 0,
            note=item.time_limit_note,
        ),
        fee=FeeOut(amount=item.fee_amount, basis=item.fee_basis),
        place=contact.place,
        hours=contact.hours,
        phone=contact.phone,
        complaint_phone=contact.complaint_phone,
        online=OnlineOut(available=item.online_available, where=item.online_where, note=item.online_note),
        visits=None if unpublished(item, Unpublished.VISITS) else item.visits,
        booking_where=item.booking_where,
        courier=item.courier,
        audience=list(item.audience or ()),
        joint_departments=item.joint_departments,
        source_url=item.source_url,
        unpublished=list(item.unpublished or ()),
    )


def build_notice(
    item: Item, *, situation_key: str | None, related: list[RelatedItemOut]
) -> Notice:
    """The notice for `item` (loaded with department, situations, materials) and one situation.

    `situation_key` must be one of the item's situation ids or None (the caller checks).
    """
    situation = next((s for s in item.situations if s.key == situation_key), None)
    contact = contact_for(item)
    chosen = materials_for(item, situation_key)
    show_situations = situation is None and bool(item.situations)

    materials = [
        NoticeMaterial(no=no, **material_facts(m), situations=[s.name for s in m.situations])
        for no, m in enumerate(chosen, start=1)
    ]
    waived = [
        WaivedMaterial(name=m.name, kind=t.WAIVED_WAIVABLE, note=m.note)
        for m in chosen
        if m.necessity is Necessity.WAIVABLE
    ] + [
        WaivedMaterial(name=m.name, kind=t.WAIVED_SHARED, note=m.note)
        for m in chosen
        if m.source is MaterialSource.SHARED
    ]

    body: list[str] = []
    if unpublished(item, Unpublished.SITUATIONS):
        body.append(t.SITUATIONS_UNPUBLISHED)
    if item.situations:
        if situation is not None:
            line = t.SECTION_SITUATION.format(situation_name=situation.name)
            if situation.description:
                line += t.SECTION_SITUATION_DESCRIPTION.format(description=situation.description)
            body.append(line)
        else:
            choices = t.SITUATION_JOIN.join(s.name for s in item.situations)
            body.append(t.SECTION_SITUATION_NONE.format(choices=choices))
    body.append(
        _section(t.SECTION_CONDITIONS, [_numbered(_listed(item, item.conditions, Unpublished.CONDITIONS))])
    )
    material_lines = [_material_line(no, m, show_situations=show_situations) for no, m in enumerate(chosen, 1)]
    if not chosen and unpublished(item, Unpublished.MATERIALS):
        material_lines = [t.MATERIALS_UNPUBLISHED]
    body.append(_section(t.SECTION_MATERIALS.format(count=len(chosen)), material_lines))
    body.append(
        _section(t.SECTION_PROCESS, [t.PROCESS_JOIN.join(_listed(item, item.process, Unpublished.PROCESS))])
    )
    body.append(_section(t.SECTION_TIME_LIMIT, time_limit_lines(item)))
    fee_lines = [t.FEE_AMOUNT.format(amount=item.fee_amount)]
    if item.fee_basis:
        fee_lines.append(t.FEE_BASIS.format(basis=item.fee_basis))
    body.append(_section(t.SECTION_FEE, fee_lines))
    body.append(
        _section(
            t.SECTION_PLACE,
            [t.PLACE_LINE.format(place=contact.place), t.HOURS_LINE.format(hours=contact.hours)],
        )
    )
    body.append(
        _section(
            t.SECTION_PHONES,
            [
                t.PHONE_LINE.format(phone=contact.phone),
                t.COMPLAINT_LINE.format(phone=contact.complaint_phone),
            ],
        )
    )
    body.append(_section(t.SECTION_ONLINE, _online_lines(item)))
    if related:
        lines = [
            t.RELATED_LINE.format(no=no, name=r.name, department=r.department)
            for no, r in enumerate(related, 1)
        ]
        body.append(_section(t.SECTION_RELATED, [t.RELATED_INTRO, *lines, t.RELATED_TAIL]))
    source_lines = _source_lines(item)
    if source_lines:
        body.append(_section(t.SECTION_SOURCE, source_lines))

    handled_by = HandledByOut(**item.handled_by) if not item.handled_here and item.handled_by else None
    content = dict(
        item=NoticeItem(
            code=item.code, name=item.name, type=item.type, level=item.level, basis=item.basis
        ),
        department=DepartmentOut.model_validate(item.department),
        handled_here=item.handled_here,
        handled_by=handled_by,
        situation=(
            SituationOut(id=situation.key, name=situation.name, description=situation.description)
            if situation
            else None
        ),
        situations=[
            SituationOut(id=s.key, name=s.name, description=s.description) for s in item.situations
        ],
        conditions=list(item.conditions),
        materials=materials,
        waived=waived,
        **guide_facts(item),
        related=related,
    )
    notice_no = notice_number(item.code, situation_key, content, body)

    head = [t.NOTICE_HEADER.format(item_name=item.name, notice_no=notice_no), t.NOTICE_GREETING]
    if handled_by is not None:
        elsewhere = t.NOTICE_ELSEWHERE.format(
            name=handled_by.name,
            address=handled_by.address,
            phone=handled_by.phone,
            hours=handled_by.hours,
        )
        if handled_by.note:
            elsewhere += t.NOTICE_ELSEWHERE_NOTE.format(note=handled_by.note)
        head.append(elsewhere + t.NOTICE_ELSEWHERE_TAIL)
    sections = [t.LINE_JOIN.join(head), *body]
    return Notice(
        notice_no=notice_no,
        sections=sections,
        text=t.SECTION_JOIN.join(sections),
        aspects=_aspects(item, contact),
        checklist=[m.name for m in checklist_for(item, situation_key)],
        **content,
    )


def _source_lines(item: Item) -> list[str]:
    """Where an imported guide comes from, whom it serves and who handles it together."""
    if item.origin is not Origin.IMPORT:
        return []
    if item.source_url:
        lines = [t.SOURCE_LINE.format(department=item.department.name, url=item.source_url)]
    else:
        lines = [t.SOURCE_LINE_NO_URL.format(department=item.department.name)]
    if item.audience:
        lines.append(t.AUDIENCE_LINE.format(audience=t.AUDIENCE_JOIN.join(item.audience)))
    if item.joint_departments:
        lines.append(t.JOINT_DEPARTMENTS_LINE.format(departments=item.joint_departments))
    return lines


# Facts only an imported export carries: left out of the hash when empty, so that the hand-kept
# items keep the notice numbers they had before imports existed.
_IMPORT_ONLY_FACTS = ("booking_where", "courier", "audience", "joint_departments", "source_url", "unpublished")


def notice_number(code: str, situation_key: str | None, content: dict, body: list[str]) -> str:
    """Item code + situation + a short hash of what the citizen reads: same notice, same number."""
    content = {k: v for k, v in content.items() if k not in _IMPORT_ONLY_FACTS or v not in (None, [])}
    payload = _JSON_DICT.dump_python({**content, "body": body}, mode="json")
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:6].upper()
    return f"{code}-{(situation_key or 'all').upper()}-{digest}"
