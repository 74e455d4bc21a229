"""Catalogue queries used by the routers and the assist endpoint (read-only)."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from service.catalogue.models import Department, Hall, Item, Material, Unpublished, material_facts
from service.catalogue.notice import build_notice, guide_facts, unpublished
from service.catalogue.schemas import (
    DepartmentBrief,
    DepartmentOut,
    HallOut,
    HandledByOut,
    ItemDetail,
    ItemPage,
    ItemSummary,
    MaterialOut,
    Notice,
    RelatedItemOut,
    SearchItem,
    SearchResult,
    SearchSituation,
    SituationOut,
)
from service.catalogue.search import get_search_index, is_confident
from service.core import templates as t
from service.core.errors import NotFoundError

_FULL_ITEM = (
    selectinload(Item.department),
    selectinload(Item.situations),
    selectinload(Item.materials).selectinload(Material.situations),
)


def get_item(session: Session, *, code: str) -> Item:
    item = session.scalars(select(Item).where(Item.code == code).options(*_FULL_ITEM)).one_or_none()
    if item is None:
        raise NotFoundError(t.ITEM_NOT_FOUND.format(code=code))
    return item


def related_items(session: Session, *, item: Item) -> list[RelatedItemOut]:
    """The item's 联办 items, in the seed's order."""
    if not item.related:
        return []
    found = {
        i.code: i
        for i in session.scalars(
            select(Item).where(Item.code.in_(item.related)).options(selectinload(Item.department))
        )
    }
    return [
        RelatedItemOut(code=code, name=found[code].name, department=found[code].department.name)
        for code in item.related
        if code in found
    ]


def list_items(
    session: Session, *, department: str | None, q: str | None, page: int, page_size: int
) -> ItemPage:
    """Items ordered by code; `department` is a code or a (short) name, `q` a part of name or code."""
    query = select(Item).join(Item.department)
    if department:
        query = query.where(
            or_(
                Department.code == department.upper(),
                Department.name == department,
                Department.short_name == department,
            )
        )
    if q and q.strip():
        # Escape LIKE wildcards: a citizen's "%" is a character, not a pattern.
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Item.name.like(pattern, escape="\\"), Item.code.like(pattern, escape="\\")))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Item.department))
        .order_by(Item.code)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = [
        ItemSummary(
            code=i.code,
            name=i.name,
            type=i.type,
            level=i.level,
            department=DepartmentBrief(
                code=i.department.code, name=i.department.name, short_name=i.department.short_name
            ),
            handled_here=i.handled_here,
            online_available=i.online_available,
            promised_days=None if unpublished(i, Unpublished.PROMISED_DAYS) else i.promised_days,
        )
        for i in rows
    ]
    return ItemPage(items=items, total=total, page=page, page_size=page_size)


def item_detail(session: Session, *, code: str) -> ItemDetail:
    item = get_item(session, code=code)
    return ItemDetail(
        code=item.code,
        name=item.name,
        type=item.type,
        level=item.level,
        basis=item.basis,
        aliases=list(item.aliases),
        keywords=list(item.keywords),
        department=DepartmentOut.model_validate(item.department),
        handled_here=item.handled_here,
        handled_by=HandledByOut(**item.handled_by) if item.handled_by else None,
        conditions=list(item.conditions),
        situations=[
            SituationOut(id=s.key, name=s.name, description=s.description) for s in item.situations
        ],
        materials=[
            MaterialOut(**material_facts(m), situations=[s.key for s in m.situations]) for m in item.materials
        ],
        **guide_facts(item),
        related=related_items(session, item=item),
    )


# A notice is a pure function of the catalogue: built once per (database, item, situation),
# dropped whenever the catalogue is imported (see service.seeding).
_notices: dict[tuple[str, str, str | None], Notice] = {}


def invalidate_notices() -> None:
    _notices.clear()


def item_notice(session: Session, *, code: str, situation: str | None) -> Notice:
    key = (str(session.get_bind().url), code, situation)
    if key not in _notices:
        _notices[key] = _build_item_notice(session, code=code, situation=situation)
    return _notices[key]


def _build_item_notice(session: Session, *, code: str, situation: str | None) -> Notice:
    item = get_item(session, code=code)
    if situation is not None and situation not in {s.key for s in item.situations}:
        choices = t.SITUATION_JOIN.join(f"{s.key}（{s.name}）" for s in item.situations) or "无"
        raise NotFoundError(
            t.SITUATION_NOT_FOUND.format(item_name=item.name, situation=situation, choices=choices)
        )
    return build_notice(item, situation_key=situation, related=related_items(session, item=item))


def search_catalogue(session: Session, *, query: str, limit: int) -> SearchResult:
    hits = get_search_index(session).search(query, limit=limit)
    return SearchResult(
        query=query,
        items=[
            SearchItem(
                code=h.code,
                name=h.name,
                department=h.department,
                score=h.score,
                handled_here=h.handled_here,
                situations=[SearchSituation(id=key, name=name) for key, name in h.situations],
            )
            for h in hits
        ],
        confident=is_confident(hits),
        contested=bool(hits) and hits[0].contested,
    )


def get_hall(session: Session) -> HallOut:
    hall = session.scalars(select(Hall).order_by(Hall.id)).first()
    if hall is None:
        raise NotFoundError(t.HALL_NOT_FOUND)
    return HallOut.model_validate(hall)


def count_items(session: Session) -> int:
    return session.scalar(select(func.count(Item.id))) or 0
