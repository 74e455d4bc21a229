"""An in-memory stand-in for ServiceClient, for unit tests of the actions only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from actions.api.service_client import (
    Handler,
    ItemNotFound,
    Notice,
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
        self.calls: list[tuple[str, ...]] = []

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

    def on_search(self, query: str, *scored: tuple[str, float], confident: bool = False) -> None:
        self.results_by_query[query] = SearchResult(
            hits=[SearchHit(code=code, name=self.items[code].name, department="公安局", score=score)
                  for code, score in scored],
            confident=confident,
        )

    async def search(self, query: str, limit: int = 5) -> SearchResult:
        self._call("search", query)
        return self.results_by_query.get(query, SearchResult(hits=[], confident=False))

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
            aspects={
                "fee": "20元",
                "time_limit": "承诺20个工作日",
                "location": "政务服务中心一楼",
                "conditions": "本市户籍居民",
                "process": "申请、受理、制证、领取",
                "online": "可在“i清江”小程序预约",
            },
        )

    def _call(self, *call: str) -> None:
        if self.down:
            raise ServiceUnavailable(call[0])
        self.calls.append(call)
