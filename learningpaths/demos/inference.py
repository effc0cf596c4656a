"""ONNX Runtime inference: one session per model per process, small requests batched together.

Providers come from what ONNX Runtime offers: CUDA when onnxruntime-gpu and a GPU are present,
else the CPU. A request waits at most ``timeout`` seconds for its answer.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

import numpy as np

from .registry import DEMOS, DemoSpec, model_path

PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")
log = logging.getLogger(__name__)


class DemoUnavailable(Exception):
    """The model file is missing or could not be loaded."""


class DemoTimeout(Exception):
    """The answer did not come within the time limit."""


def choose_providers(available: list[str]) -> list[str]:
    """CUDA first when it is there, the CPU always last; nothing we do not know."""
    chosen = [p for p in PREFERRED_PROVIDERS if p in available]
    return chosen or ["CPUExecutionProvider"]


def available_providers() -> list[str]:
    """What ONNX Runtime offers, narrowed by DEMO_PROVIDERS=cpu (to compare, or to keep the GPU free)."""
    import onnxruntime as ort
    from django.conf import settings

    available = list(ort.get_available_providers())
    if getattr(settings, "DEMO_PROVIDERS", "auto") == "cpu":
        available = [p for p in available if p == "CPUExecutionProvider"]
    return available


def _load_cuda_libraries() -> None:
    """onnxruntime-gpu finds cuDNN/cuBLAS from the nvidia-* wheels only after preload_dlls()."""
    import onnxruntime as ort

    if hasattr(ort, "preload_dlls"):
        try:
            ort.preload_dlls()
        except Exception:  # noqa: BLE001 - without them ORT falls back to the CPU, which we report
            pass


@dataclass
class _Job:
    x: np.ndarray  # (n, *input_shape)
    future: Future  # a concurrent.futures.Future, or an asyncio.Future on the event loop


class Runner:
    """Owns one InferenceSession and a thread that runs queued jobs together in one batch.

    Batching is opportunistic: the thread takes every job already waiting (up to ``max_batch``
    rows) and runs them at once, so jobs that arrive while a batch runs form the next batch. With
    ``window`` = 0 (the default) a lone request never waits for company: for the small demo models
    a batch takes ~0.05 ms and a fixed window would only add latency. A positive ``window`` (the
    ``DEMO_BATCH_WINDOW`` setting, in seconds) also waits that long for more jobs, which pays off
    for large models on a GPU, where one launch per batch matters more than a millisecond.
    """

    def __init__(self, spec: DemoSpec, *, window: float | None = None, max_batch: int = 64):
        import onnxruntime as ort

        path = model_path(spec.name)
        if not path.is_file():
            raise DemoUnavailable(f"model file {path.name} is missing; run `manage.py trainmodels`")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # many small requests: parallelism comes from batching
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        providers = choose_providers(available_providers())
        if "CUDAExecutionProvider" in providers:
            _load_cuda_libraries()
        try:
            self.session = ort.InferenceSession(str(path), options, providers=providers)
        except Exception as exc:  # corrupt file, unsupported opset: say so instead of a 500
            # The visitor gets a 503 with one line; the operator needs the traceback.
            log.exception("demo %s: could not load %s", spec.name, path)
            raise DemoUnavailable(f"model {spec.name} could not be loaded: {exc}") from exc
        self.spec = spec
        self._providers = self.session.get_providers()  # fixed for the session's life
        self.input_name = self.session.get_inputs()[0].name
        self.output_names = [o.name for o in self.session.get_outputs()]
        if window is None:
            from django.conf import settings

            window = float(getattr(settings, "DEMO_BATCH_WINDOW", 0.0))
        self.window, self.max_batch = window, max_batch
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.batches_run = 0
        self._pending: list[_Job] = []  # jobs from the event loop, run at its next turn
        self._pending_loop = None  # the loop that will run them
        threading.Thread(target=self._loop, name=f"onnx-{spec.name}", daemon=True).start()

    @property
    def providers(self) -> list[str]:
        return self._providers

    def submit(self, x: np.ndarray) -> Future:
        future: Future = Future()
        self.jobs.put(_Job(x, future))
        return future

    # -- batching on an event loop (the ASGI fast path) ----------------------------------------
    async def run_async(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Batch with every request that reaches this process's event loop in the same turn.

        On the CPU (and with no batch window) the loop runs the batch itself, as soon as the
        requests that arrived together have been parsed: handing it to the batch thread would only
        add two thread switches, since each serving process has one core to itself anyway, and a
        small model's batch takes less time than the switch. On a GPU the batch thread waits for
        the device while the loop keeps reading requests.
        """
        loop = asyncio.get_running_loop()
        if (
            self.window > 0
            or self.providers[0] != "CPUExecutionProvider"
            or (self._pending and self._pending_loop is not loop)
        ):  # a second loop in one process: rare
            return await asyncio.wrap_future(self.submit(x))
        future = loop.create_future()
        self._pending.append(_Job(x, future))
        if len(self._pending) == 1:
            self._pending_loop = loop
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), self.max_batch):
            self._run([j for j in pending[start : start + self.max_batch] if not j.future.done()])

    def _loop(self) -> None:
        while True:
            jobs = [self.jobs.get()]
            deadline = time.perf_counter() + self.window
            rows = len(jobs[0].x)
            while rows < self.max_batch:
                remaining = deadline - time.perf_counter()
                try:
                    job = self.jobs.get(timeout=remaining) if remaining > 0 else self.jobs.get_nowait()
                except queue.Empty:
                    break
                jobs.append(job)
                rows += len(job.x)
            self._run(jobs)

    def _run(self, jobs: list[_Job]) -> None:
        jobs = [j for j in jobs if not j.future.done()]  # cancelled: the request gave up waiting
        if not jobs:
            return
        try:
            batch = np.concatenate([j.x for j in jobs], axis=0)
            outputs = self.session.run(self.output_names, {self.input_name: batch})
            self.batches_run += 1
        except Exception as exc:
            # Every waiting request fails with it; without this line nobody would see why.
            log.exception("demo %s: a batch of %d request(s) failed", self.spec.name, len(jobs))
            for j in jobs:
                _settle(j.future, exception=exc)
            return
        start = 0
        for j in jobs:
            n = len(j.x)
            result = {name: out[start : start + n] for name, out in zip(self.output_names, outputs, strict=True)}
            _settle(j.future, result=result)
            start += n


