"""Patient-to-trial matching: every trial's verdict for one patient, ranked, and the facts that
would decide the most trials."""
