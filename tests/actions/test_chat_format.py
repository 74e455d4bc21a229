import pytest

from actions.chat_format import pack_sections


def test_sections_that_fit_share_one_message():
    assert pack_sections(["一、条件", "二、材料"], 100) == ["一、条件\n\n二、材料"]


def test_never_exceeds_the_limit_and_loses_nothing():
    sections = ["【标题】", "1. 甲材料\n2. 乙材料\n3. 丙材料", "很长" * 40]
    messages = pack_sections(sections, 25)
    assert all(len(m) <= 25 for m in messages)
    joined = "".join(m.replace("\n", "") for m in messages)
    for section in sections:
        assert section.replace("\n", "") in joined or all(
            line in joined for line in section.splitlines())


@pytest.mark.parametrize("sections", [[], ["", "  "]])
def test_empty_input_gives_no_messages(sections):
    assert pack_sections(sections, 10) == []
