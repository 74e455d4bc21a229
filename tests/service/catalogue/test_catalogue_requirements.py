"""What the real catalogue (service/seed/) must hold (tests/data/must_cover_items.tsv)."""

from collections import Counter, defaultdict

from conftest import REPO_ROOT
from sqlalchemy import select

from service.catalogue.models import Department, Item, Necessity

# Tests read only the repository: a user's clone has nothing beside it.
MUST_COVER = REPO_ROOT / "tests" / "data" / "must_cover_items.tsv"


def _items(session):
    return session.scalars(select(Item).order_by(Item.code)).all()


def test_every_must_cover_item_is_present_by_its_exact_name(real_session):
    rows = [line.split("\t") for line in MUST_COVER.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    by_name = {i.name: i for i in _items(real_session)}
    missing = [name for _, name in rows if name not in by_name]
    assert not missing, f"missing from the catalogue: {missing}"
    wrong_department = [
        (name, by_name[name].department.short_name)
        for department, name in rows
        if by_name[name].department.short_name != department
    ]
    assert not wrong_department


def test_catalogue_size(real_session):
    assert len(_items(real_session)) >= 60
    assert len(real_session.scalars(select(Department)).all()) >= 10


def test_at_least_15_items_have_situations_that_change_the_materials(real_session):
    varied = []
    for item in _items(real_session):
        if len(item.situations) < 2:
            continue
        lists = {
            frozenset(
                m.name
                for m in item.materials
                if m.necessity is not Necessity.SITUATIONAL or situation in m.situations
            )
            for situation in item.situations
        }
        if len(lists) >= 2:
            varied.append(item.code)
    assert len(varied) >= 15, varied


def test_every_item_has_three_aliases_and_no_alias_is_shared(real_session):
    items = _items(real_session)
    few = [i.code for i in items if len(set(i.aliases)) < 3]
    assert not few, f"fewer than 3 aliases: {few}"
    owners = defaultdict(set)
    for item in items:
        for alias in item.aliases:
            owners[alias].add(item.code)
        owners[item.name].add(item.code)
    shared = {alias: sorted(codes) for alias, codes in owners.items() if len(codes) > 1}
    assert not shared, f"aliases used by several items: {shared}"


def test_item_names_are_unique(real_session):
    counts = Counter(i.name for i in _items(real_session))
    assert [n for n, c in counts.items() if c > 1] == []
