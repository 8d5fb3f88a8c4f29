"""Demo news and notices (党建动态, 通知公告), drawn from the reports on the two streets."""

import datetime

from django.utils import timezone

from alliance.committee.models import Article
from grids.models import GridNode
from members.models import User

NEWS = [
    (
        "SY",
        "news",
        True,
        "舜玉路街道构建红色联盟，共绘区域化党建同心圆",
        "以街道大工委为核心的“石榴花红色联盟”，推动基层党建由“垂直管理”向“区域整合”转变。",
        "齐鲁网",
        (2018, 12, 5),
        "舜玉公园种植的大片石榴花，每逢五月含苞吐秀，红似烈火，象征着舜玉路街道区域化党建红红火火的生命力。\n\n"
        "“石榴花红色联盟”以街道大工委为核心，通过有机联结，充分释放各领域党组织“外溢”效应，"
        "实现组织共建、资源共享、互联互动的区域化党建新格局。\n\n"
        "街道大工委是区域化党建工作的最高议事机构，由11位街道党工委领导担任专职委员，"
        "9名驻区单位分管党务的同志担任兼职委员。\n\n"
        "街道选派党性强、熟悉党务工作的党员担任党建工作指导员，目前已对辖区170余家企业完成了兜底管理。",
    ),
    (
        "SY",
        "news",
        False,
        "“抓党建促发展 以发展强党建”筑强引领发展的红色引擎",
        "以“党员凝心工程”为抓手，建立党员一卡通积分月度TOP10排名等正向激励机制。",
        "济南日报",
        (2018, 11, 28),
        "舜玉路街道辖区多为老旧开放式小区。今年以来，街道坚持“抓党建促发展 以发展强党建”思路，"
        "以“党员凝心工程”为抓手，促进党建与各项中心工作深度融合。\n\n"
        "街道依托“暖心沐阳”“融心舜益”“聚心铸魂”3个项目，建立党员一卡通积分月度TOP10排名、"
        "“环卫考核奖励”机制等一系列正向激励机制。\n\n"
        "14处“口袋公园”扮靓辖区，颐养中心、养老综合服务中心、“智惠舜玉”公共服务APP、红色教育传承基地相继投用。",
    ),
    (
        "SY-01",
        "news",
        False,
        "舜园社区综合党委开展主题党日活动",
        "社区综合党委组织辖区党员和驻区单位党员重温入党誓词，开展志愿服务。",
        "舜园社区",
        (2018, 11, 20),
        "舜园社区综合党委组织辖区党员、驻区单位党员共同开展主题党日活动，重温入党誓词。\n\n"
        "活动结束后，党员志愿者走进小区，为老年居民提供理发、义诊、家电维修等服务。",
    ),
    (
        "SY",
        "notice",
        True,
        "关于每月25日召开街道大工委议事会的通知",
        "各专职、兼职委员请于每月25日上午参加大工委议事会，议题请提前报街道党建办。",
        "舜玉路街道党工委",
        (2018, 12, 10),
        "为推进区域化党建工作常态化，街道大工委每月25日召开议事会，遇节假日顺延。\n\n"
        "请各成员单位于每月20日前将需要协调解决的事项报街道党建办，由轮值主席单位汇总后提交议事会研究。",
    ),
    (
        "XZ",
        "news",
        False,
        "西站街道“红色矩阵”全域党建迎来观摩交流",
        "全省街道党组织书记示范培训班学员深入建西东路、武威路、小西坪社区观摩城市基层党建工作。",
        "兰州新闻网",
        (2019, 8, 7),
        "7月24日，西站街道迎来了70余位客人——全省街道党组织书记示范培训班学员观摩交流城市基层党建工作。\n\n"
        "观摩团一行深入建西东路社区、武威路社区、小西坪社区党群工作站，了解“民情流水线”工程和“街道大工委”"
        "“社区大党委”运行情况。",
    ),
    (
        "XZ-01",
        "notice",
        False,
        "建西东路社区关于开展“双报到”党员志愿服务登记的通知",
        "请到社区报到的在职党员登录门户登记本年度志愿服务时长。",
        "建西东路社区党委",
        (2019, 9, 2),
        "为落实机关企事业单位党员到社区“双报到”工作要求，请已报到的在职党员登录红色联盟门户，"
        "登记本年度参加社区志愿服务的时长。\n\n联系电话：0931-2345678。",
    ),
]


def seed(*, stdout) -> None:
    nodes = {n.code: n for n in GridNode.objects.filter(code__in={row[0] for row in NEWS})}
    author = User.objects.filter(username="street_admin").first()
    tz = timezone.get_current_timezone()
    created = 0
    for code, kind, pinned, title, summary, source, (y, m, d), body in NEWS:
        node = nodes.get(code)
        if node is None:
            continue
        _, new = Article.objects.get_or_create(
            title=title,
            grid_node=node,
            defaults={
                "kind": kind,
                "pinned": pinned,
                "summary": summary,
                "source": source,
                "body": body,
                "publish_at": datetime.datetime(y, m, d, 9, 0, tzinfo=tz),
                "status": Article.Status.PUBLISHED,
                "author": author,
            },
        )
        created += new
    if created:
        stdout.write(f"  alliance.demo.news: {created} 篇党建动态和通知公告")
