"""Message-broker sources: one thin adapter per broker over its official client."""
