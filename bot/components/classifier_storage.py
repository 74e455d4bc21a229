"""Saves and loads the whole-message classifier's fitted state as plain data: no pickle, and fast.

Only what prediction reads is kept: each TF-IDF vectorizer's vocabulary (JSON) and idf weights,
the logistic regression's classes, coefficients and intercepts (a NumPy `.npz` read with
`allow_pickle=False`, so a model file cannot run code). The estimators themselves are rebuilt
from the component's own constructors, which made them at training time (a change of the
component retrains the model: its code is in `make train`'s fingerprint). skops, used before,
took 5 s of a warm start-up and 13 s of a cold one to rebuild 200,000 vocabulary entries one
node at a time; this takes a fraction of a second and predicts the same probabilities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Dict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# Part of the component's key in Rasa's training cache: bump it when the files change.
FORMAT = "json-npz-1"
VOCABULARIES_FILE = "vocabularies.json"
ARRAYS_FILE = "weights.npz"


def save(directory: Path, vectorizers: Dict[str, TfidfVectorizer], classifier: LogisticRegression) -> None:
    vocabularies = {name: {term: int(index) for term, index in v.vocabulary_.items()}
                    for name, v in vectorizers.items()}
    (directory / VOCABULARIES_FILE).write_text(json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8")
    np.savez(
        directory / ARRAYS_FILE,
        classes=np.asarray(classifier.classes_, dtype=str),
        coef=classifier.coef_,
        intercept=classifier.intercept_,
        **{f"idf_{name}": v.idf_ for name, v in vectorizers.items()},
    )


def load(
    directory: Path,
    new_vectorizers: Callable[[], Dict[str, TfidfVectorizer]],
    new_classifier: Callable[[], LogisticRegression],
) -> dict:
    """The model as `save` got it; FileNotFoundError when there is none, ValueError when it is not one."""
    vocabularies = json.loads((directory / VOCABULARIES_FILE).read_text(encoding="utf-8"))
    with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
        vectorizers = new_vectorizers()
        if set(vocabularies) != set(vectorizers):
            raise ValueError(f"the saved views {sorted(vocabularies)} are not the component's {sorted(vectorizers)}")
        for name, vectorizer in vectorizers.items():
            vectorizer.vocabulary_ = vocabularies[name]
            vectorizer.fixed_vocabulary_ = False
            vectorizer.idf_ = arrays[f"idf_{name}"]
        classifier = new_classifier()
        classifier.classes_ = arrays["classes"]
        # Column-major, so that the transpose predict_proba multiplies by is C-contiguous: scipy
        # copied all 5 million weights (44 MB) at every message otherwise, 10 of a turn's 13 ms.
        classifier.coef_ = np.asfortranarray(arrays["coef"])
        classifier.intercept_ = arrays["intercept"]
        classifier.n_features_in_ = classifier.coef_.shape[1]
    return {"vectorizers": vectorizers, "classifier": classifier}
