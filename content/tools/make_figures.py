"""Draw the figures of the "Deep learning" learning path as SVG, in English and in Dutch.

Run from the repository root:  python content/tools/make_figures.py
Standard library only (no matplotlib); the output is deterministic, so re-running it changes
nothing unless this script changed. Every figure is written into the object folder(s) that use
it, as ``img/<name>.svg``, once per language, with the labels in that language.
"""
from __future__ import annotations

import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "learning_objects"
FOLDERS = {
    "en": ROOT / "english" / "deep_learning",
    "nl": ROOT / "nederlands" / "deep_learning",
}
# figure -> object folders (by number; the same number in both languages)
USES = {
    "ml_vs_dl": ["0030"],
    "neuron": ["0030", "0070"],
    "activations": ["0040"],
    "network": ["0050"],
    "descent": ["0120", "0160"],
    "backprop": ["0130"],
    "batches": ["0140"],
    "convolution": ["0220", "0270"],
    "cnn": ["0220"],
    "rnn": ["0230"],
    "autoencoder": ["0240"],
    "generative": ["0250"],
    "split": ["0320", "0340"],
    "confusion": ["0320", "0340"],
}

BLUE, ORANGE, GREEN, PURPLE, RED = "#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#c53030"
INK, GREY, LIGHT = "#1a202c", "#718096", "#edf2f7"
FONT = "font-family:Verdana,Arial,sans-serif"


class Svg:
    def __init__(self, width: int, height: int, title: str, desc: str):
        self.w, self.h = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img">',
            f"<title>{esc(title)}</title>",
            f"<desc>{esc(desc)}</desc>",
            "<defs>" + "".join(
                f'<marker id="arrow-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                for c in (GREY, RED, GREEN, ORANGE, BLUE)) + "</defs>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        ]

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x, y, s, size=14, fill=INK, anchor="middle", weight="normal", italic=False):
        style = f"{FONT};font-size:{size}px"
        if italic:
            style += ";font-style:italic"
        self.add(f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" fill="{fill}" font-weight="{weight}" '
                 f'style="{style}">{esc(s)}</text>')

    def line(self, x1, y1, x2, y2, stroke=GREY, width=2, arrow=False, dash="", red=False):
        if red:
            stroke, arrow = RED, True
        marker = stroke if stroke in (GREY, RED, GREEN, ORANGE, BLUE) else GREY
        extra = f' marker-end="url(#arrow-{marker[1:]})"' if arrow else ""
        if dash:
            extra += f' stroke-dasharray="{dash}"'
        self.add(f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{stroke}" '
                 f'stroke-width="{width}"{extra}/>')

    def circle(self, x, y, r, fill=LIGHT, stroke=BLUE, width=2):
        self.add(f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>')

    def rect(self, x, y, w, h, fill=LIGHT, stroke=BLUE, width=2, rx=8):
        self.add(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx}" fill="{fill}" '
                 f'stroke="{stroke}" stroke-width="{width}"/>')

    def polyline(self, points, stroke=BLUE, width=3, dash=""):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width}" '
                 f'stroke-linejoin="round"{extra}/>')

    def box(self, x, y, w, h, label, stroke=BLUE, fill=LIGHT, size=14, sub=""):
        self.rect(x, y, w, h, fill=fill, stroke=stroke)
        if sub:
            self.text(x + w / 2, y + h / 2 - 3, label, size=size)
            self.text(x + w / 2, y + h / 2 + 15, sub, size=size - 3, fill=GREY)
        else:
            self.text(x + w / 2, y + h / 2 + size / 3, label, size=size)

    def grid(self, x, y, values, cell=22, color=INK, show=True, highlight=None, size=12):
        """A table of numbers; cells with value > 0 are shaded. ``highlight``: (r0, c0, rows, cols)."""
        vmax = max(max(abs(v) for v in row) for row in values) or 1
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                shade = 0.85 * max(v, 0) / vmax
                fill = f"rgb({int(255 - 200 * shade)},{int(255 - 150 * shade)},{int(255 - 60 * shade)})"
                self.add(f'<rect x="{x + c * cell:g}" y="{y + r * cell:g}" width="{cell}" height="{cell}" '
                         f'fill="{fill}" stroke="#a0aec0" stroke-width="1"/>')
                if show:
                    label = f"{v:g}"
                    self.text(x + c * cell + cell / 2, y + r * cell + cell / 2 + size / 3, label, size=size,
                              fill="#ffffff" if shade > 0.5 else color)
        if highlight:
            r0, c0, rr, cc = highlight
            self.add(f'<rect x="{x + c0 * cell:g}" y="{y + r0 * cell:g}" width="{cc * cell}" height="{rr * cell}" '
                     f'fill="none" stroke="{ORANGE}" stroke-width="3"/>')

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.parts + ["</svg>"]) + "\n", encoding="utf-8")


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def T(lang: str, en: str, nl: str) -> str:
    return en if lang == "en" else nl


