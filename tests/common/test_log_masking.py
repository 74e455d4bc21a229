"""Log records masked as they are made (the Rasa server) or by a handler's filter (the service,
tests/service/core/test_privacy.py)."""

import io
import logging

import pytest

from common.log_masking import install_record_masking


@pytest.fixture
def record_factory():
    original = logging.getLogRecordFactory()
    yield
    logging.setLogRecordFactory(original)


def test_every_record_is_masked_as_it_is_made_whatever_the_handler(record_factory):
    install_record_masking()
    install_record_masking()  # idempotent: masked once
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # set up later, with no filter, as Rasa's are
    logger = logging.getLogger("rasa.core.channels.rest.test")
    logger.addHandler(handler)
    try:
        # As Rasa's structlog hands it over: one JSON string.
        logger.error('{"text": "13812345678", "event": "rest.message.received.timeout"}')
        logger.error("sender %s said %s", "web-1", "身份证11010519491231002X")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().splitlines() == [
        '{"text": "138****5678", "event": "rest.message.received.timeout"}',
        "sender web-1 said 身份证110***********002X",
    ]


def test_a_record_with_nothing_personal_is_left_as_it_was(record_factory):
    install_record_masking()
    record = logging.getLogger("test").makeRecord("test", logging.INFO, __file__, 1, "turn %d of %s", (3, "web-1"),
                                                  None)
    assert (record.msg, record.args) == ("turn %d of %s", (3, "web-1"))
