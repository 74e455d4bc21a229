"""export-nlu --with-imported: the imported items join the jieba dictionary and the lookup (in a
scratch place, for `make eval-large`); the hand-kept export is unchanged without them."""

import json
import lzma

import yaml
from conftest import FIXTURE_SEED, make_database

from service import cli
from service.catalogue import guide_import
from service.catalogue.importer import load_seed
from service.catalogue.nlu_export import NO_TERMS, imported_terms, render_lookup, render_userdict
from service.catalogue.publishing import import_export
from service.core.db import get_session_factory
from service.core.settings import REPO_ROOT, get_settings
from service.seeding import seed_database

EXPORT = REPO_ROOT / "service" / "seed" / "reference" / "guangdong_service_guides.jsonl.xz"
CODE = "11440000MB2C92189D4442117155000"


def small_export(tmp_path):
    """Ten real rows, and one more whose everyday words are a hand-kept alias and a short word."""
    rows = [json.loads(line) for line in lzma.decompress(EXPORT.read_bytes()).decode("utf-8").splitlines()[:10]]
    extra = dict(rows[0], TASK_CODE=CODE, TASK_NAME="居民身份证遗失登记", matter_short="身份证丢了，挂失",
                 matter_daily="身份证遗失登记")
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [*rows, extra]) + "\n", encoding="utf-8")
    return rows, path


def imported_database(tmp_path):
    rows, path = small_export(tmp_path)
    url = make_database(tmp_path)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=FIXTURE_SEED, session=session)
    with get_session_factory(url)() as session:
        import_export(session, path, created_by="测试", dry_run=False)
    return rows, url


def lookup_of(text: str) -> tuple[list[str], dict[str, list[str]]]:
    data = yaml.safe_load(text)
    values = [line[2:] for line in data["nlu"][0]["examples"].splitlines()]
    synonyms = {b["synonym"]: [line[2:] for line in b["examples"].splitlines()] for b in data["nlu"][1:]}
    return values, synonyms


def test_imported_names_and_aliases_join_the_lookup_after_the_hand_kept_ones(tmp_path, monkeypatch):
    # Today every everyday word of the export is a keyword; an import that makes the longer ones
    # aliases (MIN_ALIAS_CHARS 5, as before 2026-12-07) puts them in the lookup as synonyms.
    monkeypatch.setattr(guide_import, "MIN_ALIAS_CHARS", 5)
    rows, url = imported_database(tmp_path)
    seed = load_seed(FIXTURE_SEED)
    with get_session_factory(url)() as session:
        terms = imported_terms(session)
    assert len(terms[0]) == 11
    own_values, own_synonyms = lookup_of(render_lookup(seed))
    values, synonyms = lookup_of(render_lookup(seed, terms))
    assert values[: len(own_values)] == own_values
    assert rows[0]["TASK_NAME"].strip() in values and "居民身份证遗失登记" in values
    assert "身份证遗失登记" in synonyms["居民身份证遗失登记"]
    # A hand-kept alias keeps its meaning; a short everyday word (a keyword) is no lookup entry.
    assert "身份证丢了" in own_synonyms["居民身份证补领"] and "身份证丢了" not in synonyms["居民身份证遗失登记"]
    assert "挂失" not in values
    assert render_lookup(seed, NO_TERMS) == render_lookup(seed)


def test_with_todays_rule_an_imported_item_joins_the_lookup_by_its_name_only(tmp_path):
    _, url = imported_database(tmp_path)
    with get_session_factory(url)() as session:
        values, synonyms = lookup_of(render_lookup(load_seed(FIXTURE_SEED), imported_terms(session)))
    assert "居民身份证遗失登记" in values and "身份证遗失登记" not in values
    assert "居民身份证遗失登记" not in synonyms


def test_imported_words_and_departments_join_the_jieba_dictionary(tmp_path):
    rows, url = imported_database(tmp_path)
    with get_session_factory(url)() as session:
        terms = imported_terms(session)
    entries = {line.split()[0]: line.split()[1:] for line in render_userdict(load_seed(FIXTURE_SEED), terms).splitlines()}
    assert entries["居民身份证遗失登记"] == ["3000", "nz"]
    assert entries["挂失"] == ["1000", "n"]  # short everyday words are keywords
    assert entries[rows[0]["DEPT_NAME"].strip()][1] == "nt"


def test_cli_writes_the_large_export_where_the_settings_say(tmp_path, monkeypatch):
    _, url = imported_database(tmp_path)
    userdict, lookup = tmp_path / "jieba" / "userdict.txt", tmp_path / "nlu" / "service_item.yml"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("JIEBA_DICT_PATH", str(userdict))
    monkeypatch.setenv("NLU_LOOKUP_PATH", str(lookup))
    get_settings.cache_clear()
    try:
        assert cli.main(["export-nlu", "--seed-dir", str(FIXTURE_SEED), "--with-imported"]) == 0
        assert "居民身份证遗失登记" in lookup_of(lookup.read_text(encoding="utf-8"))[0]
        assert "居民身份证遗失登记 3000 nz" in userdict.read_text(encoding="utf-8")
        assert cli.main(["export-nlu", "--seed-dir", str(FIXTURE_SEED)]) == 0
        assert "居民身份证遗失登记" not in lookup.read_text(encoding="utf-8")
    finally:
        get_settings.cache_clear()
