"""The content questions refer to: the stakeholder dataset and the data-flow files."""

from __future__ import annotations

import os
from functools import lru_cache

from ..paths import datasets_dir

__all__ = ["Content", "shipped_dataset"]


def _stamp(*paths) -> tuple:
    """File names and modification times: a new value whenever a file changes."""
    out = []
    for path in paths:
        try:
            out.append((str(path), os.stat(path).st_mtime_ns))
        except OSError:
            out.append((str(path), None))
    return tuple(out)


@lru_cache(maxsize=4)
def _dataset(stamp: tuple):
    from ..content.dataset import load_default

    return load_default()


def shipped_dataset():
    """The shipped stakeholder dataset, read and validated once per version of its files.

    Examples
    --------
    >>> shipped_dataset() is shipped_dataset()
    True
    """
    folder = datasets_dir() / "stakeholders"
    return _dataset(_stamp(folder / "organisations.csv", folder / "relations.csv"))


class Content:
    """Organisation names, grid items and flows, read once and shared by every page.

    Examples
    --------
    >>> content = Content()
    >>> content.org_name("kennisnet")
    'Kennisnet'
    >>> len(content.flows("flows/flows.csv")) >= 7
    True
    """

    def __init__(self, data=None):
        self._data = data

    @property
    def data(self):
        return self._data if self._data is not None else shipped_dataset()

    @property
    def vocabulary(self):
        return self.data.vocabulary

    def org_name(self, org_id: str) -> str:
        try:
            return self.data.organisation(org_id)["name"]
        except KeyError:
            return org_id

    def grid_items(self, question, lang: str) -> list[tuple[str, str]]:
        """``(id, label)`` of everything a grid question places: its items, then its
        organisations (named as in the dataset)."""
        items = [(o.id, o.label(lang)) for o in question.items]
        return items + [(org, self.org_name(org)) for org in question.organisations]

    def flows(self, flows_file: str) -> tuple[dict, ...]:
        """The flows of a ``flows_file`` (relative to ``datasets/``), checked and cached."""
        from ..content.flows import load_flows

        return load_flows(flows_file)
