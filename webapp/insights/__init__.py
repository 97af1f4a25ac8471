"""Insights: statistics dashboards and analytics."""
