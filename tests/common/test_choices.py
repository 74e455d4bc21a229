import pytest

from common.choices import resolve_choice

LABELS = ["本人办理", "委托代办", "一方为外地户籍"]


@pytest.mark.parametrize("answer,expected", [
    ("第二个", 1), ("2", 1), ("二", 1), ("选2号吧", 1), ("最后一个", 2),
    ("一方为外地户籍的", 2), ("委托", 1), ("就本人办理", 0),
    ("随便", None), ("第五个", None), ("12月3号", None), ("", None),
])
def test_resolves_ordinals_and_labels(answer, expected):
    assert resolve_choice(answer, LABELS) == expected
