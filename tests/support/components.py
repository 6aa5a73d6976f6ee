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
