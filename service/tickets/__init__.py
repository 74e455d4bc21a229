"""12345 work orders (工单): creation, the agents' queue, the state machine and ratings."""
