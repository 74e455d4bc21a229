"""python -m service.cli export-review: the labels as Rasa NLU data with every fifth message held
back by a stable hash, the catalogue gaps, and new aliases proposed as a diff, applied on --approve."""

import shutil
from datetime import UTC, datetime

import pytest
import yaml
from conftest import REAL_SEED

from service import cli
from service.catalogue.importer import load_seed
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.review.export import HOLDOUT_EVERY, held_back, normalise
from service.review.models import LabelKind, ReviewLabel
from service.turns.models import Outcome, Turn

AT = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def database(booking_db_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", booking_db_url)
    get_settings.cache_clear()
    yield booking_db_url
    get_settings.cache_clear()


def label(url: str, text: str, intent: str, item_code: str | None = None, kind=LabelKind.LABEL, phrase=None) -> None:
    with get_session_factory(url)() as session:
        turn = Turn(conversation_id="web-x", message_id=str(hash(text)), at=AT, channel="web", text=text,
                    outcome=Outcome.NOT_UNDERSTOOD)
        session.add(turn)
        session.flush()
        session.add(ReviewLabel(turn_id=turn.id, kind=kind, intent=intent, item_code=item_code, phrase=phrase,
                                reviewer="李娜", labelled_at=AT))
        session.commit()


def run(tmp_path, *extra: str) -> int:
    return cli.main(["export-review", "--seed-dir", str(tmp_path / "seed"), "--out-dir", str(tmp_path / "nlu"),
                     "--holdout", str(tmp_path / "review_holdout.yml"), "--proposals", str(tmp_path / "proposals"),
                     *extra])


@pytest.fixture
def seed_copy(tmp_path):
    shutil.copytree(REAL_SEED, tmp_path / "seed")
    return tmp_path / "seed"


def test_no_labels_yet_says_so_and_writes_nothing(database, tmp_path, capsys):
    assert run(tmp_path) == 0
    assert "no reviewed messages yet" in capsys.readouterr().out
    assert not (tmp_path / "nlu").exists() and not (tmp_path / "review_holdout.yml").exists()


def test_the_hold_back_is_stable_and_about_one_in_five():
    texts = [f"第{n}个问题怎么办理" for n in range(1000)]
    share = sum(map(held_back, texts)) / len(texts)
    assert abs(share - 1 / HOLDOUT_EVERY) < 0.04
    assert held_back("驾照咋换？") == held_back("驾照 咋换") and normalise("驾照咋换？") == "驾照咋换"


def test_labels_become_training_data_and_a_holdout_that_never_overlap(database, seed_copy, tmp_path, capsys):
    texts = [f"我那个第{n}号的驾照到期了咋整，电话13812345678" for n in range(20)]
    for text in texts:
        label(database, text, "ask_materials", "GA-JJ-001")
    label(database, "护照加急[要]多久", "ask_time_limit", kind=LabelKind.MISSING, phrase="护照加急")
    assert run(tmp_path) == 0
    trained = yaml.safe_load((tmp_path / "nlu" / "reviewed.yml").read_text(encoding="utf-8"))
    held = yaml.safe_load((tmp_path / "review_holdout.yml").read_text(encoding="utf-8"))["examples"]
    trained_texts = [line[2:] for block in trained["nlu"] for line in block["examples"].splitlines()]
    assert trained["version"] == "3.1" and {b["intent"] for b in trained["nlu"]} <= {"ask_materials", "ask_time_limit"}
    assert len(trained_texts) + len(held) == 21 and held and not set(trained_texts) & {e["text"] for e in held}
    assert all("13812345678" not in text and "138****5678" in text for text in trained_texts if "驾照" in text)
    assert any("［要］" in t for t in trained_texts + [e["text"] for e in held])  # no Rasa annotation
    assert all(e["item"] in ("机动车驾驶证期满换证", None) for e in held)
    gaps = yaml.safe_load((tmp_path / "proposals" / "catalogue_gaps.yml").read_text(encoding="utf-8"))
    assert gaps["catalogue_gaps"][0]["missing"] == "护照加急"
    first = (tmp_path / "nlu" / "reviewed.yml").read_text(encoding="utf-8")
    assert run(tmp_path) == 0 and (tmp_path / "nlu" / "reviewed.yml").read_text(encoding="utf-8") == first
    assert "up to date" in capsys.readouterr().out


def test_aliases_are_proposed_as_a_diff_and_added_only_on_approval(database, seed_copy, tmp_path, capsys):
    label(database, "换本本咋弄", "ask_materials", "GA-JJ-001", kind=LabelKind.ALIAS, phrase="换本本")
    label(database, "房子过户要啥", "ask_materials", "GA-JJ-001", kind=LabelKind.ALIAS, phrase="房子过户")  # BDC's
    label(database, "驾照到期换证要啥", "ask_materials", "GA-JJ-001", kind=LabelKind.ALIAS, phrase="驾照到期换证")
    seed_file = seed_copy / "catalogue" / "GA.yaml"
    before = seed_file.read_text(encoding="utf-8")

    assert run(tmp_path) == 0
    out = capsys.readouterr().out
    diff = (tmp_path / "proposals" / "aliases.diff").read_text(encoding="utf-8")
    assert "+  aliases: [" in diff and "换本本" in diff and "房子过户" not in diff.split("+  aliases")[1]
    assert "房子过户：已是 BDC-ZYDJ-001 的别名" in out and "--approve" in out
    assert seed_file.read_text(encoding="utf-8") == before  # nothing applied yet

    assert run(tmp_path, "--approve") == 0
    items = {i["code"]: i for i in yaml.safe_load(seed_file.read_text(encoding="utf-8"))["items"]}
    assert items["GA-JJ-001"]["aliases"][-2:] == ["换本本", "驾照到期换证"]
    reloaded = [i for f in load_seed(seed_copy).files for i in f.items if i.code == "GA-JJ-001"]
    assert "换本本" in reloaded[0].aliases  # the seed still validates
    assert run(tmp_path) == 0 and "no new aliases to add" in capsys.readouterr().out


def test_a_message_the_training_data_already_holds_is_never_held_back(database, seed_copy, tmp_path):
    from service.core.settings import REPO_ROOT
    from service.review.export import training_texts

    trained = training_texts(REPO_ROOT / "data" / "nlu", leaving_out=REPO_ROOT / "data" / "nlu" / "review")
    known = sorted(trained)
    text = next(t for t in known if held_back(t))
    label(database, text, "ask_materials")
    label(database, "一个新的说法第七种" + text, "ask_materials")
    assert run(tmp_path) == 0
    holdout = (tmp_path / "review_holdout.yml")
    held = yaml.safe_load(holdout.read_text(encoding="utf-8"))["examples"] if holdout.is_file() else []
    assert normalise(text) not in {normalise(e["text"]) for e in held}
