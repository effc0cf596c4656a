"""In-process server CPU of a lesson for an anonymous visitor and for a signed-in student's
revisit, interleaved (anonymous, student, ...), medians of five rounds of 300 requests; ``-p``
adds a cProfile of 500 student requests. No network, no wrk: what the view stack itself costs.

    DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 \\
      DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python bench/profile_student.py [-p]

Use a copy of a built database (``sqlite3 var/db.sqlite3 ".backup /tmp/copy.sqlite3"``): the script
adds a user ``profile_student``. Production settings need ``manage.py collectstatic`` first.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
import django

django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

URL = os.environ.get("PROFILE_URL", "/paths/deep_learning/en/dl_neuron/")


def cpu_ms(client: Client, n: int = 300) -> float:
    start = time.process_time()
    for _ in range(n):
        client.get(URL)
    return (time.process_time() - start) / n * 1000


def main() -> None:
    user, _ = get_user_model().objects.get_or_create(username="profile_student")
    anonymous, student = Client(), Client()
    student.force_login(user)
    for client in (anonymous, student):  # warm-up: memo, templates, prepared queries
        for _ in range(30):
            assert client.get(URL).status_code == 200
    a, s = [], []
    for _ in range(5):
        a.append(cpu_ms(anonymous))
        s.append(cpu_ms(student))
    ma, ms = statistics.median(a), statistics.median(s)
    print(f"load average {os.getloadavg()[0]:.1f}; anonymous {ma:.3f} ms, student {ms:.3f} ms: {ms / ma:.2f}x")
    if "-p" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(500):
            student.get(URL)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
