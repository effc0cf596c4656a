"""API fixtures: a richer site than ``sample_site`` (versions, languages, an extern object, a path
that starts on a teacher node) and API tokens."""

from __future__ import annotations

import pytest

from learningpaths.api.models import ApiToken
from tests.conftest import compile_result, compiled_object, compiled_path

SECRETS = ("TEACHER-SECRET-NOTE", "TEACHER-GUIDE-TEXT", "guide")
SKOS = "http://ilearn.ilabt.imec.be/vocab/curr1/s-computers-en-systemen"


@pytest.fixture
def api_site(db, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro1 = compiled_object(
        "intro",
        title="Introduction",
        uuid="uuid-intro-1",
        html="<p>Welcome</p>",
        teacher_html="<p>Welcome</p><aside>TEACHER-SECRET-NOTE</aside>",
    )
    intro2 = compiled_object(
        "intro",
        version=2,
        title="Introduction",
        uuid="uuid-intro-2",
        html='<p>Welcome v2</p><img src="/objects/intro/en/2/assets/a.png" alt="">',
        teacher_html="<p>Welcome v2</p><aside>TEACHER-SECRET-NOTE</aside>",
    )
    guide = compiled_object(
        "guide",
        title="Teacher guide",
        teacher_exclusive=True,
        uuid="uuid-g",
        html="<p>TEACHER-GUIDE-TEXT</p>",
        keywords=["guide", "neural"],
        difficulty=3,
    )
    neuron = compiled_object(
        "neuron",
        title="A neuron",
        html="<p>Neurons compute</p>",
        keywords=["neural", "biology"],
        difficulty=2,
        minutes=5,
        ages=(10, 12),
    )
    perceptron = compiled_object(
        "perceptron",
        title="The Perceptron",
        description="A linear classifier",
        keywords=["AI", "neural"],
        difficulty=3,
        minutes=20,
        ages=(14, 16),
        skos_concepts=[SKOS],
        uuid="uuid-p-en",
    )
    perceptron_nl = compiled_object(
        "perceptron",
        language="nl",
        title="Het perceptron",
        description="Een lineaire classificator",
        keywords=["AI", ""],
        difficulty=5,
        minutes=30,
        ages=(14, 16),
    )
    video = compiled_object(
        "video",
        title="A video",
        content_type="extern",
        content_location="https://www.youtube.com/embed/abc",
        aspect_ratio="iframe-16-9",
        html='<div class="iframe-container iframe-16-9">'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe></div>',
        keywords=["AI"],
        ages=(16, 18),
    )
    deep = compiled_path("deep", [intro1, guide, neuron], title="Deep learning")
    deep.keywords = ["deep", "neural", "guide"]  # as if aggregated from the nodes' keywords
    deep_nl = compiled_path("deep", [perceptron_nl], language="nl", title="Diep leren")
    vision = compiled_path("vision", [perceptron, video], title="Computer vision")
    flipped = compiled_path("flipped", [guide, neuron], title="Flipped start")
    hidden = compiled_path("guide-path", [guide], title="Only for teachers")
    objects = [intro1, intro2, guide, neuron, perceptron, perceptron_nl, video]
    result = compile_result(objects, [deep, deep_nl, vision, flipped, hidden])
    content_sync(result=result)
    return result


@pytest.fixture
def teacher_token(teacher):
    return ApiToken.create_for(teacher, name="t")[1]


@pytest.fixture
def student_token(student):
    return ApiToken.create_for(student, name="s")[1]


def token_header(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The shared user fixtures hash passwords; the default hasher costs ~0.3 s a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
