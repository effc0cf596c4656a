"""What the database can store: the one place for the limits of the compiled-content columns.

``learningpaths/paths/models.py`` declares its fields with these constants
(``models.CharField(max_length=limits.TITLE_MAX)``), so the compiler checks exactly what the
database enforces and the two cannot drift (the compiler never imports Django; the models import
this plain module). ``tests/compiler/test_limits.py`` walks every field of those models and checks
that the compiler reports a value past its limit at file:line.

PostgreSQL refuses a NUL character in text and JSON, and no database can store a lone UTF-16
surrogate as UTF-8 (SQLite takes it and every reader fails later): :func:`bad_char` finds both.
"""

from __future__ import annotations

import re

# CharField max_length, by column
HRUID_MAX = 200  # LearningObject.hruid, LearningPath.hruid
LANGUAGE_MAX = 8  # LearningObject.language, LearningPath.language
UUID_MAX = 64  # LearningObject.uuid
TITLE_MAX = 500  # LearningObject.title, LearningPath.title
CONTENT_TYPE_MAX = 40  # LearningObject.content_type
COPYRIGHT_MAX = 500  # LearningObject.copyright
LICENCE_MAX = 500  # LearningObject.licence
CONTENT_LOCATION_MAX = 2000  # LearningObject.content_location
ASPECT_RATIO_MAX = 20  # LearningObject.aspect_ratio
COMPLETION_MAX = 10  # LearningObject.completion
RUNTIME_MAX = 5  # LearningObject.runtime
SOURCE_PATH_MAX = 1000  # LearningObject.source_path, LearningPath.source_path
HASH_MAX = 64  # content_hash and ObjectAsset.sha256: sha256 hex digests
ASSET_PATH_MAX = 1000  # ObjectAsset.path
MIME_MAX = 100  # ObjectAsset.mime
QUESTION_ID_MAX = 100  # Question.qid
QUESTION_KIND_MAX = 40  # Question.kind
IMAGE_MIME_MAX = 40  # LearningPath.image_mime

# integer columns: IntegerField is 32-bit on every backend Django supports, BigIntegerField 64-bit
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
# a whole number inside a JSON field: SQLite's JSON functions and jsonb comparisons stay exact in 64 bits
JSON_INT_MAX = BIGINT_MAX

# A JSON value a student's browser sends (an answer, a returned value), checked at the door
# (core/bodies.py), by the writers (core/jsonvalues.py) and against callback schemas
# (compiler/callback_schema.py): far beyond any real one (they nest fewer than 5 levels).
VALUE_DEPTH_MAX = 32  # nesting of lists and mappings
VALUE_ITEMS_MAX = 10_000  # values in one, keys not counted

# NUL and lone surrogates (a str never holds a valid pair): the one pattern for "cannot be stored",
# also used by the request-body layer and the writers' guard (core/bodies.py, core/jsonvalues.py)
UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")


def bad_char(text: str) -> int:
    """The index of the first NUL or lone surrogate in ``text``, or -1 when it can be stored."""
    found = UNSTORABLE_CHAR.search(text)
    return found.start() if found else -1


def describe_char(ch: str) -> str:
    """'a NUL character (U+0000)' or 'a lone surrogate (U+D800)', for diagnostics."""
    what = "a NUL character" if ch == "\x00" else "a lone surrogate"
    return f"{what} (U+{ord(ch):04X})"
