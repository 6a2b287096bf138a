"""`idpilot eval`: scores answers on the demo tenant against its answer key and directory."""

from idpilot.evaluation.cases import EvalCase, load_cases
from idpilot.evaluation.runner import EvalReport, run_evaluation

__all__ = ["EvalCase", "EvalReport", "load_cases", "run_evaluation"]