# ----------------------------------------------------------------------------------------------
def ml_vs_dl(lang: str) -> Svg:
    s = Svg(720, 300, T(lang, "Machine learning versus deep learning", "Machinaal leren versus deep learning"),
            T(lang, "Top: a person designs the features and a model classifies them. Bottom: a deep network "
                    "learns the features and the classification together.",
                    "Boven: een mens bedenkt de kenmerken en een model classificeert ze. Onder: een diep netwerk "
                    "leert de kenmerken en de classificatie samen."))
    s.text(20, 30, T(lang, "Classic machine learning", "Klassiek machinaal leren"), size=16, anchor="start", weight="bold")
    s.box(20, 50, 110, 60, T(lang, "photo", "foto"), stroke=GREY)
    s.box(170, 50, 190, 60, T(lang, "features by hand", "kenmerken met de hand"), stroke=ORANGE,
          sub=T(lang, "wheels? windows?", "wielen? ramen?"))
    s.box(400, 50, 150, 60, T(lang, "classifier", "classificatie"), stroke=BLUE)
    s.box(590, 50, 110, 60, T(lang, "car / no car", "auto / geen auto"), stroke=GREEN, size=13)
    for x1, x2 in ((130, 170), (360, 400), (550, 590)):
        s.line(x1, 80, x2 - 2, 80, arrow=True)
    s.text(20, 170, "Deep learning", size=16, anchor="start", weight="bold")
    s.box(20, 190, 110, 60, T(lang, "photo", "foto"), stroke=GREY)
    s.rect(170, 185, 380, 70, stroke=PURPLE)
    s.text(360, 212, T(lang, "deep neural network", "diep neuraal netwerk"), size=14)
    s.text(360, 235, T(lang, "learns the features AND the classification", "leert de kenmerken EN de classificatie"),
           size=12, fill=GREY)
    s.box(590, 190, 110, 60, T(lang, "car / no car", "auto / geen auto"), stroke=GREEN, size=13)
    s.line(130, 220, 168, 220, arrow=True)
    s.line(550, 220, 588, 220, arrow=True)
    s.text(360, 287, T(lang, "No person decides which features matter: the network finds them in the examples.",
                       "Niemand beslist welke kenmerken belangrijk zijn: het netwerk vindt ze in de voorbeelden."),
           size=12, fill=GREY)
    return s


