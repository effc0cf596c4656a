"""Latency and throughput of the glyph CNN's predict endpoint (issue 24) on loopback, beside the
engine's own NumPy forward pass in process; the same servers and clients as ``bench/serving.py``
(whose helpers this uses), for a model of 32x32 input whose answer carries every conv block's
feature maps.

    .venv/bin/python bench/serving_glyphs.py [--model glyphs-cnn] [--rounds 3] [--seconds 10]
                                             [--server uvicorn,gunicorn] [--client wrk|python]

Each level runs on every server in turn, and the whole set ``--rounds`` times (interleaved, so a
change in the machine's load hits all alike); the tables give medians with the ranges, and the load
average is printed at each round. The model is trained into ``--models-dir`` (default
``var/models``) by ``trainmodels``, which skips it when it is up to date. Goal on CPU: p99 <= 50 ms
at 32 concurrent clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from serving import ROOT, free_port, run_level, run_level_wrk, wait_ready


def engine_model(name: str):
    """The same network as the served model, built by the engine (same architecture and settings;
    its weights do not change the time of a forward pass)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
    import django

    django.setup()
    from learningpaths.demos.training import TRAINERS, build

    settings = TRAINERS[name].settings
    if "filters" in settings:
        return build(name, filters=tuple(settings["filters"]), dropout=settings["dropout"])
    return build(name)


def engine_forward_ms(model, x: np.ndarray, seconds: float = 2.0) -> float:
    """Median ms of the engine's forward pass (``predict``) of ``x``, in process."""
    model.predict(x)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        start = time.perf_counter()
        model.predict(x)
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


def server_command(name: str, port: int, args) -> tuple[list[str], str]:
    py = sys.executable
    if name == "uvicorn":
        command = [py, "-m", "uvicorn", "learningpaths.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(args.workers), "--loop", "uvloop", "--http", "httptools", "--no-access-log"]
        return command + ["--log-level", "warning"], f"uvicorn: {args.workers} worker processes, one event loop each"
    if name == "gunicorn":
        command = [py, "-m", "gunicorn", "learningpaths.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)]
        command += ["--threads", str(args.threads), "-k", "gthread", "--log-level", "warning"]
        return command, f"gunicorn: {args.workers} workers x {args.threads} threads"
    raise SystemExit(f"unknown server {name!r}: choose uvicorn or gunicorn")


def load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="glyphs-cnn", help="the demo model (glyphs-cnn, digits-cnn, ...)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the tables give medians")
    parser.add_argument("--requests", type=int, default=200, help="python client: requests per client at each level")
    parser.add_argument("--seconds", type=float, default=10, help="wrk: seconds at each level")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--server", default="uvicorn,gunicorn", help="which servers, in order (uvicorn, gunicorn)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (one per core)")
    parser.add_argument("--threads", type=int, default=16, help="gunicorn: threads per worker")
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--goal", type=float, default=None, help="p99 goal in ms at the last level")
    parser.add_argument(
        "--models-dir", default=str(ROOT / "var" / "models"), help="where trainmodels keeps the models (cached)"
    )
    args = parser.parse_args()
    goal = args.goal if args.goal is not None else {"glyphs-cnn": 50.0}.get(args.model, 25.0)
    path = f"/api/demos/{args.model}/predict"

    var = Path(tempfile.mkdtemp(prefix="lp-bench-serving-"))
    env = dict(
        os.environ,
        VAR_DIR=str(var),
        DEMO_MODELS_DIR=str(Path(args.models_dir).resolve()),
        DEMO_RATE_LIMIT="100000000",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PYTHONUNBUFFERED="1",
    )
    py = sys.executable
    print(f"training {args.model} unless it is up to date in {args.models_dir} ...", flush=True)
    subprocess.run([py, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "trainmodels", args.model, "--skip-checks"], cwd=ROOT, env=env, check=True)

    os.environ["DEMO_MODELS_DIR"] = env["DEMO_MODELS_DIR"]
    model = engine_model(args.model)
    shape = model.input_shape
    x = np.random.default_rng(0).random((1, *shape)).round(3).astype(np.float32)
    body = json.dumps({"input": x.tolist()}).encode()
    levels = [int(v) for v in args.levels.split(",")]
    names = args.server.split(",")
    servers, ports = {}, {}
    for name in names:  # all servers up at once, measured in turn (an idle server costs ~nothing)
        ports[name] = free_port()
        command, _ = server_command(name, ports[name], args)
        servers[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    rows: dict[tuple[str, int], list[dict]] = {}
    forward: dict[int, list[float]] = {1: [], 32: []}
    try:
        for name in names:
            status = wait_ready(ports[name])
            conn = http.client.HTTPConnection("127.0.0.1", ports[name], timeout=30)
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            first = json.loads(response.read())
            if response.status != 200:
                raise SystemExit(f"{name}: {response.status} {first}")
            run_level(ports[name], body, 64, 4, path)  # every worker has answered before we measure
            print(
                f"{server_command(name, 0, args)[1]}; {os.cpu_count()} CPUs; clients: {args.client}; "
                f"providers: {status['providers']}; session runs on {first['provider']}; "
                f"answer {len(json.dumps(first))} bytes",
                flush=True,
            )
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds}: load average {load()}", flush=True)
            for clients in levels:
                for name in names:  # interleaved: each level on every server before the next level
                    if args.client == "wrk":
                        row = run_level_wrk(ports[name], body, clients, args.seconds, var / "post.lua", path)
                    else:
                        n = args.requests if clients == 1 else max(args.requests // 4, 25)
                        row = run_level(ports[name], body, clients, n, path)
                    rows.setdefault((name, clients), []).append(row)
            for batch in forward:
                forward[batch].append(engine_forward_ms(model, np.repeat(x, batch, axis=0)))
    finally:
        for server in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)

    def med(values):
        return float(np.median(values))

    print(f"\n{args.model}, {args.rounds} interleaved rounds (medians; ranges in brackets), load average now {load()}")
    print(f"{'server':>8} {'clients':>7} {'req/s':>14} {'p50 ms':>16} {'p99 ms':>16} {'errors':>6}")
    for (name, clients), runs in rows.items():
        cols = []
        for key in ("rps", "p50", "p99"):
            v = [run[key] for run in runs]
            cols.append(f"{med(v):.1f} [{min(v):.1f}-{max(v):.1f}]")
        errors = sum(run["errors"] for run in runs)
        print(f"{name:>8} {clients:>7} {cols[0]:>14} {cols[1]:>16} {cols[2]:>16} {errors:>6}")
    for batch, times in forward.items():
        print(f"engine NumPy forward pass in process, {batch} sample(s): {med(times):.3f} ms (median of rounds)")
    one = med(forward[1])
    for (name, clients), runs in rows.items():
        ratio = med([r["p50"] for r in runs]) / one
        print(f"  {name} p50 at {clients:>2} clients / in-process forward of 1 sample = {ratio:.1f}x")
    for name in names:
        p99 = med([run["p99"] for run in rows[(name, levels[-1])]])
        verdict = "meets" if p99 <= goal else "misses"
        print(f"{name}: goal p99 <= {goal:g} ms at {levels[-1]} clients: {p99:.1f} ms ({verdict} it)")


if __name__ == "__main__":
    main()
