"""Routes outside ``/api/`` that an API client reaches with its token, as it reaches the API.

A view marked :func:`token_readable` is answered for the user of an ``Authorization: Token <key>``
header (``learningpaths.api.middleware`` resolves it; core knows no tokens): the files of a learning
object that the API's HTML links to, so that a teacher's client gets the images of teacher-only
material. Only GET and HEAD; every other route keeps judging the request by its session alone.
"""

from __future__ import annotations


def token_readable(view):
    view.token_readable = True
    return view
