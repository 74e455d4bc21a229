"""ID and mobile numbers masked in log records (个人信息保护法), for every process: the service
attaches the filter to its handlers (service/core/privacy.py); the Rasa server, whose logging Rasa
sets up itself, masks each record as it is made (`install_record_masking`, bot/server.py). Rasa
logs a citizen's text, for one, when a REST message times out.

Pure: standard library only.
"""

from __future__ import annotations

import logging

from common.personal_data import mask_personal_data


def _mask_value(value: object) -> object:
    text = value if isinstance(value, str) else str(value)
    masked = mask_personal_data(text)
    return masked if masked != text else value


def _mask_args(args: object) -> object:
    if isinstance(args, tuple):
        return tuple(_mask_value(a) for a in args)
    if isinstance(args, dict):
        return {k: _mask_value(v) for k, v in args.items()}
    return args


class PersonalDataFilter(logging.Filter):
    """Masks ID and mobile numbers in every record's message, arguments and traceback text.

    Arguments are masked in place rather than merged into the message where possible, so
    formatters that unpack them (uvicorn's access log) keep working.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it itself
            return True
        masked = mask_personal_data(message)
        if masked != message:
            record.msg = mask_personal_data(record.msg) if isinstance(record.msg, str) else record.msg
            record.args = _mask_args(record.args)
            try:
                intact = record.getMessage() == masked
            except Exception:  # e.g. %d given a masked string
                intact = False
            if not intact:
                record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


def install_record_masking() -> None:
    """Every log record of this process is masked as it is made, whatever handlers are set up
    later (idempotent)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "masks_personal_data", False):
        return
    masking = PersonalDataFilter()

    def make_masked_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        masking.filter(record)
        return record

    make_masked_record.masks_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_masked_record)
