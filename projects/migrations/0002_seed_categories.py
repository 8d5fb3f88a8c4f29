"""The categories of SPEC §2, with the subcategories the seed reports use."""

from django.db import migrations

CATEGORIES = [
    ("help_needy", "扶危解困", ["困难帮扶", "助残服务", "微心愿"]),
    ("jobs", "就业创业", ["就业指导", "创业孵化", "技能培训"]),
    ("culture_science", "文化科普", ["科普讲座", "读书阅读", "红色教育"]),
    ("housing_safety", "百姓安居", ["老旧小区改造", "平安建设", "环境整治", "法律服务"]),
    ("health", "医疗卫生", ["义诊体检", "健康讲座", "心理疏导"]),
    ("elderly", "养老服务", ["助餐送餐", "居家照护", "适老化改造"]),
    ("party_learning", "党建学习", ["主题党日", "党课宣讲", "党员教育"]),
    ("sports_culture", "文体", ["文艺演出", "体育健身", "节日活动"]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    for order, (code, name, children) in enumerate(CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for child_order, child in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=f"{code}-{child_order}", defaults={"name": child, "parent": parent, "sort_order": child_order}
            )


def unseed(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    codes = [code for code, _, _ in CATEGORIES]
    Category.objects.filter(parent__code__in=codes).delete()
    Category.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_categories")]
    operations = [migrations.RunPython(seed, unseed)]
