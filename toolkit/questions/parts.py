"""The building blocks every question model shares: texts, options, levels, axes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["Slug", "Model", "Text", "Option", "Level", "Axis", "QuestionBase"]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A text in Dutch and English.

    Examples
    --------
    >>> Text(nl="Visie", en="Vision")("en")
    'Vision'
    """

    nl: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    en: Annotated[str, StringConstraints(min_length=1, max_length=2000)]

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Option(Model):
    id: Slug
    label: Text
    description: Text | None = None


class Level(Model):
    value: int
    label: Text
    description: Text


class Axis(Model):
    label: Text
    low: Text
    high: Text


class QuestionBase(Model):
    """Fields of every question; each type's model adds ``type`` and its own fields."""

    id: Slug
    prompt: Text
    help: Text | None = None
