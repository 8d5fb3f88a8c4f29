"""Demo data of the joint committee (大工委)."""

# (username, what it is) — the accounts of SPEC §7, created by members.demo.
DEMO_ACCOUNTS = (
    ("admin", "超级管理员"),
    ("street_admin", "街道管理员(舜玉路街道)"),
    ("community_admin", "社区管理员(舜园社区)"),
    ("grid_worker", "网格员(舜园社区)"),
    ("unit_operator", "成员单位联络员"),
    ("party_member", "党员"),
    ("resident", "居民"),
)


def seed(*, stdout) -> None:
    """Committees, seats, meetings and matters: filled in by the joint-committee work."""
