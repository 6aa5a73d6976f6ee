"""Walking a Dash component tree in tests that call a page's layout() directly."""
from __future__ import annotations


def find(component, component_id):
    """The first component with this id in the tree (depth first), or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def walk(component):
    """Every component of the tree, depth first (children, and components held in other props such as a card's
    header or a tab's label)."""
    if component is None or isinstance(component, (str, int, float, bool)):
        return
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from walk(child)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    yield component
    for name in getattr(component, "_prop_names", ()):
        value = getattr(component, name, None)
        if isinstance(value, (list, tuple)) or hasattr(value, "to_plotly_json"):
            yield from walk(value)


def text_of(component, sep: str = " ") -> str:
    """The text a component shows (its children's text joined by `sep`)."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return sep.join(text_of(c, sep) for c in component if c is not None)
    return text_of(getattr(component, "children", None), sep)


def figures(component) -> list[dict]:
    """Every figure span of the tree (components.figure): indicator, value (data-value), scope, the text shown and
    the definition on hover (title)."""
    out = []
    for node in walk(component):
        props = node.to_plotly_json()["props"]
        if "data-indicator" in props:
            out.append({"indicator": props["data-indicator"], "value": props["data-value"],
                        "scope": props["data-scope"], "text": text_of(node, ""), "title": props.get("title")})
    return out


def with_class(component, class_name: str) -> list:
    """Every component of the tree whose className has the word `class_name`, depth first."""
    return [node for node in walk(component)
            if class_name in (getattr(node, "className", None) or "").split()]


def parent(tree, component):
    """The component of `tree` that holds `component` among its children, or None."""
    for node in walk(tree):
        children = getattr(node, "children", None)
        if any(child is component for child in (children if isinstance(children, (list, tuple)) else [children])):
            return node
    return None
