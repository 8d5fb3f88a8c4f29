"""Demo follows (关注社区), through the actions: the demo resident follows their community weekly by e-mail with
every topic; the demo party member follows a micro-grid of their community daily by e-mail, for news and
activities. Idempotent: a follow that exists is left as it is."""

from alliance.core.feeds import Topic
from alliance.core.notifications import save_preferences
from alliance.following import actions
from alliance.following.models import DigestChannel, Follow, Frequency
from grids.models import GridNode
from members.models import User

# Addresses of the demo's own domain (example.cn is reserved: nothing is ever delivered there).
EMAILS = {"resident": "lixiulan@example.cn", "party_member": "sunlihua@example.cn"}


def _with_email(user):
    if not user.email:
        save_preferences(by=user, email_address=EMAILS[user.username])
    return user


def seed(stdout=None):
    people = {u.username: u for u in User.objects.filter(username__in=EMAILS).select_related("grid_node")}
    resident, member = people.get("resident"), people.get("party_member")
    if resident is not None and resident.grid_node is not None:
        node = resident.grid_node
        community = node if node.level == GridNode.Level.COMMUNITY else node.parent
        if community is not None and not Follow.objects.filter(user=resident, node=community).exists():
            actions.follow(
                by=_with_email(resident),
                node=community,
                topics=list(Topic.values),
                frequency=Frequency.WEEKLY,
                channel=DigestChannel.EMAIL,
            )
    if member is not None and member.grid_node is not None:
        micro = GridNode.objects.filter(parent=member.grid_node, level=GridNode.Level.MICRO).order_by("path").first()
        if micro is not None and not Follow.objects.filter(user=member, node=micro).exists():
            actions.follow(
                by=_with_email(member),
                node=micro,
                topics=[Topic.NEWS, Topic.ACTIVITIES],
                frequency=Frequency.DAILY,
                channel=DigestChannel.EMAIL,
            )
    if stdout is not None:
        stdout.write(f"  关注：{Follow.objects.filter(user__username__in=EMAILS).count()} 条")
