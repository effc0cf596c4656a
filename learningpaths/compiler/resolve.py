"""Phase 5, resolve: learning-path nodes -> objects, and the checks on the path graph.

* A node naming an object that does not exist is ``lp.path_node_missing``, a **warning**: real
  Dwengo repositories hold partial paths (and the shared samples name objects that are not in the
  samples). The node is dropped and its transitions are spliced into its predecessors, as Dwengo's
  viewer does for teacher-only nodes (WEB ``filterOutTeacherExclusiveContent``); a dropped start
  node hands "start" on to its successors. A path left with no node is an error.
* A transition to a node that is not in the path, or a ``condition`` that is not JSONPath
  (``jsonpath_ng.ext``, which accepts D1's ``$[?(@[0] == 0)]``), is ``lp.path_transition``.
* No start node: warning, the first node is used. Several (6 real Dwengo paths): warning, the
  first is used.
* Nodes are ordered breadth-first from the start node along the transitions (default first), then
  the rest in file order; those are ``lp.path_unreachable`` warnings. A cycle the learner cannot
  leave (a strongly connected component with no edge out) is ``lp.path_cycle``, an error.
"""

from __future__ import annotations

import warnings
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from .codes import Code
from .diagnostics import Reporter, did_you_mean
from .index import ObjectIndex
from .pathschema import NodeRef, NodeSpec, PathSpec
from .result import CompiledNode, CompiledPath, CompiledTransition, ObjectKey


@dataclass
class _Edge:
    target: ObjectKey
    default: bool
    condition: str


@lru_cache(maxsize=1024)
def condition_error(condition: str) -> str:
    """ "" when ``condition`` is a JSONPath (or empty/"true", i.e. unconditional), else the parser's message."""
    if condition.strip() in ("", "true"):
        return ""
    from jsonpath_ng.ext import parse  # the parser tables are built on first use; keep imports cheap

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parse(condition)
    except Exception as exc:  # noqa: BLE001 - jsonpath_ng raises several unrelated types
        return str(exc) or type(exc).__name__
    return ""


def resolve_path(spec: PathSpec, index: ObjectIndex, reporter: Reporter) -> CompiledPath | None:
    display = spec.display
    kept: dict[ObjectKey, NodeSpec] = {}
    dropped: list[NodeSpec] = []
    for node in spec.nodes:
        key = index.resolve(node.ref.hruid, node.ref.language, node.ref.version)
        if key is None:
            reporter.warning(
                display,
                node.line,
                Code.PATH_NODE_MISSING,
                f"node {node.ref} names a learning object that does not exist; the node is left out",
                col=node.col,
                hint=index.explain_missing(node.ref.hruid, node.ref.language, node.ref.version, cutoff=0.9),
            )
            dropped.append(node)
        elif key in kept:
            reporter.warning(
                display,
                node.line,
                Code.PATH_NODE_DUPLICATE,
                f"node {key} is already in this path (line {kept[key].line}); this one is left out",
                col=node.col,
            )
        else:
            kept[key] = node
    if not kept:
        reporter.error(
            display,
            spec.nodes_line,
            Code.PATH_NODE_MISSING,
            "none of the nodes of this path names an existing learning object",
            col=spec.nodes_col,
        )
        return None
    by_name: dict[tuple[str, str], list[tuple[int | None, ObjectKey | NodeSpec]]] = {}
    for key in kept:
        by_name.setdefault((key.hruid, key.language), []).append((key.version, key))
    for node in dropped:
        by_name.setdefault((node.ref.hruid, node.ref.language), []).append((node.ref.version, node))

    def find(ref: NodeRef) -> tuple[ObjectKey | NodeSpec | None, bool]:
        """The kept node's key or the dropped node that ``ref`` names, and whether its version matched."""
        same = by_name.get((ref.hruid, ref.language), [])
        exact = [m for version, m in same if ref.version is None or version == ref.version]
        if exact:
            return exact[0], True
        return (same[0][1], False) if len(same) == 1 else (None, False)

    for node in spec.nodes:  # report each transition problem once
        for t in node.transitions:
            error = condition_error(t.condition)
            found, exact = find(t.next)
            if error:
                reporter.error(
                    display,
                    t.line,
                    Code.PATH_TRANSITION,
                    f"condition '{t.condition}' is not a valid JSONPath: {error}",
                    col=t.col,
                    hint="write e.g. $[?(@[0] == 0)]",
                )
            elif found is None:
                names = [hruid for hruid, _ in by_name]
                reporter.error(
                    display,
                    t.line,
                    Code.PATH_TRANSITION,
                    f"transition to {t.next}, which is not a node of this path",
                    col=t.col,
                    hint=did_you_mean(t.next.hruid, names) or "add that node to the path or fix the transition",
                )
            elif not exact:
                version = found.version if isinstance(found, ObjectKey) else found.ref.version
                reporter.warning(
                    display,
                    t.line,
                    Code.REF_VERSION,
                    f"transition to {t.next}, but this path's node is version {version}; that node is used",
                    col=t.col,
                    hint=f"write version {version} in the transition",
                )

    def targets(node: NodeSpec) -> list[_Edge]:
        """Edges out of ``node`` to kept nodes; a dropped node's own transitions are spliced in its place."""
        edges: list[_Edge] = []
        seen = {id(node)}
        todo = list(node.transitions)
        while todo:
            t = todo.pop(0)
            found, _ = find(t.next)
            if condition_error(t.condition) or found is None:
                continue
            if isinstance(found, ObjectKey):
                edges.append(_Edge(found, t.default, t.condition))
            elif id(found) not in seen:
                seen.add(id(found))
                todo[0:0] = found.transitions
        return edges

    graph: dict[ObjectKey, list[_Edge]] = {}
    for key, node in kept.items():
        unique: dict[tuple, _Edge] = {}
        for edge in targets(node):
            unique.setdefault((edge.target, edge.condition), edge)
        graph[key] = list(unique.values())

    start = _start(spec, kept, dropped, find, targets, reporter)
    order = _breadth_first(start, graph)
    reached = set(order)  # a set: "in order" on the list made thousands of nodes O(n^2)
    for key, node in kept.items():
        if key not in reached:
            reporter.warning(
                display,
                node.line,
                Code.PATH_UNREACHABLE,
                f"node {key} cannot be reached from the start node {start}",
                col=node.col,
                hint="add a transition to it, or remove it from the path",
            )
    _cycles(order, graph, kept, display, reporter)
    order += [key for key in kept if key not in reached]
    nodes = [
        CompiledNode(
            key,
            start_node=key == start,
            instruction=kept[key].instruction,
            line=kept[key].line,
            transitions=[CompiledTransition(e.target, e.default, e.condition) for e in graph[key]],
        )
        for key in order
    ]
    return CompiledPath(
        spec.hruid,
        spec.language,
        spec.title,
        spec.description,
        display,
        nodes,
        image=spec.image,
        image_mime=spec.image_mime,
        keywords=list(spec.keywords),
    )


