"""Timing helpers of `make bench`: latencies of turns and requests, and their percentiles."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from typing import Optional

import aiohttp

# A fresh conversation every few turns, as real citizens have short ones.
TURNS_PER_SENDER = 10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(latencies_s: list[float]) -> dict:
    ms = [value * 1000 for value in latencies_s]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1)}


async def timed_turns(url: str, message: str, turns: int, concurrency: int,
                      wall: Optional[list[float]] = None) -> list[float]:
    """Each turn's latency; the run's wall-clock seconds are appended to `wall` when given."""
    latencies: list[float] = []
    per_worker = turns // concurrency

    async def worker(session: aiohttp.ClientSession) -> None:
        sender = ""
        for turn in range(per_worker):
            # A fresh conversation every few turns, as real citizens have short ones.
            if turn % TURNS_PER_SENDER == 0:
                sender = f"bench-{uuid.uuid4().hex[:10]}"
            started = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": message}) as response:
                replies = await response.json()
            latencies.append(time.perf_counter() - started)
            if response.status != 200 or not replies:
                raise RuntimeError(f"bad reply to {message!r}: {response.status} {replies}")

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        if wall is not None:
            wall.append(time.perf_counter() - started)
    return latencies


async def timed_posts(url: str, body: dict, repeats: int, params: Optional[dict] = None) -> list[float]:
    """One request, repeated on one kept-alive connection, as a pooled client sends it."""
    latencies = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for _ in range(repeats):
            started = time.perf_counter()
            async with session.post(url, json=body, params=params) as response:
                await response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
    return latencies


async def timed_gets(url: str, params_list: list[dict], repeats: int) -> list[float]:
    latencies = []
    async with aiohttp.ClientSession() as session:
        for _ in range(repeats):
            for params in params_list:
                started = time.perf_counter()
                async with session.get(url, params=params) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
    return latencies
