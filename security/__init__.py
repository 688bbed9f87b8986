"""Security scanners for `make security` and `make test`: their findings, and the waivers that accept some."""
