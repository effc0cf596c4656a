"""XSS payloads, and a content tree that carries them through the real compiler.

Every payload, if it ever ran, would set ``window.__xss`` to its own tag (or the page title to
"XSS"), so a test can tell which one got through. The page's CSP would also block most of them;
the browser tests therefore also record every CSP violation (an attempted inline script is a
failure too) and check the DOM for event-handler attributes and ``javascript:`` URLs.
"""

from __future__ import annotations

import json
from pathlib import Path

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def run(tag: str) -> str:
    return f"window.__xss='{tag}'"


def user_payloads(tag: str) -> list[str]:
    """Short payloads for one user-typed field (class names allow 100 characters)."""
    return [
        f'"><img src=x onerror="{run(tag)}">',
        f"<script>{run(tag)}</script>",
        f"'><svg onload={run(tag)}>",
        "</textarea><script>document.title='XSS'</script>",
        f"javascript:{run(tag)}",
        f"{{{{7*7}}}}<b onmouseover={run(tag)}>b</b>",
    ]


def _html_lines() -> list[str]:
    lines = [
        f"<script>{run('script')}</script>",
        f'<img src="x.png" alt="i" onerror="{run("img")}">',
        f'<details open ontoggle="{run("details")}">d</details>',
        f'<math><mtext><table><mglyph><style><img src="x.png" alt="m" onerror="{run("mxss")}"></style></mglyph></table></mtext></math>',
        f'<a href="javascript:{run("ahref")}">a</a>',
        f'<a href="&#106;avascript:{run("aent")}">b</a>',
        f'<a href="java&#x09;script:{run("atab")}">c</a>',
        f'<iframe src="javascript:{run("iframe")}"></iframe>',
        "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
        f'<object data="javascript:{run("object")}"></object>',
        f'<embed src="javascript:{run("embed")}">',
        f'<input autofocus onfocus="{run("input")}">',
        f'<form action="javascript:{run("form")}"><button formaction="javascript:{run("formaction")}">go</button></form>',
        f'<meta http-equiv="refresh" content="0;url=javascript:{run("meta")}">',
        f'<base href="javascript:{run("base")}//">',
        f'<div style="background:url(javascript:{run("style")})">s</div>',
        f'<noscript><p title="</noscript><img src=x.png alt=n onerror={run("noscript")}>"></noscript>',
        f'<a href="https://example.org" onclick="{run("onclick")}">c</a>',
        f'<img src="data:text/html,<script>{run("data")}</script>" alt="d">',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
        '<div class="lp-widget" data-widget="neuron" '
        'data-params="{&quot;weights&quot;:&quot;&lt;img src=x onerror=document.title=`XSS`&gt;&quot;}">f</div>',
        f'<svg onload="{run("svg")}"><circle r="1"></circle></svg>',
    ]
    return lines


def markdown_body() -> str:
    parts = [f'# Heading <img src="x.png" alt="h" onerror="{run("heading")}">']
    parts += _html_lines()  # each in its own block: one bad block must not hide the others
    parts += [
        f"[md link](javascript:{run('mdlink')})",
        f"[md link2](<javascript:{run('mdlink2')}>)",
        f'![alt" onerror="{run("alt")}](x.png)',
        f'[t](https://example.org "t\\" onmouseover=\\"{run("title-attr")}")',
        f"Inline math \\\\( \\href{{javascript:{run('katex')}}}{{x}} \\\\) and $\\htmlData{{x=y}}{{z}}$ "
        f"and $\\url{{javascript:{run('katex2')}}}$",
        f'```python\nprint("<script>{run("code")}</script>")\n```',
        f'```python run id=c1\nprint("<img src=x onerror={run("cell")}>")\n```',
        # a text parameter: what a widget draws from data-params (numbers are refused at compile time)
        f"![w](@widget/neuron?title=%3C/script%3E%3Cimg%20src=x%20onerror={run('widget')}%3E)",
        "```question\nid: q1\nkind: open\n"
        f'prompt: "Prompt <img src=x.png alt=p onerror=\\"{run("prompt")}\\">"\n'
        f'feedback: "<img src=x.png alt=f onerror=\\"{run("feedback")}\\">"\n```',
        "```question\nid: q2\nkind: multiple_choice\nprompt: Pick\n"
        f'options: ["<img src=x.png alt=o onerror=\\"{run("option")}\\">", "two"]\nanswer: 1\n```',
        "```gift\n"
        f"::T<img src=x onerror={run('gift-title')}>:: Q <img src=x onerror={run('gift')}> "
        f"{{=<b onmouseover={run('gift-answer')}>a</b> ~b}}\n```",
        f'::: teacher Note <img src="x.png" alt="t" onerror="{run("teacher")}">\n'
        f"Teacher <script>{run('teacher-script')}</script>\n:::",
    ]
    return "\n\n".join(parts) + "\n"


def _front(hruid: str, body: str, **fields) -> str:
    values = {
        "hruid": hruid,
        "version": "1",
        "language": "en",
        "content_type": "text/markdown",
        "estimated_time": "5",
        "target_ages": "[12, 13]",
        **fields,
    }
    return "---\n" + "\n".join(f"{k}: {v}" for k, v in values.items()) + "\n---\n" + body


def write_content_tree(root: Path, *, search_word: str) -> Path:
    """A path of two objects: one full of payloads, one that accepts returned values."""
    q = json.dumps  # YAML accepts JSON strings: safe quoting of the payloads
    files = {
        "objects/xss/index.md": _front(
            "xss_obj",
            markdown_body() + f"\n{search_word} text to find.\n",
            title=q(f'Title <img src=x onerror="{run("title")}"> {search_word}'),
            description=q(f"Desc <script>{run('description')}</script>"),
            keywords=q([f"kw<img src=x onerror={run('keyword')}>", search_word]),
        ),
        "objects/xss/x.png": PNG,
        "objects/ret/index.md": _front(
            "xss_ret",
            "Train and return a note.\n",
            title=q("Returns"),
            description=q("Returns a value"),
            return_value=q(
                {
                    "callback_url": "/x",
                    "callback_schema": {
                        "type": "object",
                        "properties": {"note": {"type": "string", "maxLength": 500}},
                        "required": ["note"],
                    },
                }
            ),
        ),
        "learning_paths/xss.json": json.dumps(
            {
                "hruid": "xss_path",
                "language": "en",
                "title": f'Path <img src=x onerror="{run("path-title")}"> {search_word}',
                "description": f"<script>{run('path-description')}</script>",
                "keywords": [f"<b onmouseover={run('path-keyword')}>k</b>"],
                "nodes": [
                    {
                        "learningobject_hruid": "xss_obj",
                        "language": "en",
                        "version": "1",
                        "start_node": True,
                        "transitions": [
                            {"default": True, "next": {"hruid": "xss_ret", "language": "en", "version": "1"}}
                        ],
                    },
                    {"learningobject_hruid": "xss_ret", "language": "en", "version": "1"},
                ],
            }
        ),
    }
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root
