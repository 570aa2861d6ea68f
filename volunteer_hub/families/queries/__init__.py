"""Read-only queries behind the case page, the case list and the coordinator's dashboard.

The dashboard's lists and the case list are filtered, counted, sorted and cut to what the page
shows in SQL, so their cost follows the rows shown rather than the size of the municipality.
The SQL conditions restate the pure rules of ``deadlines.py`` and ``warnings.py``, which stay the
definition: tests/families/test_dashboard_sql.py checks both give the same rows. Only the case
list's page of households is loaded as models, for the deadlines and warnings it shows.
"""

from volunteer_hub.families.queries.cases import (  # noqa: F401
    CASE_FILTERS,
    CASE_SORTS,
    CASES_PER_PAGE,
    WAITING_IDS_EXTENSION,
    CaseHousehold,
    CaseRow,
    case_row,
    list_cases,
)
from volunteer_hub.families.queries.conditions import (  # noqa: F401
    case_deadlines,
    case_page_load_options,
    case_row_load_options,
    case_warnings,
    welcome_letter_sent_on,
)
from volunteer_hub.families.queries.dashboard import (  # noqa: F401
    Dashboard,
    DeadlineRow,
    HouseholdLink,
    MemberLink,
    build_dashboard,
    dashboard,
    housed_before_arrival_count,
)
