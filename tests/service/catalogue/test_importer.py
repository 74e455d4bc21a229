"""The seed importer: validation errors name file and item; imports are idempotent upserts."""

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_SEED, make_database, row_counts
from sqlalchemy import select

from service.catalogue.importer import load_seed
from service.catalogue.models import Item, Material
from service.core.db import get_session_factory
from service.core.seed_files import SeedError
from service.seeding import seed_database


@pytest.fixture
def seed_dir(tmp_path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(FIXTURE_SEED, target)
    return target


def _seed(url: str, seed_dir: Path):
    with get_session_factory(url)() as session:
        return seed_database(seed_dir=seed_dir, session=session)


def _edit(seed_dir: Path, department: str, change) -> None:
    path = seed_dir / "catalogue" / f"{department}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_seed_twice_changes_nothing(tmp_path, seed_dir):
    url = make_database(tmp_path)
    first = _seed(url, seed_dir)
    counts = row_counts(url)
    with get_session_factory(url)() as session:
        before = {(m.id, m.name) for m in session.scalars(select(Material))}
        stamps = {i.code: i.updated_at for i in session.scalars(select(Item))}

    second = _seed(url, seed_dir)

    assert len(first.created) == 5 and first.hall_changed
    assert second.created == [] and second.updated == [] and len(second.unchanged) == 5
    assert second.departments_changed == [] and not second.hall_changed
    assert row_counts(url) == counts
    with get_session_factory(url)() as session:
        assert {(m.id, m.name) for m in session.scalars(select(Material))} == before
        assert {i.code: i.updated_at for i in session.scalars(select(Item))} == stamps


def test_changed_item_is_updated_and_its_materials_replaced(tmp_path, seed_dir):
    url = make_database(tmp_path)
    _seed(url, seed_dir)
    counts = row_counts(url)

    def change(data):
        item = next(i for i in data["items"] if i["code"] == "GA-SFZ-002")
        item["fee"]["amount"] = "不收费"
        item["materials"] = [m for m in item["materials"] if m["name"] != "本人签字的遗失声明"]

    _edit(seed_dir, "GA", change)
    report = _seed(url, seed_dir)

    assert report.updated == ["GA-SFZ-002"] and report.created == []
    after = row_counts(url)
    assert after["item"] == counts["item"]
    assert after["material"] == counts["material"] - 1
    assert after["material_situation"] == counts["material_situation"]
    with get_session_factory(url)() as session:
        item = session.scalars(select(Item).where(Item.code == "GA-SFZ-002")).one()
        assert item.fee_amount == "不收费"
        assert [m.name for m in item.materials] == ["居民户口簿", "监护人居民身份证", "成年人补领承诺书"]
        assert [s.key for s in item.materials[1].situations] == ["minor"]
        assert item.updated_at.tzinfo is not None


def test_department_change_is_updated(tmp_path, seed_dir):
    url = make_database(tmp_path)
    _seed(url, seed_dir)
    _edit(seed_dir, "SC", lambda d: d["department"].update(phone="0571-89999999"))
    report = _seed(url, seed_dir)
    assert report.departments_changed == ["SC"] and report.updated == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][1]["materials"][0].update(count=0), "GA.yaml: 1 error(s)"),
        (lambda d: d["items"][1]["materials"][0].update(necessity="可选"), "GA-SFZ-002 (居民身份证补领)"),
        (lambda d: d["items"][1]["fee"].update(amount=" "), "fee.amount"),
        (lambda d: d["items"][1]["materials"][1].update(situations=["elderly"]), "elderly"),
        (lambda d: d["items"][2].pop("handled_by"), "handled_by"),
        (lambda d: d["items"][0].update(fees="x"), "fees"),  # a misspelt key is not ignored
        (lambda d: d["items"][0].update(related=["GA-NOPE-9"]), "GA-NOPE-9"),
        (lambda d: d["items"][0].update(code="GA-SFZ-002"), "already used"),
        (lambda d: d["department"].update(code="XX"), "must match the file name"),
    ],
)
def test_bad_seed_is_rejected_naming_file_and_item(tmp_path, seed_dir, change, message):
    url = make_database(tmp_path)
    _seed(url, seed_dir)
    counts = row_counts(url)
    _edit(seed_dir, "GA", change)
    with pytest.raises(SeedError) as raised:
        _seed(url, seed_dir)
    assert message in str(raised.value)
    assert str(raised.value).startswith("GA.yaml")
    assert row_counts(url) == counts  # nothing written


def test_error_names_the_item(seed_dir):
    _edit(seed_dir, "GA", lambda d: d["items"][1]["materials"][0].update(count="many"))
    with pytest.raises(SeedError, match=r"item #2 GA-SFZ-002 \(居民身份证补领\): items\.1\.materials\.0\.count"):
        load_seed(seed_dir)


def test_invalid_yaml_is_reported(seed_dir):
    (seed_dir / "catalogue" / "SC.yaml").write_text("department: [unclosed", encoding="utf-8")
    with pytest.raises(SeedError, match="SC.yaml: not valid YAML"):
        load_seed(seed_dir)


def test_a_new_import_refreshes_cached_notices(tmp_path, seed_dir):
    from service.catalogue.service import item_notice

    url = make_database(tmp_path)
    _seed(url, seed_dir)
    with get_session_factory(url)() as session:
        before = item_notice(session, code="GA-SFZ-002", situation=None)
        assert item_notice(session, code="GA-SFZ-002", situation=None) is before  # cached

    _edit(seed_dir, "GA", lambda data: next(
        i for i in data["items"] if i["code"] == "GA-SFZ-002")["fee"].update(amount="不收费"))
    _seed(url, seed_dir)

    with get_session_factory(url)() as session:
        after = item_notice(session, code="GA-SFZ-002", situation=None)
    assert after.notice_no != before.notice_no
    assert "不收费" in after.text
