"""Rasa NLU component: `service_item` entities from the catalogue via spaCy's PhraseMatcher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.created_from_config import CreatedFromConfig
from bot.phrase_matching import CataloguePhraseMatcher, load_jieba_dictionaries

PHRASES_FILE = "phrases.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class CatalogueEntityMatcher(CreatedFromConfig, EntityExtractorMixin):
    """Marks official item names and their aliases (the `service_item` lookup table and its
    synonyms) and sets the entity value to the official name."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"entity": "service_item", "dictionary_path": "bot/jieba"}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        phrases: Optional[Dict[Text, Text]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._phrases = phrases or {}
        self._matcher: Optional[CataloguePhraseMatcher] = None
        load_jieba_dictionaries(Path(config["dictionary_path"]))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CatalogueEntityMatcher":
        with model_storage.read_from(resource) as directory:
            phrases = json.loads((directory / PHRASES_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, phrases)

    def train(self, training_data: TrainingData) -> Resource:
        entity = self._config["entity"]
        officials = {
            element
            for table in training_data.lookup_tables
            if table.get("name") == entity
            for element in table.get("elements", [])
        }
        phrases = {name: name for name in officials}
        phrases.update(
            {alias: official for alias, official in training_data.entity_synonyms.items()
             if official in officials}
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PHRASES_FILE).write_text(
                json.dumps(phrases, ensure_ascii=False, sort_keys=True), encoding="utf-8"
            )
        self._phrases = phrases
        self._matcher = None
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if not self._phrases:
            return messages
        if self._matcher is None:
            self._matcher = CataloguePhraseMatcher(self._phrases)
        for message in messages:
            found = [
                {
                    "entity": self._config["entity"],
                    "start": mention.start,
                    "end": mention.end,
                    "value": mention.official_name,
                    "confidence": 1.0,
                }
                for mention in self._matcher.find(message.get(TEXT) or "")
            ]
            if found:
                entities = self.add_extractor_name(found)
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
