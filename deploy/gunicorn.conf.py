"""gunicorn settings for learningpaths: ``gunicorn -c deploy/gunicorn.conf.py learningpaths.wsgi``.

Used by ``bench/load.sh`` and described in ``docs/deploy.md``. Every value can be overridden from
the environment (``GUNICORN_*`` below) or on the command line, which wins over this file.

Why these values (measured with bench/load.sh, figures in bench/README.md):

* ``gthread`` workers, one process per core. A page costs 1-10 ms of Python, so a process cannot
  use more than one core (the GIL), and more processes than cores only add context switches.
  Threads are there for the moments a request waits (the database, a file, a slow client), and
  ``gthread`` keeps idle keep-alive connections out of the threads, which ``sync`` cannot: a sync
  worker closes every connection after one request, so each page would cost a new TCP handshake.
* 4 threads per process: enough to cover database waits on PostgreSQL; more only lengthens the
  queue in front of the GIL (p99 latency) without adding throughput.
* No ``preload_app``: each worker imports the app itself, so ONNX Runtime sessions (``wsgi.py``
  warms them up) are created after the fork, never shared across it.
* ``max_requests`` with jitter recycles workers now and then, so a slow leak cannot grow forever.
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects taskset/cgroup CPU pinning
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", _cores()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))  # seconds; keep below nginx's upstream keepalive_timeout
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat file off the disk
proc_name = "learningpaths"

# Logging: errors to stderr (journald under systemd). The access log is off by default: nginx
# keeps one already, and students' addresses should not be logged twice. GUNICORN_ACCESS_LOG=- turns it on.
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")

# gunicorn 25+ opens a control socket by default (in $HOME); a server does not need one, and two
# instances on one machine would fight over the same path. GUNICORN_CONTROL_SOCKET=path enables it.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Behind nginx on another machine, list the proxies whose X-Forwarded-* headers gunicorn may trust
# (FORWARDED_ALLOW_IPS, read by gunicorn itself); the app reads X-Real-IP only with SECURE_PROXY=1.
