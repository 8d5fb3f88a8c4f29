"""Masking of residents' and staff's personal data on public surfaces."""


def mask_phone(phone: str | None) -> str:
    """138****1234 for mobiles; the area code and last four digits for landlines."""
    if not phone:
        return ""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 8:
        return f"{digits[:-4][:4]}****{digits[-4:]}"
    return "****"


def mask_name(name: str | None) -> str:
    """张** — the family name only."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_address(address: str | None) -> str:
    if not address:
        return ""
    keep = min(6, max(2, len(address) // 3))
    return address[:keep] + "****"
