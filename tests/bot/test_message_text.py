from bot.message_text import (
    MASK_PLACEHOLDER,
    has_content,
    mask_spans,
    normalise,
    tail,
    without_masks,
)


def test_masks_become_one_placeholder_each_even_inside_words():
    assert normalise("****区人防办") == f"{MASK_PLACEHOLDER}区人防办"
    assert normalise("**小区**号楼") == f"{MASK_PLACEHOLDER}小区{MASK_PLACEHOLDER}号楼"
    assert normalise("XX路和某某街") == f"{MASK_PLACEHOLDER}路和{MASK_PLACEHOLDER}街"
    assert without_masks("领导您好，我是**小区的业主") == "领导您好,我是小区的业主"  # NFKC: ，→ ,


def test_latin_words_and_single_stars_are_not_masks():
    assert normalise("XXL的衣服") == "xxl的衣服"
    assert normalise("5*3等于几") == "5*3等于几"
    assert mask_spans("我在**公司") == [(2, 4)]


def test_full_width_digits_and_letters_are_read_as_half_width():
    assert normalise("１３８１２３４５６７８ ＩＤ") == "13812345678 id"


def test_tail_is_the_last_clauses_where_the_request_is():
    story = "我在**公司干了八个月，老板拖欠工资三个多月了，一共两万多，现在人也找不到了，我该去哪里反映"
    assert tail(story).endswith("我该去哪里反映")
    assert "干了八个月" not in tail(story)
    assert tail("驾照丢了补办在哪里") == "驾照丢了补办在哪里"


def test_messages_of_only_punctuation_emoji_or_masks_have_no_content():
    for text in ("？？？", "……", "****", "某某", "🙂👍", "  ", ""):
        assert not has_content(text), text
    for text in ("1", "ok", "身份证", "**小区停车"):
        assert has_content(text), text
