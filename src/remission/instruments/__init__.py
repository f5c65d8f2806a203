"""Clinical instruments: pure, typed calculators of disease activity, response, kidney function,
classification criteria and CAR-T toxicity grades, each citing its source."""
