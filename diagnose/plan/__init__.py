"""The pilot planner: which enterprises to bring to 二级, with which catalog products, at what public cost."""
