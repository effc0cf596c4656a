"""Shared fixtures: users, and compiled content built directly from the compiler's result types."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import threading
from pathlib import Path

import pytest
from django.db import connections

from learningpaths.compiler.result import (
    CompiledNode,
    CompiledObject,
    CompiledPath,
    CompiledTransition,
    CompileResult,
    ObjectKey,
)

# What makes a test one whose outcome can depend on the database backend (--database-tests).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
    }
)


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests",
        action="store_true",
        help="only the tests whose outcome can depend on the database backend (`make test-postgres`): those "
        "that use the database, less the browser tests not marked `postgres`",
    )


def pytest_collection_modifyitems(config, items):
    """--database-tests: the second pass of `make test`, on PostgreSQL, runs what the backend can change.
    A test that never opens a connection (the engine, the compiler) runs the same on both; a browser
    test checks the page's JavaScript over the same views and queries the site tests run on both, so
    only those marked ``postgres`` (they write through the pages: answers, classes, LTI sign-in, hostile
    values) run again. The whole suite there kept `.ci/run` near its 30-minute limit."""
    if not config.getoption("--database-tests"):
        return

    def wanted(item) -> bool:
        if item.get_closest_marker("browser"):
            return item.get_closest_marker("postgres") is not None
        return bool(DATABASE_FIXTURES & set(item.fixturenames)) or item.get_closest_marker("django_db") is not None

    keep, dropped = [], []
    for item in items:
        (keep if wanted(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: the test client's LocaleMiddleware activates a
    request's language in this thread and leaves it active, so a Dutch request in one test would
    otherwise translate the messages of whichever test runs next in the same worker."""
    from django.utils import translation

    translation.deactivate()


def compiled_object(
    hruid,
    language="en",
    version=1,
    *,
    title=None,
    teacher_exclusive=False,
    html=None,
    teacher_html=None,
    ages=(12, 18),
    minutes=10,
    **metadata,
) -> CompiledObject:
    html = html if html is not None else f"<p>Body of {hruid}</p>"
    teacher_html = teacher_html if teacher_html is not None else html
    meta = {
        "hruid": hruid,
        "language": language,
        "version": version,
        "title": title or hruid.title(),
        "description": f"About {hruid}",
        "content_type": "text/markdown",
        "keywords": [hruid],
        "target_ages": list(ages),
        "estimated_time": minutes,
        "teacher_exclusive": teacher_exclusive,
        "available": True,
        "skos_concepts": [],
        **metadata,
    }
    digest = hashlib.sha256(repr((meta, html, teacher_html)).encode()).hexdigest()
    return CompiledObject(
        key=ObjectKey(hruid, language, version),
        source_path=f"content/{hruid}/index.md",
        metadata=meta,
        html=html,
        teacher_html=teacher_html,
        text=html,
        teacher_text=teacher_html,
        content_hash=digest,
    )


def compiled_path(hruid, objects: list[CompiledObject], language="en", *, title=None) -> CompiledPath:
    """A linear path through ``objects`` in the given order."""
    nodes = []
    for i, obj in enumerate(objects):
        nxt = [CompiledTransition(next=objects[i + 1].key, default=True)] if i + 1 < len(objects) else []
        nodes.append(CompiledNode(key=obj.key, start_node=i == 0, transitions=nxt))
    ages = [a for o in objects for a in o.metadata["target_ages"]]
    digest = hashlib.sha256(repr((hruid, [o.content_hash for o in objects])).encode()).hexdigest()
    return CompiledPath(
        hruid=hruid,
        language=language,
        title=title or hruid.title(),
        description=f"Path {hruid}",
        source_path=f"content/learning_paths/{hruid}.json",
        nodes=nodes,
        keywords=[hruid],
        min_age=min(ages, default=None),
        max_age=max(ages, default=None),
        estimated_time=sum(o.metadata["estimated_time"] for o in objects),
        content_hash=digest,
    )


def compile_result(objects, paths=()) -> CompileResult:
    return CompileResult(objects=list(objects), paths=list(paths), diagnostics=[])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, name the test database per run as well as per xdist worker (pytest-django's
    ``_gw0``): the server may be shared by several runs at once (scripts/postgres.sh gives one
    server per checkout), and a second run would otherwise drop the first one's database. SQLite
    test databases are in memory and need nothing."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.postgresql":
            run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
            test = db.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{run}"


@pytest.fixture
def teacher(django_user_model):
    return django_user_model.objects.create_user("teach", password="pw-teacher-123", role="teacher")


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("stud", password="pw-student-123", role="student")


@pytest.fixture
def sample_site(db, settings, tmp_path):
    """A small site: a path of three objects whose middle one is teacher-exclusive, and one with a
    teacher-only block."""
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    a = compiled_object(
        "intro",
        title="Introduction",
        html="<p>Welcome</p>",
        teacher_html="<p>Welcome</p><aside>TEACHER-SECRET-NOTE</aside>",
    )
    b = compiled_object("guide", title="Teacher guide", teacher_exclusive=True, html="<p>TEACHER-GUIDE-TEXT</p>")
    c = compiled_object("neuron", title="A neuron", html="<p>Neurons compute</p>")
    result = compile_result([a, b, c], [compiled_path("deep", [a, b, c], title="Deep learning")])
    content_sync(result=result)
    return result


def compile_translations() -> None:
    """Compile the .po files (scripts/compile_messages.py), so a test does not rely on `make`, and
    forget catalogues this process loaded before (as Django does when a test overrides LOCALE_PATHS)."""
    from django.test.signals import language_changed

    script = Path(__file__).resolve().parents[1] / "scripts" / "compile_messages.py"
    spec = importlib.util.spec_from_file_location("compile_messages", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main() == 0
    language_changed(setting="LOCALE_PATHS")


def race(*calls):
    """Run ``calls`` in threads released together by a barrier; each one's result, or the exception it
    raised. For tests marked ``django_db(transaction=True)``: each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    # The SQLite test database is in memory with a shared cache, whose table locks fail at once
    # ("database table is locked") instead of waiting as a file database's writers do: there the
    # calls take turns, which is what SQLite's one writer at a time makes of a race anyway.
    turns = threading.Lock() if connections["default"].vendor == "sqlite" else contextlib.nullcontext()

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            with turns:
                try:
                    results[i] = call()
                finally:
                    connections.close_all()
        except Exception as exc:  # noqa: BLE001 -- the test looks at what each call raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
