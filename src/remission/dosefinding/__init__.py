"""Dose finding: one rule book for accelerated titration, BOIN, 3+3 and BF-BOIN.

A design (``DoseDesign``, the one shape of protocol files, REST and the command line) becomes a
tree of rules (``rulebook``); ``next_action`` decides a live trial from its patients and
``simulate`` runs thousands of trials through the same rules. The modules hold: ``boundaries``
the decision table, ``design`` the design, ``rules`` the rule book, ``snapshot`` and
``trial_state`` the state the rules read, ``next_action`` the live decision, ``simulation`` and
``trace`` the simulations, ``mtd`` the MTD selection, ``patients`` and ``protocol`` the inputs,
``summary`` and ``report`` the outputs. Import from the modules; this package exports nothing.
"""

__all__: list[str] = []
