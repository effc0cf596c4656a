"""Benchmark the content compiler on a generated Dwengo-sized tree.

Generates (in a temporary folder) 2,500 learning objects and 200 learning paths shaped like
Dwengo's repository: Markdown with images, tables, math, code, alert boxes, transclusions of
Blockly ``metadata.md`` objects, and JSON paths with base64 images. Then it compiles

1. cold, with an empty cache,
2. again with nothing changed,
3. again after one object changed (only that object is re-rendered),
4. the same in a new process through the CLI, as an author would run it,

and prints seconds and objects/s for each. Targets (issue 2): cold <= 30 s on 2 cores, the re-run
after one change <= 1 s. Then (issue 19) ``manage.py preview`` on the same tree, in its own process
as an author runs it: save -> updated page, from writing one object's file to its page served with
the new text (the watcher's look, the compile, the load into SQLite, the long poll and the page
request), median of ``--saves`` saves; goal <= 1 s on 2 cores.
Run: ``python bench/compile.py [--objects N] [--paths M] [--jobs J] [--saves K]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learningpaths.compiler import CompileOptions, compile_content

LANGUAGES = ("nl", "en", "fr")


def png(width: int, height: int, seed: int) -> bytes:
    """A valid RGB PNG of noise (so it does not compress to nothing)."""
    rng = random.Random(seed)
    rows = b"".join(b"\0" + bytes(rng.getrandbits(8) for _ in range(width * 3)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def front_matter(hruid: str, language: str, content_type: str, rng: random.Random, teacher: bool) -> str:
    ages = sorted(rng.sample(range(10, 19), 3))
    return f"""---
