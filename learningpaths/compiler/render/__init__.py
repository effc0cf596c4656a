"""The renderer: one learning object's source -> sanitised student and teacher HTML.

``renderer`` holds ``render_object`` (the boundary the pipeline calls, with the one safety net)
and ``types`` the boundary types. ``content_types`` picks what to render per content type;
``markdown`` holds the one configured MarkdownIt with the ``plugins``; ``directives``, ``links``,
``media``, ``widgets``, ``cells``, ``gift``, ``questions``, ``forms``, ``fragments``,
``ct_schema`` build pieces; ``rawhtml`` rewrites author HTML; ``sanitize`` is the security
boundary. The author's guide is docs/authoring.md.
"""

from .renderer import render, render_object
from .types import TRANSCLUSION_MARKER, Reference, Rendered, RenderInput

__all__ = ["TRANSCLUSION_MARKER", "Reference", "RenderInput", "Rendered", "render", "render_object"]
