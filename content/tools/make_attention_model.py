"""Train the small attention model of the page "Attention" (dl_attention) and write its weights.

Run from the repository root:  python content/tools/make_attention_model.py
Engine and NumPy only, seeded, so the same machine writes the same file. The task: for every word,
name the noun it belongs to ("the big dog near the cats sleeps": "big" -> dog, "near" -> cats,
"sleeps" -> dog, not the nearer "cats"). One attention layer must find that noun, so its attention
shows which word looks at which; the pupil sees that in the widget
(``@widget/attention``), which runs the same forward pass in JavaScript. English and Dutch words
share one vocabulary; any other word is ``?`` (unknown), which the page says.

The model: Embedding -> PositionEmbedding -> MultiHeadAttention (one head) -> Dense per position,
whose classes are "none" and every noun form.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402

OUT = [
    ROOT / "content/learning_objects/english/deep_learning/0420_attention/embed/attention_model.json",
    ROOT / "content/learning_objects/nederlands/deep_learning/0420_aandacht/embed/attention_model.json",
]
MAX_LENGTH = 12
WIDTH = 16  # numbers per token
PAD, UNK = "", "?"

# (singular, plural) nouns with their article (Dutch "het" for het-words in the singular)
LANGUAGES = {
    "en": {
        "nouns": [
            ("dog", "dogs"),
            ("cat", "cats"),
            ("bird", "birds"),
            ("teacher", "teachers"),
            ("girl", "girls"),
            ("boy", "boys"),
            ("bike", "bikes"),
            ("friend", "friends"),
            ("horse", "horses"),
            ("student", "students"),
        ],
        "articles": lambda noun, plural: ["the", "my"],
        "adjectives": ["big", "small", "old", "happy", "red"],
        "prepositions": ["near", "behind", "with", "beside", "under", "of"],
        "verbs": [
            ("sleeps", "sleep"),
            ("runs", "run"),
            ("eats", "eat"),
            ("sings", "sing"),
            ("is", "are"),
            ("was", "were"),
            ("jumps", "jump"),
            ("waits", "wait"),
        ],
        "endings": ["today", "here", "outside", "again", "quickly"],
    },
    "nl": {
        "nouns": [
            ("hond", "honden"),
            ("kat", "katten"),
            ("vogel", "vogels"),
            ("leraar", "leraren"),
            ("meisje", "meisjes"),
            ("jongen", "jongens"),
            ("fiets", "fietsen"),
            ("vriend", "vrienden"),
            ("paard", "paarden"),
            ("leerling", "leerlingen"),
        ],
        "articles": lambda noun, plural: ["de" if plural or noun not in ("meisje", "paard") else "het", "mijn"],
        "adjectives": ["grote", "kleine", "oude", "blije", "rode"],
        "prepositions": ["bij", "achter", "met", "naast", "onder", "van"],
        "verbs": [
            ("slaapt", "slapen"),
            ("rent", "rennen"),
            ("eet", "eten"),
            ("zingt", "zingen"),
            ("is", "zijn"),
            ("was", "waren"),
            ("springt", "springen"),
            ("wacht", "wachten"),
        ],
        "endings": ["vandaag", "hier", "buiten", "weer", "snel"],
    },
}


def vocabulary() -> list[str]:
    words: list[str] = []
    for lang in LANGUAGES.values():
        words += [w for pair in lang["nouns"] for w in pair] + [w for pair in lang["verbs"] for w in pair]
        words += lang["adjectives"] + lang["prepositions"] + lang["endings"]
        words += ["the", "my"] if lang is LANGUAGES["en"] else ["de", "het", "mijn"]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return [PAD, UNK, *seen]


def nouns() -> list[str]:
    """The answers the model can give: every noun form, after "none" (class 0)."""
    return [w for lang in LANGUAGES.values() for pair in lang["nouns"] for w in pair]


def phrase(lang: dict, rng: np.random.Generator, plural: bool) -> tuple[list[str], str]:
    noun = lang["nouns"][rng.integers(len(lang["nouns"]))]
    articles = lang["articles"](noun[0], plural)
    words = [articles[rng.integers(len(articles))]]
    if rng.random() < 0.4:  # an adjective, sometimes a word the model does not know
        words.append(UNK if rng.random() < 0.15 else lang["adjectives"][rng.integers(len(lang["adjectives"]))])
    return [*words, noun[int(plural)]], noun[int(plural)]


def sentence(rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """One sentence and, for every word, the noun it belongs to ("" for none).

    Article, adjective and noun belong to their noun; a preposition to the noun after it; the verb
    to its subject, the first noun, never the one in between (which the verb may not agree with)."""
    lang = LANGUAGES["en" if rng.random() < 0.5 else "nl"]
    plural = bool(rng.random() < 0.5)
    words, subject = phrase(lang, rng, plural)
    heads = [subject] * len(words)
    if rng.random() < 0.75:  # a second noun in between, often of the other number: the trap
        more, other = phrase(lang, rng, bool(rng.random() < 0.5))
        words += [lang["prepositions"][rng.integers(len(lang["prepositions"]))], *more]
        heads += [other] * (len(more) + 1)
    words.append(lang["verbs"][rng.integers(len(lang["verbs"]))][int(plural)])
    heads.append(subject)
    if rng.random() < 0.4:
        words.append(UNK if rng.random() < 0.15 else lang["endings"][rng.integers(len(lang["endings"]))])
        heads.append("")
    return words, heads


def data(n: int, seed: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Sentences grouped by length (no padding: the page never pads either)."""
    rng = np.random.default_rng(seed)
    index = {w: i for i, w in enumerate(vocabulary())}
    answers = {w: i for i, w in enumerate(["", *nouns()])}
    groups: dict[int, tuple[list, list]] = {}
    for _ in range(n):
        words, heads = sentence(rng)
        xs, ys = groups.setdefault(len(words), ([], []))
        xs.append([index[w] for w in words])
        ys.append([answers[h] for h in heads])
    return {t: (np.array(xs), np.array(ys)) for t, (xs, ys) in sorted(groups.items())}


