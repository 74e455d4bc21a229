"""Request and response schemas of the 12345 work-order API."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from service.core import templates as t
from service.core.fields import Mobile, StatusChangeOut, StrictIn
from service.core.text_input import CitizenText
from service.tickets.models import Channel, Satisfaction, Status, TicketType, Urgency
from service.triage.schemas import Topic

AgentName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
TopicName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Department = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Rasa's sender id: a web chat's random id, "wx:<openid>" for WeChat.
ConversationId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w:.\-]+$")]
TRANSCRIPT_LINE_CHARS = 500
TRANSCRIPT_LINES = 40


class TranscriptLineIn(StrictIn):
    """One line of the chat before the handoff, as the bot saw it."""

    author: Literal["citizen", "bot"]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TRANSCRIPT_LINE_CHARS)]


class TicketIn(StrictIn):
    channel: Channel
    requester: Annotated[str, Field(max_length=60)] | None = None
    phone: Mobile
    confidential: bool = False
    type: TicketType | None = None  # suggested by the classifier when not given
    topic_l1: TopicName | None = None
    topic_l2: TopicName | None = None
    district: Annotated[str, Field(max_length=50)] | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    content: CitizenText
    summary: Summary | None = None  # the start of the content when not given
    urgency: Urgency = Urgency.NORMAL
    item_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    department: Department | None = None  # the item's department when not given
    conversation_id: ConversationId | None = None
    transcript: Annotated[list[TranscriptLineIn], Field(max_length=TRANSCRIPT_LINES)] = []

    @model_validator(mode="after")
    def _l2_needs_l1(self) -> "TicketIn":
        if self.topic_l2 and not self.topic_l1:
            raise ValueError(t.TICKET_TOPIC_L2_WITHOUT_L1)
        return self


class AgentIn(StrictIn):
    agent: AgentName


class ReplyIn(AgentIn):
    reply: CitizenText


class ReturnIn(AgentIn):
    reason: CitizenText


class ReassignIn(AgentIn):
    department: Department
    note: Annotated[str, Field(max_length=500)] | None = None


class CorrectionIn(AgentIn):
    """An agent's correction of what was filled automatically; at least one field."""

    type: TicketType | None = None
    topic_l1: TopicName | None = None
    topic_l2: TopicName | None = None
    summary: Summary | None = None

    @model_validator(mode="after")
    def _something_to_correct(self) -> "CorrectionIn":
        if not self.model_fields_set - {"agent"}:
            raise ValueError(t.TICKET_NOTHING_TO_CORRECT)
        return self


class RatingIn(StrictIn):
    phone: Mobile
    rating: Satisfaction


class AgentMessageIn(AgentIn):
    text: CitizenText


class MessageOut(BaseModel):
    """A transcript line; in the citizen's outbox, one message for their conversation."""

    id: int
    at: datetime
    author: str
    text: str
    buttons: list[dict[str, str]] | None = None


class CitizenTicketOut(BaseModel):
    """What the requester sees: the phone masked, no agent names or internal notes."""

    number: str
    type: TicketType
    status: Status
    status_label: str
    summary: str
    phone: str
    department: str | None
    created_at: datetime
    deadline: datetime
    reply: str | None
    replied_at: datetime | None
    satisfaction: Satisfaction | None


class TicketCreatedOut(CitizenTicketOut):
    """The new order, and whether an agent can pick it up now (their hours are configurable)."""

    topic_l1: str | None
    topic_l2: str | None
    agents_on_duty: bool
    agents_back_at: datetime | None
    agent_hours: str


class EventOut(StatusChangeOut[Status]):
    changes: dict | None


class TicketBrief(BaseModel):
    """One row of the agents' queue."""

    number: str
    channel: Channel
    type: TicketType
    topic_l1: str | None
    topic_l2: str | None
    summary: str
    district: str | None
    urgency: Urgency
    department: str | None
    status: Status
    status_label: str
    assignee: str | None
    created_at: datetime
    deadline: datetime
    overdue: bool


class TicketOut(TicketBrief):
    """The full order for agents, phone unmasked, with its event log."""

    requester: str | None
    phone: str
    confidential: bool
    place: str | None
    content: str
    item_code: str | None
    reply: str | None
    replied_at: datetime | None
    closed_at: datetime | None
    satisfaction: Satisfaction | None
    rated_at: datetime | None
    conversation: bool  # a chat is attached: the agent can message the citizen there
    transcript: list[MessageOut]  # ID and phone numbers masked
    events: list[EventOut]
    # claim / reply / return / reassign / close / message / correct, for the agent who asked.
    allowed_actions: list[str]


class TicketPage(BaseModel):
    items: list[TicketBrief]
    total: int
    page: int
    page_size: int


class DraftIn(StrictIn):
    title: Annotated[str, Field(max_length=200)] = ""
    content: CitizenText


class ItemRef(BaseModel):
    code: str
    name: str


class DraftOut(BaseModel):
    """What a work order would be filled with from this text; agents and the bot confirm it."""

    type: TicketType
    topic: Topic
    confidence: float = Field(description="probability of the first-level topic, 0 to 1")
    summary: str
    phone: str | None
    place: str | None
    item: ItemRef | None


class RelayIn(StrictIn):
    """A citizen's message the bot relays while an agent owns the conversation."""

    text: CitizenText
    message_id: Annotated[str | None, Field(max_length=64)] = None  # Rasa's id of the message


class ConversationRatingIn(StrictIn):
    rating: Satisfaction


class Outbox(BaseModel):
    messages: list[MessageOut]
    # The conversation's newest order, so the page can say whether an agent is on it.
    ticket: CitizenTicketOut | None


FOLLOW_UP_ACTION_CHARS = 1000


def _what_was_done(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError(t.FOLLOW_UP_ACTION_REQUIRED)
    if len(text) > FOLLOW_UP_ACTION_CHARS:
        raise ValueError(t.FOLLOW_UP_ACTION_TOO_LONG.format(max_chars=FOLLOW_UP_ACTION_CHARS))
    return text


class FollowUpCloseIn(AgentIn):
    """Staff close a 差评's follow-up with what was done; it is told to the citizen as written."""

    action_taken: Annotated[str, AfterValidator(_what_was_done)]


class FollowUpOut(BaseModel):
    """A 差评's follow-up task (整改) with the order it is about; the phone is not shown."""

    id: int
    number: str
    channel: Channel
    channel_label: str
    summary: str
    subject: str  # the order's item or topic
    rating: Satisfaction
    opened_at: datetime
    due_at: datetime
    overdue: bool
    closed_at: datetime | None
    closed_by: str | None
    action_taken: str | None
