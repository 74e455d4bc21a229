"""Who changed a case, as its events and pushed messages name them."""

SYSTEM = "system"  # the overdue check (超时默认)


def staff(name: str) -> str:
    """A window staff member: "staff:<name>"."""
    return f"staff:{name}"
