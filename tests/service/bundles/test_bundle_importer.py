"""bundles.yaml: every step checked against the catalogue and the halls before anything is written."""

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REAL_SEED, make_database

from service.booking.importer import load_halls
from service.bundles.importer import load_bundles
from service.bundles.nlu_export import render_life_event_lookup
from service.catalogue.importer import load_seed
from service.core.seed_files import SeedError
from service.core.settings import REPO_ROOT
from service.seeding import seed_database
from service.core.db import get_session_factory


@pytest.fixture(scope="module")
def catalogue():
    return load_seed(REAL_SEED)


@pytest.fixture(scope="module")
def halls(catalogue):
    return load_halls(REAL_SEED, catalogue)


def _bundle(**changes) -> dict:
    bundle = {
        "code": "test",
        "name": "测试一件事",
        "summary": "测试用",
        "aliases": ["测试别名"],
        "steps": [{"item": "WJ-CSZM-001"}, {"item": "GA-HJ-001", "after": ["WJ-CSZM-001"]}],
    }
    bundle.update(changes)
    return bundle


def _load(tmp_path: Path, catalogue, halls, *bundles: dict):
    (tmp_path / "bundles.yaml").write_text(
        yaml.safe_dump({"bundles": list(bundles)}, allow_unicode=True), encoding="utf-8"
    )
    return load_bundles(tmp_path, catalogue, halls)


def test_the_real_seed_has_the_eight_national_life_events(catalogue, halls):
    bundles = load_bundles(REAL_SEED, catalogue, halls)
    assert [b.name for b in bundles.bundles] == [
        "新生儿出生一件事", "开办餐饮店一件事", "企业开办一件事", "企业职工退休一件事",
        "二手房转移登记及水电气联合过户一件事", "员工录用一件事", "申请公租房一件事", "身后一件事",
    ]
    assert all(b.window is not None for b in bundles.bundles)


def test_a_seed_without_bundles_has_none(tmp_path, catalogue, halls):
    assert load_bundles(tmp_path, catalogue, halls) is None


def test_a_valid_bundle_loads(tmp_path, catalogue, halls):
    assert _load(tmp_path, catalogue, halls, _bundle()).bundles[0].steps[1].key == "GA-HJ-001"


@pytest.mark.parametrize("change, message", [
    ({"steps": [{"item": "WJ-CSZM-001"}, {"item": "GA-XX-999"}]},
     "step 2: item GA-XX-999 is not in the catalogue (a step the catalogue lacks is written as `outside`)"),
    ({"steps": [{"item": "WJ-CSZM-001", "situation": "nope"}, {"item": "GA-HJ-001"}]},
     "step 1: item WJ-CSZM-001 has no situation nope"),
    ({"window": {"hall": "A", "window": "A-ZZ"}}, "window A/A-ZZ is not in halls.yaml"),
    ({"same_materials": {"身份证": ["不存在的材料"]}},
     "same_materials 身份证: no item of the bundle has the materials ['不存在的材料']"),
    ({"situations": [{"id": "x", "name": "情形", "steps": {"GA-HJ-001": "nope"}}]},
     "situation x: item GA-HJ-001 has no situation nope"),
])
def test_a_bundle_naming_what_does_not_exist_is_refused(tmp_path, catalogue, halls, change, message):
    with pytest.raises(SeedError) as refused:
        _load(tmp_path, catalogue, halls, _bundle(**change))
    assert "bundles.yaml: bundle test (测试一件事):" in str(refused.value)
    assert message in str(refused.value)


@pytest.mark.parametrize("change, message", [
    ({"steps": [{"item": "GA-HJ-001", "after": ["WJ-CSZM-001"]}, {"item": "WJ-CSZM-001"}]},
     "after 须是前面的步骤"),
    ({"steps": [{"item": "GA-HJ-001"}, {"item": "GA-HJ-001"}]}, "重复"),
    ({"steps": [{"item": "GA-HJ-001", "outside": {"id": "x", "name": "x", "handled_by": "x"}},
                {"item": "WJ-CSZM-001"}]}, "二者之一"),
])
def test_steps_must_be_in_order_unique_and_of_one_kind(tmp_path, catalogue, halls, change, message):
    with pytest.raises(SeedError, match=message):
        _load(tmp_path, catalogue, halls, _bundle(**change))


def test_an_alias_names_one_bundle(tmp_path, catalogue, halls):
    with pytest.raises(SeedError, match="names both"):
        _load(tmp_path, catalogue, halls, _bundle(), _bundle(code="other", name="另一件事"))


def test_seeding_twice_changes_nothing_and_a_removed_bundle_goes(tmp_path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(REAL_SEED, seed_dir, ignore=shutil.ignore_patterns("reference"))
    url = make_database(tmp_path)
    with get_session_factory(url)() as session:
        assert len(seed_database(seed_dir=seed_dir, session=session).bundles_changed) == 8
    with get_session_factory(url)() as session:
        assert seed_database(seed_dir=seed_dir, session=session).bundles_changed == []
    raw = yaml.safe_load((seed_dir / "bundles.yaml").read_text(encoding="utf-8"))
    raw["bundles"] = raw["bundles"][:-1]
    (seed_dir / "bundles.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with get_session_factory(url)() as session:
        assert seed_database(seed_dir=seed_dir, session=session).bundles_changed == ["bereavement"]


def test_the_life_event_lookup_maps_every_name_to_its_bundle_and_is_current(catalogue, halls):
    text = render_life_event_lookup(load_bundles(REAL_SEED, catalogue, halls), catalogue)
    data = yaml.safe_load(text)
    assert data["nlu"][0]["lookup"] == "life_event"
    assert "- 退休手续" in data["nlu"][0]["examples"].splitlines()
    synonyms = {block["synonym"]: block["examples"].splitlines() for block in data["nlu"][1:]}
    assert "- 开饭店" in synonyms["restaurant"] and "- 老人去世" in synonyms["bereavement"]
    # Rasa's synonyms hold for every entity: a catalogue alias keeps naming its item.
    assert "- 退休手续" not in synonyms["retirement"] and "- 买二手房过户" not in synonyms["home-transfer"]
    assert (REPO_ROOT / "data" / "nlu" / "lookups" / "life_event.yml").read_text(encoding="utf-8") == text
