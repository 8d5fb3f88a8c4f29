"""``manage.py seed_city``: a whole city for the scale benchmark, on PostgreSQL, in minutes.

100 streets, 3,000 communities, 30,000 micro-grids, 100,000 member units, 100,000 residents,
10,000 menu items, 30,000 projects, 1,000,000 orders and 200,000 issues (``--scale 0.1`` for a tenth).
Every table is filled with one ``INSERT … SELECT`` over ``generate_series`` (paths and streets of the
grid computed in SQL), so nothing passes through Python row by row. Columns the command does not name
get the model field's default, so the command follows the models as they change. No history rows.

Idempotent: each stage is skipped when its rows are already there (codes/usernames start with ``CITY``);
each stage runs in its own transaction. Run after ``seed_demo`` (it reuses the seeded categories).
"""

# ruff: noqa: S608 - the SQL is built from this module's constants; values go in as parameters

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from alliance.committee.models import Committee, Matter, Meeting
from alliance.core.cache import forget_all
from alliance.core.validators import make_credit_code
from alliance.demo import city_people, city_points, city_staff
from grids.models import District, GridNode
from members.models import MemberUnit, User
from projects.models import Category, Project
from services.models import Issue, MenuItem, Order

PREFIX = "CITY"


def _sql_value(field):
    """A parameter for a column the stage does not name: the field's default, '' or NULL."""
    if field.has_default():
        return field.get_db_prep_save(field.get_default(), connection)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now"
    if field.null:
        return None
    if field.get_internal_type() in {"CharField", "TextField", "SlugField", "EmailField", "URLField"}:
        return ""
    raise CommandError(f"seed_city: no value for {field.model.__name__}.{field.name}; name it in the stage")


def insert_select(model, exprs: dict[str, str], from_sql: str, params=()) -> int:
    """INSERT INTO <model's table> (...) SELECT <exprs, defaults for the rest> <from_sql>."""
    columns, values, args = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in exprs:
            values.append(exprs[field.column])
            continue
        value = _sql_value(field)
        if value == "now":
            values.append("now()")
        elif value is None:
            values.append("NULL")
        else:
            values.append("%s")
            args.append(value)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {from_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params])
        return cursor.rowcount


def execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "生成城市规模的压测数据（100个街道、3000个社区、3万个微网格、10万家单位、100万点单、20万事项）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the full city; 0.1 = a tenth")

    def handle(self, *args, scale: float, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_city needs PostgreSQL (DATABASE_URL=postgres://…)")

        self.n = {
            "streets": max(1, round(100 * scale)),
            "communities_per_street": 30,
            "micro_per_community": 10,
            "units": max(1, round(100_000 * scale)),
            "residents": max(1, round(100_000 * scale)),
            "menu": max(1, round(10_000 * scale)),
            "projects": max(1, round(30_000 * scale)),
            "orders": max(1, round(1_000_000 * scale)),
            "issues": max(1, round(200_000 * scale)),
        }
        leaf = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True).order_by("pk"))
        if not leaf:
            raise CommandError("no categories: run migrate (projects seeds them) and seed_demo first")
        self.categories = "ARRAY[" + ",".join(str(pk) for pk in leaf) + "]::bigint[]"
        started = time.monotonic()
        self.stage("grid", GridNode.objects.filter(code__startswith=f"{PREFIX}-S").exists(), self.grid)
        self.stage("units", MemberUnit.objects.filter(name__startswith=f"{PREFIX}单位").exists(), self.units)
        self.stage("residents", User.objects.filter(username__startswith="city-r").exists(), self.residents)
        self.stage("menu", MenuItem.objects.filter(title__startswith=f"{PREFIX}服务").exists(), self.menu)
        self.stage("projects", Project.objects.filter(title__startswith=f"{PREFIX}项目").exists(), self.projects)
        self.stage("orders", Order.objects.filter(address__startswith=f"{PREFIX}小区").exists(), self.orders)
        self.stage("issues", Issue.objects.filter(title__startswith=f"{PREFIX}事项").exists(), self.issues)
        self.stage("district", bool(District.load().name), self.district)
        self.stage("committees", Committee.objects.filter(name__startswith=PREFIX).exists(), self.committees)
        self.stage("staff", city_staff.seeded(), lambda: city_staff.seed(PREFIX))
        self.stage("points", city_points.seeded(PREFIX), lambda: city_points.seed(PREFIX, insert_select))
        self.stage(
            "party members", city_people.seeded(PREFIX), lambda: city_people.people(insert_select, PREFIX, scale)
        )
        t = time.monotonic()
        # As autovacuum leaves a live database: the planner's statistics, and the visibility map that lets a count
        # read an index alone (a capped count of a million orders: 9 ms through the heap, 2 ms without it).
        # (VACUUM cannot run in a transaction: a test's seed only analyses.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        execute(command)
        self.stdout.write(f"  {command}: {time.monotonic() - t:.0f}s")
        forget_all()  # bulk inserts send no signals: every cached page is built afresh
        self.stdout.write(self.style.SUCCESS(f"城市数据就绪，用时 {time.monotonic() - started:.0f} 秒。"))

    def stage(self, name, done: bool, func):
        if done:
            self.stdout.write(f"  {name}: already seeded")
            return
        t = time.monotonic()
        with transaction.atomic():
            rows = func()
        self.stdout.write(f"  {name}: {rows:,} rows in {time.monotonic() - t:.0f}s")

    # --- stages ---------------------------------------------------------------------------------

    def grid(self) -> int:

        n = self.n
        rows = insert_select(
            GridNode,
            {
                "name": "'城区第' || s || '街道'",
                "code": f"'{PREFIX}-S' || s",
                "level": "1",
                "kind": "'street'",
                "sort_order": "1000 + s",
                "description": "'城市规模压测数据'",
            },
            "FROM generate_series(1, %s) s",
            [n["streets"]],
        )
        execute(
            "UPDATE grids_gridnode SET path = id || '/', street_id = id WHERE level = 1 AND code LIKE %s",
            [f"{PREFIX}-S%"],
        )
        rows += insert_select(
            GridNode,
            {
                "name": "st.name || c || '社区'",
                "code": f"'{PREFIX}-C' || substr(st.code, {len(PREFIX) + 3}) || '-' || c",
                "level": "2",
                "kind": "'community'",
                "parent_id": "st.id",
                "street_id": "st.id",
                "sort_order": "c",
                "households": "1200 + c * 37 %% 800",
                "population": "3000 + c * 91 %% 2000",
            },
            "FROM grids_gridnode st CROSS JOIN generate_series(1, %s) c WHERE st.level = 1 AND st.code LIKE %s",
            [n["communities_per_street"], f"{PREFIX}-S%"],
        )
        execute(
            "UPDATE grids_gridnode g SET path = p.path || g.id || '/' FROM grids_gridnode p "
            "WHERE g.parent_id = p.id AND g.level = 2 AND g.code LIKE %s",
            [f"{PREFIX}-C%"],
        )
        rows += insert_select(
            GridNode,
            {
                "name": "cm.name || m || '号微网格'",
                "code": f"'{PREFIX}-M' || substr(cm.code, {len(PREFIX) + 3}) || '-' || m",
                "level": "3",
                "kind": "'micro_grid'",
                "parent_id": "cm.id",
                "street_id": "cm.street_id",
                "sort_order": "m",
                "households": "120 + m * 13 %% 80",
                "population": "300 + m * 29 %% 200",
            },
            "FROM grids_gridnode cm CROSS JOIN generate_series(1, %s) m WHERE cm.level = 2 AND cm.code LIKE %s",
            [n["micro_per_community"], f"{PREFIX}-C%"],
        )
        execute(
            "UPDATE grids_gridnode g SET path = p.path || g.id || '/' FROM grids_gridnode p "
            "WHERE g.parent_id = p.id AND g.level = 3 AND g.code LIKE %s",
            [f"{PREFIX}-M%"],
        )
        return rows

    def units(self) -> int:

        count = self.n["units"]
        # Valid 统一社会信用代码 (check character computed as the validator does), unique per unit.
        codes = [make_credit_code(f"91379{n:012d}") for n in range(1, count + 1)]
        kinds = "ARRAY[" + ",".join(f"'{k}'" for k in MemberUnit.Kind.values) + "]"
        return self._units_fast(codes, kinds)

    def _units_fast(self, codes, kinds) -> int:

        return insert_select(
            MemberUnit,
            {
                "name": f"'{PREFIX}单位' || u.n",
                "kind": f"({kinds})[1 + u.n %% {len(MemberUnit.Kind.values)}]",
                "credit_code": "u.code",
                "address": "'城区中路' || (u.n %% 500) || '号'",
                "grid_node_id": "nodes.id",
                "street_id": "nodes.street_id",  # kept beside the node (grids.models.KeepsStreet)
                "contact_name": "'联络员'",
                "contact_phone": "'138' || lpad((u.n %% 100000000)::text, 8, '0')",
                "joined_on": "date '2020-01-01' + (u.n %% 2000)::int",
                "star_rating": "u.n %% 6",
                "logo": "''",
            },
            f"FROM (SELECT code, ord AS n FROM unnest(%s::text[]) WITH ORDINALITY AS t(code, ord)) u "
            f"JOIN (SELECT id, street_id, row_number() OVER (ORDER BY id) - 1 AS rn FROM grids_gridnode "
            f"WHERE level = 2 AND code LIKE '{PREFIX}-C%%') nodes ON nodes.rn = u.n %% {self._count(2)}",
            [codes],
        )

    def _count(self, level: int) -> int:
        code = {2: "C", 3: "M"}[level]
        return scalar(
            "SELECT count(*) FROM grids_gridnode WHERE level = %s AND code LIKE %s", [level, f"{PREFIX}-{code}%"]
        )

    def residents(self) -> int:

        return insert_select(
            User,
            {
                "username": "'city-r' || r",
                "password": "'!'",  # unusable: these accounts only own orders and issues
                "role": "'resident'",
                "display_name": "'居民' || r",
                "phone": "'139' || lpad(r::text, 8, '0')",
                "address": "'城区小区' || (r %% 300) || '号楼'",
                "grid_node_id": "nodes.id",
                "is_active": "true",
                "date_joined": "now()",
            },
            f"FROM generate_series(1, %s) r JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn "
            f"FROM grids_gridnode WHERE level = 3 AND code LIKE '{PREFIX}-M%%') nodes ON nodes.rn = r %% {self._count(3)}",
            [self.n["residents"]],
        )

    def menu(self) -> int:

        return insert_select(
            MenuItem,
            {
                "title": f"'{PREFIX}服务' || u.rn",
                "category_id": f"({self.categories})[1 + u.rn %% array_length({self.categories}, 1)]",
                "description": "'驻区单位为社区居民提供的便民服务'",
                "provider_unit_id": "u.id",
                "grid_scope_id": "u.grid_node_id",
                "capacity_per_day": "20",
                "is_active": "true",
            },
            # The first units offer one item each, in their community (units go round the communities).
            f"FROM (SELECT id, grid_node_id, row_number() OVER (ORDER BY id) AS rn FROM members_memberunit "
            f"WHERE name LIKE '{PREFIX}单位%%') u WHERE u.rn <= %s",
            [self.n["menu"]],
        )

    def projects(self) -> int:

        return insert_select(
            Project,
            {
                "title": f"'{PREFIX}项目' || p || ' · ' || cm.name || '为民服务'",
                "category_id": f"({self.categories})[1 + p %% array_length({self.categories}, 1)]",
                "description": "'社区提出、驻区单位认领的为民服务项目'",
                "grid_node_id": "cm.id",
                "capacity": "1 + p %% 3",
                "status": "(ARRAY['published','published','in_progress','completed'])[1 + p %% 4]",
                "deadline": "current_date + (p %% 90)",
                "created_at": "now() - (p %% 700) * interval '1 day'",
                "published_at": "now() - (p %% 700) * interval '1 day'",
            },
            f"FROM generate_series(1, %s) p JOIN (SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS rn "
            f"FROM grids_gridnode WHERE level = 2 AND code LIKE '{PREFIX}-C%%') cm ON cm.rn = p %% {self._count(2)}",
            [self.n["projects"]],
        )

    @staticmethod
    def _people() -> str:
        """Residents (``r``, numbered from 0 in ``rn``) with their micro-grid, its street and its community."""
        return (
            "(SELECT u.id, u.grid_node_id, g.street_id, g.parent_id AS community_id, "
            "row_number() OVER (ORDER BY u.id) - 1 AS rn "
            "FROM members_user u JOIN grids_gridnode g ON g.id = u.grid_node_id WHERE u.username LIKE 'city-r%%') r"
        )

    def _people_with_items(self) -> str:
        """Residents (``_people``) with their community's first menu item (``mi``)."""
        return (
            f"{self._people()} "
            f"LEFT JOIN (SELECT DISTINCT ON (grid_scope_id) grid_scope_id, id, category_id, provider_unit_id "
            f"FROM services_menuitem WHERE title LIKE '{PREFIX}服务%%' ORDER BY grid_scope_id, id) mi "
            f"ON mi.grid_scope_id = r.community_id"
        )

    def orders(self) -> int:

        people = scalar("SELECT count(*) FROM members_user WHERE username LIKE 'city-r%%'")
        # n %% 20: 0 submitted, 1 accepted, 2 delivered, 3 cancelled, else rated.
        status = "(CASE n %% 20 WHEN 0 THEN 'submitted' WHEN 1 THEN 'accepted' WHEN 2 THEN 'delivered' WHEN 3 THEN 'cancelled' ELSE 'rated' END)"
        at = "(now() - (n %% 730) * interval '1 day' - (n %% 600) * interval '1 minute')"
        served = "n %% 20 NOT IN (0, 3)"
        return insert_select(
            Order,
            {
                "resident_id": "r.id",
                "menu_item_id": "mi.id",
                "category_id": f"coalesce(mi.category_id, ({self.categories})[1])",
                "text": "''",
                "grid_node_id": "r.grid_node_id",
                "street_id": "r.street_id",
                "contact_phone": "''",
                "address": f"'{PREFIX}小区' || (n %% 300) || '号楼'",
                "status": status,
                "offered_to_all": "mi.id IS NULL",
                "unit_id": f"CASE WHEN {served} THEN mi.provider_unit_id END",
                "submitted_at": at,
                "accepted_at": f"CASE WHEN {served} THEN {at} + interval '2 hours' END",
                "delivered_at": f"CASE WHEN n %% 20 >= 2 AND n %% 20 <> 3 THEN {at} + interval '1 day' END",
                "rated_at": f"CASE WHEN n %% 20 >= 4 THEN {at} + interval '2 days' END",
                "rating": "CASE WHEN n %% 20 >= 4 THEN 3 + n %% 3 END",
                "cancelled_at": f"CASE WHEN n %% 20 = 3 THEN {at} + interval '1 hour' END",
            },
            f"FROM generate_series(0, %s - 1) n JOIN {self._people_with_items()} ON r.rn = n %% {people}",
            [self.n["orders"]],
        )

    def issues(self) -> int:

        people = scalar("SELECT count(*) FROM members_user WHERE username LIKE 'city-r%%'")
        at = "(now() - (n %% 730) * interval '1 day' - (n %% 900) * interval '1 minute')"
        status = "(ARRAY['discovered','consulting','handling','feedback','evaluated','evaluated','evaluated','evaluated'])[1 + n %% 8]"
        return insert_select(
            Issue,
            {
                "title": f"'{PREFIX}事项' || n || '：楼道堆物清理'",
                "text": "'楼道堆放杂物，存在消防隐患，请网格员协调清理。'",
                "channel": "'web'",
                "reporter_id": "r.id",
                "grid_node_id": "r.grid_node_id",
                "street_id": "r.street_id",
                "location": "'城区小区' || (n %% 300) || '号楼'",
                "status": status,
                "level": "1 + (n %% 13 = 0)::int",
                "step_started_at": at,
                "reported_at": at,
                "rating": "CASE WHEN n %% 8 >= 4 THEN 3 + n %% 3 END",
                "rated_at": f"CASE WHEN n %% 8 >= 4 THEN {at} + interval '3 days' END",
            },
            f"FROM generate_series(0, %s - 1) n JOIN {self._people()} ON r.rn = n %% {people}",
            [self.n["issues"]],
        )

    def district(self) -> int:
        """The district above the city's streets (the deployment's own record), unless it is named already."""
        district = District.load()
        district.name, district.code = "压测城区", PREFIX
        district.save()
        return 1

    def committees(self) -> int:
        """A joint committee per street and a big party committee per community; a year of held meetings
        (monthly in the street, quarterly in the community) and resolved matters: the district figures' rows."""
        rows = insert_select(
            Committee,
            {
                "name": f"'{PREFIX}' || g.name || CASE g.level WHEN 1 THEN '大工委' ELSE '大党委' END",
                "kind": "CASE g.level WHEN 1 THEN 'street_joint' ELSE 'community_party' END",
                "grid_node_id": "g.id",
            },
            "FROM grids_gridnode g WHERE g.level IN (1, 2) AND g.code LIKE %s",
            [f"{PREFIX}-%"],
        )
        at = "(now() - k * (CASE c.kind WHEN 'street_joint' THEN 30 ELSE 91 END) * interval '1 day')"
        rows += insert_select(
            Meeting,
            {
                "committee_id": "c.id",
                "kind": "CASE c.kind WHEN 'street_joint' THEN 'plenary' ELSE 'grid' END",
                "title": "c.name || '联席会议' || k",
                "starts_at": f"{at} - interval '2 hours'",
                "ends_at": at,
                "place": "'党群服务中心'",
                "status": "'held'",
                "held_at": at,
            },
            f"FROM {Committee._meta.db_table} c CROSS JOIN generate_series(1, 12) k "
            "WHERE c.name LIKE %s AND (c.kind = 'street_joint' OR k <= 4)",
            [f"{PREFIX}%"],
        )
        rows += insert_select(
            Matter,
            {
                "committee_id": "c.id",
                "title": "c.name || '议题' || k",
                "status": "'resolved'",
                "studied_at": f"{at} - interval '1 hour'",
                "resolved_at": at,
                "progress": "100",
            },
            f"FROM {Committee._meta.db_table} c CROSS JOIN generate_series(1, 6) k "
            "WHERE c.name LIKE %s AND (c.kind = 'street_joint' OR k <= 2)",
            [f"{PREFIX}%"],
        )
        return rows
