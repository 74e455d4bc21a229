"""The improvement loop's review: queues of the turns worth a second look, and the labels reviewers give them."""
