"""Write the learning paths of the "Deep learning" path (Dwengo JSON), in English and in Dutch.

Run from the repository root:  python content/tools/make_paths.py
Standard library only. Both languages share one structure (``PARTS``): each part starts with its
teacher guide (teacher-exclusive, skipped for students), then the lessons, then a check for
understanding. A wrong answer on a check leads to a short remedial object, which continues to where
a right answer goes. The path image is a small PNG drawn here (a neural network icon).
"""
from __future__ import annotations

import base64
import json
import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "learning_paths"
WRONG = "$[?(@.correct == false)]"  # the latest answer to the check was graded wrong

# (teacher guide, lessons, check, remedial) per part
PARTS = [
    ("dl_teacher_neurons", ["dl_what", "dl_neuron", "dl_activation", "dl_layers"], "dl_check_neurons", "dl_fix_neurons"),
    ("dl_teacher_training", ["dl_descent", "dl_backprop", "dl_batches"], "dl_check_training", "dl_fix_training"),
    ("dl_teacher_networks", ["dl_cnn", "dl_rnn", "dl_autoencoder", "dl_generative"], "dl_check_networks", "dl_fix_networks"),
    ("dl_teacher_project", ["dl_finetuning", "dl_evaluation"], "dl_check_evaluation", "dl_fix_evaluation"),
]
FINAL = "dl_project"

TEXT = {
    "en": ("Deep learning",
           "Train real neural networks in your browser: neurons, activation functions, gradient descent and "
           "backpropagation, CNNs, RNNs, autoencoders and generative models, and a closing project on "
           "handwritten digits with bias, explainability and privacy. With a check after every part."),
    "nl": ("Deep learning",
           "Train echte neurale netwerken in je browser: neuronen, activatiefuncties, gradient descent en "
           "backpropagation, CNN's, RNN's, autoencoders en generatieve modellen, en een eindproject over "
           "handgeschreven cijfers met bias, uitlegbaarheid en privacy. Met een controle na elk deel."),
}


def ref(hruid: str, language: str) -> dict:
    return {"hruid": hruid, "version": "1", "language": language}


def nodes(language: str) -> list[dict]:
    order: list[tuple[str, list[dict]]] = []  # (hruid, transitions)
    for k, (teacher, lessons, check, remedial) in enumerate(PARTS):
        after = PARTS[k + 1][0] if k + 1 < len(PARTS) else FINAL
        chain = [teacher, *lessons, check]
        for a, b in zip(chain, chain[1:]):
            order.append((a, [{"default": True, "next": ref(b, language)}]))
        order.append((check, [
            {"condition": WRONG, "next": ref(remedial, language)},
            {"default": True, "next": ref(after, language)},
        ]))
        order.append((remedial, [{"default": True, "next": ref(after, language)}]))
    order.append((FINAL, []))
    out = []
    for i, (hruid, transitions) in enumerate(order):
        node = {"learningobject_hruid": hruid, "language": language, "version": "1"}
        if i == 0:
            node["start_node"] = True
        if transitions:
            node["transitions"] = transitions
        out.append(node)
    return out


# -- a small PNG icon, drawn pixel by pixel ---------------------------------------------------
def icon(size: int = 96) -> bytes:
    pixels = [[(255, 255, 255)] * size for _ in range(size)]
    layers = [3, 4, 4, 2]
    colours = [(43, 108, 176), (107, 70, 193), (107, 70, 193), (47, 133, 90)]
    xs = [14, 37, 60, 83]
    centres = []
    for n, x in zip(layers, xs):
        top = size / 2 - (n - 1) * 11
        centres.append([(x, top + 22 * i) for i in range(n)])

    def blend(x, y, colour, alpha):
        if 0 <= x < size and 0 <= y < size:
            old = pixels[y][x]
            pixels[y][x] = tuple(round(o + (c - o) * alpha) for o, c in zip(old, colour))

    for a, b in zip(centres, centres[1:]):  # connections first, circles on top
        for (x1, y1) in a:
            for (x2, y2) in b:
                steps = int(max(abs(x2 - x1), abs(y2 - y1)) * 2)
                for s in range(steps + 1):
                    t = s / steps
                    blend(round(x1 + (x2 - x1) * t), round(y1 + (y2 - y1) * t), (160, 174, 192), 0.5)
    for layer, colour in zip(centres, colours):
        for (cx, cy) in layer:
            for y in range(int(cy) - 8, int(cy) + 9):
                for x in range(int(cx) - 8, int(cx) + 9):
                    d = math.hypot(x - cx, y - cy)
                    if d <= 7.5:
                        blend(x, y, colour if d > 5 else (237, 242, 247), 1.0)
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main() -> None:
    image = base64.b64encode(icon()).decode("ascii")
    for language, folder in (("en", "english"), ("nl", "nederlands")):
        title, description = TEXT[language]
        path = {"hruid": "deep_learning", "language": language, "title": title, "description": description,
                "image": image, "nodes": nodes(language)}
        target = OUT / folder / "deep_learning.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(path, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(OUT.parent.parent)}: {len(path['nodes'])} nodes")


if __name__ == "__main__":
    main()