def neuron(lang: str) -> Svg:
    s = Svg(640, 280, T(lang, "One artificial neuron", "Eén artificieel neuron"),
            T(lang, "Three inputs are multiplied by their weights and added together with the bias. "
                    "An activation function turns that weighted sum into the output.",
                    "Drie inputs worden vermenigvuldigd met hun gewicht en opgeteld, samen met de bias. "
                    "Een activatiefunctie maakt van die gewogen som de output."))
    ys = (60, 140, 220)
    for i, y in enumerate(ys, 1):
        s.circle(60, y, 26, stroke=BLUE)
        s.text(60, y + 5, f"x{i}", size=16)
        s.line(86, y, 300, 140 + (y - 140) * 0.25, arrow=True)
        mx, my = 185, y + (140 + (y - 140) * 0.25 - y) * 0.45
        s.text(mx, my - 8, f"w{i}", size=15, fill=ORANGE, weight="bold")
    s.text(60, 22, "inputs", size=13, fill=GREY)
    s.circle(340, 140, 42, stroke=PURPLE)
    s.text(340, 136, "Σ", size=24)
    s.text(340, 158, "+ b", size=14, fill=ORANGE)
    s.text(340, 210, T(lang, "weighted sum", "gewogen som"), size=13, fill=GREY)
    s.line(382, 140, 440, 140, arrow=True)
    s.rect(442, 110, 70, 60, stroke=PURPLE)
    s.text(477, 146, "f", size=22, italic=True)
    s.text(477, 200, T(lang, "activation", "activatie"), size=13, fill=GREY)
    s.line(512, 140, 570, 140, arrow=True)
    s.circle(600, 140, 26, stroke=GREEN)
    s.text(600, 145, "y", size=16)
    s.text(600, 100, "output", size=13, fill=GREY)
    s.text(320, 268, "y = f( w1·x1 + w2·x2 + w3·x3 + b )", size=15)
    return s


def activations(lang: str) -> Svg:
    s = Svg(720, 250, T(lang, "Three activation functions", "Drie activatiefuncties"),
            T(lang, "Plots of the threshold (step) function, the sigmoid and ReLU for inputs from -4 to 4.",
                    "Grafieken van de drempelfunctie (stapfunctie), de sigmoïde en ReLU voor inputs van -4 tot 4."))
    funcs = [
        (T(lang, "threshold", "drempel (stap)"), lambda x: 1.0 if x >= 0 else 0.0, ORANGE, (0, 1)),
        ("sigmoid", lambda x: 1 / (1 + math.exp(-x)), BLUE, (0, 1)),
        ("ReLU", lambda x: max(x, 0.0), GREEN, (0, 4)),
    ]
    for k, (name, f, color, (lo, hi)) in enumerate(funcs):
        x0, y0, w, h = 30 + k * 235, 40, 200, 160
        s.text(x0 + w / 2, 25, name, size=15, weight="bold")
        s.line(x0, y0 + h, x0 + w, y0 + h, stroke="#cbd5e0", width=1)
        zero_y = y0 + h - (0 - lo) / (hi - lo) * h
        s.line(x0, zero_y, x0 + w, zero_y, stroke=GREY, width=1)
        s.line(x0 + w / 2, y0, x0 + w / 2, y0 + h, stroke=GREY, width=1)
        pts = []
        for i in range(201):
            x = -4 + 8 * i / 200
            y = f(x)
            pts.append((x0 + w * i / 200, y0 + h - (y - lo) / (hi - lo) * h))
        if name.startswith(("threshold", "drempel")):
            s.polyline(pts[:100], stroke=color)
            s.polyline(pts[100:], stroke=color)
        else:
            s.polyline(pts, stroke=color)
        s.text(x0 + w / 2 - 6, y0 + 10, f"{hi:g}", size=11, fill=GREY, anchor="end")
        s.text(x0, y0 + h + 16, "-4", size=11, fill=GREY)
        s.text(x0 + w, y0 + h + 16, "4", size=11, fill=GREY)
        s.text(x0 + w / 2, y0 + h + 16, "0", size=11, fill=GREY)
    s.text(360, 240, T(lang, "horizontal: the weighted sum z  ·  vertical: the output f(z)",
                       "horizontaal: de gewogen som z  ·  verticaal: de output f(z)"), size=12, fill=GREY)
    return s


