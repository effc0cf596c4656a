"""progress_visit: a revisit writes nothing, a visit at most one statement per table, and two
visits that race (a stale read) meet in the unique constraints instead of failing."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learningpaths.learning.models import PathProgress, StepDone
from learningpaths.learning.selectors import Progress, progress_get
from learningpaths.learning.services import progress_visit
from learningpaths.paths.models import LearningObject, LearningPath
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

_WRITE = re.compile(r'^\s*(INSERT(?: OR IGNORE)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


@pytest.fixture
def site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    objects = [compiled_object(h) for h in ("intro", "middle", "last")]
    content_sync(result=compile_result(objects, [compiled_path("walk", objects)]))


def writes(queries) -> Counter:
    """Statements that change rows, per table."""
    found = Counter()
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match:
            found[match.group(2)] += 1
    return found


def visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return writes(queries.captured_queries)


def test_a_revisit_of_the_current_step_writes_nothing(site, student):
    client = Client()
    client.force_login(student)
    assert visit(client, "/paths/walk/en/intro/")  # the first visit writes
    for url in ("/paths/walk/en/intro/", "/paths/walk/en/intro/", "/paths/walk/en/"):  # "/": resumes at intro
        assert visit(client, url) == Counter(), url


def test_a_visit_is_at_most_one_statement_per_table(site, student):
    client = Client()
    client.force_login(student)
    first = visit(client, "/paths/walk/en/intro/")
    assert first == Counter({"learning_pathprogress": 1, "learning_stepdone": 1})
    assert visit(client, "/paths/walk/en/middle/") == Counter({"learning_pathprogress": 1, "learning_stepdone": 1})
    # Back to a step already seen: only the resume point moves.
    assert visit(client, "/paths/walk/en/intro/") == Counter({"learning_pathprogress": 1})
    assert PathProgress.objects.get(user=student).current_hruid == "intro"
    assert set(StepDone.objects.filter(user=student).values_list("object_hruid", flat=True)) == {"intro", "middle"}
    page = client.get("/paths/walk/en/").content.decode()
    assert 'aria-current="step">Intro<' in page and "67% done" in page


def test_visits_from_a_stale_read_meet_in_the_unique_constraints(site, student):
    """Two requests of one student that both read "never here" before either wrote."""
    path = LearningPath.objects.get(hruid="walk")
    intro, middle = (LearningObject.objects.get(hruid=h) for h in ("intro", "middle"))
    stale = progress_get(user=student, path=path)
    assert stale == Progress(current=None, done=frozenset())
    progress_visit(user=student, path=path, obj=intro, progress=stale)
    after = progress_visit(user=student, path=path, obj=middle, progress=stale)
    assert after.done == {"middle"}  # what this request knows; the database has both
    assert PathProgress.objects.filter(user=student).count() == 1
    assert StepDone.objects.filter(user=student).count() == 2
    # A row removed between the read and the write (the admin) is created again.
    current = progress_get(user=student, path=path)
    assert current.current == "intro"  # the first of the two inserts won
    PathProgress.objects.filter(user=student).delete()
    progress_visit(user=student, path=path, obj=middle, progress=current)
    assert PathProgress.objects.get(user=student).current_hruid == "middle"


def test_anonymous_visits_write_and_read_nothing(site):
    from django.contrib.auth.models import AnonymousUser

    path = LearningPath.objects.get(hruid="walk")
    with CaptureQueriesContext(connection) as queries:
        progress = progress_visit(user=AnonymousUser(), path=path, obj=LearningObject.objects.first())
    assert len(queries) == 1  # the object itself, above
    assert progress == Progress(current=None, done=frozenset())
    assert PathProgress.objects.count() == 0 and StepDone.objects.count() == 0
