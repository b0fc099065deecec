"""The content questions refer to: the stakeholder dataset and the data-flow files."""

from __future__ import annotations

from ..content.dataset import shipped_dataset

__all__ = ["Content", "shipped_dataset"]


class Content:
    """Organisation names and grid items, read once and shared by every page (a question's
    flows come from the file it names: ``toolkit.content.flows.flows_for``).

    Examples
    --------
    >>> content = Content()
    >>> content.org_name("kennisnet")
    'Kennisnet'
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
