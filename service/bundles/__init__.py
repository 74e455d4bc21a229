"""高效办成一件事: life-event bundles of catalogue items, their merged notice and search."""
