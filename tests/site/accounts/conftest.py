"""The data export and deletion tests need classes, members and an assignment: the classroom fixtures."""

from tests.site.accounts.sso_fixtures import oidc_provider  # noqa: F401  (fixture)
from tests.site.classroom.conftest import (  # noqa: F401  (fixtures)
    assignment,
    classroom,
    fast_passwords,
    member,
    other_teacher,
    quiz_site,
)
