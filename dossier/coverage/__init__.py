"""Coverage: per indicator, kind and year, what is present and what is missing, and who owes it;
the 材料审核记录表 and the workspace's status."""
from dossier.coverage.report import (KINDS, CoverageReport, IndicatorCoverage, KindCoverage, completeness,
                                     compute_coverage, required_years)
from dossier.coverage.status import department_completeness, workspace_status
from dossier.coverage.xlsx import hit_list_workbook, write_review_table

__all__ = ["KINDS", "CoverageReport", "IndicatorCoverage", "KindCoverage", "completeness", "compute_coverage",
           "required_years", "department_completeness", "workspace_status", "write_review_table",
           "hit_list_workbook"]
