"""The Jieyang pilot's fixed lists (DOMAIN.md §3) and the questionnaire for each industry."""

from __future__ import annotations

INDUSTRY_QUESTIONNAIRES = {
    "纺织服装": "textiles",
    "塑胶": "plastics",
    "五金制造": "hardware",
    "食品加工": "food",
    # an enterprise outside the four focus industries is assessed on the national part alone
    "其他": "national-2024",
}
INDUSTRIES = tuple(INDUSTRY_QUESTIONNAIRES)
DISTRICTS = ("榕城区", "揭东区", "揭西县", "惠来县", "普宁市", "空港经济区", "揭阳产业园", "大南海石化工业区")
OWNERSHIPS = ("民营", "国有", "集体", "港澳台投资", "外商投资", "其他")

LEVEL_NAMES = ("未达一级", "一级", "二级", "三级", "四级")  # by level number 0-4
STAGES = {"baseline": "改造前诊断", "after": "改造后自评", "onsite": "现场评定"}
STATUSES = {"draft": "草稿", "submitted": "已提交", "approved": "已通过", "returned": "已退回"}
EDITABLE = ("draft", "returned")
# a transformation project's course; 已验收 follows the approval of its after-visit
PROJECT_STATUSES = {"signed": "已签约", "implementing": "实施中", "finished": "已完成", "accepted": "已验收"}

# The Guangdong counting rule for the pilot target (DOMAIN.md §3): a project started
# and finished inside this window, publicly funded, and the level after transformation
# at least TARGET_LEVEL. Eastern Guangdong cities must count at least TARGET_COUNT.
TARGET_WINDOW = ("2023-10-11", "2026-12-31")
TARGET_LEVEL = 2
TARGET_COUNT = 200
AFTER_STAGES = ("after", "onsite")