def network(lang: str) -> Svg:
    s = Svg(640, 330, T(lang, "A neural network with layers", "Een neuraal netwerk met lagen"),
            T(lang, "An input layer with 3 neurons, two hidden layers with 4 neurons each and an output layer "
                    "with 2 neurons. Every neuron is connected to every neuron in the next layer.",
                    "Een inputlaag met 3 neuronen, twee verborgen lagen met elk 4 neuronen en een outputlaag "
                    "met 2 neuronen. Elk neuron is verbonden met elk neuron in de volgende laag."))
    layers = [3, 4, 4, 2]
    xs = [80, 240, 400, 560]
    colors = [BLUE, PURPLE, PURPLE, GREEN]
    pos = []
    for n, x in zip(layers, xs):
        top = 160 - (n - 1) * 30
        pos.append([(x, top + i * 60) for i in range(n)])
    for a, b in zip(pos, pos[1:]):
        for (x1, y1) in a:
            for (x2, y2) in b:
                s.line(x1 + 20, y1, x2 - 20, y2, stroke="#cbd5e0", width=1.5)
    for layer, color in zip(pos, colors):
        for (x, y) in layer:
            s.circle(x, y, 20, stroke=color)
    labels = [T(lang, "input layer", "inputlaag"), T(lang, "hidden layer 1", "verborgen laag 1"),
              T(lang, "hidden layer 2", "verborgen laag 2"), T(lang, "output layer", "outputlaag")]
    for x, label in zip(xs, labels):
        s.text(x, 300, label, size=13)
    s.text(320, 24, T(lang, "deep = more than one hidden layer", "diep = meer dan één verborgen laag"), size=14,
           fill=GREY)
    return s


def descent(lang: str) -> Svg:
    s = Svg(720, 280, T(lang, "Gradient descent with a small and a large learning rate",
                        "Gradient descent met een kleine en een grote learning rate"),
            T(lang, "Two copies of the same bowl-shaped loss curve. Left: small steps slowly reach the bottom. "
                    "Right: steps that are too large jump over the bottom and climb higher and higher.",
                    "Twee keer dezelfde komvormige kostcurve. Links: kleine stapjes bereiken traag de bodem. "
                    "Rechts: te grote stappen springen over de bodem en komen steeds hoger uit."))

    def panel(x0, lr, title, color, steps):
        w, h, y0 = 300, 190, 50
        f = lambda w_: (w_ - 2) ** 2
        sx = lambda w_: x0 + (w_ + 1) / 6 * w
        sy = lambda v: y0 + h - v / 9 * h
        s.text(x0 + w / 2, 30, title, size=15, weight="bold")
        s.polyline([(sx(-1 + 6 * i / 100), sy(f(-1 + 6 * i / 100))) for i in range(101)], stroke=GREY, width=2)
        w_ = -0.6 if lr < 0.5 else 1.4
        pts = [(w_, f(w_))]
        for _ in range(steps):
            w_ = w_ - lr * 2 * (w_ - 2)
            pts.append((w_, f(w_)))
        for (a, fa), (b, fb) in zip(pts, pts[1:]):
            if fb <= 9.5 and fa <= 9.5:
                s.line(sx(a), sy(fa), sx(b), sy(fb), stroke=color, width=2, arrow=True)
        for a, fa in pts:
            if fa <= 9.5:
                s.circle(sx(a), sy(fa), 5, fill=color, stroke=color)
        s.text(sx(pts[0][0]) + 10, sy(pts[0][1]) - 10, "start", size=12, fill=color, anchor="start", weight="bold")
        s.text(x0 + w / 2, y0 + h + 25, T(lang, "left-right: weight w  ·  height: loss",
                                          "links-rechts: gewicht w  ·  hoogte: kost"), size=12, fill=GREY)

    panel(40, 0.15, T(lang, "learning rate 0.15: slow but sure", "learning rate 0.15: traag maar zeker"), GREEN, 8)
    panel(390, 1.1, T(lang, "learning rate 1.1: too big!", "learning rate 1.1: te groot!"), RED, 6)
    return s