def build(vocab_size: int) -> engine.Sequential:
    return engine.Sequential(
        [
            engine.Embedding(vocab_size, WIDTH),
            engine.PositionEmbedding(MAX_LENGTH),
            engine.MultiHeadAttention(num_heads=1, key_dim=WIDTH),
            engine.TimeDistributed(engine.Dense(1 + len(nouns()))),
        ],
        seed=0,
    )


def accuracy(model: engine.Sequential, groups) -> float:
    """Share of words whose noun the model names (on sentences it never saw)."""
    right = total = 0
    for x, y in groups.values():
        right += int((model.predict(x).argmax(-1) == y).sum())
        total += y.size
    return right / total


def train(epochs: int = 30, batch_size: int = 32) -> tuple[engine.Sequential, float]:
    vocab = vocabulary()
    groups = data(8000, seed=0)
    model = build(len(vocab))
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.003)
    rng = np.random.default_rng(1)
    batches = [(t, k) for t, (x, _) in groups.items() for k in range(0, len(x), batch_size)]
    for epoch in range(epochs):
        for i in rng.permutation(len(batches)):
            t, k = batches[i]
            x, y = groups[t]
            model.train_step(x[k : k + batch_size], y[k : k + batch_size])
    return model, accuracy(model, data(2000, seed=99))


def weights(model: engine.Sequential, score: float) -> dict:
    """The weights as JSON lists, rounded to 4 decimals (the page and the tests use these)."""
    attention = model[2]
    out = model[3].layer
    named = dict(model.named_parameters())

    def r(a):
        return np.round(np.asarray(a, dtype=np.float64), 4).tolist()

    return {
        "about": "written by content/tools/make_attention_model.py; see the page's teacher notes",
        "vocabulary": vocabulary(),
        "unknown": 1,
        "max_length": MAX_LENGTH,
        "answers": ["", *nouns()],
        "test_accuracy": round(score, 4),
        "embeddings": r(model[0].embeddings.value),
        "positions": r(named["position_embedding.embeddings"].value),
        **{name: r(getattr(attention, name).value) for name in ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")},
        "W": r(out.W.value),
        "b": r(out.b.value),
    }


def load(weights: dict) -> engine.Sequential:
    """The engine model of a weights file (for the tests: the page's numbers against the engine's)."""
    model = build(len(weights["vocabulary"]))
    model.build((weights["max_length"],))  # per-sample shape: a sentence of token ids
    names = {
        "embedding.embeddings": "embeddings",
        "position_embedding.embeddings": "positions",
        **{f"multi_head_attention.{k}": k for k in ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")},
        "time_distributed.W": "W",
        "time_distributed.b": "b",
    }
    for name, parameter in model.named_parameters():
        parameter.value[...] = np.asarray(weights[names[name]], dtype=parameter.value.dtype)
    return model


def main() -> None:
    model, score = train()
    text = json.dumps(weights(model, score), separators=(",", ":")) + "\n"
    for target in OUT:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}: {len(text) // 1024} KB, accuracy on new sentences {score:.1%}")


if __name__ == "__main__":
    main()
