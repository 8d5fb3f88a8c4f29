"""Demo data of residents' proposals (微建议): one at every stage in 舜玉路街道's communities, made through the
actions (submitted, published with supports and comments, declined with a reason, merged into another, raised
to 舜园社区大党委, and one raised to the street's 大工委 whose matter is resolved and followed up). Idempotent:
nothing happens once the first proposal exists."""

from alliance.committee import actions as committee_actions
from alliance.proposals import actions
from alliance.proposals.models import Comment, Proposal, ProposalRule
from grids.models import GridNode
from members.models import User

FIRST = "3号楼楼道灯不亮，晚上上下楼很不方便"


def _users() -> dict:
    names = ["resident", "party_member", "grid_worker", "unit_operator", "street_admin", "community_admin"]
    names += [f"demo_resident_{i:02d}" for i in range(1, 9)]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def seed(*, stdout) -> None:
    street = GridNode.objects.filter(code="SY").first()
    if street is None:
        return
    communities = list(GridNode.objects.filter(parent=street).order_by("sort_order", "id"))
    if len(communities) < 2 or Proposal.objects.filter(title=FIRST, community__in=communities).exists():
        return
    users = _users()
    admin = users.get("street_admin")
    residents = [users[f"demo_resident_{i:02d}"] for i in range(1, 9) if f"demo_resident_{i:02d}" in users]
    if admin is None or "resident" not in users or len(residents) < 6:
        return
    home, other = communities[0], communities[1]
    ProposalRule.objects.get_or_create(community=home, defaults={"threshold": 6, "target": "council"})
    ProposalRule.objects.get_or_create(community=other, defaults={"threshold": 5, "target": "joint"})
    supporters = [*residents, users["party_member"], users["grid_worker"]]

    def propose(author, community, title, text, location=""):
        return actions.submit_proposal(by=author, title=title, text=text, community=community, location=location)

    def support(proposal, people):
        for person in people:
            if person.pk != proposal.author_id:
                proposal = actions.support_proposal(by=person, proposal=proposal)
        return proposal

    # 待审核
    propose(
        users["resident"],
        home,
        FIRST,
        "3号楼2单元三楼到五楼的楼道灯坏了快半个月，老人晚上下楼倒垃圾只能摸黑，建议换成声控灯。",
        "舜园小区3号楼2单元",
    )
    # 征集支持中：支持和评论，一条评论被隐藏
    seats = propose(
        residents[0],
        home,
        "小区中心广场增设几张休闲座椅",
        "每天傍晚广场上跳舞、带孩子的人很多，老人走累了没地方坐，只能坐花坛边上。建议在广场东侧树荫下放四五张长椅。",
        "舜园小区中心广场东侧",
    )
    seats = actions.publish_proposal(by=admin, proposal=seats)
    seats = support(seats, supporters[1:4])
    actions.add_comment(by=residents[2], proposal=seats, text="赞成！最好是带靠背的，老人坐着舒服。")
    actions.add_comment(by=users["party_member"], proposal=seats, text="我们单位可以帮忙联系座椅，社区定好位置就行。")
    ad = actions.add_comment(by=residents[4], proposal=seats, text="低价出售二手家具，有意加微信。")
    actions.hide_comment(by=admin, comment=ad, reason="与建议无关的广告信息。")
    # 已合并：重复的建议并入上一条，支持一并转过去
    duplicate = propose(residents[5], home, "广场没地方坐，希望放几张长椅", "晚上在广场散步，想歇一会儿都找不到椅子。")
    duplicate = actions.publish_proposal(by=admin, proposal=duplicate)
    duplicate = support(duplicate, [residents[1], residents[6]])  # residents[1] already supports the other one
    actions.merge_proposal(by=admin, proposal=duplicate, into=seats, reason="与“小区中心广场增设几张休闲座椅”重复。")
    # 未采纳，附理由
    gate = propose(residents[3], home, "小区东门改成24小时开放", "东门晚上十点就锁，下夜班回家要绕到北门，多走十分钟。")
    actions.decline_proposal(
        by=admin,
        proposal=gate,
        reason="东门紧邻小学，夜间开放存在安全隐患；社区已协调物业在北门增设夜间人行通道和照明。",
    )
    # 已提交议事：满6人支持，提交舜园社区大党委，研究中
    lift = propose(
        residents[1],
        home,
        "老旧楼加装电梯，希望社区牵头征求意见",
        "7号楼、8号楼都是六层老楼，住着不少七八十岁的老人，上下楼很吃力。希望社区牵头，"
        "组织各单元征求意见、对接加装电梯的补贴政策。",
        "舜园小区7号楼、8号楼",
    )
    lift = actions.publish_proposal(by=admin, proposal=lift)
    lift = support(lift, supporters[:7])
    if lift.matter_id:
        committee_actions.study_matter(by=admin, matter=lift.matter)
    # 已议决并在落实：满5人支持，提交街道大工委，议决、落实进度和节点
    bins = propose(
        residents[2],
        other,
        "垃圾分类点位挪到小区出口附近",
        "现在的垃圾分类点在小区最里面，紧挨着住户窗户，夏天味道大；建议挪到靠近出口的空地，清运车也好进出。",
        "小区西侧空地",
    )
    bins = actions.publish_proposal(by=admin, proposal=bins)
    bins = support(bins, supporters[3:9])
    if bins.matter_id:
        matter = bins.matter
        committee_actions.study_matter(by=admin, matter=matter)
        committee_actions.resolve_matter(
            by=admin,
            matter=matter,
            resolution="同意将垃圾分类点迁至小区西侧出口空地，由街道城管科和物业共同实施，增设洗手池和雨棚。",
        )
        committee_actions.follow_up(
            by=admin, matter=matter, progress=60, note="新点位已硬化地面，雨棚正在安装。", milestone="新点位启用"
        )
    count = Proposal.objects.filter(community__in=communities).count()
    stdout.write(f"  alliance.demo.proposals: {count} 条微建议，{Comment.objects.count()} 条评论")
