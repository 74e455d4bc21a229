"""The transactional outbox: every message that leaves the service is first a row written in the
same transaction as the state change that causes it, then delivered by a worker, in order per
stream, with retries, and parked when it runs out of tries."""
