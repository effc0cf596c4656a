"""A signed-in student's home page: where to continue, what is assigned (and by when), the other
paths they started, and their teacher's feedback. Progress comes from ``learning.completion``
through ``selectors_dashboard`` (assignments, across language variants) and
``learning.selectors_home`` (every path the student started)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from learningpaths.learning.selectors_home import Started, started_paths

from . import selectors_dashboard
from .selectors_dashboard import ReviewNote, StudentAssignment


@dataclass
class AssignmentCard:
    item: StudentAssignment
    started: Started | None  # the student's own progress row for this path (any language variant)
    today: date

    @property
    def state(self) -> str:
        """new | started | finished: which button the card shows."""
        row = self.item.row
        if row is not None and row.complete:
            return "finished"
        if self.started is not None or (row is not None and row.done):
            return "started"
        return "new"

    @property
    def url(self) -> str:
        if self.started is not None:
            return self.started.url
        return self.item.path.get_absolute_url() if self.item.path else ""

    @property
    def days_left(self) -> int | None:
        """Whole calendar days until the deadline in the site's time zone (0: today), None without one."""
        deadline = self.item.assignment.deadline
        if deadline is None:
            return None
        return (timezone.localdate(deadline) - self.today).days


@dataclass
class Home:
    latest: Started | None  # "Continue where you left off"
    assignments: list[AssignmentCard]
    others: list[Started]  # started paths that are not assigned
    reviews: list[ReviewNote]


def student_home(*, user) -> Home:
    assignments = selectors_dashboard.student_assignments(user=user)
    started = started_paths(user=user)
    today = timezone.localdate()
    cards = []
    for a in assignments:
        mine = [s for s in started if s.path.hruid == a.assignment.path_hruid]
        # The assigned language first; else the variant the student worked in most recently.
        own = next((s for s in mine if s.path.language == a.assignment.path_language), mine[0] if mine else None)
        cards.append(AssignmentCard(item=a, started=own, today=today))
    assigned = {a.assignment.path_hruid for a in assignments}
    return Home(
        latest=started[0] if started else None,
        assignments=cards,
        others=[s for s in started if s.path.hruid not in assigned],
        reviews=selectors_dashboard.student_reviews(user=user, assignments=assignments),
    )
