"""Reports: professional reports and the family's own views (the plain-language check so far)."""