def _settle(future, *, result=None, exception=None) -> None:
    """Set a job's outcome unless it was cancelled meanwhile (a request that timed out cancels its
    future from another thread); raising here would kill the batch thread."""
    try:
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)
    except (InvalidStateError, asyncio.InvalidStateError):
        pass


_runners: dict[str, Runner] = {}
_lock = threading.Lock()


def get_runner(name: str) -> Runner:
    """The process-wide runner for a demo (created on first use)."""
    runner = _runners.get(name)
    if runner is None:
        with _lock:
            runner = _runners.get(name)
            if runner is None:
                runner = _runners[name] = Runner(DEMOS[name])
    return runner


def reset_runners() -> None:
    """Forget loaded sessions (tests, or after `trainmodels` replaced a file)."""
    with _lock:
        _runners.clear()


def predict(name: str, x: np.ndarray, *, timeout: float = 2.0) -> dict[str, np.ndarray]:
    future = get_runner(name).submit(x)
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        raise DemoTimeout(f"no answer within {timeout:g} s") from None


async def apredict(name: str, x: np.ndarray, *, timeout: float = 2.0) -> dict[str, np.ndarray]:
    """``predict`` for an event loop (``Runner.run_async``). The first call for a model loads its
    session in the loop's thread; ``warm_up`` does that at startup."""
    try:
        return await asyncio.wait_for(get_runner(name).run_async(x), timeout)
    except TimeoutError:
        raise DemoTimeout(f"no answer within {timeout:g} s") from None


def warm_up() -> list[str]:
    """Load every demo whose model file exists and run one sample through it, so that the first
    student does not wait for session creation (CUDA initialisation can take a second). Called
    once per serving process from ``learningpaths.wsgi``; returns the names it warmed."""
    warmed = []
    for name, spec in DEMOS.items():
        if not model_path(name).is_file():
            continue
        try:
            predict(name, np.zeros((1, *spec.input_shape), np.float32), timeout=30)
            warmed.append(name)
        except (DemoUnavailable, DemoTimeout):
            pass
    return warmed
