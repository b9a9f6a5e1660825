"""Judging documents: years covered, kind of material, indicator tags, and the review queue of
what a person should decide. Decisions are written through archive.catalogue with provenance."""
from dossier.judge.classify import classify_documents, rank_by_rules, retag, tagger_for, tagging_paths
from dossier.judge.kinds import KindDecision, detect_kind
from dossier.judge.material import MATERIAL_LABELS, MATERIALS, MaterialDecision, detect_material
from dossier.judge.learning import DecisionModel, Example, LearnedSuggestion
from dossier.judge.profiles import fill_up
from dossier.judge.ranking import Suggestion, merge, rule_suggestions
from dossier.judge.suggest import VECTOR_CACHE, ranked_suggestions
from dossier.judge.review import ReviewItem, required_window, review_queue
from dossier.judge.tagging import MIN_CONFIDENCE, Tagger, TagSuggestion, has_text_evidence
from dossier.judge.years import YearDecision, detect_years

__all__ = ["classify_documents", "rank_by_rules", "retag", "tagger_for", "tagging_paths", "KindDecision", "detect_kind",
           "ReviewItem", "required_window", "review_queue", "Tagger", "TagSuggestion", "has_text_evidence",
           "YearDecision", "detect_years", "MATERIALS", "MATERIAL_LABELS", "MaterialDecision", "detect_material",
           "Suggestion", "VECTOR_CACHE", "ranked_suggestions", "DecisionModel", "Example", "LearnedSuggestion",
           "fill_up", "merge", "rule_suggestions", "MIN_CONFIDENCE"]
