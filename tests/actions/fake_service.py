"""An in-memory stand-in for ServiceClient, for unit tests of the actions only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from actions.api.service_client import (
    Availability,
    FieldCheck,
    Hall,
    Handler,
    ItemNotFound,
    LifeEventHit,
    LifeEventNotice,
    LifeEventSearch,
    Notice,
    Referral,
    Refused,
    SearchHit,
    SearchResult,
    ServiceUnavailable,
    Situation,
)


@dataclass(frozen=True)
class FakeItem:
    code: str
    name: str
    handled_here: bool
    situations: list[Situation]
    handled_by: Optional[Handler]


class FakeServiceClient:
    def __init__(self) -> None:
        self.items: dict[str, FakeItem] = {}
        self.results_by_query: dict[str, SearchResult] = {}
        self.down = False
        self.halls: list[Hall] = [Hall(code="A", name="清江市政务服务中心", address="市民大道88号")]
        self.availability_by_text: dict[str, Availability] = {}
        self.bookings: list[tuple[str, dict]] = []
        self.extra_materials: list[str] = []  # only in the notice covering every situation
        self.to_bring: dict[str, list[str]] = {}  # situation ("" for none) → its notice's checklist
        self.refuse_booking: Optional[Refused] = None
        self.locked_codes: set[str] = set()
        self.calls: list[tuple[str, ...]] = []
        self.drafts: dict[str, dict] = {}  # content → what the service would read from it
        self.tickets: list[tuple[str, dict]] = []  # (idempotency key, body) as filed
        self.agents_on_duty = True
        self.ratings: list[tuple[str, str, str]] = []
        self.referrals: dict[str, Referral] = {}  # text → who handles it outside the catalogue
        self.refusals: dict[str, Exception] = {}  # method → what the service answers instead
        self.ticket_fields: dict[str, dict] = {}  # number → what an order shows later (a reply)
        # Bookings to manage: code → (its view, the phone, the conversation that made it).
        self.appointments: dict[str, tuple[dict, str, str]] = {}
        # Cases (办件): number → (the citizen's view, the phone, the conversation registered with).
        self.cases: dict[str, tuple[dict, str, str]] = {}
        self.life_events: dict[str, LifeEventNotice] = {}  # code → its merged notice (all situations)
        self.life_event_results: dict[str, LifeEventSearch] = {}  # text → what the search finds

    def add_item(self, code: str, name: str, situations: tuple[tuple[str, str], ...] = (),
                 handled_by: Optional[Handler] = None) -> FakeItem:
        item = FakeItem(
            code=code,
            name=name,
            handled_here=handled_by is None,
            situations=[Situation(id=i, name=n) for i, n in situations],
            handled_by=handled_by,
        )
        self.items[code] = item
        return item

    def on_search(self, query: str, *scored: tuple[str, float], confident: bool = False,
                  contested: bool = False) -> None:
        self.results_by_query[query] = SearchResult(
            hits=[SearchHit(code=code, name=self.items[code].name, department="公安局", score=score)
                  for code, score in scored],
            confident=confident,
            contested=contested,
        )

    async def search(self, query: str, limit: int = 5) -> SearchResult:
        self._call("search", query)
        return self.results_by_query.get(query, SearchResult(hits=[], confident=False))

    async def referral(self, text: str) -> Optional[Referral]:
        self._call("referral", text)
        if self.down:
            raise ServiceUnavailable("down")
        return self.referrals.get(text)

    async def get_notice(self, code: str, situation: Optional[str] = None) -> Notice:
        self._call("get_notice", code, situation or "")
        if code not in self.items or (situation and situation not in
                                      {s.id for s in self.items[code].situations}):
            raise ItemNotFound(code)
        item = self.items[code]
        label = situation or "全部情形"
        return Notice(
            code=item.code,
            name=item.name,
            handled_here=item.handled_here,
            situations=item.situations,
            handled_by=item.handled_by,
            notice_no=f"{code}-{label}",
            sections=[f"【{item.name}】一次性告知（{label}）", "二、申请材料（共1项）\n1. 居民户口簿 原件1份"],
            checklist=self.to_bring.get(
                situation or "", ["居民户口簿", "近期免冠照片"] + ([] if situation else self.extra_materials)),
            aspects={
                "fee": "20元",
                "time_limit": "承诺20个工作日",
                "location": "政务服务中心一楼",
                "conditions": "本市户籍居民",
                "process": "申请、受理、制证、领取",
                "online": "可在“i清江”小程序预约",
            },
        )

    def add_life_event(self, code: str, name: str, situations: tuple[tuple[str, str], ...] = ()) -> None:
        self.life_events[code] = LifeEventNotice(
            code=code, name=name, notice_no=f"{code.upper()}-ALL-000000",
            situations=[Situation(id=i, name=n) for i, n in situations],
            sections=[f"【{name}】一次性告知（告知单号：{code.upper()}-ALL-000000）", "一、办理顺序（共2项）"],
            steps=[
                {"no": 1, "key": "WJ-CSZM-001", "name": "出生医学证明首次签发", "in_catalogue": True,
                 "handled_by": None, "after": [], "when": None},
                {"no": 2, "key": "vaccination", "name": "预防接种证办理", "in_catalogue": False,
                 "handled_by": "社区卫生服务中心", "after": ["WJ-CSZM-001"], "when": None},
            ],
            materials=[{"name": "父母双方居民身份证", "used_by": ["出生医学证明首次签发", "出生登记"]}],
            fee={"total_yuan": 0, "fixed": [], "by_standard": []},
            time={"promised_days": 0, "promised_days_with_conditional": 10},
            window={"hall_code": "A", "hall_name": "清江市政务服务中心", "window_name": "民生综合窗口",
                    "booking_item_code": "GA-SFZ-001", "booking_item_name": "出生医学证明首次签发"},
        )

    def on_life_event_search(self, text: str, *codes: str, confident: bool = False) -> None:
        self.life_event_results[text] = LifeEventSearch(
            hits=[LifeEventHit(code, self.life_events[code].name, 0.9) for code in codes], confident=confident)

    async def find_life_events(self, text: str) -> LifeEventSearch:
        self._call("find_life_events", text)
        return self.life_event_results.get(text, LifeEventSearch(hits=[], confident=False))

    async def list_life_events(self) -> list[LifeEventHit]:
        self._call("list_life_events")
        return [LifeEventHit(code, notice.name, 0.0) for code, notice in self.life_events.items()]

    async def get_life_event_notice(self, code: str, situation: Optional[str] = None) -> LifeEventNotice:
        self._call("get_life_event_notice", code, situation or "")
        notice = self.life_events.get(code)
        if notice is None or (situation and situation not in {s.id for s in notice.situations}):
            raise ItemNotFound(code)
        return notice

    async def halls_for_item(self, code: str) -> list[Hall]:
        self._call("halls_for_item", code)
        return list(self.halls)

    async def availability(self, hall: str, when: str, item: str) -> Availability:
        self._call("availability", hall, when, item)
        return self.availability_by_text.get(when, Availability(False, None, [], "没听出是哪天"))

    async def check_field(self, field: str, text: str) -> FieldCheck:
        self._call("check_field", field, text)
        valid = {"name": len(text) >= 2, "phone": text.isdigit() and len(text) == 11,
                 "id_number": len(text) == 18 and text.endswith("X")}[field]
        if not valid:
            return FieldCheck(False, None, None, f"{field} 不正确")
        return FieldCheck(True, text, text[:3] + "****" if field != "name" else text[0] + "*", None)

    async def create_appointment(self, booking: dict, idempotency_key: str) -> dict:
        self._call("create_appointment", idempotency_key)
        self.bookings.append((idempotency_key, booking))
        if self.refuse_booking is not None:
            raise self.refuse_booking
        return {"code": "20261125-A-0001", "item_name": self.items[booking["item_code"]].name,
                "hall": {"name": "清江市政务服务中心", "address": "市民大道88号"},
                "window": "A3", "phone": booking["phone"][:3] + "****"}

    async def create_bundle_appointment(self, bundle: str, booking: dict, idempotency_key: str) -> dict:
        self._call("create_bundle_appointment", bundle, idempotency_key)
        self.bookings.append((idempotency_key, {**booking, "bundle": bundle}))
        made = await self.create_appointment(booking, idempotency_key)
        return {**made, "bundle": {"code": bundle, "name": self.life_events[bundle].name,
                                   "items": ["出生医学证明首次签发", "出生登记"]}}

    def add_appointment(self, code: str, *, day: str = "2026-12-08", slot: str = "09:00-10:00",
                        phone: str = "13812345678", conversation: str = "test") -> dict:
        view = {"code": code, "status_label": "已预约", "item_code": "GA-SFZ-001", "item_name": "居民身份证换领",
                "date": day, "slot": slot, "window": "一楼公安窗口", "reschedules_left": 2,
                "hall": {"code": "A", "name": "清江市政务服务中心", "address": "市民大道88号"}}
        self.appointments[code] = (view, phone, conversation)
        return view

    async def conversation_appointments(self, conversation_id: str) -> list[dict]:
        self._call("conversation_appointments", conversation_id)
        return [view for view, _, conversation in self.appointments.values() if conversation == conversation_id]

    def _owned(self, code: str, proof: dict) -> dict:
        if code in self.locked_codes:  # too many wrong phones for it, as the service answers
            raise Refused(429, "该编号的手机号核对错误次数过多，为保护您的信息，请 12 分钟后再试")
        found = self.appointments.get(code)
        if found is None or proof not in ({"phone": found[1]}, {"conversation_id": found[2]}):
            raise ItemNotFound(code)
        return found[0]

    async def get_appointment(self, code: str, proof: dict) -> dict:
        self._call("get_appointment", code, str(proof))
        return self._owned(code, proof)

    async def cancel_appointment(self, code: str, proof: dict) -> dict:
        self._call("cancel_appointment", code, str(proof))
        view = self._owned(code, proof)
        view["status_label"] = "已取消"
        return view

    async def reschedule_appointment(self, code: str, proof: dict, day: str, slot: str) -> dict:
        self._call("reschedule_appointment", code, str(proof), day, slot)
        view = self._owned(code, proof)
        view.update(date=day, slot=slot)
        return view

    def add_case(self, number: str, *, item_name: str = "个体工商户设立登记", status: str = "reviewing",
                 status_label: str = "审查中", materials: tuple[str, ...] = (), reason: str | None = None,
                 warning: str = "normal", phone: str = "13812345678", conversation: str = "test") -> dict:
        view = {"number": number, "item_code": "SC-GTDJ-001", "item_name": item_name, "department": "市市场监管局",
                "applicant": "张*", "phone": "138****5678", "status": status, "status_label": status_label,
                "next_step": "窗口正在审查您的材料，审查完成后会作出决定。", "materials_missing": list(materials),
                "reason": reason, "updated_at": "2026-12-03T10:00:00+08:00",
                "deadline": {"accepted_on": "2026-12-01", "promised_days": 3, "paused_days": 0,
                             "due_on": "2026-12-04", "warning": warning, "warning_label": "正常",
                             "working_days_left": None if warning in ("red", "paused") else 1}}
        self.cases[number] = (view, phone, conversation)
        return view

    async def conversation_cases(self, conversation_id: str) -> list[dict]:
        self._call("conversation_cases", conversation_id)
        return [view for view, _, conversation in self.cases.values() if conversation == conversation_id]

    async def case_status(self, number: str, phone: str) -> dict:
        self._call("case_status", number, phone)
        found = self.cases.get(number)
        if found is None or found[1] != phone:
            raise ItemNotFound(number)
        return found[0]

    async def draft_ticket(self, content: str) -> dict:
        self._call("draft_ticket", content)
        return {"type": "投诉", "topic": {"l1": "环境保护", "l2": "环境污染"}, "confidence": 0.8,
                "summary": content[:20], "phone": None, "place": None, "item": None,
                **self.drafts.get(content, {})}

    async def create_ticket(self, ticket: dict, idempotency_key: str) -> dict:
        self._call("create_ticket", idempotency_key)
        if ticket.get("item_code") and ticket["item_code"] not in self.items:
            # The service's words (TICKET_ITEM_UNKNOWN in service/core/templates.py).
            raise Refused(422, f"没有事项编码为 {ticket['item_code']} 的办事事项")
        earlier = [n for n, (key, _) in enumerate(self.tickets, start=1) if key == idempotency_key]
        if not earlier:
            self.tickets.append((idempotency_key, ticket))
        number = f"12345-20261122-{(earlier or [len(self.tickets)])[0]:05d}"
        return {"number": number, "status_label": "待受理", "deadline": "2026-11-27T10:00:00+08:00",
                "agents_on_duty": self.agents_on_duty, "agent_hours": "08:00-20:00",
                "agents_back_at": None if self.agents_on_duty else "2026-11-23T08:00:00+08:00"}

    async def conversation_tickets(self, conversation_id: str) -> list[dict]:
        self._call("conversation_tickets", conversation_id)
        return [self._ticket_view(n) for n in range(len(self.tickets), 0, -1)]

    async def ticket_status(self, number: str, phone: str) -> dict:
        self._call("ticket_status", number, phone)
        if phone != "13900001111":
            raise ItemNotFound(number)
        return self._ticket_view(1, number=number)

    async def rate_ticket(self, conversation_id: str, number: str, rating: str) -> dict:
        self._call("rate_ticket", conversation_id, number, rating)
        self.ratings.append((conversation_id, number, rating))
        return self._ticket_view(1, number=number)

    def _ticket_view(self, n: int, number: Optional[str] = None) -> dict:
        number = number or f"12345-20261122-{n:05d}"
        return {"number": number, "status_label": "办理中", "summary": "烧烤店油烟",
                "department": "市生态环境局", "deadline": "2026-11-27T10:00:00+08:00", "reply": None,
                **self.ticket_fields.get(number, {})}

    def _call(self, *call: str) -> None:
        if self.down:
            raise ServiceUnavailable(call[0])
        self.calls.append(call)
        if call[0] in self.refusals:
            raise self.refusals[call[0]]
