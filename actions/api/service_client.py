"""The one HTTP client of the 导办 service (catalogue now; bookings and work orders later).

Failures come back as `ServiceUnavailable` exceptions raised from one place, so every action
handles "the service is down or slow" the same way.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0


class ServiceUnavailable(Exception):
    """The service could not be reached, timed out, or answered with a 5xx."""


class ItemNotFound(Exception):
    """The service has no item (or situation) with that code."""


class Refused(Exception):
    """The service understood the request and said no (a 4xx other than 404), with its reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class SearchHit:
    code: str
    name: str
    department: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    # The service's judgement that the first hit is clearly the item meant.
    confident: bool
    # Parts of the message name different items on their own: not which, but surely the catalogue.
    contested: bool = False


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    phone: str
    hours: str


@dataclass(frozen=True)
class Referral:
    """Who handles a matter that this hall's catalogue does not hold (首问负责)."""

    item_name: str
    department: str
    department_kind: str
    level: str
    # The hall's own department of the same kind, when the catalogue has one.
    local: Optional[Office]


@dataclass(frozen=True)
class Situation:
    id: str
    name: str


@dataclass(frozen=True)
class Handler:
    name: str
    address: str
    phone: str
    hours: str
    note: str


@dataclass(frozen=True)
class Notice:
    """The one-time notice of an item, with what the dialogue needs to know about the item."""

    code: str
    name: str
    handled_here: bool
    situations: list[Situation]
    handled_by: Optional[Handler]
    notice_no: str
    sections: list[str]
    aspects: dict[str, str]
    # What to bring, as the notice says for its situation (免提交 materials are not on it).
    checklist: list[str]


@dataclass(frozen=True)
class LifeEventHit:
    code: str
    name: str
    score: float


@dataclass(frozen=True)
class LifeEventSearch:
    hits: list[LifeEventHit]
    # The service's judgement that the first life event is clearly the one meant.
    confident: bool


@dataclass(frozen=True)
class LifeEventNotice:
    """The merged notice of a life event (高效办成一件事), with the facts its card shows."""

    code: str
    name: str
    notice_no: str
    situations: list[Situation]
    sections: list[str]
    # {no, name, in_catalogue, handled_by, after, when} per step, in order.
    steps: list[dict[str, Any]]
    # Materials to bring, each once: {name, used_by: [item names]}.
    materials: list[dict[str, Any]]
    fee: dict[str, Any]
    time: dict[str, Any]
    window: Optional[dict[str, Any]]


@dataclass(frozen=True)
class Hall:
    code: str
    name: str
    address: str


@dataclass(frozen=True)
class FreeSlot:
    date: str  # YYYY-MM-DD
    slot: str  # "09:00-10:00"
    window: str


@dataclass(frozen=True)
class Availability:
    understood: bool  # the message named a day or time at all
    slot: Optional[FreeSlot]
    alternatives: list[FreeSlot]
    reason: Optional[str]


@dataclass(frozen=True)
class FieldCheck:
    ok: bool
    value: Optional[str]
    masked: Optional[str]
    reason: Optional[str]


