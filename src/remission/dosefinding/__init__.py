"""Dose finding: BOIN boundaries and decisions, MTD selection, simulated operating characteristics."""
