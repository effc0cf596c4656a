"""Stable diagnostic codes. Each member's docstring-style comment says when it is reported.

Codes are strings such as ``lp.field_missing`` so authors can grep and suppress by family.
Add members; never rename or reuse one.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    # the compiler itself
    INTERNAL = "lp.internal"  #: the compiler failed on this file outside the renderer (a bug: please report it)
    # discovery / reading
    READ = "lp.read"  #: a file cannot be read or is not UTF-8
    NESTED_OBJECT = "lp.nested_object"  #: an object folder inside another object folder
    AMBIGUOUS_SOURCE = "lp.ambiguous_source"  #: a folder has more than one of index.md/metadata.md/metadata.yaml
    # parsing
    FRONT_MATTER = "lp.front_matter"  #: YAML front matter is malformed or not a mapping
    PATH_SYNTAX = "lp.path_syntax"  #: a learning-path file is not valid JSON/YAML
    # validation of fields
    FIELD_MISSING = "lp.field_missing"
    FIELD_TYPE = "lp.field_type"
    FIELD_VALUE = "lp.field_value"
    FIELD_UNKNOWN = "lp.field_unknown"
    FIELD_LENIENT = "lp.field_lenient"  #: accepted but sloppy (version as string, skos as link, ...)
    PLACEHOLDER = "lp.placeholder"  #: a template placeholder value, treated as empty
    CONTENT_TYPE = "lp.content_type"  #: unknown content_type, or the file it needs is missing
    #: a value the database cannot store: text longer than its column, a whole number outside its
    #: integer range (the limits are in limits.py, which the models use too)
    FIELD_LIMIT = "lp.field_limit"
    #: a NUL character or a lone UTF-16 surrogate in a file or a value (YAML "\0", JSON "\ud800"):
    #: PostgreSQL refuses NUL in text and JSON, and a lone surrogate cannot be written as UTF-8
    TEXT_CHAR = "lp.text_char"
    #: return_value.callback_schema is not a valid JSON Schema for its draft (jsonschema's check_schema),
    #: names an unknown $schema, is nested too deeply, or has a $ref that does not resolve inside it
    #: (remote schemas are never fetched)
    CALLBACK_SCHEMA = "lp.callback_schema"
    # identity
    #: two objects with one (hruid, language, version), or two paths with one (hruid, language)
    DUPLICATE_ID = "lp.duplicate_id"
    # references
    REF_MISSING = "lp.ref_missing"  #: a reference to an object that does not exist
    REF_CYCLE = "lp.ref_cycle"  #: transclusions that embed each other
    REF_SYNTAX = "lp.ref_syntax"  #: a malformed @learning-object reference
    #: a reference names a version that does not exist while others do; the latest is used
    REF_VERSION = "lp.ref_version"
    REF_PATH = "lp.ref_path"  #: a link to a learning path that is not in the build
    # paths
    PATH_NODE_MISSING = "lp.path_node_missing"  #: a node names an object that does not exist
    PATH_NODE_DUPLICATE = "lp.path_node_duplicate"  #: the same object is a node of one path twice
    PATH_START = "lp.path_start"  #: zero or several start nodes
    PATH_UNREACHABLE = "lp.path_unreachable"  #: a node cannot be reached from the start node
    PATH_CYCLE = "lp.path_cycle"  #: a cycle with no exit
    PATH_TRANSITION = "lp.path_transition"  #: a transition to a node that is not in the path, or a bad condition
    PATH_IMAGE = "lp.path_image"  #: the image is not valid base64 / not an image
    # rendering
    ASSET_MISSING = "lp.asset_missing"  #: a relative link or image names a file that is not in the folder
    DIRECTIVE = "lp.directive"  #: an unknown or malformed @directive
    DIRECTIVE_OPTION = "lp.directive_option"  #: a bad option or parameter of a directive/widget
    UNSAFE_HTML = "lp.unsafe_html"  #: raw HTML that the sanitiser removed (script, event handler, iframe host)
    GIFT = "lp.gift"  #: a GIFT question that cannot be parsed
    QUESTION = "lp.question"  #: a malformed question block
    CELL = "lp.cell"  #: a malformed runnable cell, or one that failed with --execute
    #: a cell with ``returns=`` in an object without ``return_value.callback_schema``: the site
    #: would refuse the value, so nothing reaches the teacher
    CELL_RETURNS = "lp.cell_returns"
    TEACHER_BLOCK = "lp.teacher_block"  #: an unclosed or misplaced teacher-only block
    #: a relative link or image that leaves the object folder (``..``, absolute path)
    ASSET_OUTSIDE = "lp.asset_outside"
    IMAGE_ALT = "lp.image_alt"  #: an image without alt text
    IFRAME_HOST = "lp.iframe_host"  #: an embed (@youtube/@extern/@notebook, extern object) whose host is not allowed
    RENDER_INTERNAL = "lp.render_internal"  #: the renderer itself failed on this object (a bug; please report it)
