"""导办助手 service: the catalogue of service items, one-time notices and the assist endpoint."""
