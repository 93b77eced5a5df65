"""gongkai: 政府信息公开工作年度报告 → the standard report schema."""
__version__ = "0.1.0"
