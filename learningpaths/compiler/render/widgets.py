"""Widgets: ``![Neuron](@widget/neuron?weights=0.5,-1&bias=0.2)`` → a placeholder the browser fills.

Output: ``<div class="lp-widget" data-widget="neuron" data-params="{…JSON…}" role="group"
aria-label="Neuron"></div>``. The widget name must be one of ``CompileOptions.widgets``; a widget
of the registry (:mod:`..widget_specs`) gets its parameters checked and typed (``weights=0.5,-1``
becomes ``[0.5, -1]``): an unknown name, a wrong type, a value out of range or an unknown choice is
an error at the line, with "did you mean", and the value is left out (the widget's default holds).
A site's own widget outside the registry gets its values as text. A ``file`` parameter names a file
in the object's folder (``model=digits_net.npz``): it is checked like a link and becomes its asset URL.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from ..codes import Code
from ..widget_specs import RENAMED, WIDGETS, ParamError
from .context import Doc, RenderContext, did_you_mean
from .media import attr

_NAME = re.compile(r"[a-z0-9_-]+")


def parse_params(query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def render_widget(ctx: RenderContext, doc: Doc, line0: int | None, rest: str, alt: str, teacher: bool = False) -> str:
    raw_name, _, query = rest.partition("?")
    name = unquote(raw_name).strip().strip("/")
    line, col = doc.line(line0), doc.col(line0, "@widget/")
    widgets = tuple(ctx.options.widgets)
    if name not in widgets:
        hint = did_you_mean(name, widgets) or "available widgets: " + ", ".join(widgets)
        ctx.error(doc, line, Code.DIRECTIVE_OPTION, f"unknown widget '{name}'", hint, col)
        return f'<div class="lp-widget lp-widget-missing" role="group" aria-label="{attr(alt or name)}"></div>'
    spec = WIDGETS.get(name)
    params: dict[str, object] = {}
    for key, value in parse_params(query):
        if not _NAME.fullmatch(key):
            ctx.error(
                doc,
                line,
                Code.DIRECTIVE_OPTION,
                f"widget parameter name '{key}' is not allowed; it was ignored",
                "parameter names use only a-z, 0-9, '_' and '-'",
                col,
            )
            continue
        if key in params:
            ctx.warn(
                doc, line, Code.DIRECTIVE_OPTION, f"widget parameter '{key}' is given twice; the last wins", "", col
            )
        if spec is None:
            params[key] = value
            continue
        param = spec.param(key)
        if param is None:
            known = [p.name for p in spec.params]
            hint = (
                f"'{key}' is called '{RENAMED[key]}' (as in Keras)"
                if RENAMED.get(key) in known
                else did_you_mean(key, known) or f"the parameters of {name} are {', '.join(known)}"
            )
            ctx.error(doc, line, Code.DIRECTIVE_OPTION, f"widget '{name}' has no parameter '{key}'", hint, col)
            continue
        try:
            params[key] = param.convert(value)
            if param.kind == "file":  # the page gets the asset's URL (and the asset is published)
                asset = ctx.resolve_asset(str(params[key]), doc, line0, teacher, what=f"widget '{name}': '{key}'")
                if asset.ok:
                    params[key] = asset.url
                else:
                    params.pop(key)
        except ParamError as exc:
            hint = did_you_mean(value.strip().lower(), param.choices) if param.choices else ""
            ctx.error(doc, line, Code.DIRECTIVE_OPTION, f"widget '{name}': '{key}' {exc}", hint, col)
            params.pop(key, None)
    data = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    label = alt or name
    return (
        f'<div class="lp-widget" data-widget="{attr(name)}" data-params="{attr(data)}" role="group"'
        f' aria-label="{attr(label)}"></div>'
    )
