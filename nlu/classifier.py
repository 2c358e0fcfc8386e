"""The trained part of the parser: a spaCy text classifier for intents.

Trained on the project's own examples (`nlu/data/intents.yaml`) with a fixed seed, so the
same data always gives the same model. The model is looked for in `nlu/data/intent_model/`
(written by `spotter nlu train`); if it is missing or was trained on other data, it is
trained on first use and cached under the user cache directory, so a fresh install needs
no manual step.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.training import Example

from nlu.lexicon import DATA_DIR
from nlu.text import clean, normalise

TRAIN_FILE = DATA_DIR / "intents.yaml"
MODEL_DIR = DATA_DIR / "intent_model"
SEED = 13
EPOCHS = 20
#: Rules decide first; below this confidence the classifier says out_of_scope.
THRESHOLD = 0.45
TEXTCAT_CONFIG = {
    "threshold": 0.5,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 8192,
    },
}


def training_examples(path: Path = TRAIN_FILE) -> list[tuple[str, str]]:
    """(normalised text, intent) pairs from the training YAML."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(normalise(clean(str(text))).lower(), intent) for intent, texts in raw.items() for text in texts]


def data_fingerprint(path: Path = TRAIN_FILE) -> str:
    """A hash of everything training depends on (examples, word lists, settings)."""
    h = hashlib.sha256()
    h.update(path.read_bytes())
    h.update((DATA_DIR / "lexicon.yaml").read_bytes())
    h.update(json.dumps([SEED, EPOCHS, TEXTCAT_CONFIG, spacy.__version__], sort_keys=True).encode())
    return h.hexdigest()[:16]


def _cache_dir() -> Path:
    base = os.environ.get("SPOTTER_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spotter" / "intent_model"


def build_pipeline(labels: list[str]) -> Language:
    """A blank English pipeline with an (untrained) intent classifier."""
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config=TEXTCAT_CONFIG)
    for label in labels:
        textcat.add_label(label)
    return nlp


def train(out_dir: Path = MODEL_DIR, *, seed: int = SEED, epochs: int = EPOCHS) -> dict[str, object]:
    """Train the classifier reproducibly and save it to `out_dir`; returns a summary."""
    data = training_examples()
    labels = sorted({intent for _, intent in data})
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = build_pipeline(labels)
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {label: float(label == intent) for label in labels}})
        for text, intent in data
    ]
    optimizer = nlp.initialize(lambda: examples)
    losses: dict[str, float] = {}
    for _ in range(epochs):
        random.shuffle(examples)
        losses = {}
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    meta = {
        "fingerprint": data_fingerprint(),
        "examples": len(data),
        "labels": labels,
        "seed": seed,
        "epochs": epochs,
    }
    (out_dir / "spotter_meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return {**meta, "loss": round(losses.get("textcat", 0.0), 4), "path": str(out_dir)}


def _fresh(path: Path) -> bool:
    try:
        meta = json.loads((path / "spotter_meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("fingerprint") == data_fingerprint()


@dataclass
class IntentClassifier:
    """The loaded classifier (and the spaCy pipeline the parser shares)."""

    nlp: Language

    @classmethod
    def load(cls) -> IntentClassifier:
        """Load the shipped model, else a cached one, else train and cache one now."""
        for path in (MODEL_DIR, _cache_dir()):
            if _fresh(path):
                try:
                    return cls(spacy.load(path))
                except (OSError, ValueError):  # incomplete copy (e.g. a wheel without the model files)
                    continue
        path = _cache_dir()
        try:
            train(path)
        except OSError:  # read-only home: train into a temporary directory
            import tempfile

            path = Path(tempfile.mkdtemp(prefix="spotter-intent-"))
            train(path)
        return cls(spacy.load(path))

    def scores(self, text: str) -> dict[str, float]:
        """Intent probabilities for a normalised message."""
        doc = self.nlp(text.lower())
        return dict(doc.cats)

    def predict(self, text: str) -> str:
        """The most likely intent, or out_of_scope when the classifier is unsure."""
        cats = self.scores(text)
        if not cats:
            return "out_of_scope"
        intent, score = max(cats.items(), key=lambda kv: kv[1])
        return intent if score >= THRESHOLD else "out_of_scope"
