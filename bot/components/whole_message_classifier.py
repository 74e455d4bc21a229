"""Rasa NLU component: the kind of request, read from the whole message and from its last clauses.

Real citizens tell a story first and put the request last ("……希望有关部门尽快解决"), so the
classifier sees two views of each message, both with the masks removed (bot/message_text.py):
- the whole message: TF-IDF over character 1-3 grams (robust to typos and segmentation) and
  over the tokenizer's words;
- its last clauses: TF-IDF over character 1-3 grams, so a request at the end is not drowned
  by a long story.
A logistic regression over both gives calibrated probabilities, which FallbackClassifier and
the actions' confidence rules rely on. It trains in seconds and needs no TensorFlow model in
memory; `make eval` measures it beside DIET's figures and a plain TF-IDF baseline.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT, TEXT_TOKENS
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.components import classifier_storage
from bot.components.created_from_config import CreatedFromConfig
from bot.message_text import MASK_PLACEHOLDER, has_content, tail, without_masks

logger = logging.getLogger(__name__)


def _words(message: Message) -> str:
    tokens = message.get(TEXT_TOKENS) or []
    return " ".join(t.text for t in tokens if t.text.strip() and MASK_PLACEHOLDER not in t.text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class WholeMessageClassifier(CreatedFromConfig, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Inverse regularisation; chosen by cross-validation on the training data only.
            "C": 20.0,
            "tail_weight": 1.0,
            "ranking_length": 10,
            "random_seed": 20261206,
        }

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]  # the words view reads the tokenizer's words

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa's training cache keys a component by class and config, not code: a model cached
        # in another storage format must not be restored.
        return f"storage-{classifier_storage.FORMAT}"

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Dict[str, Any]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @staticmethod
    def _vectorizers() -> Dict[str, TfidfVectorizer]:
        return {
            "chars": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
            "words": TfidfVectorizer(analyzer="word", token_pattern=r"\S+", sublinear_tf=True),
            "tail": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        }

    @staticmethod
    def _classifier(config: Dict[Text, Any]) -> LogisticRegression:
        return LogisticRegression(
            C=config["C"], max_iter=3000, class_weight="balanced", random_state=config["random_seed"],
        )

    @staticmethod
    def _views(messages: List[Message]) -> Dict[str, List[str]]:
        texts = [message.get(TEXT) or "" for message in messages]
        return {
            "chars": [without_masks(text) for text in texts],
            "words": [_words(message) for message in messages],
            "tail": [tail(text) for text in texts],
        }

    def _features(self, vectorizers: Dict[str, TfidfVectorizer], messages: List[Message], fit: bool):
        views = self._views(messages)
        blocks = []
        for name, vectorizer in vectorizers.items():
            block = vectorizer.fit_transform(views[name]) if fit else vectorizer.transform(views[name])
            blocks.append(block * self._config["tail_weight"] if name == "tail" else block)
        return hstack(blocks).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        vectorizers = self._vectorizers()
        features = self._features(vectorizers, examples, fit=True)
        classifier = self._classifier(self._config)
        classifier.fit(features, [e.get(INTENT) for e in examples])
        self._model = {"vectorizers": vectorizers, "classifier": classifier}
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        # Messages without text (a button's /intent payload) keep what Rasa gave them.
        readable = [m for m in messages if m.get(TEXT) and not m.get(INTENT)]
        for message in [m for m in readable if not has_content(m.get(TEXT))]:
            # Only punctuation, emoji or a masked name: no intent at all, so the fallback asks
            # what the citizen needs (a guess would start a work order about "****").
            message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        readable = [m for m in readable if has_content(m.get(TEXT))]
        if not readable:
            return messages
        features = self._features(self._model["vectorizers"], readable, fit=False)
        classifier: LogisticRegression = self._model["classifier"]
        probabilities = classifier.predict_proba(features)
        for message, row in zip(readable, probabilities):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{"name": str(classifier.classes_[i]), "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            classifier_storage.save(directory, self._model["vectorizers"], self._model["classifier"])

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "WholeMessageClassifier":
        config = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                model = classifier_storage.load(directory, cls._vectorizers, lambda: cls._classifier(config))
        except (ValueError, FileNotFoundError) as error:
            logger.warning("WholeMessageClassifier has no trained model (%s): no intents.", error)
            model = None
        return cls(config, model_storage, resource, model)
