"""Latency and throughput of the demo inference endpoint on loopback, beside the engine in process.

Starts each server on 127.0.0.1 with the digit CNN, then runs 1, 8 and 32 concurrent keep-alive
clients and prints p50/p99 latency and requests/s:

* ``uvicorn``: ``learningpaths.asgi`` (the ASGI fast path, one event loop per worker process),
  the inference server that docs/deploy.md puts behind ``/api/demos/``;
* ``gunicorn``: ``learningpaths.wsgi`` (the WSGI fast path in gthread workers), the app server
  that answers every other route, for comparison.

The peer measured in the same run is the engine's own NumPy forward pass of the same model, in
process.

``--demos`` also takes ``words-transformer`` (issue 24, the default runs both): one generated word
per request (``POST /api/demos/words-transformer/generate``, Dutch, temperature 0.8, about ten
ONNX Runtime steps through the model's batching ``Runner``), beside the engine's own NumPy
generation of a word in process. Its levels run ``--rounds`` times (default 3), the in-process
generation timed between the rounds (interleaved), and the medians over the rounds are printed
with the load average before and after. The model is copied from ``var/models`` when ``make models``
has trained it there, else trained (about 3 minutes).

``glyphs-autoencoder`` likewise (``--demos``, also in the default): one 32x32 drawing per request
to ``.../glyphs-autoencoder/encode`` (its latent point and reconstruction), and one morph of 11
latent points per request to ``.../decode`` (what the glyph explorer asks when a slider reaches a
new style or pair), each beside the engine's own NumPy pass of the same weights in process (the
``.npz`` that training.train_autoencoder saves), in the same interleaved rounds. The model is copied
from ``var/models`` or trained (a minute or two).

The clients are wrk (C, one thread per two connections; `bench/load.sh` installs it) when it is on
the PATH: Python client threads cost more CPU and GIL time than the server they measure, which
showed up as the server's latency. Without wrk, ``--client python`` runs keep-alive
``http.client`` threads for a fixed number of requests each.

    .venv/bin/python bench/serving.py [--server uvicorn,gunicorn] [--seconds 10] [--workers 2]
                                      [--threads 16] [--client wrk|python]

Goal on CPU: p99 <= 25 ms at 32 concurrent clients for the digit CNN.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, timeout: float = 60) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/demos/")
            response = conn.getresponse()
            if response.status == 200:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


PREDICT = "/api/demos/digits-cnn/predict"
ENCODE = "/api/demos/glyphs-autoencoder/encode"
DECODE = "/api/demos/glyphs-autoencoder/decode"
GENERATE = "/api/demos/words-transformer/generate"
WORD_REQUEST = {"language": "nl", "temperature": 0.8, "count": 1}


def client(port: int, body: bytes, n: int, out: list, errors: list, path: str = PREDICT) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    for _ in range(n):
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            ok = False
        out.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)


def run_level(port: int, body: bytes, clients: int, per_client: int, path: str = PREDICT) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(target=client, args=(port, body, per_client, latencies, errors, path)) for _ in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    lat = np.sort(np.asarray(latencies)) * 1000
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "rps": len(lat) / wall,
        "p50": float(np.percentile(lat, 50)),
        "p99": float(np.percentile(lat, 99)),
    }


# The POST request, then bench/load.lua's counting (every non-2xx) and its one-line summary.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%s]==]
dofile(%r)
"""


