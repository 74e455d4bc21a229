"""scripts/evaluate_review.py: the figures on the reviewed held-out messages, and the run with none yet.
No network: the reading of the messages is given."""

from __future__ import annotations

from scripts import evaluate_review as ev

EXAMPLES = [
    {"text": "驾照到期咋整", "intent": "ask_materials", "item_code": "GA-JJ-001"},
    {"text": "换本本要多少钱", "intent": "ask_fee", "item_code": "GA-JJ-001"},
    {"text": "护照加急要多久", "intent": "ask_time_limit", "item_code": None},  # 目录缺项
]


def test_intent_on_every_message_item_only_where_the_reviewer_gave_one():
    figures = ev.accuracy(EXAMPLES, ["ask_materials", "ask_materials", "ask_time_limit"],
                          ["GA-JJ-001", "GA-SFZ-002", "GA-HZ-001"])
    assert figures == {"messages": 3, "intent_accuracy": 0.667, "with_item": 2, "item_accuracy": 0.5}


def test_no_items_reviewed_gives_no_item_figure():
    assert ev.accuracy(EXAMPLES[2:], ["deny"], [None])["item_accuracy"] is None


def test_no_reviewed_messages_yet_says_so_and_succeeds(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(ev, "REPO_ROOT", tmp_path)
    assert ev.main(["--holdout", str(tmp_path / "review_holdout.yml")]) == 0
    assert "还没有复核过的留出消息" in capsys.readouterr().out
    (tmp_path / "review_holdout.yml").write_text("examples: []\n", encoding="utf-8")
    assert ev.main(["--holdout", str(tmp_path / "review_holdout.yml")]) == 0