def backprop(lang: str) -> Svg:
    s = Svg(720, 250, T(lang, "Backpropagation: forward and backward", "Backpropagation: heen en terug"),
            T(lang, "A chain input, hidden neuron, output, loss. Grey arrows go forward and compute the output. "
                    "Red arrows go backward and carry how much each weight is to blame for the error.",
                    "Een ketting input, verborgen neuron, output, kost. Grijze pijlen gaan vooruit en berekenen de "
                    "output. Rode pijlen gaan terug en dragen mee hoeveel elk gewicht schuld heeft aan de fout."))
    nodes = [(70, "x", BLUE), (250, "h", PURPLE), (430, "y", GREEN), (620, T(lang, "loss", "kost"), RED)]
    for x, label, color in nodes:
        s.circle(x, 100, 34, stroke=color)
        s.text(x, 105, label, size=16)
    weights = ["w1", "w2", ""]
    for (x1, _, _), (x2, _, _), wname in zip(nodes, nodes[1:], weights):
        s.line(x1 + 36, 90, x2 - 38, 90, arrow=True)
        s.line(x2 - 36, 112, x1 + 38, 112, stroke=RED, red=True)
        if wname:
            s.text((x1 + x2) / 2, 78, wname, size=15, fill=ORANGE, weight="bold")
    s.text(360, 30, T(lang, "1. forward: compute the prediction and the loss",
                      "1. vooruit: bereken de voorspelling en de kost"), size=14, fill=GREY)
    s.text(360, 170, T(lang, "2. backward: how much does the loss change if a weight changes a little?",
                       "2. terug: hoeveel verandert de kost als een gewicht een beetje verandert?"), size=14, fill=RED)
    s.text(360, 205, T(lang, "3. update: every weight takes a small step that lowers the loss",
                       "3. aanpassen: elk gewicht zet een stapje dat de kost verlaagt"), size=14, fill=GREEN)
    s.text(360, 235, "dL/dw1 = dL/dy · dy/dh · dh/dw1", size=14)
    return s


