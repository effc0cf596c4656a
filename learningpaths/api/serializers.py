"""Plain functions turning models into Dwengo-shaped dicts (LOR's JSON field names).

``_id`` is our stable, readable identity, not a database row id (row ids change when content is
rebuilt from scratch, and Dwengo's Mongo ids changed on every sync):
  - learning object: ``"<hruid>/<language>/<version>"``, e.g. ``"intro/en/3"``;
  - learning path: ``"<hruid>/<language>"``, so ``/api/learningPath/<_id>`` is the path's URL;
  - path node: ``"<path _id>:<object _id>"``, e.g. ``"deep/en:intro/en/3"``: unique in any answer,
    even one with many paths (an object is a node of one path at most once), where the object's own
    id would repeat across paths (``learningobject_hruid``/``language``/``version`` name the object);
  - transition: ``"<node _id>-><next object _id>"``, with ``#2``, ``#3`` ... for a second or third
    transition of one node to the same next node.
"""

from __future__ import annotations

import base64
from collections import Counter
from datetime import datetime

from learningpaths.paths.models import LearningObject, LearningPath


def object_id(obj: LearningObject) -> str:
    return f"{obj.hruid}/{obj.language}/{obj.version}"


def path_id(path: LearningPath) -> str:
    return f"{path.hruid}/{path.language}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def object_metadata(obj: LearningObject) -> dict:
    """``getMetadata`` and search results: the fields of Dwengo's learning-object document."""
    return {
        "_id": object_id(obj),
        "uuid": obj.uuid,
        "hruid": obj.hruid,
        "version": obj.version,
        "language": obj.language,
        "title": obj.title,
        "description": obj.description,
        "keywords": list(obj.keywords or []),
        "educational_goals": list(obj.educational_goals or []),
        "copyright": obj.copyright,
        "licence": obj.licence,
        "content_type": obj.content_type,
        "available": obj.available,
        "target_ages": list(obj.target_ages or []),
        "difficulty": obj.difficulty,
        "return_value": obj.return_value,
        "content_location": obj.content_location,
        "estimated_time": obj.estimated_time,
        "skos_concepts": list(obj.skos_concepts or []),
        "teacher_exclusive": obj.teacher_exclusive,
        "aspect_ratio": obj.aspect_ratio,
        "created_at": _iso(obj.created_at),
        "updatedAt": _iso(obj.updated_at),
    }


_NODE_OBJECT_FIELDS = (
    "title",
    "description",
    "content_type",
    "teacher_exclusive",
    "available",
    "estimated_time",
    "difficulty",
    "keywords",
    "target_ages",
    "educational_goals",
    "skos_concepts",
    "return_value",
    "licence",
    "copyright",
    "aspect_ratio",
    "uuid",
    "created_at",
    "updatedAt",
)


def _transitions(node_id: str, view) -> list[dict]:
    out, seen = [], Counter()
    for target, default, condition in view.next:
        target_id = object_id(target.object)
        seen[target_id] += 1
        suffix = f"#{seen[target_id]}" if seen[target_id] > 1 else ""
        out.append(
            {
                "_id": f"{node_id}->{target_id}{suffix}",
                "default": bool(default),
                "condition": condition or "",
                "next": {
                    "hruid": target.object.hruid,
                    "version": target.object.version,
                    "language": target.object.language,
                },
            }
        )
    return out


def path_node(view, *, path: LearningPath, start: bool) -> dict:
    """One node of ``/api/learningPath/<hruid>/<language>``: the node merged with its object's metadata.

    ``view`` is a ``paths.selectors.NodeView`` (teacher nodes already spliced out for students)."""
    obj = view.obj
    meta = object_metadata(obj)
    node_id = f"{path_id(path)}:{meta['_id']}"
    doc = {
        "_id": node_id,
        "learningobject_hruid": obj.hruid,
        "language": obj.language,
        "version": obj.version,
        "start_node": start,
        "transitions": _transitions(node_id, view),
    }
    doc.update({name: meta[name] for name in _NODE_OBJECT_FIELDS})
    return doc


def path_document(path: LearningPath, *, views, starts: set[int], keywords: list[str], done: set[str]) -> dict:
    """A learning path as Dwengo's ``/api/learningPath/<hruid>/<language>`` returns it."""
    ages = sorted({a for v in views for a in (v.obj.target_ages or []) if isinstance(a, (int, float))})
    return {
        "_id": path_id(path),
        "language": path.language,
        "hruid": path.hruid,
        "title": path.title,
        "description": path.description,
        "image": base64.b64encode(bytes(path.image)).decode("ascii") if path.image else None,
        "num_nodes": len(views),
        "num_nodes_left": sum(1 for v in views if v.obj.hruid not in done),
        "nodes": [path_node(v, path=path, start=v.node.pk in starts) for v in views],
        "keywords": " ".join(keywords),
        "target_ages": ages,
        "min_age": path.min_age,
        "max_age": path.max_age,
    }
