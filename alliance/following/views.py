"""The follower's pages under /follow/: my follows, follow an area, change or stop a follow, one digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.feeds import Topic
from alliance.core.inputs import submit_form
from alliance.core.querying import page_status, read_query
from alliance.following import actions, selectors
from alliance.following.forms import FollowForm, NewFollowQuery
from alliance.following.models import Follow
from grids.models import GridNode


@login_required
def my_follows(request):
    """The person's follows with each community's Atom feeds, and their latest digests (2 queries after the
    session's: the follows with their areas, the digests)."""
    follows = selectors.own_follows(request.user)
    context = {
        "follows": follows,
        "digests": selectors.recent_digests(request.user),
        "topics": Topic.choices,
    }
    return render(request, "following/my_follows.html", context)


@login_required
def new(request):
    """Follow a community or micro-grid; ``?node=<pk>`` (the 关注 button of the grid's pages) chooses it."""
    query = read_query(request, NewFollowQuery)
    node_pk = query.value("node")
    if node_pk and request.method == "GET":
        existing = Follow.objects.filter(user=request.user, node_id=node_pk).values_list("pk", flat=True).first()
        if existing:
            messages.info(request, _("您已关注该网格，可在这里修改。"))
            return redirect("following:edit", pk=existing)
    initial = {"node": node_pk, "topics": list(Topic.values)}
    near = node_pk or request.user.grid_node_id  # the list offered: the street of the area, else the person's
    street_id = GridNode.objects.filter(pk=near).values_list("street_id", flat=True).first() if near else None
    form = FollowForm(request.POST or None, initial=initial, street_id=street_id)

    def submit(data):
        return actions.follow(by=request.user, **data)

    if submit_form(request, form, submit, _("关注成功！有新动态时会按您选择的方式推送。")):
        return redirect("following:mine")
    return render(request, "following/follow_form.html", {"form": form}, status=page_status(request, query))


@login_required
def edit(request, pk: int):
    """Change the topics, the frequency or the channel of one's own follow."""
    follow = get_object_or_404(Follow.objects.select_related("node"), pk=pk, user=request.user)
    initial = {"topics": follow.topics, "frequency": follow.frequency, "channel": follow.channel}
    form = FollowForm(request.POST or None, initial=initial, with_node=False)

    def submit(data):
        return actions.update_follow(by=request.user, follow=follow, **data)

    if submit_form(request, form, submit, _("已保存。")):
        return redirect("following:mine")
    return render(request, "following/follow_form.html", {"form": form, "follow": follow})


@login_required
@require_POST
def unfollow(request, pk: int):
    follow = get_object_or_404(Follow.objects.select_related("node"), pk=pk, user=request.user)
    try:
        actions.unfollow(by=request.user, follow=follow)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已取消关注“%(name)s”。") % {"name": follow.node.name})
    return redirect("following:mine")


@login_required
def digest(request, pk: int):
    """One digest as it was sent (the link of a WeChat digest): its owner only."""
    found = get_object_or_404(selectors.own_digests(request.user), pk=pk)
    return render(request, "following/digest.html", {"digest": found, "topics": dict(Topic.choices)})
