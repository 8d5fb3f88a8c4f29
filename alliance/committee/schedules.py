"""Periodic jobs of the committee (app label "alliance"), found by ``alliance.core.schedules``."""

DEFAULT_SCHEDULES: list[dict] = [
    {
        "name": "大工委：会议前一天提醒委员",
        "task": "alliance.remind_meetings_day_before",
        "crontab": {"minute": "0", "hour": "9"},
    },
    {
        "name": "大工委：每月议事日建会并提醒",
        "task": "alliance.deliberation_day",
        "crontab": {"minute": "30", "hour": "7"},
        "description": "每天运行：当月议事日会议不存在时创建；议事日当天提醒委员。议事日在“大工委设置”中修改。",
    },
    {
        "name": "大工委：会后未录纪要提醒书记",
        "task": "alliance.remind_missing_minutes",
        "crontab": {"minute": "0", "hour": "10"},
    },
    {
        "name": "大工委：落实节点逾期督办提醒",
        "task": "alliance.remind_overdue_milestones",
        "crontab": {"minute": "30", "hour": "9"},
        "description": "每天运行：已议决议题的落实节点过了计划完成日期仍未完成的，提醒负责人和委员会书记（每个节点提醒一次）。",
    },
]
