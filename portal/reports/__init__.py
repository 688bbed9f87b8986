"""Reports: professional reports and the family's own views."""

from portal.reports import models  # noqa: F401  (tables, for migrations)