class ServiceClient:
    """Async client; the HTTP session is opened lazily inside the running event loop."""

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        # A refused or unanswered connect fails fast; an answer may take the whole timeout.
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=CONNECT_TIMEOUT_S)
        self._session: Optional[aiohttp.ClientSession] = None

    async def search(self, query: str, limit: int = 5) -> SearchResult:
        """Items ranked for the citizen's words; no words (only masks or emoji) finds none."""
        try:
            body = await self._get("/api/catalogue/search", {"q": query_text(query), "limit": str(limit)})
        except Refused:
            return SearchResult(hits=[], confident=False)
        hits = [
            SearchHit(
                code=hit["code"],
                name=hit["name"],
                department=_department_name(hit.get("department")),
                score=float(hit["score"]),
            )
            for hit in body.get("items", [])
        ]
        return SearchResult(hits=hits, confident=bool(body.get("confident")), contested=bool(body.get("contested")))

    async def referral(self, text: str) -> Optional[Referral]:
        """The department that handles a matter outside the catalogue, or None when unknown."""
        try:
            body = await self._get("/api/catalogue/referral", {"q": query_text(text)})
        except Refused:
            return None
        if not body.get("found"):
            return None
        local = body.get("local")
        return Referral(
            item_name=body.get("item_name") or "",
            department=body.get("department") or "",
            department_kind=body.get("department_kind") or "",
            level=body.get("level") or "",
            local=Office(
                name=local.get("name", ""), address=local.get("address", ""),
                phone=local.get("phone", ""), hours=local.get("hours", ""),
            ) if isinstance(local, dict) else None,
        )

    async def get_notice(self, code: str, situation: Optional[str] = None) -> Notice:
        """The notice for one situation, or covering all situations when none is given."""
        params = {"situation": situation} if situation else None
        body = await self._get(f"/api/catalogue/items/{code}/notice", params)
        handler = body.get("handled_by")
        return Notice(
            code=body["item"]["code"],
            name=body["item"]["name"],
            handled_here=bool(body.get("handled_here", True)),
            situations=[Situation(id=s["id"], name=s["name"]) for s in body.get("situations", [])],
            handled_by=Handler(
                name=handler.get("name", ""),
                address=handler.get("address", ""),
                phone=handler.get("phone", ""),
                hours=handler.get("hours", ""),
                note=handler.get("note") or "",
            )
            if handler
            else None,
            notice_no=body["notice_no"],
            sections=list(body["sections"]),
            aspects=dict(body["aspects"]),
            checklist=list(body.get("checklist", [])),
        )

    # --- 高效办成一件事 (life-event bundles) ---------------------------------------------------

    async def find_life_events(self, text: str) -> LifeEventSearch:
        """Life events ranked for the citizen's words ("开饭店", "孩子出生了要办啥")."""
        try:
            body = await self._get("/api/bundles", {"q": query_text(text)})
        except Refused:
            return LifeEventSearch(hits=[], confident=False)
        return LifeEventSearch(
            hits=[LifeEventHit(b["code"], b["name"], float(b.get("score") or 0)) for b in body["bundles"]],
            confident=bool(body.get("confident")),
        )

    async def list_life_events(self) -> list[LifeEventHit]:
        body = await self._get("/api/bundles")
        return [LifeEventHit(b["code"], b["name"], 0.0) for b in body["bundles"]]

    async def get_life_event_notice(self, code: str, situation: Optional[str] = None) -> LifeEventNotice:
        params = {"situation": situation} if situation else None
        body = await self._get(f"/api/bundles/{quote(code, safe='')}/notice", params)
        return LifeEventNotice(
            code=body["code"],
            name=body["name"],
            notice_no=body["notice_no"],
            situations=[Situation(id=s["id"], name=s["name"]) for s in body.get("situations", [])],
            sections=list(body["sections"]),
            steps=[
                {"no": s["no"], "name": s["name"], "in_catalogue": s["in_catalogue"],
                 "handled_by": s.get("handled_by"), "after": s.get("after", []), "when": s.get("when"),
                 "key": s["key"]}
                for s in body["steps"]
            ],
            materials=[
                {"name": m["name"], "used_by": list(dict.fromkeys(u["item_name"] for u in m["used_by"]))}
                for m in body["materials"]
            ],
            fee=dict(body["fee"]),
            time=dict(body["time"]),
            window=body.get("window"),
        )

    async def halls_for_item(self, code: str) -> list[Hall]:
        body = await self._request("GET", "/api/halls", params={"item": code})
        return [Hall(code=h["code"], name=h["name"], address=h["address"]) for h in body]

    async def availability(self, hall: str, when: str, item: str) -> Availability:
        body = await self._request(
            "POST", f"/api/halls/{hall}/availability", json={"when": when, "item": item}, repeatable=True
        )
        return Availability(
            understood=body.get("requested") is not None,
            slot=_free_slot(body["slot"]) if body.get("slot") else None,
            alternatives=[_free_slot(s) for s in body.get("alternatives", [])],
            reason=body.get("reason"),
        )

    async def check_field(self, field: str, text: str) -> FieldCheck:
        """One of name / phone / id_number, checked by the same rules as a booking."""
        body = await self._request("POST", "/api/appointments/check-person", json={field: text}, repeatable=True)
        result = body[field]
        return FieldCheck(result["ok"], result["value"], result["masked"], result["reason"])

    async def create_appointment(self, booking: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """The booking as the citizen may see it (masked); a retry with the same key is safe."""
        # With the bot's token: the booking names this conversation, which only the bot may do.
        return await self._request(
            "POST", "/api/appointments", json=booking, headers={"Idempotency-Key": idempotency_key, **self._bot_auth()}
        )

    async def create_bundle_appointment(self, bundle: str, booking: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """One booking for a life-event bundle at its 综合窗口 (the booking names the window's item)."""
        return await self._request(
            "POST", f"/api/bundles/{quote(bundle, safe='')}/appointments", json=booking,
            headers={"Idempotency-Key": idempotency_key, **self._bot_auth()},
        )

    # Managing a booking: `proof` is {"phone": …} or, for the conversation that booked it, {"conversation_id": …}.

    async def conversation_appointments(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's bookings still to come, soonest first."""
        return await self._request("GET", "/api/appointments", params={"conversation": conversation_id},
                                   headers=self._bot_auth())

    async def get_appointment(self, code: str, proof: dict[str, str]) -> dict[str, Any]:
        """Raises ItemNotFound when the code is unknown or the proof does not match."""
        params = {"phone": proof["phone"]} if "phone" in proof else {"conversation": proof["conversation_id"]}
        return await self._request("GET", f"/api/appointments/{quote(code, safe='')}", params=params,
                                   headers=self._bot_auth())

    async def cancel_appointment(self, code: str, proof: dict[str, str]) -> dict[str, Any]:
        return await self._request("POST", f"/api/appointments/{quote(code, safe='')}/cancel", json=proof,
                                   headers=self._bot_auth())

    async def reschedule_appointment(self, code: str, proof: dict[str, str], day: str, slot: str) -> dict[str, Any]:
        return await self._request("POST", f"/api/appointments/{quote(code, safe='')}/reschedule",
                                   json={**proof, "date": day, "slot": slot}, headers=self._bot_auth())

    # --- cases (办件进度) -------------------------------------------------------------------------

    async def conversation_cases(self, conversation_id: str) -> list[dict[str, Any]]:
        """The cases registered with this conversation, newest first."""
        return await self._request("GET", f"/api/conversations/{quote(conversation_id, safe='')}/cases",
                                   headers=self._bot_auth())

    async def case_status(self, number: str, phone: str) -> dict[str, Any]:
        """Raises ItemNotFound when the number is unknown or the phone does not match."""
        return await self._request("GET", f"/api/cases/{quote(number, safe='')}/status", params={"phone": phone})

    # --- 12345 work orders --------------------------------------------------------------------

    async def draft_ticket(self, content: str) -> dict[str, Any]:
        """Type, topic, summary, phone, place and item the service reads from the citizen's words."""
        return await self._request("POST", "/api/tickets/draft", json={"content": query_text(content)},
                                   repeatable=True)

    async def create_ticket(self, ticket: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """The new order as its requester may see it, with the agents' hours; retries are safe."""
        return await self._request(
            "POST", "/api/tickets", json=ticket, headers={"Idempotency-Key": idempotency_key}
        )

    async def conversation_tickets(self, conversation_id: str) -> list[dict[str, Any]]:
        return await self._request(
            "GET", f"/api/conversations/{quote(conversation_id, safe='')}/tickets", headers=self._bot_auth()
        )

    async def ticket_status(self, number: str, phone: str) -> dict[str, Any]:
        return await self._request("GET", f"/api/tickets/{quote(number, safe='')}/status", params={"phone": phone})

    async def rate_ticket(self, conversation_id: str, number: str, rating: str) -> dict[str, Any]:
        return await self._request(
            "POST",
            f"/api/conversations/{quote(conversation_id, safe='')}/tickets/{quote(number, safe='')}/rating",
            json={"rating": rating},
            headers=self._bot_auth(),
        )

    @staticmethod
    def _bot_auth() -> dict[str, str]:
        from actions.settings import get_settings

        return {"Authorization": f"Bearer {get_settings().bot_token}"}

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _get(self, path: str, params: Optional[dict[str, str]] = None) -> dict[str, Any]:
        return await self._request("GET", path, params=params)

    async def _request(self, method: str, path: str, *, repeatable: bool = False, **kwargs: Any) -> Any:
        """`repeatable`: sending the request twice does nothing twice (a POST that only reads or
        checks). GETs and writes carrying an Idempotency-Key are repeatable too: a connection
        dropped under them (a kept-alive one the other side closed as it was reused, a worker
        restarting behind nginx) gets one more try. A timeout does not: the service is slow, and
        a second request would only add to its load."""
        repeatable = repeatable or method == "GET" or "Idempotency-Key" in kwargs.get("headers", {})
        tries = 2 if repeatable else 1
        for attempt in range(1, tries + 1):
            try:
                return await self._send(method, path, **kwargs)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                # Only the kind of failure is logged: request bodies carry personal data.
                logger.warning("service call %s %s failed (try %d of %d): %s",
                               method, path, attempt, tries, type(error).__name__)
                dropped = isinstance(error, aiohttp.ClientConnectionError) and not isinstance(
                    error, asyncio.TimeoutError)
                if not dropped or attempt == tries:
                    raise ServiceUnavailable(path) from error
        raise AssertionError("unreachable: the last try returns or raises")

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        async with self._session.request(method, self._base_url + path, **kwargs) as response:
            if response.status == 404:
                raise ItemNotFound(path)
            if 400 <= response.status < 500:
                raise Refused(response.status, _detail(await response.json(content_type=None)))
            if response.status >= 500:
                raise ServiceUnavailable(f"{path} answered {response.status}")
            return await response.json()


# The service reads at most this many characters of a citizen's text (MAX_TEXT_CHARS there).
MAX_QUERY_CHARS = 1000


def query_text(text: str) -> str:
    """A message as the service's search takes it: a very long one keeps its start, where the
    matter is usually named, and its end, where the request is."""
    text = (text or "").strip()
    if len(text) <= MAX_QUERY_CHARS:
        return text
    head = MAX_QUERY_CHARS * 3 // 5
    return text[:head] + "……" + text[-(MAX_QUERY_CHARS - head - 2):]


def _department_name(department: Any) -> str:
    # The search answers with the department's name; the item endpoint with an object.
    if isinstance(department, dict):
        return department.get("short_name") or department.get("name", "")
    return department or ""


@functools.lru_cache(maxsize=1)
def shared_client() -> ServiceClient:
    """The action server's one client: one connection pool for every action."""
    from actions.settings import get_settings

    settings = get_settings()
    return ServiceClient(settings.service_url, settings.service_timeout_s)


class UsesService:
    """Mixed into an action that calls the service: the shared client, or the fake a test passes."""

    def __init__(self, client: Optional[ServiceClient] = None) -> None:
        super().__init__()
        self._client = client

    @property
    def client(self) -> ServiceClient:
        return self._client or shared_client()


def _free_slot(body: dict[str, Any]) -> FreeSlot:
    return FreeSlot(date=str(body["date"]), slot=body["slot"], window=body.get("window", ""))


# Shown to the citizen as the reason when the service refused without one (a field-level 422).
REFUSED_WITHOUT_REASON = "请求未被受理"


def _detail(body: Any) -> str:
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else REFUSED_WITHOUT_REASON
