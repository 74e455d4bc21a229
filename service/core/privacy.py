"""Masking of personal information (个人信息保护法) in logs and anything shown to others.

The patterns and masks are common/personal_data.py's, the logging filter common/log_masking.py's
(the bot masks with them too); here, the filter attached to the service's handlers.
"""

import logging

from common.log_masking import PersonalDataFilter
from common.personal_data import mask_id_numbers, mask_mobiles, mask_personal_data

__all__ = ["PersonalDataFilter", "install_log_masking", "mask_id_numbers", "mask_mobiles", "mask_personal_data"]


def install_log_masking(logger_names: tuple[str, ...] = ("", "uvicorn", "uvicorn.access", "uvicorn.error")) -> None:
    """Attach the filter to every handler of these loggers (handler filters see propagated records)."""
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())
