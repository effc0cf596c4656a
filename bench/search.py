"""The site search (``selectors_search.object_search``: FTS5 on SQLite, full-text search on
PostgreSQL) against its peer, the substring scan it replaced (every word ``icontains`` over title,
description and text), interleaved, medians of five rounds over a few queries.

    DATABASE_URL=sqlite:////tmp/copy.sqlite3 PYTHONPATH=. .venv/bin/python bench/search.py [--copies N]

Use a copy of a built database (``sqlite3 var/db.sqlite3 ".backup /tmp/copy.sqlite3"``, or
``migrate`` + ``compilecontent`` into an empty one): ``--copies N`` adds N copies of every object
(hruid ``<hruid>-bN``) for a larger corpus, so never point it at a database you keep.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
import django

django.setup()
from django.db.models import Q  # noqa: E402

from learningpaths.paths.models import LearningObject  # noqa: E402
from learningpaths.paths.selectors_search import object_search  # noqa: E402

QUERIES = ["neuron", "learning deep", "gradient descent", "netwerk lagen", "activation function", "zzz"]


def scan(query: str, language: str) -> list:
    """The peer: the search before FTS (alphabetical, substring match, no ranking)."""
    qs = LearningObject.objects.filter(teacher_exclusive=False).latest_versions().filter(language=language)
    for w in query.split():
        qs = qs.filter(Q(title__icontains=w) | Q(description__icontains=w) | Q(text__icontains=w))
    return list(qs.order_by("title")[:50])


def ms(call, rounds: int = 20) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for q in QUERIES:
            call(q, "en")
    return (time.perf_counter() - start) / (rounds * len(QUERIES)) * 1000


def add_copies(n: int) -> None:
    rows = list(LearningObject.objects.all())
    for i in range(n):
        copies = []
        for r in rows:
            r.pk, r.id = None, None
            r.hruid = f"{r.hruid.split('-b')[0]}-b{i}"
            copies.append(r)
        LearningObject.objects.bulk_create(copies)


def main() -> None:
    if "--copies" in sys.argv:
        add_copies(int(sys.argv[sys.argv.index("--copies") + 1]))
    count = LearningObject.objects.count()
    search = lambda q, lang: object_search(user=None, query=q, language=lang)  # noqa: E731
    for call in (search, scan):  # warm-up
        ms(call, rounds=2)
    fts, peer = [], []
    for _ in range(5):
        fts.append(ms(search))
        peer.append(ms(scan))
    mf, mp = statistics.median(fts), statistics.median(peer)
    vendor = django.db.connection.vendor
    print(
        f"{vendor}, {count} objects, load average {os.getloadavg()[0]:.1f}: "
        f"site search {mf:.2f} ms, substring scan {mp:.2f} ms a query: {mf / mp:.2f}x"
    )


if __name__ == "__main__":
    main()