def _start(spec: PathSpec, kept, dropped, find, targets, reporter: Reporter) -> ObjectKey:
    starts = [n for n in spec.nodes if n.start_node]
    first = next(iter(kept))
    if not starts:
        reporter.warning(
            spec.display,
            spec.nodes_line,
            Code.PATH_START,
            f"the path has no start node; the first node ({first}) is used",
            col=spec.nodes_col,
            hint="add start_node: true to the first node",
        )
        return first
    if len(starts) > 1:
        reporter.warning(
            spec.display,
            starts[1].line,
            Code.PATH_START,
            f"the path has {len(starts)} start nodes (lines {', '.join(str(n.line) for n in starts)}); "
            "the first is used",
            col=starts[1].col,
            hint="keep start_node: true on one node only",
        )
    found, _ = find(starts[0].ref)
    if isinstance(found, ObjectKey):
        return found
    moved = targets(starts[0])  # the start node was dropped: its successors start
    return moved[0].target if moved else first


def _breadth_first(start: ObjectKey, graph: dict[ObjectKey, list[_Edge]]) -> list[ObjectKey]:
    order, seen, queue = [], {start}, deque([start])
    while queue:
        key = queue.popleft()
        order.append(key)
        for edge in sorted(graph[key], key=lambda e: not e.default):
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append(edge.target)
    return order


def _cycles(reachable: list[ObjectKey], graph, kept, display: str, reporter: Reporter) -> None:
    """Report each strongly connected component with a cycle and no edge leaving it (Tarjan)."""
    index: dict[ObjectKey, int] = {}
    low: dict[ObjectKey, int] = {}
    stack: list[ObjectKey] = []
    on_stack: set[ObjectKey] = set()
    components: list[list[ObjectKey]] = []
    for root in reachable:
        if root in index:
            continue
        work = [(root, 0)]
        while work:  # iterative Tarjan: paths may have hundreds of nodes
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if i < len(edges):
                work.append((node, i + 1))
                target = edges[i].target
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    position = {key: i for i, key in enumerate(reachable)}
    for component in components:
        members = set(component)
        looping = len(component) > 1 or any(e.target == component[0] for e in graph[component[0]])
        if not looping or any(e.target not in members for key in component for e in graph[key]):
            continue
        chain = sorted(component, key=lambda k: position.get(k, 0))
        reporter.error(
            display,
            kept[chain[0]].line,
            Code.PATH_CYCLE,
            f"nodes {' -> '.join(str(k) for k in chain + [chain[0]])} form a cycle with no way out",
            col=kept[chain[0]].col,
            hint="give one of these nodes a transition that leaves the cycle, or none at all",
        )
