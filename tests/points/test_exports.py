"""Points to Excel: the ledger (积分明细) and the rows of the selected monthly rankings, scoped to the admin."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alliance.points.models import PointsEntry, PointsRanking, PointsRankingRow
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory

pytestmark = pytest.mark.django_db


def rows(response) -> tuple[str, list[tuple]]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return sheet.title, list(sheet.iter_rows(values_only=True))


def test_the_ledger_is_exported_within_the_subtree(client, community_admin, community):
    PointsEntryFactory(member=PartyMemberFactory(community=community, name="张红"), points=6, reason="=主题党日签到")
    far = CommunityFactory(parent=StreetFactory(name="西站街道"))
    PointsEntryFactory(member=PartyMemberFactory(community=far, name="外街道党员"), points=9)
    client.force_login(community_admin)

    title, table = rows(client.get(reverse("admin:points_pointsentry_export_excel")))

    assert title == "积分明细"
    assert table[0][:7] == ("日期", "党员", "单位", "积分类型", "积分", "服务时长（小时）", "事由")
    assert [(r[0], r[1], r[4], r[6]) for r in table[1:]] == [
        (datetime.datetime(2026, 3, 15), "张红", 6, "=主题党日签到")
    ]


def test_the_ledger_export_runs_the_same_queries_for_two_and_six_entries(client, street_admin, community):
    client.force_login(street_admin)
    url = reverse("admin:points_pointsentry_export_excel")

    def queries(n: int) -> int:
        for _ in range(n):
            PointsEntryFactory(member=PartyMemberFactory(community=community))
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            _title, table = rows(client.get(url))
        assert len(table) == 1 + PointsEntry.objects.count()
        return len(captured)

    assert queries(2) == queries(6)


def test_the_rows_of_a_selected_ranking_are_exported(client, street_admin, street):
    ranking = PointsRanking.objects.create(street=street, year=2026, month=3)
    for rank, (name, points) in enumerate([("张红", 30), ("李明", 20)], start=1):
        PointsRankingRow.objects.create(
            ranking=ranking, rank=rank, member=PartyMemberFactory(name=name), name=name, points=points
        )
    client.force_login(street_admin)

    title, table = rows(
        client.post(
            reverse("admin:points_pointsranking_changelist"),
            {"action": "export_rows", "_selected_action": [ranking.pk]},
        )
    )

    assert title == "月度积分排行"
    assert [(r[0], r[1], r[2], r[4], r[5], r[8]) for r in table[1:]] == [
        (street.name, 2026, 3, 1, "张红", 30),
        (street.name, 2026, 3, 2, "李明", 20),
    ]
