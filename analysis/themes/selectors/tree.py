"""The study's live themes as a tree, and which codes each theme stands on."""

from collections import defaultdict
from dataclasses import dataclass, field

from analysis.themes.models import Theme, ThemeLevel
from dyads.models import Study


@dataclass
class ThemeNode:
    theme: Theme
    depth: int = 0
    code_ids: frozenset[int] = frozenset()
    children: list["ThemeNode"] = field(default_factory=list)

    @property
    def is_constituent(self) -> bool:
        return self.theme.level == ThemeLevel.CONSTITUENT

    def descendants(self) -> list["ThemeNode"]:
        """The themes below this one, parents before children, in the tree's order."""
        found, todo = [], list(reversed(self.children))
        while todo:
            node = todo.pop()
            found.append(node)
            todo.extend(reversed(node.children))
        return found


@dataclass(frozen=True)
class ThemeTree:
    roots: list[ThemeNode]

    def nodes(self) -> list[ThemeNode]:
        """Every live theme, parents before children, in the tree's order."""
        return [node for root in self.roots for node in (root, *root.descendants())]

    def constituents(self) -> list[ThemeNode]:
        """The constituent themes at any depth, in the tree's order."""
        return [node for node in self.nodes() if node.is_constituent]

    def find(self, theme_id: int) -> ThemeNode | None:
        return next((node for node in self.nodes() if node.theme.pk == theme_id), None)


def theme_tree(*, study: Study) -> ThemeTree:
    """The live themes with their own and inherited codes (2 queries).

    A theme stands on the codes linked to it and on those of its constituents
    below it, so a constituent that only groups sub-constituents still shows
    where its children are supported.
    """
    themes = list(
        Theme.objects.filter(study=study, retired_at__isnull=True).order_by("position", "name")
    )
    links = defaultdict(set)
    for theme_id, code_id in Theme.codes.through.objects.filter(
        theme__in=[theme.pk for theme in themes]
    ).values_list("theme_id", "code_id"):
        links[theme_id].add(code_id)
    nodes = {theme.pk: ThemeNode(theme=theme) for theme in themes}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.theme.parent_id)
        (parent.children if parent else roots).append(node)
    tree = ThemeTree(roots=roots)
    for node in reversed(tree.nodes()):  # children before parents
        inherited = set(links[node.theme.pk])
        for child in node.children:
            inherited |= child.code_ids
        node.code_ids = frozenset(inherited)
    for node in tree.nodes():
        for child in node.children:
            child.depth = node.depth + 1
    return tree
