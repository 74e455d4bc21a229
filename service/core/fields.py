"""Request fields every domain validates the same way: a strict model base and personal data."""

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from service.core import clock
from service.core.identity import check_id_number, check_mobile, check_name


def _check_id_today(text: str) -> str:
    return check_id_number(text, today=clock.today())


Mobile = Annotated[str, Field(max_length=32), AfterValidator(check_mobile)]
IdNumber = Annotated[str, Field(max_length=32), AfterValidator(_check_id_today)]
PersonName = Annotated[str, Field(max_length=60), AfterValidator(check_name)]


class StrictIn(BaseModel):
    # A misspelt field must not be dropped silently: it changes what is booked or filed.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


StatusT = TypeVar("StatusT")


class StatusChangeOut(BaseModel, Generic[StatusT]):
    """One entry of a record's history: who moved it from which state to which, and when."""

    at: datetime
    actor: str
    action: str
    from_status: StatusT | None
    to_status: StatusT
    note: str | None
