"""One view class per question type."""

from .choice import MultipleChoiceView, ScaleView, SingleChoiceView
from .contribution import ContributionView
from .matrix import AimView, FlowCheckView, GridView, RaciView
from .texts import DotVoteView, FreeTextView

__all__ = ["VIEWS", "view_for"]

VIEWS = {
    "scale": ScaleView,
    "single_choice": SingleChoiceView,
    "multiple_choice": MultipleChoiceView,
    "dot_vote": DotVoteView,
    "free_text": FreeTextView,
    "grid": GridView,
    "raci": RaciView,
    "aim": AimView,
    "contribution": ContributionView,
    "flow_check": FlowCheckView,
}


def view_for(ctx, exercise, question):
    """Return the view that asks ``question``."""
    return VIEWS[question.type](ctx, exercise, question)