hruid: {hruid}
version: 3
language: {language}
title: "Les {hruid.replace("_", " ")}"
description: "Over {hruid}"
keywords: ["ai", "{rng.choice(["python", "robot", "data", "ethiek"])}"]
educational_goals: [
    {{source: onderwijsdoelen.be, id: "{rng.randint(1, 40)}.{rng.randint(1, 9)}"}}
]
copyright: dwengo
licence: dwengo
content_type: {content_type}
available: true
target_ages: {ages}
difficulty: {rng.randint(1, 5)}
estimated_time: {rng.randint(2, 20)}
skos_concepts: [
    'http://ilearn.ilabt.imec.be/vocab/curr1/s-computers-en-systemen'
]
teacher_exclusive: {"true" if teacher else "false"}
---
"""


def body(i: int, rng: random.Random, blockly: list[str], language: str) -> str:
    parts = [
        f"# Les {i}\n",
        "Binnen het machinaal leren bekleedt ***deep learning*** een prominente plaats. " * rng.randint(2, 6),
        '\n<div class="alert alert-box alert-success">\n  Hoe verloopt een <b>training</b>?<br>\n</div>\n',
        f'![Figuur {i}](embed/fig{i}.png "Figuur")\n',
        "![logo](embed/dwengo.png)\n",
    ]
    if i % 3 == 0:
        parts.append("De propositie \\\\(A \\lor B\\\\) lees je als:\n\n\\\\[ A \\lor B \\Leftrightarrow Q \\\\]\n")
    if i % 4 == 0:
        parts.append("| A | B | Q |\n|---|---|---|\n| 0 | 0 | 0 |\n| 0 | 1 | 1 |\n| 1 | 1 | 1 |\n")
    if i % 5 == 0:
        parts.append("```python\nimport numpy as np\nx = np.arange(10)\nprint(x.mean())\n```\n")
    if i % 6 == 0:
        parts.append(
            '<div class="dwengo-content">\n<pre><code class="language-cpp" data-filename="a.cpp">'
            "void setup() {}\nvoid loop() {}\n</code></pre>\n</div>\n"
        )
    if blockly and i % 8 == 0:
        parts.append(f"Oplossing:\n\n![blockly](@learning-object/{rng.choice(blockly)}/{language}/3)\n")
    if i % 7 == 0:
        parts.append("![video](@youtube/https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n")
    parts.append("\n> **Voorbeeld:** een spamfilter leert spam herkennen.\n")
    return "\n".join(parts)


def generate(root: Path, objects: int, paths: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    logo = png(32, 32, 0)
    keys: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    blockly: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    sources = []
    for i in range(objects):
        language = LANGUAGES[i % 3]
        folder = root / "learning_objects" / language / f"theme{i % 40:02d}" / f"{i:04d}_object"
        (folder / "embed").mkdir(parents=True)
        hruid = f"obj_{i:04d}"
        if i % 10 == 9:  # a Blockly object: metadata.md plus an XML file, embedded by others
            (folder / "metadata.md").write_text(front_matter(hruid, language, "blockly", rng, False))
            (folder / "program.xml").write_text(
                '<xml xmlns="https://developers.google.com/blockly/xml">'
                f'<block type="text"><field name="TEXT">Welkom {i}</field></block></xml>'
            )
            blockly[language].append(hruid)
            sources.append(folder / "metadata.md")
        else:
            text = front_matter(hruid, language, "text/markdown", rng, teacher=i % 4 == 0)
            (folder / "index.md").write_text(text + body(i, rng, blockly[language], language))
            (folder / "embed" / f"fig{i}.png").write_bytes(png(24, 24, i))
            (folder / "embed" / "dwengo.png").write_bytes(logo)
            sources.append(folder / "index.md")
        keys[language].append(hruid)
    cover = base64.b64encode(png(64, 64, 1)).decode()
    for p in range(paths):
        language = LANGUAGES[p % 3]
        chosen = rng.sample(keys[language], 12)
        nodes = [
            {
                "learningobject_hruid": h,
                "language": language,
                "version": "3",
                "start_node": n == 0,
                **(
                    {
                        "transitions": [
                            {"default": True, "next": {"hruid": chosen[n + 1], "language": language, "version": "3"}}
                        ]
                    }
                    if n + 1 < len(chosen)
                    else {}
                ),
            }
            for n, h in enumerate(chosen)
        ]
        folder = root / "learning_paths" / language
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"path{p:03d}.json").write_text(
            json.dumps(
                {
                    "hruid": f"path_{p:03d}",
                    "language": language,
                    "title": f"Leerpad {p}",
                    "description": "Een leerpad",
                    "image": cover,
                    "nodes": nodes,
                },
                indent=2,
            )
        )
    return sources


def run(label: str, root: Path, options: CompileOptions, count: int) -> None:
    before, started = os.times(), time.perf_counter()
    result = compile_content(root, options=options)
    seconds, after = time.perf_counter() - started, os.times()
    main_cpu = after.user + after.system - before.user - before.system
    worker_cpu = max(0.0, after.children_user + after.children_system - before.children_user - before.children_system)
    print(
        f"{label:<24} {seconds:6.2f} s wall {count / seconds:6.0f} objects/s | cpu {main_cpu:5.2f} s main "
        f"+ {worker_cpu:5.2f} s render workers | {len(result.objects)} objects, {len(result.paths)} paths, "
        f"{len(result.errors)} errors, {len(result.warnings)} warnings"
    )
    if result.errors:
        for d in result.errors[:5]:
            print("   ", d.format())


def _get(url: str, timeout: float = 60) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def preview_saves(root: Path, changed: Path, saves: int, var: Path) -> None:
    """``manage.py preview ROOT`` in a process of its own; each save -> the page with the new text."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "VAR_DIR": str(var), "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    repo = Path(__file__).resolve().parents[1]
    server = subprocess.Popen(
        [sys.executable, str(repo / "manage.py"), "preview", str(root), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            try:
                build = json.loads(_get(base + "/preview/events/"))
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("manage.py preview exited") from None
                time.sleep(0.2)
        print(f"{'preview: first build':<24} {time.perf_counter() - started:6.2f} s wall (start-up, migrate, load)")
        text = changed.read_text()
        hruid = re.search(r"^hruid:\s*(\S+)", text, re.M).group(1)
        language = re.search(r"^language:\s*(\S+)", text, re.M).group(1)
        version = re.search(r"^version:\s*['\"]?(\d+)", text, re.M).group(1)
        page = f"{base}/objects/{hruid}/{language}/{version}/"
        times, number = [], build["build"]
        for i in range(saves):
            marker = f"Bewaard {i} om {time.time_ns()}."
            t0 = time.perf_counter()
            changed.write_text(text + f"\n{marker}\n")
            while True:  # the page's long poll, as preview.js does it
                build = json.loads(_get(f"{base}/preview/events/?since={number}"))
                if build["build"] > number:
                    number = build["build"]
                    break
            body = _get(page).decode()
            times.append(time.perf_counter() - t0)
            if marker not in body:
                raise SystemExit(f"the page did not show the saved text after build {number}")
        print(
            f"{'preview: save -> page':<24} {statistics.median(times):6.2f} s median of {saves} "
            f"(min {min(times):.2f}, max {max(times):.2f}; goal <= 1 s); "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        changed.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=2500)
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=0, help="render processes (0: one per CPU)")
    parser.add_argument("--saves", type=int, default=5, help="saves timed in the live preview (0: skip it)")
    parser.add_argument("--preview-source", type=Path, default=None, help="time the preview on this tree instead")
    args = parser.parse_args()
    if args.preview_source:
        with tempfile.TemporaryDirectory(prefix="lp-bench-") as tmp:
            source = args.preview_source.resolve()
            changed = next(  # a page a visitor may see (teacher-only ones answer 404)
                p
                for p in sorted(source.glob("learning_objects/**/index.md"))
                if "teacher_exclusive: true" not in p.read_text()
            )
            preview_saves(source, changed, args.saves, Path(tmp) / "var")
        return
    with tempfile.TemporaryDirectory(prefix="lp-bench-") as tmp:
        root = Path(tmp) / "learning_content"
        started = time.perf_counter()
        sources = generate(root, args.objects, args.paths)
        print(f"generated {args.objects} objects and {args.paths} paths in {time.perf_counter() - started:.1f} s")
        options = CompileOptions(cache_dir=Path(tmp) / "cache", jobs=args.jobs)
        run("cold (empty cache)", root, options, args.objects)
        run("warm (nothing changed)", root, options, args.objects)
        # the page of a visitor-visible object: the preview bench below fetches it
        changed = next(p for p in sources[len(sources) // 2 :] if "teacher_exclusive: true" not in p.read_text())
        changed.write_text(changed.read_text() + "\nEen nieuwe alinea.\n")
        run("one object changed", root, options, args.objects)
        changed.write_text(changed.read_text() + "\nNog een alinea.\n")
        started = time.perf_counter()
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "learningpaths.compiler",
                str(root),
                "--cache",
                str(Path(tmp) / "cache"),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        report = json.loads(cli.stdout)
        print(
            f"{'one changed, new process':<24} {time.perf_counter() - started:6.2f} s wall "
            f"(python -m learningpaths.compiler --cache: start-up and imports included; "
            f"compile {report['seconds']:.2f} s; exit {cli.returncode})"
        )
        size = (Path(tmp) / "cache" / "compile-cache.pickle").stat().st_size
        print(
            f"cache file: {size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
            "(wall times grow with other load, cpu times do not)"
        )
        if args.saves:
            preview_saves(root, changed, args.saves, Path(tmp) / "var")


if __name__ == "__main__":
    main()