def batches(lang: str) -> Svg:
    s = Svg(720, 260, T(lang, "Stochastic, mini-batch and batch gradient descent",
                        "Stochastische, mini-batch en batch gradient descent"),
            T(lang, "Twelve training examples as squares. Stochastic: one update per example. "
                    "Mini-batch: one update per group of four. Batch: one update for all twelve.",
                    "Twaalf trainingsvoorbeelden als vierkantjes. Stochastisch: één aanpassing per voorbeeld. "
                    "Mini-batch: één aanpassing per groep van vier. Batch: één aanpassing voor alle twaalf."))
    rows = [(T(lang, "stochastic", "stochastisch"), 1, ORANGE), ("mini-batch", 4, PURPLE), ("batch", 12, BLUE)]
    for r, (name, size, color) in enumerate(rows):
        y = 40 + r * 75
        s.text(20, y + 22, name, size=14, anchor="start", weight="bold")
        for i in range(12):
            s.rect(160 + i * 34, y, 26, 26, stroke=color, rx=3)
        for g in range(12 // size):
            x1 = 160 + g * size * 34 - 3
            x2 = 160 + (g + 1) * size * 34 - 11
            s.add(f'<path d="M{x1},{y + 34} Q{(x1 + x2) / 2},{y + 50} {x2},{y + 34}" fill="none" '
                  f'stroke="{color}" stroke-width="2"/>')
        n = 12 // size
        s.text(590, y + 22, T(lang, f"{n} update{'s' if n > 1 else ''}", f"{n} aanpassing{'en' if n > 1 else ''}"),
               size=14, anchor="start", fill=color)
    s.text(360, 250, T(lang, "one pass over all 12 examples = one epoch", "één keer door alle 12 voorbeelden = één epoch"),
           size=13, fill=GREY)
    return s


SMILEY = [
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 1, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0],
    [0, 1, 0, 0, 0, 1, 0],
    [0, 0, 1, 1, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
]
KERNEL = [[0, 0, 1], [1, 0, 0], [0, 1, 1]]


def convolve(img, k):
    n, m = len(img), len(k)
    return [[sum(img[i + a][j + b] * k[a][b] for a in range(m) for b in range(m)) for j in range(n - m + 1)]
            for i in range(n - m + 1)]


def convolution(lang: str) -> Svg:
    fmap = convolve(SMILEY, KERNEL)
    s = Svg(720, 260, T(lang, "A convolution", "Een convolutie"),
            T(lang, "A 7 by 7 image of a smiley, a 3 by 3 filter and the 5 by 5 feature map. The orange square "
                    f"shows one position of the filter, over the mouth; there the sum of the products is {fmap[3][1]}.",
                    "Een afbeelding van 7 op 7 met een smiley, een filter van 3 op 3 en de feature map van 5 op 5. "
                    f"Het oranje vierkant toont één plaats van de filter, op de mond; daar is de som van de producten {fmap[3][1]}."))
    s.text(105, 25, T(lang, "image (7×7)", "afbeelding (7×7)"), size=14, weight="bold")
    s.grid(28, 40, SMILEY, highlight=(3, 1, 3, 3))
    s.text(250, 140, "×", size=28)
    s.text(320, 85, T(lang, "filter (3×3)", "filter (3×3)"), size=14, weight="bold")
    s.grid(287, 100, KERNEL)
    s.text(400, 140, "=", size=28)
    s.text(535, 25, T(lang, "feature map (5×5)", "feature map (5×5)"), size=14, weight="bold")
    s.grid(480, 40, fmap, highlight=(3, 1, 1, 1))
    s.text(360, 230, T(lang, "Slide the filter over the image. At each spot: multiply cell by cell, then add up.",
                       "Schuif de filter over de afbeelding. Op elke plek: vermenigvuldig cel per cel en tel op."),
           size=13, fill=GREY)
    return s


def cnn(lang: str) -> Svg:
    s = Svg(720, 230, T(lang, "The structure of a CNN", "De structuur van een CNN"),
            T(lang, "An image goes through a convolution layer that makes feature maps, a pooling layer that makes "
                    "them smaller, a flatten step that turns them into one long list, and dense layers that classify.",
                    "Een afbeelding gaat door een convolutielaag die feature maps maakt, een poolinglaag die ze "
                    "kleiner maakt, een flatten-stap die er één lange lijst van maakt en dense lagen die classificeren."))
    s.rect(20, 70, 80, 80, stroke=GREY)
    s.text(60, 116, "28×28", size=13)
    for i in range(4):
        s.rect(150 + i * 10, 55 + i * 10, 70, 70, stroke=PURPLE, fill="#faf5ff")
    s.text(220, 180, T(lang, "feature maps", "feature maps"), size=12, fill=GREY)
    for i in range(4):
        s.rect(290 + i * 8, 80 + i * 8, 40, 40, stroke=ORANGE, fill="#fffaf0")
    s.text(330, 180, "pooling", size=12, fill=GREY)
    for i in range(10):
        s.rect(410, 30 + i * 15, 14, 13, stroke=BLUE, rx=2)
    s.text(417, 200, "flatten", size=12, fill=GREY)
    for i in range(5):
        s.circle(500, 50 + i * 30, 10, stroke=PURPLE)
    s.text(500, 210, "dense", size=12, fill=GREY)
    for i, d in enumerate(("0", "1", "…", "9")):
        s.circle(600, 55 + i * 35, 12, stroke=GREEN)
        s.text(625, 60 + i * 35, d, size=13, anchor="start")
    s.text(600, 210, T(lang, "10 classes", "10 klassen"), size=12, fill=GREY)
    for x1, x2, y in ((100, 148, 110), (250, 288, 110), (355, 405, 110), (425, 488, 110), (512, 586, 110)):
        s.line(x1, y, x2, y, arrow=True)
    s.text(185, 30, T(lang, "convolution", "convolutie"), size=13, weight="bold")
    return s


def rnn(lang: str) -> Svg:
    s = Svg(720, 260, T(lang, "A recurrent network, unrolled in time", "Een recurrent netwerk, uitgerold in de tijd"),
            T(lang, "The same cell reads the words of a sentence one by one. Its memory (the hidden state) is "
                    "passed from step to step, so the last step knows the whole sentence.",
                    "Dezelfde cel leest de woorden van een zin één voor één. Haar geheugen (de verborgen toestand) "
                    "gaat van stap naar stap, zodat de laatste stap de hele zin kent."))
    words = T(lang, "I|love|this|film", "wat|een|toffe|film").split("|")
    for i, wd in enumerate(words):
        x = 90 + i * 150
        s.text(x, 225, f'"{wd}"', size=14)
        s.line(x, 205, x, 162, arrow=True)
        s.rect(x - 45, 100, 90, 60, stroke=PURPLE)
        s.text(x, 136, T(lang, "cell", "cel"), size=14)
        if i < len(words) - 1:
            s.line(x + 45, 130, x + 103, 130, stroke=ORANGE, width=3, arrow=True)
            s.text(x + 75, 120, "h", size=13, fill=ORANGE, italic=True)
    s.line(540 + 45, 130, 628, 130, stroke=ORANGE, width=3, arrow=True)
    s.box(630, 105, 85, 50, T(lang, "positive?", "positief?"), stroke=GREEN, size=13)
    s.text(360, 40, T(lang, "the same weights at every step; the memory h carries the past along",
                      "dezelfde gewichten bij elke stap; het geheugen h draagt het verleden mee"), size=14, fill=GREY)
    s.text(360, 65, "LSTM / GRU = " + T(lang, "a cell with gates that decide what to remember",
                                         "een cel met poortjes die beslissen wat ze onthoudt"), size=13, fill=GREY)
    return s


def autoencoder(lang: str) -> Svg:
    s = Svg(720, 250, T(lang, "A denoising autoencoder", "Een ruisonderdrukkende autoencoder"),
            T(lang, "A noisy image enters the encoder, which squeezes it into a short code. The decoder rebuilds a "
                    "clean image from that code.",
                    "Een afbeelding met ruis gaat de encoder in, die ze samenperst tot een korte code. De decoder "
                    "bouwt uit die code een propere afbeelding op."))
    s.rect(20, 75, 90, 90, stroke=GREY)
    s.text(65, 125, T(lang, "noisy", "met ruis"), size=13)
    s.add(f'<polygon points="140,50 300,95 300,145 140,190" fill="#ebf8ff" stroke="{BLUE}" stroke-width="2"/>')
    s.text(210, 125, "encoder", size=14)
    s.rect(320, 95, 60, 50, stroke=ORANGE, fill="#fffaf0")
    s.text(350, 125, "code", size=13)
    s.add(f'<polygon points="400,95 560,50 560,190 400,145" fill="#f0fff4" stroke="{GREEN}" stroke-width="2"/>')
    s.text(490, 125, "decoder", size=14)
    s.rect(600, 75, 90, 90, stroke=GREY)
    s.text(645, 125, T(lang, "clean", "proper"), size=13)
    for x1, x2 in ((110, 138), (300, 318), (380, 398), (560, 598)):
        s.line(x1, 120, x2, 120, arrow=True)
    s.text(360, 30, T(lang, "64 numbers  →  16 numbers  →  64 numbers", "64 getallen  →  16 getallen  →  64 getallen"),
           size=14, fill=GREY)
    s.text(360, 230, T(lang, "Trained on pairs (noisy image, clean image): the narrow code has no room for the noise.",
                       "Getraind op paren (afbeelding met ruis, propere afbeelding): de smalle code heeft geen plaats voor ruis."),
           size=12, fill=GREY)
    return s


def generative(lang: str) -> Svg:
    s = Svg(720, 230, T(lang, "Classification versus generation", "Classificatie versus generatie"),
            T(lang, "Top: a classification model gets an image and answers with a label, P(Y|X). Bottom: a generative "
                    "model gets a label and makes a new image, P(X|Y).",
                    "Boven: een classificatiemodel krijgt een afbeelding en antwoordt met een label, P(Y|X). Onder: "
                    "een generatief model krijgt een label en maakt een nieuwe afbeelding, P(X|Y)."))
    s.box(30, 30, 130, 60, T(lang, "image of a 7", "beeld van een 7"), stroke=GREY, size=13)
    s.box(250, 30, 220, 60, T(lang, "classification model", "classificatiemodel"), stroke=BLUE, sub="P(Y | X)")
    s.box(560, 30, 130, 60, T(lang, 'label "7"', 'label "7"'), stroke=GREEN, size=13)
    s.line(160, 60, 248, 60, arrow=True)
    s.line(470, 60, 558, 60, arrow=True)
    s.box(30, 140, 130, 60, T(lang, 'label "7"', 'label "7"'), stroke=GREEN, size=13)
    s.box(250, 140, 220, 60, T(lang, "generative model", "generatief model"), stroke=PURPLE, sub="P(X | Y)")
    s.box(560, 140, 130, 60, T(lang, "new image of a 7", "nieuw beeld van een 7"), stroke=GREY, size=12)
    s.line(160, 170, 248, 170, arrow=True)
    s.line(470, 170, 558, 170, arrow=True)
    return s


def split(lang: str) -> Svg:
    s = Svg(720, 170, T(lang, "Training set and test set", "Trainingsset en testset"),
            T(lang, "A bar with all labelled examples: 80 percent is used to train the model, 20 percent is kept "
                    "apart as a test set that the model never sees during training.",
                    "Een balk met alle gelabelde voorbeelden: 80 procent dient om het model te trainen, 20 procent "
                    "houden we apart als testset die het model tijdens het trainen nooit ziet."))
    s.rect(40, 50, 512, 60, stroke=BLUE, fill="#ebf8ff", rx=4)
    s.text(296, 86, T(lang, "training set (80 %)", "trainingsset (80 %)"), size=15)
    s.rect(552, 50, 128, 60, stroke=ORANGE, fill="#fffaf0", rx=4)
    s.text(616, 86, T(lang, "test set (20 %)", "testset (20 %)"), size=14)
    s.text(360, 30, T(lang, "all labelled examples", "alle gelabelde voorbeelden"), size=14, fill=GREY)
    s.text(296, 140, T(lang, "the model learns from these", "hier leert het model van"), size=13, fill=BLUE)
    s.text(616, 140, T(lang, "only for the final exam", "enkel voor het eindexamen"), size=13, fill=ORANGE)
    return s


def confusion(lang: str) -> Svg:
    s = Svg(520, 300, T(lang, "A confusion matrix for a disease test", "Een verwarringsmatrix voor een ziektetest"),
            T(lang, "Rows: what is true (sick, healthy). Columns: what the model says. 8 true positives, 2 false "
                    "negatives, 5 false positives and 85 true negatives.",
                    "Rijen: wat echt zo is (ziek, gezond). Kolommen: wat het model zegt. 8 terecht positief, 2 vals "
                    "negatief, 5 vals positief en 85 terecht negatief."))
    cells = [[("8", T(lang, "true positive", "terecht positief"), GREEN), ("2", T(lang, "false negative", "vals negatief"), RED)],
             [("5", T(lang, "false positive", "vals positief"), RED), ("85", T(lang, "true negative", "terecht negatief"), GREEN)]]
    s.text(330, 30, T(lang, "the model says", "het model zegt"), size=14, weight="bold")
    s.text(250, 60, T(lang, "sick", "ziek"), size=14)
    s.text(410, 60, T(lang, "healthy", "gezond"), size=14)
    s.text(100, 60, T(lang, "truth", "echt"), size=14, weight="bold")
    s.text(100, 125, T(lang, "sick", "ziek"), size=14)
    s.text(100, 225, T(lang, "healthy", "gezond"), size=14)
    for r in range(2):
        for c in range(2):
            n, name, color = cells[r][c]
            x, y = 170 + c * 160, 75 + r * 100
            s.rect(x, y, 160, 100, stroke=color, fill="#ffffff", rx=0)
            s.text(x + 80, y + 48, n, size=26, fill=color, weight="bold")
            s.text(x + 80, y + 75, name, size=12, fill=GREY)
    return s


FIGURES = {name: globals()[name] for name in USES}


def main() -> None:
    count = 0
    for name, numbers in USES.items():
        for lang, base in FOLDERS.items():
            svg = FIGURES[name](lang)
            for number in numbers:
                folders = sorted(base.glob(f"{number}_*"))
                if len(folders) != 1:
                    raise SystemExit(f"expected one folder {number}_* in {base}, found {len(folders)}")
                svg.save(folders[0] / "img" / f"{name}.svg")
                count += 1
    print(f"wrote {count} SVG files")


if __name__ == "__main__":
    main()
