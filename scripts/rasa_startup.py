"""What a Rasa server's start-up spends its time on, phase by phase, in a fresh interpreter.

`make bench` runs it (Rasa environment) and prints it beside the server's measured start-up:
- imports: TensorFlow (Rasa imports it even though the pipeline has no TensorFlow component),
  then the rest of Rasa's server modules;
- unpacking the model archive into a temporary directory (what `rasa run` does at every start);
- building the prediction graph: each component's load (the jieba dictionary, the classifier,
  the lookup tables, the policies' rules), timed by node;
- the first message through the graph against the second (the warm-up: jieba's prefix dictionary,
  lazily built caches).

    python scripts/rasa_startup.py [--model models/daoban.tar.gz]   # prints JSON
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def profile(model_path: Path) -> dict:
    phases: dict = {}
    started = time.perf_counter()
    import tensorflow  # noqa: F401

    phases["import_tensorflow_s"] = _seconds(started)
    started = time.perf_counter()
    import rasa.core.run  # noqa: F401
    from rasa.core.agent import Agent
    from rasa.engine.graph import ExecutionContext, GraphNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    phases["import_rasa_s"] = _seconds(started)

    node_seconds: dict[str, float] = {}
    load_component = GraphNode._load_component

    def timed_load(self, **kwargs):
        node_started = time.perf_counter()
        try:
            return load_component(self, **kwargs)
        finally:
            node_seconds[self._node_name] = _seconds(node_started)

    GraphNode._load_component = timed_load
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        storage, metadata = LocalModelStorage.from_model_archive(Path(scratch), model_path)
        phases["unpack_model_s"] = _seconds(started)
        started = time.perf_counter()
        # The nodes load their components when the runner is created.
        DaskGraphRunner.create(graph_schema=metadata.predict_schema, model_storage=storage,
                               execution_context=ExecutionContext(graph_schema=metadata.predict_schema,
                                                                  model_id=metadata.model_id))
        phases["load_components_s"] = _seconds(started)
    phases["slowest_components_s"] = dict(sorted(node_seconds.items(), key=lambda kv: -kv[1])[:4])
    GraphNode._load_component = load_component

    started = time.perf_counter()
    agent = Agent.load(str(model_path))
    phases["agent_load_s"] = _seconds(started)

    async def parse(text: str) -> float:
        message_started = time.perf_counter()
        await agent.parse_message(text)
        return _seconds(message_started)

    phases["first_parse_s"] = asyncio.run(parse("补办身份证要交多少钱"))
    phases["second_parse_s"] = asyncio.run(parse("我交的执照申请审到哪一步了"))
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "daoban.tar.gz")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.perf_counter()
    phases = profile(args.model)
    phases["total_s"] = _seconds(started)
    print(json.dumps(phases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
