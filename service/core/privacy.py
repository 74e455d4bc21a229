"""Masking of personal information (个人信息保护法) in logs and anything shown to others.

The patterns and masks are common/personal_data.py's (the bot masks with them too); here, the
logging filter that applies them.
"""

import logging

from common.personal_data import mask_id_numbers, mask_mobiles, mask_personal_data

__all__ = ["PersonalDataFilter", "install_log_masking", "mask_id_numbers", "mask_mobiles", "mask_personal_data"]


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


def install_log_masking(logger_names: tuple[str, ...] = ("", "uvicorn", "uvicorn.access", "uvicorn.error")) -> None:
    """Attach the filter to every handler of these loggers (handler filters see propagated records)."""
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())
