"""12345 work-order triage: suggests a work order's type (咨询/求助/投诉/举报/建议) and topic."""
