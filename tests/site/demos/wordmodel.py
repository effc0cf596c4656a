"""A tiny word transformer for the tests: the real training code, a few steps on a few words."""

from learningpaths.demos import wordgen

TINY_HEADS = 2

TINY = wordgen.Size(
    width=16, heads=TINY_HEADS, blocks=1, batch=32, seconds=30, steps=40, validation_words=50, training_words=500
)
