"""Computable eligibility: the patient profile, the three-valued criteria language, protocol
files, and the free-text extractor."""
