"""Rasa's `create` for components that start empty and learn or load the rest."""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class CreatedFromConfig(GraphComponent):
    """Built from the config and the storage it will persist to; the subclass's other
    constructor arguments (what `load` reads back) default to empty."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, model_storage, resource)
