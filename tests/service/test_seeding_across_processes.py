"""A catalogue import reaches every service process, not only the one that ran it.

Two service processes (uvicorn, as two workers) on one database build their search index and
notices; `python -m service.cli seed`, a third process, imports a changed catalogue; both workers
answer from the new one within CATALOGUE_CHECK_S, on SQLite and on PostgreSQL."""

import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from conftest import FIXTURE_SEED

from service.core.db import get_session_factory
from service.seeding import seed_database
from tests.live_server import REPO_ROOT, ServiceProcess

CHECK_S = 0.5
NEW_ITEM = """
- code: GA-SFZ-009
  name: 临时居民身份证申领
  type: 行政确认
  level: 市级
  basis: 《临时居民身份证管理办法》第三条
  aliases: [办临时身份证]
  keywords: [临时身份证]
  conditions:
    - 申领居民身份证期间急需使用的
  situations: []
  materials:
    - name: 居民户口簿
      count: 1
      form: 原件
      media: 纸质
      source: 自备
      necessity: 必要
  process: [申请, 受理, 领取]
  time_limit:
    legal_days: 3
    promised_days: 1
  fee:
    amount: 10元
    basis: 临时居民身份证收费标准
  online:
    available: false
  visits: 1
"""


def changed_seed(seed_dir: Path) -> None:
    """The fee of GA-SFZ-001 goes from 20元 to 25元 and a new item appears."""
    police = seed_dir / "catalogue" / "GA.yaml"
    text = police.read_text(encoding="utf-8")
    first_item = text.index("- code: GA-SFZ-001")
    fee_at = text.index("amount: 20元", first_item)
    assert fee_at < text.index("- code:", first_item + 1)  # the fee of GA-SFZ-001, the first item
    police.write_text(text[:fee_at] + "amount: 25元" + text[fee_at + len("amount: 20元"):] + NEW_ITEM,
                      encoding="utf-8")


def answers(base: str) -> tuple[str, list[str]]:
    notice = httpx.get(f"{base}/api/catalogue/items/GA-SFZ-001/notice", timeout=10).json()
    search = httpx.get(f"{base}/api/catalogue/search", params={"q": "临时居民身份证申领"}, timeout=10).json()
    fee = next(line for line in notice["text"].splitlines() if "元" in line)
    return fee, [item["code"] for item in search["items"]]


def test_a_reseed_by_another_process_reaches_both_workers(database_url, tmp_path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(FIXTURE_SEED, seed_dir)
    with get_session_factory(database_url)() as session:
        seed_database(seed_dir=seed_dir, session=session)
    env = {"OUTBOX_WORKER": "false", "CATALOGUE_CHECK_S": str(CHECK_S)}
    with ExitStack() as stack:
        workers = []
        for index in range(2):
            worker = ServiceProcess(database_url=database_url, log_path=tmp_path / f"worker{index}.log", env=env)
            stack.callback(worker.stop)
            workers.append(worker.url)
        for base in workers:  # each worker builds its caches from the first catalogue
            fee, codes = answers(base)
            assert "20元" in fee and "GA-SFZ-009" not in codes

        changed_seed(seed_dir)
        seeded = subprocess.run(
            [sys.executable, "-m", "service.cli", "seed", "--seed-dir", str(seed_dir)],
            cwd=REPO_ROOT, env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True,
        )
        assert seeded.returncode == 0, seeded.stderr
        time.sleep(CHECK_S)

        for base in workers:
            fee, codes = answers(base)
            assert "25元" in fee, base
            assert codes[0] == "GA-SFZ-009", base