def run_level_wrk(port: int, body: bytes, clients: int, seconds: float, script: Path, path: str = PREDICT) -> dict:
    script.write_text(WRK_SCRIPT % (body.decode(), str(ROOT / "bench" / "load.lua")))
    threads = max(1, min(clients // 2, os.cpu_count() or 1))
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(clients),
            "-d",
            f"{max(1, round(seconds))}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("LOAD "))
    data = {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}
    errors = data["non2xx"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {
        "clients": clients,
        "requests": int(data["requests"]),
        "errors": int(errors),
        "rps": data["rps"],
        "p50": data["p50_ms"],
        "p99": data["p99_ms"],
    }


def engine_forward_ms(models_dir: Path, x: np.ndarray, repeats: int = 300) -> float:
    """The same CNN's forward pass in process with the engine (retrained with the same seed)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
    import django

    django.setup()
    from learningpaths.demos.training import build

    model = build("digits-cnn")
    model.predict(x)
    start = time.perf_counter()
    for _ in range(repeats):
        model.predict(x)
    return (time.perf_counter() - start) / repeats * 1000


def engine_generation(models_dir: Path):
    """A function that generates one Dutch word in process with the engine, the same weights as the
    server's ONNX model (the ``.npz`` that wordgen.train saves beside it); returns milliseconds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
    import django

    django.setup()
    import engine
    from learningpaths.demos import wordgen

    step = wordgen.engine_step(engine.Sequential.load(models_dir / f"{wordgen.NAME}.npz"))
    rng = np.random.default_rng(0)

    def one_word() -> float:
        start = time.perf_counter()
        wordgen.generate(step, language="nl", temperature=0.8, count=1, rng=rng)
        return (time.perf_counter() - start) * 1000

    return one_word


def engine_autoencoder(models_dir: Path):
    """(encode body, decode body, encode_ms, decode_ms): the bodies the explorer sends, and functions
    that run the same in process with the engine (the ``.npz`` beside the server's ONNX graphs)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningpaths.settings")
    import django

    django.setup()
    import engine

    model = engine.Sequential.load(models_dir / "glyphs-autoencoder.npz")
    card = json.loads((models_dir / "glyphs-autoencoder.json").read_text(encoding="utf-8"))
    drawing = np.zeros((1, 1, 32, 32), np.float32)
    drawing[0, 0, 4:28, 14:18] = 1.0  # a drawn I
    a, b = (np.asarray(card["class_latents"][c], np.float32) for c in "AB")
    points = np.stack([a + t * (b - a) for t in np.linspace(0, 1, 11)]).astype(np.float32)

    def timed(run):
        def once() -> float:
            start = time.perf_counter()
            run()
            return (time.perf_counter() - start) * 1000

        return once

    return (
        json.dumps({"input": drawing.reshape(1, -1).tolist()}).encode(),
        json.dumps({"latent": points.tolist()}).encode(),
        timed(lambda: (model.encode(drawing), model.predict(drawing))),  # the server's graph gives both
        timed(lambda: model.decode(points)),
    )


def demo_model(var: Path, py: str, env: dict, name: str, files: tuple[str, ...], about: str) -> None:
    """A trained demo in the bench's VAR_DIR: its files copied from var/models, else trained."""
    source, target = ROOT / "var" / "models", var / "models"
    target.mkdir(parents=True, exist_ok=True)
    paths = [source / f for f in files]
    if all(f.is_file() for f in paths):
        for f in paths:
            shutil.copy2(f, target / f.name)
        print(f"{name} copied from {source}", flush=True)
    else:
        print(f"training {name} ({about}) ...", flush=True)
        subprocess.run([py, "manage.py", "trainmodels", name, "--skip-checks"], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="python client: requests per client at each level")
    parser.add_argument("--seconds", type=float, default=10, help="wrk: seconds at each level")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--server", default="uvicorn,gunicorn", help="which servers, in order (uvicorn, gunicorn)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (one per core)")
    parser.add_argument("--threads", type=int, default=16, help="gunicorn: threads per worker")
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument(
        "--demos", default="digits-cnn,words-transformer,glyphs-autoencoder", help="which demos, in order"
    )
    parser.add_argument("--rounds", type=int, default=3, help="words-transformer, glyphs-autoencoder: rounds")
    args = parser.parse_args()
    demos = args.demos.split(",")

    var = Path(tempfile.mkdtemp(prefix="lp-bench-serving-"))
    env = dict(
        os.environ,
        VAR_DIR=str(var),
        DEMO_RATE_LIMIT="100000000",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PYTHONUNBUFFERED="1",
    )
    py = sys.executable
    print("training the demo models (once) ...", flush=True)
    subprocess.run([py, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "trainmodels", "digits-cnn", "--skip-checks"], cwd=ROOT, env=env, check=True)
    # The demos measured in interleaved rounds: title -> (path, body, the engine's time in process).
    rounds: dict[str, tuple[str, bytes, object]] = {}
    if "words-transformer" in demos:
        files = tuple(f"words-transformer{suffix}" for suffix in (".onnx", ".json", ".npz"))
        demo_model(var, py, env, "words-transformer", files, "about 3 minutes")
        word_body = json.dumps(WORD_REQUEST).encode()
        rounds["word transformer, one word per request"] = (GENERATE, word_body, engine_generation(var / "models"))
    if "glyphs-autoencoder" in demos:
        files = ("glyphs-autoencoder.onnx", "glyphs-autoencoder.json", "glyphs-autoencoder.npz")
        demo_model(var, py, env, "glyphs-autoencoder", (*files, "glyphs-decoder.onnx"), "a minute or two")
        encode_body, decode_body, encode_ms, decode_ms = engine_autoencoder(var / "models")
        rounds["glyph autoencoder, encode one 32x32 drawing per request"] = (ENCODE, encode_body, encode_ms)
        rounds["glyph autoencoder, decode a morph of 11 latent points per request"] = (DECODE, decode_body, decode_ms)
    round_rows: dict[str, dict[str, list[list[dict]]]] = {title: {} for title in rounds}
    engine_ms: dict[str, list[float]] = {title: [] for title in rounds}
    load_before = os.getloadavg()

    x = np.random.default_rng(0).random((1, 1, 8, 8)).astype(np.float32)
    body = json.dumps({"input": x.tolist()}).encode()
    levels = [int(v) for v in args.levels.split(",")]
    results = {}
    for name in args.server.split(","):
        port = free_port()
        if name == "uvicorn":
            command = [
                py,
                "-m",
                "uvicorn",
                "learningpaths.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ]
            setup = f"uvicorn: {args.workers} worker processes, one event loop each"
        elif name == "gunicorn":
            command = [
                py,
                "-m",
                "gunicorn",
                "learningpaths.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--threads",
                str(args.threads),
                "-k",
                "gthread",
                "--log-level",
                "warning",
            ]
            setup = f"gunicorn: {args.workers} workers x {args.threads} threads"
        else:
            raise SystemExit(f"unknown server {name!r}: choose uvicorn or gunicorn")
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        try:
            status = wait_ready(port)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(
                "POST", "/api/demos/digits-cnn/predict", body=body, headers={"Content-Type": "application/json"}
            )
            first = json.loads(conn.getresponse().read())
            run_level(port, body, 64, 4)  # every worker has answered before we measure
            print(
                f"\n{setup}; {os.cpu_count()} CPUs; clients: {args.client}; providers: {status['providers']} "
                f"(available: {status['available_providers']}); session runs on {first['provider']}",
                flush=True,
            )
            if "digits-cnn" in demos:
                if args.client == "wrk":
                    results[name] = [run_level_wrk(port, body, c, args.seconds, var / "post.lua") for c in levels]
                else:
                    results[name] = [
                        run_level(port, body, c, args.requests if c == 1 else max(args.requests // 4, 25))
                        for c in levels
                    ]
            for title, (path, round_body, in_process) in rounds.items():
                run_level(port, round_body, 8, 8, path)  # warm: every worker has loaded the model
                for _ in range(args.rounds):
                    if args.client == "wrk":
                        rows = [
                            run_level_wrk(port, round_body, c, args.seconds / 2, var / "round.lua", path)
                            for c in levels
                        ]
                    else:
                        per = max(args.requests // 4, 25)
                        rows = [run_level(port, round_body, c, per if c == 1 else per // 2, path) for c in levels]
                    round_rows[title].setdefault(name, []).append(rows)
                    engine_ms[title].append(float(np.median([in_process() for _ in range(50)])))  # between rounds
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)

    load_after = os.getloadavg()
    for title in rounds:
        report_rounds(title, round_rows[title], engine_ms[title], levels, load_before, load_after)
    if "digits-cnn" not in demos:
        return
    forward = engine_forward_ms(var / "models", x)
    print(f"\n{'server':>8} {'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, rows in results.items():
        for r in rows:
            print(
                f"{name:>8} {r['clients']:>7} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.0f} "
                f"{r['p50']:>8.2f} {r['p99']:>8.2f}"
            )
    print(f"\nengine NumPy forward pass in process, 1 sample: {forward:.3f} ms")
    for name, rows in results.items():
        for r in rows:
            print(f"  {name} p50 at {r['clients']:>2} clients / in-process forward = {r['p50'] / forward:.1f}x")
    print()
    for name, rows in results.items():
        worst = rows[-1]
        verdict = "meets" if worst["p99"] <= 25 else "misses"
        print(f"{name}: goal p99 <= 25 ms at {worst['clients']} clients: {worst['p99']:.1f} ms ({verdict} it)")


def report_rounds(title, server_rows, engine_ms, levels, load_before, load_after) -> None:
    """Medians over the rounds of one demo's requests, and the in-process engine beside it."""
    print(f"\n{title}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"{'server':>8} {'clients':>7} {'rounds':>6} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    median_ms = float(np.median(engine_ms))
    for name, rounds in server_rows.items():
        for i, clients in enumerate(levels):
            rows = [r[i] for r in rounds]
            med = {k: float(np.median([r[k] for r in rows])) for k in ("rps", "p50", "p99")}
            errors = sum(r["errors"] for r in rows)
            each = ", ".join(f"{r['p99']:.1f}" for r in rows)
            print(
                f"{name:>8} {clients:>7} {len(rows):>6} {errors:>6} {med['rps']:>8.0f} {med['p50']:>8.2f} "
                f"{med['p99']:>8.2f}   (p99 of each round: {each})"
            )
    spread = ", ".join(f"{v:.2f}" for v in engine_ms)
    print(f"engine NumPy in process, the same work: {median_ms:.2f} ms (median of the rounds' medians: {spread})")


if __name__ == "__main__":
    main()
