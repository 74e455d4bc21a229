"""The SMS interface: texts to citizens' mobiles, through the outbox, by a configured sender."""
