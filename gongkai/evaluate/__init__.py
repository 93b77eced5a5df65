"""Evaluation: score systems (rules, model, auto, all-zero baseline) on gold folders, per table,
row, column, label and layout, with leave-town-out splits, and write report.md/html/metrics.json.

Entry point: ``gongkai.evaluate.run.run_evaluation`` (``gongkai evaluate``)."""
