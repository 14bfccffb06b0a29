"""Message-broker sources: one base (``base.BrokerSource``: settling batches, routing,
dead-letter headers) and one thin adapter per broker over its official client."""
